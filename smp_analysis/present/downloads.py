"""Downloads: every table's and chart's numbers as CSV, and one accessible workbook.

The Government Analysis Function asks that the data behind every chart and table of a
statistical release can be downloaded, in an open, machine-readable form, with readable
headers and units, and with the GSS symbols for values that are not there ([x] not
available, [c] confidential) kept **beside** the numbers, never as numbers. Here:

* :func:`csv_text` — one table as CSV: numbers as numbers, an empty cell where a value is
  not available or suppressed, and a ``Notes`` column naming the symbol and the column
  (``[x] Rate ratio; [c] 2024/25``). Text cells are made formula-safe (OWASP "CSV
  injection": a leading ``=``, ``+``, ``-``, ``@``, tab or carriage return is prefixed with
  ``'``), because crime types, area names and captions come from input files.
* :func:`write_workbook` — all of a page's tables in one ``.xlsx`` workbook with a cover,
  a contents sheet, a notes sheet and one table per sheet, written by ``gptables`` (the
  Analysis Function's package for accessible spreadsheets) with formulas and URLs in text
  switched off in XlsxWriter.

Examples
--------
>>> import pandas as pd
>>> from smp_analysis.results.result import ResultTable
>>> t = ResultTable("Table X.1: crimes", pd.DataFrame({"type": ["=HYPERLINK(1)", "Robbery"],
...     "count": [12.0, float("nan")]}), headers={"type": "Crime type", "count": "Crimes (count)"})
>>> print(csv_text(t), end="")
Crime type,Crimes (count),Notes
'=HYPERLINK(1),12,
Robbery,,[x] Crimes (count)
"""

from __future__ import annotations

import csv
import io
import math
import re
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..results.result import ResultTable

__all__ = ["csv_text", "safe_text", "write_workbook", "notes_column"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: object) -> str:
    """Text that a spreadsheet will not run as a formula (OWASP CSV injection).

    Examples
    --------
    >>> safe_text("=1+1"), safe_text("@SUM(A1)"), safe_text("Robbery")
    ("'=1+1", "'@SUM(A1)", 'Robbery')
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _number(v: object) -> str:
    f = float(v)  # type: ignore[arg-type]
    if not math.isfinite(f):
        return ""
    return str(int(f)) if f.is_integer() and abs(f) < 2**53 else repr(f)


def _missing(v: object) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def notes_column(table: ResultTable) -> list[str]:
    """The ``Notes`` cell of each row: the table's own notes (such as ``[c] 2024/25``),
    then ``[x] <header>`` for each other value that is not available."""
    data = table.data
    given = (
        [("" if _missing(n) else str(n)) for n in table.notes]
        if table.notes is not None
        else [""] * len(data)
    )
    out = []
    for i, row in enumerate(data.itertuples(index=False)):
        notes = [given[i]] if given[i] else []
        for c, v in zip(data.columns, row, strict=True):
            h = table.header(c)
            if _missing(v) and h not in given[i]:
                notes.append(f"[x] {h}")
        out.append("; ".join(notes))
    return out


def csv_text(table: ResultTable) -> str:
    """One table as CSV text (UTF-8, readable headers, a Notes column when needed)."""
    data = table.data
    numeric = {c: pd.api.types.is_numeric_dtype(data[c]) for c in data.columns}
    notes = notes_column(table)
    with_notes = any(notes)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [safe_text(table.header(c)) for c in data.columns] + (["Notes"] if with_notes else [])
    )
    for row, note in zip(data.itertuples(index=False), notes, strict=True):
        cells = [
            ""
            if _missing(v)
            else (_number(v) if numeric[c] and not isinstance(v, bool) else safe_text(v))
            for c, v in zip(data.columns, row, strict=True)
        ]
        w.writerow(cells + ([safe_text(note)] if with_notes else []))
    return buf.getvalue()


_GPT_MARKUP = re.compile(r"\$\$|\]\(")


def _plain(text: str) -> str:
    """Text for gptables, which reads ``$$note$$`` and ``[text](url)`` as markup."""
    return safe_text(_GPT_MARKUP.sub(lambda m: "$ $" if m.group() == "$$" else "] (", text))


def _sheet_frame(table: ResultTable) -> pd.DataFrame:
    data = table.data
    out = pd.DataFrame(
        {
            _plain(table.header(c)): (
                data[c]
                if pd.api.types.is_numeric_dtype(data[c])
                else data[c].map(lambda v: "" if _missing(v) else _plain(str(v)))
            )
            for c in data.columns
        }
    )
    notes = notes_column(table)
    if any(notes):
        out["Notes"] = [_plain(n) for n in notes]
    # object columns: gptables writes its header row into the frame
    return out.astype(object).where(out.notna(), None)


def write_workbook(
    path: Path,
    tables: Sequence[tuple[str, ResultTable]],
    *,
    title: str,
    about: Sequence[str] = (),
    source: str = "",
) -> None:
    """All tables in one accessible ``.xlsx`` workbook (cover, contents, notes, one table
    per sheet), written to ``path``.

    Parameters
    ----------
    path : Path
        The workbook to write (its folder must exist).
    tables : sequence of (name, ResultTable)
        Download name (``data/DA.4-1.csv``) and table, in page order.
    title : str
        The workbook's title on its cover.
    about : sequence of str
        Paragraphs for the cover.
    source : str
        The source line printed under each table.
    """
    import gptables as gpt

    sheets = {}
    for name, t in tables:
        sheet = Path(name).stem[:31]
        sheets[sheet] = gpt.GPTable(
            table=_sheet_frame(t),
            table_name=re.sub(r"[^A-Za-z0-9_]", "_", f"table_{sheet}"),
            title=_plain(t.caption) + "$$symbols$$",
            instructions="This worksheet contains one table. Blank cells are explained in "
            "the Notes column.",
            legend=["[x] = not available", "[c] = confidential"],
            source=_plain(source) if source else None,
        )
    cover = gpt.Cover(
        title=_plain(title),
        intro=[_plain(a) for a in about],
        about=[
            "Blank cells: [x] means not available, [c] means hidden to protect "
            "confidentiality (a small number, or one that would reveal a small number). The "
            "Notes column of each table says which.",
            "Each table is also published as a CSV file beside the report.",
        ],
    )
    notes = pd.DataFrame(
        {
            "Note reference": ["symbols"],
            "Note text": [
                "Blank cells: [x] not available (no data for the period; missing is never "
                "counted as zero); [c] confidential (hidden by statistical disclosure control). "
                "The Notes column of each table says which."
            ],
        }
    )
    with warnings.catch_warnings():
        # gptables warns about every blank cell; ours are explained by the Notes column,
        # the legend and the notes sheet
        warnings.filterwarnings("ignore", message=r"\s*Empty or null cell", category=UserWarning)
        # gptables 2.0 still uses pandas APIs that pandas 3 deprecates (its issue, not ours)
        warnings.filterwarnings("ignore", module=r"gptables\.")
        gpt.write_workbook(
            filename=str(path),
            sheets=sheets,
            cover=cover,
            notes_table=notes,
            workbook_options={"strings_to_formulas": False, "strings_to_urls": False},
        )
