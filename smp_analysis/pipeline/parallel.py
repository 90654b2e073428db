"""Run notebooks on a small pool of long-lived kernels, one per worker thread.

Starting a kernel and importing the package costs about four seconds per notebook, more
than most notebooks compute. Here each worker starts one ``python3`` kernel (its own
kernel manager, so its own ports) and runs several notebooks in turn through nbclient,
with papermill's :func:`~papermill.parameterize.parameterize_notebook` injecting the
parameters cell exactly as ``papermill`` does. Between notebooks the kernel is reset
(:data:`RESET`): the user namespace and ``Out`` history are cleared, the execution
counter restarts at 1, open figures are closed and warning registries and filters are
restored, so a notebook's outputs are the same as in a fresh kernel (proved by
``tests/integration/test_kernel_pool.py``); only the imported modules stay, which is the
point.

Robustness (parallel kernels are flaky upstream: ZMQ port races): kernels are started one
at a time under a lock, and a kernel that fails to *start* is retried with a new kernel
manager (up to :data:`START_ATTEMPTS`); a notebook that fails (a cell error, a dead
kernel, a timeout) is never retried: the build fails and keeps the executed notebook.

Examples
--------
>>> default_jobs() >= 1
True
>>> workers_for(9, 0) == min(9, default_jobs())
True
>>> workers_for(9, 1), workers_for(2, 8)
(1, 2)
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import queue
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BuildError

__all__ = [
    "NotebookJob",
    "run_notebooks",
    "default_jobs",
    "workers_for",
    "RESET",
    "START_ATTEMPTS",
]

log = logging.getLogger("smp_analysis.build")

#: Kernel starts tried before a worker gives up (a start failure is not a notebook error).
START_ATTEMPTS = 3
#: Run silently before every notebook in a worker's kernel: back to a fresh kernel's
#: state except for imported modules.
RESET = """\
import sys as _smp_sys, warnings as _smp_warnings
_smp_ip = get_ipython()
if not hasattr(_smp_ip, "_smp_warning_filters"):
    _smp_ip._smp_warning_filters = list(_smp_warnings.filters)
_smp_warnings.filters[:] = _smp_ip._smp_warning_filters
for _smp_m in list(_smp_sys.modules.values()):
    try:
        _smp_m.__dict__.pop("__warningregistry__", None)
    except Exception:
        pass
_smp_warnings._filters_mutated()
if "matplotlib.pyplot" in _smp_sys.modules:
    _smp_sys.modules["matplotlib.pyplot"].close("all")
_smp_ip.reset(new_session=True)
"""
#: Imported once per kernel while the first notebook is being prepared.
PRELOAD = "import smp_analysis.assessment.sections, smp_analysis.notebook"
_EXTRA_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]
_start_lock = threading.Lock()


def default_jobs() -> int:
    """Workers by default: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def workers_for(n_notebooks: int, jobs: int) -> int:
    """How many kernels to start for ``n_notebooks`` with ``--jobs jobs`` (0: default)."""
    wanted = jobs if jobs > 0 else default_jobs()
    return max(1, min(wanted, n_notebooks))


@dataclass(frozen=True)
class NotebookJob:
    """One notebook to run: from ``src`` into ``dst`` with ``parameters``."""

    name: str
    src: Path
    dst: Path
    parameters: dict[str, Any]


@dataclass
class _Outcome:
    seconds: float = 0.0
    error: BuildError | None = None


class _StartFailed(Exception):
    pass


