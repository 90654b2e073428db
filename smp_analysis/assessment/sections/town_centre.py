"""A safe town centre — section TC: status, intervention evaluation, where crime
concentrates, anti-social behaviour, and what residents say.

Every table is computed first, as numbers (counts, ratios with their intervals, p-values,
proportions 0-1), and rendered from them, so the download holds the numbers shown.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ...categories import ASB, CRIME_TYPES
from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table, cell
from ...present.charts import its_chart, lorenz_chart
from ...results.result import coverage_frame, empty_coverage
from ...stats.concentration import (
    generalised_gini,
    gini,
    location_quotient_table,
    lorenz_curve,
    top_share,
)
from ...stats.intervention import (
    ITSResult,
    ModelError,
    interrupted_time_series,
    weighted_displacement_difference,
)
from ...stats.periods import ReportingPeriod
from ...stats.survey import survey_measure_change, survey_measure_table
from ..claims import model_claim
from ..context import Context
from ..indicators import evaluate_priority
from ..narrative import Sentence, level_change_sentence, month_label, proportion_change_sentence
from ..section import Section
from .common import HEADERS, status_paragraph, trend_paragraph

__all__ = [
    "town_centre",
    "intervention_paragraph",
    "concentration_paragraph",
    "survey_paragraph",
    "WDD_MONTHS",
    "WDDWindow",
    "wdd_window",
]

#: Months on each side of the intervention start that the weighted displacement
#: difference compares (the sentences say "twelve", so this is not a setting).
WDD_MONTHS = 12

#: The methods behind TC.2.
WDD_TEST = (
    "weighted displacement difference (Wheeler & Ratcliffe 2018): change in the area minus "
    "change in the comparison area over exactly the twelve months before and after the "
    "start, Poisson standard error, normal approximation"
)
ITS_RATIO_TEST = (
    "observed over expected crimes since the start, delta-method interval on the log scale "
    "with the t quantile on the model's residual degrees of freedom"
)


def _relabel(period: ReportingPeriod, prefix: str) -> ReportingPeriod:
    return ReportingPeriod(f"{prefix}: {period.label}", period.start, period.end, period.kind)


def _coverage(
    series: pd.DataFrame, periods: list[ReportingPeriod], prefix: str, *, used: bool = True
) -> pd.DataFrame:
    """Months expected / present / used per period, with periods named after the series
    (``used=False``: the months were not used, as for a withheld estimate)."""
    named = [_relabel(p, prefix) for p in periods]
    return coverage_frame(series, named, used=None if used else {p.label: [] for p in named})


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else empty_coverage()


# ---------------------------------------------------------------------------- WDD window
@dataclass(frozen=True)
class WDDWindow:
    """Crime totals of each area over exactly the twelve months before and the twelve
    months from an intervention start, or why they cannot be given.

    Attributes
    ----------
    start : pandas.Period
        First month with the intervention.
    before, after : ReportingPeriod
        ``start - 12`` to ``start - 1`` and ``start`` to ``start + 11``.
    months_before, months_after : dict
        Area → months with data in each window (out of twelve).
    totals : dict
        Area → (crimes before, crimes after), summed over exactly those months; ``NaN``
        when any of the 24 months of any area has no data.
    reason : str
        Empty when every area has all 24 months; otherwise the sentence saying why the
        weighted displacement difference is withheld, naming how many months have data.
    """

    start: pd.Period
    before: ReportingPeriod
    after: ReportingPeriod
    months_before: dict[str, int] = field(default_factory=dict)
    months_after: dict[str, int] = field(default_factory=dict)
    totals: dict[str, tuple[float, float]] = field(default_factory=dict)
    reason: str = ""

    @property
    def withheld(self) -> bool:
        """True when some of the 24 months are missing for some area."""
        return bool(self.reason)


def _counts_by_month(series: pd.DataFrame, months: pd.PeriodIndex) -> pd.Series:
    """Counts of ``series`` on exactly ``months`` (``NaN`` for a month it lacks)."""
    idx = pd.PeriodIndex(series["month"], freq="M")
    return pd.Series(series["count"].to_numpy(dtype="float64"), index=idx).reindex(months)


def wdd_window(series: Mapping[str, pd.DataFrame], start: object) -> WDDWindow:
    """Totals for a weighted displacement difference over exactly twelve months either side
    of ``start``.

    Parameters
    ----------
    series : mapping
        Readable area name (``"Sampleton town centre"``, ``"the comparison area"``, ...) →
        monthly series with ``month`` and ``count`` (``NaN`` where a month has no data; a
        month absent from the frame also counts as having no data).
    start : month-like
        First month with the intervention.

    Returns
    -------
    WDDWindow
        Withheld (with its reason) unless every area has data for all 24 months.

    Examples
    --------
    >>> import pandas as pd
    >>> months = pd.period_range("2022-10", "2024-03", freq="M")  # 12 before, 6 after
    >>> s = pd.DataFrame({"month": months, "count": 10.0})
    >>> w = wdd_window({"the town centre": s, "the comparison area": s}, "2023-10")
    >>> w.withheld, w.months_after
    (True, {'the town centre': 6, 'the comparison area': 6})
    """
    start = pd.Period(start, freq="M")
    before = ReportingPeriod(
        f"twelve months before {month_label(start)}",
        start - WDD_MONTHS,
        start - 1,
    )
    after = ReportingPeriod(
        f"twelve months from {month_label(start)}",
        start,
        start + (WDD_MONTHS - 1),
    )
    months_before, months_after, totals = {}, {}, {}
    for area, s in series.items():
        b = _counts_by_month(s, before.months)
        a = _counts_by_month(s, after.months)
        months_before[area], months_after[area] = int(b.notna().sum()), int(a.notna().sum())
        complete = b.notna().all() and a.notna().all()
        totals[area] = (float(b.sum()), float(a.sum())) if complete else (math.nan, math.nan)
    with_data = {area: months_before[area] + months_after[area] for area in series}
    reason = ""
    if any(n < 2 * WDD_MONTHS for n in with_data.values()):
        span = (
            f"the twelve months before {month_label(start)} ({month_label(before.start)} to "
            f"{month_label(before.end)}) with the twelve months from it "
            f"({month_label(after.start)} to {month_label(after.end)})"
        )
        if len({(months_before[a], months_after[a]) for a in series}) == 1:
            area = next(iter(series))
            have = (
                f"only {with_data[area]} of those 24 months have data "
                f"({months_before[area]} before and {months_after[area]} after)"
            )
        else:
            have = "of those 24 months, " + _and(
                [
                    f"{n} {'has' if n == 1 else 'have'} data for {area} "
                    f"({months_before[area]} before and {months_after[area]} after)"
                    for area, n in with_data.items()
                ]
            )
        reason = (
            f"The weighted displacement difference is not given: it compares {span} in "
            f"every area, and {have}. Comparing fewer months would not be a like-for-like "
            "twelve-month comparison."
        )
    return WDDWindow(start, before, after, months_before, months_after, totals, reason)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# ---------------------------------------------------------------------------- TC.2
def _wdd_sentence(name: str, r, what: str) -> Sentence:
    est = fmt.count(abs(r.estimate))
    # plain words here; the interval and p-value are in Table TC.2b beside
    if r.p_value < 0.05:
        d = "fewer" if r.estimate < 0 else "more"
        text = (
            f"Compared with the comparison area, {name} had {est} {d} crimes than expected "
            f"in the twelve months after the start ({what}), a statistically significant "
            "difference."
        )
    else:
        text = (
            f"Compared with the comparison area, the change in {name} is within what chance "
            f"would give ({what} {'-' if r.estimate < 0 else '+'}{est} crimes; not "
            "statistically significant)."
        )
    return Sentence(text, (est,))


def _whole(v: float) -> str:
    return fmt.number(v, 0)


#: readable headers (with units) of the interrupted time series table's numbers
ITS_HEADERS = {
    "measure": "Measure (code)",
    "label": "Measure",
    "estimate": "Estimate (ratio)",
    "ci_low": HEADERS["ci_low"],
    "ci_high": HEADERS["ci_high"],
    "p_value": HEADERS["p_value"],
    "observed": "Crimes since the start, observed (count)",
    "expected": "Crimes since the start, expected without a change (count)",
    "months_before": "Months with data before the start",
    "months_after": "Months with data from the start",
    "dispersion": "Quasi-Poisson dispersion (1 = Poisson variation)",
    "residual_df": "Residual degrees of freedom (months with data minus model terms)",
}


def its_data(its) -> pd.DataFrame:
    """The interrupted time series as numbers: level change, change in monthly trend and
    observed over expected crimes since the start, each a ratio with its interval."""
    model = {
        "months_before": int(its.n_pre),
        "months_after": int(its.n_post),
        "dispersion": float(its.dispersion),
        "residual_df": int(its.df_resid),
    }
    rows = [
        {
            "measure": "level_change",
            "label": "Level change at the start (ratio)",
            "estimate": its.level_change,
            "ci_low": its.level_ci_low,
            "ci_high": its.level_ci_high,
            "p_value": its.level_p_value,
            "observed": math.nan,
            "expected": math.nan,
            **model,
        },
        {
            "measure": "slope_change",
            "label": "Change in monthly trend (ratio per month)",
            "estimate": its.slope_change,
            "ci_low": its.slope_ci_low,
            "ci_high": its.slope_ci_high,
            "p_value": its.slope_p_value,
            "observed": math.nan,
            "expected": math.nan,
            **model,
        },
        {
            "measure": "post_rate_ratio",
            "label": "Crimes since the start, observed over expected (ratio)",
            "estimate": its.post_rate_ratio,
            "ci_low": its.post_rate_ci_low,
            "ci_high": its.post_rate_ci_high,
            "p_value": math.nan,
            "observed": float(its.observed_post),
            "expected": float(its.counterfactual_post),
            **model,
        },
    ]
    return pd.DataFrame(rows).astype(
        {c: "float64" for c in ("estimate", "ci_low", "ci_high", "p_value", "observed", "expected")}
    )


def _its_measure(r: Mapping[str, Any]) -> str:
    if r["measure"] == "post_rate_ratio":
        return (
            f"Crimes since the start: observed {fmt.count(r['observed'])}, "
            f"expected {fmt.count(r['expected'])}"
        )
    return r["label"]


def _its_estimate(r: Mapping[str, Any]) -> str:
    dp = 3 if r["measure"] == "slope_change" else 2
    return f"{fmt.ratio(r['estimate'], dp)} ({fmt.interval(r['ci_low'], r['ci_high'], dp)})"


ITS_COLUMNS = {
    "Measure": _its_measure,
    "Estimate (95% CI)": _its_estimate,
    "p-value": lambda r: fmt.p_value(r["p_value"]),
}

#: readable headers (with units) of the weighted displacement difference table's numbers
WDD_HEADERS = {
    "area": "Area or estimate",
    "count_before": "Crimes in the twelve months before the start (count)",
    "count_after": "Crimes in the twelve months from the start (count)",
    "estimate": "Weighted displacement difference (crimes)",
    "std_error": "Standard error (crimes)",
    "ci_low": HEADERS["ci_low"],
    "ci_high": HEADERS["ci_high"],
    "p_value": HEADERS["p_value"],
}


def _blank_if_missing(column: str, render):
    return lambda r: "" if pd.isna(r[column]) else render(r)


WDD_COLUMNS = {
    "Area": cell("area"),
    "12 months before": _blank_if_missing("count_before", lambda r: fmt.count(r["count_before"])),
    "12 months after": _blank_if_missing("count_after", lambda r: fmt.count(r["count_after"])),
    "Estimate (95% CI)": _blank_if_missing(
        "estimate",
        lambda r: (
            f"{_whole(r['estimate'])} ({fmt.interval(r['ci_low'], r['ci_high'], fmt=_whole)})"
        ),
    ),
}


def _count_row(area: str, before: float, after: float) -> dict[str, Any]:
    return {
        "area": area,
        "count_before": before,
        "count_after": after,
        **dict.fromkeys(("estimate", "std_error", "ci_low", "ci_high", "p_value"), math.nan),
    }


def _estimate_row(area: str, r) -> dict[str, Any]:
    return {
        "area": area,
        "count_before": math.nan,
        "count_after": math.nan,
        "estimate": float(r.estimate),
        "std_error": float(r.std_error),
        "ci_low": float(r.ci_low),
        "ci_high": float(r.ci_high),
        "p_value": float(r.p_value),
    }


def _displacement_sentence(disp) -> str:
    # plain words here; the interval is in Table TC.2b beside
    if disp.p_value < 0.05 and disp.estimate > 0:
        return (
            f"Crime in the surrounding area rose relative to the comparison area "
            f"({fmt.count(disp.estimate)} more crimes than expected): some crime may have "
            "been displaced."
        )
    if disp.p_value < 0.05:
        return (
            f"Crime in the surrounding area also fell relative to the comparison area "
            f"({fmt.count(abs(disp.estimate))} fewer crimes than expected): a diffusion of "
            "benefit rather than displacement."
        )
    return (
        "There is no sign that crime was displaced to the surrounding area (the change "
        "relative to the comparison area is within what chance would give)."
    )


#: readable headers (with units) of the table of crimes before and from the start, shown
#: when the interrupted time series is not reported
COUNTS_HEADERS = {
    "period": "Period",
    "span": "Months with data",
    "months_with_data": "Months with data (count)",
    "count": "Recorded crimes over those months (count)",
    "per_month": "Recorded crimes a month (mean over the months with data)",
}

COUNTS_COLUMNS = {
    "Period": cell("period"),
    "Months with data": lambda r: f"{r['span']} ({r['months_with_data']})",
    "Crimes": cell("count", fmt.count),
    "A month": cell("per_month", fmt.count),
}


def _span(months: pd.Index) -> str:
    """``"April 2021 to September 2023"`` (first and last month with data), or one month."""
    first, last = months.min(), months.max()
    if first == last:
        return month_label(first)
    return f"{month_label(first)} to {month_label(last)}"


def _months_phrase(months: pd.Index, where: str, per_month: str) -> str:
    """``"the 30 months with data before October 2023 (April 2021 to September 2023; an
    average of 150 a month)"``, or ``"March 2025, the only month with data from March
    2025"``."""
    if len(months) == 1:
        return f"{month_label(months[0])}, the only month with data {where}"
    return (
        f"the {len(months)} months with data {where} ({_span(months)}; an average of "
        f"{per_month} a month)"
    )


