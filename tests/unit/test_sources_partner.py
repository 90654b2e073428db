"""Partner returns: periods, ids, numbers — typed, and every bad cell named."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smp_analysis.errors import InputError
from smp_analysis.sources.partner import parse_period, read_partner_returns


@pytest.mark.parametrize(
    ("label", "kind", "first", "last"),
    [
        ("2024-07", "month", "2024-07", "2024-07"),
        ("2024/25", "year", "2024-04", "2025-03"),
        ("2024/25 Q1", "quarter", "2024-04", "2024-06"),
        ("2024/25 Q3", "quarter", "2024-10", "2024-12"),
        ("2099/00", "year", "2099-04", "2100-03"),  # century turn: 99 → 00
    ],
)
def test_parse_period(label, kind, first, last) -> None:
    k, lo, hi = parse_period(label)
    assert (k, str(lo), str(hi)) == (kind, first, last)


@pytest.mark.parametrize("label", ["2024/26", "2024-13", "24/25", "2024/25 Q5", "FY2024"])
def test_parse_period_rejects(label) -> None:
    with pytest.raises(ValueError):
        parse_period(label)


def test_read_typed_frame(tmp_path: Path) -> None:
    p = tmp_path / "partner_returns.csv"
    p.write_text(
        "period,indicator,area,value,numerator,denominator,sub_type,note\n"
        "2024-04,da_flagged_crimes,E07000110,41,,,coercive_control,\n"
        '2024-04,da_flagged_crimes,E07000110,"1,204",,,other,\n'
        "2024/25 Q1,marac_repeat_cases,E07000110,30.9,17,55,,small numbers\n"
        "2023/24,youth_reoffending,E07000110,28.5,19,67,,\n"
    )
    df = read_partner_returns(p)
    assert df.columns.tolist() == [
        "period", "period_type", "period_start", "period_end", "indicator", "area",
        "sub_type", "value", "numerator", "denominator", "note",
    ]  # fmt: skip
    assert df["value"].tolist() == [41.0, 1204.0, 30.9, 28.5]
    assert df["period_type"].astype(str).tolist() == ["month", "month", "quarter", "year"]
    assert str(df["period_end"].dtype) == "period[M]"
    assert df["sub_type"].isna().tolist() == [False, False, True, True]
    assert np.isnan(df["numerator"].iloc[0]) and df["denominator"].iloc[2] == 55
    assert df["note"].iloc[2] == "small numbers"


def test_optional_columns_may_be_absent(tmp_path: Path) -> None:
    p = tmp_path / "p.csv"
    p.write_text("period,indicator,area,value\n2024-05,knife_crime,Maidstone,7\n")
    df = read_partner_returns(p)
    assert df["numerator"].isna().all() and df["note"].tolist() == [""]


def test_same_key_with_different_sub_types_is_fine(tmp_path: Path) -> None:
    p = tmp_path / "p.csv"
    p.write_text(
        "period,indicator,area,value,sub_type\n"
        "2024-05,da_flagged_crimes,M,7,stalking_harassment\n"
        "2024-05,da_flagged_crimes,M,9,coercive_control\n"
    )
    assert len(read_partner_returns(p)) == 2


def test_blank_area(tmp_path: Path) -> None:
    p = tmp_path / "p.csv"
    p.write_text("period,indicator,area,value\n2024-05,knife_crime,,7\n")
    with pytest.raises(InputError, match="area is blank") as info:
        read_partner_returns(p)
    assert (info.value.line, info.value.column) == (2, "area")


def test_not_utf8(tmp_path: Path) -> None:
    p = tmp_path / "p.csv"
    p.write_bytes(b"period,indicator,area,value,note\n2024-05,knife_crime,M,7,caf\xe9\n")
    with pytest.raises(InputError) as info:
        read_partner_returns(p)
    assert (info.value.line, info.value.column) == (2, "note")
    assert "UTF-8" in str(info.value)


def test_frame_is_usable_downstream(tmp_path: Path) -> None:
    p = tmp_path / "p.csv"
    p.write_text("period,indicator,area,value\n2024-05,knife_crime,M,7\n2024-06,knife_crime,M,5\n")
    df = read_partner_returns(p)
    monthly = df[df["period_type"] == "month"].rename(columns={"period_start": "month"})
    assert monthly.groupby("month")["value"].sum().index.dtype == pd.PeriodDtype("M")
