"""Wider determinants: health indicators (OHID Fingertips) and deprivation — section WD."""

from __future__ import annotations

import math
import re

import pandas as pd

from ...categories import CRIME_TYPES
from ...config import HealthIndicatorConfig
from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table, cell
from ...present.charts import indicator_chart, rate_by_group_chart
from ...results.result import coverage_frame
from ...stats.deprivation import most_vs_least_deprived, rates_by_decile
from ..claims import month_span
from ..context import Context
from ..section import Section

__all__ = [
    "wider_determinants",
    "compare_with_england",
    "ENGLAND",
    "FINGERTIPS_META",
    "period_words",
    "unit_of",
]

ENGLAND = "E92000001"

#: unit and plain definition of the Fingertips indicators the shipped configs use (from the
#: indicators' Fingertips definitions); a config's ``unit``/``definition`` takes precedence
FINGERTIPS_META: dict[int, tuple[str, str]] = {
    11201: (
        "per 100,000 residents",
        "Emergency hospital admissions for violence, including sexual violence, "
        "age-standardised and averaged over three years.",
    ),
    93764: (
        "per 100,000 residents",
        "Hospital admissions whose main reason is a condition caused wholly or partly by "
        "alcohol, age-standardised.",
    ),
    21001: (
        "per 100,000 residents",
        "Emergency hospital admissions for intentional self-harm, age-standardised.",
    ),
    10401: (
        "per 100,000 residents aged 10 to 17",
        "Children aged 10 to 17 receiving their first youth caution or court conviction.",
    ),
}

_POOLED = re.compile(r"^\s*(\d{4})/(\d{2})\s*-\s*(\d{2})/(\d{2})\s*$")


def period_words(period: object) -> str:
    """A Fingertips time period in words: pooled years are spelt out.

    Examples
    --------
    >>> period_words("2020/21 - 22/23"), period_words("2022/23"), period_words(2023)
    ('2020/21 to 2022/23 (three years pooled)', '2022/23', '2023')
    """
    text = str(period).strip()
    m = _POOLED.match(text)
    if not m:
        return text
    start, end = int(m.group(1)), int(m.group(1)[:2] + m.group(3))
    years = end - start + 1
    n = {2: "two", 3: "three", 4: "four", 5: "five"}.get(years, str(years))
    return f"{start}/{m.group(2)} to {end}/{m.group(4)} ({n} years pooled)"


def unit_of(hc: HealthIndicatorConfig) -> tuple[str, str]:
    """The unit and plain definition of a health indicator: the config's, else the known
    Fingertips indicator's, else a pointer to the Fingertips definition.

    Examples
    --------
    >>> unit_of(HealthIndicatorConfig(fingertips_id=21001, label="Self-harm", good="down"))[0]
    'per 100,000 residents'
    >>> unit_of(HealthIndicatorConfig(fingertips_id=1, label="X", good="up", unit="%"))[0]
    '%'
    """
    unit, definition = FINGERTIPS_META.get(hc.fingertips_id, ("", ""))
    unit = hc.unit or unit or f"(unit as defined by Fingertips indicator {hc.fingertips_id})"
    definition = (
        hc.definition
        or definition
        or (f"See the definition of Fingertips indicator {hc.fingertips_id}.")
    )
    return unit, definition


