"""The typed result behind one labelled paragraph: numbers first, words later.

A :class:`Result` holds what a paragraph rests on, as numbers with real dtypes:

* ``tables`` — one :class:`ResultTable` per table or chart in the paragraph's detail
  column, each a tidy numeric :class:`pandas.DataFrame` (the cells of the HTML table and
  the rows of the CSV download are rendered from it, never the other way round);
* ``coverage`` — for every period the paragraph uses, the months expected, the months
  with data and the months actually used (matched months for year-on-year changes);
* ``tests`` — the statistical methods it ran.

Sentences, tables, charts, downloads and the public page only render these numbers.

Examples
--------
>>> import pandas as pd
>>> t = ResultTable("Table DA.2", pd.DataFrame({"period": ["2023/24", "2024/25"],
...                                             "count": [100, 90]}))
>>> r = Result("DA.2", "Crimes fell", (t,), tests=("exact Poisson rate-ratio test",))
>>> int(r.table["count"].sum())
190
>>> list(r.to_frame().columns)
['label', 'table', 'period', 'count']
>>> print(repr(r).splitlines()[0])
Result DA.2: Crimes fell
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["Result", "ResultTable", "COVERAGE_COLUMNS", "coverage_frame", "empty_coverage"]

#: Columns of :attr:`Result.coverage`, one row per period a paragraph uses.
COVERAGE_COLUMNS = (
    "period",
    "first_month",
    "last_month",
    "months_expected",
    "months_present",
    "months_used",
)


def empty_coverage() -> pd.DataFrame:
    """A coverage frame with no rows (a paragraph that rests on no monthly series)."""
    return pd.DataFrame(
        {
            "period": pd.Series(dtype="string"),
            "first_month": pd.Series(dtype="period[M]"),
            "last_month": pd.Series(dtype="period[M]"),
            "months_expected": pd.Series(dtype="Int64"),
            "months_present": pd.Series(dtype="Int64"),
            "months_used": pd.Series(dtype="Int64"),
        }
    )


def coverage_frame(
    series: pd.DataFrame,
    periods: Iterable[object],
    *,
    used: Mapping[str, Sequence[pd.Period]] | None = None,
) -> pd.DataFrame:
    """Months expected, present and used in each period, for one monthly series.

    Parameters
    ----------
    series : pandas.DataFrame
        Columns ``month`` (monthly :class:`pandas.Period`) and ``count`` (``NaN`` where the
        month has no data: missing is never zero).
    periods : iterable of ReportingPeriod
        The periods the paragraph uses (anything with ``label``, ``start``, ``end``).
    used : mapping, optional
        Period label → the months a statement actually used (e.g. the calendar months with
        data in both years of a year-on-year change). Default: every month present.

    Returns
    -------
    pandas.DataFrame
        One row per period with :data:`COVERAGE_COLUMNS`.

    Examples
    --------
    >>> import pandas as pd
    >>> from smp_analysis.stats.periods import financial_year
    >>> s = pd.DataFrame({"month": pd.period_range("2024-04", "2025-03", freq="M"),
    ...                   "count": [5.0] * 9 + [float("nan")] * 3})
    >>> c = coverage_frame(s, [financial_year("2024/25")])
    >>> [int(c.loc[0, k]) for k in ("months_expected", "months_present", "months_used")]
    [12, 9, 9]
    >>> str(c["last_month"].iloc[0])
    '2024-12'
    """
    month = pd.PeriodIndex(series["month"], freq="M")
    has = series["count"].notna().to_numpy()
    rows = []
    for p in periods:
        inside = (month >= p.start) & (month <= p.end)
        present = month[inside & has]
        use = list(used[p.label]) if used is not None and p.label in used else list(present)
        expected = (p.end - p.start).n + 1
        rows.append(
            {
                "period": p.label,
                "first_month": min(use) if use else pd.NaT,
                "last_month": max(use) if use else pd.NaT,
                "months_expected": expected,
                "months_present": len(present),
                "months_used": len(use),
            }
        )
    if not rows:
        return empty_coverage()
    out = pd.DataFrame(rows)
    out["period"] = out["period"].astype("string")
    for c in ("first_month", "last_month"):
        out[c] = pd.PeriodIndex(out[c], freq="M")
    for c in ("months_expected", "months_present", "months_used"):
        out[c] = out[c].astype("Int64")
    return out


@dataclass(frozen=True)
class ResultTable:
    """One table of numbers behind a paragraph.

    Attributes
    ----------
    caption : str
        What it shows (the caption of the HTML table or the chart title).
    data : pandas.DataFrame
        Tidy numbers with real dtypes; ``NaN`` where a value is not available.
    headers : mapping
        Column → readable header with its unit, used by downloads (default: the column).
    notes : pandas.Series, optional
        A GSS symbol note per row (``"[x] rate ratio"``, ``"[c] 2024/25"``), kept beside
        the numbers in downloads, never in them.
    kind : str
        ``"table"`` or ``"chart"``.
    """

    caption: str
    data: pd.DataFrame
    headers: Mapping[str, str] = field(default_factory=dict)
    notes: pd.Series | None = None
    kind: str = "table"

    def header(self, column: str) -> str:
        """The readable header of ``column``."""
        return self.headers.get(column, column)


@dataclass(frozen=True, repr=False)
class Result:
    """What one labelled paragraph computed.

    Attributes
    ----------
    label : str
        The paragraph label, e.g. ``"DA.4"``.
    title : str
        The paragraph's title.
    tables : tuple of ResultTable
        The numbers behind each table and chart, in the order shown.
    coverage : pandas.DataFrame
        Months expected / present / used per period (see :func:`coverage_frame`).
    tests : tuple of str
        The statistical methods run to reach the paragraph's statements.
    """

    label: str
    title: str
    tables: tuple[ResultTable, ...] = ()
    coverage: pd.DataFrame = field(default_factory=empty_coverage)
    tests: tuple[str, ...] = ()

    @property
    def table(self) -> pd.DataFrame:
        """The first table's numbers (an empty frame when the paragraph has no table)."""
        return self.tables[0].data if self.tables else pd.DataFrame()

    def to_frame(self) -> pd.DataFrame:
        """Every table stacked in one long frame, with ``label`` and ``table`` (1, 2, ...)
        columns first; columns a table lacks are missing."""
        parts = [
            t.data.assign(label=self.label, table=i) for i, t in enumerate(self.tables, start=1)
        ]
        if not parts:
            return pd.DataFrame({"label": pd.Series(dtype="string"), "table": []})
        out = pd.concat(parts, ignore_index=True)
        return out[["label", "table", *[c for c in out.columns if c not in ("label", "table")]]]

    def __repr__(self) -> str:
        lines = [f"Result {self.label}: {self.title}"]
        for i, t in enumerate(self.tables, start=1):
            cols = ", ".join(f"{c} ({t.data[c].dtype})" for c in t.data.columns[:8])
            more = "" if t.data.shape[1] <= 8 else f", … {t.data.shape[1] - 8} more"
            lines.append(f"  {t.kind} {i}: {t.caption} — {len(t.data)} rows: {cols}{more}")
        for r in self.coverage.itertuples(index=False):
            span = f"{r.first_month} to {r.last_month}" if not pd.isna(r.first_month) else "no data"
            lines.append(
                f"  coverage {r.period}: {r.months_used} months used, {r.months_present} of "
                f"{r.months_expected} with data ({span})"
            )
        if self.tests:
            lines.append("  tests: " + "; ".join(self.tests))
        return "\n".join(lines)

    def _repr_html_(self) -> str:  # JupyterLab: the tables as numbers, not words
        import html

        parts = [f"<p><strong>{html.escape(self.label)}</strong> {html.escape(self.title)}</p>"]
        for t in self.tables:
            parts.append(f"<p>{html.escape(t.caption)}</p>")
            parts.append(t.data.to_html(index=False, na_rep="NaN"))
        if len(self.coverage):
            parts.append("<p>Coverage</p>" + self.coverage.to_html(index=False))
        if self.tests:
            parts.append("<p>Tests: " + html.escape("; ".join(self.tests)) + "</p>")
        return "".join(parts)

    def numbers(self) -> np.ndarray:
        """Every finite number in every table (used to check pages against downloads)."""
        vals = [
            t.data.select_dtypes("number").to_numpy(dtype="float64").ravel() for t in self.tables
        ]
        if not vals:
            return np.array([])
        allv = np.concatenate(vals)
        return allv[np.isfinite(allv)]
