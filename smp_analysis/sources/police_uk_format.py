"""The data.police.uk file format: column layouts, file names, and one file's record.

data.police.uk publishes three kinds of monthly CSV per force, named
``YYYY-MM-<force>-<kind>.csv`` (:data:`FILE_NAME_RE`). This module holds what every
other ``police_uk_*`` module needs to know about them: the expected header of each
kind (:data:`STREET_COLUMNS`, :data:`OUTCOMES_COLUMNS`, :data:`STOP_SEARCH_COLUMNS`),
how each kind is named in messages and quality reports, and :class:`PoliceFile`, one
monthly file on disk or inside an archive zip.

Examples
--------
>>> parse_name("2024-01-city-of-london-stop-and-search.csv")
(Period('2024-01', 'M'), 'city-of-london', 'stop-and-search')
>>> parse_name("notes.csv") is None
True
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = [
    "STREET_COLUMNS",
    "OUTCOMES_COLUMNS",
    "STOP_SEARCH_COLUMNS",
    "STOP_SEARCH_FIELDS",
    "COLUMNS",
    "SOURCE",
    "WHAT",
    "FILE_NAME_RE",
    "MONTH_RE",
    "FIRST_MONTH",
    "PoliceFile",
    "parse_name",
]

STREET_COLUMNS: tuple[str, ...] = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
#: Outcomes files share the street files' first nine columns, then ``Outcome type``.
OUTCOMES_COLUMNS: tuple[str, ...] = (*STREET_COLUMNS[:9], "Outcome type")
STOP_SEARCH_COLUMNS: tuple[str, ...] = (
    "Type",
    "Date",
    "Part of a policing operation",
    "Policing operation",
    "Latitude",
    "Longitude",
    "Gender",
    "Age range",
    "Self-defined ethnicity",
    "Officer-defined ethnicity",
    "Legislation",
    "Object of search",
    "Outcome",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
)
#: Column names of :func:`read_stop_search` output, in order.
STOP_SEARCH_FIELDS: tuple[str, ...] = (
    "month",
    "force",
    "type",
    "date",
    "part_of_policing_operation",
    "policing_operation",
    "latitude",
    "longitude",
    "gender",
    "age_range",
    "self_defined_ethnicity",
    "officer_defined_ethnicity",
    "legislation",
    "object_of_search",
    "outcome",
    "outcome_linked_to_object",
    "removal_of_outer_clothing",
)

COLUMNS: dict[str, tuple[str, ...]] = {
    "street": STREET_COLUMNS,
    "outcomes": OUTCOMES_COLUMNS,
    "stop-and-search": STOP_SEARCH_COLUMNS,
}
SOURCE: dict[str, str] = {
    "street": "police_uk_street",
    "outcomes": "police_uk_outcomes",
    "stop-and-search": "police_uk_stop_search",
}
WHAT: dict[str, str] = {
    "street": "data.police.uk street-crime file",
    "outcomes": "data.police.uk outcomes file",
    "stop-and-search": "data.police.uk stop-and-search file",
}

#: ``YYYY-MM-<force>-<kind>.csv`` as data.police.uk names its files.
FILE_NAME_RE = re.compile(
    r"^(?P<month>\d{4}-(?:0[1-9]|1[0-2]))-(?P<force>[a-z0-9]+(?:-[a-z0-9]+)*)-"
    r"(?P<kind>street|outcomes|stop-and-search)\.csv$"
)
#: A ``Month`` column value, ``YYYY-MM``.
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
#: data.police.uk's first month: a file or span before it holds no data.police.uk data.
FIRST_MONTH = pd.Period("2010-12", freq="M")


@dataclass(frozen=True)
class PoliceFile:
    """One monthly data.police.uk file: a CSV on disk or a member of an archive zip.

    Attributes
    ----------
    kind : str
        ``street``, ``outcomes`` or ``stop-and-search``.
    force : str
        Force slug from the file name (``kent``, ``city-of-london``).
    month : pandas.Period
        Month from the file name.
    path : pathlib.Path
        The CSV, or the zip holding it.
    member : str or None
        Member name inside the zip.
    size : int
        Uncompressed size in bytes.
    crc : int or None
        CRC-32 of the content (known without reading for zip members).

    Examples
    --------
    >>> f = PoliceFile("street", "kent", pd.Period("2024-01", "M"), Path("2024-01.zip"),
    ...                "2024-01/2024-01-kent-street.csv")
    >>> f.display
    '2024-01.zip[2024-01/2024-01-kent-street.csv]'
    """

    kind: str
    force: str
    month: pd.Period
    path: Path
    member: str | None = None
    size: int = 0
    crc: int | None = None

    @property
    def display(self) -> str:
        """How the file is named in messages: the path, or ``zip[member]``.

        Examples
        --------
        >>> PoliceFile("street", "kent", pd.Period("2024-01", "M"), Path("a.csv")).display
        'a.csv'
        """
        return f"{self.path}[{self.member}]" if self.member else str(self.path)

    def content_crc(self) -> int:
        """CRC-32 of the content (read from the zip directory, or computed by streaming).

        Examples
        --------
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "2024-01-kent-street.csv"
        >>> _ = p.write_bytes(b"abc")
        >>> PoliceFile("street", "kent", pd.Period("2024-01", "M"), p).content_crc() == zlib.crc32(b"abc")
        True
        """
        if self.crc is not None:
            return self.crc
        crc = 0
        with open(self.path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                crc = zlib.crc32(chunk, crc)
        return crc


def parse_name(name: str) -> tuple[pd.Period, str, str] | None:
    """``(month, force, kind)`` from a base file name, or ``None`` if it is not one.

    A name whose month cannot be a calendar month (year 0000) is not one either.

    Examples
    --------
    >>> parse_name("0000-01-kent-street.csv") is None
    True
    """
    m = FILE_NAME_RE.match(name)
    if not m:
        return None
    try:
        month = pd.Period(m["month"], freq="M")
    except (ValueError, OverflowError):
        return None
    return month, m["force"], m["kind"]
