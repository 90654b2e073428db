"""Building blocks shared by the section builders."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from ...errors import InputError
from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table, cell
from ...present.charts import trend_chart
from ...results.result import coverage_frame
from ...stats.change import change_table, rate_ratio_test
from ...stats.periods import ReportingPeriod, period_totals
from ...stats.spc import XmrResult, variation, xmr
from ...stats.trend import seasonal_mann_kendall
from ..claims import MIN_MATCHED_MONTHS, Claim, seasonal_trend_claim, xmr_claim, yoy_claim
from ..context import Context
from ..indicators import INDICATOR_HEADERS, indicator_columns, indicator_data
from ..narrative import (
    ChangeFacts,
    Sentence,
    change_cell,
    change_sentence,
    month_label,
    plural,
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
    table = Table.rendered(
        indicator_data(status),
        indicator_columns(status),
        f"Table {label}: evidence for the status of this priority, "
        f"{ctx.previous.label} and {ctx.current.label}",
        note="Change for counts: difference (per cent). Estimate: rate ratio (reporting year "
        "over the year before) or difference in percentage points, with its 95% confidence "
        "interval. Verdicts use p < 0.05, or the expected range where one is set. "
        "[x] = not available.",
        headers=INDICATOR_HEADERS,
    )
    return Paragraph(
        label,
        f"Status: {status.final}",
        tuple(lines),
        (table,),
        facts=facts,
        public_text=tuple(public),
        tests=tuple(dict.fromkeys(r.method for r in status.indicators if r.method)),
    )


def change_facts(series: pd.DataFrame, ctx: Context) -> tuple[ChangeFacts, pd.Series]:
    """The reporting year against the year before, for one monthly series."""
    row = change_table(ctx.comparable(series), [], ctx.current, ctx.previous).iloc[0]
    facts = ChangeFacts.from_row(row)
    return replace(facts, months_compared=ctx.matched_months(series)[2]), row


#: readable headers (with units) of the numeric columns the section tables share
HEADERS = {
    "period": "Year",
    "count": "Count",
    "months_present": "Months with data",
    "months_expected": "Months expected",
    "count_previous": "Count, year before",
    "months_previous": "Months with data, year before",
    "difference": "Change (count, or a month when months are missing)",
    "pct_change": "Change (%)",
    "rate_ratio": "Rate ratio",
    "ci_low": "95% confidence interval, lower",
    "ci_high": "95% confidence interval, upper",
    "p_value": "p-value",
    "compared_months": "Months compared",
}


def _change_facts_of(row: Mapping[str, Any]) -> ChangeFacts:
    return ChangeFacts(
        row["count_previous"], row["count"], int(row["months_previous"]), int(row["months_present"])
    )


def change_columns(facts: ChangeFacts) -> dict[str, float]:
    """The numbers of a change, for a table's data: difference, % change, rate ratio,
    interval and p-value (per month when a year has missing months); all missing when a
    year has no months with data."""
    if not (facts.months_baseline and facts.months_current):
        return dict.fromkeys(
            ("difference", "pct_change", "rate_ratio", "ci_low", "ci_high", "p_value"), math.nan
        )
    return {
        "difference": facts.difference,
        "pct_change": facts.pct_change * 100,
        "rate_ratio": facts.rate_ratio,
        "ci_low": facts.ci_low,
        "ci_high": facts.ci_high,
        "p_value": facts.p_value,
    }


def _test_cell(row: Mapping[str, Any]) -> str:
    if pd.isna(row["rate_ratio"]):
        return fmt.MISSING
    return (
        f"{fmt.ratio(row['rate_ratio'])} ({fmt.interval(row['ci_low'], row['ci_high'])}), "
        f"{fmt.p_value(row['p_value'])}"
    )


def year_data(series: pd.DataFrame, years: Sequence[ReportingPeriod]) -> pd.DataFrame:
    """Totals per financial year, months of data, and the change on the year before with
    its exact rate-ratio test, as numbers (one row per year)."""
    t = period_totals(series, list(years))
    rows = []
    prev = None
    for _, r in t.iterrows():
        row: dict[str, Any] = {
            "period": r["period"],
            "count": float(r["count"]),
            "months_present": int(r["months_present"]),
            "months_expected": int(r["months_expected"]),
            "count_previous": math.nan,
            "months_previous": 0,
            **dict.fromkeys(
                ("difference", "pct_change", "rate_ratio", "ci_low", "ci_high", "p_value"),
                math.nan,
            ),
        }
        if prev is not None and prev["months_present"] and r["months_present"]:
            rr = rate_ratio_test(
                r["count"], r["months_present"], prev["count"], prev["months_present"]
            )
            facts = ChangeFacts(
                prev["count"],
                r["count"],
                int(prev["months_present"]),
                int(r["months_present"]),
                rr.rate_ratio,
                rr.ci_low,
                rr.ci_high,
                rr.p_value,
            )
            row.update(
                count_previous=float(prev["count"]),
                months_previous=int(prev["months_present"]),
                **change_columns(facts),
            )
        rows.append(row)
        prev = r
    return pd.DataFrame(rows)


def year_table(
    series: pd.DataFrame,
    years: Sequence[ReportingPeriod],
    *,
    caption: str,
    noun: str = "Offences",
) -> Table:
    """Totals per financial year, months of data, and the change on the year before with
    its exact rate-ratio test."""
    return _render_years(year_data(series, years), caption=caption, noun=noun)


def _render_years(data: pd.DataFrame, *, caption: str, noun: str, extra_note: str = "") -> Table:
    return Table.rendered(
        data,
        {
            "Year": cell("period"),
            noun: lambda r: (
                f"{fmt.count(r['count_previous'])} and {fmt.count(r['count'])}"
                if r.get("compared_months")
                else fmt.count(r["count"])
            ),
            "Months with data": lambda r: (
                f"{r['months_present']} in each"
                if r.get("compared_months")
                else f"{r['months_present']} of {r['months_expected']}"
            ),
            "Change on previous year": lambda r: (
                change_cell(_change_facts_of(r))
                if r["months_previous"] and r["months_present"] and not pd.isna(r["count"])
                else fmt.MISSING
            ),
            "Rate ratio (95% CI)": _test_cell,
        },
        caption,
        headers={**HEADERS, "count": f"{noun} (count)"},
        note="Change and rate ratio compare counts per month of data (the same as comparing "
        "counts when both years are complete); exact conditional Poisson test. "
        "[x] = not available." + (f" {extra_note}" if extra_note else ""),
    )


def judged_change_sentence(
    ctx: Context,
    subject: str,
    facts: ChangeFacts,
    *,
    noun: str = "offences",
    series: pd.DataFrame | None = None,
) -> Sentence:
    """The change on the year before in words — or, when too few calendar months have data
    in both years (the claims policy), why it is not judged. ``series`` gives the months
    with data when they are not the police.uk cube's (a partner return)."""
    cur_m, _, _ = ctx.matched_months(series)
    yoy = yoy_claim(len(cur_m))
    if yoy:
        return change_sentence(
            subject, facts, current=ctx.current.label, baseline=ctx.previous.label, noun=noun
        )
    which = facts.months_compared if len(cur_m) else ""
    return not_judged_sentence(ctx, subject, yoy, which)


