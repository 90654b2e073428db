"""QualityReport: coverage, the appendix table, the CLI summary, JSON round trip."""

from __future__ import annotations

import pandas as pd

from smp_analysis.quality import (
    DUPLICATE_CRIME_ID,
    MONTH_MISMATCH,
    NO_LOCATION,
    QualityIssue,
    QualityReport,
    coverage_frame,
    month_ranges,
)


def _report() -> QualityReport:
    cov = pd.concat(
        [
            coverage_frame("police_uk_street", "kent", ["2024-01", "2024-02", "2024-04"],
                           start="2024-01", end="2024-05", rows={"2024-01": 10}, empty=["2024-03"]),
            coverage_frame("police_uk_street", "essex", ["2024-01"], start="2024-01", end="2024-01"),
        ],
        ignore_index=True,
    )  # fmt: skip
    counts = pd.DataFrame(
        {
            "source": "police_uk_street",
            "force": ["kent"] * 4,
            "measure": ["rows_read", "in_area", "crime_in_area", "asb_in_area"],
            "count": [100, 40, 30, 10],
        }
    )
    issues = (
        QualityIssue(
            "police_uk_street", "a.csv", 3, "Month", MONTH_MISMATCH, "2 rows say 2023-12", 2
        ),
        QualityIssue("police_uk_street", "b.csv", None, "Crime ID", DUPLICATE_CRIME_ID, "dup", 1),
        QualityIssue("police_uk_street", None, None, "LSOA code", NO_LOCATION, "no loc", 5),
    )
    return QualityReport(issues=issues, coverage=cov, counts=counts, area="Maidstone")


def test_month_ranges() -> None:
    assert (
        month_ranges(["2024-03", "2024-01", "2024-02", "2024-12"]) == "2024-01 – 2024-03, 2024-12"
    )


def test_coverage_and_missing_months() -> None:
    r = _report()
    assert [str(m) for m in r.missing_months("kent")] == ["2024-03", "2024-05"]  # empty = missing
    assert [str(m) for m in r.present_months("essex")] == ["2024-01"]
    assert r.coverage.loc[r.coverage["month"] == pd.Period("2024-01", "M"), "rows"].iloc[0] == 10


def test_table_for_the_appendix() -> None:
    t = _report().table()
    assert t.columns.tolist() == ["check", "force", "count", "detail"]
    kent = t[t["force"] == "kent"].set_index("check")
    assert kent.loc["Months missing", "detail"] == "2024-03, 2024-05"
    assert kent.loc["Months present", "count"] == 3
    assert kent.loc["Crime rows in the area", "count"] == 30
    assert kent.loc["Anti-social behaviour rows in the area (not crimes)", "count"] == 10
    other = t[t["force"] == ""].set_index("check")
    assert other.loc["Duplicate Crime IDs (extra copies, kept)", "count"] == 1
    assert (
        "2 rows say 2023-12"
        in other.loc[
            "Rows whose Month column differs from the file name (file name used)", "detail"
        ]
    )


def test_summary_lines() -> None:
    lines = _report().summary_lines()
    assert lines[0] == "essex: 1 of 1 months present (2024-01); none missing"
    assert lines[1] == (
        "kent: 3 of 5 months present (2024-01 – 2024-02, 2024-04); missing: 2024-03, 2024-05"
    )
    assert "Rows read: 100" in lines
    assert "  - 2 rows say 2023-12 (a.csv:3)" in lines


def test_json_round_trip_and_merge() -> None:
    r = _report()
    back = QualityReport.from_json(r.to_json())
    assert back.issues == r.issues and back.area == "Maidstone"
    pd.testing.assert_frame_equal(back.table(), r.table())
    both = r.merge(back)
    assert both.total(NO_LOCATION) == 10 and len(both.coverage) == 2 * len(r.coverage)
    frame = r.to_frame()
    assert frame["line"].tolist()[0] == 3 and pd.isna(frame["line"].tolist()[1])
