"""Emerging concerns — section EC: the exceedance register, every category's change, and
long-term trends."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ...categories import ALL_CATEGORIES, ASB
from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table, cell
from ...present.charts import change_chart
from ...results.result import coverage_frame
from ...stats.change import change_table
from ...stats.exceedance import concerns_summary, emerging_concerns
from ...stats.periods import ReportingPeriod
from ...stats.trend import trend_table
from ..context import Context
from ..narrative import ChangeFacts, change_cell, month_label, trend_sentence
from ..section import Section
from .common import HEADERS, change_columns

__all__ = ["emerging_concerns_section", "register"]


def register(ctx: Context) -> pd.DataFrame:
    """Flagged series for the latest quarter of the reporting year: every category district-
    wide and in every neighbourhood (one false-discovery-rate control over all of them)."""
    district = ctx.police_series(ALL_CATEGORIES, by=["crime_type"]).assign(
        area=ctx.config.area.name
    )
    lsoa = ctx.police_series(ALL_CATEGORIES, by=["crime_type", "lsoa_name"]).rename(
        columns={"lsoa_name": "area"}
    )
    both = pd.concat([district, lsoa[district.columns]], ignore_index=True)
    reg = emerging_concerns(both, ["area", "crime_type"], end=ctx.current.end)
    return concerns_summary(reg, ["area", "crime_type"])


def _register_paragraph(ctx: Context, label: str) -> Paragraph:
    flagged = register(ctx)
    q_start = ctx.current.end - 2
    window = f"{month_label(q_start).split()[0]} to {month_label(ctx.current.end)}"
    n_series = len(ALL_CATEGORIES) * (1 + len(ctx.inputs.cube.lsoas))
    text = [
        f"We compared the latest quarter ({window}) of {fmt.count(n_series)} series (14 "
        f"categories, district-wide and in each of {len(ctx.inputs.cube.lsoas)} neighbourhoods) "
        "with the level expected from the three years before, allowing for trend, season and "
        "over-dispersion, and controlling the false discovery rate at 5%."
    ]
    facts: list[str] = []
    if flagged.empty:
        text.append("No series was above its expected range.")
    else:
        text.append(f"{fmt.count(len(flagged))} series were above their expected range:")
        for r in flagged.head(6).itertuples():
            where = "district-wide" if r.area == ctx.config.area.name else f"in {r.area}"
            o, e, t = fmt.count(r.observed), fmt.count(r.expected), fmt.count(r.threshold)
            text.append(
                f"- {r.crime_type} {where}: {o} against {e} expected (alert threshold {t})."
            )
            facts += [o, e, t]
    data = flagged[
        [
            "crime_type",
            "area",
            "observed",
            "expected",
            "threshold",
            "exceedance",
            "p_value",
            "q_value",
            "window_flag",
            "flagged_months",
        ]
    ].assign(
        flagged_months=lambda d: d["flagged_months"].map(
            lambda v: ", ".join(str(m) for m in v) if isinstance(v, list | tuple) else str(v or "")
        )
    )
    details = (
        (
            Table.rendered(
                data,
                {
                    "Category": cell("crime_type"),
                    "Where": cell("area"),
                    "Observed": cell("observed", fmt.count),
                    "Expected": cell("expected", fmt.count),
                    "Alert threshold": cell("threshold", fmt.count),
                    "Ratio to expected": cell("exceedance", lambda v: fmt.ratio(v, 1)),
                    "q-value": cell("q_value", fmt.q_value),
                    "Months flagged": cell("flagged_months"),
                },
                f"Table {label}: the emerging-concerns register, {window}",
                headers={
                    "crime_type": "Category",
                    "area": "Where",
                    "observed": "Observed in the latest quarter (count)",
                    "expected": "Expected in the latest quarter (count)",
                    "threshold": "Alert threshold (count, upper 95% prediction limit)",
                    "exceedance": "Ratio of observed to expected",
                    "p_value": "p-value (one-sided, of the latest quarter's total)",
                    "q_value": "q-value (Benjamini-Hochberg)",
                    "window_flag": "Latest quarter's total flagged",
                    "flagged_months": "Months flagged (each month tested on its own)",
                },
                note="Expected and threshold from a quasi-Poisson baseline with trend and season "
                "(Farrington-style, outliers down-weighted); q-value = Benjamini–Hochberg "
                "adjusted p-value across all series.",
            ),
        )
        if len(data)
        else ()
    )
    # the district-wide series: its baseline (up to three years) and the latest quarter
    quarter = ReportingPeriod(window, q_start, ctx.current.end)
    baseline = ReportingPeriod(
        "Baseline, the 36 months before the quarter", q_start - 36, q_start - 1
    )
    coverage = coverage_frame(ctx.police_series(ALL_CATEGORIES), [baseline, quarter])
    return Paragraph(
        label,
        f"The emerging-concerns register, {window}",
        tuple(text),
        details,
        facts=tuple(facts),
        public_text=tuple(t.removeprefix("- ") for t in text[1:4]),
        coverage=coverage,
        tests=(
            "Farrington-style quasi-Poisson baseline (trend, season, past outliers "
            "down-weighted) with negative binomial prediction limits",
            "Benjamini–Hochberg q-values across all series",
        ),
    )


def _change_paragraph(ctx: Context, label: str) -> Paragraph:
    series = ctx.police_series(ALL_CATEGORIES, by=["crime_type"])
    t = change_table(ctx.comparable(series), ["crime_type"], ctx.current, ctx.previous)
    sig = t[t["significant"]]
    ups = sig[sig["rate_ratio"] > 1]["crime_type"].tolist()
    downs = sig[sig["rate_ratio"] < 1]["crime_type"].tolist()
    text = [
        f"Comparing {ctx.current.label} with {ctx.previous.label} for all 14 categories, after "
        "controlling the false discovery rate: "
        + (f"rises in {', '.join(x.lower() for x in ups)}" if ups else "no significant rises")
        + "; "
        + (f"falls in {', '.join(x.lower() for x in downs)}" if downs else "no significant falls")
        + "."
    ]
    text.append(
        "Anti-social behaviour is an incident category, not a crime; it is shown for "
        "completeness and never added to crime totals."
    )
    data = pd.DataFrame(
        [
            {
                "crime_type": row["crime_type"],
                "count_previous": float(row["count_baseline"]),
                "count": float(row["count_current"]),
                "months_previous": int(row["months_baseline"]),
                "months_present": int(row["months_current"]),
                **change_columns(ChangeFacts.from_row(row)),
                "q_value": float(row["q_value"]),
            }
            for _, row in t.iterrows()
        ]
    )
    cur_m, prev_m, _ = ctx.matched_months()
    chart = change_chart(
        t[t["crime_type"] != ASB],
        title=(
            f"{len(ups)} crime types rose and {len(downs)} fell significantly in {ctx.current.label}"
        ),
        subtitle=f"Rate ratio {ctx.current.label} against {ctx.previous.label} with 95% intervals, "
        f"{ctx.config.area.name}",
    )
    return Paragraph(
        label,
        "Every category against last year",
        tuple(text),
        (
            chart,
            Table.rendered(
                data,
                {
                    "Category": cell("crime_type"),
                    ctx.previous.label: cell("count_previous", fmt.count),
                    ctx.current.label: cell("count", fmt.count),
                    "Change": _change_cell,
                    "Rate ratio (95% CI)": lambda r: (
                        f"{fmt.ratio(r['rate_ratio'])} ({fmt.interval(r['ci_low'], r['ci_high'])})"
                    ),
                    "q-value": cell("q_value", fmt.q_value),
                },
                f"Table {label}: recorded crime and ASB by category, "
                f"{ctx.previous.label} and {ctx.current.label}",
                headers={
                    **HEADERS,
                    "crime_type": "Category",
                    "count_previous": f"{ctx.previous.label} (count)",
                    "count": f"{ctx.current.label} (count)",
                    "months_previous": f"Months with data, {ctx.previous.label}",
                    "months_present": f"Months with data, {ctx.current.label}",
                    "q_value": "q-value (Benjamini-Hochberg)",
                },
                note="Exact conditional Poisson test; q-value = Benjamini–Hochberg.",
            ),
        ),
        coverage=coverage_frame(
            ctx.police_series(ALL_CATEGORIES),
            [ctx.previous, ctx.current],
            used={ctx.current.label: list(cur_m), ctx.previous.label: list(prev_m)},
        ),
        tests=(
            "exact conditional Poisson test of the rate ratio (R poisson.test), months with "
            "data as exposure",
            "Benjamini–Hochberg q-values across categories",
        ),
    )


def _change_cell(row: Mapping[str, Any]) -> str:
    return change_cell(
        ChangeFacts(
            row["count_previous"],
            row["count"],
            int(row["months_previous"]),
            int(row["months_present"]),
        )
    )


def _trend_paragraph(ctx: Context, label: str) -> Paragraph:
    series = ctx.police_series(ALL_CATEGORIES, by=["crime_type"])
    t = trend_table(series, ["crime_type"])
    sig = t[t["significant"]].sort_values("p_value")
    text, facts = [], []
    for r in sig.itertuples():
        s = trend_sentence(r.crime_type, r.slope * 12, r.p_value, start=r.start, end=r.end)
        text.append(s.text)
        facts += list(s.facts)
    if not text:
        text.append("No category shows a clear long-term trend once the seasons are allowed for.")
    text.append(
        "Seasonal Mann–Kendall test (Hirsch–Slack) with Sen's slope, false discovery "
        "rate controlled across categories."
    )
    data = pd.DataFrame(
        {
            "crime_type": t["crime_type"],
            "first_month": t["start"].astype(str),
            "last_month": t["end"].astype(str),
            "months_present": t["n"].astype("int64"),
            "months_missing": t["months_missing"].astype("int64"),
            "slope": t["slope"].astype("float64"),
            "slope_per_year": (t["slope"] * 12).astype("float64"),
            "tau": t["tau"].astype("float64"),
            "p_value": t["p_value"].astype("float64"),
            "q_value": t["q_value"].astype("float64"),
        }
    )
    return Paragraph(
        label,
        "Long-term trends",
        tuple(text),
        (
            Table.rendered(
                data,
                {
                    "Category": cell("crime_type"),
                    "Months": cell("months_present", fmt.count),
                    "Sen slope (per month, each year)": cell("slope_per_year", _slope_text),
                    "Kendall's tau": cell("tau", fmt.ratio),
                    "q-value": cell("q_value", fmt.q_value),
                },
                f"Table {label}: long-term trends by category, "
                f"{month_label(t['start'].iloc[0])} to {month_label(t['end'].iloc[0])}",
                headers={
                    "crime_type": "Category",
                    "first_month": "First month",
                    "last_month": "Last month",
                    "months_present": "Months with data",
                    "months_missing": "Months missing",
                    "slope": "Sen slope (change in the monthly count, per month)",
                    "slope_per_year": "Sen slope (change in the monthly count, per year)",
                    "tau": "Kendall's tau (seasonal)",
                    "p_value": "p-value (seasonal Mann-Kendall)",
                    "q_value": "q-value (Benjamini-Hochberg)",
                },
                note="Sen slope: how much the monthly count changes each year.",
            ),
        ),
        facts=tuple(facts),
        coverage=coverage_frame(ctx.police_series(ALL_CATEGORIES), ctx.years),
        tests=(
            "seasonal Mann–Kendall trend test (Hirsch–Slack) with Sen's slope",
            "Benjamini–Hochberg q-values across categories",
        ),
    )


def _slope_text(v: float) -> str:
    """A yearly Sen slope as shown: a signed whole number, or one decimal place below 0.5."""
    if abs(v) >= 0.5:
        return ("+" if v > 0 else "-" if v < 0 else "") + fmt.count(abs(v))
    return fmt.number(v, 1)


def emerging_concerns_section(ctx: Context) -> Section:
    """Section EC."""
    return Section(
        "EC",
        "Emerging concerns, trends and shifts",
        (
            _register_paragraph(ctx, "EC.1"),
            _change_paragraph(ctx, "EC.2"),
            _trend_paragraph(ctx, "EC.3"),
        ),
        intro=(
            "This section looks across every category and neighbourhood for what is new or "
            "changing, so that issues outside the current priorities are not missed.",
        ),
        overrides=ctx.inputs.overrides,
    )
