"""data.police.uk-shaped records: street-level crime rows and stop-and-search rows.

Counts are drawn from the expected values of :mod:`smp_analysis.sample.model` with
gamma-Poisson over-dispersion (a shared month × category shock and an LSOA-level
shock), then expanded into rows snapped to the district's map points.

Examples
--------
>>> import numpy as np
>>> from smp_analysis.sample.district import build_geography
>>> from smp_analysis.sample.model import expected_counts
>>> geo = build_geography()
>>> counts = realise_counts(expected_counts(geo), np.random.default_rng(1))
>>> counts.shape, counts.dtype.kind
((14, 130, 48), 'i')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..categories import ALL_CATEGORIES, ASB
from ..sources.police_uk import STOP_SEARCH_COLUMNS, STREET_COLUMNS
from .district import DISTRICT, END, MISSING_MONTHS, Geography
from .model import SIGNALS, Expected

__all__ = [
    "NO_LOCATION_SHARE",
    "STOP_SEARCH_COLUMNS",
    "STREET_COLUMNS",
    "ethnic_detail",
    "realise_counts",
    "stop_search_rows",
    "street_rows",
]

# The published layouts are defined once, by the readers that check them.
#: Share of force rows with no location (Kent 2024-25 files: 1.1%; City of London: 7.7%).
NO_LOCATION_SHARE = 0.02
#: Gamma shape of the month × category shock (CV 5%) and of the LSOA × month shock (CV 32%).
_K_MONTH = 400.0
_K_CELL = 10.0
#: Month the files are taken to have been downloaded (outcomes mature with age).
_EXTRACTED = END + 3

_NO_LOCATION_MIX = {
    "Violence and sexual offences": 0.40,
    "Other crime": 0.15,
    "Other theft": 0.10,
    "Shoplifting": 0.08,
    "Drugs": 0.06,
    "Criminal damage and arson": 0.05,
    "Public order": 0.04,
    "Anti-social behaviour": 0.04,
    "Burglary": 0.03,
    "Vehicle crime": 0.02,
    "Possession of weapons": 0.01,
    "Robbery": 0.01,
    "Theft from the person": 0.005,
    "Bicycle theft": 0.005,
}

# Where each category happens: multipliers for point kinds (street, retail, nte, parking).
_KINDS = ("street", "retail", "nte", "parking")
_PROFILES = {
    "general": (1.0, 1.0, 1.0, 1.0),
    "retail": (0.05, 30.0, 0.5, 1.0),
    "theft": (0.5, 4.0, 4.0, 1.0),
    "nte": (1.0, 1.5, 5.0, 1.0),
    "parking": (0.6, 1.0, 0.5, 8.0),
    "residential": (1.5, 0.2, 0.3, 0.5),
}
_CATEGORY_PROFILE = {
    "Anti-social behaviour": "nte",
    "Bicycle theft": "theft",
    "Burglary": "residential",
    "Criminal damage and arson": "residential",
    "Drugs": "nte",
    "Other crime": "general",
    "Other theft": "theft",
    "Possession of weapons": "nte",
    "Public order": "nte",
    "Robbery": "nte",
    "Shoplifting": "retail",
    "Theft from the person": "theft",
    "Vehicle crime": "parking",
    "Violence and sexual offences": "nte",
}

UNDER_INVESTIGATION = "Under investigation"
AWAITING_COURT = "Awaiting court outcome"
_OUTCOMES = (
    UNDER_INVESTIGATION,
    AWAITING_COURT,
    "Unable to prosecute suspect",
    "Investigation complete; no suspect identified",
    "Court result unavailable",
    "Local resolution",
    "Offender given a caution",
    "Action to be taken by another organisation",
    "Status update unavailable",
    "Further investigation is not in the public interest",
    "Further action is not in the public interest",
    "Formal action is not in the public interest",
)
# Final outcome mix (columns _OUTCOMES[2:]) by kind of crime.
_FINAL = {
    "violence": (55, 14, 9, 5, 2, 6, 5, 1.5, 2, 0.5),
    "acquisitive": (18, 66, 4, 3, 0.5, 2, 5, 0.5, 0.5, 0.5),
    "shoplifting": (15, 45, 16, 8, 3, 1, 9, 1, 1.5, 0.5),
    "proactive": (15, 5, 24, 25, 8, 5, 10, 1, 5, 2),
    "other": (45, 20, 10, 5, 1, 10, 7, 1, 0.5, 0.5),
}
_OUTCOME_GROUP = {
    "Violence and sexual offences": "violence",
    "Public order": "violence",
    "Shoplifting": "shoplifting",
    "Drugs": "proactive",
    "Possession of weapons": "proactive",
    "Other crime": "other",
}
_COURT_SHARE = {"violence": 0.10, "shoplifting": 0.08, "proactive": 0.12, "other": 0.06}


def realise_counts(expected: Expected, rng: np.random.Generator) -> np.ndarray:
    """Draw gamma-Poisson counts from the expected values.

    Parameters
    ----------
    expected : Expected
        From :func:`smp_analysis.sample.model.expected_counts`.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    numpy.ndarray
        Integer counts, shape (category, LSOA, month), all 48 months (the missing
        month is generated so partner data can be consistent with it, but never written).

    Examples
    --------
    >>> import numpy as np
    >>> from smp_analysis.sample.district import build_geography
    >>> from smp_analysis.sample.model import expected_counts
    >>> exp = expected_counts(build_geography())
    >>> a = realise_counts(exp, np.random.default_rng(7))
    >>> b = realise_counts(exp, np.random.default_rng(7))
    >>> bool((a == b).all()), int(a.sum()) > 80_000
    (True, True)
    """
    mu = expected.mu
    n_cat, n_lsoa, n_month = mu.shape
    otherford = (expected.lsoas["role"] == "otherford").to_numpy().astype(int)
    month_shock = rng.gamma(_K_MONTH, 1 / _K_MONTH, size=(n_cat, 2, n_month))
    cell_shock = rng.gamma(_K_CELL, 1 / _K_CELL, size=mu.shape)
    # the planted spikes keep their size: no cell-level shock where they are
    cell_shock[mu != expected.baseline] = 1.0
    lam = mu * month_shock[:, otherford, :] * cell_shock
    return rng.poisson(lam)


def _outcome_table(months: pd.PeriodIndex) -> np.ndarray:
    """Cumulative outcome probabilities, shape (category, month, outcome)."""
    age = np.array([(_EXTRACTED - m).n for m in months], dtype=float)
    table = np.zeros((len(ALL_CATEGORIES), len(months), len(_OUTCOMES)))
    for c, cat in enumerate(ALL_CATEGORIES):
        if cat == ASB:
            continue
        group = _OUTCOME_GROUP.get(cat, "acquisitive")
        final = np.array(_FINAL[group], dtype=float)
        final /= final.sum()
        under = 0.02 + 0.45 * np.exp(-(age - 3) / 2.5)
        court = _COURT_SHARE.get(group, 0.02) * np.exp(-(age - 3) / 10)
        table[c, :, 0] = under
        table[c, :, 1] = court
        table[c, :, 2:] = (1 - under - court)[:, None] * final[None, :]
    return np.cumsum(table, axis=2)


def _point_tables(geo: Geography) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Cumulative point-choice probabilities per (LSOA, profile) and LSOA offsets."""
    pts = geo.points
    n_lsoa = len(geo.lsoas)
    sizes = pts.groupby("lsoa_index").size().reindex(range(n_lsoa), fill_value=0).to_numpy()
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    width = int(sizes.max())
    names = list(_PROFILES)
    cum = np.ones((n_lsoa, len(names), width))
    kind_idx = pts["kind"].map({k: j for j, k in enumerate(_KINDS)}).to_numpy()
    weight = pts["weight"].to_numpy()
    for i in range(n_lsoa):
        sl = slice(offsets[i], offsets[i] + sizes[i])
        for p, name in enumerate(names):
            w = weight[sl] * np.array(_PROFILES[name])[kind_idx[sl]]
            cum[i, p, : sizes[i]] = np.cumsum(w) / w.sum()
    return cum, offsets, {n: j for j, n in enumerate(names)}


