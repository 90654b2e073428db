"""The synthetic district "Sampleton", its neighbour "Otherford" and their fixed geography.

The *district* (codes, names, the town centre, populations, deprivation, map points) is
the same for every seed: a seed only changes the *events* generated on it (crimes,
searches, survey answers). Codes and names follow ``docs/data-formats.md``.

Examples
--------
>>> DISTRICT.name, DISTRICT.lad_code, len(DISTRICT.lsoa_codes)
('Sampleton', 'E07999999', 100)
>>> DISTRICT.lsoa_names[45], TOWN_CENTRE_LSOAS[0]
('Sampleton 010A', 'E01990046')
>>> str(INTERVENTION_MONTH), [str(m) for m in MISSING_MONTHS]
('2023-10', ['2021-08'])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "AGE_BANDS",
    "BUFFER_LSOAS",
    "COMPARISON_LSOAS",
    "DISTRICT",
    "District",
    "END",
    "Geography",
    "INTERVENTION_MONTH",
    "MISSING_MONTHS",
    "REPORTING_YEAR",
    "SPIKE_LSOA",
    "START",
    "TOWN_CENTRE_LSOAS",
    "build_geography",
    "financial_year",
]

#: First and last month of the sample (financial years 2021/22 to 2024/25).
START = pd.Period("2021-04", freq="M")
END = pd.Period("2025-03", freq="M")
#: Months with no data.police.uk file (a realistic gap in the archive).
MISSING_MONTHS: tuple[pd.Period, ...] = (pd.Period("2021-08", freq="M"),)
#: First month of the town-centre "Safer Streets" intervention (planted signal S1).
INTERVENTION_MONTH = pd.Period("2023-10", freq="M")
#: The financial year the sample Strategic Assessment reports on.
REPORTING_YEAR = "2024/25"

#: The six Census 2021 age bands of the population file, in order.
AGE_BANDS: tuple[str, ...] = (
    "Aged 15 years and under",
    "Aged 16 to 24 years",
    "Aged 25 to 34 years",
    "Aged 35 to 49 years",
    "Aged 50 to 64 years",
    "Aged 65 years and over",
)

_LETTERS = "ABCDE"


def _codes(first: int, n: int) -> tuple[str, ...]:
    return tuple(f"E0{first + k}" for k in range(n))


def _names(town: str, n: int) -> tuple[str, ...]:
    return tuple(f"{town} {k // 5 + 1:03d}{_LETTERS[k % 5]}" for k in range(n))


@dataclass(frozen=True)
class District:
    """Codes and names of the synthetic district (see ``docs/data-formats.md``).

    Attributes
    ----------
    name, lad_code, csp_code : str
        Sampleton, its local-authority-district and Community Safety Partnership codes.
    force, force_slug, pfa_code : str
        The police force as written in the files, its file-name slug, its PFA code.
    county_name, county_code : str
        The county (for Fingertips comparisons).
    neighbour_name, neighbour_lad_code : str
        Otherford, the other district in the same force files.
    lsoa_codes, lsoa_names : tuple of str
        Sampleton's 100 LSOAs (``E01990001`` ... = ``Sampleton 001A`` ...).
    neighbour_lsoa_codes, neighbour_lsoa_names : tuple of str
        Otherford's 30 LSOAs.
    """

    name: str
    lad_code: str
    csp_code: str
    force: str
    force_slug: str
    pfa_code: str
    county_name: str
    county_code: str
    neighbour_name: str
    neighbour_lad_code: str
    lsoa_codes: tuple[str, ...]
    lsoa_names: tuple[str, ...]
    neighbour_lsoa_codes: tuple[str, ...]
    neighbour_lsoa_names: tuple[str, ...]


#: The synthetic district. ``DISTRICT.lsoa_codes[i]`` is named ``DISTRICT.lsoa_names[i]``.
DISTRICT = District(
    name="Sampleton",
    lad_code="E07999999",
    csp_code="E22999999",
    force="Sampleshire Police",
    force_slug="sampleshire",
    pfa_code="E23999999",
    county_name="Sampleshire",
    county_code="E10999999",
    neighbour_name="Otherford",
    neighbour_lad_code="E07999998",
    lsoa_codes=_codes(1990001, 100),
    lsoa_names=_names("Sampleton", 100),
    neighbour_lsoa_codes=_codes(1991001, 30),
    neighbour_lsoa_names=_names("Otherford", 30),
)

#: Town centre = MSOA 010 (``Sampleton 010A``-``010E``).
TOWN_CENTRE_LSOAS: tuple[str, ...] = DISTRICT.lsoa_codes[45:50]
#: Displacement buffer = MSOAs 009 and 011.
BUFFER_LSOAS: tuple[str, ...] = DISTRICT.lsoa_codes[40:45] + DISTRICT.lsoa_codes[50:55]
#: Comparison (control) area = MSOA 015.
COMPARISON_LSOAS: tuple[str, ...] = DISTRICT.lsoa_codes[70:75]
#: The LSOA with the planted criminal-damage spike (``Sampleton 017C``, signal S3).
SPIKE_LSOA: str = DISTRICT.lsoa_codes[82]

# ---------------------------------------------------------------------------------------
# Fixed geography
# ---------------------------------------------------------------------------------------

#: Seed of the district's fixed geography (never the user's seed).
_GEOGRAPHY_SEED = 20070530
#: Centre of the made-up town (degrees) and of Otherford.
_TOWN_LON, _TOWN_LAT = -1.3102, 52.0843
_OTHER_LON, _OTHER_LAT = -1.1125, 52.0391
_KM_LAT = 1 / 111.2
_KM_LON = 1 / 68.6

#: Number of LSOAs per IMD decile in Sampleton (decile 1 first); sums to 100.
_DECILE_QUOTA = (3, 5, 6, 8, 10, 12, 13, 14, 14, 15)
_N_LSOAS_ENGLAND = 32844
#: Deprivation score overrides: lower = more deprived (town centre and two estates).
_DEPRIVED = {
    "017C": 0.00,
    "017A": 0.01,
    "004B": 0.02,
    "010A": 0.03,
    "010C": 0.04,
    "004A": 0.05,
    "017B": 0.06,
    "004C": 0.07,
    "010B": 0.10,
    "010E": 0.11,
    "017D": 0.12,
    "004D": 0.13,
    "012A": 0.14,
    "008B": 0.15,
    "010D": 0.17,
    "015A": 0.30,
    "015B": 0.34,
    "015C": 0.38,
    "015D": 0.42,
    "015E": 0.46,
}

#: Census age-band shares by kind of neighbourhood.
_AGE_PROFILE = {
    "town_centre": (0.11, 0.19, 0.25, 0.20, 0.14, 0.11),
    "deprived": (0.24, 0.12, 0.16, 0.19, 0.16, 0.13),
    "middle": (0.19, 0.10, 0.13, 0.20, 0.20, 0.18),
    "affluent": (0.17, 0.08, 0.09, 0.20, 0.23, 0.23),
}

_STREET_STEMS = (
    "Abbey", "Alder", "Ash", "Badger", "Barley", "Beech", "Bell", "Birch", "Bishops",
    "Blackthorn", "Bluebell", "Bramble", "Brewer", "Bridge", "Brook", "Buckland", "Bushey",
    "Castle", "Cedar", "Chalk", "Chantry", "Chapel", "Cherry", "Chestnut", "Church", "Clover",
    "Coopers", "Copse", "Court", "Cowslip", "Cricketers", "Cross", "Dairy", "Dene", "Dover",
    "Elm", "Fairfield", "Farriers", "Fern", "Field", "Forge", "Foxglove", "Friars", "Furze",
    "Glebe", "Gravel", "Green", "Hawthorn", "Hazel", "Heath", "Hedgerow", "Highfield",
    "Hillside", "Holly", "Hop", "Hornbeam", "Kestrel", "Kiln", "Kingfisher", "Laburnum",
    "Larch", "Lavender", "Lime", "Linden", "Lock", "Long", "Lower", "Manor", "Maple",
    "Meadow", "Mill", "Minster", "Nursery", "Oak", "Oast", "Old Barn", "Orchard", "Osier",
    "Paddock", "Parsonage", "Pear Tree", "Pilgrims", "Pine", "Plough", "Poplar", "Priory",
    "Quarry", "Rectory", "Rowan", "Rushmead", "Saxon", "School", "Sheep", "Silver Birch",
    "Spindle", "Spring", "Squirrel", "Stable", "Tannery", "Teasel", "Thistle", "Tithe Barn",
    "Upper", "Vale", "Vicarage", "Walnut", "Warren", "Watermill", "Weald", "Well", "Wharf",
    "Willow", "Windmill", "Woodland", "Wren", "Yew",
)  # fmt: skip
_STREET_SUFFIXES = (
    "Road", "Road", "Road", "Street", "Lane", "Lane", "Close", "Close", "Avenue", "Way",
    "Drive", "Gardens", "Crescent", "Place", "Rise", "Walk", "Mews", "Court", "View", "Hill",
)  # fmt: skip
#: Named points of the town centre: (name, kind). Kinds steer where crimes happen.
_TOWN_CENTRE_PLACES = (
    ("Shopping Area", "retail"),
    ("Shopping Area", "retail"),
    ("Supermarket", "retail"),
    ("Supermarket", "retail"),
    ("Market Square", "retail"),
    ("Guildhall Street", "retail"),
    ("Cornhill", "retail"),
    ("Nightclub", "nte"),
    ("Nightclub", "nte"),
    ("Theatre/Concert Hall", "nte"),
    ("Riverside Walk", "nte"),
    ("Tavern Row", "nte"),
    ("Parking Area", "parking"),
    ("Parking Area", "parking"),
    ("Bus/Coach Station", "street"),
    ("Pedestrian Subway", "street"),
    ("Police Station", "street"),
    ("Further/Higher Educational Building", "street"),
)
_OTHER_PLACES = (
    ("Supermarket", "retail"),
    ("Parking Area", "parking"),
    ("Petrol Station", "parking"),
    ("Sports/Recreation Area", "street"),
    ("Park/Open Space", "street"),
)


@dataclass(frozen=True)
class Geography:
    """The fixed geography of Sampleton and Otherford.

    Attributes
    ----------
    lsoas : pandas.DataFrame
        One row per LSOA (Sampleton's 100 first, then Otherford's 30): ``lsoa_code,
        lsoa_name, lad_code, lad_name, msoa, role, lon, lat, imd_decile, imd_rank,
        population, intensity`` and one column per age band (``AGE_BANDS``). ``role`` is
        ``town_centre``, ``buffer``, ``comparison``, ``other`` or ``otherford``;
        ``intensity`` is a fixed random effect (mean about 1) of the LSOA's crime level.
    points : pandas.DataFrame
        Anonymous map points (``lsoa_index, name, kind, lon, lat, weight``), the
        "On or near ..." locations crimes are snapped to.
    """

    lsoas: pd.DataFrame
    points: pd.DataFrame


def financial_year(months: pd.PeriodIndex) -> np.ndarray:
    """Financial-year labels (April-March) of monthly periods.

    Parameters
    ----------
    months : pandas.PeriodIndex
        Monthly periods.

    Returns
    -------
    numpy.ndarray
        Labels such as ``"2024/25"``.

    Examples
    --------
    >>> financial_year(pd.period_range("2024-03", "2024-04", freq="M")).tolist()
    ['2023/24', '2024/25']
    """
    start = np.where(months.month >= 4, months.year, months.year - 1)
    return np.array([f"{y}/{(y + 1) % 100:02d}" for y in start], dtype=object)


def _kind_of(suffix: str, role: str, decile: int) -> str:
    if role == "town_centre":
        return "town_centre"
    if decile <= 3:
        return "deprived"
    if decile >= 8:
        return "affluent"
    return "middle"


def _msoa_centres(rng: np.random.Generator) -> np.ndarray:
    """Centres (km east, km north of the town centre) of Sampleton's 20 MSOAs."""
    centres = np.zeros((20, 2))
    golden = np.pi * (3 - np.sqrt(5))
    others = [m for m in range(1, 21) if m not in (9, 10, 11)]
    for j, m in enumerate(others):
        radius = 1.8 + 0.42 * j + rng.normal(0, 0.15)
        angle = golden * (j + 3)
        centres[m - 1] = radius * np.cos(angle), radius * np.sin(angle)
    centres[8] = (-1.0, 0.15)  # MSOA 009, west of the centre
    centres[10] = (1.0, -0.1)  # MSOA 011, east of the centre
    return centres


