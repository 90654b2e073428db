"""Population (Census 2021 by LSOA and age), ethnic group (Nomis QS201EW) and IMD 2019 tables.

All three come from the fixed geography, so they are the same for every seed.

Examples
--------
>>> from smp_analysis.sample.district import build_geography
>>> geo = build_geography()
>>> pop = population_table(geo)
>>> list(pop.columns)
['lsoa21_code', 'lsoa21_name', 'age_group', 'usual_residents']
>>> len(pop) == 130 * 6
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .district import AGE_BANDS, DISTRICT, Geography
from .police import ethnic_detail

__all__ = [
    "ETHNICITY_SHARES",
    "ethnicity_table",
    "force_population_by_group",
    "imd_table",
    "population_table",
    "youth_population",
]

#: Shares of the detailed ethnic groups (Nomis label → share), Sampleton and Otherford.
ETHNICITY_SHARES: dict[str, dict[str, float]] = {
    DISTRICT.lad_code: {
        "White: English/Welsh/Scottish/Northern Irish/British": 0.862,
        "White: Irish": 0.006,
        "White: Gypsy or Irish Traveller": 0.005,
        "White: Other White": 0.039,
        "Mixed/multiple ethnic group: White and Black Caribbean": 0.005,
        "Mixed/multiple ethnic group: White and Black African": 0.003,
        "Mixed/multiple ethnic group: White and Asian": 0.006,
        "Mixed/multiple ethnic group: Other Mixed": 0.005,
        "Asian/Asian British: Indian": 0.010,
        "Asian/Asian British: Pakistani": 0.004,
        "Asian/Asian British: Bangladeshi": 0.003,
        "Asian/Asian British: Chinese": 0.004,
        "Asian/Asian British: Other Asian": 0.022,
        "Black/African/Caribbean/Black British: African": 0.014,
        "Black/African/Caribbean/Black British: Caribbean": 0.004,
        "Black/African/Caribbean/Black British: Other Black": 0.002,
        "Other ethnic group: Arab": 0.002,
        "Other ethnic group: Any other ethnic group": 0.005,
    },
    DISTRICT.neighbour_lad_code: {
        "White: English/Welsh/Scottish/Northern Irish/British": 0.900,
        "White: Irish": 0.006,
        "White: Gypsy or Irish Traveller": 0.004,
        "White: Other White": 0.030,
        "Mixed/multiple ethnic group: White and Black Caribbean": 0.004,
        "Mixed/multiple ethnic group: White and Black African": 0.002,
        "Mixed/multiple ethnic group: White and Asian": 0.005,
        "Mixed/multiple ethnic group: Other Mixed": 0.004,
        "Asian/Asian British: Indian": 0.008,
        "Asian/Asian British: Pakistani": 0.003,
        "Asian/Asian British: Bangladeshi": 0.002,
        "Asian/Asian British: Chinese": 0.003,
        "Asian/Asian British: Other Asian": 0.012,
        "Black/African/Caribbean/Black British: African": 0.008,
        "Black/African/Caribbean/Black British: Caribbean": 0.003,
        "Black/African/Caribbean/Black British: Other Black": 0.001,
        "Other ethnic group: Arab": 0.002,
        "Other ethnic group: Any other ethnic group": 0.004,
    },
}
#: Census 2011 populations were about 11% smaller than 2021's (Maidstone: 155,143 vs 175,812).
_CENSUS_2011_SCALE = 0.885


def population_table(geo: Geography) -> pd.DataFrame:
    """Census 2021 usual residents by LSOA and six age bands (Sampleton and Otherford).

    Parameters
    ----------
    geo : Geography
        The fixed geography.

    Returns
    -------
    pandas.DataFrame
        ``lsoa21_code, lsoa21_name, age_group, usual_residents``, six rows per LSOA.

    Examples
    --------
    >>> from smp_analysis.sample.district import build_geography
    >>> pop = population_table(build_geography())
    >>> pop["age_group"].iloc[:6].tolist() == list(AGE_BANDS)
    True
    """
    lsoas = geo.lsoas
    long = lsoas.melt(
        id_vars=["lsoa_code", "lsoa_name"],
        value_vars=list(AGE_BANDS),
        var_name="age_group",
        value_name="usual_residents",
    )
    long["band"] = long["age_group"].map({b: j for j, b in enumerate(AGE_BANDS)})
    long = long.sort_values(["lsoa_code", "band"], kind="stable")
    return long.rename(columns={"lsoa_code": "lsoa21_code", "lsoa_name": "lsoa21_name"})[
        ["lsoa21_code", "lsoa21_name", "age_group", "usual_residents"]
    ].reset_index(drop=True)


def _detail_counts(geo: Geography) -> dict[str, dict[str, int]]:
    """Census-2011-scale counts by detailed group for each district."""
    out: dict[str, dict[str, int]] = {}
    for lad, shares in ETHNICITY_SHARES.items():
        total = int(geo.lsoas.loc[geo.lsoas["lad_code"] == lad, "population"].sum())
        total = int(round(total * _CENSUS_2011_SCALE))
        p = np.array(list(shares.values()))
        raw = p / p.sum() * total
        counts = np.floor(raw).astype(int)
        # largest remainders, so the groups add up to the total exactly
        rest = total - counts.sum()
        counts[np.argsort(-(raw - counts), kind="stable")[:rest]] += 1
        out[lad] = dict(zip(shares, counts.tolist(), strict=True))
    return out


def ethnicity_table(geo: Geography) -> pd.DataFrame:
    """Residents by ethnic group in the Nomis QS201EW layout, one row per district.

    Parameters
    ----------
    geo : Geography
        The fixed geography.

    Returns
    -------
    pandas.DataFrame
        ``date, geography, geography code, Rural Urban`` then ``Ethnic Group: ...;
        measures: Value`` columns (total, each broad group followed by its details).

    Examples
    --------
    >>> from smp_analysis.sample.district import build_geography
    >>> eth = ethnicity_table(build_geography())
    >>> eth["geography code"].tolist()
    ['E07999999', 'E07999998']
    >>> groups = [f"Ethnic Group: {g}; measures: Value" for g in ("White", "Mixed", "Asian", "Black", "Other")]
    >>> bool(eth[groups].sum(axis=1).eq(eth.iloc[:, 4]).all())
    True
    """
    detail = _detail_counts(geo)
    groups = ethnic_detail()
    rows = []
    for lad, name in (
        (DISTRICT.lad_code, DISTRICT.name),
        (DISTRICT.neighbour_lad_code, DISTRICT.neighbour_name),
    ):
        row: dict[str, object] = {
            "date": "2011",
            "geography": name,
            "geography code": lad,
            "Rural Urban": "Total",
            "Ethnic Group: All categories: Ethnic group; measures: Value": sum(
                detail[lad].values()
            ),
        }
        for group, members in groups.items():
            row[f"Ethnic Group: {group}; measures: Value"] = sum(
                detail[lad][nomis] for _, nomis in members
            )
            for _, nomis in members:
                row[f"Ethnic Group: {nomis}; measures: Value"] = detail[lad][nomis]
        rows.append(row)
    return pd.DataFrame(rows)


def force_population_by_group(geo: Geography) -> tuple[dict[str, float], dict[str, float]]:
    """Force-area residents (Sampleton + Otherford) by broad and by detailed ethnic group.

    Parameters
    ----------
    geo : Geography
        The fixed geography.

    Returns
    -------
    tuple of dict
        (broad group → residents, Nomis detailed label → residents), from
        :func:`ethnicity_table`, so stop-and-search rates use the published denominators.

    Examples
    --------
    >>> from smp_analysis.sample.district import build_geography
    >>> groups, detail = force_population_by_group(build_geography())
    >>> sorted(groups), len(detail)
    (['Asian', 'Black', 'Mixed', 'Other', 'White'], 18)
    """
    detail_by_lad = _detail_counts(geo)
    detail: dict[str, float] = {}
    for counts in detail_by_lad.values():
        for k, v in counts.items():
            detail[k] = detail.get(k, 0.0) + v
    groups = {g: sum(detail[n] for _, n in members) for g, members in ethnic_detail().items()}
    return groups, detail


def imd_table(geo: Geography) -> pd.DataFrame:
    """IMD 2019 ranks and deciles by LSOA in the layout of MHCLG's File 1.

    Parameters
    ----------
    geo : Geography
        The fixed geography.

    Returns
    -------
    pandas.DataFrame
        The six File 1 columns; ranks as strings with thousands separators (``"29,199"``).

    Examples
    --------
    >>> from smp_analysis.sample.district import build_geography
    >>> imd = imd_table(build_geography())
    >>> imd.columns[4]
    'Index of Multiple Deprivation (IMD) Rank'
    >>> imd.set_index("LSOA name (2011)").loc["Sampleton 010A", "Index of Multiple Deprivation (IMD) Decile"]
    np.int64(2)
    """
    lsoas = geo.lsoas
    return pd.DataFrame(
        {
            "LSOA code (2011)": lsoas["lsoa_code"],
            "LSOA name (2011)": lsoas["lsoa_name"],
            "Local Authority District code (2019)": lsoas["lad_code"],
            "Local Authority District name (2019)": lsoas["lad_name"],
            "Index of Multiple Deprivation (IMD) Rank": [f"{r:,}" for r in lsoas["imd_rank"]],
            "Index of Multiple Deprivation (IMD) Decile": lsoas["imd_decile"].astype(np.int64),
        }
    )


def youth_population(geo: Geography) -> int:
    """Sampleton's residents aged 10-17, estimated from the Census age bands.

    The bands are ``0-15`` and ``16-24``, so the estimate is 6/16 of the first plus 2/9
    of the second (ages spread evenly within a band). Partner returns and the Fingertips
    file use it as the youth-justice denominator.

    Parameters
    ----------
    geo : Geography
        The fixed geography.

    Returns
    -------
    int

    Examples
    --------
    >>> from smp_analysis.sample.district import build_geography
    >>> 15_000 < youth_population(build_geography()) < 20_000
    True
    """
    sampleton = geo.lsoas[geo.lsoas["lad_code"] == DISTRICT.lad_code]
    young, student = sampleton[AGE_BANDS[0]].sum(), sampleton[AGE_BANDS[1]].sum()
    return int(round(young * 6 / 16 + student * 2 / 9))
