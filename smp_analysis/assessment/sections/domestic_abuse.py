"""Domestic abuse (including stalking) — section DA.

Partner returns give domestic-abuse-flagged crimes by sub-type (docs/data-formats.md §3);
police.uk gives all crime and violence, the denominators of the shares.
"""

from __future__ import annotations

import math

import pandas as pd

from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table, cell
from ...present.charts import Chart, differential_chart, share_chart
from ...results.result import coverage_frame
from ...stats.disproportionality import differential_change_table
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
    shown = Table.rendered(
        t,
        {
            "Year": cell("period"),
            "Measure": cell("group"),
            "Domestic abuse-flagged": cell("part", fmt.count),
            "Total recorded": cell("whole", fmt.count),
            "Share (95% CI)": lambda r: (
                f"{fmt.share(r['share'])} "
                f"({fmt.interval(r['ci_low'], r['ci_high'], fmt=fmt.share)})"
            ),
        },
        f"Table {label}: domestic abuse as a share of recorded crime",
        headers={
            "period": "Year",
            "group": "Measure",
            "part": "Domestic abuse-flagged crimes (count)",
            "whole": "Total recorded crimes (count)",
            "share": "Share (proportion 0-1)",
            "ci_low": "Share 95% confidence interval, lower (Wilson)",
            "ci_high": "Share 95% confidence interval, upper (Wilson)",
        },
    )
    public = tuple(
        f"{'Domestic abuse' if g == 'Share of all crime' else 'Domestic abuse violence'} made "
        f"up {fmt.share(r['share'])} of "
        f"{'all crime' if g == 'Share of all crime' else 'violence and sexual offences'} in "
        f"{ctx.current.label}."
        for g, r in cur.iterrows()
    )
    head = (
        f"Domestic abuse-flagged crimes made up {fmt.share(cur.iloc[0]['share'])} of "
        f"{cur.index[0].removeprefix('Share of ')} in {ctx.current.label}"
        if len(cur)
        else "Domestic abuse's share of crime"
    )
    chart = share_chart(
        t.rename(columns={"share": "estimate"}),
        title=head,
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
        (chart, shown),
        facts=tuple(f for s in sentences for f in s.facts),
        public_text=public,
        coverage=_partner_coverage(ctx, rows),
        tests=("Wilson score interval for a proportion",),
    )


DIFFERENTIAL_HEADERS = {
    "sub_type": "Sub-type (code)",
    "label": "Sub-type",
    "sub_before": "Crimes of the sub-type, year before",
    "sub_after": "Crimes of the sub-type, reporting year",
    "total_before": "All domestic abuse-flagged crimes, year before",
    "total_after": "All domestic abuse-flagged crimes, reporting year",
    "sub_pct_change": "Change of the sub-type (%)",
    "share_before": "Share of domestic abuse, year before (proportion 0-1)",
    "share_after": "Share of domestic abuse, reporting year (proportion 0-1)",
    "odds_ratio": "Odds ratio (reporting year against year before)",
    "ci_low": "Odds ratio 95% confidence interval, lower",
    "ci_high": "Odds ratio 95% confidence interval, upper",
    "p_value": "p-value (Fisher's exact test)",
    "q_value": "q-value (Benjamini-Hochberg)",
}


_LUMP = "not reported in both years"


def differential_data(ctx: Context) -> pd.DataFrame | None:
    """Every DA sub-type's change against domestic abuse as a whole, reporting year against
    the year before (:func:`~smp_analysis.stats.disproportionality.differential_change_table`:
    Fisher's exact test, Benjamini–Hochberg q-values); ``None`` without the data."""
    rows = partner_rows(ctx, INDICATOR)
    if rows.empty or rows["sub_type"].isna().all():
        return None
    years = []
    for y in (ctx.previous, ctx.current):
        inside = rows[(rows["period_start"] >= y.start) & (rows["period_end"] <= y.end)]
        if inside.empty:
            return None
        years.append(
            inside.assign(period=y.label, sub_type=inside["sub_type"].fillna("unspecified"))
        )
    long = pd.concat(years, ignore_index=True)
    # a sub-type compared must be reported in both years (missing is never zero); the
    # others still count in the parent total, lumped together
    seen = [set(y["sub_type"]) for y in years]
    subs = [x for x in dict.fromkeys(rows["sub_type"].dropna()) if x and all(x in y for y in seen)]
    if not subs:
        return None
    long["sub_type"] = long["sub_type"].where(long["sub_type"].isin(subs), _LUMP)
    long = long.groupby(["period", "sub_type"], as_index=False)["value"].sum()
    full = pd.MultiIndex.from_product(
        [[ctx.previous.label, ctx.current.label], sorted(set(long["sub_type"]))],
        names=["period", "sub_type"],
    )
    # only the lump can be absent in a year: it then adds nothing to that year's parent
    long = long.set_index(["period", "sub_type"]).reindex(full, fill_value=0).reset_index()
    t = differential_change_table(
        long,
        category="sub_type",
        period="period",
        before=ctx.previous.label,
        after=ctx.current.label,
        count="value",
        categories=subs,
    )
    t.insert(1, "label", [_label(x) for x in t["sub_type"]])
    return t.reset_index(drop=True)


