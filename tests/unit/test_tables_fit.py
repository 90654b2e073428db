"""Table markup that lets a table fit its column (present/tables.py): numbers never split
inside, headers with break opportunities, every number and header kept, width classes."""

from __future__ import annotations

import pandas as pd
from bs4 import BeautifulSoup

from smp_analysis.present.tables import WIDTH_CLASSES, min_width_ch, table_html

#: CYP.2 of the sample appendix: the widest table (1,169 px with unwrapped headers)
WIDE = pd.DataFrame(
    {
        "Year": ["2021/22", "2024/25"],
        "First-time entrants": ["43", "24"],
        "Months with data": ["12 of 12", "12 of 12"],
        "Residents aged 10–17": ["15,879", "15,879"],
        "Rate per 100,000 aged 10–17 (95% CI)": ["270.8 (196.0 to 364.8)", "151.1 (96.8 to 224.9)"],
        "Change on previous year": ["[x]", "-3 (-11%)"],
        "Rate ratio (95% CI)": ["[x]", "0.89 (0.49 to 1.60)"],
    }
)
NARROW = pd.DataFrame({"Measure": ["Crimes per 1,000 residents"], "Value": ["81.7"]})


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_every_header_and_number_is_kept_as_text() -> None:
    # the reader (and a screen reader) gets exactly the formatted text: the markup that
    # lets cells wrap adds no characters and drops none
    table = _soup(table_html(WIDE, "Table CYP.2: first-time entrants")).table
    headers = [th.get_text() for th in table.thead.find_all("th")]
    assert headers == list(WIDE.columns)
    rows = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in table.tbody.find_all("tr")]
    assert rows == WIDE.astype(str).values.tolist()


def test_a_number_wraps_only_before_its_interval() -> None:
    html = table_html(WIDE, "Table CYP.2: first-time entrants")
    pieces = [s.get_text() for s in _soup(html).select("td.num > span.nw")]
    assert pieces == [
        "270.8",
        "(196.0 to 364.8)",
        "151.1",
        "(96.8 to 224.9)",
        "-3",
        "(-11%)",
        "0.89",
        "(0.49 to 1.60)",
    ]
    # a plain number stays one unbreakable cell, exactly as before
    assert '<td class="num">15,879</td>' in html and '<td class="num">[x]</td>' in html


def test_raw_column_names_get_break_opportunities() -> None:
    frame = pd.DataFrame({"crime_type": ["Robbery"], "count_baseline": [99]})
    html = table_html(frame, "Data for the chart")
    assert "count_<wbr>baseline" in html and "crime_<wbr>type" in html
    assert [th.get_text() for th in _soup(html).thead.find_all("th")] == list(frame.columns)


def test_minimum_width_is_the_sum_of_the_longest_unbreakable_pieces() -> None:
    # hand count: "Year"/"2024/25" -> 7; "ratio"/"(0.61 to 0.88)" -> 14; + 2 + 2 padding
    assert (
        min_width_ch(["Year", "Rate ratio"], [["2024/25", "0.73 (0.61 to 0.88)"]], [False, True])
        == 25
    )
    # text wraps at spaces: the longest word counts, not the whole sentence
    assert min_width_ch(["Note"], [["a very long sentence indeed"]], [False]) == len("sentence") + 2


def test_width_classes_follow_the_estimate() -> None:
    limits = dict(WIDTH_CLASSES)
    wide = _soup(table_html(WIDE, "Table CYP.2")).table["class"]
    narrow = _soup(table_html(NARROW, "Table SUM.2b")).table["class"]
    assert narrow == ["data"]
    assert "stack" in wide and "wide" in wide
    assert limits["stack"] < limits["wide"]  # a table too wide for print is too wide for phones


def test_wrapper_stays_a_labelled_focusable_region_without_the_page_script() -> None:
    # the page's script removes the tab stop when the table fits; the markup alone (no
    # script: JupyterLab, a reader with scripts off) keeps every table reachable
    wrap = _soup(table_html(WIDE, "Table CYP.2: first-time entrants")).div
    assert wrap["class"] == ["table-wrap"]
    assert wrap["tabindex"] == "0" and wrap["role"] == "region"
    assert wrap["aria-label"] == "Table CYP.2: first-time entrants"
