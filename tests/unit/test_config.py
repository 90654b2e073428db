"""Config files are validated on load; a wrong key or value is one line naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from smp_analysis.config import load_config
from smp_analysis.errors import ConfigError

CONFIGS = Path(__file__).resolve().parents[2] / "data" / "config"


@pytest.mark.parametrize("name", ["sample.yml", "maidstone.yml"])
def test_shipped_configs_load(name: str) -> None:
    cfg = load_config(CONFIGS / name)
    assert cfg.reporting_year == "2024/25"
    assert [p.id for p in cfg.priorities] == ["SV", "DA", "TC", "CYP"]
    assert all(p.is_absolute() for p in cfg.data.police_uk)
    assert cfg.notebook_names()[0] == "00_summary.ipynb"


def _write(tmp_path: Path, mutate) -> Path:
    raw = yaml.safe_load((CONFIGS / "sample.yml").read_text())
    mutate(raw)
    path = tmp_path / "cfg.yml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return path


def _error(tmp_path: Path, mutate) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(_write(tmp_path, mutate))
    msg = str(info.value)
    assert "\n" not in msg
    assert "cfg.yml:" in msg  # names the file and line
    return msg


def test_unknown_key(tmp_path: Path) -> None:
    msg = _error(tmp_path, lambda r: r["area"].update(lsoa_prefix="X"))
    assert "key 'area.lsoa_prefix': unknown key" in msg


def test_bad_year(tmp_path: Path) -> None:
    msg = _error(tmp_path, lambda r: r.update(reporting_year="2024/26"))
    assert "key 'reporting_year'" in msg and "2024/25" in msg


def test_year_as_number_rejected(tmp_path: Path) -> None:
    msg = _error(tmp_path, lambda r: r.update(reporting_year=2024))
    assert "key 'reporting_year'" in msg


def test_bad_category(tmp_path: Path) -> None:
    def mutate(r):
        r["priorities"][0]["indicators"][0]["crime_types"] = ["Violent crime"]

    msg = _error(tmp_path, mutate)
    assert (
        "priorities.0.indicators.0.crime_types.0" in msg and "not a data.police.uk category" in msg
    )


def test_bad_month(tmp_path: Path) -> None:
    msg = _error(tmp_path, lambda r: r["town_centre"]["intervention"].update(start="2023-13"))
    assert "key 'town_centre.intervention.start'" in msg


def test_missing_required(tmp_path: Path) -> None:
    msg = _error(tmp_path, lambda r: r.pop("partnership"))
    assert "key 'partnership': required key is missing" in msg


def test_override_needs_rationale(tmp_path: Path) -> None:
    msg = _error(tmp_path, lambda r: r["priorities"][3]["override"].update(rationale="because"))
    assert "priorities.3.override.rationale" in msg


def test_bad_status_literal(tmp_path: Path) -> None:
    msg = _error(tmp_path, lambda r: r["priorities"][3]["override"].update(status="Fine"))
    assert "priorities.3.override.status" in msg and "On track" in msg


def test_indicator_needs_source_fields(tmp_path: Path) -> None:
    msg = _error(tmp_path, lambda r: r["priorities"][0]["indicators"][0].pop("crime_types"))
    assert "needs 'crime_types'" in msg


def test_survey_measure_must_exist(tmp_path: Path) -> None:
    msg = _error(tmp_path, lambda r: r["priorities"][2]["indicators"][2].update(measure="nope"))
    assert "'nope'" in msg and "surveys" in msg


def test_duplicate_priority(tmp_path: Path) -> None:
    msg = _error(tmp_path, lambda r: r["priorities"].append(r["priorities"][0]))
    assert "repeated: ['SV']" in msg


def test_line_number_points_at_key(tmp_path: Path) -> None:
    path = tmp_path / "c.yml"
    text = (CONFIGS / "sample.yml").read_text().replace("reporting_year:", "reportng_year:")
    path.write_text(text)
    lineno = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("reportng_year"))
    with pytest.raises(ConfigError, match=rf"c\.yml:{lineno}: key 'reportng_year': unknown key"):
        load_config(path)


def test_invalid_yaml(tmp_path: Path) -> None:
    path = tmp_path / "c.yml"
    path.write_text("area: [unclosed\n")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_config(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yml")