def _with_unit(value: str, unit: str) -> str:
    """``"36.2"`` + ``"per 100,000 residents"`` → ``"36.2 per 100,000 residents"``;
    ``"%"`` is written without a space."""
    return f"{value}{unit}" if unit == "%" else f"{value} {unit}"


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
    name = str(latest["indicator_name"])  # Fingertips' own title, quoted in the table note
    unit, definition = unit_of(hc)
    short = unit.split(" residents")[0] if unit.startswith("per ") else unit
    val = fmt.number(latest["value"])
    # plain words here; the 95% interval is in the table beside
    text = [
        f"{hc.label} in {ctx.config.area.name}: {_with_unit(val, unit)} in "
        f"{period_words(latest['time_period'])}, "
        + (
            f"{verdict} than England ({_with_unit(fmt.number(e_val), short)})."
            if verdict in ("better", "worse")
            else (
                f"similar to England ({_with_unit(fmt.number(e_val), short)})."
                if verdict == "similar"
                else "with no England value to compare."
            )
        )
    ]
    facts = [val]
    if len(mine) > 1:
        first = mine.iloc[0]
        text.append(
            f"In {period_words(first['time_period'])} it was "
            f"{_with_unit(fmt.number(first['value']), short)}."
        )
        facts.append(fmt.number(first["value"]))
    text.append(
        f"What it measures: {definition} Source: OHID Fingertips, indicator {hc.fingertips_id}."
    )
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
        value_label=f"{hc.label} ({unit})",
        period="time_period",
        area="area_name",
        estimate="value",
        ci_low="lower_ci_95",
        ci_high="upper_ci_95",
        focus=str(latest["area_name"]),
    )
    england = eng.drop_duplicates("time_period").set_index("time_period")["value"]
    data = pd.DataFrame(
        {
            "period": mine["time_period"].astype(str),
            "value": mine["value"].astype("float64"),
            "ci_low": mine["lower_ci_95"].astype("float64"),
            "ci_high": mine["upper_ci_95"].astype("float64"),
            "count": mine["count"].astype("float64"),
            "england": mine["time_period"].map(england).astype("float64"),
        }
    )
    data["comparison"] = [
        compare_with_england(lo, hi, e, hc.good)
        for lo, hi, e in zip(data["ci_low"], data["ci_high"], data["england"], strict=True)
    ]
    table = Table.rendered(
        data,
        {
            "Period": cell("period"),
            f"{ctx.config.area.name}, {unit} (95% CI)": lambda r: (
                f"{fmt.number(r['value'])} ({fmt.interval(r['ci_low'], r['ci_high'], 1)})"
            ),
            "Count": cell("count", fmt.count),
            f"England, {unit}": cell("england", fmt.number),
        },
        f"Table {label}: {hc.label[:1].lower() + hc.label[1:]} ({unit}), "
        f"{ctx.config.area.name} and England",
        headers={
            "period": "Period",
            "value": f"{hc.label}, {ctx.config.area.name} ({unit})",
            "ci_low": "95% confidence interval, lower",
            "ci_high": "95% confidence interval, upper",
            "count": "Count",
            "england": f"{hc.label}, England ({unit})",
            "comparison": "Compared with England",
        },
        note=f"Source: OHID Fingertips indicator {hc.fingertips_id}, \u201c{name}\u201d "
        f"(fingertips.phe.org.uk/search/{hc.fingertips_id}). Compared with England as "
        "Fingertips does: better or worse when the area's 95% interval excludes England's "
        "value.",
    )
    return Paragraph(
        label,
        hc.label,
        tuple(text),
        (chart, table),
        facts=tuple(facts),
        public_text=(text[0],),
        tests=(
            "OHID Fingertips values and 95% intervals, compared with England as Fingertips "
            "does (the area's interval against England's value)",
        ),
    )


