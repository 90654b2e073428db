"""environment.yml (conda, for analysts) lists the same dependencies as pyproject.toml."""

from __future__ import annotations

import re
import tomllib

import yaml

from ..helpers import REPO_ROOT

#: conda-forge names that differ from PyPI names.
CONDA_NAMES = {"duckdb": "python-duckdb"}


def _name(spec: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    assert m, spec
    return m.group(1).lower(), m.group(2).replace(" ", "")


def test_same_dependencies_and_bounds() -> None:
    py = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    pip = dict(_name(d) for d in py["project"]["dependencies"])
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    conda = dict(_name(d) for d in env["dependencies"] if isinstance(d, str))
    conda.pop("python", None)
    conda.pop("pip", None)
    expected = {CONDA_NAMES.get(k, k): v for k, v in pip.items()}
    assert conda == expected
    pip_section = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    assert "-e ." in pip_section  # the package itself, installed from the checkout


def test_python_version_agrees() -> None:
    py = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    assert f"python{py['project']['requires-python']}" in env["dependencies"]