def _fit_its(y: pd.Series, start: pd.Period, scheme: str) -> tuple[ITSResult | None, str]:
    """The interrupted time series, or ``None`` and why it is not reported (in plain words):
    it cannot be fitted, or it has fewer residual degrees of freedom than the claims policy
    needs (:func:`~smp_analysis.assessment.claims.model_claim`)."""
    with_data = y.dropna()
    first, last = with_data.index.min(), with_data.index.max()
    if start <= first:
        return None, (
            f"{scheme} started in {month_label(start)}, and the first month with data is "
            f"{month_label(first)}, so there are no months with data before the start"
        )
    if start > last:
        return None, (
            f"{scheme} started in {month_label(start)}, after the last month with data "
            f"({month_label(last)})"
        )
    try:
        its = interrupted_time_series(y, start)
    except ModelError as exc:
        return None, exc.reason
    claim = model_claim(its.df_resid)
    if not claim:
        n = its.n_pre + its.n_post
        return None, (
            f"{claim.reason}, from {n} months with data ({_span(with_data.index)}) and "
            f"{n - its.df_resid} model terms"
        )
    return its, ""


def intervention_paragraph(ctx: Context, label: str) -> Paragraph | None:
    """Interrupted time series of town-centre crime, and a weighted displacement check over
    exactly the twelve months either side of the start (withheld when any is missing).

    The interrupted time series is reported only when it can be fitted and has the residual
    degrees of freedom the claims policy needs; otherwise the paragraph gives the crimes
    recorded before and from the start, as counts, and says why the model is not reported.
    """
    tc = ctx.config.town_centre
    if tc is None or tc.intervention is None:
        return None
    start = pd.Period(tc.intervention.start, freq="M")
    series = ctx.police_series(CRIME_TYPES, area="town_centre")
    y = pd.Series(series["count"].to_numpy(), index=pd.PeriodIndex(series["month"], freq="M"))
    with_data = y.dropna()
    if with_data.empty:
        return None
    its, why = _fit_its(y, start, f"the {tc.intervention.name}")
    if its is not None:
        text, facts, public, tests, details, coverage = _its_reported(
            ctx, label, series, y, start, its
        )
    else:
        text, facts, public, tests, details, coverage = _its_not_reported(
            ctx, label, series, y, start, why
        )
    wdd_done = False
    if tc.comparison_lsoa_codes:
        # weighted displacement difference: exactly twelve months either side of the start
        areas = {tc.name: "town_centre"}
        if tc.buffer_lsoa_codes:
            areas["the surrounding area"] = "buffer"
        areas["the comparison area"] = "comparison"
        window_series = {
            name: ctx.police_series(
                CRIME_TYPES, area=area, start=start - WDD_MONTHS, end=start + (WDD_MONTHS - 1)
            )
            for name, area in areas.items()
        }
        win = wdd_window(window_series, start)
        coverage += [
            _coverage(
                s,
                [win.before, win.after],
                f"{name[:1].upper()}{name[1:]} (weighted displacement difference)",
                used=not win.withheld,
            )
            for name, s in window_series.items()
        ]
        if win.withheld:
            text.append(win.reason)
        else:
            wdd_done = True
            tests.append(WDD_TEST)
            t0, t1 = win.totals[tc.name]
            c0, c1 = win.totals["the comparison area"]
            local = weighted_displacement_difference(t0, t1, c0, c1)
            s_local = _wdd_sentence(tc.name, local, "weighted displacement difference")
            text.append(s_local.text)
            facts += list(s_local.facts)
            rows = [_count_row(tc.name, t0, t1)]
            est_rows = [_estimate_row("Effect in the town centre (WDD)", local)]
            if "the surrounding area" in win.totals:
                d0, d1 = win.totals["the surrounding area"]
                rows.append(_count_row("Surrounding area (buffer)", d0, d1))
                disp = weighted_displacement_difference(d0, d1, c0, c1)
                text.append(_displacement_sentence(disp))
                est_rows.append(_estimate_row("Change in the surrounding area (WDD)", disp))
            rows.append(_count_row("Comparison area", c0, c1))
            details.append(
                Table.rendered(
                    pd.DataFrame(rows + est_rows),
                    WDD_COLUMNS,
                    f"Table {label}b: crimes 12 months before and after "
                    f"{month_label(start)}, with weighted displacement differences",
                    headers=WDD_HEADERS,
                    note="Weighted displacement difference (Wheeler & Ratcliffe 2018): "
                    "change in the area minus change in the comparison area, with a "
                    "Poisson standard error. It assumes the areas are comparable; when their "
                    "sizes differ a lot, read it as indicative.",
                )
            )
    if its is not None and wdd_done:
        text.append(
            "These designs allow for the earlier trend, the seasons and (for the weighted "
            "displacement difference) changes affecting the whole district; they cannot rule "
            "out other changes that started at the same time."
        )
    elif its is not None:
        text.append(
            "This design allows for the earlier trend and the seasons; it cannot rule out "
            "other changes that started at the same time."
        )
    elif wdd_done:
        text.append(
            "The weighted displacement difference allows for changes affecting the whole "
            "district but not for the seasons or an earlier trend in the town centre; it cannot "
            "rule out other changes that started at the same time."
        )
    return Paragraph(
        label,
        f"Did crime fall after the {tc.intervention.name}?",
        tuple(text),
        tuple(details),
        facts=tuple(facts),
        public_text=tuple(public),
        coverage=_stack(coverage),
        tests=tuple(tests),
    )


