"""Archive zips: list their data.police.uk members safely and stage them on disk.

data.police.uk publishes each month an archive ``YYYY-MM.zip`` of monthly folders of
CSVs. :func:`zip_members` lists the members named like data.police.uk files and
:func:`staged` makes every file readable on disk for DuckDB: plain CSVs are read in
place, zip members are copied out to a private temporary folder removed afterwards.

**Hostile archives.** A zip is input like any other, so a member's name never decides
where it is written. Each member is copied out under its *base name* only (which
matches ``YYYY-MM-<force>-<kind>.csv``, so it holds no separator and no ``..``), into
a numbered folder of its own inside a folder made by :func:`tempfile.mkdtemp` (mode
0700), and the file is opened for exclusive creation. Before anything is read,
:func:`check_member` refuses, with a one-line :class:`~smp_analysis.errors.InputError`
naming ``zip[member]`` and a fix:

* an absolute member name (``/tmp/x/…``, ``\\\\server\\…``, ``C:/…``);
* a member name with a ``..`` part (``/`` and ``\\`` both count as separators);
* an encrypted member (general-purpose flag bit 0x1);
* a compression method other than stored (0), deflate (8), bzip2 (12) and LZMA (14),
  the ones Python's :mod:`zipfile` decompresses — e.g. deflate64 (9), which some
  Windows tools write for large files. data.police.uk itself uses deflate; bzip2 and LZMA
  are accepted because the standard library reads them with the same CRC-32 and size
  checks (each only if the interpreter was built with its module);
* a symbolic link, or any other file type than a regular file, in the Unix mode bits
  (``external_attr >> 16``);
* a member whose declared size is over 1 GiB, or (above 8 MiB) more than 200 times its
  compressed size — a decompression bomb (:mod:`.limits`). :mod:`zipfile` never
  returns more bytes than the declared size and checks the CRC-32 at the end, so the
  staged copy is bounded by it.

The checks run for every member whose base name is a data.police.uk file name, at
discovery (:func:`zip_members`, so a hostile archive is refused before any file is
read) and again in :func:`staged` (so a :class:`PoliceFile` made by hand cannot skip
them). Other members are never read or written.

Examples
--------
>>> import tempfile, pathlib, zipfile
>>> z = pathlib.Path(tempfile.mkdtemp()) / "2024-01.zip"
>>> with zipfile.ZipFile(z, "w") as zf:
...     zf.writestr("../../2024-01-kent-street.csv", "Crime ID\\n")
>>> try:
...     zip_members(z)
... except InputError as e:
...     print(e.problem.split(",")[0])
archive member's path has a '..' part
"""

from __future__ import annotations

import contextlib
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath

from ..errors import InputError
from .limits import LIMITS, ZIP_MAX_RATIO, MiB, size_text
from .police_uk_format import PoliceFile, parse_name

__all__ = ["SUPPORTED_COMPRESSION", "check_member", "zip_members", "staged"]


def _supported_compression() -> dict[int, str]:
    methods = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
    with contextlib.suppress(ImportError):
        import bz2  # noqa: F401

        methods[zipfile.ZIP_BZIP2] = "bzip2"
    with contextlib.suppress(ImportError):
        import lzma  # noqa: F401

        methods[zipfile.ZIP_LZMA] = "lzma"
    return methods


#: Compression methods a member may use: ``method number → name``.
SUPPORTED_COMPRESSION: dict[int, str] = _supported_compression()

#: Names of other methods, for messages (APPNOTE.TXT 4.4.5).
_METHOD_NAMES = {
    1: "shrink",
    6: "implode",
    9: "deflate64",
    10: "PKWARE implode",
    18: "IBM TERSE",
    19: "IBM LZ77",
    93: "zstandard",
    95: "xz",
    96: "JPEG",
    97: "WavPack",
    98: "PPMd",
    99: "AES-encrypted",
}
_ABSOLUTE_RE = re.compile(r"^(?:[/\\]|[A-Za-z]:)")
_FIX_ORIGINAL = (
    "pass the archive as downloaded from data.police.uk (`smp-analysis fetch`) or the CSV "
    "files themselves"
)
_FIX_PATH = _FIX_ORIGINAL + "; its members are relative paths like 2024-01/2024-01-kent-street.csv"


