"""data.police.uk bulk files: street crime, outcomes, stop and search.

Accepted inputs (any mix, one force or several):

* a single CSV named as the site names them, ``YYYY-MM-<force>-<kind>.csv`` with
  ``<kind>`` one of ``street``, ``outcomes``, ``stop-and-search``;
* a folder, searched recursively — e.g. the archive unpacked, with monthly folders
  ``2024-01/2024-01-kent-street.csv``;
* the archive zip itself (``2024-01.zip`` holding ``2024-01/2024-01-kent-street.csv``
  ...); only the members needed are extracted, by base name, to a private temporary
  folder. Absolute or ``..`` member names, encrypted members, symbolic links and
  compression methods Python cannot read are refused (see :mod:`.police_uk_archives`).

The month of every row is taken from the **file name** (the site's own partition);
the ``Month`` column is checked against it and a mismatch is recorded in the quality
report. Files are streamed by DuckDB with every column read as text, then validated:
a wrong header, an empty file, bytes that are not UTF-8, a truncated row, a month
given by two different files, a month in the future or an unknown crime category
raise :class:`~smp_analysis.errors.InputError` naming the file, line and column.
Anti-social behaviour rows are kept apart from crimes (:class:`StreetRecords`).

The monthly cube for an area is built by :func:`smp_analysis.aggregate.build_cube`,
which shares the discovery and validation code but aggregates inside DuckDB.

This module holds the record readers; the steps they share with the cube live in
modules named for their job, and every name is re-exported here:

* :mod:`.police_uk_format` — column layouts, file names, :class:`PoliceFile`;
* :mod:`.police_uk_files` — :func:`find_police_files` (files, folders, zips);
* :mod:`.police_uk_archives` — safe listing and staging of archive members;
* :mod:`.police_uk_checks` — header, UTF-8, month and category checks, coverage;
* :mod:`.police_uk_duckdb` — the DuckDB ``read_csv`` call and rejected rows;
* :mod:`.police_uk_types` — text columns to numbers, dates, booleans, categories.

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

from collections.abc import Iterable
from dataclasses import dataclass, field
from os import PathLike

import pandas as pd

from ..categories import ASB
from ..quality import (
    CRIME_WITHOUT_ID,
    DUPLICATE_CRIME_ID,
    MONTH_MISMATCH,
    NO_LOCATION,
    OUTSIDE_AREA,
    QualityIssue,
    QualityReport,
    near_miss_issue,
)
from .area import AreaSelection

# ``name as name``: re-exported for code that imported these from here before the split.
from .police_uk_archives import staged as staged
from .police_uk_checks import check_categories as check_categories
from .police_uk_checks import check_headers as check_headers
from .police_uk_checks import check_months as check_months
from .police_uk_checks import check_utf8 as check_utf8
from .police_uk_checks import coverage_for as coverage_for
from .police_uk_duckdb import quiet_connect as quiet_connect
from .police_uk_duckdb import raise_rejects as raise_rejects
from .police_uk_duckdb import read_csv_sql as read_csv_sql
from .police_uk_duckdb import scan_all
from .police_uk_duckdb import sql_str as sql_str
from .police_uk_files import find_police_files
from .police_uk_format import COLUMNS as COLUMNS
from .police_uk_format import FILE_NAME_RE as FILE_NAME_RE
from .police_uk_format import OUTCOMES_COLUMNS as OUTCOMES_COLUMNS
from .police_uk_format import SOURCE, PoliceFile
from .police_uk_format import STOP_SEARCH_COLUMNS as STOP_SEARCH_COLUMNS
from .police_uk_format import STOP_SEARCH_FIELDS as STOP_SEARCH_FIELDS
from .police_uk_format import STREET_COLUMNS as STREET_COLUMNS
from .police_uk_format import WHAT as WHAT
from .police_uk_types import TYPERS

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
    >>> from smp_analysis.categories import ALL_CATEGORIES
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
        df = scan_all(kind, with_rows, local)
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
        typed = TYPERS[kind](df, local)
        per_file = df.groupby("filename").size() if len(df) else pd.Series(dtype="int64")
        rows = {(local[lp].force, str(local[lp].month)): int(n) for lp, n in per_file.items()}
        present = [local[lp] for lp in with_rows]
    return _Loaded(typed, files, present, rows, issues)


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
    near = located & ~keep & area.near_miss_mask(out["lsoa_name"])
    if near.any():
        issue = near_miss_issue(
            int(near.sum()),
            int(keep.sum()),
            source=SOURCE[kind],
            area=area.name,
            example=str(out["lsoa_name"].iloc[int(near.argmax())]),
        )
        if issue is not None:
            issues.append(issue)
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
