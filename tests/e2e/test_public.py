"""public.html: key messages first, plain words, no count below the disclosure threshold."""

from __future__ import annotations

import base64
import re
from xml.etree import ElementTree

import pytest

from smp_analysis.config import load_config

from .conftest import Built

pytestmark = pytest.mark.slow


def test_key_messages_come_first(built: Built) -> None:
    paras = built.public.select("section.para")
    assert paras[0]["id"] == "PS.1"
    assert paras[0].select_one("h3").get_text().endswith("Key messages")
    items = [li.get_text() for li in paras[0].select("li")]
    assert any("A safe town centre" in i and "going better than planned" in i for i in items)


def test_plain_words_no_technical_terms_in_narrative(built: Built) -> None:
    for div in built.public.select(".para-narrative"):
        text = div.get_text(" ")
        for term in (
            "rate ratio",
            "p =",
            "p <",
            "95% CI",
            "confidence interval",
            "odds ratio",
            "Mann",
            "quasi-Poisson",
            "q-value",
        ):
            assert term not in text, (term, text[:200])


def test_every_public_table_is_disclosure_controlled(built: Built) -> None:
    cfg = load_config(built.config)
    tables = built.public.select("main table")
    assert tables
    seen_suppressed = False
    for t in tables:
        assert int(t["data-sdc-threshold"]) == cfg.disclosure.threshold
        for cell in t.select("td.num"):
            text = cell.get_text(strip=True).replace(",", "")
            if text == "[c]":
                seen_suppressed = True
                continue
            assert re.fullmatch(r"\d+", text), text
            assert int(text) == 0 or int(text) >= cfg.disclosure.threshold
    assert seen_suppressed, "the sample has small counts; some must be suppressed"


def test_sensitive_domestic_abuse_table_uses_stricter_threshold(built: Built) -> None:
    cfg = load_config(built.config)
    da = next(
        t
        for t in built.public.select("main table")
        if "domestic abuse" in t.caption.get_text().lower()
    )
    for cell in da.select("td.num"):
        text = cell.get_text(strip=True).replace(",", "")
        if text != "[c]":
            assert int(text) == 0 or int(text) >= cfg.disclosure.sensitive_threshold


def test_public_charts_never_show_suppressed_numbers(built: Built) -> None:
    cfg = load_config(built.config)
    for img in built.public.select("img"):
        svg = base64.b64decode(img["src"].split(",", 1)[1]).decode()
        root = ElementTree.fromstring(svg)
        labels = [
            "".join(t.itertext()).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")
        ]
        assert labels, "charts keep their text as text"
        bar_values = [lab.replace(",", "") for lab in labels if re.fullmatch(r"[\d,]+", lab)]
        # value labels printed on bars: none may be a small (suppressed) count
        small = [v for v in bar_values if 0 < int(v) < cfg.disclosure.threshold]
        assert not small, (img.get("alt"), small)


def test_links_to_the_appendix(built: Built) -> None:
    assert built.public.find("a", href="appendix.html") is not None
