"""Exact interval cores shared by the stats modules (one copy each).

* :func:`garwood` — the exact (Garwood 1936) interval for a Poisson mean, as R
  ``poisson.test(x)``: ``[qgamma(α/2, x), qgamma(1 − α/2, x + 1)]`` (equivalently
  ``χ²(α/2, 2x)/2`` and ``χ²(1 − α/2, 2x + 2)/2``); lower limit 0 when ``x`` is 0.
* :func:`clopper_pearson` — the exact interval for a binomial proportion, as R
  ``binom.test``; the conditional exact interval of a ratio of two Poisson rates is this
  interval mapped to the ratio scale.

Examples
--------
>>> low, high = garwood([0, 10], 0.95)
>>> low.round(4).tolist(), high.round(4).tolist()
([0.0, 4.7954], [3.6889, 18.39])
"""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["garwood", "clopper_pearson"]


def garwood(count: object, conf_level: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson limits for the mean count (vectorised; NaN in, NaN out).

    Parameters
    ----------
    count : array_like
        Counts (≥ 0, need not be whole for the upper limit's formula).
    conf_level : float
        Confidence level (checked by the caller).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Lower and upper limits of the mean count; divide by the exposure for a rate.

    Examples
    --------
    >>> low, high = garwood(137, 0.95)
    >>> round(float(low[0]), 4), round(float(high[0]), 4)
    (115.0205, 161.9564)
    """
    alpha = (1 - conf_level) / 2
    x = np.atleast_1d(np.asarray(count, dtype=float))
    with np.errstate(invalid="ignore"):
        low = np.where(x > 0, stats.gamma.ppf(alpha, np.where(x > 0, x, 1.0)), 0.0)
        high = stats.gamma.ppf(1 - alpha, x + 1)
    low = np.where(np.isnan(x), np.nan, low)
    return low, high


def clopper_pearson(x: object, n: object, conf_level: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Clopper–Pearson) interval for a binomial proportion, as R ``binom.test``.

    Parameters
    ----------
    x, n : array_like
        Successes and trials (0 ≤ x ≤ n).
    conf_level : float
        Confidence level (checked by the caller).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Lower limit (0 when ``x`` is 0) and upper limit (1 when ``x == n``).

    Examples
    --------
    >>> low, high = clopper_pearson(2, 15, 0.95)   # R binom.test(2, 15)$conf.int
    >>> round(float(low), 6), round(float(high), 6)
    (0.016576, 0.404603)
    """
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    alpha = (1 - conf_level) / 2
    with np.errstate(invalid="ignore"):
        low = np.where(x > 0, stats.beta.ppf(alpha, x, n - x + 1), 0.0)
        high = np.where(x < n, stats.beta.ppf(1 - alpha, x + 1, n - x), 1.0)
    return low, high
