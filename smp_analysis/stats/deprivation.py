"""The deprivation gradient: crime rates by IMD 2019 decile (or quintile).

Each LSOA is put in its national Index of Multiple Deprivation 2019 decile (1 = the most
deprived 10% of LSOAs in England); crimes and residents are summed per decile, and the
rate per 1,000 residents is given with its exact Poisson interval. The most- vs
least-deprived rate ratio summarises the gradient.

Vintage warning: police.uk LSOA codes are 2021 LSOAs, IMD 2019 is on 2011 LSOAs. Crimes
in LSOAs that have no decile (or no population) are **not dropped**: they are counted
in a row whose decile is missing, so the table always adds up to the input.

Examples
--------
>>> counts = pd.DataFrame({"lsoa_code": ["A", "B", "C", "D"], "count": [90, 60, 20, 10]})
>>> pop = pd.DataFrame({"lsoa_code": ["A", "B", "C", "D"],
...                     "population": [1500, 1500, 1600, 1400]})
>>> imd = pd.DataFrame({"lsoa_code": ["A", "B", "C", "D"], "decile": [1, 1, 10, 10]})
>>> t = rates_by_decile(counts, pop, imd)
>>> print(t[["decile", "lsoas", "count", "population", "rate"]].to_string(index=False))
 decile  lsoas  count  population  rate
      1      2  150.0      3000.0  50.0
     10      2   30.0      3000.0  10.0
>>> float(most_vs_least_deprived(t)["rate_ratio"].iloc[0])
5.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from .disproportionality import _ratio_arrays, exact_rate_ci

__all__ = ["rates_by_decile", "most_vs_least_deprived"]


def _check_cols(df: pd.DataFrame, cols: Sequence[str], name: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{name}: columns not found: {missing}")


def rates_by_decile(
    counts: pd.DataFrame,
    population: pd.DataFrame,
    decile: pd.DataFrame,
    *,
    by: Sequence[str] = (),
    lsoa: str = "lsoa_code",
    count: str = "count",
    population_col: str = "population",
    decile_col: str = "decile",
    groups: Literal["decile", "quintile"] = "decile",
    per: float = 1000.0,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Crime rate per 1,000 residents by IMD 2019 decile (or quintile), with intervals.

    Parameters
    ----------
    counts : pandas.DataFrame
        ``[*by, lsoa, count]``; several rows per LSOA (e.g. months) are summed. Missing
        (``NaN``) counts raise: drop missing months first, they are not zeros.
    population : pandas.DataFrame
        ``[lsoa, population_col]``, one row per LSOA (residents; Census 2021 or the IoD
        denominators).
    decile : pandas.DataFrame
        ``[lsoa, decile_col]``, one row per LSOA, deciles 1 (most deprived) … 10.
    by : sequence of str, default ()
        Groups in ``counts`` (e.g. crime type, year). The population is the same for all.
    lsoa, count, population_col, decile_col : str
        Column names.
    groups : {"decile", "quintile"}, default "decile"
        Quintile ``q = ceil(decile / 2)`` (1 = most deprived 20%).
    per : float, default 1000
    conf_level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        ``[*by, <groups>, lsoas, count, population, rate, ci_low, ci_high]``, one row per
        decile (quintile) that has LSOAs with a population, each with the LSOAs of the
        area in it (``count`` 0 when no crime: a real zero). ``rate`` is per ``per``
        residents with the exact Poisson interval. When crimes fall in LSOAs without a
        decile or population, one more row per ``by`` group has a missing decile,
        those crimes in ``count``, the number of such LSOAs in ``lsoas`` and ``NaN``
        population and rate.

    Raises
    ------
    ValueError
        Missing columns, duplicate LSOAs in ``population`` / ``decile``, deciles outside
        1–10, negative or missing counts, or a population that is not positive.

    Examples
    --------
    A crime in an LSOA with no decile (a 2021 code) is kept in its own row:

    >>> counts = pd.DataFrame({"lsoa_code": ["A", "B", "X"], "count": [3, 1, 2]})
    >>> pop = pd.DataFrame({"lsoa_code": ["A", "B"], "population": [1000, 1000]})
    >>> imd = pd.DataFrame({"lsoa_code": ["A", "B"], "decile": [2, 9]})
    >>> t = rates_by_decile(counts, pop, imd, groups="quintile")
    >>> print(t[["quintile", "lsoas", "count", "rate"]].to_string(index=False))
     quintile  lsoas  count  rate
            1      1    3.0   3.0
            5      1    1.0   1.0
         <NA>      1    2.0   NaN
    """
    by = list(by)
    if groups not in ("decile", "quintile"):
        raise ValueError(f"groups must be 'decile' or 'quintile', got {groups!r}")
    _check_cols(counts, [*by, lsoa, count], "counts")
    _check_cols(population, [lsoa, population_col], "population")
    _check_cols(decile, [lsoa, decile_col], "decile")
    for df, name in ((population, "population"), (decile, "decile")):
        if df[lsoa].duplicated().any():
            dup = df.loc[df[lsoa].duplicated(), lsoa].iloc[0]
            raise ValueError(f"{name}: LSOA {dup!r} appears more than once")
    if counts[count].isna().any():
        raise ValueError(
            "counts: missing (NaN) counts; drop missing months first (missing is not zero)"
        )
    if (counts[count] < 0).any():
        raise ValueError("counts must not be negative")
    d = pd.to_numeric(decile[decile_col], errors="coerce")
    if d.isna().any() or not d.isin(range(1, 11)).all():
        raise ValueError(f"decile: '{decile_col}' must hold whole numbers 1 to 10")
    pop = pd.to_numeric(population[population_col], errors="coerce")
    if pop.isna().any() or (pop <= 0).any():
        raise ValueError(f"population: '{population_col}' must be positive numbers")

    universe = pd.DataFrame({lsoa: population[lsoa], "_pop": pop.to_numpy(float)}).merge(
        pd.DataFrame({lsoa: decile[lsoa], "_dec": d.astype(int).to_numpy()}), on=lsoa
    )
    universe[groups] = (
        universe["_dec"] if groups == "decile" else np.ceil(universe["_dec"] / 2).astype(int)
    )
    agg = counts.groupby([*by, lsoa], observed=True, dropna=False)[count].sum().reset_index()
    matched = agg[lsoa].isin(universe[lsoa])

    # every (by group × LSOA of the universe), zeros included
    keys = agg[by].drop_duplicates() if by else pd.DataFrame(index=[0])
    grid = keys.merge(universe[[lsoa, "_pop", groups]], how="cross")
    grid = grid.merge(agg[matched], on=[*by, lsoa], how="left")
    grid[count] = grid[count].fillna(0.0)
    out = (
        grid.groupby([*by, groups], observed=True, dropna=False)
        .agg(lsoas=(lsoa, "nunique"), count=(count, "sum"), population=("_pop", "sum"))
        .reset_index()
    )
    out["count"] = out["count"].astype(float)
    rate, low, high = exact_rate_ci(out["count"], out["population"], conf_level=conf_level, per=per)
    out["rate"], out["ci_low"], out["ci_high"] = rate, low, high
    out[groups] = out[groups].astype("Int64")

    unmatched = agg[~matched]
    if not unmatched.empty:
        um = (
            unmatched.groupby(by, observed=True, dropna=False)
            .agg(lsoas=(lsoa, "nunique"), count=(count, "sum"))
            .reset_index()
            if by
            else pd.DataFrame(
                {"lsoas": [unmatched[lsoa].nunique()], "count": [unmatched[count].sum()]}
            )
        )
        um[groups] = pd.array([pd.NA] * len(um), dtype="Int64")
        um["population"] = np.nan
        um["rate"] = um["ci_low"] = um["ci_high"] = np.nan
        um["count"] = um["count"].astype(float)
        out = pd.concat([out, um[out.columns]], ignore_index=True)
    out = out.sort_values([*by, groups], na_position="last", kind="stable")
    return out.reset_index(drop=True)


