"""Is a change between two periods more than Poisson noise?

The headline test is the exact conditional test of two Poisson rates, identical to R's
``poisson.test(c(count1, count2), c(exposure1, exposure2))``: given the total, the first
count is binomial with ``p = exposure1 / (exposure1 + exposure2)`` under "no change", so
the two-sided p-value is ``binom.test``'s (sum of probabilities no more likely than the
one observed, relative tolerance ``1e-7``) and the interval is the Clopper–Pearson
interval for ``p`` mapped to the rate ratio by ``p / (1 - p) * exposure2 / exposure1``.

:func:`change_table` applies it to every series at once, with months of data as the
exposure (so a period with a missing month compares rates per month and is flagged),
and controls the false discovery rate across series (Benjamini–Hochberg). Percent
change never appears without the count, the ratio, its interval and the test.

Examples
--------
>>> r = rate_ratio_test(11, 800, 21, 3011)   # R ?poisson.test example
>>> round(r.rate_ratio, 6), round(r.ci_low, 7), round(r.ci_high, 7), round(r.p_value, 5)
(1.971488, 0.8584264, 4.2772659, 0.07967)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from ._checks import check_conf_level, z_value
from ._intervals import clopper_pearson as _clopper_pearson
from ._result import Result, alias
from .periods import ReportingPeriod, period_totals

__all__ = ["RateRatioResult", "ETestResult", "rate_ratio_test", "e_test", "change_table"]

#: R's binom.test treats probabilities within this relative tolerance as equal.
_R_REL_ERR = 1 + 1e-7


# ---------------------------------------------------------------------- exact binomial core
def _binom_minlike_pvalue(x: np.ndarray, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Two-sided binomial p-value exactly as R's ``binom.test`` computes it (vectorised).

    Sum of the probabilities of all outcomes no more likely than ``x`` (with R's
    relative tolerance). The other tail is found by bisection, which is exact because
    the binomial pmf is monotone on each side of ``n * p``.
    """
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    p = np.asarray(p, dtype=float)
    x, n, p = np.broadcast_arrays(x, n, p)
    out = np.full(x.shape, np.nan)
    m = n * p
    d = stats.binom.pmf(x, n, p) * _R_REL_ERR

    deg0 = p == 0
    deg1 = p == 1
    out[deg0] = (x[deg0] == 0).astype(float)
    out[deg1] = (x[deg1] == n[deg1]).astype(float)
    reg = ~(deg0 | deg1)
    out[reg & (x == m)] = 1.0

    # x below the expected count: other tail is [j, n], j = first i >= ceil(m) with pmf <= d
    lo_mask = reg & (x < m)
    if lo_mask.any():
        nn, pp, mm, dd, xx = n[lo_mask], p[lo_mask], m[lo_mask], d[lo_mask], x[lo_mask]
        lo = np.ceil(mm)  # candidate range [lo, hi]; hi = n + 1 means "none"
        hi = nn + 1
        while True:
            active = lo < hi
            if not active.any():
                break
            mid = np.floor((lo + hi) / 2)
            ok = stats.binom.pmf(mid, nn, pp) <= dd
            hi = np.where(active & ok, mid, hi)
            lo = np.where(active & ~ok, mid + 1, lo)
        j = lo
        out[lo_mask] = stats.binom.cdf(xx, nn, pp) + stats.binom.sf(j - 1, nn, pp)

    # x above the expected count: other tail is [0, j], j = last i <= floor(m) with pmf <= d
    hi_mask = reg & (x > m)
    if hi_mask.any():
        nn, pp, mm, dd, xx = n[hi_mask], p[hi_mask], m[hi_mask], d[hi_mask], x[hi_mask]
        lo = np.full(nn.shape, -1.0)  # candidate range [lo, hi]; lo = -1 means "none"
        hi = np.floor(mm)
        while True:
            active = lo < hi
            if not active.any():
                break
            mid = np.ceil((lo + hi) / 2)
            ok = stats.binom.pmf(mid, nn, pp) <= dd
            lo = np.where(active & ok, mid, lo)
            hi = np.where(active & ~ok, mid - 1, hi)
        j = lo
        lower = np.where(j >= 0, stats.binom.cdf(j, nn, pp), 0.0)
        out[hi_mask] = lower + stats.binom.sf(xx - 1, nn, pp)
    return np.minimum(1.0, out)


