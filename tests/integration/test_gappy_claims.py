"""The claims policy on gappy variants of the sample: say only what the months support.

- ``four_month_context``: 2024/25 has police.uk data for April to July 2024 only, so a
  year-on-year change rests on 4 matched months — fewer than the policy's 6.
- ``missing_quarter_context``: January to March 2025 (and June 2023) are missing, so the
  comparison uses the 8 calendar months with data in both years.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from smp_analysis.assessment import sections as S
from smp_analysis.assessment.claims import MIN_MATCHED_MONTHS
from smp_analysis.cli import main
from smp_analysis.errors import InputError

from ..helpers import sample_config

_MONTH = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December) (\d{4})\b"
)


def _months_named(text: str) -> list[pd.Period]:
    return [pd.Period(f"{m} {y}", freq="M") for m, y in _MONTH.findall(text)]


@pytest.fixture(scope="module")
def four(four_month_context):
    ctx = four_month_context
    return ctx, {"SUM": S.summary(ctx), "SV": S.serious_violence(ctx, "SV")}


def test_four_matched_months_give_no_police_verdict(four) -> None:
    ctx, secs = four
    cur, _, label = ctx.matched_months()
    assert len(cur) == 4 < MIN_MATCHED_MONTHS and label == "April to July"
    status = secs["SV"].status
    police = {i.id for i in ctx.config.priority("SV").indicators if i.source == "police"}
    for r, v in zip(status.indicators, status.verdicts, strict=True):
        if r.indicator_id in police:
            assert v.code == "not assessed", (r.label, v.code)
            assert "only 4 matched months (April to July)" in r.reason
            assert "not assessed" in r.sentence and "April to July" in r.sentence
            assert "statistically significant" not in r.sentence


def test_trend_sentences_do_not_judge_four_months(four) -> None:
    _, secs = four
    for label in ("SV.2", "SV.3", "SV.4", "SUM.2"):
        p = secs[label.split(".")[0]][label]
        first = p.text[0]
        assert "is not judged, because 4 matched months (April to July)" in first, first
        assert not re.search(r"\b(rose|fell) by \d", p.title), p.title
        # ASB in SUM.2 is a second change statement: it is not judged either
    asb = [t for t in secs["SUM"]["SUM.2"].text if t.startswith("Anti-social behaviour")]
    assert asb and "is not judged" in asb[0]


def test_no_sentence_names_a_month_outside_the_police_data(four) -> None:
    """Police-only paragraphs never name a month after the last month with data (July
    2024) or before the first (April 2021)."""
    ctx, secs = four
    present = ctx.inputs.cube.months_present
    first, last = min(present), max(present)
    assert str(last) == "2024-07"
    checked = 0
    for label in ("SV.2", "SV.3", "SV.4", "SUM.2"):
        p = secs[label.split(".")[0]][label]
        for sentence in (*p.text, p.title):
            for m in _months_named(sentence):
                assert first <= m <= last, f"{label}: {m} named in {sentence!r}"
                checked += 1
    assert checked > 0


def test_coverage_says_which_months_were_used(four) -> None:
    _, secs = four
    cov = secs["SV"]["SV.2"].result.coverage.set_index("period")
    assert cov.loc["2024/25", "months_present"] == 4
    assert cov.loc["2024/25", "months_used"] == 4
    assert cov.loc["2023/24", "months_present"] == 12
    assert cov.loc["2023/24", "months_used"] == 4  # only the matched calendar months


def test_missing_quarter_compares_the_matched_months(missing_quarter_context) -> None:
    ctx = missing_quarter_context
    cur, prev, label = ctx.matched_months()
    assert len(cur) == 8 >= MIN_MATCHED_MONTHS
    assert {m.month for m in cur} == {m.month for m in prev}
    assert 6 not in {m.month for m in cur} and 1 not in {m.month for m in cur}
    sv = S.serious_violence(ctx, "SV")
    text = sv["SV.2"].text[0]
    assert f"The comparison uses only {label} of each year" in text
    # the XmR and trend sentences stop at the last month with data, December 2024
    for sentence in sv["SV.2"].text[1:]:
        for m in _months_named(sentence):
            assert m <= pd.Period("2024-12", freq="M"), sentence


def test_a_priority_with_nothing_assessable_is_not_assessed(four) -> None:
    """Every directional indicator not assessed: status Not assessed, and the summary line
    says why; an analyst's override is still shown beside it."""
    from smp_analysis.assessment.indicators import evaluate_indicator
    from smp_analysis.assessment.sections.summary import key_evidence
    from smp_analysis.assessment.status import priority_status

    ctx, _ = four
    pr = ctx.config.priority("SV")
    police = [evaluate_indicator(ctx, pr, i) for i in pr.indicators if i.source == "police"]
    status = priority_status("SV", pr.title, police)
    assert status.computed == "Not assessed"
    why = key_evidence(status)
    assert why.startswith("Not assessed") and "only 4 matched months (April to July)" in why
    overridden = priority_status(
        "SV", pr.title, police, override="On track", rationale="Partner evidence."
    )
    assert overridden.final == "On track" and "Not assessed" in overridden.note


