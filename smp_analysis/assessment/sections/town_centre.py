"""A safe town centre — section TC: status, intervention evaluation, where crime
concentrates, anti-social behaviour, and what residents say."""

from __future__ import annotations

import math

import pandas as pd

from ...categories import ASB, CRIME_TYPES
from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table
from ...present.charts import its_chart, lorenz_chart
from ...stats.concentration import (
    generalised_gini,
    gini,
    location_quotient_table,
    lorenz_curve,
    top_share,
)
from ...stats.intervention import interrupted_time_series, weighted_displacement_difference
from ...stats.survey import survey_measure_change, survey_measure_table
from ..context import Context
from ..indicators import evaluate_priority
from ..narrative import Sentence, level_change_sentence, month_label, proportion_change_sentence
from ..section import Section
from .common import status_paragraph, trend_paragraph

__all__ = ["town_centre", "intervention_paragraph", "concentration_paragraph", "survey_paragraph"]


def _wdd_sentence(name: str, r, what: str) -> Sentence:
    est, ci = (
        fmt.count(abs(r.estimate)),
        fmt.interval(r.ci_low, r.ci_high, fmt=lambda v: fmt.number(v, 0)),
    )
    if r.p_value < 0.05:
        d = "fewer" if r.estimate < 0 else "more"
        text = (
            f"Compared with the comparison area, {name} had {est} {d} crimes than expected "
            f"in the twelve months after the start ({what}; 95% CI {ci}, {fmt.p_value(r.p_value)})."
        )
    else:
        text = (
            f"Compared with the comparison area, the change in {name} is within what chance "
            f"would give ({what} {'-' if r.estimate < 0 else '+'}{est}; 95% CI {ci}, "
            f"{fmt.p_value(r.p_value)})."
        )
    return Sentence(text, (est, ci))


