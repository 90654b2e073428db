"""Disproportionality: differential change within a parent, and relative rate indices.

Two questions a Strategic Assessment asks again and again:

* **Did a sub-category change out of step with its parent?** Coercive control grew by
  40% while all domestic abuse grew by 5%: is coercive control's *share* of domestic
  abuse really up, or is this noise? :func:`differential_change` answers with Fisher's
  exact test on the 2×2 table (sub-category vs rest of the parent × before vs after),
  the conditional maximum-likelihood odds ratio and its exact interval (as R's
  ``fisher.test`` reports them), both shares and the change of each part.
* **Is one group's rate higher than a reference group's?** :func:`relative_rate_index`
  divides two rates (stop and search per 1,000 Black vs White residents; children
  referred per child arrested, by ethnicity) and gives the log (Katz) interval, or the
  exact conditional interval for Poisson rates (R ``poisson.test`` with two samples).

Examples
--------
>>> r = differential_change(sub_before=40, total_before=400, sub_after=70, total_after=420)
>>> round(r.share_before, 3), round(r.share_after, 3), r.p_value < 0.05
(0.1, 0.167, True)
>>> rri = relative_rate_index(120, 10_000, 300, 80_000, kind="rate")
>>> round(rri.rri, 2), round(rri.ci_low, 2), round(rri.ci_high, 2)
(3.2, 2.59, 3.95)
>>> rri.estimate == rri.rri
True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats.contingency import odds_ratio as _scipy_odds_ratio
from statsmodels.stats.multitest import multipletests

from ._checks import check_conf_level, z_value
from ._intervals import clopper_pearson, garwood
from ._result import Result, alias, renamed_parameters
from .proportions import wilson_interval

__all__ = [
    "DifferentialChange",
    "differential_change",
    "differential_change_table",
    "RelativeRateIndex",
    "relative_rate_index",
    "rri_table",
    "exact_rate_ci",
]

RatioKind = Literal["risk", "rate"]
RatioMethod = Literal["katz", "exact"]


# --------------------------------------------------------------------------------------
# Rates
# --------------------------------------------------------------------------------------


@renamed_parameters(base="exposure")
def exact_rate_ci(
    count: np.ndarray | Sequence[float] | float,
    exposure: np.ndarray | Sequence[float] | float,
    *,
    conf_level: float = 0.95,
    per: float = 1000.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rate ``count / exposure × per`` with the exact (Garwood) Poisson interval, vectorised.

    The interval is the central exact Poisson interval,
    ``[χ²(α/2, 2x)/2, χ²(1−α/2, 2x+2)/2] / exposure × per`` — the one R
    ``poisson.test(x, T)`` and ``DescTools::PoissonCI(method = "exact")`` report and the
    one PHE/OHID use for small counts (the package's one Garwood interval, shared with
    :func:`~smp_analysis.stats.rates.poisson_ci`). ``NaN`` in (missing count) gives
    ``NaN`` out.

    Parameters
    ----------
    count : array_like
        Event counts (≥ 0).
    exposure : array_like
        Population or other exposure (> 0); formerly ``base``.
    conf_level : float, default 0.95
        Confidence level (keyword-only).
    per : float, default 1000
        Rate multiplier (per 1,000 residents; keyword-only).

    Returns
    -------
    (rate, ci_low, ci_high) : tuple of numpy.ndarray

    Raises
    ------
    ValueError
        Negative counts or an exposure that is not positive.

    Examples
    --------
    >>> rate, low, high = exact_rate_ci(15, 400)
    >>> float(rate[0]), round(float(low[0]), 4), round(float(high[0]), 4)
    (37.5, 20.9885, 61.8505)
    """
    conf_level = check_conf_level(conf_level)
    x = np.atleast_1d(np.asarray(count, dtype=float))
    b = np.atleast_1d(np.asarray(exposure, dtype=float))
    x, b = np.broadcast_arrays(x, b)
    ok = ~(np.isnan(x) | np.isnan(b))
    if np.any(x[ok] < 0):
        raise ValueError("counts must not be negative")
    if np.any(b[ok] <= 0):
        raise ValueError("the exposure (population) must be positive: a rate per zero is undefined")
    low, high = garwood(x, conf_level)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = x / b * per
        low = np.where(ok, low / b * per, np.nan)
        high = np.where(ok, high / b * per, np.nan)
    return rate, low, high


