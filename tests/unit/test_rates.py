"""poisson_ci, rate_ci and rate_table: behaviour and edge cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from smp_analysis.stats.rates import BYAR_MIN_COUNT, poisson_ci, rate_ci, rate_table

NAN = float("nan")


def test_zero_count_rate() -> None:
    r = rate_ci(0, 5000)
    assert r.rate == 0.0 and r.ci_low == 0.0 and r.method == "exact"
    assert r.ci_high == pytest.approx(-math.log(0.025) / 5000 * 1000)


def test_method_switches_at_ten() -> None:
    assert rate_ci(BYAR_MIN_COUNT - 1, 1000).method == "exact"
    assert rate_ci(BYAR_MIN_COUNT, 1000).method == "byar"


def test_byar_close_to_exact_for_large_counts() -> None:
    r = rate_ci(400, 100_000)
    e = poisson_ci(400, exposure=100_000 / 1000)
    assert r.ci_low == pytest.approx(e.ci_low, rel=1e-3)
    assert r.ci_high == pytest.approx(e.ci_high, rel=1e-3)


def test_interval_contains_rate_and_widens_with_confidence() -> None:
    a = rate_ci(25, 8000, conf_level=0.95)
    b = rate_ci(25, 8000, conf_level=0.998)
    assert b.ci_low < a.ci_low < a.rate < a.ci_high < b.ci_high
    assert a.estimate == a.rate and a.per == 1000


def test_per_scales_everything() -> None:
    a = rate_ci(25, 8000, per=1000)
    b = rate_ci(25, 8000, per=100_000)
    assert b.rate == pytest.approx(a.rate * 100)
    assert b.ci_low == pytest.approx(a.ci_low * 100)


@pytest.mark.parametrize(
    ("count", "pop", "match"),
    [
        (-1, 100, "count"),
        (NAN, 100, "count"),
        (math.inf, 100, "count"),
        (5, 0, "population"),
        (5, -10, "population"),
        (5, NAN, "population"),
    ],
)
def test_rate_ci_rejects_impossible_arguments(count: float, pop: float, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        rate_ci(count, pop)


def test_poisson_ci_validation_and_exposure() -> None:
    with pytest.raises(ValueError):
        poisson_ci(-2)
    with pytest.raises(ValueError):
        poisson_ci(3, exposure=0)
    with pytest.raises(ValueError):
        poisson_ci(3, conf_level=1.5)
    a, b = poisson_ci(12), poisson_ci(12, exposure=4)
    assert b.ci_low == pytest.approx(a.ci_low / 4) and b.estimate == 3.0


def test_rate_table_rowwise_with_missing_values() -> None:
    t = pd.DataFrame(
        {
            "lsoa": ["a", "b", "c", "d"],
            "count": [0, 12, NAN, 3],
            "population": [1500, 1600, 1400, NAN],
        }
    )
    out = rate_table(t)
    assert out["method"].iloc[:2].tolist() == ["exact", "byar"]
    assert out["method"].iloc[2:].isna().all()
    assert out["rate"].iloc[0] == 0.0 and out["ci_low"].iloc[0] == 0.0
    assert out["rate"].iloc[2:].isna().all() and out["ci_high"].iloc[2:].isna().all()
    single = rate_ci(12, 1600)
    assert out["ci_low"].iloc[1] == pytest.approx(single.ci_low)
    assert out["ci_high"].iloc[1] == pytest.approx(single.ci_high)
    assert list(t.columns) == ["lsoa", "count", "population"]  # input untouched


def test_rate_table_grouped_sums_first() -> None:
    t = pd.DataFrame(
        {
            "ward": ["A", "A", "B", "B"],
            "crimes": [3, 4, 20, 5],
            "residents": [1000, 1000, 2000, 3000],
        }
    )
    out = rate_table(t, count="crimes", exposure="residents", by=["ward"], per=1000)
    assert out["ward"].tolist() == ["A", "B"]
    assert out["crimes"].tolist() == [7, 25] and out["residents"].tolist() == [2000, 5000]
    assert out["rate"].tolist() == pytest.approx([3.5, 5.0])
    assert out["method"].tolist() == ["exact", "byar"]


def test_rate_table_grouped_missing_is_not_zero() -> None:
    t = pd.DataFrame({"g": ["A", "A"], "count": [3, NAN], "population": [100, 100]})
    out = rate_table(t, by=["g"])
    assert np.isnan(out["count"].iloc[0]) and np.isnan(out["rate"].iloc[0])


def test_rate_table_errors() -> None:
    t = pd.DataFrame({"count": [1, -1], "population": [10, 10]})
    with pytest.raises(ValueError, match="negative"):
        rate_table(t)
    t = pd.DataFrame({"count": [1, 1], "population": [10, 0]})
    with pytest.raises(ValueError, match="positive"):
        rate_table(t)
    with pytest.raises(ValueError, match="column"):
        rate_table(t, count="crimes")
