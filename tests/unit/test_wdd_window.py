"""The weighted displacement difference compares exactly the twelve months before and the
twelve months from the intervention start, or is withheld with its reason."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from smp_analysis.assessment.sections.town_centre import WDD_MONTHS, wdd_window

START = pd.Period("2023-10", freq="M")
AREAS = ("Sampleton town centre", "the surrounding area", "the comparison area")


def _series(first: str, last: str, seed: int) -> pd.DataFrame:
    months = pd.period_range(first, last, freq="M")
    counts = np.random.default_rng(seed).poisson(100, len(months)).astype("float64")
    return pd.DataFrame({"month": months, "count": counts})


def test_six_months_after_is_withheld_with_its_reason() -> None:
    # the sample year 2023/24: data end in March 2024, six months after October 2023
    series = {a: _series("2021-04", "2024-03", i) for i, a in enumerate(AREAS)}
    w = wdd_window(series, START)
    assert w.withheld
    assert w.months_before == dict.fromkeys(AREAS, 12)
    assert w.months_after == dict.fromkeys(AREAS, 6)
    assert all(math.isnan(v) for pair in w.totals.values() for v in pair)
    assert "weighted displacement difference is not given" in w.reason
    assert "only 18 of those 24 months have data (12 before and 6 after)" in w.reason
    assert "October 2022 to September 2023" in w.reason
    assert "October 2023 to September 2024" in w.reason


def test_a_gap_in_one_area_withholds_and_names_the_area() -> None:
    series = {a: _series("2021-04", "2025-03", i) for i, a in enumerate(AREAS)}
    gap = series["the comparison area"]
    gap.loc[gap["month"] == pd.Period("2024-02", freq="M"), "count"] = math.nan
    w = wdd_window(series, START)
    assert w.withheld
    assert w.months_after["the comparison area"] == 11
    assert "23 have data for the comparison area (12 before and 11 after)" in w.reason
    assert "24 have data for Sampleton town centre" in w.reason


def test_twelve_and_twelve_months_sum_exactly_those_months() -> None:
    # data well beyond the window on both sides: only the 24 months may be summed
    series = {a: _series("2021-04", "2025-03", 10 + i) for i, a in enumerate(AREAS)}
    w = wdd_window(series, START)
    assert not w.withheld and w.reason == ""
    assert w.before.start == pd.Period("2022-10", freq="M")
    assert w.after.end == pd.Period("2024-09", freq="M")
    for area, s in series.items():
        month = s["month"]
        before = s.loc[(month >= START - 12) & (month <= START - 1), "count"]
        after = s.loc[(month >= START) & (month <= START + 11), "count"]
        assert len(before) == len(after) == WDD_MONTHS
        assert w.totals[area] == pytest.approx((before.sum(), after.sum()), abs=0)
        assert w.months_before[area] == w.months_after[area] == WDD_MONTHS
        # and not the sum over everything from the start
        assert w.totals[area][1] != s.loc[month >= START, "count"].sum()


def test_a_month_absent_from_the_frame_counts_as_missing() -> None:
    series = {a: _series("2022-10", "2024-09", i) for i, a in enumerate(AREAS)}
    series["Sampleton town centre"] = series["Sampleton town centre"].iloc[1:]  # no Oct 2022
    w = wdd_window(series, START)
    assert w.withheld
    assert w.months_before["Sampleton town centre"] == 11


def test_sample_year_2023_24_withholds_the_wdd(sample_dir, tmp_path) -> None:
    """On the sample with 2023/24 as the reporting year only six months follow October
    2023: no WDD table, no "twelve months" sentence, and the reason instead."""
    from smp_analysis.assessment.context import Context
    from smp_analysis.assessment.sections.town_centre import intervention_paragraph
    from smp_analysis.config import load_config
    from smp_analysis.inputs import load_inputs
    from smp_analysis.present.blocks import Table

    from ..helpers import sample_config

    cfg = load_config(sample_config(tmp_path, sample_dir, reporting_year="2023/24"))
    p = intervention_paragraph(Context.create(cfg, load_inputs(cfg)), "TC.2")
    assert p is not None
    text = " ".join(p.text)
    assert "twelve months after the start" not in text
    assert "only 18 of those 24 months have data (12 before and 6 after)" in text
    assert [d.caption for d in p.details if isinstance(d, Table)] == [
        "Table TC.2: interrupted time series, Sampleton town centre"
    ]
    assert not any("weighted displacement" in t for t in p.tests)
    wdd = p.coverage[p.coverage["period"].str.contains("weighted displacement")]
    assert wdd["months_used"].sum() == 0
    assert sorted(wdd["months_present"].unique().tolist()) == [6, 12]
