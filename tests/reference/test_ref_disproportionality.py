"""Reference values for proportions, disproportionality, concentration and deprivation.

Every expected number below comes from an independent source written beside it:
R output (R's ``binom`` package via statsmodels' result files, R ``fisher.test`` output
recorded by scipy's R-generated data file and by Penn State's STAT 504 course, R
``exactci`` / ``DescTools`` via statsmodels' test suite), the examples of the R package
``lorenzgini`` (Bernasco & Steenbeek), or a hand calculation spelled out in the test
with plain ``math`` (not the library call under test).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from smp_analysis.stats.concentration import (
    generalised_gini,
    gini,
    location_quotient,
    places_for_share,
    top_share,
)
from smp_analysis.stats.deprivation import most_vs_least_deprived, rates_by_decile
from smp_analysis.stats.disproportionality import (
    differential_change,
    exact_rate_ci,
    relative_rate_index,
)
from smp_analysis.stats.proportions import proportion_ci
from smp_analysis.stats.stop_search import stop_search_disproportionality

Z975 = 1.959963984540054  # qnorm(0.975)

# --------------------------------------------------------------------------------------
# Wilson interval
# --------------------------------------------------------------------------------------

# R package binom: ``bci = binom.confint(x = c(18), n = 20, tol = 1e-8)``, method "wilson"
# (the 11th of the methods listed), as recorded in statsmodels'
# statsmodels/stats/tests/results/results_proportion.py (res_binom[(x, n)]).
WILSON_R = {
    (18, 20): (0.6989663547715128, 0.972133518786232),
    (4, 20): (0.0806576625797981, 0.4160174322518935),
    (4, 200): (0.00780442641634947, 0.05028708690582643),
    (190, 200): (0.910421851861224, 0.972617354399236),
}
# Same source, printed to 7 significant digits only.
WILSON_R_7DIGITS = {
    (1, 30): (5.908590e-03, 0.16670391),
    (29, 30): (0.8332961, 0.9940914),
    (0, 30): (0.0, 0.11351339),
    (30, 30): (0.8864866, 1.0),
}


@pytest.mark.parametrize(("x", "n"), list(WILSON_R))
def test_wilson_matches_r_binom_confint(x: int, n: int) -> None:
    r = proportion_ci(x, n)
    low, high = WILSON_R[(x, n)]
    assert r.ci_low == pytest.approx(low, rel=1e-9)
    assert r.ci_high == pytest.approx(high, rel=1e-9)
    assert r.proportion == x / n


@pytest.mark.parametrize(("x", "n"), list(WILSON_R_7DIGITS))
def test_wilson_matches_r_binom_confint_7_digits(x: int, n: int) -> None:
    r = proportion_ci(x, n)
    low, high = WILSON_R_7DIGITS[(x, n)]
    assert r.ci_low == pytest.approx(low, rel=1e-6, abs=1e-9)
    assert r.ci_high == pytest.approx(high, rel=1e-6)


def test_wilson_hand_calculation() -> None:
    # Wilson (1927): (p + z²/2n ± z √(p(1-p)/n + z²/4n²)) / (1 + z²/n), for 81/263.
    x, n = 81, 263
    p = x / n  # 0.30798...
    z2 = Z975**2  # 3.8414588...
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z975 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    r = proportion_ci(x, n)
    assert r.ci_low == pytest.approx(centre - half, rel=1e-12)
    assert r.ci_high == pytest.approx(centre + half, rel=1e-12)


# --------------------------------------------------------------------------------------
# Fisher's exact test / conditional odds ratio (differential change)
# --------------------------------------------------------------------------------------


def _dc_from_r_table(table: list[list[int]], conf_level: float = 0.95):
    """R's table [[a, b], [c, d]] is our [[sub_after, rest_after], [sub_before, rest_before]]."""
    (a, b), (c, d) = table
    return differential_change(
        sub_before=c, total_before=c + d, sub_after=a, total_after=a + b, conf_level=conf_level
    )


