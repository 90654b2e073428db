"""Disclosure control of a whole page: tables read together, linked cells, the LP audit.

A reader of the public page sees every table at once. These tests build pages by hand in
which every table is safe on its own but a hidden cell can be recovered (or shown to be
small) by combining two tables, check that the page audit flags it and that
cross-table secondary suppression (:func:`protect_page`) removes it; then they audit the
sample's public section the same way, and the HTML check the build runs.

The attacker here is written independently of the module's audit: every cell of every
table is a variable (published ones pinned by their bounds), whole numbers, every total
and link a constraint; ``scipy.optimize.linprog`` (HiGHS, with integrality) gives the
smallest and largest value of each hidden cell.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from smp_analysis.present.charts import public_bar_chart
from smp_analysis.stats.disclosure import (
    SUPPRESSED,
    DisclosureError,
    PageCounts,
    PageTable,
    Relation,
    assert_page_safe,
    audit_page,
    disclosure_problems,
    page_disclosure_problems,
    page_feasible_intervals,
    page_range,
    protect_page,
    suppress_series,
    suppress_table,
)


# --------------------------------------------------------------------------- the attacker
def attack(tables: list[PageTable], relations: list[Relation]) -> dict:
    """(table, row, column) → (min, max) over whole-number pages, for every [c] cell."""
    cells, bounds = [], []
    for t in tables:
        for r in t.values.index:
            for c in t.values.columns:
                v = t.values.loc[r, c]
                cells.append((t.name, r, c))
                if isinstance(v, str) and v.strip() in (SUPPRESSED, "[x]"):
                    bounds.append((0, None))
                else:
                    x = float(str(v).replace(",", ""))
                    bounds.append((x, x))
    pos = {c: i for i, c in enumerate(cells)}
    eq, ub = [], []
    for t in tables:
        if t.total_row is None:
            continue
        for c in t.values.columns:
            row = np.zeros(len(cells))
            for r in t.values.index:
                row[pos[(t.name, r, c)]] = -1.0 if r == t.total_row else 1.0
            eq.append(row)
    for rel in relations:
        row = np.zeros(len(cells))
        for cell, coef in rel.terms:
            row[pos[cell]] += coef
        (eq if rel.sense == "==" else ub).append(row)
    out = {}
    for k, cell in enumerate(cells):
        lo, hi = bounds[k]
        if hi is not None:
            continue
        res = []
        for sense in (1.0, -1.0):
            cost = np.zeros(len(cells))
            cost[k] = sense
            sol = linprog(
                cost,
                A_eq=np.array(eq) if eq else None,
                b_eq=np.zeros(len(eq)) if eq else None,
                A_ub=np.array(ub) if ub else None,
                b_ub=np.zeros(len(ub)) if ub else None,
                bounds=bounds,
                integrality=np.ones(len(cells)),
                method="highs",
            )
            assert sol.status in (0, 4), sol.message
            res.append(math.inf if sol.status == 4 else sense * sol.fun)
        out[cell] = tuple(res)
    return out


def assert_attacker_finds_nothing(tables: list[PageTable], relations: list[Relation]) -> None:
    found = attack(tables, relations)
    for t in tables:
        for r in t.values.index:
            for c in t.values.columns:
                if t.values.loc[r, c] != SUPPRESSED:
                    continue
                lo, hi = found[(t.name, r, c)]
                thr = t.threshold_of(r, c)
                assert hi >= thr, f"{(t.name, r, c)} is at most {hi} < {thr}"
                assert hi - lo >= 1, f"{(t.name, r, c)} is recovered exactly ({lo})"


def counts_of(name: str, raw: pd.DataFrame, threshold: int = 5, sensitive=None) -> PageCounts:
    """A table suppressed on its own, as the page sees it (a total row, no total column)."""
    if raw.shape[1] == 1:
        sup = suppress_series(raw.iloc[:, 0], threshold, sensitive=sensitive)
    else:
        sup = suppress_table(raw, threshold, sensitive=sensitive)
    cols = list(raw.columns)
    counts = raw.astype(float)
    counts.loc["Total"] = raw.sum()
    mask = sup.mask.loc[counts.index, cols].astype(bool)
    return PageCounts(name, counts, mask, sup.thresholds.loc[counts.index, cols].astype("int64"))


# --------------------------------------------------------------------------- hand-made pages
DISTRICT = pd.DataFrame(
    {"2023/24": [1678, 399, 37, 26, 20], "2024/25": [1524, 389, 35, 18, 14]},
    index=["Violence", "Criminal damage", "Weapons", "Robbery", "Theft from the person"],
)
SENSITIVE = {"Robbery": 20}


def _same_count_page() -> tuple[list[PageCounts], list[Relation]]:
    """The district table by type and a priority's table of three of its rows."""
    sv = DISTRICT.loc[["Violence", "Robbery", "Weapons"]]
    d = counts_of("D", DISTRICT, sensitive=SENSITIVE)
    s = counts_of("SV", sv, sensitive=SENSITIVE)
    links = [Relation.same(("SV", r, c), ("D", r, c)) for r in sv.index for c in sv.columns]
    return [d, s], links