def _its_periods(y: pd.Series, start: pd.Period) -> list[ReportingPeriod]:
    """Before the start and from it, within the series (either may be absent)."""
    out = []
    if start > y.index.min():
        end = min(start - 1, y.index.max())
        out.append(ReportingPeriod(f"before {month_label(start)}", y.index.min(), end))
    if start <= y.index.max():
        out.append(
            ReportingPeriod(f"from {month_label(start)}", max(start, y.index.min()), y.index.max())
        )
    return out


def _its_reported(ctx: Context, label: str, series: pd.DataFrame, y, start, its: ITSResult):
    """Sentences, facts, public text, tests, details and coverage of a reported ITS."""
    tc = ctx.config.town_centre
    s_its = level_change_sentence(
        "Crime in the town centre",
        f"the {tc.intervention.name}",
        start,
        its.level_change,
        its.level_ci_low,
        its.level_ci_high,
        its.level_p_value,
    )
    text = [s_its.text]
    used = y.dropna().index
    after = used[used >= start]
    text.append(
        f"Over the {its.n_post} months with data since ({_span(after)}), there were "
        f"{fmt.count(its.observed_post)} crimes against {fmt.count(its.counterfactual_post)} "
        "expected without a change."
    )
    text.append(
        f"The model uses the {len(used)} months with data from {_span(used)} "
        f"({its.n_pre} before the start and {its.n_post} from it)."
    )
    facts = [*s_its.facts, fmt.count(its.observed_post), fmt.count(its.counterfactual_post)]
    coverage = [_coverage(series, _its_periods(y, start), f"{tc.name} (interrupted time series)")]
    tests = [its.method, ITS_RATIO_TEST]
    details: list = [
        its_chart(
            y.rename("count"),
            its.fitted,
            its.counterfactual,
            start,
            title=(
                f"Town-centre crime dropped after {month_label(start)}"
                if its.level_p_value < 0.05 and its.level_change < 1
                else f"Town-centre crime before and after {month_label(start)}"
            ),
            subtitle=f"Crimes recorded each month in {tc.name}, with the level expected had nothing "
            "changed (quasi-Poisson segmented regression with month-of-year effects)",
            intervention_label=tc.intervention.name,
            reporting_year=ctx.current,
        ),
        Table.rendered(
            its_data(its),
            ITS_COLUMNS,
            f"Table {label}: interrupted time series, {tc.name}",
            headers=ITS_HEADERS,
            note=f"Dispersion {fmt.number(its.dispersion, 2)}; {its.n_pre} months before and "
            f"{its.n_post} after; intervals and p-values from the t distribution on "
            f"{its.df_resid} residual degrees of freedom. Autocorrelation is not modelled.",
        ),
    ]
    public = [s_its.text.split(" (")[0].rstrip(".") + "."]
    return text, facts, public, tests, details, coverage