def _hex_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    blob = rng.bytes(32 * n).hex()
    return np.array([blob[64 * k : 64 * (k + 1)] for k in range(n)], dtype=object)


def street_rows(
    geo: Geography, expected: Expected, counts: np.ndarray, rng: np.random.Generator
) -> dict[pd.Period, pd.DataFrame]:
    """Street-level rows for every month that has a file.

    Parameters
    ----------
    geo : Geography
        The district's geography (points to snap to).
    expected : Expected
        Expected counts (for the months and categories).
    counts : numpy.ndarray
        From :func:`realise_counts`.
    rng : numpy.random.Generator
        Source of randomness (IDs, locations, outcomes, no-location rows).

    Returns
    -------
    dict
        Month → DataFrame with :data:`STREET_COLUMNS` (strings), ordered as
        data.police.uk orders its files: by LSOA name and location, no-location rows last.

    Examples
    --------
    >>> import numpy as np
    >>> from smp_analysis.sample.district import build_geography
    >>> from smp_analysis.sample.model import expected_counts
    >>> geo = build_geography(); exp = expected_counts(geo)
    >>> rng = np.random.default_rng(3)
    >>> rows = street_rows(geo, exp, realise_counts(exp, rng), rng)
    >>> len(rows), tuple(rows[exp.months[0]].columns) == STREET_COLUMNS
    (47, True)
    """
    lsoas = geo.lsoas
    pts = geo.points
    cum_points, offsets, profile_index = _point_tables(geo)
    cat_profile = np.array([profile_index[_CATEGORY_PROFILE[c]] for c in ALL_CATEGORIES])
    outcome_cum = _outcome_table(expected.months)
    outcomes = np.array(_OUTCOMES, dtype=object)
    categories = np.array(ALL_CATEGORIES, dtype=object)
    codes = lsoas["lsoa_code"].to_numpy(dtype=object)
    names = lsoas["lsoa_name"].to_numpy(dtype=object)
    point_names = ("On or near " + pts["name"]).to_numpy(dtype=object)
    point_lon = np.array([f"{x:.6f}" for x in pts["lon"]], dtype=object)
    point_lat = np.array([f"{x:.6f}" for x in pts["lat"]], dtype=object)
    nl_cats = np.array([ALL_CATEGORIES.index(c) for c in _NO_LOCATION_MIX])
    nl_p = np.array(list(_NO_LOCATION_MIX.values()))
    nl_p /= nl_p.sum()
    asb = ALL_CATEGORIES.index(ASB)
    name_rank = np.argsort(np.argsort(names))

    out: dict[pd.Period, pd.DataFrame] = {}
    for t, month in enumerate(expected.months):
        n = counts[:, :, t]
        cat_idx, lsoa_idx = np.nonzero(n)
        reps = n[cat_idx, lsoa_idx]
        cat = np.repeat(cat_idx, reps)
        lsoa = np.repeat(lsoa_idx, reps)
        u = rng.random(len(cat))
        cum = cum_points[lsoa, cat_profile[cat], :]
        point = offsets[lsoa] + (u[:, None] > cum).sum(axis=1)
        order = np.lexsort((rng.random(len(cat)), point, name_rank[lsoa]))
        cat, lsoa, point = cat[order], lsoa[order], point[order]

        n_nl = int(rng.poisson(NO_LOCATION_SHARE / (1 - NO_LOCATION_SHARE) * len(cat)))
        nl_cat = nl_cats[rng.choice(len(nl_cats), n_nl, p=nl_p)]
        all_cat = np.concatenate([cat, nl_cat])
        located = np.arange(len(all_cat)) < len(cat)
        n_rows = len(all_cat)

        is_crime = all_cat != asb
        ids = np.full(n_rows, "", dtype=object)
        ids[is_crime] = _hex_ids(rng, int(is_crime.sum()))
        u_out = rng.random(n_rows)
        k = (u_out[:, None] > outcome_cum[all_cat, t, :]).sum(axis=1)
        k = np.minimum(k, len(_OUTCOMES) - 1)
        outcome = np.where(is_crime, outcomes[k], "")

        blank = np.full(n_rows, "", dtype=object)
        lon, lat, loc, code, lname = (blank.copy() for _ in range(5))
        lon[located] = point_lon[point]
        lat[located] = point_lat[point]
        loc[located] = point_names[point]
        loc[~located] = "No Location"
        code[located] = codes[lsoa]
        lname[located] = names[lsoa]
        if month in MISSING_MONTHS:
            continue
        out[month] = pd.DataFrame(
            {
                "Crime ID": ids,
                "Month": str(month),
                "Reported by": DISTRICT.force,
                "Falls within": DISTRICT.force,
                "Longitude": lon,
                "Latitude": lat,
                "Location": loc,
                "LSOA code": code,
                "LSOA name": lname,
                "Crime type": categories[all_cat],
                "Last outcome category": outcome,
                "Context": blank,
            },
            dtype=object,
        )
    return out


