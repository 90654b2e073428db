"""``smp-analysis ingest``: build the cube for an area, write it, print the summary.

The command-line glue around :func:`smp_analysis.aggregate.build_cube`: it checks the
options (output extension, ``--from``/``--to`` months, that ``--out``, ``--cache-dir``
and ``--quality`` can be written) before reading anything, reads
the optional ``--lsoas`` list, writes the cube with
:func:`smp_analysis.aggregate.write_cube` and the quality table, and prints a summary.
The parser is in :mod:`smp_analysis.cli`.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

from .aggregate import build_cube, write_cube
from .categories import ASB
from .errors import InputError
from .sources.police_uk_format import FIRST_MONTH

__all__ = ["ingest_main"]


def _read_lsoa_list(path: str) -> pd.DataFrame:
    """An LSOA list for ``--lsoas``: Census 2021 population by LSOA, or ``lsoa_code,lsoa_name``."""
    from .sources._csv import read_table
    from .sources.limits import check_file
    from .sources.population import lsoa_population, read_census_population

    check_file(path, what="LSOA list", column="--lsoas")
    with open(path, "rb") as fh:
        head = fh.read(200)
    if head[:2] == b"\x1f\x8b" or b"lsoa21_code" in head:
        return lsoa_population(read_census_population(path))
    t = read_table(path, required=["lsoa_code", "lsoa_name"], what="LSOA list", kind="lsoa_list")
    return t[["lsoa_code", "lsoa_name"]]


def _check_month(value: object, option: str) -> None:
    text = str(value)
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise InputError(f"'{value}' is not a month", column=option, fix="write months as YYYY-MM")
    if not str(FIRST_MONTH) <= text <= str(pd.Period.now("M")):
        raise InputError(
            f"'{value}' is outside the months data.police.uk can hold ({FIRST_MONTH} to "
            "this month)",
            column=option,
            fix=f"give a month from {FIRST_MONTH} to this month",
        )


def _check_outputs(args: argparse.Namespace, out: Path) -> None:
    """Refuse output paths that cannot be written before anything is read."""
    from .sources.limits import check_folder

    if out.is_dir():
        raise InputError(
            "is a folder, not a file", path=out, column="--out", fix="give a file name ending .csv"
        )
    check_folder(out.parent, what="output folder", column="--out")
    cache_dir = getattr(args, "cache_dir", None)
    if cache_dir:
        check_folder(cache_dir, what="cache folder", column="--cache-dir")
    quality = getattr(args, "quality", None)
    if quality:
        qp = Path(quality)
        if qp.is_dir():
            raise InputError(
                "is a folder, not a file",
                path=qp,
                column="--quality",
                fix="give a file name ending .csv",
            )
        check_folder(qp.parent, what="output folder", column="--quality")


def ingest_main(args: argparse.Namespace) -> int:
    """Run ``smp-analysis ingest``: build the cube for an area, write it, print the summary.

    Examples
    --------
    >>> import tempfile, pathlib, contextlib, io
    >>> from smp_analysis.sources.police_uk import STREET_COLUMNS
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "2024-01-kent-street.csv").write_text(",".join(STREET_COLUMNS) + "\\n"
    ...     "a,2024-01,X,X,0.5,51.2,On or near Y,E01024337,Maidstone 001A,Drugs,,\\n")
    >>> args = argparse.Namespace(source=[str(d)], area="Maidstone", out=str(d / "c.csv"),
    ...     start=None, end=None, cache_dir=None, lsoas=None, unknown_categories="error",
    ...     quality=None)
    >>> with contextlib.redirect_stdout(io.StringIO()) as buf:
    ...     rc = ingest_main(args)
    >>> rc
    0
    >>> buf.getvalue().splitlines()[0]
    'Maidstone: 1 month(s), 1 LSOA(s), 1 crime(s) and 0 ASB incident(s) -> ...c.csv'
    """
    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".parquet"):
        raise InputError(
            f"cannot tell the output format from '{out.name}'",
            column="--out",
            fix="end the output file name with .csv or .parquet",
        )
    for opt, value in (
        ("--from", getattr(args, "start", None)),
        ("--to", getattr(args, "end", None)),
    ):
        if value is not None:
            _check_month(value, opt)
    _check_outputs(args, out)
    lsoas = _read_lsoa_list(args.lsoas) if getattr(args, "lsoas", None) else None
    cube, report = build_cube(
        args.source,
        args.area,
        start=getattr(args, "start", None),
        end=getattr(args, "end", None),
        lsoas=lsoas,
        cache_dir=getattr(args, "cache_dir", None),
        unknown_categories=getattr(args, "unknown_categories", "error") or "error",
    )
    write_cube(cube, out)
    quality_path = getattr(args, "quality", None)
    if quality_path:
        qp = Path(quality_path)
        qp.parent.mkdir(parents=True, exist_ok=True)
        report.table().to_csv(qp, index=False)
    crime_n = int(cube.counts.loc[cube.counts["crime_type"] != ASB, "count"].sum())
    asb_n = int(cube.counts.loc[cube.counts["crime_type"] == ASB, "count"].sum())
    print(
        f"{cube.area}: {len(cube.months_present)} month(s), {len(cube.lsoas)} LSOA(s), "
        f"{crime_n:,} crime(s) and {asb_n:,} ASB incident(s) -> {out}"
        + (" (from cache)" if cube.meta.get("from_cache") else "")
    )
    if len(cube.missing_months):
        from .quality import month_ranges

        print(f"missing months (no data, not zero): {month_ranges(cube.missing_months)}")
    for line in report.summary_lines():
        print(line)
    sys.stdout.flush()
    return 0
