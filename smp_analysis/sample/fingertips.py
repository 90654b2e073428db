"""An OHID Fingertips export (``fingertips.csv``) for Sampleton, Sampleshire and England.

The header is Fingertips' own (``Indicator ID, Indicator Name, Parent Code, ...``; the
sub-national comparison column is named after the parent area type as Fingertips does).
Confidence intervals use Byar's method on the count, as Fingertips does for rates.

Examples
--------
>>> FINGERTIPS_COLUMNS[:4]
('Indicator ID', 'Indicator Name', 'Parent Code', 'Parent Name')
>>> byar_interval(100, 0.95)
(81.36..., 121.63...)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from .district import DISTRICT, Geography
from .population import youth_population

__all__ = ["FINGERTIPS_COLUMNS", "FINGERTIPS_INDICATORS", "byar_interval", "fingertips_table"]

_COUNTY_TYPE = "Counties & UAs (from Apr 2023)"
_DISTRICT_TYPE = "Districts & UAs (from Apr 2023)"

#: Column names and order of a Fingertips ``all_data`` CSV export (parent = county).
FINGERTIPS_COLUMNS: tuple[str, ...] = (
    "Indicator ID",
    "Indicator Name",
    "Parent Code",
    "Parent Name",
    "Area Code",
    "Area Name",
    "Area Type",
    "Sex",
    "Age",
    "Category Type",
    "Category",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Lower CI 99.8 limit",
    "Upper CI 99.8 limit",
    "Count",
    "Denominator",
    "Value note",
    "Recent Trend",
    "Compared to England value or percentiles",
    f"Compared to {_COUNTY_TYPE} value or percentiles",
    "Time period Sortable",
    "New data",
    "Compared to goal",
    "Time period range",
)

#: id → (name, age, per, periods, England, Sampleshire, Sampleton expected values) (S10, S9).
FINGERTIPS_INDICATORS: dict[int, dict[str, object]] = {
    11201: {
        "name": "Violent crime - hospital admissions for violence (including sexual violence)",
        "age": "All ages",
        "periods": (
            "2016/17 - 18/19",
            "2017/18 - 19/20",
            "2018/19 - 20/21",
            "2019/20 - 21/22",
            "2020/21 - 22/23",
        ),
        "years": 3,
        "england": (41.9, 40.5, 37.1, 35.0, 34.3),
        "county": (36.0, 35.1, 32.8, 31.5, 31.0),
        "district": (40.8, 39.9, 36.6, 35.4, 34.9),  # similar to England
    },
    93764: {
        "name": "Admission episodes for alcohol-related conditions (Narrow): New method. "
        "This indicator uses a new set of attributable fractions, and so differ from that "
        "originally published.",
        "age": "All ages",
        "periods": ("2018/19", "2019/20", "2020/21", "2021/22", "2022/23"),
        "years": 1,
        "england": (510.0, 519.0, 456.0, 494.0, 475.0),
        "county": (522.0, 530.0, 470.0, 505.0, 490.0),
        "district": (601.0, 615.0, 548.0, 590.0, 571.0),  # worse than England
    },
    21001: {
        "name": "Emergency Hospital Admissions for Intentional Self-Harm",
        "age": "All ages",
        "periods": ("2018/19", "2019/20", "2020/21", "2021/22", "2022/23"),
        "years": 1,
        "england": (193.0, 192.0, 181.0, 164.0, 151.0),
        "county": (180.0, 182.0, 178.0, 170.0, 165.0),
        "district": (150.0, 162.0, 174.0, 188.0, 203.0),  # rising
    },
    10401: {
        "name": "First time entrants to the youth justice system",
        "age": "10-17 yrs",
        "periods": ("2019", "2020", "2021", "2022", "2023"),
        "years": 1,
        "england": (238.0, 209.0, 168.9, 147.8, 151.2),
        "county": (251.0, 220.0, 181.0, 160.0, 149.0),
        "district": (280.0, 260.0, 232.0, 190.0, 160.0),  # falling
    },
}
_POPULATION = {"E92000001": 56_490_000, DISTRICT.county_code: 1_580_000}
_YOUTH_SHARE = 0.092
_Z998 = float(norm.ppf(0.999))


def byar_interval(count: float, level: float = 0.95) -> tuple[float, float]:
    """Byar's approximate confidence interval for a Poisson count.

    Parameters
    ----------
    count : float
        Observed count (> 0).
    level : float
        Confidence level, e.g. 0.95 or 0.998.

    Returns
    -------
    tuple of float
        (lower, upper) limits for the expected count.

    Examples
    --------
    >>> low, high = byar_interval(10)
    >>> round(low, 2), round(high, 2)
    (4.79, 18.39)
    """
    z = float(norm.ppf(0.5 + level / 2))
    o = float(count)
    low = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
    high = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
    return float(low), float(high)


def _sortable(period: str) -> int:
    return int(period[:4]) * 10000


def _compare(value: float, low: float, high: float, ref: float) -> str:
    """Fingertips' RAG comparison for a lower-is-better indicator (95% CI vs the reference)."""
    if low > ref:
        return "Worse"
    if high < ref:
        return "Better"
    return "Similar"


