"""Behaviour of interrupted time series and the WDD test."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from smp_analysis.stats.intervention import (
    ITSResult,
    ModelError,
    WDDResult,
    interrupted_time_series,
    weighted_displacement_difference,
)

MONTHS = pd.period_range("2021-01", periods=48, freq="M")
K = 24  # intervention in January 2023
SEASON = np.array([0.0, -0.1, 0.05, 0.1, 0.15, 0.2, 0.25, 0.2, 0.1, 0.0, -0.05, 0.1])


def _noisy(mu: np.ndarray, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).poisson(mu).astype(float)


def _mu(level: float = 0.8, slope: float = 1.0, base: float = 200.0, n: int = 48, k: int = K):
    t = np.arange(1, n + 1)
    post = t > k
    eta = (
        np.log(base)
        + 0.005 * t
        + np.log(level) * post
        + np.log(slope) * (t - k) * post
        + SEASON[(t - 1) % 12]
    )
    return np.exp(eta)


# ----------------------------------------------------------------------------- ITS
def test_its_recovers_level_and_slope_change_with_seasonal_noise():
    y = pd.Series(_noisy(_mu(level=0.8, slope=0.99, base=2000.0), seed=1), index=MONTHS)
    r = interrupted_time_series(y, "2023-01")
    assert isinstance(r, ITSResult)
    assert r.level_ci_low < 0.8 < r.level_ci_high
    assert r.slope_ci_low < 0.99 < r.slope_ci_high
    assert r.level_p_value < 1e-6
    assert r.n_pre == 24 and r.n_post == 24
    assert "11 seasonal dummies" in r.method and "level and slope change" in r.method


def test_its_array_and_series_with_other_start_month_give_the_same_fit():
    # month dummies only relabel when the series starts in another month
    idx = pd.period_range("2021-04", periods=48, freq="M")
    y = _noisy(_mu(), seed=3)
    a = interrupted_time_series(pd.Series(y, index=idx), K)
    b = interrupted_time_series(y, K)
    for f in ("level_change", "level_ci_low", "slope_change", "post_rate_ratio", "dispersion"):
        np.testing.assert_allclose(getattr(a, f), getattr(b, f), rtol=1e-9)
    assert list(a.fitted.index) == list(idx)
    assert isinstance(b.fitted.index, pd.RangeIndex)


def test_its_intervention_label_or_position():
    y = pd.Series(_noisy(_mu(), seed=4), index=MONTHS)
    by_label = interrupted_time_series(y, pd.Period("2023-01", "M"))
    by_pos = interrupted_time_series(y, 24)
    assert by_label.level_change == by_pos.level_change
    with pytest.raises(ValueError, match="not in the index"):
        interrupted_time_series(y, "2030-01")


def test_its_missing_months_are_dropped_not_zero():
    y = _noisy(_mu(), seed=5)
    y[[3, 30]] = np.nan
    r = interrupted_time_series(pd.Series(y, index=MONTHS), K)
    assert (r.n_pre, r.n_post) == (23, 23)
    # same as a hand-built fit without those rows
    t = np.arange(1, 49.0)
    post = (t > K).astype(float)
    X = np.column_stack(
        [np.ones(48), t, post, (t - K) * post]
        + [((np.arange(48) % 12) == m).astype(float) for m in range(1, 12)]
    )
    keep = ~np.isnan(y)
    ref = sm.GLM(y[keep], X[keep], family=sm.families.Poisson()).fit(scale="X2")
    np.testing.assert_allclose(r.level_change, np.exp(ref.params[2]), rtol=1e-9)
    np.testing.assert_allclose(r.dispersion, ref.scale, rtol=1e-9)
    # fitted values exist for the missing months too (for charts)
    assert np.isfinite(r.fitted.iloc[3]) and np.isfinite(r.counterfactual.iloc[30])
    # the post total counts only months with data
    assert r.observed_post == np.nansum(y[K:])


def test_its_counterfactual_equals_fitted_before_and_level_only_identity():
    y = pd.Series(_noisy(_mu(level=0.7), seed=6), index=MONTHS)
    r = interrupted_time_series(y, K, slope_change=False)
    np.testing.assert_allclose(r.fitted.iloc[:K], r.counterfactual.iloc[:K], rtol=1e-12)
    # with a step only, every post month's counterfactual is fitted / exp(b2), so the ratio
    # of totals is exactly the level change
    np.testing.assert_allclose(r.post_rate_ratio, r.level_change, rtol=1e-9)
    np.testing.assert_allclose(r.post_rate_ci_low, r.level_ci_low, rtol=1e-7)
    assert np.isnan(r.slope_change) and np.isnan(r.slope_p_value)
    assert "level change only" in r.method
    # fitted post total equals the observed post total (canonical link + post indicator)
    np.testing.assert_allclose(r.fitted.iloc[K:].sum(), y.iloc[K:].sum(), rtol=1e-7)


def test_its_controlled_design_removes_a_shock_shared_with_the_control():
    # both areas fall by 30% at the intervention (a county-wide change): no intervention effect
    shock = _mu(level=0.7, base=800.0)
    treated = _noisy(shock, seed=7)
    control = _noisy(_mu(level=0.7, base=900.0), seed=8)
    alone = interrupted_time_series(treated, K)
    controlled = interrupted_time_series(treated, K, control=control)
    assert alone.level_ci_high < 0.8  # naive ITS credits the intervention
    assert 0.9 < controlled.level_change < 1.1
    assert "treated and control series" in controlled.method
    # a genuine extra 25% fall in the treated area is recovered
    treated2 = _noisy(_mu(level=0.7 * 0.75, base=800.0), seed=9)
    r = interrupted_time_series(treated2, K, control=control)
    assert r.level_ci_low < 0.75 < r.level_ci_high
    assert r.post_rate_ci_low < 0.75 < r.post_rate_ci_high


def test_its_controlled_intervals_cover_the_truth_in_repeated_simulation():
    hits_level = hits_ratio = 0
    reps = 100
    for s in range(reps):
        treated = _noisy(_mu(level=0.7 * 0.9, base=300.0), seed=1000 + s)
        control = _noisy(_mu(level=0.7, base=400.0), seed=5000 + s)
        r = interrupted_time_series(treated, K, control=control)
        hits_level += r.level_ci_low < 0.9 < r.level_ci_high
        hits_ratio += r.post_rate_ci_low < 0.9 < r.post_rate_ci_high
    # nominal 95%: fewer than 88 of 100 would be very unlikely (binomial p < 0.003)
    assert hits_level >= 88 and hits_ratio >= 88


def test_its_exposure_offset_models_rates():
    pop = np.linspace(10_000, 14_000, 48)  # population grows 40%
    mu = _mu(level=0.85, base=0.02) * pop
    y = _noisy(mu, seed=10)
    with_pop = interrupted_time_series(y, K, exposure=pop)
    assert with_pop.level_ci_low < 0.85 < with_pop.level_ci_high
    assert "log-exposure offset" in with_pop.method
    with pytest.raises(ValueError, match="positive"):
        interrupted_time_series(y, K, exposure=np.zeros(48))
    with pytest.raises(ValueError, match="one value per month"):
        interrupted_time_series(y, K, exposure=pop[:10])


def test_its_harmonic_and_no_seasonality_options():
    y = _noisy(_mu(), seed=11)
    h = interrupted_time_series(y, K, seasonality="harmonic", harmonics=3)
    n = interrupted_time_series(y, K, seasonality="none")
    assert "3 harmonic pair(s) of period 12" in h.method
    assert "no seasonal terms" in n.method
    assert h.level_ci_low < 0.8 < h.level_ci_high
    with pytest.raises(ValueError, match="harmonics"):
        interrupted_time_series(y, K, seasonality="harmonic", harmonics=7)


def test_its_quarterly_period_index_uses_quarter_of_year():
    idx = pd.period_range("2018Q1", periods=24, freq="Q")
    t = np.arange(1, 25)
    mu = np.exp(5 + 0.01 * t + np.log(0.8) * (t > 12) + np.array([0, 0.2, 0.1, -0.1])[(t - 1) % 4])
    r = interrupted_time_series(pd.Series(_noisy(mu, 12), index=idx), "2021Q1", season_period=4)
    assert "3 seasonal dummies" in r.method
    with pytest.raises(ValueError, match="season_period=4"):
        interrupted_time_series(pd.Series(_noisy(mu, 12), index=idx), 12)


def test_its_result_is_frozen():
    r = interrupted_time_series(_noisy(_mu(), seed=2), K)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.level_change = 1.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"counts": -np.ones(48)}, "negative"),
        ({"intervention_index": 0}, "before and after"),
        ({"intervention_index": 48}, "before and after"),
        ({"intervention_index": 46}, "at least 3 months"),
        ({"control": np.ones(40)}, "control has 40 values"),
        ({"conf_level": 1.2}, "conf_level"),
        ({"seasonality": "weekly"}, "seasonality"),
        ({"counts": np.ones((4, 12))}, "one-dimensional"),
        ({"counts": ["a"] * 48}, "numeric"),
        ({"control": np.ones(48), "exposure": np.ones(48)}, "together"),
    ],
)
def test_its_bad_arguments_raise(kwargs, message):
    args = {"counts": _noisy(_mu(), seed=2), "intervention_index": K}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        interrupted_time_series(**args)


def test_its_too_short_for_month_dummies_says_what_to_do():
    y = _noisy(_mu(n=14, k=7), seed=1)
    with pytest.raises(ValueError, match="seasonality='harmonic' or 'none'"):
        interrupted_time_series(y, 7)
    r = interrupted_time_series(y, 7, seasonality="none")
    assert r.n_pre == 7 and r.n_post == 7


def _design(n: int, k: int) -> np.ndarray:
    """const, time, post, post_time and 11 month dummies (January the reference)."""
    t = np.arange(1, n + 1.0)
    post = (np.arange(n) >= k).astype(float)
    return np.column_stack(
        [np.ones(n), t, post, (t - k) * post]
        + [((np.arange(n) % 12) == m).astype(float) for m in range(1, 12)]
    )


def test_its_exposes_residual_degrees_of_freedom():
    r = interrupted_time_series(_noisy(_mu(), seed=2), K)
    assert r.df_resid == 48 - 15  # 48 months, 4 segment terms and 11 month dummies
    y = _noisy(_mu(), seed=2)
    y[[3, 30]] = np.nan
    assert interrupted_time_series(y, K).df_resid == 46 - 15
    assert interrupted_time_series(y, K, seasonality="none").df_resid == 46 - 4
    assert "t intervals on 31 residual degrees of freedom" in interrupted_time_series(y, K).method
    assert r.to_frame()["df_resid"].iloc[0] == 33


@pytest.mark.parametrize(("n", "k", "conf_level"), [(26, 14, 0.95), (48, K, 0.95), (30, 15, 0.9)])
def test_its_intervals_and_p_values_use_t_on_the_residual_df(n, k, conf_level):
    """Against an independent computation: statsmodels' quasi-Poisson GLM with t inference
    (``use_t=True``) on a hand-built design, and the t quantile from scipy by hand."""
    y = _noisy(_mu(n=n, k=k, base=80.0), seed=n)
    r = interrupted_time_series(y, k, conf_level=conf_level)
    X = _design(n, k)
    ref = sm.GLM(y, X, family=sm.families.Poisson()).fit(scale="X2", use_t=True, tol=1e-12)
    assert r.df_resid == ref.df_resid == n - 15
    lo, hi = np.exp(ref.conf_int(alpha=1 - conf_level).T)
    np.testing.assert_allclose([r.level_ci_low, r.level_ci_high], [lo[2], hi[2]], rtol=1e-7)
    np.testing.assert_allclose([r.slope_ci_low, r.slope_ci_high], [lo[3], hi[3]], rtol=1e-7)
    np.testing.assert_allclose([r.level_p_value, r.slope_p_value], ref.pvalues[2:4], rtol=1e-6)
    # by hand: exp(b ± t_{df, 1-α/2} se) and 2 * P(T_df > |b / se|)
    q = stats.t.ppf(0.5 + conf_level / 2, n - 15)
    b, se = ref.params[2], ref.bse[2]
    np.testing.assert_allclose(r.level_ci_low, np.exp(b - q * se), rtol=1e-7)
    np.testing.assert_allclose(r.level_p_value, 2 * stats.t.sf(abs(b / se), n - 15), rtol=1e-6)
    # observed / counterfactual post total: delta method with a numerical gradient of
    # log(F(b) / C(b)) and the statsmodels covariance, then t quantiles
    X_cf = X.copy()
    X_cf[:, 2:4] = 0.0
    post = np.arange(n) >= k

    def log_ratio(beta: np.ndarray) -> float:
        return np.log(np.exp(X @ beta)[post].sum() / np.exp(X_cf @ beta)[post].sum())

    eps = 1e-6
    grad = np.array(
        [
            (log_ratio(ref.params + eps * e) - log_ratio(ref.params - eps * e)) / (2 * eps)
            for e in np.eye(X.shape[1])
        ]
    )
    se_ratio = np.sqrt(grad @ ref.cov_params() @ grad)
    ratio = y[post].sum() / np.exp(X_cf @ ref.params)[post].sum()
    np.testing.assert_allclose(r.post_rate_ratio, ratio, rtol=1e-7)
    np.testing.assert_allclose(
        [r.post_rate_ci_low, r.post_rate_ci_high],
        [ratio * np.exp(-q * se_ratio), ratio * np.exp(q * se_ratio)],
        rtol=1e-5,
    )


def test_its_delta_method_ratio_interval_uses_t_quantiles():
    """With a step only the ratio of totals is exactly exp(b2), so its interval must equal
    the level change's t interval (a normal quantile would make it narrower)."""
    y = _noisy(_mu(n=24, k=13, level=0.7), seed=21)
    r = interrupted_time_series(y, 13, slope_change=False)
    assert r.df_resid == 24 - 14
    np.testing.assert_allclose(r.post_rate_ratio, r.level_change, rtol=1e-9)
    np.testing.assert_allclose(
        [r.post_rate_ci_low, r.post_rate_ci_high], [r.level_ci_low, r.level_ci_high], rtol=1e-6
    )


