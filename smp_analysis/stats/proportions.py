"""Proportions and shares with Wilson score intervals.

A *share* is a part of a whole counted in the same records: the share of violent crimes
flagged as domestic abuse, the share of searches where the ethnicity was not stated.
The interval is Wilson's score interval, the one R's ``prop.test(x, n, correct = FALSE)``
reports and statsmodels' ``proportion_confint(method="wilson")`` computes (which this
module wraps). It behaves well near 0 and 1, unlike the normal ("Wald") interval.

Examples
--------
>>> r = proportion_ci(18, 20)
>>> round(r.proportion, 3), round(r.ci_low, 4), round(r.ci_high, 4)
(0.9, 0.699, 0.9721)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from ._checks import check_conf_level
from ._result import Result, alias, renamed_parameters

__all__ = [
    "ProportionCI",
    "ProportionDifference",
    "proportion_ci",
    "proportion_difference",
    "share_table",
    "wilson_interval",
]


@dataclass(frozen=True)
class ProportionCI(Result):
    """A proportion with its Wilson score interval.

    Attributes
    ----------
    estimate : float
        ``count / n``; also :attr:`proportion`.
    ci_low, ci_high : float
        Wilson score interval bounds (within [0, 1]).
    count, n : float
        The counts the proportion was computed from (``count`` also as
        :attr:`successes`).
    conf_level : float
        Confidence level of the interval.
    method : str
        ``"wilson"``.
    """

    estimate: float
    ci_low: float
    ci_high: float
    count: float
    n: float
    conf_level: float = 0.95
    method: str = "wilson"

    _estimate_name = "proportion"
    proportion = alias("estimate", "The proportion ``count / n``.")
    successes = alias("count", "The count of the part.")


@renamed_parameters(successes="count")
def wilson_interval(
    count: np.ndarray | Sequence[float] | float,
    n: np.ndarray | Sequence[float] | float,
    *,
    conf_level: float = 0.95,
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised Wilson score interval, checked for impossible input.

    ``NaN`` in either argument gives ``NaN`` bounds (a missing count stays missing).

    Parameters
    ----------
    count, n : array_like
        Counts of the part (formerly ``successes``) and of the whole.
    conf_level : float, default 0.95
        Confidence level (keyword-only).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Lower and upper bounds, clipped to [0, 1].

    Raises
    ------
    ValueError
        A negative count, a zero ``n``, or ``count > n`` (a share above 1).

    Examples
    --------
    >>> low, high = wilson_interval([0, 4], [30, 20])
    >>> low.round(4).tolist(), high.round(4).tolist()
    ([0.0, 0.0807], [0.1135, 0.416])
    """
    conf_level = check_conf_level(conf_level)
    x = np.atleast_1d(np.asarray(count, dtype=float))
    m = np.atleast_1d(np.asarray(n, dtype=float))
    x, m = np.broadcast_arrays(x, m)
    ok = ~(np.isnan(x) | np.isnan(m))
    if np.any(x[ok] < 0) or np.any(m[ok] < 0):
        raise ValueError("counts must not be negative")
    if np.any(m[ok] == 0):
        raise ValueError("n (the whole) is 0: a share of nothing is undefined")
    if np.any(x[ok] > m[ok]):
        raise ValueError("the part is larger than the whole: a share above 1 is impossible")
    low = np.full(x.shape, np.nan)
    high = np.full(x.shape, np.nan)
    if ok.any():
        lo, hi = proportion_confint(x[ok], m[ok], alpha=1 - conf_level, method="wilson")
        # exact at the boundaries (the formula leaves rounding noise such as 5e-17)
        low[ok] = np.where(x[ok] == 0, 0.0, np.clip(lo, 0.0, 1.0))
        high[ok] = np.where(x[ok] == m[ok], 1.0, np.clip(hi, 0.0, 1.0))
    return low, high


@renamed_parameters(successes="count")
def proportion_ci(count: float, n: float, *, conf_level: float = 0.95) -> ProportionCI:
    """Proportion ``count / n`` with its Wilson score interval.

    Equal to R ``prop.test(count, n, correct = FALSE)$conf.int`` and to
    ``statsmodels.stats.proportion.proportion_confint(..., method="wilson")``.

    Parameters
    ----------
    count : float
        Count of the part (0 ≤ count ≤ n; formerly ``successes``).
    n : float
        Count of the whole (> 0).
    conf_level : float, default 0.95
        Confidence level (keyword-only).

    Returns
    -------
    ProportionCI
        ``estimate`` (alias ``proportion``), ``ci_low``, ``ci_high``, ``conf_level``,
        ``method``.

    Raises
    ------
    ValueError
        Negative counts, ``n == 0``, or ``count > n``.

    Examples
    --------
    >>> r = proportion_ci(4, 200)
    >>> r.proportion, round(r.ci_low, 5), round(r.ci_high, 5)
    (0.02, 0.0078, 0.05029)
    >>> proportion_ci(5, 4)
    Traceback (most recent call last):
        ...
    ValueError: the part is larger than the whole: a share above 1 is impossible
    """
    if np.isnan(float(count)) or np.isnan(float(n)):
        raise ValueError("count and n must be numbers, not NaN")
    low, high = wilson_interval(count, n, conf_level=conf_level)
    return ProportionCI(
        estimate=float(count) / float(n),
        ci_low=float(low[0]),
        ci_high=float(high[0]),
        count=float(count),
        n=float(n),
        conf_level=float(conf_level),
    )