def _its_not_reported(ctx: Context, label: str, series: pd.DataFrame, y, start, why: str):
    """Crimes before and from the start, as counts, and why the model is not reported."""
    tc = ctx.config.town_centre
    with_data = y.dropna()
    before = with_data[with_data.index < start]
    after = with_data[with_data.index >= start]
    rows, parts, facts = [], [], []
    for part, where in ((before, "before"), (after, "from")):
        if part.empty:
            continue
        total, per_month = float(part.sum()), float(part.mean())
        rows.append(
            {
                "period": f"{where[:1].upper()}{where[1:]} {month_label(start)}",
                "span": _span(part.index),
                "months_with_data": len(part),
                "count": total,
                "per_month": per_month,
            }
        )
        parts.append(
            f"{fmt.count(total)}{' recorded crimes' if not parts else ''} in "
            + _months_phrase(part.index, f"{where} {month_label(start)}", fmt.count(per_month))
        )
        facts += [fmt.count(total)] + ([fmt.count(per_month)] if len(part) > 1 else [])
    counts_sentence = f"{tc.name} had " + ", and ".join(parts) + "."
    reason = f"The interrupted time series is not reported: {why}."
    text = [counts_sentence, reason]
    if len(parts) == 2:
        text.append(
            "A comparison of the monthly averages is not an estimate of the scheme's effect: "
            "it does not allow for the earlier trend or the seasons."
        )
    data = pd.DataFrame(rows).astype(
        {"months_with_data": "int64", "count": "float64", "per_month": "float64"}
    )
    details: list = [
        Table.rendered(
            data,
            COUNTS_COLUMNS,
            f"Table {label}: crimes recorded in {tc.name} before and from {month_label(start)}",
            headers=COUNTS_HEADERS,
            note="Counts over the months with data only (a month without data is left out, "
            "never counted as zero). No model is fitted: " + why + ".",
        )
    ]
    periods = _its_periods(y, start)
    coverage = [
        _coverage(series, periods, f"{tc.name} (crimes before and from the start)"),
        _coverage(series, periods, f"{tc.name} (interrupted time series)", used=False),
    ]
    public = [
        "The months of police data available are not enough to say whether crime changed "
        f"after the {tc.intervention.name} started in {month_label(start)}.",
        counts_sentence,
    ]
    return text, facts, public, [], details, coverage


