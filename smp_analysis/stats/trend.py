"""Monotonic trend tests and seasonal decomposition for monthly crime series.

* :func:`mann_kendall` — Mann–Kendall test with the tie correction of the variance and a
  continuity correction, as R ``trend::mk.test(x, continuity = TRUE)``::

      S      = sum_{i<j} sign(x_j - x_i)
      Var(S) = [n(n-1)(2n+5) - sum_t t(t-1)(2t+5)] / 18      (t = size of each tie group)
      z      = sign(S) (|S| - 1) / sqrt(Var(S))
      tau    = S / D,  D = sqrt([n(n-1)/2 - sum_t t(t-1)/2] * n(n-1)/2)

  with Sen's slope (median of pairwise slopes) per time step.
* :func:`seasonal_mann_kendall` — the seasonal Kendall test of Hirsch, Slack & Smith
  (1982) as R ``trend::smk.test``: S and Var(S) computed within each season (calendar
  month) and summed. It assumes seasons are independent (no covariance correction).
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

__all__ = [
    "MannKendallResult",
    "mann_kendall",
    "seasonal_mann_kendall",
    "sen_slope",
    "stl_decompose",
    "trend_table",
]


@dataclass(frozen=True)
class MannKendallResult:
    """Result of a (seasonal) Mann–Kendall trend test.

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
    slope : float
        Sen's slope: median pairwise slope per time step (per month for monthly data).
    n : int
        Number of non-missing values used.
    method : str
        Description of the test.
    """

    s: float
    var_s: float
    z: float
    p_value: float
    tau: float
    slope: float
    n: int
    method: str

    @property
    def estimate(self) -> float:
        """Alias of :attr:`slope`."""
        return self.slope


def _as_values(values: object) -> np.ndarray:
    x = np.asarray(values, dtype=float)
    if x.ndim != 1:
        raise ValueError("values must be one-dimensional")
    if np.isinf(x).any():
        raise ValueError("values must be finite numbers or NaN (missing)")
    return x


def _s_var_d(x: np.ndarray) -> tuple[float, float, float, int]:
    """S, tie-corrected Var(S), tau denominator D and n for the non-missing values of x."""
    v = x[~np.isnan(x)]
    n = v.size
    if n < 2:
        return 0.0, 0.0, 0.0, n
    diff = v[None, :] - v[:, None]
    s = float(np.sign(diff[np.triu_indices(n, 1)]).sum())
    _, t = np.unique(v, return_counts=True)
    var = (n * (n - 1) * (2 * n + 5) - float(np.sum(t * (t - 1) * (2 * t + 5)))) / 18.0
    n0 = n * (n - 1) / 2.0
    d = math.sqrt((n0 - float(np.sum(t * (t - 1))) / 2.0) * n0)
    return s, var, d, n


def _z_p(s: float, var: float) -> tuple[float, float]:
    if s == 0 or var <= 0:
        return 0.0, 1.0
    z = math.copysign(abs(s) - 1.0, s) / math.sqrt(var)
    return z, float(2 * stats.norm.sf(abs(z)))


def _pair_slopes(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    ok = ~np.isnan(x)
    v, tt = x[ok], t[ok]
    if v.size < 2:
        return np.array([])
    i, j = np.triu_indices(v.size, 1)
    return (v[j] - v[i]) / (tt[j] - tt[i])


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
    slopes = _pair_slopes(x, np.arange(x.size, dtype=float))
    return float(np.median(slopes)) if slopes.size else float("nan")


def mann_kendall(values: Sequence[float] | np.ndarray | pd.Series) -> MannKendallResult:
    """Mann–Kendall trend test with tie and continuity corrections, and Sen's slope.

    Parameters
    ----------
    values : array-like
        Equally spaced observations in time order (e.g. monthly counts). NaN marks a
        missing month: it is left out of S and Var(S) but keeps its time position for
        the slope.

    Returns
    -------
    MannKendallResult

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
    """
    x = _as_values(values)
    s, var, d, n = _s_var_d(x)
    if n < 3:
        raise ValueError(f"Mann-Kendall needs at least 3 non-missing values, got {n}")
    z, p = _z_p(s, var)
    slopes = _pair_slopes(x, np.arange(x.size, dtype=float))
    return MannKendallResult(
        s=s,
        var_s=var,
        z=z,
        p_value=p,
        tau=s / d if d > 0 else float("nan"),
        slope=float(np.median(slopes)),
        n=n,
        method="Mann-Kendall trend test (tie and continuity corrected), Sen's slope",
    )


def seasonal_mann_kendall(
    values: Sequence[float] | np.ndarray | pd.Series, period: int = 12
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
        Number of seasons (12 for monthly data).

    Returns
    -------
    MannKendallResult
        ``s`` and ``var_s`` are the sums over seasons, ``z`` is continuity corrected on
        the total, ``tau = S / sum(D_season)``, and ``slope`` is the seasonal Sen slope
        (median of within-season pairwise slopes) *per time step* — multiply by
        ``period`` for a change per year. ``n`` counts non-missing values.

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
    if int(period) != period or period < 2:
        raise ValueError(f"period must be a whole number >= 2, got {period!r}")
    period = int(period)
    x = _as_values(values)
    t = np.arange(x.size, dtype=float)
    s_tot = var_tot = d_tot = 0.0
    n_tot = 0
    slopes = []
    pairs = 0
    for k in range(period):
        xs = x[k::period]
        s, var, d, n = _s_var_d(xs)
        s_tot += s
        var_tot += var
        d_tot += d
        n_tot += n
        pairs += n * (n - 1) // 2
        slopes.append(_pair_slopes(xs, t[k::period]))
    if pairs == 0:
        raise ValueError("seasonal Mann-Kendall needs at least one season with 2 or more values")
    z, p = _z_p(s_tot, var_tot)
    allslopes = np.concatenate(slopes)
    return MannKendallResult(
        s=s_tot,
        var_s=var_tot,
        z=z,
        p_value=p,
        tau=s_tot / d_tot if d_tot > 0 else float("nan"),
        slope=float(np.median(allslopes)),
        n=n_tot,
        method=f"seasonal Mann-Kendall (Hirsch-Slack, {period} seasons), seasonal Sen slope",
    )


def stl_decompose(
    series: pd.Series | Sequence[float] | np.ndarray,
    period: int = 12,
    *,
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
        Seasonal period.
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


def _contiguous(group: pd.DataFrame) -> np.ndarray:
    """Counts of one series on the full month range (absent rows become NaN)."""
    g = group.sort_values("month")
    months = pd.PeriodIndex(g["month"], freq="M")
    full = pd.period_range(months.min(), months.max(), freq="M")
    return pd.Series(g["count"].to_numpy(dtype=float), index=months).reindex(full).to_numpy()


def trend_table(
    series: pd.DataFrame,
    by: Sequence[str],
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
        otherwise :func:`mann_kendall`.
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
    need = [*by, "month", "count"]
    missing_cols = [c for c in need if c not in series.columns]
    if missing_cols:
        raise ValueError(f"series frame lacks columns {missing_cols}")
    df = series.loc[:, need].copy()
    if not isinstance(df["month"].dtype, pd.PeriodDtype):
        df["month"] = pd.PeriodIndex(df["month"], freq="M")
    if (pd.to_numeric(df["count"]) < 0).any():
        raise ValueError("counts must not be negative")
    if df.duplicated([*by, "month"]).any():
        raise ValueError("series has more than one row for some month")
    groups = df.groupby(by, observed=True, sort=True, dropna=False) if by else [((), df)]
    rows = []
    for key, g in groups:
        key = key if isinstance(key, tuple) else (key,)
        x = _contiguous(g)
        row: dict[str, object] = dict(zip(by, key, strict=True))
        row["start"] = g["month"].min()
        row["end"] = g["month"].max()
        row["n"] = int((~np.isnan(x)).sum())
        row["months_missing"] = int(np.isnan(x).sum())
        try:
            r = seasonal_mann_kendall(x, period) if seasonal else mann_kendall(x)
        except ValueError:
            r = None
        for f in ("s", "var_s", "z", "p_value", "tau", "slope"):
            row[f] = float("nan") if r is None else getattr(r, f)
        row["method"] = (
            None if r is None else ("seasonal Mann-Kendall" if seasonal else "Mann-Kendall")
        )
        rows.append(row)
    out = pd.DataFrame(rows)
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