# ---------------------------------------------------------------------------------------
# Stop and search
# ---------------------------------------------------------------------------------------

#: Expected searches a month, force-wide (Sampleton + Otherford).
SEARCHES_PER_MONTH = 60.0
_GROUP_DETAIL = {
    "White": (
        ("White - English/Welsh/Scottish/Northern Irish/British", "White: English/Welsh/Scottish/Northern Irish/British"),
        ("White - Irish", "White: Irish"),
        ("White - Gypsy or Irish Traveller", "White: Gypsy or Irish Traveller"),
        ("White - Any other White background", "White: Other White"),
    ),
    "Mixed": (
        ("Mixed/Multiple ethnic groups - White and Black Caribbean", "Mixed/multiple ethnic group: White and Black Caribbean"),
        ("Mixed/Multiple ethnic groups - White and Black African", "Mixed/multiple ethnic group: White and Black African"),
        ("Mixed/Multiple ethnic groups - White and Asian", "Mixed/multiple ethnic group: White and Asian"),
        ("Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background", "Mixed/multiple ethnic group: Other Mixed"),
    ),
    "Asian": (
        ("Asian/Asian British - Indian", "Asian/Asian British: Indian"),
        ("Asian/Asian British - Pakistani", "Asian/Asian British: Pakistani"),
        ("Asian/Asian British - Bangladeshi", "Asian/Asian British: Bangladeshi"),
        ("Asian/Asian British - Chinese", "Asian/Asian British: Chinese"),
        ("Asian/Asian British - Any other Asian background", "Asian/Asian British: Other Asian"),
    ),
    "Black": (
        ("Black/African/Caribbean/Black British - African", "Black/African/Caribbean/Black British: African"),
        ("Black/African/Caribbean/Black British - Caribbean", "Black/African/Caribbean/Black British: Caribbean"),
        ("Black/African/Caribbean/Black British - Any other Black/African/Caribbean background", "Black/African/Caribbean/Black British: Other Black"),
    ),
    "Other": (
        ("Other ethnic group - Arab", "Other ethnic group: Arab"),
        ("Other ethnic group - Any other ethnic group", "Other ethnic group: Any other ethnic group"),
    ),
}  # fmt: skip
NOT_STATED = "Other ethnic group - Not stated"
#: Officer-defined ethnicity given the person's own group.
_OFFICER = {
    "White": {"White": 0.97, "Other": 0.02, "Asian": 0.01},
    "Black": {"Black": 0.95, "Mixed": 0.03, "Other": 0.02},
    "Asian": {"Asian": 0.90, "Other": 0.05, "White": 0.05},
    "Mixed": {"Black": 0.40, "White": 0.35, "Mixed": 0.20, "Asian": 0.05},
    "Other": {"Other": 0.50, "Asian": 0.25, "White": 0.25},
}
_LEGISLATION = (
    ("Misuse of Drugs Act 1971 (section 23)", 0.58),
    ("Police and Criminal Evidence Act 1984 (section 1)", 0.37),
    ("Criminal Justice and Public Order Act 1994 (section 60)", 0.02),
    ("Firearms Act 1968 (section 47)", 0.01),
    ("Psychoactive Substances Act 2016 (s36(2))", 0.005),
    ("", 0.015),
)
_PACE_OBJECTS = (
    ("Offensive weapons", 0.30),
    ("Stolen goods", 0.30),
    ("Article for use in theft", 0.25),
    ("Articles for use in criminal damage", 0.10),
    ("Fireworks", 0.05),
)
_OBJECT_OF = {
    "Misuse of Drugs Act 1971 (section 23)": "Controlled drugs",
    "Criminal Justice and Public Order Act 1994 (section 60)": "Offensive weapons",
    "Firearms Act 1968 (section 47)": "Firearms",
    "Psychoactive Substances Act 2016 (s36(2))": "Psychoactive substances",
    "": "",
}
_OUTCOMES_SEARCH = (
    ("A no further action disposal", 0.66),
    ("Arrest", 0.15),
    ("Community resolution", 0.07),
    ("Khat or Cannabis warning", 0.07),
    ("Penalty Notice for Disorder", 0.02),
    ("Summons / charged by post", 0.02),
    ("Caution (simple or conditional)", 0.01),
)


