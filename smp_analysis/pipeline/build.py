"""The build, stage by stage: prepare → execute → export → check → manifest → publish.

Each stage is a function of the :class:`Plan` (what to build, where) and what the stages
before it produced; :func:`build` runs them in order inside one logging context and
publishes only when every stage succeeded, holding the lock of the report folder
throughout (:mod:`.publish`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import __version__
from ..config import Config, load_config
from ..errors import BuildError, ConfigError, SmpError
from ..params import check_parameters
from .cache import KeyMaker, NotebookRun, decide
from .checks import check_narrative_labels, check_public_disclosure, check_report_html
from .export import (
    APPENDIX_WORKBOOK,
    PUBLIC_WORKBOOK,
    collect_downloads,
    export_html,
    merge_notebooks,
    write_downloads,
)
from .fingerprint import fingerprint, up_to_date
from .logs import build_logging
from .manifest import data_files, git_commit, output_hashes, sha256, versions
from .parallel import NotebookJob, run_notebooks, workers_for
from .pdf import PDF_NAMES, require_engine, write_pdfs
from .publish import clean_stale, output_lock, staging_path, swap_into_place

__all__ = ["build", "BuildResult", "Plan", "prepare"]

log = logging.getLogger("smp_analysis.build")


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
    #: true when nothing the report depends on changed and it was not rebuilt
    up_to_date: bool = False
    #: the notebooks whose executed copy was reused from the published report
    reused: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """What one build makes and where: the config, the notebooks in order (the public one
    last), their parameters, the staging folder and the final folder."""

    config: Config
    notebooks_dir: Path
    names: tuple[str, ...]
    parameters: dict[str, Any]
    area_dir: Path
    staging: Path
    final: Path
    stamp: str
    #: kernels running notebooks side by side (0: one per CPU; 1: one after another)
    jobs: int = 0
    #: re-execute every notebook even when its executed copy could be reused
    force: bool = False
    #: also print appendix.pdf and public.pdf (:mod:`.pdf`)
    pdf: bool = False

    @property
    def title(self) -> str:
        c = self.config
        return f"{c.report.title} {c.reporting_year}: {c.area.name}"


# ---------------------------------------------------------------------------- prepare
def prepare(
    config: str | Path | Config,
    *,
    year: str | None = None,
    out: str | Path | None = None,
    only: Sequence[str] | None = None,
) -> Plan:
    """Load the config, choose the notebooks and make the staging folder.

    :func:`build` does the same but makes the staging folder only once it holds the lock
    of the report folder (see :mod:`.publish`); ``prepare`` takes no lock.

    Raises
    ------
    ConfigError
        An unknown ``--only`` notebook, or a notebook missing from ``notebooks_dir``.
    """
    plan = _plan(config, year=year, out=out, only=only)
    (plan.staging / "notebooks").mkdir(parents=True)
    return plan


def _plan(
    config: str | Path | Config,
    *,
    year: str | None,
    out: str | Path | None,
    only: Sequence[str] | None,
) -> Plan:
    """The :class:`Plan` of :func:`prepare`, making the area folder but not the staging."""
    cfg = config if isinstance(config, Config) else load_config(config)
    if year is not None:
        cfg = cfg.for_year(year)
    names = cfg.notebook_names()
    if only:
        unknown = [n for n in only if n not in names]
        if unknown:
            raise ConfigError(
                f"unknown notebook(s) {unknown}",
                column="--only",
                fix="choose from " + ", ".join(names),
            )
        names = [n for n in names if n in only]
    nb_dir = cfg.report.notebooks_dir
    all_names = (*names, cfg.report.public_notebook)
    missing = [n for n in all_names if not (nb_dir / n).is_file()]
    if missing:
        raise ConfigError(
            f"notebook(s) not found in {nb_dir}: {missing}",
            path=cfg.path,
            column="report.notebooks_dir",
            fix="point report.notebooks_dir at the project's notebooks/ folder",
        )
    root = Path(out).resolve() if out is not None else cfg.report.output_dir
    area_dir = root / cfg.slug
    area_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    final = area_dir / cfg.year_slug
    return Plan(
        config=cfg,
        notebooks_dir=nb_dir,
        names=all_names,
        parameters={"config_path": str(cfg.path), "reporting_year": cfg.reporting_year},
        area_dir=area_dir,
        staging=staging_path(final, stamp),
        final=final,
        stamp=stamp,
    )


def _check_inputs(plan: Plan):
    """Read and check every input before any kernel starts (generating the sample)."""
    from ..inputs import ensure_sample_data, load_inputs

    cfg = plan.config
    if cfg.synthetic:
        ensure_sample_data(cfg)
    t = time.perf_counter()
    inputs = load_inputs(cfg)
    log.info("inputs read and checked in %.1f s", time.perf_counter() - t)
    for line in inputs.quality.summary_lines():
        log.info("data quality: %s", line)
    if cfg.peers is not None:
        # a bad peer group (no rows, no population, another force's files) fails here in
        # one line, not in the comparison notebook; the counts are cached for the kernel
        from ..sources.police_uk_peers import load_peer_counts

        load_peer_counts(cfg)
    for name in plan.names:
        check_parameters(plan.notebooks_dir / name, plan.parameters)
    return inputs


# ---------------------------------------------------------------------------- execute
def reuse_notebooks(plan: Plan, keys: KeyMaker) -> dict[str, NotebookRun]:
    """Copy into ``staging/notebooks`` the published executed notebooks that nothing they
    depend on has changed since (none with ``plan.force``); say what is done with each."""
    runs = decide(plan, keys, force=plan.force)
    for run in runs.values():
        log.info("%s: %s (%s)", run.name, run.action, run.reason)
    return runs


def execute_all(plan: Plan, timeout: int) -> tuple[list[Path], dict[str, float]]:
    """Run every notebook not already in ``staging/notebooks`` (reused) into it, on a pool
    of kernels (:mod:`.parallel`); return every notebook's path and the seconds each ran
    (0 for a reused one)."""
    folder = plan.staging / "notebooks"
    todo = [n for n in plan.names if not (folder / n).is_file()]
    timings = {n: 0.0 for n in plan.names}
    if todo:
        # the longest notebooks first (by the published report's timings; without them the
        # public one, which summarises every section), so that the last to finish is short.
        # No notebook reads another's output: any order gives the same outputs.
        previous = _previous_seconds(plan.final)
        public = plan.names[-1]
        order = sorted(todo, key=lambda n: (-previous.get(n, 0.0), n != public))
        workers = workers_for(len(order), plan.jobs)
        log.info("running %d notebook(s) on %d kernel(s)", len(order), workers)
        jobs = [NotebookJob(n, plan.notebooks_dir / n, folder / n, plan.parameters) for n in order]
        timings.update(
            run_notebooks(jobs, cwd=plan.notebooks_dir, timeout=timeout, workers=workers)
        )
    return [folder / n for n in plan.names], timings


def _previous_seconds(final: Path) -> dict[str, float]:
    try:
        m = json.loads((final / "manifest.json").read_text(encoding="utf-8"))
        return {e["name"]: float(e.get("run_seconds", e["seconds"])) for e in m["notebooks"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


# ---------------------------------------------------------------------------- export
def export_pages(plan: Plan, executed: Sequence[Path], started: dt.datetime) -> tuple[str, str]:
    """Merge, write the downloads into staging and export both pages (not yet written)."""
    cfg = plan.config
    title = plan.title
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
    merged, contents = merge_notebooks(report_nbs, title)
    public, _ = merge_notebooks([public_nb], f"{title} (public summary)")
    app_tables, pub_tables = collect_downloads(merged), collect_downloads(public)
    jobs = [
        (
            app_tables,
            APPENDIX_WORKBOOK,
            f"{title}: tables of the appendix",
            f"The data behind every table and chart of the appendix for "
            f"{cfg.area.name}, {cfg.reporting_year}.",
        ),
        (
            pub_tables,
            PUBLIC_WORKBOOK,
            f"Community safety in {cfg.area.name} {cfg.reporting_year}: tables",
            "The tables of the public summary. Small numbers are hidden ([c]).",
        ),
    ]
    # the workbooks (about a second) are written in a second process while nbconvert
    # exports the pages in this one
    with _background() as pool:
        written = pool.submit(_write_all_downloads, plan.staging, jobs)
        appendix_html = export_html(
            merged,
            {
                **common,
                "page_title": f"{title} (appendix)",
                "heading": f"{cfg.report.title} {cfg.reporting_year}",
                "subheading": f"{cfg.area.name}: appendix of evidence",
                "contents": contents,
                "variant": "appendix",
                "workbook": APPENDIX_WORKBOOK if app_tables else None,
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
                "workbook": PUBLIC_WORKBOOK if pub_tables else None,
            },
        )
        written.result()
    return appendix_html, public_html


def _write_all_downloads(folder: Path, jobs: Sequence[tuple]) -> None:
    for tables, workbook, title, about in jobs:
        write_downloads(folder, tables, workbook, title=title, about=about)


class _Inline:
    """The executor interface run in this process (where ``fork`` is not available)."""

    def submit(self, fn, *args):
        from concurrent.futures import Future

        f: Future = Future()
        try:
            f.set_result(fn(*args))
        except BaseException as exc:  # re-raised by result(), as a pool would
            f.set_exception(exc)
        return f

    def __enter__(self) -> _Inline:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _background():
    """One worker process (forked, so nothing is imported twice), or this process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return _Inline()
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))


