"""Bounded reading: how much of each input is read, and what is refused before reading.

Every input is hostile until checked. A file is read only when it is a **regular
file** (not a folder, FIFO, device, socket or a symbolic-link loop: :func:`check_file`),
and never more than the limit for its kind. Small tables and YAML files are read into
memory whole, so their size is capped *before* reading (``os.stat``) and again while
reading (a file that grows, or a ``.gz`` that inflates, stops at the cap).
data.police.uk CSVs are streamed (UTF-8, line-length and NUL checks in 16 MB chunks,
then DuckDB), so their cap only bounds time and disk, not memory.

Limits (bytes of text after decompression; errors are one-line
:class:`~smp_analysis.errors.InputError` naming the file and the fix):

| input (kind)                               | limit          | why this much                       |
|--------------------------------------------|----------------|-------------------------------------|
| config YAML (``config``)                   | 1 MiB          | a real config is 5-20 KB            |
| narrative YAML (``narrative``)             | 1 MiB          | a year of analysts' paragraphs      |
| partner returns (``partner_returns``)      | 64 MiB         | a long-format return is < 5 MB      |
| Fingertips export (``fingertips``)         | 128 MiB        | all areas x a profile's indicators  |
| population (``population``)                | 64 MiB         | Census 2021 by LSOA and age, ~3 MB  |
| ethnic-group population (``ethnicity``)    | 64 MiB         | a Nomis table, < 10 MB              |
| IMD 2019 (``imd``)                         | 64 MiB         | File 7 (all scores and ranks) 15 MB |
| survey responses (``survey``)              | 128 MiB        | 50,000 respondents x 30 questions   |
| ONS lookups (``lookup``)                   | 128 MiB        | LSOA -> ward -> district, ~5 MB     |
| ``--lsoas`` LSOA list (``lsoa_list``)      | 64 MiB         | one row per LSOA, ~3 MB             |
| other small tables (``table``)             | 64 MiB         |                                     |
| data.police.uk CSV, each (``police_uk``)   | 1 GiB          | the largest force-month is ~40 MB   |
| archive-zip member, each                   | 1 GiB declared | and at most 200:1 compressed        |
| any CSV line (:data:`MAX_LINE_BYTES`)      | 1 MiB          | real lines are < 1 KB               |
| data.police.uk header line                 | 64 KiB         | the real one is 150 bytes           |

Per line and per structure:

* **a line** of any CSV: at most :data:`MAX_LINE_BYTES` (1 MiB; the longest real line
  is a few hundred bytes). A longer line is an error naming the file and line — DuckDB
  would otherwise drop it without a word, and a month whose only row was dropped would
  be reported as "no rows". The header of a data.police.uk file must end within
  :data:`MAX_HEADER_BYTES` (64 KiB).
* **NUL bytes** are refused in data.police.uk files (a sparse, binary or UTF-16 file).
* **gzip** (``.gz`` or the gzip magic bytes) is inflated as a stream: it stops at the
  kind's limit, and once :data:`GZIP_RATIO_AFTER` bytes are out, at a ratio above
  :data:`GZIP_MAX_RATIO` to 1 (CSV text compresses 5-15 to 1; a decompression bomb
  1000 to 1).
* **YAML** (:mod:`.yaml_load`): at most :data:`YAML_MAX_DEPTH` levels of nesting,
  :data:`YAML_MAX_ALIASES` aliases and :data:`YAML_MAX_NODES` nodes once aliases are
  expanded (a "billion laughs" file of 7 KB expands to 10^9 nodes).

Memory: a small table is held as text and then as Python strings, about 10-15 times
its size, so the 64 MiB tables stay under 1 GB; data.police.uk files are never held
whole.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> try:
...     check_file(d, what="IMD file")
... except InputError as e:
...     print(e.problem)
IMD file is a folder, not a file
>>> first_long_line(b"ab\\ncdef\\ng\\n", 3)
2
"""