# ---------------------------------------------------------------------------- TC.3
#: readable headers (with units) of the location quotient table's numbers
LQ_HEADERS = {
    "crime_type": "Crime type",
    "area_count": "Town-centre crimes of the type (count)",
    "area_total": "Town-centre crimes, all types (count)",
    "region_count": "District crimes of the type (count)",
    "region_total": "District crimes, all types (count)",
    "area_share": "Share of town-centre crime (proportion 0-1)",
    "region_share": "Share of district crime (proportion 0-1)",
    "lq": "Location quotient",
    "ci_low": HEADERS["ci_low"],
    "ci_high": HEADERS["ci_high"],
}

LQ_COLUMNS = {
    "Crime type": cell("crime_type"),
    "Town centre": cell("area_count", fmt.count),
    "District": cell("region_count", fmt.count),
    "Location quotient (95% CI)": lambda r: (
        f"{fmt.ratio(r['lq'])} ({fmt.interval(r['ci_low'], r['ci_high'], 2)})"
    ),
}

#: how a value of the concentration table is shown, by its unit
_UNIT_FORMATS = {
    "proportion 0-1": fmt.share,
    "count": fmt.count,
    "coefficient 0-1": fmt.ratio,
}

#: readable headers (with units) of the concentration table's numbers
CONCENTRATION_HEADERS = {
    "measure": "Measure",
    "value": "Value (in the unit given)",
    "unit": "Unit",
    "numerator": "Numerator of the share (count)",
    "denominator": "Denominator of the share (count)",
}


