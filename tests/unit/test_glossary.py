"""The glossary (DM.6) and the links from each section's first use of a term."""

from __future__ import annotations

from bs4 import BeautifulSoup

from smp_analysis.assessment.glossary import (
    TERMS,
    anchor,
    glossary_html,
    link_first_uses,
    terms_used,
)
from smp_analysis.assessment.paragraphs import NarrativeOverride
from smp_analysis.assessment.section import Section
from smp_analysis.present.blocks import Paragraph, markdown_html, paragraph_html


def _narrative(html: str) -> str:
    return f'<div class="para-narrative">{html}</div>'


def test_at_least_fifteen_terms_with_unique_anchors_and_forms() -> None:
    assert len(TERMS) >= 15
    slugs = [t.slug for t in TERMS]
    assert len(set(slugs)) == len(slugs)
    forms = [f.casefold() for t in TERMS for f in t.forms]
    assert len(set(forms)) == len(forms)
    for t in TERMS:
        assert t.definition.endswith(".") and len(t.definition) > 40, t.slug
    required = {
        "rate-ratio",
        "statistically-significant",
        "confidence-interval",
        "p-value",
        "false-discovery-rate",
        "lsoa",
        "xmr-chart",
        "special-cause-variation",
        "marac",
        "repeat-victimisation",
        "gini-coefficient",
        "deprivation-decile",
        "interrupted-time-series",
        "financial-year",
        "disclosure-control",
        "not-available",
    }
    assert required <= set(slugs)


def test_glossary_html_has_one_id_per_term() -> None:
    soup = BeautifulSoup(glossary_html(), "html.parser")
    ids = [dt["id"] for dt in soup.select("dl.glossary > dt")]
    assert ids == [anchor(t.slug) for t in TERMS]
    assert len(soup.select("dl.glossary > dd")) == len(TERMS)


def test_first_use_only_is_linked_and_case_is_kept() -> None:
    html = _narrative("<p>The Rate ratio was 0.9. Another rate ratio; rate ratios too.</p>")
    out, seen = link_first_uses(html)
    soup = BeautifulSoup(out, "html.parser")
    links = soup.select("a.glossary-term")
    assert [(a.get_text(), a["href"]) for a in links] == [("Rate ratio", "#glossary-rate-ratio")]
    assert seen == {"rate-ratio"}
    # the text reads the same with the link
    assert soup.get_text() == BeautifulSoup(html, "html.parser").get_text()


def test_longest_form_wins_and_whole_words_only() -> None:
    out, seen = link_first_uses(_narrative("<p>95% CI 0.8 to 0.9; unLSOAble; LSOAs.</p>"))
    soup = BeautifulSoup(out, "html.parser")
    assert [a.get_text() for a in soup.select("a")] == ["95% CI", "LSOAs"]
    assert seen == {"confidence-interval", "lsoa"}


def test_never_links_inside_links_code_headings_tables_or_analyst_notes() -> None:
    html = (
        _narrative(
            '<h3 id="X.1-title">rate ratio</h3>'
            '<p><a href="#DA.3">rate ratio</a> <code>rate ratio</code></p>'
            '<div class="analyst-note"><p>rate ratio</p></div>'
            "<table><caption>rate ratio</caption><tr><td>rate ratio</td></tr></table>"
        )
        + "<p>rate ratio outside the narrative column</p>"
    )
    out, seen = link_first_uses(html)
    assert out.count("glossary-term") == 0 and seen == frozenset()


def test_attributes_and_escaped_text_survive() -> None:
    # a term inside an attribute value is not touched; escaped markup stays escaped
    html = _narrative(
        '<p><a href="#DA.3" title="rate ratio">DA.3</a> &lt;script&gt;alert(1)&lt;/script&gt; '
        "MARAC &amp; rate ratio</p>"
    )
    out, _ = link_first_uses(html)
    assert 'title="rate ratio"' in out
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "&amp; " in out
    soup = BeautifulSoup(out, "html.parser")
    assert [a["href"] for a in soup.select("a.glossary-term")] == [
        "#glossary-marac",
        "#glossary-rate-ratio",
    ]


def test_links_render_from_markdown_output() -> None:
    md = markdown_html(
        "Robbery **rose** (rate ratio 1.45, 95% CI 1.12 to 1.90) in an LSOA's *area*."
    )
    out, seen = link_first_uses(_narrative(md))
    assert seen == {"rate-ratio", "confidence-interval", "lsoa"}
    assert (
        BeautifulSoup(out, "html.parser").get_text() == BeautifulSoup(md, "html.parser").get_text()
    )


def test_every_link_target_is_in_the_glossary() -> None:
    text = " ".join(f for t in TERMS for f in t.forms)
    out, seen = link_first_uses(_narrative(f"<p>{text}</p>"))
    assert seen == {t.slug for t in TERMS}
    ids = {dt["id"] for dt in BeautifulSoup(glossary_html(), "html.parser").find_all("dt")}
    hrefs = {a["href"][1:] for a in BeautifulSoup(out, "html.parser").select("a.glossary-term")}
    assert hrefs == ids


def _section(public: bool = False, overrides=None) -> Section:
    return Section(
        "SV",
        "Serious violence",
        (
            Paragraph("SV.1", "Status", ("Robbery rose (rate ratio 1.45).",)),
            Paragraph("SV.2", "Robbery", ("The rate ratio was 1.45; a MARAC case.",)),
            Paragraph("SV.3", "More", ("MARAC and rate ratio again.",)),
        ),
        public=public,
        overrides=overrides or {},
    )


def _links(html: str) -> list[str]:
    return [a["href"] for a in BeautifulSoup(html, "html.parser").select("a.glossary-term")]


def test_first_use_in_each_section_is_linked() -> None:
    s = _section()
    assert _links(s.html("SV.1")) == ["#glossary-rate-ratio"]
    assert _links(s.html("SV.2")) == ["#glossary-marac"]
    assert _links(s.html("SV.3")) == []
    # another section links its own first uses
    other = Section("DA", "Domestic abuse", (Paragraph("DA.1", "T", ("A rate ratio.",)),))
    assert _links(other.html("DA.1")) == ["#glossary-rate-ratio"]


def test_replaced_text_counts_and_public_pages_are_not_linked() -> None:
    s = _section(overrides={"SV.1": NarrativeOverride(replace="Nothing technical here.")})
    assert _links(s.html("SV.2")) == ["#glossary-rate-ratio", "#glossary-marac"]
    assert _links(_section(public=True).html("SV.1")) == []
    # the public page's html is exactly the paragraph's html
    p = _section(public=True)
    assert p.html("SV.2") == paragraph_html(p["SV.2"], public=True)


def test_terms_used_ignores_code() -> None:
    assert terms_used("<p><code>XmR</code> and XmR limits</p>") == {"xmr-chart"}
