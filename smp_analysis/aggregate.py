"""From data.police.uk street files to the monthly cube, in one DuckDB pass.

:func:`build_cube` finds the monthly street files (CSV, folders, archive zips; see
:mod:`smp_analysis.sources.police_uk`), checks each header and that the bytes are
UTF-8, then runs **one** DuckDB query that streams every file (all columns read as
text) and aggregates to ``file × Month value × crime type × status [× LSOA for rows in
the area]``, plus the Crime IDs that occur more than once in the area — tables whose
size is set by the area and the number of files, not by the number of rows, so a
national archive is aggregated in bounded memory (about 300 MB for 18 million rows in
``benchmarks/bench_ingest.py``). The columns the cube uses (``Month``, ``LSOA code``,
``LSOA name``, ``Crime type``, ``Crime ID``) are validated on that small result in
pandas; coordinates are not used and not checked here (:func:`read_street` checks
them). The result is turned into a
:class:`~smp_analysis.cube.Cube` plus a :class:`~smp_analysis.quality.QualityReport`
that accounts for every row read: in the area, outside it, or without a location.

Months with no file are *missing* (``Cube.months_present`` leaves them out), never
zero; a file with a header but no rows is treated as missing too, with a warning.

**Cache.** With ``cache_dir`` the cube and report are stored as parquet + JSON under a
key made of the package version, the area, the options and the content hash of every
input file, so an unchanged rebuild reads no CSV (see :mod:`smp_analysis.cube_cache`).
The ``smp-analysis ingest`` command around :func:`build_cube` is in
:mod:`smp_analysis.cli_ingest`.

Examples
--------
>>> import tempfile, pathlib
>>> from smp_analysis.sources.police_uk import STREET_COLUMNS
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> row = "{id},{m},Kent Police,Kent Police,0.5,51.2,On or near X,E01024337,Maidstone 001A,{t},,"
>>> def write(m, rows):
...     text = "\\n".join([",".join(STREET_COLUMNS), *rows]) + "\\n"
...     _ = (d / f"{m}-kent-street.csv").write_text(text)
>>> write("2024-01", [row.format(id="a", m="2024-01", t="Burglary"),
...                   row.format(id="", m="2024-01", t="Anti-social behaviour")])
>>> write("2024-03", [row.format(id="b", m="2024-03", t="Burglary")])
>>> cube, report = build_cube(d, "Maidstone")
>>> cube.series(by=[])["count"].tolist()      # ASB excluded, Feb missing
[1.0, nan, 1.0]
>>> [str(m) for m in cube.missing_months]
['2024-02']
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from os import PathLike
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .categories import ASB
from .cube import COUNT_COLUMNS, Cube
from .cube_cache import (
    CACHE_FORMAT,
    Fingerprints,
    cache_key,
    file_digest,
    load_cache,
    period_months,
    save_cache,
)
from .errors import InputError
from .quality import (
    CRIME_WITHOUT_ID,
    DUPLICATE_CRIME_ID,
    LSOA_NAME_CONFLICT,
    NO_LOCATION,
    OUTSIDE_AREA,
    UNKNOWN_LSOA,
    QualityIssue,
    QualityReport,
    near_miss_issue,
)
from .sources._csv import locate
from .sources.area import LSOA_CODE_RE, AreaSelection
from .sources.police_uk_archives import staged
from .sources.police_uk_checks import check_categories, check_headers, check_months, coverage_for
from .sources.police_uk_duckdb import quiet_connect, raise_rejects, read_csv_sql, sql_str
from .sources.police_uk_files import find_police_files
from .sources.police_uk_format import STREET_COLUMNS, PoliceFile

__all__ = ["build_cube", "write_cube", "file_digest", "CACHE_FORMAT"]

_SOURCE = "police_uk_street"
#: The cache's fingerprints, under the name ``benchmarks/bench_ingest.py`` imports.
_Fingerprints = Fingerprints


def __getattr__(name: str) -> object:
    """``ingest_main`` moved to :mod:`smp_analysis.cli_ingest`; still importable from here.

    Imported on first use because :mod:`smp_analysis.cli_ingest` imports this module.
    """
    if name == "ingest_main":
        from .cli_ingest import ingest_main

        return ingest_main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------------- the scan
def _aggregate_sql(with_rows: Sequence[str], area: AreaSelection, source: str | None = None) -> str:
    """One scan, two groupings (``GROUPING SETS``).

    Set 0 — ``file × Month value × Crime type × status [× LSOA for rows in the area]``
    with row counts: the cube, the row accounting and the value checks. Set 1 — Crime
    IDs of rows in the area, returned only when an ID occurs more than once (the
    duplicates), so per-row data never leaves DuckDB. ``source`` replaces the
    ``read_csv`` of ``with_rows`` by a relation with the same columns (and ``filename``):
    :mod:`smp_analysis.batch.ingest` parses a force's files once and runs this query per
    area over the parsed rows.
    """
    pred = area.sql_predicate('"LSOA code"', '"LSOA name"')
    near = area.near_miss_sql('"LSOA name"')
    return f"""
    WITH s AS (
        SELECT *,
               CASE WHEN "LSOA code" IS NULL THEN 0 WHEN {pred} THEN 1 ELSE 2 END AS status
        FROM {source or read_csv_sql("street", with_rows)}
    ),
    t AS (
        SELECT filename AS file,
               "Month" AS month_col,
               "Crime type" AS crime_type,
               "Crime ID" AS crime_id,
               status,
               CASE WHEN status = 1 THEN "LSOA code" END AS lsoa_code,
               CASE WHEN status = 1 THEN "LSOA name" END AS lsoa_name,
               CASE WHEN status = 1 THEN "Crime ID" END AS dup_id,
               CASE WHEN status = 2 AND {near} THEN 1 ELSE 0 END AS near_miss,
               CASE WHEN status = 2 AND {near} THEN "LSOA name" END AS near_name
        FROM s
    ),
    g AS (
        SELECT file, month_col, crime_type, status, lsoa_code, lsoa_name, dup_id, near_miss,
               GROUPING(file) AS grouping_set,
               count(*) AS n,
               count(crime_id) AS n_id,
               min(file) AS example_file,
               min(near_name) AS near_example
        FROM t
        GROUP BY GROUPING SETS (
            (file, month_col, crime_type, status, near_miss, lsoa_code, lsoa_name), (dup_id))
    )
    SELECT * FROM g WHERE grouping_set = 0 OR (dup_id IS NOT NULL AND n > 1)
    """


def _scan(
    with_rows: Sequence[str], local: dict[str, PoliceFile], area: AreaSelection
) -> pd.DataFrame:
    """Run the aggregation query over the staged files (the only step that parses CSVs)."""
    con = quiet_connect()
    tmp = tempfile.mkdtemp(prefix="smp-duckdb-")
    try:
        con.execute("SET preserve_insertion_order = false")
        con.execute(f"SET temp_directory = {sql_str(tmp)}")
        if area.lsoa_codes is not None:
            codes = pd.DataFrame({"code": sorted(area.lsoa_codes)})
            con.register("area_codes_df", codes)
            con.execute("CREATE TEMP TABLE area_codes AS SELECT code FROM area_codes_df")
        agg = con.sql(_aggregate_sql(with_rows, area)).df()
        raise_rejects(con, local)
    finally:
        con.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return agg


def _name_prefixes(with_rows: Sequence[str]) -> list[str]:
    """District names seen in the files (for the "nothing matched" message)."""
    con = quiet_connect()
    try:
        rows = con.sql(
            f"""SELECT regexp_extract("LSOA name", '^(.*) [0-9]{{3}}[A-Za-z]$', 1) AS d, count(*)
                FROM {read_csv_sql("street", with_rows)}
                WHERE "LSOA name" IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 12"""
        ).fetchall()
    except duckdb.Error:
        return []
    finally:
        con.close()
    return [r[0] for r in rows if r[0]]


# ---------------------------------------------------------------------- build
def _as_area(area: AreaSelection | str | None) -> AreaSelection:
    if area is None:
        return AreaSelection("all")
    if isinstance(area, str):
        if not area.strip():
            raise InputError(
                "the area name is empty",
                column="--area",
                fix='give the district name that LSOA names start with, e.g. "Maidstone"',
            )
        return AreaSelection.district(area.strip())
    return area


def build_cube(
    sources: str | PathLike[str] | Iterable[str | PathLike[str]],
    area: AreaSelection | str | None,
    *,
    start: object | None = None,
    end: object | None = None,
    lsoas: pd.DataFrame | None = None,
    cache_dir: str | PathLike[str] | None = None,
    known_lsoa_codes: Iterable[str] | None = None,
    unknown_categories: str = "error",
    forces: Iterable[str] | None = None,
    scan: Callable[[Sequence[str], dict[str, PoliceFile], AreaSelection], pd.DataFrame]
    | None = None,
) -> tuple[Cube, QualityReport]:
    """Aggregate data.police.uk street files to ``month × LSOA × category → count``.

    Parameters
    ----------
    sources : path-like or iterable of path-like
        Street CSVs, folders of monthly folders, or archive zips; one force or several.
    area : AreaSelection or str or None
        The area; a string is a district name used as LSOA-name prefix
        (:meth:`AreaSelection.district`); ``None`` takes every row with a location.
    start, end : month-like, optional
        Span of the cube (default: first to last month with a file). Files outside
        are not read (counted in the report).
    lsoas : pandas.DataFrame, optional
        ``lsoa_code, lsoa_name`` of LSOAs that should be in the cube even with no
        records (e.g. from :func:`smp_analysis.sources.population.lsoa_population`);
        rows outside ``area`` are ignored. In-area codes in the data but not in this
        list are reported as :data:`~smp_analysis.quality.UNKNOWN_LSOA`.
    cache_dir : path-like, optional
        Folder for the parquet cache (e.g. ``data/cache``); ``None`` disables caching.
    known_lsoa_codes : iterable of str, optional
        Codes from a lookup; in-area codes not among them are reported (e.g. 2021
        LSOAs missing from a 2011 lookup).
    unknown_categories : {"error", "keep"}
        What to do with a ``Crime type`` outside the 14 categories (and not a known
        historic name): raise :class:`InputError`, or keep it under its own name with a
        warning.
    forces : iterable of str, optional
        Only read these force slugs.
    scan : callable, optional
        Replaces the DuckDB scan of the staged files, ``scan(with_rows, local, area)``
        returning what :func:`_scan` returns; used by :mod:`smp_analysis.batch.ingest`
        to parse a force's files once for many areas. The cache key is the same.

    Returns
    -------
    (Cube, QualityReport)
        The cube (``meta`` holds ``files``, ``cache_key`` and ``from_cache``) and the
        report: coverage per force, row accounting, issues.

    Raises
    ------
    InputError
        Bad input (see :mod:`smp_analysis.sources.police_uk`), or no row in the area.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from smp_analysis.sources.police_uk import STREET_COLUMNS
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> lines = [",".join(STREET_COLUMNS),
    ...     "a,2024-01,X,X,0.5,51.2,On or near Y,E01024337,Maidstone 001A,Drugs,,",
    ...     "b,2024-01,X,X,0.5,51.2,On or near Y,E01023987,Ashford 001B,Drugs,,",
    ...     "c,2024-01,X,X,,,No Location,,,Drugs,,"]
    >>> _ = (d / "2024-01-kent-street.csv").write_text("\\n".join(lines) + "\\n")
    >>> cube, report = build_cube(d, "Maidstone", cache_dir=d / "cache")
    >>> cube.counts[["lsoa_name", "crime_type", "count"]].values.tolist()
    [['Maidstone 001A', 'Drugs', 1]]
    >>> report.measure("outside_area"), report.measure("no_location")
    (1, 1)
    >>> build_cube(d, "Maidstone", cache_dir=d / "cache")[0].meta["from_cache"]
    True
    """
    sel = _as_area(area)
    if unknown_categories not in ("error", "keep"):
        raise ValueError("unknown_categories must be 'error' or 'keep'")
    files, discovery = find_police_files(sources, ("street",), start=start, end=end, forces=forces)
    if not files:
        raise InputError(
            f"no street file is for a month in {start or '...'} – {end or '...'}",
            column="--from" if start is not None else "--to",
            fix="widen --from/--to, or pass the files for those months",
        )
    known = frozenset(known_lsoa_codes) if known_lsoa_codes is not None else None
    if lsoas is not None:
        missing = [c for c in ("lsoa_code", "lsoa_name") if c not in lsoas.columns]
        if missing:
            raise ValueError(f"lsoas needs columns lsoa_code, lsoa_name (lacks {missing})")
    key = None
    cache = Path(cache_dir) if cache_dir is not None else None
    if cache is not None:
        prints = Fingerprints(cache)
        key = cache_key(
            files,
            prints,
            area=sel,
            start=start,
            end=end,
            lsoas=lsoas,
            known=known,
            unknown_categories=unknown_categories,
        )
        prints.save()
        hit = load_cache(cache, key)
        if hit is not None:
            cube, report = hit
            fresh = QualityReport(issues=tuple(discovery))
            return cube, fresh.merge(report)
    cube, report = _build(
        files,
        discovery,
        sel,
        start=start,
        end=end,
        lsoas=lsoas,
        known=known,
        unknown_categories=unknown_categories,
        key=key,
        scan=scan,
    )
    if cache is not None and key is not None:
        save_cache(cache, key, cube, report)
    return cube, report


def _build(
    files: list[PoliceFile],
    discovery: list[QualityIssue],
    area: AreaSelection,
    *,
    start: object | None,
    end: object | None,
    lsoas: pd.DataFrame | None,
    known: frozenset[str] | None,
    unknown_categories: str,
    key: str | None,
    scan: Callable[[Sequence[str], dict[str, PoliceFile], AreaSelection], pd.DataFrame]
    | None = None,
) -> tuple[Cube, QualityReport]:
    issues: list[QualityIssue] = list(discovery)
    if start is not None and end is not None and pd.Period(start, "M") > pd.Period(end, "M"):
        raise InputError(
            f"the span starts ({start}) after it ends ({end})",
            column="--from",
            fix="give --from before --to",
        )
    with staged(files) as local:
        with_rows = check_headers(local)
        if not with_rows:
            raise InputError(
                "no file has any data rows (headers only)",
                path=", ".join(f.display for f in files[:3]) + (" ..." if len(files) > 3 else ""),
                fix="download the files again",
            )
        scanned = (scan or _scan)(with_rows, local, area)
        scanned["n"] = scanned["n"].astype("int64")
        agg = scanned[scanned["grouping_set"] == 0].reset_index(drop=True)
        dups = scanned[scanned["grouping_set"] == 1].reset_index(drop=True)

        # ---- value checks (raise on bad values; the line is found by re-reading the file)
        month_checks = agg.groupby(["file", "month_col"], dropna=False)["n"].sum().reset_index()
        issues += check_months(month_checks.rename(columns={"month_col": "value"}), local)
        cat_checks = agg.groupby(["file", "crime_type"], dropna=False)["n"].sum().reset_index()
        rename, cat_issues = check_categories(
            cat_checks.rename(columns={"crime_type": "value"}), local, unknown=unknown_categories
        )
        issues += cat_issues
        if rename:
            agg["crime_type"] = agg["crime_type"].replace(rename)

        # ---- in-area rows: the code format
        inside = agg["status"] == 1
        codes = agg.loc[inside, "lsoa_code"]
        badcode = ~codes.str.match(LSOA_CODE_RE.pattern)
        if badcode.any():
            j = badcode.index[np.argmax(badcode.to_numpy())]
            fp, value = agg.at[j, "file"], agg.at[j, "lsoa_code"]
            line = locate(fp, STREET_COLUMNS.index("LSOA code"), lambda v: v == value)
            raise InputError(
                f"'{value}' is not an LSOA code",
                path=local[fp].display,
                line=line,
                column="LSOA code",
                fix="LSOA codes look like E01024337; use the file as downloaded from data.police.uk",
            )
        if not inside.any():
            seen = _name_prefixes(with_rows)
            hint = f"; names in these files start with e.g. {', '.join(seen[:8])}" if seen else ""
            raise InputError(
                f"no row is in the area ({area.describe()}){hint}",
                column="LSOA name",
                fix="check the spelling of the area (the district name LSOA names start with)",
            )

    # ---- per-file facts; the default span is that of the forces with rows in the area
    file_month = {lp: str(f.month) for lp, f in local.items()}
    file_force = {lp: f.force for lp, f in local.items()}
    agg["month"] = agg["file"].map(file_month)
    agg["force"] = agg["file"].map(file_force)
    contributing = set(agg.loc[agg["status"] == 1, "force"])
    months = [f.month for f in files if f.force in contributing]
    lo = pd.Period(start, freq="M") if start is not None else min(months)
    hi = pd.Period(end, freq="M") if end is not None else max(months)
    rows_per_file = agg.groupby("file")["n"].sum()
    present_files = [local[lp] for lp, n in rows_per_file.items() if n > 0]
    rows = {(local[lp].force, str(local[lp].month)): int(n) for lp, n in rows_per_file.items()}
    # coverage over the cube's span for forces with rows in the area; over their own
    # span for the others (their files were read, but only add "outside the area" rows)
    coverage, cov_issues = coverage_for(
        [f for f in files if f.force in contributing], present_files, start=lo, end=hi, rows=rows
    )
    others = [f for f in files if f.force not in contributing]
    for force in sorted({f.force for f in others}):
        fs = [f for f in others if f.force == force]
        cov2, iss2 = coverage_for(
            fs,
            present_files,
            start=min(f.month for f in fs),
            end=max(f.month for f in fs),
            rows=rows,
        )
        coverage = pd.concat([coverage, cov2], ignore_index=True)
        cov_issues += iss2
    issues = cov_issues + issues

    # ---- row accounting per force
    count_rows = []
    status_label = {0: "no_location", 1: "in_area", 2: "outside_area"}
    for force, g in agg.groupby("force", sort=True):
        by_status = g.groupby("status")["n"].sum()
        inside_g = g[g["status"] == 1]
        asb_n = int(inside_g.loc[inside_g["crime_type"] == ASB, "n"].sum())
        figures = {
            "files": int(sum(1 for f in present_files if f.force == force)),
            "rows_read": int(g["n"].sum()),
            **{status_label[s]: int(by_status.get(s, 0)) for s in (1, 2, 0)},
            "crime_in_area": int(inside_g["n"].sum()) - asb_n,
            "asb_in_area": asb_n,
        }
        for measure, value in figures.items():
            count_rows.append(
                {"source": _SOURCE, "force": force, "measure": measure, "count": value}
            )
    counts_table = pd.DataFrame(count_rows, columns=["source", "force", "measure", "count"])
    n_noloc = int(agg.loc[agg["status"] == 0, "n"].sum())
    n_out = int(agg.loc[agg["status"] == 2, "n"].sum())
    if n_noloc:
        issues.append(
            QualityIssue(
                _SOURCE,
                None,
                None,
                "LSOA code",
                NO_LOCATION,
                f"{n_noloc:,} row(s) without a location cannot be placed in any area",
                n_noloc,
            )
        )
    if n_out:
        issues.append(
            QualityIssue(
                _SOURCE,
                None,
                None,
                "LSOA name",
                OUTSIDE_AREA,
                f"{n_out:,} row(s) outside {area.name}",
                n_out,
            )
        )
        near = agg[agg["near_miss"] == 1]
        if len(near):
            first = near.sort_values(["file", "near_example"]).iloc[0]
            fp, example = first["file"], str(first["near_example"])
            issue = near_miss_issue(
                int(near["n"].sum()),
                int(agg.loc[agg["status"] == 1, "n"].sum()),
                source=_SOURCE,
                area=area.name,
                example=example,
                path=local[fp].display,
            )
            if issue is not None:
                line = locate(fp, STREET_COLUMNS.index("LSOA name"), lambda v: v == example)
                issues.append(dataclasses.replace(issue, line=line))
    # ---- in-area detail: duplicates, blank IDs, names, unknown codes
    ins = agg[agg["status"] == 1]
    crimes_in = ins[ins["crime_type"] != ASB]
    no_id = int((crimes_in["n"] - crimes_in["n_id"]).sum())
    if no_id:
        issues.append(
            QualityIssue(
                _SOURCE,
                None,
                None,
                "Crime ID",
                CRIME_WITHOUT_ID,
                f"{no_id} crime row(s) in the area with a blank Crime ID",
                no_id,
            )
        )
    if len(dups):
        dups = dups.sort_values("dup_id")
        extra = int((dups["n"] - 1).sum())
        example = str(dups["dup_id"].iloc[0])
        ex_file = dups["example_file"].iloc[0]
        issues.append(
            QualityIssue(
                _SOURCE,
                local[ex_file].display,
                None,
                "Crime ID",
                DUPLICATE_CRIME_ID,
                f"{len(dups)} Crime ID(s) appear more than once in the area ({extra} extra "
                f"row(s), kept; e.g. {example[:12]}…)",
                extra,
            )
        )
    names = ins.groupby(["lsoa_code", "lsoa_name"])["n"].sum().reset_index()
    names = names.sort_values(["lsoa_code", "n"], ascending=[True, False])
    conflicts = names[names["lsoa_code"].duplicated(keep=False)]
    canonical = names.drop_duplicates("lsoa_code")[["lsoa_code", "lsoa_name"]]
    if len(conflicts):
        n_codes = conflicts["lsoa_code"].nunique()
        issues.append(
            QualityIssue(
                _SOURCE,
                None,
                None,
                "LSOA name",
                LSOA_NAME_CONFLICT,
                f"{n_codes} LSOA code(s) appear with more than one name; the commonest is used "
                f"(e.g. {conflicts['lsoa_code'].iloc[0]})",
                n_codes,
            )
        )
    area_lsoas = canonical
    if lsoas is not None:
        given = lsoas[["lsoa_code", "lsoa_name"]].dropna().drop_duplicates("lsoa_code")
        given = given[area.mask(given["lsoa_code"], given["lsoa_name"])]
        extra_given = given[~given["lsoa_code"].isin(set(canonical["lsoa_code"]))]
        area_lsoas = pd.concat([canonical, extra_given], ignore_index=True)
        _unknown_issue(issues, ins, set(given["lsoa_code"]), "the LSOA list given (lsoas=)")
    if known is not None:
        _unknown_issue(issues, ins, set(known), "the lookup (known_lsoa_codes=)")

    # ---- the counts
    ins = ins.merge(canonical.rename(columns={"lsoa_name": "canon"}), on="lsoa_code")
    counts = (
        ins.groupby(["month", "lsoa_code", "canon", "crime_type"], observed=True)["n"]
        .sum()
        .reset_index()
        .rename(columns={"canon": "lsoa_name", "n": "count"})
    )
    counts["month"] = period_months(counts["month"])
    force_months: dict[str, set[pd.Period]] = {}
    for f in present_files:
        force_months.setdefault(f.force, set()).add(f.month)
    present_sets = [force_months.get(fc, set()) for fc in sorted(contributing)]
    months_present = set.intersection(*present_sets) if present_sets else set()
    cube = Cube.from_counts(
        counts[list(COUNT_COLUMNS)],
        months_present=sorted(months_present),
        start=lo,
        end=hi,
        lsoas=area_lsoas,
        area=area.name,
        meta={
            "source": "data.police.uk street-level crime",
            "area_rule": area.describe(),
            "files": [f.display for f in present_files],
            "forces": sorted(contributing),
            "cache_key": key,
            "from_cache": False,
        },
    )
    report = QualityReport(
        issues=tuple(issues), coverage=coverage, counts=counts_table, area=area.name
    )
    return cube, report


def _unknown_issue(
    issues: list[QualityIssue], ins: pd.DataFrame, known: set[str], what: str
) -> None:
    unknown = ins[~ins["lsoa_code"].isin(known)]
    if len(unknown):
        codes = sorted(set(unknown["lsoa_code"]))
        n = int(unknown["n"].sum())
        issues.append(
            QualityIssue(
                _SOURCE,
                None,
                None,
                "LSOA code",
                UNKNOWN_LSOA,
                f"{n} row(s) in {len(codes)} LSOA(s) not in {what} (e.g. {', '.join(codes[:3])}); "
                "counted — usually 2021 LSOAs absent from a 2011 lookup",
                n,
            )
        )


# ---------------------------------------------------------------------- output
def write_cube(cube: Cube, path: str | PathLike[str]) -> Path:
    """Write the cube's counts to CSV or parquet (by extension), atomically.

    Columns ``month`` (text ``YYYY-MM``), ``lsoa_code``, ``lsoa_name``, ``crime_type``,
    ``count`` — non-zero combinations only; months with no data are listed in the
    quality summary, not in this file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> c = Cube.from_counts(pd.DataFrame({"month": ["2024-01"], "lsoa_code": ["E1"],
    ...     "lsoa_name": ["A 001A"], "crime_type": ["Drugs"], "count": [2]}),
    ...     months_present=["2024-01"])
    >>> p = write_cube(c, pathlib.Path(tempfile.mkdtemp()) / "cube.csv")
    >>> p.read_text().splitlines()
    ['month,lsoa_code,lsoa_name,crime_type,count', '2024-01,E1,A 001A,Drugs,2']
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise InputError(
            f"cannot tell the output format from '{p.name}'",
            column="--out",
            fix="end the output file name with .csv or .parquet",
        )
    out = cube.counts[list(COUNT_COLUMNS)].copy()
    out["month"] = out["month"].astype(str)
    out["count"] = out["count"].astype("int64")
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=".tmp-", suffix=suffix)
    os.close(fd)
    try:
        if suffix == ".csv":
            out.to_csv(tmp, index=False)
        else:
            out.to_parquet(tmp, index=False)
        os.replace(tmp, p)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return p
