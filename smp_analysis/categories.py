"""data.police.uk crime categories and the groupings the assessment uses.

ASB incidents are not notifiable crimes: :data:`CRIME_TYPES` excludes them and every
"all crime" total in this package is built from :data:`CRIME_TYPES` only.

Examples
--------
>>> len(ALL_CATEGORIES), len(CRIME_TYPES)
(14, 13)
>>> ASB in CRIME_TYPES
False
>>> short_label("Violence and sexual offences")
'Violence & sexual'
"""

from __future__ import annotations

__all__ = [
    "ASB",
    "CRIME_TYPES",
    "ALL_CATEGORIES",
    "HISTORIC_CATEGORIES",
    "SHORT_LABELS",
    "short_label",
]

ASB = "Anti-social behaviour"

#: The 13 notifiable crime categories published by data.police.uk (alphabetical, as the site lists them).
CRIME_TYPES: tuple[str, ...] = (
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)

#: All 14 categories found in street-level files: ASB first, then the crime types.
ALL_CATEGORIES: tuple[str, ...] = (ASB, *CRIME_TYPES)

#: Names used in older files and what they became. ``None`` means "split; cannot be mapped".
HISTORIC_CATEGORIES: dict[str, str | None] = {
    "Violent crime": "Violence and sexual offences",
    "Public disorder and weapons": None,
}

SHORT_LABELS: dict[str, str] = {
    ASB: "ASB",
    "Criminal damage and arson": "Criminal damage & arson",
    "Violence and sexual offences": "Violence & sexual",
    "Theft from the person": "Theft from person",
    "Possession of weapons": "Weapons possession",
}


def short_label(category: str) -> str:
    """Return a short label for charts (the category itself when it is already short)."""
    return SHORT_LABELS.get(category, category)