from __future__ import annotations

import errno
import gzip
import os
import stat
import zlib
from os import PathLike
from pathlib import Path

from ..errors import InputError

__all__ = [
    "KiB",
    "MiB",
    "GiB",
    "LIMITS",
    "MAX_LINE_BYTES",
    "MAX_HEADER_BYTES",
    "GZIP_MAX_RATIO",
    "GZIP_RATIO_AFTER",
    "ZIP_MAX_RATIO",
    "YAML_MAX_DEPTH",
    "YAML_MAX_ALIASES",
    "YAML_MAX_NODES",
    "limit_for",
    "size_text",
    "check_file",
    "check_folder",
    "read_bytes",
    "first_long_line",
    "LineGuard",
    "line_at",
]

KiB = 1 << 10
MiB = 1 << 20
GiB = 1 << 30

#: Bytes of (decompressed) text read at most, per kind of input (see the module docstring).
LIMITS: dict[str, int] = {
    "config": 1 * MiB,
    "narrative": 1 * MiB,
    "action_log": 4 * MiB,
    "partner_returns": 64 * MiB,
    "fingertips": 128 * MiB,
    "population": 64 * MiB,
    "ethnicity": 64 * MiB,
    "imd": 64 * MiB,
    "survey": 128 * MiB,
    "lookup": 128 * MiB,
    "lsoa_list": 64 * MiB,
    "table": 64 * MiB,
    "police_uk": 1 * GiB,
}
#: Longest line accepted in any CSV, in bytes (without the line break).
MAX_LINE_BYTES = 1 * MiB
#: The header line of a data.police.uk file must end within this many bytes.
MAX_HEADER_BYTES = 64 * KiB
#: Largest inflated : compressed ratio of a gzip file (checked after GZIP_RATIO_AFTER bytes).
GZIP_MAX_RATIO = 100
#: Bytes inflated before the gzip ratio is checked (small files may compress very well).
GZIP_RATIO_AFTER = 8 * MiB
#: Largest declared size : compressed size of an archive-zip member (above 8 MiB).
ZIP_MAX_RATIO = 200
#: Deepest nesting of mappings and lists in a YAML file.
YAML_MAX_DEPTH = 64
#: Most aliases (``*name``) in a YAML file.
YAML_MAX_ALIASES = 1000
#: Most nodes in a YAML file with every alias expanded.
YAML_MAX_NODES = 200_000

_CHUNK = 1 * MiB


def limit_for(kind: str) -> int:
    """The byte limit of one kind of input (``"table"``'s for an unknown kind).

    Examples
    --------
    >>> limit_for("config") == MiB, limit_for("something else") == limit_for("table")
    (True, True)
    """
    return LIMITS.get(kind, LIMITS["table"])


def size_text(n: int) -> str:
    """Bytes in words for messages.

    Examples
    --------
    >>> size_text(1 << 20), size_text(3 * (1 << 30)), size_text(512)
    ('1 MB', '3 GB', '512 bytes')
    """
    for unit, size in (("GB", GiB), ("MB", MiB), ("KB", KiB)):
        if n >= size:
            value = n / size
            return (
                f"{value:.0f} {unit}"
                if value >= 10 or value == int(value)
                else f"{value:.1f} {unit}"
            )
    return f"{n} bytes"


