"""Scheduled-run behaviour: a failing notebook leaves its executed notebook, writes no HTML,
exits non-zero and leaves the previous report untouched. Built from tiny fixture notebooks."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from smp_analysis.cli import main

from ..helpers import REPO_ROOT, sample_config

pytestmark = pytest.mark.slow
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "notebooks"


def _config(
    folder: Path, sample_dir: Path, notebooks: list[str], public: str = "ok_public.ipynb"
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = sample_config(folder, sample_dir, narrative=None)
    import yaml

    raw = yaml.safe_load(path.read_text())
    raw["report"].update(notebooks_dir=str(FIXTURES), notebooks=notebooks, public_notebook=public)
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return path


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_broken_notebook_keeps_previous_report(tmp_path: Path, sample_dir: Path, capsys) -> None:
    good = _config(tmp_path / "good", sample_dir, ["ok.ipynb"])
    assert main(["build", "--config", str(good)]) == 0
    out = tmp_path / "good" / "reports" / "sampleton" / "2024-25"
    before = {n: _digest(out / n) for n in ("appendix.html", "public.html", "manifest.json")}
    assert "Fixture section" in (out / "appendix.html").read_text()
    capsys.readouterr()

    bad = _config(tmp_path / "good", sample_dir, ["ok.ipynb", "broken.ipynb"])
    code = main(["build", "--config", str(bad)])
    err = capsys.readouterr().err
    assert code == 1
    line = [x for x in err.splitlines() if x.startswith("smp-analysis build: error:")]
    assert len(line) == 1
    assert "broken.ipynb failed in cell" in line[0]
    assert "RuntimeError: deliberately broken fixture notebook" in line[0]
    assert "previous report is untouched" in line[0]
    assert "Traceback" not in err
    # previous report untouched, byte for byte
    assert {n: _digest(out / n) for n in before} == before
    # the failed run's executed notebook is kept for diagnosis, with no HTML beside it
    failed = [p for p in out.parent.iterdir() if p.name.startswith("failed-2024-25-")]
    assert len(failed) == 1
    kept = failed[0] / "notebooks" / "broken.ipynb"
    nb = nbformat.read(kept, as_version=4)
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert errors and errors[0]["ename"] == "RuntimeError"
    assert not list(failed[0].glob("*.html"))
    assert "deliberately broken" in (failed[0] / "build.log").read_text()


def test_first_build_failing_writes_no_report(tmp_path: Path, sample_dir: Path) -> None:
    cfg = _config(tmp_path, sample_dir, ["broken.ipynb"])
    assert main(["build", "--config", str(cfg)]) == 1
    assert not (tmp_path / "reports" / "sampleton" / "2024-25").exists()


def test_image_without_alt_text_fails_the_checks(tmp_path: Path, sample_dir: Path, capsys) -> None:
    cfg = _config(tmp_path, sample_dir, ["image_without_alt.ipynb"])
    assert main(["build", "--config", str(cfg)]) == 1
    assert "an image has no alt text" in capsys.readouterr().err


def test_notebook_without_parameters_cell_is_refused(
    tmp_path: Path, sample_dir: Path, capsys
) -> None:
    cfg = _config(tmp_path, sample_dir, ["no_parameters.ipynb"])
    assert main(["build", "--config", str(cfg)]) == 2
    err = capsys.readouterr().err
    assert "no_parameters.ipynb: the notebook has no cell tagged 'parameters'" in err


def test_mistyped_notebook_parameter_is_refused(tmp_path: Path, sample_dir: Path, capsys) -> None:
    cfg = _config(tmp_path, sample_dir, ["typed_parameters.ipynb"])
    assert main(["build", "--config", str(cfg)]) == 2
    err = capsys.readouterr().err
    assert "parameter 'reporting_year': the notebook declares it as int" in err


def test_cli_bad_config_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "partnership: X\narea: {name: A, lsoa_name_prefix: A}\nreporting_year: 2024/25\n"
        "data: {police_uk: [nowhere]}\npriorities: []\nreprot: {}\n"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "smp_analysis.cli", "build", "--config", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "bad.yml:6: key 'reprot': unknown key" in proc.stderr


def test_cli_missing_input_file_is_exit_2(tmp_path: Path, sample_dir: Path) -> None:
    cfg = sample_config(tmp_path, sample_dir)
    import yaml

    raw = yaml.safe_load(cfg.read_text())
    raw["data"]["partner_returns"] = str(tmp_path / "missing.csv")
    raw.pop("sample")
    cfg.write_text(yaml.safe_dump(raw, sort_keys=False))
    proc = subprocess.run(
        [sys.executable, "-m", "smp_analysis.cli", "build", "--config", str(cfg)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2, proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert "missing.csv: column 'data.partner_returns': file not found" in last
    assert "Traceback" not in proc.stderr
