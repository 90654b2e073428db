"""Argument checks shared by every :mod:`smp_analysis.stats` module (one copy each).

Examples
--------
>>> check_conf_level(0.9)
0.9
>>> round(z_value(0.95), 4)
1.96
>>> as_values([1, 2, float("nan")])[0].tolist()
[1.0, 2.0, nan]
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["check_conf_level", "z_value", "as_values"]


def check_conf_level(conf_level: float) -> float:
    """Check a confidence level and return it as a float.

    Parameters
    ----------
    conf_level : float
        Confidence level, strictly between 0 and 1 (0.95, not 95).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Anything that is not a number strictly between 0 and 1.

    Examples
    --------
    >>> check_conf_level(95)
    Traceback (most recent call last):
    ...
    ValueError: conf_level must be between 0 and 1 (exclusive), got 95
    """
    if isinstance(conf_level, bool) or not isinstance(conf_level, numbers.Real):
        raise ValueError(f"conf_level must be a number between 0 and 1, got {conf_level!r}")
    if not 0 < conf_level < 1:
        raise ValueError(f"conf_level must be between 0 and 1 (exclusive), got {conf_level!r}")
    return float(conf_level)


def z_value(conf_level: float) -> float:
    """Two-sided standard normal quantile ``z_{1 - α/2}`` of a (checked) confidence level.

    Examples
    --------
    >>> round(z_value(0.9), 4)
    1.6449
    """
    return float(stats.norm.ppf(0.5 + check_conf_level(conf_level) / 2))


def as_values(
    values: object, name: str = "values", *, finite: bool = True
) -> tuple[np.ndarray, pd.Index | None]:
    """One series of numbers in time order, as a float array (NaN = missing).

    The one validator of a single series (the trend tests, XmR charts and interrupted
    time series use it).

    Parameters
    ----------
    values : array-like or pandas.Series
        One-dimensional numbers; ``NaN``/``None`` mark a missing month.
    name : str, default "values"
        Name used in error messages.
    finite : bool, default True
        Reject infinite values.

    Returns
    -------
    (numpy.ndarray, pandas.Index or None)
        The values and, for a Series, its index.

    Raises
    ------
    ValueError
        Non-numeric, not one-dimensional or (``finite``) infinite values.

    Examples
    --------
    >>> as_values([[1, 2]])
    Traceback (most recent call last):
    ...
    ValueError: values must be one-dimensional
    """
    index: pd.Index | None = None
    if isinstance(values, pd.Series):
        x = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        if np.isnan(x).sum() != values.isna().sum():
            raise ValueError(f"{name} must be numeric (NaN for a missing month)")
        index = values.index
    else:
        try:
            x = np.asarray(values, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name} must be numeric (NaN for a missing month)") from exc
    if x.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if finite and np.isinf(x).any():
        raise ValueError(f"{name} must be finite numbers or NaN (missing)")
    return x, index