def check_file(
    path: str | PathLike[str],
    *,
    what: str = "file",
    column: str | None = None,
    error: type[InputError] = InputError,
    fix: str | None = None,
) -> os.stat_result:
    """Refuse anything but an existing regular file; return its ``os.stat`` result.

    Symbolic links are followed (a link to a regular file is fine); a link loop, a
    folder, a FIFO, a device or a socket is an ``error`` (an :class:`InputError`
    subclass) naming the path. Nothing is opened, so a FIFO cannot block.

    Examples
    --------
    >>> try:
    ...     check_file("/dev/null", what="narrative file", column="narrative")
    ... except InputError as e:
    ...     print(e)
    /dev/null: column 'narrative': narrative file is a character device, not a regular file. Fix: give the path of a regular file (not a device, FIFO or socket)
    """
    p = Path(path)
    try:
        st = os.stat(p)
    except OSError as err:
        raise _stat_error(err, p, what, column, error, fix) from None
    except ValueError:  # an embedded NUL byte in the path
        raise error(
            f"{what} path holds a NUL byte",
            path=repr(str(p))[1:-1],
            column=column,
            fix="correct the path",
        ) from None
    if stat.S_ISREG(st.st_mode):
        return st
    if stat.S_ISDIR(st.st_mode):
        raise error(
            f"{what} is a folder, not a file",
            path=p,
            column=column,
            fix=fix or "give the path of the file itself",
        )
    kind = (
        "a FIFO (named pipe)"
        if stat.S_ISFIFO(st.st_mode)
        else "a character device"
        if stat.S_ISCHR(st.st_mode)
        else "a block device"
        if stat.S_ISBLK(st.st_mode)
        else "a socket"
        if stat.S_ISSOCK(st.st_mode)
        else "not a regular file"
    )
    raise error(
        f"{what} is {kind}, not a regular file"
        if kind != "not a regular file"
        else f"{what} is {kind}",
        path=p,
        column=column,
        fix="give the path of a regular file (not a device, FIFO or socket)",
    )


def check_folder(
    path: str | PathLike[str],
    *,
    what: str = "output folder",
    column: str | None = None,
    error: type[InputError] = InputError,
) -> Path:
    """Refuse an output folder that cannot be made or written, before anything is written.

    The folder may not exist yet; its nearest existing ancestor must be a folder (not a
    file) that this user may write to. Returns the path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
    >>> _ = f.write_text("x")
    >>> try:
    ...     check_folder(f / "reports", column="--out")
    ... except InputError as e:
    ...     print(e.problem)
    output folder cannot be made: notes.txt is a file, not a folder
    """
    p = Path(path)
    try:
        probe = p
        while True:
            try:
                st = os.stat(probe)
                break
            except (FileNotFoundError, NotADirectoryError):
                if probe.parent == probe:
                    return p
                probe = probe.parent
    except ValueError:
        raise error(
            f"{what} path holds a NUL byte", column=column, fix="correct the path"
        ) from None
    except OSError as err:
        raise _stat_error(err, p, what, column, error, None) from None
    if not stat.S_ISDIR(st.st_mode):
        problem = (
            f"{what} is a file, not a folder"
            if probe == p
            else f"{what} cannot be made: {probe.name} is a file, not a folder"
        )
        raise error(problem, path=p, column=column, fix="choose a folder, or move the file away")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise error(
            f"{what} cannot be written (permission denied on {probe})",
            path=p,
            column=column,
            fix="choose a folder you can write to, or change its permissions",
        )
    return p


def _stat_error(
    err: OSError,
    p: Path,
    what: str,
    column: str | None,
    error: type[InputError],
    fix: str | None,
) -> InputError:
    if err.errno == errno.ELOOP:
        return error(
            f"{what} path is a loop of symbolic links",
            path=p,
            column=column,
            fix="point the link at the real file (see `ls -l`)",
        )
    if err.errno in (errno.ENOENT, errno.ENOTDIR):
        return error(
            f"{what} not found",
            path=p,
            column=column,
            fix=fix or "check the path (relative paths are read from the current folder)",
        )
    if err.errno == errno.ENAMETOOLONG:
        return error(
            f"{what} path is too long for the file system",
            path=str(p)[:200] + "...",
            column=column,
            fix="shorten the path",
        )
    if err.errno in (errno.EACCES, errno.EPERM):
        return error(
            f"{what} cannot be read (permission denied)",
            path=p,
            column=column,
            fix="check the file's permissions",
        )
    return error(
        f"{what} cannot be read ({err.strerror or err})",
        path=p,
        column=column,
        fix=fix or "check the path",
    )


