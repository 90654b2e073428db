"""Funnel-plot control limits for crude rates, by the method of PHE's funnel plots.

A funnel plot puts each area's rate against its population, with control limits around
the group's rate that narrow as the population grows. The limits follow the Fingertips
technical guidance and ``PHEindicatormethods::calculate_funnel_limits`` (statistic
``"rate"``, rate type ``"crude"``): exact Poisson limits. For a population ``n`` and a group
rate ``r`` per ``per`` residents the expected count is ``E = r n / per``; the lower limit
is the count ``x`` (a continuous value) whose exact upper confidence limit equals ``E``,
and the upper limit the count whose exact lower confidence limit equals ``E``::

    qgamma(1 - a/2, x_low + 1) = E        qgamma(a/2, x_high) = E

(``qgamma(p, k) = qchisq(p, 2k) / 2``, the Garwood limits of a count), each divided by
``n`` and multiplied by ``per``; ``a = 0.05`` gives the 95% ("2 sigma") limits and
``a = 0.002`` the 99.8% ("3 sigma") limits. An area lies outside a limit exactly when its
own exact interval at that level excludes the group rate — the significance rule of
``PHEindicatormethods::assign_funnel_significance``. PHE's code solves the same equations
by bisection on the count; here :func:`scipy.optimize.brentq` solves them per population.

Examples
--------
>>> lim = funnel_limits([10_000, 100_000], 50.0)
>>> lim[["population", "lower_95", "upper_95"]].round(3).values.tolist()
[[10000.0, 45.615, 54.479], [100000.0, 48.614, 51.396]]
>>> funnel_significance(70, 1_000, 50.0)
'high (outside 95%)'
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import optimize, stats

from ._checks import check_conf_level
from ._intervals import garwood

__all__ = ["FUNNEL_LEVELS", "funnel_limits", "funnel_significance", "funnel_table"]

#: The two levels of PHE's funnel plots: 95% ("2 sigma") and 99.8% ("3 sigma").
FUNNEL_LEVELS = (0.95, 0.998)


def _level_name(conf_level: float) -> str:
    return f"{conf_level * 100:g}".replace(".", "_")


def _count_limits(expected: float, conf_level: float) -> tuple[float, float]:
    """Continuous counts ``(x_low, x_high)`` at which ``expected`` is on the exact limit."""
    if expected <= 0:
        return 0.0, 0.0
    a = 1 - conf_level

    def lower(x: float) -> float:  # exact upper limit of x minus E: increasing in x
        return stats.gamma.ppf(1 - a / 2, x + 1) - expected

    def upper(x: float) -> float:  # exact lower limit of x minus E: increasing in x
        return stats.gamma.ppf(a / 2, x) - expected

    hi_bracket = expected + 20 * np.sqrt(expected) + 50
    x_low = 0.0 if lower(0.0) >= 0 else optimize.brentq(lower, 0.0, hi_bracket, xtol=1e-10)
    x_high = optimize.brentq(upper, 1e-12, hi_bracket, xtol=1e-10)
    return float(x_low), float(x_high)


def funnel_limits(
    population: Sequence[float] | np.ndarray | pd.Series,
    group_rate: float,
    *,
    per: float = 1000.0,
    levels: Sequence[float] = FUNNEL_LEVELS,
) -> pd.DataFrame:
    """Control limits of the rate at each population (PHE exact Poisson funnel limits).

    Parameters
    ----------
    population : sequence of float
        Populations (> 0) at which to compute the limits (e.g. a grid for the chart, or
        the areas' own populations).
    group_rate : float
        The group's rate per ``per`` residents (the centre line; ≥ 0).
    per : float, default 1000
        Rate multiplier (keyword-only).
    levels : sequence of float, default (0.95, 0.998)
        Confidence levels of the limits (keyword-only).

    Returns
    -------
    pandas.DataFrame
        ``population``, ``group_rate``, then ``lower_<level>`` and ``upper_<level>`` for
        each level (``lower_95``, ``upper_95``, ``lower_99_8``, ``upper_99_8``), in rates
        per ``per``.

    Raises
    ------
    ValueError
        A population that is not positive, or a negative or non-finite group rate.

    Examples
    --------
    >>> funnel_limits([1_000], 50.0)[["lower_99_8", "upper_99_8"]].round(3).values.tolist()
    [[29.153, 73.713]]
    """
    pop = np.asarray(population, dtype=float)
    if pop.ndim != 1 or not np.all(np.isfinite(pop)) or np.any(pop <= 0):
        raise ValueError("populations must be positive finite numbers")
    rate = float(group_rate)
    if not np.isfinite(rate) or rate < 0:
        raise ValueError(f"group_rate must be a finite number >= 0, got {group_rate!r}")
    out = pd.DataFrame({"population": pop, "group_rate": rate})
    for level in levels:
        level = check_conf_level(level)
        lims = [_count_limits(rate * n / per, level) for n in pop]
        name = _level_name(level)
        out[f"lower_{name}"] = [lo / n * per for (lo, _), n in zip(lims, pop, strict=True)]
        out[f"upper_{name}"] = [hi / n * per for (_, hi), n in zip(lims, pop, strict=True)]
    return out


def funnel_significance(
    count: float,
    population: float,
    group_rate: float,
    *,
    per: float = 1000.0,
) -> str:
    """Where an area lies on the funnel: outside the 99.8% or 95% limits, or within.

    The area's exact (Garwood) interval of its count at each level is compared with the
    expected count ``group_rate × population / per`` — the same as comparing its rate with
    :func:`funnel_limits` (``PHEindicatormethods::assign_funnel_significance``).

    Returns
    -------
    str
        ``"high (outside 99.8%)"``, ``"high (outside 95%)"``, ``"within limits"``,
        ``"low (outside 95%)"`` or ``"low (outside 99.8%)"``; ``"not assessed"`` when the
        count or population is missing.

    Examples
    --------
    >>> funnel_significance(50, 1_000, 50.0), funnel_significance(20, 1_000, 50.0)
    ('within limits', 'low (outside 99.8%)')
    """
    if pd.isna(count) or pd.isna(population) or not population > 0:
        return "not assessed"
    expected = float(group_rate) * float(population) / per
    for level in sorted(FUNNEL_LEVELS, reverse=True):
        lo, hi = garwood(np.array([float(count)]), level)
        tag = f"outside {level * 100:g}%"
        if lo[0] > expected:
            return f"high ({tag})"
        if hi[0] < expected:
            return f"low ({tag})"
    return "within limits"


def funnel_table(
    frame: pd.DataFrame,
    *,
    count: str = "count",
    population: str = "population",
    per: float = 1000.0,
    points: int = 100,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Funnel-plot data for a group of areas: the points and the limit lines.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per area with a ``count`` and a ``population`` column.
    count, population : str
        Column names (keyword-only).
    per : float, default 1000
        Rate multiplier.
    points : int, default 100
        Number of populations on the limit lines (log-spaced over the areas' range).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        ``frame`` with ``rate``, ``group_rate`` and ``funnel`` (:func:`funnel_significance`);
        and the limit lines from :func:`funnel_limits`.

    Examples
    --------
    >>> f = pd.DataFrame({"area": ["A", "B"], "count": [80, 300],
    ...                   "population": [1_000, 10_000]})
    >>> pts, lines = funnel_table(f, points=5)
    >>> pts["funnel"].tolist(), round(float(pts["group_rate"].iloc[0]), 3), len(lines)
    (['high (outside 99.8%)', 'low (outside 95%)'], 34.545, 5)
    """
    pts = frame.copy()
    ok = pts[count].notna() & pts[population].notna() & (pts[population] > 0)
    total_pop = float(pts.loc[ok, population].sum())
    group_rate = float(pts.loc[ok, count].sum()) / total_pop * per if total_pop else np.nan
    pts["rate"] = np.where(ok, pts[count] / pts[population].where(ok) * per, np.nan)
    pts["group_rate"] = group_rate
    pts["funnel"] = [
        funnel_significance(c, n, group_rate, per=per) if k else "not assessed"
        for c, n, k in zip(pts[count], pts[population], ok, strict=True)
    ]
    if not ok.any() or not np.isfinite(group_rate):
        return pts, pd.DataFrame()
    lo, hi = float(pts.loc[ok, population].min()), float(pts.loc[ok, population].max())
    grid = np.geomspace(lo * 0.8, hi * 1.2, points)
    return pts, funnel_limits(grid, group_rate, per=per)
