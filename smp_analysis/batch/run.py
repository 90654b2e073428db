"""Build every area of a batch through a ``concurrent.futures.Executor``.

:func:`build_many` plans the batch (:func:`.config.load_batch`), runs the shared ingest
(:func:`.ingest.shared_ingest`), then submits one :func:`smp_analysis.pipeline.build`
per area to an executor and collects each area's outcome — built, up to date, or failed
with its one-line error — while the others go on. The executor is a
``ProcessPoolExecutor`` with one worker per core by default (``jobs``), or, with
``scheduler="tcp://host:8786"``, a Dask cluster's ``Client(address).get_executor()``
(``pip install smp-analysis[distributed]``): the same code then spreads a national run
over many machines, which need the package, the notebooks and the data at the same
paths. A build that fails because a Jupyter kernel could not start or died (a known
upstream race when kernels start in parallel) is retried once.

Examples
--------
>>> o = AreaOutcome(index=0, name="Anytown", year="2024/25", status="failed",
...                 error="a.yml:3: key 'area': ...")
>>> o.ok
False
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import AreaPlan, load_batch
from .ingest import IngestReport, shared_ingest

__all__ = ["AreaOutcome", "BatchResult", "build_many", "build_area", "make_executor"]

log = logging.getLogger("smp_analysis.batch")

#: Kernel failures worth one retry (parallel kernel start-up races upstream).
_RETRY = re.compile(
    r"ZMQError|DeadKernelError|Kernel died|kernel.{0,40}(died|failed to start)", re.I
)


@dataclass(frozen=True)
class AreaOutcome:
    """One area's result in a batch."""

    index: int
    name: str
    year: str | None
    #: ``"built"``, ``"up to date"`` or ``"failed"``
    status: str
    error: str | None = None
    appendix: Path | None = None
    seconds: float = 0.0
    #: comparison figures for the index (see :func:`area_figures`); empty when failed
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass(frozen=True)
class BatchResult:
    """The outcome of :func:`build_many`."""

    output_dir: Path
    index_html: Path
    index_csv: Path
    outcomes: tuple[AreaOutcome, ...]
    ingest: IngestReport
    seconds: float

    @property
    def failed(self) -> tuple[AreaOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.ok)


def area_figures(config_path: str | Path, year: str | None) -> dict[str, Any]:
    """Figures for the index, from the area's results (as the summary computes them).

    ``crimes`` (police-recorded crime in the reporting year, ASB excluded),
    ``months`` / ``months_expected`` (months with data), ``residents``, ``rate``
    (crimes per 1,000 residents, over the months with data) and ``statuses`` (priority
    status → number of priorities). A figure the results do not give is left out.
    """
    from ..results.open import open_assessment

    a = open_assessment(config_path, year)
    out: dict[str, Any] = {}
    for t in a.result("SUM.2").tables:
        d = t.data
        if {"period", "count", "months_present"} <= set(d.columns):
            row = d[d["period"] == a.year]
            if len(row):
                out["crimes"] = row["count"].iloc[0]
                out["months"] = int(row["months_present"].iloc[0])
                out["months_expected"] = int(row["months_expected"].iloc[0])
        if {"kind", "value", "residents"} <= set(d.columns):
            rate = d[d["kind"] == "rate"]
            if len(rate):
                out["rate"] = float(rate["value"].iloc[0])
                out["residents"] = rate["residents"].iloc[0]
    for t in a.result("SUM.1").tables:
        if "Status" in t.data.columns:
            out["statuses"] = {str(k): int(v) for k, v in t.data["Status"].value_counts().items()}
    return out


@contextlib.contextmanager
def _may_start_processes() -> Iterator[None]:
    """Let a daemonic worker (a Dask worker, by default) start child processes.

    A build starts Jupyter kernels and a process that writes the workbooks, and joins
    them before it returns; ``multiprocessing`` refuses children to daemonic processes,
    which Dask's workers are unless ``distributed.worker.daemon`` is false. The flag is
    cleared for the build and restored after it.
    """
    import multiprocessing

    proc = multiprocessing.current_process()
    daemon = proc.daemon
    if daemon:
        proc._config["daemon"] = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        if daemon:
            proc._config["daemon"] = True  # type: ignore[attr-defined]


