"""Proportions and share tables: behaviour and impossible input."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smp_analysis.stats.proportions import proportion_ci, share_table, wilson_interval


def test_proportion_ci_fields_and_frozen() -> None:
    r = proportion_ci(30, 120)
    assert (r.proportion, r.successes, r.n, r.method, r.conf_level) == (
        0.25,
        30,
        120,
        "wilson",
        0.95,
    )
    assert r.ci_low < 0.25 < r.ci_high
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.proportion = 0.3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("x", "n", "msg"),
    [
        (5, 4, "above 1"),
        (-1, 4, "negative"),
        (1, -4, "negative"),
        (0, 0, "is 0"),
        (np.nan, 4, "NaN"),
    ],
)
def test_proportion_ci_rejects_impossible_input(x: float, n: float, msg: str) -> None:
    with pytest.raises(ValueError, match=msg):
        proportion_ci(x, n)


def test_conf_level_checked_and_used() -> None:
    with pytest.raises(ValueError, match="conf_level"):
        proportion_ci(3, 10, conf_level=95)
    wide = proportion_ci(30, 100, conf_level=0.99)
    narrow = proportion_ci(30, 100, conf_level=0.90)
    assert wide.ci_low < narrow.ci_low and wide.ci_high > narrow.ci_high


def test_boundaries_zero_and_all() -> None:
    zero, all_ = proportion_ci(0, 25), proportion_ci(25, 25)
    assert zero.ci_low == 0.0 and 0 < zero.ci_high < 0.2
    assert all_.ci_high == 1.0 and 0.8 < all_.ci_low < 1


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_interval_contains_estimate_and_lies_in_unit_interval(xn: tuple[int, int]) -> None:
    x, n = xn
    r = proportion_ci(x, n)
    assert 0.0 <= r.ci_low <= r.proportion <= r.ci_high <= 1.0


def test_wilson_interval_propagates_nan() -> None:
    low, high = wilson_interval([1, np.nan], [10, 10])
    assert not np.isnan(low[0]) and np.isnan(low[1]) and np.isnan(high[1])


def test_share_table_row_wise_keeps_rows_and_nan() -> None:
    df = pd.DataFrame({"month": ["a", "b", "c"], "da": [10, np.nan, 0], "viol": [40, 50, 20]})
    out = share_table(df, "da", "viol")
    assert out["month"].tolist() == ["a", "b", "c"]
    assert out["share"].iloc[0] == 0.25 and np.isnan(out["share"].iloc[1])
    assert np.isnan(out["ci_low"].iloc[1]) and out["share"].iloc[2] == 0.0
    assert "share" not in df.columns  # input untouched


def test_share_table_sums_by_group_and_overall() -> None:
    df = pd.DataFrame(
        {"year": [1, 1, 2], "area": ["x", "y", "x"], "da": [1, 2, 3], "viol": [10, 10, 10]}
    )
    by_year = share_table(df, "da", "viol", by="year")
    assert by_year[["year", "da", "viol"]].values.tolist() == [[1, 3, 20], [2, 3, 10]]
    assert by_year["share"].tolist() == [0.15, 0.3]
    overall = share_table(df, "da", "viol", by=[])
    assert len(overall) == 1 and overall["share"].iloc[0] == pytest.approx(6 / 30)
    low, high = wilson_interval(6, 30)
    assert overall["ci_low"].iloc[0] == low[0] and overall["ci_high"].iloc[0] == high[0]


def test_share_table_refuses_to_sum_missing_counts() -> None:
    df = pd.DataFrame({"year": [1, 1], "da": [1, np.nan], "viol": [10, 10]})
    with pytest.raises(ValueError, match="missing"):
        share_table(df, "da", "viol", by=["year"])


@pytest.mark.parametrize(
    ("da", "viol", "msg"), [([11], [10], "above 1"), ([1], [0], "is 0"), ([-1], [10], "negative")]
)
def test_share_table_rejects_impossible_rows(da: list[int], viol: list[int], msg: str) -> None:
    with pytest.raises(ValueError, match=msg):
        share_table(pd.DataFrame({"da": da, "viol": viol}), "da", "viol")


def test_share_table_missing_column() -> None:
    with pytest.raises(ValueError, match="not found"):
        share_table(pd.DataFrame({"da": [1]}), "da", "viol")
