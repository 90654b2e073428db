"""Fingertips exports: own column names, suppressed values kept missing, optional columns."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from smp_analysis.errors import InputError
from smp_analysis.sources.fingertips import FINGERTIPS_REQUIRED, read_fingertips

HEAD = ",".join(
    ["Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code", "Area Name",
     "Area Type", "Sex", "Age", "Category Type", "Category", "Time period", "Value",
     "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Lower CI 99.8 limit", "Upper CI 99.8 limit",
     "Count", "Denominator", "Value note", "Recent Trend",
     "Compared to England value or percentiles", "Compared to percentiles",
     "Time period Sortable", "New data", "Compared to goal", "Time period range"]
)  # fmt: skip


def test_full_api_export(tmp_path: Path) -> None:
    p = tmp_path / "f.csv"
    p.write_text(
        "\ufeff" + HEAD + "\n"
        "11201,Violent crime - hospital admissions for violence,E12000008,South East region,"
        "E07000110,Maidstone,Districts & UAs (from Apr 2023),Persons,All ages,,,"
        "2020/21 - 22/23,35.1,30.2,40.6,28.0,43.9,147,1263880,,Cannot be calculated,"
        "Better 95%,Not compared,20200000,,,3y\n"
        "11201,Violent crime - hospital admissions for violence,E12000008,South East region,"
        "E07000110,Maidstone,Districts & UAs (from Apr 2023),Persons,All ages,"
        "Deprivation deciles,Most deprived decile,2020/21 - 22/23,,,,,,,,"
        "Value suppressed for disclosure control due to small count,,,,20200000,,,3y\n",
        encoding="utf-8",
    )
    df = read_fingertips(p)
    assert df["indicator_id"].tolist() == [11201, 11201]
    assert df["value"].iloc[0] == 35.1 and np.isnan(df["value"].iloc[1])
    assert df["value_note"].iloc[1].startswith("Value suppressed")
    assert df["category_type"].tolist() == ["", "Deprivation deciles"]
    assert df["time_period_sortable"].tolist() == [20200000, 20200000]
    assert df["compared_to_england"].iloc[0] == "Better 95%"
    assert df["count"].iloc[0] == 147


def test_minimal_columns(tmp_path: Path) -> None:
    p = tmp_path / "f.csv"
    p.write_text(",".join(FINGERTIPS_REQUIRED) + "\n"
                 "93764,Alcohol admissions,E07000110,Maidstone,District,Persons,All ages,2022/23,"
                 "480.2,455.1,506.3,874,\n")  # fmt: skip
    df = read_fingertips(p)
    assert df["time_period_sortable"].isna().all() and df["value_note"].tolist() == [""]
    assert np.isnan(df["denominator"].iloc[0])


def test_crossed_interval(tmp_path: Path) -> None:
    p = tmp_path / "f.csv"
    p.write_text(",".join(FINGERTIPS_REQUIRED) + "\n"
                 "93764,A,E07000110,Maidstone,District,Persons,All ages,2022/23,480,506,455,874,\n")  # fmt: skip
    with pytest.raises(InputError, match="lower limit 506.0 is above upper limit 455.0") as info:
        read_fingertips(p)
    assert info.value.line == 2
