"""Data and methods — section DM: sources, data quality, methods, status rules, caveats,
glossary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ... import __version__
from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table, cell
from ...quality import month_ranges
from ...results.result import coverage_frame
from ..claims import RULES, month_span
from ..context import Context
from ..glossary import glossary_html
from ..section import Section
from ..status import RELEVANCE_RULE

__all__ = ["data_and_methods", "METHODS", "CAVEATS", "months_in_words"]

#: Methods used in the report, with their sources (shown in DM.3).
METHODS = (
    "**Change between years**: counts and per cent change always with the exact conditional "
    "Poisson test of the rate ratio (as R `poisson.test`), months with data as exposure; many "
    "categories at once: Benjamini–Hochberg false discovery rate.",
    "**Rates**: per 1,000 residents (Census 2021 usual residents) with exact Poisson intervals "
    "below 10 events and Byar's approximation from 10 (the PHE/OHID method).",
    "**Monthly variation**: XmR (individuals) charts, limits at the mean ± 2.66 × mean moving "
    "range, with the NHS Making Data Count rules (a point outside the limits, 7 points on one "
    "side of the mean, a 7-point run up or down, 2 of 3 points near a limit).",
    "**Long-term trends**: seasonal Mann–Kendall test (Hirsch–Slack) with Sen's slope.",
    "**Emerging concerns**: each series' latest quarter against a quasi-Poisson baseline with "
    "trend and seasonal terms, past outliers down-weighted (in the spirit of the Farrington "
    "flexible method, Noufaily et al. 2013); flags controlled for the false discovery rate.",
    "**Intervention evaluation**: interrupted time series (segmented quasi-Poisson regression "
    "with month-of-year effects; Lopez Bernal, Cummins & Gasparrini 2017) and the weighted "
    "displacement difference against a comparison area (Wheeler & Ratcliffe 2018).",
    "**Shares and survey percentages**: Wilson intervals; surveys weighted, with Kish effective "
    "sample sizes; changes with Newcombe intervals.",
    "**Disproportionality**: differential change of a sub-type within its parent (Fisher's "
    "exact test, as R `fisher.test`); rate ratios between groups with exact or Katz log "
    "intervals; location quotients (Brantingham & Brantingham 1998); Gini and generalised Gini "
    "of concentration (Bernasco & Steenbeek 2017).",
    "**Health indicators** are OHID Fingertips values, compared with England as Fingertips "
    "does (the area's 95% interval against England's value).",
    "**Public version**: counts below the disclosure threshold shown as [c] (GSS symbol), with "
    "secondary suppression so no hidden value can be worked out from totals.",
    "**Comparison with peers** (section CMP, when the config names a peer group): every area "
    "counted from the same data.police.uk files over the same months, rates per 1,000 Census "
    "2021 residents; the partnership against the rest of the group with the exact conditional "
    "Poisson test (R `poisson.test`), Benjamini–Hochberg across categories; funnel plot with "
    "PHE's exact Poisson 95% and 99.8% limits (Fingertips technical guidance, "
    "PHEindicatormethods); change since last year as a ratio of rate ratios with a log-normal "
    "interval.",
)

#: Standing caveats (DM.5).
CAVEATS = (
    "Police-recorded crime counts what is reported and recorded, not all crime; changes in "
    "recording practice or in willingness to report change the figures.",
    "data.police.uk locations are moved to anonymous map points, and some crimes have no "
    "location; the neighbourhood of a crime is approximate.",
    "data.police.uk figures differ from the Home Office's police recorded crime (different "
    "extraction dates, revisions, crimes without a location).",
    "Anti-social behaviour incidents are not crimes and are never added to crime totals.",
    "LSOA codes changed in 2021: IMD 2019 and older lookups use 2011 codes, police.uk uses 2021 "
    "codes; neighbourhoods that changed have no deprivation decile here.",
    "Statistical significance says a change is larger than chance alone would often give; it "
    "does not say why it happened.",
)


def _source(
    source: str,
    coverage: str,
    records: float,
    unit: str = "rows",
    *,
    months_present: int | None = None,
    months_expected: int | None = None,
    neighbourhoods: int | None = None,
) -> dict[str, Any]:
    if neighbourhoods is not None:
        coverage = f"{fmt.count(neighbourhoods)} neighbourhoods"
    if months_present is not None:
        coverage += f" ({months_present} of {months_expected} months)"
    return {
        "source": source,
        "coverage": coverage,
        "months_present": months_present,
        "months_expected": months_expected,
        "neighbourhoods": neighbourhoods,
        "records": float(records),
        "records_unit": unit,
    }


def _sources(ctx: Context) -> pd.DataFrame:
    """One row per input used: what it covers (as text, with the months and neighbourhoods
    also as numbers) and how many records (rows, residents or respondents) it gave."""
    inp, cfg = ctx.inputs, ctx.config
    cube = inp.cube
    rows = [
        _source(
            "data.police.uk street-level crime and ASB",
            month_ranges(cube.months_present),
            inp.quality.measure("in_area"),
            months_present=len(cube.months_present),
            months_expected=len(cube.months_expected),
        )
    ]
    if inp.stop_search is not None:
        rows.append(
            _source(
                "data.police.uk stop and search (force area)",
                month_ranges(sorted(inp.stop_search["month"].unique())),
                len(inp.stop_search),
            )
        )
    if inp.partner is not None:
        inds = sorted(inp.partner["indicator"].unique())
        rows.append(
            _source(
                "Partner returns (" + ", ".join(inds) + ")",
                f"{inp.partner['period_start'].min()} to {inp.partner['period_end'].max()}",
                len(inp.partner),
            )
        )
    if inp.fingertips is not None:
        rows.append(
            _source(
                "OHID Fingertips indicators "
                + ", ".join(str(i) for i in sorted(inp.fingertips["indicator_id"].unique())),
                f"{inp.fingertips['time_period'].min()} to {inp.fingertips['time_period'].max()}",
                len(inp.fingertips),
            )
        )
    if inp.population is not None:
        rows.append(
            _source(
                "Census 2021 usual residents by LSOA",
                "",
                inp.population["population"].sum(),
                "residents",
                neighbourhoods=len(inp.population),
            )
        )
    if inp.imd is not None:
        rows.append(
            _source("English Indices of Deprivation 2019 (2011 LSOAs)", "England", len(inp.imd))
        )
    if inp.ethnicity is not None:
        rows.append(
            _source(
                "Census residents by ethnic group (stop-and-search denominators)",
                ", ".join(cfg.stop_search.population_areas) if cfg.stop_search else "",
                inp.ethnicity["residents"].sum(),
                "residents",
            )
        )
    if inp.survey is not None:
        resp = inp.survey.drop_duplicates(["survey", "year", "respondent_id"])
        counts = resp.groupby(["survey", "year"]).size()
        rows.append(
            _source(
                "Community-safety surveys",
                "; ".join(f"{s} {y}" for s, y in counts.index),
                len(resp),
                "respondents",
            )
        )
    out = pd.DataFrame(rows)
    for c in ("months_present", "months_expected", "neighbourhoods"):
        out[c] = out[c].astype("Int64")
    return out


def _records_cell(row: Mapping[str, Any]) -> str:
    n = fmt.count(row["records"])
    return n if row["records_unit"] == "rows" else f"{n} {row['records_unit']}"


#: readable headers of Table DM.1's columns
SOURCE_HEADERS = {
    "source": "Source",
    "coverage": "Coverage",
    "months_present": "Months with data",
    "months_expected": "Months expected",
    "neighbourhoods": "Neighbourhoods (LSOAs)",
    "records": "Records used (count, in the unit of the next column)",
    "records_unit": "Unit of the records used (rows, residents or respondents)",
}


def _sources_table(ctx: Context) -> Table:
    return Table.rendered(
        _sources(ctx),
        {
            "Source": cell("source"),
            "Coverage": cell("coverage"),
            "Records used": _records_cell,
        },
        "Table DM.1: data sources used in this report",
        headers=SOURCE_HEADERS,
    )


def _quality_table(ctx: Context) -> Table:
    qt = ctx.inputs.quality.table()
    data = pd.DataFrame(
        {
            "check": qt["check"],
            "force": qt["force"],
            "count": pd.to_numeric(qt["count"]),
            "detail": qt["detail"],
        }
    )
    return Table.rendered(
        data,
        {
            "Check": cell("check"),
            "Force": cell("force"),
            "Count": cell("count", fmt.count),
            "Detail": cell("detail"),
        },
        "Table DM.2: data-quality checks on the police.uk files",
        headers={"check": "Check", "force": "Force", "count": "Count", "detail": "Detail"},
    )


def _police_coverage(ctx: Context) -> pd.DataFrame:
    """Months of each financial year expected and present in the police.uk files."""
    cube = ctx.inputs.cube
    present = set(cube.months_present)
    months = pd.PeriodIndex(cube.months_expected, freq="M")
    series = pd.DataFrame(
        {"month": months, "count": [1.0 if m in present else float("nan") for m in months]}
    )
    return coverage_frame(series, ctx.years)


def _peers_text(cfg) -> tuple[str, ...]:
    """The configured peer group (names only: a ``nearest`` group is listed in CMP)."""
    p = cfg.peers
    if p is None:
        return ()
    if p.areas is not None:
        names = ", ".join(a.name for a in p.areas)
        return (f"The peer group '{p.name}' is the areas listed in the config: {names}.",)
    return (
        f"The peer group is the {p.nearest} statistical nearest neighbours of "
        f"{cfg.area.name} among English districts; the method, its variables and the chosen "
        "districts are given in section CMP.",
    )


def months_in_words(months) -> str:
    """Months as runs in words: ``"August 2021 and May to December 2024"``.

    Examples
    --------
    >>> import pandas as pd
    >>> ms = [pd.Period("2021-08", "M"), *pd.period_range("2024-05", "2024-12", freq="M")]
    >>> months_in_words(ms)
    'August 2021 and May to December 2024'
    >>> months_in_words([pd.Period("2024-01", "M"), pd.Period("2024-03", "M"),
    ...                  pd.Period("2024-05", "M")])
    'January 2024, March 2024 and May 2024'
    """
    ms = sorted(pd.Period(m, freq="M") for m in months)
    runs: list[list[pd.Period]] = []
    for m in ms:
        if runs and (m - runs[-1][-1]).n == 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    words = [month_span(r) for r in runs]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def data_and_methods(ctx: Context) -> Section:
    """Section DM."""
    cfg = ctx.config
    q = ctx.inputs.quality
    missing = ctx.inputs.cube.missing_months
    text1 = [
        f"Street-level crime comes from data.police.uk for {cfg.area.name}, selected by "
        + (
            f"LSOA names starting '{cfg.area.lsoa_name_prefix}'."
            if cfg.area.lsoa_name_prefix
            else f"a list of {len(cfg.area.lsoa_codes or [])} LSOA codes."
        ),
        (
            f"Months with no data ({months_in_words(missing)}) are treated as missing, never as "
            "zero: years that include them compare crimes per month of data."
            if len(missing)
            else "Every month of the period has data."
        ),
    ]
    if cfg.synthetic:
        text1.insert(
            0,
            "**These are synthetic data** generated by smp-analysis for a made-up district, "
            "with known signals planted so the methods can be checked. They describe no real place.",
        )
    coverage = _police_coverage(ctx)
    paras = [
        Paragraph("DM.1", "Data used", tuple(text1), (_sources_table(ctx),), coverage=coverage),
        Paragraph(
            "DM.2",
            "Data quality",
            (
                "Every row read is either used or counted here under a named reason; nothing is "
                "dropped silently.",
                *(f"- {line}" for line in q.summary_lines()[:12]),
            ),
            (_quality_table(ctx),),
            coverage=coverage,
        ),
        Paragraph("DM.3", "Methods", (*(f"- {m}" for m in METHODS), *_peers_text(cfg))),
        Paragraph(
            "DM.4",
            "How a priority's status is decided",
            (
                "Each indicator compares the reporting year with the year before. It has "
                "**improved** or **worsened** only when the change is statistically significant "
                "(p < 0.05) in its good or bad direction; otherwise there is **no significant "
                "change**. Indicators without a good direction are reported as **context**.",
                "An indicator with an expected (healthy) range set in the configuration — for "
                "example SafeLives' 28–40% of MARAC cases being repeat cases — is judged "
                "against the range instead: **within the expected range**, or **outside the "
                "expected range**, which counts like worsened. A fall that takes it below the "
                "range is not an improvement.",
                "A priority **needs attention** when any indicator worsened, is outside its "
                "expected range or missed its target; "
                "it is **exceeding expectations** when none worsened, at least half improved and "
                "every target was met; otherwise it is **on track**. Analysts may set a different "
                "status with a written reason; the report then shows both.",
                RELEVANCE_RULE,
                "**What the months of data support.** These rules decide what the report may "
                "say when data are missing:",
                *(f"- {r}" for r in RULES),
            ),
        ),
        Paragraph(
            "DM.5",
            "Caveats and how this report was made",
            (
                *(f"- {c}" for c in CAVEATS),
                f"Built with smp-analysis {__version__}: every figure is produced by tested code "
                "from the files listed in DM.1; the executed notebooks and a manifest of the "
                "input files' checksums are kept with the report.",
            ),
        ),
        Paragraph(
            "DM.6",
            "Glossary",
            (
                "What the terms used in this report mean, in plain English. The first time a "
                "term appears in each section, it links to its meaning here.",
            ),
            (glossary_html(),),
        ),
    ]
    return Section("DM", "Data and methods", tuple(paras), overrides=ctx.inputs.overrides)