# --------------------------------------------------------------------------------------
# Differential change
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DifferentialChange(Result):
    """Change of a sub-category relative to the rest of its parent category.

    The 2×2 table is ``[[sub_after, rest_after], [sub_before, rest_before]]``, so an
    odds ratio (``estimate``) above 1 means the sub-category's share of the parent went up.

    Attributes
    ----------
    sub_before, total_before, sub_after, total_after : float
        The counts (``total`` is the whole parent, sub-category included).
    rest_before, rest_after : float
        ``total - sub``.
    share_before, share_after : float
        Share of the parent taken by the sub-category (proportions in [0, 1]).
    share_before_ci_low, share_before_ci_high, share_after_ci_low, share_after_ci_high : float
        Wilson intervals of the two shares.
    share_change : float
        ``share_after - share_before`` (a difference of proportions; × 100 for
        percentage points).
    sub_pct_change, rest_pct_change : float
        Percent change of the sub-category and of the rest of the parent, in percent
        (``50.0`` = +50%; ``NaN`` when the "before" count is 0).
    estimate : float
        Conditional maximum-likelihood estimate of the odds ratio (R ``fisher.test``);
        also :attr:`odds_ratio`.
    ci_low, ci_high : float
        Exact conditional interval of the odds ratio.
    p_value : float
        Two-sided Fisher exact test p-value (R ``fisher.test``).
    conf_level : float
    method : str
    """

    sub_before: float
    total_before: float
    sub_after: float
    total_after: float
    rest_before: float
    rest_after: float
    share_before: float
    share_before_ci_low: float
    share_before_ci_high: float
    share_after: float
    share_after_ci_low: float
    share_after_ci_high: float
    share_change: float
    sub_pct_change: float
    rest_pct_change: float
    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    conf_level: float = 0.95
    method: str = "Fisher exact test; conditional MLE odds ratio with exact interval"

    _estimate_name = "odds_ratio"
    odds_ratio = alias("estimate", "The conditional MLE odds ratio.")


def _pct_change(before: float, after: float) -> float:
    return (after - before) / before * 100.0 if before > 0 else float("nan")


def differential_change(
    sub_before: float,
    total_before: float,
    sub_after: float,
    total_after: float,
    *,
    conf_level: float = 0.95,
) -> DifferentialChange:
    """Did a sub-category change disproportionately to its parent category?

    Compares the sub-category (e.g. coercive control) with the rest of its parent
    (all other domestic-abuse crimes) before and after. The p-value is the two-sided
    Fisher exact test (equal to R ``fisher.test(matrix(...))$p.value``); the odds ratio
    is the conditional maximum-likelihood estimate with its exact interval, as R
    reports them (computed by ``scipy.stats.contingency.odds_ratio(kind="conditional")``;
    R finds these with ``uniroot`` at a coarse tolerance, so R's printed odds ratio
    and interval can differ from these in the 4th significant figure).

    Parameters
    ----------
    sub_before, total_before : float
        Sub-category count and parent total (sub-category included) in the earlier period.
    sub_after, total_after : float
        The same in the later period.
    conf_level : float, default 0.95
        Confidence level of the odds-ratio and share intervals (keyword-only).

    Returns
    -------
    DifferentialChange
        ``estimate`` (alias ``odds_ratio``), ``ci_low``, ``ci_high``, ``conf_level``,
        ``p_value``, ``method`` and the shares and percent changes.

    Raises
    ------
    ValueError
        Negative counts, a zero parent total, or a sub-category larger than its parent.

    Examples
    --------
    Coercive control 60 → 95 while all domestic abuse went 1,000 → 1,050:

    >>> r = differential_change(60, 1000, 95, 1050)
    >>> round(r.sub_pct_change, 1), round(r.rest_pct_change, 1)
    (58.3, 1.6)
    >>> round(r.share_change * 100, 2), round(r.odds_ratio, 3), round(r.p_value, 4)
    (3.05, 1.558, 0.0095)
    """
    conf_level = check_conf_level(conf_level)
    vals = [sub_before, total_before, sub_after, total_after]
    if any(np.isnan(float(v)) for v in vals):
        raise ValueError("counts must be numbers, not NaN")
    if any(float(v) < 0 for v in vals):
        raise ValueError("counts must not be negative")
    if total_before == 0 or total_after == 0:
        raise ValueError("the parent total is 0 in one period: its share is undefined")
    if sub_before > total_before or sub_after > total_after:
        raise ValueError(
            "the sub-category is larger than its parent: a share above 1 is impossible"
        )
    rest_before = float(total_before) - float(sub_before)
    rest_after = float(total_after) - float(sub_after)
    table = np.array([[sub_after, rest_after], [sub_before, rest_before]], dtype=float).round()
    if not np.allclose(table, [[sub_after, rest_after], [sub_before, rest_before]]):
        raise ValueError("the exact test needs whole-number counts")
    itable = table.astype(np.int64)
    if (itable.sum(axis=0) == 0).any():
        # The sub-category (or the rest) is 0 in both periods: nothing to compare.
        or_, low, high, p = float("nan"), float("nan"), float("nan"), 1.0
    else:
        res = _scipy_odds_ratio(itable, kind="conditional")
        ci = res.confidence_interval(confidence_level=conf_level)
        or_, low, high = float(res.statistic), float(ci.low), float(ci.high)
        p = float(stats.fisher_exact(itable, alternative="two-sided").pvalue)
    s_low, s_high = wilson_interval(
        [sub_before, sub_after], [total_before, total_after], conf_level=conf_level
    )
    share_before = float(sub_before) / float(total_before)
    share_after = float(sub_after) / float(total_after)
    return DifferentialChange(
        sub_before=float(sub_before),
        total_before=float(total_before),
        sub_after=float(sub_after),
        total_after=float(total_after),
        rest_before=rest_before,
        rest_after=rest_after,
        share_before=share_before,
        share_before_ci_low=float(s_low[0]),
        share_before_ci_high=float(s_high[0]),
        share_after=share_after,
        share_after_ci_low=float(s_low[1]),
        share_after_ci_high=float(s_high[1]),
        share_change=share_after - share_before,
        sub_pct_change=_pct_change(float(sub_before), float(sub_after)),
        rest_pct_change=_pct_change(rest_before, rest_after),
        estimate=or_,
        ci_low=low,
        ci_high=high,
        p_value=min(p, 1.0),
        conf_level=conf_level,
    )