def _printable(name: str) -> str:
    """The member name with control characters escaped, safe to print on one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


def _refuse(zpath: Path, member: str, problem: str, fix: str) -> InputError:
    return InputError(problem, path=f"{zpath}[{_printable(member)}]", fix=fix)


def check_member(zpath: str | Path, info: zipfile.ZipInfo) -> None:
    """Raise :class:`InputError` if an archive member is not safe to read.

    Refused: an absolute name, a name with a ``..`` part, a symbolic link or other
    non-regular file, an encrypted member, an oversized or over-compressed member, a
    compression method not in :data:`SUPPORTED_COMPRESSION` (see the module docstring).

    Examples
    --------
    >>> import zipfile
    >>> check_member("a.zip", zipfile.ZipInfo("2024-01/2024-01-kent-street.csv")) is None
    True
    >>> try:
    ...     check_member("a.zip", zipfile.ZipInfo("/tmp/2024-01-kent-street.csv"))
    ... except InputError as e:
    ...     print(e.path, e.problem.split(",")[0])
    a.zip[/tmp/2024-01-kent-street.csv] archive member has an absolute path
    """
    zpath = Path(zpath)
    name = info.filename
    if _ABSOLUTE_RE.match(name):
        raise _refuse(
            zpath,
            name,
            "archive member has an absolute path, which would be written outside the "
            "staging folder",
            _FIX_PATH,
        )
    if ".." in re.split(r"[/\\]", name):
        raise _refuse(
            zpath,
            name,
            "archive member's path has a '..' part, which would be written outside the "
            "staging folder",
            _FIX_PATH,
        )
    file_type = stat.S_IFMT(info.external_attr >> 16)
    if file_type == stat.S_IFLNK:
        raise _refuse(zpath, name, "archive member is a symbolic link, not a file", _FIX_ORIGINAL)
    if file_type not in (0, stat.S_IFREG):
        raise _refuse(
            zpath,
            name,
            f"archive member is not a regular file (Unix file type {file_type:#o})",
            _FIX_ORIGINAL,
        )
    if info.flag_bits & 0x1:
        raise _refuse(
            zpath,
            name,
            "archive member is encrypted (password-protected)",
            "pass an archive without a password: download it again from data.police.uk, "
            "or unzip it yourself and pass the folder",
        )
    if info.file_size > LIMITS["police_uk"]:
        raise _refuse(
            zpath,
            name,
            f"archive member would inflate to {size_text(info.file_size)}, over the "
            f"{size_text(LIMITS['police_uk'])} limit for one data.police.uk file",
            _FIX_ORIGINAL,
        )
    if info.file_size > 8 * MiB and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
        raise _refuse(
            zpath,
            name,
            f"archive member would inflate {info.file_size // max(info.compress_size, 1):,} "
            f"times (from {size_text(info.compress_size)} to {size_text(info.file_size)}): "
            "not CSV text, or a decompression bomb",
            _FIX_ORIGINAL,
        )
    if info.compress_type not in SUPPORTED_COMPRESSION:
        method = _METHOD_NAMES.get(info.compress_type, "unknown")
        readable = ", ".join(SUPPORTED_COMPRESSION.values())
        raise _refuse(
            zpath,
            name,
            f"archive member uses compression method {info.compress_type} ({method}), "
            f"which cannot be read (readable: {readable})",
            "re-create the zip with standard (deflate) compression, or unzip it yourself "
            "and pass the folder",
        )


def zip_members(path: Path) -> list[PoliceFile]:
    """The data.police.uk files in an archive zip, each checked by :func:`check_member`.

    Members whose base name is not ``YYYY-MM-<force>-<kind>.csv`` are skipped unread.

    Examples
    --------
    >>> import tempfile, pathlib, zipfile
    >>> z = pathlib.Path(tempfile.mkdtemp()) / "2024-01.zip"
    >>> with zipfile.ZipFile(z, "w") as zf:
    ...     zf.writestr("2024-01/2024-01-kent-street.csv", "Crime ID\\n")
    ...     zf.writestr("2024-01/readme.txt", "x")
    >>> [f.member for f in zip_members(z)]
    ['2024-01/2024-01-kent-street.csv']
    """
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as err:
        raise InputError(
            f"not a readable zip archive ({err})",
            path=str(path),
            fix="download the archive again (`smp-analysis fetch` resumes and verifies downloads)",
        ) from None
    out = []
    for info in infos:
        if info.is_dir():
            continue
        parsed = parse_name(PurePosixPath(info.filename).name)
        if parsed is None:
            continue
        check_member(path, info)
        month, force, kind = parsed
        out.append(PoliceFile(kind, force, month, path, info.filename, info.file_size, info.CRC))
    return out


@contextlib.contextmanager
def staged(files: Sequence[PoliceFile]) -> Iterator[dict[str, PoliceFile]]:
    """Make every file readable on disk: zip members are extracted to a temporary folder.

    Yields a mapping ``local path → PoliceFile``; the temporary folder is removed on exit.
    Each member is checked (:func:`check_member`) and written as
    ``<private temp folder>/<n>/<base name>``, never under its name in the zip. A
    hostile or damaged member (CRC mismatch) raises :class:`InputError`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> from smp_analysis.sources.police_uk_format import STREET_COLUMNS
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "2024-01-kent-street.csv"
    >>> _ = p.write_text(",".join(STREET_COLUMNS) + "\\n")
    >>> f = PoliceFile("street", "kent", pd.Period("2024-01", "M"), p)
    >>> with staged([f]) as local:
    ...     list(local.values()) == [f]
    True
    """
    tmp: str | None = None
    local: dict[str, PoliceFile] = {}
    try:
        by_zip: dict[Path, list[PoliceFile]] = {}
        for f in files:
            if f.member is None:
                local[str(f.path)] = f
            else:
                by_zip.setdefault(f.path, []).append(f)
        if by_zip:
            tmp = tempfile.mkdtemp(prefix="smp-police-uk-")  # mode 0700: private to this user
            n = 0
            for zpath, members in by_zip.items():
                with zipfile.ZipFile(zpath) as zf:
                    for f in members:
                        local[str(_stage_member(zf, zpath, f, Path(tmp) / str(n)))] = f
                        n += 1
        yield local
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _stage_member(zf: zipfile.ZipFile, zpath: Path, f: PoliceFile, folder: Path) -> Path:
    """Check one member and copy it to ``folder/<base name>``; return that path."""
    member = f.member or ""
    try:
        info = zf.getinfo(member)
    except KeyError:
        raise _refuse(
            zpath,
            member,
            "archive member is missing (was the archive replaced while reading?)",
            "run again; if it recurs, download the archive again",
        ) from None
    check_member(zpath, info)
    name = PurePosixPath(member).name
    if parse_name(name) is None:
        raise _refuse(
            zpath,
            member,
            "archive member is not named YYYY-MM-<force>-<kind>.csv",
            _FIX_ORIGINAL,
        )
    folder.mkdir()
    target = folder / name
    try:
        with zf.open(info) as src, open(target, "xb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:
        raise InputError(
            f"archive member is damaged ({err})",
            path=f.display,
            fix="download the archive again (`smp-analysis fetch` verifies downloads)",
        ) from None
    return target
