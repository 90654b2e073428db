"""Statistical nearest neighbours among English districts, from open data.

A partnership's "most similar" areas, in the manner of the ONS and CIPFA
nearest-neighbour models: describe every English local authority district by a few
variables, put each variable on one scale (z-scores across all districts), and rank the
districts by their Euclidean distance from the target, all variables weighted equally.

**Variables** (one row per district, 2019 boundaries as used by IMD 2019; 317
districts):

* seven **IMD 2019 domains** (income; employment; education, skills and training;
  health deprivation and disability; crime; barriers to housing and services; living
  environment) as the *population-weighted average LSOA rank* — MHCLG's own
  "average rank" district summary. The domain *scores* (File 7) are not among the shared
  files; File 2 has ranks only. LSOA weights are Census 2021 usual residents of the
  LSOA with the same code (about 97% of 2011 LSOAs kept their code in 2021); an LSOA
  whose code changed is given its district's mean LSOA population;
* **population size**, as log10 of Census 2021 usual residents. *Population density*
  is not used: no land areas are among the shared files, so log population replaces it
  (CIPFA's model uses both);
* **age structure**: the shares of Census 2021 residents aged 0–15, 16–64 and 65 and
  over. 2021 LSOAs are placed in 2019 districts by code (through the 2011 lookup) or,
  for new codes, by the district name their LSOA name starts with; residents of LSOAs
  that match no 2019 district (new codes in areas reorganised since 2019, e.g.
  Buckinghamshire) are left out of the shares and counted in
  ``attrs["unplaced_residents"]``.

Standardisation uses the sample standard deviation (``ddof=1``), as R's ``scale()``;
the ranking does not depend on that choice. Ties in distance are broken by district
code.

:func:`district_variables` and :func:`nearest_from_variables` are pure (frames in,
frame out); :func:`nearest_districts` reads the files (through
:mod:`smp_analysis.sources.peer_inputs`) and calls them.

Examples
--------
>>> v = pd.DataFrame({"code": ["A", "B", "C", "D"], "name": ["Ay", "Bee", "Cee", "Dee"],
...                   "x": [1.0, 2.0, 4.0, 7.0], "y": [10.0, 30.0, 20.0, 40.0]})
>>> nearest_from_variables(v, "Ay", 2, columns=["x", "y"])[["code", "rank"]].values.tolist()
[['C', 1], ['B', 2]]
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from os import PathLike

import numpy as np
import pandas as pd

from ..errors import InputError

__all__ = [
    "DOMAIN_VARIABLES",
    "AGE_VARIABLES",
    "VARIABLES",
    "district_variables",
    "nearest_from_variables",
    "nearest_districts",
    "method_text",
]

#: IMD 2019 domains used, ``column → label`` (population-weighted average LSOA rank).
DOMAIN_VARIABLES: dict[str, str] = {
    "income": "Income",
    "employment": "Employment",
    "education": "Education, skills and training",
    "health": "Health deprivation and disability",
    "crime": "Crime",
    "barriers": "Barriers to housing and services",
    "living_environment": "Living environment",
}
#: Census 2021 age shares, ``column → label``.
AGE_VARIABLES: dict[str, str] = {
    "share_0_15": "Share of residents aged 0-15",
    "share_16_64": "Share of residents aged 16-64",
    "share_65_plus": "Share of residents aged 65 and over",
}
#: Every variable of the model, ``column → label``, in order.
VARIABLES: dict[str, str] = {
    **{
        k: f"IMD 2019 {v} domain (population-weighted average rank)"
        for k, v in DOMAIN_VARIABLES.items()
    },
    "log_population": "Population, log10 of Census 2021 usual residents",
    **AGE_VARIABLES,
}

_AGE_GROUP = {
    "Aged 15 years and under": "share_0_15",
    "Aged 16 to 24 years": "share_16_64",
    "Aged 25 to 34 years": "share_16_64",
    "Aged 35 to 49 years": "share_16_64",
    "Aged 50 to 64 years": "share_16_64",
    "Aged 65 years and over": "share_65_plus",
}
_LSOA_SUFFIX = re.compile(r"\s+\d{3}[A-Z]$")


def district_variables(
    imd: pd.DataFrame, census: pd.DataFrame, lookup: pd.DataFrame
) -> pd.DataFrame:
    """The model's variables for every English district (pure).

    Parameters
    ----------
    imd : pandas.DataFrame
        IMD 2019 by 2011 LSOA: ``lsoa_code, lad_code, lad_name`` and ``<domain>_rank``
        for each domain of :data:`DOMAIN_VARIABLES` (the output of
        :func:`smp_analysis.sources.imd.read_imd`).
    census : pandas.DataFrame
        Census 2021 ``lsoa_code, lsoa_name, age_group, usual_residents`` (six bands).
    lookup : pandas.DataFrame
        ``lsoa_code, lad_code, lad_name`` (LSOA 2011 → district 2019).

    Returns
    -------
    pandas.DataFrame
        ``code, name, population`` and one column per key of :data:`VARIABLES`, one row
        per English district in ``imd``, sorted by code. ``attrs`` holds
        ``unplaced_residents`` (Census residents of English LSOAs placed in no 2019
        district) and
        ``imputed_weight_lsoas`` (2011 LSOAs weighted by their district's mean).

    Examples
    --------
    >>> imd = pd.DataFrame({"lsoa_code": ["E1", "E2", "E3"], "lad_code": ["E1L", "E1L", "E2L"],
    ...     "lad_name": ["One", "One", "Two"],
    ...     **{f"{d}_rank": [1, 3, 2] for d in DOMAIN_VARIABLES}})
    >>> bands = list(_AGE_GROUP)
    >>> census = pd.DataFrame({"lsoa_code": ["E1"] * 6 + ["E9"] * 6 + ["E3"] * 6,
    ...     "lsoa_name": ["One 001A"] * 6 + ["One 001C"] * 6 + ["Two 001A"] * 6,
    ...     "age_group": bands * 3, "usual_residents": [10] * 6 + [20] * 6 + [5] * 6})
    >>> lookup = imd[["lsoa_code", "lad_code", "lad_name"]]
    >>> v = district_variables(imd, census, lookup)
    >>> v[["code", "population", "income"]].values.tolist()   # E2 weighted 60 (mean of E1)
    [['E1L', 180, 2.0], ['E2L', 30, 2.0]]
    """
    eng = imd[imd["lad_code"].astype(str).str.startswith("E")].copy()
    ranks = [f"{d}_rank" for d in DOMAIN_VARIABLES]
    missing = [c for c in ["lsoa_code", "lad_code", "lad_name", *ranks] if c not in eng.columns]
    if missing:
        raise ValueError(f"imd lacks columns {missing} (use IMD 2019 File 2 or File 7)")

    # ---- Census 2021 LSOAs → 2019 districts: by code, else by the name's district prefix
    lk = lookup[["lsoa_code", "lad_code"]].drop_duplicates("lsoa_code")
    by_code = dict(zip(lk["lsoa_code"], lk["lad_code"], strict=True))
    names = eng.drop_duplicates("lad_code")
    by_name = dict(zip(names["lad_name"], names["lad_code"], strict=True))
    c = census.loc[
        census["lsoa_code"].astype(str).str.startswith("E"),
        ["lsoa_code", "lsoa_name", "age_group", "usual_residents"],
    ].copy()
    c["age_group"] = c["age_group"].astype(str)
    unknown_bands = sorted(set(c["age_group"]) - set(_AGE_GROUP))
    if unknown_bands:
        raise ValueError(f"census has unknown age bands {unknown_bands}")
    prefix = c["lsoa_name"].astype(str).str.replace(_LSOA_SUFFIX, "", regex=True)
    c["lad_code"] = c["lsoa_code"].map(by_code).astype(object)
    c["lad_code"] = c["lad_code"].where(c["lad_code"].notna(), prefix.map(by_name).astype(object))
    c["var"] = c["age_group"].map(_AGE_GROUP)
    placed = c[c["lad_code"].isin(set(eng["lad_code"]))]
    unplaced = int(c["usual_residents"].sum() - placed["usual_residents"].sum())
    ages = placed.pivot_table(
        index="lad_code", columns="var", values="usual_residents", aggfunc="sum", fill_value=0
    )
    population = ages.sum(axis=1)
    shares = ages.div(population, axis=0)

    # ---- population-weighted average domain ranks
    lsoa_pop = c.groupby("lsoa_code")["usual_residents"].sum()
    eng["weight"] = eng["lsoa_code"].map(lsoa_pop).astype(float)
    imputed = int(eng["weight"].isna().sum())
    eng["weight"] = eng["weight"].fillna(eng.groupby("lad_code")["weight"].transform("mean"))
    eng["weight"] = eng["weight"].fillna(1.0)  # a district with no matched LSOA: equal weights
    w = eng["weight"]
    sums = eng[ranks].astype(float).mul(w, axis=0).groupby(eng["lad_code"]).sum()
    avg = sums.div(w.groupby(eng["lad_code"]).sum(), axis=0)
    avg.columns = list(DOMAIN_VARIABLES)

    out = names.set_index("lad_code")[["lad_name"]].join(avg)
    out["population"] = population.reindex(out.index)
    out["log_population"] = np.log10(out["population"].astype(float))
    for col in AGE_VARIABLES:
        out[col] = shares[col].reindex(out.index) if col in shares else np.nan
    out = out.rename_axis("code").reset_index().rename(columns={"lad_name": "name"})
    out["population"] = out["population"].astype("Int64")
    out = out[["code", "name", "population", *VARIABLES]].sort_values("code")
    out = out.reset_index(drop=True)
    out.attrs = {"unplaced_residents": unplaced, "imputed_weight_lsoas": imputed}
    return out


def _resolve(variables: pd.DataFrame, target: str) -> int:
    """Row position of ``target`` (code or name, any case) or a close-match error."""
    t = str(target).strip().casefold()
    hit = np.flatnonzero(
        (variables["code"].str.casefold() == t) | (variables["name"].str.casefold() == t)
    )
    if len(hit):
        return int(hit[0])
    choices = list(variables["name"]) + list(variables["code"])
    close = difflib.get_close_matches(str(target), choices, n=3, cutoff=0.6)
    fix = (
        "did you mean " + " or ".join(f"'{x}'" for x in close) + "?"
        if close
        else "give an English district's ONS code (e.g. E07000110) or name (e.g. Maidstone)"
    )
    raise InputError(
        f"'{str(target)[:60]}' is not an English local authority district",
        column="peers.nearest",
        fix=fix,
    )


def nearest_from_variables(
    variables: pd.DataFrame,
    target: str,
    k: int,
    *,
    columns: Sequence[str] | None = None,
    weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """The ``k`` districts nearest ``target`` by standardised Euclidean distance (pure).

    Parameters
    ----------
    variables : pandas.DataFrame
        ``code, name`` and numeric variable columns, one row per district.
    target : str
        The district's code or name (case is ignored).
    k : int
        How many neighbours (1 to the number of other districts).
    columns : sequence of str, optional
        Variables to use (default: :data:`VARIABLES`).
    weights : mapping, optional
        ``column → weight`` (default: 1 for every variable); the squared differences of
        z-scores are multiplied by the weights before summing.

    Returns
    -------
    pandas.DataFrame
        ``code, name, distance, rank`` (rank 1 = nearest), ``k`` rows, distance
        ascending (ties by code); the target is excluded. Districts lacking any variable
        are left out of the standardisation and of the peers (``attrs["left_out"]``).

    Raises
    ------
    InputError
        ``target`` is not among the districts (with the closest names), or the target
        lacks a variable.
    ValueError
        ``k`` out of range, or an unknown column or weight.

    Examples
    --------
    Four districts, two variables (worked by hand in ``tests/unit/test_peers_nearest.py``):

    >>> v = pd.DataFrame({"code": ["A", "B", "C", "D"], "name": ["Ay", "Bee", "Cee", "Dee"],
    ...                   "x": [1.0, 2.0, 4.0, 7.0], "y": [10.0, 30.0, 20.0, 40.0]})
    >>> r = nearest_from_variables(v, "A", 3, columns=["x", "y"])
    >>> r.round(4).values.tolist()
    [['C', 'Cee', 1.3732, 1], ['B', 'Bee', 1.5946, 2], ['D', 'Dee', 3.247, 3]]
    """
    cols = list(columns) if columns is not None else list(VARIABLES)
    unknown = [c for c in cols if c not in variables.columns]
    if unknown:
        raise ValueError(f"unknown variable column(s) {unknown}")
    w = {c: 1.0 for c in cols}
    if weights is not None:
        bad = [c for c in weights if c not in w]
        if bad:
            raise ValueError(f"weights for unknown column(s) {bad}")
        w.update({c: float(v) for c, v in weights.items()})
    pos = _resolve(variables, target)
    x = variables[cols].astype(float)
    complete = x.notna().all(axis=1).to_numpy()
    if not complete[pos]:
        lacking = [c for c in cols if pd.isna(x.iloc[pos][c])]
        raise InputError(
            f"district {variables['name'].iloc[pos]} has no value for {lacking}",
            column="peers.nearest",
            fix="check that the population and IMD files cover the district",
        )
    n_other = int(complete.sum()) - 1
    if not 1 <= int(k) <= n_other:
        raise ValueError(f"k must be between 1 and {n_other} (the other districts); got {k}")
    keep = variables[complete].reset_index(drop=True)
    xk = x[complete].reset_index(drop=True)
    z = (xk - xk.mean()) / xk.std(ddof=1).replace(0.0, np.nan)
    z = z.fillna(0.0)  # a variable constant across districts carries no information
    tpos = int(np.flatnonzero(variables.index[complete] == variables.index[pos])[0])
    diff2 = (z - z.iloc[tpos]) ** 2
    dist = np.sqrt((diff2 * pd.Series(w)).sum(axis=1))
    out = pd.DataFrame({"code": keep["code"], "name": keep["name"], "distance": dist})
    out = out.drop(index=tpos).sort_values(["distance", "code"], kind="mergesort").head(int(k))
    out["rank"] = np.arange(1, len(out) + 1)
    out = out.reset_index(drop=True)
    out.attrs = {
        "target_code": str(variables["code"].iloc[pos]),
        "target_name": str(variables["name"].iloc[pos]),
        "variables": cols,
        "left_out": list(variables.loc[~complete, "code"]),
    }
    return out


def nearest_districts(
    target: str,
    k: int,
    *,
    imd_path: str | PathLike[str],
    population_path: str | PathLike[str],
    lookup_path: str | PathLike[str],
) -> pd.DataFrame:
    """The ``k`` English districts most like ``target``, from the open files.

    Parameters
    ----------
    target : str
        ONS district code (``E07000110``) or name (``Maidstone``).
    k : int
        Number of peers, e.g. 15 (the CIPFA and ONS models' usual number).
    imd_path, population_path, lookup_path : path-like
        IMD 2019 File 2 (or File 7), Census 2021 usual residents by LSOA and age, and the
        ONS LSOA (2011) → district lookup.

    Returns
    -------
    pandas.DataFrame
        ``code, name, distance, rank`` (see :func:`nearest_from_variables`); ``attrs``
        also holds ``method`` (the paragraph of :func:`method_text`) and the
        diagnostics of :func:`district_variables`.

    Raises
    ------
    InputError
        A file is missing or malformed, or ``target`` is not an English district.
    """
    from ..sources.peer_inputs import read_peer_inputs

    files = read_peer_inputs(imd_path, population_path, lookup_path)
    variables = district_variables(files.imd, files.census, files.lookup)
    out = nearest_from_variables(variables, target, k)
    out.attrs.update(variables.attrs)
    out.attrs["method"] = method_text(k, n_districts=len(variables))
    return out


def method_text(k: int, *, n_districts: int = 317) -> str:
    """The Data and methods paragraph describing the peer model.

    Examples
    --------
    >>> method_text(15).split(".")[0]
    'The 15 most similar areas are the English local authority districts nearest this one in a statistical nearest-neighbour model, in the manner of the ONS and CIPFA models'
    """
    domains = "; ".join(v.lower() for v in DOMAIN_VARIABLES.values())
    return (
        f"The {k} most similar areas are the English local authority districts nearest this "
        "one in a statistical nearest-neighbour model, in the manner of the ONS and CIPFA "
        f"models. Each of the {n_districts} districts (2019 boundaries) is described by "
        f"eleven variables: the seven domains of the English Indices of Deprivation 2019 "
        f"({domains}), each as the population-weighted average rank of the district's "
        "neighbourhoods (LSOAs), MHCLG's own district summary; the size of the population "
        "(log of Census 2021 usual residents), used in place of population density because "
        "land areas are not among the open files used; and the age structure (shares of "
        "Census 2021 residents aged 0 to 15, 16 to 64 and 65 and over). Each variable is "
        "standardised across all districts (z-scores), every variable is weighted equally, "
        "and districts are ranked by Euclidean distance. Sources: MHCLG English Indices of "
        "Deprivation 2019 (File 2); ONS Census 2021 usual residents by LSOA and age; ONS "
        "LSOA (2011) to ward to district (2019) lookup; all under the Open Government "
        "Licence v3.0."
    )