def intervention_paragraph(ctx: Context, label: str) -> Paragraph | None:
    """Interrupted time series of town-centre crime, and a weighted displacement check."""
    tc = ctx.config.town_centre
    if tc is None or tc.intervention is None:
        return None
    start = pd.Period(tc.intervention.start, freq="M")
    series = ctx.police_series(CRIME_TYPES, area="town_centre")
    y = pd.Series(series["count"].to_numpy(), index=pd.PeriodIndex(series["month"], freq="M"))
    if start <= y.index.min() or start > y.index.max():
        return None
    its = interrupted_time_series(y, start)
    s_its = level_change_sentence(
        "Crime in the town centre",
        f"the {tc.intervention.name}",
        start,
        its.level_change,
        its.level_ci_low,
        its.level_ci_high,
        its.level_p_value,
    )
    text = [s_its.text]
    pr = (
        f"Over the {its.n_post} months since, there were {fmt.count(its.observed_post)} crimes "
        f"against {fmt.count(its.counterfactual_post)} expected without a change "
        f"(ratio {fmt.ratio(its.post_rate_ratio)}, 95% CI "
        f"{fmt.interval(its.post_rate_ci_low, its.post_rate_ci_high)})."
    )
    text.append(pr)
    facts = [*s_its.facts, fmt.count(its.observed_post), fmt.count(its.counterfactual_post)]
    rows = [
        {
            "Measure": "Level change at the start (ratio)",
            "Estimate (95% CI)": f"{fmt.ratio(its.level_change)} ({fmt.interval(its.level_ci_low, its.level_ci_high)})",
            "p-value": fmt.p_value(its.level_p_value),
        },
        {
            "Measure": "Change in monthly trend (ratio per month)",
            "Estimate (95% CI)": f"{fmt.ratio(its.slope_change, 3)} ({fmt.interval(its.slope_ci_low, its.slope_ci_high, 3)})",
            "p-value": fmt.p_value(its.slope_p_value),
        },
        {
            "Measure": f"Crimes since the start: observed {fmt.count(its.observed_post)}, "
            f"expected {fmt.count(its.counterfactual_post)}",
            "Estimate (95% CI)": f"{fmt.ratio(its.post_rate_ratio)} ({fmt.interval(its.post_rate_ci_low, its.post_rate_ci_high)})",
            "p-value": fmt.MISSING,
        },
    ]
    details: list = [
        its_chart(
            y.rename("count"),
            its.fitted,
            its.counterfactual,
            start,
            title=(
                f"Town-centre crime dropped after {month_label(start)}"
                if its.level_p_value < 0.05 and its.level_change < 1
                else f"Town-centre crime before and after {month_label(start)}"
            ),
            subtitle=f"Crimes recorded each month in {tc.name}, with the level expected had nothing "
            "changed (quasi-Poisson segmented regression with month-of-year effects)",
            intervention_label=tc.intervention.name,
        ),
        Table(
            pd.DataFrame(rows),
            f"Table {label}: interrupted time series, {tc.name}",
            note=f"Dispersion {fmt.number(its.dispersion, 2)}; {its.n_pre} months before and "
            f"{its.n_post} after. Autocorrelation is not modelled.",
        ),
    ]
    # weighted displacement difference: 12 months either side
    if tc.comparison_lsoa_codes:
        pre = (start - 12, start - 1)
        post = (start, start + 11)

        def total(area: str, span: tuple[pd.Period, pd.Period]) -> float:
            s = ctx.police_series(CRIME_TYPES, area=area, start=span[0], end=span[1])
            return float(s["count"].sum()) if s["count"].notna().all() else math.nan

        t0, t1 = total("town_centre", pre), total("town_centre", post)
        c0, c1 = total("comparison", pre), total("comparison", post)
        if not any(math.isnan(v) for v in (t0, t1, c0, c1)):
            wrows = [
                {
                    "Area": tc.name,
                    "12 months before": fmt.count(t0),
                    "12 months after": fmt.count(t1),
                },
                {
                    "Area": "Comparison area",
                    "12 months before": fmt.count(c0),
                    "12 months after": fmt.count(c1),
                },
            ]
            local = weighted_displacement_difference(t0, t1, c0, c1)
            s_local = _wdd_sentence(tc.name, local, "weighted displacement difference")
            text.append(s_local.text)
            facts += list(s_local.facts)
            est_rows = [
                {
                    "Area": "Effect in the town centre (WDD)",
                    "12 months before": "",
                    "12 months after": "",
                }
            ]
            est_rows[0]["Estimate (95% CI)"] = (
                f"{fmt.number(local.estimate, 0)} ({fmt.interval(local.ci_low, local.ci_high, fmt=lambda v: fmt.number(v, 0))})"
            )
            if tc.buffer_lsoa_codes:
                d0, d1 = total("buffer", pre), total("buffer", post)
                if not (math.isnan(d0) or math.isnan(d1)):
                    wrows.insert(
                        1,
                        {
                            "Area": "Surrounding area (buffer)",
                            "12 months before": fmt.count(d0),
                            "12 months after": fmt.count(d1),
                        },
                    )
                    disp = weighted_displacement_difference(d0, d1, c0, c1)
                    if disp.p_value < 0.05 and disp.estimate > 0:
                        ds = (
                            f"Crime in the surrounding area rose relative to the comparison area "
                            f"(+{fmt.count(disp.estimate)}, 95% CI {fmt.interval(disp.ci_low, disp.ci_high, fmt=lambda v: fmt.number(v, 0))}): "
                            "some crime may have been displaced."
                        )
                    elif disp.p_value < 0.05:
                        ds = (
                            f"Crime in the surrounding area also fell relative to the comparison area "
                            f"({fmt.number(disp.estimate, 0)}, 95% CI {fmt.interval(disp.ci_low, disp.ci_high, fmt=lambda v: fmt.number(v, 0))}): "
                            "a diffusion of benefit rather than displacement."
                        )
                    else:
                        ds = (
                            "There is no sign that crime was displaced to the surrounding area "
                            f"(change relative to the comparison area {fmt.number(disp.estimate, 0)}, "
                            f"95% CI {fmt.interval(disp.ci_low, disp.ci_high, fmt=lambda v: fmt.number(v, 0))})."
                        )
                    text.append(ds)
                    est_rows.append(
                        {
                            "Area": "Change in the surrounding area (WDD)",
                            "12 months before": "",
                            "12 months after": "",
                            "Estimate (95% CI)": f"{fmt.number(disp.estimate, 0)} ({fmt.interval(disp.ci_low, disp.ci_high, fmt=lambda v: fmt.number(v, 0))})",
                        }
                    )
            wt = pd.DataFrame(wrows + est_rows).fillna("")
            details.append(
                Table(
                    wt,
                    f"Table {label}b: crimes 12 months before and after "
                    f"{month_label(start)}, with weighted displacement differences",
                    note="Weighted displacement difference (Wheeler & Ratcliffe 2018): "
                    "change in the area minus change in the comparison area, with a "
                    "Poisson standard error. It assumes the areas are comparable; when their "
                    "sizes differ a lot, read it as indicative.",
                )
            )
    text.append(
        "These designs allow for the earlier trend, the seasons and (for the weighted "
        "displacement difference) changes affecting the whole district; they cannot rule out "
        "other changes that started at the same time."
    )
    return Paragraph(
        label,
        f"Did crime fall after the {tc.intervention.name}?",
        tuple(text),
        tuple(details),
        facts=tuple(facts),
        public_text=(s_its.text.split(" (")[0] + ".",),
    )


