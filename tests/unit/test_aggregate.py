"""build_cube: counts equal an independent count, missing months stay missing, cache works."""

from __future__ import annotations

import csv
import os
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import smp_analysis.aggregate as aggregate
from smp_analysis.aggregate import build_cube, write_cube
from smp_analysis.categories import ALL_CATEGORIES, ASB, CRIME_TYPES
from smp_analysis.cli import main
from smp_analysis.errors import InputError
from smp_analysis.quality import (
    DUPLICATE_CRIME_ID,
    MONTH_MISMATCH,
    NO_LOCATION,
    OUTSIDE_AREA,
    OUTSIDE_SPAN,
    UNKNOWN_LSOA,
)
from smp_analysis.sources.area import AreaSelection
from smp_analysis.sources.police_uk import STREET_COLUMNS

IN_AREA = [(f"E0199{i:04d}", f"Sampleton {i // 5 + 1:03d}{'ABCDE'[i % 5]}") for i in range(12)]
OUTSIDE = [
    ("E01991001", "Otherford 001A"),
    ("E01991002", "Sampletonx 001A"),  # prefix + letter: not Sampleton
    ("E01991003", "Sampleton Town 001A"),  # prefix + word: not Sampleton
    ("E01991004", "Sampleton abcd"),  # matches LIKE 'Sampleton ____' but not the pattern
]


def _rows(rng: np.random.Generator, month: str, n: int, force: str) -> list[list[str]]:
    rows = []
    for i in range(n):
        u = rng.random()
        if u < 0.05:
            code, name, lon, lat, loc = "", "", "", "", "No Location"
        else:
            code, name = (IN_AREA if u < 0.6 else OUTSIDE)[
                rng.integers(len(IN_AREA) if u < 0.6 else len(OUTSIDE))
            ]
            lon, lat, loc = "0.52", "51.27", "On or near High Street"
        ctype = ALL_CATEGORIES[rng.integers(len(ALL_CATEGORIES))]
        cid = "" if ctype == ASB else f"{force}-{month}-{i:06d}".ljust(64, "0")
        outcome = "" if ctype == ASB else "Under investigation"
        rows.append(
            [cid, month, "Sampleshire Police", "Sampleshire Police", lon, lat, loc, code, name,
             ctype, outcome, ""]
        )  # fmt: skip
    return rows


def write_street(
    folder: Path, month: str, rows: list[list[str]], force: str = "sampleshire"
) -> Path:
    p = folder / month / f"{month}-{force}-street.csv"
    p.parent.mkdir(parents=True, exist_ok=True)
    with p.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(STREET_COLUMNS)
        w.writerows(rows)
    return p


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    """Six months (2024-01 … 2024-06) with 2024-03 absent; 300–400 rows each."""
    rng = np.random.default_rng(20240601)
    root = tmp_path / "police"
    for month in ["2024-01", "2024-02", "2024-04", "2024-05", "2024-06"]:
        write_street(root, month, _rows(rng, month, int(rng.integers(300, 400)), "sampleshire"))
    return root


def independent_counts(root: Path) -> Counter:
    """Count rows per (file month, LSOA, type) for Sampleton with the csv module."""
    counts: Counter = Counter()
    for f in sorted(root.rglob("*-street.csv")):
        month = f.name[:7]
        with f.open(newline="", encoding="utf-8") as fh:
            for rec in csv.DictReader(fh):
                name = rec["LSOA name"]
                head, _, tail = name.rpartition(" ")
                if (
                    head == "Sampleton"
                    and len(tail) == 4
                    and tail[:3].isdigit()
                    and tail[3].isalpha()
                ):
                    counts[(month, rec["LSOA code"], rec["Crime type"])] += 1
    return counts


def test_counts_equal_an_independent_count(archive: Path) -> None:
    cube, report = build_cube(archive, "Sampleton")
    expected = independent_counts(archive)
    got = Counter(
        {
            (str(r.month), r.lsoa_code, r.crime_type): int(r.count)
            for r in cube.counts.itertuples(index=False)
        }
    )
    assert got == expected
    assert sum(expected.values()) == report.measure("in_area")


