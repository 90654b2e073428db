"""Subject–verb agreement for generated sentences whose subject is a category or label.

Category and indicator names are read as a reader would: "Violence and sexual offences",
"Domestic abuse-flagged crimes" and "Reports of coercive control" are plural; "Robbery",
"Theft from the person" and "Recorded crime (excluding anti-social behaviour)" are singular.

Examples
--------
>>> verb("Violence and sexual offences", "shows"), verb("Robbery", "shows")
('show', 'shows')
>>> verb("Modern slavery referrals (NRM)", "was"), verb("Theft from the person", "has")
('were', 'has')
"""

from __future__ import annotations

import re

__all__ = ["is_plural", "verb", "PLURAL_NAMES", "SINGULAR_NAMES"]

#: names read as plural whatever the rules below say (compared case-insensitively)
PLURAL_NAMES = frozenset({"drugs", "people", "children", "young people"})
#: names read as singular whatever the rules below say
SINGULAR_NAMES = frozenset(
    {
        "criminal damage and arson",
        "possession of weapons",
        "bicycle theft",
        "other theft",
        "public order",
        "vehicle crime",
    }
)

#: counted nouns that make a name plural when it ends with them ("Possession of weapons
#: offences", where "possession of weapons" describes the offences)
_COUNTED = frozenset(
    {"offences", "crimes", "incidents", "referrals", "cases", "admissions", "entrants", "reports"}
)
_IRREGULAR_PLURALS = frozenset({"people", "children", "men", "women", "police", "data"})
#: words ending in "s" that are singular
_SINGULAR_S = frozenset({"analysis", "business", "harassment", "news", "status", "sepsis", "abuse"})
#: where the head noun phrase ends ("Reports | of coercive control")
_BREAK = re.compile(
    r"\s(?:of|who|that|which|to|at|in|on|for|from|with|by|per|excluding|including)\s|[,(:;]"
)

_VERBS = {
    "is": "are",
    "was": "were",
    "has": "have",
    "shows": "show",
    "makes": "make",
    "stays": "stay",
    "remains": "remain",
    "does": "do",
}


def is_plural(subject: str) -> bool:
    """Whether a sentence subject takes a plural verb.

    A known name decides first (:data:`PLURAL_NAMES`, :data:`SINGULAR_NAMES`); otherwise the
    head noun phrase (before "of", "who", "to", a bracket, ...) is plural when it joins two
    nouns with "and" or its last word is a plural noun.

    Examples
    --------
    >>> [is_plural(s) for s in ("Reports of coercive control", "Knife crime",
    ...  "Stalking and harassment (domestic)", "Recorded crime (excluding anti-social "
    ...  "behaviour)", "Young people who re-offend", "Criminal damage and arson",
    ...  "Possession of weapons offences")]
    [True, False, True, False, True, False, True]
    """
    name = " ".join(subject.split()).strip().casefold()
    if name in PLURAL_NAMES:
        return True
    if name in SINGULAR_NAMES:
        return False
    words = re.sub(r"\(.*?\)", " ", name).split()
    if words and words[-1].strip(".") in _COUNTED:
        return True
    head = _BREAK.split(f" {name} ", maxsplit=1)[0].strip()
    if not head:
        return False
    if " and " in f" {head} ":
        return True
    last = head.split()[-1].strip(".")
    if last in _IRREGULAR_PLURALS:
        return True
    return (
        len(last) > 2
        and last.endswith("s")
        and not last.endswith("ss")
        and last not in _SINGULAR_S
        and last.isalpha()
    )


def verb(subject: str, singular: str) -> str:
    """``singular`` ("shows", "has", "was", "is") agreeing with ``subject``.

    Examples
    --------
    >>> verb("Domestic abuse-flagged crimes", "has"), verb("Anti-social behaviour", "is")
    ('have', 'is')
    """
    if not is_plural(subject):
        return singular
    if singular in _VERBS:
        return _VERBS[singular]
    return singular[:-1] if singular.endswith("s") else singular
