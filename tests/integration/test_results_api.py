"""The results layer on the sample district: each paragraph kind's numbers equal an
independent computation from the raw sample files (csv module, scipy, statsmodels), and
the analysts' API behaves as documented.

Independent sources used beside the expected numbers:
- counts: the police.uk street CSVs read with the csv module (rows whose LSOA name starts
  "Sampleton ", by month and crime type) and the partner CSV summed by hand;
- the two-sample exact Poisson test (R ``poisson.test(c(x1, x0), c(t1, t0))``) is the
  binomial test of x1 out of x1 + x0 with p = t1 / (t1 + t0) (``scipy.stats.binomtest``);
- Fisher's exact test p-value: ``scipy.stats.fisher_exact`` (R ``fisher.test``);
- Benjamini–Hochberg q-values: by hand (sorted p × m / rank, cumulative minimum);
- Wilson intervals: ``statsmodels.stats.proportion.proportion_confint(method="wilson")``.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from smp_analysis.errors import ParameterError
from smp_analysis.results.open import Assessment
from smp_analysis.stats.periods import financial_year, financial_year_of


@pytest.fixture(scope="module")
def assessment(sample_context) -> Assessment:
    return Assessment(sample_context)


@pytest.fixture(scope="module")
def street_counts(sample_dir: Path) -> Counter:
    """(financial year, crime type) → rows, counted from the raw CSVs."""
    counts: Counter = Counter()
    for f in sorted((sample_dir / "police_uk").glob("*/*-street.csv")):
        with f.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["LSOA name"].startswith("Sampleton "):
                    counts[(financial_year_of(row["Month"]), row["Crime type"])] += 1
    return counts


@pytest.fixture(scope="module")
def partner(sample_dir: Path) -> pd.DataFrame:
    return pd.read_csv(sample_dir / "partner_returns.csv", dtype={"sub_type": str})


def _binomial_p(x1: float, t1: float, x0: float, t0: float) -> float:
    return stats.binomtest(int(x1), int(x1 + x0), t1 / (t1 + t0)).pvalue


def test_trend_paragraph_counts_and_test(assessment, street_counts) -> None:
    """SV.2-style trend table (violence by year): counts from the raw CSVs, the change's
    p-value from the binomial form of the exact Poisson test."""
    r = assessment.result("SUM.2")
    years = r.tables[1].data if r.tables[0].kind == "chart" else r.table
    years = years[years["compared_months"].fillna("") == ""].set_index("period")
    for label, row in years.iterrows():
        expected = sum(
            n
            for (fy, ct), n in street_counts.items()
            if fy == label and ct != "Anti-social behaviour"
        )
        assert row["count"] == expected, label
    last = years.iloc[-1]
    p = _binomial_p(
        last["count"], last["months_present"], last["count_previous"], last["months_previous"]
    )
    assert last["p_value"] == pytest.approx(p, rel=1e-6)
    assert last["rate_ratio"] == pytest.approx(
        (last["count"] / last["months_present"])
        / (last["count_previous"] / last["months_previous"])
    )


def test_status_paragraph_indicators(assessment, street_counts) -> None:
    """SV.1: each police indicator's counts and rate-ratio p-value."""
    t = assessment.result("SV.1").table.set_index("indicator")
    cur, prev = financial_year("2024/25").label, financial_year("2023/24").label
    for crime in ("Robbery", "Violence and sexual offences"):
        row = t.loc[crime]
        assert row["current"] == street_counts[(cur, crime)]
        assert row["baseline"] == street_counts[(prev, crime)]
        p = _binomial_p(row["current"], 12, row["baseline"], 12)
        assert row["p_value"] == pytest.approx(p, rel=1e-6)