def not_judged_sentence(ctx: Context, subject: str, claim: Claim, months: str = "") -> Sentence:
    """Why a change on the year before is not judged (the claims policy): ``claim`` is the
    failed :func:`~smp_analysis.assessment.claims.yoy_claim`, ``months`` the matched
    months in words."""
    which = f" ({months})" if months else ""
    return Sentence(
        f"{subject}: the change on {ctx.previous.label} is not judged, because "
        f"{claim.reason.removeprefix('only ')}{which} of the two years have data in both "
        f"(a judgement needs at least {MIN_MATCHED_MONTHS}).",
        (),
    )


#: the Making Data Count rule behind a special-cause point, in plain words
_RULE_WORDS = {
    "Above UCL": "above the upper control limit",
    "Below LCL": "below the lower control limit",
    "7 Points Above CL": "one of 7 or more months in a row above the average",
    "7 Points Below CL": "one of 7 or more months in a row below the average",
    "7 Point Trend (Increasing)": "part of a run of 7 months each higher than the last",
    "7 Point Trend (Decreasing)": "part of a run of 7 months each lower than the last",
}


def _rule_words(rule: str | None) -> str:
    """``"Above UCL"`` → ``"above the upper control limit"`` (two-in-three and unknown rules
    are described generally)."""
    if rule in _RULE_WORDS:
        return _RULE_WORDS[rule]
    return "2 of 3 months close to a control limit" if rule else "an unusual pattern"


