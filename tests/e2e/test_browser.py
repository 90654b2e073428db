"""The exported pages in a real headless browser (Debian chromium, offline): no network
requests, no axe-core WCAG 2.2 A/AA violations, two columns on wide screens and one on
phones, no horizontal scrolling at 320 px, paragraph labels reachable as links.

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


@pytest.mark.parametrize("name", ["appendix.html", "public.html"])
def test_offline_and_no_axe_violations(browser, built: Built, name: str) -> None:
    blocked: list[str] = []
    page = _open(browser, built.result.out_dir / name, 1280, blocked)
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