def _deprivation_paragraph(ctx: Context, label: str) -> Paragraph | None:
    imd, pop = ctx.inputs.imd, ctx.inputs.population
    if imd is None or pop is None:
        return None
    cube = ctx.inputs.cube
    series = ctx.police_series(CRIME_TYPES)
    present = set(cube.months_present)
    with_data = [m for m in ctx.current.months if m in present]
    n_months = len(with_data)
    if not n_months:
        return Paragraph(
            label,
            "Crime and deprivation",
            (
                f"No month of {ctx.current.label} has police.uk data, so crime rates by "
                "deprivation are not given.",
            ),
            coverage=coverage_frame(series, [ctx.current]),
        )
    # a rate for part of a year is a rate over the months with data, never the year's rate
    part = n_months < ctx.current.n_months
    over = f"over {n_months} months" if part else ""
    over_span = f"{over} ({month_span(with_data)})" if part else ""
    cur = cube.counts[
        cube.counts["month"].isin(with_data) & cube.counts["crime_type"].isin(CRIME_TYPES)
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
    # compare the most and least deprived deciles the district has: many districts have no
    # neighbourhood in decile 1 (or 10), and then the national extremes cannot be compared
    held = sorted(int(d) for d in ranked.loc[ranked["population"] > 0, "decile"].unique())
    rr = (
        most_vs_least_deprived(rates, most=held[0], least=held[-1])
        if len(held) >= 2
        else pd.DataFrame()
    )
    text, facts = [], []
    when = f"In {ctx.current.label}, {over_span}," if part else f"In {ctx.current.label}"
    if len(rr):
        r = rr.iloc[0]
        ratio = fmt.ratio(r["rate_ratio"], 1)
        text.append(
            f"{when} the crime rate in the district's most deprived "
            f"neighbourhoods (IMD 2019 decile {int(r['most'])}) was {ratio} times the rate in the "
            f"least deprived (decile {int(r['least'])})."
        )
        facts += [ratio]  # its 95% interval is in Table b beside
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
    data = rates[["decile", "lsoas", "count", "population", "rate", "ci_low", "ci_high"]].assign(
        months=n_months
    )
    data = data[["decile", "lsoas", "count", "population", "months", "rate", "ci_low", "ci_high"]]
    data = data.astype(
        {
            "decile": "Int64",
            "lsoas": "int64",
            "count": "float64",
            "population": "float64",
            "months": "int64",
            "rate": "float64",
            "ci_low": "float64",
            "ci_high": "float64",
        }
    )
    rate_word = f"Crimes per 1,000 residents {over}" if part else "Crimes per 1,000 residents"
    table = Table.rendered(
        data,
        {
            "IMD 2019 decile": lambda r: (
                "No decile" if pd.isna(r["decile"]) else f"{int(r['decile'])}"
            ),
            "Neighbourhoods": cell("lsoas", fmt.count),
            "Crimes": cell("count", fmt.count),
            "Residents": cell("population", fmt.count),
            f"{rate_word} (95% CI)": lambda r: (
                fmt.MISSING
                if pd.isna(r["rate"])
                else f"{fmt.number(r['rate'])} ({fmt.interval(r['ci_low'], r['ci_high'], 1)})"
            ),
        },
        f"Table {label}: crime by deprivation, {ctx.current.label}"
        + (f", {over_span}" if part else ""),
        headers={
            "decile": "IMD 2019 decile (1 = most deprived; empty = no decile)",
            "lsoas": "Neighbourhoods (LSOAs)",
            "count": "Crimes (count)",
            "population": "Residents (Census 2021)",
            "months": f"Months with data in {ctx.current.label} (the rate is over these months)",
            "rate": rate_word,
            "ci_low": "Rate 95% confidence interval, lower (exact Poisson)",
            "ci_high": "Rate 95% confidence interval, upper (exact Poisson)",
        },
        note="Exact Poisson intervals.",
    )
    chart = rate_by_group_chart(
        ranked.assign(group=ranked["decile"].map(lambda d: f"Decile {int(d)}")),
        title=text[0].split(" (95% CI")[0].replace(f"{when} the", "The")
        if len(rr)
        else "Crime by deprivation decile",
        subtitle=f"{rate_word} by IMD 2019 decile, {ctx.config.area.name}, "
        f"{ctx.current.label}" + (f" ({month_span(with_data)})" if part else ""),
        group="group",
        estimate="rate",
        ci_low="ci_low",
        ci_high="ci_high",
        kind="bar",
    )
    details: list = [chart, table]
    if len(rr):
        ratio_data = (
            rr[
                [
                    "most",
                    "least",
                    "count_most",
                    "population_most",
                    "rate_most",
                    "count_least",
                    "population_least",
                    "rate_least",
                    "rate_ratio",
                    "ci_low",
                    "ci_high",
                ]
            ]
            .iloc[:1]
            .copy()
        )
        ratio_data.insert(2, "months", n_months)
        details.append(
            Table.rendered(
                ratio_data,
                {
                    "Comparison": lambda r: (
                        f"Decile {int(r['most'])} against decile {int(r['least'])}"
                    ),
                    "Rate ratio (95% CI)": lambda r: (
                        f"{fmt.ratio(r['rate_ratio'], 1)} "
                        f"({fmt.interval(r['ci_low'], r['ci_high'], 1)})"
                    ),
                },
                f"Table {label}b: most against least deprived",
                headers={
                    "most": "Most deprived decile",
                    "least": "Least deprived decile",
                    "count_most": "Crimes, most deprived decile (count)",
                    "population_most": "Residents, most deprived decile",
                    "months": f"Months with data in {ctx.current.label} (the rates are over "
                    "these months)",
                    "rate_most": f"{rate_word}, most deprived decile",
                    "count_least": "Crimes, least deprived decile (count)",
                    "population_least": "Residents, least deprived decile",
                    "rate_least": f"{rate_word}, least deprived decile",
                    "rate_ratio": "Rate ratio (most over least deprived)",
                    "ci_low": "Rate ratio 95% confidence interval, lower",
                    "ci_high": "Rate ratio 95% confidence interval, upper",
                },
            )
        )
    return Paragraph(
        label,
        "Crime and deprivation",
        tuple(text),
        tuple(details),
        facts=tuple(facts),
        public_text=(text[0].split(" (95% CI")[0] + ".",) if text else (),
        coverage=coverage_frame(series, [ctx.current], used={ctx.current.label: with_data}),
        tests=DEPRIVATION_TESTS,
    )


#: the methods behind the deprivation paragraph
DEPRIVATION_TESTS = (
    "crimes per 1,000 residents by IMD 2019 decile with exact Poisson intervals",
    "rate ratio of the most to the least deprived decile with the exact conditional Poisson "
    "interval (R poisson.test with two samples)",
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
