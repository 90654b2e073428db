"""Accessible HTML tables for the report.

Real ``<table>`` markup with a caption, column headers with ``scope``, row headers,
right-aligned numbers and no pandas index (the blank index header fails accessibility
checks). Output is deterministic: no random ids.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"Category": ["Robbery", "Burglary"], "2024/25": [120, 1450]})
>>> html = table_html(df, "Table 1: Crimes by category")
>>> "<caption>Table 1: Crimes by category</caption>" in html
True
>>> '<th scope="row">Robbery</th><td class="num">120</td>' in html
True
>>> '<td class="num">1,450</td>' in html
True
"""

from __future__ import annotations

import html as _html
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from . import formatting as fmt

__all__ = ["table_html", "default_formatter"]

Formatter = Callable[[object], str]


def default_formatter(series: pd.Series) -> Formatter:
    """Pick a formatter for a column: counts as whole numbers, other floats to 1 dp, text as is."""
    if pd.api.types.is_bool_dtype(series):
        return lambda v: "Yes" if v else "No"
    if pd.api.types.is_integer_dtype(series):
        return fmt.count
    if pd.api.types.is_float_dtype(series):
        vals = series.dropna().to_numpy()
        if len(vals) and np.all(np.isclose(vals, np.round(vals))):
            return fmt.count
        return lambda v: fmt.number(v, 2 if len(vals) and np.nanmax(np.abs(vals)) < 10 else 1)
    return lambda v: fmt.MISSING if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)


def _is_numeric_column(series: pd.Series, formatter: Formatter | None) -> bool:
    if pd.api.types.is_bool_dtype(series):
        return False
    if pd.api.types.is_numeric_dtype(series):
        return True
    # formatted strings such as "0.88 to 0.96", "+8%", "[c]" read as numbers too
    sample = [str(v) for v in series.dropna().head(20)]
    return bool(sample) and all(
        s[:1].isdigit() or s[:1] in "+-−[∞" or s.startswith("p ") for s in sample
    )


def table_html(
    frame: pd.DataFrame,
    caption: str,
    *,
    formats: Mapping[str, Formatter] | None = None,
    row_header: bool = True,
    note: str | None = None,
    attrs: Mapping[str, str] | None = None,
) -> str:
    """Render a DataFrame as an accessible HTML table.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows to show; column names are the headers (rename them for readers first).
        The index is ignored.
    caption : str
        What the table shows, e.g. "Table DA.2: Domestic abuse-flagged crimes by year".
    formats : mapping, optional
        Column name → function formatting one value as text (see
        :mod:`smp_analysis.present.formatting`).
    row_header : bool
        Render the first column as row headers (``<th scope="row">``).
    note : str, optional
        A note printed under the table (symbols, sources).
    attrs : mapping, optional
        Extra attributes for the ``<table>`` element (e.g. ``data-sdc-threshold``).

    Returns
    -------
    str
        The HTML, wrapped in a focusable scroll region for narrow screens.
    """
    if not caption or not caption.strip():
        raise ValueError("every table needs a caption that says what it shows")
    formats = dict(formats or {})
    esc = _html.escape
    cols = list(frame.columns)
    fmts = {c: formats.get(c) or default_formatter(frame[c]) for c in cols}
    numeric = {c: _is_numeric_column(frame[c], formats.get(c)) for c in cols}
    extra = "".join(f' {esc(k)}="{esc(str(v))}"' for k, v in (attrs or {}).items())
    num_cls = ' class="num"'
    head = "".join(
        f'<th scope="col"{num_cls if numeric[c] and not (row_header and i == 0) else ""}>'
        f"{esc(str(c))}</th>"
        for i, c in enumerate(cols)
    )
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for i, (c, v) in enumerate(zip(cols, values, strict=True)):
            text = esc(fmts[c](v))
            if row_header and i == 0:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cls = ' class="num"' if numeric[c] else ""
                cells.append(f"<td{cls}>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    note_html = f'<p class="table-note">{esc(note)}</p>' if note else ""
    return (
        f'<div class="table-wrap" role="region" aria-label="{esc(caption)}" tabindex="0">'
        f'<table class="data"{extra}><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note_html}</div>"
    )
