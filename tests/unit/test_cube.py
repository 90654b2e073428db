"""The cube keeps missing months missing and real zeros zero."""

import numpy as np
import pandas as pd
import pytest

from smp_analysis.categories import ASB, CRIME_TYPES
from smp_analysis.cube import Cube


@pytest.fixture()
def cube() -> Cube:
    counts = pd.DataFrame(
        {
            "month": ["2024-01", "2024-01", "2024-01", "2024-03", "2024-04"],
            "lsoa_code": ["E1", "E2", "E1", "E1", "E2"],
            "lsoa_name": ["A 001A", "A 001B", "A 001A", "A 001A", "A 001B"],
            "crime_type": ["Burglary", "Burglary", ASB, "Robbery", "Burglary"],
            "count": [3, 1, 5, 2, 4],
        }
    )
    lsoas = pd.DataFrame(
        {"lsoa_code": ["E1", "E2", "E3"], "lsoa_name": ["A 001A", "A 001B", "A 001C"]}
    )
    return Cube.from_counts(
        counts,
        months_present=["2024-01", "2024-03", "2024-04"],
        start="2024-01",
        end="2024-04",
        lsoas=lsoas,
    )


def test_missing_month_is_nan_not_zero(cube: Cube) -> None:
    s = cube.series(by=[], crime_types=["Burglary"])
    assert s["month"].astype(str).tolist() == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert s["count"].iloc[0] == 4 and np.isnan(s["count"].iloc[1])
    assert s["count"].iloc[2] == 0 and s["count"].iloc[3] == 4


def test_asb_excluded_from_crime_by_default(cube: Cube) -> None:
    total = cube.series(by=[])["count"].sum()
    assert total == 3 + 1 + 2 + 4  # the 5 ASB incidents are not crimes
    asb = cube.series(by=[], crime_types=[ASB])["count"].sum()
    assert asb == 5


def test_dense_grid_covers_every_lsoa_and_type(cube: Cube) -> None:
    s = cube.series(by=["lsoa_code", "crime_type"])
    assert len(s) == 3 * len(CRIME_TYPES) * 4
    e3 = s[s["lsoa_code"] == "E3"]
    assert e3["count"].sum() == 0 and e3["count"].isna().sum() == len(CRIME_TYPES)


def test_area_groups(cube: Cube) -> None:
    s = cube.series(by=["area_group"], lsoa_groups={"E1": "centre", "E2": "rest", "E3": "rest"})
    jan = s[s["month"] == pd.Period("2024-01", "M")].set_index("area_group")["count"]
    assert jan["centre"] == 3 and jan["rest"] == 1


def test_missing_months_property(cube: Cube) -> None:
    assert [str(m) for m in cube.missing_months] == ["2024-02"]


def test_bad_group_rejected(cube: Cube) -> None:
    with pytest.raises(ValueError, match="cannot group"):
        cube.series(by=["ward"])
