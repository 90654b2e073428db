"""data.police.uk bulk files: street crime, outcomes, stop and search.

Accepted inputs (any mix, one force or several):

* a single CSV named as the site names them, ``YYYY-MM-<force>-<kind>.csv`` with
  ``<kind>`` one of ``street``, ``outcomes``, ``stop-and-search``;
* a folder, searched recursively — e.g. the archive unpacked, with monthly folders
  ``2024-01/2024-01-kent-street.csv``;
* the archive zip itself (``2024-01.zip`` holding ``2024-01/2024-01-kent-street.csv``
  ...); only the members needed are extracted, to a temporary folder.

The month of every row is taken from the **file name** (the site's own partition);
the ``Month`` column is checked against it and a mismatch is recorded in the quality
report. Files are streamed by DuckDB with every column read as text, then validated:
a wrong header, an empty file, bytes that are not UTF-8, a truncated row, a month
given by two different files, a month in the future or an unknown crime category
raise :class:`~smp_analysis.errors.InputError` naming the file, line and column.
Anti-social behaviour rows are kept apart from crimes (:class:`StreetRecords`).

The monthly cube for an area is built by :func:`smp_analysis.aggregate.build_cube`,
which shares the discovery and validation code here but aggregates inside DuckDB.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> (d / "2024-01").mkdir()
>>> header = ",".join(STREET_COLUMNS)
>>> rows = [
...     "id1,2024-01,Kent Police,Kent Police,0.52,51.27,On or near X,E01024337,"
...     "Maidstone 001A,Burglary,Under investigation,",
...     ",2024-01,Kent Police,Kent Police,0.52,51.27,On or near X,E01024337,"
...     "Maidstone 001A,Anti-social behaviour,,",
... ]
>>> _ = (d / "2024-01" / "2024-01-kent-street.csv").write_text("\\n".join([header, *rows]) + "\\n")
>>> rec = read_street(d)
>>> len(rec.crimes), len(rec.asb), str(rec.crimes["month"].dtype)
(1, 1, 'period[M]')
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from ..categories import ALL_CATEGORIES, ASB, HISTORIC_CATEGORIES
from ..errors import InputError
from ..quality import (
    CRIME_WITHOUT_ID,
    DUPLICATE_CRIME_ID,
    DUPLICATE_FILE,
    EMPTY_FILE,
    HISTORIC_CATEGORY,
    IGNORED_FILE,
    MISSING_MONTHS,
    MONTH_MISMATCH,
    NO_LOCATION,
    OUTSIDE_AREA,
    OUTSIDE_SPAN,
    UNKNOWN_CATEGORY,
    QualityIssue,
    QualityReport,
    coverage_frame,
    month_ranges,
)
from ._csv import check_header, decode_error, locate
from .area import AreaSelection

__all__ = [
    "STREET_COLUMNS",
    "OUTCOMES_COLUMNS",
    "STOP_SEARCH_COLUMNS",
    "STOP_SEARCH_FIELDS",
    "FILE_NAME_RE",
    "PoliceFile",
    "StreetRecords",
    "find_police_files",
    "read_street",
    "read_outcomes",
    "read_stop_search",
    "load_stop_search",
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
_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


# ---------------------------------------------------------------------- discovery
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


def _parse_name(name: str) -> tuple[pd.Period, str, str] | None:
    m = FILE_NAME_RE.match(name)
    if not m:
        return None
    return pd.Period(m["month"], freq="M"), m["force"], m["kind"]


def _zip_members(path: Path) -> list[PoliceFile]:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as err:
        raise InputError(
            f"not a readable zip archive ({err})",
            path=str(path),
            fix="download the archive again (`smp-analysis fetch` resumes and verifies downloads)",
        ) from None
    out = []
    for info in infos:
        if info.is_dir():
            continue
        parsed = _parse_name(Path(info.filename).name)
        if parsed is None:
            continue
        month, force, kind = parsed
        out.append(PoliceFile(kind, force, month, path, info.filename, info.file_size, info.CRC))
    return out


def find_police_files(
    sources: str | PathLike[str] | Iterable[str | PathLike[str]],
    kinds: Sequence[str] = ("street",),
    *,
    start: object | None = None,
    end: object | None = None,
    forces: Iterable[str] | None = None,
) -> tuple[list[PoliceFile], list[QualityIssue]]:
    """Find the monthly files of the given kinds under files, folders and zips.

    Parameters
    ----------
    sources : path-like or iterable of path-like
        CSV files, folders (searched recursively for CSVs and zips) and archive zips.
    kinds : sequence of str
        Which kinds to return (``street``, ``outcomes``, ``stop-and-search``).
    start, end : month-like, optional
        Only files whose month is in the span (others are counted as an issue).
    forces : iterable of str, optional
        Only these force slugs.

    Returns
    -------
    files : list of PoliceFile
        Sorted by kind, force, month. Identical copies of one month are kept once.
    issues : list of QualityIssue
        Ignored files, files outside the span, identical duplicates.

    Raises
    ------
    InputError
        A path that does not exist; a CSV given by name whose name is not
        ``YYYY-MM-<force>-<kind>.csv``; a month in the future; one force-month given by
        two files with different content; no files of the kinds asked for at all.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "2024-02-kent-street.csv").write_text(",".join(STREET_COLUMNS) + "\\n")
    >>> _ = (d / "notes.csv").write_text("x\\n")
    >>> files, issues = find_police_files(d)
    >>> [(f.force, str(f.month)) for f in files], [i.kind for i in issues]
    ([('kent', '2024-02')], ['ignored_file'])
    """
    if isinstance(sources, (str, PathLike)):
        sources = [sources]
    want = set(kinds)
    force_set = set(forces) if forces is not None else None
    lo = pd.Period(start, freq="M") if start is not None else None
    hi = pd.Period(end, freq="M") if end is not None else None
    now = pd.Period.now("M")
    found: list[PoliceFile] = []
    issues: list[QualityIssue] = []
    ignored: list[str] = []
    source = SOURCE[kinds[0]] if kinds else "police_uk"

    def add_csv(p: Path, explicit: bool) -> None:
        parsed = _parse_name(p.name)
        if parsed is None:
            if explicit:
                raise InputError(
                    "cannot tell the month, force and kind from the file name",
                    path=str(p),
                    fix="name it as data.police.uk does, e.g. 2024-01-kent-street.csv",
                )
            ignored.append(str(p))
            return
        month, force, kind = parsed
        found.append(PoliceFile(kind, force, month, p, None, p.stat().st_size))

    seen: set[Path] = set()
    for src in sources:
        p = Path(src)
        if not p.exists():
            raise InputError(
                "no such file or folder",
                path=str(p),
                fix="check the path given to --source (relative paths start in the current folder)",
            )
        if p.is_dir():
            for q in sorted(p.rglob("*")):
                if q.resolve() in seen or not q.is_file():
                    continue
                seen.add(q.resolve())
                if q.suffix.lower() == ".csv":
                    add_csv(q, explicit=False)
                elif q.suffix.lower() == ".zip":
                    found.extend(_zip_members(q))
        elif p.resolve() in seen:
            continue
        else:
            seen.add(p.resolve())
            if p.suffix.lower() == ".zip":
                found.extend(_zip_members(p))
            else:
                add_csv(p, explicit=True)

    if ignored:
        issues.append(
            QualityIssue(
                source,
                ignored[0],
                None,
                None,
                IGNORED_FILE,
                f"{len(ignored)} CSV file(s) not named YYYY-MM-<force>-<kind>.csv were not read "
                f"(first: {Path(ignored[0]).name})",
                len(ignored),
            )
        )
    selected = [f for f in found if f.kind in want and (force_set is None or f.force in force_set)]
    for f in selected:
        if f.month > now:
            raise InputError(
                f"the file name gives month {f.month}, which is in the future",
                path=f.display,
                fix="check the file name; data.police.uk publishes past months only",
            )
    outside = [
        f
        for f in selected
        if (lo is not None and f.month < lo) or (hi is not None and f.month > hi)
    ]
    if outside:
        issues.append(
            QualityIssue(
                source,
                None,
                None,
                None,
                OUTSIDE_SPAN,
                f"{len(outside)} file(s) for months outside "
                f"{lo or '...'} – {hi or '...'} were not read ({month_ranges(f.month for f in outside)})",
                len(outside),
            )
        )
        selected = [f for f in selected if f not in outside]

    # one file per kind × force × month
    groups: dict[tuple[str, str, pd.Period], list[PoliceFile]] = {}
    for f in selected:
        groups.setdefault((f.kind, f.force, f.month), []).append(f)
    files: list[PoliceFile] = []
    for (kind, force, month), fs in sorted(
        groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])
    ):
        first = fs[0]
        for other in fs[1:]:
            if other.size == first.size and other.content_crc() == first.content_crc():
                issues.append(
                    QualityIssue(
                        SOURCE[kind],
                        other.display,
                        None,
                        None,
                        DUPLICATE_FILE,
                        f"{Path(other.member or other.path).name} is an identical copy of "
                        f"{first.display}; read once",
                        1,
                    )
                )
                continue
            raise InputError(
                f"month {month} for force '{force}' is also given by {first.display}, "
                "with different content",
                path=other.display,
                fix="pass each month once: remove one of the two files (keep the newer download)",
            )
        files.append(first)
    if not files and not outside:
        what = " or ".join(kinds)
        raise InputError(
            f"no data.police.uk {what} files found",
            path=", ".join(str(s) for s in sources),
            fix=f"pass YYYY-MM-<force>-{kinds[0]}.csv files, folders holding them, or archive zips",
        )
    return files, issues


@contextlib.contextmanager
def staged(files: Sequence[PoliceFile]) -> Iterator[dict[str, PoliceFile]]:
    """Make every file readable on disk: zip members are extracted to a temporary folder.

    Yields a mapping ``local path → PoliceFile``; the temporary folder is removed on exit.
    A damaged member (CRC mismatch) raises :class:`InputError`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "2024-01-kent-street.csv"
    >>> _ = p.write_text(",".join(STREET_COLUMNS) + "\\n")
    >>> f = PoliceFile("street", "kent", pd.Period("2024-01", "M"), p)
    >>> with staged([f]) as local:
    ...     list(local.values()) == [f]
    True
    """
    tmp: str | None = None
    local: dict[str, PoliceFile] = {}
    try:
        by_zip: dict[Path, list[PoliceFile]] = {}
        for f in files:
            if f.member is None:
                local[str(f.path)] = f
            else:
                by_zip.setdefault(f.path, []).append(f)
        if by_zip:
            tmp = tempfile.mkdtemp(prefix="smp-police-uk-")
        for i, (zpath, members) in enumerate(by_zip.items()):
            with zipfile.ZipFile(zpath) as zf:
                for f in members:
                    target = Path(tmp) / str(i) / f.member  # type: ignore[arg-type]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    try:
                        with zf.open(f.member) as src, open(target, "wb") as dst:  # type: ignore[arg-type]
                            shutil.copyfileobj(src, dst, 1 << 20)
                    except (zipfile.BadZipFile, zlib.error, EOFError) as err:
                        raise InputError(
                            f"archive member is damaged ({err})",
                            path=f.display,
                            fix="download the archive again (`smp-analysis fetch` verifies downloads)",
                        ) from None
                    local[str(target)] = f
        yield local
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def check_headers(local: dict[str, PoliceFile]) -> list[str]:
    """Check each staged file's header; return the local paths of files that have rows.

    Files with a header only are left out of the returned list (the caller records
    them as empty); a 0-byte file, a header that is not UTF-8 or has the wrong
    columns raises :class:`InputError`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "2024-01-kent-street.csv"
    >>> _ = p.write_text("Crime ID,Month\\n")
    >>> try:
    ...     check_headers({str(p): PoliceFile("street", "kent", pd.Period("2024-01", "M"), p)})
    ... except Exception as e:
    ...     print(e.line, e.column, e.problem[:33])
    1 Reported by header lacks column 'Reported by'
    """
    with_rows: list[str] = []
    for lp, f in local.items():
        with open(lp, "rb") as fh:
            head = fh.read(1 << 16)
        if not head.strip():
            raise InputError(
                f"file is empty ({len(head)} bytes)",
                path=f.display,
                fix="download the file again; a data.police.uk file starts with a header line",
            )
        first, _, rest = head.partition(b"\n")
        try:
            text = first.decode("utf-8").lstrip("\ufeff").rstrip("\r")
        except UnicodeDecodeError as err:
            raise decode_error(first, err, f.display) from None
        header = next(csv.reader([text]), [])
        check_header(header, COLUMNS[f.kind], path=f.display, what=WHAT[f.kind])
        check_utf8(lp, f.display, header)
        if rest.strip():
            with_rows.append(lp)
    return with_rows


def check_utf8(
    path: str | PathLike[str],
    display: str | None = None,
    header: Sequence[str] = (),
    *,
    chunk_size: int = 1 << 24,
) -> None:
    """Raise :class:`InputError` at the first byte that is not UTF-8, naming line and column.

    DuckDB does not reliably reject every invalid byte sequence, so each file is
    checked here first. Chunks that are pure ASCII (almost all of a data.police.uk
    file) are passed with :meth:`bytes.isascii`, which runs at memory speed; only the
    others are decoded (incrementally, so a character split between chunks is fine).
    When a bad byte is found the file is read again whole to name its line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = p.write_bytes(b"a,b\\n1,ok\\n2,caf\\xe9 au lait\\n")
    >>> try:
    ...     check_utf8(p, "x.csv", ["a", "b"])
    ... except Exception as e:
    ...     print(e)
    x.csv:3: column 'b': byte 0xe9 is not UTF-8 text. Fix: save the file as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)")
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as fh:
        while chunk := fh.read(chunk_size):
            if chunk.isascii() and not decoder.getstate()[0]:
                continue  # the fast path: nearly every chunk of a police.uk file
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                break
        else:
            try:
                decoder.decode(b"", final=True)
                return
            except UnicodeDecodeError:
                pass
    # error path only: read the whole file to name the line and column
    raw = Path(path).read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise decode_error(raw, err, display or str(path), header) from None


