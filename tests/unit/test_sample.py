"""The sample generator writes exact formats, realistic volumes and the planted signals.

The sample is generated once per session. Every signal is re-measured here from the
written files with plain arithmetic (counts, means, ratios), independently of the
generator's own model; the expected sizes are those documented in docs/sample-data.md.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from smp_analysis.categories import ALL_CATEGORIES, ASB
from smp_analysis.errors import InputError
from smp_analysis.sample import (
    BUFFER_LSOAS,
    COMPARISON_LSOAS,
    DEFAULT_SEED,
    DISTRICT,
    END,
    INTERVENTION_MONTH,
    MISSING_MONTHS,
    START,
    TOWN_CENTRE_LSOAS,
    write_sample,
)

STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
    "LSOA code,LSOA name,Crime type,Last outcome category,Context"
)
STOP_HEADER = (
    "Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,"
    "Age range,Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,"
    "Outcome,Outcome linked to object of search,Removal of more than just outer clothing"
)
VIOLENCE = "Violence and sexual offences"
DA_VIOLENCE = (
    "coercive_control",
    "stalking_harassment",
    "violence_with_injury",
    "violence_without_injury",
    "sexual_offences",
)


# --------------------------------------------------------------------------------------
# fixtures: generate once, read once
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    write_sample(out, seed=DEFAULT_SEED)
    return out


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def street(sample_dir: Path) -> pd.DataFrame:
    files = sorted(sample_dir.glob("police_uk/*/*-street.csv"))
    return pd.concat([_read(f).assign(file_month=f.parent.name) for f in files], ignore_index=True)


@pytest.fixture(scope="session")
def stops(sample_dir: Path) -> pd.DataFrame:
    files = sorted(sample_dir.glob("police_uk/*/*-stop-and-search.csv"))
    return pd.concat([_read(f).assign(file_month=f.parent.name) for f in files], ignore_index=True)


@pytest.fixture(scope="session")
def sampleton(street: pd.DataFrame) -> pd.DataFrame:
    return street[street["LSOA name"].str.startswith("Sampleton ")]


@pytest.fixture(scope="session")
def crimes(sampleton: pd.DataFrame) -> pd.DataFrame:
    return sampleton[sampleton["Crime type"] != ASB]


@pytest.fixture(scope="session")
def partner(sample_dir: Path) -> pd.DataFrame:
    df = _read(sample_dir / "partner_returns.csv")
    df["v"] = df["value"].astype(float)
    return df


@pytest.fixture(scope="session")
def months_present(street: pd.DataFrame) -> list[str]:
    return sorted(street["Month"].unique())


def _fy(months: pd.Series) -> pd.Series:
    """Financial year label (April-March) of YYYY-MM strings."""
    year = months.str[:4].astype(int)
    start = year.where(months.str[5:7].astype(int) >= 4, year - 1)
    return start.astype(str) + "/" + ((start + 1) % 100).astype(str).str.zfill(2)


def _monthly(rows: pd.DataFrame, months: list[str]) -> pd.Series:
    return rows.groupby("Month").size().reindex(months, fill_value=0)


def _fy_mean(rows: pd.DataFrame, months: list[str]) -> pd.Series:
    per_month = _monthly(rows, months)
    return per_month.groupby(_fy(pd.Series(per_month.index, index=per_month.index))).mean()


# --------------------------------------------------------------------------------------
# determinism
# --------------------------------------------------------------------------------------


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_gives_identical_bytes_and_other_seed_differs(
    sample_dir: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    written = write_sample(again, seed=DEFAULT_SEED)
    assert _digests(again) == _digests(sample_dir)
    assert {p.relative_to(again).as_posix() for p in written} == set(_digests(again))

    other = tmp_path / "other"
    write_sample(other, seed=DEFAULT_SEED + 1)
    a, b = _digests(sample_dir), _digests(other)
    assert a.keys() == b.keys()
    changed = {k for k in a if a[k] != b[k]}
    assert "police_uk/2024-06/2024-06-sampleshire-street.csv" in changed
    assert {"partner_returns.csv", "survey.csv", "fingertips.csv", "README.txt"} <= changed
    # the district itself is fixed: population, ethnicity and deprivation do not depend on the seed
    assert not changed & {"population_lsoa.csv", "population_ethnicity.csv", "imd2019.csv"}


def test_bad_arguments_raise_input_error(tmp_path: Path) -> None:
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        write_sample(a_file)
    with pytest.raises(InputError, match="seed"):
        write_sample(tmp_path / "out", seed=-1)


# --------------------------------------------------------------------------------------
# layout and exact formats
# --------------------------------------------------------------------------------------


def test_layout_has_every_month_but_the_missing_one(sample_dir: Path) -> None:
    folders = sorted(p.name for p in (sample_dir / "police_uk").iterdir())
    expected = [str(m) for m in pd.period_range(START, END, freq="M") if m not in MISSING_MONTHS]
    assert folders == expected and len(folders) == 47
    assert "2021-08" not in folders  # S11
    for month in folders:
        names = sorted(p.name for p in (sample_dir / "police_uk" / month).iterdir())
        assert names == [
            f"{month}-sampleshire-stop-and-search.csv",
            f"{month}-sampleshire-street.csv",
        ]
    top = sorted(p.name for p in sample_dir.iterdir())
    assert top == [
        "README.txt",
        "fingertips.csv",
        "imd2019.csv",
        "partner_returns.csv",
        "police_uk",
        "population_ethnicity.csv",
        "population_lsoa.csv",
        "survey.csv",
    ]


def test_readme_says_synthetic_seed_and_version(sample_dir: Path) -> None:
    from smp_analysis import __version__

    text = (sample_dir / "README.txt").read_text()
    assert "SYNTHETIC" in text
    assert f"Seed: {DEFAULT_SEED}" in text
    assert f"smp-analysis {__version__}" in text


def test_headers_are_exact(sample_dir: Path) -> None:
    for f in sample_dir.glob("police_uk/*/*-street.csv"):
        assert f.read_text().split("\n", 1)[0] == STREET_HEADER
    for f in sample_dir.glob("police_uk/*/*-stop-and-search.csv"):
        assert f.read_text().split("\n", 1)[0] == STOP_HEADER
    first = (sample_dir / "population_lsoa.csv").read_text().split("\n", 1)[0]
    assert first == "lsoa21_code,lsoa21_name,age_group,usual_residents"
    imd = (sample_dir / "imd2019.csv").read_bytes()
    assert imd.startswith(b"\xef\xbb\xbfLSOA code (2011),LSOA name (2011),") and b"\r\n" in imd
    assert re.search(rb',"\d{1,2},\d{3}",\d+\r\n', imd)  # ranks with thousands separators
    partner_head = (sample_dir / "partner_returns.csv").read_text().split("\n", 1)[0]
    assert partner_head == "period,indicator,area,value,numerator,denominator,sub_type,note"
    survey_head = (sample_dir / "survey.csv").read_text().split("\n", 1)[0]
    assert survey_head.startswith("survey,year,respondent_id,question,response,weight,")


@pytest.mark.realdata
def test_headers_equal_the_real_files(sample_dir: Path, real_data: Path) -> None:
    def head(p: Path) -> bytes:
        opener = gzip.open if p.suffix == ".gz" else open
        with opener(p, "rb") as fh:
            return fh.readline().rstrip(b"\r\n")

    real_street = next((real_data / "police_uk_street").glob("2025-01-kent-street.csv"))
    mine = next(sample_dir.glob("police_uk/*/*-street.csv"))
    assert head(mine) == head(real_street)
    real_stop = next((real_data / "police_uk_stop_search").glob("*.csv"))
    assert head(next(sample_dir.glob("police_uk/*/*-stop-and-search.csv"))) == head(real_stop)
    pairs = {
        "population_lsoa.csv": "population/census21_pop_lsoa21_age6.csv.gz",
        "population_ethnicity.csv": "population/la-ethnic-groups.csv",
        "imd2019.csv": "imd/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz",
    }
    for name, real in pairs.items():
        assert head(sample_dir / name) == head(real_data / real), name
    real_ages = pd.read_csv(real_data / pairs["population_lsoa.csv"], nrows=6)["age_group"]
    mine_ages = pd.read_csv(sample_dir / "population_lsoa.csv", nrows=6)["age_group"]
    assert mine_ages.tolist() == real_ages.tolist()


def test_street_rows_follow_police_uk_conventions(street: pd.DataFrame) -> None:
    assert set(street["Crime type"]) == set(ALL_CATEGORIES)
    # a winter month may have no bicycle theft; every other category occurs every month
    assert (street.groupby("Month")["Crime type"].nunique() >= 13).all()
    everyday = set(ALL_CATEGORIES) - {"Bicycle theft"}
    assert all(everyday <= set(rows) for _, rows in street.groupby("Month")["Crime type"])
    assert (street["Month"] == street["file_month"]).all()
    assert (street["Reported by"] == "Sampleshire Police").all()
    assert (street["Falls within"] == "Sampleshire Police").all()
    assert (street["Context"] == "").all()
    asb = street["Crime type"] == ASB
    assert (street.loc[asb, "Crime ID"] == "").all()
    assert (street.loc[asb, "Last outcome category"] == "").all()
    ids = street.loc[~asb, "Crime ID"]
    assert ids.str.fullmatch(r"[0-9a-f]{64}").all() and ids.is_unique
    outcomes = set(street.loc[~asb, "Last outcome category"])
    assert "" not in outcomes and {"Under investigation", "Unable to prosecute suspect"} <= outcomes
    located = street["LSOA code"] != ""
    assert street.loc[located, "Location"].str.startswith("On or near ").all()
    assert street.loc[located, "Longitude"].str.fullmatch(r"-?\d+\.\d{6}").all()
    nowhere = street[~located]
    assert (nowhere["Location"] == "No Location").all()
    assert (nowhere[["Longitude", "Latitude", "LSOA name"]] == "").all().all()
    assert 0.01 < len(nowhere) / len(street) < 0.04


def test_recent_months_have_more_open_investigations(street: pd.DataFrame) -> None:
    crime = street[street["Crime type"] != ASB]
    open_share = (
        (crime["Last outcome category"] == "Under investigation").groupby(crime["Month"]).mean()
    )
    assert open_share["2025-03"] > 0.3 > 0.05 > open_share["2022-03"]


def test_stop_and_search_rows(stops: pd.DataFrame) -> None:
    assert stops["Date"].str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00").all()
    date_month = stops["Date"].str[:7]
    off = stops[date_month != stops["file_month"]]
    # only the first local hour of a BST month shows as the previous day in UTC
    assert (off["Date"].str[11:13] == "23").all()
    assert (pd.PeriodIndex(off["Date"].str[:7], freq="M") + 1).astype(str).tolist() == off[
        "file_month"
    ].tolist()
    per_month = stops.groupby("file_month").size()
    assert 50 < per_month.mean() < 70 and per_month.min() > 25
    self_defined = stops["Self-defined ethnicity"]
    missing = (self_defined == "") | (self_defined == "Other ethnic group - Not stated")
    assert 0.07 < missing.mean() < 0.15
    assert self_defined[~missing].str.contains(" - ").all()
    assert set(stops["Officer-defined ethnicity"]) <= {
        "White",
        "Black",
        "Asian",
        "Mixed",
        "Other",
        "",
    }
    assert set(stops["Type"]) <= {"Person search", "Person and Vehicle search", "Vehicle search"}
    assert set(stops["Outcome linked to object of search"]) <= {"True", "False"}


# --------------------------------------------------------------------------------------
# volumes
# --------------------------------------------------------------------------------------


def test_volumes_are_maidstone_like(
    sample_dir: Path, street: pd.DataFrame, sampleton: pd.DataFrame, months_present: list[str]
) -> None:
    pop = pd.read_csv(sample_dir / "population_lsoa.csv")
    sampleton_pop = pop[pop["lsoa21_name"].str.startswith("Sampleton ")]
    assert sampleton_pop["lsoa21_code"].nunique() == 100
    assert (sampleton_pop.groupby("lsoa21_code").size() == 6).all()
    assert 170_000 < sampleton_pop["usual_residents"].sum() < 180_000
    assert pop["lsoa21_name"].str.startswith("Otherford ").sum() == 30 * 6
    assert set(sampleton["LSOA code"]) == set(DISTRICT.lsoa_codes)
    per_month = _monthly(sampleton, months_present)
    assert 1350 < per_month.mean() < 1500
    otherford = street[street["LSOA name"].str.startswith("Otherford ")]
    assert 350 < len(otherford) / len(months_present) < 450


def test_category_mix_matches_maidstone(sampleton: pd.DataFrame) -> None:
    last_year = sampleton[_fy(sampleton["Month"]) == "2024/25"]
    share = last_year["Crime type"].value_counts(normalize=True) * 100
    assert share[VIOLENCE] == pytest.approx(37.9, abs=2.0)
    assert share[ASB] == pytest.approx(16.4, abs=1.5)
    assert share["Shoplifting"] == pytest.approx(9.4, abs=1.0)
    assert share["Bicycle theft"] < 1.0


def test_constants_match_the_documented_district() -> None:
    names = dict(zip(DISTRICT.lsoa_codes, DISTRICT.lsoa_names, strict=True))
    assert [names[c] for c in TOWN_CENTRE_LSOAS] == [f"Sampleton 010{x}" for x in "ABCDE"]
    assert tuple(f"E019900{k}" for k in range(46, 51)) == TOWN_CENTRE_LSOAS
    assert tuple(f"E019900{k}" for k in [*range(41, 46), *range(51, 56)]) == BUFFER_LSOAS
    assert tuple(f"E019900{k}" for k in range(71, 76)) == COMPARISON_LSOAS
    assert DISTRICT.lsoa_names[-1] == "Sampleton 020E"
    assert DISTRICT.neighbour_lsoa_names[-1] == "Otherford 006E"
    assert str(INTERVENTION_MONTH) == "2023-10" and [str(m) for m in MISSING_MONTHS] == ["2021-08"]


# --------------------------------------------------------------------------------------
# planted signals
# --------------------------------------------------------------------------------------


def _before_after(rows: pd.DataFrame, codes: tuple[str, ...], months: list[str]) -> float:
    per_month = _monthly(rows[rows["LSOA code"].isin(codes)], months)
    after = per_month[per_month.index >= str(INTERVENTION_MONTH)]
    before = per_month[per_month.index < str(INTERVENTION_MONTH)]
    return after.mean() / before.mean()


def test_s1_town_centre_intervention(
    sampleton: pd.DataFrame, crimes: pd.DataFrame, months_present: list[str]
) -> None:
    tc = _before_after(sampleton, TOWN_CENTRE_LSOAS, months_present)
    comparison = _before_after(sampleton, COMPARISON_LSOAS, months_present)
    buffer = _before_after(sampleton, BUFFER_LSOAS, months_present)
    assert tc == pytest.approx(0.75, abs=0.05)
    assert comparison == pytest.approx(1.0, abs=0.08)
    assert tc / comparison == pytest.approx(0.75, abs=0.06)  # difference in differences
    assert 0.88 < buffer < 1.02  # no displacement; a slight diffusion of benefit
    # same 12 calendar months either side (no seasonal imbalance)
    in_tc = sampleton[sampleton["LSOA code"].isin(TOWN_CENTRE_LSOAS)]
    after = in_tc["Month"].between("2023-10", "2024-09").sum()
    before = in_tc["Month"].between("2022-10", "2023-09").sum()
    assert after / before == pytest.approx(0.75, abs=0.05)
    # the town centre is 5% of LSOAs and carries 12-15% of crime before the intervention
    pre = crimes[crimes["Month"] < str(INTERVENTION_MONTH)]
    tc_share = pre["LSOA code"].isin(TOWN_CENTRE_LSOAS).mean()
    assert 0.12 < tc_share < 0.15
    all_share = crimes["LSOA code"].isin(TOWN_CENTRE_LSOAS).mean()
    for category in ("Shoplifting", "Theft from the person"):
        rows = crimes[crimes["Crime type"] == category]
        location_quotient = rows["LSOA code"].isin(TOWN_CENTRE_LSOAS).mean() / all_share
        assert location_quotient > 2.0, category


def test_s2_domestic_abuse(
    partner: pd.DataFrame, crimes: pd.DataFrame, months_present: list[str]
) -> None:
    da = partner[partner["indicator"] == "da_flagged_crimes"]
    assert set(da["sub_type"]) == {*DA_VIOLENCE, "criminal_damage", "other"}
    assert da["period"].str.fullmatch(r"\d{4}-\d\d").all() and da["period"].nunique() == 48
    da_violence = da[da["sub_type"].isin(DA_VIOLENCE)].groupby("period")["v"].sum()
    police_violence = _monthly(crimes[crimes["Crime type"] == VIOLENCE], months_present)
    assert (da_violence[months_present] <= police_violence).all()
    share_of_violence = da_violence[months_present].sum() / police_violence.sum()
    assert 0.35 <= share_of_violence <= 0.40
    all_da = da.groupby("period")["v"].sum()[months_present].sum()
    assert all_da / len(crimes) == pytest.approx(0.18, abs=0.015)
    by_year = da.assign(fy=_fy(da["period"])).groupby(["sub_type", "fy"])["v"].sum().unstack()
    change = by_year["2024/25"] / by_year["2023/24"]
    assert change["coercive_control"] == pytest.approx(0.70, abs=0.07)
    for sub in DA_VIOLENCE[1:]:
        assert change[sub] == pytest.approx(1.0, abs=0.15), sub
    # differential change: coercive control's share of DA violence falls
    cc_share = by_year.loc["coercive_control"] / by_year.loc[list(DA_VIOLENCE)].sum()
    assert cc_share["2024/25"] < 0.8 * cc_share["2023/24"]


def test_s3_spikes(crimes: pd.DataFrame, months_present: list[str]) -> None:
    robbery = _monthly(crimes[crimes["Crime type"] == "Robbery"], months_present)
    last_quarter = robbery[["2025-01", "2025-02", "2025-03"]].mean()
    previous_year = robbery["2024-01":"2024-12"].mean()
    assert last_quarter / previous_year == pytest.approx(2.5, abs=0.5)
    damage = crimes[
        (crimes["Crime type"] == "Criminal damage and arson")
        & (crimes["LSOA name"] == "Sampleton 017C")
    ]
    per_month = _monthly(damage, months_present)
    assert per_month.idxmax() == "2025-02"
    assert per_month["2025-02"] / per_month.drop("2025-02").mean() == pytest.approx(6.0, abs=2.0)


def test_s4_shoplifting_rises_about_12_percent_a_year(
    crimes: pd.DataFrame, months_present: list[str]
) -> None:
    means = _fy_mean(crimes[crimes["Crime type"] == "Shoplifting"], months_present)
    growth = (means["2024/25"] / means["2021/22"]) ** (1 / 3)
    assert growth == pytest.approx(1.12, abs=0.03)
    assert means["2024/25"] > means["2023/24"] > means["2022/23"] > means["2021/22"]


def test_s5_violence_falls_weapons_flat(crimes: pd.DataFrame, months_present: list[str]) -> None:
    def years(category: str) -> tuple[int, int]:
        rows = crimes[crimes["Crime type"] == category]
        fy = _fy(rows["Month"])
        return int((fy == "2024/25").sum()), int((fy == "2023/24").sum())

    last, previous = years(VIOLENCE)
    assert last / previous == pytest.approx(0.92, abs=0.03)
    # exact conditional test of equal rates over two equal 12-month periods
    assert binomtest(last, last + previous, 0.5).pvalue < 0.001
    last, previous = years("Possession of weapons")
    assert last / previous == pytest.approx(1.0, abs=0.15)
    assert binomtest(last, last + previous, 0.5).pvalue > 0.05


def test_s6_stop_search_disproportionality(sample_dir: Path, stops: pd.DataFrame) -> None:
    eth = pd.read_csv(sample_dir / "population_ethnicity.csv")
    assert eth["geography code"].tolist() == ["E07999999", "E07999998"]
    groups = ("White", "Mixed", "Asian", "Black", "Other")
    totals = eth[[f"Ethnic Group: {g}; measures: Value" for g in groups]].sum(axis=1)
    assert (totals == eth["Ethnic Group: All categories: Ethnic group; measures: Value"]).all()
    black = eth["Ethnic Group: Black; measures: Value"].sum()
    white = eth["Ethnic Group: White; measures: Value"].sum()
    self_defined = stops["Self-defined ethnicity"]
    rate_black = (
        self_defined.str.startswith("Black/African/Caribbean/Black British - ").sum() / black
    )
    rate_white = self_defined.str.startswith("White - ").sum() / white
    assert rate_black / rate_white == pytest.approx(3.0, abs=0.5)


def test_s7_deprivation_gradient(sample_dir: Path, crimes: pd.DataFrame) -> None:
    imd = pd.read_csv(sample_dir / "imd2019.csv", encoding="utf-8-sig", thousands=",")
    rank = imd["Index of Multiple Deprivation (IMD) Rank"]
    decile = imd["Index of Multiple Deprivation (IMD) Decile"]
    assert (np.ceil(rank / 3284.4).astype(int) == decile).all() and rank.is_unique
    deciles = dict(zip(imd["LSOA name (2011)"], decile, strict=True))
    assert deciles["Sampleton 017C"] == 1
    assert all(deciles[f"Sampleton 010{x}"] <= 4 for x in "ABCDE")
    pop = (
        pd.read_csv(sample_dir / "population_lsoa.csv")
        .groupby("lsoa21_code")["usual_residents"]
        .sum()
    )
    sampleton_codes = imd[imd["LSOA code (2011)"].isin(DISTRICT.lsoa_codes)]
    dec = sampleton_codes.set_index("LSOA code (2011)")[
        "Index of Multiple Deprivation (IMD) Decile"
    ]
    counts = crimes[_fy(crimes["Month"]) == "2024/25"].groupby("LSOA code").size()
    counts = counts.reindex(dec.index, fill_value=0)
    low, high = dec.index[dec <= 2], dec.index[dec >= 9]
    ratio = (counts[low].sum() / pop[low].sum()) / (counts[high].sum() / pop[high].sum())
    assert ratio == pytest.approx(2.5, abs=0.3)


def test_s8_survey(sample_dir: Path) -> None:
    survey = _read(sample_dir / "survey.csv")
    answered = survey[survey["response"] != ""].copy()
    assert 0.95 < len(answered) / len(survey) < 0.995
    assert (survey["weight"].astype(float) > 0).all()
    size = survey.groupby(["survey", "year"])["respondent_id"].nunique()
    assert size["public"].between(900, 1100).all() and size["youth"].between(330, 470).all()
    per = survey.groupby(["survey", "year", "respondent_id"]).size()
    assert (per == survey["question"].nunique()).all()
    q = answered[answered["question"] == "safe_town_centre_after_dark"]
    w = q["weight"].astype(float)
    positive = q["response"].isin(["Very safe", "Fairly safe"]) * w
    share = (
        positive.groupby([q["survey"], q["year"]]).sum() / w.groupby([q["survey"], q["year"]]).sum()
    )
    assert share[("public", "2023/24")] == pytest.approx(0.45, abs=0.04)
    assert share[("public", "2024/25")] == pytest.approx(0.55, abs=0.04)
    assert share[("public", "2024/25")] - share[("public", "2023/24")] > 0.05
    assert share[("youth", "2023/24")] == pytest.approx(0.35, abs=0.05)
    assert share[("youth", "2024/25")] == pytest.approx(0.35, abs=0.05)


def test_s9_partner_indicators(partner: pd.DataFrame) -> None:
    period = r"\d{4}-\d\d|\d{4}/\d\d|\d{4}/\d\d Q[1-4]"
    assert partner["period"].str.fullmatch(period).all()
    assert partner["indicator"].str.fullmatch(r"[a-z][a-z0-9_]*").all()
    assert (partner["area"] == DISTRICT.lad_code).all() and (partner["v"] >= 0).all()
    assert set(partner["indicator"]) == {
        "da_flagged_crimes",
        "marac_cases",
        "marac_repeat_cases",
        "youth_first_time_entrants",
        "youth_reoffending",
        "knife_crime",
        "nrm_referrals",
    }
    repeats = partner[partner["indicator"] == "marac_repeat_cases"]
    pct = 100 * repeats["numerator"].astype(float) / repeats["denominator"].astype(float)
    assert np.allclose(pct.round(1), repeats["v"])

    def per_year(indicator: str) -> pd.Series:
        rows = partner[partner["indicator"] == indicator]
        return rows.groupby(rows["period"].str[:7])["v"].sum()

    nrm = per_year("nrm_referrals")
    assert nrm["2024/25"] > 1.5 * nrm["2021/22"]
    fte = per_year("youth_first_time_entrants")
    assert fte["2024/25"] < 0.8 * fte["2021/22"]
    knife = partner[partner["indicator"] == "knife_crime"]
    knife_year = knife.groupby(_fy(knife["period"]))["v"].sum()
    assert knife_year["2024/25"] / knife_year["2023/24"] == pytest.approx(1.0, abs=0.15)


def test_s10_fingertips(sample_dir: Path) -> None:
    ft = _read(sample_dir / "fingertips.csv")
    required = [
        "Indicator ID",
        "Indicator Name",
        "Area Code",
        "Area Name",
        "Area Type",
        "Sex",
        "Age",
        "Time period",
        "Value",
        "Lower CI 95.0 limit",
        "Upper CI 95.0 limit",
        "Count",
        "Denominator",
    ]
    assert set(required) <= set(ft.columns)
    assert {
        "Time period Sortable",
        "Value note",
        "Compared to England value or percentiles",
    } <= set(ft.columns)
    assert set(ft["Area Code"]) == {"E07999999", "E10999999", "E92000001"}
    assert set(ft["Indicator ID"]) == {"11201", "93764", "21001", "10401"}
    assert "2020/21 - 22/23" in set(ft["Time period"])
    value = ft["Value"].astype(float)
    assert (ft["Lower CI 95.0 limit"].astype(float) < value).all()
    assert (value < ft["Upper CI 95.0 limit"].astype(float)).all()

    def series(ind: str, area: str) -> pd.Series:
        rows = ft[(ft["Indicator ID"] == ind) & (ft["Area Code"] == area)]
        return rows.set_index("Time period")["Value"].astype(float)

    alcohol, alcohol_eng = series("93764", "E07999999"), series("93764", "E92000001")
    assert (alcohol > 1.1 * alcohol_eng).all()
    violence, violence_eng = series("11201", "E07999999"), series("11201", "E92000001")
    assert ((violence / violence_eng - 1).abs() < 0.2).all()
    harm = series("21001", "E07999999")
    assert harm.iloc[-1] > 1.2 * harm.iloc[0]
    sampleton = ft[ft["Area Code"] == "E07999999"]
    latest = sampleton.groupby("Indicator ID").tail(1).set_index("Indicator ID")
    assert latest.loc["93764", "Compared to England value or percentiles"] == "Worse"
    assert latest.loc["11201", "Compared to England value or percentiles"] == "Similar"
    assert latest.loc["21001", "Recent Trend"] == "Increasing and getting worse"
