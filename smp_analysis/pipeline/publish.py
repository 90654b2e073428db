"""Publish a staged report in place of the previous one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["swap_into_place"]


def swap_into_place(staging: Path, final: Path) -> None:
    """Replace ``final`` by ``staging`` with two renames on the same filesystem."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    try:
        staging.rename(final)
    except OSError:
        if old.exists():
            old.rename(final)
        raise
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
