"""The build's kernel pool (:mod:`smp_analysis.pipeline.parallel`).

A notebook run in a kernel that already ran another must give the outputs it gives in a
fresh kernel (namespace, execution counts, warnings, figures); a kernel that fails to start
is retried; a failing notebook is never retried and stops the pool from starting more.
"""

from __future__ import annotations

import logging
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from smp_analysis.errors import BuildError
from smp_analysis.pipeline.execute import execute_notebook
from smp_analysis.pipeline.parallel import NotebookJob, run_notebooks

from ..helpers import REPO_ROOT, sample_config

pytestmark = pytest.mark.slow


def _notebook(path: Path, *sources: str) -> Path:
    nb = new_notebook(
        cells=[
            new_markdown_cell("A test notebook."),
            new_code_cell('label = ""', metadata={"tags": ["parameters"]}),
            *(new_code_cell(s) for s in sources),
        ],
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "P"}},
    )
    nbformat.write(nb, path)
    return path


def _outputs(path: Path) -> list:
    """Every code cell's execution count and outputs (without timing metadata)."""
    nb = nbformat.read(path, as_version=4)
    return [
        (
            c.get("execution_count"),
            [{k: v for k, v in o.items() if k != "metadata"} for o in c.outputs],
        )
        for c in nb.cells
        if c.cell_type == "code"
    ]


def _jobs(folder: Path, out: Path, names: list[str]) -> list[NotebookJob]:
    return [NotebookJob(n, folder / n, out / n, {"label": n}) for n in names]


@pytest.fixture
def notebooks(tmp_path: Path) -> Path:
    (tmp_path / "warner.py").write_text(
        "import warnings\n\ndef warn():\n    warnings.warn('said once per place', UserWarning)\n"
    )
    _notebook(
        tmp_path / "dirty.ipynb",
        "import warner, warnings\nimport matplotlib\nmatplotlib.use('agg')\n"
        "import matplotlib.pyplot as plt\nleaked = 1\nfig = plt.figure()\nwarner.warn()",
        "warnings.simplefilter('ignore')\nleaked",
    )
    _notebook(
        tmp_path / "clean.ipynb",
        "import sys, warner\nprint(label, 'leaked' in globals())",
        "warner.warn()",
        "import matplotlib.pyplot as plt\nlen(plt.get_fignums())",
        "21 * 2",
    )
    return tmp_path


def test_a_reused_kernel_gives_the_outputs_of_a_fresh_one(notebooks: Path) -> None:
    shared, fresh = notebooks / "shared", notebooks / "fresh"
    names = ["dirty.ipynb", "clean.ipynb"]
    run_notebooks(_jobs(notebooks, shared, names), cwd=notebooks, timeout=60, workers=1, preload="")
    run_notebooks(
        _jobs(notebooks, fresh, ["clean.ipynb"]), cwd=notebooks, timeout=60, workers=1, preload=""
    )
    after_dirty = _outputs(shared / "clean.ipynb")
    assert after_dirty == _outputs(fresh / "clean.ipynb")
    # and what "fresh" means, spelled out: counts from 1, no leaked names, the warning
    # shown again, no figure left open, the parameters of this notebook
    # (cells: parameters, injected parameters, then the notebook's four)
    assert [count for count, _ in after_dirty] == [1, 2, 3, 4, 5, 6]
    assert after_dirty[2][1][0]["text"] == "clean.ipynb False\n"
    assert "said once per place" in after_dirty[3][1][0]["text"]
    assert after_dirty[4][1][0]["data"]["text/plain"] == "0"


def test_same_outputs_as_papermill_in_a_fresh_kernel(tmp_path: Path, sample_dir: Path) -> None:
    """A report notebook run after another in the same kernel, against papermill."""
    cfg = sample_config(tmp_path, sample_dir)
    nb_dir = REPO_ROOT / "notebooks"
    params = {"config_path": str(cfg), "reporting_year": ""}
    names = ["90_data_and_methods.ipynb", "00_summary.ipynb"]
    jobs = [NotebookJob(n, nb_dir / n, tmp_path / "pool" / n, params) for n in names]
    run_notebooks(jobs, cwd=nb_dir, timeout=300, workers=1)
    paper = tmp_path / "papermill" / names[1]
    paper.parent.mkdir()
    execute_notebook(nb_dir / names[1], paper, params, nb_dir, 300)
    ours = _outputs(tmp_path / "pool" / names[1])
    assert ours == _outputs(paper)
    assert any("SUM.1" in str(o) for _, outs in ours for o in outs)


def test_a_kernel_that_fails_to_start_is_retried(notebooks: Path, monkeypatch, caplog) -> None:
    import zmq
    from jupyter_client.manager import AsyncKernelManager

    real = AsyncKernelManager.start_kernel
    calls = []

    async def flaky(self, **kw):
        calls.append(1)
        if len(calls) == 1:
            raise zmq.ZMQError(98, "Address already in use")
        return await real(self, **kw)

    monkeypatch.setattr(AsyncKernelManager, "start_kernel", flaky)
    with caplog.at_level(logging.WARNING, logger="smp_analysis.build"):
        seconds = run_notebooks(
            _jobs(notebooks, notebooks / "out", ["clean.ipynb"]),
            cwd=notebooks,
            timeout=60,
            workers=1,
            preload="",
        )
    assert list(seconds) == ["clean.ipynb"] and len(calls) == 2
    assert "kernel start failed (attempt 1)" in caplog.text


def test_a_failing_notebook_is_not_retried_and_nothing_starts_after_it(notebooks: Path) -> None:
    _notebook(
        notebooks / "broken.ipynb",
        "with open('runs.txt', 'a') as f:\n    f.write('ran\\n')",
        "raise RuntimeError('deliberately broken')",
    )
    out = notebooks / "out"
    with pytest.raises(BuildError, match=r"broken.ipynb failed in cell 4: RuntimeError: delib"):
        run_notebooks(
            _jobs(notebooks, out, ["broken.ipynb", "clean.ipynb"]),
            cwd=notebooks,
            timeout=60,
            workers=1,
            preload="",
        )
    assert (notebooks / "runs.txt").read_text() == "ran\n"  # ran once: not retried
    assert not (out / "clean.ipynb").exists()  # not started after the failure
    kept = nbformat.read(out / "broken.ipynb", as_version=4)  # kept, with its error
    assert any(o.get("ename") == "RuntimeError" for c in kept.cells for o in c.get("outputs", []))


def test_other_workers_finish_their_notebook_when_one_fails(notebooks: Path) -> None:
    _notebook(notebooks / "broken.ipynb", "raise RuntimeError('deliberately broken')")
    _notebook(notebooks / "slow.ipynb", "import time\ntime.sleep(2)\nprint('done')")
    out = notebooks / "out"
    with pytest.raises(BuildError, match="broken.ipynb failed"):
        run_notebooks(
            _jobs(notebooks, out, ["slow.ipynb", "broken.ipynb"]),
            cwd=notebooks,
            timeout=60,
            workers=2,
            preload="",
        )
    assert "done" in str(_outputs(out / "slow.ipynb"))
