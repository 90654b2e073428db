"""The sample build finds and describes every planted signal (docs/sample-data.md)."""

from __future__ import annotations

import re

import pytest

from .conftest import Built, para_text

pytestmark = pytest.mark.slow


def _status(built: Built, sid: str) -> str:
    return built.appendix.find("h2", id=sid).select_one(".status").get_text()


def _pct(text: str, pattern: str) -> float:
    m = re.search(pattern, text)
    assert m, f"{pattern!r} not in: {text}"
    return float(m.group(1))


def test_s1_town_centre_fall_after_intervention(built: Built) -> None:
    text = para_text(built.appendix, "TC.2")
    # planted: the town centre drops to ~75% of its previous level from October 2023
    level = _pct(text, r"dropped to (\d+)% of the level expected")
    assert 65 <= level <= 85
    assert "October 2023" in text
    assert "no sign that crime was displaced" in text or "diffusion of benefit" in text
    assert _status(built, "TC") == "Exceeding expectations"


def test_s1_town_centre_concentration(built: Built) -> None:
    text = para_text(built.appendix, "TC.3")
    share = _pct(text, r"had (\d+)% of the district's recorded crime")
    residents = _pct(text, r"but (\d+)% of its residents")
    assert share > 2 * residents  # planted: ~13% of crime, ~4% of residents
    assert re.search(r"over-representation of (theft from the person|shoplifting)", text)


def test_s2_coercive_control_falls_faster_than_domestic_abuse(built: Built) -> None:
    text = para_text(built.appendix, "DA.4")
    assert "Controlling or coercive behaviour fell faster than domestic abuse as a whole" in text
    assert "a disproportionate change" in text
    verdict = para_text(built.appendix, "DA.1")
    assert "Reports of coercive control fell by" in verdict
    assert _status(built, "DA") == "Needs attention"


def test_s2_domestic_abuse_share_of_crime_and_violence(built: Built) -> None:
    text = para_text(built.appendix, "DA.3")
    share_all = _pct(text, r"crimes made up (\d+)% of all crime in 2024/25")
    share_v = _pct(text, r"offences made up (\d+)% of violence and sexual offences in 2024/25")
    assert 16 <= share_all <= 21 and 33 <= share_v <= 42  # planted ~18% and ~37%


def test_s3_robbery_spike_is_an_emerging_concern(built: Built) -> None:
    text = para_text(built.appendix, "EC.1")
    assert "Robbery district-wide" in text
    sv = para_text(built.appendix, "SV.1")  # the status points to SV.3, not a copy of it
    assert "Robbery: worsened" in sv and "see SV.3" in sv
    robbery = para_text(built.appendix, "SV.3")
    assert "Robbery rose by" in robbery and "a statistically significant rise" in robbery


def test_s4_shoplifting_rising_trend(built: Built) -> None:
    assert "Shoplifting has a rising trend" in para_text(built.appendix, "EC.3")


def test_s5_violence_falls_significantly_weapons_do_not(built: Built) -> None:
    text = para_text(built.appendix, "SV.2")
    fall = _pct(text, r"Violence and sexual offences fell by (\d+)%")
    assert 5 <= fall <= 11 and "a statistically significant fall" in text
    weapons = para_text(built.appendix, "SV.4")
    assert "within normal year-to-year variation" in weapons


def test_s6_stop_and_search_disproportionality(built: Built) -> None:
    text = para_text(built.appendix, "SV.6")
    ratio = _pct(text, r"searched at ([\d.]+) times the rate of White people")
    assert 2.0 <= ratio <= 4.0  # planted ~3x
    assert "had no self-defined ethnicity" in text


def test_s7_deprivation_gradient(built: Built) -> None:
    text = para_text(built.appendix, "WD.5")
    assert _pct(text, r"was ([\d.]+) times the rate in the least deprived") > 1.5


def test_s8_survey_feel_safe_rises(built: Built) -> None:
    text = para_text(built.appendix, "TC.5")
    m = re.search(
        r"after dark rose from (\d+)% in 2023/24 to (\d+)% in 2024/25, a statistically significant rise",
        text,
    )
    assert m and 40 <= int(m.group(1)) <= 50 and 50 <= int(m.group(2)) <= 60


def test_s10_alcohol_admissions_worse_than_england(built: Built) -> None:
    assert "worse than England" in para_text(built.appendix, "WD.2")
    assert "similar to England" in para_text(built.appendix, "WD.1")


def test_s11_missing_month_reported(built: Built) -> None:
    text = para_text(built.appendix, "DM.1")
    assert "August 2021" in text and "never as zero" in text  # the month in words
    table = para_text(built.appendix, "SV.2", "para-detail")
    assert "11 of 12" in table  # 2021/22 has 11 months of data


def test_override_shows_both_statuses(built: Built) -> None:
    h2 = built.appendix.find("h2", id="CYP")
    assert h2.select_one(".status").get_text() == "Needs attention"
    note = h2.find_next_sibling("p", class_="status-note").get_text()
    # the reason is given once, in CYP.1, and the heading's note points to it
    assert "the evidence alone gives On track" in note and "their reason is in CYP.1" in note
    assert "county-lines" in para_text(built.appendix, "CYP.1") and "county-lines" not in note