def _rate_ratio_arrays(
    count1: np.ndarray,
    exposure1: np.ndarray,
    count2: np.ndarray,
    exposure2: np.ndarray,
    conf_level: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised R ``poisson.test`` two-sample: (rate_ratio, ci_low, ci_high, p_value).

    Rows with both counts zero (R stops with an error) get ratio NaN, interval
    (0, inf) and p-value 1. Rows with a NaN input get NaN everywhere.
    """
    c1 = np.asarray(count1, dtype=float)
    c2 = np.asarray(count2, dtype=float)
    e1 = np.asarray(exposure1, dtype=float)
    e2 = np.asarray(exposure2, dtype=float)
    c1, c2, e1, e2 = np.broadcast_arrays(c1, c2, e1, e2)
    shape = c1.shape
    ratio = np.full(shape, np.nan)
    low = np.full(shape, np.nan)
    high = np.full(shape, np.nan)
    pval = np.full(shape, np.nan)

    valid = ~(np.isnan(c1) | np.isnan(c2) | np.isnan(e1) | np.isnan(e2))
    n = c1 + c2
    both_zero = valid & (n == 0)
    low[both_zero], high[both_zero], pval[both_zero] = 0.0, np.inf, 1.0
    ok = valid & (n > 0)
    if ok.any():
        x, nn = c1[ok], n[ok]
        t1, t2 = e1[ok], e2[ok]
        p = t1 / (t1 + t2)  # R: r * T[1] / (r * T[1] + T[2]) with r = 1
        pval[ok] = _binom_minlike_pvalue(x, nn, p)
        pl, ph = _clopper_pearson(x, nn, conf_level)
        with np.errstate(divide="ignore", invalid="ignore"):
            low[ok] = pl / (1 - pl) * t2 / t1
            high[ok] = np.where(ph < 1, ph / (1 - ph) * t2 / t1, np.inf)
            ratio[ok] = np.where(
                c2[ok] > 0, (x / t1) / (c2[ok] / t2), np.where(x > 0, np.inf, np.nan)
            )
    return ratio, low, high, pval


def _check_count(name: str, value: float) -> float:
    v = float(value)
    if math.isnan(v) or math.isinf(v):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if v < 0:
        raise ValueError(f"{name} must not be negative, got {value!r}")
    if abs(v - round(v)) > 1e-7:
        raise ValueError(f"{name} must be a whole number of events, got {value!r}")
    return float(round(v))


def _check_exposure(name: str, value: float) -> float:
    v = float(value)
    if not (v > 0) or math.isinf(v):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return v


# ---------------------------------------------------------------------- single tests
@dataclass(frozen=True)
class RateRatioResult(Result):
    """Exact conditional comparison of two Poisson rates (R ``poisson.test``).

    Attributes
    ----------
    estimate : float
        The rate ratio ``(count1 / exposure1) / (count2 / exposure2)``; ``inf`` when
        ``count2`` is 0, NaN when both counts are 0. Also :attr:`rate_ratio`.
    ci_low, ci_high : float
        Exact interval for the rate ratio (0 and ``inf`` where unbounded).
    p_value : float
        Two-sided p-value of "the rates are equal".
    count1, exposure1, count2, exposure2 : float
        The inputs.
    expected_count1 : float
        ``count1`` expected under equal rates (R's ``parameter``).
    conf_level : float
        Confidence level of the interval.
    method : str
        Description of the method.
    """

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    count1: float
    exposure1: float
    count2: float
    exposure2: float
    expected_count1: float
    conf_level: float
    method: str

    _estimate_name = "rate_ratio"
    rate_ratio = alias("estimate", "The rate ratio.")

    @property
    def pct_change(self) -> float:
        """Percent change of the rate, ``100 * (rate_ratio - 1)`` (``50.0`` = +50%).

        The same number as :func:`change_table`'s ``pct_change`` column.
        """
        return 100.0 * (self.estimate - 1.0)


def rate_ratio_test(
    count1: float,
    exposure1: float,
    count2: float,
    exposure2: float,
    *,
    conf_level: float = 0.95,
) -> RateRatioResult:
    """Exact test that two Poisson rates are equal, with the rate ratio and its interval.

    Same numbers as R's ``poisson.test(c(count1, count2), c(exposure1, exposure2),
    conf.level = conf_level)``.

    Parameters
    ----------
    count1, count2 : float
        Event counts (whole numbers ≥ 0); ``count1`` is the numerator (e.g. the current
        period).
    exposure1, exposure2 : float
        Exposure of each count (> 0): months of data, person-years, population.
    conf_level : float, default 0.95
        Confidence level of the interval (keyword-only).

    Returns
    -------
    RateRatioResult
        ``estimate`` (alias ``rate_ratio``), ``ci_low``, ``ci_high``, ``conf_level``,
        ``p_value``, ``method``; :meth:`~RateRatioResult.to_frame` for a one-row frame.

    Raises
    ------
    ValueError
        For negative or fractional counts, or non-positive exposures.

    Notes
    -----
    Zero counts follow R: ``count1 = 0`` gives ratio 0 and lower bound 0; ``count2 = 0``
    gives ratio ``inf`` and upper bound ``inf``. When both counts are 0 R stops with an
    error; here the ratio is NaN, the interval (0, inf) and the p-value 1 (no evidence of
    any difference), so tables over many small series still work.

    Examples
    --------
    >>> r = rate_ratio_test(2, 5, 13, 5)
    >>> round(r.rate_ratio, 7), round(r.ci_low, 8), round(r.ci_high, 8), round(r.p_value, 6)
    (0.1538462, 0.01685531, 0.67955077, 0.007385)
    >>> rate_ratio_test(0, 12, 5, 12).rate_ratio, rate_ratio_test(5, 12, 0, 12).ci_high
    (0.0, inf)
    >>> rate_ratio_test(30, 12, 20, 12).to_frame()[["estimate", "p_value", "count1"]].round(3)
       estimate  p_value  count1
    0       1.5    0.203    30.0
    """
    conf_level = check_conf_level(conf_level)
    c1 = _check_count("count1", count1)
    c2 = _check_count("count2", count2)
    e1 = _check_exposure("exposure1", exposure1)
    e2 = _check_exposure("exposure2", exposure2)
    ratio, low, high, pval = _rate_ratio_arrays(
        np.array([c1]), np.array([e1]), np.array([c2]), np.array([e2]), conf_level
    )
    return RateRatioResult(
        estimate=float(ratio[0]),
        ci_low=float(low[0]),
        ci_high=float(high[0]),
        p_value=float(pval[0]),
        count1=c1,
        exposure1=e1,
        count2=c2,
        exposure2=e2,
        expected_count1=(c1 + c2) * e1 / (e1 + e2),
        conf_level=conf_level,
        method="exact conditional Poisson test (R poisson.test)",
    )


@dataclass(frozen=True)
class ETestResult(Result):
    """Square-root (variance-stabilised) Poisson z-score of a count against history.

    Attributes
    ----------
    estimate : float
        The z-score ``2 * (sqrt(current) - sqrt(historical))``; also :attr:`z`.
    ci_low, ci_high : float
        ``estimate ∓ z_{1-α/2}``: Wald interval of the variance-stabilised difference
        ``2 * (sqrt(mu) - sqrt(historical))``, ``mu`` the current Poisson mean (``2 *
        sqrt(count)`` has variance close to 1). It excludes 0 exactly when ``p_value <
        1 - conf_level``.
    p_value : float
        Two-sided normal p-value of ``z``.
    current, historical : float
        The inputs (``historical`` may be an average, so need not be whole).
    conf_level : float
        Confidence level of the interval.
    method : str
        Description of the method.
    """

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    current: float
    historical: float
    conf_level: float
    method: str

    _estimate_name = "z"
    z = alias("estimate", "The z-score.")


def e_test(current: float, historical: float, *, conf_level: float = 0.95) -> ETestResult:
    """Wheeler's Poisson z-score for "is this count unusual against the usual level?".

    ``z = 2 * (sqrt(current) - sqrt(historical))`` is approximately standard normal when
    both are Poisson with the same mean (the square root stabilises the variance).
    Wheeler suggests flagging ``|z| >= 3`` when scanning many series.

    Parameters
    ----------
    current : float
        Count in the current period (≥ 0).
    historical : float
        Historical level for a period of the same length, e.g. the mean monthly count
        over the previous year (≥ 0; may be fractional).
    conf_level : float, default 0.95
        Confidence level of the interval ``z ∓ z_{1-α/2}`` (keyword-only).

    Returns
    -------
    ETestResult

    Notes
    -----
    Wheeler's blog post (andrewpwheeler.com, 2018-04-29, "Testing changes in short run
    crime patterns: The Poisson e-test") calls this his "Poisson Z-score" and uses the
    name "e-test" for the Krishnamoorthy–Thomson E-test it is compared with; the name
    here follows this project's brief. The z-score ignores the uncertainty in
    ``historical``: prefer :func:`rate_ratio_test` when both periods are counts.

    Examples
    --------
    >>> r = e_test(25, 16)       # Wheeler's example: 16 robberies a month on average, now 25
    >>> r.z, round(r.p_value, 4), round(r.ci_low, 3), round(r.ci_high, 3)
    (2.0, 0.0455, 0.04, 3.96)
    """
    conf_level = check_conf_level(conf_level)
    cur = float(current)
    hist = float(historical)
    for name, v in (("current", cur), ("historical", hist)):
        if math.isnan(v) or math.isinf(v):
            raise ValueError(f"{name} must be a finite number, got {v!r}")
        if v < 0:
            raise ValueError(f"{name} must not be negative, got {v!r}")
    z = 2.0 * (math.sqrt(cur) - math.sqrt(hist))
    p = float(2 * stats.norm.sf(abs(z)))
    q = z_value(conf_level)
    return ETestResult(
        estimate=z,
        ci_low=z - q,
        ci_high=z + q,
        p_value=p,
        current=cur,
        historical=hist,
        conf_level=conf_level,
        method="Poisson square-root z-score 2*(sqrt(current) - sqrt(historical)) (Wheeler 2018)",
    )


# ---------------------------------------------------------------------- many series
def _as_periods(p: ReportingPeriod | Sequence[ReportingPeriod]) -> list[ReportingPeriod]:
    if isinstance(p, ReportingPeriod):
        return [p]
    out = list(p)
    if not out or not all(isinstance(x, ReportingPeriod) for x in out):
        raise ValueError("periods must be a ReportingPeriod or a non-empty sequence of them")
    return out


def _pooled_totals(
    series: pd.DataFrame, periods: list[ReportingPeriod], by: list[str]
) -> pd.DataFrame:
    """Totals over one period, or pooled over several (counts and months added up)."""
    t = period_totals(series, periods, by)
    if len(periods) == 1:
        return t
    if by:
        g = t.groupby(by, observed=True, sort=False, dropna=False)
        out = g.agg(
            count=("count", lambda s: s.sum(min_count=1)),
            months_expected=("months_expected", "sum"),
            months_present=("months_present", "sum"),
        ).reset_index()
    else:
        out = pd.DataFrame(
            {
                "count": [t["count"].sum(min_count=1)],
                "months_expected": [int(t["months_expected"].sum())],
                "months_present": [int(t["months_present"].sum())],
            }
        )
    out["complete"] = out["months_present"] == out["months_expected"]
    return out


def change_table(
    series: pd.DataFrame,
    by: Sequence[str],
    current: ReportingPeriod,
    baseline: ReportingPeriod | Sequence[ReportingPeriod],
    *,
    conf_level: float = 0.95,
    fdr_alpha: float = 0.05,
) -> pd.DataFrame:
    """Change between two periods for every series, with exact tests and FDR control.

    Parameters
    ----------
    series : pandas.DataFrame
        Tidy monthly series ``[*by, "month", "count"]`` (``count`` NaN = missing month).
    by : sequence of str
        Columns identifying a series (empty for one series).
    current : ReportingPeriod
        The period of interest (numerator of the rate ratio).
    baseline : ReportingPeriod or sequence of ReportingPeriod
        The comparison period; several periods (e.g. :func:`three_year_baseline`) are
        pooled, so the test compares the current rate with their average rate.
    conf_level : float, default 0.95
        Confidence level of the rate-ratio interval (keyword-only, as ``fdr_alpha``).
    fdr_alpha : float, default 0.05
        False discovery rate for ``significant`` (Benjamini–Hochberg over all series
        that could be tested).

    Returns
    -------
    pandas.DataFrame
        One row per series: ``[*by, "count_baseline", "count_current",
        "months_baseline", "months_current", "change", "pct_change", "rate_ratio",
        "ci_low", "ci_high", "p_value", "q_value", "significant", "complete",
        "current_period", "baseline_period"]``.

        The exposure of each period is its number of months with data, so the rate
        ratio compares counts per month. ``change`` and ``pct_change`` are on the same
        footing: ``change = count_current - count_baseline * months_current /
        months_baseline`` and ``pct_change = 100 * (rate_ratio - 1)`` (in percent, as
        every ``pct_change`` of this package). When both periods
        are complete and the same length (the normal case) they are the plain difference
        and percentage change of the counts. ``complete`` is False when either period
        lacks a month; ``pct_change`` is ``inf`` from a zero baseline. A series with no
        data in either period is not tested (NaN) and never ``significant``.

    Examples
    --------
    >>> months = pd.period_range("2023-04", "2025-03", freq="M")
    >>> s = pd.DataFrame({
    ...     "crime_type": ["Burglary"] * 24 + ["Robbery"] * 24,
    ...     "month": list(months) * 2,
    ...     "count": [10.0] * 12 + [15.0] * 12 + [2.0] * 12 + [2.0] * 11 + [float("nan")],
    ... })
    >>> from smp_analysis.stats.periods import financial_year
    >>> t = change_table(s, ["crime_type"], financial_year("2024/25"), financial_year("2023/24"))
    >>> t[["crime_type", "count_baseline", "count_current", "change", "pct_change"]]
      crime_type  count_baseline  count_current  change  pct_change
    0   Burglary           120.0          180.0    60.0        50.0
    1    Robbery            24.0           22.0     0.0         0.0
    >>> t[["crime_type", "significant", "complete"]].to_dict("records")
    [{'crime_type': 'Burglary', 'significant': True, 'complete': True}, \
{'crime_type': 'Robbery', 'significant': False, 'complete': False}]
    """
    conf_level = check_conf_level(conf_level)
    if not (0 < fdr_alpha < 1):
        raise ValueError(f"fdr_alpha must be between 0 and 1, got {fdr_alpha}")
    by = list(by)
    cur_periods = _as_periods(current)
    base_periods = _as_periods(baseline)
    cur_months = set().union(*(set(p.months) for p in cur_periods))
    base_months = set().union(*(set(p.months) for p in base_periods))
    if cur_months & base_months:
        raise ValueError("the current and baseline periods overlap")

    cur = _pooled_totals(series, cur_periods, by)
    base = _pooled_totals(series, base_periods, by)
    cur = cur.rename(
        columns={
            "count": "count_current",
            "months_present": "months_current",
            "complete": "_complete_current",
        }
    ).drop(columns=["months_expected"] + (["period"] if "period" in cur.columns else []))
    base = base.rename(
        columns={
            "count": "count_baseline",
            "months_present": "months_baseline",
            "complete": "_complete_baseline",
        }
    ).drop(columns=["months_expected"] + (["period"] if "period" in base.columns else []))
    if by:
        df = base.merge(cur, on=by, how="outer", sort=False)
    else:
        df = pd.concat([base.reset_index(drop=True), cur.reset_index(drop=True)], axis=1)

    c_cur = df["count_current"].to_numpy(dtype=float)
    c_base = df["count_baseline"].to_numpy(dtype=float)
    m_cur = df["months_current"].to_numpy(dtype=float)
    m_base = df["months_baseline"].to_numpy(dtype=float)
    testable = (m_cur > 0) & (m_base > 0)
    if np.any(
        testable
        & ((np.abs(c_cur - np.round(c_cur)) > 1e-7) | (np.abs(c_base - np.round(c_base)) > 1e-7))
    ):
        raise ValueError("counts must be whole numbers for an exact Poisson test")
    nan = np.nan
    ratio, low, high, pval = _rate_ratio_arrays(
        np.where(testable, c_cur, nan),
        np.where(testable, m_cur, nan),
        np.where(testable, c_base, nan),
        np.where(testable, m_base, nan),
        conf_level,
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled_base = np.where(testable, c_base * m_cur / m_base, nan)
    change = np.where(testable, c_cur - scaled_base, nan)
    pct = 100.0 * (ratio - 1.0)

    qval = np.full(len(df), np.nan)
    finite = ~np.isnan(pval)
    if finite.any():
        qval[finite] = multipletests(pval[finite], alpha=fdr_alpha, method="fdr_bh")[1]

    out = df[by].copy() if by else pd.DataFrame(index=df.index)
    out["count_baseline"] = c_base
    out["count_current"] = c_cur
    out["months_baseline"] = df["months_baseline"].astype("int64").to_numpy()
    out["months_current"] = df["months_current"].astype("int64").to_numpy()
    out["change"] = change
    out["pct_change"] = pct
    out["rate_ratio"] = ratio
    out["ci_low"] = low
    out["ci_high"] = high
    out["p_value"] = pval
    out["q_value"] = qval
    out["significant"] = np.where(finite, qval <= fdr_alpha, False).astype(bool)
    out["complete"] = (df["_complete_current"] & df["_complete_baseline"]).astype(bool).to_numpy()
    out["current_period"] = " + ".join(p.label for p in cur_periods)
    out["baseline_period"] = " + ".join(p.label for p in base_periods)
    return out.reset_index(drop=True)
