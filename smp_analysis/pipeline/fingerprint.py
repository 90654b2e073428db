"""What a report was built from, as one hash: an unchanged rebuild is skipped.

The fingerprint covers everything that can change a report: the package's code and
templates, the config file, the notebook parameters, every notebook run, and every input
file (by SHA-256, as the manifest lists them). When the published report's manifest has
the same fingerprint and its outputs are all there with the hashes it recorded, a build
has nothing to do and returns at once (``smp-analysis build --force`` rebuilds anyway).

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.txt").write_text("x")
>>> len(files_digest([d / "a.txt"]))
64
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import __version__
from .manifest import data_files, sha256

__all__ = ["fingerprint", "files_digest", "up_to_date", "package_digest"]

_PACKAGE = Path(__file__).resolve().parent.parent


def files_digest(paths: Iterable[Path]) -> str:
    """One SHA-256 over the names and contents of ``paths`` (in the given order)."""
    h = hashlib.sha256()
    for p in paths:
        h.update(str(p).encode("utf-8") + b"\0" + sha256(p).encode("ascii") + b"\n")
    return h.hexdigest()


def package_digest() -> str:
    """SHA-256 of the package's own code and templates (a code change rebuilds)."""
    files = sorted(
        p
        for p in _PACKAGE.rglob("*")
        if p.is_file()
        and p.suffix in (".py", ".j2", ".css", ".json")
        and "__pycache__" not in p.parts
    )
    h = hashlib.sha256(__version__.encode("utf-8"))
    for p in files:
        h.update(p.relative_to(_PACKAGE).as_posix().encode("utf-8") + b"\0" + p.read_bytes())
    return h.hexdigest()


def fingerprint(plan: Any) -> str:
    """The hash of everything the planned report depends on."""
    cfg = plan.config
    parts = {
        "package": package_digest(),
        "config": sha256(cfg.path),
        "year": cfg.reporting_year,
        "parameters": plan.parameters,
        "notebooks": files_digest(plan.notebooks_dir / n for n in plan.names),
        "data": files_digest(data_files(cfg)),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def up_to_date(final: Path, print_: str) -> bool:
    """Whether the published report in ``final`` was built with fingerprint ``print_`` and
    still has every output its manifest lists, unchanged."""
    manifest = final / "manifest.json"
    try:
        m = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(m, dict) or m.get("fingerprint") != print_:
        return False
    outputs = m.get("outputs")
    if not isinstance(outputs, dict) or not outputs:
        return False
    for name, digest in outputs.items():
        p = final / name
        if not p.is_file() or sha256(p) != digest:
            return False
    return True