def most_vs_least_deprived(
    rates: pd.DataFrame,
    *,
    by: Sequence[str] = (),
    most: int = 1,
    least: int | None = None,
    conf_level: float = 0.95,
    method: Literal["exact", "katz"] = "exact",
) -> pd.DataFrame:
    """Rate ratio of the most- to the least-deprived decile (or quintile).

    Parameters
    ----------
    rates : pandas.DataFrame
        Output of :func:`rates_by_decile` (a ``decile`` or ``quintile`` column).
    by : sequence of str, default ()
        The same ``by`` as given to :func:`rates_by_decile`.
    most : int, default 1
        The most-deprived group.
    least : int, optional
        The least-deprived group; default 10 (deciles) or 5 (quintiles).
    conf_level : float, default 0.95
    method : {"exact", "katz"}, default "exact"
        ``"exact"``: conditional Poisson interval (R ``poisson.test`` with two samples);
        ``"katz"``: log interval ``√(1/a + 1/c)`` (undefined when a count is 0).

    Returns
    -------
    pandas.DataFrame
        ``[*by, group, most, least, count_most, population_most, rate_most, count_least,
        population_least, rate_least, rate_ratio, ci_low, ci_high]``.

    Raises
    ------
    ValueError
        The table lacks the most- or least-deprived group (the area may have no LSOAs
        in decile 1 or 10: use ``groups="quintile"`` or choose ``most`` / ``least``).

    Examples
    --------
    >>> rates = pd.DataFrame({"decile": [1, 5, 10], "lsoas": [4, 10, 6],
    ...                       "count": [120.0, 150.0, 30.0],
    ...                       "population": [6000.0, 15000.0, 9000.0]})
    >>> r = most_vs_least_deprived(rates)
    >>> print(r[["rate_most", "rate_least", "rate_ratio", "ci_low", "ci_high"]].round(2)
    ...       .to_string(index=False))
     rate_most  rate_least  rate_ratio  ci_low  ci_high
          20.0        3.33         6.0    3.99     9.28
    """
    by = list(by)
    group = "decile" if "decile" in rates.columns else "quintile"
    _check_cols(rates, [*by, group, "count", "population"], "rates")
    if least is None:
        least = 10 if group == "decile" else 5
    tab = rates[rates[group].notna()]
    keys = tab[by].drop_duplicates() if by else pd.DataFrame(index=[0])
    rows = []
    for _, k in keys.iterrows():
        sel = np.ones(len(tab), dtype=bool)
        for c in by:
            sel &= (tab[c] == k[c]).to_numpy()
        t = tab[sel]
        m, le = t[t[group] == most], t[t[group] == least]
        where = f" in {dict(k[by])}" if by else ""
        if m.empty or le.empty:
            raise ValueError(
                f"no LSOAs in {group} {most if m.empty else least}{where}: use "
                "groups='quintile' or choose other 'most' / 'least' groups"
            )
        row = {c: k[c] for c in by}
        row.update(
            group=group,
            most=most,
            least=least,
            count_most=float(m["count"].iloc[0]),
            population_most=float(m["population"].iloc[0]),
            count_least=float(le["count"].iloc[0]),
            population_least=float(le["population"].iloc[0]),
        )
        rows.append(row)
    out = pd.DataFrame(rows)
    rr, low, high = _ratio_arrays(
        out["count_most"].to_numpy(float),
        out["population_most"].to_numpy(float),
        out["count_least"].to_numpy(float),
        out["population_least"].to_numpy(float),
        conf_level,
        "rate",
        method,
    )
    out["rate_most"] = out["count_most"] / out["population_most"] * 1000
    out["rate_least"] = out["count_least"] / out["population_least"] * 1000
    out["rate_ratio"], out["ci_low"], out["ci_high"] = rr, low, high
    cols = [
        *by,
        "group",
        "most",
        "least",
        "count_most",
        "population_most",
        "rate_most",
        "count_least",
        "population_least",
        "rate_least",
        "rate_ratio",
        "ci_low",
        "ci_high",
    ]
    return out[cols]
