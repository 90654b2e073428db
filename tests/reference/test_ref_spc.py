"""XmR limits and Making Data Count rules against NHSRplotthedots and hand calculations.

* Hand calculation of mean, moving ranges, screening and limits for a small series.
* NHSRplotthedots' own test expectations for its rule helpers
  (tests/testthat/test-ptd_calculate_point_type.R) and behaviour tests
  (tests/testthat/test-ptd_spc_standard.R).
* NHSRplotthedots' printed snapshot of ptd_spc on set.seed(123); rnorm(20)
  (tests/testthat/_snaps/ptd_spc.md), compared at the printed precision.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smp_analysis.stats.spc import (
    _part_of_run,
    _run_end,
    _trend_end,
    _two_in_three,
    xmr,
    xmr_table,
)
from tests.reference.results.results_published import (
    PTD_RNORM20_FACETS,
    PTD_RNORM20_PRINTED,
    PTD_RNORM20_SUMMARY,
)


def test_limits_by_hand_with_screening() -> None:
    x = [10, 14, 12, 13, 11, 30, 12, 13]
    # mean = 115 / 8 = 14.375
    # moving ranges: 4, 2, 1, 2, 19, 18, 1 -> mean 47/7 = 6.7142857
    # screening: 3.267 * 6.7142857 = 21.935 -> all kept (19 and 18 are below it)
    # limits: 14.375 -/+ 2.66 * 6.7142857 = 14.375 -/+ 17.86 -> -3.485, 32.235
    r = xmr(x)
    assert r.mean == 14.375
    assert r.mr_mean == pytest.approx(47 / 7, rel=1e-12)
    assert r.n_screened == 0
    assert r.lcl == pytest.approx(14.375 - 2.66 * 47 / 7, rel=1e-12)
    assert r.ucl == pytest.approx(32.235, rel=1e-12)
    assert not r.points["outside_limits"].any()

    y = [10, 14, 12, 13, 11, 40, 12, 13]
    # moving ranges 4, 2, 1, 2, 29, 28, 1 -> mean 67/7 = 9.5714286;
    # 3.267 * 9.5714286 = 31.27 -> all kept again; now baseline = first 5 points:
    # mean 60/5 = 12; MRs 4, 2, 1, 2 -> 2.25; screen at 7.35 keeps all;
    # limits 12 -/+ 5.985 = 6.015, 17.985 -> 40 is above the UCL
    r = xmr(y, baseline=5)
    assert r.mean == 12 and r.mr_mean == 2.25
    assert (r.lcl, r.ucl) == pytest.approx((6.015, 17.985), rel=1e-12)
    assert r.points["outside_limits"].tolist() == [False] * 5 + [True, False, False]
    assert r.points["special_cause_type"].iloc[5] == "Above UCL"

    z = [10, 11, 10, 11, 10, 30, 10, 11]
    # MRs 1, 1, 1, 1, 20, 20, 1 -> mean 45/7 = 6.4286; 3.267 * 6.4286 = 21.0 -> 20 kept
    # baseline first 6: MRs 1, 1, 1, 1, 20 -> mean 4.8; 3.267 * 4.8 = 15.68 -> 20 screened;
    # mr_mean = 4/4 = 1; mean = 82/6 = 13.6667; limits 13.6667 -/+ 2.66 = 11.0067, 16.3267
    r = xmr(z, baseline=6)
    assert r.n_screened == 1 and r.mr_mean == 1.0
    assert r.mean == pytest.approx(82 / 6, rel=1e-12)
    assert (r.lcl, r.ucl) == pytest.approx((82 / 6 - 2.66, 82 / 6 + 2.66), rel=1e-12)


def test_two_in_three_outer_third_by_hand() -> None:
    # baseline of 12 points alternating 10, 12: mean 11, every MR 2, limits 11 -/+ 5.32.
    # outer third starts at 11 + 2/3 * 5.32 = 14.5467 (and 7.4533 below).
    base = [10, 12] * 6
    x = [*base, 15, 12, 15]
    r = xmr(x, baseline=12)
    assert r.ucl == pytest.approx(16.32) and r.lcl == pytest.approx(5.68)
    pts = r.points
    # 15 is close to (not beyond) the UCL; 15, 12, 15 are all above the mean and two of
    # the three are in the outer third -> the two 15s are flagged, 12 is not
    assert pts["close_to_limits"].tolist()[-3:] == [True, False, True]
    assert pts["two_in_three"].tolist()[-3:] == [True, False, True]
    assert pts["special_cause_type"].iloc[-1] == "2 in 3 Above CL"


# ----------------------------------------------------------------------------- ptd rule tests
# tests/testthat/test-ptd_calculate_point_type.R (NHSRplotthedots), translated: ptd returns
# 0/1 (or -1/0/1) vectors, ours booleans / ints.
def test_ptd_seven_point_one_side_mean() -> None:
    assert _run_end(np.array([1] * 6)).tolist() == [False] * 6
    assert _run_end(np.array([1] * 6 + [-1])).tolist() == [False] * 7
    assert _run_end(np.array([1] * 8 + [-1])).astype(int).tolist() == [0] * 6 + [1, 1, 0]
    assert _run_end(np.array([-1] * 8 + [1])).astype(int).tolist() == [0] * 6 + [1, 1, 0]
    assert _run_end(np.array([-1] + [1] * 8 + [-1])).astype(int).tolist() == ([0] * 7 + [1, 1, 0])


def test_ptd_part_of_seven_trend() -> None:
    assert _part_of_run(np.zeros(6, dtype=bool)).tolist() == [False] * 6
    # a run of 8 on one side ends at positions 6 and 7 -> points 0..7 are part of it
    ends = _run_end(np.array([1] * 8 + [-1]))
    assert _part_of_run(ends).astype(int).tolist() == [1] * 8 + [0]


def test_ptd_seven_point_trend() -> None:
    assert _trend_end(np.arange(1, 7, dtype=float)).tolist() == [0] * 6
    assert _trend_end(np.array([1, 2, 3, 3, 4, 5, 6], dtype=float)).tolist() == [0] * 7
    assert _trend_end(np.arange(1, 8, dtype=float)).tolist() == [0] * 6 + [1]
    assert _trend_end(np.array([2, *range(1, 8), 3], dtype=float)).tolist() == ([0] * 7 + [1, 0])
    assert _trend_end(np.arange(7, 0, -1, dtype=float)).tolist() == [0] * 6 + [-1]
    assert _trend_end(np.array([2, *range(7, 0, -1), 3], dtype=float)).tolist() == (
        [0] * 7 + [-1, 0]
    )


@pytest.mark.parametrize(
    ("close", "expected"),
    [
        ([1, 0, 1], [1, 0, 1]),  # ptd: two_in_three(c(1,0,1)) = 1,1,1; part_of = the close ones
        ([0, 1, 1], [0, 1, 1]),
        ([1, 1, 0], [1, 1, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [0, 0, 1, 0, 1, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [0, 0, 1, 1, 0, 0, 0]),
        ([1, 0, 0, 1], [0, 0, 0, 0]),
        ([1, 0, 0, 1, 1], [0, 0, 0, 1, 1]),
    ],
)
def test_ptd_part_of_two_in_three(close: list[int], expected: list[int]) -> None:
    # ptd tests pass no relative_to_mean: all points on one side (rtm = 1) is equivalent
    c = np.array(close, dtype=bool)
    got = _two_in_three(c, np.ones(len(close), dtype=int)) & c
    assert got.astype(int).tolist() == expected


def test_ptd_two_close_points_on_opposite_sides_are_common_cause() -> None:
    # test-ptd_spc_standard.R: data = rep(c(1, -1), 8); data[15] = 5.5; data[16] = -5.5
    # -> the last two points are "common_cause"
    y = [1.0, -1.0] * 8
    y[14], y[15] = 5.5, -5.5
    r = xmr(y)
    assert not r.points["special_cause"].iloc[-2:].any()


# ----------------------------------------------------------------------------- ptd snapshots
def test_ptd_rnorm20_summary_at_printed_precision() -> None:
    # ptd_spc(set.seed(123) rnorm(20)) summary: mean 0.142, lpl -3.01, upl 3.29, 20 common
    # cause. Our input is the 3-s.f. printed series, so agreement is to the printed
    # precision plus the input rounding (0.01).
    r = xmr(PTD_RNORM20_PRINTED)
    ref = PTD_RNORM20_SUMMARY
    assert r.mean == pytest.approx(ref["mean"], abs=0.001)
    assert r.lcl == pytest.approx(ref["lpl"], abs=0.01)
    assert r.ucl == pytest.approx(ref["upl"], abs=0.01)
    assert int((~r.points["special_cause"]).sum()) == ref["common_cause"]


def test_ptd_rnorm20_facets_at_printed_precision() -> None:
    s = pd.DataFrame(
        {
            "facet": [0] * 10 + [1] * 10,
            "month": list(pd.period_range("2020-01", periods=10, freq="M")) * 2,
            "count": PTD_RNORM20_PRINTED,
        }
    )
    t = xmr_table(s, ["facet"])
    for f, ref in PTD_RNORM20_FACETS.items():
        g = t[t["facet"] == f]
        assert g["mean"].iloc[0] == pytest.approx(ref["mean"], abs=0.001)
        assert g["lcl"].iloc[0] == pytest.approx(ref["lpl"], abs=0.01)
        assert g["ucl"].iloc[0] == pytest.approx(ref["upl"], abs=0.01)
        assert int((~g["special_cause"]).sum()) == ref["common_cause"]
