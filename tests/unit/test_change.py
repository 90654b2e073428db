"""rate_ratio_test, e_test and change_table: behaviour and edge cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from smp_analysis.stats.change import (
    _binom_minlike_pvalue,
    _clopper_pearson,
    change_table,
    e_test,
    rate_ratio_test,
)
from smp_analysis.stats.periods import financial_year, three_year_baseline

NAN = float("nan")
FY24 = financial_year("2024/25")
FY23 = financial_year("2023/24")


def _two_years(base: list[float], cur: list[float], **keys: str) -> pd.DataFrame:
    months = pd.period_range("2023-04", "2025-03", freq="M")
    df = pd.DataFrame({"month": months, "count": base + cur})
    for k, v in keys.items():
        df.insert(0, k, v)
    return df


# ----------------------------------------------------------------------------- exact core
def test_vectorised_binomial_matches_scipy_binomtest() -> None:
    # scipy's binomtest is a port of R's binom.test (same minlike rule); ours is vectorised
    rng = np.random.default_rng(3)
    n = rng.integers(1, 300, 400)
    p = np.where(rng.random(400) < 0.3, 0.5, rng.uniform(0.02, 0.98, 400))
    x = np.array([rng.integers(0, k + 1) for k in n])
    ours = _binom_minlike_pvalue(x, n, p)
    lo, hi = _clopper_pearson(x, n, 0.95)
    for i in range(len(n)):
        ref = binomtest(int(x[i]), int(n[i]), float(p[i]))
        ci = ref.proportion_ci(confidence_level=0.95, method="exact")
        assert ours[i] == pytest.approx(ref.pvalue, rel=1e-12, abs=1e-300)
        assert lo[i] == pytest.approx(ci.low, abs=1e-10)
        assert hi[i] == pytest.approx(ci.high, abs=1e-10)


def test_pvalue_is_one_at_expected_count() -> None:
    assert rate_ratio_test(10, 12, 10, 12).p_value == 1.0
    assert rate_ratio_test(10, 12, 10, 12).rate_ratio == 1.0


def test_rate_ratio_symmetry() -> None:
    a = rate_ratio_test(30, 12, 18, 11)
    b = rate_ratio_test(18, 11, 30, 12)
    assert a.p_value == pytest.approx(b.p_value, rel=1e-12)
    assert a.rate_ratio == pytest.approx(1 / b.rate_ratio)
    assert a.ci_low == pytest.approx(1 / b.ci_high, rel=1e-10)
    assert a.ci_high == pytest.approx(1 / b.ci_low, rel=1e-10)


def test_wider_interval_at_higher_confidence() -> None:
    a = rate_ratio_test(30, 12, 18, 12, conf_level=0.95)
    b = rate_ratio_test(30, 12, 18, 12, conf_level=0.99)
    assert b.ci_low < a.ci_low < a.rate_ratio < a.ci_high < b.ci_high


def test_both_zero_is_no_evidence() -> None:
    r = rate_ratio_test(0, 12, 0, 12)
    assert math.isnan(r.rate_ratio)
    assert r.ci_low == 0.0 and math.isinf(r.ci_high) and r.p_value == 1.0


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((-1, 12, 3, 12), "count1"),
        ((1, 12, -3, 12), "count2"),
        ((1.5, 12, 3, 12), "whole"),
        ((1, 0, 3, 12), "exposure1"),
        ((1, 12, 3, -2), "exposure2"),
        ((NAN, 12, 3, 12), "finite"),
        ((1, 12, 3, math.inf), "exposure2"),
    ],
)
def test_rate_ratio_test_rejects_impossible_arguments(args: tuple, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        rate_ratio_test(*args)


def test_conf_level_validated() -> None:
    with pytest.raises(ValueError, match="conf_level"):
        rate_ratio_test(1, 1, 1, 1, conf_level=95)


def test_result_is_frozen_with_estimate_alias() -> None:
    r = rate_ratio_test(5, 2, 3, 2)
    assert r.estimate == r.rate_ratio
    with pytest.raises(AttributeError):
        r.p_value = 0.5  # type: ignore[misc]


# ----------------------------------------------------------------------------- e-test
def test_e_test_direction_and_zero() -> None:
    assert e_test(9, 16).z == -2.0
    assert e_test(0, 0).z == 0.0 and e_test(0, 0).p_value == 1.0
    assert e_test(16, 16).p_value == 1.0
    with pytest.raises(ValueError):
        e_test(-1, 4)
    with pytest.raises(ValueError):
        e_test(4, NAN)


# ----------------------------------------------------------------------------- change table
def test_change_table_columns_and_values() -> None:
    s = pd.concat(
        [
            _two_years([10.0] * 12, [15.0] * 12, crime_type="Burglary"),
            _two_years([2.0] * 12, [2.0] * 12, crime_type="Robbery"),
        ],
        ignore_index=True,
    )
    t = change_table(s, ["crime_type"], FY24, FY23)
    assert list(t.columns) == [
        "crime_type",
        "count_baseline",
        "count_current",
        "months_baseline",
        "months_current",
        "change",
        "pct_change",
        "rate_ratio",
        "ci_low",
        "ci_high",
        "p_value",
        "q_value",
        "significant",
        "complete",
        "current_period",
        "baseline_period",
    ]
    b = t.set_index("crime_type").loc["Burglary"]
    assert (b["count_baseline"], b["count_current"], b["change"]) == (120.0, 180.0, 60.0)
    assert b["pct_change"] == pytest.approx(50.0) and b["rate_ratio"] == pytest.approx(1.5)
    ref = rate_ratio_test(180, 12, 120, 12)
    assert (b["ci_low"], b["ci_high"], b["p_value"]) == pytest.approx(
        (ref.ci_low, ref.ci_high, ref.p_value)
    )
    assert t["current_period"].iloc[0] == "2024/25"
    assert t["baseline_period"].iloc[0] == "2023/24"


def test_change_table_bh_q_values() -> None:
    # four series with different evidence; q-values follow Benjamini-Hochberg by hand
    parts = [
        _two_years([10.0] * 12, [c] * 12, area=a)
        for a, c in [("A", 10.0), ("B", 12.0), ("C", 14.0), ("D", 20.0)]
    ]
    t = change_table(pd.concat(parts, ignore_index=True), ["area"], FY24, FY23)
    p = t["p_value"].to_numpy()
    m = len(p)
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(q_sorted, 1)
    assert t["q_value"].to_numpy() == pytest.approx(q)
    assert t["significant"].tolist() == (q <= 0.05).tolist()
    assert t["q_value"].ge(t["p_value"]).all()


def test_incomplete_period_compares_monthly_rates_and_is_flagged() -> None:
    cur = [10.0] * 11 + [NAN]  # March missing
    t = change_table(_two_years([10.0] * 12, cur), [], FY24, FY23)
    r = t.iloc[0]
    assert r["months_current"] == 11 and r["months_baseline"] == 12
    assert r["count_current"] == 110.0
    assert r["rate_ratio"] == pytest.approx(1.0)
    assert r["change"] == pytest.approx(0.0) and r["pct_change"] == pytest.approx(0.0)
    assert not r["complete"]
    # the naive count comparison (110 vs 120) would have shown a fall
    ref = rate_ratio_test(110, 11, 120, 12)
    assert r["p_value"] == pytest.approx(ref.p_value)


def test_zero_baseline_gives_infinite_ratio() -> None:
    t = change_table(_two_years([0.0] * 12, [1.0] * 12, area="A"), ["area"], FY24, FY23)
    r = t.iloc[0]
    assert math.isinf(r["rate_ratio"]) and math.isinf(r["pct_change"])
    assert math.isinf(r["ci_high"]) and r["ci_low"] > 1
    assert r["change"] == 12.0


def test_all_zero_series_not_significant() -> None:
    t = change_table(_two_years([0.0] * 12, [0.0] * 12, area="A"), ["area"], FY24, FY23)
    r = t.iloc[0]
    assert r["p_value"] == 1.0 and not r["significant"] and math.isnan(r["rate_ratio"])


def test_no_data_in_a_period_is_untested() -> None:
    a = _two_years([NAN] * 12, [5.0] * 12, area="A")
    b = _two_years([1.0] * 12, [9.0] * 12, area="B")
    t = change_table(pd.concat([a, b], ignore_index=True), ["area"], FY24, FY23)
    ra = t.set_index("area").loc["A"]
    assert math.isnan(ra["p_value"]) and math.isnan(ra["q_value"])
    assert not ra["significant"] and not ra["complete"]
    assert math.isnan(ra["count_baseline"]) and ra["months_baseline"] == 0
    # B's q-value is computed over the one testable series: q == p
    rb = t.set_index("area").loc["B"]
    assert rb["q_value"] == pytest.approx(rb["p_value"])


def test_three_year_pooled_baseline() -> None:
    months = pd.period_range("2021-04", "2025-03", freq="M")
    s = pd.DataFrame({"month": months, "count": [10.0] * 36 + [20.0] * 12})
    t = change_table(s, [], FY24, three_year_baseline(FY24))
    r = t.iloc[0]
    assert r["count_baseline"] == 360.0 and r["months_baseline"] == 36
    assert r["rate_ratio"] == pytest.approx(2.0)
    assert r["change"] == pytest.approx(120.0)  # 240 vs the average year (120)
    assert r["baseline_period"] == "2021/22 + 2022/23 + 2023/24"


def test_change_table_errors() -> None:
    s = _two_years([1.0] * 12, [1.0] * 12)
    with pytest.raises(ValueError, match="overlap"):
        change_table(s, [], FY24, FY24)
    with pytest.raises(ValueError, match="fdr_alpha"):
        change_table(s, [], FY24, FY23, fdr_alpha=5)
    with pytest.raises(ValueError, match="negative"):
        change_table(_two_years([-1.0] * 12, [1.0] * 12), [], FY24, FY23)
    with pytest.raises(ValueError, match="whole"):
        change_table(_two_years([1.5] * 11 + [1.0], [1.0] * 12), [], FY24, FY23)
