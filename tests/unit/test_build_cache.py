"""Which notebooks an incremental build re-executes (:mod:`smp_analysis.pipeline.cache`).

No kernel runs here: a "published report" is faked with executed notebooks and a manifest
holding their keys, then one thing is changed at a time and :func:`decide` must re-execute
exactly the notebooks that depend on it and reuse (copy) the others.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
import yaml

import smp_analysis.pipeline.cache as cache_mod
from smp_analysis.pipeline.build import _plan
from smp_analysis.pipeline.cache import KeyMaker, decide, sections_shown
from smp_analysis.pipeline.manifest import sha256

from ..helpers import REPO_ROOT, sample_config

NAMES = ("00_summary.ipynb", "99_public.ipynb")
#: what each fake executed notebook shows (the JSON of an .ipynb escapes the quotes)
SHOWN = {
    "00_summary.ipynb": '<section class=\\"para\\" id=\\"SUM.1\\" aria-labelledby=\\"x\\">',
    "99_public.ipynb": '<section class=\\"para para-wide\\" id=\\"PS.1\\">',
}


@pytest.fixture
def world(tmp_path: Path, sample_dir: Path, monkeypatch: pytest.MonkeyPatch):
    """A config on private copies of the notebooks, narrative and one input file, and
    functions making the plan and faking the report published with the current keys."""
    # the package's code is hashed once per key; pinned so that an edit of the source tree
    # during the test (a developer saving a file) cannot change it between two keys
    monkeypatch.setattr(cache_mod, "package_digest", lambda: "this code")
    survey = tmp_path / "survey.csv"  # the one input file a test changes
    shutil.copy(sample_dir / "survey.csv", survey)
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    for n in NAMES:
        shutil.copy(REPO_ROOT / "notebooks" / n, nb_dir / n)
    narrative = tmp_path / "narrative.yml"
    narrative.write_text("SUM.1:\n  add: First.\nDM.1:\n  add: Other section.\n", "utf-8")
    cfg = sample_config(tmp_path, sample_dir, narrative=str(narrative))
    raw = yaml.safe_load(cfg.read_text(encoding="utf-8"))
    raw["data"]["survey"] = str(survey)
    raw["report"].update(notebooks=[NAMES[0]], notebooks_dir=str(nb_dir))
    raw.pop("themes", None)
    cfg.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")

    def plan():
        p = _plan(cfg, year=None, out=None, only=None)
        shutil.rmtree(p.staging, ignore_errors=True)  # same stamp within a second
        (p.staging / "notebooks").mkdir(parents=True)
        return p

    def publish():
        p = plan()
        (p.final / "notebooks").mkdir(parents=True)
        keys = KeyMaker(p)
        entries = []
        for n in NAMES:
            f = p.final / "notebooks" / n
            f.write_text('{"cells": ["' + SHOWN[n] + '"]}', encoding="utf-8")
            entries.append({"name": n, "seconds": 2.5, "key": keys.key(n, f), "sha256": sha256(f)})
        (p.final / "manifest.json").write_text(json.dumps({"notebooks": entries}), "utf-8")

    return {"cfg": cfg, "survey": survey, "nb_dir": nb_dir, "narrative": narrative} | {
        "plan": plan,
        "publish": publish,
    }


def _actions(runs) -> dict[str, tuple[str, str]]:
    return {n: (r.action, r.reason) for n, r in runs.items()}


def test_sections_shown_reads_the_paragraph_ids(tmp_path: Path) -> None:
    f = tmp_path / "x.ipynb"
    f.write_text('["' + SHOWN["00_summary.ipynb"] + SHOWN["99_public.ipynb"] + '"]', "utf-8")
    assert sections_shown(f) == ["PS", "SUM"]
    assert sections_shown(tmp_path / "missing.ipynb") == []


def test_nothing_changed_reuses_every_notebook(world) -> None:
    world["publish"]()
    plan = world["plan"]()
    runs = decide(plan, KeyMaker(plan))
    assert all(r.reused for r in runs.values())
    assert runs["00_summary.ipynb"].previous_seconds == 2.5
    for n in NAMES:  # copied into the new build, byte for byte
        assert (plan.staging / "notebooks" / n).read_bytes() == (
            plan.final / "notebooks" / n
        ).read_bytes()


def test_force_executes_everything(world) -> None:
    world["publish"]()
    plan = world["plan"]()
    runs = decide(plan, KeyMaker(plan), force=True)
    assert _actions(runs) == {n: ("executed", "forced (--force)") for n in NAMES}
    assert not list((plan.staging / "notebooks").iterdir())


def test_first_build_executes_everything(world) -> None:
    plan = world["plan"]()
    runs = decide(plan, KeyMaker(plan))
    assert {r.reason for r in runs.values()} == {"not in the published report"}


def test_changed_notebook_reexecutes_only_that_notebook(world) -> None:
    world["publish"]()
    nb = world["nb_dir"] / "00_summary.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8").replace("Summary", "Summary!", 1), "utf-8")
    plan = world["plan"]()
    assert _actions(decide(plan, KeyMaker(plan))) == {
        "00_summary.ipynb": ("executed", "notebook changed"),
        "99_public.ipynb": ("reused", cache_mod.REUSED),
    }


def test_narrative_reexecutes_only_the_notebook_showing_that_paragraph(world) -> None:
    world["publish"]()
    world["narrative"].write_text("SUM.1:\n  add: Second.\nDM.1:\n  add: Other section.\n")
    plan = world["plan"]()
    assert _actions(decide(plan, KeyMaker(plan))) == {
        "00_summary.ipynb": ("executed", "narrative of its paragraphs changed"),
        "99_public.ipynb": ("reused", cache_mod.REUSED),
    }


def test_narrative_of_a_paragraph_not_shown_reexecutes_nothing(world) -> None:
    world["publish"]()
    world["narrative"].write_text("SUM.1:\n  add: First.\nDM.1:\n  replace: Changed.\n")
    plan = world["plan"]()
    assert all(r.reused for r in decide(plan, KeyMaker(plan)).values())


def test_changed_input_file_reexecutes_every_notebook(world) -> None:
    world["publish"]()
    survey = world["survey"]
    survey.write_bytes(survey.read_bytes() + b"\n")
    plan = world["plan"]()
    assert _actions(decide(plan, KeyMaker(plan))) == {
        n: ("executed", "input data changed") for n in NAMES
    }


def test_changed_config_reexecutes_every_notebook(world) -> None:
    world["publish"]()
    with world["cfg"].open("a", encoding="utf-8") as f:
        f.write("# edited\n")
    plan = world["plan"]()
    assert {r.reason for r in decide(plan, KeyMaker(plan)).values()} == {"config changed"}


def test_changed_parameters_reexecute_every_notebook(world) -> None:
    world["publish"]()
    plan = world["plan"]()
    plan = dataclasses.replace(plan, parameters={**plan.parameters, "reporting_year": "x"})
    assert {r.reason for r in decide(plan, KeyMaker(plan)).values()} == {"parameters changed"}


def test_changed_package_code_reexecutes_every_notebook(world, monkeypatch) -> None:
    world["publish"]()
    monkeypatch.setattr(cache_mod, "package_digest", lambda: "other code")
    plan = world["plan"]()
    assert {r.reason for r in decide(plan, KeyMaker(plan)).values()} == {
        "package code or versions changed"
    }


def test_altered_or_missing_published_notebook_is_reexecuted(world) -> None:
    world["publish"]()
    plan = world["plan"]()
    (plan.final / "notebooks" / "00_summary.ipynb").write_text("tampered", encoding="utf-8")
    (plan.final / "notebooks" / "99_public.ipynb").unlink()
    assert {r.reason for r in decide(plan, KeyMaker(plan)).values()} == {
        "published executed notebook missing or altered"
    }
