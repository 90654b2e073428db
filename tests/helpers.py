"""Helpers for tests that build reports: isolated copies of the sample config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CONFIG = REPO_ROOT / "data" / "config" / "sample.yml"


def real_maidstone(folder: Path, real: Path) -> dict[str, Any]:
    """``maidstone.yml`` as a dict, reading the real Kent files in ``real`` (../shared/data/real)
    with its cube cache in ``folder``; the caller adjusts it and writes it."""
    raw = yaml.safe_load((REPO_ROOT / "data" / "config" / "maidstone.yml").read_text())
    raw["data"] = {
        "police_uk": [
            str(p) for p in sorted((real / "police_uk_street").glob("*-kent-street.csv"))
        ],
        "population": str(real / "population" / "census21_pop_lsoa21_age6.csv.gz"),
        "imd": str(real / "imd" / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz"),
        "cache_dir": str(folder / "cache"),
    }
    raw.pop("stop_search")  # there are no Kent stop-and-search files in ../shared
    raw["narrative"] = str(REPO_ROOT / "data" / "narrative" / "maidstone.yml")
    return raw


def sample_config(folder: Path, sample_dir: Path, **overrides: Any) -> Path:
    """Write a copy of ``data/config/sample.yml`` into ``folder`` whose data live in
    ``sample_dir`` (generated there when absent) and whose cache and reports stay in
    ``folder``. ``overrides`` replace top-level keys (``report``, ``narrative``, ...)."""
    raw = yaml.safe_load(SAMPLE_CONFIG.read_text(encoding="utf-8"))
    data = raw["data"]
    data["police_uk"] = [str(sample_dir / "police_uk")]
    for key, name in (
        ("partner_returns", "partner_returns.csv"),
        ("fingertips", "fingertips.csv"),
        ("population", "population_lsoa.csv"),
        ("ethnicity", "population_ethnicity.csv"),
        ("imd", "imd2019.csv"),
        ("survey", "survey.csv"),
    ):
        data[key] = str(sample_dir / name)
    data["cache_dir"] = str(folder / "cache")
    if data.get("action_log"):
        data["action_log"] = str(REPO_ROOT / "data" / "actions" / "sample.csv")
    raw["sample"]["dir"] = str(sample_dir)
    raw["narrative"] = str(REPO_ROOT / "data" / "narrative" / "sample.yml")
    raw["report"] = {
        **raw["report"],
        "output_dir": str(folder / "reports"),
        "notebooks_dir": str(REPO_ROOT / "notebooks"),
    }
    for key, value in overrides.items():
        if value is None:
            raw.pop(key, None)
        else:
            raw[key] = value
    path = folder / "config.yml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def gappy_copy(sample_dir: Path, folder: Path, drop_months: list[str]) -> Path:
    """A copy of the sample data in ``folder`` without the police.uk month folders
    ``drop_months`` (e.g. ``["2025-01", "2025-02", "2025-03"]``): gappy real data."""
    import shutil

    shutil.copytree(sample_dir, folder, dirs_exist_ok=True)
    for m in drop_months:
        shutil.rmtree(folder / "police_uk" / m)
    return folder


def context_for(sample_dir: Path, folder: Path, year: str | None = None):
    """Config, inputs and periods for the sample district whose data are in ``sample_dir``."""
    from smp_analysis.assessment.context import Context
    from smp_analysis.config import load_config
    from smp_analysis.inputs import load_inputs

    cfg = load_config(sample_config(folder, sample_dir))
    if year:
        cfg = cfg.for_year(year)
    return Context.create(cfg, load_inputs(cfg))
