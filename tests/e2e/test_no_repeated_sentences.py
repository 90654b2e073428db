"""The appendix's narrative says each thing once (issue: "18 sentences appear twice").

Narrative text is the left-hand column of every labelled paragraph, the section
introductions and the status notes under section headings. Left out, because they are not
narrative: tables, charts and their notes (the detail column), and headings (paragraph
titles such as "Work undertaken" name a kind of paragraph and recur by design).

A sentence is cut at ``.``, ``!`` or ``?`` followed by a space, and compared after
collapsing white space. Only sentences of six words or more count.

The only repeats allowed are listed in :data:`BOILERPLATE`, each with its reason.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from bs4 import BeautifulSoup

from .conftest import Built

pytestmark = pytest.mark.slow

#: Template sentences that recur on purpose, with why; a regex over the whole sentence.
BOILERPLATE: dict[str, str] = {
    # each priority's X.1 opens by naming its status and the rule used; two priorities with
    # the same status read the same, and the rule must be stated where the status is given
    r"The evidence gives this priority the status \w[\w ]+, using the rules set out under "
    r"Data and methods \(a change counts only when it is statistically significant\)\.": (
        "the status sentence of each priority's X.1"
    ),
    # the method caveat printed under every survey paragraph (residents' and young people's)
    r"Weighted survey percentages; intervals allow for the weighting \(Kish effective sample "
    r"size\)\.": "the survey method caveat under each survey paragraph",
}

_SPLIT = re.compile(r"(?<=[.!?])\s+")
_TIGHT_BEFORE = re.compile(r"\s+([),.;:!?])")
_TIGHT_AFTER = re.compile(r"([(])\s+")


def narrative_blocks(soup: BeautifulSoup) -> list[tuple[str, str]]:
    """(where, text) of every block of narrative text in the page."""
    soup = BeautifulSoup(str(soup), "html.parser")  # a copy: headings are removed below
    out: list[tuple[str, str]] = []
    for div in soup.select("div.para-narrative"):
        label = div.find_parent("section")["id"]
        for h in div.find_all(["h3", "h4", "h5", "h6"]):
            h.decompose()
        blocks = [
            b
            for b in div.find_all(["p", "li", "blockquote", "dd"])
            if not b.find(["p", "li"])  # innermost blocks only: text counted once
        ]
        for b in blocks:
            out.append((label, " ".join(b.get_text(" ").split())))
    for el in soup.select(".section-intro, .status-note"):
        sid = el.find_previous(["h2"])
        out.append((sid.get("id", "?") if sid else "?", " ".join(el.get_text(" ").split())))
    return out


def repeated_sentences(soup: BeautifulSoup, min_words: int = 6) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = defaultdict(list)
    for where, text in narrative_blocks(soup):
        for s in _SPLIT.split(text):
            # the text of inline elements (bold, glossary links) is joined with spaces: undo
            # the space this leaves before punctuation and inside brackets
            s = _TIGHT_AFTER.sub(r"\1", _TIGHT_BEFORE.sub(r"\1", s.strip()))
            if len(s.split()) >= min_words:
                seen[s].append(where)
    return {
        s: w
        for s, w in seen.items()
        if len(w) > 1 and not any(re.fullmatch(p, s) for p in BOILERPLATE)
    }


def test_the_check_finds_a_repeat() -> None:
    """The check itself: a sentence copied from one paragraph into another is found, a
    heading is not counted, and a short sentence is not counted."""
    html = (
        '<section class="para" id="A.1"><div class="para-narrative"><h3>Work undertaken here '
        "and there again</h3><p>Robbery rose by 45% in 2024/25 compared with 2023/24. "
        "Too short here.</p></div></section>"
        '<section class="para" id="B.2"><div class="para-narrative"><h3>Work undertaken here '
        "and there again</h3><ul><li>Robbery rose by <strong>45%</strong> in 2024/25 compared "
        "with 2023/24 .</li><li>Too short here.</li></ul></div></section>"
    )
    found = repeated_sentences(BeautifulSoup(html, "html.parser"))
    assert found == {"Robbery rose by 45% in 2024/25 compared with 2023/24.": ["A.1", "B.2"]}


def test_no_sentence_appears_twice_in_the_appendix(built: Built) -> None:
    blocks = narrative_blocks(built.appendix)
    assert len(blocks) > 60  # the narrative was found
    found = repeated_sentences(built.appendix)
    assert not found, "\n".join(f"{w}: {s}" for s, w in found.items())
