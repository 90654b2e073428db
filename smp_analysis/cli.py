"""Command line: ``smp-analysis build | build-many | sample | ingest | fetch``.

**Exit codes.** Every command ends in one of three codes:

* ``0`` — done;
* ``1`` — a notebook or a page check failed (:class:`~smp_analysis.errors.BuildError`),
  or a download failed (``fetch``);
* ``2`` — bad input, config or environment: an
  :class:`~smp_analysis.errors.InputError` (the file, line, column and fix), or an
  ``OSError`` from the environment — an output folder that is read-only or full, a
  file where a folder should be (``--out``, ``cache_dir``), a name too long for the
  file system — turned into the same kind of line by :func:`environment_error`.

Either way the error is **one line** on stderr (``smp-analysis <command>: error: ...``)
with no traceback. Any other exception is a bug and keeps its traceback
(``tests/unit/test_cli_fuzz.py`` looks for them).

Examples
--------
>>> parser = make_parser()
>>> parser.parse_args(["build", "--config", "data/config/sample.yml"]).command
'build'
"""

from __future__ import annotations

import argparse
import errno
import sys
from collections.abc import Sequence

from . import __version__
from .errors import InputError, SmpError

__all__ = ["main", "make_parser", "environment_error"]


def _add_build(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="run every notebook with papermill and export the appendix and public HTML",
        description="Build the Strategic Assessment appendix (appendix.html) and the public "
        "version (public.html) for the area and year in a config file.",
    )
    p.add_argument("--config", required=True, help="YAML config, e.g. data/config/sample.yml")
    p.add_argument("--year", help="reporting financial year, e.g. 2024/25 (default: from config)")
    p.add_argument("--out", help="reports folder (default: from config, else ./reports)")
    p.add_argument(
        "--timeout", type=int, default=600, help="per-cell execution timeout in seconds (600)"
    )
    p.add_argument("--only", nargs="+", metavar="NOTEBOOK", help="build only these notebooks")
    p.add_argument(
        "--force",
        action="store_true",
        help="rebuild even when code, config, notebooks and inputs are unchanged",
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="kernels running notebooks side by side (default: one per CPU; 1: one at a time)",
    )
    p.add_argument(
        "--pdf",
        action="store_true",
        help="also write appendix.pdf and public.pdf (A4) beside the HTML; needs "
        "pip install 'smp-analysis[pdf]'",
    )
    p.set_defaults(func=_run_build)


def _run_build(args: argparse.Namespace) -> int:
    from .pipeline import build
    from .sources.limits import check_folder

    if args.out is not None:
        check_folder(args.out, what="reports folder", column="--out")
    result = build(
        args.config,
        year=args.year,
        out=args.out,
        timeout=args.timeout,
        only=args.only,
        force=args.force,
        jobs=max(0, args.jobs),
        pdf=args.pdf,
    )
    if result.up_to_date:
        print(
            "smp-analysis build: up to date (code, config, notebooks and inputs unchanged); "
            "nothing rebuilt. Use --force to rebuild.",
            file=sys.stderr,
        )
    print(result.appendix)
    return 0


def _add_build_many(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build-many",
        help="build every area of a batch file in parallel and write an index page",
        description="Build the appendix of every area listed in a batch file (shared "
        "settings + areas): the police.uk files are parsed once, the areas are built in "
        "parallel (processes here, or a Dask cluster with --scheduler), and index.html "
        "compares them. A bad area fails alone; exit code 1 if any area failed.",
    )
    p.add_argument("--config", required=True, help="batch YAML, e.g. data/config/sample-batch.yml")
    p.add_argument("--out", help="reports folder (default: the batch file's output_dir)")
    p.add_argument("--jobs", type=int, help="parallel builds on this machine (default: cores)")
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (needs smp-analysis[distributed])",
    )
    p.add_argument(
        "--timeout", type=int, default=600, help="per-cell execution timeout in seconds (600)"
    )
    p.add_argument("--only", nargs="+", metavar="NOTEBOOK", help="build only these notebooks")
    p.add_argument("--force", action="store_true", help="rebuild areas that are up to date")
    p.set_defaults(func=_run_build_many)


def _run_build_many(args: argparse.Namespace) -> int:
    from .batch.cli import build_many_main

    return build_many_main(args)


def _add_sample(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sample",
        help="write the synthetic sample district's data files",
        description="Generate, deterministically from a seed, the synthetic sample data "
        "(data.police.uk street and stop-and-search files, partner returns, population, IMD, "
        "Fingertips, survey) in the formats of docs/data-formats.md.",
    )
    p.add_argument("--out", default="data/sample", help="output folder (data/sample)")
    p.add_argument(
        "--seed", type=int, default=None, help="random seed (default: the documented one)"
    )
    p.set_defaults(func=_run_sample)


def _run_sample(args: argparse.Namespace) -> int:
    from .sample import DEFAULT_SEED, write_sample
    from .sources.limits import check_folder

    check_folder(args.out, what="output folder", column="--out")
    written = write_sample(args.out, seed=DEFAULT_SEED if args.seed is None else args.seed)
    print(f"wrote {len(written)} files to {args.out}")
    return 0


