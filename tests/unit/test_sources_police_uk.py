"""data.police.uk readers: every layout, typed columns, ASB apart, month from the file name."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from smp_analysis.categories import ALL_CATEGORIES, ASB
from smp_analysis.errors import InputError
from smp_analysis.quality import (
    DUPLICATE_CRIME_ID,
    DUPLICATE_FILE,
    IGNORED_FILE,
    MONTH_MISMATCH,
    NO_LOCATION,
    OUTSIDE_SPAN,
)
from smp_analysis.sources.area import AreaSelection
from smp_analysis.sources.police_uk import (
    OUTCOMES_COLUMNS,
    STOP_SEARCH_COLUMNS,
    STOP_SEARCH_FIELDS,
    STREET_COLUMNS,
    find_police_files,
    load_stop_search,
    read_outcomes,
    read_stop_search,
    read_street,
)


def _write(path: Path, header, rows) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return path


def street_row(i: int, month: str, name: str = "Sampleton 001A", ctype: str = "Burglary"):
    code = "E01990001" if name.startswith("Sampleton") else "E01991001"
    cid = "" if ctype == ASB else f"{month}-{i}".ljust(64, "0")
    return [cid, month, "Sampleshire Police", "Sampleshire Police", "0.5", "51.2",
            "On or near X", code, name, ctype, "" if ctype == ASB else "Under investigation", ""]  # fmt: skip


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """Two forces, monthly folders as the archive ships them."""
    root = tmp_path / "unpacked"
    for month in ("2024-01", "2024-02"):
        for force, name in (("sampleshire", "Sampleton 001A"), ("otherforce", "Otherford 001A")):
            rows = [street_row(i, month, name) for i in range(3)]
            rows.append(street_row(9, month, name, ASB))
            _write(root / month / f"{month}-{force}-street.csv", STREET_COLUMNS, rows)
    return root


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(["force", "month", "crime_id"]).reset_index(drop=True)


def test_folder_zip_and_single_files_read_the_same(folder: Path, tmp_path: Path) -> None:
    zpath = tmp_path / "2024-02.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for f in folder.rglob("*.csv"):
            zf.write(f, f"{f.parent.name}/{f.name}")
    a = read_street(folder)
    b = read_street(zpath)
    c = read_street(sorted(folder.rglob("*.csv")))
    for other in (b, c):
        pd.testing.assert_frame_equal(_sorted(a.crimes), _sorted(other.crimes))
        pd.testing.assert_frame_equal(_sorted(a.asb), _sorted(other.asb))
    assert len(a.crimes) == 12 and len(a.asb) == 4


def test_typed_columns(folder: Path) -> None:
    rec = read_street(folder)
    df = rec.crimes
    assert str(df["month"].dtype) == "period[M]"
    assert isinstance(df["crime_type"].dtype, pd.CategoricalDtype)
    assert list(df["crime_type"].cat.categories[:14]) == list(ALL_CATEGORIES)
    assert df["longitude"].dtype == "float64" and df["latitude"].dtype == "float64"
    assert isinstance(df["force"].dtype, pd.CategoricalDtype)
    assert set(df["force"]) == {"sampleshire", "otherforce"}


def test_asb_is_kept_apart(folder: Path) -> None:
    rec = read_street(folder)
    assert ASB not in set(rec.crimes["crime_type"])
    assert set(rec.asb["crime_type"]) == {ASB}
    assert rec.asb["crime_id"].isna().all()
    assert rec.report.measure("asb_in_area") == 4 and rec.report.measure("crime_in_area") == 12


def test_area_and_force_selection(folder: Path) -> None:
    rec = read_street(folder, area=AreaSelection.district("Sampleton"))
    assert set(rec.crimes["lsoa_name"]) == {"Sampleton 001A"}
    assert rec.report.measure("outside_area") == 8
    only = read_street(folder, forces=["otherforce"])
    assert set(only.crimes["force"]) == {"otherforce"}


def test_month_comes_from_the_file_name(tmp_path: Path) -> None:
    rows = [street_row(1, "2024-01"), street_row(2, "2023-12")]
    _write(tmp_path / "2024-01-sampleshire-street.csv", STREET_COLUMNS, rows)
    rec = read_street(tmp_path)
    assert [str(m) for m in rec.crimes["month"]] == ["2024-01", "2024-01"]
    [issue] = [i for i in rec.report.issues if i.kind == MONTH_MISMATCH]
    assert issue.count == 1 and issue.line == 3 and "2023-12" in issue.message


def test_duplicate_ids_and_no_location_are_reported(tmp_path: Path) -> None:
    row = street_row(1, "2024-01")
    noloc = [*street_row(2, "2024-01")]
    noloc[4:9] = ["", "", "No Location", "", ""]
    _write(tmp_path / "2024-01-sampleshire-street.csv", STREET_COLUMNS, [row, row, noloc])
    rec = read_street(tmp_path, area=AreaSelection.district("Sampleton"))
    assert rec.report.total(DUPLICATE_CRIME_ID) == 1
    assert rec.report.total(NO_LOCATION) == 1
    assert len(rec.crimes) == 2  # both copies kept; the unlocated row is counted, not in the area


def test_find_files_span_ignored_and_identical_copies(folder: Path, tmp_path: Path) -> None:
    (folder / "README.csv").write_text("not a police file\n")
    copy = tmp_path / "copy" / "2024-01-sampleshire-street.csv"
    copy.parent.mkdir()
    copy.write_bytes((folder / "2024-01" / "2024-01-sampleshire-street.csv").read_bytes())
    files, issues = find_police_files([folder, copy], start="2024-02", end="2024-02")
    assert [(f.force, str(f.month)) for f in files] == [
        ("otherforce", "2024-02"),
        ("sampleshire", "2024-02"),
    ]
    kinds = {i.kind: i.count for i in issues}
    assert kinds[IGNORED_FILE] == 1 and kinds[OUTSIDE_SPAN] == 3
    files, issues = find_police_files([folder, copy])
    assert sum(1 for i in issues if i.kind == DUPLICATE_FILE) == 1
    assert len(files) == 4


def test_zip_member_with_bad_crc_is_an_input_error(tmp_path: Path) -> None:
    z = tmp_path / "2024-01.zip"
    body = "\n".join(
        [",".join(STREET_COLUMNS), *[",".join(street_row(i, "2024-01")) for i in range(50)]]
    )
    with zipfile.ZipFile(z, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("2024-01/2024-01-sampleshire-street.csv", body)
    raw = bytearray(z.read_bytes())
    pos = raw.find(b"Under investigation")
    raw[pos : pos + 5] = b"XXXXX"  # same length, different content: CRC mismatch
    z.write_bytes(bytes(raw))
    with pytest.raises(
        InputError, match=r"2024-01\.zip\[2024-01/2024-01-sampleshire-street\.csv\]"
    ):
        read_street(z)


def test_outcomes(tmp_path: Path) -> None:
    rows = [["abc", "2024-03", "P", "P", "0.5", "51.2", "On or near X", "E01990001",
             "Sampleton 001A", "Offender given a caution"]]  # fmt: skip
    _write(tmp_path / "2024-03-sampleshire-outcomes.csv", OUTCOMES_COLUMNS, rows)
    df = read_outcomes(tmp_path)
    assert df["outcome_type"].tolist() == ["Offender given a caution"]
    assert str(df["month"].iloc[0]) == "2024-03"


# ---------------------------------------------------------------------- stop and search
def ss_row(date: str, lat: str = "51.5", eth: str = "White", linked: str = "False"):
    return ["Person search", date, "", "", lat, "-0.08" if lat else "", "Male", "18-24",
            "", eth, "Misuse of Drugs Act 1971 (section 23)", "Controlled drugs",
            "A no further action disposal", linked, "False"]  # fmt: skip


def test_stop_search_columns_and_types(tmp_path: Path) -> None:
    rows = [
        ss_row("2018-04-01T00:08:42+00:00", linked="True"),
        ss_row("2018-04-05T10:00:00+01:00", ""),
    ]
    _write(tmp_path / "2018-04-city-of-london-stop-and-search.csv", STOP_SEARCH_COLUMNS, rows)
    df = read_stop_search(tmp_path)
    assert df.columns.tolist() == list(STOP_SEARCH_FIELDS)
    assert str(df["date"].dt.tz) == "UTC"
    assert df["date"].iloc[1] == pd.Timestamp("2018-04-05T09:00:00Z")
    assert df["outcome_linked_to_object"].tolist() == [True, False]
    assert df["part_of_policing_operation"].isna().all()
    assert pd.isna(df["latitude"].iloc[1])
    assert isinstance(df["officer_defined_ethnicity"].dtype, pd.CategoricalDtype)


def test_stop_search_bst_evening_stays_in_the_file_month(tmp_path: Path) -> None:
    # 31 Mar 2019 23:30 UTC is 1 Apr 00:30 BST: published in the April file — fine.
    # 31 Mar 2019 22:30 UTC is 31 Mar 23:30 BST: in the April file, but a March search.
    rows = [ss_row("2019-03-31T23:30:00+00:00"), ss_row("2019-03-31T22:30:00+00:00"),
            ss_row("2019-04-10T12:00:00+00:00")]  # fmt: skip
    _write(tmp_path / "2019-04-city-of-london-stop-and-search.csv", STOP_SEARCH_COLUMNS, rows)
    df, report = load_stop_search(tmp_path)
    assert [str(m) for m in df["month"]] == ["2019-04"] * 3
    [issue] = [i for i in report.issues if i.kind == MONTH_MISMATCH]
    assert issue.count == 1


def test_utf8_check_handles_characters_split_between_chunks(tmp_path: Path) -> None:
    from smp_analysis.sources.police_uk import check_utf8

    p = tmp_path / "x.csv"
    p.write_bytes(b"a,b\n" + b"x" * 10 + "é".encode() + b",Ynys M\xc3\xb4n 001A\n")
    for size in range(1, 20):
        check_utf8(p, chunk_size=size)  # valid everywhere, whatever the chunk boundaries
    p.write_bytes(b"a,b\n1,2\n" + b"x" * 10 + b"\xc3(\n")
    with pytest.raises(InputError) as info:
        check_utf8(p, "x.csv", ["a", "b"], chunk_size=11)
    assert info.value.line == 3 and info.value.column == "a"
