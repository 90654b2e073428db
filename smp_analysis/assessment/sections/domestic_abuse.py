"""Domestic abuse (including stalking) — section DA.

Partner returns give domestic-abuse-flagged crimes by sub-type (docs/data-formats.md §3);
police.uk gives all crime and violence, the denominators of the shares.
"""

from __future__ import annotations

import math

import pandas as pd
from statsmodels.stats.multitest import multipletests

from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table
from ...present.charts import share_chart
from ...stats.disproportionality import differential_change
from ...stats.periods import period_totals
from ...stats.proportions import proportion_ci
from ..context import Context
from ..indicators import evaluate_priority, partner_monthly, partner_rows, partner_total
from ..narrative import differential_sentence, share_sentence
from ..section import Section
from .common import status_paragraph, trend_paragraph

__all__ = ["domestic_abuse", "VIOLENT_SUB_TYPES", "SUB_TYPE_LABELS"]

#: DA sub-types that police.uk counts under "Violence and sexual offences".
VIOLENT_SUB_TYPES = (
    "coercive_control",
    "stalking_harassment",
    "violence_with_injury",
    "violence_without_injury",
    "sexual_offences",
)
SUB_TYPE_LABELS = {
    "coercive_control": "Controlling or coercive behaviour",
    "stalking_harassment": "Stalking and harassment",
    "violence_with_injury": "Violence with injury",
    "violence_without_injury": "Violence without injury",
    "sexual_offences": "Sexual offences",
    "criminal_damage": "Criminal damage",
    "other": "Other",
}
INDICATOR = "da_flagged_crimes"


def _label(sub: str) -> str:
    return SUB_TYPE_LABELS.get(sub, sub.replace("_", " ").capitalize())


def _share_paragraph(ctx: Context, label: str) -> Paragraph | None:
    rows = partner_rows(ctx, INDICATOR)
    if rows.empty:
        return None
    all_crime = period_totals(ctx.police_series(), ctx.years)
    violence = period_totals(ctx.police_series(["Violence and sexual offences"]), ctx.years)
    violent_rows = rows[rows["sub_type"].isin(VIOLENT_SUB_TYPES)]
    records = []
    for y, a, v in zip(ctx.years, all_crime.itertuples(), violence.itertuples(), strict=True):
        da, dav = partner_total(rows, y), partner_total(violent_rows, y)
        for what, part, whole, months_ok in (
            ("all crime", da["value"], a.count, da["months"] == 12 and a.complete),
            (
                "violence and sexual offences",
                dav["value"],
                v.count,
                dav["months"] == 12 and v.complete,
            ),
        ):
            if not months_ok or math.isnan(part) or not whole:
                continue
            ci = proportion_ci(part, whole)
            records.append(
                {
                    "period": y.label,
                    "group": f"Share of {what}",
                    "part": part,
                    "whole": whole,
                    "share": ci.proportion,
                    "ci_low": ci.ci_low,
                    "ci_high": ci.ci_high,
                }
            )
    if not records:
        return None
    t = pd.DataFrame(records)
    cur = t[t["period"] == ctx.current.label].set_index("group")
    sentences = []
    for what in ("all crime", "violence and sexual offences"):
        key = f"Share of {what}"
        if key in cur.index:
            r = cur.loc[key]
            sentences.append(
                share_sentence(
                    "Domestic abuse-flagged crimes"
                    if what == "all crime"
                    else "Domestic abuse-flagged violence and sexual offences",
                    what,
                    r["share"],
                    r["ci_low"],
                    r["ci_high"],
                    period=ctx.current.label,
                    count_part=r["part"],
                    count_whole=r["whole"],
                )
            )
    shown = pd.DataFrame(
        {
            "Year": t["period"],
            "Measure": t["group"],
            "Domestic abuse-flagged": t["part"].map(fmt.count),
            "Total recorded": t["whole"].map(fmt.count),
            "Share (95% CI)": [
                f"{fmt.share(s)} ({fmt.interval(lo, hi, fmt=fmt.share)})"
                for s, lo, hi in zip(t["share"], t["ci_low"], t["ci_high"], strict=True)
            ],
        }
    )
    head = sentences[0].text.split(" (")[0] if sentences else "Domestic abuse's share of crime"
    chart = share_chart(
        t.rename(columns={"share": "estimate"}),
        title=head.replace(" made up", " made up"),
        subtitle=f"Domestic abuse-flagged crimes as a share of police-recorded crime, "
        f"{ctx.config.area.name}, by financial year",
        period="period",
        estimate="estimate",
        ci_low="ci_low",
        ci_high="ci_high",
        group="group",
    )
    return Paragraph(
        label,
        "How much crime is domestic abuse",
        (
            *(s.text for s in sentences),
            "Only complete years are shown. Shares use Wilson 95% intervals; police.uk groups "
            "violence and sexual offences together, so the violence share includes sexual "
            "offences.",
        ),
        (chart, Table(shown, f"Table {label}: domestic abuse as a share of recorded crime")),
        facts=tuple(f for s in sentences for f in s.facts),
        public_text=tuple(s.text.split(" (")[0] + "." for s in sentences),
    )