def test_fisher_tea_tasting_r_output() -> None:
    # R: fisher.test(matrix(c(3, 1, 1, 3), ncol = 2))  (?fisher.test "Tea tasting")
    # Printed output (Penn State STAT 504, lesson 3, TeaLady.out):
    #   p-value = 0.4857; 95 percent confidence interval: 0.2117329 621.9337505;
    #   odds ratio 6.408309
    r = _dc_from_r_table([[3, 1], [1, 3]])
    assert round(r.p_value, 4) == 0.4857
    # hand: P(a=3)+P(a=4)+P(a=1)+P(a=0) with hypergeometric C(4,a)C(4,4-a)/C(8,4)
    #      = (16 + 1 + 16 + 1) / 70
    assert r.p_value == pytest.approx(34 / 70, rel=1e-12)
    # R's odds ratio and limits come from uniroot (tol ≈ 1.2e-4, on the 1/ψ scale above
    # 1), so large limits are rough in R: ours are checked exactly against their
    # defining equations in test_conditional_odds_ratio_solves_its_defining_equations.
    assert r.odds_ratio == pytest.approx(6.408309, rel=1e-4)
    assert r.ci_low == pytest.approx(0.2117329, rel=1e-3)
    assert r.ci_high == pytest.approx(621.9337505, rel=1e-2)  # ours 626.24


# R 3.6.2: fisher.test(table, conf.level = 0.95) — scipy's R-generated data file
# scipy/stats/tests/data/fisher_exact_results_from_r.py (two.sided cases).
FISHER_R = [
    (
        [[100, 2], [1000, 5]],
        0.1300759363430016,
        0.25055839934223,
        (0.04035202926536294, 2.662846672960251),
    ),
    (
        [[2, 7], [8, 2]],
        0.02301413756522116,
        0.0858623513573622,
        (0.004668988338943325, 0.895792956493601),
    ),
    (
        [[5, 1], [10, 10]],
        0.1973244147157191,
        4.725646047336587,
        (0.4153910882532168, 259.2593661129417),
    ),
    (
        [[5, 15], [20, 20]],
        0.09580440012477633,
        0.3394396617440851,
        (0.08056337526385809, 1.22704788545557),
    ),
    (
        [[5, 16], [16, 25]],
        0.2697004098849359,
        0.4937791394540491,
        (0.1176691231650079, 1.787463657995973),
    ),
    (
        [[190, 800], [200, 900]],
        0.574111858126088,
        1.068697577856801,
        (0.8520462587912048, 1.340148950273938),
    ),
]


@pytest.mark.parametrize(("table", "p", "odds", "ci"), FISHER_R)
def test_fisher_matches_r(table, p, odds, ci) -> None:
    r = _dc_from_r_table(table)
    assert r.p_value == pytest.approx(p, rel=1e-9)
    # R's conditional MLE and limits are found by uniroot at a coarse tolerance, so they
    # agree with the exact solution (checked to 1e-8 below) only to about 1e-3.
    assert r.odds_ratio == pytest.approx(odds, rel=2e-4)
    assert r.ci_low == pytest.approx(ci[0], rel=2e-3)
    assert r.ci_high == pytest.approx(ci[1], rel=2e-3)


def _nchg(table: list[list[int]], psi: float) -> tuple[list[int], list[float]]:
    """Fisher's noncentral hypergeometric law of the top-left cell, by hand (math.comb)."""
    (a, b), (c, d) = table
    row1, col1, n = a + b, a + c, a + b + c + d
    lo, hi = max(0, row1 + col1 - n), min(row1, col1)
    support = list(range(lo, hi + 1))
    # log weights (exact big-integer binomial coefficients, then log) to avoid overflow
    lw = [
        math.log(math.comb(col1, k)) + math.log(math.comb(n - col1, row1 - k)) + k * math.log(psi)
        for k in support
    ]
    top = max(lw)
    w = [math.exp(v - top) for v in lw]
    s = sum(w)
    return support, [v / s for v in w]


