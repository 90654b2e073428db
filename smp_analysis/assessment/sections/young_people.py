"""Keeping children and young people safe — section CYP."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pandas as pd

from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table, cell
from ...results.result import coverage_frame
from ...stats.change import rate_ratio_test
from ...stats.proportions import proportion_ci
from ...stats.rates import rate_ci
from ...stats.survey import group_gaps
from ..context import Context
from ..indicators import evaluate_priority, partner_rows, partner_total
from ..narrative import ChangeFacts, change_cell
from ..section import Section
from .common import HEADERS, change_columns, status_paragraph
from .town_centre import survey_paragraph

__all__ = ["young_people"]


def _result(status, indicator: str):
    return next((r for r in status.indicators if r.indicator_id == indicator), None)


def _partner_coverage(ctx: Context, rows: pd.DataFrame) -> pd.DataFrame:
    """Months of each financial year that a partner return covers (quarterly or annual rows
    cover all their months)."""
    months = sorted(
        {
            m
            for a, b in zip(rows["period_start"], rows["period_end"], strict=True)
            for m in pd.period_range(a, b, freq="M")
        }
    )
    series = pd.DataFrame({"month": pd.PeriodIndex(months, freq="M"), "count": 1.0})
    return coverage_frame(series, ctx.years)


#: readable headers of the first-time entrants table's numbers
FTE_HEADERS = {
    **HEADERS,
    "count": "First-time entrants (count)",
    "count_previous": "First-time entrants, year before (count)",
    "population": "Residents aged 10-17 (count)",
    "rate": "First-time entrants per 100,000 residents aged 10-17",
    "rate_ci_low": "Rate 95% confidence interval, lower",
    "rate_ci_high": "Rate 95% confidence interval, upper",
    "difference": "Change (count, or a month when months are missing)",
    "rate_ratio": "Rate ratio (per month of data, on the year before)",
    "ci_low": "Rate ratio 95% confidence interval, lower",
    "ci_high": "Rate ratio 95% confidence interval, upper",
}


def _fte_change(row: Mapping[str, Any]) -> str:
    if not row["months_previous"]:
        return fmt.MISSING
    return change_cell(
        ChangeFacts(
            row["count_previous"], row["count"], int(row["months_previous"]), row["months_present"]
        )
    )


def _fte_data(ctx: Context, rows: pd.DataFrame) -> pd.DataFrame:
    """First-time entrants per financial year with data: count, months, residents aged
    10–17, the rate per 100,000 with its interval, and the change on the previous year with
    data (exact rate-ratio test, months with data as exposure)."""
    out = []
    prev = None
    for y in ctx.years:
        t = partner_total(rows, y)
        if not t["months"]:
            continue
        inside = rows[(rows["period_start"] >= y.start) & (rows["period_end"] <= y.end)]
        pop = (
            float(inside["denominator"].mean()) if inside["denominator"].notna().any() else math.nan
        )
        rate = rate_ci(t["value"], pop, per=100_000) if pop and not math.isnan(pop) else None
        row: dict[str, Any] = {
            "period": y.label,
            "count": float(t["value"]),
            "months_present": int(t["months"]),
            "months_expected": y.n_months,
            "population": pop,
            "rate": rate.rate if rate else math.nan,
            "rate_ci_low": rate.ci_low if rate else math.nan,
            "rate_ci_high": rate.ci_high if rate else math.nan,
            "count_previous": math.nan,
            "months_previous": 0,
            **dict.fromkeys(
                ("difference", "pct_change", "rate_ratio", "ci_low", "ci_high", "p_value"),
                math.nan,
            ),
        }
        if prev is not None:
            rr = rate_ratio_test(t["value"], t["months"], prev["value"], prev["months"])
            facts = ChangeFacts(
                prev["value"],
                t["value"],
                prev["months"],
                t["months"],
                rr.rate_ratio,
                rr.ci_low,
                rr.ci_high,
                rr.p_value,
            )
            row.update(
                count_previous=float(prev["value"]),
                months_previous=int(prev["months"]),
                **change_columns(facts),
            )
        prev = t
        out.append(row)
    return pd.DataFrame(out)


def _fte_paragraph(ctx: Context, label: str, status) -> Paragraph | None:
    rows = partner_rows(ctx, "youth_first_time_entrants")
    if rows.empty:
        return None
    data = _fte_data(ctx, rows)
    res = _result(status, "fte") or next(
        (r for r in status.indicators if "entrant" in r.label.lower()), None
    )
    text = [res.sentence] if res else []
    text.append(
        "First-time entrants are children receiving their first youth caution or conviction; "
        "fewer entrants can reflect diversion work as well as less offending."
    )
    table = Table.rendered(
        data,
        {
            "Year": cell("period"),
            "First-time entrants": cell("count", fmt.count),
            "Months with data": lambda r: f"{r['months_present']} of {r['months_expected']}",
            "Residents aged 10–17": cell("population", fmt.count),
            "Rate per 100,000 aged 10–17 (95% CI)": lambda r: (
                fmt.MISSING
                if pd.isna(r["rate"])
                else f"{fmt.number(r['rate'])} "
                f"({fmt.interval(r['rate_ci_low'], r['rate_ci_high'], 1)})"
            ),
            "Change on previous year": _fte_change,
            "Rate ratio (95% CI)": lambda r: (
                fmt.MISSING
                if not r["months_previous"]
                else f"{fmt.ratio(r['rate_ratio'])} ({fmt.interval(r['ci_low'], r['ci_high'])})"
            ),
        },
        f"Table {label}: first-time entrants by financial year",
        headers=FTE_HEADERS,
        note="Source: youth justice service return. Rates use the PHE method (exact "
        "Poisson below 10 events, Byar's approximation from 10).",
    )
    return Paragraph(
        label,
        "First-time entrants to the youth justice system",
        tuple(text),
        (table,),
        facts=res.facts if res else (),
        public_text=(res.public_sentence,) if res and res.public_sentence else (),
        coverage=_partner_coverage(ctx, rows),
        tests=(
            "rate per 100,000 residents aged 10-17 with the PHE interval (exact Poisson below "
            "10 events, Byar's approximation from 10)",
            "exact conditional Poisson test of the rate ratio (R poisson.test), months with "
            "data as exposure",
        ),
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
                "period": r.period,
                "cohort": float(r.denominator),
                "count": float(r.numerator),
                "share": ci.proportion,
                "ci_low": ci.ci_low,
                "ci_high": ci.ci_high,
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
    table = Table.rendered(
        pd.DataFrame(out),
        {
            "Cohort year": cell("period"),
            "Young people in the cohort": cell("cohort", fmt.count),
            "Re-offended": cell("count", fmt.count),
            "Per cent (95% CI)": lambda r: (
                f"{fmt.share(r['share'])} "
                f"({fmt.interval(r['ci_low'], r['ci_high'], fmt=fmt.share)})"
            ),
        },
        f"Table {label}: youth re-offending by cohort year",
        headers={
            "period": "Cohort year",
            "cohort": "Young people in the cohort (count)",
            "count": "Re-offended (count)",
            "share": "Share who re-offended (proportion 0-1)",
            "ci_low": "Share 95% confidence interval, lower (Wilson)",
            "ci_high": "Share 95% confidence interval, upper (Wilson)",
        },
        note="Wilson 95% intervals.",
    )
    return Paragraph(
        label,
        "Young people who re-offend",
        tuple(text),
        (table,),
        facts=res.facts if res else (),
        public_text=(res.public_sentence,) if res and res.public_sentence else (),
        coverage=_partner_coverage(ctx, rows),
        tests=(
            "Wilson score interval for a proportion",
            *((res.method,) if res and res.method else ()),
        ),
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
        data = gaps.rename(columns={group: "group", "proportion": "share"})[
            [
                "group",
                "n",
                "effective_n",
                "n_positive",
                "share",
                "ci_low",
                "ci_high",
                "reference",
                "reference_proportion",
                "difference",
                "difference_ci_low",
                "difference_ci_high",
                "p_value",
                "q_value",
            ]
        ]
        name = group.replace("_", " ")
        details.append(
            Table.rendered(
                data,
                {
                    name.capitalize(): cell("group"),
                    "Per cent (95% CI)": lambda r: (
                        f"{fmt.share(r['share'])} "
                        f"({fmt.interval(r['ci_low'], r['ci_high'], fmt=fmt.share)})"
                    ),
                },
                f"Table {label}{'b' if group == 'sex' else 'c'}: "
                f"{measure.label.lower()}, by {name}, {ctx.current.label}",
                headers={
                    "group": name.capitalize(),
                    "n": "Respondents (count)",
                    "effective_n": "Effective sample size (Kish)",
                    "n_positive": "Positive answers (count, unweighted)",
                    "share": "Weighted share (proportion 0-1)",
                    "ci_low": "Share 95% confidence interval, lower",
                    "ci_high": "Share 95% confidence interval, upper",
                    "reference": "Compared with",
                    "reference_proportion": "Share of the comparison group (proportion 0-1)",
                    "difference": "Difference from the comparison group (proportion 0-1)",
                    "difference_ci_low": "Difference 95% confidence interval, lower (Newcombe)",
                    "difference_ci_high": "Difference 95% confidence interval, upper (Newcombe)",
                    "p_value": "p-value (z test on effective sample sizes)",
                    "q_value": "q-value (Benjamini-Hochberg)",
                },
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
    return replace(
        p,
        text=(*p.text, *extra_text),
        details=tuple(details),
        tests=tuple(dict.fromkeys((*p.tests, *GAP_TESTS)))
        if len(details) > len(p.details)
        else p.tests,
    )


#: the methods behind the youth survey's comparison of groups
GAP_TESTS = (
    "weighted proportion with a Wilson score interval on the Kish effective sample size",
    "each group against the others: Newcombe hybrid score interval and pooled z test on the "
    "Kish effective sample sizes, Benjamini–Hochberg q-values",
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
