"""Mann-Kendall, seasonal Mann-Kendall and Sen's slope worked by hand.

Formulas as documented for R ``trend::mk.test`` / ``trend::smk.test`` (continuity = TRUE):
S = sum_{i<j} sign(x_j - x_i); Var(S) = [n(n-1)(2n+5) - sum t(t-1)(2t+5)] / 18;
z = sign(S)(|S| - 1)/sqrt(Var); tau = S / sqrt([n(n-1)/2 - sum t(t-1)/2] * n(n-1)/2).
Kendall's tau is also checked against scipy.stats.kendalltau (tau-b against time, an
implementation this package does not use).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from smp_analysis.stats.trend import mann_kendall, seasonal_mann_kendall, sen_slope

NAN = float("nan")


def _p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))  # two-sided normal p-value


def test_mann_kendall_with_ties_by_hand() -> None:
    x = [2, 3, 3, 5, 4, 4, 6]
    # S, pair by pair (later value minus earlier):
    #   2: 3,3,5,4,4,6 all higher            -> +6
    #   3: 3 (tie 0), 5,4,4,6 higher         -> +4
    #   3: 5,4,4,6 higher                    -> +4
    #   5: 4 lower, 4 lower, 6 higher        -> -1
    #   4: 4 (tie 0), 6 higher               -> +1
    #   4: 6 higher                          -> +1
    #   S = 15
    # ties: two groups of size 2 (3,3 and 4,4): each t(t-1)(2t+5) = 2*1*9 = 18
    #   Var = (7*6*19 - 18 - 18) / 18 = (798 - 36) / 18 = 42.333...
    # z = (15 - 1) / sqrt(42.333) = 14 / 6.5064071 = 2.1517252
    # tau: n0 = 21, ties term = (2 + 2)/2 = 2 -> D = sqrt(19 * 21) = 19.9749844; tau = 0.7509393
    r = mann_kendall(x)
    assert r.s == 15
    assert r.var_s == pytest.approx(762 / 18, rel=1e-12)
    assert r.z == pytest.approx(14 / math.sqrt(762 / 18), rel=1e-12)
    assert r.z == pytest.approx(2.1517252, rel=1e-6)
    assert r.p_value == pytest.approx(_p(14 / math.sqrt(762 / 18)), rel=1e-9)
    assert r.tau == pytest.approx(15 / math.sqrt(19 * 21), rel=1e-12)
    assert r.tau == pytest.approx(stats.kendalltau(np.arange(7), x).statistic, rel=1e-12)
    # Sen's slope: the 21 pairwise slopes sorted are
    #   -1, -.5, 0, 0, .25, 1/3, 1/3, 1/3, .4, .5, [.5], .5, .6, 2/3, .75, 1, 1, 1, 1, 2, 2
    #   median (11th) = 0.5
    assert r.slope == 0.5
    assert r.n == 7


def test_mann_kendall_missing_month_keeps_time_positions() -> None:
    x = [2, 3, NAN, 5, 4, 4, 6]
    # S over [2, 3, 5, 4, 4, 6]: +5, +4, -1 (5 vs 4,4,6), +1, +1 -> S = 10
    # n = 6, one tie group of 2: Var = (6*5*17 - 18)/18 = 492/18 = 27.333...
    # z = 9 / sqrt(27.333) = 1.7214617
    r = mann_kendall(x)
    assert r.n == 6
    assert r.s == 10
    assert r.var_s == pytest.approx(492 / 18, rel=1e-12)
    assert r.z == pytest.approx(9 / math.sqrt(492 / 18), rel=1e-12)
    # Slopes use the true positions 0,1,3,4,5,6 (15 pairs):
    #   -1, -.5, 0, .25, 1/3, 1/3, .4, [.5], .6, 2/3, 1, 1, 1, 1, 2  -> median 0.5
    # (had the gap been closed up, the median would be 2/3)
    assert r.slope == 0.5
    assert sen_slope(x) == 0.5


def test_seasonal_mann_kendall_by_hand() -> None:
    # two seasons, four years: season A = 4, 5, 5, 7; season B = 10, 9, 12, 12
    x = [4, 10, 5, 9, 5, 12, 7, 12]
    # season A: 4 -> 5,5,7 (+3); 5 -> 5 (0), 7 (+1); 5 -> 7 (+1)      S_A = 5
    # season B: 10 -> 9 (-1), 12, 12 (+2); 9 -> 12, 12 (+2); 12 -> 12  S_B = 3
    # each season n = 4 with one tie pair: Var = (4*3*13 - 2*1*9)/18 = 138/18
    # S = 8, Var = 276/18 = 15.333, z = 7 / 3.9157800 = 1.7876387
    # tau = 8 / (2 * sqrt((6 - 1) * 6)) = 0.7302967
    r = seasonal_mann_kendall(x, period=2)
    assert r.s == 8
    assert r.var_s == pytest.approx(276 / 18, rel=1e-12)
    assert r.z == pytest.approx(7 / math.sqrt(276 / 18), rel=1e-12)
    assert r.z == pytest.approx(1.7876387, rel=1e-6)
    assert r.p_value == pytest.approx(_p(7 / math.sqrt(276 / 18)), rel=1e-9)
    assert r.tau == pytest.approx(8 / (2 * math.sqrt(30)), rel=1e-12)
    # within-season slopes per time step (positions A: 0,2,4,6; B: 1,3,5,7):
    #   A: .5, .25, .5, 0, .5, 1      B: -.5, .5, 1/3, 1.5, .75, 0
    #   sorted: -.5, 0, 0, .25, 1/3, [.5, .5], .5, .5, .75, 1, 1.5 -> median 0.5
    assert r.slope == 0.5
    assert r.n == 8


def test_seasonal_equals_sum_of_per_season_tests() -> None:
    # Hirsch-Slack: S and Var(S) are sums of the per-season statistics.
    rng = np.random.default_rng(7)
    x = rng.poisson(20, 48).astype(float)
    per = [mann_kendall(x[k::12]) for k in range(12)]
    r = seasonal_mann_kendall(x, period=12)
    assert r.s == sum(p.s for p in per)
    assert r.var_s == pytest.approx(sum(p.var_s for p in per), rel=1e-12)
