"""Incremental builds: reuse a notebook's executed copy when nothing it depends on changed.

Each notebook gets a key made of the things that can change what its kernel outputs:

``notebook``
    SHA-256 of the notebook file;
``parameters``
    the parameters injected into it (config path and reporting year);
``package``
    the package's version, code and templates (:func:`.fingerprint.package_digest`) and
    the versions of the libraries it computes with;
``config``
    SHA-256 of the config file;
``data``
    SHA-256 of every input file the config names **except the narrative file**;
``narrative``
    the analysts' narrative entries (``data/narrative/*.yml``) for the sections whose
    paragraphs the notebook shows (``DA`` for ``DA.1``, ``DA.2``, ..., read from its
    executed copy).

The input files are tracked conservatively: every notebook depends on all of them (each
calls :func:`smp_analysis.notebook.setup`, which loads every input), so a changed input
re-executes every notebook. The narrative is tracked per section: changing the text of
``DA.3`` re-executes only the notebook showing the DA paragraphs (the kernel renders the
narrative into the paragraph, together with the glossary links of the section, so the
text cannot simply be substituted at export without changing what the page says).

The cache is the published report itself: its ``manifest.json`` lists each notebook's key
and the SHA-256 of its executed copy in ``notebooks/``; a notebook whose key is unchanged
and whose executed copy is intact is copied into the new build instead of run. The manifest
of the new build records, per notebook, ``executed`` or ``reused`` and why.

Examples
--------
>>> old = {"notebook": "a", "parameters": "p", "package": "k", "config": "c", "data": "d",
...        "narrative": "n"}
>>> why_changed(old, dict(old, data="e"))
'input data changed'
>>> why_changed(old, dict(old)) is None
True
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .fingerprint import files_digest, package_digest
from .manifest import data_files, sha256, versions

__all__ = [
    "NotebookRun",
    "KeyMaker",
    "decide",
    "why_changed",
    "sections_shown",
    "REASONS",
    "REUSED",
]

#: What a changed key part means, in the order reasons are given.
REASONS = {
    "notebook": "notebook changed",
    "parameters": "parameters changed",
    "package": "package code or versions changed",
    "config": "config changed",
    "data": "input data changed",
    "narrative": "narrative of its paragraphs changed",
}


#: Why a notebook was reused.
REUSED = "unchanged notebook, parameters, package, config, input data and narrative"


@dataclass(frozen=True)
class NotebookRun:
    """What the build does with one notebook: ``executed`` or ``reused``, and why."""

    name: str
    action: str
    reason: str
    key: dict[str, str]
    previous_seconds: float = 0.0

    @property
    def reused(self) -> bool:
        return self.action == "reused"


def _digest(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode("utf-8")).hexdigest()


_LABEL_ID = re.compile(r'<section class="para[^"]*" id="([A-Z]{2,4})\.\d+"')


def sections_shown(executed: Path) -> list[str]:
    """The section ids (``DA``) of the labelled paragraphs an executed notebook shows."""
    try:
        text = executed.read_text(encoding="utf-8")
    except OSError:
        return []
    return sorted(set(_LABEL_ID.findall(text.replace('\\"', '"'))))


def _narrative_part(overrides: dict[str, Any], sections: Iterable[str]) -> str:
    wanted = set(sections)
    picked = {
        label: [o.add, o.replace]
        for label, o in sorted(overrides.items())
        if label.split(".", 1)[0] in wanted
    }
    return _digest(picked)


class KeyMaker:
    """Computes notebook keys for one plan (the shared parts are hashed once)."""

    def __init__(self, plan: Any) -> None:
        from ..sources.narrative import load_overrides

        cfg = plan.config
        self.plan = plan
        narrative = cfg.narrative.resolve() if cfg.narrative is not None else None
        inputs = [p for p in data_files(cfg) if narrative is None or p.resolve() != narrative]
        self.common = {
            "parameters": _digest(plan.parameters),
            "package": _digest({"code": package_digest(), "versions": versions()}),
            "config": sha256(cfg.path),
            "data": files_digest(inputs),
        }
        self.overrides = load_overrides(cfg.narrative)

    def key(self, name: str, executed: Path) -> dict[str, str]:
        """The key of notebook ``name`` whose executed copy (for its sections) is
        ``executed``."""
        return {
            "notebook": sha256(self.plan.notebooks_dir / name),
            **self.common,
            "narrative": _narrative_part(self.overrides, sections_shown(executed)),
        }


def why_changed(old: Any, new: dict[str, str]) -> str | None:
    """The first reason ``new`` differs from ``old`` (None: the same key)."""
    if not isinstance(old, dict):
        return "no key recorded by the previous build"
    for part, reason in REASONS.items():
        if old.get(part) != new[part]:
            return reason
    return None


def _previous(final: Path) -> dict[str, dict]:
    try:
        m = json.loads((final / "manifest.json").read_text(encoding="utf-8"))
        return {e["name"]: e for e in m["notebooks"] if isinstance(e, dict) and "name" in e}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def decide(plan: Any, keys: KeyMaker, *, force: bool = False) -> dict[str, NotebookRun]:
    """Decide, per notebook, whether to execute it or reuse the published executed copy,
    and copy the reused ones into ``plan.staging / "notebooks"``."""
    previous = {} if force else _previous(plan.final)
    runs: dict[str, NotebookRun] = {}
    for name in plan.names:
        key = keys.key(name, plan.final / "notebooks" / name)
        if force:
            runs[name] = NotebookRun(name, "executed", "forced (--force)", key)
            continue
        old = previous.get(name)
        if old is None:
            runs[name] = NotebookRun(name, "executed", "not in the published report", key)
            continue
        src = plan.final / "notebooks" / name
        if not src.is_file() or sha256(src) != old.get("sha256"):
            reason: str | None = "published executed notebook missing or altered"
        else:
            reason = why_changed(old.get("key"), key)
        if reason is not None:
            runs[name] = NotebookRun(name, "executed", reason, key)
            continue
        dst = plan.staging / "notebooks" / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        seconds = old.get("run_seconds", old.get("seconds", 0.0))
        runs[name] = NotebookRun(
            name,
            "reused",
            REUSED,
            key,
            previous_seconds=seconds if isinstance(seconds, int | float) else 0.0,
        )
    return runs