def _too_big(p: Path, what: str, limit: int, column: str | None, error: type[InputError]):
    return error(
        f"{what} is larger than {size_text(limit)}, the limit for this input",
        path=p,
        column=column,
        fix="check that this is the right file (see smp_analysis/sources/limits.py for "
        "the limits); split or filter it to the area",
    )


def read_bytes(
    path: str | PathLike[str],
    *,
    kind: str = "table",
    what: str = "file",
    column: str | None = None,
    error: type[InputError] = InputError,
    gunzip: bool = True,
    fix: str | None = None,
) -> bytes:
    """Read a regular file whole, within its kind's limit, inflating gzip as a stream.

    Gzip is recognised by a ``.gz`` suffix or the magic bytes ``1f 8b``. Raises
    ``error`` (an :class:`InputError`) for a path that is not a regular file
    (:func:`check_file`), a file or inflated content over :func:`limit_for` ``(kind)``,
    a gzip ratio above :data:`GZIP_MAX_RATIO`, or a damaged gzip file.

    Examples
    --------
    >>> import tempfile, pathlib, gzip
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv.gz"
    >>> _ = p.write_bytes(gzip.compress(b"a,b\\n1,2\\n"))
    >>> read_bytes(p)
    b'a,b\\n1,2\\n'
    >>> _ = p.write_bytes(gzip.compress(b"x" * (2 << 20)))
    >>> try:
    ...     read_bytes(p, kind="config", what="config file")
    ... except InputError as e:
    ...     print(e.problem[:26])
    config file inflates to mo...
    """
    p = Path(path)
    limit = limit_for(kind)
    st = check_file(p, what=what, column=column, error=error, fix=fix)
    if st.st_size > limit:
        raise _too_big(p, what, limit, column, error)
    try:
        with open(p, "rb") as fh:
            head = fh.read(2)
            if gunzip and (head == b"\x1f\x8b" or p.suffix.lower() == ".gz"):
                fh.seek(0)
                return _gunzip(fh, p, what, limit, column, error)
            data = head + fh.read(limit + 1 - len(head))
    except OSError as err:
        raise _stat_error(err, p, what, column, error, None) from None
    if len(data) > limit:  # grew while being read
        raise _too_big(p, what, limit, column, error)
    return data


def _gunzip(
    fh, p: Path, what: str, limit: int, column: str | None, error: type[InputError]
) -> bytes:
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=fh, mode="rb") as gz:
            while chunk := gz.read(_CHUNK):
                out += chunk
                if len(out) > limit:
                    raise error(
                        f"{what} inflates to more than {size_text(limit)}, the limit for this input",
                        path=p,
                        column=column,
                        fix="check that this is the right file; a small .gz that inflates "
                        "to gigabytes is a decompression bomb",
                    )
                if len(out) >= GZIP_RATIO_AFTER and len(out) > GZIP_MAX_RATIO * max(fh.tell(), 1):
                    raise error(
                        f"{what} inflates more than {GZIP_MAX_RATIO} times "
                        f"({size_text(fh.tell())} gave {size_text(len(out))} so far): "
                        "not CSV text, or a decompression bomb",
                        path=p,
                        column=column,
                        fix="use the file as downloaded, or unzip it and pass the .csv",
                    )
    except (OSError, EOFError, zlib.error) as err:
        raise error(
            f"{what} is not a valid gzip file ({err})",
            path=p,
            column=column,
            fix="download the file again, or unzip it and pass the .csv",
        ) from None
    return bytes(out)


