"""poisson_ci, rate_ci and rate_table against R documentation and hand calculations.

Exact (Garwood) limits: R ``poisson.test`` / ``survival::cipoisson`` printed outputs.
Byar's limits: the PHEindicatormethods formulas (R/Byars.R) worked by hand below.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import stats

from smp_analysis.stats.rates import poisson_ci, rate_ci, rate_table
from tests.reference.results.results_published import (
    R_POISSON_HORSE_KICKS,
    R_POISSON_ONE_SAMPLE,
    R_SURVIVAL_CIPOISSON_4,
)

#: qnorm(0.975) in R = 1.959963984540054
Z975 = 1.959963984540054


@pytest.mark.parametrize("ref", [R_POISSON_ONE_SAMPLE, R_POISSON_HORSE_KICKS])
def test_exact_interval_matches_r_poisson_test(ref: dict) -> None:
    # R: poisson.test(137, 24.19893)$conf.int -> 4.753125 6.692709 (7 s.f.)
    # R: poisson.test(196, 280)$conf.int      -> 0.6054271 0.8051570
    r = poisson_ci(ref["count"], exposure=ref["exposure"])
    assert r.estimate == pytest.approx(ref["estimate"], rel=1e-6)
    assert r.ci_low == pytest.approx(ref["ci"][0], rel=1e-6)
    assert r.ci_high == pytest.approx(ref["ci"][1], rel=1e-6)


def test_exact_interval_matches_survival_cipoisson() -> None:
    # R: survival::cipoisson(4) -> lower 1.089865 (?cipoisson example).
    # The same example prints upper 10.24153 but also shows ppois(4, 10.24153) = 0.02500096,
    # i.e. that printed upper is not the exact root; the exact (Garwood) upper limit U is
    # defined by P(X <= 4 | U) = 0.025 and the lower L by P(X >= 4 | L) = 0.025, checked
    # with the Poisson distribution function (not the gamma quantile we compute with).
    r = poisson_ci(R_SURVIVAL_CIPOISSON_4["count"])
    assert r.ci_low == pytest.approx(R_SURVIVAL_CIPOISSON_4["ci"][0], rel=1e-6)
    assert stats.poisson.cdf(4, r.ci_high) == pytest.approx(0.025, rel=1e-9)
    assert stats.poisson.sf(3, r.ci_low) == pytest.approx(0.025, rel=1e-9)
    assert r.ci_high == pytest.approx(R_SURVIVAL_CIPOISSON_4["ci"][1], rel=1e-5)


def test_exact_interval_zero_count_closed_form() -> None:
    # x = 0: lower limit 0; upper = qgamma(0.975, 1) = -log(0.025) = 3.68887945...
    r = poisson_ci(0)
    assert r.ci_low == 0.0
    assert r.ci_high == pytest.approx(-math.log(0.025), rel=1e-12)


def test_byar_hand_calculation_65_events() -> None:
    # PHE: O = 65 >= 10 -> Byar. Population 10,000, rate per 1,000.
    #   sqrt(65) = 8.0622577483; 1/(9*65) = 0.0017094017; z/(3*sqrt(65)) = 0.0810345375
    #   lower count = 65 * (1 - 0.0017094017 - 0.0810345375)^3
    #               = 65 * 0.9172560607^3 = 65 * 0.7717413494 = 50.1631877
    #   sqrt(66) = 8.1240384046; 1/(9*66) = 0.0016835017; z/(3*sqrt(66)) = 0.0804182964
    #   upper count = 66 * (1 - 0.0016835017 + 0.0804182964)^3
    #               = 66 * 1.0787347947^3 = 66 * 1.2552899780 = 82.8491385
    #   rate = 65 / 10000 * 1000 = 6.5; limits = counts / 10000 * 1000
    lower = 65 * (1 - 1 / (9 * 65) - Z975 / (3 * math.sqrt(65))) ** 3
    upper = 66 * (1 - 1 / (9 * 66) + Z975 / (3 * math.sqrt(66))) ** 3
    assert lower == pytest.approx(50.1631877, rel=1e-8)  # the arithmetic above
    assert upper == pytest.approx(82.8491385, rel=1e-8)
    r = rate_ci(65, 10_000, per=1000)
    assert r.method == "byar"
    assert r.rate == 6.5
    assert r.ci_low == pytest.approx(5.01631877, rel=1e-8)
    assert r.ci_high == pytest.approx(8.28491385, rel=1e-8)


def test_byar_from_ten_events() -> None:
    # O = 10 (the threshold): lower = 10 (1 - 1/90 - z/(3 sqrt 10))^3
    #   1/90 = 0.0111111111; z/(3*3.1622776602) = 0.2065975...; base = 0.7822913...
    #   upper = 11 (1 - 1/99 + z/(3 sqrt 11))^3; 1/99 = 0.0101010101;
    #   z/(3*3.3166247904) = 0.1969830...; base = 1.1868820...
    lo = 10 * (1 - 1 / 90 - Z975 / (3 * math.sqrt(10))) ** 3
    hi = 11 * (1 - 1 / 99 + Z975 / (3 * math.sqrt(11))) ** 3
    r = rate_ci(10, 1000, per=1000)
    assert r.method == "byar"
    assert r.ci_low == pytest.approx(lo, rel=1e-12)
    assert r.ci_high == pytest.approx(hi, rel=1e-12)


def test_exact_below_ten_events() -> None:
    # PHE: O = 4 < 10 -> exact: qchisq(0.025, 8)/2 = 1.089865 (R survival::cipoisson(4));
    # upper U with P(X <= 4 | U) = 0.025. Rate per 1,000 of 2,000 residents = limit / 2.
    r = rate_ci(4, 2000, per=1000)
    assert r.method == "exact"
    assert r.rate == 2.0
    assert r.ci_low == pytest.approx(1.089865 / 2, rel=1e-6)
    assert stats.poisson.cdf(4, r.ci_high * 2) == pytest.approx(0.025, rel=1e-9)


def test_rate_table_matches_hand_values() -> None:
    t = pd.DataFrame({"ward": ["A", "B"], "count": [4, 65], "population": [2000, 10_000]})
    out = rate_table(t, per=1000)
    assert out["method"].tolist() == ["exact", "byar"]
    assert out["ci_low"].tolist() == pytest.approx([1.089865 / 2, 5.01631877], rel=1e-6)
    assert out["ci_high"].iloc[1] == pytest.approx(8.28491385, rel=1e-8)