def test_each_table_is_safe_alone_but_not_together():
    tables, links = _same_count_page()
    for t in tables:
        assert disclosure_problems(t.published().values, 5, sensitive=SENSITIVE) == []
    audit = audit_page(tables, links)
    assert not audit.safe and audit.n_exposed == audit.n_suppressed == 8
    robbery = audit.intervals.query("table == 'D' and row == 'Robbery'")
    assert robbery[["lower", "upper"]].to_numpy().tolist() == [[26.0, 26.0], [18.0, 18.0]]
    assert any("Robbery" in p and "recovered exactly (18)" in p for p in audit.problems)


def test_cross_table_suppression_protects_the_page():
    tables, links = _same_count_page()
    out = protect_page(tables, links)
    assert len(out.exposed_before) == 8
    assert out.added  # cells hidden beyond each table's own suppression
    audit = assert_page_safe(list(out.tables), links)
    assert audit.n_exposed == 0
    d, s = out.table("D"), out.table("SV")
    # one count, one fate: hidden in both places, with the stricter threshold
    for r in ("Robbery", "Weapons", "Violence"):
        for c in DISTRICT.columns:
            assert d.mask.loc[r, c] == s.mask.loc[r, c]
    assert d.mask.loc["Robbery"].all() and s.mask.loc["Robbery"].all()
    assert_attacker_finds_nothing([t.published() for t in out.tables], links)
    # the true counts are untouched; only masks grew
    for before, after in zip(tables, out.tables, strict=True):
        pd.testing.assert_frame_equal(before.counts, after.counts)
        assert (after.mask | ~before.mask).all().all()


def _town_centre_page() -> tuple[list[PageCounts], list[Relation]]:
    """District crimes (B is small, hidden with C as its partner) and the town centre,
    which publishes its count of C: a lower bound on the district's C, so an upper
    bound on the district's B."""
    district = pd.Series({"A": 40, "B": 2, "C": 8}, name="n")
    town = pd.Series({"A": 10, "B": 0, "C": 8}, name="n")
    d = counts_of("D", district.to_frame())
    t = counts_of("T", town.to_frame())
    links = [Relation.part_of(("T", r, "n"), ("D", r, "n")) for r in ["A", "B", "C", "Total"]]
    return [d, t], links


def test_a_subset_table_bounds_a_hidden_cell():
    tables, links = _town_centre_page()
    assert tables[0].published().values["n"].tolist() == [40, "[c]", "[c]", 50]
    assert tables[1].published().values["n"].tolist() == [10, 0, 8, 18]
    for t in tables:
        assert disclosure_problems(t.published().values) == []
    iv = page_feasible_intervals(tables, links).set_index("row")
    assert iv.loc["B", "upper"] == 2 and iv.loc["B", "problem"] == "small"
    problems = page_disclosure_problems(tables, links)
    assert problems == [
        "table 'D', row 'B', column 'n': the suppressed value is known to be at most 2, "
        "below the threshold 5"
    ]
    out = protect_page(tables, links)
    assert out.exposed_before == (("D", "B", "n"),) and out.added
    assert audit_page(list(out.tables), links).safe
    assert_attacker_finds_nothing([t.published() for t in out.tables], links)


def test_without_links_the_page_audit_is_the_table_audit():
    pub = pd.DataFrame({"n": ["[c]", "[c]", 55, 97]}, index=["A", "B", "C", "Total"])
    iv = page_feasible_intervals([PageTable("t", pub)])
    assert iv[["row", "lower", "upper"]].to_numpy().tolist() == [["A", 0.0, 42.0], ["B", 0.0, 42.0]]
    relaxed = page_feasible_intervals([PageTable("t", pub)], integer=False)
    assert relaxed[["lower", "upper"]].equals(iv[["lower", "upper"]])


@pytest.mark.parametrize(
    ("total", "problem"),
    [(44, "small"), (45, ""), (43, "small")],
)
def test_protection_rule_reaches_the_threshold(total, problem):
    # x + y = total - 40: each can reach the threshold 5 only if the pair sums to ≥ 5
    pub = pd.DataFrame({"n": ["[c]", "[c]", 40, total]}, index=["x", "y", "z", "Total"])
    iv = page_feasible_intervals([PageTable("t", pub)])
    assert set(iv["problem"]) == {problem}
    assert set(iv["protected"]) == {problem == ""}


