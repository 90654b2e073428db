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


#: The gappy variants of the sample: the latest quarter of 2024/25 missing (and a month of
#: 2023/24), or a reporting year with only its first four months.
MISSING_QUARTER = ["2025-01", "2025-02", "2025-03", "2023-06"]
FOUR_MONTH_YEAR = [
    f"{y}-{m:02d}"
    for y, m in [
        (2024, 8),
        (2024, 9),
        (2024, 10),
        (2024, 11),
        (2024, 12),
        (2025, 1),
        (2025, 2),
        (2025, 3),
    ]
]


@pytest.fixture(scope="session")
def missing_quarter_context(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path):
    """The sample with January to March 2025 (and June 2023) missing from police.uk."""
    from .helpers import context_for, gappy_copy

    data = gappy_copy(sample_dir, tmp_path_factory.mktemp("gappy-q"), MISSING_QUARTER)
    return context_for(data, tmp_path_factory.mktemp("gappy-q-ctx"))


@pytest.fixture(scope="session")
def four_month_context(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path):
    """The sample whose reporting year 2024/25 has only April to July in police.uk."""
    from .helpers import context_for, gappy_copy

    data = gappy_copy(sample_dir, tmp_path_factory.mktemp("gappy-4"), FOUR_MONTH_YEAR)
    return context_for(data, tmp_path_factory.mktemp("gappy-4-ctx"))