class _Worker:
    """One kernel (started lazily, retried on start failure) running notebooks in turn."""

    def __init__(self, cwd: Path, timeout: int, start_timeout: int, preload: str) -> None:
        self.cwd = cwd
        self.preload = preload
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.km: Any = None
        self.kc: Any = None

    async def start(self) -> None:
        from jupyter_client.manager import AsyncKernelManager

        last: BaseException | None = None
        t0 = time.perf_counter()
        for attempt in range(1, START_ATTEMPTS + 1):
            km = AsyncKernelManager(kernel_name="python3")
            kc = None
            try:
                # one kernel picks and binds its ports at a time (the upstream race)
                with _start_lock:
                    await km.start_kernel(cwd=str(self.cwd), extra_arguments=_EXTRA_ARGUMENTS)
                    kc = km.client()
                    kc.start_channels()
                    await kc.wait_for_ready(timeout=self.start_timeout)
            except Exception as exc:  # ZMQError, RuntimeError (died at start), TimeoutError
                last = exc
                log.warning("kernel start failed (attempt %d): %s", attempt, exc)
                await _quietly_stop(km, kc)
                continue
            self.km, self.kc = km, kc
            t1 = time.perf_counter()
            if self.preload:
                try:
                    await self._run_silently(self.preload)
                except BuildError as err:  # the notebook will fail on it, with its cell
                    log.warning("%s", err)
            log.info(
                "kernel ready in %.1f s (start %.1f s, package imports %.1f s)",
                time.perf_counter() - t0,
                t1 - t0,
                time.perf_counter() - t1,
            )
            return
        raise _StartFailed(f"{type(last).__name__}: {last}")

    async def _run_silently(self, code: str) -> None:
        msg_id = self.kc.execute(code, silent=True, store_history=False)
        while True:
            reply = await self.kc.get_shell_msg(timeout=self.start_timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        if reply["content"].get("status") != "ok":
            c = reply["content"]
            raise BuildError(
                f"the kernel could not be prepared: {c.get('ename')}: {c.get('evalue')}"
            )

    async def run(self, job: NotebookJob) -> None:
        """Execute ``job`` in this worker's kernel; write the executed notebook (also when
        it failed) and raise :class:`BuildError` on failure."""
        import nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook

        await self._run_silently(RESET)
        nb = load_notebook_node(str(job.src))  # as papermill reads it (tags, metadata)
        nb = parameterize_notebook(nb, job.parameters, kernel_name="python3")
        client = NotebookClient(
            nb,
            km=self.km,
            timeout=self.timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(self.cwd)}},
        )
        client.kc = self.kc
        try:
            await client.async_execute()
        except CellExecutionError as exc:
            count = _failed_count(nb)
            raise BuildError(
                f"notebook {job.name} failed in cell {count}: {exc.ename}: {exc.evalue}"
            ) from None
        except BuildError:
            raise
        except Exception as exc:  # dead kernel, cell timeout: report, don't trace
            raise BuildError(
                f"notebook {job.name} could not run: {type(exc).__name__}: {exc}"
            ) from None
        finally:
            job.dst.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, job.dst)

    async def stop(self) -> None:
        await _quietly_stop(self.km, self.kc)
        self.km = self.kc = None


async def _quietly_stop(km: Any, kc: Any) -> None:
    try:
        if kc is not None:
            kc.stop_channels()
        if km is not None and km.has_kernel:
            await km.shutdown_kernel(now=True)
    except Exception:  # pragma: no cover - best effort on the way out
        pass
    finally:
        if km is not None:
            try:
                done = km.cleanup_resources()
                if inspect.isawaitable(done):
                    await done
            except Exception:  # pragma: no cover
                pass


def _failed_count(nb: Any) -> int | None:
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return cell.get("execution_count")
    return None


def run_notebooks(
    jobs: Sequence[NotebookJob],
    *,
    cwd: Path,
    timeout: int,
    workers: int,
    start_timeout: int = 120,
    preload: str = PRELOAD,
) -> dict[str, float]:
    """Run ``jobs`` (in this order of preference) on ``workers`` kernels; return seconds
    per notebook. Each kernel first runs ``preload`` (the package's heavy imports).

    Raises
    ------
    BuildError
        The first failing notebook in ``jobs`` order (the others that had started still
        finish and keep their executed notebooks; none is started after a failure), or no
        kernel could be started.
    """
    todo: queue.SimpleQueue[NotebookJob] = queue.SimpleQueue()
    for job in jobs:
        todo.put(job)
    outcomes: dict[str, _Outcome] = {}
    failed = threading.Event()
    start_errors: list[str] = []

    async def work() -> None:
        w = _Worker(cwd, timeout, start_timeout, preload)
        try:
            while not failed.is_set():
                try:
                    job = todo.get_nowait()
                except queue.Empty:
                    return
                if w.km is None:
                    try:
                        await w.start()
                    except Exception as exc:  # _StartFailed, or lost contact while preparing
                        start_errors.append(str(exc))
                        todo.put(job)  # another worker may have a kernel
                        return
                t = time.perf_counter()
                log.info("running %s", job.name)
                outcome = _Outcome()
                try:
                    await w.run(job)
                except BuildError as err:
                    outcome.error = err
                    failed.set()
                except Exception as exc:  # never a traceback: a one-line build error
                    outcome.error = BuildError(
                        f"notebook {job.name} could not run: {type(exc).__name__}: {exc}"
                    )
                    failed.set()
                outcome.seconds = round(time.perf_counter() - t, 2)
                outcomes[job.name] = outcome
                if outcome.error is None:
                    log.info("finished %s in %.1f s", job.name, outcome.seconds)
        finally:
            await w.stop()

    threads = [
        threading.Thread(target=asyncio.run, args=(work(),), name=f"smp-kernel-{i}")
        for i in range(max(1, workers))
    ]
    for th in threads:
        th.start()
    try:
        for th in threads:
            th.join()
    except BaseException:  # Ctrl-C: no notebook starts after it; kernels are shut down
        failed.set()
        raise
    for job in jobs:
        o = outcomes.get(job.name)
        if o is not None and o.error is not None:
            raise o.error
    missing = [j.name for j in jobs if j.name not in outcomes]
    if missing:
        why = start_errors[0] if start_errors else "unknown reason"
        raise BuildError(f"no kernel could be started to run {missing}: {why}")
    return {j.name: outcomes[j.name].seconds for j in jobs}