def ethnic_detail() -> dict[str, tuple[tuple[str, str], ...]]:
    """The 18 detailed ethnic groups: data.police.uk label and Nomis QS201EW label, by group.

    Returns
    -------
    dict
        Broad group (White, Mixed, Asian, Black, Other) → tuple of (police label, Nomis label).

    Examples
    --------
    >>> detail = ethnic_detail()
    >>> sum(len(v) for v in detail.values())
    18
    >>> detail["Black"][0][0]
    'Black/African/Caribbean/Black British - African'
    """
    return _GROUP_DETAIL


def _last_sunday(year: int, month: int) -> pd.Timestamp:
    last = pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)
    return last - pd.Timedelta(days=(last.day_of_week + 1) % 7)


def _to_utc(local: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """UK local time to UTC (BST from the last Sunday of March to the last Sunday of October)."""
    year = local.year[0]
    start = _last_sunday(year, 3) + pd.Timedelta(hours=1)
    end = _last_sunday(year, 10) + pd.Timedelta(hours=1)
    bst = (local >= start) & (local < end)
    return local - pd.to_timedelta(bst.astype(int), unit="h")


def _pick(rng: np.random.Generator, choices: tuple[tuple[str, float], ...], n: int) -> np.ndarray:
    labels = np.array([c for c, _ in choices], dtype=object)
    p = np.array([w for _, w in choices], dtype=float)
    return labels[rng.choice(len(labels), n, p=p / p.sum())]


def stop_search_rows(
    geo: Geography,
    group_population: dict[str, float],
    detail_population: dict[str, float],
    months: pd.PeriodIndex,
    rng: np.random.Generator,
) -> dict[pd.Period, pd.DataFrame]:
    """Force-wide stop-and-search rows, month by month.

    The person's own ethnic group is drawn with probability proportional to the group's
    population × :attr:`SIGNALS.stop_search_rr`, so the search rate of Black residents
    is about three times that of White residents (S6).

    Parameters
    ----------
    geo : Geography
        Points for the search locations.
    group_population : dict
        Residents of the force area by broad group (White, Mixed, Asian, Black, Other).
    detail_population : dict
        Residents by detailed group (the Nomis label), to pick the self-defined label.
    months : pandas.PeriodIndex
        Months to generate; the missing months get no file.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    dict
        Month → DataFrame with :data:`STOP_SEARCH_COLUMNS`, sorted by date.

    Examples
    --------
    >>> import numpy as np
    >>> from smp_analysis.sample.district import build_geography
    >>> geo = build_geography()
    >>> groups = {"White": 900.0, "Mixed": 20.0, "Asian": 40.0, "Black": 20.0, "Other": 10.0}
    >>> detail = {n: 1.0 for g in ethnic_detail().values() for _, n in g}
    >>> rows = stop_search_rows(geo, groups, detail, pd.period_range("2024-06", "2024-06", freq="M"),
    ...                         np.random.default_rng(0))
    >>> df = rows[pd.Period("2024-06", freq="M")]
    >>> tuple(df.columns) == STOP_SEARCH_COLUMNS, df["Date"].str.endswith("+00:00").all()
    (True, np.True_)
    """
    pts = geo.points
    tc = (geo.lsoas["role"] == "town_centre").to_numpy()[pts["lsoa_index"].to_numpy()]
    p_point = pts["weight"].to_numpy() * np.where(tc, 6.0, 1.0)
    p_point = p_point / p_point.sum()
    lat_s = np.array([f"{x:.6f}" for x in pts["lat"]], dtype=object)
    lon_s = np.array([f"{x:.6f}" for x in pts["lon"]], dtype=object)
    groups = list(_GROUP_DETAIL)
    p_group = np.array([group_population[g] * SIGNALS.stop_search_rr[g] for g in groups])
    p_group /= p_group.sum()
    hours = np.array([3, 2, 1, 1, 1, 1, 1, 2, 3, 3, 4, 4, 5, 5, 6, 7, 7, 7, 7, 7, 7, 6, 5, 4.0])
    hours /= hours.sum()

    out: dict[pd.Period, pd.DataFrame] = {}
    for month in months:
        season = 1 + 0.08 * np.cos(2 * np.pi * (month.month - 8) / 12)
        n = int(rng.poisson(rng.gamma(50.0, SEARCHES_PER_MONTH * season / 50.0)))
        days = rng.integers(0, month.days_in_month, n)
        secs = rng.choice(24, n, p=hours) * 3600 + rng.integers(0, 3600, n)
        local = pd.DatetimeIndex(
            month.start_time + pd.to_timedelta(days, unit="D") + pd.to_timedelta(secs, unit="s")
        )
        utc = _to_utc(local)
        order = np.argsort(utc.asi8, kind="stable")
        utc = utc[order]
        kind = _pick(
            rng,
            (
                ("Person search", 0.70),
                ("Person and Vehicle search", 0.28),
                ("Vehicle search", 0.02),
            ),
            n,
        )
        person = kind != "Vehicle search"
        group = np.array(groups, dtype=object)[rng.choice(len(groups), n, p=p_group)]
        self_defined = np.empty(n, dtype=object)
        officer = np.empty(n, dtype=object)
        for g in groups:
            sel = group == g
            labels = np.array([p for p, _ in _GROUP_DETAIL[g]], dtype=object)
            w = np.array([detail_population[nm] for _, nm in _GROUP_DETAIL[g]], dtype=float)
            self_defined[sel] = labels[rng.choice(len(labels), int(sel.sum()), p=w / w.sum())]
            officer[sel] = _pick(rng, tuple(_OFFICER[g].items()), int(sel.sum()))
        u = rng.random(n)
        self_defined[u < 0.06] = NOT_STATED
        self_defined[(u >= 0.06) & (u < 0.10)] = ""
        officer[rng.random(n) < 0.02] = ""
        gender = _pick(rng, (("Male", 0.87), ("Female", 0.12), ("Other", 0.002), ("", 0.008)), n)
        age = _pick(
            rng,
            (
                ("under 10", 0.002),
                ("10-17", 0.14),
                ("18-24", 0.34),
                ("25-34", 0.27),
                ("over 34", 0.21),
                ("", 0.038),
            ),
            n,
        )
        legislation = _pick(rng, _LEGISLATION, n)
        obj = np.array([_OBJECT_OF.get(x, "") for x in legislation], dtype=object)
        pace = legislation == "Police and Criminal Evidence Act 1984 (section 1)"
        obj[pace] = _pick(rng, _PACE_OBJECTS, int(pace.sum()))
        outcome = _pick(rng, _OUTCOMES_SEARCH, n)
        drugs = obj == "Controlled drugs"
        outcome[(outcome == "Khat or Cannabis warning") & ~drugs] = "A no further action disposal"
        linked = np.where(
            outcome == "A no further action disposal",
            np.where(rng.random(n) < 0.05, "True", "False"),
            np.where(rng.random(n) < 0.7, "True", "False"),
        ).astype(object)
        removal = _pick(rng, (("False", 0.95), ("True", 0.03), ("", 0.02)), n)
        has_xy = rng.random(n) < 0.78
        point = rng.choice(len(pts), n, p=p_point)
        blank = np.full(n, "", dtype=object)
        for arr in (gender, age, self_defined, officer, removal):
            arr[~person] = ""
        if month in MISSING_MONTHS:
            continue
        out[month] = pd.DataFrame(
            {
                "Type": kind,
                "Date": [ts.strftime("%Y-%m-%dT%H:%M:%S+00:00") for ts in utc],
                "Part of a policing operation": blank,
                "Policing operation": blank,
                "Latitude": np.where(has_xy, lat_s[point], ""),
                "Longitude": np.where(has_xy, lon_s[point], ""),
                "Gender": gender,
                "Age range": age,
                "Self-defined ethnicity": self_defined,
                "Officer-defined ethnicity": officer,
                "Legislation": legislation,
                "Object of search": obj,
                "Outcome": outcome,
                "Outcome linked to object of search": linked,
                "Removal of more than just outer clothing": removal,
            },
            dtype=object,
        )
    return out