def concentration_paragraph(ctx: Context, label: str) -> Paragraph | None:
    """Town centre's share of crime against its share of residents; location quotients;
    concentration across the district's LSOAs."""
    tc = ctx.config.town_centre
    cube = ctx.inputs.cube
    months = ctx.current.months
    counts = cube.counts[
        cube.counts["month"].isin(months) & cube.counts["crime_type"].isin(CRIME_TYPES)
    ]
    if counts.empty:
        return None
    by_lsoa = counts.groupby(["lsoa_code", "crime_type"], as_index=False, observed=True)[
        "count"
    ].sum()
    per_lsoa = (
        cube.lsoas[["lsoa_code"]]
        .merge(by_lsoa.groupby("lsoa_code", as_index=False)["count"].sum(), how="left")
        .fillna({"count": 0})
    )
    g, gg = gini(per_lsoa["count"]), generalised_gini(per_lsoa["count"])
    top10 = top_share(per_lsoa["count"], 0.10)
    text = []
    facts = []
    details: list = []
    place_rows: list[dict[str, str]] = []
    if tc is not None:
        tc_count = float(per_lsoa[per_lsoa["lsoa_code"].isin(tc.lsoa_codes)]["count"].sum())
        total = float(per_lsoa["count"].sum())
        pop = ctx.inputs.population
        pop_share = (
            float(
                pop[pop["lsoa_code"].isin(tc.lsoa_codes)]["population"].sum()
                / pop["population"].sum()
            )
            if pop is not None
            else math.nan
        )
        s_crime = fmt.share(tc_count / total)
        sent = (
            f"In {ctx.current.label} {tc.name} ({len(tc.lsoa_codes)} of {len(per_lsoa)} "
            f"neighbourhoods) had {s_crime} of the district's recorded crime"
        )
        facts.append(s_crime)
        place_rows.append(
            {"Measure": f"{tc.name}: share of the district's crime", "Value": s_crime}
        )
        if not math.isnan(pop_share):
            sent += f" but {fmt.share(pop_share)} of its residents"
            facts.append(fmt.share(pop_share))
            place_rows.append(
                {
                    "Measure": f"{tc.name}: share of the district's residents",
                    "Value": fmt.share(pop_share),
                }
            )
        text.append(sent + ".")
        lq = location_quotient_table(by_lsoa, tc.lsoa_codes)
        lq = lq[lq["area_count"] >= 10].sort_values("lq", ascending=False)
        if len(lq):
            hi = lq.iloc[0]
            text.append(
                f"Compared with the district's mix of crime, the town centre has most "
                f"over-representation of {hi['crime_type'].lower()} (location quotient "
                f"{fmt.ratio(hi['lq'])}, 95% CI {fmt.interval(hi['ci_low'], hi['ci_high'])})."
            )
            facts += [fmt.ratio(hi["lq"]), fmt.interval(hi["ci_low"], hi["ci_high"])]
            details.append(
                Table(
                    pd.DataFrame(
                        {
                            "Crime type": lq["crime_type"],
                            "Town centre": lq["area_count"].map(fmt.count),
                            "District": lq["region_count"].map(fmt.count),
                            "Location quotient (95% CI)": [
                                f"{fmt.ratio(v)} ({fmt.interval(lo, hi_, 2)})"
                                for v, lo, hi_ in zip(
                                    lq["lq"], lq["ci_low"], lq["ci_high"], strict=True
                                )
                            ],
                        }
                    ),
                    f"Table {label}: crime types in {tc.name} against the district, {ctx.current.label}",
                    note="Location quotient: the type's share of town-centre crime over its share "
                    "of district crime; above 1 = over-represented. Types with fewer than 10 "
                    "town-centre crimes are left out.",
                )
            )
    text.append(
        f"Across the district's {len(per_lsoa)} neighbourhoods (LSOAs), the 10% with most crime "
        f"had {fmt.share(top10)} of it; the Gini coefficient of concentration is {fmt.ratio(g)} "
        f"(generalised Gini {fmt.ratio(gg)}, which allows for places with no crime)."
    )
    facts += [fmt.share(top10)]
    curve = lorenz_curve(per_lsoa["count"])
    details.insert(
        0,
        lorenz_chart(
            curve,
            title=f"The 10% of neighbourhoods with most crime had {fmt.share(top10)} of it",
            subtitle=f"Cumulative share of recorded crime by neighbourhood (LSOA), "
            f"{ctx.config.area.name}, {ctx.current.label}",
            gini=g,
            places="neighbourhoods",
        ),
    )
    details.append(
        Table(
            pd.DataFrame(
                [
                    *place_rows,
                    {"Measure": "Neighbourhoods (LSOAs)", "Value": fmt.count(len(per_lsoa))},
                    {
                        "Measure": "Share of crime in the top 10% of neighbourhoods",
                        "Value": fmt.share(top10),
                    },
                    {"Measure": "Gini coefficient", "Value": fmt.ratio(g)},
                    {"Measure": "Generalised Gini", "Value": fmt.ratio(gg)},
                ]
            ),
            f"Table {label}b: how concentrated crime is, {ctx.current.label}",
        )
    )
    return Paragraph(
        label,
        "Where crime concentrates",
        tuple(text),
        tuple(details),
        facts=tuple(facts),
        public_text=(text[0],),
    )


