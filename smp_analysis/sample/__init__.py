"""Synthetic sample data for the district "Sampleton" (``smp-analysis sample``).

:func:`write_sample` writes every input format of ``docs/data-formats.md`` for a
synthetic district shaped like Maidstone, deterministically from a seed (same seed →
byte-identical files). The data carry planted signals S1-S11 listed, with their sizes,
in ``docs/sample-data.md`` and in :data:`SIGNALS`.

The district itself (codes, populations, deprivation, map points) is fixed; the seed
only changes the events generated on it. :func:`generate_sample` returns the same data
in memory without writing anything.

Examples
--------
>>> DISTRICT.name, len(TOWN_CENTRE_LSOAS), str(INTERVENTION_MONTH)
('Sampleton', 5, '2023-10')
>>> [str(m) for m in MISSING_MONTHS], str(START), str(END)
(['2021-08'], '2021-04', '2025-03')
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, ParameterError
from .district import (
    BUFFER_LSOAS,
    COMPARISON_LSOAS,
    DISTRICT,
    END,
    INTERVENTION_MONTH,
    MISSING_MONTHS,
    REPORTING_YEAR,
    SPIKE_LSOA,
    START,
    TOWN_CENTRE_LSOAS,
    District,
    build_geography,
)
from .fingertips import fingertips_table
from .model import SIGNALS, Expected, PlantedSignals, expected_counts
from .partner import partner_returns
from .police import realise_counts, stop_search_rows, street_rows
from .population import ethnicity_table, force_population_by_group, imd_table, population_table
from .survey import survey_responses
from .writers import csv_bytes, write_bytes

__all__ = [
    "BUFFER_LSOAS",
    "COMPARISON_LSOAS",
    "DEFAULT_SEED",
    "DISTRICT",
    "END",
    "INTERVENTION_MONTH",
    "MISSING_MONTHS",
    "REPORTING_YEAR",
    "SIGNALS",
    "SPIKE_LSOA",
    "START",
    "TOWN_CENTRE_LSOAS",
    "District",
    "PlantedSignals",
    "SampleData",
    "generate_sample",
    "write_sample",
]

#: The documented seed of the embedded sample: of seeds 0-399, the one whose realised
#: signals lie closest to the planted sizes (see docs/sample-data.md).
DEFAULT_SEED: int = 143


@dataclass(frozen=True)
class SampleData:
    """The sample data in memory, one frame (or month → frame) per output file.

    Attributes
    ----------
    seed : int
        The seed used.
    street, stop_search : dict
        Month → data.police.uk-shaped frame (strings); the missing months are absent.
    partner, fingertips, population, ethnicity, imd, survey : pandas.DataFrame
        The other files' contents.
    expected : Expected
        Expected counts behind the police data (with and without the S3 spikes).
    counts : numpy.ndarray
        Realised counts (category, LSOA, month) including the unpublished missing month.
    """

    seed: int
    street: dict[pd.Period, pd.DataFrame]
    stop_search: dict[pd.Period, pd.DataFrame]
    partner: pd.DataFrame
    fingertips: pd.DataFrame
    population: pd.DataFrame
    ethnicity: pd.DataFrame
    imd: pd.DataFrame
    survey: pd.DataFrame
    expected: Expected
    counts: np.ndarray


def _check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or int(seed) < 0:
        raise ParameterError(
            f"seed {seed!r} is not a whole number of 0 or more",
            column="seed",
            fix=f"pass an integer such as {DEFAULT_SEED}",
        )
    return int(seed)


def generate_sample(seed: int = DEFAULT_SEED) -> SampleData:
    """Generate the sample data in memory (no files written).

    Parameters
    ----------
    seed : int
        Random seed (0 or more). The same seed always gives the same data.

    Returns
    -------
    SampleData

    Raises
    ------
    smp_analysis.errors.ParameterError
        If ``seed`` is not a non-negative integer (an :class:`~smp_analysis.errors.InputError`).

    Examples
    --------
    >>> data = generate_sample(7)
    >>> len(data.street), len(data.stop_search)
    (47, 47)
    >>> sorted(data.street)[0], data.street[sorted(data.street)[0]]["Reported by"].iloc[0]
    (Period('2021-04', 'M'), 'Sampleshire Police')
    """
    seed = _check_seed(seed)
    geo = build_geography()
    expected = expected_counts(geo)
    rng_counts, rng_street, rng_stop, rng_partner, rng_ft, rng_survey = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)
    )
    counts = realise_counts(expected, rng_counts)
    groups, detail = force_population_by_group(geo)
    return SampleData(
        seed=seed,
        street=street_rows(geo, expected, counts, rng_street),
        stop_search=stop_search_rows(geo, groups, detail, expected.months, rng_stop),
        partner=partner_returns(geo, expected, counts, rng_partner),
        fingertips=fingertips_table(geo, rng_ft),
        population=population_table(geo),
        ethnicity=ethnicity_table(geo),
        imd=imd_table(geo),
        survey=survey_responses(rng_survey),
        expected=expected,
        counts=counts,
    )


def _readme(seed: int, files: list[str]) -> bytes:
    from .. import __version__

    listing = "\n".join(f"  {f}" for f in files)
    text = f"""SAMPLETON SAMPLE DATA - SYNTHETIC, NOT REAL

