"""Survey statistics against published R output, a published worked example and hand
calculations.

Where each expected number comes from is written beside it. R is not installed here:
the R outputs are quoted from pages where they were printed by R.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from smp_analysis.stats.survey import (
    group_gaps,
    survey_change,
    survey_measure_change,
    survey_measure_table,
    weighted_proportion,
)


def _responses(x: int, n: int) -> list[str]:
    return ["yes"] * x + ["no"] * (n - x)


# --------------------------------------------------------------------------- Wilson (unweighted)
@pytest.mark.parametrize(
    ("x", "n", "conf", "low", "high", "tol", "source"),
    [
        # R-devel bug report PR#2794 "prop.test Confidence Intervals" (R. Baer, April 2003),
        # printed R output of  prop.test(6, 52, correct = FALSE):
        #   95 percent confidence interval: 0.05396969 0.22971664
        (6, 52, 0.95, 0.05396969, 0.22971664, 5e-9, "R-devel PR#2794"),
        # math.stackexchange.com/questions/2519873, printed R output:
        #   prop.test(484, 500, correct=FALSE)$conf  ->  0.9486551 0.9802085
        (484, 500, 0.95, 0.9486551, 0.9802085, 5e-8, "math.SE 2519873"),
        # same page: prop.test(p_hat*n, n=500, conf.level=0.90, correct=FALSE) with
        # p_hat = 0.916 (x = 458):  0.8932886 0.9342336
        (458, 500, 0.90, 0.8932886, 0.9342336, 5e-8, "math.SE 2519873"),
        # ... and with p_hat = 0.016 (x = 8):  0.009038314 0.028171427
        (8, 500, 0.90, 0.009038314, 0.028171427, 5e-10, "math.SE 2519873"),
        # stats.stackexchange.com/questions/183225: prop.test(319, 1100, conf.level = 0.99,
        # correct = FALSE) gives the 99% interval (0.2561, 0.3264) (printed to 4 dp)
        (319, 1100, 0.99, 0.2561, 0.3264, 5e-5, "CV 183225"),
        # R package tern, testthat test of prop_wilson() (a wrapper of
        # prop.test(sum(rsp), length(rsp), correct = FALSE)): 5 of 10 at 90%
        #   expected <- c(0.2692718, 0.7307282)
        (5, 10, 0.90, 0.2692718, 0.7307282, 5e-8, "tern tests"),
    ],
)
def test_unweighted_wilson_equals_r_prop_test(x, n, conf, low, high, tol, source):
    r = weighted_proportion(_responses(x, n), "yes", conf_level=conf)
    assert r.proportion == pytest.approx(x / n)
    assert r.n == n and r.effective_n == pytest.approx(n) and r.n_positive == x
    assert r.ci_low == pytest.approx(low, abs=tol), source
    assert r.ci_high == pytest.approx(high, abs=tol), source


def test_unit_weights_change_nothing():
    # weights all equal (any constant) give n_eff = n: (n c)^2 / (n c^2) = n
    plain = weighted_proportion(_responses(6, 52), "yes")
    scaled = weighted_proportion(_responses(6, 52), "yes", weights=[2.5] * 52)
    assert scaled.effective_n == pytest.approx(52)
    assert (scaled.ci_low, scaled.ci_high) == pytest.approx((plain.ci_low, plain.ci_high))


# --------------------------------------------------------------------------- weighted, by hand
def test_weighted_proportion_hand_calculation():
    # Five answers and one blank:
    #   response  yes  yes  no  no  yes  (blank)
    #   weight     1    2    3   1   3     4
    # Answered rows only (the blank is excluded from the base, counted as no answer):
    #   Σw = 1+2+3+1+3 = 10;  Σw·[yes] = 1+2+3 = 6;  p = 6/10 = 0.6
    #   Σw² = 1+4+9+1+9 = 24;  n_eff = (Σw)²/Σw² = 100/24 = 4.16667 (Kish 1965)
    # Wilson with n = n_eff, z = 1.959964 (z² = 3.841459):
    #   z²/n = 0.921950;  denominator 1 + z²/n = 1.921950
    #   centre = (p + z²/(2n)) / 1.921950 = (0.6 + 0.460975) / 1.921950 = 0.552030
    #   half   = z/1.921950 · sqrt(p(1-p)/n + z²/(4n²))
    #          = 1.019779 · sqrt(0.0576 + 0.055317) = 1.019779 · 0.336032 = 0.342678
    #   interval = 0.552030 ± 0.342678 = (0.209352, 0.894708)
    r = weighted_proportion(
        ["yes", "yes", "no", "no", "yes", ""], "yes", weights=[1, 2, 3, 1, 3, 4]
    )
    assert r.proportion == pytest.approx(0.6)
    assert r.effective_n == pytest.approx(100 / 24)
    assert r.n == 5 and r.n_positive == 3 and r.n_no_answer == 1
    assert r.ci_low == pytest.approx(0.209352, abs=2e-6)
    assert r.ci_high == pytest.approx(0.894708, abs=2e-6)


# --------------------------------------------------------------------------- change between waves
def test_change_p_value_equals_r_two_sample_prop_test():
    # influentialpoints.com/notes/n9rmf3.htm prints R output of prop.test without continuity
    # correction: X-squared = 6.1026, df = 1, p-value = 0.01350; sample estimates
    # 0.4392523 0.3046875; 95% (Wald) interval for the difference 0.03074072 0.23838896.
    # The page does not print the counts; 94/214 and 39/128 reproduce the estimates, the
    # X-squared and the Wald interval to every printed digit (checked by hand: 94/214 =
    # 0.4392523, 39/128 = 0.3046875, SE = sqrt(.43925*.56075/214 + .30469*.69531/128)
    # = 0.052973, 0.134565 ± 1.959964 × 0.052973 = (0.030741, 0.238389)).
    first = weighted_proportion(_responses(94, 214), "yes")
    second = weighted_proportion(_responses(39, 128), "yes")
    c = survey_change(before=second, after=first)
    assert c.difference == pytest.approx(0.4392523 - 0.3046875, abs=1e-7)
    assert c.z**2 == pytest.approx(6.1026, abs=5e-5)
    assert c.p_value == pytest.approx(0.01350, abs=5e-6)


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:873-890, Table II, method 10 (hybrid
        # score interval from the two Wilson intervals), examples (a) and (b):
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
    ],
)
def test_change_interval_equals_newcombe_table_ii(x1, n1, x2, n2, low, high):
    after = weighted_proportion(_responses(x1, n1), "yes")
    before = weighted_proportion(_responses(x2, n2), "yes")
    c = survey_change(before=before, after=after)
    assert c.difference == pytest.approx(x1 / n1 - x2 / n2)
    assert c.ci_low == pytest.approx(low, abs=5e-5)
    assert c.ci_high == pytest.approx(high, abs=5e-5)


def test_weighted_change_uses_effective_sizes_hand_calculation():
    # before: 4 answers yes,no,yes,no with weights 1,1,3,3
    #   p0 = (1+3)/8 = 0.5;  n_eff0 = 8²/(1+1+9+9) = 64/20 = 3.2
    # after: 4 answers yes,yes,yes,no with equal weights -> p1 = 0.75, n_eff1 = 4
    # pooled on effective counts: x0 = 0.5·3.2 = 1.6, x1 = 0.75·4 = 3
    #   p̄ = 4.6/7.2 = 0.638889;  SE = sqrt(p̄(1-p̄)(1/3.2 + 1/4))
    #      = sqrt(0.230710 · 0.5625) = sqrt(0.129774) = 0.360242
    #   z = 0.25/0.360242 = 0.693978;  p = 2·(1 - Φ(0.693978)) = 0.48770
    #   (normal table: Φ(0.69) = 0.75490, Φ(0.70) = 0.75804; interpolated Φ = 0.756149)
    before = weighted_proportion(["yes", "no", "yes", "no"], "yes", weights=[1, 1, 3, 3])
    after = weighted_proportion(["yes", "yes", "yes", "no"], "yes")
    assert before.effective_n == pytest.approx(3.2)
    c = survey_change(before, after)
    assert c.difference == pytest.approx(0.25)
    assert c.z == pytest.approx(0.693978, abs=2e-6)
    assert c.p_value == pytest.approx(0.48770, abs=1e-5)
    # the interval is Newcombe's from the two Wilson intervals on the effective sizes:
    #   L = d - sqrt((p1 - l1)² + (u0 - p0)²),  U = d + sqrt((u1 - p1)² + (p0 - l0)²)
    lo = 0.25 - math.sqrt((after.proportion - after.ci_low) ** 2 + (before.ci_high - 0.5) ** 2)
    hi = 0.25 + math.sqrt((after.ci_high - after.proportion) ** 2 + (0.5 - before.ci_low) ** 2)
    assert (c.ci_low, c.ci_high) == pytest.approx((lo, hi))


# --------------------------------------------------------------------------- table versions
def _frame(spec: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    """Rows (year, group, positives, answers) expanded to one row per respondent."""
    rows = []
    for year, group, x, n in spec:
        for i in range(n):
            rows.append(
                {
                    "survey": "public",
                    "year": year,
                    "respondent_id": f"{year}-{group}-{i}",
                    "question": "safe",
                    "response": "Very safe" if i < x else "Very unsafe",
                    "age_group": group,
                }
            )
    return pd.DataFrame(rows)


def test_measure_table_and_change_match_r_values():
    # the same R values as above, reached through the table functions
    df = _frame([("2023/24", "all", 39, 128), ("2024/25", "all", 94, 214)])
    measure = {"id": "safe", "label": "Feel safe", "survey": "public", "question": "safe",
               "positive": ["very safe"]}  # fmt: skip
    t = survey_measure_table(df, [measure])
    assert t["n"].tolist() == [128, 214]
    ch = survey_measure_change(t, "2023/24", "2024/25")
    assert ch["p_value"].iloc[0] == pytest.approx(0.01350, abs=5e-6)


def test_group_gaps_against_named_reference_matches_newcombe():
    # group A 56/70 vs reference group B 48/80: Newcombe Table II (a) = (0.0524, 0.3339)
    df = _frame([("2024/25", "A", 56, 70), ("2024/25", "B", 48, 80)])
    g = group_gaps(df, "Very safe", "age_group", reference="B").set_index("age_group")
    assert g.loc["A", "difference"] == pytest.approx(0.2)
    assert g.loc["A", "difference_ci_low"] == pytest.approx(0.0524, abs=5e-5)
    assert g.loc["A", "difference_ci_high"] == pytest.approx(0.3339, abs=5e-5)
    assert math.isnan(g.loc["B", "difference"])