def test_differential_change_paragraph(assessment, partner) -> None:
    """DA.4: sub-type counts from the partner CSV, Fisher p-values from scipy, q-values by
    hand."""
    t = assessment.result("DA.4").table.set_index("sub_type")
    da = partner[partner["indicator"] == "da_flagged_crimes"].copy()
    da["fy"] = [financial_year_of(p[:7]) for p in da["period"]]
    by = da.groupby(["fy", "sub_type"])["value"].sum()
    tot = da.groupby("fy")["value"].sum()
    for sub, row in t.iterrows():
        b, a = by[("2023/24", sub)], by[("2024/25", sub)]
        assert (row["sub_before"], row["sub_after"]) == (b, a)
        assert (row["total_before"], row["total_after"]) == (tot["2023/24"], tot["2024/25"])
        table = [[a, tot["2024/25"] - a], [b, tot["2023/24"] - b]]
        assert row["p_value"] == pytest.approx(stats.fisher_exact(table).pvalue, rel=1e-6)
    p = t["p_value"].to_numpy()
    order = np.argsort(p)
    m = len(p)
    q_sorted = np.minimum.accumulate((p[order] * m / np.arange(1, m + 1))[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(q_sorted, 1)
    np.testing.assert_allclose(t["q_value"].to_numpy(), q, rtol=1e-9)


def test_share_and_marac_paragraphs(assessment, partner) -> None:
    """DA.5 repeat rates and DA.3 shares: Wilson intervals from statsmodels."""
    marac = assessment.result("DA.5").table
    quarters = marac[marac["kind"] == "quarter"]
    raw = partner[partner["indicator"] == "marac_repeat_cases"].set_index("period")
    for row in quarters.itertuples():
        src = raw.loc[row.period]
        assert (row.repeat_cases, row.cases) == (src["numerator"], src["denominator"])
        lo, hi = proportion_confint(src["numerator"], src["denominator"], method="wilson")
        assert (row.ci_low, row.ci_high) == (pytest.approx(lo), pytest.approx(hi))
    shares = assessment.result("DA.3").tables[-1].data
    for row in shares.itertuples():
        lo, hi = proportion_confint(row.part, row.whole, method="wilson")
        assert row.share == pytest.approx(row.part / row.whole)
        assert (row.ci_low, row.ci_high) == (pytest.approx(lo), pytest.approx(hi))


def test_rate_per_1000(assessment, street_counts, sample_dir) -> None:
    """SUM.2b: crimes per 1,000 residents = count / residents × 1,000 (Census file)."""
    pop = pd.read_csv(sample_dir / "population_lsoa.csv")
    residents = pop.loc[pop["lsoa21_name"].str.startswith("Sampleton "), "usual_residents"].sum()
    t = assessment.result("SUM.2").tables[-1].data
    rate = t[t["kind"] == "rate"].iloc[0]
    crimes = sum(
        n
        for (fy, ct), n in street_counts.items()
        if fy == "2024/25" and ct != "Anti-social behaviour"
    )
    assert rate["residents"] == residents
    assert rate["value"] == pytest.approx(crimes / residents * 1000)


def test_results_are_numeric_with_coverage(assessment) -> None:
    r = assessment.result("DA.4")
    assert r.table["odds_ratio"].dtype == "float64"
    assert {"estimate", "ci_low"} - set(r.table.columns) == {"estimate"}  # domain names kept
    cov = r.coverage.set_index("period")
    assert cov.loc["2024/25", "months_used"] == 12
    assert any("Fisher" in t for t in r.tests)
    frame = r.to_frame()
    # DA.4 has its table and the DA.4 chart's data: to_frame stacks both, numbered 1 and 2
    assert list(frame.columns[:2]) == ["label", "table"]
    assert len(frame) == sum(len(t.data) for t in r.tables)
    assert frame.groupby("table").size().to_dict() == {
        i: len(t.data) for i, t in enumerate(r.tables, start=1)
    }
    assert repr(r).startswith("Result DA.4:")
    # every paragraph of every section has a result
    every = assessment.results()
    assert {"SUM.1", "SV.1", "DA.4", "TC.1", "WD.1", "EC.1", "DM.1"} <= set(every)
    assert all(res.label == label for label, res in every.items())


def test_coverage_names_the_months_used(assessment) -> None:
    cov = assessment.result("SV.2").coverage
    assert set(cov.columns) >= {"period", "months_expected", "months_present", "months_used"}
    assert (cov["months_used"] <= cov["months_present"]).all()
    first_year = cov.iloc[0]
    # the sample drops 2021-08: 11 of 12 months in 2021/22
    assert (first_year["period"], first_year["months_present"]) == ("2021/22", 11)


def test_police_series_rejects_unknown_types_with_a_suggestion(assessment) -> None:
    with pytest.raises(ParameterError, match="did you mean 'Robbery'"):
        assessment.police_series("Robery")
    s = assessment.police_series("Robbery")
    assert {"month", "count"} <= set(s.columns)
    assert s["count"].isna().any()  # the missing month is missing, not zero
    assert not math.isnan(s["count"].dropna().sum())


def test_unknown_label_names_the_paragraphs(assessment) -> None:
    with pytest.raises(KeyError, match="DA.1"):
        assessment.result("DA.9")
    with pytest.raises(KeyError, match="did you mean 'DA'"):
        assessment.result("DAA.1")


def test_notebook_result_cells_never_fail_on_a_missing_paragraph(assessment) -> None:
    """Notebooks show ``section.numbers(label)`` under each paragraph; a paragraph left out
    this year (no data) gives a note, not an exception that would fail the build."""
    sec = assessment.section("DA")
    assert sec.numbers("DA.4").label == "DA.4"
    note = sec.numbers("DA.9")
    assert isinstance(note, str) and "not in this year's report" in note
