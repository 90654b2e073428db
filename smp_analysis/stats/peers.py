"""Comparing one area with its peer group: rates, the group rate, tests, change.

:func:`peer_rates` gives every area's count and crude rate per 1,000 (PHE exact/Byar
intervals, :func:`~smp_analysis.stats.rates.rate_table`), the pooled group rate
(all areas' counts over all areas' populations) and the area's place on the funnel plot
(:func:`~smp_analysis.stats.funnel.funnel_significance`).

:func:`versus_group` tests the focus area against **the rest of the group** (the group
without the focus area, so the two counts are independent) with the exact conditional
Poisson test — R ``poisson.test(c(x_focus, x_rest), c(pop_focus, pop_rest))``, i.e. the
binomial test of the focus area's share of the group's count against its share of the
population. Across categories the p-values are adjusted with Benjamini–Hochberg (false
discovery rate, as everywhere else in the package: a committee reads the categories as a
screen for where to look, and BH keeps power that Holm's family-wise control would lose
over 13 categories; section CMP tests all crime, the headline, on its own).

:func:`change_versus_group` compares the change since last year: the focus area's rate
ratio (this year over last, on the same months) divided by the rest of the group's — the
ratio of rate ratios, with the log-normal (Wald) interval
``exp(log RRR ± z sqrt(1/a1 + 1/a0 + 1/b1 + 1/b0))``. This is the interaction term of
the saturated Poisson model ``glm(count ~ area * year, family = poisson)`` in R, and the
same test (Wald z) is used for its p-value.

Examples
--------
>>> f = pd.DataFrame({"area": ["A", "B", "C"], "count": [120, 100, 90],
...                   "population": [1000, 1000, 1000]})
>>> r = versus_group(f, focus="A")
>>> round(float(r["rate_ratio"].iloc[0]), 4), r["verdict"].iloc[0]
(1.2632, 'above')
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from ._checks import check_conf_level, z_value
from .change import _rate_ratio_arrays
from .funnel import funnel_significance
from .rates import rate_table

__all__ = ["peer_rates", "versus_group", "change_versus_group"]


def _check(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"the table lacks column(s) {missing}")


def peer_rates(
    frame: pd.DataFrame,
    *,
    area: str = "area",
    by: Sequence[str] = (),
    count: str = "count",
    population: str = "population",
    per: float = 1000.0,
) -> pd.DataFrame:
    """Each area's rate, the pooled group rate and the area's place on the funnel.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per area (per ``by`` group) with a count and a population.
    area : str
        Column naming the areas (keyword-only).
    by : sequence of str
        Columns splitting the table into groups compared separately (e.g. ``["category"]``).
    count, population : str
        Column names.
    per : float, default 1000
        Rate multiplier.

    Returns
    -------
    pandas.DataFrame
        The rows with ``rate``, ``ci_low``, ``ci_high`` (95%, PHE exact/Byar), then
        ``group_count``, ``group_population``, ``group_rate`` (pooled over the areas of
        the ``by`` group) and ``funnel`` (95% / 99.8% funnel limits).

    Examples
    --------
    >>> f = pd.DataFrame({"area": ["A", "B"], "count": [30, 10], "population": [1000, 1000]})
    >>> peer_rates(f)[["area", "rate", "group_rate", "funnel"]].values.tolist()
    [['A', 30.0, 20.0, 'high (outside 95%)'], ['B', 10.0, 20.0, 'low (outside 95%)']]
    """
    by = list(by)
    _check(frame, [area, count, population, *by])
    out = rate_table(frame.reset_index(drop=True), count=count, exposure=population, per=per).drop(
        columns="method"
    )
    ok = out[count].notna() & out[population].notna()
    keys = by or [np.zeros(len(out), dtype=int)]
    grouped = out.assign(_c=out[count].where(ok), _p=out[population].where(ok)).groupby(
        keys, sort=False, dropna=False
    )
    out["group_count"] = grouped["_c"].transform("sum")
    out["group_population"] = grouped["_p"].transform("sum")
    out["group_rate"] = out["group_count"] / out["group_population"] * per
    out["funnel"] = [
        funnel_significance(c, n, g, per=per)
        for c, n, g in zip(out[count], out[population], out["group_rate"], strict=True)
    ]
    return out


def versus_group(
    frame: pd.DataFrame,
    focus: str,
    *,
    area: str = "area",
    by: Sequence[str] = (),
    count: str = "count",
    population: str = "population",
    per: float = 1000.0,
    conf_level: float = 0.95,
    fdr_alpha: float = 0.05,
) -> pd.DataFrame:
    """Is the focus area's rate above or below the rest of its group's?

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per area (per ``by`` group) with a count and a population; the focus area
        is one of the areas.
    focus : str
        The focus area (the partnership).
    area, by, count, population, per : see :func:`peer_rates`
    conf_level : float, default 0.95
        Confidence level of the rate-ratio interval.
    fdr_alpha : float, default 0.05
        False discovery rate for the Benjamini–Hochberg adjustment across ``by`` groups.

    Returns
    -------
    pandas.DataFrame
        One row per ``by`` group: ``count``, ``population``, ``rate`` of the focus area;
        ``rest_count``, ``rest_population``, ``rest_rate`` of the other areas;
        ``group_rate`` (all areas pooled); ``rate_ratio`` (focus over rest) with
        ``ci_low``, ``ci_high`` and ``p_value`` (exact conditional Poisson test), ``q_value``
        (Benjamini–Hochberg), ``significant`` and ``verdict`` (``"above"``, ``"below"``,
        ``"similar"``, or ``"not tested"`` without counts).

    Raises
    ------
    ValueError
        The focus area is not in the table.

    Examples
    --------
    >>> f = pd.DataFrame({"area": ["A", "B"], "count": [60, 30], "population": [1000, 1000]})
    >>> r = versus_group(f, "A").iloc[0]
    >>> round(float(r["rate_ratio"]), 2), round(float(r["p_value"]), 6), r["verdict"]
    (2.0, 0.00206, 'above')
    """
    conf_level = check_conf_level(conf_level)
    by = list(by)
    _check(frame, [area, count, population, *by])
    if focus not in set(frame[area]):
        raise ValueError(f"the focus area {focus!r} is not among the areas")
    work = frame[[*by, area, count, population]].copy()
    work["_focus"] = work[area] == focus
    keys = by or [np.zeros(len(work), dtype=int)]
    rows = []
    for key, g in work.groupby(keys, sort=False, dropna=False):
        f, rest = g[g["_focus"]], g[~g["_focus"]]
        fc, fp = f[count].sum(min_count=1), f[population].sum(min_count=1)
        if rest[[count, population]].isna().any().any():
            rc = rp = np.nan  # a missing peer count is never a zero
        else:
            rc, rp = rest[count].sum(min_count=1), rest[population].sum(min_count=1)
        row = dict(zip(by, key if isinstance(key, tuple) else (key,), strict=False)) if by else {}
        row.update(count=fc, population=fp, rest_count=rc, rest_population=rp)
        rows.append(row)
    out = pd.DataFrame(rows, columns=[*by, "count", "population", "rest_count", "rest_population"])
    c1, e1 = out["count"].to_numpy(float), out["population"].to_numpy(float)
    c2, e2 = out["rest_count"].to_numpy(float), out["rest_population"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["rate"] = c1 / e1 * per
        out["rest_rate"] = c2 / e2 * per
        out["group_rate"] = (c1 + c2) / (e1 + e2) * per
    ratio, low, high, pval = _rate_ratio_arrays(c1, e1, c2, e2, conf_level)
    out["rate_ratio"], out["ci_low"], out["ci_high"], out["p_value"] = ratio, low, high, pval
    q = np.full(len(out), np.nan)
    ok = ~np.isnan(pval)
    if ok.any():
        q[ok] = multipletests(pval[ok], alpha=fdr_alpha, method="fdr_bh")[1]
    out["q_value"] = q
    out["significant"] = np.where(ok, q <= fdr_alpha, False).astype(bool)
    out["verdict"] = np.select(
        [~ok, out["significant"] & (ratio > 1), out["significant"] & (ratio < 1)],
        ["not tested", "above", "below"],
        "similar",
    )
    out["conf_level"] = conf_level
    out["method"] = (
        "exact conditional Poisson test of the area against the rest of the group (R "
        "poisson.test), Benjamini-Hochberg across categories"
    )
    return out


def change_versus_group(
    frame: pd.DataFrame,
    focus: str,
    *,
    area: str = "area",
    by: Sequence[str] = (),
    current: str = "count_current",
    previous: str = "count_previous",
    conf_level: float = 0.95,
    fdr_alpha: float = 0.05,
) -> pd.DataFrame:
    """The focus area's change since last year against the rest of the group's change.

    Populations are the same in both years and the months are matched, so each rate
    ratio is a ratio of counts and the ratio of rate ratios is
    ``(a1 / a0) / (b1 / b0)`` (``a`` the focus area, ``b`` the rest of the group).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per area (per ``by`` group) with this year's and last year's counts over
        the same months.
    focus : str
        The focus area.
    area, by : str, sequence of str
        As in :func:`peer_rates`.
    current, previous : str
        Columns of this year's and last year's counts.
    conf_level : float, default 0.95
        Confidence level.
    fdr_alpha : float, default 0.05
        False discovery rate for the Benjamini–Hochberg adjustment across ``by`` groups.

    Returns
    -------
    pandas.DataFrame
        One row per ``by`` group: ``count_current``, ``count_previous``, ``rate_ratio`` of
        the focus area; ``rest_current``, ``rest_previous``, ``rest_rate_ratio``; ``rrr``
        (ratio of rate ratios) with ``ci_low``, ``ci_high``, ``p_value`` (Wald z on the log
        scale), ``q_value``, ``significant`` and ``verdict`` (``"rose more"``,
        ``"fell more"``, ``"similar"``, ``"not tested"`` when a count is zero or missing).

    Examples
    --------
    >>> f = pd.DataFrame({"area": ["A", "B"], "count_current": [120, 500],
    ...                   "count_previous": [100, 500]})
    >>> r = change_versus_group(f, "A").iloc[0]
    >>> [round(float(r[k]), 4) for k in ("rrr", "ci_low", "ci_high")], r["verdict"]
    ([1.2, 0.8953, 1.6084], 'similar')
    """
    conf_level = check_conf_level(conf_level)
    by = list(by)
    _check(frame, [area, current, previous, *by])
    if focus not in set(frame[area]):
        raise ValueError(f"the focus area {focus!r} is not among the areas")
    work = frame[[*by, area, current, previous]].copy()
    work["_focus"] = work[area] == focus
    keys = by or [np.zeros(len(work), dtype=int)]
    rows = []
    for key, g in work.groupby(keys, sort=False, dropna=False):
        f, rest = g[g["_focus"]], g[~g["_focus"]]
        row = dict(zip(by, key if isinstance(key, tuple) else (key,), strict=False)) if by else {}
        missing = rest[[current, previous]].isna().any().any()
        row.update(
            count_current=f[current].sum(min_count=1),
            count_previous=f[previous].sum(min_count=1),
            rest_current=np.nan if missing else rest[current].sum(min_count=1),
            rest_previous=np.nan if missing else rest[previous].sum(min_count=1),
        )
        rows.append(row)
    cols = [*by, "count_current", "count_previous", "rest_current", "rest_previous"]
    out = pd.DataFrame(rows, columns=cols)
    a1, a0 = out["count_current"].to_numpy(float), out["count_previous"].to_numpy(float)
    b1, b0 = out["rest_current"].to_numpy(float), out["rest_previous"].to_numpy(float)
    z = z_value(conf_level)
    ok = np.isfinite(a1 + a0 + b1 + b0) & (a1 > 0) & (a0 > 0) & (b1 > 0) & (b0 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["rate_ratio"] = a1 / a0
        out["rest_rate_ratio"] = b1 / b0
        log_rrr = np.where(ok, np.log(a1 / a0) - np.log(b1 / b0), np.nan)
        se = np.where(ok, np.sqrt(1 / a1 + 1 / a0 + 1 / b1 + 1 / b0), np.nan)
    from scipy import stats

    out["rrr"] = np.exp(log_rrr)
    out["ci_low"] = np.exp(log_rrr - z * se)
    out["ci_high"] = np.exp(log_rrr + z * se)
    pval = np.where(ok, 2 * stats.norm.sf(np.abs(log_rrr / se)), np.nan)
    out["p_value"] = pval
    q = np.full(len(out), np.nan)
    if ok.any():
        q[ok] = multipletests(pval[ok], alpha=fdr_alpha, method="fdr_bh")[1]
    out["q_value"] = q
    out["significant"] = np.where(ok, q <= fdr_alpha, False).astype(bool)
    rrr = out["rrr"].to_numpy(float)
    out["verdict"] = np.select(
        [~ok, out["significant"] & (rrr > 1), out["significant"] & (rrr < 1)],
        ["not tested", "rose more", "fell more"],
        "similar",
    )
    out["conf_level"] = conf_level
    out["method"] = (
        "ratio of rate ratios (area over the rest of the group) with a log-normal Wald "
        "interval (R glm poisson interaction), Benjamini-Hochberg across categories"
    )
    return out
