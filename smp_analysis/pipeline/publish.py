"""Publish a staged report in place of the previous one, one build at a time.

Everything a build writes goes to a staging folder beside the report,
``reports/<area>/.<year>.staging-<stamp>-<pid>/``; the report itself is
``reports/<area>/<year>/``, a real folder (no symlink, so copying or zipping
``reports/`` gives the pages, not links). Publishing keeps that path a complete report at
every instant:

1. *lock* (:func:`output_lock`, held for the whole build): ``fcntl.flock`` on
   ``reports/<area>/.<year>.lock``, non-blocking. A second build of the same area and
   year does not wait: it stops at once with an :class:`~smp_analysis.errors.InputError`
   (exit code 2) naming the lock file and the process that holds it. The kernel releases
   the lock when its holder exits, even when it is killed, so a lock is never stale.
   The file is deleted on release (so a finished build leaves no dot-file behind); a
   build that opened a file which was deleted meanwhile notices and locks the new one.
2. *clean* (:func:`clean_stale`, under the lock): whatever a killed build of that year
   left — ``.<year>.staging-*``, ``.<year>.old-*``, ``.<year>.trash-*`` — is deleted. If
   ``<year>/`` is missing and an ``.<year>.old-*`` holds a complete report (a kill between
   the two renames of the fallback below, or of older versions of this tool), that
   report is first renamed back to ``<year>/``.
3. *sync*: the staged files and folders are flushed to disk (``fsync``), so that a power
   cut after the switch cannot leave a published report with empty files.
4. *switch* (:func:`swap_into_place`): with no previous report, one ``rename`` of the
   staging folder to ``<year>``. Otherwise one atomic exchange of the two folders —
   ``renameat2(RENAME_EXCHANGE)`` on Linux, ``renamex_np(RENAME_SWAP)`` on macOS: before
   it ``<year>/`` is entirely the old report, after it entirely the new one.
5. *discard*: the folder that now holds the previous report is renamed
   ``.<year>.trash-<pid>`` and deleted. A kill here leaves only garbage for step 2.

Fallback (Windows, where there is no exchange call; a file system that refuses the
exchange, such as some network shares): two renames, ``<year>`` → ``.<year>.old-<pid>``
then staging → ``<year>``. An exception between them renames the old report back; a
kill between them leaves no ``<year>/`` for that instant, and the next build (step 2)
puts the old report back before it starts. On Windows the lock is ``msvcrt.locking``
and its file stays after release when another process has it open.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import functools
import logging
import os
import shutil
import socket
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import InputError

__all__ = [
    "clean_stale",
    "lock_path",
    "output_lock",
    "staging_path",
    "swap_into_place",
]

log = logging.getLogger("smp_analysis.publish")

#: errno values meaning "this system or file system cannot exchange two names"
#: (EPERM: some container sandboxes refuse unknown system calls with it).
_NO_EXCHANGE = {
    errno.EINVAL,
    errno.ENOSYS,
    errno.EPERM,
    getattr(errno, "ENOTSUP", errno.EINVAL),
    getattr(errno, "EOPNOTSUPP", errno.EINVAL),
}


# ---------------------------------------------------------------------------- names
def staging_path(final: Path, stamp: str) -> Path:
    """The staging folder of a build of ``final`` (``reports/<area>/<year>``)."""
    return final.with_name(f".{final.name}.staging-{stamp}-{os.getpid()}")


def lock_path(final: Path) -> Path:
    """The lock file of ``final``: ``reports/<area>/.<year>.lock``."""
    return final.with_name(f".{final.name}.lock")


def _stale_prefixes(final: Path) -> tuple[str, ...]:
    return tuple(f".{final.name}.{kind}-" for kind in ("staging", "old", "trash"))


def _unused(path: Path) -> Path:
    """``path``, or ``path-2``, ``path-3``... whichever does not exist yet."""
    candidate, n = path, 1
    while os.path.lexists(candidate):
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


# ---------------------------------------------------------------------------- lock
@contextlib.contextmanager
def output_lock(final: Path, what: str | None = None, *, wait: float = 0.0) -> Iterator[Path]:
    """Hold the lock of the report folder ``final`` for the duration of the block.

    Parameters
    ----------
    final : Path
        ``reports/<area>/<year>`` (need not exist; its parent must).
    what : str, optional
        How the message names the report, e.g. ``"Sampleton 2024/25"``.
    wait : float
        Seconds to keep trying before giving up; 0 (what builds use) gives up at once.

    Raises
    ------
    InputError
        Another process holds the lock (exit code 2).
    """
    path = lock_path(final)
    deadline = time.monotonic() + wait
    while True:
        fd = _try_lock(path)
        if fd is not None:
            break
        if time.monotonic() >= deadline:
            holder = _holder(path)
            raise InputError(
                f"another build of {what or final.name} is running and holds this lock"
                + (f" ({holder})" if holder else ""),
                path=path,
                fix="wait for that build to finish (the lock is released when it exits, "
                "even if it is killed) and run again",
            )
        time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
    try:
        _write_holder(fd)
        yield path
    finally:
        _unlock(path, fd)


def _try_lock(path: Path) -> int | None:
    """An open, locked descriptor of ``path``, or None when another process holds it."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if not _lock_fd(fd):
                os.close(fd)
                return None
            if sys.platform == "win32":
                return fd
            try:  # the holder before us may have deleted the file we opened
                if os.path.samestat(os.fstat(fd), os.stat(path)):
                    return fd
            except FileNotFoundError:
                pass
            os.close(fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.close(fd)
            raise


def _lock_fd(fd: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as err:
        if err.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise
    return True


def _write_holder(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - the locked byte cannot be read
        return
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        since = dt.datetime.now().isoformat(timespec="seconds")
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()} since {since}\n".encode())


def _holder(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()[:200]
    except OSError:
        return ""


def _unlock(path: Path, fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - Windows
        import msvcrt

        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        os.close(fd)
        with contextlib.suppress(OSError):  # refused while another process has it open
            os.unlink(path)
        return
    # delete while still holding the lock: whoever opened the old file retries (_try_lock)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    os.close(fd)


# ---------------------------------------------------------------------------- clean
def clean_stale(final: Path, *, keep: tuple[Path, ...] = ()) -> list[str]:
    """Repair and clean what killed builds of ``final`` left; call it holding the lock.

    Returns one line per action, for the build log. Never raises for a folder it cannot
    delete (it says so instead): the build goes on and the next one tries again.
    """
    area = final.parent
    done: list[str] = []
    if not area.is_dir():
        return done
    prefixes = _stale_prefixes(final)
    entries = [p for p in area.iterdir() if p.name.startswith(prefixes) and p not in keep]
    if not os.path.lexists(final):
        old = [p for p in entries if p.name.startswith(prefixes[1]) and p.is_dir()]
        if old:
            best = max(old, key=_report_time)
            try:
                os.rename(best, final)
                done.append(f"restored the previous report from {best.name}")
                entries.remove(best)
            except OSError as err:
                done.append(f"could not restore {best.name}: {err}")
    for p in entries:
        try:
            _remove(p)
            done.append(f"removed {p.name}")
        except OSError as err:
            done.append(f"could not remove {p.name}: {err}")
    return done


def _report_time(folder: Path) -> tuple[bool, float]:
    """Order candidate reports: a complete one (with manifest.json) first, then newest."""
    try:
        return True, (folder / "manifest.json").stat().st_mtime
    except OSError:
        return False, 0.0


def _remove(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path)


def _discard(path: Path, final: Path) -> None:
    """Rename a replaced report to ``.<year>.trash-<pid>`` and delete it (best effort)."""
    trash = _unused(final.with_name(f".{final.name}.trash-{os.getpid()}"))
    try:
        os.rename(path, trash)
    except OSError as err:
        log.warning("could not move %s aside (%s); the next build deletes it", path, err)
        return
    try:
        _remove(trash)
    except OSError as err:
        log.warning("could not delete %s (%s); the next build deletes it", trash, err)


# ---------------------------------------------------------------------------- publish
def swap_into_place(staging: Path, final: Path) -> None:
    """Replace the report ``final`` by the complete report ``staging`` (same folder).

    ``final`` is at every instant either the whole previous report or the whole new one
    (but see the fallback in the module notes). Call it holding :func:`output_lock`.

    Raises
    ------
    OSError
        Nothing was published; ``final`` is the previous report and ``staging`` is left
        for the caller to keep or delete.
    """
    _sync_tree(staging)
    if not os.path.lexists(final):
        os.rename(staging, final)
        _sync_dir(final.parent)
        return
    if _exchange(staging, final):
        _sync_dir(final.parent)
        _discard(staging, final)  # staging now holds the previous report
        return
    old = _unused(final.with_name(f".{final.name}.old-{os.getpid()}"))
    os.rename(final, old)
    try:
        os.rename(staging, final)
    except BaseException:
        os.rename(old, final)
        raise
    _sync_dir(final.parent)
    _discard(old, final)


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names ``a`` and ``b`` atomically; False when this system cannot."""
    fn = _native_exchange()
    if fn is None:
        return False
    try:
        fn(a, b)
    except OSError as err:
        if err.errno in _NO_EXCHANGE:
            log.info("atomic exchange not available here (%s); using two renames", err)
            return False
        raise
    return True


@functools.cache
def _native_exchange() -> Callable[[Path, Path], None] | None:
    """``renameat2(RENAME_EXCHANGE)`` (Linux) or ``renamex_np(RENAME_SWAP)`` (macOS)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if sys.platform.startswith("linux"):
            func = libc.renameat2
            func.argtypes = [
                ctypes.c_int,
                ctypes.c_char_p,
                ctypes.c_int,
                ctypes.c_char_p,
                ctypes.c_uint,
            ]
            at_fdcwd, rename_exchange = -100, 2

            def call(a: bytes, b: bytes) -> int:
                return func(at_fdcwd, a, at_fdcwd, b, rename_exchange)

        elif sys.platform == "darwin":  # pragma: no cover - macOS
            func = libc.renamex_np
            func.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
            rename_swap = 2

            def call(a: bytes, b: bytes) -> int:
                return func(a, b, rename_swap)

        else:  # pragma: no cover - Windows and others
            return None
    except (OSError, AttributeError, TypeError):  # pragma: no cover - old C library
        return None
    func.restype = ctypes.c_int

    def exchange(a: Path, b: Path) -> None:
        if call(os.fsencode(a), os.fsencode(b)) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code), str(a), None, str(b))

    return exchange


# ---------------------------------------------------------------------------- sync
def _sync_tree(root: Path) -> None:
    """fsync every file and folder under ``root`` (best effort; not on Windows)."""
    if sys.platform == "win32":  # pragma: no cover - needs write handles there
        return
    for folder, _dirs, files in os.walk(root):
        for name in files:
            _fsync(os.path.join(folder, name))
        _fsync(folder)


def _sync_dir(folder: Path) -> None:
    if sys.platform != "win32":
        _fsync(str(folder))


def _fsync(path: str) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
