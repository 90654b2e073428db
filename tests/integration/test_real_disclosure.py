"""Disclosure control of the public page on real data: Kent street crime for Maidstone.

Robbery is marked sensitive with a threshold above its count (18 in January to March
2025), so the public page must hide it. Each table suppressed on its own is safe, but the
page is not: "Robbery" is a row of the district table by type (PS.2) and of the serious
violence table (PS.3), and the town-centre table (PS.5) is part of the district table, so
a reader combining tables recovers hidden cells exactly. The page-level step must leave no
hidden cell that a reader can narrow below its threshold — checked by the module's audit,
by an independent attacker, and by the check the build runs on the HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from smp_analysis.assessment.context import Context
from smp_analysis.assessment.sections.public import public_page
from smp_analysis.config import load_config
from smp_analysis.inputs import load_inputs
from smp_analysis.pipeline.checks import check_public_disclosure, check_public_page_disclosure
from smp_analysis.stats.disclosure import SUPPRESSED

from ..helpers import real_maidstone
from ..unit.test_disclosure_page import assert_attacker_finds_nothing

pytestmark = pytest.mark.realdata

CASES = {
    # Robbery (26 and 18 crimes in January to March) below a threshold of 20
    "robbery-20": (["Robbery"], 20),
    # three sensitive types at 30: more cells hidden in every table
    "three-types-30": (["Robbery", "Possession of weapons", "Drugs"], 30),
    # a strict threshold: the violence rows of PS.2 and PS.3 are hidden as partners
    "strict-120": (["Robbery", "Possession of weapons"], 120),
}


def _config(tmp: Path, real: Path, sensitive: list[str], threshold: int) -> Path:
    raw = real_maidstone(tmp, real)
    raw["disclosure"]["sensitive"] = [*raw["disclosure"]["sensitive"], *sensitive]
    raw["disclosure"]["sensitive_threshold"] = threshold
    path = tmp / "maidstone.yml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return path


@pytest.fixture(scope="module", params=list(CASES))
def page(request, tmp_path_factory, real_data):
    sensitive, threshold = CASES[request.param]
    cfg = load_config(_config(tmp_path_factory.mktemp("maid"), real_data, sensitive, threshold))
    return request.param, public_page(Context.create(cfg, load_inputs(cfg)))


def _tables(pp) -> dict:
    return {t.name: t for t in pp.tables}


def _html(pp) -> str:
    return "<main>" + "".join(pp.section.html(label) for label in pp.section.labels) + "</main>"


def test_tables_suppressed_alone_let_a_reader_recover_cells(page):
    case, pp = page
    before = set(pp.protection.exposed_before)
    if case == "robbery-20":
        # the finding: Robbery is recovered by combining PS.2 and PS.3
        for table in ("PS.2", "PS.3"):
            assert {(table, "Robbery", "2023/24"), (table, "Robbery", "2024/25")} <= before
    assert before, "with these thresholds the tables suppressed one by one are not safe"
    assert pp.protection.added  # the page-level step hid more cells


def test_no_hidden_cell_can_be_narrowed_below_its_threshold(page):
    _, pp = page
    audit = pp.audit
    assert audit.safe, audit.problems
    assert audit.n_exposed == 0 and audit.n_suppressed > 0
    iv = audit.intervals
    assert (iv["upper"] >= iv["threshold"]).all()
    assert (iv["upper"] - iv["lower"] >= 1).all()
    assert pp.unused_links == ()
    assert_attacker_finds_nothing(list(pp.tables), list(pp.relations))


def test_a_count_hidden_once_is_hidden_wherever_it_is_published(page):
    _, pp = page
    tables = _tables(pp)
    for year in ("2023/24", "2024/25"):
        assert tables["PS.2"].values.loc["Robbery", year] == SUPPRESSED
        assert tables["PS.3"].values.loc["Robbery", year] == SUPPRESSED
    same = [r for r in pp.relations if r.sense == "==" and len(r.terms) == 2]
    for rel in same:
        (a, _), (b, _) = rel.terms
        va = tables[a[0]].values.loc[a[1], a[2]]
        vb = tables[b[0]].values.loc[b[1], b[2]]
        assert (va == SUPPRESSED) == (vb == SUPPRESSED), rel


def test_the_build_check_audits_the_html_the_same_way(page):
    _, pp = page
    html = _html(pp)
    assert check_public_page_disclosure(html) == []
    assert check_public_disclosure(html) == []
    # publish one hidden district robbery count again: the check finds what it gives away
    tables = _tables(pp)
    assert tables["PS.3"].values.loc["Robbery", "2024/25"] == SUPPRESSED
    tampered = re.sub(
        r"(<th scope=\"row\">Robbery</th><td class=\"num\">[^<]*</td><td class=\"num\">)\[c\]",
        r"\g<1>18",
        html,
        count=1,
    )
    assert tampered != html
    assert check_public_page_disclosure(tampered)


def test_rows_with_hidden_counts_are_listed_last(page):
    _, pp = page
    cur = "2024/25"
    for name in ("PS.2", "PS.5"):
        t = _tables(pp)[name].values.drop(index="Total")
        hidden = [r for r in t.index if t.loc[r, cur] == SUPPRESSED]
        shown = [r for r in t.index if t.loc[r, cur] != SUPPRESSED]
        assert list(t.index) == shown + sorted(hidden)
        values = [int(t.loc[r, cur]) for r in shown]
        assert values == sorted(values, reverse=True)


def test_charts_do_not_say_which_hidden_values_are_secondary(page):
    _, pp = page
    charts = [d for p in pp.section.paragraphs for d in p.details if hasattr(d, "alt")]
    assert charts
    for chart in charts:
        for words in ("fewer than", "withheld", "other figures", "too few"):
            assert words not in chart.alt and words not in chart.figure_svg
        notes = set(chart.data.loc[chart.data["value"] == SUPPRESSED, "note"])
        assert notes <= {"hidden to protect confidentiality"}


def test_the_text_quotes_only_published_totals(page):
    _, pp = page
    total = _tables(pp)["PS.2"].values.loc["Total"]
    text = pp.section["PS.2"].text[0]
    for year in ("2023/24", "2024/25"):
        assert f"{int(total[year]):,}" in text
