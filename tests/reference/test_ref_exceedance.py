"""Reference checks for the emerging-concerns register.

No published register output exists for these exact rules (domain notes §2.4: "no single
published UK standard"), so every number here comes from an independent computation written
out in the test:

1. a hand calculation of the intercept-only case, where the quasi-Poisson fit has a closed
   form and the predictive tail probability is integrated numerically (``scipy.integrate.quad``
   over the chi-squared density, negative binomial probabilities summed term by term with
   ``math.lgamma``) — not the Gauss–Legendre rule or ``scipy.stats.nbinom`` the module uses;
2. a series-by-series re-implementation of the Farrington steps with statsmodels ``GLM``
   following the R ``surveillance`` package's ``algo.farrington.fitGLM.flexible``,
   ``anscombe.residuals`` and ``algo.farrington.assign.weights`` (Salmon, Schumacher & Höhle
   2016, JSS 70(10)) — fit, down-weight residuals above 2.58, refit, drop a non-significant or
   extrapolating trend;
3. Benjamini–Hochberg q-values computed by hand from the register's own p-values.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import integrate
from scipy import stats as st

from smp_analysis.stats.exceedance import emerging_concerns

MONTHS = pd.period_range("2021-01", "2024-12", freq="M")


def nb_sf(y: float, mean: float, var: float) -> float:
    """P(Y >= y) for a negative binomial with this mean and variance, by summing the pmf."""
    var = max(var, mean * (1 + 1e-9))
    p = mean / var
    r = mean * p / (1 - p)
    below = 0.0
    for k in range(int(y)):
        below += math.exp(
            math.lgamma(k + r)
            - math.lgamma(r)
            - math.lgamma(k + 1)
            + r * math.log(p)
            + k * math.log1p(-p)
        )
    return max(1.0 - below, 0.0)


def mixture_sf(y: float, mean: float, v1: float, phi_hat: float, df: float) -> float:
    """P(Y >= y) when Y | C ~ NB(mean, max(1, phi_hat*df/C) * v1) and C ~ chi2(df)."""

    def f(c: float) -> float:
        return nb_sf(y, mean, max(1.0, phi_hat * df / c) * v1) * st.chi2.pdf(c, df)

    kink = phi_hat * df  # where the floor at 1 starts to bind
    a = integrate.quad(f, 0, kink, limit=200, epsabs=1e-13)[0]
    b = integrate.quad(f, kink, np.inf, limit=200, epsabs=1e-13)[0]
    return a + b


def mixture_threshold(mean: float, v1: float, phi_hat: float, df: float, alpha: float) -> int:
    """Smallest u with P(Y > u) <= alpha, scanning u upwards."""
    u = 0
    while mixture_sf(u + 1, mean, v1, phi_hat, df) > alpha:
        u += 1
    return u


# ----------------------------------------------------------------------------- 1. by hand
def test_intercept_only_case_by_hand():
    # 18 baseline months (too few for a trend or seasonal terms: the model is log mu = b0)
    baseline = [12, 9, 15, 11, 8, 14, 10, 13, 9, 16, 12, 11, 10, 14, 13, 9, 12, 40]
    window = [15, 22, 19]
    months = pd.period_range("2023-04", periods=21, freq="M")
    df = pd.DataFrame({"month": months, "count": [float(v) for v in baseline + window]})
    reg = emerging_concerns(df, by=[], baseline_months=18, downweight=False)

    # Hand calculation.
    n = len(baseline)  # 18 months
    ybar = sum(baseline) / n  # MLE of an intercept-only Poisson GLM: mu = mean = 238/18
    assert sum(baseline) == 238
    pearson = sum((y - ybar) ** 2 / ybar for y in baseline)
    phi_hat = pearson / (n - 1)  # quasi-Poisson dispersion, 17 residual df
    assert phi_hat > 1  # the 40 makes the series over-dispersed
    # var(b0) = phi / (n * ybar): (X'WX) = sum(mu) = n * ybar for the intercept column.
    # Prediction error variance of one month (Farrington 1996): mu * (phi + mu var(eta))
    #   = phi * (ybar + ybar^2 / (n ybar)) = phi * ybar * (1 + 1/n)   ->  v1 = ybar (1 + 1/n)
    v1_month = ybar * (1 + 1 / n)
    # Window of 3 months: mean 3 ybar, v1 = 3 ybar + (3 ybar)^2 / (n ybar) = 3 ybar (1 + 3/n)
    v1_window = 3 * ybar * (1 + 3 / n)

    months_rows = reg[reg["kind"] == "month"]
    np.testing.assert_allclose(months_rows["expected"], ybar, rtol=1e-9)
    w = reg[reg["kind"] == "window"].iloc[0]
    np.testing.assert_allclose(w["expected"], 3 * ybar, rtol=1e-9)
    np.testing.assert_allclose(w["dispersion"], phi_hat, rtol=1e-9)
    assert not w["trend"] and not w["seasonal"]

    for y, row in zip(window, months_rows.itertuples(), strict=True):
        p = mixture_sf(y, ybar, v1_month, phi_hat, n - 1)
        np.testing.assert_allclose(row.p_value, p, rtol=1e-3)
        assert row.threshold == mixture_threshold(ybar, v1_month, phi_hat, n - 1, 0.05)
    p_win = mixture_sf(sum(window), 3 * ybar, v1_window, phi_hat, n - 1)
    np.testing.assert_allclose(w["p_value"], p_win, rtol=1e-3)
    assert w["threshold"] == mixture_threshold(3 * ybar, v1_window, phi_hat, n - 1, 0.05)


# ----------------------------------------------------------------------------- 2. Farrington
def _farrington_one(y: np.ndarray, X: np.ndarray, use_trend: bool, use_season: bool):
    """One series, following surveillance's algo.farrington.fitGLM.flexible (reweight=TRUE)."""
    cols = [0] + ([1] if use_trend else []) + (list(range(2, X.shape[1])) if use_season else [])
    Xs = X[:, cols]
    fit = sm.GLM(y, Xs, family=sm.families.Poisson()).fit(scale="X2", tol=1e-13)
    phi = max(fit.scale, 1.0)
    mu = fit.mu
    h = fit.get_hat_matrix_diag()
    # anscombe.residuals(m, phi): 3/2 (y^(2/3) mu^(-1/6) - mu^(1/2)) / sqrt(phi (1 - h))
    s = 1.5 * (y ** (2 / 3) * mu ** (-1 / 6) - mu**0.5) / np.sqrt(phi * (1 - h))
    # algo.farrington.assign.weights(s, 2.58): gamma s^-2 above the threshold, gamma below
    raw = np.where(s > 2.58, s**-2.0, 1.0)
    omega = len(s) / raw.sum() * raw
    refit = sm.GLM(y, Xs, family=sm.families.Poisson(), var_weights=omega).fit(
        scale="X2", tol=1e-13
    )
    return refit, cols


