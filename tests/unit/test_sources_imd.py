"""IMD 2019: File 1 and File 2 layouts, BOM, thousands separators, ranges."""

from __future__ import annotations

from pathlib import Path

import pytest

from smp_analysis.errors import InputError
from smp_analysis.sources.imd import read_imd

ID = ("LSOA code (2011),LSOA name (2011),Local Authority District code (2019),"
      "Local Authority District name (2019)")  # fmt: skip
W = " (where 1 is most deprived)"
WD = " (where 1 is most deprived 10% of LSOAs)"
DOMAINS = ["Index of Multiple Deprivation (IMD)", "Income", "Employment",
           "Education, Skills and Training", "Health Deprivation and Disability", "Crime",
           "Barriers to Housing and Services", "Living Environment"]  # fmt: skip


def test_file1(tmp_path: Path) -> None:
    p = tmp_path / "f1.csv"
    p.write_text("\ufeff" + ID + ",Index of Multiple Deprivation (IMD) Rank,"
                 "Index of Multiple Deprivation (IMD) Decile\n"
                 'E01000001,City of London 001A,E09000001,City of London,"29,199",9\n'
                 "E01000002,City of London 001B,E09000001,City of London,30379,10\n",
                 encoding="utf-8")  # fmt: skip
    df = read_imd(p)
    assert df.columns.tolist() == ["lsoa_code", "lsoa_name", "lad_code", "lad_name",
                                   "imd_rank", "imd_decile"]  # fmt: skip
    assert df["imd_rank"].tolist() == [29199, 30379] and df["imd_decile"].dtype == "int64"


def test_file2_all_domains(tmp_path: Path) -> None:
    cols = []
    for d in DOMAINS:
        cols += [f'"{d} Rank{W}"', f'"{d} Decile{WD}"']
    p = tmp_path / "f2.csv"
    p.write_text(ID + "," + ",".join(cols) + "\n"
                 "E01000001,City of London 001A,E09000001,City of London,"
                 "29199,9,32831,10,32742,10,32842,10,32113,10,32662,10,7319,3,7789,3\n")  # fmt: skip
    df = read_imd(p)
    assert df.loc[0, "crime_rank"] == 32662 and df.loc[0, "living_environment_decile"] == 3
    assert df.loc[0, "education_rank"] == 32842
    assert [c for c in df.columns if c.endswith("_rank")][0] == "imd_rank"


def test_rank_out_of_range(tmp_path: Path) -> None:
    p = tmp_path / "f1.csv"
    p.write_text(ID + ",Index of Multiple Deprivation (IMD) Rank,"
                 "Index of Multiple Deprivation (IMD) Decile\n"
                 'E01000001,City 001A,E09000001,City,"40,000",9\n')  # fmt: skip
    with pytest.raises(InputError, match="rank 40000 is above 32,844") as info:
        read_imd(p)
    assert info.value.column == "Index of Multiple Deprivation (IMD) Rank"


def test_missing_decile_named_as_in_file1(tmp_path: Path) -> None:
    p = tmp_path / "f1.csv"
    p.write_text(
        ID + ",Index of Multiple Deprivation (IMD) Rank\nE01000001,City 001A,E09000001,City,5\n"
    )
    with pytest.raises(InputError, match="'Index of Multiple Deprivation \\(IMD\\) Decile'"):
        read_imd(p)
