"""Finding data.police.uk files: CSVs, folders searched recursively, archive zips.

:func:`find_police_files` turns the paths a user gives into the list of monthly files
to read, one per kind × force × month: it names files it ignores, skips months outside
the span asked for, reads an identical copy of a month once, and refuses a month given
twice with different content or a month in the future. Members of archive zips are
listed (and checked for safety) by :mod:`.police_uk_archives`.
"""

from __future__ import annotations

import errno
import os
import stat
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
from .limits import LIMITS, check_file, size_text
from .police_uk_archives import zip_members
from .police_uk_format import FIRST_MONTH, SOURCE, PoliceFile, parse_name

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

    def add_csv(p: Path, st: os.stat_result, explicit: bool) -> None:
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
        if st.st_size > LIMITS["police_uk"]:
            raise InputError(
                f"file is larger than {size_text(LIMITS['police_uk'])}, the limit for one "
                "data.police.uk file",
                path=str(p),
                fix="check that this is a data.police.uk file of one force and month",
            )
        found.append(PoliceFile(kind, force, month, p, None, st.st_size))

    seen: set[tuple[int, int]] = set()
    for src in sources:
        p = Path(src)
        st = _stat(p, explicit=True)
        if st is None:
            raise InputError(
                "no such file or folder",
                path=str(p),
                fix="check the path given to --source (relative paths start in the current folder)",
            )
        if stat.S_ISDIR(st.st_mode):
            for q in sorted(p.rglob("*")):
                if q.suffix.lower() not in (".csv", ".zip"):
                    continue
                qst = _stat(q, explicit=False)
                if qst is None or stat.S_ISDIR(qst.st_mode):
                    continue
                if not stat.S_ISREG(qst.st_mode):
                    check_file(q, what="file")  # raises: a FIFO, device or socket
                ident = (qst.st_dev, qst.st_ino)
                if ident in seen:
                    continue
                seen.add(ident)
                if q.suffix.lower() == ".csv":
                    add_csv(q, qst, explicit=False)
                else:
                    found.extend(zip_members(q))
            continue
        if not stat.S_ISREG(st.st_mode):
            check_file(p, what="--source path")  # raises: a FIFO, device or socket
        ident = (st.st_dev, st.st_ino)
        if ident in seen:
            continue
        seen.add(ident)
        if p.suffix.lower() == ".zip":
            found.extend(zip_members(p))
        else:
            add_csv(p, st, explicit=True)

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
        if f.month < FIRST_MONTH:
            raise InputError(
                f"the file name gives month {f.month}, before data.police.uk's first month "
                f"({FIRST_MONTH})",
                path=f.display,
                fix="check the file name; data.police.uk files start in December 2010",
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


def _stat(p: Path, *, explicit: bool) -> os.stat_result | None:
    """``os.stat`` of a path (following links); ``None`` when it does not exist.

    A loop of symbolic links, or (for a path the user gave) any other reason it cannot
    be looked at, is an :class:`InputError`; inside a folder, a broken link that is not
    named like a data.police.uk file is skipped.
    """
    try:
        return os.stat(p)
    except ValueError:  # a NUL byte in the path
        raise InputError(
            "the path holds a NUL byte", path=repr(str(p))[1:-1], fix="correct the path"
        ) from None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise InputError(
                "the path is a loop of symbolic links",
                path=str(p),
                fix="point the link at the real file or folder (see `ls -l`)",
            ) from None
        if err.errno in (errno.ENOENT, errno.ENOTDIR):
            if not explicit and parse_name(p.name) is not None:
                raise InputError(
                    "the file is a broken symbolic link",
                    path=str(p),
                    fix="point the link at the real file, or remove it",
                ) from None
            return None
        raise InputError(
            f"the path cannot be read ({err.strerror or err})",
            path=str(p),
            fix="check the path and its permissions",
        ) from None
