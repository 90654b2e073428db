"""Every number shown in every table of every paragraph is in that paragraph's download.

The check reads the rendered HTML table (what a reader sees) and the CSV written from the
paragraph's result (what a reader downloads). A shown number matches a downloaded one when
it is that number rounded as shown, as a percentage of a proportion, or its absolute value
(signs are shown as words or +/-). Years such as "2024/25" match the text of the period.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from bs4 import BeautifulSoup

from smp_analysis.assessment import sections as S
from smp_analysis.present.blocks import Table
from smp_analysis.present.downloads import csv_text

BUILDERS = [
    "summary",
    "serious_violence",
    "domestic_abuse",
    "town_centre",
    "young_people",
    "wider_determinants",
    "emerging_concerns",
    "data_and_methods",
    "public_summary",
]
_NUM = re.compile(r"(?<![\w.])(<\s*)?(\d[\d,]*(?:\.\d+)?)")


@pytest.fixture(scope="module")
def built_sections(sample_context):
    return {name: getattr(S, name)(sample_context) for name in BUILDERS}


def shown_numbers(html: str) -> list[tuple[str, float, int]]:
    """(cell text, value, decimals) of every number in the table's body cells; numbers
    after '<' (as in 'p < 0.001') are bounds, not values, and are skipped."""
    soup = BeautifulSoup(html, "html.parser")
    out = []
    for td in soup.select("tbody th, tbody td"):
        text = td.get_text(" ", strip=True)
        for m in _NUM.finditer(text):
            if m.group(1):
                continue
            raw = m.group(2).replace(",", "")
            dp = len(raw.split(".")[1]) if "." in raw else 0
            out.append((text, float(raw), dp))
    return out


def downloaded(csv_string: str) -> tuple[list[float], str]:
    """Numbers of the CSV, and all its text (for years and labels)."""
    nums: list[float] = []
    rows = list(csv.reader(io.StringIO(csv_string)))
    for row in rows[1:]:
        for v in row:
            try:
                nums.append(float(v))
            except ValueError:
                continue
    return nums, csv_string


def matches(value: float, dp: int, nums: list[float], text: str) -> bool:
    tol = 0.5 * 10**-dp + 1e-9
    for v in nums:
        for cand in (abs(v), abs(v) * 100):
            if abs(cand - value) <= tol:
                return True
    # a number inside a text cell (a period "2024/25", a label "Sampleton 001A")
    return any(
        re.search(rf"(?<![\d.]){re.escape(form)}(?!\d|,\d{{3}})", text)
        for form in (f"{value:.{dp}f}", f"{value:,.{dp}f}")
    )


@pytest.mark.parametrize("name", BUILDERS)
def test_every_shown_number_is_in_the_download(built_sections, name) -> None:
    checked = 0
    for p in built_sections[name].paragraphs:
        for d in p.details:
            if not isinstance(d, Table):
                continue
            assert d.data is not None, f"{p.label}: table '{d.caption}' has no numbers behind it"
            nums, text = downloaded(csv_text(d.result_table()))
            for cell, value, dp in shown_numbers(d.html()):
                if cell in text:  # a label or period carried as text, e.g. "2021/22"
                    checked += 1
                    continue
                assert matches(value, dp, nums, text), (
                    f"{p.label} '{d.caption}': {value} (cell {cell!r}) is not in the download"
                )
                checked += 1
    assert checked > 0 or name == "data_and_methods"


def test_result_tables_are_numeric(built_sections) -> None:
    """The numbers behind tables are numbers: every column holding counts, rates, ratios or
    p-values has a numeric dtype (no formatted strings)."""
    numeric_names = re.compile(
        r"^(count|months_|rate|ci_|p_value|q_value|estimate|difference|pct_change|share|"
        r"baseline|current|value)"
    )
    for name in BUILDERS:
        for p in built_sections[name].paragraphs:
            for t in p.result.tables:
                for c in t.data.columns:
                    if numeric_names.match(str(c)) and not str(c).endswith("_label"):
                        assert t.data[c].dtype.kind in "fiu" or str(t.data[c].dtype) in (
                            "Int64",
                            "Float64",
                        ), f"{p.label} '{t.caption}': column {c} is {t.data[c].dtype}"