def _measure_row(
    measure: str,
    value: float,
    unit: str,
    numerator: float = math.nan,
    denominator: float = math.nan,
) -> dict[str, Any]:
    return {
        "measure": measure,
        "value": float(value),
        "unit": unit,
        "numerator": float(numerator),
        "denominator": float(denominator),
    }


def concentration_paragraph(ctx: Context, label: str) -> Paragraph | None:
    """Town centre's share of crime against its share of residents; location quotients;
    concentration across the district's LSOAs."""
    tc = ctx.config.town_centre
    cube = ctx.inputs.cube
    months = ctx.current.months
    counts = cube.counts[
        cube.counts["month"].isin(months) & cube.counts["crime_type"].isin(CRIME_TYPES)
    ]
    if counts.empty:
        return None
    by_lsoa = counts.groupby(["lsoa_code", "crime_type"], as_index=False, observed=True)[
        "count"
    ].sum()
    per_lsoa = (
        cube.lsoas[["lsoa_code"]]
        .merge(by_lsoa.groupby("lsoa_code", as_index=False)["count"].sum(), how="left")
        .fillna({"count": 0})
    )
    g, gg = gini(per_lsoa["count"]), generalised_gini(per_lsoa["count"])
    top10 = top_share(per_lsoa["count"], 0.10)
    text = []
    facts = []
    details: list = []
    place_rows: list[dict[str, Any]] = []
    tests = []
    if tc is not None:
        tc_count = float(per_lsoa[per_lsoa["lsoa_code"].isin(tc.lsoa_codes)]["count"].sum())
        total = float(per_lsoa["count"].sum())
        pop = ctx.inputs.population
        tc_pop = pop_total = math.nan
        if pop is not None:
            tc_pop = float(pop[pop["lsoa_code"].isin(tc.lsoa_codes)]["population"].sum())
            pop_total = float(pop["population"].sum())
        pop_share = tc_pop / pop_total if pop is not None else math.nan
        s_crime = fmt.share(tc_count / total)
        sent = (
            f"In {ctx.current.label} {tc.name} ({len(tc.lsoa_codes)} of {len(per_lsoa)} "
            f"neighbourhoods) had {s_crime} of the district's recorded crime"
        )
        facts.append(s_crime)
        place_rows.append(
            _measure_row(
                f"{tc.name}: share of the district's crime",
                tc_count / total,
                "proportion 0-1",
                tc_count,
                total,
            )
        )
        if not math.isnan(pop_share):
            sent += f" but {fmt.share(pop_share)} of its residents"
            facts.append(fmt.share(pop_share))
            place_rows.append(
                _measure_row(
                    f"{tc.name}: share of the district's residents",
                    pop_share,
                    "proportion 0-1",
                    tc_pop,
                    pop_total,
                )
            )
        text.append(sent + ".")
        lq = location_quotient_table(by_lsoa, tc.lsoa_codes)
        lq = lq[lq["area_count"] >= 10].sort_values("lq", ascending=False)
        tests.append(
            "location quotient (Brantingham & Brantingham 1998) with a delta-method interval "
            "on the log scale for an area nested in its region"
        )
        if len(lq):
            hi = lq.iloc[0]
            text.append(
                f"Compared with the district's mix of crime, the town centre has most "
                f"over-representation of {hi['crime_type'].lower()}: its share of the town "
                f"centre's crime is {fmt.ratio(hi['lq'])} times its share of the district's "
                "(location quotient)."
            )
            facts += [fmt.ratio(hi["lq"])]  # its interval is in the table beside
            details.append(
                Table.rendered(
                    lq[[c for c in LQ_HEADERS if c in lq.columns]],
                    LQ_COLUMNS,
                    f"Table {label}: crime types in {tc.name} against the district, {ctx.current.label}",
                    headers=LQ_HEADERS,
                    note="Location quotient: the type's share of town-centre crime over its share "
                    "of district crime; above 1 = over-represented. Types with fewer than 10 "
                    "town-centre crimes are left out.",
                )
            )
    text.append(
        f"Across the district's {len(per_lsoa)} neighbourhoods (LSOAs), the 10% with most crime "
        f"had {fmt.share(top10)} of it; the Gini coefficient of concentration is {fmt.ratio(g)} "
        f"(generalised Gini {fmt.ratio(gg)}, which allows for places with no crime)."
    )
    facts += [fmt.share(top10)]
    tests.append(
        "Gini coefficient and generalised Gini of recorded crime over neighbourhoods (LSOAs), "
        "share of crime in the top 10% of neighbourhoods"
    )
    curve = lorenz_curve(per_lsoa["count"])
    details.insert(
        0,
        lorenz_chart(
            curve,
            title=f"The 10% of neighbourhoods with most crime had {fmt.share(top10)} of it",
            subtitle=f"Cumulative share of recorded crime by neighbourhood (LSOA), "
            f"{ctx.config.area.name}, {ctx.current.label}",
            gini=g,
            places="neighbourhoods",
        ),
    )
    concentration = pd.DataFrame(
        [
            *place_rows,
            _measure_row("Neighbourhoods (LSOAs)", len(per_lsoa), "count"),
            _measure_row(
                "Share of crime in the top 10% of neighbourhoods", top10, "proportion 0-1"
            ),
            _measure_row("Gini coefficient", g, "coefficient 0-1"),
            _measure_row("Generalised Gini", gg, "coefficient 0-1"),
        ]
    )
    details.append(
        Table.rendered(
            concentration,
            {
                "Measure": cell("measure"),
                "Value": lambda r: _UNIT_FORMATS[r["unit"]](r["value"]),
            },
            f"Table {label}b: how concentrated crime is, {ctx.current.label}",
            headers=CONCENTRATION_HEADERS,
        )
    )
    return Paragraph(
        label,
        "Where crime concentrates",
        tuple(text),
        tuple(details),
        facts=tuple(facts),
        public_text=(text[0],),
        coverage=coverage_frame(ctx.police_series(CRIME_TYPES), [ctx.current]),
        tests=tuple(tests),
    )


