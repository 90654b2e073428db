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
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from smp_analysis.present import charts
from smp_analysis.present.charts import (
    Chart,
    change_chart,
    differential_chart,
    indicator_chart,
    its_chart,
    lorenz_chart,
    public_bar_chart,
    rate_by_group_chart,
    share_chart,
    trend_chart,
)
from smp_analysis.present.charts._draw import REPORTING_BAND
from smp_analysis.present.style import (
    CATEGORICAL,
    MUTED_TEXT,
    REFERENCE,
    contrast_ratio,
    text_colour,
)
from smp_analysis.stats.mdc import mdc_icons
from smp_analysis.stats.periods import financial_year
from smp_analysis.stats.spc import xmr as xmr_result

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


def _differential_table() -> pd.DataFrame:
    """Odds ratios, intervals and q-values as differential_change_table gives them.

    DA sub-types before -> after: coercive control 60 -> 95, stalking 200 -> 190, violence
    with injury 300 -> 260, two more (400 -> 420, 240 -> 250); totals 1,200 -> 1,215.
    From R, the 2x2 table [[after, rest after], [before, rest before]]:
    fisher.test(matrix(c(95, 60, 1120, 1140), 2)) -> OR 1.6113, 95% CI 1.1413 to 2.2896,
    p 0.004749; fisher.test(matrix(c(260, 300, 955, 900), 2)) -> 0.8168, 0.6726 to
    0.9915, p 0.038145; fisher.test(matrix(c(190, 200, 1025, 1000), 2)) -> 0.9269,
    0.7416 to 1.1582, p 0.507199; p.adjust(<the five p-values>, "BH") ->
    0.02375 (coercive), 0.68430 (stalking), 0.09536 (violence with injury).
    """
    return pd.DataFrame(
        {
            "label": [
                "Stalking and harassment",
                "Controlling or coercive behaviour",
                "Violence with injury",
            ],  # fmt: skip
            "sub_before": [200.0, 60, 300],
            "sub_after": [190.0, 95, 260],
            "total_before": [1200.0] * 3,
            "total_after": [1215.0] * 3,
            "odds_ratio": [0.9269, 1.6113, 0.8168],
            "ci_low": [0.7416, 1.1413, 0.6726],
            "ci_high": [1.1582, 2.2896, 0.9915],
            "p_value": [0.507199, 0.004749, 0.038145],
            "q_value": [0.6843, 0.02375, 0.09536],
        }
    )


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
    spc = _long_series()
    spc_result = xmr_result(pd.Series(spc["count"].to_numpy(), index=spc["month"]))
    return {
        "spc": lambda: trend_chart(
            spc,
            title="Robbery rose above its usual range",
            subtitle="Robberies a month, Sampleton, Apr 2021 to Mar 2025",
            xmr=spc_result,
            good_direction="down",
            reporting_year=financial_year("2024/25"),
            target=45.0,
        ),
        "differential": lambda: differential_chart(
            _differential_table(),
            title="Coercive control grew faster than the rest of domestic abuse",
            subtitle="Odds ratio of each sub-type's share, 2024/25 against 2023/24",
            parent="domestic abuse",
        ),
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
    assert "Mean 42 a month; process limits 30 to 54" in chart.alt
    assert "Jan 2025 to Mar 2025 (3 months, above the upper limit, a concern)" in chart.alt
    assert "Safer Streets (Oct 2023)" in chart.alt
    marks = _by_id(chart.figure_svg, "special-cause-high")
    assert len(marks.findall(f".//{SVG}use")) == 3  # three triangles
    texts = _texts(chart.figure_svg)
    assert "Unusually high (special cause): concern" in texts
    assert {"Safer Streets", "Mean 42", "Upper limit 54", "Sampleton"} <= set(texts)
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
        "differential_chart",
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
    diff = _differential_table().assign(label=[DOLLARS, BAD_MATH, "$3"])
    spc = pd.DataFrame({"month": m6, "count": [30.0, 31, 29, 30, 31, 45]})
    spc_result = xmr_result(pd.Series(spc["count"].to_numpy(), index=m6))
    return {
        "spc": (
            lambda: trend_chart(
                spc,
                title=DOLLARS,
                subtitle="s",
                xmr=spc_result,
                y_label=BAD_MATH,
                label="$x$",
                reporting_year=financial_year("2023/24"),
            ),
            [BAD_MATH, "$x$", "Reporting year 2023/24"],
            [f"{DOLLARS}.", f"Line chart of {BAD_MATH.lower()}"],
        ),
        "differential": (
            lambda: differential_chart(diff, title="t", subtitle="s", parent="$a$"),
            [f"{DOLLARS}: 200 → 190 (-5%)", f"{BAD_MATH}: 60 → 95 (+58%)"],
            ["All $a$: 1,200 to 1,215 (+1%)", f"{BAD_MATH} 60 to 95"],
        ),
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


# --------------------------------------------------------------------------- chart fixes


def _tick_values(svg: str, axis: str) -> list[float]:
    root = ET.fromstring(svg)
    out = []
    for g in root.iter(f"{SVG}g"):
        if (g.get("id") or "").startswith(f"{axis}tick_"):
            text = "".join(t for e in g.iter(f"{SVG}text") for t in e.itertext())
            out.append(float(text.replace(",", "").replace("\u2212", "-")))
    return out


def _note_box(svg: str, gid: str) -> tuple[float, float, float, float, bool]:
    """Bounding box (x0, y0, x1, y1) of a "no data" note and whether it is rotated.

    The text's length is measured independently with DejaVu Sans (the widest font in the
    house list; Arial, Helvetica and Liberation Sans set it shorter) plus 1 pt. A rotated
    note is ``translate(x y) rotate(-90)``: the text starts at (x, y) and runs up, its
    glyphs lying left of x (ascent, under 0.95 em) and a little right (descent, 0.25 em).
    """
    text = _by_id(svg, gid).find(f"{SVG}text")
    assert text is not None
    size = float(re.search(r"font-size: ([\d.]+)px", text.get("style")).group(1))
    words = "".join(text.itertext())
    width = TextToPath().get_text_width_height_descent(
        words, FontProperties(family="DejaVu Sans", size=size), ismath=False
    )[0]
    length = width + 1.0
    if "rotate(-90)" in (text.get("transform") or ""):
        found = re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", text.get("transform"))
        x, y = map(float, found.groups())
        return x - 0.95 * size, y - length, x + 0.3 * size, y, True
    x, y = float(text.get("x")), float(text.get("y"))
    return x - length / 2, y - size, x + length / 2, y + 0.3 * size, False


def _hits(box: tuple[float, ...], pieces: list[list[tuple[float, float]]], r: float) -> bool:
    """Whether a line (its vertices with marker radius ``r``, and its segments) enters ``box``."""
    x0, y0, x1, y1 = box[:4]
    for piece in pieces:
        segments = list(zip(piece, piece[1:], strict=False)) or [(piece[0], piece[0])]
        for (ax_, ay), (bx, by) in segments:
            for t in np.linspace(0, 1, 60):
                px, py = ax_ + (bx - ax_) * t, ay + (by - ay) * t
                if x0 - r <= px <= x1 + r and y0 - r <= py <= y1 + r:
                    return True
    return False


def test_no_data_note_is_clear_of_the_line():
    # a month missing at a peak (90 before, 92 after) and one between a trough (20) and a
    # peak (88): the old note, written down from the top of the plot, sat on the line
    m = _months("2021-04", 48)
    c = np.array([40.0 + (i % 5) for i in range(48)])
    c[20:23] = [90, NAN, 92]
    c[29:32] = [20, NAN, 88]
    s = pd.DataFrame({"month": m, "count": c})
    chart = trend_chart(
        s, title="Peaks", subtitle="x", xmr=xmr_result(s.set_index("month")["count"])
    )
    svg = chart.figure_svg
    pieces = _subpaths(_by_id(svg, "series-0"))
    assert [len(p) for p in pieces] == [21, 8, 17]  # gaps, not zeros
    band = _subpaths(_by_id(svg, "no-data-0"))[0]
    top = min(y for _, y in band)  # the band spans the plot: its top is the plot's top
    for k in (0, 1):
        box = _note_box(svg, f"no-data-note-{k}")
        assert not _hits(box, pieces, r=4.5), f"note {k} touches the line"
        # where the old note went (from the top of the plot down) the line passes
        x0, _, x1, _, _ = box
        old = (x0, top + 2, x1, top + 2 + (box[3] - box[1] if box[4] else 40))
        assert _hits(old, pieces, r=0)
    rotated = [_note_box(svg, f"no-data-note-{k}")[4] for k in (0, 1)]
    assert rotated[0]  # room below the peak: written in the gap
    assert not rotated[1] and _note_box(svg, "no-data-note-1")[3] < top  # no room: above
    assert "No data for Jan 2023 and Oct 2023" in chart.alt


def test_spc_axis_is_not_forced_to_zero(rendered):
    chart = rendered["spc"]
    ticks = _tick_values(chart.figure_svg, "y")
    # counts 40-44 and 68-75 with limits around them: the axis starts near 40, not at 0
    assert min(ticks) >= 30 and 0 not in ticks
    assert "The vertical axis starts at" in chart.alt and "not zero" in chart.alt
    # without XmR limits a count axis still starts at zero
    plain = trend_chart(_long_series(), title="t", subtitle="s")
    assert 0 in _tick_values(plain.figure_svg, "y") and "axis starts" not in plain.alt


def test_spc_axis_starts_at_zero_when_the_data_approach_it():
    m = _months("2024-01", 12)
    y = pd.Series([3.0, 5, 2, 4, 6, 3, 5, 4, 2, 5, 3, 4], index=m)
    chart = trend_chart(
        pd.DataFrame({"month": m, "count": y.to_numpy()}),
        title="Low",
        subtitle="x",
        xmr=xmr_result(y),
    )
    # the lowest count (2) is less than half the plotted range above zero: keep zero
    assert 0 in _tick_values(chart.figure_svg, "y")
    assert "axis starts" not in chart.alt


def test_reporting_year_is_bracketed_labelled_and_tinted_only_when_contrast_allows(rendered):
    chart = rendered["spc"]
    svg = chart.figure_svg
    assert "Reporting year 2024/25" in _texts(svg)
    assert "The reporting year 2024/25 (Apr 2024 to Mar 2025) is marked" in chart.alt
    # the tint spans Apr 2024 to Mar 2025: months 36..47 of the 48, half a month either side
    line = [pt for piece in _subpaths(_by_id(svg, "series-0")) for pt in piece]
    step = line[-1][0] - line[-2][0]
    xs = [x for x, _ in _subpaths(_by_id(svg, "reporting-year"))[0]]
    assert min(xs) == pytest.approx(line[-12][0] - step / 2, abs=0.01)
    assert max(xs) == pytest.approx(line[-1][0] + step / 2, abs=0.01)
    _by_id(svg, "reporting-year-bracket")
    # WCAG 1.4.11: the marks over the tint keep 3:1 against it; the tint itself is
    # decoration (barely off white), the bracket carries the extent at 3:1 or more
    assert contrast_ratio(REPORTING_BAND, "#FFFFFF") < 1.5
    assert contrast_ratio(CATEGORICAL[0], REPORTING_BAND) >= 3
    assert contrast_ratio(REFERENCE, REPORTING_BAND) >= 3
    assert contrast_ratio(MUTED_TEXT, "#FFFFFF") >= 4.5
    # a comparison in turquoise would fall below 3:1 on the tint: bracket only
    both = pd.concat([_long_series().assign(area="A"), _long_series().assign(area="B")])
    two = trend_chart(both, title="Two", subtitle="x", reporting_year=financial_year("2024/25"))
    assert contrast_ratio(CATEGORICAL[1], REPORTING_BAND) < 3
    assert 'id="reporting-year"' not in two.figure_svg
    _by_id(two.figure_svg, "reporting-year-bracket")
    assert "Reporting year 2024/25" in _texts(two.figure_svg)


def test_its_chart_marks_the_reporting_year():
    m = _months("2023-04", 24)
    obs = pd.DataFrame({"month": m, "count": [30.0] * 11 + [NAN] + [20.0] * 12})
    fit = pd.DataFrame({"month": m, "fitted": [30.0] * 12 + [20.0] * 12})
    cf = pd.DataFrame({"month": m[12:], "counterfactual": [30.0] * 12})
    c = its_chart(obs, fit, cf, "2024-04", title="Fell", subtitle="s",
                  reporting_year=financial_year("2024/25"))  # fmt: skip
    assert "Reporting year 2024/25" in _texts(c.figure_svg)
    assert "(Apr 2024 to Mar 2025) is marked above the plot" in c.alt
    # the fitted line crosses the missing month at 30: the note is not on it
    pieces = _subpaths(_by_id(c.figure_svg, "fitted-before"))
    assert not _hits(_note_box(c.figure_svg, "no-data-note-0"), pieces, r=2)


def test_mdc_icons_are_drawn_with_their_words(rendered):
    chart = rendered["spc"]
    s = _long_series()
    icons = mdc_icons(
        xmr_result(pd.Series(s["count"].to_numpy(), index=s["month"])), "down", target=45
    )
    # last month 68 is far above the limits (mean ~44, upper ~48): a concern, high;
    # the target 45 lies within the limits: hit and miss
    assert (icons.variation, icons.assurance) == ("concern_high", "inconsistent")
    texts = _texts(chart.figure_svg)
    assert {"H", "?"} <= set(texts)
    assert "Special cause: concern, unusually high" in texts
    assert "Target 45: met in some months only" in texts
    ring = _by_id(chart.figure_svg, "mdc-variation").find(f".//{SVG}use").get("style")
    assert CATEGORICAL[3].lower() in ring  # orange ring, 3:1 on white
    assert "variation — special-cause variation of concern, unusually high" in chart.alt
    assert "the target of 45 lies within the process limits" in chart.alt
    assert "Target 45" in texts  # the target line is labelled


def test_icons_follow_the_given_result_or_can_be_turned_off():
    s = _long_series()
    res = xmr_result(pd.Series(s["count"].to_numpy(), index=s["month"]))
    off = trend_chart(s, title="t", subtitle="s", xmr=res, icons=None)
    assert "mdc-variation" not in off.figure_svg and "Making Data Count" not in off.alt
    frame = trend_chart(s, title="t", subtitle="s", xmr=res.points)  # a frame: no icons
    assert "mdc-variation" not in frame.figure_svg
    given = trend_chart(s, title="t", subtitle="s", xmr=res, icons=mdc_icons(res, "up"))
    assert "Special cause: improvement, unusually high" in _texts(given.figure_svg)
    assert "mdc-assurance" not in given.figure_svg  # no target: no assurance icon
    with pytest.raises(ValueError, match="icons"):
        trend_chart(s, title="t", subtitle="s", xmr=res, icons="yes")
    with pytest.raises(ValueError, match="finite"):
        trend_chart(s, title="t", subtitle="s", target=float("inf"))


def test_differential_chart_rows_markers_and_alt(rendered):
    chart = rendered["differential"]
    # largest odds ratio first; filled = q < 0.05 (only coercive control, q 0.024)
    assert chart.data["label"].tolist() == [
        "Controlling or coercive behaviour", "Stalking and harassment", "Violence with injury"
    ]  # fmt: skip
    assert chart.data["significant"].tolist() == [True, False, False]
    filled = _by_id(chart.figure_svg, "ratio-0").find(f".//{SVG}use").get("style")
    hollow = _by_id(chart.figure_svg, "ratio-2").find(f".//{SVG}use").get("style")
    assert "fill: #12436d" in filled and "fill: #ffffff" in hollow
    texts = _texts(chart.figure_svg)
    # (95 - 60) / 60 = +58%; (260 - 300) / 300 = -13%
    assert "Controlling or coercive behaviour: 60 → 95 (+58%)" in texts
    assert "Violence with injury: 300 → 260 (-13%)" in texts
    assert "Changed like the rest" in texts
    # violence with injury: p 0.038 but q 0.095 -> not significant after FDR control
    assert (
        "Grew as a share of domestic abuse (q < 0.05): Controlling or coercive behaviour 60 "
        "to 95 (+58%, odds ratio 1.61, 95% CI 1.14 to 2.29, q = 0.024)." in chart.alt
    )
    assert "All domestic abuse: 1,200 to 1,215 (+1%)." in chart.alt  # 15 / 1,200 = 1.25%
    assert "Within chance: Stalking and harassment and Violence with injury." in chart.alt


def test_differential_chart_rejects_bad_input_and_handles_no_ratio():
    t = _differential_table()
    with pytest.raises(ValueError, match="total_before"):
        differential_chart(t.drop(columns="total_before"), title="t", subtitle="s")
    with pytest.raises(ValueError, match="one parent total"):
        differential_chart(t.assign(total_after=[1215.0, 1215, 1]), title="t", subtitle="s")
    with pytest.raises(ValueError, match="contain its estimate"):
        differential_chart(t.assign(ci_low=[2.0, 2, 2]), title="t", subtitle="s")
    zero = t.assign(sub_after=[190.0, 95, 0], odds_ratio=[0.9269, 1.6113, 0.0],
                    ci_low=[0.7416, 1.1413, 0.0], ci_high=[1.1582, 2.2896, 0.05])  # fmt: skip
    c = differential_chart(zero, title="t", subtitle="s")
    assert c.data["label"].iloc[-1] == "Violence with injury"  # no ratio: last
    assert "Violence with injury 300 to 0 (too few to compare)" not in c.alt
    assert " too few to compare" in _texts(c.figure_svg)
