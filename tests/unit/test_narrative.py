"""Wording rules of generated sentences (see smp_analysis/assessment/narrative.py)."""

from __future__ import annotations

import math

import pytest

from smp_analysis.assessment.narrative import (
    ChangeFacts,
    change_sentence,
    differential_sentence,
    proportion_change_sentence,
    public_change_sentence,
    share_sentence,
    trend_sentence,
)

KW = {"current": "2024/25", "baseline": "2023/24"}


def facts(base, cur, *, sig=False, rr=None, lo=0.8, hi=1.2, p=0.5, mb=12, mc=12):
    rr = (cur / mc) / (base / mb) if rr is None and base else (rr or math.nan)
    return ChangeFacts(base, cur, mb, mc, rr, lo, hi, p, sig)


def test_significant_fall_states_size_count_and_verdict() -> None:
    s = change_sentence("Burglary", facts(500, 400, sig=True, lo=0.7, hi=0.91, p=0.001), **KW)
    assert s.text.startswith("Burglary fell by 20% (100 fewer offences) in 2024/25 compared with")
    assert s.text.endswith("a statistically significant fall.")
    # the rate ratio and its interval are in the table beside the sentence, not in it
    assert "rate ratio" not in s.text and "95% CI" not in s.text and "0.80" not in s.text
    assert s.facts == ("20%", "100")


def test_non_significant_is_normal_variation() -> None:
    s = change_sentence("Robbery", facts(100, 110, p=0.4), **KW)
    assert "rose by 10% (10 more offences)" in s.text
    assert "within normal year-to-year variation" in s.text
    assert "not statistically significant" in s.text
    assert "statistically significant rise" not in s.text


def test_percent_never_alone() -> None:
    s = change_sentence("Drugs", facts(200, 150, sig=True, p=0.01), **KW)
    pct_pos = s.text.index("25%")
    assert "(50 fewer offences)" in s.text[pct_pos:]


def test_zero_baseline_has_no_percentage() -> None:
    s = change_sentence("Bicycle theft", facts(0, 5), **KW)
    assert "rose from 0 to 5 offences" in s.text and "%" not in s.text


def test_both_zero() -> None:
    s = change_sentence("Bicycle theft", facts(0, 0), **KW)
    assert s.text == "There were no offences in either 2023/24 or 2024/25."


def test_small_numbers_hedged() -> None:
    s = change_sentence("Robbery", facts(8, 15, sig=False, p=0.2), **KW)
    assert s.text.endswith("Numbers are small, so read this change with caution.")
    big = change_sentence("Robbery", facts(80, 150, sig=True, p=0.001), **KW)
    assert "Numbers are small" not in big.text


def test_incomplete_period_declared_and_rates_compared() -> None:
    # 11 months in the baseline: 440/11 = 40 a month vs 480/12 = 40 a month -> unchanged rate
    s = change_sentence("Shoplifting", facts(440, 480, mb=11), **KW)
    assert "unchanged" in s.text
    s2 = change_sentence("Shoplifting", facts(330, 480, mb=11, sig=True, p=0.001), **KW)
    # monthly rate 30 -> 40 = +33%, not the +45% of raw counts
    assert "rose by 33%" in s2.text
    assert "Monthly rates are compared because 2023/24 has data for 11 of 12 months." in s2.text


def test_unit_noun() -> None:
    s = change_sentence("ASB", facts(100, 50, sig=True, p=0.001), noun="incidents", **KW)
    assert "(50 fewer incidents)" in s.text


def test_public_wording_has_no_jargon() -> None:
    s = public_change_sentence("Violence", facts(1000, 900, sig=True, p=0.001), **KW)
    for word in ("ratio", "CI", "p =", "significant"):
        assert word not in s.text
    assert "real fall" in s.text
    s2 = public_change_sentence("Robbery", facts(100, 104), **KW)
    assert "normal ups and downs" in s2.text


def test_share_sentence_quotes_counts_not_interval() -> None:
    s = share_sentence(
        "DA", "all crime", 0.183, 0.175, 0.191, period="2024/25", count_part=2000, count_whole=10929
    )
    # the interval is in the table beside; the sentence gives the share and the counts
    assert s.text == "DA made up 18% of all crime in 2024/25: 2,000 of 10,929."
    assert s.facts == ("18%", "2,000", "10,929")


