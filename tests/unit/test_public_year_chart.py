"""public_year_chart: this year against last year, suppressed values never drawn or written."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pandas as pd
import pytest

from smp_analysis.present.charts.public_bars import HIDDEN, public_year_chart
from smp_analysis.present.style import contrast_ratio
from smp_analysis.stats.disclosure import suppress_table

SVG = "{http://www.w3.org/2000/svg}"
YEARS = ["2023/24", "2024/25"]


def _table():
    counts = pd.DataFrame(
        {"2023/24": [120, 3, 40, 60], "2024/25": [100, 30, 2, 61]},
        index=["Theft", "Robbery", "Drugs", "Burglary"],
    )
    return suppress_table(counts, 5)


def _texts(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)
    return ["".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")]


def test_both_years_for_every_row_and_hidden_values_never_shown() -> None:
    t = _table()
    c = public_year_chart(t, columns=YEARS, title="Theft fell", subtitle="Crimes, Sampleton")
    assert len(c.data) == 8 and set(c.data["year"]) == set(YEARS)
    hidden = t.mask.loc[["Theft", "Robbery", "Drugs", "Burglary"], YEARS]
    assert hidden.to_numpy().sum() >= 2  # 3 and 2 primary, plus secondary cells
    for (cat, year), is_hidden in hidden.stack().items():
        row = c.data[(c.data["category"] == cat) & (c.data["year"] == year)].iloc[0]
        if is_hidden:
            assert (row["value"], row["note"]) == ("[c]", HIDDEN)
        else:
            assert row["value"] == f"{int(t.values.loc[cat, year]):,}"
    texts = _texts(c.figure_svg)
    numbers = {x.replace(",", "") for x in texts if re.fullmatch(r"[\d,]+", x)}
    assert "3" not in numbers and "2" not in numbers  # the small counts
    shown = {str(int(t.values.loc[r, y])) for (r, y), h in hidden.stack().items() if not h}
    assert numbers == shown
    # every bar is labelled with its year, so colour is not the only cue
    assert texts.count("2023/24") == 4 and texts.count("2024/25") == 4
    assert "Theft: 2023/24 120, 2024/25 100" in c.alt
    assert "[c] (not shown)" in c.alt and "fewer than" not in c.alt


def test_bars_share_one_scale_and_start() -> None:
    c = public_year_chart(_table(), columns=YEARS, title="T", subtitle="S")
    root = ElementTree.fromstring(c.figure_svg)
    bars = {}
    for g in root.iter(f"{SVG}g"):
        gid = g.get("id", "")
        if gid.startswith("bar-"):
            d = g.find(f"{SVG}path").get("d")
            xs = [float(v) for v in re.findall(r"[ML] ([\d.]+) ", d)]
            bars[gid] = (min(xs), max(xs) - min(xs))
    theft_prev, theft_cur = bars["bar-0-0"], bars["bar-0-1"]
    assert theft_prev[0] == pytest.approx(theft_cur[0])  # same start
    assert theft_prev[1] / theft_cur[1] == pytest.approx(120 / 100, rel=1e-3)  # same scale


def test_colours_meet_non_text_contrast() -> None:
    c = public_year_chart(_table(), columns=YEARS, title="T", subtitle="S")
    fills = set(re.findall(r"fill: (#[0-9a-fA-F]{6})", c.figure_svg)) - {"#ffffff"}
    bar_fills = {f for f in fills if f.lower() in ("#28a197", "#12436d")}
    assert len(bar_fills) == 2
    for f in bar_fills:
        assert contrast_ratio(f, "#FFFFFF") >= 3.0  # WCAG 1.4.11


def test_one_year_when_the_other_is_not_available() -> None:
    c = public_year_chart(_table(), columns=["2022/23", "2024/25"], title="T", subtitle="S")
    assert set(c.data["year"]) == {"2024/25"}
    with pytest.raises(ValueError, match="none of the columns"):
        public_year_chart(_table(), columns=["2020/21"], title="T", subtitle="S")