def _differential_paragraph(ctx: Context, label: str, focus: str | None) -> Paragraph | None:
    rows = partner_rows(ctx, INDICATOR)
    if rows.empty or rows["sub_type"].isna().all():
        return None
    subs = [s for s in dict.fromkeys(rows["sub_type"].dropna()) if s]
    b_all, a_all = partner_total(rows, ctx.previous), partner_total(rows, ctx.current)
    if not (b_all["months"] and a_all["months"]):
        return None
    results = {}
    for sub in subs:
        r = rows[rows["sub_type"] == sub]
        b, a = partner_total(r, ctx.previous)["value"], partner_total(r, ctx.current)["value"]
        results[sub] = differential_change(b, b_all["value"], a, a_all["value"])
    q = multipletests([d.p_value for d in results.values()], method="fdr_bh")[1]
    shown = pd.DataFrame(
        {
            "Sub-type": [_label(s) for s in results],
            ctx.previous.label: [fmt.count(d.sub_before) for d in results.values()],
            ctx.current.label: [fmt.count(d.sub_after) for d in results.values()],
            "Change": [
                fmt.signed_percent(d.sub_pct_change / 100)
                if not math.isnan(d.sub_pct_change)
                else fmt.MISSING
                for d in results.values()
            ],
            "Share of domestic abuse": [
                f"{fmt.share(d.share_before)} → {fmt.share(d.share_after)}"
                for d in results.values()
            ],
            "Odds ratio (95% CI)": [
                f"{fmt.ratio(d.odds_ratio)} ({fmt.interval(d.ci_low, d.ci_high)})"
                for d in results.values()
            ],
            "p-value (FDR-adjusted)": [
                f"{fmt.p_value(d.p_value)} ({fmt.q_value(qq)})"
                for d, qq in zip(results.values(), q, strict=True)
            ],
        }
    )
    order = sorted(results, key=lambda s: results[s].p_value)
    key = focus if focus in results else order[0]
    d = results[key]
    s = differential_sentence(
        _label(key),
        "domestic abuse",
        d.share_before,
        d.share_after,
        d.odds_ratio,
        d.ci_low,
        d.ci_high,
        d.p_value,
        before=ctx.previous.label,
        after=ctx.current.label,
    )
    others = [_label(x) for x, qq in zip(results, q, strict=True) if x != key and qq < 0.05]
    text = [s.text]
    if others:
        text.append(
            "Other sub-types that changed disproportionately (after controlling the false "
            "discovery rate): " + ", ".join(others) + "."
        )
    else:
        text.append(
            "No other sub-type changed disproportionately once the number of comparisons is "
            "allowed for (Benjamini–Hochberg)."
        )
    text.append(
        "A disproportionate fall in reports is not necessarily a fall in abuse: it can mean "
        "victims are less willing or able to report, which is why the partnership treats it "
        "as a concern."
        if d.odds_ratio < 1 and d.p_value < 0.05
        else "Shares compare each sub-type with the rest of domestic abuse in the same year."
    )
    return Paragraph(
        label,
        f"{_label(key)} compared with domestic abuse as a whole",
        tuple(text),
        (
            Table(
                shown,
                f"Table {label}: domestic abuse-flagged crimes by sub-type, "
                f"{ctx.previous.label} and {ctx.current.label}",
                note="Odds ratio: the sub-type's odds of being the crime type reported, this year "
                "against last (Fisher's exact test, conditional maximum-likelihood estimate). "
                "Below 1: it fell faster than the rest of domestic abuse.",
            ),
        ),
        facts=s.facts,
        public_text=(s.text.split(":")[0] + ".",),
    )


