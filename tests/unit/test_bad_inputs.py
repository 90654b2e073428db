"""The bad-input corpus in tests/fixtures/bad: one clear error each, and nothing lost.

Every file there is small and synthetic (see tests/fixtures/bad/README.md). Cases the
command line reads (data.police.uk street files, and the ``--lsoas`` population file)
are run through ``smp_analysis.cli.main`` and must exit 2 with one line on stderr
naming the file, line, column and fix, and no traceback. Readers no CLI command calls
directly (stop and search, partner returns, Fingertips, IMD) are checked on the
:class:`InputError` itself (same message, ``exit_code == 2``). Usable-but-odd files
must succeed and leave a named entry in the quality report.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest

from smp_analysis.aggregate import build_cube
from smp_analysis.cli import main
from smp_analysis.errors import InputError
from smp_analysis.sources.fingertips import read_fingertips
from smp_analysis.sources.imd import read_imd
from smp_analysis.sources.partner import read_partner_returns
from smp_analysis.sources.police_uk import read_stop_search

SOURCE = Path(__file__).resolve().parents[1] / "fixtures" / "bad"


def _materialise() -> Path:
    """Copy the corpus to a temporary folder under the names the readers expect.

    Files named like data.police.uk downloads are stored with a ``.fixture`` suffix, so no
    tracked file looks like real police data; the copy drops the suffix.
    """
    out = Path(tempfile.mkdtemp(prefix="smp-bad-inputs-"))
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    shutil.copytree(SOURCE, out, dirs_exist_ok=True)
    for p in out.rglob("*.fixture"):
        p.rename(p.with_suffix(""))
    return out


BAD = _materialise()

# (case folder or file, file named in the message, line, column, problem text, fix text)
STREET_CASES = [
    ("police_missing_column", "2024-01-sampleshire-street.csv", 1, "LSOA name",
     "header lacks column 'LSOA name'", "has the columns Crime ID, Month"),
    ("police_columns_swapped", "2024-01-sampleshire-street.csv", 1, "Latitude",
     "columns are out of order", "keep the data.police.uk column order"),
    ("police_extra_column", "2024-01-sampleshire-street.csv", 1, "Notes",
     "unexpected column 'Notes'", "has the columns"),
    ("police_not_utf8", "2024-01-sampleshire-street.csv", 3, "Location",
     "byte 0xe9 is not UTF-8", "save the file as UTF-8"),
    ("police_header_not_utf8", "2024-01-sampleshire-street.csv", 1, None,
     "is not UTF-8", "save the file as UTF-8"),
    ("police_empty_file", "2024-01-sampleshire-street.csv", None, None,
     "file is empty (0 bytes)", "download the file again"),
    ("police_truncated_row", "2024-01-sampleshire-street.csv", 4, "Location",
     "fewer fields than the header (a truncated row)", "download the file again"),
    ("police_unquoted_comma", "2024-01-sampleshire-street.csv", 3, "Crime type",
     "the row has an extra field", "double quotes"),
    ("police_unclosed_quote", "2024-01-sampleshire-street.csv", 5, "Location",
     "quoted value is not closed", "close the quote"),
    ("police_month_twice", "b/2024-01-sampleshire-street.csv", None, None,
     "month 2024-01 for force 'sampleshire' is also given by", "pass each month once"),
    ("police_unknown_category", "2024-01-sampleshire-street.csv", 4, "Crime type",
     "'Burglery' is not one of the 14 data.police.uk crime categories",
     "--unknown-categories keep"),
    ("police_blank_category", "2024-01-sampleshire-street.csv", 3, "Crime type",
     "Crime type is blank", "one of the 14 data.police.uk categories"),
    ("police_future_file", "2999-01-sampleshire-street.csv", None, None,
     "month 2999-01, which is in the future", "check the file name"),
    ("police_future_month_column", "2024-01-sampleshire-street.csv", 6, "Month",
     "month 2999-01 is in the future", "past months only"),
    ("police_month_excel", "2024-01-sampleshire-street.csv", 2, "Month",
     "'Jan-24' is not a month in the form YYYY-MM", "spreadsheet programs rewrite dates"),
    ("police_not_a_zip", "2024-01.zip", None, None,
     "not a readable zip archive", "download the archive again"),
    ("police_bad_lsoa_code", "2024-01-sampleshire-street.csv", 3, "LSOA code",
     "'E0199X001' is not an LSOA code", "LSOA codes look like"),
    ("police_stop_search_as_street", "2024-01-sampleshire-street.csv", 1, "Crime ID",
     "header lacks column 'Crime ID'", "street-crime file has the columns"),
]  # fmt: skip


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    rc = main(args)
    out, err = capsys.readouterr()
    return rc, out, err


def _assert_one_line_error(err: str, file: str, line: int | None, column: str | None) -> None:
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err
    assert err.startswith("smp-analysis ingest: error: ")
    where = file + (f":{line}:" if line is not None else ":")
    assert where in err, err
    if column is not None:
        assert f"column '{column}'" in err, err
    assert ". Fix: " in err, err


@pytest.mark.parametrize(
    ("case", "file", "line", "column", "problem", "fix"),
    STREET_CASES,
    ids=[c[0] for c in STREET_CASES],
)
def test_street_file_errors_exit_2_with_one_line(
    case, file, line, column, problem, fix, tmp_path, capsys
) -> None:
    out = tmp_path / "cube.csv"
    rc, stdout, err = _run(
        ["ingest", "--source", str(BAD / case), "--area", "Sampleton", "--out", str(out)], capsys
    )
    assert rc == 2
    _assert_one_line_error(err, file, line, column)
    assert problem in err and fix in err, err
    assert not out.exists(), "nothing is written when the input is bad"


def test_bad_file_name_given_explicitly(tmp_path, capsys) -> None:
    f = BAD / "police_bad_file_name" / "sampleshire_jan_2024.csv"
    rc, _, err = _run(
        ["ingest", "--source", str(f), "--area", "Sampleton", "--out", str(tmp_path / "c.csv")],
        capsys,
    )
    assert rc == 2
    _assert_one_line_error(err, "sampleshire_jan_2024.csv", None, None)
    assert "cannot tell the month, force and kind from the file name" in err
    assert "2024-01-kent-street.csv" in err  # the fix shows the expected name


def test_folder_without_police_files(tmp_path, capsys) -> None:
    rc, _, err = _run(
        ["ingest", "--source", str(BAD / "police_bad_file_name"), "--area", "Sampleton",
         "--out", str(tmp_path / "c.csv")],
        capsys,
    )  # fmt: skip
    assert rc == 2
    assert "no data.police.uk street files found" in err and "Fix: pass" in err


def test_missing_source_path(tmp_path, capsys) -> None:
    missing = tmp_path / "nowhere"
    rc, _, err = _run(
        [
            "ingest",
            "--source",
            str(missing),
            "--area",
            "Sampleton",
            "--out",
            str(tmp_path / "c.csv"),
        ],
        capsys,
    )
    assert rc == 2
    _assert_one_line_error(err, str(missing), None, None)
    assert "no such file or folder" in err


def test_area_matching_nothing_lists_the_names_seen(tmp_path, capsys) -> None:
    rc, _, err = _run(
        ["ingest", "--source", str(BAD / "warn_no_location"), "--area", "Sampletown",
         "--out", str(tmp_path / "c.csv")],
        capsys,
    )  # fmt: skip
    assert rc == 2
    assert "column 'LSOA name': no row is in the area" in err
    assert "Sampleton" in err and "Otherford" in err  # what the files do have
    assert "Fix: check the spelling" in err


def test_output_extension_is_checked_before_reading(tmp_path, capsys) -> None:
    rc, _, err = _run(
        ["ingest", "--source", str(BAD / "warn_no_location"), "--area", "Sampleton",
         "--out", str(tmp_path / "cube.xlsx")],
        capsys,
    )  # fmt: skip
    assert rc == 2
    assert "column '--out'" in err and "cube.xlsx" in err and ".csv or .parquet" in err


def test_bad_from_month(tmp_path, capsys) -> None:
    rc, _, err = _run(
        ["ingest", "--source", str(BAD / "warn_no_location"), "--area", "Sampleton",
         "--out", str(tmp_path / "c.csv"), "--from", "2024-13"],
        capsys,
    )  # fmt: skip
    assert rc == 2
    assert "column '--from': '2024-13' is not a month" in err and "YYYY-MM" in err


# ---------------------------------------------------------------- population via --lsoas
POPULATION_CASES = [
    ("population_negative.csv", 5, "usual_residents", "value -350 is below 0", "0 or more"),
    ("population_unknown_band.csv", 3, "age_group", "'Aged 16-24' is not one of the six",
     "Aged 16 to 24 years"),
    ("population_missing_band.csv", 2, "age_group", "has 5 of the 6 age bands",
     "give all six bands"),
    ("population_not_number.csv", 4, "usual_residents", "'two hundred' is not a number",
     "plain number"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "line", "column", "problem", "fix"),
    POPULATION_CASES,
    ids=[c[0] for c in POPULATION_CASES],
)
def test_population_file_errors_exit_2(name, line, column, problem, fix, tmp_path, capsys) -> None:
    rc, _, err = _run(
        ["ingest", "--source", str(BAD / "warn_no_location"), "--area", "Sampleton",
         "--out", str(tmp_path / "c.csv"), "--lsoas", str(BAD / name)],
        capsys,
    )  # fmt: skip
    assert rc == 2
    _assert_one_line_error(err, name, line, column)
    assert problem in err and fix in err, err


# ---------------------------------------------------------------- readers without a CLI command
READER_CASES = [
    (read_stop_search, "stop_search_bad_date", 3, "Date",
     "'05/01/2024 11:00' is not a date-time", "as downloaded"),
    (read_stop_search, "stop_search_bad_boolean", 2, "Outcome linked to object of search",
     "'Yes' is not True or False", "use True, False"),
    (read_partner_returns, "partner_negative_value.csv", 3, "value",
     "value -5 is below 0", "cannot be negative"),
    (read_partner_returns, "partner_percent_value.csv", 2, "value",
     "'41%' is not a number (drop the % sign", "plain number"),
    (read_partner_returns, "partner_not_number.csv", 4, "value",
     "'n/a' is not a number", "plain number"),
    (read_partner_returns, "partner_bad_financial_year.csv", 3, "period",
     "April 2024 to March 2025, so write 2024/25", "YYYY/YY Qn"),
    (read_partner_returns, "partner_bad_period.csv", 2, "period",
     "'Apr 2024' is not a period", "YYYY-MM"),
    (read_partner_returns, "partner_future_period.csv", 2, "period",
     "starts in the future", "check the year"),
    (read_partner_returns, "partner_duplicate_row.csv", 5, "period",
     "da_flagged_crimes for 2024-04 in E07999999 (coercive_control) is also on line 2",
     "give each period"),
    (read_partner_returns, "partner_zero_denominator.csv", 4, "denominator",
     "value 0 is not above 0", "greater than 0"),
    (read_partner_returns, "partner_bad_indicator.csv", 3, "indicator",
     "'MARAC cases' is not a lower-case id", "da_flagged_crimes"),
    (read_partner_returns, "partner_unknown_column.csv", 1, "denominatr",
     "unknown column 'denominatr'", "use only the columns"),
    (read_partner_returns, "partner_missing_column.csv", 1, "area",
     "header lacks column 'area'", "needs the columns period, indicator, area, value"),
    (read_fingertips, "fingertips_text_in_value.csv", 3, "Value",
     "'*' is not a number", "plain number"),
    (read_fingertips, "fingertips_missing_column.csv", 1, "Count",
     "header lacks column 'Count'", "Fingertips export needs the columns"),
    (read_imd, "imd_decile_out_of_range.csv", 3, "Index of Multiple Deprivation (IMD) Decile",
     "decile 11 is above 10", "run from 1 to 10"),
    (read_imd, "imd_text_rank.csv", 2, "Index of Multiple Deprivation (IMD) Rank",
     "'twelve' is not a number", "plain number"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("reader", "name", "line", "column", "problem", "fix"),
    READER_CASES,
    ids=[c[1] for c in READER_CASES],
)
def test_reader_errors_name_file_line_column_fix(reader, name, line, column, problem, fix) -> None:
    with pytest.raises(InputError) as info:
        reader(BAD / name)
    err = info.value
    text = str(err)
    assert err.exit_code == 2
    assert "\n" not in text
    assert err.path is not None and name in err.path
    assert err.line == line and err.column == column, (err.line, err.column)
    assert f":{line}: column '{column}': " in text
    assert problem in text and "Fix: " in text and fix in text, text


# ---------------------------------------------------------------- usable: warnings, exit 0
WARN_CASES = [
    ("warn_month_mismatch", [], "Rows whose Month column differs from the file name", 2),
    ("warn_duplicate_crime_id", [], "Duplicate Crime IDs", 1),
    ("warn_header_only", [], "Files with a header but no rows", 1),
    ("warn_identical_copy", [], "Identical copies of a file", 1),
    ("warn_no_location", [], "Rows without a location", 1),
    ("warn_historic_category", [], "Rows with a historic category name", 1),
    ("warn_unknown_category_kept", ["--unknown-categories", "keep"],
     "Rows with a category outside the 14 current ones", 1),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "extra", "label", "count"), WARN_CASES, ids=[c[0] for c in WARN_CASES]
)
def test_usable_oddities_are_reported_not_fatal(case, extra, label, count, tmp_path, capsys):
    out = tmp_path / "cube.csv"
    rc, stdout, err = _run(
        ["ingest", "--source", str(BAD / case), "--area", "Sampleton", "--out", str(out), *extra],
        capsys,
    )
    assert rc == 0, err
    assert out.exists()
    assert f"{label}" in stdout and f": {count:,}" in stdout.split(label, 1)[1].splitlines()[0]


def test_warnings_keep_every_row_accounted_for() -> None:
    # month mismatch: the rows stay in the file's month; every row read is counted somewhere
    cube, report = build_cube(BAD / "warn_month_mismatch", "Sampleton")
    assert [str(m) for m in cube.months_present] == ["2024-01"]
    assert int(cube.counts["count"].sum()) == report.measure("in_area") == 5
    assert (
        report.measure("in_area") + report.measure("outside_area") + report.measure("no_location")
        == report.measure("rows_read")
        == 6
    )
    # a header-only month is missing (NaN), not zero
    cube, _ = build_cube(BAD / "warn_header_only", "Sampleton")
    s = cube.series(by=[])
    assert s["count"].isna().tolist() == [False, True, False]


def test_corpus_has_at_least_twenty_error_cases() -> None:
    n = len(STREET_CASES) + 5 + len(POPULATION_CASES) + len(READER_CASES)
    assert n >= 20
    for case in STREET_CASES:
        assert (BAD / case[0]).is_dir(), case[0]
