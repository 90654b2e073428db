"""Partner returns (``partner_returns.csv``, docs/data-formats.md §3) for Sampleton.

Domestic-abuse-flagged crimes are drawn *from the police counts* (binomial thinning of
Sampleton's monthly violence, criminal damage and other crime), so in every month the
DA-flagged violence is at most the police "Violence and sexual offences" count (S2).

Examples
--------
>>> PARTNER_COLUMNS
('period', 'indicator', 'area', 'value', 'numerator', 'denominator', 'sub_type', 'note')
>>> quarter_label(pd.Period("2024-05", freq="M"))
'2024/25 Q1'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..categories import ALL_CATEGORIES, ASB
from .district import DISTRICT, Geography, financial_year
from .model import SIGNALS, Expected
from .population import youth_population

__all__ = ["DA_SUBTYPES", "PARTNER_COLUMNS", "PARTNER_TARGETS", "partner_returns", "quarter_label"]

PARTNER_COLUMNS: tuple[str, ...] = (
    "period",
    "indicator",
    "area",
    "value",
    "numerator",
    "denominator",
    "sub_type",
    "note",
)

#: Expected DA-flagged violence a month by sub-type and financial year (S2).
DA_SUBTYPES: dict[str, dict[str, float]] = {
    "coercive_control": {
        "2021/22": 22.0,
        "2022/23": 25.0,
        "2023/24": 27.0,
        "2024/25": 27.0 * SIGNALS.coercive_control_change,
    },
    "stalking_harassment": dict.fromkeys(("2021/22", "2022/23", "2023/24", "2024/25"), 54.0),
    "violence_with_injury": dict.fromkeys(("2021/22", "2022/23", "2023/24", "2024/25"), 43.0),
    "violence_without_injury": dict.fromkeys(("2021/22", "2022/23", "2023/24", "2024/25"), 66.0),
    "sexual_offences": dict.fromkeys(("2021/22", "2022/23", "2023/24", "2024/25"), 22.0),
}

#: Other partner indicators: expected values at the start and end of the four years (S9).
PARTNER_TARGETS: dict[str, tuple[float, float]] = {
    "da_criminal_damage": (10.0, 10.0),  # a month
    "da_other": (6.0, 6.0),  # a month
    "marac_cases": (92.0, 92.0),  # a quarter
    "marac_repeat_share": (0.31, 0.31),
    "youth_first_time_entrants": (10.0, 5.0),  # a quarter: falling
    "youth_reoffending_share": (0.34, 0.31),
    "youth_cohort": (62.0, 58.0),  # a year
    "knife_crime": (11.0, 11.0),  # a month: flat
    "nrm_referrals": (5.0, 16.0),  # a quarter: rising
}


def quarter_label(month: pd.Period) -> str:
    """The financial quarter of a month, as partner returns write it.

    Parameters
    ----------
    month : pandas.Period
        A monthly period.

    Returns
    -------
    str
        ``"YYYY/YY Qn"`` with Q1 = April-June.

    Examples
    --------
    >>> quarter_label(pd.Period("2025-02", freq="M"))
    '2024/25 Q4'
    """
    fy = financial_year(pd.PeriodIndex([month]))[0]
    return f"{fy} Q{(month.month - 4) % 12 // 3 + 1}"


def _fmt(x: float, decimals: int = 0) -> str:
    return f"{x:.{decimals}f}"


def _linear(start: float, end: float, n: int) -> np.ndarray:
    return np.linspace(start, end, n)


def partner_returns(
    geo: Geography, expected: Expected, counts: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """All partner indicators of docs/data-formats.md §3 for Sampleton.

    Parameters
    ----------
    geo : Geography
        The fixed geography (for the 10-17 population).
    expected : Expected
        Expected police counts (the thinning probabilities use them).
    counts : numpy.ndarray
        Realised police counts (category, LSOA, month), including the missing month.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    pandas.DataFrame
        :data:`PARTNER_COLUMNS`, all strings (blank = not given).

    Examples
    --------
    >>> import numpy as np
    >>> from smp_analysis.sample.district import build_geography
    >>> from smp_analysis.sample.model import expected_counts
    >>> from smp_analysis.sample.police import realise_counts
    >>> geo = build_geography(); exp = expected_counts(geo)
    >>> rng = np.random.default_rng(5)
    >>> pr = partner_returns(geo, exp, realise_counts(exp, rng), rng)
    >>> sorted(pr["indicator"].unique())[:3]
    ['da_flagged_crimes', 'knife_crime', 'marac_cases']
    """
    months = expected.months
    fy = financial_year(months)
    sampleton = (geo.lsoas["role"] != "otherford").to_numpy()
    cat = {c: k for k, c in enumerate(ALL_CATEGORIES)}
    viol, damage = cat["Violence and sexual offences"], cat["Criminal damage and arson"]
    crime = [k for c, k in cat.items() if c != ASB]
    police = counts[:, sampleton, :].sum(axis=1)  # category × month
    mu = expected.mu[:, sampleton, :].sum(axis=1)
    other_cats = [k for k in crime if k not in (viol, damage)]
    area = DISTRICT.lad_code
    rows: list[dict[str, str]] = []

    def add(period: str, indicator: str, value: str, **extra: str) -> None:
        row = dict.fromkeys(PARTNER_COLUMNS, "")
        row.update(period=period, indicator=indicator, area=area, value=value, **extra)
        rows.append(row)

    # --- domestic abuse (S2) -------------------------------------------------------------
    moy = months.month.to_numpy()
    da_season = 1 + 0.06 * np.cos(2 * np.pi * (moy - 7) / 12) + 0.05 * (moy == 12)
    subtypes = list(DA_SUBTYPES)
    level = np.array([[DA_SUBTYPES[s][y] for y in fy] for s in subtypes])  # subtype × month
    da_viol_mean = level.sum(axis=0) * da_season
    p_viol = np.clip(da_viol_mean / mu[viol], 0, 0.95)
    da_viol = rng.binomial(police[viol], p_viol)
    split = np.array(
        [rng.multinomial(n, level[:, t] / level[:, t].sum()) for t, n in enumerate(da_viol)]
    ).T
    p_cd = np.clip(PARTNER_TARGETS["da_criminal_damage"][0] / mu[damage], 0, 0.95)
    da_cd = rng.binomial(police[damage], p_cd)
    other_police = police[other_cats].sum(axis=0)
    p_other = np.clip(PARTNER_TARGETS["da_other"][0] / mu[other_cats].sum(axis=0), 0, 0.95)
    da_other = rng.binomial(other_police, p_other)
    for t, month in enumerate(months):
        for s, sub in enumerate(subtypes):
            add(str(month), "da_flagged_crimes", _fmt(split[s, t]), sub_type=sub)
        add(str(month), "da_flagged_crimes", _fmt(da_cd[t]), sub_type="criminal_damage")
        add(str(month), "da_flagged_crimes", _fmt(da_other[t]), sub_type="other")

    # --- knife crime: flat, at most violence + robbery ---------------------------------------
    knife_mean = PARTNER_TARGETS["knife_crime"][0] * (1 + 0.08 * np.cos(2 * np.pi * (moy - 7) / 12))
    # one independent stream per remaining indicator, so changing one leaves the others alone
    rng_knife, rng_marac, rng_fte, rng_nrm, rng_youth = rng.spawn(5)
    knife = rng_knife.poisson(rng_knife.gamma(30.0, knife_mean / 30.0))
    knife = np.minimum(knife, police[viol] + police[cat["Robbery"]])
    for t, month in enumerate(months):
        add(str(month), "knife_crime", _fmt(knife[t]))

    # --- quarterly indicators -------------------------------------------------------------
    quarters = list(dict.fromkeys(quarter_label(m) for m in months))
    nq = len(quarters)
    marac = rng_marac.poisson(rng_marac.gamma(400.0, PARTNER_TARGETS["marac_cases"][0] / 400.0, nq))
    repeats = rng_marac.binomial(marac, PARTNER_TARGETS["marac_repeat_share"][0])
    fte = rng_fte.poisson(_linear(*PARTNER_TARGETS["youth_first_time_entrants"], nq))
    nrm = rng_nrm.poisson(_linear(*PARTNER_TARGETS["nrm_referrals"], nq))
    youth_pop = youth_population(geo)
    for q, label in enumerate(quarters):
        add(label, "marac_cases", _fmt(marac[q]))
        add(
            label,
            "marac_repeat_cases",
            _fmt(100 * repeats[q] / marac[q], 1),
            numerator=_fmt(repeats[q]),
            denominator=_fmt(marac[q]),
        )
        add(label, "youth_first_time_entrants", _fmt(fte[q]), denominator=_fmt(youth_pop))
        add(label, "nrm_referrals", _fmt(nrm[q]))

    # --- financial-year indicator -------------------------------------------------------------
    years = list(dict.fromkeys(fy))
    cohort = rng_youth.poisson(_linear(*PARTNER_TARGETS["youth_cohort"], len(years)))
    share = _linear(*PARTNER_TARGETS["youth_reoffending_share"], len(years))
    reoffend = rng_youth.binomial(cohort, share)
    for y, label in enumerate(years):
        note = (
            "Provisional: the 12-month follow-up of this cohort is not complete"
            if y == len(years) - 1
            else ""
        )
        add(
            label,
            "youth_reoffending",
            _fmt(100 * reoffend[y] / cohort[y], 1),
            numerator=_fmt(reoffend[y]),
            denominator=_fmt(cohort[y]),
            note=note,
        )

    # partner systems have no gap: the month missing from the police archive is reported
    return pd.DataFrame(rows, columns=list(PARTNER_COLUMNS), dtype=object)
