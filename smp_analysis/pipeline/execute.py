"""Execute one notebook with papermill (kernel ``python3``, per-cell timeout)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import BuildError, SmpError

__all__ = ["execute_notebook"]


def execute_notebook(
    src: Path, dst: Path, parameters: dict[str, Any], cwd: Path, timeout: int
) -> None:
    """Run ``src`` into ``dst``; a failing cell or a dead kernel is a :class:`BuildError`."""
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
            # papermill rewrites the whole output notebook after every cell by default; the
            # build reads it only when the run ends (or fails: papermill still writes it then)
            request_save_on_cell_execute=False,
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
