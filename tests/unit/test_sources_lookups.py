"""ONS lookups: columns found by pattern, vintage kept, duplicates rejected."""

from __future__ import annotations

from pathlib import Path

import pytest

from smp_analysis.errors import InputError
from smp_analysis.sources.lookups import lsoas_in, read_lad_csp_lookup, read_lsoa_lookup


def test_lsoa_lookup_any_vintage(tmp_path: Path) -> None:
    p = tmp_path / "lu.csv"
    p.write_text(
        "LSOA21CD,LSOA21NM,WD22CD,WD22NM,LAD22CD,LAD22NM\n"
        "E01035001,Maidstone 020F,E05015000,High Street,E07000110,Maidstone\n"
        "E01023987,Ashford 001B,E05009000,Aylesford,E07000105,Ashford\n"
    )
    lk = read_lsoa_lookup(p)
    assert lk["lsoa_vintage"].unique().tolist() == [2021]
    assert lk["lad_vintage"].unique().tolist() == [2022]
    assert lsoas_in(lk, lad="E07000110")["lsoa_name"].tolist() == ["Maidstone 020F"]


def test_csp_lookup_and_csp_selection(tmp_path: Path) -> None:
    p = tmp_path / "csp.csv"
    p.write_text(
        "FID,LAD19CD,LAD19NM,CSP19CD,CSP19NM,PFA19CD,PFA19NM\n"
        "1,E07000110,Maidstone,E22000142,Maidstone,E23000032,Kent\n"
        "2,E07000105,Ashford,E22000137,Ashford,E23000032,Kent\n"
    )
    csp = read_lad_csp_lookup(p)
    assert csp.loc[csp["lad_code"] == "E07000110", "csp_code"].item() == "E22000142"
    lk = read_lsoa_lookup(_lsoa_file(tmp_path))
    assert lsoas_in(lk, csp="Maidstone", lad_csp=csp)["lsoa_code"].tolist() == ["E01024337"]


def _lsoa_file(tmp_path: Path) -> Path:
    p = tmp_path / "lu11.csv"
    p.write_text(
        "FID,LSOA11CD,LSOA11NM,WD19CD,WD19NM,LAD19CD,LAD19NM\n"
        "1,E01024337,Maidstone 001A,E05005000,Detling,E07000110,Maidstone\n"
        "2,E01023987,Ashford 001B,E05009000,Aylesford,E07000105,Ashford\n"
    )
    return p


def test_missing_lad_columns(tmp_path: Path) -> None:
    p = tmp_path / "lu.csv"
    p.write_text("LSOA11CD,LSOA11NM,WD19CD,WD19NM\nE01024337,Maidstone 001A,E05005000,Detling\n")
    with pytest.raises(InputError) as info:
        read_lsoa_lookup(p)
    assert info.value.line == 1 and info.value.column == "LAD19CD"
    assert "Open Geography Portal" in str(info.value)


def test_duplicate_lsoa(tmp_path: Path) -> None:
    p = _lsoa_file(tmp_path)
    p.write_text(
        p.read_text() + "3,E01024337,Maidstone 001A,E05005001,Boxley,E07000110,Maidstone\n"
    )
    with pytest.raises(InputError, match="E01024337 is listed twice") as info:
        read_lsoa_lookup(p)
    assert info.value.line == 4