def test_every_row_is_accounted_for(archive: Path) -> None:
    _, report = build_cube(archive, "Sampleton")
    total = sum(
        len(f.read_text(encoding="utf-8").splitlines()) - 1 for f in archive.rglob("*-street.csv")
    )
    assert report.measure("rows_read") == total
    assert (
        report.measure("in_area") + report.measure("outside_area") + report.measure("no_location")
        == total
    )
    assert report.total(NO_LOCATION) == report.measure("no_location") > 0
    assert report.total(OUTSIDE_AREA) == report.measure("outside_area") > 0
    assert report.measure("crime_in_area") + report.measure("asb_in_area") == report.measure(
        "in_area"
    )


def test_missing_month_is_missing_not_zero(archive: Path) -> None:
    cube, report = build_cube(archive, "Sampleton")
    assert [str(m) for m in cube.missing_months] == ["2024-03"]
    assert [str(m) for m in report.missing_months("sampleshire")] == ["2024-03"]
    s = cube.series(by=[])
    assert np.isnan(s.loc[s["month"] == pd.Period("2024-03", "M"), "count"]).all()
    assert (s.loc[s["month"] != pd.Period("2024-03", "M"), "count"] > 0).all()


def test_asb_is_kept_apart_from_crime(archive: Path) -> None:
    cube, report = build_cube(archive, "Sampleton")
    crimes = cube.series(by=[])["count"].sum()
    asb = cube.series(by=[], crime_types=[ASB])["count"].sum()
    assert crimes == report.measure("crime_in_area")
    assert asb == report.measure("asb_in_area") > 0
    assert set(cube.counts["crime_type"]) <= set(ALL_CATEGORIES)


def test_name_prefix_does_not_match_lookalikes(archive: Path) -> None:
    cube, _ = build_cube(archive, "Sampleton")
    names = set(cube.lsoas["lsoa_name"])
    assert names == {n for _, n in IN_AREA}
    assert not names & {n for _, n in OUTSIDE}


def test_codes_route_equals_prefix_route(archive: Path) -> None:
    by_name, _ = build_cube(archive, "Sampleton")
    by_code, _ = build_cube(archive, AreaSelection("Sampleton", lsoa_codes=[c for c, _ in IN_AREA]))
    pd.testing.assert_frame_equal(by_name.counts, by_code.counts)


def test_span_limits_files_and_marks_edges_missing(archive: Path) -> None:
    cube, report = build_cube(archive, "Sampleton", start="2023-12", end="2024-04")
    assert [str(m) for m in cube.months_expected] == [
        "2023-12", "2024-01", "2024-02", "2024-03", "2024-04"
    ]  # fmt: skip
    assert [str(m) for m in cube.missing_months] == ["2023-12", "2024-03"]
    assert report.total(OUTSIDE_SPAN) == 2  # 2024-05 and 2024-06 not read


def test_lsoas_frame_adds_lsoas_without_records(archive: Path) -> None:
    extra = pd.DataFrame(
        {
            "lsoa_code": ["E01999998", "E01991001"],
            "lsoa_name": ["Sampleton 099A", "Otherford 001A"],  # the second is outside
        }
    )
    lsoas = pd.concat([pd.DataFrame(IN_AREA[:-1], columns=["lsoa_code", "lsoa_name"]), extra])
    cube, report = build_cube(archive, "Sampleton", lsoas=lsoas)
    assert "E01999998" in set(cube.lsoas["lsoa_code"])
    assert "E01991001" not in set(cube.lsoas["lsoa_code"])
    s = cube.series(by=["lsoa_code"])
    empty = s[s["lsoa_code"] == "E01999998"]
    assert empty["count"].fillna(-1).tolist() == [0, 0, -1, 0, 0, 0]  # zero, except missing
    # IN_AREA[-1] has records but is not in the list given: reported, and still counted
    assert report.total(UNKNOWN_LSOA) > 0
    assert IN_AREA[-1][0] in set(cube.lsoas["lsoa_code"])