def test_few_residual_df_widen_the_interval_over_a_normal_one():
    y = _noisy(_mu(n=18, k=13, base=80.0), seed=5)
    r = interrupted_time_series(y, 13)
    assert r.df_resid == 3
    half_width = np.log(r.level_ci_high / r.level_change)
    se = half_width / stats.t.ppf(0.975, 3)
    assert half_width > 1.5 * 1.959963984540054 * se  # t(3) quantile 3.18 vs 1.96


@pytest.mark.parametrize(
    ("counts", "k", "message"),
    [
        # the intervention in the last month: one month from the start
        (_noisy(_mu(), seed=2), 47, "only 1 month with data from the start"),
        (_noisy(_mu(), seed=2), 1, "only 1 month with data before the start"),
        (np.zeros(48), K, "every month with data has a count of zero"),
        (np.r_[np.zeros(K), _noisy(_mu(), seed=2)[K:]], K, "before the start has a count of zero"),
        (
            np.r_[_noisy(_mu(), seed=2)[:K], np.zeros(48 - K)],
            K,
            "from the start has a count of zero",
        ),
        (_noisy(_mu(n=14, k=7), seed=1), 7, "14 months with data cannot support a model with 15"),
    ],
)
def test_unfittable_series_raise_model_error_in_plain_words(counts, k, message):
    with pytest.raises(ModelError, match=message) as info:
        interrupted_time_series(counts, k)
    assert isinstance(info.value, ValueError)
    assert message in info.value.reason
    assert "statsmodels" not in str(info.value) and "Traceback" not in str(info.value)


