"""A report notebook runs top to bottom with its default parameters, as in JupyterLab
(working directory notebooks/, config ../data/config/sample.yml, sample data generated if
absent)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm
import pytest

from ..helpers import REPO_ROOT

pytestmark = pytest.mark.slow


def test_methods_notebook_runs_with_defaults(tmp_path: Path) -> None:
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(
        str(REPO_ROOT / "notebooks" / "90_data_and_methods.ipynb"),
        str(out),
        kernel_name="python3",
        cwd=str(REPO_ROOT / "notebooks"),
        progress_bar=False,
        execution_timeout=300,
    )
    nb = nbformat.read(out, as_version=4)
    html = "".join(
        "".join(o.get("data", {}).get("text/html", ""))
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    assert '<h2 id="DM">Data and methods</h2>' in html
    assert 'id="DM.5"' in html
