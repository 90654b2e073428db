"""Read every input named in a config, once, into a frozen :class:`Inputs`.

This is the I/O boundary between the files on disk and the pure analysis: notebooks
call :func:`smp_analysis.notebook.setup`, which calls :func:`load_inputs`; the build
calls it once before any notebook runs, so bad input stops the build with a one-line
error (exit code 2) before a kernel starts. The street-crime cube is cached as parquet
(keyed by the files' hashes), so each notebook reads it in well under a second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .aggregate import build_cube
from .config import Config
from .cube import Cube
from .errors import ConfigError, InputError
from .quality import QualityReport
from .sources.area import AreaSelection
from .sources.narrative import NarrativeOverride, load_overrides
from .stats.periods import financial_year, financial_year_of

__all__ = [
    "Inputs",
    "load_inputs",
    "ensure_sample_data",
]

#: Financial years of monthly data read before the reporting year (for three-year baselines).
YEARS_BEFORE = 3


@dataclass(frozen=True)
class Inputs:
    """Everything the notebooks analyse, read and validated.

    Optional inputs are ``None`` when the config does not name them; the sections that
    need them then say so in the report instead of failing.
    """

    config: Config
    cube: Cube
    quality: QualityReport
    population: pd.DataFrame | None = None
    partner: pd.DataFrame | None = None
    fingertips: pd.DataFrame | None = None
    imd: pd.DataFrame | None = None
    survey: pd.DataFrame | None = None
    stop_search: pd.DataFrame | None = None
    ethnicity: pd.DataFrame | None = None
    overrides: dict[str, NarrativeOverride] = field(default_factory=dict)
    #: the action log (:func:`~smp_analysis.sources.actions.read_action_log`), or ``None``
    actions: pd.DataFrame | None = None


def _need(path: Path | None, key: str, cfg: Config) -> Path | None:
    if path is None:
        return None
    if not path.exists():
        raise InputError(
            "file not found",
            path=path,
            column=f"data.{key}" if key != "narrative" else key,
            fix=f"put the file there or change '{key}' in {cfg.path}",
        )
    return path


def ensure_sample_data(cfg: Config) -> Path | None:
    """Generate the synthetic sample data when the config asks for it and it is absent.

    Returns the sample folder, or ``None`` for a config of real data.
    """
    if cfg.sample is None:
        return None
    wanted = [*cfg.data.police_uk]
    for key in ("partner_returns", "fingertips", "population", "ethnicity", "imd", "survey"):
        p = getattr(cfg.data, key)
        if p is not None:
            wanted.append(p)
    if not all(p.exists() for p in wanted):
        from .sample import write_sample

        write_sample(cfg.sample.dir, seed=cfg.sample.seed)
    return cfg.sample.dir


def _area(cfg: Config) -> AreaSelection:
    return AreaSelection(
        cfg.area.name,
        lsoa_name_prefix=cfg.area.lsoa_name_prefix,
        lsoa_codes=cfg.area.lsoa_codes,
    )


def _area_population(cfg: Config, path: Path) -> pd.DataFrame:
    from .sources.population import lsoa_population, read_census_population, read_iod_population

    try:
        raw = read_census_population(path)
    except InputError:
        raw = read_iod_population(path)
    pop = lsoa_population(raw)
    if cfg.area.lsoa_codes is not None:
        keep = pop["lsoa_code"].isin(set(cfg.area.lsoa_codes))
    else:
        prefix = cfg.area.lsoa_name_prefix or ""
        keep = pop["lsoa_name"].str.match(re.escape(prefix) + r"\s")
    out = pop[keep].reset_index(drop=True)
    if out.empty:
        raise InputError(
            f"no LSOA of {cfg.area.name} in the population file",
            path=path,
            column="lsoa21_name",
            fix="check area.lsoa_name_prefix / area.lsoa_codes against the file",
        )
    return out


def _check_place_codes(cfg: Config, cube: Cube) -> None:
    """Town-centre, buffer and comparison LSOAs must be LSOAs of the area in the data.

    A code that is not (typically a 2011 code split or merged in 2021, which police.uk no
    longer uses) would otherwise silently shrink the place being analysed.
    """
    tc = cfg.town_centre
    if tc is None:
        return
    known = set(cube.lsoas["lsoa_code"])
    for key in ("lsoa_codes", "buffer_lsoa_codes", "comparison_lsoa_codes"):
        unknown = [c for c in getattr(tc, key) if c not in known]
        if unknown:
            raise ConfigError(
                f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not among the "
                f"{len(known)} LSOAs of {cfg.area.name} in the police.uk data",
                path=cfg.path,
                column=f"town_centre.{key}",
                fix="use the 2021 LSOA codes police.uk uses (codes split or merged in 2021 "
                "have new codes; see the LSOA names in the data)",
            )


def _check_year_has_data(cfg: Config, cube: Cube, current) -> None:
    """A reporting year without any police.uk month is a one-line error naming the months
    the files do hold (by their names: nothing more is read)."""
    present = [m for m in cube.months_present if current.start <= m <= current.end]
    if present:
        return
    from .sources.police_uk import find_police_files

    files, _ = find_police_files(cfg.data.police_uk)
    months = sorted({f.month for f in files})
    held = (
        f"the police.uk files hold {months[0]} to {months[-1]} ({len(months)} months)"
        if months
        else "the police.uk files hold no street-crime months"
    )
    years = sorted({financial_year_of(m) for m in months})
    raise InputError(
        f"no police.uk data for the reporting year {current.label}: {held}",
        path=cfg.path,
        column="reporting_year",
        fix=f"choose a year the data cover ({', '.join(years[-3:])})"
        if years
        else "add the year's police.uk files (smp-analysis fetch)",
    )


def load_inputs(cfg: Config) -> Inputs:
    """Read and validate every input of ``cfg``.

    Raises
    ------
    InputError
        A missing or malformed file (one line: file, line, column, fix).
    """
    current = financial_year(cfg.reporting_year)
    start = current.start - 12 * YEARS_BEFORE
    d = cfg.data
    population = None
    if _need(d.population, "population", cfg) is not None:
        population = _area_population(cfg, d.population)
    for p in d.police_uk:
        _need(p, "police_uk", cfg)
    cube, quality = build_cube(
        d.police_uk,
        _area(cfg),
        start=start,
        end=current.end,
        lsoas=population[["lsoa_code", "lsoa_name"]] if population is not None else None,
        cache_dir=d.cache_dir,
    )
    _check_place_codes(cfg, cube)
    _check_year_has_data(cfg, cube, current)
    partner = fingertips = imd = survey = stop_search = ethnicity = None
    if _need(d.partner_returns, "partner_returns", cfg) is not None:
        from .sources.partner import read_partner_returns

        partner = read_partner_returns(d.partner_returns)
    if _need(d.fingertips, "fingertips", cfg) is not None:
        from .sources.fingertips import read_fingertips

        fingertips = read_fingertips(d.fingertips)
    if _need(d.imd, "imd", cfg) is not None:
        from .sources.imd import read_imd

        imd = read_imd(d.imd)
    if _need(d.survey, "survey", cfg) is not None:
        from .sources.survey import read_survey

        survey = read_survey(d.survey)
    if cfg.stop_search is not None:
        from .sources.police_uk import read_stop_search

        try:
            stop_search = read_stop_search(d.police_uk, start=start, end=current.end)
        except InputError as err:
            raise InputError(
                f"{err.problem} (the config's 'stop_search' section asks for them)",
                path=err.path,
                line=err.line,
                column=err.column,
                fix=f"{err.fix or 'correct the file'}, or remove 'stop_search' from {cfg.path}",
            ) from None
        if _need(d.ethnicity, "ethnicity", cfg) is not None:
            from .sources.ethnicity import read_ethnic_population

            ethnicity = read_ethnic_population(d.ethnicity, cfg.stop_search.population_areas)
    overrides = load_overrides(_need(cfg.narrative, "narrative", cfg))
    actions = None
    if _need(d.action_log, "action_log", cfg) is not None:
        from .sources.actions import read_action_log

        known = [p.id for p in cfg.priorities] + [t.id for t in cfg.themes]
        actions = read_action_log(d.action_log, known=known)
    return Inputs(
        config=cfg,
        cube=cube,
        quality=quality,
        population=population,
        partner=partner,
        fingertips=fingertips,
        imd=imd,
        survey=survey,
        stop_search=stop_search,
        ethnicity=ethnicity,
        overrides=overrides,
        actions=actions,
    )