# ---------------------------------------------------------------------------- check
def check_pages(inputs, appendix_html: str, public_html: str) -> None:
    """Refuse to publish pages that fail a check (:class:`BuildError`)."""
    problems = check_report_html(appendix_html, "appendix.html") + check_report_html(
        public_html, "public.html"
    )
    problems += check_narrative_labels(inputs, appendix_html)
    problems += check_public_disclosure(public_html)
    if problems:
        raise BuildError("the report failed its checks: " + "; ".join(problems[:5]))


# ---------------------------------------------------------------------------- manifest
def write_manifest(
    plan: Plan,
    inputs,
    timings: dict[str, float],
    started: dt.datetime,
    t0: float,
    *,
    fingerprint: str = "",
    runs: dict[str, NotebookRun] | None = None,
    keys: KeyMaker | None = None,
) -> None:
    """``manifest.json``: what was built from what, with which versions, how long it took,
    and the fingerprint that lets an unchanged rebuild be skipped; per notebook, whether
    it was ``executed`` or ``reused`` and why, and the key a later build compares."""
    cfg = plan.config
    finished = dt.datetime.now(dt.UTC)
    notebooks = []
    for n in plan.names:
        entry: dict[str, Any] = {"name": n, "seconds": timings[n], "path": f"notebooks/{n}"}
        run = (runs or {}).get(n)
        if run is not None:
            # seconds of the execution the executed copy comes from (reused: an earlier one)
            ran = run.previous_seconds if run.reused else timings[n]
            entry.update(run=run.action, reason=run.reason, run_seconds=ran)
        staged = plan.staging / "notebooks" / n
        if keys is not None and staged.is_file():
            entry.update(key=keys.key(n, staged), sha256=sha256(staged))
        notebooks.append(entry)
    manifest = {
        "area": cfg.area.name,
        "partnership": cfg.partnership,
        "reporting_year": cfg.reporting_year,
        "synthetic": cfg.synthetic,
        "config": {"path": str(cfg.path), "sha256": sha256(cfg.path)},
        "parameters": plan.parameters,
        "notebooks": notebooks,
        "data_files": [
            {"path": str(p), "bytes": p.stat().st_size, "sha256": sha256(p)}
            for p in data_files(cfg)
        ],
        "data_quality": inputs.quality.summary_lines(),
        "outputs": output_hashes(plan.staging),
        "versions": versions(),
        "fingerprint": fingerprint,
        "git_commit": git_commit(Path(__file__).parent),
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - t0, 2),
    }
    (plan.staging / "manifest.json").write_text(
        json.dumps(manifest, indent=2) + "\n", encoding="utf-8"
    )