def differential_change_table(
    df: pd.DataFrame,
    *,
    category: str,
    period: str,
    before: object,
    after: object,
    count: str = "count",
    by: Sequence[str] = (),
    categories: Sequence[str] | None = None,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Differential change of every sub-category against the total of all categories.

    ``df`` is long and tidy: one row per ``[*by, period, category]`` (rows with the same
    key are summed). The parent total of a period is the sum over **all** categories in
    ``df`` within that ``by`` group, so ``df`` must hold the complete breakdown of the
    parent (e.g. every ``sub_type`` of ``da_flagged_crimes``).

    Parameters
    ----------
    df : pandas.DataFrame
        Counts by category and period.
    category, period : str
        Column names of the sub-category and of the period label.
    before, after : object
        The two period labels to compare (e.g. ``"2023/24"``, ``"2024/25"``).
    count : str, default "count"
        Column of counts.
    by : sequence of str, default ()
        Further grouping (e.g. area); each group is its own parent.
    categories : sequence of str, optional
        Sub-categories to report (default: all). The parent total still uses all.
    conf_level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        ``[*by, category]`` plus every field of :class:`DifferentialChange` (except
        ``conf_level`` and ``method``; the estimate under its name ``odds_ratio``) and
        ``q_value``: Benjamini–Hochberg adjusted
        p-values within each ``by`` group (false discovery rate over the categories).

    Raises
    ------
    ValueError
        Missing columns, a period label absent from ``df``, missing (``NaN``) counts, or
        the impossible inputs :func:`differential_change` rejects.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "year": ["2023/24"] * 3 + ["2024/25"] * 3,
    ...     "sub_type": ["coercive_control", "violence", "other"] * 2,
    ...     "count": [60, 700, 240, 95, 705, 250]})
    >>> t = differential_change_table(df, category="sub_type", period="year",
    ...                               before="2023/24", after="2024/25")
    >>> cols = ["sub_type", "sub_before", "sub_after", "total_before", "total_after"]
    >>> print(t[cols].to_string(index=False))
            sub_type  sub_before  sub_after  total_before  total_after
    coercive_control        60.0       95.0        1000.0       1050.0
               other       240.0      250.0        1000.0       1050.0
            violence       700.0      705.0        1000.0       1050.0
    """
    by = list(by)
    missing = [c for c in [*by, category, period, count] if c not in df.columns]
    if missing:
        raise ValueError(f"differential_change_table: columns not found: {missing}")
    for label in (before, after):
        if not (df[period] == label).any():
            raise ValueError(f"differential_change_table: period {label!r} not found in '{period}'")
    sub = df[df[period].isin([before, after])]
    if sub[count].isna().any():
        raise ValueError(
            f"differential_change_table: '{count}' has missing values in the compared periods"
        )
    wide = (
        sub.groupby([*by, category, period], observed=True, dropna=False)[count]
        .sum()
        .unstack(period, fill_value=0)
        .reindex(columns=[before, after], fill_value=0)
        .reset_index()
    )
    if by:
        totals = wide.groupby(by, observed=True, dropna=False)[[before, after]].transform("sum")
    else:
        totals = wide[[before, after]].sum().to_frame().T.loc[[0] * len(wide)]
        totals.index = wide.index
    if categories is not None:
        keep = wide[category].isin(list(categories))
        wide, totals = wide[keep], totals[keep]
    rows = []
    fields = [f.name for f in dataclasses.fields(DifferentialChange)]
    fields = [f for f in fields if f not in ("conf_level", "method")]
    for (_, w), (_, t) in zip(wide.iterrows(), totals.iterrows(), strict=True):
        r = differential_change(w[before], t[before], w[after], t[after], conf_level=conf_level)
        row = {c: w[c] for c in [*by, category]}
        row.update({"odds_ratio" if f == "estimate" else f: getattr(r, f) for f in fields})
        rows.append(row)
    out = pd.DataFrame(rows)
    if out.empty:
        return out

    def _bh(p: pd.Series) -> pd.Series:
        return pd.Series(multipletests(p.to_numpy(float), method="fdr_bh")[1], index=p.index)

    if by:
        out["q_value"] = out.groupby(by, dropna=False)["p_value"].transform(_bh)
    else:
        out["q_value"] = _bh(out["p_value"])
    return out.sort_values([*by, category], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Relative rate index
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RelativeRateIndex(Result):
    """A rate ratio (relative rate index) of a group against a reference group.

    Attributes
    ----------
    estimate : float
        ``(group_count / group_exposure) / (reference_count / reference_exposure)``;
        also :attr:`rri`.
    ci_low, ci_high : float
        Confidence interval of the RRI (``NaN`` where the chosen method is undefined).
    group_count, group_exposure, reference_count, reference_exposure : float
        The inputs (the exposures also as :attr:`group_base`, :attr:`reference_base`).
    group_rate, reference_rate : float
        ``count / exposure`` (not scaled).
    conf_level : float
    kind : str
        ``"risk"`` (count ≤ base: people at a decision stage) or ``"rate"`` (events per
        population; counts may exceed the base).
    method : str
    """

    estimate: float
    ci_low: float
    ci_high: float
    group_count: float
    group_exposure: float
    reference_count: float
    reference_exposure: float
    group_rate: float
    reference_rate: float
    conf_level: float = 0.95
    kind: str = "risk"
    method: str = "katz"

    _estimate_name = "rri"
    rri = alias("estimate", "The relative rate index.")
    group_base = alias("group_exposure", "The group's base (exposure).")
    reference_base = alias("reference_exposure", "The reference group's base (exposure).")


def _ratio_arrays(
    a: np.ndarray,
    n1: np.ndarray,
    c: np.ndarray,
    n2: np.ndarray,
    conf_level: float,
    kind: str,
    method: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised rate ratio a/n1 ÷ c/n2 and its interval."""
    conf_level = check_conf_level(conf_level)
    if kind not in ("risk", "rate"):
        raise ValueError(f"kind must be 'risk' or 'rate', got {kind!r}")
    if method not in ("katz", "exact"):
        raise ValueError(f"method must be 'katz' or 'exact', got {method!r}")
    if method == "exact" and kind != "rate":
        raise ValueError("method='exact' is the conditional Poisson interval: use kind='rate'")
    arrs = [np.atleast_1d(np.asarray(v, dtype=float)) for v in (a, n1, c, n2)]
    a, n1, c, n2 = np.broadcast_arrays(*arrs)
    if np.isnan(a).any() or np.isnan(n1).any() or np.isnan(c).any() or np.isnan(n2).any():
        raise ValueError("counts and bases must be numbers, not NaN")
    if (a < 0).any() or (c < 0).any():
        raise ValueError("counts must not be negative")
    if (n1 <= 0).any() or (n2 <= 0).any():
        raise ValueError("the exposure (base) must be positive: a rate per zero is undefined")
    if kind == "risk" and ((a > n1).any() or (c > n2).any()):
        raise ValueError(
            "a count exceeds its base, which is impossible for kind='risk' (people at a "
            "decision stage); for events per population use kind='rate'"
        )
    z = z_value(conf_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        rr = (a / n1) / (c / n2)
        if method == "katz":
            var = 1 / a + 1 / c
            if kind == "risk":
                var = var - 1 / n1 - 1 / n2
            se = np.sqrt(var)
            ok = (a > 0) & (c > 0)
            low = np.where(ok, np.exp(np.log(rr) - z * se), np.nan)
            high = np.where(ok, np.exp(np.log(rr) + z * se), np.nan)
        else:
            # Condition on the total a + c: a ~ Binomial(a + c, p) with
            # p / (1 - p) = rr * n1 / n2. Clopper-Pearson bounds for p, mapped to rr
            # (R poisson.test(c(a, c), c(n1, n2)), which calls binom.test).
            tot = a + c
            p_low, p_high = clopper_pearson(a, tot, conf_level)
            low = p_low / (1 - p_low) * (n2 / n1)
            high = np.where(p_high < 1, p_high / (1 - p_high) * (n2 / n1), np.inf)
            none = tot == 0
            rr = np.where(none, np.nan, rr)
            low = np.where(none, np.nan, low)
            high = np.where(none, np.nan, high)
    return rr, low, high


@renamed_parameters(group_base="group_exposure", reference_base="reference_exposure")
def relative_rate_index(
    group_count: float,
    group_exposure: float,
    reference_count: float,
    reference_exposure: float,
    *,
    conf_level: float = 0.95,
    kind: RatioKind = "risk",
    method: RatioMethod = "katz",
) -> RelativeRateIndex:
    """Relative Rate Index: a group's rate divided by the reference group's rate.

    The **exposure** (the base of the rate) is either a population (first contact: stop and search per resident,
    arrests per resident aged 10–17) or, following the youth-justice RRI convention
    (OJJDP / Burns Institute), the **previous decision stage** (referrals per arrest,
    custody per conviction), so that each stage's disparity is isolated rather than
    carried forward from earlier stages.

    Intervals:

    * ``kind="risk"``, ``method="katz"`` (default): the log (Katz et al. 1978) interval
      for a ratio of two proportions, ``exp(log RRI ± z·√(1/a − 1/n₁ + 1/c − 1/n₂))``.
      Needs count ≤ base (people at a stage). Undefined (``NaN``) when a count is 0.
    * ``kind="rate"``, ``method="katz"``: the log interval for two Poisson rates,
      ``√(1/a + 1/c)``; counts may exceed the base (searches per resident).
    * ``kind="rate"``, ``method="exact"``: the exact conditional interval (binomial on
      ``a`` given ``a + c``, Clopper–Pearson), equal to R
      ``poisson.test(c(a, c), c(n1, n2))$conf.int``; defined for zero counts.

    Parameters
    ----------
    group_count, group_exposure : float
        Count and exposure (base) of the group of interest (e.g. Black residents);
        ``group_exposure`` was called ``group_base``.
    reference_count, reference_exposure : float
        Count and exposure of the reference group (e.g. White residents);
        ``reference_exposure`` was called ``reference_base``.
    conf_level : float, default 0.95
        Confidence level (keyword-only, as the options below).
    kind : {"risk", "rate"}, default "risk"
    method : {"katz", "exact"}, default "katz"

    Returns
    -------
    RelativeRateIndex
        ``estimate`` (alias ``rri``), ``ci_low``, ``ci_high``, ``conf_level``, ``method``
        (the ``method`` argument).

    Raises
    ------
    ValueError
        Negative counts, an exposure ≤ 0, a count above its exposure with
        ``kind="risk"``, or an unknown ``kind`` / ``method``.

    Examples
    --------
    Children referred to youth offending services per child arrested (previous stage):

    >>> r = relative_rate_index(30, 60, 100, 400)
    >>> r.rri, round(r.ci_low, 3), round(r.ci_high, 3)
    (2.0, 1.475, 2.712)

    Searches per resident (counts can exceed the base, so use ``kind="rate"``):

    >>> r = relative_rate_index(767, 193, 2207, 5799, kind="rate", method="exact")
    >>> round(r.rri, 2)
    10.44
    """
    rr, low, high = _ratio_arrays(
        group_count, group_exposure, reference_count, reference_exposure, conf_level, kind, method
    )
    return RelativeRateIndex(
        estimate=float(rr[0]),
        ci_low=float(low[0]),
        ci_high=float(high[0]),
        group_count=float(group_count),
        group_exposure=float(group_exposure),
        reference_count=float(reference_count),
        reference_exposure=float(reference_exposure),
        group_rate=float(group_count) / float(group_exposure),
        reference_rate=float(reference_count) / float(reference_exposure),
        conf_level=float(conf_level),
        kind=kind,
        method=method,
    )


@renamed_parameters(group_col="group", base="exposure")
def rri_table(
    df: pd.DataFrame,
    group: str,
    count: str,
    exposure: str,
    reference: object,
    *,
    by: Sequence[str] = (),
    conf_level: float = 0.95,
    kind: RatioKind = "risk",
    method: RatioMethod = "katz",
    per: float = 1000.0,
) -> pd.DataFrame:
    """Relative Rate Index of every group against a chosen reference group.

    See :func:`relative_rate_index` for the choice of exposure (population, or the
    previous decision stage) and of interval.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per ``[*by, group]`` with a count and its exposure.
    group : str
        Column naming the groups (e.g. ``"ethnic_group"``); formerly ``group_col``.
    count, exposure : str
        Columns of the count and of its exposure (base); ``exposure`` was ``base``.
    reference : object
        Value of ``group`` used as the reference (e.g. ``"White"``).
    by : sequence of str, default ()
        Further grouping; each group has its own reference row.
    conf_level : float, default 0.95
    kind, method : str
        As in :func:`relative_rate_index`.
    per : float, default 1000
        Multiplier of the ``rate`` column (per 1,000 of the exposure).

    Returns
    -------
    pandas.DataFrame
        ``[*by, group, count, exposure, rate, rri, ci_low, ci_high, is_reference]``;
        the reference row has ``rri = 1`` and ``NaN`` interval.

    Raises
    ------
    ValueError
        Missing columns, duplicate rows for a group, a ``by`` group without the reference
        row, or impossible counts (see :func:`relative_rate_index`).

    Examples
    --------
    >>> df = pd.DataFrame({"ethnic_group": ["Asian", "Black", "White"],
    ...                    "arrests": [40, 60, 300], "referrals": [12, 30, 60]})
    >>> t = rri_table(df, "ethnic_group", "referrals", "arrests", reference="White")
    >>> print(t[["ethnic_group", "rate", "rri"]].to_string(index=False))
    ethnic_group  rate  rri
           Asian 300.0  1.5
           Black 500.0  2.5
           White 200.0  1.0
    """
    by = list(by)
    missing = [c for c in [*by, group, count, exposure] if c not in df.columns]
    if missing:
        raise ValueError(f"rri_table: columns not found: {missing}")
    keys = [*by, group]
    if df.duplicated(keys).any():
        raise ValueError(f"rri_table: more than one row per {keys}; aggregate first")
    out = df[[*keys, count, exposure]].copy().reset_index(drop=True)
    is_ref = out[group] == reference
    if by:
        ref = out[is_ref].set_index(by)[[count, exposure]]
        ref.columns = ["_ref_count", "_ref_base"]
        out = out.join(ref, on=by)
        lacking = out["_ref_count"].isna()
        if lacking.any():
            bad = out.loc[lacking, by].drop_duplicates().to_dict("records")
            raise ValueError(f"rri_table: no reference row {reference!r} in groups {bad}")
    else:
        if is_ref.sum() != 1:
            raise ValueError(f"rri_table: reference group {reference!r} not found in '{group}'")
        out["_ref_count"] = float(out.loc[is_ref, count].iloc[0])
        out["_ref_base"] = float(out.loc[is_ref, exposure].iloc[0])
    rr, low, high = _ratio_arrays(
        out[count].to_numpy(float),
        out[exposure].to_numpy(float),
        out["_ref_count"].to_numpy(float),
        out["_ref_base"].to_numpy(float),
        conf_level,
        kind,
        method,
    )
    out["rate"] = out[count].to_numpy(float) / out[exposure].to_numpy(float) * per
    out["rri"] = np.where(is_ref, 1.0, rr)
    out["ci_low"] = np.where(is_ref, np.nan, low)
    out["ci_high"] = np.where(is_ref, np.nan, high)
    out["is_reference"] = is_ref.to_numpy()
    return out.drop(columns=["_ref_count", "_ref_base"])
