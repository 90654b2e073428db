"""PDF copies of the report pages for committee papers (``smp-analysis build --pdf``).

The exported HTML is printed to A4 by `WeasyPrint <https://weasyprint.org>`_ with the
report's own print stylesheet (``report.css``, ``@media print`` and ``@page``): contents
with page numbers, a running header, "Page n of N" on every page, two columns where the
detail fits, no "Show the data" tables. WeasyPrint turns the headings into the PDF outline
(bookmarks) and writes a tagged PDF, so screen readers get the structure.

WeasyPrint is an optional extra (``pip install 'smp-analysis[pdf]'``; it needs the Pango
libraries, which Debian and Ubuntu ship as ``libpango-1.0-0`` and ``libpangoft2-1.0-0``):
``make report`` and a build without ``--pdf`` never import it, and a build with ``--pdf``
checks for it before running any notebook (:func:`require_engine`).

Printing fetches nothing: the pages embed their images and stylesheet, and the URL fetcher
given to WeasyPrint only reads ``data:`` URLs. Relative links (``data/DA.4-1.csv``,
``appendix.html#DA.3``) stay relative, so they work beside the HTML once published.

Examples
--------
>>> PDF_NAMES["appendix.html"]
'appendix.pdf'
>>> "smp-analysis[pdf]" in ENGINE_FIX
True
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError

__all__ = ["PDF_NAMES", "ENGINE_FIX", "PdfResult", "require_engine", "html_to_pdf", "write_pdfs"]

log = logging.getLogger("smp_analysis.build")

#: the page each PDF is printed from → the PDF written beside it
PDF_NAMES = {"appendix.html": "appendix.pdf", "public.html": "public.pdf"}

#: what to do when the PDF engine cannot be loaded
ENGINE_FIX = (
    "install the PDF extra: pip install 'smp-analysis[pdf]' (WeasyPrint), and on "
    "Debian/Ubuntu the Pango libraries: apt-get install libpango-1.0-0 libpangoft2-1.0-0; "
    "or build without --pdf"
)


@dataclass(frozen=True)
class PdfResult:
    """One PDF written: where, how many pages, how long it took."""

    path: Path
    pages: int
    seconds: float


def _import_weasyprint() -> Any:
    import weasyprint

    return weasyprint


def _engine() -> Any:
    """The ``weasyprint`` module, or :class:`InputError` saying how to install it."""
    try:
        return _import_weasyprint()
    except ImportError as err:
        problem = f"--pdf needs WeasyPrint, which is not installed ({err})"
    except OSError as err:  # WeasyPrint is installed but Pango (a C library) is not
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        problem = f"--pdf needs WeasyPrint's system libraries, which could not be loaded ({first})"
    raise InputError(problem, column="--pdf", fix=ENGINE_FIX)


def require_engine() -> None:
    """Check that PDFs can be printed (called before a ``--pdf`` build runs anything).

    Raises
    ------
    InputError
        WeasyPrint or its Pango libraries are missing; the message says what to install.
    """
    _engine()


def _fetcher() -> Any:
    """A URL fetcher that reads ``data:`` URLs only (a page never makes a request)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, timeout=1)


def html_to_pdf(html_path: str | Path, pdf_path: str | Path) -> PdfResult:
    """Print one exported report page to an A4 PDF.

    Parameters
    ----------
    html_path : str or Path
        An exported page (``appendix.html`` or ``public.html``).
    pdf_path : str or Path
        Where to write the PDF.

    Returns
    -------
    PdfResult

    Raises
    ------
    InputError
        The PDF engine is missing (see :data:`ENGINE_FIX`).
    """
    weasyprint = _engine()
    t = time.perf_counter()
    html = Path(html_path).read_text(encoding="utf-8")
    # WeasyPrint warns about every screen-only rule of the stylesheet (media queries,
    # scrolling): expected, so kept out of the build log
    quiet = logging.getLogger("weasyprint")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        # from a string with no base URL: relative links stay relative in the PDF
        document = weasyprint.HTML(string=html, url_fetcher=_fetcher()).render(pdf_tags=True)
        document.write_pdf(pdf_path, pdf_tags=True)
    finally:
        quiet.setLevel(level)
    return PdfResult(Path(pdf_path), len(document.pages), round(time.perf_counter() - t, 2))


def write_pdfs(folder: str | Path, names: Sequence[str] = tuple(PDF_NAMES)) -> list[PdfResult]:
    """Print each page of a report folder to its PDF beside it (``appendix.pdf``, ...).

    Pages missing from ``folder`` are skipped. The build calls this on the staging folder,
    so the PDFs are published (and listed in the manifest) with the HTML.
    """
    folder = Path(folder)
    done: list[PdfResult] = []
    for name in names:
        page = folder / name
        if not page.is_file():
            continue
        result = html_to_pdf(page, folder / PDF_NAMES[name])
        log.info(
            "%s printed to %s: %d A4 pages in %.1f s",
            name,
            result.path.name,
            result.pages,
            result.seconds,
        )
        done.append(result)
    return done
