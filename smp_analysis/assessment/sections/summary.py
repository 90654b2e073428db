"""Summary — section SUM: the executive summary (SUM.0), priorities at a glance (SUM.1),
crime and ASB overall (SUM.2).

The executive summary is computed first (:func:`executive_summary`, a typed
:class:`ExecutiveSummary`) and only then said (:func:`executive_paragraph`): the count of
priorities by status, the emerging concerns the register flagged (and those no priority
covers), and the conclusion on whether the priorities remain relevant
(:func:`~smp_analysis.assessment.status.conclude`; the analysts' ``conclusion:`` in the
config is shown beside it, with its rationale). It points to the paragraphs that hold the
detail rather than repeating their sentences.

Examples
--------
>>> status_count_sentence({"Exceeding expectations": 2, "On track": 2, "Needs attention": 1})
'Of five priorities, two are exceeding expectations, two are on track and one needs attention.'
>>> status_count_sentence({"On track": 1})
'The one priority is on track.'
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from ...categories import ALL_CATEGORIES, ASB
from ...config import STATUSES
from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table, cell
from ...stats.exceedance import concerns_summary
from ...stats.periods import financial_year, period_totals
from ...stats.rates import rate_ci
from ..claims import month_span
from ..context import Context
from ..indicators import evaluate_priority
from ..narrative import ChangeFacts, Sentence, change_cell
from ..section import Section
from ..status import Conclusion, PriorityStatus, conclude
from .common import change_columns, change_facts, judged_change_sentence, trend_paragraph
from .emerging import _full_register, register_window
from .work import number_word

__all__ = [
    "summary",
    "key_evidence",
    "ExecutiveSummary",
    "Concerns",
    "executive_summary",
    "executive_paragraph",
    "status_count_sentence",
]

# ---------------------------------------------------------------------- executive summary
#: how each status reads after "one ..." / "two ..."
_STATUS_VERBS = {
    "Exceeding expectations": ("is exceeding expectations", "are exceeding expectations"),
    "On track": ("is on track", "are on track"),
    "Needs attention": ("needs attention", "need attention"),
    "Not assessed": ("is not assessed", "are not assessed"),
}


def status_count_sentence(counts: dict[str, int]) -> str:
    """One sentence counting priorities by status, best status first."""
    parts = [
        f"{number_word(counts[s])} {_STATUS_VERBS[s][counts[s] != 1]}"
        for s in STATUSES
        if counts.get(s)
    ]
    n = sum(counts.values())
    if n == 0:
        return "No priorities are configured."
    if n == 1:
        return f"The one priority {parts[0].split(' ', 1)[1]}."
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" and {parts[-1]}"
    return f"Of {number_word(n)} priorities, {listed}."


@dataclass(frozen=True)
class Concerns:
    """What the emerging-concerns register found (the same register as EC.1)."""

    run: bool
    window: str
    flagged: pd.DataFrame
    #: flagged categories no priority's police indicators cover
    uncovered: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExecutiveSummary:
    """The executive summary's numbers: statuses, concerns and the conclusion."""

    statuses: tuple[PriorityStatus, ...]
    by_status: dict[str, int]
    overridden: int
    concerns: Concerns
    conclusion: Conclusion
    next_year: str


def _concerns(ctx: Context) -> Concerns:
    empty = pd.DataFrame(columns=["crime_type", "area", "observed", "expected", "threshold"])
    tested, _ = register_window(ctx)
    if tested is None:
        return Concerns(False, "", empty)
    full = _full_register(ctx, tested[-1])
    if not full["tested"].any():
        return Concerns(False, month_span(tested), empty)
    flagged = concerns_summary(full, ["area", "crime_type"]).reset_index(drop=True)
    covered = {
        c
        for p in ctx.config.priorities
        for ind in p.indicators
        if ind.source == "police"
        for c in ind.crime_types or ()
    }
    uncovered = tuple(
        dict.fromkeys(c for c in flagged["crime_type"] if c in ALL_CATEGORIES and c not in covered)
    )
    return Concerns(True, month_span(tested), flagged, uncovered)


def executive_summary(ctx: Context, statuses: list[PriorityStatus]) -> ExecutiveSummary:
    """Compute the executive summary (no words)."""
    by_status = {s: sum(1 for p in statuses if p.final == s) for s in STATUSES}
    c = ctx.config.conclusion
    conclusion = conclude(
        statuses,
        relevant=c.relevant if c else None,
        text=c.text if c else None,
        rationale=c.rationale if c else None,
    )
    y = ctx.current.end.year
    return ExecutiveSummary(
        statuses=tuple(statuses),
        by_status=by_status,
        overridden=sum(1 for p in statuses if p.override and p.override != p.computed),
        concerns=_concerns(ctx),
        conclusion=conclusion,
        next_year=financial_year(f"{y}/{(y + 1) % 100:02d}").label,
    )


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"