@pytest.mark.parametrize(
    ("table", "p", "odds", "ci"),
    [*FISHER_R, ([[3, 1], [1, 3]], 0.4857, 6.408309, (0.2117329, 621.9337505))],
)
def test_conditional_odds_ratio_solves_its_defining_equations(table, p, odds, ci) -> None:
    # Independent check (hand calculation of the noncentral hypergeometric law):
    # the conditional MLE ψ̂ solves E_ψ̂[A] = a; the exact 95% limits solve
    # P_ψlow(A ≥ a) = 0.025 and P_ψhigh(A ≤ a) = 0.025.
    r = _dc_from_r_table(table)
    a = table[0][0]
    support, pmf = _nchg(table, r.odds_ratio)
    assert sum(k * q for k, q in zip(support, pmf, strict=True)) == pytest.approx(a, rel=1e-7)
    support, pmf = _nchg(table, r.ci_low)
    assert sum(q for k, q in zip(support, pmf, strict=True) if k >= a) == pytest.approx(
        0.025, rel=1e-6
    )
    support, pmf = _nchg(table, r.ci_high)
    assert sum(q for k, q in zip(support, pmf, strict=True) if k <= a) == pytest.approx(
        0.025, rel=1e-6
    )


def test_fisher_zero_cell_r_output() -> None:
    # R: fisher.test(matrix(c(10, 10, 5, 0), 2)) -> table [[10, 5], [10, 0]]:
    # p = 0.06126482213438735, odds ratio 0, CI (0, 1.451643573543705)  (scipy R data file)
    r = _dc_from_r_table([[10, 5], [10, 0]])
    assert r.p_value == pytest.approx(0.06126482213438735, rel=1e-9)
    assert r.odds_ratio == 0.0 and r.ci_low == 0.0
    assert r.ci_high == pytest.approx(1.451643573543705, rel=1e-4)


def test_differential_change_shares_and_changes_by_hand() -> None:
    # Coercive control 60 of 1,000 DA crimes, then 95 of 1,050.
    r = differential_change(60, 1000, 95, 1050)
    assert r.share_before == 0.06
    assert r.share_after == pytest.approx(95 / 1050, rel=1e-15)
    assert r.sub_pct_change == pytest.approx((95 - 60) / 60 * 100, rel=1e-15)  # 58.33%
    assert r.rest_pct_change == pytest.approx((955 - 940) / 940 * 100, rel=1e-15)  # 1.60%
    # sample odds ratio (95 × 940) / (955 × 60) = 1.5585; the conditional MLE is close to it
    assert r.odds_ratio == pytest.approx(95 * 940 / (955 * 60), rel=5e-3)


# --------------------------------------------------------------------------------------
# Relative rate index
# --------------------------------------------------------------------------------------


def test_rri_katz_hand_calculation() -> None:
    # 30 of 60 arrested Black children referred vs 100 of 400 White children.
    # RRI = (30/60) / (100/400) = 0.5 / 0.25 = 2
    # Var(log RRI) = 1/30 - 1/60 + 1/100 - 1/400 = 0.0241666...
    # CI = 2 · exp(± 1.959964 · √0.0241667) = 2 · exp(± 0.304690) = 1.4747 to 2.7124
    var = 1 / 30 - 1 / 60 + 1 / 100 - 1 / 400
    half = Z975 * math.sqrt(var)
    r = relative_rate_index(30, 60, 100, 400)
    assert r.rri == 2.0
    assert r.ci_low == pytest.approx(2 * math.exp(-half), rel=1e-12)  # 1.4747
    assert r.ci_high == pytest.approx(2 * math.exp(half), rel=1e-12)  # 2.7124
    assert round(r.ci_low, 4) == 1.4747 and round(r.ci_high, 4) == 2.7124