def test_a_single_hidden_cell_is_recovered_exactly():
    pub = pd.DataFrame({"n": ["[c]", 40, 47]}, index=["x", "z", "Total"])
    assert page_disclosure_problems([PageTable("t", pub)]) == [
        "table 't', row 'x', column 'n': the suppressed value can be recovered exactly (7)"
    ]


def test_published_small_counts_and_not_available_cells():
    pub = pd.DataFrame(
        {"2023/24": [3, 0, 40, 43], "2024/25": ["[x]", "[x]", "[x]", "[x]"]},
        index=["a", "b", "c", "Total"],
    )
    problems = page_disclosure_problems([PageTable("t", pub)])
    assert problems == [
        "table 't', row 'a', column '2023/24': 3 is published but below the threshold 5"
    ]
    # [x] cells are unknown to the publisher too: never audited
    assert page_feasible_intervals([PageTable("t", pub)]).empty
    zeros = PageTable("t", pub, suppress_zeros=True)
    assert len(page_disclosure_problems([zeros])) == 2


def test_page_range_of_a_sum():
    pub = pd.DataFrame({"n": ["[c]", "[c]", 40, 50]}, index=["x", "y", "z", "Total"])
    t = PageTable("t", pub)
    assert page_range([t], [], [(("t", "x", "n"), 1.0), (("t", "y", "n"), 1.0)]) == (10.0, 10.0)
    assert page_range([t], [], [(("t", "x", "n"), 1.0)]) == (0.0, 10.0)
    assert page_range([t], [], [(("t", "z", "n"), 2.0)]) == (80.0, 80.0)


def test_relations():
    a, b = ("T", "Robbery", "2024/25"), ("D", "Robbery", "2024/25")
    r = Relation.part_of(a, b)
    assert r.holds({a: 3, b: 18}) and not r.holds({a: 19, b: 18})
    s = Relation.sum_of(b, [a, ("T", "x", "y")])
    assert s.holds({a: 3, b: 5, ("T", "x", "y"): 2})
    assert Relation.from_json(s.to_json()) == s
    assert Relation.same(a, b).sense == "==" and Relation.at_most(a, b).sense == "<="
    with pytest.raises(ValueError, match="sense"):
        Relation(((a, 1.0),), ">=")
    with pytest.raises(ValueError, match="at least one cell"):
        Relation(())
    with pytest.raises(ValueError, match=r"\(table, row, column\)"):
        Relation(((("T", "x"), 1.0),))


def test_bad_pages_are_refused():
    pub = pd.DataFrame({"n": ["[c]", 40, 47]}, index=["x", "z", "Total"])
    t = PageTable("t", pub)
    with pytest.raises(ValueError, match="not a cell of the page"):
        page_feasible_intervals([t], [Relation.same(("t", "x", "n"), ("u", "x", "n"))])
    with pytest.raises(ValueError, match="unique names"):
        audit_page([t, t])
    bad = PageTable("t", pd.DataFrame({"n": [1, 40, 47]}, index=["x", "z", "Total"]))
    with pytest.raises(ValueError, match="contradict"):
        audit_page([bad])
    with pytest.raises(ValueError, match="neither a count"):
        audit_page([PageTable("t", pd.DataFrame({"n": ["lots"]}, index=["x"]), total_row=None)])


def test_protect_page_checks_its_links_and_keeps_what_it_must():
    tables, links = _same_count_page()
    wrong = [Relation.same(("SV", "Robbery", "2024/25"), ("D", "Weapons", "2024/25"))]
    with pytest.raises(ValueError, match="does not hold"):
        protect_page(tables, wrong)
    keep = [("D", "Total", "2023/24"), ("D", "Total", "2024/25")]
    out = protect_page(tables, links, keep=keep)
    assert not out.table("D").mask.loc["Total"].any()
    # a primary cell whose only partners must stay published cannot be protected
    s = pd.Series({"A": 40, "B": 2}, name="n")
    counts = s.to_frame().astype(float)
    counts.loc["Total"] = 42
    only_primary = PageCounts(
        "P",
        counts,
        pd.DataFrame({"n": [False, True, False]}, index=counts.index),
        pd.DataFrame({"n": [5, 5, 5]}, index=counts.index),
    )
    with pytest.raises(DisclosureError, match="cannot be protected"):
        protect_page([only_primary], keep=[("P", "A", "n"), ("P", "Total", "n")])
    assert protect_page([only_primary]).table("P").mask["n"].sum() >= 2


