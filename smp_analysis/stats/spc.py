"""XmR (individuals) charts with the NHS "Making Data Count" rules.

The limits and rules follow R ``NHSRplotthedots`` (``ptd_spc_standard.R`` and
``ptd_calculate_point_type.R``), the reference implementation of NHS England's
"Making Data Count" (MDC) guidance:

* centre line: mean of the baseline points; moving range ``MR_i = |x_i - x_(i-1)|``;
* outlier screening (on by default, as in ``ptd_spc``): baseline moving ranges of
  ``3.267 * mean(MR)`` or more are dropped and the mean moving range recomputed;
* process limits ``mean ± 2.66 * mean(MR)`` (3 sigma with ``sigma = mean(MR) / 1.128``);
* special-cause rules, applied to every point:

  - ``outside_limits`` — above the upper or below the lower limit (strictly);
  - ``shift`` — part of a run of 7 or more consecutive points on the same side of the
    mean (a point on the mean breaks the run);
  - ``trend`` — part of a run of 7 or more consecutive points each strictly higher (or
    each strictly lower) than the one before;
  - ``two_in_three`` — a point in the outer third of the limits (beyond
    ``mean ± 2/3 * 2.66 * mean(MR)``, i.e. ~2 sigma, but not outside the limits) where 2
    of 3 consecutive points are in the outer third and all 3 are on the same side of
    the mean;

* a point's ``special_cause_type`` is the first that applies of: outside limits, trend,
  two-in-three, shift (the ``ptd`` precedence); its ``direction`` (+1 high / −1 low) is
  the side of the limit or mean, or the direction of the trend.

Missing months (NaN): they are not points. No moving range is computed across a
missing month (a two-month difference would inflate sigma), and the run rules look at
the observed points in order, skipping the gap (a missing data file says nothing about
the process, so it does not break a run). The lower limit is not clipped at zero.

Examples
--------
>>> r = xmr([10, 12, 11, 13, 12, 30], baseline=5)   # limits from the first 5 points
>>> r.mean, r.mr_mean, round(r.lcl, 2), round(r.ucl, 2)
(11.6, 1.5, 7.61, 15.59)
>>> r.points["outside_limits"].tolist()
[False, False, False, False, False, True]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from ._checks import as_values
from .periods import _series_matrix

__all__ = [
    "XmrResult",
    "Variation",
    "xmr",
    "xmr_table",
    "variation",
    "variation_table",
    "LIMIT_FACTOR",
    "MR_SCREEN_FACTOR",
]

#: Process limits are mean ± LIMIT_FACTOR × mean moving range (3 / d2, d2 = 1.128).
LIMIT_FACTOR = 2.66
#: Moving ranges at or above this multiple of the mean are screened out (and the MR chart UCL).
MR_SCREEN_FACTOR = 3.267
#: Points in a run for the shift and trend rules.
RUN_LENGTH = 7

_GOOD = {"up": 1, "increase": 1, "down": -1, "decrease": -1, "neutral": 0, None: 0}


@dataclass(frozen=True)
class XmrResult:
    """An XmR chart: limits from the baseline and every point's special-cause flags.

    Attributes
    ----------
    mean : float
        Centre line (mean of the observed baseline points).
    mr_mean : float
        Mean moving range of the baseline (after screening, if on).
    lcl, ucl : float
        Lower and upper process limits ``mean ∓ 2.66 * mr_mean``.
    sigma : float
        ``mr_mean / 1.128``.
    mr_ucl : float
        Upper limit of the moving-range chart, ``3.267 * mr_mean``.
    n_baseline : int
        Observed points in the baseline.
    n_moving_ranges : int
        Moving ranges used for ``mr_mean``.
    n_screened : int
        Baseline moving ranges dropped by outlier screening.
    points : pandas.DataFrame
        Indexed like the input; columns ``value, moving_range, in_baseline, mean, lcl,
        ucl, relative_to_mean, close_to_limits, outside_limits, shift, trend,
        two_in_three, special_cause, special_cause_type, direction``.
    method : str
        Description.
    """

    mean: float
    mr_mean: float
    lcl: float
    ucl: float
    sigma: float
    mr_ucl: float
    n_baseline: int
    n_moving_ranges: int
    n_screened: int
    points: pd.DataFrame
    method: str

    @property
    def estimate(self) -> float:
        """Alias of :attr:`mean`."""
        return self.mean


# ---------------------------------------------------------------------- rules (observed points)
def _run_end(signs: np.ndarray, length: int = RUN_LENGTH) -> np.ndarray:
    """True at i when signs[i-length+1 .. i] are all equal and non-zero."""
    n = signs.size
    out = np.zeros(n, dtype=bool)
    if n >= length:
        w = sliding_window_view(signs, length)
        out[length - 1 :] = (w == w[:, -1:]).all(axis=1) & (w[:, -1] != 0)
    return out


def _part_of_run(end: np.ndarray, length: int = RUN_LENGTH) -> np.ndarray:
    """True at i when a run ending at any of i .. i+length-1 includes i."""
    n = end.size
    padded = np.concatenate([end, np.zeros(length - 1, dtype=bool)])
    return sliding_window_view(padded, length).any(axis=1) if n else end.copy()


def _trend_end(y: np.ndarray, length: int = RUN_LENGTH) -> np.ndarray:
    """+1 / -1 at i when y[i-length+1 .. i] strictly increase / decrease, else 0."""
    n = y.size
    out = np.zeros(n, dtype=int)
    if n >= length:
        d = np.sign(np.diff(y))
        w = sliding_window_view(d, length - 1)
        up = (w == 1).all(axis=1)
        down = (w == -1).all(axis=1)
        out[length - 1 :] = np.where(up, 1, np.where(down, -1, 0))
    return out


def _two_in_three(close: np.ndarray, rtm: np.ndarray) -> np.ndarray:
    """ptd_two_in_three then ptd_part_of_two_in_three: flags the close points only."""
    n = close.size
    hit = np.zeros(n, dtype=bool)
    if n >= 3:
        c = sliding_window_view(close.astype(int), 3).sum(axis=1)
        r = np.abs(sliding_window_view(rtm, 3).sum(axis=1))
        win = (c >= 2) & (r == 3)
        for offset in range(3):
            hit[offset : offset + win.size] |= win
    return hit & close


def _classify(
    y: np.ndarray, mean: float, lcl: float, ucl: float, mr_mean: float
) -> dict[str, np.ndarray]:
    """All rule flags for the observed points ``y`` (no NaN)."""
    near = 2 * (LIMIT_FACTOR / 3) * mr_mean
    outside = (y > ucl) | (y < lcl)
    rtm = np.sign(y - mean).astype(int)
    close = ~outside & ((y < mean - near) | (y > mean + near))
    shift = _part_of_run(_run_end(rtm))
    tend = _trend_end(y)
    trend = _part_of_run(tend != 0)
    tit = _two_in_three(close, rtm)

    # direction of a trend point: right-hand step if the next point is in a trend too
    sdy = np.sign(np.diff(y)).astype(int)
    right = np.concatenate([sdy, sdy[-1:]]) if sdy.size else np.zeros(y.size, dtype=int)
    left = np.concatenate([[0], sdy]).astype(int)
    nxt = np.concatenate([trend[1:], [False]])
    tdir = np.where(nxt & trend, right, left)

    side = np.where(rtm > 0, "Above", "Below")
    kind = np.full(y.size, "Common Cause", dtype=object)
    direction = np.zeros(y.size, dtype=int)
    rules = [
        (shift, np.char.add(np.char.add("7 Points ", side), " CL"), np.where(rtm > 0, 1, -1)),
        (tit, np.char.add(np.char.add("2 in 3 ", side), " CL"), np.where(rtm > 0, 1, -1)),
        (
            trend,
            np.where(tdir == 1, "7 Point Trend (Increasing)", "7 Point Trend (Decreasing)"),
            np.where(tdir == 1, 1, -1),
        ),
        (outside, np.where(rtm == 1, "Above UCL", "Below LCL"), np.where(rtm == 1, 1, -1)),
    ]
    for flag, label, sign in rules:  # lowest precedence first, later rules overwrite
        kind[flag] = label[flag]
        direction[flag] = sign[flag]
    return {
        "relative_to_mean": rtm,
        "close_to_limits": close,
        "outside_limits": outside,
        "shift": shift,
        "trend": trend,
        "two_in_three": tit,
        "special_cause": outside | shift | trend | tit,
        "special_cause_type": kind,
        "direction": direction,
    }


def _baseline_mask(baseline: object, n: int) -> np.ndarray:
    if baseline is None:
        return np.ones(n, dtype=bool)
    if isinstance(baseline, (bool, np.bool_)):
        raise ValueError("baseline must be a number of points or a boolean mask")
    if isinstance(baseline, (int, np.integer)):
        k = int(baseline)
        if k < 2:
            raise ValueError(f"baseline must cover at least 2 points, got {k}")
        return np.arange(n) < k
    mask = np.asarray(baseline, dtype=bool)
    if mask.shape != (n,):
        raise ValueError(f"baseline mask has length {mask.size}, the series has {n}")
    return mask


_FLAG_DEFAULTS: dict[str, object] = {
    "relative_to_mean": 0,
    "close_to_limits": False,
    "outside_limits": False,
    "shift": False,
    "trend": False,
    "two_in_three": False,
    "special_cause": False,
    "special_cause_type": None,
    "direction": 0,
}


def _xmr_core(y: np.ndarray, mask: np.ndarray, screen_outliers: bool) -> dict | None:
    """Limits and per-point columns for one series; None when no moving range exists."""
    n = y.size
    fix = np.where(mask, y, np.nan)
    mr_base = np.abs(np.diff(fix))
    mr_base = mr_base[~np.isnan(mr_base)]
    if mr_base.size == 0:
        return None
    mean = float(np.mean(fix[~np.isnan(fix)]))
    amr = float(np.mean(mr_base))
    n_screened = 0
    if screen_outliers and amr > 0:
        kept = mr_base[mr_base < MR_SCREEN_FACTOR * amr]
        n_screened = int(mr_base.size - kept.size)
        mr_base = kept
        amr = float(np.mean(kept))
    lcl = mean - LIMIT_FACTOR * amr
    ucl = mean + LIMIT_FACTOR * amr
    obs = ~np.isnan(y)
    flags = _classify(y[obs], mean, lcl, ucl, amr)
    columns: dict[str, object] = {
        "value": y,
        "moving_range": np.concatenate([[np.nan], np.abs(np.diff(y))]),
        "in_baseline": mask & obs,
        "mean": np.full(n, mean),
        "lcl": np.full(n, lcl),
        "ucl": np.full(n, ucl),
    }
    for col, default in _FLAG_DEFAULTS.items():
        full = np.full(n, default, dtype=object if col == "special_cause_type" else None)
        full[obs] = flags[col]
        columns[col] = full
    return {
        "mean": mean,
        "mr_mean": amr,
        "lcl": lcl,
        "ucl": ucl,
        "n_baseline": int((~np.isnan(fix)).sum()),
        "n_moving_ranges": int(mr_base.size),
        "n_screened": n_screened,
        "columns": columns,
    }


def xmr(
    values: Sequence[float] | np.ndarray | pd.Series,
    *,
    baseline: int | Sequence[bool] | np.ndarray | None = None,
    screen_outliers: bool = True,
) -> XmrResult:
    """XmR chart limits and Making Data Count special-cause flags for one series.

    Parameters
    ----------
    values : array-like or pandas.Series
        Equally spaced values in time order (e.g. monthly counts); NaN = missing month.
        A Series keeps its index (e.g. a monthly PeriodIndex) in ``points``.
    baseline : int or boolean mask, optional
        Points used to compute the limits: the first ``baseline`` points (positions,
        missing ones included, like ``ptd_spc(fix_after_n_points=)``), or a boolean mask
        the length of ``values``. Default: all points. Keyword-only, as the option below.
    screen_outliers : bool, default True
        Drop baseline moving ranges ≥ 3.267 × their mean before computing limits
        (``ptd_spc`` default). Skipped when the mean moving range is 0.

    Returns
    -------
    XmrResult

    Raises
    ------
    ValueError
        Fewer than two consecutive observed points in the baseline (no moving range),
        or infinite values.

    Examples
    --------
    >>> months = pd.period_range("2023-01", periods=9, freq="M")
    >>> r = xmr(pd.Series([5, 6, 7, 8, 9, 10, 11, 8, 7], index=months))
    >>> r.points.loc[r.points["special_cause"], "special_cause_type"].unique().tolist()
    ['7 Point Trend (Increasing)']
    >>> bool(r.points["trend"].iloc[6]), bool(r.points["trend"].iloc[7])
    (True, False)
    """
    y, given_index = as_values(values)
    index = given_index if given_index is not None else pd.RangeIndex(y.size)
    n = y.size
    mask = _baseline_mask(baseline, n)

    core = _xmr_core(y, mask, screen_outliers)
    if core is None:
        raise ValueError(
            "the baseline needs at least two consecutive observed points to compute a moving range"
        )
    points = pd.DataFrame(core["columns"], index=index)
    mean, amr, lcl, ucl = core["mean"], core["mr_mean"], core["lcl"], core["ucl"]
    return XmrResult(
        mean=mean,
        mr_mean=amr,
        lcl=lcl,
        ucl=ucl,
        sigma=amr / 1.128,
        mr_ucl=MR_SCREEN_FACTOR * amr,
        n_baseline=core["n_baseline"],
        n_moving_ranges=core["n_moving_ranges"],
        n_screened=core["n_screened"],
        points=points,
        method=(
            "XmR chart, limits mean ± 2.66 × mean moving range"
            + (" (moving ranges screened at 3.267 × mean)" if screen_outliers else "")
            + "; Making Data Count rules as NHSRplotthedots"
        ),
    )


# ---------------------------------------------------------------------- variation icons
@dataclass(frozen=True)
class Variation:
    """What the latest point says, for a Making Data Count variation icon.

    Attributes
    ----------
    status : str
        ``"improvement"``, ``"concern"``, ``"neutral"`` (special cause with no good
        direction) or ``"common_cause"``.
    icon : str
        ``"common_cause"``, ``"improvement_high"``, ``"improvement_low"``,
        ``"concern_high"``, ``"concern_low"``, ``"neutral_high"`` or ``"neutral_low"``.
    special_cause_type : str or None
        The rule behind it (``"Above UCL"``, ``"7 Points Below CL"``, ...).
    value : float
        The latest observed value.
    at : object
        Its index label (e.g. the month).
    good_direction : str
        ``"up"``, ``"down"`` or ``"neutral"``.
    """

    status: str
    icon: str
    special_cause_type: str | None
    value: float
    at: object
    good_direction: str


def _good(good_direction: str | None) -> tuple[int, str]:
    key = good_direction.lower() if isinstance(good_direction, str) else good_direction
    if key not in _GOOD:
        raise ValueError(
            f"good_direction must be 'up', 'down' or 'neutral', got {good_direction!r}"
        )
    g = _GOOD[key]
    return g, {1: "up", -1: "down", 0: "neutral"}[g]


def _status(direction: int, special: bool, good: int) -> tuple[str, str]:
    if not special or direction == 0:
        return "common_cause", "common_cause"
    side = "high" if direction > 0 else "low"
    if good == 0:
        return "neutral", f"neutral_{side}"
    status = "improvement" if direction * good > 0 else "concern"
    return status, f"{status}_{side}"


def variation(result: XmrResult, good_direction: str | None) -> Variation:
    """Variation status of the latest observed point (the MDC variation icon).

    Parameters
    ----------
    result : XmrResult
        From :func:`xmr`.
    good_direction : {"down", "up", "neutral"}
        Which way is better; for crime usually ``"down"``.

    Returns
    -------
    Variation

    Examples
    --------
    >>> r = xmr([20, 22, 21, 19, 20, 21, 22, 20, 5])
    >>> v = variation(r, "down")
    >>> v.status, v.icon, v.special_cause_type
    ('improvement', 'improvement_low', 'Below LCL')
    >>> variation(r, "up").status
    'concern'
    """
    good, name = _good(good_direction)
    pts = result.points[~result.points["value"].isna()]
    if pts.empty:
        raise ValueError("the chart has no observed points")
    last = pts.iloc[-1]
    status, icon = _status(int(last["direction"]), bool(last["special_cause"]), good)
    return Variation(
        status=status,
        icon=icon,
        special_cause_type=last["special_cause_type"] if last["special_cause"] else None,
        value=float(last["value"]),
        at=pts.index[-1],
        good_direction=name,
    )


# ---------------------------------------------------------------------- many series
_POINT_COLS = [
    "moving_range",
    "in_baseline",
    "mean",
    "lcl",
    "ucl",
    "relative_to_mean",
    "close_to_limits",
    "outside_limits",
    "shift",
    "trend",
    "two_in_three",
    "special_cause",
    "special_cause_type",
    "direction",
]


def xmr_table(
    series: pd.DataFrame,
    by: Sequence[str],
    *,
    baseline_months: int | None = None,
    screen_outliers: bool = True,
) -> pd.DataFrame:
    """XmR limits and special-cause flags for every month of every series.

    Parameters
    ----------
    series : pandas.DataFrame
        Tidy monthly series ``[*by, "month", "count"]`` (``count`` NaN = missing month;
        months absent inside a series' span are treated as missing). ``count`` may hold
        any measure (a rate, a percentage); negative values are allowed here.
    by : sequence of str
        Columns identifying a series (empty for one series).
    baseline_months : int, optional
        Compute the limits from the first ``baseline_months`` months of each series
        (e.g. 24); default all months. Keyword-only, as the option below.
    screen_outliers : bool, default True
        See :func:`xmr`.

    Returns
    -------
    pandas.DataFrame
        ``[*by, "month", "count", "moving_range", "in_baseline", "mean", "lcl", "ucl",
        "relative_to_mean", "close_to_limits", "outside_limits", "shift", "trend",
        "two_in_three", "special_cause", "special_cause_type", "direction"]``. A series
        whose baseline has no moving range gets NaN limits and no flags.

    Examples
    --------
    >>> months = pd.period_range("2024-01", periods=8, freq="M")
    >>> s = pd.DataFrame({"area": ["A"] * 8, "month": months,
    ...                   "count": [10.0, 11, 9, 10, 11, 10, 9, 25]})
    >>> t = xmr_table(s, ["area"], baseline_months=7)
    >>> t.loc[t["special_cause"], ["area", "month", "count", "special_cause_type"]]
      area    month  count special_cause_type
    7    A  2024-08   25.0          Above UCL
    """
    by = list(by)
    keys, x, months, first, last = _series_matrix(series, by, allow_negative=True)
    if baseline_months is not None and int(baseline_months) < 2:
        raise ValueError(f"baseline_months must be at least 2, got {baseline_months}")
    parts: dict[str, list[np.ndarray]] = {c: [] for c in ["count", *_POINT_COLS]}
    rows: list[np.ndarray] = []
    month_idx: list[np.ndarray] = []
    for i in range(x.shape[0]):
        y = x[i, first[i] : last[i] + 1]
        n = y.size
        mask = np.ones(n, dtype=bool) if baseline_months is None else np.arange(n) < baseline_months
        core = _xmr_core(y, mask, screen_outliers)
        if core is None:
            cols: dict[str, object] = {
                "value": y,
                "moving_range": np.concatenate([[np.nan], np.abs(np.diff(y))]),
                "in_baseline": np.zeros(n, dtype=bool),
                "mean": np.full(n, np.nan),
                "lcl": np.full(n, np.nan),
                "ucl": np.full(n, np.nan),
            }
            for col, default in _FLAG_DEFAULTS.items():
                cols[col] = np.full(
                    n, default, dtype=object if col == "special_cause_type" else None
                )
        else:
            cols = core["columns"]
        parts["count"].append(np.asarray(cols["value"], dtype=float))
        for c in _POINT_COLS:
            parts[c].append(np.asarray(cols[c]))
        rows.append(np.full(n, i))
        month_idx.append(np.arange(first[i], last[i] + 1))
    row = np.concatenate(rows)
    out = keys.iloc[row].reset_index(drop=True) if by else pd.DataFrame(index=range(row.size))
    out["month"] = months[np.concatenate(month_idx)]
    for c, chunks in parts.items():
        out[c] = np.concatenate(chunks)
    for col in (
        "in_baseline",
        "close_to_limits",
        "outside_limits",
        "shift",
        "trend",
        "two_in_three",
        "special_cause",
    ):
        out[col] = out[col].astype(bool)
    for col in ("relative_to_mean", "direction"):
        out[col] = out[col].astype("int64")
    return out.loc[:, [*by, "month", "count", *_POINT_COLS]]


def variation_table(
    table: pd.DataFrame, by: Sequence[str], good_direction: str | None
) -> pd.DataFrame:
    """Latest-point variation status of every series in an :func:`xmr_table` result.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`xmr_table`.
    by : sequence of str
        Series key columns.
    good_direction : {"down", "up", "neutral"}
        Which way is better.

    Returns
    -------
    pandas.DataFrame
        ``[*by, "month", "count", "status", "icon", "special_cause_type"]``, one row per
        series (its last observed month).

    Examples
    --------
    >>> months = pd.period_range("2024-01", periods=8, freq="M")
    >>> s = pd.DataFrame({"area": ["A"] * 8, "month": months,
    ...                   "count": [10.0, 11, 9, 10, 11, 10, 9, 25]})
    >>> t = xmr_table(s, ["area"], baseline_months=7)
    >>> variation_table(t, ["area"], "down")[["area", "status", "icon"]]
      area   status          icon
    0    A  concern  concern_high
    """
    by = list(by)
    good, _ = _good(good_direction)
    obs = table[~table["count"].isna()].sort_values([*by, "month"])
    last = obs.groupby(by, observed=True, sort=True, dropna=False).tail(1) if by else obs.tail(1)
    st = [
        _status(int(d), bool(s), good)
        for d, s in zip(last["direction"], last["special_cause"], strict=True)
    ]
    out = last.loc[:, [*by, "month", "count"]].copy()
    out["status"] = [a for a, _ in st]
    out["icon"] = [b for _, b in st]
    out["special_cause_type"] = np.where(
        last["special_cause"].to_numpy(dtype=bool), last["special_cause_type"], None
    )
    return out.reset_index(drop=True)