def test_rri_poisson_log_hand_calculation() -> None:
    # 120 events / 10,000 vs 300 / 80,000: RRI = 0.012 / 0.00375 = 3.2,
    # Var(log) = 1/120 + 1/300 = 0.0116667
    half = Z975 * math.sqrt(1 / 120 + 1 / 300)
    r = relative_rate_index(120, 10_000, 300, 80_000, kind="rate")
    assert r.rri == pytest.approx(3.2, rel=1e-15)
    assert r.ci_low == pytest.approx(3.2 * math.exp(-half), rel=1e-12)
    assert r.ci_high == pytest.approx(3.2 * math.exp(half), rel=1e-12)


def test_rate_ratio_exact_matches_r_exactci() -> None:
    # R exactci: poisson.exact(c(60, 30), c(51477.5, 54308.7), tsmethod = "central")
    # conf.int 1.339735721772650 3.388365573616252; estimate 2.10999757175465
    # (statsmodels/stats/tests/test_rates_poisson.py::test_tost_poisson and
    # results/results_rates.py). The central interval is the one R poisson.test reports.
    r = relative_rate_index(60, 51477.5, 30, 54308.7, kind="rate", method="exact")
    assert r.rri == pytest.approx(2.10999757175465, rel=1e-12)
    assert r.ci_low == pytest.approx(1.339735721772650, rel=1e-9)
    assert r.ci_high == pytest.approx(3.388365573616252, rel=1e-9)


def test_exact_rate_ci_matches_descTools() -> None:
    # R DescTools: PoissonCI(x = 15, n = 400, method = "exact")
    #   0.0375 0.0209884653319583 0.0618505471787146
    # (statsmodels/stats/tests/test_rates_poisson.py::test_rate_poisson_r); per 1,000 here.
    rate, low, high = exact_rate_ci(15, 400)
    assert rate[0] == 37.5
    assert low[0] == pytest.approx(20.9884653319583, rel=1e-12)
    assert high[0] == pytest.approx(61.8505471787146, rel=1e-12)


def test_exact_rate_ci_zero_count_hand() -> None:
    # x = 0: lower 0, upper = -log(0.025) = 3.688879... events (χ²(0.975, 2) / 2)
    rate, low, high = exact_rate_ci(0, 1000)
    assert low[0] == 0.0
    assert high[0] == pytest.approx(-math.log(0.025), rel=1e-12)


# --------------------------------------------------------------------------------------
# Gini, generalised Gini, Lorenz (lorenzgini examples)
# --------------------------------------------------------------------------------------


def test_gini_lorenzgini_examples() -> None:
    # Examples of ?lorenzgini::gini (R/gini.R, wsteenbeek/lorenzgini):
    # crimes <- c(10,8,2,0,0,rep(0,5)); gini(crimes, generalized=FALSE, unbiased=FALSE) # 0.78
    assert gini([10, 8, 2] + [0] * 7) == pytest.approx(0.78, abs=1e-12)
    # ... gini(crimes, generalized = TRUE, unbiased = FALSE) # 0.78 (crimes >= places)
    assert generalised_gini([10, 8, 2] + [0] * 7) == pytest.approx(0.78, abs=1e-12)
    # crimes <- c(5,2,1,0,0,rep(0,5)): standard 0.8, generalised 0.75
    assert gini([5, 2, 1] + [0] * 7) == pytest.approx(0.8, abs=1e-12)
    assert generalised_gini([5, 2, 1] + [0] * 7) == pytest.approx(0.75, abs=1e-12)
    # crimes <- c(10, rep(0,9)): 0.9; c(10, rep(0,99)): 0.99
    assert gini([10] + [0] * 9) == pytest.approx(0.9, abs=1e-12)
    assert gini([10] + [0] * 99) == pytest.approx(0.99, abs=1e-12)
    # unbiased = TRUE: both 1
    assert gini([10] + [0] * 9, unbiased=True) == pytest.approx(1.0, abs=1e-12)
    assert gini([10] + [0] * 99, unbiased=True) == pytest.approx(1.0, abs=1e-12)