def test_the_stricter_threshold_of_a_count_published_twice_wins():
    a = pd.DataFrame({"n": [7, 40]}, index=["Robbery", "Theft"])
    d = counts_of("D", a)  # Robbery 7 ≥ 5: published here
    s = counts_of("S", a, sensitive={"Robbery": 10})  # hidden here
    assert not d.mask.loc["Robbery", "n"] and s.mask.loc["Robbery", "n"]
    links = [Relation.same(("S", r, "n"), ("D", r, "n")) for r in ["Robbery", "Theft", "Total"]]
    assert not audit_page([d, s], links).safe
    out = protect_page([d, s], links)
    assert out.table("D").mask.loc["Robbery", "n"]
    assert out.table("D").thresholds.loc["Robbery", "n"] == 10
    assert audit_page(list(out.tables), links).safe


# --------------------------------------------------------------------------- property
@st.composite
def linked_pages(draw):
    """A district table by type, a town-centre table (each count at most the district's)
    and a priority's table of some of the district rows, with random small counts."""
    n = draw(st.integers(3, 6))
    small = st.one_of(st.integers(0, 6), st.integers(0, 60))
    district = np.array([[draw(small) for _ in range(2)] for _ in range(n)])
    town = np.array([[draw(st.integers(0, int(v))) for v in row] for row in district])
    rows = [f"type{i}" for i in range(n)]
    cols = ["2023/24", "2024/25"]
    picked = draw(st.lists(st.sampled_from(rows), min_size=1, max_size=n, unique=True))
    sens = {r: 10 for r in draw(st.lists(st.sampled_from(rows), max_size=2, unique=True))}
    return (
        pd.DataFrame(district, index=rows, columns=cols),
        pd.DataFrame(town, index=rows, columns=cols),
        picked,
        sens,
    )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(linked_pages())
def test_property_protected_pages_resist_the_attacker(case):
    district, town, picked, sens = case
    measures = district.loc[picked]
    tables = []
    for name, raw in (("D", district), ("T", town), ("S", measures)):
        if raw.to_numpy().sum() == 0:
            return  # an empty table has nothing to protect
        tables.append(counts_of(name, raw, sensitive=sens))
    cols = list(district.columns)
    links = [Relation.part_of(("T", r, c), ("D", r, c)) for r in district.index for c in cols]
    links += [Relation.same(("S", r, c), ("D", r, c)) for r in picked for c in cols]
    out = protect_page(tables, links)
    published = [t.published() for t in out.tables]
    assert_attacker_finds_nothing(published, links)
    assert page_disclosure_problems(published, links) == []
    # every published count is its true value and is not small
    for t in out.tables:
        x, m = t.counts.to_numpy(), t.mask.to_numpy()
        shown = x[~m]
        assert ((shown == 0) | (shown >= t.thresholds.to_numpy()[~m])).all()


# --------------------------------------------------------------------------- public charts
def test_public_chart_reads_every_hidden_value_the_same():
    # 2 is small (primary); 40 is hidden so that 2 = 97 - 40 - 55 fails (secondary)
    table = suppress_series(pd.Series({"Burglary": 2, "Robbery": 40, "Theft": 55}, name="n"))
    assert table.n_primary == 1 and table.n_secondary == 1
    chart = public_bar_chart(table, title="Theft leads", subtitle="x")
    assert chart.data["note"].tolist()[:2] == ["hidden to protect confidentiality"] * 2
    assert "Burglary: [c] hidden to protect confidentiality (not shown)" in chart.alt
    assert "Robbery: [c] hidden to protect confidentiality (not shown)" in chart.alt
    for word in ("fewer than", "withheld", "other figures", "too few"):
        assert word not in chart.alt and word not in chart.figure_svg
    # a frame saying which is which gets the same words too
    frame = pd.DataFrame(
        {
            "category": ["a", "b", "c"],
            "value": ["[c]", "[c]", 50],
            "suppression": ["primary", "secondary", ""],
        }
    )
    chart = public_bar_chart(frame, title="C leads", subtitle="x", threshold=5)
    assert chart.data["note"].tolist() == ["hidden to protect confidentiality"] * 2 + [""]


# --------------------------------------------------------------------------- the sample page
@pytest.fixture(scope="module")
def sample_page(sample_context):
    from smp_analysis.assessment.sections.public import public_page

    return public_page(sample_context)


def _section_html(section) -> str:
    return "<main>" + "".join(section.html(label) for label in section.labels) + "</main>"


