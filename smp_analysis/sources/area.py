"""Which LSOAs make up the area being assessed (a Community Safety Partnership).

A CSP is a local authority district (occasionally two). It can be selected two ways:

**By LSOA-name prefix** (``AreaSelection("Maidstone", lsoa_name_prefix="Maidstone")``).
Every LSOA is named ``<district name> <3-digit MSOA number><letter>``, e.g.
``"Maidstone 012A"``, in *both* the 2011 and the 2021 LSOA vintages. A name matches
when it is the prefix, one space, three digits and one letter — so ``"Maidstone"``
matches ``"Maidstone 012A"`` but neither ``"Maidstonex 012A"`` nor
``"Maidstone Town 001A"``; case is ignored. This is the robust route for
data.police.uk files, which carry **2021** LSOA codes while IMD 2019 and most ONS
lookups use **2011** codes: the names of LSOAs that were split or merged in 2021
still start with the district name, while their new codes are in no 2011 lookup.
Limits: the prefix must be the district's name *as of the LSOA vintage in the
file* (districts renamed or merged since — e.g. the 2019–2023 unitary
reorganisations — need the new name for 2021 LSOAs and the old one for 2011
LSOAs: give both, a tuple of prefixes is accepted); it cannot select a part of a
district (use codes); and it trusts the ``LSOA name`` column, so a file with blank
or misspelt names loses those rows to "outside the area" (counted in the quality
report, never silently).

**By LSOA codes from a lookup** (``AreaSelection.from_lookup(...)``, see
:mod:`.lookups`). Exact, and the only route for areas that are not whole districts,
but the codes carry a vintage: 2011 codes from the ONS LSOA11→WD19→LAD19 lookup
miss the 2021 LSOAs that replaced split or merged ones (about 10 of Maidstone's 99
2021 LSOAs), so rows in them fall "outside". :meth:`AreaSelection.from_lookup`
therefore also adds the districts' names as prefixes by default; a row is in the
area when its code is listed **or** its name matches a prefix.

With neither prefix nor codes the selection is the whole input ("every row with a
location").

Examples
--------
>>> import pandas as pd
>>> area = AreaSelection("Maidstone", lsoa_name_prefix="Maidstone")
>>> names = pd.Series(["Maidstone 012A", "Maidstonex 012A", "maidstone 001B", None])
>>> area.mask(pd.Series(["E1", "E2", "E3", None]), names).tolist()
[True, False, True, False]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["AreaSelection", "LSOA_CODE_RE", "LSOA_SUFFIX_RE"]

#: An England or Wales LSOA code (2011 or 2021 vintage).
LSOA_CODE_RE = re.compile(r"^[EW]01\d{6}$")
#: What follows the district name in an LSOA name: a space, the MSOA number and a letter.
LSOA_SUFFIX_RE = r" \d{3}[A-Za-z]"


_RE2_SPECIAL = set("\\.^$|?*+()[]{}")


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _as_tuple(value: str | Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    items = [value] if isinstance(value, str) else list(value)
    out = tuple(dict.fromkeys(str(v).strip() for v in items if str(v).strip()))
    return out or None


@dataclass(frozen=True)
class AreaSelection:
    """An area defined by LSOA-name prefix(es) and/or a set of LSOA codes.

    Parameters
    ----------
    name : str
        Label for reports, e.g. ``"Maidstone"``.
    lsoa_name_prefix : str or iterable of str, optional
        District name(s) that LSOA names start with (normalised to a tuple).
    lsoa_codes : iterable of str, optional
        LSOA codes in the area (normalised to a ``frozenset``).

    Examples
    --------
    >>> a = AreaSelection("Two towns", lsoa_name_prefix=["Ashford", "Swale"])
    >>> a.lsoa_name_prefix
    ('Ashford', 'Swale')
    >>> AreaSelection("All").selects_everything
    True
    """

    name: str
    lsoa_name_prefix: tuple[str, ...] | None = None
    lsoa_codes: frozenset[str] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lsoa_name_prefix", _as_tuple(self.lsoa_name_prefix))
        if self.lsoa_codes is not None:
            codes = frozenset(str(c).strip() for c in self.lsoa_codes if str(c).strip())
            object.__setattr__(self, "lsoa_codes", codes or None)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def district(cls, name: str) -> AreaSelection:
        """Select a district by its name as the LSOA-name prefix.

        Examples
        --------
        >>> AreaSelection.district("Maidstone").lsoa_name_prefix
        ('Maidstone',)
        """
        return cls(name=name, lsoa_name_prefix=name)

    @classmethod
    def from_lookup(
        cls,
        lookup: pd.DataFrame,
        *,
        lad: str | Iterable[str] | None = None,
        csp: str | None = None,
        lad_csp: pd.DataFrame | None = None,
        name: str | None = None,
        add_name_prefix: bool = True,
    ) -> AreaSelection:
        """Select the LSOAs of one or more districts, or of a CSP, from ONS lookups.

        Parameters
        ----------
        lookup : pandas.DataFrame
            LSOA → ward → LAD lookup from :func:`.lookups.read_lsoa_lookup`.
        lad : str or iterable of str, optional
            District code(s) (``E07000110``) or name(s) (``Maidstone``).
        csp : str, optional
            CSP code (``E22000142``) or name; needs ``lad_csp``.
        lad_csp : pandas.DataFrame, optional
            LAD → CSP → PFA lookup from :func:`.lookups.read_lad_csp_lookup`.
        name : str, optional
            Label (default: the CSP or district name).
        add_name_prefix : bool
            Also match LSOA names starting with the districts' names (default), so
            2021 LSOAs absent from a 2011 lookup are still selected.

        Returns
        -------
        AreaSelection

        Raises
        ------
        ValueError
            When neither ``lad`` nor ``csp`` is given, nothing matches, or the CSP covers
            only part of a district (East Suffolk is split between two CSPs in the 2019
            lookup): then give the LSOA codes.

        Examples
        --------
        >>> lk = pd.DataFrame({"lsoa_code": ["E01024337", "E01024338", "E01000001"],
        ...                    "lsoa_name": ["Maidstone 001A", "Maidstone 001B", "City 001A"],
        ...                    "lad_code": ["E07000110", "E07000110", "E09000001"],
        ...                    "lad_name": ["Maidstone", "Maidstone", "City of London"]})
        >>> a = AreaSelection.from_lookup(lk, lad="E07000110")
        >>> a.name, sorted(a.lsoa_codes), a.lsoa_name_prefix
        ('Maidstone', ['E01024337', 'E01024338'], ('Maidstone',))
        """
        if lad is None and csp is None:
            raise ValueError("give lad= (district code or name) or csp= (with lad_csp=)")
        lads: set[str] = set()
        label = name
        if csp is not None:
            if lad_csp is None:
                raise ValueError("csp= needs the LAD→CSP lookup as lad_csp=")
            hit = lad_csp[(lad_csp["csp_code"] == csp) | (lad_csp["csp_name"] == csp)]
            if hit.empty:
                raise ValueError(f"CSP {csp!r} is not in the LAD→CSP lookup")
            from .lookups import _check_whole_districts

            _check_whole_districts(lad_csp, csp)
            lads |= set(hit["lad_code"])
            label = label or str(hit["csp_name"].iloc[0])
        if lad is not None:
            wanted = {lad} if isinstance(lad, str) else set(lad)
            hit = lookup[lookup["lad_code"].isin(wanted) | lookup["lad_name"].isin(wanted)]
            if hit.empty:
                raise ValueError(f"district {sorted(wanted)} is not in the LSOA lookup")
            lads |= set(hit["lad_code"])
        rows = lookup[lookup["lad_code"].isin(lads)]
        if rows.empty:
            raise ValueError(f"no LSOAs for districts {sorted(lads)} in the LSOA lookup")
        lad_names = list(dict.fromkeys(rows["lad_name"].tolist()))
        return cls(
            name=label or " and ".join(lad_names),
            lsoa_name_prefix=tuple(lad_names) if add_name_prefix else None,
            lsoa_codes=frozenset(rows["lsoa_code"]),
        )

    # ------------------------------------------------------------------ matching
    @property
    def selects_everything(self) -> bool:
        """True when neither a prefix nor codes are given (the whole input is the area).

        Examples
        --------
        >>> AreaSelection("x", lsoa_codes=["E01000001"]).selects_everything
        False
        """
        return self.lsoa_name_prefix is None and self.lsoa_codes is None

    def name_pattern(self) -> re.Pattern[str] | None:
        """Compiled full-match pattern for the prefixes (``None`` without prefixes).

        Examples
        --------
        >>> bool(AreaSelection.district("Tunbridge Wells").name_pattern().fullmatch(
        ...     "Tunbridge Wells 004C"))
        True
        """
        if not self.lsoa_name_prefix:
            return None
        alts = "|".join(re.escape(p) for p in self.lsoa_name_prefix)
        return re.compile(f"(?:{alts}){LSOA_SUFFIX_RE}", re.IGNORECASE)

    def near_miss_pattern(self) -> re.Pattern[str] | None:
        """Pattern (for ``match``) of names that *start* like the area's LSOA names.

        A name that starts with a prefix followed by anything but a letter
        (``"Sampleton 001A extra"``, ``"Sampleton001A"``, ``"Sampleton 1A"``) but is not
        ``<prefix> NNNX`` is a *near miss*: almost certainly one of the area's LSOAs with
        a damaged name. Such rows stay outside the area (the rule is exact), but
        :func:`near_miss_issue` makes a large share of them loud.

        Examples
        --------
        >>> a = AreaSelection.district("Sampleton")
        >>> [bool(a.near_miss_mask(pd.Series([n]))[0]) for n in
        ...  ["Sampleton 001A extra", "Sampleton 001A", "Sampletonx 001A", "Otherford 001A"]]
        [True, False, False, False]
        """
        if not self.lsoa_name_prefix:
            return None
        alts = "|".join(re.escape(p) for p in self.lsoa_name_prefix)
        return re.compile(f"(?:{alts})(?![A-Za-z])", re.IGNORECASE)

    def near_miss_mask(self, names: pd.Series) -> np.ndarray:
        """Which names are near misses (see :meth:`near_miss_pattern`)."""
        names = pd.Series(names, dtype="str").reset_index(drop=True).fillna("")
        starts = self.near_miss_pattern()
        if starts is None:
            return np.zeros(len(names), dtype=bool)
        exact = self.name_pattern()
        hit = names.str.match(starts).fillna(False).to_numpy(dtype=bool)
        assert exact is not None
        return hit & ~names.str.fullmatch(exact).fillna(False).to_numpy(dtype=bool)

    def near_miss_sql(self, name_col: str) -> str:
        """A DuckDB boolean expression: the name starts like the area's names (see
        :meth:`near_miss_pattern`; the caller tests only rows outside the area).

        Examples
        --------
        >>> print(AreaSelection.district("Ashford").near_miss_sql('"n"'))
        (("n" ILIKE 'Ashford%' ESCAPE '\\' AND regexp_matches("n", '(?i)^Ashford([^A-Za-z]|$)')))
        >>> AreaSelection("x", lsoa_codes=["E01000001"]).near_miss_sql('"n"')
        'FALSE'
        """
        parts: list[str] = []
        for prefix in self.lsoa_name_prefix or ():
            like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            regex = "(?i)^" + "".join("\\" + c if c in _RE2_SPECIAL else c for c in prefix)
            regex += "([^A-Za-z]|$)"
            parts.append(
                f"({name_col} ILIKE {_sql_str(like + '%')} ESCAPE '\\' "
                f"AND regexp_matches({name_col}, {_sql_str(regex)}))"
            )
        return "(" + " OR ".join(parts) + ")" if parts else "FALSE"

    def mask(self, codes: pd.Series, names: pd.Series) -> np.ndarray:
        """Boolean array: which (code, name) pairs are in the area.

        Rows with a blank or missing code are never in the area (they have no location).

        Examples
        --------
        >>> a = AreaSelection("X", lsoa_codes={"E01000002"})
        >>> a.mask(pd.Series(["E01000001", "E01000002"]), pd.Series(["A 001A", "B 001A"])).tolist()
        [False, True]
        """
        codes = pd.Series(codes, dtype="str").reset_index(drop=True)
        names = pd.Series(names, dtype="str").reset_index(drop=True)
        located = (codes.notna() & (codes.str.strip() != "")).to_numpy()
        if self.selects_everything:
            return located
        hit = np.zeros(len(codes), dtype=bool)
        pattern = self.name_pattern()
        if pattern is not None:
            hit |= names.fillna("").str.fullmatch(pattern).fillna(False).to_numpy(dtype=bool)
        if self.lsoa_codes is not None:
            hit |= codes.isin(self.lsoa_codes).to_numpy()
        return hit & located

    def sql_predicate(self, code_col: str, name_col: str) -> str:
        """A DuckDB boolean expression selecting the area (values inlined as SQL literals).

        The name test is a cheap case-insensitive ``ILIKE 'prefix ____'`` first and the
        exact pattern (``regexp_full_match``, RE2 syntax) only on the rows that pass it.
        Codes are tested against a table ``area_codes(code)`` that the caller creates.

        Examples
        --------
        >>> print(AreaSelection.district("St. Helens").sql_predicate('"c"', '"n"'))
        (("n" ILIKE 'St. Helens ____' ESCAPE '\\' AND regexp_full_match("n", '(?i)St\\. Helens [0-9]{3}[A-Za-z]')))
        """
        if self.selects_everything:
            return "TRUE"
        parts: list[str] = []
        for prefix in self.lsoa_name_prefix or ():
            like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            regex = "(?i)" + "".join("\\" + c if c in _RE2_SPECIAL else c for c in prefix)
            regex += " [0-9]{3}[A-Za-z]"
            parts.append(
                f"({name_col} ILIKE {_sql_str(like + ' ____')} ESCAPE '\\' "
                f"AND regexp_full_match({name_col}, {_sql_str(regex)}))"
            )
        if self.lsoa_codes is not None:
            parts.append(f"{code_col} IN (SELECT code FROM area_codes)")
        return "(" + " OR ".join(parts) + ")"

    def key(self) -> str:
        """A stable text form (for cache keys).

        Examples
        --------
        >>> AreaSelection("M", lsoa_name_prefix="Maidstone").key()
        'M|Maidstone|'
        """
        codes = ",".join(sorted(self.lsoa_codes)) if self.lsoa_codes else ""
        return f"{self.name}|{';'.join(self.lsoa_name_prefix or ())}|{codes}"

    def describe(self) -> str:
        """One line saying how the area is selected.

        Examples
        --------
        >>> AreaSelection.district("Maidstone").describe()
        "Maidstone: LSOAs whose name starts 'Maidstone ' + MSOA number"
        """
        parts = []
        if self.lsoa_name_prefix:
            parts.append(
                "LSOAs whose name starts "
                + " or ".join(f"'{p} '" for p in self.lsoa_name_prefix)
                + " + MSOA number"
            )
        if self.lsoa_codes:
            parts.append(f"{len(self.lsoa_codes)} listed LSOA codes")
        return f"{self.name}: " + (" or ".join(parts) if parts else "every row with a location")
