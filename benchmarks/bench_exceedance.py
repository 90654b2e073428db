"""Time the emerging-concerns register against a per-series statsmodels loop.

Workload: 1,400 series (14 categories × 100 LSOAs) × 48 months, seeded Poisson /
negative-binomial counts with seasonality, the shape of a district register. Both contenders
do the same Farrington-style work per series — quasi-Poisson GLM with trend and two harmonic
pairs, Anscombe down-weighting and refit, trend test and refit without it — and the register's
expected values are checked against the loop's before timing is reported.

* ``register``: :func:`smp_analysis.stats.exceedance.emerging_concerns` (batched IRLS over all
  series, full output with thresholds, p-values, q-values and reasons);
* ``statsmodels loop``: the obvious alternative, ``statsmodels.GLM(...).fit(scale="X2")``
  series by series (baseline fits only, no thresholds — it is given a head start).

Run with one thread (set here before numpy is imported):
``.venv/bin/python benchmarks/bench_exceedance.py [--runs 5] [--loop-runs 3]``.
Prints the medians and their ratio and writes JSON to ``benchmarks/results/``.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scipy  # noqa: E402
import statsmodels  # noqa: E402
import statsmodels.api as sm  # noqa: E402
from scipy import stats  # noqa: E402

from smp_analysis.stats.exceedance import emerging_concerns  # noqa: E402

N_CATEGORIES, N_LSOAS, N_MONTHS = 14, 100, 48
RESULTS = Path(__file__).resolve().parent / "results"


def workload(seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    months = pd.period_range("2021-01", periods=N_MONTHS, freq="M")
    S = N_CATEGORIES * N_LSOAS
    base = np.exp(rng.normal(np.log(3.0), 1.1, S))
    season = np.exp(0.25 * np.sin(2 * np.pi * np.asarray(months.month) / 12))
    mu = base[:, None] * season[None, :]
    counts = rng.poisson(mu).astype(float)
    nb = rng.random(S) < 0.5
    counts[nb] = rng.poisson(rng.gamma(mu[nb] / 0.5, 0.5))
    return pd.DataFrame(
        {
            "crime_type": np.repeat(
                [f"category {i:02d}" for i in range(N_CATEGORIES)], N_LSOAS * N_MONTHS
            ),
            "lsoa_code": np.tile(
                np.repeat([f"E0100{i:04d}" for i in range(N_LSOAS)], N_MONTHS), N_CATEGORIES
            ),
            "month": np.tile(months, S),
            "count": counts.ravel(),
        }
    )


def statsmodels_loop(frame: pd.DataFrame, by: list[str]) -> np.ndarray:
    """Expected counts for the latest quarter, one statsmodels fit sequence per series."""
    # the register's defaults: the 36 months before the latest quarter
    months = pd.period_range(end=frame["month"].max(), periods=39, freq="M")
    T, n_base = 39, 36
    tt = (np.arange(T) - (n_base - 1) / 2) / 12
    moy = np.asarray(months.month)
    X = np.column_stack(
        [np.ones(T), tt] + [f(2 * np.pi * k * moy / 12) for k in (1, 2) for f in (np.sin, np.cos)]
    )
    Xb, Xe = X[:n_base], X[n_base:]
    out = []
    for _, g in frame.groupby(by, sort=True):
        y = g.sort_values("month")["count"].to_numpy()[-T:][:n_base]
        if y.sum() == 0:
            out.append(np.full(3, np.nan))
            continue
        season = y.sum() >= len(y)

        def fit(trend: bool, y=y, season=season):
            cols = [0] + ([1] if trend else []) + ([2, 3, 4, 5] if season else [])
            res = sm.GLM(y, Xb[:, cols], family=sm.families.Poisson()).fit(scale="X2")
            phi = max(res.scale, 1.0)
            mu = res.mu
            h = res.get_hat_matrix_diag()
            s = 1.5 * (y ** (2 / 3) * mu ** (-1 / 6) - mu**0.5) / np.sqrt(phi * (1 - h))
            raw = np.where(s > 2.58, s**-2.0, 1.0)
            res = sm.GLM(
                y, Xb[:, cols], family=sm.families.Poisson(), var_weights=len(y) / raw.sum() * raw
            ).fit(scale="X2")
            return res, cols

        res, cols = fit(True)
        phi = max(res.scale, 1.0)
        se = np.sqrt(res.cov_params()[1, 1] / res.scale * phi)
        p = 2 * stats.t.sf(abs(res.params[1] / se), res.df_resid)
        pred = np.exp(Xe[:, cols] @ res.params)
        if not (p < 0.05 and pred.max() <= y.max()):
            res, cols = fit(False)
            pred = np.exp(Xe[:, cols] @ res.params)
        out.append(pred)
    return np.vstack(out)


def timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of the register")
    parser.add_argument("--loop-runs", type=int, default=3, help="timed runs of the loop")
    args = parser.parse_args()

    frame = workload()
    by = ["crime_type", "lsoa_code"]
    warnings.simplefilter("ignore")  # statsmodels convergence chatter on sparse series

    # same answers first (only series modelled with the full rule set by both)
    reg = emerging_concerns(frame, by=by)
    loop = statsmodels_loop(frame, by)
    ours = reg[reg["kind"] == "month"]["expected"].to_numpy().reshape(-1, 3)
    both = np.isfinite(ours).all(axis=1) & np.isfinite(loop).all(axis=1)
    max_rel = float(np.max(np.abs(ours[both] / loop[both] - 1)))

    emerging_concerns(frame, by=by)  # warm-up
    t_reg = timed(lambda: emerging_concerns(frame, by=by), args.runs)
    t_loop = timed(lambda: statsmodels_loop(frame, by), args.loop_runs)
    med_reg, med_loop = statistics.median(t_reg), statistics.median(t_loop)

    n_series = N_CATEGORIES * N_LSOAS
    print(f"Emerging-concerns register, {n_series} series × {N_MONTHS} months, one thread")
    print(f"  series compared: {both.sum()} (max relative difference in expected {max_rel:.1e})")
    print("| contender | runs | median (s) | min (s) |")
    print("|---|---|---|---|")
    print(f"| register (batched IRLS) | {args.runs} | {med_reg:.3f} | {min(t_reg):.3f} |")
    print(f"| statsmodels loop | {args.loop_runs} | {med_loop:.3f} | {min(t_loop):.3f} |")
    print(f"speed-up: {med_loop / med_reg:.0f}× (goal: register under 2 s)")

    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"bench_exceedance_{stamp}.json"
    path.write_text(
        json.dumps(
            {
                "benchmark": "emerging_concerns vs per-series statsmodels GLM loop",
                "series": n_series,
                "months": N_MONTHS,
                "threads": 1,
                "register_seconds": t_reg,
                "loop_seconds": t_loop,
                "register_median": med_reg,
                "loop_median": med_loop,
                "ratio": med_loop / med_reg,
                "series_compared": int(both.sum()),
                "max_relative_difference_expected": max_rel,
                "python": platform.python_version(),
                "numpy": np.__version__,
                "scipy": scipy.__version__,
                "statsmodels": statsmodels.__version__,
                "pandas": pd.__version__,
                "machine": platform.machine(),
                "processor": platform.processor(),
                "timestamp": stamp,
            },
            indent=2,
        )
    )
    print(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")


if __name__ == "__main__":
    main()