def _farrington_series(y: np.ndarray, X: np.ndarray, Xe: np.ndarray):
    season_ok = len(y) >= 24 and y.sum() >= len(y)
    refit, cols = _farrington_one(y, X, True, season_ok)
    # trend kept if p < 0.05 (t test on the quasi-Poisson scale, as summary.glm) and the
    # prediction does not exceed the largest baseline count
    b, se = refit.params[1], np.sqrt(refit.cov_params()[1, 1] / refit.scale * max(refit.scale, 1))
    p_trend = 2 * st.t.sf(abs(b / se), refit.df_resid)
    pred = np.exp(Xe[:, cols] @ refit.params)
    trend = p_trend < 0.05 and pred.max() <= y.max()
    if not trend:
        refit, cols = _farrington_one(y, X, False, season_ok)
    return np.exp(Xe[:, cols] @ refit.params), max(refit.scale, 1.0), trend, season_ok


def test_farrington_steps_match_a_series_by_series_statsmodels_reimplementation():
    rng = np.random.default_rng(2016)
    T = len(MONTHS)
    t = np.arange(T)
    season = np.exp(0.3 * np.sin(2 * np.pi * np.asarray(MONTHS.month) / 12))
    means = np.vstack(
        [
            12 * season,
            30 * season * np.exp(0.025 * t),  # a real trend
            6 * season,
            20 * np.ones(T),
            0.4 * np.ones(T),  # sparse: no seasonal terms
        ]
    )
    counts = rng.poisson(means).astype(float)
    counts[0, 8] = 60  # a past outburst to be down-weighted
    counts[2, 20] = 35
    frame = pd.DataFrame(
        {"s": np.repeat(np.arange(5), T), "month": np.tile(MONTHS, 5), "count": counts.ravel()}
    )
    reg = emerging_concerns(frame, by=["s"])

    # the register uses the 36 months before the window (2021-10 .. 2024-09) and the design it
    # documents: intercept, years centred on the baseline, two harmonic pairs
    counts = counts[:, T - 39 :]
    T, n_base = 39, 36
    tt = (np.arange(T) - (n_base - 1) / 2) / 12
    moy = np.asarray(MONTHS.month)[-39:]
    X = np.column_stack(
        [np.ones(T), tt] + [f(2 * np.pi * k * moy / 12) for k in (1, 2) for f in (np.sin, np.cos)]
    )
    for s in range(5):
        expected, phi, trend, seasonal = _farrington_series(
            counts[s, :n_base], X[:n_base], X[n_base:]
        )
        rows = reg[(reg["s"] == s) & (reg["kind"] == "month")]
        np.testing.assert_allclose(rows["expected"], expected, rtol=1e-6)
        np.testing.assert_allclose(rows["dispersion"], phi, rtol=1e-6)
        assert rows["trend"].iloc[0] == trend
        assert rows["seasonal"].iloc[0] == seasonal
    # sanity of the scenario: the trending series kept its trend, the sparse one is flat
    assert reg.loc[reg["s"] == 1, "trend"].all()
    assert not reg.loc[reg["s"] == 4, "seasonal"].any()


# ----------------------------------------------------------------------------- 3. BH by hand
def test_q_values_are_benjamini_hochberg_by_hand():
    rng = np.random.default_rng(77)
    counts = rng.poisson(15, size=(12, len(MONTHS))).astype(float)
    counts[:4, -3:] += rng.integers(5, 25, size=(4, 3))
    frame = pd.DataFrame(
        {
            "s": np.repeat(np.arange(12), len(MONTHS)),
            "month": np.tile(MONTHS, 12),
            "count": counts.ravel(),
        }
    )
    reg = emerging_concerns(frame, by=["s"])
    w = reg[(reg["kind"] == "window") & reg["tested"]]
    p = w["p_value"].to_numpy()
    m = len(p)
    order = np.argsort(p)
    # q_(i) = min over j >= i of p_(j) * m / j   (Benjamini & Hochberg 1995)
    q_sorted = np.empty(m)
    running = 1.0
    for rank in range(m, 0, -1):
        running = min(running, p[order[rank - 1]] * m / rank)
        q_sorted[rank - 1] = running
    q = np.empty(m)
    q[order] = q_sorted
    np.testing.assert_allclose(w["q_value"], q, rtol=1e-12)
