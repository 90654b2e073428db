"""Reporting periods and period totals: labels, shifts, and missing months kept missing."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from smp_analysis.stats.periods import (
    ReportingPeriod,
    calendar_year,
    custom_period,
    financial_year,
    financial_year_of,
    period_totals,
    previous,
    rolling_12,
    three_year_average,
    three_year_baseline,
)

NAN = float("nan")


def _series(values: list[float], start: str = "2021-04", **keys: str) -> pd.DataFrame:
    months = pd.period_range(start, periods=len(values), freq="M")
    df = pd.DataFrame({"month": months, "count": values})
    for k, v in keys.items():
        df.insert(0, k, v)
    return df


# ----------------------------------------------------------------------------- periods
def test_financial_year_from_label_and_int_agree() -> None:
    a, b = financial_year("2024/25"), financial_year(2024)
    assert a == b
    assert a.kind == "financial_year"
    assert [str(m) for m in a.months][:2] == ["2024-04", "2024-05"]
    assert str(a.months[-1]) == "2025-03" and a.n_months == 12


def test_financial_year_century_boundary() -> None:
    assert financial_year("1999/00").end == pd.Period("2000-03", "M")
    assert financial_year(2099).label == "2099/00"


@pytest.mark.parametrize("bad", ["2024/26", "2024-25", "24/25", "2024", "", True, 2024.5, None])
def test_financial_year_rejects_bad_labels(bad: object) -> None:
    with pytest.raises(ValueError):
        financial_year(bad)  # type: ignore[arg-type]


def test_financial_year_of_boundaries() -> None:
    assert financial_year_of("2024-03") == "2023/24"
    assert financial_year_of("2024-04") == "2024/25"
    assert financial_year_of(pd.Timestamp("2025-01-15")) == "2024/25"
    assert financial_year_of(pd.Period("2000-02", "M")) == "1999/00"
    with pytest.raises(ValueError):
        financial_year_of("not a month")


def test_rolling_12_and_previous() -> None:
    p = rolling_12(pd.Period("2025-03", "M"))
    assert p.label == "year ending Mar 2025"
    assert (str(p.start), str(p.end)) == ("2024-04", "2025-03")
    q = previous(p)
    assert q.label == "year ending Mar 2024" and q.kind == "rolling_12"
    assert previous(p, -1).label == "year ending Mar 2026"


def test_previous_keeps_kind_and_label_style() -> None:
    assert previous(calendar_year(2024)).label == "2023"
    c = custom_period("2024-04", "2024-06", label="Q1 2024/25")
    pc = previous(c)
    assert (str(pc.start), str(pc.end), pc.kind) == ("2023-04", "2023-06", "custom")
    assert pc.label == "Apr 2023 to Jun 2023"


def test_three_year_baseline_is_oldest_first() -> None:
    labels = [p.label for p in three_year_baseline(financial_year("2024/25"))]
    assert labels == ["2021/22", "2022/23", "2023/24"]


def test_reporting_period_validation() -> None:
    with pytest.raises(ValueError, match="ends"):
        ReportingPeriod("x", pd.Period("2024-05", "M"), pd.Period("2024-04", "M"))
    with pytest.raises(ValueError, match="kind"):
        ReportingPeriod("x", pd.Period("2024-05", "M"), pd.Period("2024-06", "M"), "weekly")
    p = ReportingPeriod("x", "2024-05", "2024-05")  # type: ignore[arg-type]
    assert p.n_months == 1 and "2024-05" in p and "2024-06" not in p


# ----------------------------------------------------------------------------- totals
def test_period_totals_missing_month_not_zero() -> None:
    values = [1.0] * 12 + [2.0] * 12
    values[15] = NAN  # 2022-07 missing
    s = _series(values)
    t = period_totals(s, [financial_year("2021/22"), financial_year("2022/23")])
    assert t["count"].tolist() == [12.0, 22.0]  # 11 present months of 2.0
    assert t["months_present"].tolist() == [12, 11]
    assert t["months_expected"].tolist() == [12, 12]
    assert t["complete"].tolist() == [True, False]


def test_period_totals_no_data_is_nan_not_zero() -> None:
    s = _series([NAN] * 12 + [0.0] * 12)
    t = period_totals(s, [financial_year("2021/22"), financial_year("2022/23")])
    assert math.isnan(t["count"].iloc[0]) and t["months_present"].iloc[0] == 0
    assert t["count"].iloc[1] == 0.0 and bool(t["complete"].iloc[1])  # a real zero


def test_period_totals_months_outside_series_count_as_missing() -> None:
    s = _series([3.0] * 6, start="2024-04")  # series stops in September
    t = period_totals(s, [financial_year("2024/25"), financial_year("2025/26")])
    assert t["count"].iloc[0] == 18.0 and t["months_present"].iloc[0] == 6
    assert not t["complete"].iloc[0]
    assert math.isnan(t["count"].iloc[1]) and t["months_present"].iloc[1] == 0


def test_period_totals_by_groups_and_order() -> None:
    a = _series([1.0] * 24, crime_type="Burglary")
    b = _series([5.0] * 24, crime_type="Arson")
    s = pd.concat([a, b], ignore_index=True)
    periods = [financial_year("2022/23"), financial_year("2021/22")]
    t = period_totals(s, periods, by=["crime_type"])
    assert list(t.columns) == [
        "crime_type",
        "period",
        "count",
        "months_expected",
        "months_present",
        "complete",
    ]
    assert t["crime_type"].tolist() == ["Arson", "Arson", "Burglary", "Burglary"]
    assert t["period"].tolist() == ["2022/23", "2021/22", "2022/23", "2021/22"]
    assert t["count"].tolist() == [60.0, 60.0, 12.0, 12.0]


def test_period_totals_overlapping_rolling_periods() -> None:
    s = _series(list(np.arange(24, dtype=float)))
    t = period_totals(s, [rolling_12("2022-09"), rolling_12("2023-03")])
    # Oct 2021..Sep 2022 = positions 6..17; Apr 2022..Mar 2023 = 12..23
    assert t["count"].tolist() == [float(sum(range(6, 18))), float(sum(range(12, 24)))]


def test_period_totals_accepts_string_months() -> None:
    s = pd.DataFrame({"month": ["2024-04", "2024-05"], "count": [1, 2]})
    t = period_totals(s, [custom_period("2024-04", "2024-05")])
    assert t["count"].iloc[0] == 3.0 and bool(t["complete"].iloc[0])


def test_period_totals_errors() -> None:
    s = _series([1.0] * 12)
    with pytest.raises(ValueError, match="negative"):
        period_totals(_series([-1.0] * 12), [financial_year(2021)])
    with pytest.raises(ValueError, match="unique"):
        period_totals(s, [financial_year(2021), financial_year(2021)])
    with pytest.raises(ValueError, match="lacks columns"):
        period_totals(s.drop(columns="count"), [financial_year(2021)])
    with pytest.raises(ValueError, match="more than one row"):
        period_totals(pd.concat([s, s]), [financial_year(2021)])
    with pytest.raises(ValueError, match="at least one"):
        period_totals(s, [])


def test_three_year_average_complete_and_incomplete() -> None:
    s = _series([10.0] * 12 + [20.0] * 12 + [30.0] * 12, area="A")
    r = three_year_average(s, financial_year("2024/25"), by=["area"]).iloc[0]
    assert r["mean_annual_count"] == 240.0 and r["count"] == 720.0 and bool(r["complete"])
    values = [10.0] * 12 + [20.0] * 12 + [30.0] * 12
    values[30] = NAN  # one missing month in 2023/24
    r = three_year_average(_series(values), financial_year("2024/25")).iloc[0]
    # 690 over 35 months -> 690 / 35 * 12 per year (not 690 / 3)
    assert r["mean_annual_count"] == pytest.approx(690 / 35 * 12)
    assert r["months_present"] == 35 and not r["complete"]


def test_three_year_average_quarter_uses_same_quarter_each_year() -> None:
    s = _series(list(np.arange(48, dtype=float)), start="2021-04")
    q = custom_period("2024-04", "2024-06")
    r = three_year_average(s, q).iloc[0]
    # Apr-Jun of 2021, 2022, 2023 = positions 0-2, 12-14, 24-26
    total = sum([0, 1, 2, 12, 13, 14, 24, 25, 26])
    assert r["count"] == total and r["months_expected"] == 9
    assert r["mean_annual_count"] == pytest.approx(total / 3)
