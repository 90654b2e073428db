"""Validation of data.police.uk files: headers, UTF-8, month and category values, coverage.

The checks that need no parsing run on the staged files themselves
(:func:`check_headers`, :func:`check_utf8`); the value checks run on small tables of
distinct values per file that DuckDB has already counted (:func:`check_months`,
:func:`check_categories`), and re-read a file only to name the line of a bad value.
:func:`coverage_for` turns the files read into the coverage table and the missing-month
issues of the quality report. Errors are :class:`~smp_analysis.errors.InputError`
naming file, line, column and fix; usable oddities are
:class:`~smp_analysis.quality.QualityIssue` entries.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Sequence
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from ..categories import ALL_CATEGORIES, HISTORIC_CATEGORIES
from ..errors import InputError
from ..quality import (
    EMPTY_FILE,
    HISTORIC_CATEGORY,
    MISSING_MONTHS,
    MONTH_MISMATCH,
    UNKNOWN_CATEGORY,
    QualityIssue,
    coverage_frame,
    month_ranges,
)
from ._csv import check_header, decode_error, locate, split_fields
from .limits import (
    LIMITS,
    MAX_HEADER_BYTES,
    MAX_LINE_BYTES,
    LineGuard,
    check_file,
    line_at,
    size_text,
)
from .police_uk_format import COLUMNS, MONTH_RE, SOURCE, STREET_COLUMNS, WHAT, PoliceFile

__all__ = ["check_headers", "check_utf8", "check_months", "check_categories", "coverage_for"]


def check_headers(local: dict[str, PoliceFile]) -> list[str]:
    """Check each staged file's header; return the local paths of files that have rows.

    Files with a header only are left out of the returned list (the caller records
    them as empty); a file that is not a regular file or is over the size limit, a
    0-byte file, lines ending in a carriage return alone, a first line that does not
    end within :data:`~.limits.MAX_HEADER_BYTES`, a header that is not UTF-8 or has
    the wrong columns raises :class:`InputError`. The whole file is then checked by
    :func:`check_utf8` (UTF-8, line lengths, NUL bytes).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "2024-01-kent-street.csv"
    >>> _ = p.write_text("Crime ID,Month\\n")
    >>> try:
    ...     check_headers({str(p): PoliceFile("street", "kent", pd.Period("2024-01", "M"), p)})
    ... except Exception as e:
    ...     print(e.line, e.column, e.problem[:33])
    1 Reported by header lacks column 'Reported by'
    """
    with_rows: list[str] = []
    for lp, f in local.items():
        st = check_file(lp, what=WHAT[f.kind])
        if st.st_size > LIMITS["police_uk"]:
            raise InputError(
                f"file is larger than {size_text(LIMITS['police_uk'])}, the limit for one "
                "data.police.uk file",
                path=f.display,
                fix="check that this is a data.police.uk file of one force and month",
            )
        with open(lp, "rb") as fh:
            head = fh.read(MAX_HEADER_BYTES + 1)
        if not head.strip():
            raise InputError(
                f"file is empty ({len(head)} bytes)",
                path=f.display,
                fix="download the file again; a data.police.uk file starts with a header line",
            )
        nl = head.find(b"\n")
        if nl == -1 and b"\r" in head.rstrip(b"\r"):
            raise InputError(
                "lines end with a carriage return alone (an old Mac format)",
                path=f.display,
                line=1,
                fix="use the file as downloaded, or save it with Windows or Unix line endings",
            )
        if nl == -1 and len(head) > MAX_HEADER_BYTES:
            raise InputError(
                f"the first line does not end within {size_text(MAX_HEADER_BYTES)}: this is "
                "not a data.police.uk CSV (a binary, sparse or damaged file?)",
                path=f.display,
                line=1,
                fix="download the file again",
            )
        first, rest = (head[:nl], head[nl + 1 :]) if nl != -1 else (head, b"")
        try:
            text = first.decode("utf-8").lstrip("\ufeff").rstrip("\r")
        except UnicodeDecodeError as err:
            raise decode_error(first, err, f.display) from None
        if "\0" in text:
            raise InputError(
                "the header holds NUL bytes: not a CSV text file (a sparse or binary file, "
                "or saved as UTF-16?)",
                path=f.display,
                line=1,
                fix='download the file again, or save it as UTF-8 ("CSV UTF-8")',
            )
        header = split_fields(text)
        check_header(header, COLUMNS[f.kind], path=f.display, what=WHAT[f.kind])
        check_utf8(lp, f.display, header)
        if rest.strip():
            with_rows.append(lp)
    return with_rows


def check_utf8(
    path: str | PathLike[str],
    display: str | None = None,
    header: Sequence[str] = (),
    *,
    chunk_size: int = 1 << 24,
    max_line: int = MAX_LINE_BYTES,
) -> None:
    """Raise :class:`InputError` at the first byte that is not UTF-8, the first line
    longer than ``max_line`` bytes or the first NUL byte, naming line (and column).

    DuckDB does not reliably reject every invalid byte sequence, and drops a line over
    its own maximum without a word (a month whose only row it dropped would look
    empty), so each file is checked here first, in one streamed pass. Chunks that are
    pure ASCII (almost all of a data.police.uk file) are passed with
    :meth:`bytes.isascii`, which runs at memory speed; only the others are decoded
    (incrementally, so a character split between chunks is fine). Line lengths and NUL
    bytes are checked with :class:`~.limits.LineGuard`. On a fault the file is read again
    up to that byte to name its line; it is never read whole.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = p.write_bytes(b"a,b\\n1,ok\\n2,caf\\xe9 au lait\\n")
    >>> try:
    ...     check_utf8(p, "x.csv", ["a", "b"])
    ... except Exception as e:
    ...     print(e)
    x.csv:3: column 'b': byte 0xe9 is not UTF-8 text. Fix: save the file as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)")
    >>> _ = p.write_bytes(b"a,b\\n1,ok\\n2," + b"x" * 100 + b"\\n")
    >>> try:
    ...     check_utf8(p, "x.csv", ["a", "b"], max_line=50)
    ... except Exception as e:
    ...     print(e)
    x.csv:3: line is longer than 50 bytes (a damaged file, or a quote never closed). Fix: download the file again
    """
    name = display or str(path)
    decoder = codecs.getincrementaldecoder("utf-8")()
    guard = LineGuard(max_line)
    offset = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(chunk_size):
            fault = guard.feed(chunk)
            if fault is not None:
                at, problem = fault
                line, _ = line_at(path, at)
                raise InputError(
                    f"line {problem}"
                    + (
                        " (a damaged file, or a quote never closed)"
                        if "longer" in problem
                        else ": not CSV text (a sparse or binary file?)"
                    ),
                    path=name,
                    line=line,
                    fix="download the file again",
                )
            if not (chunk.isascii() and not decoder.getstate()[0]):
                pending = len(decoder.getstate()[0])
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as err:
                    raise _decode_error_at(
                        path, offset - pending + err.start, name, header
                    ) from None
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise _decode_error_at(
                path, offset - len(decoder.getstate()[0]), name, header
            ) from None


def _decode_error_at(
    path: str | PathLike[str], offset: int, display: str, header: Sequence[str]
) -> InputError:
    """The :class:`InputError` for a byte that is not UTF-8 at ``offset`` of a file."""
    line, start = line_at(path, offset)
    with open(path, "rb") as fh:
        fh.seek(start)
        prefix = fh.read(max(offset - start, 0))
        bad = fh.read(1)
    fields = split_fields(prefix.decode("utf-8", errors="replace")) or [""]
    idx = max(len(fields) - 1, 0)
    return InputError(
        f"byte 0x{bad.hex()} is not UTF-8 text",
        path=display,
        line=line,
        column=header[idx] if idx < len(header) else None,
        fix='save the file as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)")',
    )


def check_months(
    checks: pd.DataFrame,
    local: dict[str, PoliceFile],
    *,
    column: str = "Month",
) -> list[QualityIssue]:
    """Validate the ``Month`` column values per file; return mismatch issues.

    ``checks`` has columns ``file`` (local path), ``value`` (the Month text) and ``n``
    (rows). A value that is not ``YYYY-MM`` or is in the future raises
    :class:`InputError` (with the line found by re-reading that file); a value that
    differs from the file name's month is counted as a :data:`MONTH_MISMATCH` issue.

    Examples
    --------
    >>> f = PoliceFile("street", "kent", pd.Period("2024-01", "M"), Path("x.csv"))
    >>> c = pd.DataFrame({"file": ["x.csv"], "value": ["2023-12"], "n": [4]})
    >>> [i.count for i in check_months(c, {"x.csv": f})]
    [4]
    """
    issues: list[QualityIssue] = []
    now = str(pd.Period.now("M"))
    col_idx = COLUMNS["street"].index(column)
    if not len(checks):
        return issues
    values = checks["value"].astype("object").where(checks["value"].notna(), "").astype("str")
    file_month = checks["file"].map({lp: str(f.month) for lp, f in local.items()})
    malformed = ((values != "") & ~values.str.match(MONTH_RE.pattern)).to_numpy()
    if malformed.any():
        i = int(np.argmax(malformed))
        fp, value = checks["file"].iloc[i], values.iloc[i]
        line = locate(fp, col_idx, lambda v: v == value)
        raise InputError(
            f"'{value}' is not a month in the form YYYY-MM",
            path=local[fp].display,
            line=line,
            column=column,
            fix="use the file as downloaded from data.police.uk (spreadsheet programs "
            "rewrite dates when they save)",
        )
    future = ((values != "") & (values > now)).to_numpy()
    if future.any():
        i = int(np.argmax(future))
        fp, value = checks["file"].iloc[i], values.iloc[i]
        line = locate(fp, col_idx, lambda v: v == value)
        raise InputError(
            f"month {value} is in the future",
            path=local[fp].display,
            line=line,
            column=column,
            fix="check the file; data.police.uk publishes past months only",
        )
    off = (values != file_month).to_numpy()
    if not off.any():
        return issues
    bad = checks[off].assign(value=values[off])
    for fp, g in bad.groupby("file", sort=True):
        f = local[str(fp)]
        n = int(g["n"].sum())
        shown = sorted({v if v else "(blank)" for v in g["value"]})
        first = shown[0]
        line = locate(fp, col_idx, lambda v, first=first: (v or "(blank)") == first)
        issues.append(
            QualityIssue(
                SOURCE[f.kind],
                f.display,
                line,
                column,
                MONTH_MISMATCH,
                f"{n} row(s) in the {f.month} file say {', '.join(shown)}; counted in {f.month}",
                n,
            )
        )
    return issues


def check_categories(
    checks: pd.DataFrame,
    local: dict[str, PoliceFile],
    *,
    unknown: str = "error",
) -> tuple[dict[str, str], list[QualityIssue]]:
    """Validate ``Crime type`` values; return a renaming map and issues.

    ``checks`` has columns ``file``, ``value`` (the Crime type text) and ``n``. Blank
    values raise :class:`InputError`; historic names are mapped (``Violent crime`` →
    ``Violence and sexual offences``) or kept when they cannot be mapped, with a
    :data:`HISTORIC_CATEGORY` issue; other names raise :class:`InputError` when
    ``unknown="error"`` and are kept under their own name with an
    :data:`UNKNOWN_CATEGORY` issue when ``unknown="keep"``.

    Examples
    --------
    >>> f = PoliceFile("street", "x", pd.Period("2012-01", "M"), Path("x.csv"))
    >>> c = pd.DataFrame({"file": ["x.csv"], "value": ["Violent crime"], "n": [3]})
    >>> rename, issues = check_categories(c, {"x.csv": f})
    >>> rename, issues[0].kind
    ({'Violent crime': 'Violence and sexual offences'}, 'historic_category')
    """
    if unknown not in ("error", "keep"):
        raise ValueError("unknown must be 'error' or 'keep'")
    known = set(ALL_CATEGORIES)
    col_idx = STREET_COLUMNS.index("Crime type")
    rename: dict[str, str] = {}
    issues: list[QualityIssue] = []
    odd = checks[~checks["value"].isin(known)]
    for (fp, value), g in odd.groupby(["file", "value"], sort=True, dropna=False):
        f = local[str(fp)]
        n = int(g["n"].sum())
        value = None if pd.isna(value) else str(value)
        if value is None or value.strip() == "":
            line = locate(fp, col_idx, lambda v: v.strip() == "")
            raise InputError(
                "Crime type is blank",
                path=f.display,
                line=line,
                column="Crime type",
                fix="every row needs one of the 14 data.police.uk categories; "
                "download the file again",
            )
        line = locate(fp, col_idx, lambda v, value=value: v == value)
        if re.search(r" \d{3}[A-Za-z]$", value):
            raise InputError(
                f"the row has an extra field: the LSOA name '{value.strip()}' landed in "
                "Crime type (a comma inside an unquoted value?)",
                path=f.display,
                line=line,
                column="Crime type",
                fix='put values that contain commas in double quotes ("On or near X, Y"), '
                "or download the file again",
            )
        if value in HISTORIC_CATEGORIES:
            target = HISTORIC_CATEGORIES[value]
            if target is not None:
                rename[value] = target
                msg = f"{n} row(s) of historic category '{value}' counted as '{target}'"
            else:
                msg = (
                    f"{n} row(s) of historic category '{value}' kept under that name (it was split)"
                )
            issues.append(
                QualityIssue(
                    SOURCE[f.kind], f.display, line, "Crime type", HISTORIC_CATEGORY, msg, n
                )
            )
            continue
        if unknown == "error":
            raise InputError(
                f"'{value}' is not one of the 14 data.police.uk crime categories",
                path=f.display,
                line=line,
                column="Crime type",
                fix="correct the category (see smp_analysis.categories.ALL_CATEGORIES), or "
                "pass --unknown-categories keep to count it under its own name",
            )
        issues.append(
            QualityIssue(
                SOURCE[f.kind],
                f.display,
                line,
                "Crime type",
                UNKNOWN_CATEGORY,
                f"{n} row(s) of unknown category '{value}' kept under that name",
                n,
            )
        )
    return rename, issues


def coverage_for(
    files: Sequence[PoliceFile],
    with_rows: Iterable[PoliceFile],
    *,
    start: pd.Period,
    end: pd.Period,
    rows: dict[tuple[str, str], int] | None = None,
) -> tuple[pd.DataFrame, list[QualityIssue]]:
    """Coverage table and missing-month issues per force for files of one kind.

    Examples
    --------
    >>> f = PoliceFile("street", "kent", pd.Period("2024-01", "M"), Path("x.csv"))
    >>> cov, issues = coverage_for([f], [f], start=f.month, end=f.month + 2)
    >>> cov["status"].tolist(), issues[0].message
    (['present', 'missing', 'missing'], 'kent: no file for 2024-02 – 2024-03')
    """
    rows = rows or {}
    frames = []
    issues: list[QualityIssue] = []
    have = {(f.kind, f.force, f.month) for f in with_rows}
    by_force: dict[tuple[str, str], list[PoliceFile]] = {}
    for f in files:
        by_force.setdefault((f.kind, f.force), []).append(f)
    for (kind, force), fs in sorted(by_force.items()):
        present = [f.month for f in fs if (kind, force, f.month) in have]
        empty = [f.month for f in fs if (kind, force, f.month) not in have]
        cov = coverage_frame(
            SOURCE[kind],
            force,
            present,
            start=start,
            end=end,
            rows={str(m): rows.get((force, str(m)), 0) for m in present},
            empty=empty,
        )
        frames.append(cov)
        for f in fs:
            if (kind, force, f.month) not in have:
                issues.append(
                    QualityIssue(
                        SOURCE[kind],
                        f.display,
                        None,
                        None,
                        EMPTY_FILE,
                        f"{Path(f.member or f.path).name} has a header but no rows; "
                        f"{f.month} treated as missing",
                        1,
                    )
                )
        missing = cov.loc[cov["status"] != "present", "month"]
        if len(missing):
            issues.append(
                QualityIssue(
                    SOURCE[kind],
                    None,
                    None,
                    None,
                    MISSING_MONTHS,
                    f"{force}: no file for {month_ranges(missing)}",
                    len(missing),
                )
            )
    cov_all = (
        pd.concat(frames, ignore_index=True)
        if frames
        else coverage_frame("x", "x", [], start=start, end=start).iloc[0:0]
    )
    return cov_all, issues