def _concerns_sentences(ctx: Context, c: Concerns) -> list[str]:
    if not c.run:
        return ["The emerging-concerns register could not be run this year (see EC.1)."]
    if c.flagged.empty:
        return [f"The emerging-concerns register flagged no series in {c.window} (see EC.1)."]
    n = len(c.flagged)
    top = [
        r.crime_type.lower()
        + (" across the district" if r.area == ctx.config.area.name else f" in {r.area}")
        for r in c.flagged.head(3).itertuples()
    ]
    if n > 3:
        said = f"{number_word(n)} series were above the expected range, led by {_listed(top)}."
    else:
        said = f"{_listed(top)} {'was' if n == 1 else 'were'} above the expected range."
    out = [f"Emerging concerns for {c.window} (EC.1): {said}"]
    if c.uncovered:
        names = [x.lower() for x in c.uncovered]
        out.append(
            f"No current priority's indicators cover {_listed(names)}; the partnership may "
            "wish to consider whether they need a priority's attention."
        )
    return out


def _conclusion_sentences(e: ExecutiveSummary) -> list[str]:
    c = e.conclusion
    n = len(c.priorities)
    if n == 0:
        return []
    if c.computed:
        said = (
            f"On the evidence, the priorities remain relevant for {e.next_year}: each needs "
            "attention or has an indicator that did not improve significantly (the rule is "
            "under Data and methods)."
        )
    else:
        review = [r.title for r in c.to_review]
        keep = n - len(review)
        kept = (
            f"none of the {number_word(n)} priorities clearly remains"
            if keep == 0
            else f"{number_word(keep)} of the {number_word(n)} priorities "
            + ("remains" if keep == 1 else "remain")
        )
        why = (
            c.to_review[0].reason
            if len(review) == 1
            else "every indicator with a direction improved significantly"
        )
        it = "it is" if len(review) == 1 else "they are"
        said = (
            f"On the evidence, {kept} relevant for {e.next_year}. For {_listed(review)}, {why}, "
            f"so the partnership may review whether {it} still needed as a priority (the rule "
            "is under Data and methods)."
        )
    out = [said]
    if c.override_relevant is not None:
        verdict = c.override_text or (
            "the priorities remain relevant"
            if c.override_relevant
            else "not every priority remains relevant"
        )
        differs = (
            " (the evidence alone gives the conclusion above)"
            if c.override_relevant != c.computed
            else ""
        )
        out.append(
            f"The partnership's analysts conclude: {verdict.rstrip('.')}{differs}. "
            f"Reason: {c.rationale}"
        )
    return out


def executive_paragraph(ctx: Context, e: ExecutiveSummary, label: str) -> Paragraph:
    """Say the executive summary: three short parts, each pointing to its detail."""
    overridden = (
        f" ({number_word(e.overridden)} of them set by the partnership's analysts; "
        "see the priority's first paragraph)"
        if e.overridden
        else ""
    )
    count = status_count_sentence(e.by_status)
    text = [
        count[:-1] + overridden + ". Each priority's status is in SUM.1 and its section.",
        *_concerns_sentences(ctx, e.concerns),
        *_conclusion_sentences(e),
    ]
    relevance = pd.DataFrame(
        [
            {
                "priority": s.title,
                "status": s.final,
                "relevant": r.relevant,
                "why": r.reason,
            }
            for s, r in zip(e.statuses, e.conclusion.priorities, strict=True)
        ],
        columns=["priority", "status", "relevant", "why"],
    )
    details: list[Table] = [
        Table.rendered(
            relevance,
            {
                "Priority": cell("priority"),
                "Status": cell("status"),
                "Remains relevant (evidence)": cell("relevant", lambda v: "Yes" if v else "Review"),
                "Why": cell("why", lambda v: v[:1].upper() + v[1:]),
            },
            f"Table {label}: status and relevance of each priority, {ctx.current.label}",
            headers={
                "priority": "Priority",
                "status": "Status",
                "relevant": "Remains relevant on the evidence (true/false)",
                "why": "Why",
            },
        )
    ]
    if e.concerns.run and not e.concerns.flagged.empty:
        data = e.concerns.flagged[["crime_type", "area", "observed", "expected", "threshold"]]
        details.append(
            Table.rendered(
                data,
                {
                    "Category": cell("crime_type"),
                    "Where": cell("area"),
                    "Observed": cell("observed", fmt.count),
                    "Expected": cell("expected", fmt.count),
                },
                f"Table {label}b: emerging concerns, {e.concerns.window}",
                headers={
                    "crime_type": "Category",
                    "area": "Where",
                    "observed": "Observed in the quarter (count)",
                    "expected": "Expected in the quarter (count)",
                    "threshold": "Alert threshold (count)",
                },
            )
        )
    return Paragraph(
        label,
        "Executive summary",
        tuple(text),
        tuple(details),
        public_text=(count, *_conclusion_sentences(e)[:1]),
        tests=("Farrington-style quasi-Poisson register, as in EC.1",) if e.concerns.run else (),
    )


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
            f"; set by analysts, the evidence alone gives {s.computed}"
            if s.override and s.override != s.computed
            else ""
        )
        text.append(f"- **{s.title}**: {s.final} (see {s.priority_id}.1{extra}).")
    return Paragraph(
        label,
        "Priorities at a glance",
        (
            f"The partnership's {len(statuses)} priorities for {ctx.current.label}, with the "
            "status the evidence supports (the key evidence is in the table; the detail in each "
            "priority's section):",
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
    paras = [
        executive_paragraph(ctx, executive_summary(ctx, statuses), "SUM.0"),
        _glance(ctx, statuses, "SUM.1"),
        _overall(ctx, "SUM.2"),
    ]
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
