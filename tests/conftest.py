"""Shared test fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
#: Real public data, read in place (never copied into the repository).
REAL_DATA = Path(os.environ.get("SMP_REAL_DATA", REPO_ROOT.parent / "shared" / "data" / "real"))


@pytest.fixture(scope="session")
def real_data() -> Path:
    """Path of ../shared/data/real; the test is skipped when it is absent."""
    if not REAL_DATA.is_dir():
        pytest.skip(f"real data not available at {REAL_DATA}")
    return REAL_DATA


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic sample data, generated once per test session."""
    from smp_analysis.sample import DEFAULT_SEED, write_sample

    out = tmp_path_factory.mktemp("sample")
    write_sample(out, seed=DEFAULT_SEED)
    return out


@pytest.fixture(scope="session")
def sample_context(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path):
    """Config, inputs and periods for the sample district (no notebooks run)."""
    from smp_analysis.assessment.context import Context
    from smp_analysis.config import load_config
    from smp_analysis.inputs import load_inputs

    from .helpers import sample_config

    cfg = load_config(sample_config(tmp_path_factory.mktemp("ctx"), sample_dir))
    return Context.create(cfg, load_inputs(cfg))
