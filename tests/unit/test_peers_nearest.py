"""Nearest-neighbour peers: the pure computation on hand-worked examples."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from smp_analysis.errors import InputError
from smp_analysis.peers.nearest import (
    AGE_VARIABLES,
    DOMAIN_VARIABLES,
    VARIABLES,
    district_variables,
    method_text,
    nearest_from_variables,
)

FOUR = pd.DataFrame(
    {
        "code": ["A", "B", "C", "D"],
        "name": ["Ay", "Bee", "Cee", "Dee"],
        "x": [1.0, 2.0, 4.0, 7.0],
        "y": [10.0, 30.0, 20.0, 40.0],
    }
)


def test_four_districts_by_hand_and_r():
    # By hand: x has mean 3.5 and sample sd sqrt(21/3) = 2.6458; y has mean 25 and sd
    # sqrt(500/3) = 12.910. From A: C differs by 3 and 10 -> z-differences 1.1339 and
    # 0.7746 -> sqrt(1.2857 + 0.6) = 1.3732; B by 1 and 20 -> sqrt(1/7 + 2.4) = 1.5946;
    # D by 6 and 30 -> sqrt(36/7 + 5.4) = 3.2470.
    # R: m <- cbind(x=c(1,2,4,7), y=c(10,30,20,40)); round(as.matrix(dist(scale(m))), 6)
    #   row 1: 0.000000 1.594634 1.373213 3.246977
    #   row 2: 1.594634 0.000000 1.082326 2.042408
    r = nearest_from_variables(FOUR, "A", 3, columns=["x", "y"])
    assert r["code"].tolist() == ["C", "B", "D"]
    assert r["rank"].tolist() == [1, 2, 3]
    np.testing.assert_allclose(r["distance"], [1.373213, 1.594634, 3.246977], atol=1e-6)
    assert math.isclose(r["distance"].iloc[0], math.sqrt(9 / 7 + 100 / (500 / 3)))
    r2 = nearest_from_variables(FOUR, "bee", 2, columns=["x", "y"])  # by name, any case
    assert r2["code"].tolist() == ["C", "A"]
    np.testing.assert_allclose(r2["distance"], [1.082326, 1.594634], atol=1e-6)
    assert "B" not in set(r2["code"])


def test_weights_change_the_order():
    # weight y by 0: only x counts, |x_A - x_B| = 1 < |x_A - x_C| = 3
    r = nearest_from_variables(FOUR, "A", 2, columns=["x", "y"], weights={"y": 0.0})
    assert r["code"].tolist() == ["B", "C"]
    np.testing.assert_allclose(r["distance"], [1 / math.sqrt(7), 3 / math.sqrt(7)])


def test_unknown_target_suggests_close_names():
    with pytest.raises(InputError) as e:
        nearest_from_variables(FOUR, "Cea", 1, columns=["x", "y"])
    msg = str(e.value)
    assert "'Cea' is not an English local authority district" in msg
    assert "did you mean 'Cee'" in msg
    assert "\n" not in msg


@pytest.mark.parametrize("k", [0, 4])
def test_k_out_of_range(k):
    with pytest.raises(ValueError, match="between 1 and 3"):
        nearest_from_variables(FOUR, "A", k, columns=["x", "y"])


def test_district_missing_a_value_is_left_out():
    v = FOUR.copy()
    v.loc[3, "y"] = np.nan
    r = nearest_from_variables(v, "A", 2, columns=["x", "y"])
    assert r.attrs["left_out"] == ["D"]
    assert set(r["code"]) == {"B", "C"}
    with pytest.raises(InputError, match="has no value"):
        nearest_from_variables(v, "D", 1, columns=["x", "y"])


def _bands() -> list[str]:
    return [
        "Aged 15 years and under",
        "Aged 16 to 24 years",
        "Aged 25 to 34 years",
        "Aged 35 to 49 years",
        "Aged 50 to 64 years",
        "Aged 65 years and over",
    ]


def test_district_variables_weights_and_age_shares():
    # L1 has 2011 LSOAs E1 (rank 100) and E2 (rank 400); E2's code is gone in 2021 (split
    # into E9, named "One 001C"), so E2 is weighted by L1's mean matched LSOA population.
    imd = pd.DataFrame(
        {
            "lsoa_code": ["E1", "E2", "E3", "W1"],
            "lad_code": ["E07000001", "E07000001", "E07000002", "W06000001"],
            "lad_name": ["One", "One", "Two", "Wales"],
            **{f"{d}_rank": [100, 400, 50, 7] for d in DOMAIN_VARIABLES},
        }
    )
    lookup = imd[["lsoa_code", "lad_code", "lad_name"]]
    census = pd.DataFrame(
        {
            "lsoa_code": ["E1"] * 6 + ["E9"] * 6 + ["E3"] * 6 + ["E8"] * 6,
            "lsoa_name": ["One 001A"] * 6
            + ["One 001C"] * 6
            + ["Two 001A"] * 6
            + ["Newshire 001A"] * 6,
            "age_group": _bands() * 4,
            # E1: 10 aged 0-15, 50 aged 16-64 (4 bands), 40 aged 65+ = 100
            "usual_residents": [10, 20, 10, 10, 10, 40] + [5] * 6 + [1] * 6 + [7] * 6,
        }
    )
    v = district_variables(imd, census, lookup).set_index("code")
    assert list(v.index) == ["E07000001", "E07000002"]  # Welsh district left out
    assert list(v.columns) == ["name", "population", *VARIABLES]
    # L1 population: E1 100 + E9 30 (placed by name) = 130; E2's weight = E1's 100 -> equal
    assert v.loc["E07000001", "population"] == 130
    assert v.loc["E07000001", "income"] == pytest.approx((100 * 100 + 400 * 100) / 200)
    assert v.loc["E07000001", "share_0_15"] == pytest.approx((10 + 5) / 130)
    assert v.loc["E07000001", "share_16_64"] == pytest.approx((50 + 20) / 130)
    assert v.loc["E07000001", "share_65_plus"] == pytest.approx((40 + 5) / 130)
    assert v.loc["E07000002", "log_population"] == pytest.approx(math.log10(6))
    assert v[list(AGE_VARIABLES)].sum(axis=1).tolist() == pytest.approx([1.0, 1.0])
    # "Newshire" is no 2019 district: its 42 residents are counted as unplaced
    assert v.attrs == {"unplaced_residents": 42, "imputed_weight_lsoas": 1}


def test_method_text_names_variables_and_sources():
    t = method_text(15, n_districts=317)
    for needed in (
        "15 most similar",
        "317 districts",
        "Indices of Deprivation 2019",
        "Census 2021",
        "population density",
        "Euclidean",
        "z-scores",
    ):
        assert needed in t
