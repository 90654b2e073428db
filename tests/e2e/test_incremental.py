"""An unchanged rebuild is skipped; any change to what the report depends on rebuilds it.

A small build (the summary notebook and the public page) in its own folder: the second
build with nothing changed returns the published report without running a kernel; a
changed narrative file (an input), or ``--force``, rebuilds.
"""

from __future__ import annotations

import json

import pytest

from smp_analysis.cli import main
from smp_analysis.pipeline import build

from ..helpers import sample_config

pytestmark = pytest.mark.slow
ONLY = ["00_summary.ipynb"]


def test_unchanged_rebuild_is_skipped_and_changes_rebuild(tmp_path, sample_dir, capsys) -> None:
    narrative = tmp_path / "narrative.yml"
    narrative.write_text("SUM.1:\n  add: First words.\n", encoding="utf-8")
    cfg = sample_config(tmp_path, sample_dir, narrative=str(narrative))
    first = build(cfg, only=ONLY, timeout=300)
    assert not first.up_to_date and first.timings
    stamp = first.manifest.read_text(encoding="utf-8")
    assert json.loads(stamp)["fingerprint"]

    again = build(cfg, only=ONLY, timeout=300)
    assert again.up_to_date and again.timings == {}
    assert again.manifest.read_text(encoding="utf-8") == stamp  # nothing was rewritten

    code = main(["build", "--config", str(cfg), "--only", *ONLY])
    assert code == 0 and "up to date" in capsys.readouterr().err

    # an input changed: rebuilt, and the new words are on the page
    narrative.write_text("SUM.1:\n  add: Second words.\n", encoding="utf-8")
    changed = build(cfg, only=ONLY, timeout=300)
    assert not changed.up_to_date
    assert "Second words." in changed.appendix.read_text(encoding="utf-8")

    # a published output tampered with is not "up to date"
    (changed.out_dir / "public.html").write_text("tampered", encoding="utf-8")
    repaired = build(cfg, only=ONLY, timeout=300)
    assert not repaired.up_to_date
    assert "tampered" not in repaired.public.read_text(encoding="utf-8")

    forced = build(cfg, only=ONLY, timeout=300, force=True)
    assert not forced.up_to_date and forced.timings
