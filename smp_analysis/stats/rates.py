"""Crude rates per 1,000 residents with the intervals Public Health England uses.

:func:`poisson_ci` is the exact (Garwood) interval of R's ``poisson.test(x, T)``.
:func:`rate_ci` and :func:`rate_table` follow ``PHEindicatormethods::phe_rate``: the exact
Poisson interval below 10 events and Byar's approximation from 10 events::

    lower = O (1 - 1/(9 O) - z / (3 sqrt(O)))^3
    upper = (O + 1) (1 - 1/(9 (O + 1)) + z / (3 sqrt(O + 1)))^3

each divided by the exposure (the population) and multiplied by ``per``.

Examples
--------
>>> r = rate_ci(65, 10_000)
>>> r.rate, round(r.ci_low, 4), round(r.ci_high, 4), r.method
(6.5, 5.0163, 8.2849, 'byar')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._checks import check_conf_level, z_value
from ._intervals import garwood
from ._result import Result, alias, renamed_parameters

__all__ = [
    "PoissonInterval",
    "RateResult",
    "poisson_ci",
    "rate_ci",
    "rate_table",
    "BYAR_MIN_COUNT",
]

#: Counts from this value up use Byar's approximation; below it the exact interval (PHE).
BYAR_MIN_COUNT = 10


def _byar(count: np.ndarray, conf_level: float) -> tuple[np.ndarray, np.ndarray]:
    """Byar's limits for the mean (PHEindicatormethods ``byars_lower``/``byars_upper``)."""
    z = z_value(conf_level)
    o = np.asarray(count, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
        high = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
    return low, high


def _phe_limits(count: np.ndarray, conf_level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """PHE limits for the mean count and the method used per element."""
    x = np.asarray(count, dtype=float)
    el, eh = garwood(x, conf_level)
    bl, bh = _byar(np.where(x >= BYAR_MIN_COUNT, x, BYAR_MIN_COUNT), conf_level)
    use_byar = x >= BYAR_MIN_COUNT
    low = np.where(use_byar, bl, el)
    high = np.where(use_byar, bh, eh)
    method = np.where(np.isnan(x), None, np.where(use_byar, "byar", "exact")).astype(object)
    return low, high, method


def _check_count(count: float) -> float:
    x = float(count)
    if math.isnan(x) or math.isinf(x) or x < 0:
        raise ValueError(f"count must be a finite number >= 0, got {count!r}")
    return x


def _check_exposure(exposure: float, name: str = "exposure") -> float:
    t = float(exposure)
    if not (t > 0) or math.isinf(t):
        raise ValueError(f"{name} must be a positive finite number, got {exposure!r}")
    return t


@dataclass(frozen=True)
class PoissonInterval(Result):
    """Exact interval for a Poisson count or rate.

    Attributes
    ----------
    estimate : float
        ``count / exposure``; also :attr:`rate`.
    ci_low, ci_high : float
        Exact (Garwood) limits.
    count, exposure, conf_level : float
        The inputs.
    method : str
        Description of the method.
    """

    estimate: float
    ci_low: float
    ci_high: float
    count: float
    exposure: float
    conf_level: float
    method: str

    _estimate_name = "rate"
    rate = alias("estimate", "The rate ``count / exposure``.")


def poisson_ci(count: float, exposure: float = 1.0, *, conf_level: float = 0.95) -> PoissonInterval:
    """Exact (Garwood) interval for a Poisson count, as R's ``poisson.test(count, exposure)``.

    Parameters
    ----------
    count : float
        Number of events (≥ 0).
    exposure : float, default 1
        Time base; the interval is for ``count / exposure``.
    conf_level : float, default 0.95
        Confidence level (keyword-only).

    Returns
    -------
    PoissonInterval
        Lower limit 0 when ``count`` is 0.

    Examples
    --------
    >>> r = poisson_ci(137, exposure=24.19893)    # R ?poisson.test: Welsh nickel workers
    >>> round(r.estimate, 6), round(r.ci_low, 6), round(r.ci_high, 6)
    (5.661407, 4.753125, 6.692709)
    >>> r = poisson_ci(0)
    >>> r.ci_low, round(r.ci_high, 6)
    (0.0, 3.688879)
    """
    conf_level = check_conf_level(conf_level)
    x = _check_count(count)
    t = _check_exposure(exposure)
    low, high = garwood(x, conf_level)
    return PoissonInterval(
        estimate=x / t,
        ci_low=float(low[0]) / t,
        ci_high=float(high[0]) / t,
        count=x,
        exposure=t,
        conf_level=conf_level,
        method="exact Poisson (Garwood) interval, as R poisson.test",
    )


@dataclass(frozen=True)
class RateResult(Result):
    """A crude rate per ``per`` of the exposure (population) with its PHE interval.

    Attributes
    ----------
    estimate : float
        ``count / exposure * per``; also :attr:`rate`.
    ci_low, ci_high : float
        Interval limits on the same scale.
    count, exposure, per : float
        The inputs (``exposure`` also as :attr:`population`).
    method : str
        ``"exact"`` (count below 10) or ``"byar"``.
    conf_level : float
        Confidence level.
    """

    estimate: float
    ci_low: float
    ci_high: float
    count: float
    exposure: float
    per: float
    method: str
    conf_level: float = 0.95

    _estimate_name = "rate"
    rate = alias("estimate", "The rate per ``per``.")
    population = alias("exposure", "The population the rate is per.")


@renamed_parameters(population="exposure")
def rate_ci(
    count: float, exposure: float, *, per: float = 1000, conf_level: float = 0.95
) -> RateResult:
    """Crude rate with the PHE interval (exact below 10 events, Byar's from 10).

    Parameters
    ----------
    count : float
        Number of events (≥ 0).
    exposure : float
        Population (> 0), e.g. usual residents or households (formerly ``population``).
    per : float, default 1000
        Rate multiplier (crimes per 1,000 residents); keyword-only.
    conf_level : float, default 0.95
        Confidence level (keyword-only).

    Returns
    -------
    RateResult

    Raises
    ------
    ValueError
        Negative or non-finite count, or exposure not > 0.

    Examples
    --------
    >>> r = rate_ci(4, 2_000)
    >>> r.rate, round(r.ci_low, 4), round(r.ci_high, 4), r.method
    (2.0, 0.5449, 5.1208, 'exact')
    >>> rate_ci(-1, 100)
    Traceback (most recent call last):
    ...
    ValueError: count must be a finite number >= 0, got -1
    """
    conf_level = check_conf_level(conf_level)
    x = _check_count(count)
    pop = _check_exposure(exposure, "exposure (population)")
    if not (float(per) > 0):
        raise ValueError(f"per must be positive, got {per!r}")
    low, high, method = _phe_limits(np.array([x]), conf_level)
    scale = float(per) / pop
    return RateResult(
        estimate=x * scale,
        ci_low=float(low[0]) * scale,
        ci_high=float(high[0]) * scale,
        count=x,
        exposure=pop,
        per=float(per),
        method=str(method[0]),
        conf_level=conf_level,
    )


@renamed_parameters(population="exposure")
def rate_table(
    df: pd.DataFrame,
    *,
    count: str = "count",
    exposure: str = "population",
    per: float = 1000,
    by: Sequence[str] | None = None,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Rates and PHE intervals for every row (or every group) of a table.

    Parameters
    ----------
    df : pandas.DataFrame
        Holds a count column and an exposure (population) column.
    count, exposure : str, default "count", "population"
        Column names (keyword-only; ``exposure`` was called ``population``).
    per : float, default 1000
        Rate multiplier.
    by : sequence of str, optional
        If given, counts and exposures are first summed within these groups (as
        ``phe_rate`` does for grouped data). A NaN count in a group makes its total NaN:
        a missing value is never treated as zero.
    conf_level : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        The rows (or ``[*by, count, exposure]`` per group) with ``rate, ci_low,
        ci_high, method`` added. Rows with a missing count or exposure get NaN and
        a missing ``method``.

    Raises
    ------
    ValueError
        Negative counts or exposures that are not > 0.

    Examples
    --------
    >>> t = pd.DataFrame({"ward": ["A", "B"], "count": [4, 65], "population": [2000, 10000]})
    >>> rate_table(t).round(4)
      ward  count  population  rate  ci_low  ci_high method
    0    A      4        2000   2.0  0.5449   5.1208  exact
    1    B     65       10000   6.5  5.0163   8.2849   byar
    """
    conf_level = check_conf_level(conf_level)
    if not (float(per) > 0):
        raise ValueError(f"per must be positive, got {per!r}")
    for c in (count, exposure, *(by or ())):
        if c not in df.columns:
            raise ValueError(f"column {c!r} not in the table")
    if by:
        by = list(by)
        work = df.loc[:, [*by, count, exposure]].copy()
        work["_missing"] = work[[count, exposure]].isna().any(axis=1)
        out = (
            work.groupby(by, observed=True, sort=True, dropna=False)
            .agg(
                **{
                    count: (count, "sum"),
                    exposure: (exposure, "sum"),
                    "_missing": ("_missing", "any"),
                }
            )
            .reset_index()
        )
        out.loc[out["_missing"], [count, exposure]] = np.nan
        out = out.drop(columns="_missing")
    else:
        out = df.copy()
    x = pd.to_numeric(out[count], errors="raise").to_numpy(dtype=float)
    pop = pd.to_numeric(out[exposure], errors="raise").to_numpy(dtype=float)
    if np.any(x < 0):
        raise ValueError(f"column {count!r} has negative counts")
    if np.any(np.isinf(x)):
        raise ValueError(f"column {count!r} has infinite counts")
    if np.any(pop <= 0) or np.any(np.isinf(pop)):
        raise ValueError(f"column {exposure!r} must be positive and finite")
    missing = np.isnan(x) | np.isnan(pop)
    x = np.where(missing, np.nan, x)
    low, high, method = _phe_limits(x, conf_level)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = float(per) / pop
    out["rate"] = x * scale
    out["ci_low"] = low * scale
    out["ci_high"] = high * scale
    out["method"] = np.where(missing, None, method).astype(object)
    return out
