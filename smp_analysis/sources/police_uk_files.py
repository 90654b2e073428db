"""Finding data.police.uk files: CSVs, folders searched recursively, archive zips.

:func:`find_police_files` turns the paths a user gives into the list of monthly files
to read, one per kind × force × month: it names files it ignores, skips months outside
the span asked for, reads an identical copy of a month once, and refuses a month given
twice with different content or a month in the future. Members of archive zips are
listed (and checked for safety) by :mod:`.police_uk_archives`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from os import PathLike
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..quality import (
    DUPLICATE_FILE,
    IGNORED_FILE,
    OUTSIDE_SPAN,
    QualityIssue,
    month_ranges,
)
from .police_uk_archives import zip_members
from .police_uk_format import SOURCE, PoliceFile, parse_name

__all__ = ["find_police_files"]


def find_police_files(
    sources: str | PathLike[str] | Iterable[str | PathLike[str]],
    kinds: Sequence[str] = ("street",),
    *,
    start: object | None = None,
    end: object | None = None,
    forces: Iterable[str] | None = None,
) -> tuple[list[PoliceFile], list[QualityIssue]]:
    """Find the monthly files of the given kinds under files, folders and zips.

    Parameters
    ----------
    sources : path-like or iterable of path-like
        CSV files, folders (searched recursively for CSVs and zips) and archive zips.
    kinds : sequence of str
        Which kinds to return (``street``, ``outcomes``, ``stop-and-search``).
    start, end : month-like, optional
        Only files whose month is in the span (others are counted as an issue).
    forces : iterable of str, optional
        Only these force slugs.

    Returns
    -------
    files : list of PoliceFile
        Sorted by kind, force, month. Identical copies of one month are kept once.
    issues : list of QualityIssue
        Ignored files, files outside the span, identical duplicates.

    Raises
    ------
    InputError
        A path that does not exist; a CSV given by name whose name is not
        ``YYYY-MM-<force>-<kind>.csv``; a month in the future; one force-month given by
        two files with different content; no files of the kinds asked for at all.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from smp_analysis.sources.police_uk_format import STREET_COLUMNS
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "2024-02-kent-street.csv").write_text(",".join(STREET_COLUMNS) + "\\n")
    >>> _ = (d / "notes.csv").write_text("x\\n")
    >>> files, issues = find_police_files(d)
    >>> [(f.force, str(f.month)) for f in files], [i.kind for i in issues]
    ([('kent', '2024-02')], ['ignored_file'])
    """
    if isinstance(sources, (str, PathLike)):
        sources = [sources]
    want = set(kinds)
    force_set = set(forces) if forces is not None else None
    lo = pd.Period(start, freq="M") if start is not None else None
    hi = pd.Period(end, freq="M") if end is not None else None
    now = pd.Period.now("M")
    found: list[PoliceFile] = []
    issues: list[QualityIssue] = []
    ignored: list[str] = []
    source = SOURCE[kinds[0]] if kinds else "police_uk"

    def add_csv(p: Path, explicit: bool) -> None:
        parsed = parse_name(p.name)
        if parsed is None:
            if explicit:
                raise InputError(
                    "cannot tell the month, force and kind from the file name",
                    path=str(p),
                    fix="name it as data.police.uk does, e.g. 2024-01-kent-street.csv",
                )
            ignored.append(str(p))
            return
        month, force, kind = parsed
        found.append(PoliceFile(kind, force, month, p, None, p.stat().st_size))

    seen: set[Path] = set()
    for src in sources:
        p = Path(src)
        if not p.exists():
            raise InputError(
                "no such file or folder",
                path=str(p),
                fix="check the path given to --source (relative paths start in the current folder)",
            )
        if p.is_dir():
            for q in sorted(p.rglob("*")):
                if q.resolve() in seen or not q.is_file():
                    continue
                seen.add(q.resolve())
                if q.suffix.lower() == ".csv":
                    add_csv(q, explicit=False)
                elif q.suffix.lower() == ".zip":
                    found.extend(zip_members(q))
        elif p.resolve() in seen:
            continue
        else:
            seen.add(p.resolve())
            if p.suffix.lower() == ".zip":
                found.extend(zip_members(p))
            else:
                add_csv(p, explicit=True)

    if ignored:
        issues.append(
            QualityIssue(
                source,
                ignored[0],
                None,
                None,
                IGNORED_FILE,
                f"{len(ignored)} CSV file(s) not named YYYY-MM-<force>-<kind>.csv were not read "
                f"(first: {Path(ignored[0]).name})",
                len(ignored),
            )
        )
    selected = [f for f in found if f.kind in want and (force_set is None or f.force in force_set)]
    for f in selected:
        if f.month > now:
            raise InputError(
                f"the file name gives month {f.month}, which is in the future",
                path=f.display,
                fix="check the file name; data.police.uk publishes past months only",
            )
    outside = [
        f
        for f in selected
        if (lo is not None and f.month < lo) or (hi is not None and f.month > hi)
    ]
    if outside:
        issues.append(
            QualityIssue(
                source,
                None,
                None,
                None,
                OUTSIDE_SPAN,
                f"{len(outside)} file(s) for months outside "
                f"{lo or '...'} – {hi or '...'} were not read ({month_ranges(f.month for f in outside)})",
                len(outside),
            )
        )
        selected = [f for f in selected if f not in outside]

    # one file per kind × force × month
    groups: dict[tuple[str, str, pd.Period], list[PoliceFile]] = {}
    for f in selected:
        groups.setdefault((f.kind, f.force, f.month), []).append(f)
    files: list[PoliceFile] = []
    for (kind, force, month), fs in sorted(
        groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])
    ):
        first = fs[0]
        for other in fs[1:]:
            if other.size == first.size and other.content_crc() == first.content_crc():
                issues.append(
                    QualityIssue(
                        SOURCE[kind],
                        other.display,
                        None,
                        None,
                        DUPLICATE_FILE,
                        f"{Path(other.member or other.path).name} is an identical copy of "
                        f"{first.display}; read once",
                        1,
                    )
                )
                continue
            raise InputError(
                f"month {month} for force '{force}' is also given by {first.display}, "
                "with different content",
                path=other.display,
                fix="pass each month once: remove one of the two files (keep the newer download)",
            )
        files.append(first)
    if not files and not outside:
        what = " or ".join(kinds)
        raise InputError(
            f"no data.police.uk {what} files found",
            path=", ".join(str(s) for s in sources),
            fix=f"pass YYYY-MM-<force>-{kinds[0]}.csv files, folders holding them, or archive zips",
        )
    return files, issues
