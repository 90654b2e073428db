"""Nearest-neighbour peers on the real open files (skipped when they are absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from smp_analysis.errors import InputError
from smp_analysis.peers.nearest import nearest_districts
from smp_analysis.sources.imd import read_imd

pytestmark = pytest.mark.realdata


def _paths(real: Path) -> dict[str, Path]:
    return {
        "imd_path": real / "imd" / "File_2_-_IoD2019_Domains_of_Deprivation.csv.gz",
        "population_path": real / "population" / "census21_pop_lsoa21_age6.csv.gz",
        "lookup_path": real / "lookups" / "LSOA11_WD19_LAD19_EW_LU.csv",
    }


def test_maidstone_nearest_15(real_data: Path):
    paths = _paths(real_data)
    r = nearest_districts("Maidstone", 15, **paths)
    imd = read_imd(paths["imd_path"])
    english = set(imd.loc[imd["lad_code"].str.startswith("E"), "lad_code"])
    assert len(english) == 317
    assert len(r) == 15
    assert r["code"].is_unique and set(r["code"]) <= english
    assert "E07000110" not in set(r["code"])
    assert r["distance"].is_monotonic_increasing and (r["distance"] > 0).all()
    assert r["rank"].tolist() == list(range(1, 16))
    # sanity: shire districts of the South East and East dominate; Tonbridge and Malling
    # (Maidstone's neighbour in Kent) is among them
    assert "E07000115" in set(r["code"])
    assert r["code"].str.startswith("E07").sum() >= 8
    assert r.attrs["target_code"] == "E07000110" and r.attrs["left_out"] == []
    assert "population density" in r.attrs["method"]
    # by code gives the same answer
    assert nearest_districts("E07000110", 15, **paths)["code"].tolist() == r["code"].tolist()


def test_unknown_district_is_one_line(real_data: Path):
    with pytest.raises(InputError) as e:
        nearest_districts("Maidston", 5, **_paths(real_data))
    assert "did you mean 'Maidstone'" in str(e.value) and "\n" not in str(e.value)
