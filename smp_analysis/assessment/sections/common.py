"""Building blocks shared by the section builders."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table
from ...present.charts import trend_chart
from ...stats.change import change_table, rate_ratio_test
from ...stats.periods import ReportingPeriod, period_totals
from ...stats.spc import XmrResult, variation, xmr
from ...stats.trend import seasonal_mann_kendall
from ..context import Context
from ..indicators import indicator_table
from ..narrative import (
    ChangeFacts,
    Sentence,
    change_cell,
    change_sentence,
    month_label,
    public_change_sentence,
    trend_sentence,
)
from ..status import PriorityStatus

__all__ = [
    "status_paragraph",
    "trend_paragraph",
    "year_table",
    "change_facts",
    "variation_sentence",
    "span_label",
    "lower_first",
]


def lower_first(text: str) -> str:
    """``"Robbery"`` → ``"robbery"`` (keeps acronyms such as "ASB" or "NRM")."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def span_label(first: object, last: object) -> str:
    """``"April 2021 to March 2025"``."""
    return f"{month_label(first)} to {month_label(last)}"


def status_paragraph(ctx: Context, status: PriorityStatus, label: str) -> Paragraph:
    """X.1: the priority's status and every indicator behind it."""
    lines = [
        f"The evidence gives this priority the status **{status.computed}**, using the rules "
        "set out under Data and methods (a change counts only when it is statistically "
        "significant)."
    ]
    if status.override and status.override != status.computed:
        lines.append(
            f"The partnership's analysts have set the status to **{status.override}**: "
            f"{status.rationale}"
        )
    lines += [r.sentence for r in status.indicators if r.sentence]
    facts = tuple(f for r in status.indicators for f in r.facts)
    public = [r.public_sentence for r in status.indicators if r.public_sentence]
    table = Table(
        indicator_table(status),
        f"Table {label}: evidence for the status of this priority, "
        f"{ctx.previous.label} and {ctx.current.label}",
        note="Change for counts: difference (per cent). Estimate: rate ratio (reporting year "
        "over the year before) or difference in percentage points, with its 95% confidence "
        "interval. Verdicts use p < 0.05. [x] = not available.",
    )
    return Paragraph(
        label,
        f"Status: {status.final}",
        tuple(lines),
        (table,),
        facts=facts,
        public_text=tuple(public),
    )


def change_facts(series: pd.DataFrame, ctx: Context) -> tuple[ChangeFacts, pd.Series]:
    """The reporting year against the year before, for one monthly series."""
    row = change_table(ctx.comparable(series), [], ctx.current, ctx.previous).iloc[0]
    facts = ChangeFacts.from_row(row)
    return replace(facts, months_compared=ctx.matched_months()[2]), row


def year_table(
    series: pd.DataFrame,
    years: Sequence[ReportingPeriod],
    *,
    caption: str,
    noun: str = "Offences",
) -> Table:
    """Totals per financial year, months of data, and the change on the year before with
    its exact rate-ratio test."""
    t = period_totals(series, list(years))
    rows = []
    prev = None
    for _, r in t.iterrows():
        change = test = fmt.MISSING
        if prev is not None and prev["months_present"] and r["months_present"]:
            change = change_cell(
                ChangeFacts(
                    prev["count"], r["count"], int(prev["months_present"]), int(r["months_present"])
                )
            )
            rr = rate_ratio_test(
                r["count"], r["months_present"], prev["count"], prev["months_present"]
            )
            test = (
                f"{fmt.ratio(rr.rate_ratio)} ({fmt.interval(rr.ci_low, rr.ci_high)}), "
                f"{fmt.p_value(rr.p_value)}"
            )
        rows.append(
            {
                "Year": r["period"],
                noun: fmt.count(r["count"]),
                "Months with data": f"{r['months_present']} of {r['months_expected']}",
                "Change on previous year": change,
                "Rate ratio (95% CI)": test,
            }
        )
        prev = r
    return Table(
        pd.DataFrame(rows),
        caption,
        note="Change and rate ratio compare counts per month of data (the same as comparing "
        "counts when both years are complete); exact conditional Poisson test. "
        "[x] = not available.",
    )