def _marac_paragraph(ctx: Context, label: str, status) -> Paragraph | None:
    cases = partner_rows(ctx, "marac_cases")
    repeats = partner_rows(ctx, "marac_repeat_cases")
    if cases.empty or repeats.empty:
        return None
    q = repeats.sort_values("period_start").tail(8)
    rows = []
    for r in q.itertuples():
        ci = proportion_ci(r.numerator, r.denominator)
        rows.append(
            {
                "Quarter": r.period,
                "Cases heard": fmt.count(r.denominator),
                "Repeat cases": fmt.count(r.numerator),
                "Repeat rate (95% CI)": f"{fmt.share(ci.proportion)} "
                f"({fmt.interval(ci.ci_low, ci.ci_high, fmt=fmt.share)})",
            }
        )
    res = next((r for r in status.indicators if r.indicator_id and "marac" in r.indicator_id), None)
    text = [res.sentence] if res else []
    b, a = partner_total(cases, ctx.previous), partner_total(cases, ctx.current)
    if b["months"] and a["months"]:
        text.append(
            f"MARAC heard {fmt.count(a['value'])} cases in {ctx.current.label} and "
            f"{fmt.count(b['value'])} in {ctx.previous.label}."
        )
    text.append(
        "SafeLives suggests a repeat rate of 28–40% shows a MARAC is identifying repeat victims; "
        "a much lower rate can mean repeats are being missed."
    )
    table = pd.DataFrame(rows)
    totals = pd.DataFrame(
        {
            "Quarter": [ctx.previous.label, ctx.current.label],
            "Cases heard": [fmt.count(b["value"]), fmt.count(a["value"])],
            "Repeat cases": [
                fmt.count(partner_total(repeats, p)["numerator"])
                for p in (ctx.previous, ctx.current)
            ],
            "Repeat rate (95% CI)": [
                fmt.share(
                    partner_total(repeats, p)["numerator"]
                    / partner_total(repeats, p)["denominator"]
                )
                if partner_total(repeats, p)["months"]
                else fmt.MISSING
                for p in (ctx.previous, ctx.current)
            ],
        }
    )
    return Paragraph(
        label,
        "Multi-Agency Risk Assessment Conferences (MARAC)",
        tuple(text),
        (
            Table(
                pd.concat([table, totals], ignore_index=True),
                f"Table {label}: MARAC cases and repeat cases, last eight quarters and years",
            ),
        ),
        facts=(res.facts if res else ())
        + ((fmt.count(a["value"]), fmt.count(b["value"])) if b["months"] and a["months"] else ()),
    )


def domestic_abuse(ctx: Context, priority_id: str = "DA") -> Section:
    """Section DA: status, trend of DA-flagged crimes, share of crime and violence,
    differential change of sub-types, MARAC."""
    pr = ctx.config.priority(priority_id)
    status = evaluate_priority(ctx, priority_id)
    paras = [status_paragraph(ctx, status, f"{pr.id}.1")]
    # Labels are fixed (DA.2 is always the trend, ...) so committee papers can cite them
    # year after year; a paragraph without data is left out, not renumbered.
    monthly = partner_monthly(partner_rows(ctx, INDICATOR))
    if len(monthly):
        monthly = monthly[monthly["month"] <= ctx.current.end]
        paras.append(
            trend_paragraph(
                ctx,
                f"{pr.id}.2",
                "Domestic abuse-flagged crimes",
                monthly,
                noun="crimes",
                good="neutral",
            )
        )
    focus = next(
        (
            i.sub_type
            for i in pr.indicators
            if i.indicator == INDICATOR and i.sub_type and i.good != "neutral"
        ),
        None,
    )
    for p in (
        _share_paragraph(ctx, f"{pr.id}.3"),
        _differential_paragraph(ctx, f"{pr.id}.4", focus),
        _marac_paragraph(ctx, f"{pr.id}.5", status),
    ):
        if p is not None:
            paras.append(p)
    return Section(pr.id, pr.title, tuple(paras), status=status, overrides=ctx.inputs.overrides)
