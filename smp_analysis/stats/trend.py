"""Monotonic trend tests and seasonal decomposition for monthly crime series.

* :func:`mann_kendall` — Mann–Kendall test with the tie correction of the variance and a
  continuity correction, as R ``trend::mk.test(x, continuity = TRUE)``::

      S      = sum_{i<j} sign(x_j - x_i)
      Var(S) = [n(n-1)(2n+5) - sum_t t(t-1)(2t+5)] / 18      (t = size of each tie group)
      z      = sign(S) (|S| - 1) / sqrt(Var(S))
      tau    = S / D,  D = sqrt([n(n-1)/2 - sum_t t(t-1)/2] * n(n-1)/2)

  with Sen's slope (median of pairwise slopes) per time step and its nonparametric
  interval (Sen 1968; Gilbert 1987, §16.5), as R ``trend::sens.slope``: with
  ``C = z_{1-α/2} sqrt(Var(S))`` and the ``N`` pairwise slopes sorted, the limits are the
  ``round((N - C)/2)``-th and ``round((N + C)/2 + 1)``-th slopes.
* :func:`seasonal_mann_kendall` — the seasonal Kendall test of Hirsch, Slack & Smith
  (1982) as R ``trend::smk.test``: S and Var(S) computed within each season (calendar
  month) and summed. It assumes seasons are independent (no covariance correction). The
  seasonal Sen slope's interval uses the within-season slopes and the summed Var(S)
  (Gilbert 1987, §17.6).
* :func:`stl_decompose` — statsmodels' robust STL, for charts.
* :func:`trend_table` — any of these over many series at once.

Missing months (NaN) are dropped from S and Var(S) but keep their true time positions,
so Sen's slope is still "per month".

Examples
--------
>>> r = mann_kendall([3, 5, 4, 6, 8, 7, 9])
>>> r.s, r.var_s, round(r.z, 4), round(r.p_value, 4), round(r.tau, 4), r.slope
(17.0, 44.333333333333336, 2.403, 0.0163, 0.8095, 1.0)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.tsa.seasonal import STL

from ._checks import as_values, check_conf_level, z_value
from ._result import Result, alias
from .periods import _series_matrix

__all__ = [
    "MannKendallResult",
    "mann_kendall",
    "seasonal_mann_kendall",
    "sen_slope",
    "stl_decompose",
    "trend_table",
]


@dataclass(frozen=True)
class MannKendallResult(Result):
    """Result of a (seasonal) Mann–Kendall trend test, with Sen's slope.

    Attributes
    ----------
    s : float
        Kendall's S (number of increasing pairs minus decreasing pairs).
    var_s : float
        Variance of S under "no trend", corrected for ties.
    z : float
        Continuity-corrected normal score ``sign(S) (|S| - 1) / sqrt(var_s)``; 0 when
        ``S`` is 0.
    p_value : float
        Two-sided p-value.
    tau : float
        Kendall's tau ``S / D``; NaN when every value is equal.
    estimate : float
        Sen's slope: median pairwise slope per time step (per month for monthly data);
        also :attr:`slope`.
    ci_low, ci_high : float
        Nonparametric interval of Sen's slope (R ``trend::sens.slope``); NaN when there
        are too few values for that confidence level.
    n : int
        Number of non-missing values used.
    conf_level : float
        Confidence level of the interval.
    method : str
        Description of the test.
    """

    s: float
    var_s: float
    z: float
    p_value: float
    tau: float
    estimate: float
    ci_low: float
    ci_high: float
    n: int
    conf_level: float
    method: str

    _estimate_name = "slope"
    slope = alias("estimate", "Sen's slope per time step.")


def _as_values(values: object) -> np.ndarray:
    return as_values(values)[0]


def _sen_interval(slopes: np.ndarray, var_s: float, conf_level: float) -> tuple[float, float]:
    """Sen's slope interval from the pairwise slopes and Var(S), as R ``trend::sens.slope``.

    ``C = z * sqrt(Var(S))``; with the ``k`` slopes sorted ascending the limits are the
    ``round((k - C) / 2)``-th and ``round((k + C) / 2 + 1)``-th (1-based; ``round`` is
    half-to-even in both R and Python). NaN where a rank falls outside ``1..k``.
    """
    d = np.sort(slopes[~np.isnan(slopes)])
    k = d.size
    if k == 0 or not np.isfinite(var_s):
        return math.nan, math.nan
    c = z_value(conf_level) * math.sqrt(max(var_s, 0.0))
    lo_rank = round((k - c) / 2)
    up_rank = round((k + c) / 2 + 1)
    lo = float(d[lo_rank - 1]) if 1 <= lo_rank <= k else math.nan
    up = float(d[up_rank - 1]) if 1 <= up_rank <= k else math.nan
    return lo, up


#: Series processed at once by the matrix core (bounds memory at ~chunk * n^2 floats).
_CHUNK = 256


def _mk_matrix(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """S, tie-corrected Var(S), tau denominator D and n for each row of ``x`` (NaN = missing).

    Ties: for each value, ``c`` = how many values in its row equal it, so that
    ``sum over values of (c-1)(2c+5)`` = ``sum over tie groups of t(t-1)(2t+5)``.
    """
    m, ncol = x.shape
    s = np.zeros(m)
    tie3 = np.zeros(m)
    tie1 = np.zeros(m)
    valid = ~np.isnan(x)
    n = valid.sum(axis=1).astype(float)
    if ncol >= 2:
        iu, ju = np.triu_indices(ncol, 1)
        for a in range(0, m, _CHUNK):
            xb = x[a : a + _CHUNK]
            with np.errstate(invalid="ignore"):
                s[a : a + _CHUNK] = np.nansum(np.sign(xb[:, ju] - xb[:, iu]), axis=1)
            c = (xb[:, :, None] == xb[:, None, :]).sum(axis=2).astype(float)
            c = np.where(valid[a : a + _CHUNK], c, 1.0)
            tie3[a : a + _CHUNK] = ((c - 1) * (2 * c + 5)).sum(axis=1)
            tie1[a : a + _CHUNK] = (c - 1).sum(axis=1)
    var = (n * (n - 1) * (2 * n + 5) - tie3) / 18.0
    n0 = n * (n - 1) / 2.0
    d = np.sqrt(np.maximum((n0 - tie1 / 2.0) * n0, 0.0))
    return s, var, d, n


def _z_p_arrays(s: np.ndarray, var: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Continuity-corrected z and two-sided p; z = 0, p = 1 when S = 0 or Var = 0."""
    ok = (s != 0) & (var > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(ok, np.sign(s) * (np.abs(s) - 1.0) / np.sqrt(var), 0.0)
    p = np.where(ok, 2 * stats.norm.sf(np.abs(z)), 1.0)
    return z, p


def _pair_slopes_matrix(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Pairwise slopes (x_j - x_i)/(t_j - t_i) for i < j per row; NaN where either is missing."""
    ncol = x.shape[1]
    if ncol < 2:
        return np.full((x.shape[0], 0), np.nan)
    iu, ju = np.triu_indices(ncol, 1)
    return (x[:, ju] - x[:, iu]) / (t[ju] - t[iu])


def _nanmedian_rows(a: np.ndarray) -> np.ndarray:
    out = np.full(a.shape[0], np.nan)
    has = ~np.isnan(a).all(axis=1) if a.shape[1] else np.zeros(a.shape[0], dtype=bool)
    if has.any():
        out[has] = np.nanmedian(a[has], axis=1)
    return out


def _mk_rows(x: np.ndarray) -> dict[str, np.ndarray]:
    """Mann-Kendall for every row of x (NaN where a row has fewer than 3 values)."""
    s, var, d, n = _mk_matrix(x)
    z, p = _z_p_arrays(s, var)
    t = np.arange(x.shape[1], dtype=float)
    slope = np.concatenate(
        [
            _nanmedian_rows(_pair_slopes_matrix(x[a : a + _CHUNK], t))
            for a in range(0, max(x.shape[0], 1), _CHUNK)
        ]
    )[: x.shape[0]]
    with np.errstate(invalid="ignore", divide="ignore"):
        tau = np.where(d > 0, s / d, np.nan)
    out = {"s": s, "var_s": var, "z": z, "p_value": p, "tau": tau, "slope": slope, "n": n}
    bad = n < 3
    for k in ("s", "var_s", "z", "p_value", "tau", "slope"):
        out[k] = np.where(bad, np.nan, out[k])
    return out


def _smk_rows(x: np.ndarray, period: int) -> dict[str, np.ndarray]:
    """Seasonal Mann-Kendall for every row of x (NaN where no season has 2 values)."""
    m, ncol = x.shape
    t = np.arange(ncol, dtype=float)
    s = np.zeros(m)
    var = np.zeros(m)
    d = np.zeros(m)
    n = np.zeros(m)
    pairs = np.zeros(m)
    slope = np.full(m, np.nan)
    for k in range(period):
        sk, vk, dk, nk = _mk_matrix(x[:, k::period])
        s += sk
        var += vk
        d += dk
        n += nk
        pairs += nk * (nk - 1) / 2
    for a in range(0, m, _CHUNK):
        xb = x[a : a + _CHUNK]
        slopes = np.concatenate(
            [_pair_slopes_matrix(xb[:, k::period], t[k::period]) for k in range(period)],
            axis=1,
        )
        slope[a : a + _CHUNK] = _nanmedian_rows(slopes)
    z, p = _z_p_arrays(s, var)
    with np.errstate(invalid="ignore", divide="ignore"):
        tau = np.where(d > 0, s / d, np.nan)
    out = {"s": s, "var_s": var, "z": z, "p_value": p, "tau": tau, "slope": slope, "n": n}
    bad = pairs == 0
    for key in ("s", "var_s", "z", "p_value", "tau", "slope"):
        out[key] = np.where(bad, np.nan, out[key])
    return out


def sen_slope(values: Sequence[float] | np.ndarray | pd.Series) -> float:
    """Sen's slope: the median of all pairwise slopes, per time step.

    Parameters
    ----------
    values : array-like
        Equally spaced observations in time order; NaN marks a missing month, which is
        skipped but keeps its place in time.

    Returns
    -------
    float
        NaN when fewer than two values are present.

    Examples
    --------
    >>> sen_slope([1, 2, float("nan"), 10])    # slopes 1, 3, 4 per step
    3.0
    """
    x = _as_values(values)
    slopes = _pair_slopes_matrix(x[None, :], np.arange(x.size, dtype=float))
    return float(_nanmedian_rows(slopes)[0])


def mann_kendall(
    values: Sequence[float] | np.ndarray | pd.Series, *, conf_level: float = 0.95
) -> MannKendallResult:
    """Mann–Kendall trend test with tie and continuity corrections, and Sen's slope.

    Parameters
    ----------
    values : array-like
        Equally spaced observations in time order (e.g. monthly counts). NaN marks a
        missing month: it is left out of S and Var(S) but keeps its time position for
        the slope.
    conf_level : float, default 0.95
        Confidence level of Sen's slope interval (keyword-only).

    Returns
    -------
    MannKendallResult
        ``estimate`` (alias ``slope``: Sen's slope) with ``ci_low``, ``ci_high``,
        ``conf_level``; the test's ``p_value``, ``s``, ``var_s``, ``z``, ``tau``.

    Raises
    ------
    ValueError
        Fewer than 3 non-missing values, or infinite values.

    Notes
    -----
    Matches R ``trend::mk.test(x, continuity = TRUE)`` (which needs complete data) for
    ``S``, ``varS``, ``z``, ``p`` and ``tau``. When every value is equal there is no
    evidence of a trend: ``z = 0``, ``p = 1``, ``tau`` NaN, slope 0. The test assumes
    no serial correlation; monthly crime counts are seasonal, so prefer
    :func:`seasonal_mann_kendall` for monthly series.

    Examples
    --------
    >>> r = mann_kendall([5, 5, 5, 5])
    >>> r.s, r.z, r.p_value, r.slope
    (0.0, 0.0, 1.0, 0.0)
    >>> r = mann_kendall([2, 3, 3, 5, 4, 4, 6])    # 21 slopes; Var(S) = 762/18
    >>> r.slope, r.ci_low, r.ci_high               # 4th and 18th smallest slopes
    (0.5, 0.0, 1.0)
    """
    conf_level = check_conf_level(conf_level)
    x = _as_values(values)
    r = _mk_rows(x[None, :])
    n = int(r["n"][0])
    if n < 3:
        raise ValueError(f"Mann-Kendall needs at least 3 non-missing values, got {n}")
    slopes = _pair_slopes_matrix(x[None, :], np.arange(x.size, dtype=float))[0]
    lo, hi = _sen_interval(slopes, float(r["var_s"][0]), conf_level)
    return MannKendallResult(
        s=float(r["s"][0]),
        var_s=float(r["var_s"][0]),
        z=float(r["z"][0]),
        p_value=float(r["p_value"][0]),
        tau=float(r["tau"][0]),
        estimate=float(r["slope"][0]),
        ci_low=lo,
        ci_high=hi,
        n=n,
        conf_level=conf_level,
        method="Mann-Kendall trend test (tie and continuity corrected), Sen's slope",
    )


def seasonal_mann_kendall(
    values: Sequence[float] | np.ndarray | pd.Series,
    *,
    period: int = 12,
    conf_level: float = 0.95,
) -> MannKendallResult:
    """Seasonal Mann–Kendall (Hirsch–Slack) test: S and Var(S) summed over seasons.

    Parameters
    ----------
    values : array-like
        Equally spaced observations in time order; position ``i`` is season
        ``i % period`` (so start the series at the first month of a season cycle if the
        season labels matter to you; the test itself does not depend on it). NaN marks a
        missing month.
    period : int, default 12
        Number of seasons (12 for monthly data); keyword-only.
    conf_level : float, default 0.95
        Confidence level of the seasonal Sen slope's interval (keyword-only).

    Returns
    -------
    MannKendallResult
        ``s`` and ``var_s`` are the sums over seasons, ``z`` is continuity corrected on
        the total, ``tau = S / sum(D_season)``, and ``estimate`` (alias ``slope``) is the
        seasonal Sen slope (median of within-season pairwise slopes) *per time step* —
        multiply by ``period`` for a change per year — with its interval ``ci_low``,
        ``ci_high`` (Gilbert 1987, §17.6). ``n`` counts non-missing values.

    Raises
    ------
    ValueError
        ``period`` < 2, or no season has 2 or more values.

    Notes
    -----
    Like R ``trend::smk.test`` (Hirsch, Slack & Smith 1982) this treats seasons as
    independent; it does not apply the Hirsch & Slack (1984) covariance correction for
    serial dependence between seasons.

    Examples
    --------
    >>> r = seasonal_mann_kendall([1, 10, 2, 12, 3, 11], period=2)
    >>> r.s, r.var_s, round(r.z, 4), r.slope
    (4.0, 7.333333333333333, 1.1078, 0.5)
    """
    conf_level = check_conf_level(conf_level)
    if int(period) != period or period < 2:
        raise ValueError(f"period must be a whole number >= 2, got {period!r}")
    period = int(period)
    x = _as_values(values)
    r = _smk_rows(x[None, :], period)
    if np.isnan(r["s"][0]):
        raise ValueError("seasonal Mann-Kendall needs at least one season with 2 or more values")
    t = np.arange(x.size, dtype=float)
    slopes = np.concatenate(
        [_pair_slopes_matrix(x[None, k::period], t[k::period])[0] for k in range(period)]
    )
    lo, hi = _sen_interval(slopes, float(r["var_s"][0]), conf_level)
    return MannKendallResult(
        s=float(r["s"][0]),
        var_s=float(r["var_s"][0]),
        z=float(r["z"][0]),
        p_value=float(r["p_value"][0]),
        tau=float(r["tau"][0]),
        estimate=float(r["slope"][0]),
        ci_low=lo,
        ci_high=hi,
        n=int(r["n"][0]),
        conf_level=conf_level,
        method=f"seasonal Mann-Kendall (Hirsch-Slack, {period} seasons), seasonal Sen slope",
    )


def stl_decompose(
    series: pd.Series | Sequence[float] | np.ndarray,
    *,
    period: int = 12,
    seasonal: int = 7,
    robust: bool = True,
    missing: str = "interpolate",
) -> pd.DataFrame:
    """Robust STL decomposition (statsmodels) of a monthly series, for charts.

    Parameters
    ----------
    series : pandas.Series or array-like
        Equally spaced values in time order (index kept, e.g. a monthly PeriodIndex).
        NaN marks a missing month.
    period : int, default 12
        Seasonal period (keyword-only, as the options below).
    seasonal : int, default 7
        Length of the seasonal smoother (odd, ≥ 7; statsmodels' default).
    robust : bool, default True
        Use STL's robust weights (downweights one-off spikes).
    missing : {"interpolate", "raise"}
        How to treat missing months. ``"interpolate"`` (default): interior gaps are
        filled by linear interpolation *before* decomposing and flagged in the
        ``interpolated`` column — the filled values are guesses, shown so a chart can
        mark them; leading and trailing missing months are dropped (the result covers
        the first to last observed month). ``"raise"``: any missing month is an error.

    Returns
    -------
    pandas.DataFrame
        Indexed like the (trimmed) input, columns ``observed`` (NaN where missing),
        ``trend``, ``seasonal``, ``resid`` and ``interpolated`` (bool).

    Raises
    ------
    ValueError
        Fewer than two full periods of data, or missing data with ``missing="raise"``.

    Examples
    --------
    >>> import numpy as np
    >>> months = pd.period_range("2021-01", periods=36, freq="M")
    >>> y = pd.Series(50 + 10 * np.sin(np.arange(36) * 2 * np.pi / 12) + np.arange(36), months)
    >>> y.iloc[5] = np.nan
    >>> out = stl_decompose(y)
    >>> list(out.columns), int(out["interpolated"].sum()), len(out)
    (['observed', 'trend', 'seasonal', 'resid', 'interpolated'], 1, 36)
    """
    if missing not in ("interpolate", "raise"):
        raise ValueError(f"missing must be 'interpolate' or 'raise', got {missing!r}")
    s = series.copy() if isinstance(series, pd.Series) else pd.Series(np.asarray(series))
    s = pd.Series(_as_values(s.to_numpy()), index=s.index)
    isna = s.isna().to_numpy()
    if isna.all():
        raise ValueError("the series has no data")
    if isna.any():
        if missing == "raise":
            raise ValueError(
                f"{int(isna.sum())} missing month(s); use missing='interpolate' to fill them"
            )
        first = int(np.argmax(~isna))
        last = len(s) - int(np.argmax(~isna[::-1]))
        s = s.iloc[first:last]
    interpolated = s.isna().to_numpy()
    filled = s.interpolate(method="linear", limit_area="inside") if interpolated.any() else s
    if len(filled) < 2 * period:
        raise ValueError(
            f"STL needs at least two full periods ({2 * period} values), got {len(filled)}"
        )
    res = STL(filled.to_numpy(dtype=float), period=period, seasonal=seasonal, robust=robust).fit()
    return pd.DataFrame(
        {
            "observed": s.to_numpy(dtype=float),
            "trend": np.asarray(res.trend),
            "seasonal": np.asarray(res.seasonal),
            "resid": np.asarray(res.resid),
            "interpolated": interpolated,
        },
        index=s.index,
    )


def trend_table(
    series: pd.DataFrame,
    by: Sequence[str],
    *,
    seasonal: bool = True,
    period: int = 12,
    fdr_alpha: float = 0.05,
) -> pd.DataFrame:
    """Mann–Kendall (seasonal by default) trend test for every series.

    Parameters
    ----------
    series : pandas.DataFrame
        Tidy monthly series ``[*by, "month", "count"]`` (``count`` NaN = missing month;
        months absent from the frame inside a series' span are treated as missing too).
    by : sequence of str
        Columns identifying a series (empty for one series).
    seasonal : bool, default True
        Use :func:`seasonal_mann_kendall` (recommended for monthly crime counts);
        otherwise :func:`mann_kendall`. This and the later options are keyword-only.
    period : int, default 12
        Seasons per year for the seasonal test.
    fdr_alpha : float, default 0.05
        False discovery rate for ``q_value``/``significant`` across series.

    Returns
    -------
    pandas.DataFrame
        ``[*by, "start", "end", "n", "months_missing", "s", "var_s", "z", "p_value",
        "tau", "slope", "q_value", "significant", "method"]``. ``slope`` is per month.
        A series too short to test gets NaN statistics and ``significant`` False.

    Examples
    --------
    >>> months = pd.period_range("2022-01", periods=36, freq="M")
    >>> s = pd.DataFrame({"crime_type": ["Drugs"] * 36, "month": months,
    ...                   "count": [10.0 + i + (i % 12) for i in range(36)]})
    >>> t = trend_table(s, ["crime_type"])
    >>> t[["crime_type", "n", "s", "slope", "significant"]]
      crime_type   n     s  slope  significant
    0      Drugs  36  36.0    1.0         True
    """
    by = list(by)
    if int(period) != period or period < 2:
        raise ValueError(f"period must be a whole number >= 2, got {period!r}")
    keys, x, months, first, last = _series_matrix(series, by)
    res = _smk_rows(x, int(period)) if seasonal else _mk_rows(x)
    cols = np.arange(x.shape[1])
    in_span = (cols[None, :] >= first[:, None]) & (cols[None, :] <= last[:, None])
    rows = keys.copy()
    rows["start"] = months[first]
    rows["end"] = months[last]
    rows["n"] = res["n"].astype("int64")
    rows["months_missing"] = (np.isnan(x) & in_span).sum(axis=1).astype("int64")
    for f in ("s", "var_s", "z", "p_value", "tau", "slope"):
        rows[f] = res[f]
    label = "seasonal Mann-Kendall" if seasonal else "Mann-Kendall"
    rows["method"] = np.where(np.isnan(res["p_value"]), None, label).astype(object)
    out = rows
    p = out["p_value"].to_numpy(dtype=float)
    q = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        q[ok] = multipletests(p[ok], alpha=fdr_alpha, method="fdr_bh")[1]
    out["q_value"] = q
    out["significant"] = np.where(ok, q <= fdr_alpha, False).astype(bool)
    cols = [
        *by,
        "start",
        "end",
        "n",
        "months_missing",
        "s",
        "var_s",
        "z",
        "p_value",
        "tau",
        "slope",
        "q_value",
        "significant",
        "method",
    ]
    return out.loc[:, cols]
