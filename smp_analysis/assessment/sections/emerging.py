"""Emerging concerns — section EC: the exceedance register, every category's change, and
long-term trends."""

from __future__ import annotations

import pandas as pd

from ...categories import ALL_CATEGORIES, ASB
from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table
from ...present.charts import change_chart
from ...stats.change import change_table
from ...stats.exceedance import concerns_summary, emerging_concerns
from ...stats.trend import trend_table
from ..context import Context
from ..narrative import ChangeFacts, change_cell, month_label, trend_sentence
from ..section import Section

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
    shown = pd.DataFrame(
        {
            "Category": flagged["crime_type"],
            "Where": flagged["area"],
            "Observed": flagged["observed"].map(fmt.count),
            "Expected": flagged["expected"].map(fmt.count),
            "Alert threshold": flagged["threshold"].map(fmt.count),
            "Ratio to expected": flagged["exceedance"].map(lambda v: fmt.ratio(v, 1)),
            "q-value": flagged["q_value"].map(fmt.q_value),
            "Months flagged": flagged["flagged_months"].map(
                lambda v: (
                    ", ".join(str(m) for m in v) if isinstance(v, list | tuple) else str(v or "")
                )
            ),
        }
    )
    details = (
        (
            Table(
                shown,
                f"Table {label}: the emerging-concerns register, {window}",
                note="Expected and threshold from a quasi-Poisson baseline with trend and season "
                "(Farrington-style, outliers down-weighted); q-value = Benjamini–Hochberg "
                "adjusted p-value across all series.",
            ),
        )
        if len(shown)
        else ()
    )
    return Paragraph(
        label,
        f"The emerging-concerns register, {window}",
        tuple(text),
        details,
        facts=tuple(facts),
        public_text=tuple(t.removeprefix("- ") for t in text[1:4]),
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
    shown = pd.DataFrame(
        {
            "Category": t["crime_type"],
            ctx.previous.label: t["count_baseline"].map(fmt.count),
            ctx.current.label: t["count_current"].map(fmt.count),
            "Change": [change_cell(ChangeFacts.from_row(row)) for _, row in t.iterrows()],
            "Rate ratio (95% CI)": [
                f"{fmt.ratio(r)} ({fmt.interval(lo, hi)})"
                for r, lo, hi in zip(t["rate_ratio"], t["ci_low"], t["ci_high"], strict=True)
            ],
            "q-value": t["q_value"].map(fmt.q_value),
        }
    )
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
            Table(
                shown,
                f"Table {label}: recorded crime and ASB by category, "
                f"{ctx.previous.label} and {ctx.current.label}",
                note="Exact conditional Poisson test; q-value = Benjamini–Hochberg.",
            ),
        ),
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
    shown = pd.DataFrame(
        {
            "Category": t["crime_type"],
            "Months": t["n"].map(fmt.count),
            "Sen slope (per month, each year)": [
                ("+" if v > 0 else "-" if v < 0 else "") + fmt.count(abs(v))
                if abs(v) >= 0.5
                else fmt.number(v, 1)
                for v in t["slope"] * 12
            ],
            "Kendall's tau": t["tau"].map(lambda v: fmt.ratio(v)),
            "q-value": t["q_value"].map(fmt.q_value),
        }
    )
    return Paragraph(
        label,
        "Long-term trends",
        tuple(text),
        (
            Table(
                shown,
                f"Table {label}: long-term trends by category, "
                f"{month_label(t['start'].iloc[0])} to {month_label(t['end'].iloc[0])}",
                note="Sen slope: how much the monthly count changes each year.",
            ),
        ),
        facts=tuple(facts),
    )


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