def variation_sentence(res: XmrResult, good: str) -> Sentence:
    """What the XmR chart says about the latest month (``res`` indexed by month)."""
    v = variation(res, good if good in ("up", "down") else "neutral")
    month = month_label(v.at)
    lo, hi = fmt.count(max(res.lcl, 0)), fmt.count(res.ucl)
    months = res.points.index
    span = span_label(months[0], months[-1])
    if v.status == "common_cause":
        text = (
            f"The latest month ({month}, {fmt.count(v.value)}) is within the usual range of "
            f"{lo} to {hi} a month (XmR limits over {span}): common-cause variation."
        )
    else:
        kind = {"improvement": "an improvement", "concern": "a concern", "neutral": "a change"}[
            v.status
        ]
        text = (
            f"The latest month ({month}, {fmt.count(v.value)}) shows special-cause variation "
            f"({v.special_cause_type}), {kind}; the usual range is {lo} to {hi} a month "
            f"(XmR limits over {span})."
        )
    return Sentence(text, (fmt.count(v.value),))


def trend_paragraph(
    ctx: Context,
    label: str,
    subject: str,
    series: pd.DataFrame,
    *,
    noun: str = "offences",
    good: str = "down",
    area_name: str | None = None,
    intervention: str | None = None,
    intervention_label: str | None = None,
    extra: Sequence[Sentence] = (),
) -> Paragraph:
    """A monthly series: change on the year before, SPC view of recent months, long trend."""
    series = series[series["month"] <= ctx.current.end].reset_index(drop=True)
    facts, _row = change_facts(series, ctx)
    kw = {"current": ctx.current.label, "baseline": ctx.previous.label, "noun": noun}
    s_change = change_sentence(subject, facts, **kw)
    res = xmr(
        pd.Series(series["count"].to_numpy(), index=pd.PeriodIndex(series["month"], freq="M"))
    )
    s_var = variation_sentence(res, good)
    smk = seasonal_mann_kendall(series["count"].to_numpy())
    first, last = series["month"].iloc[0], series["month"].iloc[-1]
    s_trend = trend_sentence(subject, smk.slope * 12, smk.p_value, start=first, end=last, noun=noun)
    where = area_name or ctx.config.area.name
    if facts.significant:
        head = f"{subject} {'rose' if facts.pct_change > 0 else 'fell'} by " + (
            f"{fmt.percent(facts.pct_change)} in {ctx.current.label}"
        )
    else:
        head = f"{subject} stayed within normal variation in {ctx.current.label}"
    chart = trend_chart(
        series[["month", "count"]],
        title=head,
        subtitle=f"{noun.capitalize()} recorded each month, {where}, {span_label(first, last)}",
        xmr=res,
        intervention=intervention,
        intervention_label=intervention_label,
        good_direction=good if good in ("up", "down") else None,
    )
    table = year_table(
        series,
        ctx.years,
        caption=f"Table {label}: {lower_first(subject)} by financial year, {where}",
        noun=noun.capitalize(),
    )
    if facts.months_compared:
        # the year-on-year statement compares matched months: show exactly those numbers
        matched = pd.DataFrame(
            [
                {
                    "Year": f"{ctx.previous.label} and {ctx.current.label}, "
                    f"{facts.months_compared} only",
                    noun.capitalize(): f"{fmt.count(facts.count_baseline)} and "
                    f"{fmt.count(facts.count_current)}",
                    "Months with data": f"{facts.months_current} in each",
                    "Change on previous year": change_cell(facts),
                    "Rate ratio (95% CI)": f"{fmt.ratio(facts.rate_ratio)} "
                    f"({fmt.interval(facts.ci_low, facts.ci_high)}), {fmt.p_value(facts.p_value)}",
                }
            ]
        )
        table = replace(table, frame=pd.concat([table.frame, matched], ignore_index=True))
    text = (s_change.text, *(s.text for s in extra), s_var.text, s_trend.text)
    title = head if not math.isnan(facts.rate_ratio) else subject
    return Paragraph(
        label,
        title,
        text,
        (chart, table),
        facts=(*s_change.facts, *(f for s in extra for f in s.facts)),
        public_text=(public_change_sentence(subject, facts, **kw).text,),
    )
