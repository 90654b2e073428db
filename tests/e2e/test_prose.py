"""Prose of the built sample appendix, read as a committee member would (issue 11):
no "fell by 0%" or "+0 a month", counts as whole numbers, verbs agreeing with plural
category names, units on health values, the MARAC verdict using its expected range, and
glossary links from each section's first use of a term."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from bs4 import BeautifulSoup

from smp_analysis.assessment.glossary import TERMS, anchor
from smp_analysis.assessment.grammar import is_plural
from smp_analysis.categories import ASB, CRIME_TYPES
from smp_analysis.config import load_config

from .conftest import Built, para_text

pytestmark = pytest.mark.slow


def _narratives(soup: BeautifulSoup) -> dict[str, str]:
    return {s["id"]: para_text(soup, s["id"]) for s in soup.select("section.para")}


def _tables(soup: BeautifulSoup) -> list:
    """The paragraphs' own tables (not the raw data under a chart's "Show the data")."""
    return [
        t
        for t in soup.select("section.para .para-detail table")
        if t.find_parent("details") is None
    ]


def test_no_zero_percent_or_plus_zero_changes(built: Built) -> None:
    texts = _narratives(built.appendix)
    for label, text in texts.items():
        assert not re.search(r"\bby 0%|\(0%\)|[+-]0%|\b0% \(", text), (label, text)
        assert not re.search(r"(?<![\d.,])[+-]0 ", text), (label, text)
    for table in _tables(built.appendix):
        for td in table.find_all("td"):
            cell = td.get_text(" ", strip=True)
            assert not re.search(r"\([+-]?0%\)|^[+-]?0%$", cell), cell
            assert not re.search(r"^[+-]0(?: a month)?(?: |$)", cell), cell


def test_counts_are_whole_numbers(built: Built) -> None:
    for label, text in _narratives(built.appendix).items():
        # a thousands-separated number ending ".0" is a count printed as a float
        assert not re.search(r"\b\d{1,3}(?:,\d{3})+\.0\b", text), (label, text)
    count_header = re.compile(r"\b(count|crimes|offences|incidents|cases|referrals)\b", re.I)
    checked = 0
    for table in _tables(built.appendix):
        heads = [th.get_text(" ", strip=True) for th in table.select("thead th")]
        for tr in table.select("tbody tr"):
            for head, td in zip(heads, tr.find_all(["td", "th"]), strict=False):
                if count_header.search(head) and not re.search(r"rate|per ", head.lower()):
                    cell = td.get_text(" ", strip=True)
                    assert not re.search(r"\d\.\d", cell), (head, cell)
                    checked += 1
    assert checked > 50


def test_plural_category_names_take_plural_verbs(built: Built) -> None:
    cfg = load_config(built.config)
    names = {*CRIME_TYPES, ASB}
    names |= {i.label for p in cfg.priorities for i in p.indicators}
    plural = sorted((n for n in names if is_plural(n)), key=len, reverse=True)
    assert "Violence and sexual offences" in plural and "Domestic abuse-flagged crimes" in plural
    bad = re.compile(
        "(" + "|".join(re.escape(n) for n in plural) + r") (shows|has|is|was)\b", re.IGNORECASE
    )
    for label, text in _narratives(built.appendix).items():
        m = bad.search(text)
        assert m is None, (label, m and m.group(0))


def test_narrative_has_no_raw_spc_or_fingertips_metadata(built: Built) -> None:
    texts = _narratives(built.appendix)
    for label, text in texts.items():
        assert "UCL" not in text and "LCL" not in text, label
        assert "Indicator: " not in text, label
    health = [label for label in texts if label.startswith("WD.") and label != "WD.5"]
    assert health
    for label in health:
        text = texts[label]
        assert "per 100,000 residents" in text, (label, text)
        assert "Source: OHID Fingertips, indicator" in text, label
        assert " - " not in text, (label, text)  # "2020/21 - 22/23" is spelt out


def test_marac_verdict_uses_the_expected_range(built: Built) -> None:
    da5 = para_text(built.appendix, "DA.5")
    assert "below the expected range of 28–40% (SafeLives)" in da5
    assert "so the fall is not an improvement" in da5
    table = built.appendix.find("section", id="DA.1").select_one(".para-detail table")
    row = next(tr for tr in table.select("tbody tr") if "MARAC" in tr.get_text())
    verdict = row.find_all(["td", "th"])[-1].get_text(" ", strip=True)
    assert verdict == "outside expected range"


def test_glossary_has_every_term_with_an_id(built: Built) -> None:
    dm6 = built.appendix.find("section", id="DM.6")
    assert dm6 is not None
    ids = [dt["id"] for dt in dm6.select("dl.glossary dt")]
    assert ids == [anchor(t.slug) for t in TERMS] and len(ids) >= 15


def test_first_use_in_each_section_links_to_the_glossary(built: Built) -> None:
    soup = built.appendix
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    links = soup.select("section.para .para-narrative a.glossary-term")
    assert len(links) >= 30
    per_section: dict[str, Counter[str]] = {}
    for a in links:
        assert a["href"].startswith("#glossary-") and a["href"][1:] in ids, a["href"]
        assert a.find_parent(["h3", "table", "code"]) is None
        sid = a.find_parent("section", class_="para")["id"].split(".")[0]
        per_section.setdefault(sid, Counter())[a["href"]] += 1
    for sid, counts in per_section.items():
        assert max(counts.values()) == 1, (sid, counts.most_common(3))  # first use only
    assert "#glossary-statistically-significant" in per_section["SV"]
    assert "#glossary-statistically-significant" in per_section["DA"]  # again, new section
    assert "#glossary-marac" in per_section["DA"]
    assert "#glossary-lsoa" in per_section["DM"]
    # the public page has no glossary, so no links to it
    assert not built.public.select("a.glossary-term")