def fingertips_table(geo: Geography, rng: np.random.Generator) -> pd.DataFrame:
    """Rows of a Fingertips export: four indicators × three areas × five periods.

    Parameters
    ----------
    geo : Geography
        The fixed geography (Sampleton's population).
    rng : numpy.random.Generator
        Source of randomness (the counts are Poisson around the planted values).

    Returns
    -------
    pandas.DataFrame
        :data:`FINGERTIPS_COLUMNS`, all strings.

    Examples
    --------
    >>> import numpy as np
    >>> from smp_analysis.sample.district import build_geography
    >>> ft = fingertips_table(build_geography(), np.random.default_rng(0))
    >>> len(ft), sorted(ft["Area Code"].unique())
    (60, ['E07999999', 'E10999999', 'E92000001'])
    """
    sampleton_pop = int(
        geo.lsoas.loc[geo.lsoas["lad_code"] == DISTRICT.lad_code, "population"].sum()
    )
    areas = (
        ("E92000001", "England", "England", "", "", "england"),
        (
            DISTRICT.county_code,
            DISTRICT.county_name,
            _COUNTY_TYPE,
            "E92000001",
            "England",
            "county",
        ),
        (
            DISTRICT.lad_code,
            DISTRICT.name,
            _DISTRICT_TYPE,
            DISTRICT.county_code,
            DISTRICT.county_name,
            "district",
        ),
    )
    comparison_col = FINGERTIPS_COLUMNS[22]
    rows: list[dict[str, str]] = []
    for ind_id, spec in FINGERTIPS_INDICATORS.items():
        periods: tuple[str, ...] = spec["periods"]  # type: ignore[assignment]
        years = int(spec["years"])  # type: ignore[call-overload]
        youth = youth_population(geo) if ind_id == 10401 else 0
        values: dict[str, list[tuple[float, float, float, int, int]]] = {}
        for code, _name, _type, _pc, _pn, key in areas:
            pop = sampleton_pop if key == "district" else _POPULATION[code]
            if youth:
                pop = youth if key == "district" else int(round(pop * _YOUTH_SHARE))
            denominator = pop * years
            out = []
            for target in spec[key]:  # type: ignore[attr-defined]
                count = int(rng.poisson(target * denominator / 1e5))
                value = count / denominator * 1e5
                low, high = byar_interval(count, 0.95)
                out.append(
                    (value, low / denominator * 1e5, high / denominator * 1e5, count, denominator)
                )
            values[key] = out
        for code, name, area_type, parent_code, parent_name, key in areas:
            series = values[key]
            for p, period in enumerate(periods):
                value, low, high, count, denominator = series[p]
                low998, high998 = (x / denominator * 1e5 for x in byar_interval(count, 0.998))
                eng = values["england"][p][0]
                county = values["county"][p][0]
                trend = ""
                if p == len(periods) - 1:
                    first = series[0]
                    if first[2] < low:
                        trend = "Increasing and getting worse"
                    elif first[1] > high:
                        trend = "Decreasing and getting better"
                    else:
                        trend = "No significant change"
                row = dict.fromkeys(FINGERTIPS_COLUMNS, "")
                row.update(
                    {
                        "Indicator ID": str(ind_id),
                        "Indicator Name": str(spec["name"]),
                        "Parent Code": parent_code,
                        "Parent Name": parent_name,
                        "Area Code": code,
                        "Area Name": name,
                        "Area Type": area_type,
                        "Sex": "Persons",
                        "Age": str(spec["age"]),
                        "Time period": period,
                        "Value": repr(round(value, 5)),
                        "Lower CI 95.0 limit": repr(round(low, 5)),
                        "Upper CI 95.0 limit": repr(round(high, 5)),
                        "Lower CI 99.8 limit": repr(round(low998, 5)),
                        "Upper CI 99.8 limit": repr(round(high998, 5)),
                        "Count": str(count),
                        "Denominator": str(denominator),
                        "Value note": "Aggregated from all known lower geography values"
                        if key == "county"
                        else "",
                        "Recent Trend": trend,
                        "Compared to England value or percentiles": ""
                        if key == "england"
                        else _compare(value, low, high, eng),
                        comparison_col: _compare(value, low, high, county)
                        if key == "district"
                        else "",
                        "Time period Sortable": str(_sortable(period)),
                        "Time period range": f"{years}y",
                    }
                )
                rows.append(row)
    return pd.DataFrame(rows, columns=list(FINGERTIPS_COLUMNS), dtype=object)