def test_known_codes_report_unknown_lsoas(archive: Path) -> None:
    known = [c for c, _ in IN_AREA[:10]]
    _, report = build_cube(archive, "Sampleton", known_lsoa_codes=known)
    [issue] = [i for i in report.issues if i.kind == UNKNOWN_LSOA]
    assert IN_AREA[10][0] in issue.message


def test_month_mismatch_and_duplicates(tmp_path: Path) -> None:
    row = ["x" * 64, "2024-01", "P", "P", "0.5", "51.2", "On or near X", *IN_AREA[0], "Drugs",
           "Under investigation", ""]  # fmt: skip
    other = [*row]
    other[1] = "2023-12"
    write_street(tmp_path, "2024-01", [row, row, other])
    cube, report = build_cube(tmp_path, "Sampleton")
    assert int(cube.counts["count"].sum()) == 3  # all kept, in the file's month
    assert report.total(MONTH_MISMATCH) == 1
    assert report.total(DUPLICATE_CRIME_ID) == 2  # one ID three times: two extra rows


def test_two_forces_months_present_are_those_of_contributing_forces(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    for m in ["2024-01", "2024-02", "2024-03"]:
        write_street(tmp_path / "a", m, _rows(rng, m, 50, "sampleshire"), "sampleshire")
    written = 0
    for m in ["2024-01", "2024-03"]:  # this force has no rows in the area, and no 2024-02
        rows = [r for r in _rows(rng, m, 50, "otherforce") if not r[8].startswith("Sampleton ")]
        write_street(tmp_path / "b", m, rows, "otherforce")
        written += len(rows)
    cube, report = build_cube(tmp_path, "Sampleton")
    # the other force's gap does not make the area's month missing
    assert len(cube.months_present) == 3
    assert report.forces() == ["otherforce", "sampleshire"]
    assert [str(m) for m in report.missing_months("otherforce")] == ["2024-02"]
    assert report.measure("rows_read", "otherforce") == written  # read, all outside the area
    assert report.measure("in_area", "otherforce") == 0


def test_zip_folder_and_files_give_the_same_cube(archive: Path, tmp_path: Path) -> None:
    zpath = tmp_path / "2024-06.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(archive.rglob("*.csv")):
            zf.write(f, f"{f.parent.name}/{f.name}")
    from_folder, _ = build_cube(archive, "Sampleton")
    from_zip, _ = build_cube(zpath, "Sampleton")
    from_files, _ = build_cube(sorted(archive.rglob("*.csv")), "Sampleton")
    pd.testing.assert_frame_equal(from_folder.counts, from_zip.counts)
    pd.testing.assert_frame_equal(from_folder.counts, from_files.counts)
    assert list(from_zip.months_present) == list(from_folder.months_present)


# ---------------------------------------------------------------------- cache
@pytest.fixture()
def scans(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count calls of the one function that parses CSVs."""
    calls: list[int] = []
    real = aggregate._scan

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(aggregate, "_scan", counting)
    return calls


def test_unchanged_rebuild_reads_no_csv(archive: Path, tmp_path: Path, scans: list[int]) -> None:
    cache = tmp_path / "cache"
    first, r1 = build_cube(archive, "Sampleton", cache_dir=cache)
    second, r2 = build_cube(archive, "Sampleton", cache_dir=cache)
    assert len(scans) == 1
    assert second.meta["from_cache"] is True and first.meta["from_cache"] is False
    pd.testing.assert_frame_equal(first.counts, second.counts)
    pd.testing.assert_frame_equal(first.lsoas, second.lsoas)
    assert list(first.months_present) == list(second.months_present)
    assert r1.table().equals(r2.table())
    assert list(cache.glob("cube-*.counts.parquet"))


def test_touched_but_unchanged_file_is_rehashed_not_reparsed(
    archive: Path, tmp_path: Path, scans: list[int]
) -> None:
    cache = tmp_path / "cache"
    build_cube(archive, "Sampleton", cache_dir=cache)
    f = next(archive.rglob("*.csv"))
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    build_cube(archive, "Sampleton", cache_dir=cache)
    assert len(scans) == 1  # same content hash → same key


def test_changed_file_or_options_rebuild(archive: Path, tmp_path: Path, scans: list[int]) -> None:
    cache = tmp_path / "cache"
    build_cube(archive, "Sampleton", cache_dir=cache)
    f = sorted(archive.rglob("*.csv"))[0]
    rows = list(csv.reader(f.open(encoding="utf-8")))
    rows[1][9] = "Drugs" if rows[1][9] != "Drugs" else "Robbery"
    with f.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    cube, _ = build_cube(archive, "Sampleton", cache_dir=cache)
    assert len(scans) == 2 and cube.meta["from_cache"] is False
    build_cube(archive, "Sampleton", cache_dir=cache, start="2024-02")
    assert len(scans) == 3
    build_cube(archive, "Otherford", cache_dir=cache)
    assert len(scans) == 4


def test_damaged_cache_entry_is_rebuilt(archive: Path, tmp_path: Path, scans: list[int]) -> None:
    cache = tmp_path / "cache"
    build_cube(archive, "Sampleton", cache_dir=cache)
    for p in cache.glob("cube-*.counts.parquet"):
        p.write_bytes(b"not parquet")
    cube, _ = build_cube(archive, "Sampleton", cache_dir=cache)
    assert len(scans) == 2 and int(cube.counts["count"].sum()) > 0


# ---------------------------------------------------------------------- output and CLI
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_write_cube_round_trip(archive: Path, tmp_path: Path, suffix: str) -> None:
    cube, _ = build_cube(archive, "Sampleton")
    p = write_cube(cube, tmp_path / f"cube{suffix}")
    back = pd.read_csv(p) if suffix == ".csv" else pd.read_parquet(p)
    assert back.columns.tolist() == ["month", "lsoa_code", "lsoa_name", "crime_type", "count"]
    assert int(back["count"].sum()) == int(cube.counts["count"].sum())
    assert sorted(back["month"].unique()) == ["2024-01", "2024-02", "2024-04", "2024-05", "2024-06"]


def test_write_cube_rejects_unknown_extension(archive: Path, tmp_path: Path) -> None:
    cube, _ = build_cube(archive, "Sampleton")
    with pytest.raises(InputError, match="column '--out'"):
        write_cube(cube, tmp_path / "cube.xlsx")


def test_cli_ingest_writes_cube_and_prints_quality(archive: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "cube.csv"
    quality = tmp_path / "quality.csv"
    rc = main(
        ["ingest", "--source", str(archive), "--area", "Sampleton", "--out", str(out),
         "--quality", str(quality), "--cache-dir", str(tmp_path / "cache")]
    )  # fmt: skip
    stdout = capsys.readouterr().out
    assert rc == 0
    assert "missing months (no data, not zero): 2024-03" in stdout
    assert "sampleshire: 5 of 6 months present" in stdout
    assert "Rows without a location:" in stdout
    written = pd.read_csv(out)
    expected = independent_counts(archive)
    assert int(written["count"].sum()) == sum(expected.values())
    table = pd.read_csv(quality)
    assert {"check", "force", "count", "detail"} == set(table.columns)
    assert "Months missing" in set(table["check"])
    rc = main(["ingest", "--source", str(archive), "--area", "Sampleton", "--out", str(out),
               "--cache-dir", str(tmp_path / "cache")])  # fmt: skip
    assert rc == 0 and "(from cache)" in capsys.readouterr().out


def test_all_types_and_crime_types_present(archive: Path) -> None:
    cube, _ = build_cube(archive, "Sampleton")
    assert set(CRIME_TYPES) <= set(cube.crime_types)
    assert cube.counts["month"].dtype == "period[M]"
    assert cube.counts["count"].dtype == "int64"


def test_span_with_no_files_is_an_input_error(archive: Path) -> None:
    with pytest.raises(InputError, match="no street file is for a month in 2019-01 – 2019-12"):
        build_cube(archive, "Sampleton", start="2019-01", end="2019-12")
