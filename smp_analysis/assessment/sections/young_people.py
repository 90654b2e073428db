"""Keeping children and young people safe — section CYP."""

from __future__ import annotations

import math

import pandas as pd

from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table
from ...stats.change import rate_ratio_test
from ...stats.proportions import proportion_ci
from ...stats.rates import rate_ci
from ...stats.survey import group_gaps
from ..context import Context
from ..indicators import evaluate_priority, partner_rows, partner_total
from ..narrative import ChangeFacts, change_cell
from ..section import Section
from .common import status_paragraph
from .town_centre import survey_paragraph

__all__ = ["young_people"]


def _result(status, indicator: str):
    return next((r for r in status.indicators if r.indicator_id == indicator), None)


def _fte_paragraph(ctx: Context, label: str, status) -> Paragraph | None:
    rows = partner_rows(ctx, "youth_first_time_entrants")
    if rows.empty:
        return None
    out = []
    prev = None
    for y in ctx.years:
        t = partner_total(rows, y)
        if not t["months"]:
            continue
        change = test = fmt.MISSING
        if prev is not None:
            change = change_cell(
                ChangeFacts(prev["value"], t["value"], prev["months"], t["months"])
            )
            rr = rate_ratio_test(t["value"], t["months"], prev["value"], prev["months"])
            test = f"{fmt.ratio(rr.rate_ratio)} ({fmt.interval(rr.ci_low, rr.ci_high)})"
        prev = t
        inside = rows[(rows["period_start"] >= y.start) & (rows["period_end"] <= y.end)]
        pop = (
            float(inside["denominator"].mean()) if inside["denominator"].notna().any() else math.nan
        )
        rate = rate_ci(t["value"], pop, per=100_000) if pop and not math.isnan(pop) else None
        out.append(
            {
                "Year": y.label,
                "First-time entrants": fmt.count(t["value"]),
                "Months with data": f"{t['months']} of 12",
                "Residents aged 10–17": fmt.count(pop),
                "Rate per 100,000 aged 10–17 (95% CI)": (
                    f"{fmt.number(rate.rate)} ({fmt.interval(rate.ci_low, rate.ci_high, 1)})"
                    if rate
                    else fmt.MISSING
                ),
                "Change on previous year": change,
                "Rate ratio (95% CI)": test,
            }
        )
    res = _result(status, "fte") or next(
        (r for r in status.indicators if "entrant" in r.label.lower()), None
    )
    text = [res.sentence] if res else []
    text.append(
        "First-time entrants are children receiving their first youth caution or conviction; "
        "fewer entrants can reflect diversion work as well as less offending."
    )
    return Paragraph(
        label,
        "First-time entrants to the youth justice system",
        tuple(text),
        (
            Table(
                pd.DataFrame(out),
                f"Table {label}: first-time entrants by financial year",
                note="Source: youth justice service return. Rates use the PHE method (exact "
                "Poisson below 10 events, Byar's approximation from 10).",
            ),
        ),
        facts=res.facts if res else (),
        public_text=(res.public_sentence,) if res and res.public_sentence else (),
    )


def _reoffending_paragraph(ctx: Context, label: str, status) -> Paragraph | None:
    rows = partner_rows(ctx, "youth_reoffending")
    if rows.empty:
        return None
    out = []
    for r in rows.sort_values("period_start").itertuples():
        ci = proportion_ci(r.numerator, r.denominator)
        out.append(
            {
                "Cohort year": r.period,
                "Young people in the cohort": fmt.count(r.denominator),
                "Re-offended": fmt.count(r.numerator),
                "Per cent (95% CI)": f"{fmt.share(ci.proportion)} "
                f"({fmt.interval(ci.ci_low, ci.ci_high, fmt=fmt.share)})",
            }
        )
    res = _result(status, "youth_reoffending") or next(
        (r for r in status.indicators if "re-offend" in r.label.lower()), None
    )
    text = [res.sentence] if res else []
    text.append(
        "Cohorts are small, so year-to-year differences are usually within chance; the "
        "intervals show how uncertain each year's figure is."
    )
    return Paragraph(
        label,
        "Young people who re-offend",
        tuple(text),
        (
            Table(
                pd.DataFrame(out),
                f"Table {label}: youth re-offending by cohort year",
                note="Wilson 95% intervals.",
            ),
        ),
        facts=res.facts if res else (),
        public_text=(res.public_sentence,) if res and res.public_sentence else (),
    )


def _youth_survey_paragraph(ctx: Context, label: str) -> Paragraph | None:
    p = survey_paragraph(ctx, label, survey="youth")
    df = ctx.inputs.survey
    measure = next((m for m in ctx.config.surveys if m.survey == "youth"), None)
    if p is None or df is None or measure is None:
        return p
    rows = df[
        (df["survey"] == "youth")
        & (df["year"] == ctx.current.label)
        & (df["question"] == measure.question)
    ]
    extra_text, details = [], list(p.details)
    for group in ("sex", "age_group"):
        if group not in rows.columns or rows[group].isna().all():
            continue
        gaps = group_gaps(rows, measure.positive, group)
        if gaps.empty:
            continue
        cols = {"group": group} if "group" not in gaps.columns else {}
        gaps = gaps.rename(columns=cols)
        shown = pd.DataFrame(
            {
                group.replace("_", " ").capitalize(): gaps[
                    gaps.columns[gaps.columns.get_loc("proportion") - 1]
                ]
                if "proportion" in gaps.columns
                else gaps.iloc[:, 0],
                "Per cent (95% CI)": [
                    f"{fmt.share(v)} ({fmt.interval(lo, hi, fmt=fmt.share)})"
                    for v, lo, hi in zip(
                        gaps["proportion"], gaps["ci_low"], gaps["ci_high"], strict=True
                    )
                ],
            }
        )
        details.append(
            Table(
                shown,
                f"Table {label}{'b' if group == 'sex' else 'c'}: "
                f"{measure.label.lower()}, by {group.replace('_', ' ')}, {ctx.current.label}",
            )
        )
        sig = (
            gaps[gaps.get("q_value", gaps.get("p_value", pd.Series(dtype=float))) < 0.05]
            if "q_value" in gaps.columns or "p_value" in gaps.columns
            else gaps.iloc[0:0]
        )
        if len(sig):
            extra_text.append(
                f"By {group.replace('_', ' ')}, the gaps between groups are larger than chance "
                "would give (see the table)."
            )
    return Paragraph(
        p.label, p.title, (*p.text, *extra_text), tuple(details), p.facts, p.public_text
    )


def young_people(ctx: Context, priority_id: str = "CYP") -> Section:
    """Section CYP: status, first-time entrants, re-offending, youth survey."""
    pr = ctx.config.priority(priority_id)
    status = evaluate_priority(ctx, priority_id)
    paras = [status_paragraph(ctx, status, f"{pr.id}.1")]
    for p in (
        _fte_paragraph(ctx, f"{pr.id}.2", status),
        _reoffending_paragraph(ctx, f"{pr.id}.3", status),
        _youth_survey_paragraph(ctx, f"{pr.id}.4"),
    ):
        if p is not None:
            paras.append(p)
    return Section(pr.id, pr.title, tuple(paras), status=status, overrides=ctx.inputs.overrides)
