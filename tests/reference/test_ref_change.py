"""rate_ratio_test, e_test and change_table against R output and hand calculations.

Sources (see tests/reference/results/results_published.py for the full provenance):
R's ?poisson.test example printed output, an R session printed on stats.stackexchange,
R exactci's minlike p-value from statsmodels' R-derived results file, Wheeler's worked
example, and closed-form hand calculations for the zero-count cases.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from smp_analysis.stats.change import change_table, e_test, rate_ratio_test
from smp_analysis.stats.periods import financial_year
from tests.reference.results.results_published import (
    EXACTCI_MINLIKE,
    R_POISSON_SE_547389,
    R_POISSON_TWO_SAMPLE,
)


def _rel(printed: float, sig: int) -> float:
    """Relative tolerance implied by a number printed to `sig` significant figures."""
    return 0.5 * 10 ** (math.floor(math.log10(abs(printed))) - sig + 1) / abs(printed)


def test_r_poisson_test_help_example() -> None:
    # R: poisson.test(c(11, 6+8+7), c(800, 1083+1050+878))
    ref = R_POISSON_TWO_SAMPLE
    r = rate_ratio_test(ref["count1"], ref["exposure1"], ref["count2"], ref["exposure2"])
    # R prints 7 significant figures: agreement to 1e-6 relative
    assert r.rate_ratio == pytest.approx(ref["rate_ratio"], rel=1e-6)
    assert r.ci_low == pytest.approx(ref["ci"][0], rel=1e-6)
    assert r.ci_high == pytest.approx(ref["ci"][1], rel=1e-6)
    # p-value printed as 0.07967 (4 s.f.), expected count as 6.7174 (5 s.f.)
    assert r.p_value == pytest.approx(ref["p_value"], rel=_rel(0.07967, 4))
    assert r.expected_count1 == pytest.approx(ref["expected_count1"], rel=_rel(6.7174, 5))


def test_r_poisson_test_stackexchange_session() -> None:
    # R: poisson.test(c(2, 13), T = c(5, 5))  (stats.stackexchange.com/q/547389)
    ref = R_POISSON_SE_547389
    r = rate_ratio_test(ref["count1"], ref["exposure1"], ref["count2"], ref["exposure2"])
    assert r.rate_ratio == pytest.approx(ref["rate_ratio"], rel=1e-6)
    assert r.ci_low == pytest.approx(ref["ci"][0], rel=1e-6)
    assert r.ci_high == pytest.approx(ref["ci"][1], rel=1e-6)
    assert r.p_value == pytest.approx(ref["p_value"], rel=_rel(0.007385, 4))
    assert r.expected_count1 == 7.5


def test_exactci_minlike_pvalue_full_precision() -> None:
    # R exactci: poisson.exact(c(60, 30), c(51477.5, 54308.7), tsmethod="minlike")
    # (statsmodels results_rates.py, res_pexact_cond): the same p-value as poisson.test.
    ref = EXACTCI_MINLIKE
    r = rate_ratio_test(ref["count1"], ref["exposure1"], ref["count2"], ref["exposure2"])
    assert r.p_value == pytest.approx(ref["p_value"], rel=1e-9)
    assert r.rate_ratio == pytest.approx(ref["rate_ratio"], rel=1e-12)
    assert r.expected_count1 == pytest.approx(ref["expected_count1"], rel=1e-12)


def test_zero_current_count_hand_calculation() -> None:
    # poisson.test(c(0, 5), c(12, 12)) reduces to binom.test(0, 5, p = 0.5).
    # p-value: P(X=0) = 0.5^5 = 0.03125; the only outcome at least as unlikely on the
    # other side is X=5 (also 0.03125) -> p = 0.0625.
    # Clopper-Pearson upper limit for x=0, n=5: qbeta(0.975, 1, 5) = 1 - 0.025^(1/5);
    # rate-ratio upper = u / (1 - u) * 12/12; lower limit 0; ratio 0.
    u = 1 - 0.025 ** (1 / 5)  # 0.52182375...
    r = rate_ratio_test(0, 12, 5, 12)
    assert r.rate_ratio == 0.0
    assert r.ci_low == 0.0
    assert r.ci_high == pytest.approx(u / (1 - u), rel=1e-9)  # 1.09127910...
    assert r.p_value == pytest.approx(2 * 0.5**5, rel=1e-12)


def test_zero_baseline_count_hand_calculation() -> None:
    # poisson.test(c(5, 0), c(12, 12)): binom.test(5, 5, 0.5).
    # Clopper-Pearson lower for x=n=5: qbeta(0.025, 5, 1) = 0.025^(1/5) = 0.47829690;
    # ratio lower = l/(1-l) = 0.91635586; upper Inf; ratio Inf; p = 0.0625.
    lo = 0.025 ** (1 / 5)
    r = rate_ratio_test(5, 12, 0, 12)
    assert math.isinf(r.rate_ratio) and math.isinf(r.ci_high)
    assert r.ci_low == pytest.approx(lo / (1 - lo), rel=1e-9)
    assert r.p_value == pytest.approx(0.0625, rel=1e-12)


def test_wheeler_e_test_example() -> None:
    # Wheeler (2018): historical 16 robberies a month, 25 this month:
    # z = 2 * (sqrt(25) - sqrt(16)) = 2 * (5 - 4) = 2.0
    r = e_test(25, 16)
    assert r.z == 2.0
    # two-sided normal p for |z| = 2: erfc(2 / sqrt(2)) = 0.0455002638...
    assert r.p_value == pytest.approx(math.erfc(2 / math.sqrt(2)), rel=1e-12)


def test_change_table_reproduces_r_for_each_series() -> None:
    # Two series whose yearly totals are the R examples' counts, with 12 months each:
    # exposures are months (12 vs 12), so the rate ratio is count1/count2 and the test is
    # R: poisson.test(c(13, 2), c(12, 12)) -- the stackexchange numbers with the groups
    # swapped: ratio 6.5, interval (1/0.67955077, 1/0.01685531), same p-value.
    months = pd.period_range("2023-04", "2025-03", freq="M")
    base = [0.0] * 12
    base[0] = 2.0
    cur = [0.0] * 12
    cur[0], cur[1] = 6.0, 7.0
    s = pd.DataFrame({"area": "X", "month": months, "count": base + cur})
    t = change_table(s, ["area"], financial_year("2024/25"), financial_year("2023/24"))
    row = t.iloc[0]
    ref = R_POISSON_SE_547389
    assert row["rate_ratio"] == pytest.approx(13 / 2)
    assert row["ci_low"] == pytest.approx(1 / ref["ci"][1], rel=1e-6)
    assert row["ci_high"] == pytest.approx(1 / ref["ci"][0], rel=1e-6)
    assert row["p_value"] == pytest.approx(ref["p_value"], rel=_rel(0.007385, 4))
    # a single series: the BH q-value equals its p-value
    assert row["q_value"] == pytest.approx(row["p_value"])
    assert row["change"] == 11.0 and row["pct_change"] == pytest.approx(550.0)
