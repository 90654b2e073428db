"""Population by LSOA: Census 2021 bands and IoD2019 denominators."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from smp_analysis.errors import InputError
from smp_analysis.sources.population import (
    AGE_BANDS,
    lsoa_population,
    read_census_population,
    read_iod_population,
)

F6_HEAD = (
    "LSOA code (2011),LSOA name (2011),Local Authority District code (2019),"
    "Local Authority District name (2019),Total population: mid 2015 (excluding prisoners),"
    "Dependent Children aged 0-15: mid 2015 (excluding prisoners),Population aged 16-59: mid 2015 "
    "(excluding prisoners),Older population aged 60 and over: mid 2015 (excluding prisoners),"
    "Working age population 18-59/64: for use with Employment Deprivation Domain (excluding "
    "prisoners)"
)


def _census(tmp_path: Path, gz: bool = False) -> Path:
    lines = ["lsoa21_code,lsoa21_name,age_group,usual_residents"]
    for code, name, base in (
        ("E01024337", "Maidstone 001A", 100),
        ("E01035001", "Maidstone 020F", 10),
    ):
        lines += [f"{code},{name},{band},{base + i}" for i, band in enumerate(AGE_BANDS)]
    text = "\n".join(lines) + "\n"
    p = tmp_path / ("pop.csv.gz" if gz else "pop.csv")
    p.write_bytes(gzip.compress(text.encode()) if gz else text.encode())
    return p


@pytest.mark.parametrize("gz", [False, True])
def test_census(tmp_path: Path, gz: bool) -> None:
    df = read_census_population(_census(tmp_path, gz))
    assert df.columns.tolist() == ["lsoa_code", "lsoa_name", "age_group", "usual_residents"]
    assert df["age_group"].cat.ordered and list(df["age_group"].cat.categories) == list(AGE_BANDS)
    tot = lsoa_population(df)
    # 100+101+...+105 = 615 ; 10+...+15 = 75
    assert tot["population"].tolist() == [615, 75]


def test_iod_with_thousands_and_bom(tmp_path: Path) -> None:
    p = tmp_path / "f6.csv"
    p.write_text("\ufeff" + F6_HEAD + '\nE01000001,City of London 001A,E09000001,City of London,'
                 '"1,296",175,656,465,715\n', encoding="utf-8")  # fmt: skip
    df = read_iod_population(p)
    assert df.loc[0, ["total", "aged_0_15", "aged_16_59", "aged_60_plus", "working_age"]].tolist() == [
        1296, 175, 656, 465, 715
    ]  # fmt: skip
    assert lsoa_population(df)["population"].tolist() == [1296]


def test_iod_missing_column_is_named_as_in_the_file(tmp_path: Path) -> None:
    p = tmp_path / "f6.csv"
    p.write_text(F6_HEAD.rsplit(",", 1)[0] + "\nE01000001,City 001A,E09000001,City,1,1,1,1\n")
    with pytest.raises(InputError, match="Working age population 18-59/64") as info:
        read_iod_population(p)
    assert info.value.line == 1


def test_duplicate_band(tmp_path: Path) -> None:
    p = _census(tmp_path)
    p.write_text(p.read_text() + f"E01024337,Maidstone 001A,{AGE_BANDS[0]},3\n")
    with pytest.raises(InputError, match="twice") as info:
        read_census_population(p)
    assert info.value.line == 14
