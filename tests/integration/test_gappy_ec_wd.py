"""Emerging concerns (EC) and wider determinants (WD) on gappy police.uk data: the sentences
say only what the months with data support (the claims policy, DM.4).

Contexts: the complete sample; January to March 2025 (and June 2023) missing; a reporting
year with only April to July 2024; data starting late (January 2024, so every calendar
month has at most two years); and two where the register cannot be run.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
import pytest

from smp_analysis.assessment import sections as S
from smp_analysis.assessment.claims import (
    MIN_MATCHED_MONTHS,
    seasonal_trend_claim,
    yoy_claim,
)
from smp_analysis.assessment.sections.emerging import register_window, trend_span
from smp_analysis.present.blocks import Table

from ..helpers import context_for, gappy_copy
from .test_downloads_match_tables import downloaded, matches, shown_numbers

#: police.uk folders of the sample (April 2021 to March 2025; August 2021 is never there)
SAMPLE_MONTHS = [
    str(m) for m in pd.period_range("2021-04", "2025-03", freq="M") if str(m) != "2021-08"
]


def _months(first: str, last: str) -> list[str]:
    return [m for m in SAMPLE_MONTHS if first <= m <= last]


@pytest.fixture(scope="module")
def late_start_context(tmp_path_factory, sample_dir):
    """Data from January 2024 only: at most two years of any calendar month."""
    data = gappy_copy(sample_dir, tmp_path_factory.mktemp("late"), _months("2021-04", "2023-12"))
    return context_for(data, tmp_path_factory.mktemp("late-ctx"))


@pytest.fixture(scope="module")
def short_context(tmp_path_factory, sample_dir):
    """Data for October 2024 to March 2025 only: the latest quarter is complete but has no
    baseline to compare it with."""
    data = gappy_copy(sample_dir, tmp_path_factory.mktemp("short"), _months("2021-04", "2024-09"))
    return context_for(data, tmp_path_factory.mktemp("short-ctx"))


@pytest.fixture(scope="module")
def no_full_quarter_context(tmp_path_factory, sample_dir):
    """The last month of every quarter missing: no quarter has all three months."""
    drop = [m for m in SAMPLE_MONTHS if int(m[-2:]) in (3, 6, 9, 12)]
    data = gappy_copy(sample_dir, tmp_path_factory.mktemp("noq"), drop)
    return context_for(data, tmp_path_factory.mktemp("noq-ctx"))


@pytest.fixture(scope="module")
def contexts(
    sample_context,
    missing_quarter_context,
    four_month_context,
    late_start_context,
    short_context,
    no_full_quarter_context,
) -> dict:
    return {
        "complete": sample_context,
        "missing_quarter": missing_quarter_context,
        "four_month": four_month_context,
        "late_start": late_start_context,
        "short": short_context,
        "no_full_quarter": no_full_quarter_context,
    }


@pytest.fixture(scope="module")
def built(contexts) -> dict:
    return {
        name: {"EC": S.emerging_concerns(ctx), "WD": S.wider_determinants(ctx)}
        for name, ctx in contexts.items()
    }


def para(section, label: str):
    return next(p for p in section.paragraphs if p.label == label)


def text_of(section, label: str) -> str:
    return " ".join(para(section, label).text)


def tables_of(p) -> list[Table]:
    return [d for d in p.details if isinstance(d, Table)]


# --------------------------------------------------------------------------- EC.1
def test_ec1_names_the_quarter_without_data_and_the_quarter_tested(built) -> None:
    ec1 = para(built["missing_quarter"]["EC"], "EC.1")
    no_data = [s for s in ec1.text if "January to March 2025" in s]
    assert no_data and all("no police.uk data" in s for s in no_data), ec1.text
    text = " ".join(ec1.text)
    assert "latest quarter with data in all three months (October to December 2024)" in text
    assert "October to December 2024" in ec1.title
    for s in ec1.text:
        if "No series was above" in s or "were above their expected range" in s:
            assert "January to March 2025" not in s and "October to December 2024" in s
    for t in tables_of(ec1):
        assert "October to December 2024" in t.caption
    # the latest quarter is in the coverage, with no month present
    cov = ec1.coverage.set_index("period")
    assert int(cov.loc["January to March 2025 (not tested)", "months_present"]) == 0
    assert int(cov.loc["October to December 2024", "months_present"]) == 3


def test_ec1_four_month_year_tests_its_latest_full_quarter(built) -> None:
    text = text_of(built["four_month"]["EC"], "EC.1")
    assert "The latest quarter, January to March 2025, has no police.uk data" in text
    assert "(April to June 2024)" in text
    assert "No series was above its expected range." not in text


def test_ec1_complete_sample_tests_the_latest_quarter(built) -> None:
    ec1 = para(built["complete"]["EC"], "EC.1")
    assert ec1.text[0].startswith("We compared the latest quarter (January to March 2025) of")
    assert "no police.uk data" not in " ".join(ec1.text)


def test_register_window_is_the_latest_quarter_with_all_months() -> None:
    def ctx(present: list[str]) -> SimpleNamespace:
        cube = SimpleNamespace(
            months_present=pd.PeriodIndex(present, freq="M"),
            months_expected=pd.period_range("2023-04", "2025-03", freq="M"),
        )
        return SimpleNamespace(
            inputs=SimpleNamespace(cube=cube), current=SimpleNamespace(end=pd.Period("2025-03"))
        )

    every = [str(m) for m in pd.period_range("2023-04", "2025-03", freq="M")]
    tested, latest = register_window(ctx(every))
    assert list(map(str, tested)) == ["2025-01", "2025-02", "2025-03"] == list(map(str, latest))
    one_gap = [m for m in every if m != "2025-02"]
    tested, _ = register_window(ctx(one_gap))
    assert list(map(str, tested)) == ["2024-10", "2024-11", "2024-12"]
    no_quarter = [m for m in every if int(m[-2:]) % 3 != 0]
    assert register_window(ctx(no_quarter))[0] is None


def test_ec1_says_the_register_could_not_be_run_without_a_full_quarter(built) -> None:
    ec1 = para(built["no_full_quarter"]["EC"], "EC.1")
    text = " ".join(ec1.text)
    assert "January to March 2025, is incomplete: March 2025 has no police.uk data" in text
    assert "could not be run: no quarter in the police.uk data has data in all three" in text
    assert "No series was above" not in text and not ec1.details


def test_ec1_says_the_register_could_not_be_run_without_a_baseline(built) -> None:
    ec1 = para(built["short"]["EC"], "EC.1")
    text = " ".join(ec1.text)
    assert "could not be run: the three years before January to March 2025 have only 3" in text
    assert "No series was above" not in text and not ec1.details


# --------------------------------------------------------------------------- EC.2
def test_ec2_gives_no_verdict_with_too_few_matched_months(built, contexts) -> None:
    cur, _, _ = contexts["four_month"].matched_months()
    assert len(cur) < MIN_MATCHED_MONTHS and not yoy_claim(len(cur))
    ec2 = para(built["four_month"]["EC"], "EC.2")
    text = " ".join(ec2.text)
    assert f"not assessed: only {len(cur)} matched months (April to July 2024" in text
    for verdict in ("rises in", "falls in", "no significant", "significant"):
        assert verdict not in text
    assert not ec2.tests
    (table,) = ec2.details  # no chart of significant changes
    assert "q-value" not in table.frame.columns and "Rate ratio (95% CI)" not in table.frame
    assert not {"q_value", "p_value", "rate_ratio", "ci_low", "ci_high"} & set(table.data)
    assert "only April to July 2024" in table.caption


def test_ec2_names_the_matched_months_when_fewer_than_twelve(built, contexts) -> None:
    cur, _, _ = contexts["missing_quarter"].matched_months()
    assert MIN_MATCHED_MONTHS <= len(cur) < 12
    text = text_of(built["missing_quarter"]["EC"], "EC.2")
    assert f"over the {len(cur)} calendar months with data in both years" in text
    assert "April, May, July, August" in text and "after controlling" in text
    assert "over the" not in text_of(built["complete"]["EC"], "EC.2")


# --------------------------------------------------------------------------- EC.3
def test_ec3_names_the_months_with_data(built) -> None:
    text = text_of(built["missing_quarter"]["EC"], "EC.3")
    assert "from April 2021 to December 2024 (43 months with data)" in text
    ec3 = para(built["missing_quarter"]["EC"], "EC.3")
    assert tables_of(ec3)[0].caption.endswith("April 2021 to December 2024")


@pytest.mark.parametrize("name", ["late_start", "four_month"])
def test_ec3_no_seasonal_test_where_the_claim_fails(built, contexts, name) -> None:
    ctx = contexts[name]
    _, with_data = trend_span(ctx.police_series())
    claim = seasonal_trend_claim(list(with_data))
    assert not claim
    ec3 = para(built[name]["EC"], "EC.3")
    text = " ".join(ec3.text)
    assert text.startswith("No trend test is reported for ")
    assert claim.reason in text
    assert "Mann–Kendall test" not in text and "trend from" not in text
    assert not ec3.details and not ec3.tests


def test_ec3_late_start_names_the_first_month_with_data(built) -> None:
    text = text_of(built["late_start"]["EC"], "EC.3")
    assert "for January 2024 to March 2025:" in text
    assert "April 2021" not in text


def test_ec1_says_what_a_short_baseline_allows_for(built) -> None:
    text = text_of(built["late_start"]["EC"], "EC.1")
    assert "the three years before (12 months with data)" in text
    assert "allowing for over-dispersion only" in text
    assert "1 series was above its expected range:" in text
    sample = text_of(built["complete"]["EC"], "EC.1")
    assert "allowing for trend, season and over-dispersion" in sample


def test_trend_span_cuts_to_the_months_with_data() -> None:
    nan = float("nan")
    s = pd.DataFrame(
        {
            "crime_type": ["A"] * 6 + ["B"] * 6,
            "month": list(pd.period_range("2024-01", periods=6, freq="M")) * 2,
            "count": [nan, 1, nan, 2, 3, nan] + [nan, 4, nan, 5, 6, nan],
        }
    )
    cut, with_data = trend_span(s)
    assert [str(m) for m in with_data] == ["2024-02", "2024-04", "2024-05"]
    assert cut["month"].min() == pd.Period("2024-02") and cut["month"].max() == pd.Period("2024-05")
    assert len(cut) == 8  # both series, February to May (March kept as a gap)
    empty, none = trend_span(s.assign(count=nan))
    assert empty.empty and len(none) == 0


# --------------------------------------------------------------------------- WD.5
def test_wd5_rate_for_part_of_a_year_is_over_n_months(built) -> None:
    wd5 = para(built["four_month"]["WD"], "WD.5")
    text = " ".join(wd5.text)
    assert "In 2024/25, over 4 months (April to July 2024), the crime rate" in text
    assert all("over 4 months" in s for s in wd5.public_text)
    decile, ratio = tables_of(wd5)
    assert "over 4 months" in decile.caption
    assert any("over 4 months" in c for c in decile.frame.columns)
    assert "over 4 months" in decile.headers["rate"]
    for t in (decile, ratio):
        assert (t.data["months"] == 4).all()
    assert "over 4 months" in ratio.headers["rate_most"]


def test_wd5_full_year_is_labelled_as_before(built) -> None:
    wd5 = para(built["complete"]["WD"], "WD.5")
    assert wd5.text[0].startswith("In 2024/25 the crime rate")
    decile, ratio = tables_of(wd5)
    assert decile.caption == "Table WD.5: crime by deprivation, 2024/25"
    assert "Crimes per 1,000 residents (95% CI)" in decile.frame.columns
    assert (decile.data["months"] == 12).all() and (ratio.data["months"] == 12).all()
    assert "over" not in " ".join(wd5.text)


# --------------------------------------------------------------------------- every sentence
_MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_OR_YEAR = re.compile(rf"\b({_MONTH})\b|\b((?:19|20)\d\d)\b(?!/)")
#: sentences that name months precisely because they have no data
_NO_DATA = ("has no police.uk data", "no month of")


def mentioned_months(text: str) -> list[pd.Period]:
    """Every month named in ``text``: ``"April to July 2024"`` → April and July 2024 (a
    month without a year takes the next year written after it, as month spans are made)."""
    out, pending = [], []
    for m in _MONTH_OR_YEAR.finditer(text):
        if m.group(1):
            pending.append(m.group(1))
        else:
            out += [pd.Period(f"{name} {m.group(2)}", freq="M") for name in pending]
            pending = []
    return out


def test_mentioned_months_parses_spans() -> None:
    got = mentioned_months("from April 2021 to March 2025; April, May and July 2024 (2024/25)")
    assert [str(m) for m in got] == ["2021-04", "2025-03", "2024-04", "2024-05", "2024-07"]


ALL = ["complete", "missing_quarter", "four_month", "late_start", "short", "no_full_quarter"]


@pytest.mark.parametrize("name", ALL)
def test_every_month_named_lies_within_the_months_with_data(built, contexts, name) -> None:
    ctx = contexts[name]
    present = [m for m in ctx.inputs.cube.months_present if m <= ctx.current.end]
    first, last = min(present), max(present)
    checked = 0
    for sec in built[name].values():
        for p in sec.paragraphs:
            strings = [p.title, *p.text, *(t.caption for t in tables_of(p))]
            for s in strings:
                if any(flag in s for flag in _NO_DATA):
                    continue
                for m in mentioned_months(s):
                    assert first <= m <= last, f"{name} {p.label}: {m} named in {s!r}"
                    checked += 1
    assert checked > 0


# --------------------------------------------------------------------------- tables
@pytest.mark.parametrize("name", ALL[1:])
def test_gappy_tables_show_only_downloaded_numbers(built, name) -> None:
    from smp_analysis.present.downloads import csv_text

    for sec in built[name].values():
        for p in sec.paragraphs:
            text, tables = " ".join(p.text), []
            for t in tables_of(p):
                assert t.data is not None
                tables += [str(v) for v in t.frame.to_numpy().ravel()]
                nums, csv_string = downloaded(csv_text(t.result_table()))
                for cell_text, value, dp in shown_numbers(t.html()):
                    if cell_text in csv_string:
                        continue
                    assert matches(value, dp, nums, csv_string), (p.label, t.caption, cell_text)
            for fact in p.facts:
                assert fact in text and fact in " | ".join(tables), (p.label, fact)
