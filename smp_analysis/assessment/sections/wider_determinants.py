"""Wider determinants: health indicators (OHID Fingertips) and deprivation — section WD."""

from __future__ import annotations

import math

import pandas as pd

from ...categories import CRIME_TYPES
from ...config import HealthIndicatorConfig
from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table
from ...present.charts import indicator_chart, rate_by_group_chart
from ...stats.deprivation import most_vs_least_deprived, rates_by_decile
from ..context import Context
from ..section import Section

__all__ = ["wider_determinants", "compare_with_england", "ENGLAND"]

ENGLAND = "E92000001"


def compare_with_england(lo: float, hi: float, england: float, good: str) -> str:
    """Fingertips' rule: the area's 95% interval against England's value.

    Examples
    --------
    >>> compare_with_england(10, 12, 9, "down"), compare_with_england(10, 12, 11, "down")
    ('worse', 'similar')
    """
    if any(math.isnan(v) for v in (lo, hi, england)):
        return "not compared"
    if lo > england:
        return "worse" if good == "down" else "better"
    if hi < england:
        return "better" if good == "down" else "worse"
    return "similar"


def _health_paragraph(ctx: Context, label: str, hc: HealthIndicatorConfig) -> Paragraph | None:
    ft = ctx.inputs.fingertips
    if ft is None:
        return None
    rows = ft[ft["indicator_id"] == hc.fingertips_id]
    if rows.empty:
        return None
    codes = {c for c in (ctx.config.area.code,) if c}
    mine = rows[rows["area_code"].isin(codes) | (rows["area_name"] == ctx.config.area.name)]
    eng = rows[rows["area_code"] == ENGLAND]
    if mine.empty:
        return None
    sort_key = (
        "time_period_sortable" if rows["time_period_sortable"].notna().all() else "time_period"
    )
    mine = mine.sort_values(sort_key)
    latest = mine.iloc[-1]
    e = eng[eng["time_period"] == latest["time_period"]]
    e_val = float(e["value"].iloc[0]) if len(e) else math.nan
    verdict = compare_with_england(latest["lower_ci_95"], latest["upper_ci_95"], e_val, hc.good)
    name = str(latest["indicator_name"])
    val, ci = (
        fmt.number(latest["value"]),
        fmt.interval(latest["lower_ci_95"], latest["upper_ci_95"], 1),
    )
    text = [
        f"{hc.label} in {ctx.config.area.name}: {val} in {latest['time_period']} (95% CI {ci}), "
        + (
            f"{verdict} than England ({fmt.number(e_val)})."
            if verdict in ("better", "worse")
            else (
                f"similar to England ({fmt.number(e_val)})."
                if verdict == "similar"
                else "with no England value to compare."
            )
        )
    ]
    facts = [val, ci]
    if len(mine) > 1:
        first = mine.iloc[0]
        text.append(f"In {first['time_period']} it was {fmt.number(first['value'])}.")
        facts.append(fmt.number(first["value"]))
    text.append(f"Indicator: {name} (Fingertips {hc.fingertips_id}).")
    chart_rows = rows[
        rows["area_code"].isin({*codes, ENGLAND})
        | (rows["area_name"] == ctx.config.area.name)
        | ~rows["area_code"].isin({ENGLAND})
    ]
    chart = indicator_chart(
        chart_rows.sort_values(sort_key),
        title=f"{hc.label}: {verdict} than England"
        if verdict in ("better", "worse")
        else f"{hc.label}: similar to England"
        if verdict == "similar"
        else hc.label,
        subtitle=f"Fingertips indicator {hc.fingertips_id}: {ctx.config.area.name}, county and "
        "England, with 95% intervals",
        value_label="Indicator value",
        period="time_period",
        area="area_name",
        estimate="value",
        ci_low="lower_ci_95",
        ci_high="upper_ci_95",
        focus=str(latest["area_name"]),
    )
    shown = mine[["time_period", "value", "lower_ci_95", "upper_ci_95", "count"]]
    table = pd.DataFrame(
        {
            "Period": shown["time_period"],
            ctx.config.area.name: [
                f"{fmt.number(v)} ({fmt.interval(lo, hi, 1)})"
                for v, lo, hi in zip(
                    shown["value"], shown["lower_ci_95"], shown["upper_ci_95"], strict=True
                )
            ],
            "Count": shown["count"].map(fmt.count),
            "England": [
                fmt.number(eng[eng["time_period"] == p]["value"].iloc[0])
                if (eng["time_period"] == p).any()
                else fmt.MISSING
                for p in shown["time_period"]
            ],
        }
    )
    return Paragraph(
        label,
        hc.label,
        tuple(text),
        (
            chart,
            Table(
                table,
                f"Table {label}: {hc.label.lower()}, {ctx.config.area.name} and England",
                note="Source: OHID Fingertips. Compared with England as Fingertips does: "
                "better or worse when the area's 95% interval excludes England's value.",
            ),
        ),
        facts=tuple(facts),
        public_text=(text[0].split(" (95% CI")[0] + ".",),
    )