Every record in this folder is synthetic. Sampleton, Otherford, Sampleshire, their
codes (E07999999, E07999998, E01990001-E01990100, ...), streets, crimes, searches,
partner figures, health statistics and survey answers are made up. Nothing here
describes real people, places or events. Do not publish it as if it were real.

The layouts copy the real publications (data.police.uk street and stop-and-search CSVs,
ONS Census 2021 by LSOA, Nomis QS201EW, MHCLG IMD 2019 File 1, OHID Fingertips exports)
and the project's own partner-return and survey formats (docs/data-formats.md), so the
same readers run on sample and real data. The planted signals (S1-S11) and their sizes
are listed in docs/sample-data.md.

Generated by: smp-analysis sample --seed {seed}
Seed: {seed}
Package version: smp-analysis {__version__}
Months: {START} to {END}; no data.police.uk files for {", ".join(str(m) for m in MISSING_MONTHS)}

Files:
{listing}
"""
    return text.encode("utf-8")


def write_sample(out_dir: str | os.PathLike[str], seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the synthetic sample data files into ``out_dir``.

    Writes ``police_uk/YYYY-MM/YYYY-MM-sampleshire-street.csv`` and
    ``...-stop-and-search.csv`` for each month except the missing one,
    ``partner_returns.csv``, ``fingertips.csv``, ``population_lsoa.csv``,
    ``population_ethnicity.csv``, ``imd2019.csv``, ``survey.csv`` and ``README.txt``.
    Existing files of the same names are replaced; nothing else is touched.

    Parameters
    ----------
    out_dir : str or os.PathLike
        Output folder (created if absent).
    seed : int
        Random seed; the same seed gives byte-identical files.

    Returns
    -------
    list of pathlib.Path
        The files written, in a fixed order.

    Raises
    ------
    smp_analysis.errors.InputError
        If ``out_dir`` is an existing file or ``seed`` is not a non-negative integer
        (:class:`~smp_analysis.errors.ParameterError`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     files = write_sample(d, seed=3)
    ...     names = sorted(p.name for p in files if p.parent == pathlib.Path(d))
    ...     (pathlib.Path(d) / "police_uk" / "2021-08").exists()
    False
    >>> len(files), names[:3]
    (101, ['README.txt', 'fingertips.csv', 'imd2019.csv'])
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(
            "the output path is a file, not a folder",
            path=out,
            fix="pass a folder for --out, e.g. data/sample",
        )
    data = generate_sample(seed)
    slug = DISTRICT.force_slug
    written: list[Path] = []
    for month, frame in sorted(data.street.items()):
        name = f"police_uk/{month}/{month}-{slug}-street.csv"
        written.append(write_bytes(out / name, csv_bytes(frame)))
    for month, frame in sorted(data.stop_search.items()):
        name = f"police_uk/{month}/{month}-{slug}-stop-and-search.csv"
        written.append(write_bytes(out / name, csv_bytes(frame)))
    tables = (
        ("partner_returns.csv", csv_bytes(data.partner)),
        ("fingertips.csv", csv_bytes(data.fingertips)),
        ("population_lsoa.csv", csv_bytes(data.population)),
        ("population_ethnicity.csv", csv_bytes(data.ethnicity, quote_strings=True)),
        ("imd2019.csv", csv_bytes(data.imd, bom=True, crlf=True, final_newline=False)),
        ("survey.csv", csv_bytes(data.survey)),
    )
    for name, content in tables:
        written.append(write_bytes(out / name, content))
    listing = [p.relative_to(out).as_posix() for p in written]
    summary = [f for f in listing if not f.startswith("police_uk/")]
    summary.insert(0, f"police_uk/YYYY-MM/ ({len(data.street)} months x street + stop-and-search)")
    written.append(write_bytes(out / "README.txt", _readme(data.seed, summary)))
    return written
