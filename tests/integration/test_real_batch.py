"""build-many's shared ingest on the real Kent files (skipped when they are absent): the
13 areas of ``data/config/kent-batch.yml`` get exactly the cubes and quality reports that
13 separate ingests give, from one parse of the force's files."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from smp_analysis.aggregate import build_cube
from smp_analysis.batch.ingest import SharedStreet

from ..helpers import REPO_ROOT

pytestmark = pytest.mark.realdata


def test_kent_areas_from_one_parse(real_data: Path):
    raw = yaml.safe_load((REPO_ROOT / "data" / "config" / "kent-batch.yml").read_text())
    names = [a["area"]["lsoa_name_prefix"] for a in raw["areas"]]
    assert len(names) == 13
    files = sorted((real_data / "police_uk_street").glob("*-kent-street.csv"))
    with SharedStreet(files, start=None, end=None) as shared:
        # every row of the ten Kent files parsed once (SOURCES.md: 149,894 rows)
        assert shared.rows == 149_894 and len(shared.files) == 10
        total = 0
        for name in names:
            a, ra = build_cube(files, name, scan=shared.scan)
            b, rb = build_cube(files, name)
            pd.testing.assert_frame_equal(a.counts, b.counts)
            pd.testing.assert_frame_equal(a.lsoas, b.lsoas)
            assert list(a.months_present) == list(b.months_present)
            assert ra.issues == rb.issues
            pd.testing.assert_frame_equal(ra.counts, rb.counts)
            total += ra.measure("in_area")
    # independently, with the csv module: rows whose LSOA name is one of the 13 areas'
    pattern = re.compile(r"^(" + "|".join(map(re.escape, names)) + r") \d{3}[A-Za-z]$")
    expected = 0
    for f in files:
        with f.open(newline="", encoding="utf-8") as fh:
            expected += sum(1 for row in csv.DictReader(fh) if pattern.match(row["LSOA name"]))
    assert total == expected
    # the rest are rows without a location and the few just outside Kent (SOURCES.md)
    assert 0 < 149_894 - total < 5_000
