"""The open files behind the nearest-neighbour peer model, read together.

:func:`read_peer_inputs` reads the IMD 2019 file (File 2, domain ranks by 2011 LSOA),
Census 2021 usual residents by 2021 LSOA and age band, and the ONS LSOA (2011) →
district lookup with the package's validated readers, and hands the three tidy frames
to :func:`smp_analysis.peers.nearest.district_variables` (pure). Each reader raises a
one-line :class:`~smp_analysis.errors.InputError` naming the file, line and column.

Examples
--------
>>> from smp_analysis.sources.peer_inputs import PeerInputs
>>> PeerInputs.__dataclass_fields__.keys()
dict_keys(['imd', 'census', 'lookup'])
"""

from __future__ import annotations

from dataclasses import dataclass
from os import PathLike

import pandas as pd

from .imd import read_imd
from .lookups import read_lsoa_lookup
from .population import read_census_population

__all__ = ["PeerInputs", "read_peer_inputs"]


@dataclass(frozen=True)
class PeerInputs:
    """The three tidy frames of :func:`read_peer_inputs`."""

    #: IMD 2019 by 2011 LSOA (``lsoa_code, lad_code, lad_name, <domain>_rank, ...``)
    imd: pd.DataFrame
    #: Census 2021 usual residents (``lsoa_code, lsoa_name, age_group, usual_residents``)
    census: pd.DataFrame
    #: LSOA (2011) → ward → district (``lsoa_code, lad_code, lad_name, ...``)
    lookup: pd.DataFrame


def read_peer_inputs(
    imd_path: str | PathLike[str],
    population_path: str | PathLike[str],
    lookup_path: str | PathLike[str],
) -> PeerInputs:
    """Read the IMD 2019 domains, Census 2021 ages and the LSOA → district lookup.

    Parameters
    ----------
    imd_path : path-like
        IMD 2019 File 2 (domain ranks) or File 7 (scores too), CSV or ``.csv.gz``.
    population_path : path-like
        Census 2021 usual residents by 2021 LSOA and six age bands.
    lookup_path : path-like
        ONS LSOA (2011) → ward → local authority district lookup.

    Returns
    -------
    PeerInputs

    Raises
    ------
    InputError
        A file is missing or malformed (one line: file, line, column, fix).
    """
    return PeerInputs(
        imd=read_imd(imd_path),
        census=read_census_population(population_path),
        lookup=read_lsoa_lookup(lookup_path),
    )