# ---------------------------------------------------------------------------- build
def build(
    config: str | Path | Config,
    *,
    year: str | None = None,
    out: str | Path | None = None,
    timeout: int = 600,
    only: Sequence[str] | None = None,
    force: bool = False,
    jobs: int = 0,
    pdf: bool = False,
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
    force : bool
        Rebuild even when nothing the report depends on changed (otherwise such a build
        returns the published report at once: see :mod:`.fingerprint`), and re-execute
        every notebook (otherwise a notebook whose dependencies did not change is reused
        from the published report: see :mod:`.cache`).
    jobs : int
        Kernels running notebooks side by side: 0 (default) one per CPU, 1 one after
        another (see :mod:`.parallel`).
    pdf : bool
        Also print ``appendix.pdf`` and ``public.pdf`` (A4) beside the HTML (needs the
        ``pdf`` extra: see :mod:`.pdf`; checked before anything runs).

    Returns
    -------
    BuildResult
        ``up_to_date`` is true when nothing changed and nothing was rebuilt.

    Raises
    ------
    InputError
        Bad config, parameters or input data, or another build of the same area and year
        is running (nothing is built; exit code 2).
    BuildError
        A notebook failed or a page failed its checks (exit code 1). The executed
        notebooks are kept in ``failed-<year>-<time>/`` beside the report.

    Notes
    -----
    The build holds the lock of ``reports/<area>/<year>`` from start to end, first tidies
    up what killed builds left, and publishes with one atomic exchange: the report folder
    is always either the whole previous report or the whole new one. Whatever happens
    (an error, Ctrl-C), no staging folder is left behind. See :mod:`.publish`.
    """
    t0 = time.perf_counter()
    if pdf:
        require_engine()  # a missing PDF engine stops the build before it starts
    plan = replace(_plan(config, year=year, out=out, only=only), jobs=jobs, force=force, pdf=pdf)
    cfg = plan.config
    # one build per report folder; a second one stops here with exit code 2 (InputError)
    with output_lock(plan.final, f"{cfg.area.name} {cfg.reporting_year}"):
        tidied = clean_stale(plan.final)  # what killed builds left, now that none can run
        _ensure_sample(cfg)
        print_ = fingerprint(plan)
        if not force and up_to_date(plan.final, print_) and not _pdfs_missing(plan):
            shutil.rmtree(plan.staging, ignore_errors=True)
            log.info(
                "%s %s is up to date (code, config, notebooks and inputs unchanged): "
                "nothing rebuilt; use --force to rebuild",
                cfg.area.name,
                cfg.reporting_year,
            )
            return _published(plan, t0, up_to_date=True)
        try:
            (plan.staging / "notebooks").mkdir(parents=True)
            timings = _run_stages(plan, timeout, t0, tidied, print_)
            _publish(plan)
        except BaseException:
            # every exit path: no staging folder is left behind (unless kept as failed-*)
            shutil.rmtree(plan.staging, ignore_errors=True)
            raise
    return _published(plan, t0, timings=timings, reused=_reused(plan.final))


def _ensure_sample(cfg: Config) -> None:
    """The sample's files are inputs too: make them before hashing. The generator (and the
    statistics it imports, seconds of an up-to-date rebuild) is imported only when one of
    the files is missing."""
    if not cfg.synthetic:
        return
    d = cfg.data
    named = [getattr(d, k) for k in ("partner_returns", "fingertips", "population")]
    named += [getattr(d, k) for k in ("ethnicity", "imd", "survey")]
    if all(p.exists() for p in [*d.police_uk, *named] if p is not None):
        return
    from ..inputs import ensure_sample_data

    ensure_sample_data(cfg)


def _pdfs_missing(plan: Plan) -> bool:
    """A ``--pdf`` build of an up-to-date report that was published without its PDFs."""
    return plan.pdf and not all((plan.final / n).is_file() for n in PDF_NAMES.values())


def _reused(final: Path) -> tuple[str, ...]:
    try:
        m = json.loads((final / "manifest.json").read_text(encoding="utf-8"))
        return tuple(e["name"] for e in m["notebooks"] if e.get("run") == "reused")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return ()


def _published(
    plan: Plan,
    t0: float,
    *,
    timings: dict[str, float] | None = None,
    up_to_date: bool = False,
    reused: tuple[str, ...] = (),
) -> BuildResult:
    final = plan.final
    return BuildResult(
        out_dir=final,
        appendix=final / "appendix.html",
        public=final / "public.html",
        manifest=final / "manifest.json",
        notebooks=tuple(final / "notebooks" / n for n in plan.names),
        seconds=round(time.perf_counter() - t0, 2),
        timings=timings or {},
        up_to_date=up_to_date,
        reused=reused,
    )


def _run_stages(
    plan: Plan, timeout: int, t0: float, tidied: Sequence[str], print_: str = ""
) -> dict[str, float]:
    """Every stage but publishing, logging to ``build.log`` in the staging folder."""
    cfg = plan.config
    started = dt.datetime.now(dt.UTC)
    with build_logging(plan.staging / "build.log"):
        try:
            log.info(
                "smp-analysis %s: building %s %s", __version__, cfg.area.name, cfg.reporting_year
            )
            log.info("config %s; output %s", cfg.path, plan.final)
            for line in tidied:
                log.info("after an interrupted build: %s", line)
            inputs = _check_inputs(plan)
            keys = KeyMaker(plan)
            runs = reuse_notebooks(plan, keys)
            executed, timings = execute_all(plan, timeout)
            t_export = time.perf_counter()
            appendix_html, public_html = export_pages(plan, executed, started)
            log.info("pages and downloads exported in %.1f s", time.perf_counter() - t_export)
            check_pages(inputs, appendix_html, public_html)
            (plan.staging / "appendix.html").write_text(appendix_html, encoding="utf-8")
            (plan.staging / "public.html").write_text(public_html, encoding="utf-8")
            if plan.pdf:
                write_pdfs(plan.staging)
            write_manifest(
                plan, inputs, timings, started, t0, fingerprint=print_, runs=runs, keys=keys
            )
            log.info("appendix and public version written; moving into %s", plan.final)
        except SmpError as err:
            log.error("%s", err)
            if isinstance(err, BuildError):
                kept = _keep_failed(plan)
                where = f"executed notebooks and build.log kept in {kept}" if kept else ""
                err.args = (
                    f"{err} ({where}{'; ' if where else ''}the previous report is untouched)",
                )
            else:
                shutil.rmtree(plan.staging, ignore_errors=True)
            raise
        except BaseException:
            shutil.rmtree(plan.staging, ignore_errors=True)
            raise
    return timings


def _keep_failed(plan: Plan) -> Path | None:
    """Rename the staging folder ``failed-<year>-<stamp>`` for diagnosis (None: could not)."""
    kept = plan.area_dir / f"failed-{plan.config.year_slug}-{plan.stamp}"
    n = 1
    while kept.exists():
        n += 1
        kept = plan.area_dir / f"failed-{plan.config.year_slug}-{plan.stamp}-{n}"
    try:
        plan.staging.rename(kept)
    except OSError:
        shutil.rmtree(plan.staging, ignore_errors=True)
        return None
    return kept


def _publish(plan: Plan) -> None:
    """Switch ``reports/<area>/<year>`` to the staged report (see :mod:`.publish`)."""
    try:
        swap_into_place(plan.staging, plan.final)
    except OSError as err:
        kept = _keep_failed(plan)
        raise BuildError(
            f"could not move the report into {plan.final}: {err}; the previous report is "
            "untouched" + (f" (the new one is kept in {kept})" if kept else "")
        ) from err
