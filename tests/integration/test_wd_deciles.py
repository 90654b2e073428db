"""WD's crime-by-deprivation paragraph in a district without the national extreme deciles.

Many districts (in Kent: Dartford, Tonbridge and Malling, Tunbridge Wells) have no
neighbourhood in IMD decile 1; the section then compares the most and least deprived
deciles the district does have, and says which, instead of failing the notebook.
"""

from __future__ import annotations

import dataclasses

from smp_analysis.assessment.context import Context
from smp_analysis.assessment.sections import wider_determinants
from smp_analysis.stats.deprivation import most_vs_least_deprived, rates_by_decile


def _context_without_decile_1(ctx: Context) -> Context:
    imd = ctx.inputs.imd.copy()
    imd["imd_decile"] = imd["imd_decile"].where(imd["imd_decile"] != 1, 2)
    return Context.create(ctx.config, dataclasses.replace(ctx.inputs, imd=imd))


def _deprivation_text(section) -> str:
    paras = [p for p in section.paragraphs if p.title == "Crime and deprivation"]
    assert len(paras) == 1
    return " ".join(paras[0].text)


def test_no_decile_1_compares_the_deciles_the_district_has(sample_context) -> None:
    assert (sample_context.inputs.imd["imd_decile"] == 1).any()  # the control has decile 1
    ctx = _context_without_decile_1(sample_context)
    text = _deprivation_text(wider_determinants(ctx))
    deciles = sorted(set(ctx.inputs.imd["imd_decile"].dropna().astype(int)))
    assert deciles[0] == 2
    assert f"(IMD 2019 decile {deciles[0]})" in text
    assert f"(decile {deciles[-1]})" in text


def test_default_extremes_would_have_failed(sample_context) -> None:
    """The fault this guards: the national extremes raise when decile 1 is absent."""
    import pytest

    imd = _context_without_decile_1(sample_context).inputs.imd
    deciles = imd[["lsoa_code", "imd_decile"]].rename(columns={"imd_decile": "decile"})
    counts = sample_context.inputs.cube.lsoas[["lsoa_code"]].assign(count=1.0)
    pop = sample_context.inputs.population
    rates = rates_by_decile(counts, pop, deciles)
    with pytest.raises(ValueError, match="no LSOAs in decile 1"):
        most_vs_least_deprived(rates)
