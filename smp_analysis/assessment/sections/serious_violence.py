"""Serious violence and organised crime (including modern slavery) — section SV."""

from __future__ import annotations

import math

import pandas as pd

from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table
from ...present.charts import rate_by_group_chart, trend_chart
from ...stats.change import rate_ratio_test
from ...stats.stop_search import stop_search_disproportionality
from ..context import Context
from ..indicators import evaluate_priority, partner_monthly, partner_rows, partner_total
from ..narrative import ChangeFacts, Sentence, change_cell, change_sentence
from ..section import Section
from .common import span_label, status_paragraph, trend_paragraph

__all__ = ["serious_violence", "stop_search_paragraph", "partner_year_table"]

VIOLENCE = "Violence and sexual offences"


def partner_year_table(
    ctx: Context, indicators: list[tuple[str, str]], *, caption: str
) -> tuple[Table, list[Sentence]]:
    """Partner counts per financial year for several indicators, with change sentences."""
    rows, sentences = [], []
    for ind, label in indicators:
        r = partner_rows(ctx, ind)
        if r.empty:
            continue
        row: dict[str, str] = {"Indicator": label}
        for y in ctx.years:
            t = partner_total(r, y)
            row[y.label] = fmt.count(t["value"]) if t["months"] else fmt.MISSING
        b, c = partner_total(r, ctx.previous), partner_total(r, ctx.current)
        if b["months"] and c["months"]:
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
            )
            noun = "referrals" if "referral" in ind else "offences"
            s = change_sentence(
                label, f, current=ctx.current.label, baseline=ctx.previous.label, noun=noun
            )
            sentences.append(s)
            row["Change"] = change_cell(f)
            row["Rate ratio (95% CI)"] = (
                f"{fmt.ratio(rr.rate_ratio)} ({fmt.interval(rr.ci_low, rr.ci_high)})"
            )
        rows.append(row)
    return Table(
        pd.DataFrame(rows), caption, note="Source: partner returns. [x] = not available."
    ), sentences


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
        ratio, ci = (
            fmt.ratio(b["rate_ratio"], 1),
            fmt.interval(b["ratio_ci_low"], b["ratio_ci_high"], 1),
        )
        text.append(
            f"In {ctx.current.label}, people who described themselves as Black were stopped and "
            f"searched at {ratio} times the rate of White people (95% CI {ci}), per resident of "
            "each group in the force area."
        )
        facts += [ratio, ci]
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
    shown = pd.DataFrame(
        {
            "Ethnic group": t["ethnic_group"],
            "Searches": t["searches"].map(fmt.count),
            "Share of searches": t["share"].map(fmt.share),
            "Residents": t["residents"].map(fmt.count),
            "Searches per 1,000 residents (95% CI)": [
                fmt.MISSING if math.isnan(r) else f"{fmt.number(r)} ({fmt.interval(lo, hi, 1)})"
                for r, lo, hi in zip(t["rate"], t["rate_ci_low"], t["rate_ci_high"], strict=True)
            ],
            "Ratio to White (95% CI)": [
                fmt.MISSING
                if math.isnan(r)
                else (
                    "1 (reference)"
                    if g == "White"
                    else f"{fmt.ratio(r, 1)} ({fmt.interval(lo, hi, 1)})"
                )
                for g, r, lo, hi in zip(
                    t["ethnic_group"],
                    t["rate_ratio"],
                    t["ratio_ci_low"],
                    t["ratio_ci_high"],
                    strict=True,
                )
            ],
        }
    )
    shown = pd.concat(
        [
            shown,
            pd.DataFrame(
                {
                    "Ethnic group": [
                        "Not stated or missing (together)",
                        "All searches",
                    ],
                    "Searches": [fmt.count(n_unknown), fmt.count(total)],
                    "Share of searches": [share_unknown, "100%"],
                    "Residents": [fmt.MISSING, fmt.count(pop["residents"].sum())],
                    "Searches per 1,000 residents (95% CI)": [fmt.MISSING] * 2,
                    "Ratio to White (95% CI)": [fmt.MISSING] * 2,
                }
            ),
        ],
        ignore_index=True,
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
            Table(
                shown,
                f"Table {label}: stop and search by self-defined ethnicity, force "
                f"area, {ctx.current.label}",
                note="Rates use exact Poisson intervals; "
                "ratios to the White group use exact conditional intervals. [x] = not "
                "available (no residents to compare with).",
            ),
        ),
        facts=tuple(facts),
        public_text=(text[0],) if text else (),
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
    table, sentences = partner_year_table(
        ctx,
        [("knife_crime", "Knife crime"), ("nrm_referrals", "Modern slavery referrals (NRM)")],
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
            )
        )
    ss = stop_search_paragraph(ctx, f"{pr.id}.6")
    if ss is not None:
        paras.append(ss)
    return Section(pr.id, pr.title, tuple(paras), status=status, overrides=ctx.inputs.overrides)
