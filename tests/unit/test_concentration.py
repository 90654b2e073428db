"""Concentration measures and location quotients: behaviour and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smp_analysis.categories import ASB
from smp_analysis.stats.concentration import (
    concentration_table,
    generalised_gini,
    gini,
    location_quotient,
    location_quotient_table,
    lorenz_curve,
    places_for_share,
    top_share,
)

# ---------------------------------------------------------------- Gini / Lorenz


def test_gini_extremes() -> None:
    assert gini([4, 4, 4, 4]) == 0.0
    assert gini([7]) == 0.0
    assert gini([0, 0, 0, 9]) == pytest.approx(3 / 4)  # (n - 1) / n
    assert gini([0, 0, 0, 9], unbiased=True) == pytest.approx(1.0)


def test_gini_is_order_and_scale_invariant() -> None:
    x = [5, 0, 3, 9, 1, 0, 2]
    assert gini(x) == pytest.approx(gini(sorted(x)))
    assert gini(x) == pytest.approx(gini([10 * v for v in x]))
    assert gini(np.array(x)) == gini(pd.Series(x)) == gini(iter(x))


@pytest.mark.parametrize(
    ("x", "msg"),
    [([], "no places"), ([0, 0], "no crimes"), ([1, -1], "negative"), ([1, np.nan], "NaN")],
)
def test_gini_rejects_bad_counts(x: list[float], msg: str) -> None:
    with pytest.raises(ValueError, match=msg):
        gini(x)
    with pytest.raises(ValueError, match=msg):
        generalised_gini(x)


def test_unbiased_needs_two_places_or_crimes() -> None:
    with pytest.raises(ValueError, match="at least 2 places"):
        gini([3], unbiased=True)
    with pytest.raises(ValueError, match="2 crimes"):
        generalised_gini([1, 0, 0], unbiased=True)


def test_generalised_gini_equals_gini_when_crimes_at_least_places() -> None:
    x = [3, 2, 1, 0, 0, 0]  # 6 crimes, 6 places
    assert generalised_gini(x) == pytest.approx(gini(x))


def test_generalised_gini_zero_under_maximal_attainable_equality() -> None:
    # 10 robberies in 10 different places out of 1,000: standard Gini 0.99, generalised 0
    x = [1] * 10 + [0] * 990
    assert gini(x) == pytest.approx(0.99)
    assert generalised_gini(x) == pytest.approx(0.0, abs=1e-12)
    # all 10 in one place: the biased generalised Gini is 1 - 1/C, the unbiased one 1
    y = [10] + [0] * 999
    assert generalised_gini(y) == pytest.approx(0.9)
    assert generalised_gini(y, unbiased=True) == pytest.approx(1.0)


@given(st.lists(st.integers(0, 50), min_size=2, max_size=200).filter(lambda v: sum(v) > 0))
def test_generalised_gini_between_zero_and_gini(x: list[int]) -> None:
    g, gg = gini(x), generalised_gini(x)
    assert -1e-12 <= gg <= g + 1e-12
    assert 0 <= g < 1


def test_lorenz_curve_shape() -> None:
    lc = lorenz_curve([0, 5, 1, 4])
    assert lc["places"].tolist() == [0, 1, 2, 3, 4]
    assert lc["crime_share"].tolist() == [0.0, 0.5, 0.9, 1.0, 1.0]
    assert lc["place_share"].tolist() == [0, 0.25, 0.5, 0.75, 1.0]
    assert lc["max_equality_share"].tolist() == [0, 0.25, 0.5, 0.75, 1.0]  # 10 crimes ≥ 4 places
    sparse = lorenz_curve([2, 0, 0, 0, 0])  # 2 crimes, 5 places: equality line reaches 1 at k=2
    assert sparse["max_equality_share"].tolist() == [0, 0.5, 1, 1, 1, 1]


def test_top_share_and_places_for_share() -> None:
    x = [0, 0, 6, 2, 2]
    assert top_share(x, 1.0) == 1.0
    assert top_share(x, 0.2) == pytest.approx(0.6)
    assert top_share(x, 0.1) == pytest.approx(0.3)  # half of the top place, interpolated
    r = places_for_share(x, 1.0)
    assert (r.places, r.n_places, r.share, r.crimes) == (3, 5, 1.0, 10.0)
    r = places_for_share(x, 0.6)  # exactly reached by one place
    assert (r.places, r.fraction) == (1, 0.2)
    with pytest.raises(ValueError, match="fraction"):
        top_share(x, 0)
    with pytest.raises(ValueError, match="share"):
        places_for_share(x, 1.5)


def test_concentration_table_groups_and_empty_group() -> None:
    df = pd.DataFrame(
        {
            "crime_type": ["Burglary"] * 4 + ["Robbery"] * 4,
            "lsoa": list("abcd") * 2,
            "count": [4, 4, 4, 4, 0, 0, 0, 0],
        }
    )
    t = concentration_table(df, by=["crime_type"], fractions=[0.25, 0.5], shares=[0.5, 0.8])
    b = t[t["crime_type"] == "Burglary"].iloc[0]
    assert (b["places"], b["crimes"], b["gini"], b["share_top_25pct"]) == (4, 16.0, 0.0, 0.25)
    assert (b["places_50pct_of_crime"], b["fraction_80pct_of_crime"]) == (2, 1.0)
    r = t[t["crime_type"] == "Robbery"].iloc[0]
    assert r["crimes"] == 0 and np.isnan(r["gini"]) and np.isnan(r["share_top_50pct"])
    with pytest.raises(ValueError, match="missing"):
        concentration_table(df.assign(count=np.nan), by=["crime_type"])


# ---------------------------------------------------------------- location quotients


AREA = {"Shoplifting": 300, "Burglary": 20, "Violence": 380}
DISTRICT = {"Shoplifting": 1200, "Burglary": 900, "Violence": 3900}


def test_lq_definition_and_weighted_mean_is_one() -> None:
    t = location_quotient(AREA, DISTRICT)
    assert t["area_total"].iloc[0] == 700 and t["region_total"].iloc[0] == 6000
    assert t["lq"].tolist() == pytest.approx(
        [(a / 700) / (r / 6000) for a, r in zip(AREA.values(), DISTRICT.values(), strict=True)]
    )
    # Σ region_share × LQ = Σ area_share = 1
    assert (t["region_share"] * t["lq"]).sum() == pytest.approx(1.0)
    assert (t["ci_low"] < t["lq"]).all() and (t["lq"] < t["ci_high"]).all()


def test_lq_nested_interval_narrower_than_independent() -> None:
    nested = location_quotient(AREA, DISTRICT)
    indep = location_quotient(AREA, DISTRICT, nested=False)
    assert (nested["ci_high"] - nested["ci_low"] < indep["ci_high"] - indep["ci_low"]).all()


def test_lq_area_is_whole_region() -> None:
    t = location_quotient(DISTRICT, DISTRICT)
    assert np.allclose(t["lq"], 1.0) and np.allclose(t["ci_low"], 1.0)


def test_lq_zero_area_count_and_missing_category() -> None:
    t = location_quotient({"Shoplifting": 10}, {"Shoplifting": 100, "Robbery": 50}).set_index(
        "category"
    )
    assert t.loc["Robbery", "lq"] == 0.0 and np.isnan(t.loc["Robbery", "ci_low"])


@pytest.mark.parametrize(
    ("area", "region", "kw", "msg"),
    [
        ({"A": 5}, {"A": 4}, {}, "above region"),
        ({"B": 1}, {"A": 4}, {}, "not in the region"),
        ({"A": 0}, {"A": 4}, {}, "no crimes"),
        ({"A": -1}, {"A": 4}, {}, "negative"),
        ({"A": 1}, {"A": np.nan}, {}, "missing"),
        ({"A": 1}, {"A": 4}, {"conf_level": 1.5}, "conf_level"),
    ],
)
def test_lq_rejects_impossible_input(area: dict, region: dict, kw: dict, msg: str) -> None:
    with pytest.raises(ValueError, match=msg):
        location_quotient(area, region, **kw)


def test_lq_nested_interval_coverage_by_simulation() -> None:
    # Town centre: 800 crimes, rest of district 4,200; category share 0.12 vs 0.05.
    rng = np.random.default_rng(20240501)
    big_a, big_b, p_a, p_b = 800, 4200, 0.12, 0.05
    true_lq = p_a / ((big_a * p_a + big_b * p_b) / (big_a + big_b))
    sims = 2000
    a = rng.binomial(big_a, p_a, sims)
    b = rng.binomial(big_b, p_b, sims)
    hits = 0
    for ai, bi in zip(a, b, strict=True):
        t = location_quotient(
            {"x": ai, "y": big_a - ai}, {"x": ai + bi, "y": big_a + big_b - ai - bi}
        )
        hits += t["ci_low"].iloc[0] <= true_lq <= t["ci_high"].iloc[0]
    assert 0.93 <= hits / sims <= 0.97  # ±4 binomial SE around 0.95


@pytest.fixture()
def cube_counts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [1] * 6 + [2] * 6,
            "lsoa_code": ["A", "A", "A", "B", "B", "C"] * 2,
            "crime_type": ["Shoplifting", "Burglary", ASB, "Shoplifting", "Burglary", "Burglary"]
            * 2,
            "count": [50, 5, 99, 10, 20, 25, 40, 5, 99, 20, 20, 25],
        }
    )


def test_lq_table_excludes_asb_and_sums_over_places(cube_counts: pd.DataFrame) -> None:
    t = location_quotient_table(cube_counts[cube_counts["year"] == 1], area=["A"])
    assert ASB not in set(t["crime_type"])
    s = t.set_index("crime_type")
    assert s.loc["Shoplifting", "area_count"] == 50 and s.loc["Shoplifting", "region_count"] == 60
    assert s.loc["Burglary", "area_total"] == 55 and s.loc["Burglary", "region_total"] == 110
    ref = location_quotient({"Burglary": 5, "Shoplifting": 50}, {"Burglary": 50, "Shoplifting": 60})
    assert s.loc["Burglary", "lq"] == pytest.approx(ref.set_index("category").loc["Burglary", "lq"])


def test_lq_table_by_groups_and_explicit_categories(cube_counts: pd.DataFrame) -> None:
    t = location_quotient_table(
        cube_counts, area=["A", "B"], by=["year"], categories=["Burglary", ASB]
    )
    assert t["year"].tolist() == [1, 1, 2, 2]
    assert set(t["crime_type"]) == {"Burglary", ASB}
    assert t.columns[:2].tolist() == ["year", "crime_type"]


def test_lq_table_errors(cube_counts: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="area places not in the counts"):
        location_quotient_table(cube_counts, area=["Z"])
    with pytest.raises(ValueError, match="missing"):
        location_quotient_table(cube_counts.assign(count=np.nan), area=["A"])
    with pytest.raises(ValueError, match="columns not found"):
        location_quotient_table(cube_counts, area=["A"], place="lsoa")
