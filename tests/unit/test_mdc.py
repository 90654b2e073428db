"""Making Data Count icons against hand-worked examples.

The rules (module docstring of :mod:`smp_analysis.stats.mdc`) are those of "Making Data
Count: Strengthening your decisions" (NHS Improvement 2019 / NHS England 2021) as R
``NHSRplotthedots`` implements them (``geom_ptd_icon.R``: variation from the last point;
``ptd_calculate_assurance_type.R``: target > upper limit -> consistent fail if higher is
better else consistent pass; target < lower limit -> the reverse; otherwise
inconsistent). Every limit below is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from smp_analysis.stats.mdc import ASSURANCE_ICONS, VARIATION_ICONS, assurance, mdc_icons
from smp_analysis.stats.spc import xmr

#: mean 101/10 = 10.1; moving ranges 1,2,1,1,1,1,1,1,1 -> 10/9 = 1.111;
#: limits 10.1 -/+ 2.66 * 1.111 = 7.144 .. 13.056; "near a limit" beyond 10.1 -/+ 1.970:
#: no point is, no run of 7 on one side, no trend -> common cause throughout.
STABLE = [10, 11, 9, 10, 11, 10, 9, 10, 11, 10]


def test_common_cause_and_the_three_assurance_cases():
    r = xmr(STABLE)
    assert r.lcl == pytest.approx(10.1 - 2.66 * 10 / 9)
    assert r.ucl == pytest.approx(10.1 + 2.66 * 10 / 9)
    i = mdc_icons(r, "down", target=12)  # 7.14 <= 12 <= 13.06: hit and miss
    assert (i.variation, i.assurance) == ("common_cause", "inconsistent")
    assert i.special_cause_type is None and i.value == 10 and i.at == 9
    # target 14 above the upper limit: every month is below it
    assert mdc_icons(r, "down", target=14).assurance == "consistent_pass"
    assert mdc_icons(r, "up", target=14).assurance == "consistent_fail"
    # target 7 below the lower limit: every month is above it
    assert mdc_icons(r, "down", target=7).assurance == "consistent_fail"
    assert mdc_icons(r, "up", target=7).assurance == "consistent_pass"
    # no target, or no better direction: no assurance icon
    assert mdc_icons(r, "down").assurance is None
    assert mdc_icons(r, "neutral", target=12).assurance is None
    assert mdc_icons(r, None, target=12).assurance is None


def test_a_target_on_a_limit_is_inconsistent():
    # ptd uses strict comparisons: a target equal to a limit can be hit in some months
    assert assurance(13.0, 7.0, 13.0, "up") == "inconsistent"
    assert assurance(7.0, 7.0, 13.0, "down") == "inconsistent"


def test_shift_below_the_mean_is_low():
    # baseline = first 8: mean 160/8 = 20; moving ranges 1,2,1,1,1,1,1 -> 8/7;
    # limits 20 -/+ 3.04 = 16.96 .. 23.04; then 7 months of 19: a run of 7 below the mean
    # (not outside the limits, not near them: 19 > 20 - 2.03), so "7 Points Below CL".
    r = xmr([20, 21, 19, 20, 21, 20, 19, 20] + [19] * 7, baseline=8)
    assert (r.lcl, r.ucl) == (pytest.approx(16.96), pytest.approx(23.04))
    down, up, neutral = (mdc_icons(r, g) for g in ("down", "up", "neutral"))
    assert down.variation == "improvement_low"  # fewer crimes is better
    assert up.variation == "concern_low"
    assert neutral.variation == "neutral_low"
    assert down.special_cause_type == "7 Points Below CL"


def test_point_above_the_upper_limit_is_high():
    # mean 200/9 = 22.22; moving ranges 2,1,2,1,1,1,2,15: 15 >= 3.267 * 25/8 is screened,
    # so 10/7 = 1.429; upper limit 22.22 + 3.80 = 26.02 < 35
    r = xmr([20, 22, 21, 19, 20, 21, 22, 20, 35])
    assert r.ucl == pytest.approx(200 / 9 + 2.66 * 10 / 7)
    assert mdc_icons(r, "down").variation == "concern_high"
    assert mdc_icons(r, "up").variation == "improvement_high"
    assert mdc_icons(r, None).variation == "neutral_high"


def test_a_falling_trend_above_the_mean_is_low():
    # baseline 50, 52, 48 x 4: mean 50, moving ranges (2, 4, 2, ...) -> 30/11 = 2.727,
    # limits 42.75 .. 57.25. Then 57 falling by 0.5 to 54: all above the mean, but a
    # 7-point falling trend, which outranks the run above the mean. MDC (and ptd since
    # PR #180) judge a trend by its direction: for "lower is better" an improvement.
    r = xmr([50, 52, 48] * 4 + [57, 56.5, 56, 55.5, 55, 54.5, 54], baseline=12)
    assert r.points["relative_to_mean"].iloc[-1] == 1  # above the mean
    i = mdc_icons(r, "down", target=45)
    assert i.special_cause_type == "7 Point Trend (Decreasing)"
    assert i.variation == "improvement_low"
    assert i.assurance == "inconsistent"  # 42.75 <= 45 <= 57.25
    assert mdc_icons(r, "up").variation == "concern_low"


def test_latest_observed_month_is_used_when_the_last_is_missing():
    months = pd.period_range("2024-01", periods=10, freq="M")
    r = xmr(pd.Series([*STABLE[:9], np.nan], index=months))
    i = mdc_icons(r, "down")
    assert i.at == pd.Period("2024-09", "M") and i.value == 11


def test_every_category_is_listed_and_bad_input_is_refused():
    r = xmr(STABLE)
    assert mdc_icons(r, "up").variation in VARIATION_ICONS
    assert set(ASSURANCE_ICONS) == {"consistent_pass", "consistent_fail", "inconsistent"}
    with pytest.raises(ValueError, match="good_direction"):
        mdc_icons(r, "sideways")
    with pytest.raises(ValueError, match="finite"):
        mdc_icons(r, "up", target=math.nan)
    with pytest.raises(ValueError, match="good_direction"):
        assurance(1.0, 0.0, 2.0, "higher")