def test_sample_public_page_audit_finds_nothing(sample_page):
    audit = sample_page.audit
    assert audit.safe and audit.n_exposed == 0
    assert audit.n_suppressed > 0  # the youth table hides its quarters
    assert (audit.intervals["upper"] >= audit.intervals["threshold"]).all()
    assert sample_page.unused_links == ()
    assert_attacker_finds_nothing(list(sample_page.tables), list(sample_page.relations))
    # every [c] of every rendered table is a cell the audit checked
    checked = {
        (t, r, c) for t, r, c in audit.intervals[["table", "row", "column"]].itertuples(index=False)
    }
    for p in sample_page.section.paragraphs:
        for d in p.details:
            if "data-sdc-table" in getattr(d, "attrs", {}) and hasattr(d, "frame"):
                label = d.attrs["data-sdc-table"]
                frame = d.frame.set_index(d.frame.columns[0])
                for r in frame.index:
                    for c in frame.columns:
                        if frame.loc[r, c] == SUPPRESSED:
                            year = c.removesuffix(" (count)")
                            assert (label, r, year) in checked


def test_sample_public_page_links_are_the_ones_a_reader_can_make(sample_page):
    reasons = {r.reason for r in sample_page.relations}
    assert "town centre is part of the district" in reasons
    assert any("counted in the district table by type" in r for r in reasons)
    assert "a chart draws its table" in reasons
    same = [
        r
        for r in sample_page.relations
        if r.sense == "==" and ("PS.2", "Robbery", "2024/25") in r.cells
    ]
    assert any(("PS.3", "Robbery", "2024/25") in r.cells for r in same)


def test_sample_public_html_passes_the_build_page_check(sample_page):
    from smp_analysis.pipeline.checks import check_public_disclosure, check_public_page_disclosure

    html = _section_html(sample_page.section)
    assert "data-sdc-relations" in html and "data-sdc-table" in html
    assert check_public_page_disclosure(html) == []
    assert check_public_disclosure(html) == []
    # publishing one hidden quarter (20 of the year's 27) shows the others are small
    tampered = re.sub(r"<td class=\"num\">\[c\]</td>", '<td class="num">20</td>', html, count=1)
    problems = check_public_page_disclosure(tampered)
    assert len(problems) == 3
    assert all(p.startswith("public.html: table 'PS.6'") for p in problems)
    assert all("known to be at most 7, below the threshold 10" in p for p in problems)


def test_sample_public_charts_word_hidden_values_alike(sample_page):
    for p in sample_page.section.paragraphs:
        for d in p.details:
            alt = getattr(d, "alt", None)
            if alt is None:
                continue
            for item in re.findall(r"\[c\][^;.]*", alt):
                assert item.startswith("[c] hidden to protect confidentiality") or re.fullmatch(
                    r"\[c\]\)", item
                ), item


def test_hidden_counts_are_not_described_in_words(tmp_path, sample_dir):
    """With Robbery sensitive at a threshold above its count, the page hides it in every
    table, and the sentence giving its per cent change (a ratio of two hidden counts) is
    replaced."""
    from smp_analysis.assessment.context import Context
    from smp_analysis.assessment.sections.public import public_page
    from smp_analysis.config import load_config
    from smp_analysis.inputs import load_inputs

    from ..helpers import sample_config

    disclosure = {
        "threshold": 5,
        "sensitive_threshold": 150,
        "sensitive": ["domestic abuse", "Violence and sexual offences", "Robbery"],
    }
    cfg = load_config(sample_config(tmp_path, sample_dir, disclosure=disclosure))
    page = public_page(Context.create(cfg, load_inputs(cfg)))
    assert page.audit.safe
    assert_attacker_finds_nothing(list(page.tables), list(page.relations))
    cells = set(page.audit.intervals[["table", "row", "column"]].itertuples(index=False))
    for table in ("PS.2", "PS.3"):
        for year in ("2023/24", "2024/25"):
            assert (table, "Robbery", year) in cells
    sv = page.section["PS.3"]
    text = " ".join(sv.text)
    assert "Robbery rose by" not in text and "Robbery fell by" not in text
    assert "Robbery: some of these figures are hidden ([c])" in text
    # the chart's title and alt text quote only numbers its table publishes
    chart = next(d for d in sv.details if hasattr(d, "alt"))
    table = next(t for t in page.tables if t.name == "PS.3")
    shown = {str(v).replace(",", "") for v in table.values.to_numpy().ravel()}
    for words in (chart.title, chart.alt):
        words = re.sub(r"\d{4}/\d{2}", "", words)
        for number in re.findall(r"\d[\d,]*", words):
            assert number.replace(",", "") in shown, (number, words)
