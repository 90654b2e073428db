"""Expected monthly counts per category × LSOA × month, with the planted signals.

The model is multiplicative::

    mu[c, i, t] = B[c] * W[c, i] * season[c, month(t)] * trend[c, i, t] * effect[i, t] * spike[c, i, t]

``W[c, :]`` spreads a category over LSOAs (population × deprivation × a fixed random
effect; the town centre gets a fixed share of every category). The town centre has no
trend (its counterfactual is stationary), so the intervention effect on it is visible
as a plain before/after ratio. Four constants are solved numerically so that the
*expected* values hit the planted sizes exactly (see :data:`SIGNALS`): the deprivation
gradient, the shoplifting growth rate, the violence plateau and the category levels.

Examples
--------
>>> from smp_analysis.sample.district import build_geography
>>> exp = expected_counts(build_geography())
>>> exp.mu.shape  # 14 categories × 130 LSOAs × 48 months
(14, 130, 48)
>>> round(exp.fy_ratio("Violence and sexual offences", "2024/25", "2023/24"), 3)
0.92
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from ..categories import ALL_CATEGORIES, ASB
from .district import (
    END,
    INTERVENTION_MONTH,
    MISSING_MONTHS,
    SPIKE_LSOA,
    START,
    Geography,
    financial_year,
)

__all__ = ["CATEGORY_MIX", "Expected", "PlantedSignals", "SIGNALS", "expected_counts"]


@dataclass(frozen=True)
class PlantedSignals:
    """Sizes of the signals planted in the sample data (expected values, before noise).

    Attributes
    ----------
    town_centre_effect : float
        S1: town-centre crime and ASB after ``INTERVENTION_MONTH`` ÷ before (counterfactual).
    buffer_effect : float
        S1: the same ratio in the buffer LSOAs (diffusion of benefit).
    town_centre_share : dict
        S1: the town centre's pre-intervention share of each category.
    da_share_of_crime, da_share_of_violence : float
        S2: approximate shares of domestic-abuse-flagged crimes.
    coercive_control_change : float
        S2: coercive control 2024/25 ÷ 2023/24 (other DA sub-types 1.0).
    robbery_spike, robbery_spike_months : float, tuple
        S3: robbery multiplier and the months it applies to (district-wide).
    damage_spike, damage_spike_month : float, str
        S3: criminal damage multiplier in ``SPIKE_LSOA`` and its month.
    shoplifting_growth : float
        S4: district-wide annual growth factor of shoplifting (geometric mean 2021/22→2024/25).
    violence_change : float
        S5: violence and sexual offences 2024/25 ÷ 2023/24.
    stop_search_rr : dict
        S6: search rate of each ethnic group relative to White.
    deprivation_ratio : float
        S7: crime per resident in IMD deciles 1-2 ÷ deciles 9-10, 2024/25.
    """

    town_centre_effect: float = 0.75
    buffer_effect: float = 0.95
    town_centre_share: dict[str, float] = field(
        default_factory=lambda: {
            "Anti-social behaviour": 0.15,
            "Bicycle theft": 0.20,
            "Burglary": 0.03,
            "Criminal damage and arson": 0.07,
            "Drugs": 0.15,
            "Other crime": 0.08,
            "Other theft": 0.15,
            "Possession of weapons": 0.12,
            "Public order": 0.15,
            "Robbery": 0.15,
            "Shoplifting": 0.35,
            "Theft from the person": 0.45,
            "Vehicle crime": 0.05,
            "Violence and sexual offences": 0.11,
        }
    )
    da_share_of_crime: float = 0.18
    da_share_of_violence: float = 0.36
    coercive_control_change: float = 0.70
    robbery_spike: float = 2.5
    robbery_spike_months: tuple[str, ...] = ("2025-01", "2025-02", "2025-03")
    damage_spike: float = 6.0
    damage_spike_month: str = "2025-02"
    shoplifting_growth: float = 1.12
    violence_change: float = 0.92
    stop_search_rr: dict[str, float] = field(
        default_factory=lambda: {
            "White": 1.0,
            "Black": 3.0,
            "Asian": 1.2,
            "Mixed": 1.8,
            "Other": 1.5,
        }
    )
    deprivation_ratio: float = 2.5


#: The planted signals (S1-S7; survey, partner and Fingertips targets live in their modules).
SIGNALS = PlantedSignals()

#: Share of each category among Sampleton's located rows in 2024/25 (Maidstone, Jan-Jun 2025).
CATEGORY_MIX: dict[str, float] = {
    "Violence and sexual offences": 37.9,
    "Anti-social behaviour": 16.4,
    "Criminal damage and arson": 9.5,
    "Shoplifting": 9.4,
    "Other theft": 6.8,
    "Public order": 4.3,
    "Drugs": 4.0,
    "Vehicle crime": 3.8,
    "Other crime": 3.3,
    "Burglary": 2.3,
    "Possession of weapons": 1.0,
    "Robbery": 0.6,
    "Theft from the person": 0.4,
    "Bicycle theft": 0.35,
}
#: Expected located rows a month in Sampleton (2024/25, before spikes) and in Otherford.
ROWS_PER_MONTH = 1400.0
OTHERFORD_ROWS_PER_MONTH = 400.0

#: Seasonality: (amplitude of a cosine, month of its peak, extra December factor).
_SEASON: dict[str, tuple[float, int, float]] = {
    "Anti-social behaviour": (0.22, 7, 1.0),
    "Bicycle theft": (0.35, 7, 1.0),
    "Burglary": (0.12, 12, 1.0),
    "Criminal damage and arson": (0.07, 7, 1.0),
    "Drugs": (0.05, 6, 1.0),
    "Other crime": (0.04, 7, 1.0),
    "Other theft": (0.06, 7, 1.0),
    "Possession of weapons": (0.05, 7, 1.0),
    "Public order": (0.09, 7, 1.0),
    "Robbery": (0.06, 12, 1.0),
    "Shoplifting": (0.05, 12, 1.15),
    "Theft from the person": (0.10, 12, 1.10),
    "Vehicle crime": (0.07, 11, 1.0),
    "Violence and sexual offences": (0.09, 7, 1.0),
}

_VIOLENCE = "Violence and sexual offences"
_SHOP = "Shoplifting"


def _months() -> pd.PeriodIndex:
    return pd.period_range(START, END, freq="M")


def _season(cat: str, months: pd.PeriodIndex) -> np.ndarray:
    amp, peak, december = _SEASON[cat]
    moy = np.arange(1, 13)
    s = 1 + amp * np.cos(2 * np.pi * (moy - peak) / 12)
    s[11] *= december
    s /= s.mean()
    return s[months.month.to_numpy() - 1]


@dataclass(frozen=True)
class Expected:
    """Expected counts and the constants solved to plant the signals.

    Attributes
    ----------
    categories : tuple of str
        The 14 categories, in :data:`smp_analysis.categories.ALL_CATEGORIES` order.
    months : pandas.PeriodIndex
        All 48 months, including the missing one (events are generated for it, then not written).
    mu : numpy.ndarray
        Expected counts, shape (category, LSOA, month); LSOAs as in ``Geography.lsoas``.
    baseline : numpy.ndarray
        Same as ``mu`` without the S3 spikes (the "expected" level the spikes exceed).
    params : dict
        Solved constants: ``deprivation_beta``, ``shoplifting_rate``, ``violence_plateau``.
    lsoas : pandas.DataFrame
        The geography's LSOA table.
    """

    categories: tuple[str, ...]
    months: pd.PeriodIndex
    mu: np.ndarray
    baseline: np.ndarray
    params: dict[str, float]
    lsoas: pd.DataFrame

    def _district_mean(self, cat: str, fy: str, arr: np.ndarray | None = None) -> float:
        arr = self.mu if arr is None else arr
        c = self.categories.index(cat)
        sampleton = (self.lsoas["role"] != "otherford").to_numpy()
        present = ~self.months.isin(list(MISSING_MONTHS))
        sel = (financial_year(self.months) == fy) & present
        return float(arr[c][sampleton][:, sel].sum(axis=0).mean())

    def fy_ratio(self, cat: str, fy_a: str, fy_b: str) -> float:
        """Ratio of Sampleton's expected mean monthly count in two financial years.

        Parameters
        ----------
        cat : str
            Category.
        fy_a, fy_b : str
            Financial years such as ``"2024/25"``; the ratio is ``fy_a / fy_b``.

        Returns
        -------
        float

        Examples
        --------
        >>> from smp_analysis.sample.district import build_geography
        >>> exp = expected_counts(build_geography())
        >>> round(exp.fy_ratio("Shoplifting", "2024/25", "2021/22") ** (1 / 3), 3)
        1.12
        """
        return self._district_mean(cat, fy_a) / self._district_mean(cat, fy_b)


@dataclass(frozen=True)
class _Layout:
    """Plain arrays of the geography and calendar, computed once per calibration."""

    role: np.ndarray
    sampleton: np.ndarray
    town_centre: np.ndarray
    population: np.ndarray
    decile: np.ndarray
    intensity: np.ndarray
    months: pd.PeriodIndex
    fy: np.ndarray
    present: np.ndarray
    season: np.ndarray  # category × month

    @classmethod
    def of(cls, lsoas: pd.DataFrame, months: pd.PeriodIndex) -> _Layout:
        role = lsoas["role"].to_numpy().astype(str)
        return cls(
            role=role,
            sampleton=role != "otherford",
            town_centre=role == "town_centre",
            population=lsoas["population"].to_numpy(float),
            decile=lsoas["imd_decile"].to_numpy(float),
            intensity=lsoas["intensity"].to_numpy(float),
            months=months,
            fy=financial_year(months),
            present=~months.isin(list(MISSING_MONTHS)),
            season=np.array([_season(cat, months) for cat in ALL_CATEGORIES]),
        )


def _weights(lay: _Layout, beta: float) -> np.ndarray:
    """W[c, i] for Sampleton (each row sums to 1; the town centre holds its share)."""
    tc_share = SIGNALS.town_centre_share
    base = lay.population * np.exp(beta * (10 - lay.decile) / 9) * lay.intensity
    out = base * (lay.sampleton & ~lay.town_centre)
    inside = lay.population * lay.intensity * lay.town_centre
    share = np.array([tc_share[cat] for cat in ALL_CATEGORIES])[:, None]
    return (1 - share) * (out / out.sum())[None, :] + share * (inside / inside.sum())[None, :]


def _otherford_weights(lay: _Layout) -> np.ndarray:
    base = lay.population * np.exp((10 - lay.decile) / 9) * lay.intensity * ~lay.sampleton
    return base / base.sum()


def _trend(lay: _Layout, shop_rate: float, plateau: float) -> dict[str, np.ndarray]:
    """Non-town-centre trends, each with mean 1 over the pre-intervention months."""
    months = lay.months
    t = np.arange(len(months), dtype=float)
    pre = (months < INTERVENTION_MONTH) & lay.present
    shop = np.exp(shop_rate * t / 12)
    # violence: +1% a year until Dec 2023, linear fall Jan-Jun 2024 to a plateau
    drift = 1 + 0.01 * t / 12
    k_dec = months.get_loc(pd.Period("2023-12", freq="M"))
    k_jun = months.get_loc(pd.Period("2024-06", freq="M"))
    viol = drift.copy()
    top = drift[k_dec]
    frac = np.clip((t - k_dec) / (k_jun - k_dec), 0, 1)
    viol[k_dec:] = top + (plateau * top - top) * frac[k_dec:]
    return {_SHOP: shop / shop[pre].mean(), _VIOLENCE: viol / viol[pre].mean()}


def _assemble(
    lay: _Layout, beta: float, shop_rate: float, plateau: float, only: str | None = None
) -> np.ndarray:
    """Un-levelled expected counts (levels B[c] = 1); ``only`` computes one category."""
    w = _weights(lay, beta)
    trends = _trend(lay, shop_rate, plateau)
    after = (lay.months >= INTERVENTION_MONTH).astype(float)
    effect = np.ones((len(lay.role), len(lay.months)))
    effect[lay.town_centre] = 1 - (1 - SIGNALS.town_centre_effect) * after
    effect[lay.role == "buffer"] = 1 - (1 - SIGNALS.buffer_effect) * after
    non_tc = (~lay.town_centre).astype(float)[:, None]
    mu = np.zeros((len(ALL_CATEGORIES), len(lay.role), len(lay.months)))
    for c, cat in enumerate(ALL_CATEGORIES):
        if only is not None and cat != only:
            continue
        trend = trends.get(cat, np.ones(len(lay.months)))
        trend_il = non_tc * trend[None, :] + (1 - non_tc)
        mu[c] = w[c][:, None] * lay.season[c][None, :] * trend_il * effect
    return mu


def _level(mu: np.ndarray, lay: _Layout) -> np.ndarray:
    """Scale each category so 2024/25 hits :data:`CATEGORY_MIX` × :data:`ROWS_PER_MONTH`."""
    fy4 = lay.fy == "2024/25"
    total_share = sum(CATEGORY_MIX.values())
    current = mu[:, lay.sampleton][:, :, fy4].sum(axis=1).mean(axis=1)
    target = np.array([ROWS_PER_MONTH * CATEGORY_MIX[c] / total_share for c in ALL_CATEGORIES])
    return mu * (target / current)[:, None, None]


def _fy_mean(arr: np.ndarray, lay: _Layout, fy: str) -> float:
    sel = (lay.fy == fy) & lay.present
    return float(arr[lay.sampleton][:, sel].sum(axis=0).mean())


def _deprivation_ratio(mu: np.ndarray, lay: _Layout) -> float:
    crime = mu[[c for c, cat in enumerate(ALL_CATEGORIES) if cat != ASB]].sum(axis=0)
    per_lsoa = crime[:, lay.fy == "2024/25"].sum(axis=1)
    low = lay.sampleton & (lay.decile <= 2)
    high = lay.sampleton & (lay.decile >= 9)
    pop = lay.population
    return float((per_lsoa[low].sum() / pop[low].sum()) / (per_lsoa[high].sum() / pop[high].sum()))


def expected_counts(geography: Geography) -> Expected:
    """Expected counts for every category × LSOA × month, calibrated to :data:`SIGNALS`.

    Parameters
    ----------
    geography : Geography
        From :func:`smp_analysis.sample.district.build_geography`.

    Returns
    -------
    Expected
        ``mu`` (with the S3 spikes) and ``baseline`` (without).

    Examples
    --------
    >>> from smp_analysis.sample.district import build_geography
    >>> exp = expected_counts(build_geography())
    >>> sampleton = (exp.lsoas["role"] != "otherford").to_numpy()
    >>> round(float(exp.baseline[:, sampleton, -12:].sum(axis=(0, 1)).mean()))
    1400
    """
    lsoas = geography.lsoas
    months = _months()
    lay = _Layout.of(lsoas, months)
    sampleton = lay.sampleton
    c_shop = ALL_CATEGORIES.index(_SHOP)
    c_viol = ALL_CATEGORIES.index(_VIOLENCE)

    def solve_trends(beta: float) -> tuple[float, float]:
        def shop_gap(rate: float) -> float:
            mu = _assemble(lay, beta, rate, 0.92, only=_SHOP)[c_shop]
            ratio = _fy_mean(mu, lay, "2024/25") / _fy_mean(mu, lay, "2021/22")
            return ratio ** (1 / 3) - SIGNALS.shoplifting_growth

        def viol_gap(plateau: float) -> float:
            mu = _assemble(lay, beta, 0.1, plateau, only=_VIOLENCE)[c_viol]
            ratio = _fy_mean(mu, lay, "2024/25") / _fy_mean(mu, lay, "2023/24")
            return ratio - SIGNALS.violence_change

        return brentq(shop_gap, 0.0, 0.6, xtol=1e-12), brentq(viol_gap, 0.5, 1.2, xtol=1e-12)

    def deprivation_gap(beta: float) -> float:
        rate, plateau = solve_trends(beta)
        mu = _level(_assemble(lay, beta, rate, plateau), lay)
        return _deprivation_ratio(mu, lay) - SIGNALS.deprivation_ratio

    beta = brentq(deprivation_gap, 0.0, 4.0, xtol=1e-10)
    rate, plateau = solve_trends(beta)
    baseline = _level(_assemble(lay, beta, rate, plateau), lay)
    # Otherford: same mix and seasons, no trends or signals
    w_o = _otherford_weights(lay)
    total_share = sum(CATEGORY_MIX.values())
    for c, cat in enumerate(ALL_CATEGORIES):
        level = OTHERFORD_ROWS_PER_MONTH * CATEGORY_MIX[cat] / total_share
        baseline[c][~sampleton] = (level * w_o[:, None] * lay.season[c][None, :])[~sampleton]

    mu = baseline.copy()
    c_rob = ALL_CATEGORIES.index("Robbery")
    spike_months = months.isin([pd.Period(m, freq="M") for m in SIGNALS.robbery_spike_months])
    mu[c_rob][np.ix_(sampleton, spike_months)] *= SIGNALS.robbery_spike
    c_cd = ALL_CATEGORIES.index("Criminal damage and arson")
    i_spike = int(np.flatnonzero(lsoas["lsoa_code"].to_numpy() == SPIKE_LSOA)[0])
    t_spike = months.get_loc(pd.Period(SIGNALS.damage_spike_month, freq="M"))
    mu[c_cd, i_spike, t_spike] *= SIGNALS.damage_spike
    return Expected(
        categories=ALL_CATEGORIES,
        months=months,
        mu=mu,
        baseline=baseline,
        params={"deprivation_beta": beta, "shoplifting_rate": rate, "violence_plateau": plateau},
        lsoas=lsoas,
    )
