"""The build: config → papermill (execute) → nbconvert (export) → reports/<area>/<year>/.

:func:`build` is what ``smp-analysis build`` and scheduled runs call. It is
non-interactive, logs to the screen and to ``build.log`` in the output folder, and
writes atomically: everything goes to a staging folder first and replaces the
previous report only when every notebook ran and every check passed. A failing
notebook keeps its executed ``.ipynb`` (in ``failed-<year>-<time>/``) for diagnosis,
produces no HTML and leaves the previous report untouched.

Output folder::

    reports/<area>/<year>/appendix.html   the full appendix (all notebooks but the public one)
                          public.html     the public-friendly version
                          notebooks/      executed notebooks, for audit
                          manifest.json   parameters, data files and hashes, versions, timings
                          build.log
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from . import __version__
from .config import Config, load_config
from .errors import BuildError, ConfigError, SmpError
from .params import check_parameters

__all__ = ["build", "BuildResult", "TEMPLATE_DIR", "check_report_html", "export_html"]

log = logging.getLogger("smp_analysis.build")

TEMPLATE_DIR = Path(__file__).parent / "present" / "templates"
TEMPLATE_NAME = "smp_report"
PLACEHOLDER_ALT = "No description has been provided for this image"
_NB_CSS = re.compile(r"<style data-smp-notebook-css>.*?</style>", re.S)
_H2 = re.compile(r'<h2 id="([^"]+)"(?: data-status="([^"]*)")?>(.*?)</h2>', re.S)
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class BuildResult:
    """Where a successful build put its outputs."""

    out_dir: Path
    appendix: Path
    public: Path
    manifest: Path
    notebooks: tuple[Path, ...]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------------------- logging
@contextlib.contextmanager
def _build_logging(log_file: Path) -> Iterator[logging.Handler]:
    """Log to screen and file for the duration of one build (no global state left behind)."""
    root = logging.getLogger("smp_analysis")
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S")
    file_handler = logging.FileHandler(log_file, encoding="utf-8")
    file_handler.setFormatter(fmt)
    screen = logging.StreamHandler(sys.stderr)
    screen.setFormatter(fmt)
    old_level = root.level
    root.setLevel(logging.INFO)
    root.addHandler(file_handler)
    root.addHandler(screen)
    try:
        yield file_handler
    finally:
        root.removeHandler(file_handler)
        root.removeHandler(screen)
        root.setLevel(old_level)
        file_handler.close()


# ---------------------------------------------------------------------------- helpers
def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _data_files(cfg: Config) -> list[Path]:
    paths: list[Path] = list(cfg.data.police_uk)
    for name in ("partner_returns", "fingertips", "population", "ethnicity", "imd", "survey"):
        p = getattr(cfg.data, name)
        if p is not None:
            paths.append(p)
    if cfg.narrative is not None:
        paths.append(cfg.narrative)
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*") if q.is_file()))
        elif p.is_file():
            files.append(p)
    return files


def _git_commit(start: Path) -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=start, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"smp-analysis": __version__, "python": platform.python_version()}
    for pkg in ("pandas", "numpy", "scipy", "statsmodels", "matplotlib", "papermill", "nbconvert"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:  # pragma: no cover
            out[pkg] = "not installed"
    return out


# ---------------------------------------------------------------------------- execution
def _execute(src: Path, dst: Path, parameters: dict[str, Any], cwd: Path, timeout: int) -> None:
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    try:
        pm.execute_notebook(
            str(src),
            str(dst),
            parameters=parameters,
            kernel_name="python3",
            cwd=str(cwd),
            progress_bar=False,
            log_output=False,
            execution_timeout=timeout,
            start_timeout=120,
            # ipykernel 7 warns on every start that its local TCP sockets are unencrypted;
            # keep the scheduled-run log to what matters (kernel errors are still shown)
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except PapermillExecutionError as exc:
        raise BuildError(
            f"notebook {src.name} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
        ) from None
    except SmpError:
        raise
    except Exception as exc:  # dead kernel, cell timeout, ZMQ errors: report, don't trace
        raise BuildError(
            f"notebook {src.name} could not run: {type(exc).__name__}: {exc}"
        ) from None


def _merge(executed: Sequence[Path], title: str) -> tuple[nbformat.NotebookNode, list[dict]]:
    """Concatenate executed notebooks into one and collect the contents list."""
    merged = nbformat.v4.new_notebook()
    merged.metadata["title"] = title
    contents: list[dict] = []
    from .present.blocks import status_class

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
    from .present.blocks import DATA_MIME
    from .results.payload import from_payload

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
    """Write each table as CSV under ``folder`` and all of them in one workbook."""
    from .present.downloads import csv_text, write_workbook

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


def check_report_html(html: str, name: str) -> list[str]:
    """Problems that must stop a report being published (empty list when fine).

    Checks: no external (network) references in ``src``/``href``/CSS ``url()``, every
    image has real alt text (not nbconvert's placeholder), ids are unique, exactly one
    ``<h1>``, no code or error output.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    problems: list[str] = []
    for tag in soup.find_all(src=True):
        if re.match(r"^(https?:)?//", tag["src"]):
            problems.append(f"{name}: <{tag.name}> loads {tag['src']} from the network")
    for tag in soup.find_all(["link", "script"]):
        href = tag.get("href") or ""
        if re.match(r"^(https?:)?//", href):
            problems.append(f"{name}: <{tag.name}> loads {href} from the network")
    for style in soup.find_all("style"):
        if re.search(r"url\(\s*['\"]?(https?:)?//", style.get_text()):
            problems.append(f"{name}: a stylesheet loads a URL from the network")
    for img in soup.find_all("img"):
        alt = (img.get("alt") or "").strip()
        if not alt or alt == PLACEHOLDER_ALT:
            problems.append(f"{name}: an image has no alt text (use smp_analysis.present.show)")
    ids = [t["id"] for t in soup.find_all(id=True)]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        problems.append(f"{name}: repeated element ids {dup[:5]}")
    if len(soup.find_all("h1")) != 1:
        problems.append(f"{name}: expected exactly one <h1>, found {len(soup.find_all('h1'))}")
    if soup.select(".input_area, .output_error, .output_stderr"):
        problems.append(f"{name}: code, errors or stderr leaked into the page")
    return problems


# ---------------------------------------------------------------------------- build
def _swap_into_place(staging: Path, final: Path) -> None:
    """Replace ``final`` by ``staging`` with two renames on the same filesystem."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    try:
        staging.rename(final)
    except OSError:
        if old.exists():
            old.rename(final)
        raise
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def build(
    config: str | Path | Config,
    *,
    year: str | None = None,
    out: str | Path | None = None,
    timeout: int = 600,
    only: Sequence[str] | None = None,
) -> BuildResult:
    """Build the appendix and the public version for one area and year.

    Parameters
    ----------
    config : str, Path or Config
        The area's YAML config (or an already loaded one).
    year : str, optional
        Reporting financial year such as ``"2024/25"``; default: the config's.
    out : str or Path, optional
        Reports folder; default: the config's ``report.output_dir``.
    timeout : int
        Per-cell execution timeout in seconds.
    only : sequence of str, optional
        Build only these report notebooks (file names); the public version is always built.

    Returns
    -------
    BuildResult

    Raises
    ------
    InputError
        Bad config, parameters or input data (nothing is built; exit code 2).
    BuildError
        A notebook failed or a page failed its checks (exit code 1). The executed
        notebooks are kept in ``failed-<year>-<time>/`` beside the report.
    """
    t0 = time.perf_counter()
    cfg = config if isinstance(config, Config) else load_config(config)
    if year is not None:
        cfg = cfg.for_year(year)
    root = Path(out).resolve() if out is not None else cfg.report.output_dir
    area_dir = root / cfg.slug
    area_dir.mkdir(parents=True, exist_ok=True)
    final = area_dir / cfg.year_slug
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    staging = area_dir / f".{cfg.year_slug}.staging-{stamp}-{os.getpid()}"
    (staging / "notebooks").mkdir(parents=True)

    names = cfg.notebook_names()
    if only:
        unknown = [n for n in only if n not in names]
        if unknown:
            shutil.rmtree(staging, ignore_errors=True)
            raise ConfigError(
                f"unknown notebook(s) {unknown}",
                column="--only",
                fix="choose from " + ", ".join(names),
            )
        names = [n for n in names if n in only]
    nb_dir = cfg.report.notebooks_dir
    all_names = [*names, cfg.report.public_notebook]
    missing = [n for n in all_names if not (nb_dir / n).is_file()]
    if missing:
        shutil.rmtree(staging, ignore_errors=True)
        raise ConfigError(
            f"notebook(s) not found in {nb_dir}: {missing}",
            path=cfg.path,
            column="report.notebooks_dir",
            fix="point report.notebooks_dir at the project's notebooks/ folder",
        )

    parameters = {"config_path": str(cfg.path), "reporting_year": cfg.reporting_year}
    timings: dict[str, float] = {}
    started = dt.datetime.now(dt.UTC)
    with _build_logging(staging / "build.log"):
        try:
            log.info(
                "smp-analysis %s: building %s %s", __version__, cfg.area.name, cfg.reporting_year
            )
            log.info("config %s; output %s", cfg.path, final)
            from .inputs import ensure_sample_data, load_inputs

            if cfg.synthetic:
                ensure_sample_data(cfg)
            t = time.perf_counter()
            inputs = load_inputs(cfg)  # validates every input before any kernel starts
            log.info("inputs read and checked in %.1f s", time.perf_counter() - t)
            for line in inputs.quality.summary_lines():
                log.info("data quality: %s", line)

            for name in all_names:
                check_parameters(nb_dir / name, parameters)
            executed: list[Path] = []
            for name in all_names:
                t = time.perf_counter()
                dst = staging / "notebooks" / name
                log.info("running %s", name)
                _execute(nb_dir / name, dst, parameters, nb_dir, timeout)
                timings[name] = round(time.perf_counter() - t, 2)
                log.info("finished %s in %.1f s", name, timings[name])
                executed.append(dst)

            title = f"{cfg.report.title} {cfg.reporting_year}: {cfg.area.name}"
            common = {
                "version": __version__,
                "synthetic": cfg.synthetic,
                "area": cfg.area.name,
                "partnership": cfg.partnership,
                "footer": f"{cfg.partnership}. Built {started:%d %B %Y} with smp-analysis "
                f"{__version__}. Contains public sector information licensed under the Open "
                "Government Licence v3.0.",
            }
            report_nbs, public_nb = executed[:-1], executed[-1]
            merged, contents = _merge(report_nbs, title)
            public, _ = _merge([public_nb], f"{title} (public summary)")
            write_downloads(
                staging,
                collect_downloads(merged),
                APPENDIX_WORKBOOK,
                title=f"{title}: tables of the appendix",
                about=f"The data behind every table and chart of the appendix for "
                f"{cfg.area.name}, {cfg.reporting_year}.",
            )
            write_downloads(
                staging,
                collect_downloads(public),
                PUBLIC_WORKBOOK,
                title=f"Community safety in {cfg.area.name} {cfg.reporting_year}: tables",
                about="The tables of the public summary. Small numbers are hidden ([c]).",
            )
            appendix_html = export_html(
                merged,
                {
                    **common,
                    "page_title": f"{title} (appendix)",
                    "heading": f"{cfg.report.title} {cfg.reporting_year}",
                    "subheading": f"{cfg.area.name}: appendix of evidence",
                    "contents": contents,
                    "variant": "appendix",
                    "workbook": APPENDIX_WORKBOOK,
                },
            )
            public_html = export_html(
                public,
                {
                    **common,
                    "page_title": f"Community safety in {cfg.area.name} {cfg.reporting_year}",
                    "heading": f"Community safety in {cfg.area.name}",
                    "subheading": f"What the {cfg.partnership} found in {cfg.reporting_year}",
                    "contents": [],
                    "variant": "public",
                    "workbook": PUBLIC_WORKBOOK,
                },
            )
            problems = check_report_html(appendix_html, "appendix.html") + check_report_html(
                public_html, "public.html"
            )
            from .inputs import check_narrative_labels, check_public_disclosure

            problems += check_narrative_labels(inputs, appendix_html)
            problems += check_public_disclosure(public_html)
            if problems:
                raise BuildError("the report failed its checks: " + "; ".join(problems[:5]))
            (staging / "appendix.html").write_text(appendix_html, encoding="utf-8")
            (staging / "public.html").write_text(public_html, encoding="utf-8")

            finished = dt.datetime.now(dt.UTC)
            manifest = {
                "area": cfg.area.name,
                "partnership": cfg.partnership,
                "reporting_year": cfg.reporting_year,
                "synthetic": cfg.synthetic,
                "config": {"path": str(cfg.path), "sha256": _sha256(cfg.path)},
                "parameters": parameters,
                "notebooks": [
                    {"name": n, "seconds": timings[n], "path": f"notebooks/{n}"} for n in all_names
                ],
                "data_files": [
                    {"path": str(p), "bytes": p.stat().st_size, "sha256": _sha256(p)}
                    for p in _data_files(cfg)
                ],
                "data_quality": inputs.quality.summary_lines(),
                "outputs": {
                    n: _sha256(staging / n)
                    for n in (
                        "appendix.html",
                        "public.html",
                        *sorted(
                            f.relative_to(staging).as_posix()
                            for d in ("data", "public-data")
                            for f in (staging / d).rglob("*")
                            if f.is_file()
                        ),
                    )
                },
                "versions": _versions(),
                "git_commit": _git_commit(Path(__file__).parent),
                "started": started.isoformat(timespec="seconds"),
                "finished": finished.isoformat(timespec="seconds"),
                "seconds": round(time.perf_counter() - t0, 2),
            }
            (staging / "manifest.json").write_text(
                json.dumps(manifest, indent=2) + "\n", encoding="utf-8"
            )
            log.info("appendix and public version written; moving into %s", final)
        except SmpError as err:
            log.error("%s", err)
            if isinstance(err, BuildError):
                kept = area_dir / f"failed-{cfg.year_slug}-{stamp}"
                staging.rename(kept)
                err.args = (
                    f"{err} (executed notebooks and build.log kept in {kept}; "
                    "the previous report is untouched)",
                )
            else:
                shutil.rmtree(staging, ignore_errors=True)
            raise
    _swap_into_place(staging, final)
    return BuildResult(
        out_dir=final,
        appendix=final / "appendix.html",
        public=final / "public.html",
        manifest=final / "manifest.json",
        notebooks=tuple(final / "notebooks" / n for n in all_names),
        seconds=round(time.perf_counter() - t0, 2),
        timings=timings,
    )