def read_csv_sql(kind: str, files: Sequence[str]) -> str:
    """The DuckDB ``read_csv`` call for files of one kind: all columns as text.

    Rows that cannot be parsed are stored in DuckDB's ``reject_errors`` table (see
    :func:`raise_rejects`) instead of stopping the scan.

    Examples
    --------
    >>> "all_varchar" in read_csv_sql("street", ["a.csv"]) or "VARCHAR" in read_csv_sql(
    ...     "street", ["a.csv"])
    True
    """
    cols = ", ".join(f"{sql_str(c)}: 'VARCHAR'" for c in COLUMNS[kind])
    file_list = "[" + ", ".join(sql_str(f) for f in files) + "]"
    return (
        f"read_csv({file_list}, header=true, auto_detect=false, delim=',', quote='\"', "
        f"escape='\"', columns={{{cols}}}, filename=true, store_rejects=true)"
    )


def quiet_connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection without a progress bar on the terminal.

    Inside a Jupyter kernel without ipywidgets DuckDB refuses to change the progress-bar
    setting (it raises ``InvalidInputException``) and shows no bar anyway, so the refusal is
    ignored there.

    Examples
    --------
    >>> quiet_connect().execute("SELECT 1").fetchall()
    [(1,)]
    """
    con = duckdb.connect()
    with contextlib.suppress(duckdb.Error):
        con.execute("SET enable_progress_bar = false")
    return con


def sql_str(text: str) -> str:
    """Quote text as a SQL string literal.

    Examples
    --------
    >>> sql_str("King's Lynn")
    "'King''s Lynn'"
    """
    return "'" + str(text).replace("'", "''") + "'"


_REJECT_TEXT = {
    "MISSING COLUMNS": (
        "row has fewer fields than the header (a truncated row)",
        "download the file again; a row cut short usually means an interrupted download",
    ),
    "TOO MANY COLUMNS": (
        "row has more fields than the header",
        "quote values that contain commas, or download the file again",
    ),
    "UNQUOTED VALUE": (
        "a quoted value is not closed",
        "close the quote, or download the file again",
    ),
    "INVALID ENCODING": (
        "the row has bytes that are not UTF-8 text",
        'save the file as UTF-8 (in Excel: "CSV UTF-8"), or download it again',
    ),
    "LINE SIZE OVER MAXIMUM": (
        "the line is too long (a quote opened and never closed?)",
        "download the file again",
    ),
}


def raise_rejects(con: duckdb.DuckDBPyConnection, local: dict[str, PoliceFile]) -> None:
    """Raise :class:`InputError` for the first row DuckDB could not parse, if any.

    Examples
    --------
    >>> raise_rejects(duckdb.connect(), {}) is None
    True
    """
    try:
        rows = con.execute(
            "SELECT s.file_path, e.line, e.column_name, e.error_type, e.error_message "
            "FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id) "
            "ORDER BY s.file_path, e.line"
        ).fetchall()
    except duckdb.Error:
        return
    if not rows:
        return
    file_path, line, column, etype, msg = rows[0]
    f = local.get(file_path)
    where = f.display if f is not None else file_path
    problem, fix = _REJECT_TEXT.get(str(etype), (str(msg), "download the file again"))
    more = len({(r[0], r[1]) for r in rows}) - 1
    if more:
        problem += f" (and {more} more unreadable row{'s' if more > 1 else ''})"
    raise InputError(problem, path=where, line=int(line), column=column or None, fix=fix)


# ---------------------------------------------------------------------- value checks
def check_months(
    checks: pd.DataFrame,
    local: dict[str, PoliceFile],
    *,
    column: str = "Month",
) -> list[QualityIssue]:
    """Validate the ``Month`` column values per file; return mismatch issues.

    ``checks`` has columns ``file`` (local path), ``value`` (the Month text) and ``n``
    (rows). A value that is not ``YYYY-MM`` or is in the future raises
    :class:`InputError` (with the line found by re-reading that file); a value that
    differs from the file name's month is counted as a :data:`MONTH_MISMATCH` issue.

    Examples
    --------
    >>> f = PoliceFile("street", "kent", pd.Period("2024-01", "M"), Path("x.csv"))
    >>> c = pd.DataFrame({"file": ["x.csv"], "value": ["2023-12"], "n": [4]})
    >>> [i.count for i in check_months(c, {"x.csv": f})]
    [4]
    """
    issues: list[QualityIssue] = []
    now = str(pd.Period.now("M"))
    col_idx = COLUMNS["street"].index(column)
    if not len(checks):
        return issues
    values = checks["value"].fillna("").astype("str")
    file_month = checks["file"].map({lp: str(f.month) for lp, f in local.items()})
    malformed = ((values != "") & ~values.str.match(_MONTH_RE.pattern)).to_numpy()
    if malformed.any():
        i = int(np.argmax(malformed))
        fp, value = checks["file"].iloc[i], values.iloc[i]
        line = locate(fp, col_idx, lambda v: v == value)
        raise InputError(
            f"'{value}' is not a month in the form YYYY-MM",
            path=local[fp].display,
            line=line,
            column=column,
            fix="use the file as downloaded from data.police.uk (spreadsheet programs "
            "rewrite dates when they save)",
        )
    future = ((values != "") & (values > now)).to_numpy()
    if future.any():
        i = int(np.argmax(future))
        fp, value = checks["file"].iloc[i], values.iloc[i]
        line = locate(fp, col_idx, lambda v: v == value)
        raise InputError(
            f"month {value} is in the future",
            path=local[fp].display,
            line=line,
            column=column,
            fix="check the file; data.police.uk publishes past months only",
        )
    off = (values != file_month).to_numpy()
    if not off.any():
        return issues
    bad = checks[off].assign(value=values[off])
    for fp, g in bad.groupby("file", sort=True):
        f = local[str(fp)]
        n = int(g["n"].sum())
        shown = sorted({v if v else "(blank)" for v in g["value"]})
        first = shown[0]
        line = locate(fp, col_idx, lambda v, first=first: (v or "(blank)") == first)
        issues.append(
            QualityIssue(
                SOURCE[f.kind],
                f.display,
                line,
                column,
                MONTH_MISMATCH,
                f"{n} row(s) in the {f.month} file say {', '.join(shown)}; counted in {f.month}",
                n,
            )
        )
    return issues


def check_categories(
    checks: pd.DataFrame,
    local: dict[str, PoliceFile],
    *,
    unknown: str = "error",
) -> tuple[dict[str, str], list[QualityIssue]]:
    """Validate ``Crime type`` values; return a renaming map and issues.

    ``checks`` has columns ``file``, ``value`` (the Crime type text) and ``n``. Blank
    values raise :class:`InputError`; historic names are mapped (``Violent crime`` →
    ``Violence and sexual offences``) or kept when they cannot be mapped, with a
    :data:`HISTORIC_CATEGORY` issue; other names raise :class:`InputError` when
    ``unknown="error"`` and are kept under their own name with an
    :data:`UNKNOWN_CATEGORY` issue when ``unknown="keep"``.

    Examples
    --------
    >>> f = PoliceFile("street", "x", pd.Period("2012-01", "M"), Path("x.csv"))
    >>> c = pd.DataFrame({"file": ["x.csv"], "value": ["Violent crime"], "n": [3]})
    >>> rename, issues = check_categories(c, {"x.csv": f})
    >>> rename, issues[0].kind
    ({'Violent crime': 'Violence and sexual offences'}, 'historic_category')
    """
    if unknown not in ("error", "keep"):
        raise ValueError("unknown must be 'error' or 'keep'")
    known = set(ALL_CATEGORIES)
    col_idx = STREET_COLUMNS.index("Crime type")
    rename: dict[str, str] = {}
    issues: list[QualityIssue] = []
    odd = checks[~checks["value"].isin(known)]
    for (fp, value), g in odd.groupby(["file", "value"], sort=True, dropna=False):
        f = local[str(fp)]
        n = int(g["n"].sum())
        value = None if pd.isna(value) else str(value)
        if value is None or value.strip() == "":
            line = locate(fp, col_idx, lambda v: v.strip() == "")
            raise InputError(
                "Crime type is blank",
                path=f.display,
                line=line,
                column="Crime type",
                fix="every row needs one of the 14 data.police.uk categories; "
                "download the file again",
            )
        line = locate(fp, col_idx, lambda v, value=value: v == value)
        if re.search(r" \d{3}[A-Za-z]$", value):
            raise InputError(
                f"the row has an extra field: the LSOA name '{value.strip()}' landed in "
                "Crime type (a comma inside an unquoted value?)",
                path=f.display,
                line=line,
                column="Crime type",
                fix='put values that contain commas in double quotes ("On or near X, Y"), '
                "or download the file again",
            )
        if value in HISTORIC_CATEGORIES:
            target = HISTORIC_CATEGORIES[value]
            if target is not None:
                rename[value] = target
                msg = f"{n} row(s) of historic category '{value}' counted as '{target}'"
            else:
                msg = (
                    f"{n} row(s) of historic category '{value}' kept under that name (it was split)"
                )
            issues.append(
                QualityIssue(
                    SOURCE[f.kind], f.display, line, "Crime type", HISTORIC_CATEGORY, msg, n
                )
            )
            continue
        if unknown == "error":
            raise InputError(
                f"'{value}' is not one of the 14 data.police.uk crime categories",
                path=f.display,
                line=line,
                column="Crime type",
                fix="correct the category (see smp_analysis.categories.ALL_CATEGORIES), or "
                "pass --unknown-categories keep to count it under its own name",
            )
        issues.append(
            QualityIssue(
                SOURCE[f.kind],
                f.display,
                line,
                "Crime type",
                UNKNOWN_CATEGORY,
                f"{n} row(s) of unknown category '{value}' kept under that name",
                n,
            )
        )
    return rename, issues


def coverage_for(
    files: Sequence[PoliceFile],
    with_rows: Iterable[PoliceFile],
    *,
    start: pd.Period,
    end: pd.Period,
    rows: dict[tuple[str, str], int] | None = None,
) -> tuple[pd.DataFrame, list[QualityIssue]]:
    """Coverage table and missing-month issues per force for files of one kind.

    Examples
    --------
    >>> f = PoliceFile("street", "kent", pd.Period("2024-01", "M"), Path("x.csv"))
    >>> cov, issues = coverage_for([f], [f], start=f.month, end=f.month + 2)
    >>> cov["status"].tolist(), issues[0].message
    (['present', 'missing', 'missing'], 'kent: no file for 2024-02 – 2024-03')
    """
    rows = rows or {}
    frames = []
    issues: list[QualityIssue] = []
    have = {(f.kind, f.force, f.month) for f in with_rows}
    by_force: dict[tuple[str, str], list[PoliceFile]] = {}
    for f in files:
        by_force.setdefault((f.kind, f.force), []).append(f)
    for (kind, force), fs in sorted(by_force.items()):
        present = [f.month for f in fs if (kind, force, f.month) in have]
        empty = [f.month for f in fs if (kind, force, f.month) not in have]
        cov = coverage_frame(
            SOURCE[kind],
            force,
            present,
            start=start,
            end=end,
            rows={str(m): rows.get((force, str(m)), 0) for m in present},
            empty=empty,
        )
        frames.append(cov)
        for f in fs:
            if (kind, force, f.month) not in have:
                issues.append(
                    QualityIssue(
                        SOURCE[kind],
                        f.display,
                        None,
                        None,
                        EMPTY_FILE,
                        f"{Path(f.member or f.path).name} has a header but no rows; "
                        f"{f.month} treated as missing",
                        1,
                    )
                )
        missing = cov.loc[cov["status"] != "present", "month"]
        if len(missing):
            issues.append(
                QualityIssue(
                    SOURCE[kind],
                    None,
                    None,
                    None,
                    MISSING_MONTHS,
                    f"{force}: no file for {month_ranges(missing)}",
                    len(missing),
                )
            )
    cov_all = (
        pd.concat(frames, ignore_index=True)
        if frames
        else coverage_frame("x", "x", [], start=start, end=start).iloc[0:0]
    )
    return cov_all, issues


# ---------------------------------------------------------------------- record readers
@dataclass(frozen=True, eq=False)
class StreetRecords:
    """Street-level records, crimes and anti-social behaviour kept apart.

    Attributes
    ----------
    crimes : pandas.DataFrame
        One row per crime (see :func:`read_street` for the columns).
    asb : pandas.DataFrame
        One row per anti-social behaviour incident, same columns (``crime_id`` and
        ``last_outcome_category`` blank). Never add these to crime totals.
    report : QualityReport
        Coverage, row accounting and issues.

    Examples
    --------
    >>> empty = pd.DataFrame({"crime_type": pd.Categorical([], categories=ALL_CATEGORIES)})
    >>> StreetRecords(crimes=empty, asb=empty).report.issues
    ()
    """

    crimes: pd.DataFrame
    asb: pd.DataFrame
    report: QualityReport = field(default_factory=QualityReport)


@dataclass
class _Loaded:
    frame: pd.DataFrame
    files: list[PoliceFile]
    present: list[PoliceFile]
    rows: dict[tuple[str, str], int]
    issues: list[QualityIssue]


def _scan_all(kind: str, with_rows: Sequence[str], local: dict[str, PoliceFile]) -> pd.DataFrame:
    if not with_rows:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in [*COLUMNS[kind], "filename"]})
    con = quiet_connect()
    try:
        table = con.sql(f"SELECT * FROM {read_csv_sql(kind, with_rows)}").to_arrow_table()
        raise_rejects(con, local)
    finally:
        con.close()
    return table.to_pandas()


def _load_records(
    kind: str,
    sources: str | PathLike[str] | Iterable[str | PathLike[str]],
    *,
    start: object | None,
    end: object | None,
    forces: Iterable[str] | None,
) -> _Loaded:
    """Find, stage, check and type the files of one kind (all checks run while staged)."""
    files, issues = find_police_files(sources, (kind,), start=start, end=end, forces=forces)
    with staged(files) as local:
        with_rows = check_headers(local)
        df = _scan_all(kind, with_rows, local)
        if kind != "stop-and-search" and len(df):
            checks = (
                df.groupby(["filename", "Month"], dropna=False)
                .size()
                .rename("n")
                .reset_index()
                .rename(columns={"filename": "file", "Month": "value"})
            )
            issues += check_months(checks, local)
        if kind == "street" and len(df):
            checks = (
                df.groupby(["filename", "Crime type"], dropna=False)
                .size()
                .rename("n")
                .reset_index()
                .rename(columns={"filename": "file", "Crime type": "value"})
            )
            rename, cat_issues = check_categories(checks, local, unknown="error")
            issues += cat_issues
            if rename:
                df["Crime type"] = df["Crime type"].replace(rename)
        typed = _TYPERS[kind](df, local)
        per_file = df.groupby("filename").size() if len(df) else pd.Series(dtype="int64")
        rows = {(local[lp].force, str(local[lp].month)): int(n) for lp, n in per_file.items()}
        present = [local[lp] for lp in with_rows]
    return _Loaded(typed, files, present, rows, issues)


def _numeric(df: pd.DataFrame, column: str, local: dict[str, PoliceFile], kind: str) -> pd.Series:
    raw = df[column]
    values = pd.to_numeric(raw, errors="coerce")
    bad = raw.notna() & values.isna()
    if bad.any():
        i = int(np.argmax(bad.to_numpy()))
        fp = df["filename"].iloc[i]
        value = raw.iloc[i]
        line = locate(fp, COLUMNS[kind].index(column), lambda v: v == value)
        raise InputError(
            f"'{value}' is not a number",
            path=local[fp].display,
            line=line,
            column=column,
            fix="use the file as downloaded from data.police.uk",
        )
    return values.astype("float64")


def _month_and_force(df: pd.DataFrame, local: dict[str, PoliceFile]) -> tuple[pd.Series, pd.Series]:
    month_of = {lp: str(f.month) for lp, f in local.items()}
    force_of = {lp: f.force for lp, f in local.items()}
    cat = pd.Categorical(df["filename"].map(month_of).astype("str"))
    uniques = pd.PeriodIndex([pd.Period(m, freq="M") for m in cat.categories], freq="M")
    month = pd.Series(
        uniques[cat.codes] if len(df) else pd.PeriodIndex([], freq="M"),
        index=df.index,
        name="month",
    )
    force = df["filename"].map(force_of).astype("category").rename("force")
    return month, force


def _type_located(df: pd.DataFrame, local: dict[str, PoliceFile], kind: str) -> pd.DataFrame:
    month, force = _month_and_force(df, local)
    return pd.DataFrame(
        {
            "crime_id": df["Crime ID"].astype("str"),
            "month": month,
            "force": force,
            "reported_by": df["Reported by"].astype("category"),
            "falls_within": df["Falls within"].astype("category"),
            "longitude": _numeric(df, "Longitude", local, kind),
            "latitude": _numeric(df, "Latitude", local, kind),
            "location": df["Location"].astype("str"),
            "lsoa_code": df["LSOA code"].astype("str"),
            "lsoa_name": df["LSOA name"].astype("str"),
        }
    )


def _type_street(df: pd.DataFrame, local: dict[str, PoliceFile]) -> pd.DataFrame:
    out = _type_located(df, local, "street")
    extra = sorted(set(df["Crime type"].dropna()) - set(ALL_CATEGORIES))
    out["crime_type"] = pd.Categorical(df["Crime type"], categories=[*ALL_CATEGORIES, *extra])
    out["last_outcome_category"] = df["Last outcome category"].astype("category")
    out["context"] = df["Context"].astype("str")
    return out


def _type_outcomes(df: pd.DataFrame, local: dict[str, PoliceFile]) -> pd.DataFrame:
    out = _type_located(df, local, "outcomes")
    out["outcome_type"] = df["Outcome type"].astype("category")
    return out


_BOOL = {"true": True, "false": False, "": None}


def _type_stop_search(df: pd.DataFrame, local: dict[str, PoliceFile]) -> pd.DataFrame:
    """Validate and type the raw stop-and-search frame (raises InputError)."""
    date_idx = STOP_SEARCH_COLUMNS.index("Date")
    raw_dates = df["Date"]
    dates = pd.to_datetime(raw_dates, utc=True, errors="coerce", format="ISO8601")
    bad = dates.isna().to_numpy()
    if bad.any():
        i = int(np.argmax(bad))
        fp = df["filename"].iloc[i]
        value = raw_dates.iloc[i]
        text = "" if pd.isna(value) else str(value)
        line = locate(fp, date_idx, lambda v: v == text)
        raise InputError(
            f"'{text}' is not a date-time (expected e.g. 2024-01-31T21:15:00+00:00)",
            path=local[fp].display,
            line=line,
            column="Date",
            fix="use the file as downloaded from data.police.uk",
        )
    future = (dates > pd.Timestamp.now(tz="UTC") + pd.Timedelta(days=1)).to_numpy()
    if future.any():
        i = int(np.argmax(future))
        fp = df["filename"].iloc[i]
        value = str(raw_dates.iloc[i])
        line = locate(fp, date_idx, lambda v: v == value)
        raise InputError(
            f"date {value} is in the future",
            path=local[fp].display,
            line=line,
            column="Date",
            fix="check the file; data.police.uk publishes past months only",
        )
    bools: dict[str, pd.Series] = {}
    for col in (
        "Part of a policing operation",
        "Outcome linked to object of search",
        "Removal of more than just outer clothing",
    ):
        raw = df[col].fillna("").astype("str").str.strip().str.lower()
        bad = ~raw.isin(list(_BOOL)).to_numpy()
        if bad.any():
            i = int(np.argmax(bad))
            fp = df["filename"].iloc[i]
            value = str(df[col].iloc[i])
            line = locate(fp, STOP_SEARCH_COLUMNS.index(col), lambda v, value=value: v == value)
            raise InputError(
                f"'{value}' is not True or False",
                path=local[fp].display,
                line=line,
                column=col,
                fix="use True, False or leave blank",
            )
        bools[col] = pd.Series(pd.array(raw.map(_BOOL).tolist(), dtype="boolean"), index=df.index)
    month, force = _month_and_force(df, local)
    kind = "stop-and-search"
    return pd.DataFrame(
        {
            "month": month,
            "force": force,
            "type": df["Type"].astype("category"),
            "date": dates,
            "part_of_policing_operation": bools["Part of a policing operation"],
            "policing_operation": df["Policing operation"].astype("str"),
            "latitude": _numeric(df, "Latitude", local, kind),
            "longitude": _numeric(df, "Longitude", local, kind),
            "gender": df["Gender"].astype("category"),
            "age_range": df["Age range"].astype("category"),
            "self_defined_ethnicity": df["Self-defined ethnicity"].astype("category"),
            "officer_defined_ethnicity": df["Officer-defined ethnicity"].astype("category"),
            "legislation": df["Legislation"].astype("category"),
            "object_of_search": df["Object of search"].astype("category"),
            "outcome": df["Outcome"].astype("category"),
            "outcome_linked_to_object": bools["Outcome linked to object of search"],
            "removal_of_outer_clothing": bools["Removal of more than just outer clothing"],
        }
    )


_TYPERS = {"street": _type_street, "outcomes": _type_outcomes, "stop-and-search": _type_stop_search}


def _split_area(
    out: pd.DataFrame, area: AreaSelection | None, kind: str
) -> tuple[pd.DataFrame, list[QualityIssue], dict[str, int]]:
    located = out["lsoa_code"].notna().to_numpy()
    n_noloc = int((~located).sum())
    issues: list[QualityIssue] = []
    counts = {"rows_read": len(out), "no_location": n_noloc}
    if n_noloc:
        issues.append(
            QualityIssue(
                SOURCE[kind],
                None,
                None,
                "LSOA code",
                NO_LOCATION,
                f"{n_noloc} row(s) without a location (blank LSOA code) cannot be placed",
                n_noloc,
            )
        )
    if area is None:
        counts["in_area"] = len(out)
        return out, issues, counts
    keep = area.mask(out["lsoa_code"], out["lsoa_name"])
    n_out = int((located & ~keep).sum())
    counts["in_area"] = int(keep.sum())
    counts["outside_area"] = n_out
    if n_out:
        issues.append(
            QualityIssue(
                SOURCE[kind],
                None,
                None,
                "LSOA name",
                OUTSIDE_AREA,
                f"{n_out} row(s) outside {area.name}",
                n_out,
            )
        )
    return out[keep].reset_index(drop=True), issues, counts


def _report(
    kind: str,
    loaded: _Loaded,
    issues: list[QualityIssue],
    counts: dict[str, int],
    area: AreaSelection | None,
    start: object | None,
    end: object | None,
) -> QualityReport:
    files = loaded.files
    months = [f.month for f in files]
    label = area.name if area else ""
    lo = pd.Period(start, freq="M") if start is not None else (min(months) if months else None)
    hi = pd.Period(end, freq="M") if end is not None else (max(months) if months else None)
    if lo is None or hi is None:
        return QualityReport(issues=tuple(issues), area=label)
    cov, cov_issues = coverage_for(files, loaded.present, start=lo, end=hi, rows=loaded.rows)
    forces = sorted({f.force for f in files})
    count_df = pd.DataFrame(
        {
            "source": SOURCE[kind],
            "force": forces[0] if len(forces) == 1 else "all",
            "measure": list(counts),
            "count": [int(v) for v in counts.values()],
        }
    )
    return QualityReport(
        issues=tuple(cov_issues + issues), coverage=cov, counts=count_df, area=label
    )


def read_street(
    sources: str | PathLike[str] | Iterable[str | PathLike[str]],
    *,
    area: AreaSelection | None = None,
    start: object | None = None,
    end: object | None = None,
    forces: Iterable[str] | None = None,
) -> StreetRecords:
    """Read street-level crime records, with ASB kept apart from crimes.

    For record-level work (hot spots, repeat locations, outcomes by crime). For
    monthly counts use :func:`smp_analysis.aggregate.build_cube`, which aggregates
    inside DuckDB and scales to national archives.

    Parameters
    ----------
    sources : path-like or iterable of path-like
        CSV files, folders or archive zips (see the module docstring).
    area : AreaSelection, optional
        Keep only rows in the area (others are counted in the report).
    start, end : month-like, optional
        Only read files for months in this span.
    forces : iterable of str, optional
        Only these force slugs.

    Returns
    -------
    StreetRecords
        ``crimes`` and ``asb`` frames with columns ``crime_id`` (str, blank for ASB),
        ``month`` (``period[M]``, from the file name), ``force`` (category, slug from
        the file name), ``reported_by``, ``falls_within`` (category), ``longitude``,
        ``latitude`` (float), ``location``, ``lsoa_code``, ``lsoa_name`` (str),
        ``crime_type`` (categorical over the 14 categories), ``last_outcome_category``
        (category), ``context`` (str); and the quality ``report``.

    Raises
    ------
    InputError
        See :func:`find_police_files`; also a wrong header, an empty or truncated
        file, bytes that are not UTF-8, a malformed or future ``Month``, an unknown
        or blank ``Crime type``, a coordinate that is not a number.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> row = ("id{i},2024-03,Kent Police,Kent Police,0.5,51.2,On or near X,{code},"
    ...        "{name},Shoplifting,Under investigation,")
    >>> lines = [",".join(STREET_COLUMNS),
    ...          row.format(i=1, code="E01024337", name="Maidstone 001A"),
    ...          row.format(i=2, code="E01023987", name="Ashford 001B")]
    >>> p = d / "2024-03-kent-street.csv"
    >>> _ = p.write_text("\\n".join(lines) + "\\n")
    >>> rec = read_street(p, area=AreaSelection.district("Maidstone"))
    >>> rec.crimes["lsoa_name"].tolist(), rec.report.measure("outside_area")
    (['Maidstone 001A'], 1)
    """
    loaded = _load_records("street", sources, start=start, end=end, forces=forces)
    issues = list(loaded.issues)
    out, area_issues, counts = _split_area(loaded.frame, area, "street")
    issues += area_issues
    is_asb = (out["crime_type"] == ASB).to_numpy()
    crimes = out[~is_asb].reset_index(drop=True)
    asb = out[is_asb].reset_index(drop=True)
    no_id = int(crimes["crime_id"].isna().sum())
    if no_id:
        issues.append(
            QualityIssue(
                "police_uk_street",
                None,
                None,
                "Crime ID",
                CRIME_WITHOUT_ID,
                f"{no_id} crime row(s) with a blank Crime ID",
                no_id,
            )
        )
    ids = crimes["crime_id"].dropna()
    dup_mask = ids.duplicated()
    dup = int(dup_mask.sum())
    if dup:
        issues.append(
            QualityIssue(
                "police_uk_street",
                None,
                None,
                "Crime ID",
                DUPLICATE_CRIME_ID,
                f"{dup} extra row(s) repeat a Crime ID already seen "
                f"({ids[dup_mask].nunique()} distinct IDs); kept",
                dup,
            )
        )
    counts["crime_in_area"] = len(crimes)
    counts["asb_in_area"] = len(asb)
    counts["files"] = len(loaded.present)
    report = _report("street", loaded, issues, counts, area, start, end)
    return StreetRecords(crimes=crimes, asb=asb, report=report)


def read_outcomes(
    sources: str | PathLike[str] | Iterable[str | PathLike[str]],
    *,
    area: AreaSelection | None = None,
    start: object | None = None,
    end: object | None = None,
    forces: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read data.police.uk outcomes files (``*-outcomes.csv``).

    Parameters
    ----------
    sources, area, start, end, forces
        As for :func:`read_street`.

    Returns
    -------
    pandas.DataFrame
        ``crime_id`` (str), ``month`` (``period[M]``, the month of the outcome, from
        the file name), ``force``, ``reported_by``, ``falls_within`` (category),
        ``longitude``, ``latitude`` (float), ``location``, ``lsoa_code``, ``lsoa_name``
        (str), ``outcome_type`` (category). Join to street crimes on ``crime_id``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "2024-03-kent-outcomes.csv"
    >>> _ = p.write_text(",".join(OUTCOMES_COLUMNS) + "\\n"
    ...     "id1,2024-03,Kent Police,Kent Police,0.5,51.2,On or near X,E01024337,"
    ...     "Maidstone 001A,Offender given a caution\\n")
    >>> read_outcomes(p)["outcome_type"].tolist()
    ['Offender given a caution']
    """
    loaded = _load_records("outcomes", sources, start=start, end=end, forces=forces)
    out, _, _ = _split_area(loaded.frame, area, "outcomes")
    return out


