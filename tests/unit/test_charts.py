"""Charts: valid, deterministic, accessible SVG with honest alt text and data.

Every builder is rendered once per module (charts take ~0.1 s each) and checked for:
well-formed SVG without ``<title>``, byte-identical re-rendering, text kept as text with
enough contrast, alt text carrying the key numbers, untouched global matplotlib state,
and a size bound. Expected numbers in alt texts are worked out by hand beside each test.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest

from smp_analysis.present import charts
from smp_analysis.present.charts import (
    Chart,
    change_chart,
    indicator_chart,
    its_chart,
    lorenz_chart,
    public_bar_chart,
    rate_by_group_chart,
    share_chart,
    trend_chart,
)
from smp_analysis.present.style import CATEGORICAL, contrast_ratio, text_colour

SVG = "{http://www.w3.org/2000/svg}"
#: Size bound for one chart's SVG. The largest sample chart (48 months + XmR) is ~22 kB.
MAX_SVG_BYTES = 60_000

NAN = float("nan")


# --------------------------------------------------------------------------- inputs


def _months(start: str, n: int) -> pd.PeriodIndex:
    return pd.period_range(start, periods=n, freq="M")


def _long_series() -> pd.DataFrame:
    """48 months with one missing month (Aug 2021) and a late rise, like the sample data."""
    m = _months("2021-04", 48)
    counts = np.array([40.0 + (i % 5) for i in range(48)])
    counts[4] = NAN  # Aug 2021 has no data file
    counts[-3:] = [70.0, 75.0, 68.0]
    return pd.DataFrame({"month": m, "count": counts})


def _inputs() -> dict[str, Callable[[], Chart]]:
    m6 = _months("2024-01", 6)
    trend = _long_series()
    xmr = pd.DataFrame({"mean": [42.0], "lower": [30.0], "upper": [54.0]})
    change = pd.DataFrame(
        {
            "category": ["Robbery", "Burglary", "Drugs"],
            "previous": [45, 300, 80],
            "current": [78, 270, 84],
            "estimate": [1.733, 0.9, 1.05],
            "ci_low": [1.19, 0.76, 0.77],
            "ci_high": [2.55, 1.06, 1.43],
        }
    )
    share = pd.DataFrame(
        {
            "year": ["2022/23", "2023/24", "2024/25"],
            "share": [0.301, 0.318, 0.352],
            "ci_low": [0.28, 0.297, 0.33],
            "ci_high": [0.323, 0.34, 0.375],
        }
    )
    obs = pd.DataFrame({"month": m6, "count": [30.0, 31, 29, 20, 19, 21]})
    fit = pd.DataFrame({"month": m6, "fitted": [30.0, 30, 30, 20, 20, 20]})
    cf = pd.DataFrame({"month": m6[3:], "counterfactual": [30.0, 30, 30]})
    curve = pd.DataFrame(
        {"share_of_places": [0, 0.1, 0.5, 1.0], "share_of_crime": [0, 0.5, 0.9, 1.0]}
    )
    groups = pd.DataFrame(
        {
            "decile": [1, 2, 3],
            "rate": [48.2, 30.1, 20.5],
            "ci_low": [44.0, 27.0, 18.0],
            "ci_high": [52.6, 33.4, 23.2],
        }
    )
    indicator = pd.DataFrame(
        {
            "period": ["2019 - 21"] * 2 + ["2020 - 22"] * 2,
            "area": ["Sampleton", "England"] * 2,
            "value": [40.0, 45.0, 52.0, 44.0],
            "ci_low": [35.0, 44.8, 47.0, 43.8],
            "ci_high": [45.5, 45.2, 57.3, 44.2],
        }
    )
    public = pd.DataFrame(
        {
            "category": ["Town centre", "North", "South", "East"],
            "value": [1234, 3, 56, 7],
            "suppressed": [False, True, False, True],
            "suppression": ["", "primary", "", "secondary"],
        }
    )
    return {
        "trend": lambda: trend_chart(
            trend,
            title="Robbery rose sharply in early 2025",
            subtitle="Robberies a month, Sampleton, Apr 2021 to Mar 2025",
            xmr=xmr,
            intervention="2023-10",
            intervention_label="Safer Streets",
            good_direction="down",
            label="Sampleton",
        ),
        "change": lambda: change_chart(
            change, title="Robbery rose", subtitle="Crimes, 2024/25 against 2023/24"
        ),
        "share": lambda: share_chart(
            share, title="A growing share", subtitle="DA-flagged share of violence"
        ),
        "its": lambda: its_chart(
            obs, fit, cf, "2024-04", title="Crime fell", subtitle="Crimes a month, town centre"
        ),
        "lorenz": lambda: lorenz_chart(curve, title="Concentrated", subtitle="Crimes by LSOA"),
        "group": lambda: rate_by_group_chart(
            groups, title="Highest where most deprived", subtitle="Per 1,000 by IMD decile"
        ),
        "indicator": lambda: indicator_chart(
            indicator, title="Rose above England", subtitle="Admissions per 100,000"
        ),
        "public": lambda: public_bar_chart(
            public, title="Most crime is in the town centre", subtitle="Crimes", threshold=5
        ),
    }


BUILDERS = _inputs()


@pytest.fixture(scope="module")
def rendered() -> dict[str, Chart]:
    return {name: build() for name, build in BUILDERS.items()}


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def _by_id(svg: str, gid: str) -> ET.Element:
    root = ET.fromstring(svg)
    found = [e for e in root.iter() if e.get("id") == gid]
    assert len(found) == 1, f"expected one element with id {gid!r}, found {len(found)}"
    return found[0]


def _subpaths(group: ET.Element) -> list[list[tuple[float, float]]]:
    """Vertices of the line path (the group's first direct ``<path>``), split at moves."""
    path = group.find(f"{SVG}path")
    assert path is not None
    out: list[list[tuple[float, float]]] = []
    for cmd, x, y in re.findall(r"([ML])\s+([-\d.]+)\s+([-\d.]+)", path.get("d", "")):
        if cmd == "M":
            out.append([])
        out[-1].append((float(x), float(y)))
    return out


# --------------------------------------------------------------------------- all builders


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_valid_svg_without_title_element_and_text_as_text(rendered, name):
    chart = rendered[name]
    root = ET.fromstring(chart.figure_svg)  # raises on malformed XML
    assert root.tag == f"{SVG}svg"
    assert root.find(f".//{SVG}title") is None
    texts = _texts(chart.figure_svg)
    assert texts, "text should stay <text> (svg.fonttype none), not glyph paths"
    assert "sans-serif" in chart.figure_svg
    assert "dc:date" not in chart.figure_svg  # no timestamp


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_rendering_is_byte_identical(rendered, name):
    assert BUILDERS[name]().figure_svg == rendered[name].figure_svg


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_svg_size_is_bounded(rendered, name):
    assert len(rendered[name].figure_svg.encode()) < MAX_SVG_BYTES


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_result_fields(rendered, name):
    chart = rendered[name]
    assert chart.title and chart.subtitle
    assert chart.alt.startswith(chart.title.rstrip("."))  # states the message first
    assert len(chart.alt) > len(chart.title) + 20  # and more than the title
    assert isinstance(chart.data, pd.DataFrame) and not chart.data.empty
    bundle, meta = chart._repr_mimebundle_()
    assert bundle["image/svg+xml"] == chart.figure_svg
    assert meta["image/svg+xml"]["alt"] == chart.alt
    with pytest.raises(AttributeError):
        chart.alt = "changed"  # frozen


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_text_contrast_at_least_4_5(rendered, name):
    fills = re.findall(r"<text[^>]*?fill: (#[0-9a-fA-F]{6})", rendered[name].figure_svg)
    assert fills
    low = {f for f in fills if contrast_ratio(f, "#FFFFFF") < 4.5}
    assert not low, f"text colours below 4.5:1 on white: {low}"


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_global_matplotlib_state_untouched(name):
    before = dict(mpl.rcParams)
    BUILDERS[name]()
    after = dict(mpl.rcParams)
    changed = {k for k in before if before[k] != after[k]}
    assert not changed


def test_empty_title_or_subtitle_rejected():
    s = _long_series()
    with pytest.raises(ValueError, match="headline title"):
        trend_chart(s, title=" ", subtitle="x")
    with pytest.raises(ValueError, match="subtitle"):
        trend_chart(s, title="x", subtitle="")


# --------------------------------------------------------------------------- style


def test_palette_contrast():
    assert all(contrast_ratio(c, "#FFFFFF") >= 3 for c in CATEGORICAL)
    # the labels drawn in series colours are darkened to text contrast where needed
    assert all(contrast_ratio(text_colour(c), "#FFFFFF") >= 4.5 for c in CATEGORICAL)
    # WCAG worked value: black on white is 21:1; AF orange #F46A25 is 3.03:1
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#F46A25", "#FFFFFF") == pytest.approx(3.03, abs=0.01)


# --------------------------------------------------------------------------- trend


def test_trend_missing_month_is_a_gap_not_zero(rendered):
    chart = rendered["trend"]
    line = _by_id(chart.figure_svg, "series-0")
    pieces = _subpaths(line)
    # 48 months, Aug 2021 (index 4) missing: one run of 4 points, then 43 points
    assert [len(p) for p in pieces] == [4, 43]
    step = pieces[0][1][0] - pieces[0][0][0]
    assert pieces[1][0][0] - pieces[0][-1][0] == pytest.approx(2 * step, rel=1e-3)
    # the y of no vertex is the zero line (the lowest count is 40)
    zero_y = max(y for p in pieces for _, y in p) + 1
    assert all(y < zero_y for p in pieces for _, y in p)
    assert "no data" in _texts(chart.figure_svg)
    assert chart.data["count"].isna().sum() == 1
    assert str(chart.data.loc[chart.data["count"].isna(), "month"].iloc[0]) == "2021-08"
    assert "No data for Aug 2021" in chart.alt


def test_trend_month_absent_from_frame_is_also_a_gap():
    s = pd.DataFrame(
        {"month": pd.PeriodIndex(["2024-01", "2024-02", "2024-04"], freq="M"), "count": [5.0, 6, 7]}
    )
    chart = trend_chart(s, title="Gap", subtitle="x")
    assert [len(p) for p in _subpaths(_by_id(chart.figure_svg, "series-0"))] == [2, 1]
    assert chart.data["count"].tolist()[:2] == [5.0, 6.0] and np.isnan(chart.data["count"][2])


def test_trend_alt_and_xmr_markers(rendered):
    chart = rendered["trend"]
    # counts 40 + (i mod 5), last three 70, 75, 68 against fixed limits 30-54
    assert "68 in Mar 2025" in chart.alt
    assert "highest 75 (Feb 2025)" in chart.alt
    assert "Mean 42.0 a month; process limits 30.0 to 54.0" in chart.alt
    assert "Jan 2025 to Mar 2025 (3 months, above the upper limit, a concern)" in chart.alt
    assert "Safer Streets (Oct 2023)" in chart.alt
    marks = _by_id(chart.figure_svg, "special-cause-high")
    assert len(marks.findall(f".//{SVG}use")) == 3  # three triangles
    texts = _texts(chart.figure_svg)
    assert "Unusually high (special cause): concern" in texts
    assert {"Safer Streets", "Mean 42.0", "Upper limit 54.0", "Sampleton"} <= set(texts)
    assert chart.data["special_cause"].sum() == 3


def test_trend_uses_spc_style_columns_and_direction():
    # Columns as documented for smp_analysis.stats.spc.xmr_table: mean/lcl/ucl per month,
    # special_cause, special_cause_type and direction (+1 high / -1 low).
    m = _months("2024-01", 8)
    y = [10.0, 11, 9, 10, 11, 10, 9, 2]
    table = pd.DataFrame(
        {
            "month": m,
            "count": y,
            "mean": 10.0,
            "lcl": 7.0,
            "ucl": 13.0,
            "special_cause": [False] * 7 + [True],
            "special_cause_type": ["Common Cause"] * 7 + ["Below LCL"],
            "direction": [0] * 7 + [-1],
        }
    )
    chart = trend_chart(
        table[["month", "count"]], title="Fell", subtitle="x", xmr=table, good_direction="down"
    )
    assert "Aug 2024 (2, below the lower limit, an improvement)" in chart.alt
    _by_id(chart.figure_svg, "special-cause-low")
    assert "special-cause-high" not in chart.figure_svg


def test_trend_comparison_series_have_styles_and_labels():
    s = _long_series()
    both = pd.concat([s.assign(area="Sampleton"), s.assign(area="Otherford", count=s["count"] / 2)])
    chart = trend_chart(both, title="Both rose", subtitle="x")
    a = _by_id(chart.figure_svg, "series-0").find(f"{SVG}path").get("style")
    b = _by_id(chart.figure_svg, "series-1").find(f"{SVG}path").get("style")
    assert "stroke-dasharray" not in a and "stroke-dasharray" in b  # not colour alone
    assert {"Sampleton", "Otherford"} <= set(_texts(chart.figure_svg))
    assert "Otherford: 34 in Mar 2025" in chart.alt  # 68 / 2
    assert list(chart.data.columns) == ["area", "month", "count"]


def test_trend_rejects_bad_input():
    s = _long_series()
    five = pd.concat([s.assign(area=str(i)) for i in range(5)])
    with pytest.raises(ValueError, match="too many"):
        trend_chart(five, title="t", subtitle="s")
    with pytest.raises(ValueError, match="negative"):
        trend_chart(s.assign(count=-1.0), title="t", subtitle="s")
    with pytest.raises(ValueError, match="single series"):
        trend_chart(
            pd.concat([s.assign(a="x"), s.assign(a="y")]),
            title="t",
            subtitle="s",
            xmr=pd.DataFrame({"mean": [1.0], "lower": [0.0], "upper": [2.0]}),
        )


# --------------------------------------------------------------------------- change


def test_change_chart_order_markers_and_alt(rendered):
    chart = rendered["change"]
    assert chart.data["category"].tolist() == ["Robbery", "Drugs", "Burglary"]
    # significance from the intervals: only Robbery's (1.19 to 2.55) excludes 1
    assert chart.data["significant"].tolist() == [True, False, False]
    filled = _by_id(chart.figure_svg, "ratio-0").find(f".//{SVG}use").get("style")
    hollow = _by_id(chart.figure_svg, "ratio-1").find(f".//{SVG}use").get("style")
    assert "fill: #12436d" in filled and "fill: #ffffff" in hollow
    # (78 - 45) / 45 = +73%
    assert "Robbery 45 to 78 (+73%, rate ratio 1.73, 95% CI 1.19 to 2.55)" in chart.alt
    assert "No significant decreases" in chart.alt
    assert "Robbery: 45 → 78 (+73%)" in _texts(chart.figure_svg)


def test_change_chart_reads_change_table_columns():
    # Columns as documented for smp_analysis.stats.change.change_table.
    t = pd.DataFrame(
        {
            "crime_type": ["Burglary", "Robbery"],
            "count_baseline": [120.0, 24.0],
            "count_current": [60.0, 22.0],
            "rate_ratio": [0.5, 0.9167],
            "ci_low": [0.36, 0.49],
            "ci_high": [0.69, 1.7],
            "q_value": [0.0001, 0.8],
            "significant": [True, False],
            "months_baseline": [12, 12],
            "complete": [True, True],
        }
    )
    chart = change_chart(t, title="Burglary halved", subtitle="x")
    assert "Significant decreases: Burglary 120 to 60 (-50%" in chart.alt
    # the data table holds what is plotted, not every column of the input
    assert list(chart.data.columns) == [
        "crime_type",
        "count_baseline",
        "count_current",
        "rate_ratio",
        "ci_low",
        "ci_high",
        "significant",
        "q_value",
    ]


def test_change_chart_rows_without_a_ratio():
    t = pd.DataFrame(
        {
            "category": ["New", "Gone", "Same", "Unknown"],
            "previous": [0, 10, 5, NAN],
            "current": [5, 0, 5, NAN],
            "estimate": [np.inf, 0.0, 1.0, NAN],
            "ci_low": [2.0, 0.0, 0.3, NAN],
            "ci_high": [np.inf, 0.3, 3.4, NAN],
            "significant": [True, True, False, False],
        }
    )
    chart = change_chart(t, title="Mixed", subtitle="x")
    assert chart.data["category"].tolist() == ["New", "Same", "Gone", "Unknown"]
    assert "Significant increases: New 0 to 5 (none in the previous period)" in chart.alt
    assert "Significant decreases: Gone 10 to 0 (none in the current period)" in chart.alt
    assert "1 other changed no more than chance" in chart.alt
    assert "No data to compare for Unknown" in chart.alt
    assert "ratio-0" not in chart.figure_svg  # no dot drawn at infinity
    ET.fromstring(chart.figure_svg)


# --------------------------------------------------------------------------- others


def test_share_chart_alt_and_validation(rendered):
    assert "2024/25 35.2% (95% CI 33.0% to 37.5%)" in rendered["share"].alt
    assert "35.2%" in _texts(rendered["share"].figure_svg)
    with pytest.raises(ValueError, match="between 0 and 1"):
        share_chart(pd.DataFrame({"period": ["a"], "estimate": [35.0]}), title="t", subtitle="s")


def test_its_chart_alt_totals(rendered):
    # after Apr 2024: observed 20 + 19 + 21 = 60, counterfactual 3 x 30 = 90,
    # (60 - 90) / 90 = -33%
    assert "observed 60 against 90 expected without it (33% lower)" in rendered["its"].alt
    svg = rendered["its"].figure_svg
    assert "stroke-dasharray" in _by_id(svg, "counterfactual").find(f"{SVG}path").get("style")


def test_lorenz_gini_by_hand(rendered):
    # trapezoids under (0,0) (0.1,0.5) (0.5,0.9) (1,1):
    # 0.1*(0+0.5)/2 + 0.4*(0.5+0.9)/2 + 0.5*(0.9+1)/2 = 0.025 + 0.28 + 0.475 = 0.78
    # Gini = 2 * 0.78 - 1 = 0.56; top 10% of places hold 50%; half is reached at x = 0.1
    chart = rendered["lorenz"]
    assert "Gini 0.56" in chart.alt and "Gini 0.56" in _texts(chart.figure_svg)
    assert "had 50% of it" in chart.alt and "half of all crime was in 10% of places" in chart.alt


def test_lorenz_least_first_curve_is_flipped():
    # the same distribution listed least-crime-first (below the diagonal)
    curve = pd.DataFrame({"x": [0, 0.5, 0.9, 1.0], "y": [0, 0.1, 0.5, 1.0]})
    chart = lorenz_chart(curve, title="Same", subtitle="x")
    assert "Gini 0.56" in chart.alt and "had 50% of it" in chart.alt


def test_group_chart_names_deciles_and_ratio(rendered):
    chart = rendered["group"]
    # 48.2 / 20.5 = 2.35 -> "2.4 times"
    assert "Highest: Decile 1 (most deprived), 48.2 (95% CI 44.0 to 52.6)" in chart.alt
    assert "2.4 times" in chart.alt
    assert "Decile 1 (most deprived): 48.2 (44.0 to 52.6)" in _texts(chart.figure_svg)
    with pytest.raises(ValueError, match="log axis"):
        rate_by_group_chart(
            pd.DataFrame({"group": ["a"], "estimate": [1.0]}),
            title="t",
            subtitle="s",
            log=True,
            kind="bar",
        )


def test_indicator_chart_comparison_words(rendered):
    chart = rendered["indicator"]
    assert "Sampleton 52.0 in 2020 - 22 (95% CI 47.0 to 57.3)" in chart.alt
    # Sampleton's interval 47.0-57.3 lies above England's 44.0
    assert "higher than England (44.0)" in chart.alt
    assert {"Sampleton", "England"} <= set(_texts(chart.figure_svg))


# --------------------------------------------------------------------------- public


def test_public_chart_never_shows_suppressed_numbers(rendered):
    chart = rendered["public"]
    texts = _texts(chart.figure_svg)
    tokens = {tok for t in texts for tok in re.findall(r"\d[\d,.]*", t)}
    # 3 and 7 are suppressed; primary and secondary [c] cells read the same, so the page
    # does not say which hidden cells are the small ones
    assert "3" not in tokens and "7" not in tokens
    assert tokens == {"1,234", "56"}
    assert texts.count("[c] hidden to protect confidentiality") == 2
    assert "fewer than" not in " ".join(texts) and "withheld" not in " ".join(texts)
    assert chart.data["value"].tolist() == ["1,234", "[c]", "56", "[c]"]
    assert chart.data["note"].tolist() == [
        "",
        "hidden to protect confidentiality",
        "",
        "hidden to protect confidentiality",
    ]
    assert "fewer than" not in chart.alt and "withheld" not in chart.alt
    assert not re.search(r"\b[37]\b", chart.alt)
    assert "bar-1" not in chart.figure_svg and "bar-3" not in chart.figure_svg


def test_public_chart_text_values_and_bad_values():
    v = pd.DataFrame({"category": ["A", "B"], "value": [12, "[c]"]})
    chart = public_bar_chart(v, title="A leads", subtitle="x")
    assert chart.data["value"].tolist() == ["12", "[c]"]
    assert chart.data["note"].tolist() == ["", "hidden to protect confidentiality"]
    with pytest.raises(ValueError, match="numbers or"):
        public_bar_chart(
            pd.DataFrame({"category": ["A"], "value": ["lots"]}), title="t", subtitle="s"
        )


def test_public_chart_reads_a_suppressed_table():
    from smp_analysis.stats.disclosure import suppress_series

    # 2 is below 5 (primary); 40 is suppressed too so that 2 = 97 - 40 - 55 fails (secondary)
    table = suppress_series(pd.Series({"Burglary": 2, "Robbery": 40, "Theft": 55}, name="crimes"))
    chart = public_bar_chart(table, title="Theft leads", subtitle="x")
    assert chart.data["category"].tolist() == ["Burglary", "Robbery", "Theft"]  # no total
    assert chart.data["value"].tolist() == ["[c]", "[c]", "55"]
    assert chart.data["note"].tolist() == ["hidden to protect confidentiality"] * 2 + [""]
    tokens = {tok for t in _texts(chart.figure_svg) for tok in re.findall(r"\d+", t)}
    assert "2" not in tokens and "40" not in tokens


def test_public_chart_alt_with_many_bars_names_the_largest():
    values = [10, 20, 30, 40, 50, 60, 70, 80, "[c]"]
    v = pd.DataFrame({"category": [f"Ward {i}" for i in range(9)], "value": values})
    chart = public_bar_chart(v, title="Wards differ", subtitle="x", threshold=5, unit="crimes")
    assert "largest: Ward 7: 80 crimes; Ward 6: 70 crimes; Ward 5: 60 crimes" in chart.alt
    assert "1 value suppressed ([c])" in chart.alt


def test_group_chart_reads_rri_table_columns():
    # Columns as documented for smp_analysis.stats.disproportionality.rri_table.
    t = pd.DataFrame(
        {
            "ethnic_group": ["White", "Black", "Asian"],
            "rri": [1.0, 4.8, 1.2],
            "ci_low": [NAN, 3.9, 0.9],
            "ci_high": [NAN, 5.9, 1.6],
            "is_reference": [True, False, False],
        }
    )
    chart = rate_by_group_chart(
        t, title="Black people were searched 4.8 times as often", subtitle="x", log=True
    )
    texts = _texts(chart.figure_svg)
    assert "White (reference): 1.0" in texts
    assert "Black: 4.8 (3.9 to 5.9)" in texts
    # reference defaults to 1 on a log axis: Black's interval is above it, Asian's spans it
    assert "1 group clearly higher, 0 clearly lower" in chart.alt
    assert list(chart.data.columns) == ["ethnic_group", "rri", "ci_low", "ci_high", "is_reference"]


def test_module_exports():
    assert set(charts.__all__) == {
        "Chart",
        "trend_chart",
        "change_chart",
        "share_chart",
        "its_chart",
        "lorenz_chart",
        "rate_by_group_chart",
        "indicator_chart",
        "public_bar_chart",
    }


# --------------------------------------------------------------------------- literal text

#: Even dollars: matplotlib would set "$5 to $" and "$x^2$" as mathtext.
DOLLARS = "Cost $5 to $10 $x^2$"
#: Not valid mathtext: matplotlib would fail to draw it at all.
BAD_MATH = "Spend $x^$"


def _dollar_inputs() -> dict[str, tuple[Callable[[], Chart], list[str], list[str]]]:
    """Builder with ``$`` in every kind of caller text; texts drawn; phrases in the alt."""
    m6 = _months("2024-01", 6)
    trend = pd.DataFrame({"month": m6, "count": [30.0, 31, 29, 20, 19, 21]})
    cats = [DOLLARS, BAD_MATH]
    change = pd.DataFrame(
        {"category": cats, "estimate": [1.5, 0.8], "ci_low": [1.2, 0.6], "ci_high": [1.9, 1.1]}
    )
    share = pd.DataFrame({"period": ["$1 to $2", "$3"], "share": [0.3, 0.4]})
    fit = pd.DataFrame({"month": m6, "fitted": [30.0, 30, 30, 20, 20, 20]})
    cf = pd.DataFrame({"month": m6[3:], "counterfactual": [30.0, 30, 30]})
    curve = pd.DataFrame({"x": [0, 0.1, 0.5, 1.0], "y": [0, 0.5, 0.9, 1.0]})
    groups = pd.DataFrame(
        {"group": cats, "rate": [4.0, 2.0], "ci_low": [3.0, 1.5], "ci_high": [5.0, 2.5]}
    )
    indicator = pd.DataFrame(
        {
            "period": ["$1$", "$1$", "$2$", "$2$"],
            "area": ["$a$", "$b$"] * 2,
            "value": [1.0, 2, 3, 4],
        }
    )
    public = pd.DataFrame({"category": cats, "value": [12, 7]})
    return {
        "trend": (
            lambda: trend_chart(
                trend,
                title=DOLLARS,
                subtitle="s",
                y_label=DOLLARS,
                label="$x$",
                intervention="2024-04",
                intervention_label=BAD_MATH,
            ),
            [DOLLARS, BAD_MATH, "$x$"],
            [f"{DOLLARS}.", "cost $5 to $10 $x^2$", f"marks {BAD_MATH} (Apr 2024)"],
        ),
        "change": (
            lambda: change_chart(change, title="t", subtitle="s"),
            [f"{DOLLARS} (+50%)", f"{BAD_MATH} (-20%)"],
            [f"{DOLLARS} (+50%, rate ratio 1.50"],
        ),
        "share": (
            lambda: share_chart(share, title="t", subtitle="s", y_label=DOLLARS),
            [DOLLARS, "$1 to $2", "$3"],
            [f"{DOLLARS} by period", "$1 to $2 30.0%"],
        ),
        "its": (
            lambda: its_chart(
                trend,
                fit,
                cf,
                "2024-04",
                title="t",
                subtitle="s",
                intervention_label=DOLLARS,
                y_label=BAD_MATH,
            ),
            [DOLLARS, BAD_MATH],
            [f"{BAD_MATH} from Jan 2024", f"{DOLLARS} began in Apr 2024"],
        ),
        "lorenz": (
            lambda: lorenz_chart(curve, title="t", subtitle="s", places="$a$", what="$b$"),
            ["Share of $a$ (most $b$ first)", "Share of $b$"],
            ["the 10% of $a$ with the most $b$"],
        ),
        "group": (
            lambda: rate_by_group_chart(
                groups,
                title="t",
                subtitle="s",
                reference=3.0,
                reference_label="$x$ ref",
                value_label=DOLLARS,
            ),
            [f"{DOLLARS}: 4.0 (3.0 to 5.0)", f"{BAD_MATH}: 2.0 (1.5 to 2.5)", " $x$ ref", DOLLARS],
            [f"Highest: {DOLLARS}, 4.0", "reference line ($x$ ref)"],
        ),
        "indicator": (
            lambda: indicator_chart(indicator, title="t", subtitle="s", value_label=DOLLARS),
            ["$1$", "$2$", "$a$", "$b$", DOLLARS],
            [f"{DOLLARS} for $a$ compared with $b$, $1$ to $2$", "$b$ 4.0 in $2$"],
        ),
        "public": (
            lambda: public_bar_chart(public, title="t", subtitle="s"),
            cats,
            [f"{DOLLARS}: 12", f"{BAD_MATH}: 7"],
        ),
    }


DOLLAR_CASES = _dollar_inputs()


def test_dollar_cases_cover_every_builder():
    assert set(DOLLAR_CASES) == set(BUILDERS)


@pytest.mark.parametrize("name", sorted(DOLLAR_CASES))
def test_dollar_signs_are_drawn_literally_not_as_mathtext(name):
    build, drawn, in_alt = DOLLAR_CASES[name]
    chart = build()  # "$x^$" is not valid mathtext: parsing it would raise
    texts = _texts(chart.figure_svg)
    for text in drawn:
        assert text in texts, f"{text!r} not drawn as one plain <text>"
    # mathtext would set each glyph in its own <tspan> and drop the dollars
    assert "<tspan" not in chart.figure_svg
    for phrase in in_alt:  # the alt text keeps the caller's wording, unescaped
        assert phrase in chart.alt
    assert "\\$" not in chart.alt and "\\$" not in chart.figure_svg


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_plain_text_has_no_mathtext_glyphs(rendered, name):
    assert "<tspan" not in rendered[name].figure_svg
