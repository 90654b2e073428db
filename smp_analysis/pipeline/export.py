"""Merge executed notebooks into one page, collect the paragraphs' numbers, export HTML.

The merged notebook drops parameter and ``remove_cell`` cells (the analysts' result cells
among them), keeps each paragraph's HTML, and yields the contents list from the section
headings. Each paragraph's numbers travel beside its HTML (mimetype
:data:`~smp_analysis.present.blocks.DATA_MIME`); :func:`collect_downloads` takes them out
before nbconvert sees the notebook, and :func:`write_downloads` writes them as CSV files
and one workbook per page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BuildError

if TYPE_CHECKING:  # nbformat pulls in jsonschema (seconds): imported where used
    import nbformat

__all__ = [
    "TEMPLATE_DIR",
    "TEMPLATE_NAME",
    "APPENDIX_WORKBOOK",
    "PUBLIC_WORKBOOK",
    "merge_notebooks",
    "collect_downloads",
    "write_downloads",
    "export_html",
]

TEMPLATE_DIR = Path(__file__).parent.parent / "present" / "templates"
TEMPLATE_NAME = "smp_report"
_NB_CSS = re.compile(r"<style data-smp-notebook-css>.*?</style>", re.S)
_H2 = re.compile(r'<h2 id="([^"]+)"(?: data-status="([^"]*)")?>(.*?)</h2>', re.S)
_TAGS = re.compile(r"<[^>]+>")


def merge_notebooks(
    executed: Sequence[Path], title: str
) -> tuple[nbformat.NotebookNode, list[dict]]:
    """Concatenate executed notebooks into one and collect the contents list."""
    import nbformat

    merged = nbformat.v4.new_notebook()
    merged.metadata["title"] = title
    contents: list[dict] = []
    from ..present.blocks import status_class

    for path in executed:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            tags = set(cell.get("metadata", {}).get("tags", []))
            if tags & {"parameters", "injected-parameters", "remove_cell"}:
                continue
            if cell.cell_type == "code":
                for out in cell.get("outputs", []):
                    data = out.get("data", {})
                    if "text/html" in data:
                        text = data["text/html"]
                        text = "".join(text) if isinstance(text, list) else text
                        text = _NB_CSS.sub("", text)
                        data["text/html"] = text
                        for sid, status, inner in _H2.findall(text):
                            label = _TAGS.sub("", inner.split('<span class="status', 1)[0]).strip()
                            contents.append(
                                {
                                    "id": sid,
                                    "text": label,
                                    "status": status or None,
                                    "status_class": status_class(status) if status else "",
                                }
                            )
            merged.cells.append(cell)
    return merged, contents


#: the workbooks holding every table of each page (CSV files sit beside them)
APPENDIX_WORKBOOK = "data/appendix-tables.xlsx"
PUBLIC_WORKBOOK = "public-data/public-tables.xlsx"
_DOWNLOAD_NAME = re.compile(r"^(public-)?data/[A-Z]{2,4}\.\d+-\d+\.csv$")


def collect_downloads(nb: nbformat.NotebookNode) -> list[tuple[str, Any]]:
    """The paragraphs' numbers carried in a merged notebook's outputs (and removed from it,
    so the export only sees the HTML), as ``(download name, ResultTable)`` in page order."""
    from ..present.blocks import DATA_MIME
    from ..results.payload import from_payload

    out: list[tuple[str, Any]] = []
    seen: set[str] = set()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).pop(DATA_MIME, None)
            if not payload:
                continue
            for name, table in from_payload(payload):
                if not _DOWNLOAD_NAME.match(name) or name in seen:
                    raise BuildError(f"a paragraph's download has a bad or repeated name: {name!r}")
                seen.add(name)
                out.append((name, table))
    return out


def write_downloads(
    folder: Path, tables: Sequence[tuple[str, Any]], workbook: str, *, title: str, about: str
) -> None:
    """Write each table as CSV under ``folder`` and all of them in one workbook (nothing
    when the page has no tables)."""
    from ..present.downloads import csv_text, write_workbook

    if not tables:
        return

    for name, table in tables:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(csv_text(table), encoding="utf-8")
    (folder / workbook).parent.mkdir(parents=True, exist_ok=True)
    write_workbook(
        folder / workbook,
        tables,
        title=title,
        about=[about],
        source="police.uk and the partnership's own returns (see Data and methods)",
    )


def export_html(nb: nbformat.NotebookNode, resources: dict[str, Any]) -> str:
    """Export a notebook with the package's report template (no code, no prompts, no CDN)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"smp": resources})
    return body