def variation_sentence(res: XmrResult, good: str, noun: str = "offences") -> Sentence:
    """What the XmR chart says about the latest month (``res`` indexed by month), with the
    counted ``noun`` on every number."""
    v = variation(res, good if good in ("up", "down") else "neutral")
    month = month_label(v.at)
    lo, hi = fmt.count(max(res.lcl, 0)), fmt.count(res.ucl)
    months = res.points.index
    span = span_label(months[0], months[-1])
    value = f"{fmt.count(v.value)} {plural(noun, v.value)}"
    if v.status == "common_cause":
        text = (
            f"The latest month ({month}: {value}) is within the usual range of "
            f"{lo} to {hi} {noun} a month (XmR limits over {span}): common-cause variation."
        )
    else:
        kind = {"improvement": "an improvement", "concern": "a concern", "neutral": "a change"}[
            v.status
        ]
        text = (
            f"The latest month ({month}: {value}) shows special-cause variation "
            f"({_rule_words(v.special_cause_type)}), {kind}; the usual range is {lo} to {hi} "
            f"{noun} a month (XmR limits over {span})."
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
    has = series["count"].notna()
    if not has.any():
        raise InputError(
            f"{subject}: no month up to {month_label(ctx.current.end)} has data",
            fix="check the data files cover the reporting year (see DM.1)",
        )
    # the series from its first to its last month with data: nothing is said about months
    # before the data start or after they end
    idx = has[has].index
    series = series.loc[idx[0] : idx[-1]].reset_index(drop=True)
    with_data = list(series.loc[series["count"].notna(), "month"])
    first, last = series["month"].iloc[0], series["month"].iloc[-1]
    facts, _row = change_facts(series, ctx)
    kw = {"current": ctx.current.label, "baseline": ctx.previous.label, "noun": noun}
    cur_m, prev_m, _ = ctx.matched_months(series)
    yoy = yoy_claim(len(cur_m))
    s_change = judged_change_sentence(ctx, subject, facts, noun=noun, series=series)
    res = None
    if xmr_claim(len(with_data)):
        res = xmr(
            pd.Series(series["count"].to_numpy(), index=pd.PeriodIndex(series["month"], freq="M"))
        )
        s_var = variation_sentence(res, good, noun)
    else:
        s_var = Sentence(f"No control limits are shown: {xmr_claim(len(with_data)).reason}.", ())
    used = f" ({len(with_data)} months with data)" if len(with_data) < len(series) else ""
    season = seasonal_trend_claim(with_data)
    if season:
        smk = seasonal_mann_kendall(series["count"].to_numpy())
        s_trend = trend_sentence(
            subject, smk.slope * 12, smk.p_value, start=first, end=last, noun=noun
        )
        trend_note = (
            f"Seasonal Mann–Kendall trend test, {span_label(first, last)}: "
            f"{fmt.p_value(smk.p_value)}; Sen's slope {fmt.number(smk.slope * 12, 1)} {noun} "
            "a month each year."
        )
        if used:
            s_trend = Sentence(s_trend.text.rstrip(".") + f"{used}.", s_trend.facts)
        tests = TREND_TESTS
    else:
        s_trend = Sentence(
            f"No trend test is reported for {span_label(first, last)}: {season.reason}.", ()
        )
        trend_note = ""
        tests = TREND_TESTS[:2]
    if not res:
        tests = tuple(t for t in tests if not t.startswith("XmR"))
    where = area_name or ctx.config.area.name
    if yoy and facts.significant and fmt.percent(facts.pct_change) != "0%":
        head = f"{subject} {'rose' if facts.pct_change > 0 else 'fell'} by " + (
            f"{fmt.percent(facts.pct_change)} in {ctx.current.label}"
        )
    elif yoy and facts.significant:
        head = f"{subject} changed by less than 1% in {ctx.current.label}"
    elif yoy:
        head = f"{subject} stayed within normal variation in {ctx.current.label}"
    else:
        head = f"{subject}: too few months of {ctx.current.label} to compare with the year before"
    chart = trend_chart(
        series[["month", "count"]],
        title=head,
        subtitle=f"{noun.capitalize()} recorded each month, {where}, {span_label(first, last)}",
        xmr=res,
        intervention=intervention,
        intervention_label=intervention_label,
        good_direction=good if good in ("up", "down") else None,
        reporting_year=ctx.current,
    )
    data = year_data(series, ctx.years).assign(compared_months="")
    if facts.months_compared and len(cur_m):
        # the year-on-year statement compares matched months: show exactly those numbers
        matched = {
            "period": f"{ctx.previous.label} and {ctx.current.label}, {facts.months_compared} only",
            "count": facts.count_current,
            "months_present": facts.months_current,
            "months_expected": 12,
            "count_previous": facts.count_baseline,
            "months_previous": facts.months_baseline,
            **change_columns(facts),
            "compared_months": facts.months_compared,
        }
        data = pd.concat([data, pd.DataFrame([matched])], ignore_index=True)
    table = _render_years(
        data,
        caption=f"Table {label}: {lower_first(subject)} by financial year, {where}",
        noun=noun.capitalize(),
        extra_note=trend_note,
    )
    text = (s_change.text, *(s.text for s in extra), s_var.text, s_trend.text)
    title = head if not math.isnan(facts.rate_ratio) or not yoy else subject
    coverage = coverage_frame(
        series,
        ctx.years,
        used={ctx.current.label: list(cur_m), ctx.previous.label: list(prev_m)},
    )
    return Paragraph(
        label,
        title,
        text,
        (chart, table),
        facts=(*s_change.facts, *(f for s in extra for f in s.facts)),
        public_text=(
            public_change_sentence(subject, facts, **kw).text
            if yoy
            else f"We cannot yet say whether {lower_first(subject)} went up or down in "
            f"{ctx.current.label}: police data cover only {len(cur_m)} of the same months in "
            "both years.",
        ),
        coverage=coverage,
        tests=tests,
    )


#: the methods behind a trend paragraph
TREND_TESTS = (
    "exact conditional Poisson test of the rate ratio (R poisson.test), months with data "
    "as exposure",
    "XmR chart limits, mean ± 2.66 × mean moving range, Making Data Count rules",
    "seasonal Mann–Kendall trend test with Sen's slope",
)
