"""Real denominators read in place: Census 2021 population, IoD2019 File 6, IMD 2019, lookups.

Expected figures come from SOURCES.md (written when the files were extracted) or from an
independent count in the test with the csv/gzip modules.
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import pytest

from smp_analysis.sources.area import AreaSelection
from smp_analysis.sources.imd import read_imd
from smp_analysis.sources.lookups import read_lad_csp_lookup, read_lsoa_lookup
from smp_analysis.sources.population import (
    lsoa_population,
    read_census_population,
    read_iod_population,
)

pytestmark = pytest.mark.realdata


def _rows(path: Path) -> list[dict[str, str]]:
    text = gzip.decompress(path.read_bytes()).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def census(real_data: Path):
    return read_census_population(real_data / "population" / "census21_pop_lsoa21_age6.csv.gz")


def test_census_2021_maidstone(census) -> None:
    assert len(census) == 214_032 and census["lsoa_code"].nunique() == 35_672  # SOURCES.md
    pop = lsoa_population(census)
    maid = pop[AreaSelection.district("Maidstone").mask(pop["lsoa_code"], pop["lsoa_name"])]
    assert len(maid) == 99  # SOURCES.md: "Maidstone = 99 LSOAs, 175,812 residents"
    assert maid["population"].sum() == 175_812


def test_census_totals_equal_an_independent_sum(census, real_data: Path) -> None:
    rows = _rows(real_data / "population" / "census21_pop_lsoa21_age6.csv.gz")
    assert census["usual_residents"].sum() == sum(int(r["usual_residents"]) for r in rows)


def test_imd_file1_and_file2_agree(real_data: Path) -> None:
    f1 = read_imd(real_data / "imd" / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz")
    f2 = read_imd(real_data / "imd" / "File_2_-_IoD2019_Domains_of_Deprivation.csv.gz")
    assert len(f1) == len(f2) == 32_844
    assert (f1["lad_code"] == "E07000110").sum() == 95  # SOURCES.md: Maidstone has 95
    m = f1.merge(f2, on="lsoa_code", suffixes=("_1", "_2"))
    assert (m["imd_rank_1"] == m["imd_rank_2"]).all() and (
        m["imd_decile_1"] == m["imd_decile_2"]
    ).all()
    # a ranking of every LSOA: 1 … 32,844 with a few ties ranked "min" (two LSOAs share
    # 2852 and 2853 is skipped), so each rank equals its position among the sorted ranks
    ranks = f1["imd_rank"].sort_values().reset_index(drop=True)
    assert ranks.iloc[0] == 1 and ranks.iloc[-1] == 32_844
    assert (ranks.rank(method="min").astype(int) == ranks).all()
    assert f1.set_index("lsoa_code").loc["E01000001", "imd_rank"] == 29_199  # "29,199" in File 1
    assert f2["crime_decile"].between(1, 10).all()


def test_iod_population_equals_an_independent_sum(real_data: Path) -> None:
    path = real_data / "population" / "File_6_-_IoD2019_Population_Denominators.csv.gz"
    df = read_iod_population(path)
    rows = _rows(path)
    col = next(c for c in rows[0] if c.startswith("Total population"))
    maid = [r for r in rows if r["Local Authority District code (2019)"] == "E07000110"]
    assert len(df) == len(rows) == 32_844
    assert df.loc[df["lad_code"] == "E07000110", "total"].sum() == sum(
        int(r[col].replace(",", "")) for r in maid
    )


def test_lookups(real_data: Path) -> None:
    lk = read_lsoa_lookup(real_data / "lookups" / "LSOA11_WD19_LAD19_EW_LU.csv")
    assert len(lk) == 34_753 and (lk["lad_code"] == "E07000110").sum() == 95
    csp = read_lad_csp_lookup(real_data / "lookups" / "LAD19_CSP19_PFA19_EW_LU.csv")
    row = csp.set_index("lad_code").loc["E07000110"]
    assert (row["csp_code"], row["pfa_code"], row["pfa_name"]) == ("E22000142", "E23000032", "Kent")
    area = AreaSelection.from_lookup(lk, csp="E22000142", lad_csp=csp)
    assert len(area.lsoa_codes) == 95 and area.lsoa_name_prefix == ("Maidstone",)
    # East Suffolk is split between two CSPs: selecting either by district would be wrong
    assert set(csp.loc[csp["lad_code"] == "E07000244", "csp_name"]) == {
        "Suffolk Coastal",
        "Waveney",
    }
    with pytest.raises(ValueError, match="covers only part of district 'East Suffolk'"):
        AreaSelection.from_lookup(lk, csp="Waveney", lad_csp=csp)
