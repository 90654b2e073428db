"""Differential change and relative rate indices: behaviour, vectorisation, bad input."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from smp_analysis.stats.disproportionality import (
    differential_change,
    differential_change_table,
    exact_rate_ci,
    relative_rate_index,
    rri_table,
)

# ---------------------------------------------------------------- differential change


def test_no_change_in_share_gives_odds_ratio_one_and_p_one() -> None:
    r = differential_change(50, 500, 100, 1000)
    assert r.share_before == r.share_after == 0.1
    assert r.share_change == 0.0
    assert r.odds_ratio == pytest.approx(1.0, abs=1e-6)
    assert r.ci_low < 1 < r.ci_high
    assert r.p_value == pytest.approx(1.0)
    assert r.sub_pct_change == 100.0 and r.rest_pct_change == 100.0


def test_orientation_rising_share_gives_odds_ratio_above_one() -> None:
    up = differential_change(20, 400, 80, 400)
    down = differential_change(80, 400, 20, 400)
    assert up.odds_ratio > 1 and up.ci_low > 1 and up.p_value < 0.001
    assert down.odds_ratio < 1 and down.ci_high < 1
    assert up.odds_ratio == pytest.approx(1 / down.odds_ratio, rel=1e-6)
    assert up.share_before_ci_low < 0.05 < up.share_before_ci_high
    assert up.share_after_ci_low < 0.2 < up.share_after_ci_high


def test_result_is_frozen() -> None:
    r = differential_change(1, 10, 2, 10)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.p_value = 0.0  # type: ignore[misc]


def test_sub_category_absent_in_both_periods() -> None:
    r = differential_change(0, 100, 0, 120)
    assert np.isnan(r.odds_ratio) and np.isnan(r.ci_low) and r.p_value == 1.0
    assert np.isnan(r.sub_pct_change) and r.rest_pct_change == 20.0


@pytest.mark.parametrize(
    ("args", "msg"),
    [
        ((11, 10, 1, 10), "larger than its parent"),
        ((1, 10, 11, 10), "larger than its parent"),
        ((-1, 10, 1, 10), "negative"),
        ((0, 0, 1, 10), "is 0"),
        ((1.5, 10, 1, 10), "whole-number"),
        ((np.nan, 10, 1, 10), "NaN"),
    ],
)
def test_differential_change_rejects_impossible_input(args: tuple, msg: str) -> None:
    with pytest.raises(ValueError, match=msg):
        differential_change(*args)


@pytest.fixture()
def da() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area": ["X"] * 6 + ["Y"] * 6,
            "year": (["2023/24"] * 3 + ["2024/25"] * 3) * 2,
            "sub_type": ["coercive_control", "stalking", "other"] * 4,
            "count": [60, 40, 900, 95, 42, 913, 10, 10, 80, 10, 10, 80],
        }
    )


def test_table_uses_the_sum_of_all_categories_as_parent(da: pd.DataFrame) -> None:
    t = differential_change_table(
        da, category="sub_type", period="year", before="2023/24", after="2024/25", by=["area"]
    )
    assert len(t) == 6
    x = t[(t["area"] == "X") & (t["sub_type"] == "coercive_control")].iloc[0]
    ref = differential_change(60, 1000, 95, 1050)
    assert (x["total_before"], x["total_after"]) == (1000, 1050)
    assert x["p_value"] == ref.p_value and x["odds_ratio"] == ref.odds_ratio
    y = t[t["area"] == "Y"]
    assert (y["total_before"] == 100).all() and np.allclose(y["odds_ratio"], 1.0, atol=1e-6)
    assert (t["q_value"] >= t["p_value"] - 1e-15).all() and (t["q_value"] <= 1).all()


def test_table_categories_filter_keeps_parent_total(da: pd.DataFrame) -> None:
    t = differential_change_table(
        da[da["area"] == "X"],
        category="sub_type",
        period="year",
        before="2023/24",
        after="2024/25",
        categories=["coercive_control"],
    )
    assert t["sub_type"].tolist() == ["coercive_control"]
    assert t["total_before"].iloc[0] == 1000 and t["q_value"].iloc[0] == t["p_value"].iloc[0]


def test_table_category_absent_in_one_period_counts_as_zero() -> None:
    df = pd.DataFrame({"p": ["a", "a", "b"], "c": ["x", "y", "x"], "count": [5, 5, 10]})
    t = differential_change_table(df, category="c", period="p", before="a", after="b")
    y = t[t["c"] == "y"].iloc[0]
    assert (y["sub_before"], y["sub_after"], y["total_after"]) == (5, 0, 10)


def test_table_errors(da: pd.DataFrame) -> None:
    kw = {"category": "sub_type", "period": "year", "before": "2023/24"}
    with pytest.raises(ValueError, match="not found"):
        differential_change_table(da, after="2025/26", **kw)
    with pytest.raises(ValueError, match="columns not found"):
        differential_change_table(da, after="2024/25", count="n", **kw)
    bad = da.assign(count=da["count"].where(da.index != 0))
    with pytest.raises(ValueError, match="missing"):
        differential_change_table(bad, after="2024/25", **kw)


# ---------------------------------------------------------------- relative rate index


def test_rri_fields() -> None:
    r = relative_rate_index(10, 100, 20, 400)
    assert r.rri == 2.0 and r.group_rate == 0.1 and r.reference_rate == 0.05
    assert r.kind == "risk" and r.method == "katz" and r.ci_low < 2 < r.ci_high


def test_rri_rate_kind_allows_more_events_than_base() -> None:
    r = relative_rate_index(767, 193, 2207, 5799, kind="rate")
    assert r.rri == pytest.approx((767 / 193) / (2207 / 5799))
    with pytest.raises(ValueError, match="exceeds its base"):
        relative_rate_index(767, 193, 2207, 5799)


def test_rri_zero_counts() -> None:
    katz = relative_rate_index(0, 100, 20, 400)
    assert katz.rri == 0.0 and np.isnan(katz.ci_low) and np.isnan(katz.ci_high)
    exact = relative_rate_index(0, 100, 20, 400, kind="rate", method="exact")
    assert exact.rri == 0.0 and exact.ci_low == 0.0 and 0 < exact.ci_high < np.inf
    inf = relative_rate_index(5, 100, 0, 400, kind="rate", method="exact")
    assert inf.rri == np.inf and inf.ci_high == np.inf and inf.ci_low > 0
    none = relative_rate_index(0, 100, 0, 400, kind="rate", method="exact")
    assert np.isnan(none.rri) and np.isnan(none.ci_low)


def test_exact_interval_wider_than_katz_for_small_counts() -> None:
    k = relative_rate_index(3, 1000, 10, 1000, kind="rate")
    e = relative_rate_index(3, 1000, 10, 1000, kind="rate", method="exact")
    assert e.rri == k.rri and e.ci_low < k.ci_low and e.ci_high > k.ci_high


@pytest.mark.parametrize(
    ("args", "kw", "msg"),
    [
        ((1, 0, 1, 10), {}, "exposure \\(base\\) must be positive"),
        ((1, 10, 1, -10), {}, "exposure \\(base\\) must be positive"),
        ((-1, 10, 1, 10), {}, "negative"),
        ((1, 10, 1, 10), {"kind": "people"}, "kind"),
        ((1, 10, 1, 10), {"method": "wald"}, "method"),
        ((1, 10, 1, 10), {"method": "exact"}, "kind='rate'"),
        ((np.nan, 10, 1, 10), {}, "NaN"),
    ],
)
def test_rri_rejects_impossible_input(args: tuple, kw: dict, msg: str) -> None:
    with pytest.raises(ValueError, match=msg):
        relative_rate_index(*args, **kw)


def test_rri_table_matches_scalar_function_and_marks_reference() -> None:
    df = pd.DataFrame(
        {
            "stage": ["arrest"] * 3 + ["custody"] * 3,
            "group": ["Black", "Asian", "White"] * 2,
            "count": [30, 12, 100, 5, 2, 10],
            "base": [60, 40, 400, 30, 12, 100],
        }
    )
    t = rri_table(df, "group", "count", "base", reference="White", by=["stage"])
    assert len(t) == 6 and t["is_reference"].sum() == 2
    row = t[(t["stage"] == "custody") & (t["group"] == "Black")].iloc[0]
    ref = relative_rate_index(5, 30, 10, 100)
    assert row["rri"] == ref.rri and row["ci_low"] == ref.ci_low and row["ci_high"] == ref.ci_high
    assert row["rate"] == pytest.approx(5 / 30 * 1000)
    white = t[t["is_reference"]]
    assert (white["rri"] == 1.0).all() and white["ci_low"].isna().all()


def test_rri_table_errors() -> None:
    df = pd.DataFrame({"g": ["A", "B"], "c": [1, 2], "b": [10, 10], "y": [1, 2]})
    with pytest.raises(ValueError, match="reference group 'W' not found"):
        rri_table(df, "g", "c", "b", reference="W")
    with pytest.raises(ValueError, match="no reference row"):
        rri_table(df, "g", "c", "b", reference="A", by=["y"])
    with pytest.raises(ValueError, match="more than one row"):
        rri_table(pd.concat([df, df]), "g", "c", "b", reference="A")
    with pytest.raises(ValueError, match="columns not found"):
        rri_table(df, "g", "count", "b", reference="A")


def test_exact_rate_ci_vectorised_with_missing() -> None:
    rate, low, high = exact_rate_ci([0, 15, np.nan], [100, 400, 100], per=100)
    assert rate[0] == 0 and low[0] == 0 and high[0] > 0
    assert low[1] < rate[1] == 3.75 < high[1]
    assert np.isnan(rate[2]) and np.isnan(low[2]) and np.isnan(high[2])
    with pytest.raises(ValueError, match="positive"):
        exact_rate_ci(1, 0)