# ---------------------------------------------------------------------------- TC.5
#: readable headers (with units) of the survey table's numbers
SURVEY_HEADERS = {
    "measure": "Measure (code)",
    "label": "Measure",
    "year": "Year",
    "n": "Respondents (count)",
    "effective_n": "Effective sample size (Kish)",
    "n_positive": "Respondents giving the answer measured (count)",
    "proportion": "Weighted proportion (0-1)",
    "ci_low": "Proportion 95% confidence interval, lower (0-1)",
    "ci_high": "Proportion 95% confidence interval, upper (0-1)",
    "difference": "Change on the year before (difference of proportions, 0-1)",
    "difference_ci_low": "Change 95% confidence interval, lower (0-1)",
    "difference_ci_high": "Change 95% confidence interval, upper (0-1)",
    "p_value": HEADERS["p_value"],
}

SURVEY_COLUMNS = {
    "Measure": cell("label"),
    "Year": cell("year"),
    "Respondents": cell("n", fmt.count),
    "Per cent (95% CI)": lambda r: (
        f"{fmt.share(r['proportion'])} ({fmt.interval(r['ci_low'], r['ci_high'], fmt=fmt.share)})"
    ),
}

SURVEY_TESTS = (
    "weighted proportion with a Wilson score interval on the Kish effective sample size",
    "difference of weighted proportions: Newcombe hybrid score interval and pooled z test on "
    "the Kish effective sample sizes",
)


