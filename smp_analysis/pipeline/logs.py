"""Logging for one build: to the screen and to ``build.log`` in the staging folder."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

__all__ = ["build_logging"]


@contextlib.contextmanager
def build_logging(log_file: Path) -> Iterator[logging.Handler]:
    """Log to screen and file for the duration of one build (no global state left behind)."""
    root = logging.getLogger("smp_analysis")
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S")
    file_handler = logging.FileHandler(log_file, encoding="utf-8")
    file_handler.setFormatter(fmt)
    screen = logging.StreamHandler(sys.stderr)
    screen.setFormatter(fmt)
    old_level = root.level
    root.setLevel(logging.INFO)
    root.addHandler(file_handler)
    root.addHandler(screen)
    try:
        yield file_handler
    finally:
        root.removeHandler(file_handler)
        root.removeHandler(screen)
        root.setLevel(old_level)
        file_handler.close()
