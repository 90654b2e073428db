"""Every partnership in one run: ``smp-analysis build-many``.

plan (:mod:`.config`: the batch file, one validated config per area) → shared ingest
(:mod:`.ingest`: each force's police.uk files parsed once, every area's cube cached) →
builds (:mod:`.run`: :func:`smp_analysis.pipeline.build` per area through a
``concurrent.futures.Executor`` — processes on this machine, or a Dask cluster) → the
index page and ``index.csv`` comparing the areas (:mod:`.index`).
"""

from __future__ import annotations

from .config import AreaPlan, BatchPlan, load_batch
from .run import AreaOutcome, BatchResult, build_many

__all__ = ["AreaPlan", "BatchPlan", "load_batch", "AreaOutcome", "BatchResult", "build_many"]
