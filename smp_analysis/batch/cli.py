"""``smp-analysis build-many``: the command around :func:`.run.build_many`.

Prints one line per area as it finishes (``built``, ``up to date`` or ``failed: <the
one-line error>``) on stderr, then the index page's path on stdout. Exit code 0 when
every area was built, 1 when any area failed (the others are built and in the index),
2 when the batch file itself is invalid (nothing is built).

Examples
--------
>>> from smp_analysis.batch.run import AreaOutcome
>>> progress_line(AreaOutcome(1, "Anytown", "2024/25", "failed", error="bad.yml:4: ..."))
'smp-analysis build-many: Anytown 2024/25: failed: bad.yml:4: ...'
"""

from __future__ import annotations

import argparse
import sys

from ..errors import InputError
from .run import AreaOutcome, build_many

__all__ = ["build_many_main", "progress_line"]


def progress_line(o: AreaOutcome) -> str:
    """The line printed when an area finishes."""
    what = o.name + (f" {o.year}" if o.year else "")
    tail = f"failed: {o.error}" if not o.ok else f"{o.status} in {o.seconds:.0f} s"
    return f"smp-analysis build-many: {what}: {tail}"


def build_many_main(args: argparse.Namespace) -> int:
    """Run ``build-many`` from parsed arguments; return the exit code."""
    from ..sources.limits import check_folder

    if args.jobs is not None and args.jobs < 1:
        raise InputError(
            f"--jobs {args.jobs} is not a number of workers", column="--jobs", fix="give 1 or more"
        )
    if args.out is not None:
        check_folder(args.out, what="reports folder", column="--out")
    result = build_many(
        args.config,
        out=args.out,
        jobs=args.jobs,
        scheduler=args.scheduler,
        timeout=args.timeout,
        only=args.only,
        force=args.force,
        on_done=lambda o: print(progress_line(o), file=sys.stderr, flush=True),
    )
    n_bad = len(result.failed)
    print(
        f"smp-analysis build-many: {len(result.outcomes) - n_bad} of {len(result.outcomes)} "
        f"areas built in {result.seconds:.0f} s; {result.ingest.summary()}",
        file=sys.stderr,
    )
    print(result.index_html)
    return 1 if n_bad else 0
