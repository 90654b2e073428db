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
import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from . import formatting as fmt

__all__ = ["table_html", "default_formatter", "min_width_ch", "WIDTH_CLASSES"]

Formatter = Callable[[object], str]


def default_formatter(series: pd.Series) -> Formatter:
    """Pick a formatter for a column: counts as whole numbers, other floats to 2, 1 or 0 dp
    (below 10, below 100, larger), text as is."""
    if pd.api.types.is_bool_dtype(series):
        return lambda v: "Yes" if v else "No"
    if pd.api.types.is_integer_dtype(series):
        return fmt.count
    if pd.api.types.is_float_dtype(series):
        vals = series.dropna().to_numpy()
        if len(vals) and np.all(np.isclose(vals, np.round(vals))):
            return fmt.count
        # precision for reading, not for re-use (downloads carry full values): a mean of
        # 1,203.04 crimes reads as 1,203, a rate of 4.567 as 4.57
        top = np.nanmax(np.abs(vals)) if len(vals) else 0.0
        return lambda v: fmt.number(v, 2 if top < 10 else 1 if top < 100 else 0)
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
        The HTML, wrapped in a labelled, focusable scroll region (the report page's
        script keeps it a keyboard stop only while the table scrolls; see
        ``min_width_ch`` for the width classes the stylesheet uses).
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
        f"{_header_html(str(c))}</th>"
        for i, c in enumerate(cols)
    )
    texts = [
        [fmts[c](v) for c, v in zip(cols, values, strict=True)]
        for values in frame.itertuples(index=False, name=None)
    ]
    rows = []
    for row in texts:
        cells = []
        for i, (c, t) in enumerate(zip(cols, row, strict=True)):
            text = esc(t)
            if row_header and i == 0:
                cells.append(f'<th scope="row">{text}</th>')
            elif numeric[c]:
                cells.append(_number_cell(t))
            else:
                cells.append(f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    width = min_width_ch([str(c) for c in cols], texts, [numeric[c] for c in cols])
    classes = "data" + "".join(f" {name}" for name, limit in WIDTH_CLASSES if width > limit)
    note_html = f'<p class="table-note">{esc(note)}</p>' if note else ""
    return (
        f'<div class="table-wrap" role="region" aria-label="{esc(caption)}" tabindex="0">'
        f'<table class="{classes}"{extra}><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note_html}</div>"
    )


# ---------------------------------------------------------------------------- fitting
# Tables fit their column without hiding anything: headers wrap (with a break opportunity
# after ``_`` in raw column names), a number with its interval may wrap before
# the interval but never inside a number, and each table carries a class saying how wide it
# is at the least (``wide``: too wide for the right-hand column of a printed page, so the
# paragraph prints in one column; ``stack``: too wide for a phone, where the page's script
# reflows each row into a block of "header: value" lines). The stylesheet does the rest.

#: (class, minimum width in characters above which the table gets it)
WIDTH_CLASSES = (("stack", 40), ("wide", 66))
#: where a number cell may wrap: before an interval "(…)" and after ", "
_NUMBER_BREAK = re.compile(r" (?=\()|(?<=,) ")
_HEADER_BREAK = re.compile(r"(_)")


def _header_html(text: str) -> str:
    """A column header, escaped, with a break opportunity after each ``_``.

    Examples
    --------
    >>> _header_html("count_baseline")
    'count_<wbr>baseline'
    >>> _header_html("A <b> & c")
    'A &lt;b&gt; &amp; c'
    """
    return "<wbr>".join(_html.escape(part) for part in _split_header(text))


def _split_header(text: str) -> list[str]:
    parts = _HEADER_BREAK.split(text)
    out: list[str] = []
    for part in parts:
        if part == "_" and out:
            out[-1] += part
        else:
            out.append(part)
    return [p for p in out if p]


def _number_chunks(text: str) -> list[str]:
    """The pieces of a number cell that never wrap inside.

    Examples
    --------
    >>> _number_chunks("0.73 (0.61 to 0.88)")
    ['0.73', '(0.61 to 0.88)']
    >>> _number_chunks("2021-04 – 2021-07, 2021-09 – 2025-03 (47 of 48 months)")
    ['2021-04 – 2021-07,', '2021-09 – 2025-03', '(47 of 48 months)']
    >>> _number_chunks("12,985")
    ['12,985']
    """
    return [c for c in _NUMBER_BREAK.split(text) if c]


def _number_cell(text: str) -> str:
    """A right-aligned number cell; a number with an interval may wrap before it.

    Examples
    --------
    >>> _number_cell("1,234")
    '<td class="num">1,234</td>'
    >>> _number_cell("0.73 (0.61 to 0.88)")
    '<td class="num"><span class="nw">0.73</span> <span class="nw">(0.61 to 0.88)</span></td>'
    """
    esc = _html.escape
    chunks = _number_chunks(text)
    if len(chunks) < 2:
        return f'<td class="num">{esc(text)}</td>'
    inner = " ".join(f'<span class="nw">{esc(c)}</span>' for c in chunks)
    return f'<td class="num">{inner}</td>'


def min_width_ch(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool]
) -> int:
    """Estimated narrowest width of a table, in characters: per column, the longest piece
    that cannot wrap (a header word, a word of text, a number chunk), plus 2 for padding.

    Examples
    --------
    >>> min_width_ch(["Year", "Rate ratio (95% CI)"], [["2024/25", "0.73 (0.61 to 0.88)"]],
    ...              [False, True])
    25
    """
    total = 0
    for j, header in enumerate(headers):
        words = [w for part in _split_header(header) for w in part.split()]
        longest = max((len(w) for w in words), default=0)
        for row in rows:
            cell = row[j]
            pieces = _number_chunks(cell) if numeric[j] else cell.split()
            longest = max(longest, *(len(p) for p in pieces), 0)
        total += longest + 2
    return total