def test_a_calendar_month_with_zero_every_year_is_perfect_separation():
    y = pd.Series(_noisy(_mu(), seed=2), index=MONTHS)
    y[y.index.month == 7] = 0.0  # every July zero: the July effect would be minus infinity
    with pytest.raises(ModelError, match="every July with data has a count of zero"):
        interrupted_time_series(y, K)
    # an array has no calendar: the position in the cycle is named instead
    with pytest.raises(ModelError, match="season position 7 of 12"):
        interrupted_time_series(y.to_numpy(), K)
    # with harmonic seasons July is not a separate term: the model can be fitted
    assert interrupted_time_series(y, K, seasonality="harmonic").df_resid == 48 - 8


def test_zero_control_after_the_start_is_perfect_separation():
    treated = _noisy(_mu(base=300.0), seed=3)
    control = _noisy(_mu(base=300.0), seed=4)
    control[K:] = 0.0
    with pytest.raises(ModelError, match="perfect separation"):
        interrupted_time_series(treated, K, control=control)


def test_not_identifiable_months_raise_model_error():
    # 20 months from January 2023, the change from January 2024: each calendar month of the
    # eight after the start appears once before it, and September to December only before,
    # so the trend cannot be told apart from the step and the seasons
    y = pd.Series(
        _noisy(_mu(n=20, k=12), seed=8), index=pd.period_range("2023-01", periods=20, freq="M")
    )
    with pytest.raises(ModelError, match="not identifiable") as info:
        interrupted_time_series(y, "2024-01")
    assert "cannot tell the change at the start apart" in info.value.reason