def share_table(
    df: pd.DataFrame,
    part: str,
    whole: str,
    *,
    by: Sequence[str] | str | None = None,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Share of ``part`` in ``whole`` with Wilson intervals, row by row or summed by group.

    Parameters
    ----------
    df : pandas.DataFrame
        Counts, one column for the part (e.g. DA-flagged violent crimes) and one for the
        whole (all violent crimes).
    part, whole : str
        Column names of the two counts.
    by : list of str, str or None, default None
        ``None``: one share per row (``NaN`` counts give ``NaN`` shares). A list (possibly
        empty): counts are summed within each group first (``[]`` = one overall row); a
        missing (``NaN``) count then raises, because summing would treat it as 0.
    conf_level : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        The input rows (or ``[*by, part, whole]`` when grouped) plus ``share``,
        ``ci_low`` and ``ci_high`` (proportions in [0, 1]).

    Raises
    ------
    ValueError
        Missing columns, negative counts, a zero whole, a part larger than its whole,
        or a missing count when summing by group.

    Examples
    --------
    >>> df = pd.DataFrame({"year": ["2023/24", "2023/24", "2024/25"],
    ...                    "da_flagged": [30, 20, 70], "violence": [100, 100, 200]})
    >>> out = share_table(df, "da_flagged", "violence", by=["year"])
    >>> print(out[["year", "da_flagged", "violence", "share"]].to_string(index=False))
       year  da_flagged  violence  share
    2023/24          50       200   0.25
    2024/25          70       200   0.35
    """
    if isinstance(by, str):
        by = [by]
    missing = [c for c in [part, whole, *(by or [])] if c not in df.columns]
    if missing:
        raise ValueError(f"share_table: columns not found: {missing}")
    if by is None:
        out = df.copy()
    else:
        by = list(by)
        sub = df[[*by, part, whole]]
        if sub[[part, whole]].isna().any().any():
            raise ValueError(
                f"share_table: '{part}' or '{whole}' has missing (NaN) values; summing would "
                "count them as 0 - drop the missing periods explicitly first"
            )
        if by:
            out = sub.groupby(by, sort=True, observed=True, dropna=False)[[part, whole]].sum()
            out = out.reset_index()
        else:
            out = pd.DataFrame({part: [sub[part].sum()], whole: [sub[whole].sum()]})
    x = out[part].to_numpy(dtype=float)
    n = out[whole].to_numpy(dtype=float)
    low, high = wilson_interval(x, n, conf_level=conf_level)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share"] = x / n
    out["ci_low"] = low
    out["ci_high"] = high
    return out


@dataclass(frozen=True)
class ProportionDifference(Result):
    """The difference of two independent proportions, ``count1/n1 - count2/n2``.

    Attributes
    ----------
    estimate : float
        The difference (a proportion; × 100 for percentage points); also
        :attr:`difference`.
    ci_low, ci_high : float
        Newcombe's hybrid score interval (his method 10: Wilson bounds of each proportion).
    p_value : float
        Two-sided score test of no difference (Miettinen–Nurminen, statsmodels
        ``test_proportions_2indep(method="score")``).
    proportion1, proportion2 : float
        The two proportions.
    conf_level : float
    method : str
    """

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    proportion1: float
    proportion2: float
    conf_level: float = 0.95
    method: str = "Newcombe hybrid score interval; Miettinen-Nurminen score test"

    _estimate_name = "difference"
    difference = alias("estimate", "The difference of the proportions.")


def proportion_difference(
    count1: float, n1: float, count2: float, n2: float, *, conf_level: float = 0.95
) -> ProportionDifference:
    """Difference of two independent proportions with Newcombe's interval and a score test.

    Used for indicators that are shares (MARAC repeat cases, re-offending): the reporting
    year (``count1 / n1``) against the year before (``count2 / n2``).

    Parameters
    ----------
    count1, n1 : float
        Part and whole of the first proportion.
    count2, n2 : float
        Part and whole of the second.
    conf_level : float, default 0.95

    Returns
    -------
    ProportionDifference

    Raises
    ------
    ValueError
        A missing or impossible count (part above whole, empty whole).

    Examples
    --------
    Newcombe (1998), Statistics in Medicine 17:873-890, Table II, 56/70 against 48/80:
    method 10 gives 0.0524 to 0.3339.

    >>> d = proportion_difference(56, 70, 48, 80)
    >>> round(d.estimate, 4), round(d.ci_low, 4), round(d.ci_high, 4)
    (0.2, 0.0524, 0.3339)
    >>> round(d.p_value, 4)
    0.0083
    """
    from statsmodels.stats.proportion import (
        confint_proportions_2indep,
        test_proportions_2indep,
    )

    check_conf_level(conf_level)
    for x, n in ((count1, n1), (count2, n2)):
        if np.isnan(float(x)) or np.isnan(float(n)):
            raise ValueError("counts must be numbers, not NaN (missing is not zero)")
        if n <= 0:
            raise ValueError("the whole of a proportion must be positive")
        if x < 0 or x > n:
            raise ValueError("the part must be between 0 and the whole")
    lo, hi = confint_proportions_2indep(
        count1, n1, count2, n2, method="newcomb", compare="diff", alpha=1 - conf_level
    )
    p = float(test_proportions_2indep(count1, n1, count2, n2, method="score").pvalue)
    p1, p2 = float(count1) / float(n1), float(count2) / float(n2)
    return ProportionDifference(
        estimate=p1 - p2,
        ci_low=float(lo),
        ci_high=float(hi),
        p_value=p,
        proportion1=p1,
        proportion2=p2,
        conf_level=float(conf_level),
    )
