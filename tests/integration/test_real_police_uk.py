"""Real data.police.uk files, read in place (../shared/data/real; never copied).

Acceptance for the data layer: ``smp-analysis ingest`` on the Kent street files for
Maidstone gives counts equal to an independent count of the same rows (made here with
the csv module), reports the real gap 2024-05 … 2024-12 as missing, and keeps ASB
out of crime totals. The per-month Maidstone row counts are also checked against the
table in SOURCES.md, written when the files were extracted.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smp_analysis.aggregate import build_cube
from smp_analysis.categories import ASB
from smp_analysis.cli import main
from smp_analysis.quality import DUPLICATE_CRIME_ID
from smp_analysis.sources.area import AreaSelection
from smp_analysis.sources.lookups import read_lsoa_lookup
from smp_analysis.sources.police_uk import read_stop_search, read_street

pytestmark = pytest.mark.realdata

KENT_MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04",
               "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]  # fmt: skip
# SOURCES.md, "Kent Police" table, column "Maidstone rows" (rows whose LSOA name starts
# with "Maidstone "), one figure per file in KENT_MONTHS order.
SOURCES_MAIDSTONE_ROWS = [1489, 1419, 1495, 1529, 1337, 1160, 1457, 1392, 1508, 1438]
MAIDSTONE = re.compile(r"Maidstone \d{3}[A-Z]")


def kent_files(real: Path) -> list[Path]:
    return sorted((real / "police_uk_street").glob("*-kent-street.csv"))


@pytest.fixture(scope="module")
def independent(real_data: Path) -> Counter:
    """(month from file name, LSOA code, Crime type) → rows, with the csv module."""
    counts: Counter = Counter()
    for f in kent_files(real_data):
        with f.open(newline="", encoding="utf-8-sig") as fh:
            for rec in csv.DictReader(fh):
                if MAIDSTONE.fullmatch(rec["LSOA name"]):
                    counts[(f.name[:7], rec["LSOA code"], rec["Crime type"])] += 1
    return counts


@pytest.fixture(scope="module")
def ingested(real_data: Path, tmp_path_factory) -> tuple[pd.DataFrame, str]:
    out = tmp_path_factory.mktemp("ingest") / "maidstone.csv"
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = main(["ingest", "--source", *map(str, kent_files(real_data)),
                   "--area", "Maidstone", "--out", str(out)])  # fmt: skip
    assert rc == 0
    return pd.read_csv(out, dtype={"month": str}), buf.getvalue()


def test_ingest_counts_equal_an_independent_count(ingested, independent) -> None:
    df, _ = ingested
    got = Counter(
        {(r.month, r.lsoa_code, r.crime_type): int(r.count) for r in df.itertuples(index=False)}
    )
    assert got == independent


def test_maidstone_rows_per_month_match_sources_md(ingested) -> None:
    df, _ = ingested
    per_month = df.groupby("month")["count"].sum()
    assert per_month.index.tolist() == KENT_MONTHS
    assert per_month.tolist() == SOURCES_MAIDSTONE_ROWS


def test_ingest_reports_the_real_gap(ingested, real_data: Path) -> None:
    _, stdout = ingested
    assert "missing months (no data, not zero): 2024-05 – 2024-12" in stdout
    assert "kent: 10 of 18 months present" in stdout
    cube, report = build_cube(kent_files(real_data), "Maidstone")
    assert [str(m) for m in cube.missing_months] == [f"2024-{m:02d}" for m in range(5, 13)]
    s = cube.series(by=[])
    assert s["count"].isna().sum() == 8 and (s["count"].dropna() > 0).all()
    assert report.measure("rows_read") == 149_894  # SOURCES.md total for the Kent files


def test_asb_out_of_crime_totals(real_data: Path, independent) -> None:
    cube, report = build_cube(kent_files(real_data), "Maidstone")
    crime_expected = sum(n for (m, c, t), n in independent.items() if t != ASB)
    asb_expected = sum(n for (m, c, t), n in independent.items() if t == ASB)
    assert cube.series(by=[])["count"].sum() == crime_expected
    assert cube.series(by=[], crime_types=[ASB])["count"].sum() == asb_expected
    assert report.measure("crime_in_area") == crime_expected
    assert report.measure("asb_in_area") == asb_expected
    assert asb_expected > 1000  # ASB is a large share: including it would change totals a lot


def test_every_lsoa_has_a_dense_series(real_data: Path) -> None:
    cube, _ = build_cube(kent_files(real_data), "Maidstone")
    assert len(cube.lsoas) == 99  # every 2021 Maidstone LSOA has at least one record
    s = cube.series(by=["lsoa_code"])
    assert len(s) == 99 * 18
    assert np.isnan(s.loc[s["month"] == pd.Period("2024-06", "M"), "count"]).all()


def test_whole_force_duplicates_equal_an_independent_count(real_data: Path) -> None:
    ids: Counter = Counter()
    for f in kent_files(real_data):
        with f.open(newline="", encoding="utf-8-sig") as fh:
            ids.update(
                r["Crime ID"] for r in csv.DictReader(fh) if r["Crime ID"] and r["LSOA code"]
            )
    extra = sum(n - 1 for n in ids.values() if n > 1)
    _, report = build_cube(kent_files(real_data), None)
    assert report.total(DUPLICATE_CRIME_ID) == extra > 0


def test_code_route_misses_2021_lsoas_and_says_so(real_data: Path) -> None:
    lookup = read_lsoa_lookup(real_data / "lookups" / "LSOA11_WD19_LAD19_EW_LU.csv")
    codes_only = AreaSelection.from_lookup(lookup, lad="E07000110", add_name_prefix=False)
    with_names = AreaSelection.from_lookup(lookup, lad="E07000110")
    files = kent_files(real_data)
    by_codes, _ = build_cube(files, codes_only)
    by_both, report = build_cube(files, with_names, known_lsoa_codes=codes_only.lsoa_codes)
    by_name, _ = build_cube(files, "Maidstone")
    pd.testing.assert_frame_equal(by_both.counts, by_name.counts)
    assert len(by_codes.lsoas) < len(by_name.lsoas)  # 2021 LSOAs absent from the 2011 lookup
    unknown = [i for i in report.issues if i.kind == "unknown_lsoa"]
    assert len(unknown) == 1
    n_unknown_codes = len(set(by_name.lsoas["lsoa_code"]) - codes_only.lsoa_codes)
    assert 5 <= n_unknown_codes <= 15  # SOURCES.md: "~10 codes are not 2011 LSOA codes"
    assert f"in {n_unknown_codes} LSOA(s)" in unknown[0].message


def test_city_of_london_run_is_complete(real_data: Path) -> None:
    rec = read_street(real_data / "police_uk_street", forces=["city-of-london"])
    assert rec.report.measure("rows_read") == 22_111  # SOURCES.md
    assert len(rec.report.present_months("city-of-london")) == 32
    assert len(rec.report.missing_months("city-of-london")) == 0
    assert len(rec.crimes) + len(rec.asb) == 22_111


def test_stop_search_month_is_the_file_month(real_data: Path) -> None:
    df = read_stop_search(real_data / "police_uk_stop_search")
    assert len(df) == 6_449  # SOURCES.md
    per_file = {
        f.name[:7]: sum(1 for _ in f.open(encoding="utf-8")) - 1
        for f in (real_data / "police_uk_stop_search").glob("*.csv")
    }
    got = df.groupby(df["month"].astype(str)).size().to_dict()
    assert got == per_file
