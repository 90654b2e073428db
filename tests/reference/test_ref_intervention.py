"""Reference checks for interrupted time series and the weighted displacement difference.

Sources of the expected numbers (written beside each):

* **Sicily smoking ban** — the worked example of Lopez Bernal, Cummins & Gasparrini (2017),
  *IJE* 46(1):348–355. Data: ``sicily.csv`` from the authors' public repository
  github.com/gasparrini/2017_lopezbernal_IJE_codedata (59 monthly counts of acute coronary
  events, 2002-01 .. 2006-11, ban from 2005-01; ``stdpop`` the age-standardised population).
  The expected values come from an independent fit of the authors' own R models
  (``Rcode.R`` in that repository), translated term by term into a statsmodels formula — not
  from :func:`interrupted_time_series` — because no printed copy of the R output could be
  found. One rounded figure is checked against published text: a public R teaching script
  that reproduces the tutorial (an LSHTM-course lecture script, "ITS Regression") reports
  for the Poisson model with offset "strong evidence ... of a reduction in ACEs following the
  smoking ban, with an average decrease of 11%".

  Intervals and p-values use the **t distribution on the residual degrees of freedom**, as
  the quasi-Poisson scale is estimated. Each is checked twice: against statsmodels fitted
  with ``fit(scale="X2", use_t=True)`` (whose ``conf_int`` and ``pvalues`` then use t on
  ``df_resid``), and against numbers printed by **R 4.2.2** (Debian ``r-base-core``), with
  the R call written beside them: ``glm(..., family = quasipoisson)``, Wald t intervals
  ``exp(b ± qt(0.975, df.residual(m)) * se)`` (``confint.default`` with ``qt`` in place of
  ``qnorm``), p-values ``coef(summary(m))[, "Pr(>|t|)"]`` and the dispersion
  ``summary(m)$dispersion``. R's ``glm`` (IRLS with QR) shares no code with statsmodels.
* **A short series** (22 months, 7 residual degrees of freedom), where t and normal
  quantiles differ by a fifth: R output as above.
* **Noise-free series** with known coefficients: the fitted coefficients must reproduce the
  true ones exactly (closed form: a Poisson GLM fitted to its own mean function).
* **WDD** — Wheeler & Ratcliffe (2018), *Crime Science* 7:11, worked example as encoded in the
  authors' R package ``ptools`` (``tests/testthat/test-wdd.R``, "Est & Variance Paper":
  ``wdd(c(308,318), c(207,110), c(150,140), c(178,157), alpha=0.05)`` gives
  ``-118, sqrt(1568), -2.98, -196, -40``), the R output printed in the ``ptools`` README for
  ``wdd(c(20,20), c(20,10))``, and a hand calculation.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

from smp_analysis.stats.intervention import (
    interrupted_time_series,
    weighted_displacement_difference,
)

# sicily.csv (gasparrini/2017_lopezbernal_IJE_codedata): aces and stdpop, 2002-01 .. 2006-11
ACES = [
    728, 659, 791, 734, 757, 726, 760, 740, 720, 814, 795, 858,
    887, 766, 851, 769, 781, 756, 766, 752, 765, 831, 879, 928,
    914, 808, 937, 840, 916, 828, 845, 818, 860, 839, 887, 886,
    831, 796, 833, 820, 877, 758, 767, 738, 781, 843, 850, 908,
    1021, 859, 976, 888, 962, 838, 810, 876, 843, 936, 912,
]  # fmt: skip
STDPOP = [
    379875.3, 376495.5, 377040.8, 377116.4, 377383.4, 374113.1, 379513.3, 376295.5,
    374653.2, 378485.6, 375955.5, 378349.7, 376762.4, 379032.3, 379360.4, 376162.0,
    377972.4, 381830.7, 379888.6, 380872.2, 380966.9, 381240.4, 382104.9, 381802.7,
    381656.3, 383680.0, 383504.2, 386462.9, 383783.1, 380836.8, 383483.0, 380906.2,
    382926.8, 384052.4, 384449.6, 383428.4, 388153.2, 388373.2, 386470.1, 386033.2,
    383686.4, 385509.3, 385901.9, 386516.6, 388436.5, 383255.2, 390148.7, 385874.9,
    391613.6, 391750.4, 394005.6, 391364.9, 391664.6, 389022.3, 391878.5, 388575.3,
    392989.0, 390018.8, 390712.3,
]  # fmt: skip
MONTHS = pd.period_range("2002-01", periods=59, freq="M")


@pytest.fixture(scope="module")
def sicily() -> pd.DataFrame:
    d = pd.DataFrame({"aces": ACES, "stdpop": STDPOP, "time": np.arange(1, 60)})
    d["month"] = (d["time"] - 1) % 12 + 1
    d["smokban"] = (d["time"] > 36).astype(int)
    # tsModel::harmonic(month, 2, 12): sin and cos of 2*pi*k*month/12 for k = 2^0, 2^1
    for k in (1, 2):
        d[f"sin{k}"] = np.sin(2 * np.pi * k * d["month"] / 12)
        d[f"cos{k}"] = np.cos(2 * np.pi * k * d["month"] / 12)
    return d


def _r_quasipoisson(formula: str, data: pd.DataFrame):
    """R's glm(formula + offset(log(stdpop)), family=quasipoisson) via statsmodels, with
    t-based intervals and p-values on the residual degrees of freedom (``use_t=True``)."""
    return smf.glm(formula, data, family=sm.families.Poisson(), offset=np.log(data["stdpop"])).fit(
        scale="X2", tol=1e-13, use_t=True
    )


# The R session behind the pinned numbers (R 4.2.2; sicily data as ACES/STDPOP above):
#   time <- 1:59; month <- (time - 1) %% 12 + 1; smokban <- as.integer(time > 36)
#   sin1 <- sin(2*pi*month/12); cos1 <- cos(2*pi*month/12)       # tsModel::harmonic(month,
#   sin2 <- sin(2*pi*2*month/12); cos2 <- cos(2*pi*2*month/12)   #   2, 12) written out
#   tci <- function(m, term) { b <- coef(m)[term]; se <- sqrt(diag(vcov(m)))[term]
#     q <- qt(0.975, df.residual(m)); exp(c(b, b - q*se, b + q*se)) }


def test_sicily_model3_step_change_with_harmonics(sicily):
    # Rcode.R, model3: glm(aces ~ offset(log(stdpop)) + smokban + time + harmonic(month,2,12),
    #                      family=quasipoisson); ci.exp(model3)
    ref = _r_quasipoisson("aces ~ smokban + time + sin1 + cos1 + sin2 + cos2", sicily)
    # t quantile on 52 residual df: R qt(0.975, 52) = 2.00664680506
    q = 2.00664680506
    b, se = ref.params["smokban"], ref.bse["smokban"]
    r = interrupted_time_series(
        pd.Series(ACES, index=MONTHS),
        "2005-01",
        exposure=STDPOP,
        seasonality="harmonic",
        harmonics=2,
        slope_change=False,
    )
    assert r.df_resid == ref.df_resid == 52  # R df.residual(m3): 59 months - 7 terms
    np.testing.assert_allclose(r.level_change, math.exp(b), rtol=1e-8)
    np.testing.assert_allclose(r.level_ci_low, math.exp(b - q * se), rtol=1e-8)
    np.testing.assert_allclose(r.level_ci_high, math.exp(b + q * se), rtol=1e-8)
    np.testing.assert_allclose(
        [r.level_ci_low, r.level_ci_high], np.exp(ref.conf_int().loc["smokban"]), rtol=1e-8
    )
    np.testing.assert_allclose(r.level_p_value, ref.pvalues["smokban"], rtol=1e-6)
    np.testing.assert_allclose(r.dispersion, ref.scale, rtol=1e-8)  # summary(model3)$dispersion
    np.testing.assert_allclose(r.pre_trend, math.exp(ref.params["time"]), rtol=1e-10)
    assert (r.n_pre, r.n_post) == (36, 23)
    # the fitted values are the R model's predictions (predict(model3, type="response"))
    np.testing.assert_allclose(r.fitted.to_numpy(), ref.fittedvalues.to_numpy(), rtol=1e-8)
    # R 4.2.2:
    #   m3 <- glm(aces ~ offset(log(stdpop)) + smokban + time + sin1 + cos1 + sin2 + cos2,
    #             family = quasipoisson)
    #   tci(m3, "smokban")                        -> 0.885071547244 0.838342407706 0.934405365326
    #   coef(summary(m3))["smokban", "Pr(>|t|)"]  -> 3.64225987381e-05
    #   summary(m3)$dispersion                    -> 2.2621826405
    np.testing.assert_allclose(
        [r.level_change, r.level_ci_low, r.level_ci_high],
        [0.885071547244, 0.838342407706, 0.934405365326],
        rtol=1e-9,
    )
    np.testing.assert_allclose(r.level_p_value, 3.64225987381e-05, rtol=1e-6)
    np.testing.assert_allclose(r.dispersion, 2.2621826405, rtol=1e-8)
    # rounded to 3 decimals: RR 0.885 (0.838 to 0.934); normal quantiles gave 0.839 to 0.933
    assert (round(r.level_change, 3), round(r.level_ci_low, 3), round(r.level_ci_high, 3)) == (
        0.885,
        0.838,
        0.934,
    )


def test_sicily_model4_level_and_slope_change(sicily):
    # Rcode.R, model4: glm(aces ~ offset(log(stdpop)) + smokban + time + I(time-36):smokban +
    #                      harmonic(month,2,12), family=quasipoisson)
    ref = _r_quasipoisson(
        "aces ~ smokban + time + I((time - 36) * smokban) + sin1 + cos1 + sin2 + cos2", sicily
    )
    r = interrupted_time_series(
        pd.Series(ACES, index=MONTHS), 36, exposure=STDPOP, seasonality="harmonic"
    )
    slope = "I((time - 36) * smokban)"
    np.testing.assert_allclose(r.level_change, math.exp(ref.params["smokban"]), rtol=1e-8)
    np.testing.assert_allclose(r.slope_change, math.exp(ref.params[slope]), rtol=1e-10)
    ci = np.exp(ref.conf_int())
    np.testing.assert_allclose([r.slope_ci_low, r.slope_ci_high], ci.loc[slope], rtol=1e-8)
    np.testing.assert_allclose(r.slope_p_value, ref.pvalues[slope], rtol=1e-6)
    np.testing.assert_allclose(r.dispersion, ref.scale, rtol=1e-8)
    assert r.df_resid == ref.df_resid == 51
    # R 4.2.2:
    #   m4 <- glm(aces ~ offset(log(stdpop)) + smokban + time + I(time - 36):smokban +
    #             sin1 + cos1 + sin2 + cos2, family = quasipoisson)
    #   tci(m4, "smokban")                -> 0.876464417778 0.825581189431 0.93048374341
    #   tci(m4, "smokban:I(time - 36)")   -> 1.00148332704 0.997761410566 1.00521912726
    #   coef(summary(m4))[c("smokban", "smokban:I(time - 36)"), "Pr(>|t|)"]
    #                                     -> 5.07167778158e-05 0.427878803463
    #   df.residual(m4) -> 51; summary(m4)$dispersion -> 2.27455832903
    np.testing.assert_allclose(
        [r.level_change, r.level_ci_low, r.level_ci_high, r.level_p_value],
        [0.876464417778, 0.825581189431, 0.93048374341, 5.07167778158e-05],
        rtol=1e-8,
    )
    np.testing.assert_allclose(
        [r.slope_change, r.slope_ci_low, r.slope_ci_high, r.slope_p_value],
        [1.00148332704, 0.997761410566, 1.00521912726, 0.427878803463],
        rtol=1e-8,
    )
    np.testing.assert_allclose(r.dispersion, 2.27455832903, rtol=1e-8)

    # post_rate_ratio: observed post total / counterfactual (smokban and slope term set to 0),
    # interval by the delta method, here with a numerical gradient of log(F(b)/C(b)).
    post = sicily["smokban"].to_numpy() == 1
    observed = sicily.loc[post, "aces"].sum()
    cf_data = sicily.assign(smokban=0)
    counterfactual = ref.predict(cf_data, offset=np.log(cf_data["stdpop"]))[post].sum()
    np.testing.assert_allclose(r.observed_post, observed)
    np.testing.assert_allclose(r.post_rate_ratio, observed / counterfactual, rtol=1e-8)
    X = ref.model.exog
    X_cf = X.copy()
    names = ref.model.exog_names
    X_cf[:, names.index("smokban")] = 0.0
    X_cf[:, names.index(slope)] = 0.0
    off = np.log(sicily["stdpop"].to_numpy())

    def log_ratio(beta: np.ndarray) -> float:
        fitted = np.exp(X @ beta + off)[post].sum()
        cf = np.exp(X_cf @ beta + off)[post].sum()
        return math.log(fitted / cf)

    beta = ref.params.to_numpy()
    eps = 1e-6
    grad = np.array(
        [
            (log_ratio(beta + eps * e) - log_ratio(beta - eps * e)) / (2 * eps)
            for e in np.eye(len(beta))
        ]
    )
    se = math.sqrt(grad @ ref.cov_params().to_numpy() @ grad)
    q = 2.00758377031584  # R qt(0.975, 51)
    ratio = observed / counterfactual
    np.testing.assert_allclose(r.post_rate_ci_low, ratio * math.exp(-q * se), rtol=1e-5)
    np.testing.assert_allclose(r.post_rate_ci_high, ratio * math.exp(q * se), rtol=1e-5)
    # R 4.2.2, the same delta method with a central-difference gradient (h = 1e-6):
    #   X <- model.matrix(m4); Xcf <- X; Xcf[, c("smokban", "smokban:I(time - 36)")] <- 0
    #   lr <- function(b) log(sum(exp(X %*% b + off)[post]) / sum(exp(Xcf %*% b + off)[post]))
    #   ratio * exp(c(0, -1, 1) * qt(0.975, 51) * sqrt(t(g) %*% vcov(m4) %*% g))
    #     -> 0.892499075958 0.841916367588 0.946120815857
    np.testing.assert_allclose(
        [r.post_rate_ratio, r.post_rate_ci_low, r.post_rate_ci_high],
        [0.892499075958, 0.841916367588, 0.946120815857],
        rtol=1e-7,
    )


def test_sicily_poisson_model_headline_eleven_percent(sicily):
    # Rcode.R, model1: glm(aces ~ offset(log(stdpop)) + smokban + time, family=poisson);
    # a public teaching script reproducing the tutorial reports "an average decrease of 11%".
    # The point estimate does not depend on the quasi-Poisson scale.
    r = interrupted_time_series(ACES, 36, exposure=STDPOP, seasonality="none", slope_change=False)
    assert round(1 - r.level_change, 2) == 0.11
    ref = _r_quasipoisson("aces ~ smokban + time", sicily)
    np.testing.assert_allclose(r.level_change, math.exp(ref.params["smokban"]), rtol=1e-8)


# 22 months from January 2023, the change from March 2024 (position 14): 15 terms, 7 residual df
SHORT = [94, 65, 76, 68, 59, 48, 55, 50, 58, 47, 57, 74, 68, 87, 66, 74, 60, 65, 55, 52, 45, 49]


def test_short_series_uses_t_quantiles_on_seven_residual_df():
    # R 4.2.2:
    #   y <- c(94, 65, ..., 45, 49); time <- 1:22; month <- factor((time - 1) %% 12 + 1)
    #   post <- as.integer(time > 14)
    #   m <- glm(y ~ time + post + I((time - 14) * post) + month, family = quasipoisson)
    #   df.residual(m) -> 7; summary(m)$dispersion -> 1.7859181606; qt(0.975, 7) -> 2.36462425159
    #   tci(m, "post")                  -> 1.05651480306 0.603682935925 1.84902282748
    #   tci(m, "I((time - 14) * post)") -> 0.995547027338 0.909696616977 1.08949936182
    #   coef(summary(m))[c("post", "I((time - 14) * post)"), "Pr(>|t|)"]
    #                                   -> 0.822973816923 0.910129946892
    #   observed / counterfactual over the post months, delta method as for model4 above
    #                                   -> 1.03693233504 0.686306464268 1.56668882405
    y = pd.Series(SHORT, index=pd.period_range("2023-01", periods=22, freq="M"))
    r = interrupted_time_series(y, "2024-03")
    assert r.df_resid == 7 and (r.n_pre, r.n_post) == (14, 8)
    np.testing.assert_allclose(r.dispersion, 1.7859181606, rtol=1e-7)
    np.testing.assert_allclose(
        [r.level_change, r.level_ci_low, r.level_ci_high, r.level_p_value],
        [1.05651480306, 0.603682935925, 1.84902282748, 0.822973816923],
        rtol=1e-7,
    )
    np.testing.assert_allclose(
        [r.slope_change, r.slope_ci_low, r.slope_ci_high, r.slope_p_value],
        [0.995547027338, 0.909696616977, 1.08949936182, 0.910129946892],
        rtol=1e-7,
    )
    np.testing.assert_allclose(
        [r.post_rate_ratio, r.post_rate_ci_low, r.post_rate_ci_high],
        [1.03693233504, 0.686306464268, 1.56668882405],
        rtol=1e-7,
    )
    # the normal quantile (1.96 instead of 2.365) would give a visibly narrower interval
    b, hi = math.log(r.level_change), math.log(r.level_ci_high)
    assert (hi - b) / 2.36462425159 * 1.959963984540054 < 0.85 * (hi - b)


def test_noise_free_series_recovers_true_coefficients_exactly():
    # log mu = b0 + b1 t + b2 post + b3 (t - t0) post + month effects, with t0 = 30
    n, t0 = 60, 30
    b0, b1, b2, b3 = 4.0, 0.004, math.log(0.75), math.log(1.01)
    month_effect = np.array([0.0, -0.2, 0.1, 0.05, 0.15, 0.3, 0.25, 0.2, -0.1, 0.0, 0.1, 0.2])
    t = np.arange(1, n + 1)
    post = (t > t0).astype(float)
    eta_cf = b0 + b1 * t + month_effect[(t - 1) % 12]
    mu = np.exp(eta_cf + b2 * post + b3 * (t - t0) * post)
    with pytest.warns(sm.tools.sm_exceptions.PerfectSeparationWarning):
        r = interrupted_time_series(mu, t0)  # statsmodels notes the perfect fit
    np.testing.assert_allclose(r.level_change, 0.75, rtol=1e-8)
    np.testing.assert_allclose(r.slope_change, 1.01, rtol=1e-10)
    np.testing.assert_allclose(r.pre_trend, math.exp(b1), rtol=1e-10)
    # counterfactual and the ratio of totals by hand
    np.testing.assert_allclose(r.counterfactual.to_numpy(), np.exp(eta_cf), rtol=1e-8)
    hand_ratio = mu[t0:].sum() / np.exp(eta_cf[t0:]).sum()
    np.testing.assert_allclose(r.post_rate_ratio, hand_ratio, rtol=1e-8)


def test_noise_free_controlled_series_recovers_the_difference_in_differences():
    # control: log mu = 5 + 0.003 t - 0.2 post + 0.002 (t-t0) post + season
    # treated: the same plus G terms 0.3 - 0.001 t + log(0.8) post + log(0.995) (t-t0) post
    n, t0 = 48, 24
    t = np.arange(1, n + 1)
    post = (t > t0).astype(float)
    since = (t - t0) * post
    season = 0.1 * np.sin(2 * np.pi * t / 12)
    control = np.exp(5 + 0.003 * t - 0.2 * post + 0.002 * since + season)
    treated = control * np.exp(0.3 - 0.001 * t + math.log(0.8) * post + math.log(0.995) * since)
    with pytest.warns(sm.tools.sm_exceptions.PerfectSeparationWarning):
        r = interrupted_time_series(treated, t0, control=control)
    np.testing.assert_allclose(r.level_change, 0.8, rtol=1e-8)
    np.testing.assert_allclose(r.slope_change, 0.995, rtol=1e-10)
    # counterfactual: treated without its own post terms (but with the control's changes)
    cf = control * np.exp(0.3 - 0.001 * t)
    np.testing.assert_allclose(r.counterfactual.to_numpy(), cf, rtol=1e-8)
    np.testing.assert_allclose(r.post_rate_ratio, treated[t0:].sum() / cf[t0:].sum(), rtol=1e-8)


# ----------------------------------------------------------------------------- WDD
def test_wdd_wheeler_ratcliffe_2018_worked_example():
    # Paper: treated 207 -> 110, control 308 -> 318, displacement 178 -> 157,
    # displacement control 150 -> 140 (ptools: wdd(c(308,318), c(207,110), c(150,140),
    # c(178,157), alpha = 0.05) -> -118, sqrt(1568), Z -2.98, CI -196 to -40).
    r = weighted_displacement_difference(207, 110, 308, 318, 178, 157, 150, 140)
    # hand calculation:
    #   dT = 110 - 207 = -97 ; dCt = 318 - 308 = 10 ; dD = 157 - 178 = -21 ; dCd = 140 - 150 = -10
    #   WDD = -97 - 10 + (-21) - (-10) = -118
    #   Var = 207 + 110 + 308 + 318 + 178 + 157 + 150 + 140 = 1568
    assert r.estimate == -118
    assert r.local_estimate == -107 and r.displacement_estimate == -11
    assert r.std_error == pytest.approx(math.sqrt(1568))
    assert r.local_std_error == pytest.approx(math.sqrt(207 + 110 + 308 + 318))
    assert round(r.z, 2) == -2.98
    assert (round(r.ci_low), round(r.ci_high)) == (-196, -40)
    # two-sided p by hand: erfc(|z| / sqrt 2) with z = -118 / sqrt(1568) = -2.97995
    assert r.p_value == pytest.approx(math.erfc(118 / math.sqrt(1568) / math.sqrt(2)), rel=1e-12)
    assert round(r.p_value, 4) == 0.0029


def test_wdd_ptools_readme_output_without_displacement():
    # ptools README (R output):
    #   wdd(c(20,20), c(20,10))
    #   Est_Local -10.000000  SE_Local 8.366600  Z -1.195229
    #   LowCI -23.761833  HighCI 3.761833   (90% interval, the ptools default alpha = 0.1)
    r = weighted_displacement_difference(20, 10, 20, 20, conf_level=0.90)
    assert r.estimate == -10
    assert r.std_error == pytest.approx(8.366600, abs=5e-7)
    assert r.z == pytest.approx(-1.195229, abs=5e-7)
    assert r.ci_low == pytest.approx(-23.761833, abs=5e-6)
    assert r.ci_high == pytest.approx(3.761833, abs=5e-6)


def test_wdd_ptools_displacement_only_change():
    # ptools tests: wdd(c(20,20), c(20,20), c(20,20), c(20,10)) -> Est_Displace -10, and
    # wdd(c(20,20), c(20,10), c(20,20), c(20,10)) -> Est_Total -20
    r = weighted_displacement_difference(20, 20, 20, 20, 20, 10, 20, 20)
    assert (r.local_estimate, r.displacement_estimate, r.estimate) == (0, -10, -10)
    r = weighted_displacement_difference(20, 10, 20, 20, 20, 10, 20, 20)
    assert r.estimate == -20
    # Var by hand: 20+10+20+20 + 20+10+20+20 = 140
    assert r.std_error == pytest.approx(math.sqrt(140))
    assert r.displacement_std_error == pytest.approx(math.sqrt(70))