def _differential_chart(ctx: Context, t: pd.DataFrame) -> Chart:
    """DA.4's chart: every sub-type's odds ratio with its interval, significant ones filled."""
    changed = [x for x, q in zip(t["label"], t["q_value"], strict=True) if q < 0.05]
    head = (
        f"{changed[0] if len(changed) == 1 else f'{len(changed)} sub-types'} changed out of "
        f"step with the rest of domestic abuse in {ctx.current.label}"
        if changed
        else f"No sub-type changed out of step with the rest of domestic abuse in "
        f"{ctx.current.label}"
    )
    return differential_chart(
        t,
        title=head,
        subtitle=f"Odds ratio of each sub-type's share of domestic abuse-flagged crimes, "
        f"{ctx.current.label} against {ctx.previous.label}, with 95% intervals; filled: "
        f"q < 0.05 (Benjamini–Hochberg), {ctx.config.area.name}",
        category="label",
        parent="domestic abuse",
    )


def _differential_paragraph(ctx: Context, label: str, focus: str | None) -> Paragraph | None:
    t = differential_data(ctx)
    if t is None or t.empty:
        return None
    by_sub = t.set_index("sub_type")
    key = focus if focus in by_sub.index else t.sort_values("p_value")["sub_type"].iloc[0]
    d = by_sub.loc[key]
    s = differential_sentence(
        _label(key),
        "domestic abuse",
        d["share_before"],
        d["share_after"],
        d["odds_ratio"],
        d["ci_low"],
        d["ci_high"],
        d["p_value"],
        before=ctx.previous.label,
        after=ctx.current.label,
    )
    others = [
        _label(x)
        for x, qq in zip(t["sub_type"], t["q_value"], strict=True)
        if x != key and qq < 0.05
    ]
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
    worrying_fall = d["odds_ratio"] < 1 and d["p_value"] < 0.05
    text.append(
        "A disproportionate fall in reports is not necessarily a fall in abuse: it can mean "
        "victims are less willing or able to report, which is why the partnership treats it "
        "as a concern."
        if worrying_fall
        else "Shares compare each sub-type with the rest of domestic abuse in the same year."
    )
    table = Table.rendered(
        t,
        {
            "Sub-type": cell("label"),
            ctx.previous.label: cell("sub_before", fmt.count),
            ctx.current.label: cell("sub_after", fmt.count),
            "Change": lambda r: (
                fmt.MISSING
                if pd.isna(r["sub_pct_change"])
                else fmt.signed_percent(r["sub_pct_change"] / 100)
            ),
            "Share of domestic abuse": lambda r: (
                f"{fmt.share(r['share_before'])} → {fmt.share(r['share_after'])}"
            ),
            "Odds ratio (95% CI)": lambda r: (
                f"{fmt.ratio(r['odds_ratio'])} ({fmt.interval(r['ci_low'], r['ci_high'])})"
            ),
            "p-value (FDR-adjusted)": lambda r: (
                f"{fmt.p_value(r['p_value'])} ({fmt.q_value(r['q_value'])})"
            ),
        },
        f"Table {label}: domestic abuse-flagged crimes by sub-type, "
        f"{ctx.previous.label} and {ctx.current.label}",
        headers=DIFFERENTIAL_HEADERS,
        note="Odds ratio: the sub-type's odds of being the crime type reported, this year "
        "against last (Fisher's exact test, conditional maximum-likelihood estimate). "
        "Below 1: it fell faster than the rest of domestic abuse.",
    )
    direction = "fell" if d["share_after"] < d["share_before"] else "rose"
    public = (
        f"{_label(key)} {direction} as a share of domestic abuse reports, from "
        f"{fmt.share(d['share_before'])} to {fmt.share(d['share_after'])}."
        + (
            " Fewer reports can mean victims find it harder to come forward, so the "
            "partnership is looking into it."
            if worrying_fall
            else ""
        )
        if d["p_value"] < 0.05
        else f"{_label(key)} made up about the same share of domestic abuse reports as the "
        "year before."
    )
    return Paragraph(
        label,
        f"{_label(key)} compared with domestic abuse as a whole",
        tuple(text),
        # the table stays first: its download keeps its name (data/DA.4-1.csv)
        (table, _differential_chart(ctx, t)),
        facts=s.facts,
        public_text=(public,),
        coverage=_partner_coverage(ctx, partner_rows(ctx, INDICATOR)),
        tests=(
            "Fisher's exact test of the 2×2 table (R fisher.test), conditional "
            "maximum-likelihood odds ratio",
            "Benjamini–Hochberg false discovery rate over the sub-types",
        ),
    )


