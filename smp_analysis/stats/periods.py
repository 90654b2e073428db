"""Reporting periods and period totals that never fill a missing month with zero.

A :class:`ReportingPeriod` is a labelled, contiguous span of months: a financial year
("2024/25" = April 2024 to March 2025), a rolling twelve months ("year ending Mar 2025")
or any custom span. :func:`period_totals` sums a tidy monthly series (``[*by, "month",
"count"]``, ``count`` NaN for a missing month) over periods and says how many months
had data, so an incomplete year is visible rather than silently low.

Examples
--------
>>> fy = financial_year("2024/25")
>>> fy.label, str(fy.start), str(fy.end), len(fy.months)
('2024/25', '2024-04', '2025-03', 12)
>>> previous(fy).label
'2023/24'
>>> [p.label for p in three_year_baseline(fy)]
['2021/22', '2022/23', '2023/24']
>>> rolling_12("2025-03").label
'year ending Mar 2025'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "ReportingPeriod",
    "financial_year",
    "financial_year_of",
    "calendar_year",
    "rolling_12",
    "custom_period",
    "previous",
    "three_year_baseline",
    "period_totals",
    "three_year_average",
]

#: Kinds of period this module labels itself; anything else is "custom".
PERIOD_KINDS: tuple[str, ...] = ("financial_year", "rolling_12", "calendar_year", "custom")

_FY_RE = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2})\s*$")


def _month(value: object) -> pd.Period:
    """Coerce a month-like value (``"2024-03"``, Timestamp, Period) to a monthly Period."""
    if isinstance(value, pd.Period):
        return value.asfreq("M") if value.freqstr != "M" else value
    try:
        return pd.Period(value, freq="M")
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not a month: {value!r} (use 'YYYY-MM')") from exc


@dataclass(frozen=True)
class ReportingPeriod:
    """A labelled, contiguous span of calendar months.

    Attributes
    ----------
    label : str
        How the period is written in the report, e.g. ``"2024/25"``.
    start, end : pandas.Period
        First and last month (monthly frequency, inclusive).
    kind : str
        ``"financial_year"``, ``"rolling_12"``, ``"calendar_year"`` or ``"custom"``.

    Examples
    --------
    >>> p = ReportingPeriod("Q1", pd.Period("2024-04", "M"), pd.Period("2024-06", "M"), "custom")
    >>> [str(m) for m in p.months]
    ['2024-04', '2024-05', '2024-06']
    >>> p.n_months
    3
    """

    label: str
    start: pd.Period
    end: pd.Period
    kind: str = "custom"

    def __post_init__(self) -> None:
        start, end = _month(self.start), _month(self.end)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        if end < start:
            raise ValueError(f"period {self.label!r} ends ({end}) before it starts ({start})")
        if self.kind not in PERIOD_KINDS:
            raise ValueError(f"unknown period kind {self.kind!r}; use one of {PERIOD_KINDS}")

    @property
    def months(self) -> pd.PeriodIndex:
        """Every month of the period, in order."""
        return pd.period_range(self.start, self.end, freq="M")

    @property
    def n_months(self) -> int:
        """Number of months in the period."""
        return (self.end - self.start).n + 1

    def __contains__(self, month: object) -> bool:
        m = _month(month)
        return bool(self.start <= m <= self.end)


def financial_year(label: str | int) -> ReportingPeriod:
    """The UK financial year April–March.

    Parameters
    ----------
    label : str or int
        ``"2024/25"`` (the suffix must be the next year) or the starting year ``2024``.

    Returns
    -------
    ReportingPeriod
        April of the first year to March of the next, ``kind="financial_year"``.

    Examples
    --------
    >>> p = financial_year(2024)
    >>> p.label, str(p.start), str(p.end)
    ('2024/25', '2024-04', '2025-03')
    >>> financial_year("1999/00").label
    '1999/00'
    >>> financial_year("2024/26")
    Traceback (most recent call last):
    ...
    ValueError: financial year '2024/26' should end in /25 (the year after 2024)
    """
    if isinstance(label, bool):
        raise ValueError(f"not a financial year: {label!r}")
    if isinstance(label, (int, np.integer)):
        year = int(label)
    elif isinstance(label, str):
        m = _FY_RE.match(label)
        if not m:
            raise ValueError(f"not a financial year: {label!r} (write it like '2024/25')")
        year, suffix = int(m.group(1)), m.group(2)
        expected = f"{(year + 1) % 100:02d}"
        if suffix != expected:
            raise ValueError(
                f"financial year {label!r} should end in /{expected} (the year after {year})"
            )
    else:
        raise ValueError(f"not a financial year: {label!r}")
    if not 1000 <= year <= 9998:
        raise ValueError(f"financial year out of range: {label!r}")
    return ReportingPeriod(
        label=f"{year}/{(year + 1) % 100:02d}",
        start=pd.Period(f"{year}-04", freq="M"),
        end=pd.Period(f"{year + 1}-03", freq="M"),
        kind="financial_year",
    )


def financial_year_of(month: object) -> str:
    """The financial-year label a month falls in.

    Parameters
    ----------
    month : month-like
        ``"2025-03"``, a ``pandas.Period`` or a timestamp.

    Returns
    -------
    str
        E.g. ``"2024/25"``.

    Examples
    --------
    >>> financial_year_of("2025-03"), financial_year_of("2025-04")
    ('2024/25', '2025/26')
    """
    m = _month(month)
    year = m.year if m.month >= 4 else m.year - 1
    return f"{year}/{(year + 1) % 100:02d}"


def calendar_year(year: int) -> ReportingPeriod:
    """January–December of ``year``.

    Examples
    --------
    >>> p = calendar_year(2024)
    >>> p.label, str(p.start), str(p.end)
    ('2024', '2024-01', '2024-12')
    """
    year = int(year)
    return ReportingPeriod(
        label=str(year),
        start=pd.Period(f"{year}-01", freq="M"),
        end=pd.Period(f"{year}-12", freq="M"),
        kind="calendar_year",
    )


def rolling_12(end_month: object) -> ReportingPeriod:
    """The twelve months ending with ``end_month`` (the ONS "year ending" convention).

    Parameters
    ----------
    end_month : month-like
        Last month included.

    Returns
    -------
    ReportingPeriod
        Labelled like ``"year ending Mar 2025"``, ``kind="rolling_12"``.

    Examples
    --------
    >>> p = rolling_12("2024-10")
    >>> p.label, str(p.start), str(p.end)
    ('year ending Oct 2024', '2023-11', '2024-10')
    """
    end = _month(end_month)
    return ReportingPeriod(
        label=f"year ending {end.strftime('%b %Y')}",
        start=end - 11,
        end=end,
        kind="rolling_12",
    )


def custom_period(start: object, end: object, label: str | None = None) -> ReportingPeriod:
    """Any contiguous span of months.

    Parameters
    ----------
    start, end : month-like
        First and last month (inclusive).
    label : str, optional
        Defaults to ``"Apr 2024 to Jun 2024"`` style.

    Examples
    --------
    >>> custom_period("2024-04", "2024-06").label
    'Apr 2024 to Jun 2024'
    """
    s, e = _month(start), _month(end)
    if label is None:
        label = _custom_label(s, e)
    return ReportingPeriod(label=label, start=s, end=e, kind="custom")


def _custom_label(start: pd.Period, end: pd.Period) -> str:
    if start == end:
        return start.strftime("%b %Y")
    return f"{start.strftime('%b %Y')} to {end.strftime('%b %Y')}"


def previous(period: ReportingPeriod, years: int = 1) -> ReportingPeriod:
    """The same span ``years`` years earlier, labelled the same way.

    Parameters
    ----------
    period : ReportingPeriod
        The period to shift.
    years : int, default 1
        How many years back (negative moves forward).

    Examples
    --------
    >>> previous(financial_year("2024/25"), 2).label
    '2022/23'
    >>> previous(rolling_12("2025-03")).label
    'year ending Mar 2024'
    >>> p = previous(custom_period("2024-04", "2024-06"))
    >>> p.label, p.kind
    ('Apr 2023 to Jun 2023', 'custom')
    """
    shift = 12 * int(years)
    start, end = period.start - shift, period.end - shift
    if period.kind == "financial_year":
        return financial_year(start.year)
    if period.kind == "rolling_12":
        return rolling_12(end)
    if period.kind == "calendar_year":
        return calendar_year(start.year)
    return ReportingPeriod(label=_custom_label(start, end), start=start, end=end, kind="custom")


def three_year_baseline(
    period: ReportingPeriod,
) -> tuple[ReportingPeriod, ReportingPeriod, ReportingPeriod]:
    """The three same-length periods before ``period``, oldest first.

    Examples
    --------
    >>> [p.label for p in three_year_baseline(rolling_12("2025-03"))]
    ['year ending Mar 2022', 'year ending Mar 2023', 'year ending Mar 2024']
    """
    return (previous(period, 3), previous(period, 2), previous(period, 1))


# ---------------------------------------------------------------------- totals
def _months(values: pd.Series) -> pd.Series:
    """Month-like values as a ``period[M]`` column (vectorised; precise error per value)."""
    if isinstance(values.dtype, pd.PeriodDtype):
        return values if values.dtype.freq.freqstr == "M" else values.dt.asfreq("M")
    try:  # text parses as _month does (a bare 2024 is January 2024, not an ordinal)
        idx = pd.PeriodIndex(values.astype(str), freq="M")
    except (ValueError, TypeError):
        try:
            idx = pd.PeriodIndex([_month(v) for v in values], freq="M")
        except ValueError as exc:
            raise ValueError(
                f"column 'month' must hold months (period[M] or 'YYYY-MM'): {exc}"
            ) from exc
    return pd.Series(idx, index=values.index)


def _check_series(
    series: pd.DataFrame, by: Sequence[str], allow_negative: bool = False, *, whole: bool = False
) -> pd.DataFrame:
    """The one validator of tidy monthly series ``[*by, "month", "count"]``.

    Returns a copy with only those columns, ``month`` as ``period[M]`` and ``count`` as
    float (NaN = missing month). Raises ValueError for missing columns, values that are
    not months or numbers, negative counts (unless ``allow_negative``), infinite counts,
    fractional counts (when ``whole``) and duplicate ``[*by, month]`` rows.
    """
    need = [*by, "month", "count"]
    missing = [c for c in need if c not in series.columns]
    if missing:
        raise ValueError(f"series frame lacks columns {missing}; expected [*by, 'month', 'count']")
    df = series.loc[:, need].copy()
    df["month"] = _months(df["month"])
    try:
        df["count"] = pd.to_numeric(df["count"], errors="raise").astype("float64")
    except (ValueError, TypeError) as exc:
        raise ValueError("column 'count' must be numeric (NaN for a missing month)") from exc
    if not allow_negative and (df["count"] < 0).any():
        raise ValueError("counts must not be negative")
    if np.isinf(df["count"]).any():
        raise ValueError("counts must be finite numbers or NaN (missing)")
    if whole:
        c = df["count"].to_numpy()
        known = c[~np.isnan(c)]
        if np.any(known != np.round(known)):
            raise ValueError("counts must be whole numbers (NaN for a missing month)")
    if df.duplicated([*by, "month"]).any():
        raise ValueError(f"series has more than one row for some {[*by, 'month']}")
    return df


def _series_matrix(
    series: pd.DataFrame, by: Sequence[str], allow_negative: bool = False
) -> tuple[pd.DataFrame, np.ndarray, pd.PeriodIndex, np.ndarray, np.ndarray]:
    """Validated monthly series as a matrix (internal helper for the table functions).

    Returns ``(keys, X, months, first, last)``: ``keys`` holds one row per series (sorted
    by ``by``), ``X[i, j]`` is the count of series ``i`` in ``months[j]`` (NaN where the
    month is missing or has no row), and ``first``/``last`` are the column positions of
    each series' first and last row in the frame.
    """
    by = list(by)
    df = _check_series(series, by, allow_negative)
    if df.empty:
        raise ValueError("the series frame has no rows")
    ordinals = df["month"].array.asi8
    lo, hi = int(ordinals.min()), int(ordinals.max())
    months = pd.period_range(
        pd.Period(ordinal=lo, freq="M"), pd.Period(ordinal=hi, freq="M"), freq="M"
    )
    col = (ordinals - lo).astype(np.int64)
    if by:
        grouped = df.groupby(by, observed=True, sort=True, dropna=False)
        keys = grouped.size().reset_index()[by]
        gid = grouped.ngroup().to_numpy()
    else:
        keys = pd.DataFrame(index=range(1))
        gid = np.zeros(len(df), dtype=np.int64)
    x = np.full((len(keys), len(months)), np.nan)
    x[gid, col] = df["count"].to_numpy(dtype=float)
    first = np.full(len(keys), np.iinfo(np.int64).max, dtype=np.int64)
    last = np.full(len(keys), -1, dtype=np.int64)
    np.minimum.at(first, gid, col)
    np.maximum.at(last, gid, col)
    return keys.reset_index(drop=True), x, months, first, last


def _period_map(periods: Sequence[ReportingPeriod]) -> pd.DataFrame:
    rows = []
    for order, p in enumerate(periods):
        rows.append(pd.DataFrame({"month": p.months, "period": p.label, "_order": order}))
    return pd.concat(rows, ignore_index=True)


def period_totals(
    series: pd.DataFrame, periods: Sequence[ReportingPeriod], by: Sequence[str] = ()
) -> pd.DataFrame:
    """Total of each series over each period, with its month coverage.

    Parameters
    ----------
    series : pandas.DataFrame
        Tidy monthly series ``[*by, "month", "count"]``; ``count`` is NaN for a missing
        month. A month of a period with no row at all also counts as missing.
    periods : sequence of ReportingPeriod
        Periods to total over (labels must be unique; periods may overlap).
    by : sequence of str
        Columns identifying a series (empty for a single series).

    Returns
    -------
    pandas.DataFrame
        ``[*by, "period", "count", "months_expected", "months_present", "complete"]``,
        one row per series × period (periods in the order given). ``count`` sums the
        months that have data only, and is NaN when no month has data; ``complete`` is
        True only when every month of the period has data. A missing month is never
        treated as zero.

    Examples
    --------
    >>> s = pd.DataFrame({
    ...     "month": pd.period_range("2023-04", "2025-03", freq="M"),
    ...     "count": [10.0] * 12 + [12.0] * 11 + [float("nan")],
    ... })
    >>> t = period_totals(s, [financial_year("2023/24"), financial_year("2024/25")])
    >>> t[["period", "count", "months_present", "complete"]].to_dict("records")
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'period': '2023/24', 'count': 120.0, 'months_present': 12, 'complete': True},
     {'period': '2024/25', 'count': 132.0, 'months_present': 11, 'complete': False}]
    """
    by = list(by)
    periods = list(periods)
    if not periods:
        raise ValueError("give at least one reporting period")
    labels = [p.label for p in periods]
    if len(set(labels)) != len(labels):
        raise ValueError(f"period labels must be unique: {labels}")
    df = _check_series(series, by)
    pmap = _period_map(periods)
    merged = df.merge(pmap, on="month", how="inner")
    keys = ["_order", *by] if by else ["_order"]
    agg = (
        merged.groupby(keys, observed=True, sort=False, dropna=False)["count"]
        .agg(count=lambda s: s.sum(min_count=1), months_present="count")
        .reset_index()
    )
    # every series × every period, even where no month of the period has a row
    order = pd.DataFrame(
        {
            "_order": range(len(periods)),
            "period": labels,
            "months_expected": [p.n_months for p in periods],
        }
    )
    grid = df[by].drop_duplicates().merge(order, how="cross") if by else order
    out = grid.merge(agg, on=keys, how="left")
    out["months_present"] = out["months_present"].fillna(0).astype("int64")
    out["months_expected"] = out["months_expected"].astype("int64")
    out["count"] = out["count"].astype("float64")
    out["complete"] = out["months_present"] == out["months_expected"]
    out = out.sort_values([*by, "_order"] if by else ["_order"], kind="stable")
    cols = [*by, "period", "count", "months_expected", "months_present", "complete"]
    return out.loc[:, cols].reset_index(drop=True)


def three_year_average(
    series: pd.DataFrame, period: ReportingPeriod, *, by: Sequence[str] = ()
) -> pd.DataFrame:
    """Mean annual count over the three periods before ``period``.

    The average is the monthly rate over the months that have data, scaled to the
    length of ``period``: ``count / months_present * period.n_months`` (× 12 for a
    year). With every month present this is exactly
    the mean of the three annual totals; with a month missing it does not pretend
    the missing month was zero (``complete`` is then False).

    Parameters
    ----------
    series : pandas.DataFrame
        Tidy monthly series ``[*by, "month", "count"]``.
    period : ReportingPeriod
        The current period; the baseline is :func:`three_year_baseline` of it.
    by : sequence of str
        Columns identifying a series.

    Returns
    -------
    pandas.DataFrame
        ``[*by, "period", "count", "mean_annual_count", "months_expected",
        "months_present", "complete"]`` where ``period`` labels the baseline
        (``"2021/22 to 2023/24"``) and ``count`` is its total over present months.

    Examples
    --------
    >>> s = pd.DataFrame({
    ...     "month": pd.period_range("2021-04", "2024-03", freq="M"),
    ...     "count": [10.0] * 12 + [20.0] * 12 + [30.0] * 12,
    ... })
    >>> three_year_average(s, financial_year("2024/25")).to_dict("records")
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'period': '2021/22 to 2023/24', 'count': 720.0, 'mean_annual_count': 240.0,
      'months_expected': 36, 'months_present': 36, 'complete': True}]
    """
    by = list(by)
    base = three_year_baseline(period)
    totals = period_totals(series, base, by)
    if by:
        grouped = totals.groupby(by, observed=True, sort=False, dropna=False)
        out = grouped.agg(
            count=("count", lambda s: s.sum(min_count=1)),
            months_expected=("months_expected", "sum"),
            months_present=("months_present", "sum"),
        ).reset_index()
    else:
        out = pd.DataFrame(
            {
                "count": [totals["count"].sum(min_count=1)],
                "months_expected": [int(totals["months_expected"].sum())],
                "months_present": [int(totals["months_present"].sum())],
            }
        )
    out.insert(len(by), "period", f"{base[0].label} to {base[-1].label}")
    present = out["months_present"].where(out["months_present"] > 0)
    out["mean_annual_count"] = out["count"] / present * period.n_months
    out["complete"] = out["months_present"] == out["months_expected"]
    cols = [
        *by,
        "period",
        "count",
        "mean_annual_count",
        "months_expected",
        "months_present",
        "complete",
    ]
    return out.loc[:, cols]