def load_stop_search(
    sources: str | PathLike[str] | Iterable[str | PathLike[str]],
    *,
    start: object | None = None,
    end: object | None = None,
    forces: Iterable[str] | None = None,
) -> tuple[pd.DataFrame, QualityReport]:
    """Read stop-and-search files with their quality report.

    The report has the months present and missing per force, searches without a
    location, and a :data:`~smp_analysis.quality.MONTH_MISMATCH` issue per file
    counting searches whose ``Date`` (converted to UK time) falls outside the file's
    month — in BST months data.police.uk files start with searches from the previous
    month's last evening. They stay in the file's month, as published.

    Parameters
    ----------
    sources, start, end, forces
        As for :func:`read_street`.

    Returns
    -------
    (pandas.DataFrame, QualityReport)
        The frame of :func:`read_stop_search` and the report.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "2018-04-city-of-london-stop-and-search.csv"
    >>> _ = p.write_text(",".join(STOP_SEARCH_COLUMNS) + "\\n"
    ...     "Person search,2018-03-31T22:30:00+00:00,,,,,Male,18-24,,White,"
    ...     "Misuse of Drugs Act 1971 (section 23),Controlled drugs,Arrest,True,False\\n")
    >>> df, report = load_stop_search(p)
    >>> str(df["month"].iloc[0]), report.total("no_location"), report.total("month_mismatch")
    ('2018-04', 1, 1)
    """
    kind = "stop-and-search"
    loaded = _load_records(kind, sources, start=start, end=end, forces=forces)
    out = loaded.frame
    issues = list(loaded.issues)
    noloc = int(out["latitude"].isna().sum())
    if noloc:
        issues.append(
            QualityIssue(
                SOURCE[kind],
                None,
                None,
                "Latitude",
                NO_LOCATION,
                f"{noloc} search(es) without a location",
                noloc,
            )
        )
    if len(out):
        uk_month = out["date"].dt.tz_convert("Europe/London").dt.tz_localize(None).dt.to_period("M")
        off = (uk_month != out["month"]).to_numpy()
        if off.any():
            shifted = out.loc[off].groupby(["force", "month"], observed=True).size()
            for (force, month), n in shifted.items():
                issues.append(
                    QualityIssue(
                        SOURCE[kind],
                        f"{month}-{force}-stop-and-search.csv",
                        None,
                        "Date",
                        MONTH_MISMATCH,
                        f"{n} search(es) in the {month} file are dated (UK time) in another "
                        f"month; kept in {month}",
                        int(n),
                    )
                )
    counts = {"files": len(loaded.present), "rows_read": len(out), "no_location": noloc}
    report = _report(kind, loaded, issues, counts, None, start, end)
    return out.reset_index(drop=True), report