def _deprivation_paragraph(ctx: Context, label: str) -> Paragraph | None:
    imd, pop = ctx.inputs.imd, ctx.inputs.population
    if imd is None or pop is None:
        return None
    cube = ctx.inputs.cube
    cur = cube.counts[
        cube.counts["month"].isin(ctx.current.months) & cube.counts["crime_type"].isin(CRIME_TYPES)
    ]
    counts = (
        cube.lsoas[["lsoa_code"]]
        .merge(cur.groupby("lsoa_code", as_index=False)["count"].sum(), how="left")
        .fillna({"count": 0})
    )
    deciles = imd[["lsoa_code", "imd_decile"]].rename(columns={"imd_decile": "decile"})
    rates = rates_by_decile(counts, pop, deciles)
    ranked = rates[rates["decile"].notna()]
    if ranked.empty:
        return None
    rr = most_vs_least_deprived(rates)
    text, facts = [], []
    if len(rr):
        r = rr.iloc[0]
        ratio, ci = fmt.ratio(r["rate_ratio"], 1), fmt.interval(r["ci_low"], r["ci_high"], 1)
        text.append(
            f"In {ctx.current.label} the crime rate in the district's most deprived "
            f"neighbourhoods (IMD 2019 decile {int(r['most'])}) was {ratio} times the rate in the "
            f"least deprived (decile {int(r['least'])}) (95% CI {ci})."
        )
        facts += [ratio, ci]
    unmatched = rates[rates["decile"].isna()]
    if len(unmatched) and unmatched["count"].sum() > 0:
        text.append(
            f"{fmt.count(unmatched['count'].sum())} crimes are in neighbourhoods with no IMD 2019 "
            "decile (LSOA codes changed in 2021); they are shown as a separate row."
        )
    text.append(
        "Deciles are national (1 = the most deprived 10% of neighbourhoods in England); a "
        "district may have few neighbourhoods in some deciles, so their rates are less certain."
    )
    shown = pd.DataFrame(
        {
            "IMD 2019 decile": rates["decile"].map(
                lambda d: "No decile" if pd.isna(d) else f"{int(d)}"
            ),
            "Neighbourhoods": rates["lsoas"].map(fmt.count),
            "Crimes": rates["count"].map(fmt.count),
            "Residents": rates["population"].map(fmt.count),
            "Crimes per 1,000 residents (95% CI)": [
                fmt.MISSING if math.isnan(v) else f"{fmt.number(v)} ({fmt.interval(lo, hi, 1)})"
                for v, lo, hi in zip(rates["rate"], rates["ci_low"], rates["ci_high"], strict=True)
            ],
        }
    )
    chart = rate_by_group_chart(
        ranked.assign(group=ranked["decile"].map(lambda d: f"Decile {int(d)}")),
        title=text[0].split(" (95% CI")[0].replace(f"In {ctx.current.label} the", "The")
        if len(rr)
        else "Crime by deprivation decile",
        subtitle=f"Crimes per 1,000 residents by IMD 2019 decile, {ctx.config.area.name}, "
        f"{ctx.current.label}",
        group="group",
        estimate="rate",
        ci_low="ci_low",
        ci_high="ci_high",
        kind="bar",
    )
    ratio_row = pd.DataFrame()
    if len(rr):
        r = rr.iloc[0]
        ratio_row = pd.DataFrame(
            {
                "Comparison": [f"Decile {int(r['most'])} against decile {int(r['least'])}"],
                "Rate ratio (95% CI)": [
                    f"{fmt.ratio(r['rate_ratio'], 1)} "
                    f"({fmt.interval(r['ci_low'], r['ci_high'], 1)})"
                ],
            }
        )
    details: list = [
        chart,
        Table(
            shown,
            f"Table {label}: crime by deprivation, {ctx.current.label}",
            note="Exact Poisson intervals.",
        ),
    ]
    if len(ratio_row):
        details.append(Table(ratio_row, f"Table {label}b: most against least deprived"))
    return Paragraph(
        label,
        "Crime and deprivation",
        tuple(text),
        tuple(details),
        facts=tuple(facts),
        public_text=(text[0].split(" (95% CI")[0] + ".",) if text else (),
    )


def wider_determinants(ctx: Context) -> Section:
    """Section WD: one paragraph per configured health indicator, then deprivation."""
    paras = []
    for i, hc in enumerate(ctx.config.health, start=1):
        p = _health_paragraph(ctx, f"WD.{i}", hc)
        if p is not None:
            paras.append(p)
    dp = _deprivation_paragraph(ctx, f"WD.{len(ctx.config.health) + 1}")
    if dp is not None:
        paras.append(dp)
    return Section(
        "WD",
        "Wider determinants: health and deprivation",
        tuple(paras),
        intro=(
            "Crime and disorder share causes with health and deprivation. These indicators "
            "come from OHID Fingertips and the English Indices of Deprivation 2019.",
        ),
        overrides=ctx.inputs.overrides,
    )
