"""The shared ingest of a batch: each force's police.uk files parsed once for every area.

A single build aggregates its area's cube with one DuckDB scan of the force's files
(:func:`smp_analysis.aggregate.build_cube`) and caches it under a key made of the files'
content hashes and the area. Thirteen areas of one force would parse the same files
thirteen times. Here the files are parsed **once** into a DuckDB table on disk (the
columns the cube uses, as text); then the unchanged aggregation query of
:mod:`smp_analysis.aggregate` runs over that table for each area, and the cube is saved
in the area's cache under exactly the key its build computes — so every build that
follows finds its cube in the cache and parses nothing.

Areas are grouped by their police.uk sources and cache folder; a group whose areas have
no ``cache_dir`` is left to the builds (there is nowhere to share the result). An error
while preparing one area (e.g. no row in the area) is that area's error; the build
would report the same.

Examples
--------
>>> from smp_analysis.batch.ingest import IngestReport
>>> IngestReport(areas=2, groups=1, files=10, rows=149894, seconds=1.5).summary()
'shared ingest: 10 files (149,894 rows) parsed once for 2 areas in 1 group(s), 1.5 s'
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..aggregate import _aggregate_sql, build_cube
from ..config import Config, load_config
from ..errors import SmpError
from ..sources.area import AreaSelection
from ..sources.police_uk_archives import staged
from ..sources.police_uk_checks import check_headers
from ..sources.police_uk_duckdb import quiet_connect, raise_rejects, read_csv_sql, sql_str
from ..sources.police_uk_files import find_police_files
from ..sources.police_uk_format import PoliceFile
from .config import AreaPlan

__all__ = ["IngestReport", "SharedStreet", "shared_ingest", "cube_arguments"]

_COLUMNS = ('"Month"', '"Crime type"', '"Crime ID"', '"LSOA code"', '"LSOA name"')


@dataclass(frozen=True)
class IngestReport:
    """What the shared ingest did."""

    areas: int
    groups: int
    files: int
    rows: int
    seconds: float
    #: area index → one-line error met while preparing its cube
    errors: dict[int, str] = field(default_factory=dict)

    def summary(self) -> str:
        if self.files == 0:
            return (
                f"shared ingest: no file parsed, the cubes of {self.areas} areas were cached "
                f"({self.seconds:.1f} s)"
            )
        return (
            f"shared ingest: {self.files} files ({self.rows:,} rows) parsed once for "
            f"{self.areas} areas in {self.groups} group(s), {self.seconds:.1f} s"
        )


def _file_id(f: PoliceFile) -> tuple[str, str | None]:
    return (str(f.path), f.member)


class SharedStreet:
    """A force's street files parsed once; :meth:`scan` serves ``build_cube(scan=...)``.

    Use as a context manager; the DuckDB database lives in a private temporary folder
    removed on exit.
    """

    def __init__(self, sources: Sequence[Path], *, start: object, end: object) -> None:
        self.tmp = tempfile.mkdtemp(prefix="smp-batch-")
        self.con = quiet_connect()
        try:
            self._parse(sources, start, end)
        except BaseException:
            self.close()
            raise

    def _parse(self, sources: Sequence[Path], start: object, end: object) -> None:
        files, _ = find_police_files(sources, ("street",), start=start, end=end)
        self.files = files
        self.rows = 0
        self.con.execute(f"SET temp_directory = {sql_str(self.tmp)}")
        self.con.execute("SET preserve_insertion_order = false")
        self.con.execute(f"ATTACH {sql_str(os.path.join(self.tmp, 'street.duckdb'))} AS db")
        self._ids: dict[str, tuple[str, str | None]] = {}
        with staged(files) as local:
            with_rows = check_headers(local)
            self._ids = {lp: _file_id(local[lp]) for lp in with_rows}
            cols = ", ".join(("filename", *_COLUMNS))
            if with_rows:
                self.con.execute(
                    f"CREATE TABLE db.street AS SELECT {cols} FROM "
                    f"{read_csv_sql('street', with_rows)}"
                )
                raise_rejects(self.con, local)
                self.rows = int(self.con.execute("SELECT count(*) FROM db.street").fetchall()[0][0])

    def scan(
        self, with_rows: Sequence[str], local: dict[str, PoliceFile], area: AreaSelection
    ) -> pd.DataFrame:
        """The result of :func:`smp_analysis.aggregate._scan`, from the parsed rows."""
        by_id = {v: k for k, v in self._ids.items()}
        pairs = [(by_id[_file_id(local[lp])], lp) for lp in with_rows]
        cur = self.con.cursor()
        try:
            cur.register("filemap_df", pd.DataFrame(pairs, columns=["shared", "local"]))
            if area.lsoa_codes is not None:
                codes = pd.DataFrame({"code": sorted(area.lsoa_codes)})
                cur.register("area_codes_df", codes)
                cur.execute(
                    "CREATE OR REPLACE TEMP TABLE area_codes AS SELECT code FROM area_codes_df"
                )
            source = (
                f"(SELECT m.local AS filename, {', '.join('s.' + c for c in _COLUMNS)} "
                "FROM db.street s JOIN filemap_df m ON s.filename = m.shared)"
            )
            return cur.sql(_aggregate_sql(with_rows, area, source=source)).df()
        finally:
            cur.close()

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> SharedStreet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Lazy:
    """A :class:`SharedStreet` made on the first scan (not at all when every cube is cached).

    An error while parsing (a malformed file) is raised by that scan, i.e. as the error of
    each area that needed it, as its own build would raise it.
    """

    def __init__(self, sources: Sequence[Path], *, start: object, end: object) -> None:
        self.sources, self.start, self.end = sources, start, end
        self.shared: SharedStreet | None = None

    def scan(
        self, with_rows: Sequence[str], local: dict[str, PoliceFile], area: AreaSelection
    ) -> pd.DataFrame:
        if self.shared is None:
            self.shared = SharedStreet(self.sources, start=self.start, end=self.end)
        return self.shared.scan(with_rows, local, area)


def _read_population(path: Path) -> pd.DataFrame:
    """Residents per LSOA, read as :func:`smp_analysis.inputs.load_inputs` reads them."""
    from ..errors import InputError
    from ..sources.population import (
        lsoa_population,
        read_census_population,
        read_iod_population,
    )

    try:
        raw = read_census_population(path)
    except InputError:
        raw = read_iod_population(path)
    return lsoa_population(raw)


def cube_arguments(cfg: Config, populations: dict[Path, pd.DataFrame] | None = None) -> dict:
    """The arguments :func:`smp_analysis.inputs.load_inputs` passes to ``build_cube``.

    Kept equal to it so the cube cached here is the one the build looks up (a test
    checks the build finds it: ``tests/unit/test_batch.py``). ``populations`` keeps each
    population file read once for all the areas that share it.
    """
    import re

    from ..errors import InputError
    from ..inputs import YEARS_BEFORE, _area, _need
    from ..stats.periods import financial_year

    current = financial_year(cfg.reporting_year)
    lsoas = None
    path = _need(cfg.data.population, "population", cfg)
    if path is not None:
        memo = populations if populations is not None else {}
        if path not in memo:
            memo[path] = _read_population(path)
        pop = memo[path]
        if cfg.area.lsoa_codes is not None:
            keep = pop["lsoa_code"].isin(set(cfg.area.lsoa_codes))
        else:
            keep = pop["lsoa_name"].str.match(re.escape(cfg.area.lsoa_name_prefix or "") + r"\s")
        lsoas = pop[keep].reset_index(drop=True)
        if lsoas.empty:
            raise InputError(
                f"no LSOA of {cfg.area.name} in the population file",
                path=path,
                column="lsoa21_name",
                fix="check area.lsoa_name_prefix / area.lsoa_codes against the file",
            )
        lsoas = lsoas[["lsoa_code", "lsoa_name"]]
    return {
        "sources": cfg.data.police_uk,
        "area": _area(cfg),
        "start": current.start - 12 * YEARS_BEFORE,
        "end": current.end,
        "lsoas": lsoas,
        "cache_dir": cfg.data.cache_dir,
    }


def shared_ingest(areas: Sequence[AreaPlan]) -> IngestReport:
    """Parse each group's files once and cache every area's cube (see the module notes).

    Synthetic sample data are generated here, once, before any build starts (the
    builds would otherwise race to write the same files).
    """
    from ..inputs import ensure_sample_data

    t0 = time.perf_counter()
    errors: dict[int, str] = {}
    groups: dict[tuple, list[tuple[AreaPlan, Config, dict]]] = {}
    populations: dict[Path, pd.DataFrame] = {}
    for a in areas:
        if a.config_path is None:
            continue
        try:
            cfg = load_config(a.config_path)
            if cfg.synthetic:
                ensure_sample_data(cfg)
            args = cube_arguments(cfg, populations)
        except SmpError as err:
            errors[a.index] = str(err)
            continue
        if args["cache_dir"] is None:
            continue
        key = (tuple(str(p) for p in args["sources"]), str(args["cache_dir"]))
        groups.setdefault(key, []).append((a, cfg, args))
    n_files = n_rows = 0
    for members in groups.values():
        start = min(args["start"] for _, _, args in members)
        end = max(args["end"] for _, _, args in members)
        lazy = _Lazy(members[0][2]["sources"], start=start, end=end)
        try:
            for a, _, args in members:
                try:  # a cached cube is found without parsing anything
                    build_cube(**args, scan=lazy.scan)
                except SmpError as err:
                    errors[a.index] = str(err)
        finally:
            if lazy.shared is not None:
                n_files += len(lazy.shared.files)
                n_rows += lazy.shared.rows
                lazy.shared.close()
    return IngestReport(
        areas=sum(len(m) for m in groups.values()),
        groups=len(groups),
        files=n_files,
        rows=n_rows,
        seconds=round(time.perf_counter() - t0, 2),
        errors=errors,
    )
