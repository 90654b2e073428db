"""A paragraph's HTML as JupyterLab shows it: no table text overlaps its neighbour.

JupyterLab styles output tables with ``table-layout: fixed`` and right-aligned cells
(``@jupyterlab/rendermime``); with the report's unbreakable numbers that made cell text run
into the next column. The test lays out a wide paragraph in headless chromium under
JupyterLab's own output CSS, read from the installed ``jupyterlab`` package, plus the
stylesheet notebooks show (:data:`smp_analysis.notebook.NOTEBOOK_CSS`), and checks that
every cell's text stays inside its cell; a control without the report's table rules shows
the overlap the check detects.
"""

from __future__ import annotations

import importlib.resources
import re

import pytest

from smp_analysis.notebook import NOTEBOOK_CSS
from smp_analysis.present.blocks import Paragraph, Table, paragraph_html

from ..e2e.test_browser import ARGS, CHROMIUM
from .test_tables_fit import WIDE

pytestmark = pytest.mark.slow

#: a CSS rule whose selector names JupyterLab's rendered-HTML class
_RULE = re.compile(r"(?:^|[}\n])\s*([^{}`'\";]*\.jp-RenderedHTMLCommon[^{}`'\";]*)\{([^{}`]*)\}")
#: the report's table rules before tables were made to fit (a full-width table, so that
#: JupyterLab's fixed layout applies, and numbers that never wrap)
_OLD_NUMBERS = (
    "table.data { border-collapse: collapse; width: 100%; font-size: 0.95rem; }"
    " table.data .num { text-align: right; white-space: nowrap; }"
)
_OVERLAPS = """() => [...document.querySelectorAll('table.data td, table.data th')].filter(cell => {
    const r = document.createRange(); r.selectNodeContents(cell);
    const text = r.getBoundingClientRect(), box = cell.getBoundingClientRect();
    return text.width > 0 && (text.right > box.right + 0.5 || text.left < box.left - 0.5);
}).map(cell => cell.textContent)"""


def jupyterlab_output_css() -> str:
    """The rules of JupyterLab's bundled CSS that style rendered HTML output."""
    static = importlib.resources.files("jupyterlab") / "static"
    rules: list[str] = []
    for f in static.iterdir():
        if not f.name.endswith(".js"):
            continue
        text = f.read_text(encoding="utf-8", errors="replace")
        if ".jp-RenderedHTMLCommon table" in text:
            rules += [f"{m.group(1).strip()} {{{m.group(2)}}}" for m in _RULE.finditer(text)]
    css = "\n".join(rules)
    assert "table-layout: fixed" in css, "JupyterLab's output table CSS was not found"
    return css


def _page(report_css: str) -> str:
    p = Paragraph(
        "CYP.2", "First-time entrants", ("Fewer entrants.",), (Table(WIDE, "Table CYP.2"),)
    )
    return (
        f"<!DOCTYPE html><html><head><style>{jupyterlab_output_css()}</style></head><body>"
        '<div class="jp-OutputArea-output jp-RenderedHTMLCommon" style="width: 900px">'
        f"{report_css}{paragraph_html(p)}</div></body></html>"
    )


@pytest.fixture(scope="module")
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser.new_page(viewport={"width": 1000, "height": 800})
        browser.close()


def test_no_cell_text_overlaps_under_jupyterlab_styles(page) -> None:
    page.set_content(_page(NOTEBOOK_CSS))
    assert (
        page.evaluate("() => getComputedStyle(document.querySelector('table.data')).tableLayout")
        == "auto"
    )
    assert page.evaluate(_OVERLAPS) == []
    # the row header reads left-aligned and the numbers right-aligned, as in the report
    align = page.evaluate(
        "() => [...document.querySelector('table.data tbody tr').cells].map(c => getComputedStyle(c).textAlign)"
    )
    assert align[0] == "left" and set(align[1:]) == {"right"}
    # the table is whole inside its wrapper, which scrolls when the column is too narrow
    fits = page.evaluate(
        "() => { const w = document.querySelector('.table-wrap');"
        " return w.scrollWidth >= w.querySelector('table').getBoundingClientRect().width - 1; }"
    )
    assert fits


def test_control_without_the_fix_overlaps(page) -> None:
    # the same page with the report's table rules replaced by the old number rule
    without = re.sub(r"[^{}]*\.table-wrap[^{}]*\{[^{}]*\}", "", NOTEBOOK_CSS)
    assert "table.data" not in without
    page.set_content(_page(without.replace("</style>", _OLD_NUMBERS + "</style>")))
    assert (
        page.evaluate("() => getComputedStyle(document.querySelector('table.data')).tableLayout")
        == "fixed"
    )
    assert "270.8 (196.0 to 364.8)" in page.evaluate(_OVERLAPS)
