"""The build: config → papermill (execute) → nbconvert (export) → reports/<area>/<year>/.

:func:`build` is what ``smp-analysis build`` and scheduled runs call. It is
non-interactive, logs to the screen and to ``build.log`` in the output folder, and
writes atomically: everything goes to a staging folder first and replaces the
previous report only when every notebook ran and every check passed. A failing
notebook keeps its executed ``.ipynb`` (in ``failed-<year>-<time>/``) for diagnosis,
produces no HTML and leaves the previous report untouched. The report is published by one
atomic exchange of folders under a per-area-and-year lock (:mod:`.publish`): a second build
of the same area and year exits 2, and whatever a killed build left is cleaned next time.

Stages, one module each: :mod:`.build` (prepare → execute → export → check → manifest →
publish), :mod:`.cache` (which executed notebooks can be reused), :mod:`.parallel` (a
pool of long-lived kernels running the others), :mod:`.execute` (one notebook with
papermill in a fresh kernel), :mod:`.export` (merge, downloads, nbconvert),
:mod:`.checks` (page checks), :mod:`.manifest`, :mod:`.publish`, :mod:`.logs`.

Output folder::

    reports/<area>/<year>/appendix.html   the full appendix (all notebooks but the public one)
                          public.html     the public-friendly version
                          data/           one CSV per appendix table or chart, and
                                          appendix-tables.xlsx holding them all
                          public-data/    the same for the public page (disclosure-controlled)
                          notebooks/      executed notebooks, for audit
                          manifest.json   parameters, data files and hashes, versions, timings
                          build.log
"""

from .build import BuildResult, Plan, build, prepare
from .checks import (
    PLACEHOLDER_ALT,
    check_narrative_labels,
    check_public_disclosure,
    check_report_html,
)
from .export import (
    APPENDIX_WORKBOOK,
    PUBLIC_WORKBOOK,
    TEMPLATE_DIR,
    TEMPLATE_NAME,
    collect_downloads,
    export_html,
    merge_notebooks,
    write_downloads,
)

__all__ = [
    "build",
    "BuildResult",
    "Plan",
    "prepare",
    "TEMPLATE_DIR",
    "TEMPLATE_NAME",
    "PLACEHOLDER_ALT",
    "APPENDIX_WORKBOOK",
    "PUBLIC_WORKBOOK",
    "check_report_html",
    "check_narrative_labels",
    "check_public_disclosure",
    "export_html",
    "merge_notebooks",
    "collect_downloads",
    "write_downloads",
]
