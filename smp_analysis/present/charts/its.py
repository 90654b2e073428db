"""Interrupted time series chart: observed months, the fitted trend and the counterfactual.

:func:`its_chart` draws the observed counts as points, the segmented model fit, and the
trend expected without the intervention as a dashed line (with its interval as a band).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from ..style import CATEGORICAL, REFERENCE
from ._base import _HI, _LO, Chart, _as_months, _check_text, _frame, _list, _month, _num, _pick
from ._draw import (
    _count_axis,
    _figure,
    _intervention_line,
    _missing_bands,
    _missing_notes,
    _month_axis,
    _render,
    _reporting_band,
    _style,
)


def _month_values(
    obj: pd.DataFrame | pd.Series, candidates: Sequence[str], what: str
) -> pd.DataFrame:
    """``month`` + ``value`` (+ ``ci_low``/``ci_high``) from a frame or a month-indexed series."""
    if isinstance(obj, pd.Series):
        return pd.DataFrame({"month": _as_months(obj.index), "value": obj.astype(float).to_numpy()})
    frame = _frame(obj, what)
    if "month" not in frame.columns:
        raise ValueError(f"{what} needs a 'month' column")
    col = _pick(frame, None, candidates, what)
    if col is None:
        numeric = [
            c for c in frame.columns if c != "month" and pd.api.types.is_numeric_dtype(frame[c])
        ]
        numeric = [c for c in numeric if c not in (*_LO, *_HI)]
        if len(numeric) != 1:
            raise ValueError(f"{what} needs one value column (one of {list(candidates)})")
        col = numeric[0]
    out = pd.DataFrame(
        {"month": _as_months(frame["month"]), "value": frame[col].astype(float).to_numpy()}
    )
    lo, hi = _pick(frame, None, _LO, "lower"), _pick(frame, None, _HI, "upper")
    if lo and hi:
        out["ci_low"] = frame[lo].astype(float).to_numpy()
        out["ci_high"] = frame[hi].astype(float).to_numpy()
    return out


def its_chart(
    observed: pd.DataFrame | pd.Series,
    fitted: pd.DataFrame | pd.Series,
    counterfactual: pd.DataFrame | pd.Series,
    intervention: pd.Period | str,
    *,
    title: str,
    subtitle: str,
    intervention_label: str | None = None,
    y_label: str = "Count per month",
    reporting_year: Any | None = None,
    alt: str | None = None,
) -> Chart:
    """Interrupted time series: observed points, fitted line, counterfactual dashed line.

    Parameters
    ----------
    observed : pandas.DataFrame or pandas.Series
        ``month`` and ``count`` (``NaN`` = no data, shown as a gap), or a series indexed by
        month.
    fitted : pandas.DataFrame or pandas.Series
        ``month`` and the model's fitted values (column ``fitted``, ``estimate``,
        ``value`` or ``count``).
    counterfactual : pandas.DataFrame or pandas.Series
        ``month`` and the expected values without the intervention (column
        ``counterfactual``, ``estimate``, ``value`` or ``count``); it is drawn from the
        month before the intervention on. Optional ``ci_low``/``ci_high`` are drawn as a
        band. ``ITSResult.fitted`` and ``ITSResult.counterfactual`` from
        :func:`smp_analysis.stats.intervention.interrupted_time_series` fit directly.
    intervention : Period or str
        First month of the intervention.
    title, subtitle : str
        Headline title and statistical subtitle.
    intervention_label : str, optional
        Text beside the intervention line (default "Intervention starts").
    y_label : str, default "Count per month"
        Axis label.
    reporting_year : ReportingPeriod, optional
        The reporting year (``label``, ``start``, ``end``): a labelled bracket above the
        plot, as in :func:`~smp_analysis.present.charts.trend_chart` (no tint: the
        orange counterfactual would fall below 3:1 against it).
    alt : str, optional
        Text alternative; composed from the data when omitted (totals after the
        intervention, observed against expected).

    Returns
    -------
    Chart
        ``data`` columns ``month, observed, fitted, counterfactual`` (+ interval).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.period_range("2024-01", periods=6, freq="M")
    >>> obs = pd.DataFrame({"month": m, "count": [30.0, 31, 29, 20, 19, 21]})
    >>> fit = pd.DataFrame({"month": m, "fitted": [30.0, 30, 30, 20, 20, 20]})
    >>> cf = pd.DataFrame({"month": m[3:], "counterfactual": [30.0, 30, 30]})
    >>> c = its_chart(obs, fit, cf, "2024-04", title="Crime fell after the scheme began",
    ...               subtitle="Crimes a month, Sampleton town centre")
    >>> "observed 60 against 90 expected without it (33% lower)" in c.alt
    True
    """
    _check_text(title, subtitle)
    obs = _month_values(observed, ("count", "observed", "value"), "observed")
    fit = _month_values(fitted, ("fitted", "estimate", "value", "count"), "fitted")
    cf = _month_values(
        counterfactual, ("counterfactual", "estimate", "value", "count"), "counterfactual"
    )
    start = pd.Period(intervention, freq="M")
    allm = [*obs["month"], *fit["month"], *cf["month"]]
    months = pd.period_range(min(allm), max(allm), freq="M")
    xs = months.asi8.astype(float)

    def on(frame: pd.DataFrame, col: str) -> np.ndarray:
        if frame["month"].duplicated().any():
            raise ValueError("a series has more than one row for a month")
        return frame.set_index("month")[col].reindex(months).to_numpy(float)

    y_obs, y_fit, y_cf = on(obs, "value"), on(fit, "value"), on(cf, "value")
    # The counterfactual equals the fit before the intervention: draw it from the last
    # month before, so it reads as the pre-intervention trend carried on.
    drawn_cf = np.where(months >= start - 1, y_cf, np.nan)
    band = "ci_low" in cf.columns
    cf_lo = on(cf, "ci_low") if band else None
    cf_hi = on(cf, "ci_high") if band else None

    with _style(title):
        fig = _figure(4.1)
        ax = fig.add_subplot()
        tops = [
            np.nanmax(v)
            for v in (y_obs, y_fit, y_cf, cf_hi)
            if v is not None and np.isfinite(v).any()
        ]
        _count_axis(ax, float(max(tops)) if tops else 1.0, y_label)
        _month_axis(ax, months)
        runs = _missing_bands(ax, xs, {"observed": ~np.isfinite(y_obs)})
        shaded = _reporting_band(
            ax, months, reporting_year, 1, [REFERENCE, CATEGORICAL[0], CATEGORICAL[3]]
        )
        if band:
            ax.fill_between(
                xs,
                cf_lo,
                cf_hi,
                where=np.asarray(months >= start - 1),
                color=CATEGORICAL[3],
                alpha=0.15,
                lw=0,
                zorder=1,
                gid="counterfactual-interval",
            )
        ax.plot(
            xs,
            y_obs,
            linestyle="none",
            marker="o",
            markersize=4.5,
            color=REFERENCE,
            zorder=4,
            gid="observed",
        )
        before = months < start
        for part, gid in ((before, "fitted-before"), (~before, "fitted-after")):
            ax.plot(
                xs, np.where(part, y_fit, np.nan), color=CATEGORICAL[0], lw=2.2, zorder=3, gid=gid
            )
        ax.plot(
            xs,
            drawn_cf,
            color=CATEGORICAL[3],
            lw=2.2,
            ls=(0, (5, 2)),
            zorder=3,
            gid="counterfactual",
        )
        _intervention_line(ax, start, intervention_label)
        handles = [
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=4.5,
                color=REFERENCE,
                label="Observed",
            ),
            Line2D([], [], color=CATEGORICAL[0], lw=2.2, label="Model fit"),
            Line2D(
                [],
                [],
                color=CATEGORICAL[3],
                lw=2.2,
                ls=(0, (5, 2)),
                label="Expected without the intervention",
            ),
        ]
        fig.legend(handles=handles, loc="outside lower left", ncols=1, handletextpad=0.4)
        lines = [(xs, y) for y in (y_obs, y_fit, drawn_cf)]
        _missing_notes(fig, ax, xs, runs, lines, False, 1)
        svg = _render(fig)

    data = pd.DataFrame(
        {"month": months, "observed": y_obs, "fitted": y_fit, "counterfactual": y_cf}
    )
    if band:
        data["counterfactual_ci_low"] = cf_lo
        data["counterfactual_ci_high"] = cf_hi
    if alt is None:
        after = (months >= start) & np.isfinite(y_obs) & np.isfinite(y_cf)
        parts = [
            f"{title.rstrip('.')}.",
            f"{y_label} from {_month(months[0])} to "
            f"{_month(months[-1])} with a fitted segmented trend; "
            f"{intervention_label or 'the intervention'} began in {_month(start)}.",
        ]
        if after.any():
            o, e = float(np.sum(y_obs[after])), float(np.sum(y_cf[after]))
            k = int(after.sum())
            diff = (o - e) / e * 100 if e > 0 else float("nan")
            word = "lower" if diff < 0 else "higher"
            parts.append(
                f"Over the {k} month{'s' if k > 1 else ''} after it began, observed {_num(round(o))} "
                f"against {_num(round(e))} expected without it ({abs(diff):.0f}% {word})."
            )
        if runs:
            parts.append(
                "No data for "
                + _list(
                    [
                        _month(months[a])
                        if a == b
                        else f"{_month(months[a])} to {_month(months[b])}"
                        for a, b, _ in runs
                    ]
                )
                + "."
            )
        if shaded is not None:
            parts.append(
                f"The reporting year {reporting_year.label} ({_month(shaded[0])} to "
                f"{_month(shaded[1])}) is marked above the plot."
            )
        alt = " ".join(parts)
    return Chart(svg, alt, title, subtitle, data)
