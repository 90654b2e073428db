"""On the sample district, in process: every number a sentence quotes is in the table
beside it, and every paragraph renders."""

from __future__ import annotations

import pytest

from smp_analysis.assessment import sections as S
from smp_analysis.present.blocks import Table, paragraph_html

BUILDERS = [
    "summary",
    "serious_violence",
    "domestic_abuse",
    "town_centre",
    "young_people",
    "wider_determinants",
    "themes",
    "emerging_concerns",
    "data_and_methods",
]


@pytest.fixture(scope="module")
def built_sections(sample_context):
    return {name: getattr(S, name)(sample_context) for name in BUILDERS}


def _table_text(paragraph) -> str:
    cells = []
    for d in paragraph.details:
        if isinstance(d, Table):
            cells += [str(v) for v in d.frame.to_numpy().ravel()]
    return " | ".join(cells)


@pytest.mark.parametrize("name", BUILDERS)
def test_numbers_in_sentences_are_in_the_table_beside_them(built_sections, name) -> None:
    checked = 0
    for p in built_sections[name].paragraphs:
        text = " ".join(p.text)
        tables = _table_text(p)
        for fact in p.facts:
            assert fact in text, f"{p.label}: fact {fact!r} is not in its own text"
            assert fact in tables, f"{p.label}: {fact!r} quoted but not in the table beside it"
            checked += 1
    if name != "data_and_methods":
        assert checked > 0, f"{name}: no sentence declares the numbers it quotes"


@pytest.mark.parametrize("name", BUILDERS)
def test_every_paragraph_renders(built_sections, name) -> None:
    sec = built_sections[name]
    assert sec.paragraphs
    for p in sec.paragraphs:
        html = paragraph_html(p)
        assert f'id="{p.label}"' in html


def test_fixed_labels_do_not_depend_on_data(sample_context) -> None:
    """A missing optional input leaves a gap, never renumbers later paragraphs."""
    from dataclasses import replace

    from smp_analysis.assessment.context import Context

    ctx = sample_context
    no_partner = Context.create(ctx.config, replace(ctx.inputs, partner=None))
    da = S.domestic_abuse(no_partner)
    assert da.labels == ["DA.1"]  # trend, shares, sub-types and MARAC need partner data
    assert "DA.4 is not in this year's report" in da.html("DA.4")
    tc = S.town_centre(no_partner)
    assert tc.labels == S.town_centre(ctx).labels