def build_area(
    config_path: str,
    *,
    out: str,
    timeout: int = 600,
    only: Sequence[str] | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Build one area (in a worker process or on a Dask worker); a plain, picklable dict.

    ``{"ok": True, "up_to_date", "appendix", "seconds", "figures"}`` or ``{"ok": False,
    "error": one line}``. Input and build errors are returned, not raised; anything else
    is a bug and propagates (the batch records it as that area's failure).
    """
    from ..errors import SmpError
    from ..pipeline import build

    t0 = time.perf_counter()
    for attempt in (1, 2):
        try:
            with _may_start_processes():
                r = build(config_path, out=out, timeout=timeout, only=only, force=force)
            break
        except SmpError as err:
            if attempt == 1 and _RETRY.search(str(err)):
                continue
            return {"ok": False, "error": str(err), "seconds": time.perf_counter() - t0}
    try:
        figures = area_figures(config_path, None)
    except Exception as exc:  # the report is built; the index says the figures are missing
        figures = {"note": f"figures not available: {type(exc).__name__}: {exc}"[:300]}
    from ..config import load_config

    figures["synthetic"] = load_config(config_path).synthetic
    return {
        "ok": True,
        "up_to_date": r.up_to_date,
        "appendix": str(r.appendix),
        "seconds": round(time.perf_counter() - t0, 2),
        "figures": figures,
    }


def make_executor(
    jobs: int | None = None, scheduler: str | None = None
) -> tuple[Executor, Callable[[], None]]:
    """The executor and a function that closes it.

    Parameters
    ----------
    jobs : int, optional
        Worker processes on this machine (default: the number of cores).
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``); needs the optional extra
        ``distributed``.
    """
    if scheduler is not None:
        from ..errors import InputError

        try:
            from dask.distributed import Client
        except ImportError:
            raise InputError(
                "--scheduler needs Dask's distributed package",
                column="--scheduler",
                fix="pip install 'smp-analysis[distributed]'",
            ) from None
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise InputError(
                f"cannot reach the Dask scheduler at {scheduler} ({type(exc).__name__})",
                column="--scheduler",
                fix="start it (dask scheduler) or check the address",
            ) from None
        return client.get_executor(), client.close
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = max(1, jobs or os.cpu_count() or 1)
    # spawn: each worker starts clean (no DuckDB threads or ZMQ sockets inherited)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    return pool, lambda: pool.shutdown(wait=True, cancel_futures=True)


def build_many(
    config: str | Path,
    *,
    out: str | Path | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    executor: Executor | None = None,
    timeout: int = 600,
    only: Sequence[str] | None = None,
    force: bool = False,
    on_done: Callable[[AreaOutcome], None] | None = None,
) -> BatchResult:
    """Build every area of a batch file and write the index page.

    Parameters
    ----------
    config : str or Path
        The batch file (see :mod:`.config`).
    out : str or Path, optional
        Reports folder (default: the batch file's ``output_dir``).
    jobs, scheduler : optional
        See :func:`make_executor`; ignored when ``executor`` is given.
    executor : concurrent.futures.Executor, optional
        Any executor (the caller closes it), e.g. a Dask client's ``get_executor()``.
    timeout, only, force
        Passed to :func:`smp_analysis.pipeline.build` for every area.
    on_done : callable, optional
        Called with each :class:`AreaOutcome` as it completes (progress lines).

    Returns
    -------
    BatchResult
        Every area's outcome, in the batch file's order; ``failed`` lists the failures.

    Raises
    ------
    ConfigError
        The batch file itself is invalid (no area is built).
    """
    from .index import write_index

    t0 = time.perf_counter()
    plan = load_batch(config, output_dir=out)
    outcomes: dict[int, AreaOutcome] = {}

    def done(o: AreaOutcome) -> None:
        outcomes[o.index] = o
        if on_done is not None:
            on_done(o)

    for a in plan.areas:
        if a.error is not None:
            done(AreaOutcome(a.index, a.name, a.year, "failed", error=a.error))
    ingest = shared_ingest(plan.valid)
    log.info("%s", ingest.summary())
    todo: list[AreaPlan] = []
    for a in plan.valid:
        if a.index in ingest.errors:
            done(AreaOutcome(a.index, a.name, a.year, "failed", error=ingest.errors[a.index]))
        else:
            todo.append(a)
    if todo:
        own = executor is None
        ex, close = (
            (executor, lambda: None) if executor is not None else make_executor(jobs, scheduler)
        )
        try:
            futures: dict[Future, AreaPlan] = {
                ex.submit(
                    build_area,
                    str(a.config_path),
                    out=str(plan.output_dir),
                    timeout=timeout,
                    only=list(only) if only else None,
                    force=force,
                ): a
                for a in todo
            }
            for fut in as_completed(futures):
                done(_outcome(futures[fut], fut))
        finally:
            if own:
                close()
    ordered = tuple(outcomes[i] for i in sorted(outcomes))
    html, csv = write_index(plan, ordered)
    return BatchResult(
        output_dir=plan.output_dir,
        index_html=html,
        index_csv=csv,
        outcomes=ordered,
        ingest=ingest,
        seconds=round(time.perf_counter() - t0, 2),
    )


def _outcome(a: AreaPlan, fut: Future) -> AreaOutcome:
    try:
        r = fut.result()
    except Exception as exc:  # a bug or a lost worker: this area fails, the rest go on
        msg = " ".join(f"{type(exc).__name__}: {exc}".split())[:500]
        return AreaOutcome(a.index, a.name, a.year, "failed", error=f"internal error: {msg}")
    if not r["ok"]:
        return AreaOutcome(
            a.index, a.name, a.year, "failed", error=r["error"], seconds=r["seconds"]
        )
    return AreaOutcome(
        a.index,
        a.name,
        a.year,
        "up to date" if r["up_to_date"] else "built",
        appendix=Path(r["appendix"]),
        seconds=r["seconds"],
        figures=r["figures"],
    )