def test_a_year_without_data_is_a_one_line_input_error(tmp_path, sample_dir, capsys) -> None:
    from smp_analysis.results.open import open_assessment

    cfg = sample_config(tmp_path, sample_dir)
    with pytest.raises(InputError, match=r"no police.uk data for the reporting year 2025/26"):
        open_assessment(cfg, year="2025/26")
    code = main(["build", "--config", str(cfg), "--year", "2025/26", "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    line = [x for x in err.splitlines() if x.startswith("smp-analysis build: error:")]
    assert len(line) == 1 and "2021-04 to 2025-03" in line[0] and "Fix:" in line[0]
    assert not (tmp_path / "r" / "sampleton" / "2025-26").exists()


def test_public_page_compares_like_with_like(four_month_context) -> None:
    ctx = four_month_context
    page = S.public_summary(ctx)
    intro = " ".join(page["PS.1"].text)
    assert "Police data for August 2024 to March 2025 were not available" in intro
    assert "We cannot yet say whether recorded crime" in intro
    assert not re.search(r"Recorded crime .*(rose|fell) by", intro)
    ps2 = page["PS.2"]
    assert "the same months of 2023/24" in ps2.text[0]
    table = next(d for d in ps2.details if hasattr(d, "caption"))
    assert "(April to July only, the same months in both years)" in table.caption
    # no column adds the two years together
    assert list(table.frame.columns)[1:] == ["2023/24", "2024/25"]
    # the counts are over the same months: April to July of each year, from the cube
    series = ctx.police_series()
    months = series.set_index("month")["count"]
    cur = sum(months[pd.Period(f"2024-{m:02d}", "M")] for m in (4, 5, 6, 7))
    prev = sum(months[pd.Period(f"2023-{m:02d}", "M")] for m in (4, 5, 6, 7))
    assert f"recorded {cur:,.0f} crimes" in ps2.text[0]
    assert f"compared with {prev:,.0f} in the same months" in ps2.text[0]


def test_public_missing_partner_year_is_x_not_zero(tmp_path, sample_dir) -> None:
    """A partner return without the year before: the public table shows [x], never 0."""
    import shutil

    from ..helpers import context_for

    data = tmp_path / "data"
    shutil.copytree(sample_dir, data)
    partner = pd.read_csv(data / "partner_returns.csv", dtype=str)
    da = partner["indicator"] == "da_flagged_crimes"
    in_2023_24 = partner["period"].str[:7].between("2023-04", "2024-03")
    partner[~(da & in_2023_24)].to_csv(data / "partner_returns.csv", index=False)
    (tmp_path / "ctx").mkdir()
    ctx = context_for(data, tmp_path / "ctx")
    page = S.public_summary(ctx)
    da_para = next(p for p in page.paragraphs if p.title.startswith("Domestic abuse"))
    table = next(d for d in da_para.details if hasattr(d, "caption"))
    assert set(table.frame["2023/24"]) == {"[x]"}
    assert "0" not in set(table.frame["2023/24"])
    assert table.data["2023/24"].isna().all()
    assert all("[x] 2023/24" in n for n in table.notes)
