"""XmR charts, Making Data Count rules, variation icons: behaviour and edge cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from smp_analysis.stats.spc import variation, variation_table, xmr, xmr_table

NAN = float("nan")


def test_shift_rule_marks_the_whole_run() -> None:
    base = [12, 10] * 6  # mean 11, ends below the mean
    x = [*base, 13, 13, 12, 13, 12, 13, 12, 9]  # seven points above the mean, then below
    r = xmr(x, baseline=12)
    pts = r.points
    assert pts["shift"].tolist() == [False] * 12 + [True] * 7 + [False]
    assert pts["special_cause_type"].iloc[12] == "7 Points Above CL"
    assert (pts["direction"].iloc[12:19] == 1).all()


def test_six_points_is_not_a_shift_and_mean_breaks_run() -> None:
    base = [12, 10] * 6
    assert not xmr([*base, 13] * 1 + [13] * 5, baseline=12).points["shift"].any()
    x = [*base, 13, 13, 13, 11, 13, 13, 13]  # a point exactly on the mean (11)
    assert not xmr(x, baseline=12).points["shift"].any()


def test_decreasing_trend_is_flagged_with_direction() -> None:
    x = [20, 21, 19, 20, 21, 20, 19, 18, 17, 16, 15, 14, 13]
    r = xmr(x, baseline=6)
    pts = r.points
    # 21 (position 4) down to 13: 9 points strictly decreasing
    assert pts["trend"].tolist() == [False] * 4 + [True] * 9
    assert set(pts["special_cause_type"].iloc[4:]) <= {
        "7 Point Trend (Decreasing)",
        "Below LCL",
    }
    assert (pts["direction"].iloc[4:] == -1).all()


def test_equal_neighbours_break_a_trend() -> None:
    x = [1, 2, 3, 3, 4, 5, 6, 7, 6, 5]  # ptd: c(1:3, 3:6) is not a trend
    assert not xmr(x).points["trend"].iloc[:7].any()


def test_outside_limits_takes_precedence() -> None:
    base = [12, 10] * 6  # limits 11 -/+ 5.32 = 5.68, 16.32
    r = xmr([*base, 11, 12, 13, 14, 15, 16, 30], baseline=12)
    assert r.points["special_cause_type"].iloc[-1] == "Above UCL"
    assert r.points["special_cause_type"].iloc[-2] == "7 Point Trend (Increasing)"


def test_single_month_and_all_equal() -> None:
    with pytest.raises(ValueError, match="two consecutive"):
        xmr([5.0])
    with pytest.raises(ValueError, match="two consecutive"):
        xmr([5.0, NAN, 6.0, NAN])
    r = xmr([7.0] * 10)
    assert r.mr_mean == 0 and r.lcl == r.ucl == 7.0 and r.n_screened == 0
    assert not r.points["special_cause"].any()
    r = xmr([7.0] * 10 + [8.0], baseline=10)
    assert r.points["special_cause_type"].iloc[-1] == "Above UCL"


def test_missing_months_skip_moving_ranges_but_not_runs() -> None:
    months = pd.period_range("2024-01", periods=10, freq="M")
    y = pd.Series([10, 12, NAN, 14, 12, 10, 11, 12, 10, 11], index=months, dtype=float)
    r = xmr(y)
    # moving ranges touching the missing month are not computed
    mr = r.points["moving_range"]
    assert math.isnan(mr.iloc[2]) and math.isnan(mr.iloc[3]) and mr.iloc[4] == 2
    assert r.n_moving_ranges == 7  # 9 consecutive pairs minus the 2 touching the gap
    observed = [10, 12, 14, 12, 10, 11, 12, 10, 11]
    assert r.mean == pytest.approx(np.mean(observed))
    assert r.mr_mean == pytest.approx(np.mean([2, 2, 2, 1, 1, 2, 1]))
    assert r.points.index.equals(months)
    missing = r.points.iloc[2]
    assert not missing["special_cause"] and pd.isna(missing["special_cause_type"])
    # a run of 7 above the mean continues across a missing month
    z = pd.Series([1, 1, 1, 1, 1, 1, 5, 5, 5, NAN, 5, 5, 5, 5], dtype=float)
    pts = xmr(z, baseline=6).points
    assert pts["shift"].iloc[6:9].all() and pts["shift"].iloc[10:].all()
    assert not pts["shift"].iloc[9]


def test_screening_can_be_switched_off() -> None:
    x = [10, 11, 10, 11, 10, 30, 10, 11]
    on, off = xmr(x), xmr(x, screen_outliers=False)
    assert off.n_screened == 0 and off.mr_mean == pytest.approx(45 / 7)
    assert on.mr_mean <= off.mr_mean


def test_baseline_mask_and_validation() -> None:
    x = [10.0, 12, 11, 13, 50, 60]
    mask = [True, True, True, True, False, False]
    assert xmr(x, baseline=mask).mean == xmr(x, baseline=4).mean == 11.5
    with pytest.raises(ValueError, match="length"):
        xmr(x, baseline=[True, False])
    with pytest.raises(ValueError, match="at least 2"):
        xmr(x, baseline=1)
    with pytest.raises(ValueError, match="number of points"):
        xmr(x, baseline=True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="finite"):
        xmr([1.0, math.inf, 2.0])


def test_points_columns_and_frozen() -> None:
    r = xmr([3.0, 4, 5, 4, 3])
    assert list(r.points.columns) == [
        "value",
        "moving_range",
        "in_baseline",
        "mean",
        "lcl",
        "ucl",
        "relative_to_mean",
        "close_to_limits",
        "outside_limits",
        "shift",
        "trend",
        "two_in_three",
        "special_cause",
        "special_cause_type",
        "direction",
    ]
    assert r.sigma == pytest.approx(r.mr_mean / 1.128)
    assert r.mr_ucl == pytest.approx(3.267 * r.mr_mean)
    with pytest.raises(AttributeError):
        r.mean = 0  # type: ignore[misc]


# ----------------------------------------------------------------------------- variation
def test_variation_statuses() -> None:
    base = [20, 22] * 6
    low = xmr([*base, 5], baseline=12)
    assert variation(low, "down").icon == "improvement_low"
    assert variation(low, "up").icon == "concern_low"
    assert variation(low, "neutral").icon == "neutral_low"
    assert variation(low, None).status == "neutral"
    common = xmr([*base, 21], baseline=12)
    v = variation(common, "down")
    assert (v.status, v.icon, v.special_cause_type) == ("common_cause", "common_cause", None)
    with pytest.raises(ValueError, match="good_direction"):
        variation(low, "sideways")


def test_variation_uses_last_observed_point() -> None:
    months = pd.period_range("2024-01", periods=14, freq="M")
    y = pd.Series([20, 22] * 6 + [40, NAN], index=months, dtype=float)
    v = variation(xmr(y, baseline=12), "down")
    assert v.at == months[12] and v.value == 40 and v.status == "concern"


def test_increasing_trend_below_mean_is_improvement_when_up_is_good() -> None:
    # baseline 30, 22, ... : mean 26, mean MR 8, limits 26 -/+ 21.28 = 4.72, 47.28
    x = [30, 22] * 3 + [15, 16, 17, 18, 19, 20, 21]
    r = xmr(x, baseline=6)
    last = r.points.iloc[-1]
    # also 7 points below the mean, but the trend rule takes precedence (ptd)
    assert bool(last["shift"]) and bool(last["trend"])
    assert last["special_cause_type"] == "7 Point Trend (Increasing)"
    assert variation(r, "up").status == "improvement"
    assert variation(r, "down").icon == "concern_high"


# ----------------------------------------------------------------------------- tables
def _frame() -> pd.DataFrame:
    months = pd.period_range("2024-01", periods=14, freq="M")
    a = [20, 22] * 6 + [40, 21]
    b = [5, 6] * 7
    c = [3.0, NAN] + [NAN] * 12  # no moving range possible
    return pd.DataFrame(
        {
            "area": ["A"] * 14 + ["B"] * 14 + ["C"] * 14,
            "month": list(months) * 3,
            "count": [*a, *b, *c],
        }
    )


def test_xmr_table_matches_single_calls() -> None:
    df = _frame()
    t = xmr_table(df, ["area"], baseline_months=12)
    single = xmr(df[df["area"] == "A"]["count"].to_numpy(dtype=float), baseline=12)
    a = t[t["area"] == "A"]
    assert a["ucl"].iloc[0] == pytest.approx(single.ucl)
    assert a["special_cause"].tolist() == single.points["special_cause"].tolist()
    assert a["month"].iloc[12] == pd.Period("2025-01", "M")
    c = t[t["area"] == "C"]
    assert c["ucl"].isna().all() and not c["special_cause"].any()
    assert t["special_cause"].dtype == bool and t["direction"].dtype == "int64"


def test_xmr_table_reindexes_absent_months() -> None:
    df = _frame()
    df = df[~((df["area"] == "B") & (df["month"] == pd.Period("2024-05", "M")))]
    t = xmr_table(df, ["area"])
    b = t[t["area"] == "B"]
    assert len(b) == 14 and math.isnan(b["count"].iloc[4])


def test_variation_table() -> None:
    t = xmr_table(_frame(), ["area"], baseline_months=12)
    v = variation_table(t, ["area"], "down").set_index("area")
    assert v.loc["A", "status"] == "common_cause"  # the last observed point is 21
    assert v.loc["B", "status"] == "common_cause"
    assert v.loc["C", "month"] == pd.Period("2024-01", "M")
    t2 = xmr_table(_frame().iloc[:13], ["area"], baseline_months=12)
    v2 = variation_table(t2, ["area"], "down")
    assert v2["icon"].tolist() == ["concern_high"]


def test_xmr_table_errors() -> None:
    df = _frame()
    with pytest.raises(ValueError, match="more than one row"):
        xmr_table(pd.concat([df, df]), ["area"])
    with pytest.raises(ValueError, match="lacks"):
        xmr_table(df.drop(columns="count"), ["area"])
