"""Shared CSV checks for the readers: encoding, emptiness, header, row width, numbers.

Every check raises :class:`~smp_analysis.errors.InputError` naming the file, the line
(header = line 1), the column and the fix. Small tables (partner returns, Fingertips,
population, IMD) are read whole with the :mod:`csv` module, which gives exact line
numbers; data.police.uk files are streamed by DuckDB (see :mod:`.police_uk`) and use
:func:`check_header` and :func:`locate` from here.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> p = d / "t.csv"
>>> _ = p.write_text("a,b\\n1,2\\n3,x\\n")
>>> t = read_table(p, required=["a", "b"], what="test table")
>>> t["b"].tolist(), t["_line"].tolist()
(['2', 'x'], [2, 3])
>>> try:
...     parse_numbers(t, "b", path=p)
... except Exception as e:
...     print(e)
/...t.csv:3: column 'b': 'x' is not a number. Fix: give a plain number such as 12 or 3.5 (blank only where allowed)
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from .limits import MAX_LINE_BYTES, first_long_line, read_bytes, size_text

__all__ = [
    "read_text",
    "read_table",
    "check_header",
    "parse_numbers",
    "locate",
    "display_name",
    "source_column",
    "decode_error",
    "split_fields",
    "reject_first",
]

_NUM_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def display_name(path: str | PathLike[str]) -> str:
    """The file named in messages: the path as the user gave it.

    Examples
    --------
    >>> display_name(Path("data/raw/2024-01-kent-street.csv"))
    'data/raw/2024-01-kent-street.csv'
    """
    return str(path)


def split_fields(line: str) -> list[str]:
    """The fields of one CSV line, or the text split at commas if it is not valid CSV.

    Examples
    --------
    >>> split_fields('a,"b,c",d'), split_fields("a\\rb,c")
    (['a', 'b,c', 'd'], ['a\\rb', 'c'])
    """
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return line.split(",")


def decode_error(
    raw: bytes, err: UnicodeDecodeError, path: str, header: Sequence[str] = ()
) -> InputError:
    """An :class:`InputError` locating a non-UTF-8 byte by line and column.

    Examples
    --------
    >>> raw = b"a,b\\n1,caf\\xe9\\n"
    >>> try:
    ...     raw.decode("utf-8")
    ... except UnicodeDecodeError as e:
    ...     print(decode_error(raw, e, "x.csv", ["a", "b"]))
    x.csv:2: column 'b': byte 0xe9 is not UTF-8 text. Fix: save the file as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)")
    """
    line = raw.count(b"\n", 0, err.start) + 1
    line_start = raw.rfind(b"\n", 0, err.start) + 1
    prefix = raw[line_start : err.start].decode("utf-8", errors="replace")
    fields = split_fields(prefix) or [""]
    idx = max(len(fields) - 1, 0)
    column = header[idx] if idx < len(header) else None
    bad = raw[err.start : err.start + 1].hex()
    return InputError(
        f"byte 0x{bad} is not UTF-8 text",
        path=path,
        line=line,
        column=column,
        fix='save the file as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)")',
    )


def read_text(path: str | PathLike[str], *, what: str = "file", kind: str = "table") -> str:
    """Read a whole (optionally gzipped) UTF-8 file, checking it is not empty.

    Reading is bounded (:mod:`.limits`): the path must be a regular file, the text at
    most the limit for ``kind`` (gzip is inflated as a stream and stopped there), and no
    line longer than :data:`~.limits.MAX_LINE_BYTES`. A UTF-8 byte-order mark is
    removed; a file whose lines end with a carriage return alone (old Mac "CSV") is
    read with those as line breaks. Raises :class:`InputError` for a missing, empty,
    oversized or non-regular file, an overlong line, or bytes that are not UTF-8.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "e.csv"
    >>> _ = p.write_bytes(b"")
    >>> try:
    ...     read_text(p, what="partner returns file")
    ... except Exception as e:
    ...     print(e)
    /...e.csv: partner returns file is empty (0 bytes). Fix: export the data again; the file must start with a header line
    >>> _ = p.write_bytes(b"a,b\\r1,2\\r")
    >>> read_text(p).splitlines()
    ['a,b', '1,2']
    """
    p = Path(path)
    name = display_name(p)
    raw = read_bytes(
        p,
        kind=kind,
        what=what,
        fix="check the path (relative paths are read from the current folder)",
    )
    if not raw.strip():
        raise InputError(
            f"{what} is empty ({len(raw)} bytes)",
            path=name,
            fix="export the data again; the file must start with a header line",
        )
    if b"\n" not in raw and b"\r" in raw:
        raw = raw.replace(b"\r", b"\n")  # CR-only line endings
    long_line = first_long_line(raw, MAX_LINE_BYTES)
    if long_line is not None:
        raise InputError(
            f"line is longer than {size_text(MAX_LINE_BYTES)} (a damaged file, or not CSV text)",
            path=name,
            line=long_line,
            fix="export the data again as CSV",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        header = raw.split(b"\n", 1)[0].decode("utf-8", errors="replace").lstrip("\ufeff")
        raise decode_error(raw, err, name, split_fields(header)) from None
    return text.lstrip("\ufeff")


def check_header(
    header: Sequence[str],
    expected: Sequence[str],
    *,
    path: str,
    what: str,
    exact_order: bool = True,
) -> None:
    """Check a header row against the expected column names.

    Raises :class:`InputError` naming the first missing, unexpected or misplaced column.

    Examples
    --------
    >>> try:
    ...     check_header(["a", "c"], ["a", "b", "c"], path="f.csv", what="test file")
    ... except Exception as e:
    ...     print(e)
    f.csv:1: column 'b': header lacks column 'b' (found: a, c). Fix: a test file has the columns a, b, c
    """
    header = [h.strip() for h in header]
    want = ", ".join(expected)
    fix = f"a {what} has the columns {want}"
    missing = [c for c in expected if c not in header]
    if missing:
        close = [h for h in header if h.lower() == missing[0].lower()]
        hint = f" ('{close[0]}' differs only in case)" if close else ""
        found = ", ".join(header)
        if len(found) > 200:
            found = found[:197] + "..."
        raise InputError(
            f"header lacks column '{missing[0]}'{hint} (found: {found})",
            path=path,
            line=1,
            column=missing[0],
            fix=fix,
        )
    if exact_order:
        extra = [h for h in header if h not in expected]
        if extra:
            shown = extra[0] if len(extra[0]) <= 80 else extra[0][:77] + "..."
            raise InputError(
                f"unexpected column '{shown}'",
                path=path,
                line=1,
                column=shown,
                fix=fix,
            )
        for i, (got, exp) in enumerate(zip(header, expected, strict=False)):
            if got != exp:
                raise InputError(
                    f"column {i + 1} is '{got}' but should be '{exp}' (columns are out of order)",
                    path=path,
                    line=1,
                    column=got,
                    fix=f"keep the data.police.uk column order: {want}",
                )


def read_table(
    path: str | PathLike[str],
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    allow_extra: bool = True,
    what: str = "file",
    header_alias: Callable[[str], str] | None = None,
    labels: dict[str, str] | None = None,
    kind: str = "table",
) -> pd.DataFrame:
    """Read a small CSV whole, as strings, checking header and row widths.

    Parameters
    ----------
    path : path-like
        The CSV (``.gz`` allowed).
    required, optional : sequence of str
        Column names (after ``header_alias``) that must / may be present.
    allow_extra : bool
        Whether other columns are allowed (kept as they are) or an error.
    what : str
        What the file is, for messages ("partner returns file").
    header_alias : callable, optional
        Maps each header name to the name checked and returned (e.g. to strip
        ``" (where 1 is most deprived)"``).
    labels : dict, optional
        How to name a missing (aliased) column in messages, e.g.
        ``{"imd_rank": "Index of Multiple Deprivation (IMD) Rank"}``.
    kind : str
        Which size limit applies (a key of :data:`.limits.LIMITS`, e.g. ``"imd"``).

    Returns
    -------
    pandas.DataFrame
        One ``str`` column per header column (blank cells are ``""``), plus ``_line``,
        the 1-based line number of each row in the file. ``attrs["header"]`` maps each
        returned column name to the name in the file (for messages; see
        :func:`source_column`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("a,b\\n1\\n")
    >>> try:
    ...     read_table(p, required=["a", "b"])
    ... except Exception as e:
    ...     print(e)
    /...t.csv:2: column 'b': row has 1 field(s) but the header has 2 (a truncated or hand-edited row). Fix: complete the row or re-export the file; quote values that contain commas
    """
    name = display_name(path)
    text = read_text(path, what=what, kind=kind)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):  # pragma: no cover - read_text rejects empty files
        raise InputError(f"{what} has no header line", path=name, line=1) from None
    header = [h.strip() for h in header]
    original = dict(zip(header, header, strict=True))
    if header_alias is not None:
        original = {header_alias(h): h for h in header}
        header = [header_alias(h) for h in header]
    while header and header[-1] == "" and len(header) > len(required):
        header.pop()  # trailing comma after the last column name
    missing = [c for c in required if c not in header]
    if missing:
        labels = labels or {}
        want = labels.get(missing[0], missing[0])
        close = [h for h in original.values() if h.lower() == want.lower()]
        hint = f" ('{close[0]}' differs only in case)" if close else ""
        raise InputError(
            f"header lacks column '{want}'{hint}",
            path=name,
            line=1,
            column=want,
            fix=f"a {what} needs the columns {', '.join(labels.get(c, c) for c in required)}",
        )
    if not allow_extra:
        known = set(required) | set(optional)
        extra = [h for h in header if h not in known]
        if extra:
            raise InputError(
                f"unknown column '{extra[0]}'",
                path=name,
                line=1,
                column=extra[0],
                fix=f"use only the columns {', '.join([*required, *optional])}",
            )
    dupes = [h for h in header if header.count(h) > 1]
    if dupes:
        raise InputError(
            f"column '{dupes[0]}' appears twice in the header",
            path=name,
            line=1,
            column=dupes[0],
            fix="rename or remove one of them",
        )
    width = len(header)
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            if len(row) != width:
                if len(row) > width and not any(v.strip() for v in row[width:]):
                    row = row[:width]  # trailing empty fields
                else:
                    col = header[len(row)] if len(row) < width else None
                    raise InputError(
                        f"row has {len(row)} field(s) but the header has {width}"
                        + (" (a truncated or hand-edited row)" if len(row) < width else ""),
                        path=name,
                        line=reader.line_num,
                        column=col,
                        fix="complete the row or re-export the file; quote values that contain commas",
                    )
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as err:
        raise InputError(
            f"the row cannot be read as CSV ({err})",
            path=name,
            line=reader.line_num,
            fix='close the quote (a value that starts with " must end with ")',
        ) from None
    arr = np.array(rows, dtype=object).reshape(len(rows), width)
    df = pd.DataFrame({h: pd.array(arr[:, i], dtype="str") for i, h in enumerate(header)})
    for h in header:
        df[h] = df[h].str.strip()
    df["_line"] = np.array(lines, dtype="int64")
    df.attrs["header"] = {k: v for k, v in original.items() if k in header}
    return df


def source_column(df: pd.DataFrame, column: str) -> str:
    """The column's name as written in the file (before any alias).

    Examples
    --------
    >>> t = pd.DataFrame({"x": []})
    >>> t.attrs["header"] = {"x": "X (where 1 is high)"}
    >>> source_column(t, "x"), source_column(t, "y")
    ('X (where 1 is high)', 'y')
    """
    return str(df.attrs.get("header", {}).get(column, column))


def parse_numbers(
    df: pd.DataFrame,
    column: str,
    *,
    path: str | PathLike[str],
    integer: bool = False,
    minimum: float | None = None,
    positive: bool = False,
    allow_blank: bool = True,
    thousands: bool = True,
    fix: str | None = None,
) -> pd.Series:
    """Parse a string column of :func:`read_table` output as numbers, or raise at the first bad cell.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of :func:`read_table` (needs ``_line``).
    column : str
        Column to parse.
    path : path-like
        For messages.
    integer : bool
        Require whole numbers (returns ``Int64``); otherwise ``float64``.
    minimum : float, optional
        Smallest allowed value.
    positive : bool
        Require values > 0.
    allow_blank : bool
        Whether blank cells are allowed (they become missing).
    thousands : bool
        Accept thousands separators (``"29,199"``).
    fix : str, optional
        Override the suggested fix.

    Returns
    -------
    pandas.Series
        ``float64`` (``NaN`` for blanks) or ``Int64`` (``<NA>`` for blanks).

    Examples
    --------
    >>> t = pd.DataFrame({"v": ["1,234", "", "7"], "_line": [2, 3, 4]})
    >>> parse_numbers(t, "v", path="f.csv", integer=True).tolist()
    [1234, <NA>, 7]
    """
    name = display_name(path)
    shown = source_column(df, column)
    raw = df[column].astype("str").str.strip()
    blank = raw == ""
    clean = raw
    if thousands:
        tmask = raw.str.match(_THOUSANDS_RE.pattern)
        clean = raw.where(~tmask, raw.str.replace(",", "", regex=False))
    ok = clean.str.match(_NUM_RE.pattern) | blank
    lines = df["_line"].to_numpy()
    if not ok.all():
        i = int(np.argmax(~ok.to_numpy()))
        value = raw.iloc[i]
        hint = ""
        if value.endswith("%"):
            hint = " (drop the % sign: give 45 for 45%)"
        raise InputError(
            f"'{value}' is not a number{hint}",
            path=name,
            line=int(lines[i]),
            column=shown,
            fix=fix or "give a plain number such as 12 or 3.5 (blank only where allowed)",
        )
    if blank.any() and not allow_blank:
        i = int(np.argmax(blank.to_numpy()))
        raise InputError(
            "value is blank",
            path=name,
            line=int(lines[i]),
            column=shown,
            fix=fix or "fill in the value (this column is required)",
        )
    values = pd.to_numeric(clean.where(~blank, None), errors="raise").astype("float64")
    v = values.to_numpy()
    if integer:
        frac = ~np.isnan(v) & (v != np.floor(np.where(np.isnan(v), 0, v)))
        if frac.any():
            i = int(np.argmax(frac))
            raise InputError(
                f"'{raw.iloc[i]}' is not a whole number",
                path=name,
                line=int(lines[i]),
                column=shown,
                fix=fix or "give a whole number (a count)",
            )
    if minimum is not None:
        low = ~np.isnan(v) & (v < minimum)
        if low.any():
            i = int(np.argmax(low))
            raise InputError(
                f"value {raw.iloc[i]} is below {minimum:g}",
                path=name,
                line=int(lines[i]),
                column=shown,
                fix=fix or f"values must be {minimum:g} or more (a count cannot be negative)",
            )
    if positive:
        low = ~np.isnan(v) & (v <= 0)
        if low.any():
            i = int(np.argmax(low))
            raise InputError(
                f"value {raw.iloc[i]} is not above 0",
                path=name,
                line=int(lines[i]),
                column=shown,
                fix=fix or "values must be greater than 0",
            )
    if integer:
        return pd.Series(pd.array(v, dtype="Float64").astype("Int64"), index=df.index, name=column)
    return pd.Series(v, index=df.index, name=column)


def locate(
    path: str | PathLike[str],
    column: int,
    predicate: Callable[[str], bool],
) -> int | None:
    """1-based line of the first data row whose field ``column`` satisfies ``predicate``.

    Used on error paths only (after DuckDB found a bad value but not its line).
    Returns ``None`` when no row matches or the file cannot be read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("a,b\\n1,ok\\n2,bad\\n")
    >>> locate(p, 1, lambda v: v == "bad")
    3
    """
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
            reader = csv.reader(fh)
            next(reader, None)
            for row in reader:
                if column < len(row) and predicate(row[column]):
                    return reader.line_num
    except (OSError, csv.Error):
        return None
    return None


def reject_first(
    mask: pd.Series,
    problem: Callable[[int], str],
    *,
    path: str,
    lines: Sequence[int] | pd.Series,
    column: str | None,
    fix: str,
) -> None:
    """Raise an :class:`InputError` at the first row where ``mask`` is true (else do nothing).

    ``problem(i)`` words the problem for positional row ``i``; ``lines`` holds each row's
    1-based line in the file.

    Examples
    --------
    >>> m = pd.Series([False, True])
    >>> try:
    ...     reject_first(m, lambda i: f"row {i} is bad", path="f.csv", lines=[2, 3],
    ...                  column="x", fix="mend it")
    ... except InputError as e:
    ...     print(e)
    f.csv:3: column 'x': row 1 is bad. Fix: mend it
    """
    if not mask.any():
        return
    i = int(mask.to_numpy().argmax())
    line = lines.iloc[i] if isinstance(lines, pd.Series) else lines[i]
    raise InputError(problem(i), path=path, line=int(line), column=column, fix=fix)