def _overlong_at(data: bytes | bytearray, start: int, limit: int, carry: int) -> tuple[int, int]:
    """Scan ``data[start:]`` for a line longer than ``limit``.

    ``carry`` bytes of the line that ``data[start:]`` begins had been seen before.
    Returns ``(offset, carry)``: the offset where the overlong line starts (``-1`` if
    none; ``start`` for the carried line) and the length of the unfinished last line.
    Checks every line in about ``2 * len(data) / limit`` searches: from each line start
    it looks for the *last* line break within ``limit`` bytes.
    """
    n = len(data)
    pos, budget = start, limit - carry
    while True:
        window_end = min(n, pos + budget + 1)
        nl = data.rfind(b"\n", pos, window_end)
        if nl == -1:
            if window_end == n and n - pos <= budget:
                return -1, (limit - budget) + (n - pos)
            return pos, 0
        pos, budget = nl + 1, limit


def first_long_line(data: bytes | bytearray, limit: int = MAX_LINE_BYTES) -> int | None:
    """1-based number of the first line longer than ``limit`` bytes (``None`` if none).

    Lines end with ``\\n`` (a ``\\r`` before it counts as part of the line).

    Examples
    --------
    >>> first_long_line(b"short\\n" + b"x" * 11 + b"\\nok", 10)
    2
    >>> first_long_line(b"a\\n" * 5, 10) is None
    True
    """
    at, _ = _overlong_at(data, 0, limit, 0)
    if at == -1:
        return None
    return data.count(b"\n", 0, at) + 1


class LineGuard:
    """Streaming check of line lengths (and NUL bytes) over the chunks of one file.

    Feed the file's bytes in order with :meth:`feed`; it returns ``None`` while all is
    well, else ``(offset, problem)``: the byte offset in the file where the first line
    longer than ``limit`` bytes starts, or of the first NUL byte. Line breaks are not
    counted on the way (that would slow the pass over large files); :func:`line_at`
    turns the offset into a line number.

    Examples
    --------
    >>> g = LineGuard(limit=8)
    >>> g.feed(b"abc\\nde"), g.feed(b"fgh\\nij"), g.feed(b"klmnopq\\n")
    (None, None, (10, 'is longer than 8 bytes'))
    >>> LineGuard().feed(b"a\\nb\\x00c\\n")
    (3, 'holds a NUL byte')
    """

    def __init__(self, limit: int = MAX_LINE_BYTES, *, nul: bool = True) -> None:
        self.limit = limit
        self.nul = nul
        self.offset = 0  # bytes fed so far
        self.carry = 0  # bytes of the unfinished line at the end of the last chunk

    def feed(self, chunk: bytes | bytearray) -> tuple[int, str] | None:
        """Check the next chunk; ``(offset, problem)`` at the first fault, else ``None``."""
        found: list[tuple[int, str]] = []
        at, carry = _overlong_at(chunk, 0, self.limit, self.carry)
        if at != -1:
            start = self.offset + at - (self.carry if at == 0 else 0)
            found.append((start, f"is longer than {size_text(self.limit)}"))
        if self.nul:
            z = chunk.find(b"\0")
            if z != -1:
                found.append((self.offset + z, "holds a NUL byte"))
        if found:
            return min(found)
        self.offset += len(chunk)
        self.carry = carry
        return None


def line_at(
    path: str | PathLike[str], offset: int, *, chunk_size: int = 16 * MiB
) -> tuple[int, int]:
    """``(line, line_start)``: the 1-based line holding byte ``offset`` of a file, and the
    offset where that line starts (streamed; for error messages).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = p.write_bytes(b"ab\\ncd\\nef")
    >>> line_at(p, 4), line_at(p, 0)
    ((2, 3), (1, 0))
    """
    line, start, pos = 1, 0, 0
    with open(path, "rb") as fh:
        while pos < offset and (chunk := fh.read(min(chunk_size, offset - pos))):
            n = chunk.count(b"\n")
            if n:
                line += n
                start = pos + chunk.rindex(b"\n") + 1
            pos += len(chunk)
    return line, start
