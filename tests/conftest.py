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
