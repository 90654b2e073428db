"""The build's manifest: parameters, input files and their SHA-256, versions, timings,
and the SHA-256 of every output (pages, CSV files, workbooks)."""

from __future__ import annotations

import functools
import hashlib
import platform
import subprocess
from pathlib import Path
from typing import Any

from .. import __version__
from ..config import Config

__all__ = ["sha256", "data_files", "git_commit", "versions", "output_hashes"]


def sha256(path: Path) -> str:
    """SHA-256 of a file; an unchanged file (same size and modification time) is read once
    per process, as the fingerprint and the manifest both hash every input."""
    st = Path(path).stat()
    return _sha256(str(Path(path).resolve()), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=4096)
def _sha256(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def data_files(cfg: Config) -> list[Path]:
    paths: list[Path] = list(cfg.data.police_uk)
    for name in ("partner_returns", "fingertips", "population", "ethnicity", "imd", "survey"):
        p = getattr(cfg.data, name)
        if p is not None:
            paths.append(p)
    if cfg.narrative is not None:
        paths.append(cfg.narrative)
    if cfg.data.action_log is not None:
        paths.append(cfg.data.action_log)
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*") if q.is_file()))
        elif p.is_file():
            files.append(p)
    return files


def git_commit(start: Path) -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=start, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"smp-analysis": __version__, "python": platform.python_version()}
    for pkg in ("pandas", "numpy", "scipy", "statsmodels", "matplotlib", "papermill", "nbconvert"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:  # pragma: no cover
            out[pkg] = "not installed"
    return out


def output_hashes(staging: Path) -> dict[str, Any]:
    """SHA-256 of the two pages (and their PDFs, when printed) and every download, by path
    relative to ``staging``."""
    names = [
        "appendix.html",
        "public.html",
        *(n for n in ("appendix.pdf", "public.pdf") if (staging / n).is_file()),
        *sorted(
            f.relative_to(staging).as_posix()
            for d in ("data", "public-data")
            for f in (staging / d).rglob("*")
            if f.is_file()
        ),
    ]
    return {n: sha256(staging / n) for n in names}
