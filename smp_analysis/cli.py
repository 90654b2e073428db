"""Command line: ``smp-analysis build | sample | ingest | fetch``.

Errors a user can cause (:class:`~smp_analysis.errors.SmpError`) are printed on one
line to stderr and the process exits with the error's code (2 for bad input, 1 for a
failed build); no traceback is shown for them.

Examples
--------
>>> parser = make_parser()
>>> parser.parse_args(["build", "--config", "data/config/sample.yml"]).command
'build'
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .errors import SmpError

__all__ = ["main", "make_parser"]


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
    p.set_defaults(func=_run_build)


def _run_build(args: argparse.Namespace) -> int:
    from .pipeline import build

    result = build(args.config, year=args.year, out=args.out, timeout=args.timeout, only=args.only)
    print(result.appendix)
    return 0


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
    for add in (_add_build, _add_sample, _add_ingest, _add_fetch):
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``smp-analysis`` command; returns the exit code."""
    args = make_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except SmpError as err:
        print(f"smp-analysis {args.command}: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print(f"smp-analysis {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
