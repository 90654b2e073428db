"""``smp-analysis build --pdf``: A4 PDFs for committee papers, read back with pypdf.

The session's sample appendix is printed once (:func:`~smp_analysis.pipeline.pdf.html_to_pdf`,
no second full build): A4, at most 35 pages, "Page n of N" on every page, an outline with
every section and paragraph, contents whose page numbers are the pages the sections start
on, no "Show the data" tables, no link to the build folder. A small build (summary and
public notebooks) with ``--pdf`` on the command line checks that the PDFs are published
beside the HTML and listed in the manifest, and that a missing engine is one line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from smp_analysis.cli import main
from smp_analysis.errors import InputError
from smp_analysis.pipeline import pdf as pdf_module
from smp_analysis.pipeline.manifest import sha256
from smp_analysis.pipeline.pdf import html_to_pdf

from ..helpers import sample_config
from .conftest import Built

pytestmark = pytest.mark.slow

#: A4 in PDF points (210 × 297 mm)
A4 = (595.28, 841.89)
MAX_PAGES = 35


def _outline_titles(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) of every outline entry, in order."""
    out: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return out


def _is_a4(page) -> bool:
    w, h = float(page.mediabox.width), float(page.mediabox.height)
    return abs(w - A4[0]) < 1 and abs(h - A4[1]) < 1


@pytest.fixture(scope="module")
def appendix_pdf(built: Built, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("pdf") / "appendix.pdf"
    result = html_to_pdf(built.result.appendix, out)
    return result, PdfReader(out)


def test_appendix_is_a4_within_35_pages_with_page_numbers(appendix_pdf) -> None:
    result, reader = appendix_pdf
    n = len(reader.pages)
    assert result.pages == n and 5 <= n <= MAX_PAGES
    assert all(_is_a4(p) for p in reader.pages)
    texts = [p.extract_text() for p in reader.pages]
    missing = [i for i, t in enumerate(texts, 1) if f"Page {i} of {n}" not in t]
    assert missing == []
    assert not any("Show the data" in t for t in texts)
    assert not any("Download the data" in t for t in texts)


def test_outline_and_contents_give_every_section_its_page(appendix_pdf, built: Built) -> None:
    _, reader = appendix_pdf
    outline = _outline_titles(reader)
    sections = [a.get_text(" ", strip=True) for a in built.appendix.select("nav.contents a")]
    labels = [s["id"] for s in built.appendix.select("main section.para")]
    assert len(sections) >= 6 and len(labels) >= 30
    pages_of: dict[str, int] = {}
    for section in sections:
        hits = [
            (d, page) for d, title, page in outline if " ".join(title.split()).startswith(section)
        ]
        assert hits, f"no outline entry for section {section!r}"
        pages_of[section] = hits[0][1]
    for label in labels:  # each labelled paragraph is an entry under its section
        assert any(d >= 1 and t.split()[0] == label for d, t, _ in outline), label
    # the printed contents give the page each section starts on (target-counter)
    contents = " ".join(reader.pages[0].extract_text().split())
    for section, page in pages_of.items():
        m = re.search(re.escape(section) + r"[ .]*?(\d+)", contents)
        assert m, f"{section!r} is not in the printed contents"
        assert int(m.group(1)) == page, section


def test_links_stay_relative(appendix_pdf) -> None:
    _, reader = appendix_pdf
    uris = [
        a.get_object()["/A"].get("/URI", "")
        for p in reader.pages
        for a in p.get("/Annots", [])
        if "/A" in a.get_object()
    ]
    assert not [u for u in uris if re.match(r"^[a-z][a-z0-9+.-]*:", u, re.I)]


def test_build_pdf_publishes_both_pdfs_with_the_html(
    tmp_path: Path, sample_dir: Path, capsys
) -> None:
    narrative = tmp_path / "narrative.yml"  # labels of the summary only (a small build)
    narrative.write_text("SUM.1:\n  add: Printed for the committee.\n", encoding="utf-8")
    cfg = sample_config(tmp_path, sample_dir, narrative=str(narrative))
    argv = ["build", "--config", str(cfg), "--only", "00_summary.ipynb", "--pdf"]
    assert main(argv) == 0
    final = Path(capsys.readouterr().out.strip().splitlines()[-1]).parent
    manifest = json.loads((final / "manifest.json").read_text(encoding="utf-8"))
    for name in ("appendix.pdf", "public.pdf"):
        path = final / name
        assert path.is_file() and manifest["outputs"][name] == sha256(path)
        reader = PdfReader(path)
        n = len(reader.pages)
        assert all(_is_a4(p) for p in reader.pages)
        assert all(f"Page {i} of {n}" in p.extract_text() for i, p in enumerate(reader.pages, 1))
    # published together: nothing staged is left beside the report
    assert sorted(p.name for p in final.parent.iterdir()) == [final.name]
    # nothing changed and the PDFs are there: up to date, nothing rebuilt
    assert main(argv) == 0
    assert "up to date" in capsys.readouterr().err


@pytest.mark.parametrize(
    "failure",
    [
        ImportError("No module named 'weasyprint'"),
        OSError("cannot load library 'libpango-1.0-0': error 0x7e.\nSecond line"),
    ],
)
def test_missing_engine_is_one_line_naming_the_fix(monkeypatch, failure: Exception) -> None:
    def no_engine():
        raise failure

    monkeypatch.setattr(pdf_module, "_import_weasyprint", no_engine)
    with pytest.raises(InputError) as err:
        pdf_module.require_engine()
    message = str(err.value)
    assert "\n" not in message and "--pdf" in message
    assert "pip install 'smp-analysis[pdf]'" in message and "libpango-1.0-0" in message
    # the command line says it in one line, exit code 2, before anything is built
    assert main(["build", "--config", "data/config/sample.yml", "--pdf"]) == 2
