"""Stop and search disproportionality on the real City of London files (2018-04 → 2020-11).

Reads ``police_uk_stop_search/`` (32 monthly files) and the Census 2011 QS201EW row for
the City of London (E09000001) in place from ``../shared/data/real`` (see its
SOURCES.md). Expected counts are recomputed here independently with the :mod:`csv`
module, not with the code under test.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smp_analysis.sources.ethnicity import ETHNIC_GROUPS, read_ethnic_population
from smp_analysis.stats.stop_search import stop_search_disproportionality

pytestmark = pytest.mark.realdata

CITY = "E09000001"

# Independent mapping by the literal data.police.uk prefixes.
PREFIX = {
    "White - ": "White",
    "Mixed/Multiple ethnic groups - ": "Mixed",
    "Asian/Asian British - ": "Asian",
    "Black/African/Caribbean/Black British - ": "Black",
    "Other ethnic group - ": "Other",
}


def _independent_counts(folder: Path) -> tuple[int, dict[str, int], dict[str, int]]:
    rows = 0
    self_counts: dict[str, int] = {}
    officer_counts: dict[str, int] = {}
    for f in sorted(folder.glob("*-city-of-london-stop-and-search.csv")):
        with f.open(newline="", encoding="utf-8-sig") as fh:
            for rec in csv.DictReader(fh):
                rows += 1
                v = rec["Self-defined ethnicity"].strip()
                if v == "":
                    g = "Missing"
                elif v == "Other ethnic group - Not stated":
                    g = "Not stated"
                else:
                    g = next(grp for pre, grp in PREFIX.items() if v.startswith(pre))
                self_counts[g] = self_counts.get(g, 0) + 1
                o = rec["Officer-defined ethnicity"].strip() or "Missing"
                officer_counts[o] = officer_counts.get(o, 0) + 1
    return rows, self_counts, officer_counts


def _read_searches(folder: Path) -> pd.DataFrame:
    try:
        from smp_analysis.sources.police_uk import read_stop_search
    except ImportError:  # the reader is not there yet: plain pandas, snake_case columns
        frames = []
        for f in sorted(folder.glob("*-stop-and-search.csv")):
            d = pd.read_csv(f, dtype=str, keep_default_na=False)
            d["month"] = pd.Period(f.name[:7], freq="M")
            frames.append(d)
        df = pd.concat(frames, ignore_index=True)
        df.columns = [c.lower().replace(" ", "_").replace("-", "_") for c in df.columns]
        return df
    return read_stop_search(folder)


def _independent_residents(path: Path) -> dict[str, int]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        rec = next(r for r in csv.DictReader(fh) if r["geography code"] == CITY)
    return {g: int(rec[f"Ethnic Group: {g}; measures: Value"]) for g in ETHNIC_GROUPS}


@pytest.fixture(scope="module")
def independent(real_data: Path) -> tuple[int, dict[str, int], dict[str, int]]:
    return _independent_counts(real_data / "police_uk_stop_search")


@pytest.fixture(scope="module")
def data(real_data: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    searches = _read_searches(real_data / "police_uk_stop_search")
    pop = read_ethnic_population(real_data / "population" / "la-ethnic-groups.csv", CITY)
    return searches, pop


def test_population_matches_the_file(real_data: Path, data) -> None:
    _, pop = data
    expected = _independent_residents(real_data / "population" / "la-ethnic-groups.csv")
    assert dict(zip(pop["ethnic_group"], pop["residents"], strict=True)) == expected
    assert pop.attrs["total"] == 7375  # "All categories" of E09000001 in QS201EW


def test_self_defined_totals_equal_an_independent_count(independent, data) -> None:
    searches, pop = data
    rows, self_counts, _ = independent
    assert rows == 6449 == len(searches)  # SOURCES.md: 6,449 rows in 32 files
    t = stop_search_disproportionality(searches, pop)
    assert t["searches"].sum() == rows
    got = dict(zip(t["ethnic_group"], t["searches"], strict=True))
    assert got == {g: self_counts.get(g, 0) for g in got}
    assert "Unrecognised" not in got
    # unknown ethnicity is reported with its share, never dropped
    s = t.set_index("ethnic_group")
    assert s.loc["Not stated", "share"] == pytest.approx(self_counts["Not stated"] / rows)
    assert s.loc["Missing", "share"] == pytest.approx(self_counts["Missing"] / rows)


def test_self_defined_rates_and_ratios_are_sane(real_data: Path, data) -> None:
    searches, pop = data
    residents = _independent_residents(real_data / "population" / "la-ethnic-groups.csv")
    t = stop_search_disproportionality(searches, pop).set_index("ethnic_group")
    for g in ETHNIC_GROUPS:
        row = t.loc[g]
        assert row["rate"] == pytest.approx(row["searches"] / residents[g] * 1000)
        assert 0 < row["rate_ci_low"] < row["rate"] < row["rate_ci_high"] < np.inf
    for g in ("Asian", "Black", "Mixed", "Other"):
        row = t.loc[g]
        assert np.isfinite([row["rate_ratio"], row["ratio_ci_low"], row["ratio_ci_high"]]).all()
        assert 0 < row["ratio_ci_low"] < row["rate_ratio"] < row["ratio_ci_high"]
        assert row["ratio_ci_high"] / row["ratio_ci_low"] < 2  # hundreds of searches: tight
    # Black residents are searched at a far higher rate than White residents (≈10×)
    assert 8 < t.loc["Black", "rate_ratio"] < 13
    assert t.loc["White", "rate_ratio"] == 1.0


def test_officer_defined_fallback_kept_apart(independent, data) -> None:
    searches, pop = data
    _, _, officer_counts = independent
    t = stop_search_disproportionality(searches, pop, basis="officer_defined")
    s = t.set_index("ethnic_group")
    assert (t["basis"] == "officer-defined").all() and "Not stated" not in s.index
    assert t["searches"].sum() == sum(officer_counts.values())
    for g in ("White", "Black", "Asian", "Other", "Missing"):
        assert s.loc[g, "searches"] == officer_counts[g]
    # these files have no officer-defined Mixed: no rate, and a note says why
    assert "Mixed" not in officer_counts
    assert np.isnan(s.loc["Mixed", "rate"]) and s.loc["Mixed", "note"]


def test_financial_year_by_split(data) -> None:
    searches, pop = data
    fy = searches[
        (searches["month"] >= pd.Period("2019-04", "M"))
        & (searches["month"] <= pd.Period("2020-03", "M"))
    ]
    fy = fy.assign(year="2019/20")
    t = stop_search_disproportionality(fy, pop, by=["year"])
    assert t["searches"].sum() == len(fy) == 2857
    assert fy["month"].nunique() == 12