def _partner_coverage(ctx: Context, rows: pd.DataFrame) -> pd.DataFrame:
    """Months of the year before and the reporting year that a partner return covers."""
    months = sorted(
        {
            m
            for a, b in zip(rows["period_start"], rows["period_end"], strict=True)
            for m in pd.period_range(a, b, freq="M")
        }
    )
    series = pd.DataFrame({"month": pd.PeriodIndex(months, freq="M"), "count": 1.0})
    return coverage_frame(series, [ctx.previous, ctx.current])


def _marac_paragraph(ctx: Context, label: str, status) -> Paragraph | None:
    cases = partner_rows(ctx, "marac_cases")
    repeats = partner_rows(ctx, "marac_repeat_cases")
    if cases.empty or repeats.empty:
        return None
    q = repeats.sort_values("period_start").tail(8)
    rows = [
        {
            "period": r.period,
            "kind": "quarter",
            "cases": float(r.denominator),
            "repeat_cases": float(r.numerator),
        }
        for r in q.itertuples()
    ]
    res = next((r for r in status.indicators if r.indicator_id and "marac" in r.indicator_id), None)
    text = [res.sentence] if res else []
    b, a = partner_total(cases, ctx.previous), partner_total(cases, ctx.current)
    if b["months"] and a["months"]:
        text.append(
            f"MARAC heard {fmt.count(a['value'])} cases in {ctx.current.label} and "
            f"{fmt.count(b['value'])} in {ctx.previous.label}."
        )
    if res is not None and res.has_band:
        band = f"{res.band_low:g}–{res.band_high:g}%"
        text.append(
            f"{res.band_source} expects {band} of MARAC cases to be repeats: a rate in that "
            "range shows a MARAC is identifying repeat victims, and a much lower rate can mean "
            "repeats are being missed."
        )
    else:
        text.append(
            "SafeLives suggests a repeat rate of 28–40% shows a MARAC is identifying repeat "
            "victims; a much lower rate can mean repeats are being missed."
        )
    for y in (ctx.previous, ctx.current):
        rep = partner_total(repeats, y)
        rows.append(
            {
                "period": y.label,
                "kind": "year",
                # cases heard in the year (the MARAC return), repeats from the repeat return
                "cases": partner_total(cases, y)["value"],
                "repeat_cases": rep["numerator"] if rep["months"] else math.nan,
                "repeat_denominator": rep["denominator"] if rep["months"] else math.nan,
            }
        )
    data = pd.DataFrame(rows)
    den = (
        data["repeat_denominator"].fillna(data["cases"])
        if "repeat_denominator" in data
        else data["cases"]
    )
    cis = [
        proportion_ci(x, n) if n > 0 and not math.isnan(x) else None
        for x, n in zip(data["repeat_cases"], den, strict=True)
    ]
    data["repeat_rate"] = [c.proportion if c else math.nan for c in cis]
    data["ci_low"] = [c.ci_low if c else math.nan for c in cis]
    data["ci_high"] = [c.ci_high if c else math.nan for c in cis]
    data = data.drop(columns=["repeat_denominator"], errors="ignore")
    table = Table.rendered(
        data,
        {
            "Quarter": cell("period"),
            "Cases heard": cell("cases", fmt.count),
            "Repeat cases": cell("repeat_cases", fmt.count),
            "Repeat rate (95% CI)": lambda r: (
                fmt.MISSING
                if pd.isna(r["repeat_rate"])
                else f"{fmt.share(r['repeat_rate'])} "
                f"({fmt.interval(r['ci_low'], r['ci_high'], fmt=fmt.share)})"
            ),
        },
        f"Table {label}: MARAC cases and repeat cases, last eight quarters and years",
        note=(
            f"Expected range of the repeat rate: {res.band_low:g}–{res.band_high:g}% "
            f"({res.band_source})."
            if res is not None and res.has_band
            else None
        ),
        headers={
            "period": "Quarter or year",
            "kind": "Quarter or year",
            "cases": "Cases heard (count)",
            "repeat_cases": "Repeat cases (count)",
            "repeat_rate": "Repeat rate (proportion 0-1)",
            "ci_low": "Repeat rate 95% confidence interval, lower (Wilson)",
            "ci_high": "Repeat rate 95% confidence interval, upper (Wilson)",
        },
    )
    return Paragraph(
        label,
        "Multi-Agency Risk Assessment Conferences (MARAC)",
        tuple(text),
        (table,),
        facts=(res.facts if res else ())
        + ((fmt.count(a["value"]), fmt.count(b["value"])) if b["months"] and a["months"] else ()),
        coverage=_partner_coverage(ctx, cases),
        tests=("Wilson score interval for a proportion",),
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
