"""Mann-Kendall, Sen's slope, STL and trend_table: behaviour and edge cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from smp_analysis.stats.trend import (
    mann_kendall,
    seasonal_mann_kendall,
    sen_slope,
    stl_decompose,
    trend_table,
)

NAN = float("nan")


def test_strictly_increasing_series() -> None:
    r = mann_kendall(np.arange(10.0))
    assert r.s == 45 and r.tau == 1.0 and r.slope == 1.0
    assert r.z > 0 and r.p_value < 0.001


def test_decreasing_series_negative() -> None:
    r = mann_kendall([9, 7, 8, 5, 4, 2])
    assert r.s < 0 and r.z < 0 and r.slope < 0 and r.tau < 0


def test_all_equal_series_is_no_trend() -> None:
    r = mann_kendall([4.0] * 12)
    assert (r.s, r.var_s, r.z, r.p_value, r.slope) == (0.0, 0.0, 0.0, 1.0, 0.0)
    assert math.isnan(r.tau)


def test_continuity_correction_s_of_one() -> None:
    r = mann_kendall([1, 3, 2])  # S = +1 +1 -1 = 1 -> z = 0
    assert r.s == 1 and r.z == 0.0 and r.p_value == 1.0


def test_too_few_values_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least 3"):
        mann_kendall([1.0, 2.0])
    with pytest.raises(ValueError, match="at least 3"):
        mann_kendall([1.0, NAN, NAN, 2.0])
    with pytest.raises(ValueError, match="finite"):
        mann_kendall([1.0, math.inf, 2.0])
    with pytest.raises(ValueError, match="one-dimensional"):
        mann_kendall([[1.0, 2.0], [3.0, 4.0]])


def test_sen_slope_edge_cases() -> None:
    assert math.isnan(sen_slope([5.0]))
    assert math.isnan(sen_slope([NAN, 5.0, NAN]))
    assert sen_slope([0, 2]) == 2.0
    assert sen_slope(pd.Series([1.0, NAN, NAN, 4.0])) == 1.0


def test_seasonal_ignores_seasonal_pattern() -> None:
    # strong seasonality, no trend: plain MK is fooled less than you'd think, but the
    # seasonal test must see exactly zero trend when each month repeats its value
    season = np.array([5, 8, 12, 20, 25, 30, 28, 22, 15, 10, 7, 6], dtype=float)
    x = np.tile(season, 4)
    r = seasonal_mann_kendall(x)
    assert r.s == 0 and r.slope == 0.0 and r.p_value == 1.0
    y = x + np.repeat(np.arange(4.0), 12) * 3  # +3 per year in every month
    r = seasonal_mann_kendall(y)
    assert r.s == 12 * 6 and r.slope == pytest.approx(3 / 12) and r.p_value < 0.001


def test_seasonal_errors() -> None:
    with pytest.raises(ValueError, match="period"):
        seasonal_mann_kendall([1, 2, 3], period=1)
    with pytest.raises(ValueError, match="season"):
        seasonal_mann_kendall([1, 2, 3], period=12)


def test_seasonal_missing_months() -> None:
    x = np.tile(np.arange(12.0), 3) + np.repeat([0.0, 1.0, 2.0], 12)
    x[5] = NAN
    r = seasonal_mann_kendall(x)
    assert r.n == 35
    assert r.s == 11 * 3 + 1  # season 5 has only 2 values left


def test_stl_interpolates_interior_and_flags() -> None:
    months = pd.period_range("2020-01", periods=48, freq="M")
    t = np.arange(48.0)
    y = pd.Series(100 + t + 10 * np.sin(2 * np.pi * t / 12), index=months)
    y.iloc[[0, 20, 47]] = NAN
    out = stl_decompose(y)
    assert out.index[0] == months[1] and out.index[-1] == months[46]  # ends trimmed
    assert out["interpolated"].sum() == 1 and bool(out.loc[months[20], "interpolated"])
    assert np.isnan(out.loc[months[20], "observed"])
    filled = out["trend"] + out["seasonal"] + out["resid"]
    obs = out["observed"].dropna()
    assert filled.loc[obs.index].to_numpy() == pytest.approx(obs.to_numpy())
    # the trend recovers the +1 per month slope
    assert np.diff(out["trend"].to_numpy()).mean() == pytest.approx(1.0, abs=0.05)


def test_stl_refuses_when_asked_or_too_short() -> None:
    y = pd.Series([1.0, NAN] + [2.0] * 30)
    with pytest.raises(ValueError, match="missing"):
        stl_decompose(y, missing="raise")
    with pytest.raises(ValueError, match="two full periods"):
        stl_decompose(np.arange(20.0))
    with pytest.raises(ValueError, match="no data"):
        stl_decompose([NAN] * 30)
    with pytest.raises(ValueError, match="missing must be"):
        stl_decompose(np.arange(30.0), missing="zero")


def _frame(values: dict[str, list[float]], start: str = "2022-01") -> pd.DataFrame:
    parts = []
    for key, v in values.items():
        months = pd.period_range(start, periods=len(v), freq="M")
        parts.append(pd.DataFrame({"area": key, "month": months, "count": v}))
    return pd.concat(parts, ignore_index=True)


def test_trend_table_many_series() -> None:
    rng = np.random.default_rng(0)
    up = list(np.arange(36.0) * 2 + rng.normal(0, 1, 36))
    flat = [10.0] * 36
    short = [1.0, 2.0]
    t = trend_table(_frame({"up": up, "flat": flat, "short": short}), ["area"])
    t = t.set_index("area")
    assert t.loc["up", "significant"] and t.loc["up", "slope"] == pytest.approx(2.0, abs=0.3)
    assert not t.loc["flat", "significant"] and t.loc["flat", "p_value"] == 1.0
    assert math.isnan(t.loc["short", "p_value"]) and not t.loc["short", "significant"]
    assert pd.isna(t.loc["short", "method"])
    assert t.loc["up", "n"] == 36 and t.loc["up", "months_missing"] == 0


def test_trend_table_matches_single_call_and_fills_absent_months() -> None:
    v = list(np.arange(30.0))
    df = _frame({"A": v})
    df = df.drop(index=[4]).reset_index(drop=True)  # a month absent from the frame
    t = trend_table(df, ["area"], seasonal=False)
    x = np.array(v)
    x[4] = NAN
    single = mann_kendall(x)
    assert t["s"].iloc[0] == single.s and t["slope"].iloc[0] == single.slope
    assert t["months_missing"].iloc[0] == 1 and t["n"].iloc[0] == 29
    assert t["method"].iloc[0] == "Mann-Kendall"


def test_trend_table_without_by_and_errors() -> None:
    df = _frame({"A": list(np.arange(24.0))}).drop(columns="area")
    t = trend_table(df, [])
    assert len(t) == 1 and t["s"].iloc[0] == 12
    with pytest.raises(ValueError, match="negative"):
        trend_table(df.assign(count=-1.0), [])
    with pytest.raises(ValueError, match="lacks"):
        trend_table(df, ["area"])


def test_trend_table_vectorised_equals_single_calls() -> None:
    # the table runs one matrix computation over all series (different spans, gaps, ties)
    rng = np.random.default_rng(11)
    frames, singles = [], {}
    for i in range(6):
        n = int(rng.integers(20, 40))
        v = rng.poisson(5 + i, n).astype(float)
        v[rng.integers(0, n, 2)] = NAN
        start = pd.Period("2021-01", "M") + int(rng.integers(0, 6))
        months = pd.period_range(start, periods=n, freq="M")
        frames.append(pd.DataFrame({"area": f"s{i}", "month": months, "count": v}))
        # the table aligns seasons by calendar month from the earliest month of any series
        offset = (start - pd.Period("2021-01", "M")).n
        singles[f"s{i}"] = (
            seasonal_mann_kendall(np.concatenate([[NAN] * offset, v])),
            mann_kendall(v),
        )
    df = pd.concat(frames, ignore_index=True)
    for seasonal, idx in ((True, 0), (False, 1)):
        t = trend_table(df, ["area"], seasonal=seasonal).set_index("area")
        for key, res in singles.items():
            r = res[idx]
            got = t.loc[key]
            assert (got["s"], got["n"]) == (r.s, r.n)
            assert got["var_s"] == pytest.approx(r.var_s)
            assert got["z"] == pytest.approx(r.z) and got["p_value"] == pytest.approx(r.p_value)
            assert got["tau"] == pytest.approx(r.tau) and got["slope"] == pytest.approx(r.slope)
