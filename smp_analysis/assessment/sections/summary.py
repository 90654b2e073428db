"""Summary — section SUM: priorities at a glance, crime and ASB overall, emerging concerns."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ...categories import ASB
from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table, cell
from ...stats.periods import period_totals
from ...stats.rates import rate_ci
from ..context import Context
from ..indicators import evaluate_priority
from ..narrative import ChangeFacts, Sentence, change_cell
from ..section import Section
from ..status import PriorityStatus
from .common import change_columns, change_facts, judged_change_sentence, trend_paragraph

__all__ = ["summary", "key_evidence"]


def key_evidence(status: PriorityStatus) -> str:
    """The one reason a reader most needs: why it is not assessed, else a worsened
    indicator, else an improved one."""
    if status.computed == "Not assessed":
        why = [
            r.reason
            for r, v in zip(status.indicators, status.verdicts, strict=True)
            if v.code == "not assessed" and r.reason
        ]
        return "Not assessed: no indicator with a direction could be judged" + (
            f" ({why[0]})" if why else ""
        )
    for code in ("worsened", "improved", "no significant change"):
        for v in status.verdicts:
            if v.code == code:
                return v.explanation
    return status.reasons[0] if status.reasons else "no indicators"


def _glance(ctx: Context, statuses: list[PriorityStatus], label: str) -> Paragraph:
    rows, text = [], []
    for s in statuses:
        rows.append(
            {
                "Priority": s.title,
                "Status": s.final,
                "From the evidence alone": s.computed,
                "Key evidence": key_evidence(s),
            }
        )
        extra = (
            f" (set by analysts; the evidence alone gives {s.computed})"
            if s.override and s.override != s.computed
            else ""
        )
        text.append(f"- **{s.title}**: {s.final}{extra}. {key_evidence(s)}.")
    return Paragraph(
        label,
        "Priorities at a glance",
        (
            f"The partnership's {len(statuses)} priorities for {ctx.current.label}, with the "
            "status the evidence supports (details in each priority's section):",
            "\n".join(text),
        ),
        (
            Table.rendered(
                pd.DataFrame(
                    rows,
                    columns=["Priority", "Status", "From the evidence alone", "Key evidence"],
                ),
                {
                    c: cell(c)
                    for c in ("Priority", "Status", "From the evidence alone", "Key evidence")
                },
                f"Table {label}: status of each priority, {ctx.current.label}",
            ),
        ),
        public_text=tuple(f"{s.title}: {s.final}." for s in statuses),
    )


_OVERALL_HEADERS = {
    "measure": "Measure",
    "value": "Value (crimes per 1,000 residents, or incidents in the reporting year)",
    "ci_low": "95% confidence interval of the rate, lower",
    "ci_high": "95% confidence interval of the rate, upper",
    "residents": "Residents",
    "count_previous": "Incidents, year before",
    "months_previous": "Months compared, year before",
    "months_present": "Months compared, reporting year",
    "difference": "Change (count, or a month when months are missing)",
    "pct_change": "Change (%)",
    "rate_ratio": "Rate ratio",
    "rate_ratio_ci_low": "Rate ratio 95% confidence interval, lower",
    "rate_ratio_ci_high": "Rate ratio 95% confidence interval, upper",
    "p_value": "p-value",
}


def _overall_value(r) -> str:
    if r["kind"] == "rate":
        return f"{fmt.number(r['value'])} ({fmt.interval(r['ci_low'], r['ci_high'], 1)})"
    f = ChangeFacts(
        r["count_previous"], r["value"], int(r["months_previous"]), int(r["months_present"])
    )
    return (
        f"{fmt.count(r['count_previous'])} and {fmt.count(r['value'])}: {change_cell(f)}; "
        f"rate ratio {fmt.ratio(r['rate_ratio'])} "
        f"({fmt.interval(r['rate_ratio_ci_low'], r['rate_ratio_ci_high'])})"
    )


def _overall(ctx: Context, label: str) -> Paragraph:
    series = ctx.police_series()
    extra: list[Sentence] = []
    rows: list[dict[str, object]] = []
    pop = ctx.inputs.population
    cur_total = period_totals(series, [ctx.current]).iloc[0]
    if pop is not None and cur_total["complete"]:
        r = rate_ci(cur_total["count"], float(pop["population"].sum()))
        rate, ci = fmt.number(r.rate), fmt.interval(r.ci_low, r.ci_high, 1)
        extra.append(
            Sentence(
                f"That is {rate} crimes per 1,000 residents (95% CI {ci}; "
                f"{fmt.count(r.population)} residents).",
                (rate, ci),
            )
        )
        rows.append(
            {
                "kind": "rate",
                "measure": "Crimes per 1,000 residents (95% CI)",
                "value": r.rate,
                "ci_low": r.ci_low,
                "ci_high": r.ci_high,
                "residents": float(r.population),
            }
        )
    f, _ = change_facts(ctx.police_series([ASB]), ctx)
    s_asb = judged_change_sentence(ctx, "Anti-social behaviour", f, noun="incidents")
    extra.append(s_asb)
    ch = change_columns(f)
    rows.append(
        {
            "kind": "change",
            "measure": f"Anti-social behaviour incidents, {ctx.previous.label} and "
            f"{ctx.current.label}",
            "value": f.count_current,
            "count_previous": f.count_baseline,
            "months_previous": f.months_baseline,
            "months_present": f.months_current,
            "difference": ch["difference"],
            "pct_change": ch["pct_change"],
            "rate_ratio": f.rate_ratio,
            "rate_ratio_ci_low": f.ci_low,
            "rate_ratio_ci_high": f.ci_high,
            "p_value": f.p_value,
        }
    )
    p = trend_paragraph(
        ctx,
        label,
        "Recorded crime (excluding anti-social behaviour)",
        series,
        noun="crimes",
        good="down",
        extra=extra,
    )
    data = pd.DataFrame(rows).reindex(columns=["kind", *_OVERALL_HEADERS])
    for c in _OVERALL_HEADERS:
        if c != "measure":
            data[c] = data[c].astype("float64")
    table = Table.rendered(
        data,
        {"Measure": cell("measure"), "Value": _overall_value},
        f"Table {label}b: crime rate and anti-social behaviour, {ctx.current.label}",
        headers={**_OVERALL_HEADERS, "kind": "Kind of measure"},
    )
    return replace(
        p,
        details=(*p.details, table),
        tests=(*p.tests, "Byar's approximation to the exact Poisson interval for the rate"),
    )


def summary(ctx: Context) -> Section:
    """Section SUM."""
    statuses = [evaluate_priority(ctx, p.id) for p in ctx.config.priorities]
    paras = [_glance(ctx, statuses, "SUM.1"), _overall(ctx, "SUM.2")]
    return Section(
        "SUM",
        "Summary",
        tuple(paras),
        intro=(
            f"This appendix is the evidence behind the {ctx.config.partnership}'s Strategic "
            f"Assessment for {ctx.current.label} (April {ctx.current.start.year} to March "
            f"{ctx.current.end.year}). Each labelled paragraph (for example **DA.3**) pairs the "
            "narrative on the left with its detail on the right, and can be linked to directly.",
        ),
        overrides=ctx.inputs.overrides,
    )