def test_generalised_gini_vignette_figure_hand_calculation() -> None:
    # lorenzgini vignette, Figure 2: 10 places, 3 + 1 + 1 crimes, "G = .78".
    # Hand: ascending x = 0×7, 1, 1, 3 at i = 8, 9, 10:
    #   Σ(2i − n − 1)x = 5·1 + 7·1 + 9·3 = 39;  G = 39 / (10 · 5) = 0.78
    assert gini([3, 1, 1] + [0] * 7) == pytest.approx(0.78, abs=1e-12)
    # Generalised, by areas: Lorenz curve (most first) through (0,0) (.1,.6) (.2,.8)
    # (.3,1) … (1,1): area under it = .03 + .07 + .09 + .7 = .89. Line of maximal
    # equality (0,0) → (C/N = .5, 1) → (1,1): area .25 + .5 = .75.
    # G' = (.89 − .75) / (1 − .75) = 0.56 (the caption's ".58" disagrees with the
    # package's own formula max(1, N/C)(G − 1) + 1 = 2(−.22) + 1 = .56).
    assert generalised_gini([3, 1, 1] + [0] * 7) == pytest.approx(0.56, abs=1e-12)
    # unbiased: × min(N, C) / (min(N, C) − 1) = 0.56 × 5/4 = 0.70
    assert generalised_gini([3, 1, 1] + [0] * 7, unbiased=True) == pytest.approx(0.7, abs=1e-12)


def test_top_share_and_places_for_share_hand() -> None:
    # lorenzgini vignette, Figure 1 data: 10 places, 100 crimes.
    crimes = [22, 18, 17, 12, 11, 8, 6, 3, 2, 1]
    # top 10% = 1 place = 22/100; top 20% = 40/100; top 25% = 2.5 places, halfway
    # between 40 and 57 → 48.5/100
    assert top_share(crimes, 0.1) == pytest.approx(0.22, abs=1e-12)
    assert top_share(crimes, 0.2) == pytest.approx(0.40, abs=1e-12)
    assert top_share(crimes, 0.25) == pytest.approx(0.485, abs=1e-12)
    # half of all crime: 22 + 18 = 40 < 50, + 17 = 57 ≥ 50 → 3 places (30%), holding 57%
    r = places_for_share(crimes, 0.5)
    assert (r.places, r.fraction, r.share) == (3, 0.3, pytest.approx(0.57))


# --------------------------------------------------------------------------------------
# Location quotient
# --------------------------------------------------------------------------------------


def test_location_quotient_hand_calculation() -> None:
    # Town centre: 300 shoplifting of 700 crimes; district: 1,200 of 6,000.
    # LQ = (300/700) / (1200/6000) = 0.428571 / 0.2 = 2.142857
    # nested: b = 900 (rest of district), B = 5,300
    #   Var(log LQ) = [b²(1 − a/A)/a + b(1 − b/B)] / (a + b)²
    #               = [810000 · (400/700) / 300 + 900 · (4400/5300)] / 1200²
    a, big_a, r, big_r = 300, 700, 1200, 6000
    b, big_b = r - a, big_r - big_a
    var = (b**2 * (1 - a / big_a) / a + b * (1 - b / big_b)) / r**2
    lq = (a / big_a) / (r / big_r)
    out = location_quotient(
        {"Shoplifting": 300, "Other": 400}, {"Shoplifting": 1200, "Other": 4800}
    ).set_index("category")
    assert out.loc["Shoplifting", "lq"] == pytest.approx(2.142857142857143, rel=1e-12)
    assert out.loc["Shoplifting", "ci_low"] == pytest.approx(
        lq * math.exp(-Z975 * math.sqrt(var)), rel=1e-12
    )
    assert out.loc["Shoplifting", "ci_high"] == pytest.approx(
        lq * math.exp(Z975 * math.sqrt(var)), rel=1e-12
    )


