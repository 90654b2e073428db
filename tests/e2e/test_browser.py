"""The exported pages in a real headless browser (Debian chromium, offline): no network
requests, no axe-core WCAG 2.2 A/AA violations (wide and on a phone), two columns on wide
screens and one on phones, no horizontal scrolling at 320 px, paragraph labels reachable
as links; tables that fit their column at 1280 px and reflow or scroll (with a cue) on
narrow screens, and keyboard stops only on controls and tables that scroll.

Needs ``chromium`` (``make test`` installs Debian's) and ``node_modules/axe-core``
(``npm ci``); a missing one is a failure, not a skip.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ..helpers import REPO_ROOT
from .conftest import Built

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("SMP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), f"chromium not found at {CHROMIUM}: run `make chromium`"
    assert AXE.is_file(), "axe-core missing: run `npm ci`"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser, path: Path, width: int, blocked: list[str]):
    page = browser.new_page(viewport={"width": width, "height": 900})

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(path.resolve().as_uri(), wait_until="load")
    return page


@pytest.mark.parametrize(
    ("name", "width"), [("appendix.html", 1280), ("public.html", 1280), ("appendix.html", 390)]
)
def test_offline_and_no_axe_violations(browser, built: Built, name: str, width: int) -> None:
    blocked: list[str] = []
    page = _open(browser, built.result.out_dir / name, width, blocked)
    page.add_script_tag(path=str(AXE))
    res = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    page.close()
    assert blocked == []
    problems = [(v["id"], v["help"], len(v["nodes"])) for v in res["violations"]]
    assert problems == []
    assert res["passes"], "axe ran no checks"


def test_two_columns_wide_one_column_on_phones(browser, built: Built) -> None:
    path = built.result.out_dir / "appendix.html"
    script = "() => getComputedStyle(document.getElementById('DA.3')).gridTemplateColumns.split(' ').length"
    wide = _open(browser, path, 1280, [])
    assert wide.evaluate(script) == 2
    narrative_left = wide.evaluate(
        "() => { const s = document.getElementById('DA.3');"
        " return s.querySelector('.para-narrative').getBoundingClientRect().left <"
        " s.querySelector('.para-detail').getBoundingClientRect().left; }"
    )
    assert narrative_left
    wide.close()
    phone = _open(browser, path, 390, [])
    assert phone.evaluate(script) == 1
    phone.close()


@pytest.mark.parametrize("name", ["appendix.html", "public.html"])
def test_reflows_at_320px_without_page_scrolling(browser, built: Built, name: str) -> None:
    page = _open(browser, built.result.out_dir / name, 320, [])
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    page.close()
    assert overflow <= 1


def test_paragraph_labels_are_link_targets(browser, built: Built) -> None:
    page = _open(browser, built.result.out_dir / "appendix.html", 1280, [])
    page.goto((built.result.out_dir / "appendix.html").resolve().as_uri() + "#DA.3")
    target = page.evaluate(
        "() => document.querySelector(':target') && document.querySelector(':target').id"
    )
    top = page.evaluate("() => document.getElementById('DA.3').getBoundingClientRect().top")
    page.close()
    assert target == "DA.3"
    assert abs(top) < 50  # scrolled to the paragraph


def test_contents_links_resolve(browser, built: Built) -> None:
    page = _open(browser, built.result.out_dir / "appendix.html", 1280, [])
    missing = page.evaluate(
        "() => [...document.querySelectorAll('nav.contents a')]"
        ".map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id))"
    )
    page.close()
    assert missing == []


# ---------------------------------------------------------------------------- tables
#: every table wrapper whose table is wider than it, with what a reader gets there
_TABLES = """() => [...document.querySelectorAll('.table-wrap')].map(w => {
    const t = w.querySelector('table');
    return {caption: t.caption.textContent, wrap: w.clientWidth, scroll: w.scrollWidth,
            table: t.getBoundingClientRect().width, tabindex: w.getAttribute('tabindex'),
            role: w.getAttribute('role'), label: w.getAttribute('aria-label'),
            cue: getComputedStyle(w, '::after').content, reflow: t.classList.contains('reflow')};
})"""


def _all_tables(page) -> list[dict]:
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.wait_for_timeout(100)  # the page's script runs after layout
    return page.evaluate(_TABLES)


def test_no_table_is_wider_than_its_column_at_1280px(browser, built: Built) -> None:
    page = _open(browser, built.result.out_dir / "appendix.html", 1280, [])
    tables = _all_tables(page)
    page.close()
    assert len(tables) >= 40  # the "Show the data" tables included
    cut = [
        t["caption"] for t in tables if t["table"] > t["wrap"] + 1 or t["scroll"] > t["wrap"] + 1
    ]
    assert cut == []


@pytest.mark.parametrize("width", [640, 390, 320])  # 640: 1280 px at 200% zoom
def test_narrow_screens_reflow_or_scroll_with_a_cue(browser, built: Built, width: int) -> None:
    page = _open(browser, built.result.out_dir / "appendix.html", width, [])
    tables = _all_tables(page)
    labels = page.evaluate(
        "() => [...document.querySelectorAll('table.reflow td')].slice(0, 50)"
        ".map(td => getComputedStyle(td, '::before').content)"
    )
    page.close()
    scrolling = [t for t in tables if t["scroll"] > t["wrap"] + 1]
    for t in scrolling:  # a table that still scrolls is a labelled keyboard stop with a cue
        assert (t["tabindex"], t["role"], t["label"]) == ("0", "region", t["caption"])
        assert "Scroll sideways" in t["cue"]
    if width <= 390:
        assert any(t["reflow"] for t in tables)
        # on a phone a reflowed cell shows its column header beside the value
        assert labels and all(c not in ("none", "normal", '""') for c in labels)
        assert len(scrolling) <= 2, [t["caption"] for t in scrolling]
    else:
        assert scrolling == []


@pytest.mark.parametrize("width", [1280, 390])
def test_keyboard_stops_only_on_controls_and_scrolling_tables(
    browser, built: Built, width: int
) -> None:
    page = _open(browser, built.result.out_dir / "appendix.html", width, [])
    page.wait_for_timeout(100)
    stops: list[dict] = []
    cycled = False
    for _ in range(600):
        page.keyboard.press("Tab")
        stop = page.evaluate(
            "() => { const e = document.activeElement; return {tag: e.tagName,"
            " cls: e.className, scrolls: e.scrollWidth > e.clientWidth + 1,"
            " text: (e.getAttribute('aria-label') || e.textContent).slice(0, 60)}; }"
        )
        if stops and stop == stops[0]:
            cycled = True  # back where the walk started: every stop has been seen
            break
        stops.append(stop)
    wrappers = page.evaluate(
        "() => [...document.querySelectorAll('.table-wrap')]"
        ".filter(w => w.scrollWidth > w.clientWidth + 1).length"
    )
    page.close()
    assert cycled and len(stops) > 20
    other = [
        s
        for s in stops
        if s["tag"] not in ("A", "SUMMARY", "BUTTON", "INPUT", "SELECT", "BODY")
        and not (s["tag"] == "DIV" and "table-wrap" in s["cls"] and s["scrolls"])
    ]
    assert other == []
    assert sum(s["tag"] == "DIV" for s in stops) == wrappers


def test_a_table_that_starts_scrolling_becomes_a_keyboard_stop(browser, built: Built) -> None:
    page = _open(browser, built.result.out_dir / "appendix.html", 390, [])
    wrap = page.locator(".table-wrap").first
    caption = wrap.locator("caption").text_content()
    assert wrap.get_attribute("tabindex") == "-1" and wrap.get_attribute("role") is None
    wrap.evaluate("w => { w.querySelector('table').style.minWidth = '900px'; }")
    page.wait_for_function(
        "() => document.querySelector('.table-wrap').getAttribute('tabindex') === '0'"
    )
    assert wrap.get_attribute("role") == "region" and wrap.get_attribute("aria-label") == caption
    cue = wrap.evaluate("w => getComputedStyle(w, '::after').content")
    assert "Scroll sideways" in cue
    wrap.evaluate("w => { w.querySelector('table').style.minWidth = ''; }")
    page.wait_for_function(
        "() => document.querySelector('.table-wrap').getAttribute('tabindex') === '-1'"
    )
    page.close()
