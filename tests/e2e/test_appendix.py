"""The built sample appendix: structure, self-containment, accessibility basics, audit trail."""

from __future__ import annotations

import hashlib
import json
import re

import nbformat
import pytest

from smp_analysis.config import STATUSES
from smp_analysis.pipeline import PLACEHOLDER_ALT

from .conftest import Built, para_text

pytestmark = pytest.mark.slow

SECTIONS = ["SUM", "SV", "DA", "TC", "CYP", "WD", "XT", "CMP", "EC", "DM"]
PRIORITIES = ["SV", "DA", "TC", "CYP"]
LABELS = (
    ["SUM.0", "SUM.1", "SUM.2"]
    + [f"SV.{i}" for i in range(1, 7)]
    + ["SV.20"]  # the work undertaken, from the action log
    + [f"DA.{i}" for i in range(1, 6)]
    + ["DA.20"]
    + [f"TC.{i}" for i in range(1, 6)]
    + ["TC.20"]
    + [f"CYP.{i}" for i in range(1, 5)]
    + ["CYP.20"]
    + [f"WD.{i}" for i in range(1, 6)]
    + ["XT.1", "XT.2"]  # the cross-cutting themes
    + ["CMP.1", "CMP.2", "CMP.3"]  # comparison with the sample's synthetic peers
    + ["EC.1", "EC.2", "EC.3"]
    + [f"DM.{i}" for i in range(1, 7)]
)


def test_outputs_written(built: Built) -> None:
    out = built.result.out_dir
    assert out.name == "2024-25" and out.parent.name == "sampleton"
    for name in ("appendix.html", "public.html", "manifest.json", "build.log"):
        assert (out / name).is_file(), name
    assert sorted(p.name for p in (out / "notebooks").glob("*.ipynb")) == [
        "00_summary.ipynb",
        "10_serious_violence.ipynb",
        "20_domestic_abuse.ipynb",
        "30_town_centre.ipynb",
        "40_children_young_people.ipynb",
        "50_wider_determinants.ipynb",
        "60_themes.ipynb",
        "70_comparison.ipynb",
        "80_emerging_concerns.ipynb",
        "90_data_and_methods.ipynb",
        "99_public.ipynb",
    ]
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]  # no staging left


def test_one_h1_title_lang_and_banner(built: Built) -> None:
    for soup in (built.appendix, built.public):
        assert len(soup.find_all("h1")) == 1
        assert soup.html["lang"] == "en-GB"
        assert "Sampleton" in soup.title.get_text()
        banner = soup.select_one(".banner-synthetic")
        assert banner is not None and "Synthetic data" in banner.get_text()


def test_contents_lists_every_section_with_status(built: Built) -> None:
    items = built.appendix.select("nav.contents li")
    hrefs = [li.a["href"] for li in items]
    assert hrefs == [f"#{s}" for s in SECTIONS]
    for li in items:
        if li.a["href"].lstrip("#") in PRIORITIES:
            assert li.select_one(".status").get_text() in STATUSES


def test_section_headings_have_status(built: Built) -> None:
    for sid in SECTIONS:
        h2 = built.appendix.find("h2", id=sid)
        assert h2 is not None, sid
        if sid in PRIORITIES:
            assert h2.select_one(".status").get_text() in STATUSES


def test_labelled_paragraphs_are_linkable_two_column_blocks(built: Built) -> None:
    ids = [s["id"] for s in built.appendix.select("section.para")]
    assert ids == LABELS
    for label in LABELS:
        section = built.appendix.find("section", id=label)
        assert section.select_one(".para-label").get_text() == label
        assert section.select_one(".para-narrative") is not None
    # every evidence paragraph carries detail (a chart or a table) in the right-hand column;
    # the methods text (DM.3-DM.5) is narrative only and spans the page; the glossary
    # (DM.6) is a definition list
    with_detail = {
        s["id"]
        for s in built.appendix.select("section.para")
        if s.select(".para-detail table, .para-detail img")
    }
    assert with_detail == set(LABELS) - {"DM.3", "DM.4", "DM.5", "DM.6"}


def test_no_code_prompts_or_errors(built: Built) -> None:
    for html in (built.appendix_html, built.public_html):
        assert "In&nbsp;[" not in html and "Out[" not in html
        assert "Traceback" not in html and "import smp_analysis" not in html
        assert "section.show(" not in html and "ctx = setup" not in html
        assert "about to fail" not in html


def test_self_contained_no_network_references(built: Built) -> None:
    for soup in (built.appendix, built.public):
        for tag in soup.find_all(["script", "img", "iframe", "link", "source"]):
            ref = tag.get("src") or tag.get("href") or ""
            assert not re.match(r"^(https?:)?//", ref), ref
        for style in soup.find_all("style"):
            assert not re.search(r"url\(\s*['\"]?(https?:)?//", style.get_text())
        assert not soup.find_all("script", src=True)


def test_every_image_has_real_alt_text(built: Built) -> None:
    imgs = built.appendix.find_all("img") + built.public.find_all("img")
    assert len(imgs) >= 20
    for img in imgs:
        alt = img.get("alt", "").strip()
        assert alt and alt != PLACEHOLDER_ALT
        assert len(alt) > 40, alt  # states the message, not "chart"


def test_tables_have_captions_and_headers(built: Built) -> None:
    tables = built.appendix.find_all("table")
    assert len(tables) >= 30
    for t in tables:
        assert t.caption is not None and t.caption.get_text().strip()
        assert t.find("th", scope="col") is not None


def test_analyst_narrative_is_included(built: Built) -> None:
    assert "street marshals" in para_text(built.appendix, "TC.1")
    assert "Analyst note" in para_text(built.appendix, "DA.1")


def test_manifest_records_parameters_data_hashes_versions_timings(built: Built) -> None:
    m = json.loads(built.result.manifest.read_text())
    assert m["parameters"]["reporting_year"] == "2024/25"
    assert m["synthetic"] is True
    assert {n["name"] for n in m["notebooks"]} >= {"00_summary.ipynb", "99_public.ipynb"}
    assert all(n["seconds"] > 0 for n in m["notebooks"])
    assert len(m["data_files"]) > 40
    first = m["data_files"][0]
    from pathlib import Path

    digest = hashlib.sha256(Path(first["path"]).read_bytes()).hexdigest()
    assert digest == first["sha256"]
    assert m["versions"]["smp-analysis"] and m["versions"]["papermill"]
    out = built.result.out_dir
    assert (
        m["outputs"]["appendix.html"]
        == hashlib.sha256((out / "appendix.html").read_bytes()).hexdigest()
    )


def test_executed_notebooks_kept_for_audit(built: Built) -> None:
    nb = nbformat.read(built.result.out_dir / "notebooks" / "20_domestic_abuse.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and 'reporting_year = "2024/25"' in injected[0].source
    assert all(c.get("execution_count") for c in nb.cells if c.cell_type == "code")