def test_location_quotient_independent_benchmark_is_katz() -> None:
    # nested=False: Katz, Var = 1/a − 1/A + 1/r − 1/R = 1/300 − 1/700 + 1/1200 − 1/6000
    var = 1 / 300 - 1 / 700 + 1 / 1200 - 1 / 6000
    lq = (300 / 700) / (1200 / 6000)
    out = location_quotient(
        {"Shoplifting": 300, "Other": 400}, {"Shoplifting": 1200, "Other": 4800}, nested=False
    ).set_index("category")
    assert out.loc["Shoplifting", "ci_low"] == pytest.approx(
        lq * math.exp(-Z975 * math.sqrt(var)), rel=1e-12
    )
    assert out.loc["Shoplifting", "ci_high"] == pytest.approx(
        lq * math.exp(Z975 * math.sqrt(var)), rel=1e-12
    )


# --------------------------------------------------------------------------------------
# Deprivation gradient and stop and search (hand calculations)
# --------------------------------------------------------------------------------------


def test_rates_by_decile_and_ratio_hand() -> None:
    # decile 1: LSOAs A, B: 40 + 20 = 60 crimes, 1,200 + 1,200 = 2,400 residents → 25/1,000
    # decile 10: LSOA C: 15 crimes, 400... scaled: 15 of 400 → 37.5/1,000 (DescTools
    # PoissonCI(15, 400) exact: 0.0209884653319583 0.0618505471787146)
    counts = pd.DataFrame({"lsoa_code": ["A", "B", "C"], "count": [40, 20, 15]})
    pop = pd.DataFrame({"lsoa_code": ["A", "B", "C"], "population": [1200, 1200, 400]})
    imd = pd.DataFrame({"lsoa_code": ["A", "B", "C"], "decile": [1, 1, 10]})
    t = rates_by_decile(counts, pop, imd).set_index("decile")
    assert t.loc[1, "rate"] == 25.0
    assert t.loc[10, "rate"] == 37.5
    assert t.loc[10, "ci_low"] == pytest.approx(20.9884653319583, rel=1e-12)
    assert t.loc[10, "ci_high"] == pytest.approx(61.8505471787146, rel=1e-12)
    # ratio 25 / 37.5 = 2/3; Katz for rates: √(1/60 + 1/15)
    rr = most_vs_least_deprived(rates_by_decile(counts, pop, imd), method="katz").iloc[0]
    half = Z975 * math.sqrt(1 / 60 + 1 / 15)
    assert rr["rate_ratio"] == pytest.approx(2 / 3, rel=1e-12)
    assert rr["ci_low"] == pytest.approx(2 / 3 * math.exp(-half), rel=1e-12)


def test_stop_search_rates_hand() -> None:
    # 60 searches of Black residents (2,000) and 30... mirrors the exactci case:
    # Black: 60 searches / 51,477.5 residents; White: 30 / 54,308.7.
    # rate (per 1,000) = 60 / 51477.5 × 1000 = 1.165557...; ratio as R exactci above.
    searches = pd.DataFrame(
        {
            "self_defined_ethnicity": ["Black/African/Caribbean/Black British - Caribbean"] * 60
            + ["White - Any other White background"] * 30
            + ["Other ethnic group - Not stated"] * 10,
            "officer_defined_ethnicity": ["Black"] * 60 + ["White"] * 40,
        }
    )
    pop = pd.DataFrame(
        {
            "ethnic_group": ["Asian", "Black", "Mixed", "White", "Other"],
            "residents": [1000.0, 51477.5, 1000.0, 54308.7, 1000.0],
        }
    )
    t = stop_search_disproportionality(searches, pop).set_index("ethnic_group")
    assert t.loc["Black", "rate"] == pytest.approx(60 / 51477.5 * 1000, rel=1e-15)
    assert t.loc["Black", "rate_ratio"] == pytest.approx(2.10999757175465, rel=1e-12)
    assert t.loc["Black", "ratio_ci_low"] == pytest.approx(1.339735721772650, rel=1e-9)
    assert t.loc["Black", "ratio_ci_high"] == pytest.approx(3.388365573616252, rel=1e-9)
    assert t.loc["Not stated", "share"] == pytest.approx(0.10)
    assert np.isnan(t.loc["Not stated", "rate"])