def read_stop_search(
    sources: str | PathLike[str] | Iterable[str | PathLike[str]],
    *,
    start: object | None = None,
    end: object | None = None,
    forces: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read data.police.uk stop-and-search files.

    Parameters
    ----------
    sources, start, end, forces
        As for :func:`read_street`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`STOP_SEARCH_FIELDS`: ``month`` (``period[M]``, from the file
        name — not from ``date``), ``force`` (category, file-name slug), ``type``
        (category), ``date`` (``datetime64[ns, UTC]``), ``part_of_policing_operation``
        (boolean, may be NA), ``policing_operation`` (str), ``latitude``, ``longitude``
        (float, NaN without location), ``gender``, ``age_range``,
        ``self_defined_ethnicity``, ``officer_defined_ethnicity``, ``legislation``,
        ``object_of_search``, ``outcome`` (category), ``outcome_linked_to_object``,
        ``removal_of_outer_clothing`` (boolean, may be NA).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "2018-04-city-of-london-stop-and-search.csv"
    >>> _ = p.write_text(",".join(STOP_SEARCH_COLUMNS) + "\\n"
    ...     "Person search,2018-04-01T00:08:42+00:00,,,51.51,-0.08,Female,over 34,,Black,"
    ...     "Misuse of Drugs Act 1971 (section 23),Controlled drugs,Arrest,True,False\\n")
    >>> df = read_stop_search(p)
    >>> df.columns.tolist() == list(STOP_SEARCH_FIELDS), bool(df["outcome_linked_to_object"][0])
    (True, True)
    """
    return load_stop_search(sources, start=start, end=end, forces=forces)[0]
