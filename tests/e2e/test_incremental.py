"""Incremental builds: an unchanged rebuild is skipped; a change re-executes only the
notebooks that depend on it, and the rest are reused from the published report.

A small build (the summary notebook and the public page) in its own folder, from a private
copy of the two notebooks and a private narrative file:

1. first build: both executed; 2. unchanged: skipped without a kernel (API and CLI);
3. narrative of SUM.1 changed: the summary re-executed, the public page reused, the new
words on the page; 4. a published page tampered with: rebuilt with both notebooks reused;
5. ``--force``: both executed, and the outputs are those of the build that reused them;
6. the summary notebook edited: only it re-executed.
A failing notebook in a parallel build keeps the previous report and its executed notebook.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml

import smp_analysis.pipeline.cache as cache_mod
import smp_analysis.pipeline.fingerprint as fingerprint_mod
from smp_analysis.cli import main
from smp_analysis.errors import BuildError
from smp_analysis.pipeline import build

from ..helpers import REPO_ROOT, sample_config

pytestmark = pytest.mark.slow
SUMMARY, PUBLIC = "00_summary.ipynb", "99_public.ipynb"
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "notebooks"


def _runs(result) -> dict[str, str]:
    m = json.loads(result.manifest.read_text(encoding="utf-8"))
    return {e["name"]: f"{e['run']}: {e['reason']}" for e in m["notebooks"]}


def _outputs(result) -> dict[str, str]:
    """SHA-256 of every output, workbooks by content (their creation time aside)."""
    out = json.loads(result.manifest.read_text(encoding="utf-8"))["outputs"]
    for name in [n for n in out if n.endswith(".xlsx")]:
        with zipfile.ZipFile(result.out_dir / name) as z:
            out[name] = str(
                sorted((i.filename, i.CRC) for i in z.infolist() if "docProps" not in i.filename)
            )
    return out


def _config(tmp_path: Path, sample_dir: Path, narrative: Path) -> tuple[Path, Path]:
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    for n in (SUMMARY, PUBLIC):
        shutil.copy(REPO_ROOT / "notebooks" / n, nb_dir / n)
    cfg = sample_config(tmp_path, sample_dir, narrative=str(narrative))
    raw = yaml.safe_load(cfg.read_text(encoding="utf-8"))
    raw["report"].update(notebooks=[SUMMARY], notebooks_dir=str(nb_dir))
    cfg.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return cfg, nb_dir


def test_incremental_builds_redo_exactly_what_changed(
    tmp_path, sample_dir, capsys, monkeypatch
) -> None:
    # the package's code is part of every key (tests/unit/test_build_cache.py); pinned here
    # so that saving a source file while this test runs cannot change the keys under it
    monkeypatch.setattr(fingerprint_mod, "package_digest", lambda: "this code")
    monkeypatch.setattr(cache_mod, "package_digest", lambda: "this code")
    narrative = tmp_path / "narrative.yml"
    narrative.write_text("SUM.1:\n  add: First words.\n", encoding="utf-8")
    cfg, nb_dir = _config(tmp_path, sample_dir, narrative)

    first = build(cfg, timeout=300)
    assert not first.up_to_date and first.timings and first.reused == ()
    assert _runs(first) == {n: "executed: not in the published report" for n in (SUMMARY, PUBLIC)}
    stamp = first.manifest.read_text(encoding="utf-8")
    assert json.loads(stamp)["fingerprint"]

    again = build(cfg, timeout=300)
    assert again.up_to_date and again.timings == {}
    assert again.manifest.read_text(encoding="utf-8") == stamp  # nothing was rewritten

    code = main(["build", "--config", str(cfg), "--jobs", "2"])
    assert code == 0 and "up to date" in capsys.readouterr().err

    # the narrative of a summary paragraph changed: only the summary re-executed
    narrative.write_text("SUM.1:\n  add: Second words.\n", encoding="utf-8")
    changed = build(cfg, timeout=300)
    assert not changed.up_to_date and changed.reused == (PUBLIC,)
    assert _runs(changed) == {
        SUMMARY: "executed: narrative of its paragraphs changed",
        PUBLIC: "reused: unchanged notebook, parameters, package, config, input data and narrative",
    }
    assert "Second words." in changed.appendix.read_text(encoding="utf-8")
    assert changed.timings[PUBLIC] == 0.0

    # a published output tampered with is not "up to date": rebuilt, nothing re-executed
    (changed.out_dir / "public.html").write_text("tampered", encoding="utf-8")
    repaired = build(cfg, timeout=300)
    assert not repaired.up_to_date and set(repaired.reused) == {SUMMARY, PUBLIC}
    assert "tampered" not in repaired.public.read_text(encoding="utf-8")
    reused_outputs = _outputs(repaired)

    # --force executes everything, and gives the outputs of the build that reused them
    forced = build(cfg, timeout=300, force=True, jobs=2)
    assert not forced.up_to_date and forced.reused == ()
    assert set(_runs(forced).values()) == {"executed: forced (--force)"}
    assert _outputs(forced) == reused_outputs

    # the summary notebook edited: only it re-executed
    nb = nbformat.read(nb_dir / SUMMARY, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("A remark added by the analyst."))
    nbformat.write(nb, nb_dir / SUMMARY)
    edited = build(cfg, timeout=300)
    assert _runs(edited)[SUMMARY] == "executed: notebook changed"
    assert edited.reused == (PUBLIC,)
    assert "A remark added by the analyst." in edited.appendix.read_text(encoding="utf-8")


def test_failing_notebook_in_a_parallel_build_keeps_previous_report(
    tmp_path: Path, sample_dir: Path
) -> None:
    cfg = sample_config(tmp_path, sample_dir, narrative=None)
    raw = yaml.safe_load(cfg.read_text(encoding="utf-8"))
    raw["report"].update(
        notebooks_dir=str(FIXTURES), notebooks=["ok.ipynb"], public_notebook="ok_public.ipynb"
    )
    cfg.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    good = build(cfg, timeout=120, jobs=2)
    before = {p.name: p.read_bytes() for p in good.out_dir.iterdir() if p.is_file()}

    raw["report"]["notebooks"] = ["ok.ipynb", "broken.ipynb"]
    cfg.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with pytest.raises(BuildError, match="broken.ipynb failed in cell") as err:
        build(cfg, timeout=120, jobs=2, force=True)  # three notebooks on two kernels
    assert "previous report is untouched" in str(err.value)
    after = {p.name: p.read_bytes() for p in good.out_dir.iterdir() if p.is_file()}
    assert after == before
    (failed,) = [p for p in good.out_dir.parent.iterdir() if p.name.startswith("failed-")]
    kept = nbformat.read(failed / "notebooks" / "broken.ipynb", as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in kept.cells for o in c.get("outputs", []))
    assert "deliberately broken" in (failed / "build.log").read_text(encoding="utf-8")
    assert not list(failed.glob("*.html"))
