"""Deprivation gradient: every crime accounted for, zeros kept, bad input refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smp_analysis.stats.deprivation import most_vs_least_deprived, rates_by_decile
from smp_analysis.stats.disproportionality import relative_rate_index


@pytest.fixture()
def area() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    lsoas = [f"E0{i}" for i in range(1, 11)]
    pop = pd.DataFrame({"lsoa_code": lsoas, "population": [1500.0] * 10})
    imd = pd.DataFrame({"lsoa_code": lsoas, "decile": list(range(1, 11))})
    counts = pd.DataFrame(
        {
            "crime_type": ["Burglary"] * 4 + ["Robbery"] * 2,
            "month": ["2024-01", "2024-02", "2024-01", "2024-01", "2024-01", "2024-01"],
            "lsoa_code": ["E01", "E01", "E010", "E0X", "E01", "E02"],
            "count": [30, 30, 6, 4, 2, 1],
        }
    )
    return counts, pop, imd


def test_totals_add_up_and_zeros_are_kept(area) -> None:
    counts, pop, imd = area
    t = rates_by_decile(counts, pop, imd, by=["crime_type"])
    for ct, g in t.groupby("crime_type"):
        assert g["count"].sum() == counts.loc[counts["crime_type"] == ct, "count"].sum()
    burg = t[t["crime_type"] == "Burglary"].set_index("decile")
    assert burg.loc[1, "count"] == 60 and burg.loc[1, "rate"] == 40.0
    assert burg.loc[5, "count"] == 0 and burg.loc[5, "rate"] == 0 and burg.loc[5, "ci_high"] > 0
    # the crimes in E0X (no decile) are in their own row, never dropped
    um = t[t["decile"].isna()]
    assert len(um) == 1 and um["crime_type"].iloc[0] == "Burglary"
    assert um["count"].iloc[0] == 4 and um["lsoas"].iloc[0] == 1 and np.isnan(um["rate"].iloc[0])
    assert t[t["crime_type"] == "Robbery"]["decile"].notna().all()
    assert len(t[t["crime_type"] == "Robbery"]) == 10


def test_quintiles_pool_pairs_of_deciles(area) -> None:
    counts, pop, imd = area
    t = rates_by_decile(counts, pop, imd, groups="quintile")
    q = t.set_index("quintile")
    assert q.loc[1, "lsoas"] == 2 and q.loc[1, "population"] == 3000
    assert q.loc[1, "count"] == 63 and q.loc[5, "count"] == 6
    r = most_vs_least_deprived(t)
    assert (r["most"].iloc[0], r["least"].iloc[0], r["group"].iloc[0]) == (1, 5, "quintile")
    ref = relative_rate_index(63, 3000, 6, 3000, kind="rate", method="exact")
    assert r["rate_ratio"].iloc[0] == pytest.approx(ref.rri)
    assert r["ci_low"].iloc[0] == pytest.approx(ref.ci_low)


def test_most_vs_least_by_group(area) -> None:
    counts, pop, imd = area
    t = rates_by_decile(counts, pop, imd, by=["crime_type"])
    r = most_vs_least_deprived(t, by=["crime_type"])
    assert r["crime_type"].tolist() == ["Burglary", "Robbery"]
    rob = r.set_index("crime_type").loc["Robbery"]
    assert rob["count_least"] == 0 and rob["rate_ratio"] == np.inf and rob["ci_high"] == np.inf


def test_missing_extreme_decile_is_explained() -> None:
    pop = pd.DataFrame({"lsoa_code": ["a", "b"], "population": [1000, 1000]})
    imd = pd.DataFrame({"lsoa_code": ["a", "b"], "decile": [3, 8]})
    counts = pd.DataFrame({"lsoa_code": ["a"], "count": [5]})
    t = rates_by_decile(counts, pop, imd)
    with pytest.raises(ValueError, match="no LSOAs in decile 1.*quintile"):
        most_vs_least_deprived(t)
    r = most_vs_least_deprived(t, most=3, least=8)
    assert r["rate_ratio"].iloc[0] == np.inf


def test_lsoa_with_decile_but_no_population_is_unmatched() -> None:
    pop = pd.DataFrame({"lsoa_code": ["a"], "population": [1000]})
    imd = pd.DataFrame({"lsoa_code": ["a", "b"], "decile": [1, 10]})
    counts = pd.DataFrame({"lsoa_code": ["a", "b"], "count": [5, 7]})
    t = rates_by_decile(counts, pop, imd)
    assert t["decile"].tolist()[:1] == [1] and t["decile"].isna().sum() == 1
    assert t["count"].sum() == 12


@pytest.mark.parametrize(
    ("change", "msg"),
    [
        ({"count": [np.nan]}, "missing"),
        ({"count": [-1]}, "negative"),
        ({"decile": [0]}, "1 to 10"),
        ({"decile": ["x"]}, "1 to 10"),
        ({"population": [0]}, "positive"),
        ({"dup_pop": True}, "more than once"),
    ],
)
def test_bad_input(change: dict, msg: str) -> None:
    counts = pd.DataFrame({"lsoa_code": ["a"], "count": change.get("count", [1])})
    pop = pd.DataFrame({"lsoa_code": ["a"], "population": change.get("population", [100])})
    if change.get("dup_pop"):
        pop = pd.concat([pop, pop])
    imd = pd.DataFrame({"lsoa_code": ["a"], "decile": change.get("decile", [1])})
    with pytest.raises(ValueError, match=msg):
        rates_by_decile(counts, pop, imd)


def test_column_names_and_group_option_checked() -> None:
    df = pd.DataFrame({"lsoa_code": ["a"], "count": [1]})
    with pytest.raises(ValueError, match="columns not found"):
        rates_by_decile(df, df, df)
    with pytest.raises(ValueError, match="groups"):
        rates_by_decile(df, df, df, groups="tercile")  # type: ignore[arg-type]
