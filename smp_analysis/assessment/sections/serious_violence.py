"""Serious violence and organised crime (including modern slavery) — section SV.

Every table is computed first, as numbers (counts, rate ratios with their intervals,
p-values, rates per 1,000 residents, shares as proportions 0-1), and rendered from them,
so the download holds the numbers shown.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table, cell
from ...present.charts import rate_by_group_chart, trend_chart
from ...results.result import coverage_frame, empty_coverage
from ...stats.change import rate_ratio_test
from ...stats.periods import ReportingPeriod
from ...stats.stop_search import stop_search_disproportionality
from ..claims import yoy_claim
from ..context import Context
from ..indicators import (
    evaluate_priority,
    partner_matched,
    partner_monthly,
    partner_rows,
    partner_total,
)
from ..narrative import ChangeFacts, Sentence, change_cell, change_sentence
from ..section import Section
from .common import (
    HEADERS,
    change_columns,
    not_judged_sentence,
    span_label,
    status_paragraph,
    trend_paragraph,
)

__all__ = [
    "serious_violence",
    "stop_search_paragraph",
    "partner_year_table",
    "partner_year_data",
    "partner_coverage",
]

VIOLENCE = "Violence and sexual offences"

#: the test behind a partner count's change on the year before
PARTNER_TEST = (
    "exact conditional Poisson test of the rate ratio (R poisson.test), months with data "
    "as exposure"
)

#: the methods behind the stop and search table
STOP_SEARCH_TESTS = (
    "exact Poisson interval for each group's rate per 1,000 residents",
    "exact conditional interval for the ratio of two Poisson rates (R poisson.test, two "
    "samples), each group against the White group",
)

_CHANGE = ("difference", "pct_change", "rate_ratio", "ci_low", "ci_high", "p_value")


def _count_column(period: str) -> str:
    return f"count_{period}"


def _months_column(period: str) -> str:
    return f"months_{period}"


def partner_year_data(
    ctx: Context, indicators: list[tuple[str, str]]
) -> tuple[pd.DataFrame, list[Sentence]]:
    """Partner counts per financial year for several indicators as numbers (one row per
    indicator: ``count_<year>`` and ``months_<year>`` for every year, then the change of
    the reporting year on the year before with its exact rate-ratio test, ``pct_change`` in
    per cent), with the change sentences."""
    rows, sentences = [], []
    for ind, label in indicators:
        r = partner_rows(ctx, ind)
        if r.empty:
            continue
        row: dict[str, Any] = {"indicator": ind, "label": label}
        for y in ctx.years:
            t = partner_total(r, y)
            row[_count_column(y.label)] = float(t["value"]) if t["months"] else math.nan
            row[_months_column(y.label)] = int(t["months"])
        row.update(dict.fromkeys(_CHANGE, math.nan))
        # the change compares the calendar months with data in both years (claims policy)
        matched, span = partner_matched(r, ctx)
        b, c = partner_total(matched, ctx.previous), partner_total(matched, ctx.current)
        claim = yoy_claim(min(b["months"], c["months"]))
        if b["months"] and c["months"] and not claim:
            sentences.append(not_judged_sentence(ctx, label, claim, span))
        elif b["months"] and c["months"]:
            rr = rate_ratio_test(c["value"], c["months"], b["value"], b["months"])
            f = ChangeFacts(
                b["value"],
                c["value"],
                b["months"],
                c["months"],
                rr.rate_ratio,
                rr.ci_low,
                rr.ci_high,
                rr.p_value,
                rr.p_value < 0.05,
                months_compared=span,
            )
            noun = "referrals" if "referral" in ind else "offences"
            s = change_sentence(
                label, f, current=ctx.current.label, baseline=ctx.previous.label, noun=noun
            )
            sentences.append(s)
            row.update(change_columns(f))
        rows.append(row)
    data = pd.DataFrame(rows)
    for y in ctx.years:
        if _months_column(y.label) in data:
            data[_months_column(y.label)] = data[_months_column(y.label)].astype("int64")
    return data, sentences


def _partner_headers(ctx: Context) -> dict[str, str]:
    years = {}
    for y in ctx.years:
        years[_count_column(y.label)] = f"{y.label} (count)"
        years[_months_column(y.label)] = f"Months with data, {y.label}"
    return {
        "indicator": "Indicator (code)",
        "label": "Indicator",
        **years,
        **{k: HEADERS[k] for k in _CHANGE},
        "difference": f"Change, {ctx.current.label} on {ctx.previous.label} (count, or a month "
        "when months are missing)",
        "rate_ratio": f"Rate ratio, {ctx.current.label} over {ctx.previous.label}",
    }


def _partner_columns(ctx: Context) -> dict:
    prev, cur = ctx.previous.label, ctx.current.label

    def change(r: Mapping[str, Any]) -> str:
        if pd.isna(r["rate_ratio"]):
            return fmt.MISSING
        return change_cell(
            ChangeFacts(
                r[_count_column(prev)],
                r[_count_column(cur)],
                int(r[_months_column(prev)]),
                int(r[_months_column(cur)]),
            )
        )

    return {
        "Indicator": cell("label"),
        **{y.label: cell(_count_column(y.label), fmt.count) for y in ctx.years},
        "Change": change,
        "Rate ratio (95% CI)": lambda r: (
            fmt.MISSING
            if pd.isna(r["rate_ratio"])
            else f"{fmt.ratio(r['rate_ratio'])} ({fmt.interval(r['ci_low'], r['ci_high'])})"
        ),
    }


def partner_year_table(
    ctx: Context, indicators: list[tuple[str, str]], *, caption: str
) -> tuple[Table, list[Sentence]]:
    """Partner counts per financial year for several indicators, with change sentences
    (rendered from :func:`partner_year_data`)."""
    data, sentences = partner_year_data(ctx, indicators)
    table = Table.rendered(
        data,
        _partner_columns(ctx),
        caption,
        headers=_partner_headers(ctx),
        note="Source: partner returns. [x] = not available.",
    )
    return table, sentences


def partner_coverage(ctx: Context, indicators: list[tuple[str, str]]) -> pd.DataFrame:
    """Months expected, with data and used in each financial year, for each partner
    indicator (periods named ``"Knife crime: 2024/25"``). A month counts as used when a
    return inside the year covers it (as :func:`partner_total` sums)."""
    frames = []
    for ind, label in indicators:
        rows = partner_rows(ctx, ind)
        if rows.empty:
            continue
        covered = {
            m
            for a, b in zip(rows["period_start"], rows["period_end"], strict=True)
            for m in pd.period_range(a, b, freq="M")
        }
        series = pd.DataFrame({"month": pd.PeriodIndex(sorted(covered), freq="M"), "count": 1.0})
        periods, used = [], {}
        for y in ctx.years:
            p = ReportingPeriod(f"{label}: {y.label}", y.start, y.end, y.kind)
            inside = rows[(rows["period_start"] >= y.start) & (rows["period_end"] <= y.end)]
            used[p.label] = sorted(
                {
                    m
                    for a, b in zip(inside["period_start"], inside["period_end"], strict=True)
                    for m in pd.period_range(a, b, freq="M")
                }
            )
            periods.append(p)
        frames.append(coverage_frame(series, periods, used=used))
    return pd.concat(frames, ignore_index=True) if frames else empty_coverage()


#: readable headers (with units) of the stop and search table's numbers
STOP_SEARCH_HEADERS = {
    "ethnic_group": "Ethnic group (self-defined)",
    "basis": "Basis of ethnicity",
    "searches": "Searches (count)",
    "share": "Share of searches (proportion 0-1)",
    "residents": "Residents (count, Census)",
    "rate": "Searches per 1,000 residents",
    "rate_ci_low": "Rate 95% confidence interval, lower (per 1,000)",
    "rate_ci_high": "Rate 95% confidence interval, upper (per 1,000)",
    "rate_ratio": "Ratio of the rate to the White group's rate",
    "ratio_ci_low": "Ratio 95% confidence interval, lower",
    "ratio_ci_high": "Ratio 95% confidence interval, upper",
    "note": "Note",
}


def _rate_cell(r: Mapping[str, Any]) -> str:
    if pd.isna(r["rate"]):
        return fmt.MISSING
    return f"{fmt.number(r['rate'])} ({fmt.interval(r['rate_ci_low'], r['rate_ci_high'], 1)})"


def _ratio_cell(r: Mapping[str, Any]) -> str:
    if pd.isna(r["rate_ratio"]):
        return fmt.MISSING
    if r["ethnic_group"] == "White":
        return "1 (reference)"
    return (
        f"{fmt.ratio(r['rate_ratio'], 1)} "
        f"({fmt.interval(r['ratio_ci_low'], r['ratio_ci_high'], 1)})"
    )


STOP_SEARCH_COLUMNS = {
    "Ethnic group": cell("ethnic_group"),
    "Searches": cell("searches", fmt.count),
    "Share of searches": cell("share", fmt.share),
    "Residents": cell("residents", fmt.count),
    "Searches per 1,000 residents (95% CI)": _rate_cell,
    "Ratio to White (95% CI)": _ratio_cell,
}


def _search_coverage(ctx: Context, searches: pd.DataFrame) -> pd.DataFrame:
    """Months of the reporting year with stop-and-search records. The force files carry no
    separate list of months published, so a month with no search counts as without data."""
    per_month = searches.groupby("month", observed=True).size()
    months = ctx.current.months
    counts = pd.Series(per_month, dtype="float64").reindex(months)
    series = pd.DataFrame({"month": months, "count": counts.where(counts > 0).to_numpy()})
    return coverage_frame(series, [ctx.current])


def stop_search_paragraph(ctx: Context, label: str) -> Paragraph | None:
    """Stop and search by self-defined ethnicity: rates per 1,000 residents, ratio to White."""
    searches, pop = ctx.inputs.stop_search, ctx.inputs.ethnicity
    if searches is None or pop is None:
        return None
    cur = searches[
        (searches["month"] >= ctx.current.start) & (searches["month"] <= ctx.current.end)
    ]
    if cur.empty:
        return None
    t = stop_search_disproportionality(cur, pop)
    groups = t[t["residents"].notna()]
    unknown = t[t["residents"].isna()]
    black = groups[groups["ethnic_group"] == "Black"]
    total = int(t["searches"].sum())
    n_unknown = int(unknown["searches"].sum())
    text = []
    facts: list[str] = []
    if len(black) and not math.isnan(black["rate_ratio"].iloc[0]):
        b = black.iloc[0]
        ratio = fmt.ratio(b["rate_ratio"], 1)
        significant = b["ratio_ci_low"] > 1 or b["ratio_ci_high"] < 1
        text.append(
            f"In {ctx.current.label}, people who described themselves as Black were stopped and "
            f"searched at {ratio} times the rate of White people, per resident of each group in "
            "the force area"
            + (
                " — a statistically significant difference."
                if significant
                else " (within what chance would give)."
            )
        )
        facts += [ratio]  # its 95% interval is in the table beside
    share_unknown = fmt.share(n_unknown / total) if total else fmt.MISSING
    text.append(
        f"Of {fmt.count(total)} searches, {fmt.count(n_unknown)} ({share_unknown}) had no "
        "self-defined ethnicity; they are shown in the table and are not included in any rate, "
        "so every group's rate is an under-estimate."
    )
    facts += [fmt.count(total), fmt.count(n_unknown)]
    text.append(
        "Stop-and-search data are published for the whole police force area, so these rates "
        "describe the force, not only this district. Residents are counted from the Census; "
        "where that is the 2011 Census the rates are dated."
    )
    summary = pd.DataFrame(
        {
            "ethnic_group": ["Not stated or missing (together)", "All searches"],
            "basis": t["basis"].iloc[0] if len(t) else "self-defined",
            "searches": [n_unknown, total],
            "share": [n_unknown / total, 1.0],  # total > 0: no searches returned above
            "residents": [math.nan, float(pop["residents"].sum())],
            "note": ["", ""],
        }
    )
    data = pd.concat([t[[c for c in STOP_SEARCH_HEADERS if c in t.columns]], summary])
    data = data.reset_index(drop=True).astype(
        {c: "float64" for c in STOP_SEARCH_HEADERS if c not in ("ethnic_group", "basis", "note")}
        | {"searches": "int64"}
    )
    chart = rate_by_group_chart(
        groups.rename(columns={"ethnic_group": "group"}),
        title=(
            f"Black residents were searched at {fmt.ratio(black['rate_ratio'].iloc[0], 1)} times "
            "the rate of White residents"
            if len(black)
            else "Stop and search rates by ethnic group"
        ),
        subtitle=f"Searches per 1,000 residents of each group, force area, {ctx.current.label}",
        group="group",
        estimate="rate",
        ci_low="rate_ci_low",
        ci_high="rate_ci_high",
        value_label="Searches per 1,000 residents",
        kind="dot",
    )
    return Paragraph(
        label,
        "Stop and search: who is searched",
        tuple(text),
        (
            chart,
            Table.rendered(
                data,
                STOP_SEARCH_COLUMNS,
                f"Table {label}: stop and search by self-defined ethnicity, force "
                f"area, {ctx.current.label}",
                headers=STOP_SEARCH_HEADERS,
                note="Rates use exact Poisson intervals; "
                "ratios to the White group use exact conditional intervals. [x] = not "
                "available (no residents to compare with).",
            ),
        ),
        facts=tuple(facts),
        public_text=(text[0],) if text else (),
        coverage=_search_coverage(ctx, cur),
        tests=STOP_SEARCH_TESTS,
    )


def serious_violence(ctx: Context, priority_id: str = "SV") -> Section:
    """Section SV: status, violence trend, robbery and weapons, knife crime and modern
    slavery, stop and search."""
    pr = ctx.config.priority(priority_id)
    status = evaluate_priority(ctx, priority_id)
    paras = [status_paragraph(ctx, status, f"{pr.id}.1")]
    paras.append(
        trend_paragraph(ctx, f"{pr.id}.2", VIOLENCE, ctx.police_series([VIOLENCE]), good="down")
    )
    paras.append(
        trend_paragraph(ctx, f"{pr.id}.3", "Robbery", ctx.police_series(["Robbery"]), good="down")
    )
    paras.append(
        trend_paragraph(
            ctx,
            f"{pr.id}.4",
            "Possession of weapons offences",
            ctx.police_series(["Possession of weapons"]),
            good="neutral",
        )
    )
    partner_indicators = [
        ("knife_crime", "Knife crime"),
        ("nrm_referrals", "Modern slavery referrals (NRM)"),
    ]
    table, sentences = partner_year_table(
        ctx,
        partner_indicators,
        caption=f"Table {pr.id}.5: knife crime and modern slavery referrals by financial year",
    )
    if sentences:
        knife = partner_monthly(partner_rows(ctx, "knife_crime"))
        details: list = [table]
        if len(knife):
            knife = knife[knife["month"] <= ctx.current.end]
            details.insert(
                0,
                trend_chart(
                    knife,
                    title="Knife crime month by month",
                    subtitle=f"Offences involving a knife or sharp instrument, {ctx.config.area.name}, "
                    f"{span_label(knife['month'].iloc[0], knife['month'].iloc[-1])}",
                    reporting_year=ctx.current,
                ),
            )
        paras.append(
            Paragraph(
                f"{pr.id}.5",
                "Knife crime and modern slavery",
                (
                    *(s.text for s in sentences),
                    "More modern-slavery referrals can mean better identification of victims as "
                    "well as more exploitation, so this indicator is reported for context.",
                ),
                tuple(details),
                facts=tuple(f for s in sentences for f in s.facts),
                public_text=tuple(s.text.split(" (")[0] + "." for s in sentences),
                coverage=partner_coverage(ctx, partner_indicators),
                tests=(PARTNER_TEST,),
            )
        )
    ss = stop_search_paragraph(ctx, f"{pr.id}.6")
    if ss is not None:
        paras.append(ss)
    return Section(pr.id, pr.title, tuple(paras), status=status, overrides=ctx.inputs.overrides)