def survey_paragraph(ctx: Context, label: str, survey: str = "public") -> Paragraph | None:
    """What residents (or young people) said: each measure by year with its change."""
    df = ctx.inputs.survey
    measures = [m for m in ctx.config.surveys if m.survey == survey]
    if df is None or not measures:
        return None
    table = survey_measure_table(df, measures)
    if table.empty:
        return None
    years = [ctx.previous.label, ctx.current.label]
    change = survey_measure_change(table, *years)
    text, facts = [], []
    for m in measures:
        row = change[change["measure"] == m.id]
        if row.empty or math.isnan(row["difference"].iloc[0]):
            continue
        r = row.iloc[0]
        s = proportion_change_sentence(
            m.label,
            r["proportion_before"],
            r["proportion_after"],
            r["ci_low"],
            r["ci_high"],
            r["p_value"],
            baseline=years[0],
            current=years[1],
        )
        text.append(s.text)
        facts += list(s.facts)
    shown = table[table["year"].isin(years)]
    out = pd.DataFrame(
        {
            "Measure": shown["label"],
            "Year": shown["year"],
            "Respondents": shown["n"].map(fmt.count),
            "Per cent (95% CI)": [
                f"{fmt.share(p)} ({fmt.interval(lo, hi, fmt=fmt.share)})"
                for p, lo, hi in zip(
                    shown["proportion"], shown["ci_low"], shown["ci_high"], strict=True
                )
            ],
        }
    )
    who = "residents" if survey == "public" else "young people"
    text.append(
        f"Weighted survey percentages; intervals allow for the weighting (Kish effective sample "
        f"size). Survey of {who}."
    )
    return Paragraph(
        label,
        "What residents say" if survey == "public" else "What young people say",
        tuple(text),
        (
            Table(
                out, f"Table {label}: {survey} community-safety survey, {years[0]} and {years[1]}"
            ),
        ),
        facts=tuple(facts),
        public_text=tuple(
            t.split(", a statistically")[0].split("; the difference")[0] + "." for t in text[:-1]
        ),
    )


def town_centre(ctx: Context, priority_id: str = "TC") -> Section:
    """Section TC."""
    pr = ctx.config.priority(priority_id)
    status = evaluate_priority(ctx, priority_id)
    tc = ctx.config.town_centre
    paras = [status_paragraph(ctx, status, f"{pr.id}.1")]
    for p in (
        intervention_paragraph(ctx, f"{pr.id}.2"),
        concentration_paragraph(ctx, f"{pr.id}.3"),
    ):
        if p is not None:
            paras.append(p)
    if tc is not None:
        paras.append(
            trend_paragraph(
                ctx,
                f"{pr.id}.4",
                "Town-centre anti-social behaviour",
                ctx.police_series([ASB], area="town_centre"),
                noun="incidents",
                good="down",
                area_name=tc.name,
                intervention=tc.intervention.start if tc.intervention else None,
                intervention_label=tc.intervention.name if tc.intervention else None,
            )
        )
    sp = survey_paragraph(ctx, f"{pr.id}.5")
    if sp is not None:
        paras.append(sp)
    return Section(pr.id, pr.title, tuple(paras), status=status, overrides=ctx.inputs.overrides)
