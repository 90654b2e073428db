"""Download data.police.uk archives and extract one force's files.

data.police.uk publishes each month an archive ``YYYY-MM.zip`` holding the **36
months ending that month** (``YYYY-MM/YYYY-MM-<force>-street.csv``, ``-outcomes.csv``
and ``-stop-and-search.csv`` for every force). :func:`archives_for` picks the fewest
archives covering a span — the one ending at the span's last month, then the one
ending 36 months before the first one starts, and so on.

:func:`download` resumes an interrupted download with an HTTP ``Range`` request
(appending to ``<name>.part``; a server that ignores ``Range`` is detected by its
``200`` reply and the download restarts), retries dropped connections, checks the
size against ``Content-Length`` / ``Content-Range`` and that the result opens as a zip,
and only then renames it into place. :func:`extract_force` copies out only the
force's members for the months asked for; zip CRC-32 checks run while they are read.
Progress bars (tqdm) are shown only when stderr is a terminal.

Examples
--------
>>> [str(a) for a in archives_for("2022-04", "2025-03")]
['2025-03']
>>> [str(a) for a in archives_for("2019-01", "2025-03")]
['2025-03', '2022-03', '2019-03']
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import pandas as pd

from ..errors import InputError, SmpError
from ..quality import month_ranges
from .limits import check_folder
from .police_uk import FILE_NAME_RE
from .police_uk_archives import check_member
from .police_uk_format import FIRST_MONTH

__all__ = [
    "ARCHIVE_MONTHS",
    "DEFAULT_BASE_URL",
    "FetchError",
    "FetchResult",
    "archives_for",
    "download",
    "extract_force",
    "fetch",
    "fetch_main",
]

#: Months held by one data.police.uk archive.
ARCHIVE_MONTHS = 36
DEFAULT_BASE_URL = "https://data.police.uk/data/archive/"
_KINDS = ("street", "outcomes", "stop-and-search")
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class FetchError(SmpError):
    """A download failed (network, server or a damaged archive); exit code 1.

    Examples
    --------
    >>> FetchError("connection reset").exit_code
    1
    """

    exit_code = 1


@dataclass(frozen=True)
class FetchResult:
    """What :func:`fetch` did.

    Attributes
    ----------
    archives : tuple of pathlib.Path
        The archive zips used (downloaded or already present).
    files : tuple of pathlib.Path
        Extracted CSVs (``<out>/YYYY-MM/YYYY-MM-<force>-<kind>.csv``).
    missing_months : tuple of str
        Months of the span for which the archives hold no street file for the force.

    Examples
    --------
    >>> FetchResult((), (), ("2024-01",)).missing_months
    ('2024-01',)
    """

    archives: tuple[Path, ...]
    files: tuple[Path, ...]
    missing_months: tuple[str, ...]


def _month(value: object, option: str) -> pd.Period:
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text) or text < str(FIRST_MONTH):
        raise InputError(
            f"'{value}' is not a month of data.police.uk (they run from {FIRST_MONTH})",
            column=option,
            fix="write months as YYYY-MM, from 2010-12",
        )
    return pd.Period(text, freq="M")


def archives_for(start: object, end: object) -> list[pd.Period]:
    """The fewest archives (named by their last month) whose months cover ``start..end``.

    Parameters
    ----------
    start, end : month-like
        First and last month wanted.

    Returns
    -------
    list of pandas.Period
        Archive months, newest first; archive ``m`` holds ``m - 35`` … ``m``.

    Examples
    --------
    >>> [str(a) for a in archives_for("2024-01", "2024-06")]
    ['2024-06']
    >>> [str(a) for a in archives_for("2021-03", "2024-03")]
    ['2024-03', '2021-03']
    """
    lo, hi = pd.Period(start, freq="M"), pd.Period(end, freq="M")
    if lo > hi:
        raise ValueError(f"start {lo} is after end {hi}")
    out = []
    last = hi
    while True:
        out.append(last)
        first = last - (ARCHIVE_MONTHS - 1)
        if first <= lo:
            return out
        last = first - 1


def _progress(total: int | None, initial: int, desc: str, enabled: bool | None):
    from tqdm import tqdm

    disable = not sys.stderr.isatty() if enabled is None else not enabled
    return tqdm(
        total=total,
        initial=initial,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc=desc,
        disable=disable,
        file=sys.stderr,
    )


def _content_range(value: str | None) -> tuple[int, int | None] | None:
    m = re.match(r"bytes (\d+)-(\d+)/(\d+|\*)", value or "")
    if not m:
        return None
    return int(m.group(1)), None if m.group(3) == "*" else int(m.group(3))


def download(
    url: str,
    dest: str | PathLike[str],
    *,
    retries: int = 3,
    timeout: float = 60.0,
    chunk_size: int = 1 << 20,
    progress: bool | None = None,
    verify_zip: bool = True,
) -> Path:
    """Download ``url`` to ``dest``, resuming a partial ``dest.part`` with HTTP Range.

    Parameters
    ----------
    url : str
        What to fetch.
    dest : path-like
        Final file; bytes go to ``<dest>.part`` until complete and verified.
    retries : int
        Connection failures tolerated; each retry resumes where the last stopped.
    timeout : float
        Socket timeout in seconds.
    chunk_size : int
        Bytes per read.
    progress : bool, optional
        Show a progress bar; default: only when stderr is a terminal.
    verify_zip : bool
        Check that the result opens as a zip (its central directory is intact).

    Returns
    -------
    pathlib.Path
        ``dest``.

    Raises
    ------
    FetchError
        HTTP errors (404: not published), too many dropped connections, a size that
        does not match, or a file that is not a zip (the partial file is removed so the
        next run starts afresh).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "src.bin").write_bytes(b"0123456789")
    >>> part = d / "out.bin.part"
    >>> _ = part.write_bytes(b"0123")         # an earlier, interrupted download
    >>> out = download((d / "src.bin").as_uri(), d / "out.bin", verify_zip=False)
    >>> out.read_bytes()
    b'0123456789'
    """
    dest = Path(dest)
    part = dest.with_name(dest.name + ".part")
    dest.parent.mkdir(parents=True, exist_ok=True)
    failures = 0
    while True:
        have = part.stat().st_size if part.exists() else 0
        headers = {"User-Agent": "smp-analysis (+https://data.police.uk bulk archive)"}
        if have:
            headers["Range"] = f"bytes={have}-"
        req = urllib.request.Request(url, headers=headers)
        try:
            resp = urllib.request.urlopen(req, timeout=timeout)
        except urllib.error.HTTPError as err:
            if err.code == 416 and have:
                # nothing left to send: the part file is already complete (checked below)
                total = _content_range(err.headers.get("Content-Range"))
                expected = total[1] if total else have
                _finish(part, dest, expected, verify_zip, url)
                return dest
            hint = " (not published yet?)" if err.code == 404 else ""
            raise FetchError(f"{url}: HTTP {err.code} {err.reason}{hint}") from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
            failures += 1
            if failures > retries:
                raise FetchError(f"{url}: {err}; run again to resume") from None
            time.sleep(min(2.0**failures * 0.1, 5.0))
            continue
        with resp:
            status = getattr(resp, "status", 200)
            cr = _content_range(resp.headers.get("Content-Range"))
            if have and status == 206 and cr is not None and cr[0] == have:
                mode, start = "ab", have
                expected = cr[1]
            else:  # a fresh download (or the server ignored Range): start over
                mode, start = "wb", 0
                length = resp.headers.get("Content-Length")
                expected = int(length) if length is not None else None
            if mode == "ab" and expected is None:
                length = resp.headers.get("Content-Length")
                expected = have + int(length) if length is not None else None
            try:
                with open(part, mode) as fh, _progress(expected, start, dest.name, progress) as bar:
                    while chunk := resp.read(chunk_size):
                        fh.write(chunk)
                        bar.update(len(chunk))
            except (OSError, urllib.error.URLError, http.client.HTTPException) as err:
                failures += 1
                if failures > retries:
                    raise FetchError(f"{url}: {err!r}; run again to resume") from None
                continue
        size = part.stat().st_size
        if expected is not None and size < expected:
            failures += 1
            if failures > retries:
                raise FetchError(f"{url}: got {size:,} of {expected:,} bytes; run again to resume")
            continue
        _finish(part, dest, expected, verify_zip, url)
        return dest


def _finish(part: Path, dest: Path, expected: int | None, verify_zip: bool, url: str) -> None:
    size = part.stat().st_size
    if expected is not None and size != expected:
        part.unlink()
        raise FetchError(
            f"{url}: downloaded {size:,} bytes but the server announced {expected:,}; "
            "the partial file was removed, run again"
        )
    if verify_zip:
        try:
            with zipfile.ZipFile(part) as zf:
                zf.infolist()
        except zipfile.BadZipFile as err:
            part.unlink()
            raise FetchError(
                f"{url}: the download is not a valid zip ({err}); removed, run again"
            ) from None
    os.replace(part, dest)


def extract_force(
    archive: str | PathLike[str],
    force: str,
    out_dir: str | PathLike[str],
    *,
    start: object | None = None,
    end: object | None = None,
    kinds: Sequence[str] = _KINDS,
) -> list[Path]:
    """Extract one force's monthly files from an archive zip.

    Parameters
    ----------
    archive : path-like
        A data.police.uk archive zip.
    force : str
        Force slug as in file names (``kent``, ``city-of-london``).
    out_dir : path-like
        Files go to ``<out_dir>/YYYY-MM/YYYY-MM-<force>-<kind>.csv``.
    start, end : month-like, optional
        Only months in this span.
    kinds : sequence of str
        Which of ``street``, ``outcomes``, ``stop-and-search``.

    Returns
    -------
    list of pathlib.Path
        The files written (or already present with the same size and CRC-32).

    Raises
    ------
    InputError
        When the archive has no file at all for ``force`` (the message lists the
        force slugs it does have), or one of the force's members is refused by
        :func:`~.police_uk_archives.check_member` (encrypted, a compression method
        Python cannot read such as deflate64, a link, a decompression bomb).
    FetchError
        When a member fails its CRC-32 check (a damaged archive).

    Examples
    --------
    >>> import tempfile, pathlib, zipfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with zipfile.ZipFile(d / "2024-02.zip", "w") as zf:
    ...     zf.writestr("2024-01/2024-01-kent-street.csv", "x\\n")
    ...     zf.writestr("2024-01/2024-01-essex-street.csv", "y\\n")
    >>> [p.name for p in extract_force(d / "2024-02.zip", "kent", d / "out")]
    ['2024-01-kent-street.csv']
    """
    archive = Path(archive)
    out = Path(out_dir)
    lo = pd.Period(start, freq="M") if start is not None else None
    hi = pd.Period(end, freq="M") if end is not None else None
    written: list[Path] = []
    forces_seen: set[str] = set()
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as err:
        raise FetchError(f"{archive}: not a valid zip ({err}); delete it and run again") from None
    with zf:
        for info in zf.infolist():
            m = FILE_NAME_RE.match(Path(info.filename).name)
            if not m:
                continue
            forces_seen.add(m["force"])
            month = pd.Period(m["month"], freq="M")
            if m["force"] != force or m["kind"] not in kinds:
                continue
            if (lo is not None and month < lo) or (hi is not None and month > hi):
                continue
            check_member(archive, info)  # encrypted, deflate64, a link, a bomb: refused
            target = out / m["month"] / Path(info.filename).name
            if (
                target.exists()
                and target.stat().st_size == info.file_size
                and _crc(target) == info.CRC
            ):
                written.append(target)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(".tmp-" + target.name)
            try:
                with zf.open(info) as src, open(tmp, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
            except (zipfile.BadZipFile, OSError, EOFError) as err:
                tmp.unlink(missing_ok=True)
                raise FetchError(
                    f"{archive}[{info.filename}]: damaged ({err}); delete the archive and run again"
                ) from None
            os.replace(tmp, target)
            written.append(target)
    if force not in forces_seen:
        shown = ", ".join(sorted(forces_seen)[:50]) or "none"
        raise InputError(
            f"the archive has no files for force '{force}'",
            path=str(archive),
            column="--force",
            fix=f"use one of the slugs in the archive: {shown}",
        )
    return sorted(written)


def _crc(path: Path) -> int:
    import zlib

    crc = 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            crc = zlib.crc32(chunk, crc)
    return crc


def fetch(
    force: str,
    start: object,
    end: object,
    out_dir: str | PathLike[str],
    *,
    archive_dir: str | PathLike[str] | None = None,
    base_url: str = DEFAULT_BASE_URL,
    kinds: Sequence[str] = _KINDS,
    progress: bool | None = None,
    retries: int = 3,
) -> FetchResult:
    """Download the archives covering ``start..end`` and extract ``force``'s files.

    Parameters
    ----------
    force : str
        Force slug as in file names (``kent``).
    start, end : month-like
        The span wanted (``YYYY-MM``).
    out_dir : path-like
        Where extracted files go (monthly folders, as the archive has them).
    archive_dir : path-like, optional
        Where archive zips are kept (default ``<out_dir>/archives``); an archive already
        there is reused, a ``.part`` file is resumed.
    base_url : str
        Archive location (``https://data.police.uk/data/archive/``).
    kinds : sequence of str
        File kinds to extract.
    progress : bool, optional
        Progress bars; default only when stderr is a terminal.
    retries : int
        Dropped connections tolerated per archive.

    Returns
    -------
    FetchResult

    Raises
    ------
    InputError
        Bad arguments (month format, span, force slug); a force the archive lacks.
    FetchError
        Download failures.

    Examples
    --------
    >>> import tempfile, pathlib, zipfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / "server").mkdir()
    >>> with zipfile.ZipFile(d / "server" / "2024-02.zip", "w") as zf:
    ...     zf.writestr("2024-02/2024-02-kent-street.csv", "x\\n")
    >>> r = fetch("kent", "2024-01", "2024-02", d / "out", base_url=(d / "server").as_uri() + "/")
    >>> [p.name for p in r.files], r.missing_months
    (['2024-02-kent-street.csv'], ('2024-01',))
    """
    if not _SLUG_RE.match(force or ""):
        raise InputError(
            f"'{force}' is not a force slug",
            column="--force",
            fix="use the force name as in data.police.uk file names, e.g. kent, city-of-london",
        )
    lo, hi = _month(start, "--from"), _month(end, "--to")
    if lo > hi:
        raise InputError(f"--from {lo} is after --to {hi}", column="--from", fix="swap them")
    now = pd.Period.now("M")
    if hi > now:
        raise InputError(
            f"--to {hi} is in the future", column="--to", fix="give a month that has passed"
        )
    out = check_folder(out_dir, what="output folder", column="--out")
    adir = check_folder(
        Path(archive_dir) if archive_dir is not None else out / "archives",
        what="archive folder",
        column="--archive-dir" if archive_dir is not None else "--out",
    )
    base = base_url if base_url.endswith("/") else base_url + "/"
    archives: list[Path] = []
    files: list[Path] = []
    for arch in archives_for(lo, hi):
        target = adir / f"{arch}.zip"
        if not target.exists():
            download(base + target.name, target, progress=progress, retries=retries)
        else:
            try:
                with zipfile.ZipFile(target) as zf:
                    zf.infolist()
            except zipfile.BadZipFile:
                target.unlink()
                download(base + target.name, target, progress=progress, retries=retries)
        archives.append(target)
        a_lo = max(lo, arch - (ARCHIVE_MONTHS - 1))
        files += extract_force(target, force, out, start=a_lo, end=min(hi, arch), kinds=kinds)
    have = {pd.Period(p.name[:7], freq="M") for p in files if p.name.endswith("-street.csv")}
    span = pd.period_range(lo, hi, freq="M")
    missing = tuple(str(m) for m in span if m not in have) if "street" in kinds else ()
    return FetchResult(tuple(archives), tuple(sorted(set(files))), missing)


def fetch_main(args: argparse.Namespace) -> int:
    """Run ``smp-analysis fetch`` and print what was fetched.

    Examples
    --------
    >>> import tempfile, pathlib, zipfile, contextlib, io
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / "srv").mkdir()
    >>> with zipfile.ZipFile(d / "srv" / "2024-02.zip", "w") as zf:
    ...     zf.writestr("2024-02/2024-02-kent-street.csv", "x\\n")
    >>> args = argparse.Namespace(force="kent", start="2024-02", end="2024-02",
    ...     out=str(d / "out"), base_url=(d / "srv").as_uri() + "/", archive_dir=None)
    >>> with contextlib.redirect_stdout(io.StringIO()) as buf:
    ...     rc = fetch_main(args)
    >>> rc, buf.getvalue().splitlines()[0]
    (0, 'kent: 1 file(s) for 2024-02 – 2024-02 from 1 archive(s) -> ...out')
    """
    result = fetch(
        args.force,
        args.start,
        args.end,
        args.out,
        archive_dir=getattr(args, "archive_dir", None),
        base_url=getattr(args, "base_url", DEFAULT_BASE_URL) or DEFAULT_BASE_URL,
    )
    print(
        f"{args.force}: {len(result.files)} file(s) for {args.start} – {args.end} "
        f"from {len(result.archives)} archive(s) -> {args.out}"
    )
    if result.missing_months:
        print(
            "no street file in the archives for: "
            + month_ranges(result.missing_months)
            + " (these months will be reported as missing, not zero)"
        )
    return 0