def survey_data(table: pd.DataFrame, change: pd.DataFrame, years: list[str]) -> pd.DataFrame:
    """Each measure in the two years as proportions 0-1 with their intervals; the later
    year's row carries the change on the earlier one (difference, interval, p-value)."""
    shown = table[table["year"].isin(years)]
    cols = [
        c
        for c in (
            "measure",
            "label",
            "year",
            "n",
            "effective_n",
            "n_positive",
            "proportion",
            "ci_low",
            "ci_high",
        )
        if c in shown.columns
    ]
    out = shown[cols].reset_index(drop=True)
    diff = change[["measure", "difference", "ci_low", "ci_high", "p_value"]].rename(
        columns={"ci_low": "difference_ci_low", "ci_high": "difference_ci_high"}
    )
    merged = out.merge(diff.assign(year=years[1]), on=["measure", "year"], how="left")
    for c in ("difference", "difference_ci_low", "difference_ci_high", "p_value"):
        merged[c] = merged[c].astype("float64")
    return merged


def survey_paragraph(ctx: Context, label: str, survey: str = "public") -> Paragraph | None:
    """What residents (or young people) said: each measure by year with its change."""
    df = ctx.inputs.survey
    measures = [m for m in ctx.config.surveys if m.survey == survey]
    if df is None or not measures:
        return None
    table = survey_measure_table(df, measures)
    if table.empty:
        return None
    years = [ctx.previous.label, ctx.current.label]
    change = survey_measure_change(table, *years)
    text, facts = [], []
    for m in measures:
        row = change[change["measure"] == m.id]
        if row.empty or math.isnan(row["difference"].iloc[0]):
            continue
        r = row.iloc[0]
        s = proportion_change_sentence(
            m.label,
            r["proportion_before"],
            r["proportion_after"],
            r["ci_low"],
            r["ci_high"],
            r["p_value"],
            baseline=years[0],
            current=years[1],
        )
        text.append(s.text)
        facts += list(s.facts)
    who = "residents" if survey == "public" else "young people"
    text.append(
        f"Weighted survey percentages; intervals allow for the weighting (Kish effective sample "
        f"size). Survey of {who}."
    )
    return Paragraph(
        label,
        "What residents say" if survey == "public" else "What young people say",
        tuple(text),
        (
            Table.rendered(
                survey_data(table, change, years),
                SURVEY_COLUMNS,
                f"Table {label}: {survey} community-safety survey, {years[0]} and {years[1]}",
                headers=SURVEY_HEADERS,
            ),
        ),
        facts=tuple(facts),
        public_text=tuple(
            t.split(", a statistically")[0].split("; the difference")[0] + "." for t in text[:-1]
        ),
        tests=SURVEY_TESTS,
    )


def town_centre(ctx: Context, priority_id: str = "TC") -> Section:
    """Section TC."""
    pr = ctx.config.priority(priority_id)
    status = evaluate_priority(ctx, priority_id)
    tc = ctx.config.town_centre
    paras = [status_paragraph(ctx, status, f"{pr.id}.1")]
    for p in (
        intervention_paragraph(ctx, f"{pr.id}.2"),
        concentration_paragraph(ctx, f"{pr.id}.3"),
    ):
        if p is not None:
            paras.append(p)
    if tc is not None:
        paras.append(
            trend_paragraph(
                ctx,
                f"{pr.id}.4",
                "Town-centre anti-social behaviour",
                ctx.police_series([ASB], area="town_centre"),
                noun="incidents",
                good="down",
                area_name=tc.name,
                intervention=tc.intervention.start if tc.intervention else None,
                intervention_label=tc.intervention.name if tc.intervention else None,
            )
        )
    sp = survey_paragraph(ctx, f"{pr.id}.5")
    if sp is not None:
        paras.append(sp)
    return Section(pr.id, pr.title, tuple(paras), status=status, overrides=ctx.inputs.overrides)