def build_geography() -> Geography:
    """Build the fixed geography of Sampleton and Otherford (independent of any seed).

    Returns
    -------
    Geography
        LSOA attributes and map points.

    Examples
    --------
    >>> geo = build_geography()
    >>> len(geo.lsoas), int(geo.lsoas["population"].iloc[:100].sum()) // 1000
    (130, 175)
    >>> geo.lsoas.set_index("lsoa_name").loc["Sampleton 017C", "imd_decile"]
    np.int64(1)
    """
    rng = np.random.default_rng(_GEOGRAPHY_SEED)
    d = DISTRICT
    n_s, n_o = len(d.lsoa_codes), len(d.neighbour_lsoa_codes)

    # --- positions ------------------------------------------------------------------
    msoa_xy = _msoa_centres(rng)
    xy = np.zeros((n_s + n_o, 2))
    for k in range(n_s):
        m = k // 5
        spread = 0.22 if m == 9 else 0.45
        angle = 2 * np.pi * (k % 5) / 5 + rng.uniform(-0.3, 0.3)
        xy[k] = msoa_xy[m] + spread * np.array([np.cos(angle), np.sin(angle)])
    other_msoa = np.array(
        [[0.0, 0.0], [-1.6, 0.9], [1.5, 1.0], [1.7, -1.1], [-1.4, -1.2], [0.2, 2.2]]
    )
    for k in range(n_o):
        angle = 2 * np.pi * (k % 5) / 5 + rng.uniform(-0.3, 0.3)
        xy[n_s + k] = other_msoa[k // 5] + 0.45 * np.array([np.cos(angle), np.sin(angle)])

    # --- roles ----------------------------------------------------------------------
    codes = d.lsoa_codes + d.neighbour_lsoa_codes
    names = d.lsoa_names + d.neighbour_lsoa_names
    role = np.array(["other"] * n_s + ["otherford"] * n_o, dtype=object)
    role[[codes.index(c) for c in TOWN_CENTRE_LSOAS]] = "town_centre"
    role[[codes.index(c) for c in BUFFER_LSOAS]] = "buffer"
    role[[codes.index(c) for c in COMPARISON_LSOAS]] = "comparison"

    # --- deprivation ------------------------------------------------------------------
    dist = np.hypot(xy[:n_s, 0], xy[:n_s, 1])
    score = 0.2 + 0.05 * dist + rng.normal(0, 0.12, n_s)
    score = np.maximum(score, 0.18)
    for k, name in enumerate(d.lsoa_names):
        suffix = name.split()[-1]
        if suffix in _DEPRIVED:
            score[k] = _DEPRIVED[suffix]
    order = np.argsort(score, kind="stable")
    decile = np.empty(n_s + n_o, dtype=np.int64)
    rank = np.empty(n_s + n_o, dtype=np.int64)
    bounds = np.floor(np.arange(11) * _N_LSOAS_ENGLAND / 10).astype(np.int64)
    pos = 0
    for dec, quota in enumerate(_DECILE_QUOTA, start=1):
        members = order[pos : pos + quota]
        ranks = np.sort(
            rng.choice(np.arange(bounds[dec - 1] + 1, bounds[dec] + 1), quota, replace=False)
        )
        decile[members] = dec
        rank[members] = ranks
        pos += quota
    other_dec = rng.choice(
        np.arange(2, 11), n_o, p=np.array([3, 5, 8, 12, 14, 16, 16, 14, 12]) / 100
    )
    decile[n_s:] = other_dec
    for k in range(n_s, n_s + n_o):
        dec = decile[k]
        rank[k] = rng.integers(bounds[dec - 1] + 1, bounds[dec] + 1)
    # ranks must be unique across the file
    seen: set[int] = set()
    for k in range(n_s + n_o):
        while int(rank[k]) in seen:
            rank[k] += 1 if rank[k] < bounds[decile[k]] else -1
        seen.add(int(rank[k]))

    # --- population ---------------------------------------------------------------------
    total = np.clip(rng.normal(1760, 240, n_s + n_o), 1150, 2650)
    total[role == "town_centre"] = rng.normal(1500, 120, 5)
    total[:n_s] *= 175_000 / total[:n_s].sum()
    total[n_s:] *= 51_000 / total[n_s:].sum()
    bands = np.zeros((n_s + n_o, 6), dtype=np.int64)
    for k in range(n_s + n_o):
        kind = _kind_of(names[k], role[k], int(decile[k]))
        shares = rng.dirichlet(np.array(_AGE_PROFILE[kind]) * 300)
        bands[k] = rng.multinomial(int(round(total[k])), shares)

    # --- crime intensity (fixed random effect) ---------------------------------------------
    intensity = rng.gamma(5.0, 1 / 5.0, n_s + n_o)
    intensity[role == "town_centre"] = np.array([1.5, 1.0, 1.1, 0.8, 0.7])

    lsoas = pd.DataFrame(
        {
            "lsoa_code": codes,
            "lsoa_name": names,
            "lad_code": [d.lad_code] * n_s + [d.neighbour_lad_code] * n_o,
            "lad_name": [d.name] * n_s + [d.neighbour_name] * n_o,
            "msoa": [n[:-1] for n in names],
            "role": role.astype(str),
            "lon": np.where(np.arange(n_s + n_o) < n_s, _TOWN_LON, _OTHER_LON) + xy[:, 0] * _KM_LON,
            "lat": np.where(np.arange(n_s + n_o) < n_s, _TOWN_LAT, _OTHER_LAT) + xy[:, 1] * _KM_LAT,
            "imd_decile": decile,
            "imd_rank": rank,
            "population": bands.sum(axis=1),
            "intensity": intensity,
        }
    )
    for j, band in enumerate(AGE_BANDS):
        lsoas[band] = bands[:, j]
    return Geography(lsoas=lsoas, points=_build_points(rng, lsoas))


def _build_points(rng: np.random.Generator, lsoas: pd.DataFrame) -> pd.DataFrame:
    """Anonymous snap points: named streets and places with a popularity weight."""
    rows: list[tuple[int, str, str, float, float, float]] = []
    pool = [f"{s} {x}" for s in _STREET_STEMS for x in _STREET_SUFFIXES[:10]]
    for k, lsoa in enumerate(lsoas.itertuples(index=False)):
        town_centre = lsoa.role == "town_centre"
        n_streets = int(rng.integers(6, 10)) if town_centre else int(rng.integers(8, 17))
        picks = rng.choice(len(pool), n_streets, replace=False)
        places: list[tuple[str, str]] = [(pool[p], "street") for p in picks]
        if town_centre:
            chosen = rng.choice(len(_TOWN_CENTRE_PLACES), 9, replace=False)
            places += [_TOWN_CENTRE_PLACES[c] for c in sorted(chosen)]
            places.append(("High Street", "retail"))
        else:
            for place in _OTHER_PLACES:
                if rng.random() < 0.3:
                    places.append(place)
        spread = 0.12 if town_centre else 0.25
        for name, kind in places:
            lon = lsoa.lon + rng.normal(0, spread) * _KM_LON
            lat = lsoa.lat + rng.normal(0, spread) * _KM_LAT
            rows.append((k, name, kind, round(lon, 6), round(lat, 6), rng.gamma(0.8)))
    return pd.DataFrame(rows, columns=["lsoa_index", "name", "kind", "lon", "lat", "weight"])
