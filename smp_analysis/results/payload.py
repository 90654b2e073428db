"""A paragraph's numbers as JSON, carried from the notebook kernel to the build.

Each paragraph a notebook shows also emits its :class:`~smp_analysis.results.Result` as a
JSON output (mimetype :data:`~smp_analysis.present.blocks.DATA_MIME`). nbconvert does not
render it; the build reads it from the executed notebooks and writes the downloads, so the
numbers are computed once, in the kernel, and the build does no analysis of its own.

Examples
--------
>>> import pandas as pd
>>> from smp_analysis.results.result import Result, ResultTable
>>> r = Result("DA.2", "t", (ResultTable("Table DA.2", pd.DataFrame({"count": [1.0, None]})),))
>>> p = to_payload(r)
>>> p["tables"][0]["name"], p["tables"][0]["rows"]
('data/DA.2-1.csv', [[1.0], [None]])
>>> name, table = from_payload(p)[0]
>>> name, table.data["count"].isna().tolist()
('data/DA.2-1.csv', [False, True])
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..present.blocks import download_name
from .result import Result, ResultTable

__all__ = ["to_payload", "from_payload"]


def _plain(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, pd.Period):
        return str(v)
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if v is pd.NA or v is pd.NaT:
        return None
    if hasattr(v, "item"):  # numpy scalars
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def to_payload(result: Result, *, public: bool = False) -> dict[str, Any]:
    """JSON-ready numbers of one paragraph (on the public page: tables only, since its
    charts are drawn from the disclosure-controlled table beside them)."""
    tables = []
    n = 0
    for t in result.tables:
        n += 1  # numbered like the page's download links
        if public and t.kind == "chart":
            continue
        kinds = {
            c: ("number" if pd.api.types.is_numeric_dtype(t.data[c]) else "text")
            for c in t.data.columns
        }
        tables.append(
            {
                "name": download_name(result.label, n, public=public),
                "caption": t.caption,
                "kind": t.kind,
                "fields": [str(c) for c in t.data.columns],
                "headers": [t.header(c) for c in t.data.columns],
                "types": [kinds[c] for c in t.data.columns],
                "rows": [[_plain(v) for v in row] for row in t.data.itertuples(index=False)],
                "notes": None if t.notes is None else [_plain(v) or "" for v in t.notes],
            }
        )
    return {"label": result.label, "title": result.title, "public": public, "tables": tables}


def from_payload(payload: Mapping[str, Any]) -> list[tuple[str, ResultTable]]:
    """The tables of a payload with their download names, numbers as numbers again."""
    out = []
    for t in payload.get("tables", []):
        data = pd.DataFrame(t["rows"], columns=t["fields"])
        for c, kind in zip(t["fields"], t["types"], strict=True):
            data[c] = (
                pd.to_numeric(data[c], errors="coerce").astype("float64")
                if kind == "number"
                else data[c].astype(object)
            )
        notes = None if t.get("notes") is None else pd.Series(t["notes"], dtype=object)
        table = ResultTable(
            t["caption"],
            data,
            headers=dict(zip(t["fields"], t["headers"], strict=True)),
            notes=notes,
            kind=t["kind"],
        )
        out.append((t["name"], table))
    return out