def _add_ingest(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ingest",
        help="read data.police.uk files for an area and write the monthly cube",
        description="Read data.police.uk street-crime files (CSV, folders of monthly folders or "
        "archive zips), select an area and write month × LSOA × category counts.",
    )
    p.add_argument(
        "--source",
        nargs="+",
        required=True,
        metavar="PATH",
        help="street CSVs, folders of monthly folders, or archive zips",
    )
    p.add_argument(
        "--area",
        required=True,
        help='district name that LSOA names start with, e.g. "Maidstone" (matches '
        '"Maidstone 012A")',
    )
    p.add_argument("--out", required=True, help="output file, .csv or .parquet")
    p.add_argument("--from", dest="start", help="first month, YYYY-MM (default: first file)")
    p.add_argument("--to", dest="end", help="last month, YYYY-MM (default: last file)")
    p.add_argument(
        "--lsoas",
        metavar="FILE",
        help="LSOA list to include LSOAs with no records: Census 2021 population by LSOA "
        "or a CSV with lsoa_code,lsoa_name",
    )
    p.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="cache the cube here (e.g. data/cache); unchanged inputs are not re-read",
    )
    p.add_argument(
        "--unknown-categories",
        choices=("error", "keep"),
        default="error",
        help="a Crime type outside the 14 categories: stop (error, default) or keep it",
    )
    p.add_argument(
        "--quality", metavar="FILE", help="also write the data-quality table to this CSV"
    )
    p.set_defaults(func=_run_ingest)


def _run_ingest(args: argparse.Namespace) -> int:
    from .cli_ingest import ingest_main

    return ingest_main(args)


def _add_fetch(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "fetch",
        help="download data.police.uk archives for one force and a span of months",
        description="Download the data.police.uk archive(s) covering the months asked for, "
        "resuming partial downloads, and extract only the given force's files.",
    )
    p.add_argument("--force", required=True, help="force slug as in file names, e.g. kent")
    p.add_argument("--from", dest="start", required=True, help="first month, YYYY-MM")
    p.add_argument("--to", dest="end", required=True, help="last month, YYYY-MM")
    p.add_argument("--out", default="data/raw/police_uk", help="folder for extracted files")
    p.add_argument(
        "--archive-dir",
        metavar="DIR",
        help="where archive zips are kept and partial downloads resumed (default: OUT/archives)",
    )
    p.add_argument(
        "--base-url", default="https://data.police.uk/data/archive/", help=argparse.SUPPRESS
    )
    p.set_defaults(func=_run_fetch)


def _run_fetch(args: argparse.Namespace) -> int:
    from .sources.fetch import fetch_main

    return fetch_main(args)


def make_parser() -> argparse.ArgumentParser:
    """Build the argument parser (exposed for tests and documentation)."""
    parser = argparse.ArgumentParser(
        prog="smp-analysis",
        description="Strategic Assessments for Community Safety Partnerships.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_add_build, _add_build_many, _add_sample, _add_ingest, _add_fetch):
        add(sub)
    return parser


_EDQUOT = getattr(errno, "EDQUOT", -1)  # not on every platform
_ERRNO_FIX = {
    errno.EACCES: "choose a folder you can write to (--out), or change its permissions",
    errno.EPERM: "choose a folder you can write to (--out), or change its permissions",
    errno.EROFS: "the disk is read-only: choose another folder (--out)",
    errno.ENOSPC: "the disk is full: free some space or choose another folder (--out)",
    _EDQUOT: "the disk quota is used up: free some space or choose another folder",
    errno.ENOTDIR: "a file stands where a folder is needed: move it, or choose another path",
    errno.EEXIST: "a file stands where a folder is needed: move it, or choose another path",
    errno.EISDIR: "a folder stands where a file is needed: choose a file name",
    errno.ENAMETOOLONG: "shorten the path (or the area name, which names the report folder)",
    errno.ELOOP: "the path is a loop of symbolic links: point the link at a real folder",
    errno.ENOENT: "check the path",
    errno.EMFILE: "too many files are open: close other programs and run again",
}


def environment_error(err: OSError) -> InputError:
    """An ``OSError`` from the environment as a one-line :class:`InputError` (exit 2).

    Examples
    --------
    >>> e = environment_error(PermissionError(errno.EACCES, "Permission denied", "/r/x"))
    >>> str(e), e.exit_code
    ('/r/x: permission denied. Fix: choose a folder you can write to (--out), or change its permissions', 2)
    """
    where = err.filename if err.filename is not None else None
    if isinstance(where, bytes):
        where = where.decode(errors="replace")
    if where is not None and len(str(where)) > 300:
        where = str(where)[:297] + "..."
    problem = (err.strerror or str(err) or type(err).__name__).rstrip(".")
    problem = problem[:1].lower() + problem[1:]
    if err.filename2 is not None:
        problem += f" (and {err.filename2})"
    return InputError(
        problem,
        path=None if where is None else str(where),
        fix=_ERRNO_FIX.get(err.errno or 0, "check the path, the permissions and the free space"),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``smp-analysis`` command; returns the exit code (0, 1 or 2)."""
    args = make_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except SmpError as err:
        print(f"smp-analysis {args.command}: error: {err}", file=sys.stderr)
        return err.exit_code
    except OSError as exc:  # the environment: read-only or full disk, a file in the way
        err = environment_error(exc)
        print(f"smp-analysis {args.command}: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print(f"smp-analysis {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
