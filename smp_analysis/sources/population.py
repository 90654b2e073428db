"""Resident population by LSOA: Census 2021 by age band, and the IoD2019 denominators.

Two layouts are read (docs/data-formats.md §5):

* **Census 2021 usual residents** by 2021 LSOA and six age bands
  (``lsoa21_code, lsoa21_name, age_group, usual_residents``) →
  :func:`read_census_population`. 2021 LSOAs match data.police.uk's LSOA codes.
* **IoD2019 File 6, population denominators** (2011 LSOAs, mid-2015 estimates
  excluding prisoners, numbers with thousands separators such as ``"1,296"``) →
  :func:`read_iod_population`. 2011 LSOAs match IMD 2019, not current police data.

:func:`lsoa_population` reduces either to ``lsoa_code, lsoa_name, population`` — the
denominator for rates per 1,000 residents and the LSOA list that lets
:func:`smp_analysis.aggregate.build_cube` include LSOAs with no recorded crime.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "pop.csv"
>>> rows = [f"E01024337,Maidstone 001A,{band},{n}" for band, n in zip(AGE_BANDS, [300, 150, 200, 350, 300, 250])]
>>> _ = p.write_text("lsoa21_code,lsoa21_name,age_group,usual_residents\\n" + "\\n".join(rows) + "\\n")
>>> lsoa_population(read_census_population(p))["population"].tolist()
[1550]
"""

from __future__ import annotations

from os import PathLike

import pandas as pd

from ..errors import InputError
from ._csv import display_name, parse_numbers, read_table, reject_first, source_column
from .area import LSOA_CODE_RE

__all__ = [
    "AGE_BANDS",
    "read_census_population",
    "read_iod_population",
    "lsoa_population",
]

#: The six Census 2021 age bands, youngest first.
AGE_BANDS: tuple[str, ...] = (
    "Aged 15 years and under",
    "Aged 16 to 24 years",
    "Aged 25 to 34 years",
    "Aged 35 to 49 years",
    "Aged 50 to 64 years",
    "Aged 65 years and over",
)

_IOD_COLUMNS = {
    "total": "Total population",
    "aged_0_15": "Dependent Children aged 0-15",
    "aged_16_59": "Population aged 16-59",
    "aged_60_plus": "Older population aged 60 and over",
    "working_age": "Working age population 18-59/64",
}


def _check_codes(t: pd.DataFrame, column: str, name: str) -> None:
    bad = ~t[column].str.fullmatch(LSOA_CODE_RE.pattern)
    reject_first(
        bad,
        lambda i: f"'{t[column].iloc[i]}' is not an LSOA code",
        path=name,
        lines=t["_line"],
        column=source_column(t, column),
        fix="LSOA codes look like E01024337 (England) or W01000001 (Wales)",
    )


def read_census_population(path: str | PathLike[str]) -> pd.DataFrame:
    """Read Census 2021 usual residents by LSOA and age band.

    Parameters
    ----------
    path : path-like
        CSV (``.gz`` allowed) with ``lsoa21_code, lsoa21_name, age_group,
        usual_residents``; ``lsoa_code, lsoa_name`` are accepted as column names too.

    Returns
    -------
    pandas.DataFrame
        ``lsoa_code`` (str, 2021 LSOA), ``lsoa_name`` (str), ``age_group`` (ordered
        categorical over :data:`AGE_BANDS`), ``usual_residents`` (int64).

    Raises
    ------
    InputError
        Missing columns, an unknown age band, a count that is not a whole number ≥ 0,
        an LSOA × band given twice, or an LSOA lacking some of the six bands.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "pop.csv"
    >>> _ = p.write_text("lsoa21_code,lsoa21_name,age_group,usual_residents\\n"
    ...                  "E01024337,Maidstone 001A,Aged 0 to 4,12\\n")
    >>> try:
    ...     read_census_population(p)
    ... except Exception as e:
    ...     print(e.line, e.column)
    2 age_group
    """
    name = display_name(path)
    what = "Census 2021 population file"

    def alias(h: str) -> str:
        return {"lsoa21_code": "lsoa_code", "lsoa21_name": "lsoa_name"}.get(h, h)

    t = read_table(
        path,
        required=["lsoa_code", "lsoa_name", "age_group", "usual_residents"],
        what=what,
        header_alias=alias,
        labels={"lsoa_code": "lsoa21_code", "lsoa_name": "lsoa21_name"},
        kind="population",
    )
    _check_codes(t, "lsoa_code", name)
    bad = ~t["age_group"].isin(AGE_BANDS)
    reject_first(
        bad,
        lambda i: f"'{t['age_group'].iloc[i]}' is not one of the six Census 2021 age bands",
        path=name,
        lines=t["_line"],
        column=source_column(t, "age_group"),
        fix="use " + "; ".join(AGE_BANDS),
    )
    residents = parse_numbers(
        t, "usual_residents", path=name, integer=True, minimum=0, allow_blank=False
    )
    dup = t.duplicated(["lsoa_code", "age_group"])
    reject_first(
        dup,
        lambda i: f"LSOA {t['lsoa_code'].iloc[i]} has '{t['age_group'].iloc[i]}' twice",
        path=name,
        lines=t["_line"],
        column=source_column(t, "age_group"),
        fix="give each LSOA × age band once",
    )
    bands = t.groupby("lsoa_code")["age_group"].nunique()
    short = bands[bands < len(AGE_BANDS)]
    if len(short):
        code = str(short.index[0])
        line = int(t.loc[t["lsoa_code"] == code, "_line"].iloc[0])
        raise InputError(
            f"LSOA {code} has {int(short.iloc[0])} of the 6 age bands",
            path=name,
            line=line,
            column=source_column(t, "age_group"),
            fix="give all six bands for every LSOA (0 where there are none)",
        )
    return pd.DataFrame(
        {
            "lsoa_code": t["lsoa_code"],
            "lsoa_name": t["lsoa_name"],
            "age_group": pd.Categorical(t["age_group"], categories=AGE_BANDS, ordered=True),
            "usual_residents": residents.astype("int64"),
        }
    ).reset_index(drop=True)


