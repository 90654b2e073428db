"""Behaviour of the emerging-concerns register and its batched Poisson GLM."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from smp_analysis.stats.exceedance import (
    REGISTER_COLUMNS,
    concerns_summary,
    emerging_concerns,
    poisson_glm_batch,
)

MONTHS = pd.period_range("2021-01", "2024-12", freq="M")


def _frame(counts: np.ndarray, months: pd.PeriodIndex = MONTHS, key: str = "s") -> pd.DataFrame:
    """Tidy frame for a (S, T) array of counts, series labelled 0..S-1 in column ``key``."""
    S, T = counts.shape
    return pd.DataFrame(
        {
            key: np.repeat(np.arange(S), T),
            "month": np.tile(months, S),
            "count": counts.ravel().astype(float),
        }
    )


def _seasonal_means(level: np.ndarray, months: pd.PeriodIndex = MONTHS) -> np.ndarray:
    season = np.exp(0.25 * np.sin(2 * np.pi * np.asarray(months.month) / 12))
    return level[:, None] * season[None, :]


def _design(T: int, harmonics: int = 2) -> np.ndarray:
    t = (np.arange(T) - T / 2) / 12
    moy = np.arange(T) % 12 + 1
    cols = [np.ones(T), t]
    for k in range(1, harmonics + 1):
        cols += [np.sin(2 * np.pi * k * moy / 12), np.cos(2 * np.pi * k * moy / 12)]
    return np.column_stack(cols)


# ----------------------------------------------------------------------------- batched GLM
def test_batched_fit_equals_statsmodels_glm_for_several_series():
    rng = np.random.default_rng(42)
    T = 36
    X = _design(T)
    means = np.vstack(
        [
            np.full(T, 25.0),  # flat Poisson
            _seasonal_means(np.array([8.0]), MONTHS[:T])[0],  # seasonal
            np.exp(1.0 + 0.4 * X[:, 1]),  # trending
            np.full(T, 2.0),  # sparse
        ]
    )
    y = rng.poisson(means).astype(float)
    y = np.vstack([y, rng.poisson(rng.gamma(10.0, 1.5, T)).astype(float)])  # over-dispersed
    y[1, [4, 17]] = np.nan  # missing months are dropped, not zero
    fit = poisson_glm_batch(y, X)
    assert fit.converged.all()
    for s in range(y.shape[0]):
        keep = ~np.isnan(y[s])
        ref = sm.GLM(y[s, keep], X[keep], family=sm.families.Poisson()).fit(scale="X2", tol=1e-13)
        np.testing.assert_allclose(fit.coef[s], ref.params, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(fit.dispersion[s], ref.scale, rtol=1e-6)
        np.testing.assert_allclose(
            fit.dispersion[s] * fit.cov_unscaled[s], ref.cov_params(), rtol=1e-6, atol=1e-9
        )
        assert fit.n_obs[s] == keep.sum()


def test_batched_fit_with_prior_weights_and_offset_equals_statsmodels():
    rng = np.random.default_rng(3)
    T = 30
    X = _design(T, harmonics=1)
    y = rng.poisson(12.0, size=(3, T)).astype(float)
    w = rng.uniform(0.2, 1.0, size=(3, T))
    off = np.log(rng.uniform(900, 1100, T))
    fit = poisson_glm_batch(y, X, weights=w, offset=off)
    for s in range(3):
        ref = sm.GLM(y[s], X, family=sm.families.Poisson(), var_weights=w[s], offset=off).fit(
            scale="X2", tol=1e-13
        )
        np.testing.assert_allclose(fit.coef[s], ref.params, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(fit.dispersion[s], ref.scale, rtol=1e-6)


def test_batched_fit_leaves_missing_months_out_rather_than_zero():
    rng = np.random.default_rng(5)
    X = _design(24, harmonics=1)
    y = rng.poisson(20.0, size=(1, 24)).astype(float)
    y_missing = y.copy()
    y_missing[0, 5] = np.nan
    y_zero = y.copy()
    y_zero[0, 5] = 0.0
    dropped = poisson_glm_batch(np.delete(y, 5, axis=1), np.delete(X, 5, axis=0))
    with_nan = poisson_glm_batch(y_missing, X)
    as_zero = poisson_glm_batch(y_zero, X)
    np.testing.assert_allclose(with_nan.coef, dropped.coef, atol=1e-10)
    assert not np.allclose(with_nan.coef, as_zero.coef, atol=1e-3)


def test_batched_fit_rejects_mismatched_shapes_and_negative_counts():
    with pytest.raises(ValueError, match="same T"):
        poisson_glm_batch(np.ones((2, 5)), np.ones((4, 2)))
    with pytest.raises(ValueError, match="negative"):
        poisson_glm_batch(-np.ones((1, 5)), np.ones((5, 1)))


# ----------------------------------------------------------------------------- register shape
def test_register_columns_and_invariants():
    rng = np.random.default_rng(1)
    counts = rng.poisson(_seasonal_means(rng.uniform(2, 40, 30))).astype(float)
    counts[3, -3:] *= 3
    reg = emerging_concerns(_frame(counts), by=["s"])
    assert list(reg.columns) == ["s", *REGISTER_COLUMNS]
    assert len(reg) == 30 * 4
    assert reg["start"].dtype == "period[M]" and reg["end"].dtype == "period[M]"
    months = reg[reg["kind"] == "month"]
    window = reg[reg["kind"] == "window"].set_index("s")
    # window = sum of its months (observed and expected)
    sums = months.groupby("s")[["observed", "expected"]].sum()
    np.testing.assert_allclose(window[["observed", "expected"]], sums, rtol=1e-12)
    assert (window["start"] == pd.Period("2024-10", "M")).all()
    assert (window["end"] == pd.Period("2024-12", "M")).all()
    tested = reg[reg["tested"]]
    np.testing.assert_allclose(tested["exceedance"], tested["observed"] / tested["expected"])
    assert (tested["q_value"] >= tested["p_value"] - 1e-15).all()
    flagged = reg[reg["flag"]]
    assert (flagged["observed"] > flagged["threshold"]).all()
    assert (flagged["q_value"] <= 0.05).all()
    assert reg.loc[~reg["tested"], ["p_value", "q_value", "threshold"]].isna().all().all()
    # the threshold is consistent with the p-value: above it <=> p <= alpha
    np.testing.assert_array_equal(
        tested["observed"] > tested["threshold"], tested["p_value"] <= 0.05
    )
    assert window.loc[3, "flag"]


def test_planted_spike_detection_and_false_alarms_on_seeded_simulation():
    """Stated levels: >= 90% of x3 spikes found at >= 5 crimes/month; <= 1% false alarms."""
    rng = np.random.default_rng(20240601)
    S = 400
    level = rng.uniform(5, 30, S)
    mu = _seasonal_means(level)
    spiked = np.zeros(S, dtype=bool)
    spiked[rng.choice(S, 40, replace=False)] = True
    mu[spiked, -3:] *= 3.0
    half = rng.random(S) < 0.5  # half the series negative binomial (variance 1.5 x mean)
    counts = rng.poisson(mu).astype(float)
    counts[half] = rng.poisson(rng.gamma(mu[half] / 0.5, 0.5))
    reg = emerging_concerns(_frame(counts), by=["s"])
    window_flag = reg[reg["kind"] == "window"]["flag"].to_numpy()
    any_flag = reg.groupby("s")["flag"].any().to_numpy()
    detection = window_flag[spiked].mean()
    false_alarm = any_flag[~spiked].mean()
    assert detection >= 0.9, detection
    assert false_alarm <= 0.01, false_alarm


def test_low_count_series_do_not_flood_the_register():
    rng = np.random.default_rng(9)
    counts = rng.poisson(0.3, size=(1000, len(MONTHS))).astype(float)
    # a handful of 2s and 3s in the latest quarter would look like huge ratios
    counts[rng.choice(1000, 60, replace=False), -1] = 3.0
    reg = emerging_concerns(_frame(counts), by=["s"])
    assert not reg["flag"].any()
    months = reg[reg["kind"] == "month"]
    # expected well below 1 a month: almost no monthly row is even tested (a few series keep a
    # chance-significant trend whose projection reaches 1, as Farrington's rules allow)
    assert months["tested"].mean() < 0.05
    untested = months[~months["tested"]]
    assert untested["reason"].str.contains("not tested, expected count below 1").all()


def test_min_observed_blocks_flags_on_tiny_counts():
    rng = np.random.default_rng(4)
    counts = rng.poisson(0.6, size=(1, len(MONTHS))).astype(float)
    counts[0, :36] = np.tile([0, 1, 0, 1, 1, 0], 6)
    counts[0, -3:] = [1, 1, 2]  # 4 crimes vs about 1.5 expected
    reg = emerging_concerns(_frame(counts), by=["s"], min_expected=0.5)
    w = reg[reg["kind"] == "window"].iloc[0]
    assert not w["flag"]
    if w["observed"] > w["threshold"]:
        assert "fewer than 5 crimes" in w["reason"]


def test_missing_months_in_window_are_not_zero():
    rng = np.random.default_rng(8)
    counts = rng.poisson(30, size=(1, len(MONTHS))).astype(float)
    counts[0, -2] = np.nan
    counts[0, 10] = np.nan
    reg = emerging_concerns(_frame(counts), by=["s"])
    nov = reg[(reg["kind"] == "month") & (reg["end"] == pd.Period("2024-11", "M"))].iloc[0]
    assert not nov["tested"] and np.isnan(nov["observed"])
    assert nov["reason"] == "not tested: Nov 2024 has no data"
    w = reg[reg["kind"] == "window"].iloc[0]
    assert w["observed"] == counts[0, -3] + counts[0, -1]
    dec_oct = reg[(reg["kind"] == "month") & (reg["end"] != pd.Period("2024-11", "M"))]
    np.testing.assert_allclose(w["expected"], dec_oct["expected"].sum())
    assert "1 of 3 months missing" in w["reason"]
    assert w["baseline_months"] == 35


def test_absent_rows_count_as_missing_months():
    rng = np.random.default_rng(8)
    counts = rng.poisson(30, size=(1, len(MONTHS))).astype(float)
    full = _frame(counts)
    with_nan = full.copy()
    with_nan.loc[[10, 20], "count"] = np.nan
    absent = full.drop(index=[10, 20])
    a = emerging_concerns(with_nan, by=["s"])
    b = emerging_concerns(absent, by=["s"])
    pd.testing.assert_frame_equal(a, b)


def test_past_outlier_is_downweighted_so_a_current_spike_is_still_seen():
    rng = np.random.default_rng(12)
    counts = rng.poisson(np.full((1, len(MONTHS)), 10.0)).astype(float)
    counts[0, 14] = 80  # a one-off burst two years ago
    counts[0, -3:] = [17, 18, 17]  # the latest quarter runs at 1.7 times the usual rate
    on = emerging_concerns(_frame(counts), by=["s"], seasonality="none")
    off = emerging_concerns(_frame(counts), by=["s"], seasonality="none", downweight=False)
    w_on = on[on["kind"] == "window"].iloc[0]
    w_off = off[off["kind"] == "window"].iloc[0]
    assert w_on["dispersion"] < w_off["dispersion"]
    assert w_on["expected"] < w_off["expected"]
    assert w_on["flag"] and not w_off["flag"]


def test_trend_guard_keeps_significant_trend_and_never_extrapolates_beyond_baseline_max():
    rng = np.random.default_rng(2)
    t = np.arange(len(MONTHS))
    rising = rng.poisson(10 * np.exp(0.03 * t)).astype(float)  # about +43% a year
    flat = rng.poisson(np.full(len(t), 15.0)).astype(float)
    reg = emerging_concerns(_frame(np.vstack([rising, flat])), by=["s"], seasonality="none")
    months = reg[reg["kind"] == "month"]
    r = months[months["s"] == 0]
    assert r["trend"].all()
    assert (r["expected"] <= np.nanmax(rising[:36]) + 1e-9).all()
    assert r["expected"].iloc[0] > rising[:36].mean()  # the trend is projected forward
    assert not months.loc[months["s"] == 1, "trend"].any()  # no trend in a flat series
    # a steep recent rise whose projection would exceed the baseline maximum loses its trend
    steep = np.full(len(t), 5.0)
    steep[24:36] = np.round(np.linspace(6, 30, 12))
    reg2 = emerging_concerns(_frame(steep[None, :]), by=["s"], seasonality="none")
    assert not reg2["trend"].any()


def test_seasonality_options_and_low_count_fallback():
    rng = np.random.default_rng(6)
    counts = rng.poisson(_seasonal_means(np.array([40.0, 0.5]))).astype(float)
    for option in ("harmonic", "month", "none"):
        reg = emerging_concerns(_frame(counts), by=["s"], seasonality=option)
        seasonal = reg.groupby("s")["seasonal"].first()
        assert seasonal[0] == (option != "none")
        assert not seasonal[1]  # under one crime a month: no seasonal terms


def test_end_selects_the_window_and_multiple_by_columns():
    rng = np.random.default_rng(10)
    counts = rng.poisson(20, size=(4, len(MONTHS))).astype(float)
    df = _frame(counts)
    df["crime_type"] = np.where(df["s"] < 2, "Burglary", "Robbery")
    df["lsoa_code"] = "E0" + (df["s"] % 2).astype(str)
    df = df.drop(columns="s")
    reg = emerging_concerns(df, by=["crime_type", "lsoa_code"], end="2024-06", evaluate_months=2)
    assert list(reg.columns[:2]) == ["crime_type", "lsoa_code"]
    assert len(reg) == 4 * 3
    assert set(reg.loc[reg["kind"] == "month", "end"].astype(str)) == {"2024-05", "2024-06"}
    assert reg["reason"].str.startswith(("May 2024", "Jun 2024", "latest 2 months")).all()
    assert (reg["baseline_months"] == 36).all()


def test_series_with_short_or_empty_baseline_are_not_tested():
    months = pd.period_range("2024-01", "2024-12", freq="M")
    short = pd.DataFrame({"s": 0, "month": months, "count": 5.0})
    reg = emerging_concerns(short, by=["s"])
    assert not reg["tested"].any()
    assert reg["reason"].iloc[0] == "not tested: baseline has 9 months with data"
    zero = _frame(np.zeros((1, len(MONTHS))))
    zero.loc[zero.index[-1], "count"] = 4.0
    reg = emerging_concerns(zero, by=["s"])
    assert reg["reason"].iloc[-1] == "not tested: no crimes in the baseline"
    assert not reg["flag"].any()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.assign(count=-d["count"]), "negative"),
        (lambda d: d.assign(count=d["count"] + 0.5), "whole numbers"),
        (lambda d: pd.concat([d, d.iloc[:1]]), "more than one row"),
        (lambda d: d.drop(columns="count"), "lacks columns"),
        (lambda d: d.assign(month="not a month"), "months"),
    ],
)
def test_bad_input_raises_value_error(change, message):
    df = _frame(np.full((1, len(MONTHS)), 3.0))
    with pytest.raises(ValueError, match=message):
        emerging_concerns(change(df), by=["s"])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"seasonality": "weekly"},
        {"alpha": 0.0},
        {"fdr_alpha": 1.5},
        {"evaluate_months": 0},
        {"baseline_months": 6},
        {"harmonics": 9},
        {"min_expected": -1},
    ],
)
def test_impossible_arguments_raise(kwargs):
    df = _frame(np.full((1, len(MONTHS)), 3.0))
    with pytest.raises(ValueError):
        emerging_concerns(df, by=["s"], **kwargs)


def test_month_column_given_as_strings_is_accepted():
    rng = np.random.default_rng(0)
    df = _frame(rng.poisson(10, size=(2, len(MONTHS))).astype(float))
    as_text = df.assign(month=df["month"].astype(str))
    pd.testing.assert_frame_equal(
        emerging_concerns(df, by=["s"]), emerging_concerns(as_text, by=["s"])
    )


# ----------------------------------------------------------------------------- summary
def test_concerns_summary_one_row_per_flagged_series_in_order():
    rng = np.random.default_rng(21)
    counts = rng.poisson(_seasonal_means(np.full(20, 15.0))).astype(float)
    counts[2, -3:] *= 2
    counts[7, -3:] *= 4
    counts[11, -1] *= 4  # one bad month only
    reg = emerging_concerns(_frame(counts), by=["s"])
    summary = concerns_summary(reg)
    assert summary["s"].iloc[0] == 7  # strongest evidence first
    assert set(summary["s"]) == set(reg.loc[reg["flag"], "s"]) >= {2, 7, 11}
    min_q = reg[reg["flag"]].groupby("s")["q_value"].min()
    assert min_q.loc[summary["s"]].is_monotonic_increasing
    assert summary["s"].is_unique
    one_month = summary[summary["s"] == 11].iloc[0]
    assert one_month["flagged_months"] == "Dec 2024"
    # a series flagged only in a month (not over the quarter) reports the month's reason
    month_only = reg[reg["s"] == 11].copy()
    month_only.loc[month_only["kind"] == "window", "flag"] = False
    row = concerns_summary(month_only).iloc[0]
    assert not row["window_flag"] and row["reason"].startswith("Dec 2024")
    top = summary.iloc[0]
    assert top["window_flag"] and top["reason"].startswith("latest quarter")
    assert list(summary.columns) == [
        "s",
        "observed",
        "expected",
        "threshold",
        "exceedance",
        "p_value",
        "q_value",
        "window_flag",
        "flagged_months",
        "reason",
    ]


def test_concerns_summary_empty_when_nothing_flagged():
    df = _frame(np.full((2, len(MONTHS)), 10.0))
    summary = concerns_summary(emerging_concerns(df, by=["s"]))
    assert summary.empty and "reason" in summary.columns
