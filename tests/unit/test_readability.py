"""tests/readability.py against published Flesch scores and hand counts."""

from __future__ import annotations

import pytest

from ..readability import prose, readability, syllables


def test_published_reading_ease_examples() -> None:
    # Wikipedia, "Flesch–Kincaid readability tests": "The cat sat on the mat." scores
    # 116 and "The Australian platypus is seemingly a hybrid of a mammal and reptilian
    # creature." scores 37.5 on reading ease.
    assert readability(["The cat sat on the mat."]).ease == pytest.approx(116, abs=0.5)
    r = readability(
        ["The Australian platypus is seemingly a hybrid of a mammal and reptilian creature."]
    )
    # hand count: the 1, aus-tra-lian 3, plat-y-pus 3, is 1, seem-ing-ly 3, a 1, hy-brid 2,
    # of 1, a 1, mam-mal 2, and 1, rep-til-ian 3, crea-ture 2 = 24 syllables, 13 words
    assert (r.words, r.sentences, r.syllables) == (13, 1, 24)
    assert r.ease == pytest.approx(37.5, abs=0.05)


def test_grade_by_hand() -> None:
    # two sentences, 6 + 9 = 15 words; syllables: the cat sat on the mat = 6; it was a
    # sun-ny day and ev-ery-one was hap-py = 1+1+1+2+1+1+3+1+2 = 13; total 19
    # grade = 0.39 × 15/2 + 11.8 × 19/15 − 15.59 = 2.925 + 14.94667 − 15.59 = 2.28167
    # (textstat 0.7.13, given the same CMU dictionary, printed 2.2816666666666663)
    r = readability(["The cat sat on the mat. It was a sunny day and everyone was happy."])
    assert (r.words, r.sentences, r.syllables) == (15, 2, 19)
    assert r.grade == pytest.approx(2.28167, abs=1e-5)


def test_blocks_end_sentences_and_contacts_are_not_words() -> None:
    r = readability(["Get help", "Call 0808 2000 247. Website: www.nationaldahelpline.org.uk."])
    # "Get help" / "Call" / "Website" — three sentences, four words
    assert (r.words, r.sentences) == (4, 3)
    assert "@" not in prose("Email safety@sampleton.gov.uk today.")


def test_syllables_fall_back_to_hyphenation_for_unknown_words() -> None:
    assert syllables("Sampleton") == 3  # not in the CMU dictionary: Sam-ple-ton
    assert syllables("community") == 4
    assert syllables("anti-social") == 4


def test_no_words_is_an_error() -> None:
    with pytest.raises(ValueError, match="no words"):
        readability(["2024/25", "0800 555 111."])