def read_iod_population(path: str | PathLike[str]) -> pd.DataFrame:
    """Read the IoD2019 population denominators (MHCLG File 6), 2011 LSOAs.

    Parameters
    ----------
    path : path-like
        ``File_6_-_IoD2019_Population_Denominators.csv`` (``.gz`` allowed; a UTF-8
        byte-order mark and thousands separators are accepted).

    Returns
    -------
    pandas.DataFrame
        One row per 2011 LSOA: ``lsoa_code, lsoa_name, lad_code, lad_name`` (str) and
        the mid-2015 counts (int64, excluding prisoners) ``total, aged_0_15,
        aged_16_59, aged_60_plus, working_age`` (working age = 18–59/64). The age
        columns overlap ``working_age``; do not add them together with it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "f6.csv"
    >>> head = ("LSOA code (2011),LSOA name (2011),Local Authority District code (2019),"
    ...         "Local Authority District name (2019),Total population: mid 2015 (excluding "
    ...         "prisoners),Dependent Children aged 0-15: mid 2015 (excluding prisoners),"
    ...         "Population aged 16-59: mid 2015 (excluding prisoners),Older population aged "
    ...         "60 and over: mid 2015 (excluding prisoners),Working age population 18-59/64: "
    ...         "for use with Employment Deprivation Domain (excluding prisoners)")
    >>> _ = p.write_text("\\ufeff" + head + '\\nE01000001,City of London 001A,E09000001,'
    ...                  'City of London,"1,296",175,656,465,715\\n', encoding="utf-8")
    >>> read_iod_population(p)[["lsoa_code", "total", "aged_60_plus"]].values.tolist()
    [['E01000001', 1296, 465]]
    """
    name = display_name(path)
    what = "IoD2019 population denominators file (File 6)"

    def alias(h: str) -> str:
        for key, stem in _IOD_COLUMNS.items():
            if h.startswith(stem):
                return key
        return {
            "LSOA code (2011)": "lsoa_code",
            "LSOA name (2011)": "lsoa_name",
            "Local Authority District code (2019)": "lad_code",
            "Local Authority District name (2019)": "lad_name",
        }.get(h, h)

    t = read_table(
        path,
        required=["lsoa_code", "lsoa_name", "lad_code", "lad_name", *_IOD_COLUMNS],
        what=what,
        header_alias=alias,
        labels={
            "lsoa_code": "LSOA code (2011)",
            "lsoa_name": "LSOA name (2011)",
            "lad_code": "Local Authority District code (2019)",
            "lad_name": "Local Authority District name (2019)",
            **{k: v + ": mid 2015 (excluding prisoners)" for k, v in _IOD_COLUMNS.items()},
        },
        kind="population",
    )
    _check_codes(t, "lsoa_code", name)
    out = t[["lsoa_code", "lsoa_name", "lad_code", "lad_name"]].copy()
    for key in _IOD_COLUMNS:
        out[key] = parse_numbers(
            t, key, path=name, integer=True, minimum=0, allow_blank=False
        ).astype("int64")
    dup = out["lsoa_code"].duplicated()
    reject_first(
        dup,
        lambda i: f"LSOA {out['lsoa_code'].iloc[i]} appears twice",
        path=name,
        lines=t["_line"],
        column="LSOA code (2011)",
        fix="give each LSOA once",
    )
    return out.reset_index(drop=True)


def lsoa_population(frame: pd.DataFrame) -> pd.DataFrame:
    """Total residents per LSOA from either reader's output.

    Returns
    -------
    pandas.DataFrame
        ``lsoa_code, lsoa_name, population`` (int64), sorted by code.

    Examples
    --------
    >>> f = pd.DataFrame({"lsoa_code": ["E2", "E1", "E1"], "lsoa_name": ["B", "A", "A"],
    ...                   "usual_residents": [5, 1, 2]})
    >>> lsoa_population(f).values.tolist()
    [['E1', 'A', 3], ['E2', 'B', 5]]
    """
    if "usual_residents" in frame.columns:
        out = (
            frame.groupby(["lsoa_code", "lsoa_name"], observed=True)["usual_residents"]
            .sum()
            .rename("population")
            .reset_index()
        )
    elif "total" in frame.columns:
        out = frame[["lsoa_code", "lsoa_name", "total"]].rename(columns={"total": "population"})
    else:
        raise ValueError("expected the output of read_census_population or read_iod_population")
    out["population"] = out["population"].astype("int64")
    return out.sort_values("lsoa_code").reset_index(drop=True)