def test_a_failed_fit_is_a_model_error(monkeypatch):
    def boom(self, *args, **kwargs):
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(sm.GLM, "fit", boom)
    with pytest.raises(ModelError, match="did not converge") as info:
        interrupted_time_series(_noisy(_mu(), seed=2), K)
    assert isinstance(info.value.__cause__, np.linalg.LinAlgError)


def test_model_error_keeps_the_reason_apart_from_the_hint():
    with pytest.raises(ModelError) as info:
        interrupted_time_series(_noisy(_mu(n=14, k=7), seed=1), 7)
    e = info.value
    assert e.reason == "14 months with data cannot support a model with 15 terms"
    assert "seasonality='harmonic' or 'none'" in e.hint and e.hint in str(e)


# ----------------------------------------------------------------------------- WDD
def test_wdd_without_displacement_areas():
    r = weighted_displacement_difference(20, 10, 20, 20)
    assert isinstance(r, WDDResult)
    assert r.estimate == r.local_estimate == -10.0
    assert r.displacement_estimate is None and r.displacement_std_error is None
    assert r.std_error == pytest.approx(np.sqrt(70))
    assert r.method == "wdd"


def test_wdd_swapping_treated_and_control_negates_the_estimate():
    a = weighted_displacement_difference(50, 30, 40, 45, 20, 25, 22, 20)
    b = weighted_displacement_difference(40, 45, 50, 30, 22, 20, 20, 25)
    assert a.estimate == -b.estimate and a.std_error == b.std_error
    assert a.p_value == pytest.approx(b.p_value)


def test_wdd_conf_level_widens_interval():
    r90 = weighted_displacement_difference(30, 20, 30, 30, conf_level=0.90)
    r99 = weighted_displacement_difference(30, 20, 30, 30, conf_level=0.99)
    assert r99.ci_low < r90.ci_low < r90.estimate < r90.ci_high < r99.ci_high


def test_wdd_all_zero_counts_give_no_test():
    r = weighted_displacement_difference(0, 0, 0, 0)
    assert r.estimate == 0 and r.std_error == 0 and np.isnan(r.z) and np.isnan(r.p_value)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((10, 5, 10, 10, 3), "all four displacement counts"),
        ((10, 5, 10, 10, 3, 4, None, 2), "all four displacement counts"),
        ((-1, 5, 10, 10), "not negative"),
        ((10, float("nan"), 10, 10), "finite"),
    ],
)
def test_wdd_bad_arguments_raise(args, message):
    with pytest.raises(ValueError, match=message):
        weighted_displacement_difference(*args)
