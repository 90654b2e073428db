"""Street-crime counts for a peer group of areas, in one DuckDB pass over the police.uk files.

The cube (:func:`smp_analysis.aggregate.build_cube`) holds the partnership's LSOAs only.
The comparison with peers (section CMP) needs counts for other areas from the same files:
:func:`read_peer_counts` streams the files once more and aggregates straight to
``file × crime type × area`` (each area selected like the partnership, by LSOA-name
prefix or codes; see :class:`~smp_analysis.sources.area.AreaSelection`), so the result is
tiny whatever the size of the files. It runs only when a config has ``peers`` (in the
comparison notebook), so the normal build is not slowed at all, and with ``cache_dir``
the result is kept as parquet + JSON keyed by every input file's fingerprint, the areas,
the span and the population file: an unchanged rebuild reads no CSV.

Rows are placed in an area exactly as the cube places them: a row needs an LSOA code; an
LSOA name matches ``<prefix> NNNX`` (case ignored) or the code is listed. An area with no
row in the files, or with no LSOA in the population file, is an error naming the area
(a misspelt prefix must not become a zero). Months follow the cube's rule: a month is
present for an area when every force with rows in the area has a non-empty file for it.

Examples
--------
>>> import tempfile, pathlib
>>> from smp_analysis.sources.police_uk import STREET_COLUMNS
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> row = "{i},2024-01,K,K,0.5,51.2,On or near X,{c},{n},{t},,"
>>> lines = [",".join(STREET_COLUMNS),
...          row.format(i="a", c="E01024337", n="Maidstone 001A", t="Drugs"),
...          row.format(i="", c="E01024337", n="Maidstone 001A", t="Anti-social behaviour"),
...          row.format(i="b", c="E01023987", n="Ashford 001B", t="Drugs"),
...          row.format(i="c", c="E01023988", n="Ashford 002A", t="Robbery")]
>>> _ = (d / "2024-01-kent-street.csv").write_text("\\n".join(lines) + "\\n")
>>> pc = read_peer_counts(d, [AreaSelection.district("Maidstone"),
...                           AreaSelection.district("Ashford")])
>>> pc.counts[["area", "crime_type", "count"]].values.tolist()
[['Ashford', 'Drugs', 1], ['Ashford', 'Robbery', 1], ['Maidstone', 'Anti-social behaviour', 1], ['Maidstone', 'Drugs', 1]]
>>> [str(m) for m in pc.months_of("Ashford")]
['2024-01']
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

import pandas as pd

from ..errors import InputError
from .area import AreaSelection
from .police_uk_archives import staged
from .police_uk_checks import check_categories, check_headers
from .police_uk_duckdb import quiet_connect, raise_rejects, read_csv_sql
from .police_uk_files import find_police_files

__all__ = [
    "PeerCounts",
    "read_peer_counts",
    "load_peer_counts",
    "area_populations",
    "PEER_CACHE_FORMAT",
]

#: Bumped when the cached layout or the counting rules change.
PEER_CACHE_FORMAT = 1
#: A peer area needs rows in at least this share of its LSOAs (over the span read): fewer
#: means the files are another force's, holding only the crimes it recorded over the border.
MIN_LSOA_SHARE = 0.5


@dataclass(frozen=True)
class PeerCounts:
    """Monthly street-file counts for a group of areas.

    Attributes
    ----------
    areas : pandas.DataFrame
        One row per area in the order given: ``area``, ``rule`` (how it is selected),
        ``lsoas`` and ``population`` (Census 2021 residents; NaN without a population
        file), ``forces`` (forces with rows in the area, ``;``-separated).
    counts : pandas.DataFrame
        ``area, month (period[M]), crime_type, count`` — non-zero combinations only; a
        month that is not present for an area (see :meth:`months_of`) is missing, never 0.
    months : pandas.DataFrame
        ``area, month``: the months present for each area.
    meta : dict
        ``files`` (number of files read), ``cache_key``, ``from_cache``.
    """

    areas: pd.DataFrame
    counts: pd.DataFrame
    months: pd.DataFrame
    meta: dict = field(default_factory=dict)

    def months_of(self, area: str) -> list[pd.Period]:
        """The months present for ``area``, oldest first."""
        return sorted(self.months.loc[self.months["area"] == area, "month"])


def _predicate(i: int, area: AreaSelection) -> str:
    parts = []
    if area.lsoa_name_prefix:
        by_name = AreaSelection(area.name, lsoa_name_prefix=area.lsoa_name_prefix)
        parts.append(by_name.sql_predicate('"LSOA code"', '"LSOA name"'))
    if area.lsoa_codes:
        parts.append(f'"LSOA code" IN (SELECT code FROM peer_codes_{i})')
    if not parts:
        raise ValueError(f"peer area {area.name!r} selects every row: give a prefix or codes")
    return '("LSOA code" IS NOT NULL AND (' + " OR ".join(parts) + "))"


def _sql(with_rows: Sequence[str], areas: Sequence[AreaSelection]) -> str:
    hits = ", ".join(f"CASE WHEN {_predicate(i, a)} THEN {i} END" for i, a in enumerate(areas))
    return f"""
    WITH s AS (
        SELECT filename AS file, "Crime type" AS crime_type, "LSOA code" AS code,
               unnest([-1, {hits}]) AS area_idx
        FROM {read_csv_sql("street", with_rows)}
    )
    SELECT file, crime_type, area_idx, code, GROUPING(file) AS grouping_set, count(*) AS n
    FROM s WHERE area_idx IS NOT NULL
    GROUP BY GROUPING SETS ((file, crime_type, area_idx), (area_idx, code))
    """


def _scan(with_rows: Sequence[str], local: dict, areas: Sequence[AreaSelection]) -> pd.DataFrame:
    con = quiet_connect()
    try:
        con.execute("SET preserve_insertion_order = false")
        for i, a in enumerate(areas):
            if a.lsoa_codes:
                con.register(f"peer_codes_df_{i}", pd.DataFrame({"code": sorted(a.lsoa_codes)}))
                con.execute(
                    f"CREATE TEMP TABLE peer_codes_{i} AS SELECT code FROM peer_codes_df_{i}"
                )
        agg = con.sql(_sql(with_rows, areas)).df()
        raise_rejects(con, local)
    finally:
        con.close()
    return agg


def area_populations(population: pd.DataFrame, areas: Sequence[AreaSelection]) -> pd.DataFrame:
    """Residents and LSOAs of each area from an LSOA population table.

    Parameters
    ----------
    population : pandas.DataFrame
        ``lsoa_code, lsoa_name, population`` (from
        :func:`~smp_analysis.sources.population.lsoa_population`).
    areas : sequence of AreaSelection

    Returns
    -------
    pandas.DataFrame
        ``area, lsoas, population`` in the order of ``areas``.

    Examples
    --------
    >>> pop = pd.DataFrame({"lsoa_code": ["E1", "E2", "E3"],
    ...     "lsoa_name": ["Ashford 001A", "Ashford 002B", "Swale 001A"],
    ...     "population": [1500, 1600, 1700]})
    >>> area_populations(pop, [AreaSelection.district("Ashford"),
    ...                        AreaSelection("S", lsoa_codes=["E3"])]).values.tolist()
    [['Ashford', 2, 3100], ['S', 1, 1700]]
    """
    rows = []
    for a in areas:
        hit = a.mask(population["lsoa_code"], population["lsoa_name"])
        rows.append(
            {
                "area": a.name,
                "lsoas": int(hit.sum()),
                "population": int(population.loc[hit, "population"].sum()),
            }
        )
    return pd.DataFrame(rows, columns=["area", "lsoas", "population"])


def _read_population(path: Path) -> pd.DataFrame:
    from .population import lsoa_population, read_census_population, read_iod_population

    try:
        raw = read_census_population(path)
    except InputError:
        raw = read_iod_population(path)
    return lsoa_population(raw)


def _key(files, prints, areas, start, end, population: Path | None) -> str:
    from .. import __version__
    from ..cube_cache import file_digest

    parts = [
        f"format={PEER_CACHE_FORMAT}",
        f"version={__version__}",
        f"start={start}",
        f"end={end}",
        "pop=" + (file_digest(population) if population is not None else "-"),
        *(f"area={a.key()}" for a in areas),
    ]
    for f, digest in zip(files, prints.of_all(files), strict=True):
        parts.append(f"{f.kind}|{f.force}|{f.month}|{digest}")
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=20).hexdigest()


def _save(cache: Path, key: str, pc: PeerCounts) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    counts = pc.counts.assign(month=pc.counts["month"].astype(str))
    months = pc.months.assign(month=pc.months["month"].astype(str))
    stem = cache / f"peers-{key}"
    for frame, suffix in ((counts, ".counts.parquet"), (months, ".months.parquet")):
        fd, tmp = tempfile.mkstemp(dir=cache, prefix=".tmp-", suffix=".parquet")
        os.close(fd)
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, stem.with_suffix(suffix))
    fd, tmp = tempfile.mkstemp(dir=cache, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"areas": pc.areas.to_dict("list"), "files": pc.meta.get("files")}, fh)
    os.replace(tmp, stem.with_suffix(".json"))


def _load(cache: Path, key: str) -> PeerCounts | None:
    stem = cache / f"peers-{key}"
    try:
        counts = pd.read_parquet(stem.with_suffix(".counts.parquet"))
        months = pd.read_parquet(stem.with_suffix(".months.parquet"))
        info = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    counts["month"] = pd.PeriodIndex(counts["month"], freq="M")
    months["month"] = pd.PeriodIndex(months["month"], freq="M")
    areas = pd.DataFrame(info["areas"])
    meta = {"files": info.get("files"), "cache_key": key, "from_cache": True}
    return PeerCounts(areas=areas, counts=counts, months=months, meta=meta)


def read_peer_counts(
    sources: str | PathLike[str] | Iterable[str | PathLike[str]],
    areas: Sequence[AreaSelection],
    *,
    start: object | None = None,
    end: object | None = None,
    population: str | PathLike[str] | None = None,
    cache_dir: str | PathLike[str] | None = None,
) -> PeerCounts:
    """Count street-file rows by area × month × category for a group of areas.

    Parameters
    ----------
    sources : path-like or iterable of path-like
        The police.uk street files (as for :func:`~smp_analysis.aggregate.build_cube`).
    areas : sequence of AreaSelection
        The areas (the partnership and its peers); names must be unique.
    start, end : month-like, optional
        Span read (files outside are not read).
    population : path-like, optional
        Census 2021 (or IoD 2019) LSOA populations; each area's residents are the sum over
        its LSOAs.
    cache_dir : path-like, optional
        Folder for the parquet cache.

    Returns
    -------
    PeerCounts

    Raises
    ------
    InputError
        Unreadable files, no street file in the span, an area with no row in the files or
        no LSOA in the population file.
    """
    names = [a.name for a in areas]
    if len(set(names)) != len(names) or not names:
        raise ValueError(f"area names must be unique and at least one given: {names}")
    files, _ = find_police_files(sources, ("street",), start=start, end=end)
    if not files:
        raise InputError(
            f"no street file is for a month in {start or '...'} – {end or '...'}",
            column="peers",
            fix="add the police.uk files for the reporting year",
        )
    pop_path = Path(population) if population is not None else None
    cache = Path(cache_dir) if cache_dir is not None else None
    key = None
    if cache is not None:
        from ..cube_cache import Fingerprints

        prints = Fingerprints(cache)
        key = _key(files, prints, areas, start, end, pop_path)
        prints.save()
        hit = _load(cache, key)
        if hit is not None:
            return hit
    with staged(files) as local:
        with_rows = check_headers(local)
        if not with_rows:
            raise InputError(
                "no police.uk street file has any data rows",
                column="peers",
                fix="download the files again",
            )
        scanned = _scan(with_rows, local, areas)
        agg = scanned[scanned["grouping_set"] == 0].reset_index(drop=True)
        lsoas_seen = (
            scanned[(scanned["grouping_set"] == 1) & (scanned["area_idx"] >= 0)]
            .groupby("area_idx")["code"]
            .nunique()
        )
        cats = agg.groupby(["file", "crime_type"], dropna=False)["n"].sum().reset_index()
        rename, _ = check_categories(
            cats.rename(columns={"crime_type": "value"}), local, unknown="keep"
        )
        if rename:
            agg["crime_type"] = agg["crime_type"].replace(rename)
        file_month = {lp: f.month for lp, f in local.items()}
        file_force = {lp: f.force for lp, f in local.items()}
    agg["month"] = agg["file"].map(file_month)
    agg["force"] = agg["file"].map(file_force)
    present_files = agg[agg["area_idx"] == -1].groupby(["force", "month"])["n"].sum()
    present = {(fc, m) for (fc, m), n in present_files.items() if n > 0}
    inside = agg[agg["area_idx"] >= 0].copy()
    inside["area"] = [names[int(i)] for i in inside["area_idx"]]
    area_rows, month_rows = [], []
    pop = area_populations(_read_population(pop_path), areas) if pop_path else None
    for i, a in enumerate(areas):
        mine = inside[inside["area"] == a.name]
        if mine.empty:
            raise InputError(
                f"no row of the peer area '{a.name}' ({a.describe()}) in the police.uk files",
                column="peers.areas",
                fix="check the area's LSOA-name prefix or codes, and that the files cover "
                "its police force",
            )
        forces = sorted(set(mine["force"]))
        months = sorted(
            set.intersection(*({m for (fc, m) in present if fc == force} for force in forces))
        )
        month_rows += [{"area": a.name, "month": m} for m in months]
        row = {"area": a.name, "rule": a.describe(), "forces": ";".join(forces)}
        if pop is not None:
            p = pop.iloc[i]
            if p["lsoas"] == 0:
                raise InputError(
                    f"no LSOA of the peer area '{a.name}' ({a.describe()}) in the population file",
                    path=pop_path,
                    column="peers.areas",
                    fix="check the area's LSOA-name prefix or codes against the file",
                )
            seen = int(lsoas_seen.get(i, 0))
            if seen < MIN_LSOA_SHARE * p["lsoas"]:
                raise InputError(
                    f"only {seen} of the {int(p['lsoas'])} LSOAs of the peer area '{a.name}' "
                    f"have any row in the police.uk files (forces read: {', '.join(forces)}): "
                    "the files do not cover the area's police force, so its count would be "
                    "far too low",
                    column="peers.areas",
                    fix="add the street files of the force that covers it, or remove it from "
                    "'peers'",
                )
            row.update(lsoas=int(p["lsoas"]), population=float(p["population"]))
        else:
            row.update(lsoas=float("nan"), population=float("nan"))
        area_rows.append(row)
    counts = (
        inside.groupby(["area", "month", "crime_type"], observed=True)["n"]
        .sum()
        .reset_index()
        .rename(columns={"n": "count"})
    )
    counts["month"] = pd.PeriodIndex(counts["month"], freq="M")
    counts["count"] = counts["count"].astype("int64")
    counts = counts.sort_values(["area", "month", "crime_type"]).reset_index(drop=True)
    months_frame = pd.DataFrame(month_rows, columns=["area", "month"])
    months_frame["month"] = pd.PeriodIndex(months_frame["month"], freq="M")
    result = PeerCounts(
        areas=pd.DataFrame(area_rows, columns=["area", "rule", "lsoas", "population", "forces"]),
        counts=counts,
        months=months_frame,
        meta={"files": len(files), "cache_key": key, "from_cache": False},
    )
    if cache is not None and key is not None:
        _save(cache, key, result)
    return result


def load_peer_counts(cfg) -> tuple[object | None, PeerCounts | None]:
    """The config's peer group and its counts for the reporting year and the year before.

    Parameters
    ----------
    cfg : smp_analysis.config.Config

    Returns
    -------
    (PeerGroup or None, PeerCounts or None)
        ``(None, None)`` when the config has no ``peers``.

    Raises
    ------
    InputError
        As :func:`read_peer_counts`; :class:`~smp_analysis.errors.ConfigError` for a
        ``peers: nearest`` config without the files it needs.
    """
    from ..peers.resolve import resolve_peers
    from ..stats.periods import financial_year, previous

    group = resolve_peers(cfg)
    if group is None:
        return None, None
    current = financial_year(cfg.reporting_year)
    counts = read_peer_counts(
        cfg.data.police_uk,
        group.areas,
        start=previous(current).start,
        end=current.end,
        population=cfg.data.population,
        cache_dir=cfg.data.cache_dir,
    )
    return group, counts
