"""Data and methods — section DM: sources, data quality, methods, status rules, caveats."""

from __future__ import annotations

import pandas as pd

from ... import __version__
from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table
from ...quality import month_ranges
from ..context import Context
from ..section import Section

__all__ = ["data_and_methods", "METHODS", "CAVEATS"]

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


def _sources(ctx: Context) -> pd.DataFrame:
    inp, cfg = ctx.inputs, ctx.config
    cube = inp.cube
    rows = [
        {
            "Source": "data.police.uk street-level crime and ASB",
            "Coverage": f"{month_ranges(cube.months_present)} "
            f"({len(cube.months_present)} of {len(cube.months_expected)} months)",
            "Records used": fmt.count(inp.quality.measure("in_area")),
        }
    ]
    if inp.stop_search is not None:
        rows.append(
            {
                "Source": "data.police.uk stop and search (force area)",
                "Coverage": month_ranges(sorted(inp.stop_search["month"].unique())),
                "Records used": fmt.count(len(inp.stop_search)),
            }
        )
    if inp.partner is not None:
        inds = sorted(inp.partner["indicator"].unique())
        rows.append(
            {
                "Source": "Partner returns (" + ", ".join(inds) + ")",
                "Coverage": f"{inp.partner['period_start'].min()} to {inp.partner['period_end'].max()}",
                "Records used": fmt.count(len(inp.partner)),
            }
        )
    if inp.fingertips is not None:
        rows.append(
            {
                "Source": "OHID Fingertips indicators "
                + ", ".join(str(i) for i in sorted(inp.fingertips["indicator_id"].unique())),
                "Coverage": f"{inp.fingertips['time_period'].min()} to {inp.fingertips['time_period'].max()}",
                "Records used": fmt.count(len(inp.fingertips)),
            }
        )
    if inp.population is not None:
        rows.append(
            {
                "Source": "Census 2021 usual residents by LSOA",
                "Coverage": f"{fmt.count(len(inp.population))} neighbourhoods",
                "Records used": f"{fmt.count(inp.population['population'].sum())} residents",
            }
        )
    if inp.imd is not None:
        rows.append(
            {
                "Source": "English Indices of Deprivation 2019 (2011 LSOAs)",
                "Coverage": "England",
                "Records used": fmt.count(len(inp.imd)),
            }
        )
    if inp.ethnicity is not None:
        rows.append(
            {
                "Source": "Census residents by ethnic group (stop-and-search denominators)",
                "Coverage": ", ".join(cfg.stop_search.population_areas) if cfg.stop_search else "",
                "Records used": f"{fmt.count(inp.ethnicity['residents'].sum())} residents",
            }
        )
    if inp.survey is not None:
        resp = inp.survey.drop_duplicates(["survey", "year", "respondent_id"])
        counts = resp.groupby(["survey", "year"]).size()
        rows.append(
            {
                "Source": "Community-safety surveys",
                "Coverage": "; ".join(f"{s} {y}" for s, y in counts.index),
                "Records used": f"{fmt.count(len(resp))} respondents",
            }
        )
    return pd.DataFrame(rows)


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
            f"Months with no data ({month_ranges(missing)}) are treated as missing, never as "
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
    qt = q.table()
    quality = pd.DataFrame(
        {
            "Check": qt["check"],
            "Force": qt["force"],
            "Count": qt["count"].map(fmt.count),
            "Detail": qt["detail"],
        }
    )
    paras = [
        Paragraph(
            "DM.1",
            "Data used",
            tuple(text1),
            (Table(_sources(ctx), "Table DM.1: data sources used in this report"),),
        ),
        Paragraph(
            "DM.2",
            "Data quality",
            (
                "Every row read is either used or counted here under a named reason; nothing is "
                "dropped silently.",
                *(f"- {line}" for line in q.summary_lines()[:12]),
            ),
            (Table(quality, "Table DM.2: data-quality checks on the police.uk files"),),
        ),
        Paragraph("DM.3", "Methods", tuple(f"- {m}" for m in METHODS)),
        Paragraph(
            "DM.4",
            "How a priority's status is decided",
            (
                "Each indicator compares the reporting year with the year before. It has "
                "**improved** or **worsened** only when the change is statistically significant "
                "(p < 0.05) in its good or bad direction; otherwise there is **no significant "
                "change**. Indicators without a good direction are reported as **context**.",
                "A priority **needs attention** when any indicator worsened or missed its target; "
                "it is **exceeding expectations** when none worsened, at least half improved and "
                "every target was met; otherwise it is **on track**. Analysts may set a different "
                "status with a written reason; the report then shows both.",
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
    ]
    return Section("DM", "Data and methods", tuple(paras), overrides=ctx.inputs.overrides)
