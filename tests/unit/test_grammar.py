"""Subject–verb agreement for category and indicator names (issue 11: "Violence and sexual
offences shows")."""

from __future__ import annotations

import pytest

from smp_analysis.assessment.glossary import TERMS
from smp_analysis.assessment.grammar import is_plural, verb
from smp_analysis.categories import ASB, CRIME_TYPES

#: how each police.uk category reads as the subject of a sentence
PLURAL_CATEGORIES = {"Violence and sexual offences", "Drugs"}


@pytest.mark.parametrize("category", [*CRIME_TYPES, ASB])
def test_police_uk_categories(category: str) -> None:
    assert is_plural(category) is (category in PLURAL_CATEGORIES)


@pytest.mark.parametrize(
    "subject, singular, expected",
    [
        ("Violence and sexual offences", "shows", "show"),
        ("Domestic abuse-flagged crimes", "has", "have"),
        ("Modern slavery referrals (NRM)", "was", "were"),
        ("Possession of weapons offences", "shows", "show"),
        ("Reports of coercive control", "is", "are"),
        ("Residents who feel safe in the town centre after dark", "was", "were"),
        ("Stalking and harassment (domestic)", "shows", "show"),
        ("Robbery", "shows", "shows"),
        ("Theft from the person", "has", "has"),
        ("Recorded crime (excluding anti-social behaviour)", "shows", "shows"),
        ("Town-centre anti-social behaviour", "has", "has"),
        ("Knife crime", "was", "was"),
        ("Criminal damage and arson", "shows", "shows"),
    ],
)
def test_verb_agrees(subject: str, singular: str, expected: str) -> None:
    assert verb(subject, singular) == expected


def test_glossary_is_in_alphabetical_order() -> None:
    names = [t.term.casefold() for t in TERMS]
    assert names == sorted(names)
