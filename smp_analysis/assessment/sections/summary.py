"""Summary — section SUM: priorities at a glance, crime and ASB overall, emerging concerns."""

from __future__ import annotations

import pandas as pd

from ...categories import ASB
from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table
from ...stats.periods import period_totals
from ...stats.rates import rate_ci
from ..context import Context
from ..indicators import evaluate_priority
from ..narrative import Sentence, change_cell, change_sentence
from ..section import Section
from ..status import PriorityStatus
from .common import change_facts, trend_paragraph

__all__ = ["summary", "key_evidence"]


def key_evidence(status: PriorityStatus) -> str:
    """The one reason a reader most needs: a worsened indicator, else an improved one."""
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
            Table(
                pd.DataFrame(rows), f"Table {label}: status of each priority, {ctx.current.label}"
            ),
        ),
        public_text=tuple(f"{s.title}: {s.final}." for s in statuses),
    )


def _overall(ctx: Context, label: str) -> Paragraph:
    series = ctx.police_series()
    extra: list[Sentence] = []
    rows: list[dict[str, str]] = []
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
        rows.append({"Measure": "Crimes per 1,000 residents (95% CI)", "Value": f"{rate} ({ci})"})
    f, _ = change_facts(ctx.police_series([ASB]), ctx)
    s_asb = change_sentence(
        "Anti-social behaviour",
        f,
        current=ctx.current.label,
        baseline=ctx.previous.label,
        noun="incidents",
    )
    extra.append(s_asb)
    rows.append(
        {
            "Measure": f"Anti-social behaviour incidents, {ctx.previous.label} and {ctx.current.label}",
            "Value": f"{fmt.count(f.count_baseline)} and {fmt.count(f.count_current)}: "
            f"{change_cell(f)}; rate ratio {fmt.ratio(f.rate_ratio)} "
            f"({fmt.interval(f.ci_low, f.ci_high)})",
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
    table = Table(
        pd.DataFrame(rows),
        f"Table {label}b: crime rate and anti-social behaviour, {ctx.current.label}",
    )
    return Paragraph(p.label, p.title, p.text, (*p.details, table), p.facts, p.public_text)


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
