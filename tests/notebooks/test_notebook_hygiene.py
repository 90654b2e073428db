"""Committed notebooks: no outputs, one typed parameters cell of literals, thin code cells."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from smp_analysis.config import load_config
from smp_analysis.params import NOTEBOOK_PARAMETERS

from ..helpers import REPO_ROOT

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_report_notebooks() -> None:
    names = {p.name for p in NOTEBOOKS}
    cfg = load_config(REPO_ROOT / "data" / "config" / "sample.yml")
    assert set(cfg.notebook_names()) | {cfg.report.public_notebook} == names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_of_typed_literals(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    tree = ast.parse(tagged[0].source)
    names = {}
    for node in tree.body:
        assert isinstance(node, ast.AnnAssign), "parameters must be annotated: name: type = value"
        assert isinstance(node.value, ast.Constant), "parameters must be literals"
        names[node.target.id] = node.annotation.id
    assert names == {k: v.__name__ for k, v in NOTEBOOK_PARAMETERS.items()}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_cells_are_thin(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.For | ast.While), (
                f"{path.name}: logic belongs in the package, not the notebook"
            )
        assert len(cell.source.splitlines()) <= 6, path.name