@pytest.mark.parametrize(("p", "expect"), [(0.001, "fell faster than"), (0.4, "in line with")])
def test_differential_wording(p: float, expect: str) -> None:
    s = differential_sentence(
        "Coercive control",
        "domestic abuse",
        0.12,
        0.09,
        0.7,
        0.6,
        0.9,
        p,
        before="2023/24",
        after="2024/25",
    )
    assert expect in s.text
    # plain words: the odds ratio, interval and p-value are in the table beside
    assert "odds ratio" not in s.text and "95% CI" not in s.text and "p " not in s.text


def test_trend_sentence_direction() -> None:
    assert "falling trend" in trend_sentence("X", -3.2, 0.01, start="2021-04", end="2025-03").text
    assert "no clear trend" in trend_sentence("X", 3.2, 0.2, start="2021-04", end="2025-03").text


def test_proportion_change_not_significant() -> None:
    s = proportion_change_sentence(
        "Young people who feel safe",
        0.35,
        0.36,
        -0.05,
        0.07,
        0.7,
        baseline="2023/24",
        current="2024/25",
    )
    assert "within normal variation" in s.text and "36%" in s.text


def test_incomplete_years_state_the_difference_per_month() -> None:
    # found on real Kent data: 3 months (100 a month) against 4 months (92 a month); raw counts
    # rose (300 -> 368) but the monthly rate fell, and the sentence must say so consistently
    f = ChangeFacts(300, 368, 3, 4, 0.92, 0.85, 0.99, 0.02, True)
    s = change_sentence("Violence", f, **KW)
    assert "fell by 8% (8 fewer offences a month)" in s.text
    assert "more" not in s.text.split(" in 2024/25")[0]
    from smp_analysis.assessment.narrative import change_cell

    assert change_cell(f) == "-8 a month (-8%)"
    assert all(x in change_cell(f) for x in s.facts[:2])


def test_singular_noun() -> None:
    s = change_sentence("Robbery", facts(40, 41, p=0.9), **KW)
    assert "(1 more offence)" in s.text


# ---------------------------------------------------------------- prose faults (issue 11)
def test_a_change_below_half_a_percent_is_almost_unchanged_not_zero_percent() -> None:
    s = change_sentence("Anti-social behaviour", facts(2818, 2814, p=0.96), noun="incidents", **KW)
    assert "0%" not in s.text and "fell by" not in s.text
    assert s.text.startswith(
        "Anti-social behaviour was almost unchanged in 2024/25 compared with 2023/24 "
        "(4 fewer incidents, less than 1%)"
    )
    p = public_change_sentence("Anti-social behaviour", facts(2818, 2814, p=0.96), **KW)
    assert "0%" not in p.text and "stayed about the same" in p.text


@pytest.mark.parametrize(
    "subject, singular, plural_form",
    [
        ("Violence and sexual offences", False, True),
        ("Domestic abuse-flagged crimes", False, True),
        ("Modern slavery referrals (NRM)", False, True),
        ("Robbery", True, False),
        ("Recorded crime (excluding anti-social behaviour)", True, False),
    ],
)
def test_verbs_agree_with_category_names(subject: str, singular: bool, plural_form: bool) -> None:
    t = trend_sentence(subject, 1.0, 0.5, start="2021-04", end="2025-03").text
    assert (f"{subject} shows no clear trend" in t) is singular
    assert (f"{subject} show no clear trend" in t) is plural_form
    rising = trend_sentence(subject, 12.0, 0.001, start="2021-04", end="2025-03").text
    assert rising.startswith(f"{subject} {'have' if plural_form else 'has'} a rising trend")
    same = change_sentence(subject, facts(51, 51), noun="referrals", **KW).text
    assert same.startswith(f"{subject} {'were' if plural_form else 'was'} unchanged")


def test_proportion_points_agree_with_the_rounded_percentages() -> None:
    s = proportion_change_sentence(
        "Repeat cases", 0.334, 0.258, -0.14, -0.01, 0.02, baseline="2023/24", current="2024/25"
    )
    assert "from 33% in 2023/24 to 26% in 2024/25" in s.text
    assert "7.6 percentage points" in s.text and "95% CI" not in s.text
