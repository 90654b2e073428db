"""Publishing a report: complete at every instant, one build per report folder, and
nothing left behind by an error or a kill.

Fast: small hand-made report folders, and :func:`build` with its stages replaced by fakes
that write a few marked files (no notebook runs). Faults are injected by counting every
call that changes the file system (rename, unlink, rmdir, the atomic exchange...) and
raising, or sending SIGKILL to a forked child, before the k-th one, for every k.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from smp_analysis.cli import main
from smp_analysis.errors import BuildError, InputError
from smp_analysis.pipeline import publish
from smp_analysis.pipeline.publish import clean_stale, lock_path, output_lock, swap_into_place

from ..helpers import sample_config

#: the module (``smp_analysis.pipeline.build`` is also the name of the function)
build_mod = importlib.import_module("smp_analysis.pipeline.build")
YEAR = "2024-25"
FILES = (
    "appendix.html",
    "public.html",
    "manifest.json",
    "build.log",
    "notebooks/10_serious_violence.ipynb",
    "notebooks/99_public.ipynb",
    "data/appendix-tables.xlsx",
    "data/table-1.csv",
    "public-data/table-1.csv",
)
MUTATORS = ("rename", "replace", "unlink", "rmdir", "symlink", "link", "mkdir")

needs_fork = pytest.mark.skipif(
    sys.platform == "win32" or "fork" not in multiprocessing.get_all_start_methods(),
    reason="kills a forked child with SIGKILL",
)


# ---------------------------------------------------------------------------- helpers
def make_report(folder: Path, marker: str) -> Path:
    """A small report folder whose every file starts with ``marker``."""
    for rel in FILES:
        p = folder / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f"{marker} {rel}\n", encoding="utf-8")
    return folder


def marker_of(folder: Path, files: tuple[str, ...] | None = FILES) -> str:
    """The marker of the *complete* report in ``folder``; fails when files are missing,
    extra, or from two different reports. ``files=None``: any set of files, but always
    the pages, the manifest and the log."""
    assert folder.is_dir() and not folder.is_symlink(), f"no report at {folder}"
    found = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    if files is not None:
        assert found == sorted(files), f"incomplete report in {folder}: {found}"
    else:
        assert {"appendix.html", "public.html", "manifest.json", "build.log"} <= set(found)
    markers = {
        (folder / rel).read_text(encoding="utf-8").split()[0]
        for rel in found
        if rel != "build.log" or files is not None
    }
    assert len(markers) == 1, f"a mix of reports in {folder}: {markers}"
    return markers.pop()


def others(area: Path) -> list[str]:
    """Everything in the area folder but the report itself."""
    return sorted(p.name for p in area.iterdir() if p.name != YEAR)


def staged(area: Path, marker: str, tag: str = "1") -> Path:
    return make_report(area / f".{YEAR}.staging-20250101-000000-{tag}", marker)


@pytest.fixture(autouse=True)
def no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """fsync costs milliseconds a file on some disks; a test of its own checks it."""
    monkeypatch.setattr(publish, "_fsync", lambda path: None)


@pytest.fixture
def area(tmp_path: Path) -> Path:
    folder = tmp_path / "reports" / "sampleton"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture(params=["exchange", "two-renames"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Publish with the atomic exchange (Linux, macOS) or the fallback (Windows...)."""
    if request.param == "exchange":
        if publish._native_exchange() is None:
            pytest.skip("no atomic exchange on this system")
    else:
        monkeypatch.setattr(publish, "_native_exchange", lambda: None)
    return request.param


@contextlib.contextmanager
def faults(at: int | None, action: Callable[[str], None]) -> Iterator[list[str]]:
    """Count every call that changes the file system; run ``action`` before the at-th."""
    calls: list[str] = []

    def wrap(name: str, fn: Callable) -> Callable:
        def wrapper(*args, **kwargs):
            calls.append(name)
            if len(calls) == at:
                action(name)
            return fn(*args, **kwargs)

        return wrapper

    saved = {name: getattr(os, name) for name in MUTATORS}
    native = publish._native_exchange
    exchange = native()
    for name, fn in saved.items():
        setattr(os, name, wrap(name, fn))
    publish._native_exchange = lambda: None if exchange is None else wrap("exchange", exchange)
    try:
        yield calls
    finally:
        for name, fn in saved.items():
            setattr(os, name, fn)
        publish._native_exchange = native


def raise_oserror(name: str) -> None:
    raise OSError(errno.EIO, f"injected fault before {name}")


def raise_interrupt(name: str) -> None:
    raise KeyboardInterrupt


def kill(name: str) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def in_child(target: Callable[[], None]) -> int | None:
    """Run ``target`` in a forked child; its exit code (-9 when it was killed)."""
    proc = multiprocessing.get_context("fork").Process(target=target)
    proc.start()
    proc.join(120)
    return proc.exitcode


# ---------------------------------------------------------------------------- publish
def test_first_publish_is_one_rename(area: Path, mode: str) -> None:
    final = area / YEAR
    staging = staged(area, "NEW")
    with faults(None, raise_oserror) as calls:
        swap_into_place(staging, final)
    assert calls == ["rename"]
    assert marker_of(final) == "NEW"
    assert others(area) == []


def test_publish_replaces_the_report_and_leaves_nothing(area: Path, mode: str) -> None:
    final = make_report(area / YEAR, "OLD")
    swap_into_place(staged(area, "NEW"), final)
    assert marker_of(final) == "NEW"
    assert others(area) == []


def test_publish_flushes_every_file_and_folder_first(area: Path, monkeypatch) -> None:
    synced: list[str] = []
    monkeypatch.setattr(publish, "_fsync", synced.append)
    final = make_report(area / YEAR, "OLD")
    staging = staged(area, "NEW")
    expected = {str(p) for p in staging.rglob("*")} | {str(staging)}
    swap_into_place(staging, final)
    assert expected <= set(synced)
    assert str(area) in synced  # and the folder holding the switched names


def test_exchange_never_moves_the_report_away(area: Path, monkeypatch) -> None:
    """With the atomic exchange no rename ever takes ``<year>`` as its source or target."""
    if publish._native_exchange() is None:
        pytest.skip("no atomic exchange on this system")
    final = make_report(area / YEAR, "OLD")
    renames: list[tuple[str, str]] = []
    real = os.rename

    def rename(src, dst, *a, **k):
        renames.append((os.fspath(src), os.fspath(dst)))
        return real(src, dst, *a, **k)

    monkeypatch.setattr(os, "rename", rename)
    swap_into_place(staged(area, "NEW"), final)
    assert marker_of(final) == "NEW"
    assert all(str(final) not in pair for pair in renames), renames


def test_refused_exchange_falls_back_to_two_renames(area: Path, monkeypatch) -> None:
    """A file system without RENAME_EXCHANGE (EINVAL) still gets the report published."""

    def refuse(a, b):
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(publish, "_native_exchange", lambda: refuse)
    final = make_report(area / YEAR, "OLD")
    swap_into_place(staged(area, "NEW"), final)
    assert marker_of(final) == "NEW"
    assert others(area) == []


def test_readers_always_find_a_complete_page(area: Path) -> None:
    """A reader opening ``<year>/appendix.html`` in a loop never misses it while the
    report is replaced again and again."""
    if publish._native_exchange() is None:
        pytest.skip("no atomic exchange on this system")
    final = make_report(area / YEAR, "R0")
    misses: list[str] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                text = (final / "appendix.html").read_text(encoding="utf-8")
            except OSError as err:
                misses.append(str(err))
                continue
            if not text.startswith("R"):
                misses.append(f"bad page {text!r}")

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(1, 40):
            swap_into_place(staged(area, f"R{i}", str(i)), final)
    finally:
        done.set()
        reader.join()
    assert misses == []
    assert marker_of(final) == "R39"


@pytest.mark.parametrize("action", [raise_oserror, raise_interrupt], ids=["OSError", "Ctrl-C"])
def test_fault_at_every_step_keeps_a_complete_report(
    tmp_path: Path, mode: str, action: Callable[[str], None]
) -> None:
    """An exception before any file-system change of the publish step leaves the whole
    old or the whole new report; the next run tidies up and publishes again."""
    seen = set()
    for k in itertools.count(1):
        area = tmp_path / f"k{k}" / "sampleton"
        final = make_report(area / YEAR, "OLD")
        staging = staged(area, "NEW")
        with faults(k, action) as calls, contextlib.suppress(OSError, KeyboardInterrupt):
            swap_into_place(staging, final)
        seen.add(marker_of(final))
        clean_stale(final)  # the next run, under the lock
        seen.add(marker_of(final))
        assert others(area) == []
        swap_into_place(staged(area, "NEXT", "2"), final)
        assert marker_of(final) == "NEXT" and others(area) == []
        if len(calls) < k:  # the publish finished before the k-th call: every step seen
            break
        assert k < 100
    assert seen == {"OLD", "NEW"}


@needs_fork
@pytest.mark.parametrize("first", [False, True], ids=["replace", "first"])
def test_kill_at_every_step_keeps_a_complete_report(tmp_path: Path, mode: str, first) -> None:
    """SIGKILL before each file-system change of the publish step: ``<year>/`` is then
    a complete report, old or new (with two renames: complete once the next run has put
    the old one back); the next run removes every leftover and publishes again."""
    seen = set()
    for k in itertools.count(1):
        area = tmp_path / f"k{k}" / "sampleton"
        area.mkdir(parents=True)
        final = area / YEAR
        if not first:
            make_report(final, "OLD")
        staging = staged(area, "NEW")

        def child(staging=staging, final=final, k=k) -> None:
            with faults(k, kill):
                swap_into_place(staging, final)

        code = in_child(child)
        assert code in (0, -signal.SIGKILL), code
        if final.exists():
            seen.add(marker_of(final))
        elif first:  # no report before, none yet
            seen.add(None)
        else:  # killed between the two renames of the fallback: the next run repairs
            assert mode == "two-renames"
            (old,) = area.glob(f".{YEAR}.old-*")
            assert marker_of(old) == "OLD"
        clean_stale(final)
        assert marker_of(final) in {"OLD", "NEW"} if final.exists() else first
        assert others(area) == []
        swap_into_place(staged(area, "NEXT", "2"), final)
        assert marker_of(final) == "NEXT" and others(area) == []
        if code == 0:
            break
        assert k < 100
    assert seen == ({None, "NEW"} if first else {"OLD", "NEW"})


# ---------------------------------------------------------------------------- clean
def test_clean_removes_only_this_years_leftovers(area: Path) -> None:
    final = make_report(area / YEAR, "OLD")
    for name in (
        f".{YEAR}.staging-20250101-000000-11",
        f".{YEAR}.old-12",
        f".{YEAR}.trash-13",
        ".2023-24.staging-20250101-000000-14",
        f"failed-{YEAR}-20250101-000000",
    ):
        make_report(area / name, "X")
    (area / f".{YEAR}.trash-15").write_text("partly deleted")
    done = clean_stale(final)
    assert len(done) == 4 and all(line.startswith("removed .") for line in done)
    assert marker_of(final) == "OLD"
    assert others(area) == [".2023-24.staging-20250101-000000-14", f"failed-{YEAR}-20250101-000000"]


def test_clean_puts_back_a_report_stranded_by_a_kill_between_two_renames(area: Path) -> None:
    """What a kill between the two renames of older versions left: no ``<year>/``, the
    report in ``.<year>.old-<pid>``. The newest complete one is put back."""
    final = area / YEAR
    older = make_report(area / f".{YEAR}.old-21", "OLDER") / "manifest.json"
    os.utime(older, (time.time() - 3600, time.time() - 3600))
    make_report(area / f".{YEAR}.old-22", "OLD")
    (area / f".{YEAR}.old-23").mkdir()  # half deleted: no manifest
    staged(area, "HALF")
    done = clean_stale(final)
    assert done[0] == f"restored the previous report from .{YEAR}.old-22"
    assert marker_of(final) == "OLD"
    assert others(area) == []


# ---------------------------------------------------------------------------- lock
class Holder:
    """Another process holding the lock of ``final`` until :meth:`release`."""

    def __init__(self, final: Path) -> None:
        ctx = multiprocessing.get_context("fork")
        self.ready, self.done = ctx.Event(), ctx.Event()
        self.proc = ctx.Process(target=self._hold, args=(final,))
        self.proc.start()
        assert self.ready.wait(60), "the other process did not take the lock"
        self.pid = self.proc.pid

    def _hold(self, final: Path) -> None:
        with output_lock(final, "Sampleton 2024/25"):
            self.ready.set()
            self.done.wait(120)

    def release(self) -> int | None:
        self.done.set()
        self.proc.join(60)
        return self.proc.exitcode

    def kill(self) -> int | None:
        self.proc.kill()
        self.proc.join(60)
        return self.proc.exitcode


@needs_fork
def test_lock_refuses_a_second_holder_with_exit_code_2(area: Path) -> None:
    final = area / YEAR
    holder = Holder(final)
    try:
        with pytest.raises(InputError) as info, output_lock(final, "Sampleton 2024/25"):
            pass
        msg = str(info.value)
        assert info.value.exit_code == 2 and "\n" not in msg
        assert msg.startswith(f"{lock_path(final)}: another build of Sampleton 2024/25 is")
        assert f"pid {holder.pid} on " in msg and "Fix: wait for that build to finish" in msg
        with output_lock(area / "2023-24"):  # another year is another lock
            pass
        with pytest.raises(InputError), output_lock(final, wait=0.3):
            pass
    finally:
        assert holder.release() == 0
    assert not lock_path(final).exists()  # deleted on release
    with output_lock(final) as path:
        assert path.exists()
    assert others(area) == []


@needs_fork
def test_lock_waits_when_asked(area: Path) -> None:
    final = area / YEAR
    holder = Holder(final)
    threading.Timer(0.5, holder.release).start()
    t = time.monotonic()
    with output_lock(final, wait=30):
        assert time.monotonic() - t >= 0.4
    assert holder.proc.exitcode == 0


@needs_fork
def test_lock_of_a_killed_build_is_free_at_once(area: Path) -> None:
    final = area / YEAR
    assert Holder(final).kill() == -signal.SIGKILL
    assert lock_path(final).exists()  # it had no time to delete its file
    with output_lock(final):
        pass
    assert not lock_path(final).exists()


def test_lock_survives_the_file_being_deleted_by_the_previous_holder(area: Path) -> None:
    """A process that opened the lock file just before the holder deleted it must not
    think it holds the lock while a third process locks the new file."""
    final = area / YEAR
    path = lock_path(final)
    fd = os.open(path, os.O_RDWR | os.O_CREAT)  # opened, then the holder deletes it
    os.unlink(path)
    try:
        with output_lock(final):  # must lock a new file at the path, not the orphan
            assert path.exists()
            assert not os.path.samestat(os.fstat(fd), os.stat(path))
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------- build
class FakeStages:
    """Replace the stages of :func:`build` by fakes writing files marked ``marker``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.marker = "OLD"
        self.fail: BaseException | None = None
        self.pause: Callable[[], None] | None = None
        monkeypatch.setattr(build_mod, "_check_inputs", lambda plan: None)
        monkeypatch.setattr(build_mod, "execute_all", self.execute_all)
        monkeypatch.setattr(build_mod, "export_pages", self.export_pages)
        monkeypatch.setattr(build_mod, "check_pages", lambda *a: None)
        monkeypatch.setattr(build_mod, "write_manifest", self.write_manifest)

    def execute_all(self, plan, timeout):
        paths = []
        for name in plan.names:
            (p := plan.staging / "notebooks" / name).write_text(f"{self.marker} {name}")
            paths.append(p)
        for d in ("data", "public-data"):
            (plan.staging / d).mkdir()
            (plan.staging / d / "table-1.csv").write_text(f"{self.marker} table")
        if self.pause:
            self.pause()
        if self.fail:
            raise self.fail
        return paths, {n: 0.0 for n in plan.names}

    def export_pages(self, plan, executed, started):
        return f"{self.marker} appendix", f"{self.marker} public"

    def write_manifest(self, plan, *args, **kwargs):
        (plan.staging / "manifest.json").write_text(f"{self.marker} manifest")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeStages:
    return FakeStages(monkeypatch)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return sample_config(tmp_path, tmp_path / "no-sample-data")


def _area(config: Path) -> Path:
    return config.parent / "reports" / "sampleton"


def test_build_publishes_and_leaves_only_the_report(config: Path, fake: FakeStages) -> None:
    result = build_mod.build(config)
    assert result.out_dir == _area(config) / YEAR
    assert marker_of(result.out_dir, None) == "OLD"
    fake.marker = "NEW"
    build_mod.build(config)
    assert marker_of(result.out_dir, None) == "NEW"
    assert others(_area(config)) == []  # no staging, no lock file, no old report


@pytest.mark.parametrize(
    "fail",
    [RuntimeError("bug"), KeyboardInterrupt(), InputError("bad value", path="x.csv")],
    ids=["traceback", "Ctrl-C", "InputError"],
)
def test_error_in_a_stage_leaves_no_staging(
    config: Path, fake: FakeStages, fail: BaseException
) -> None:
    final = build_mod.build(config).out_dir
    fake.marker, fake.fail = "NEW", fail
    with pytest.raises(type(fail)):
        build_mod.build(config)
    assert marker_of(final, None) == "OLD"
    assert others(_area(config)) == []


def test_failed_notebook_is_kept_and_previous_report_untouched(
    config: Path, fake: FakeStages
) -> None:
    final = build_mod.build(config).out_dir
    fake.marker, fake.fail = "NEW", BuildError("10_serious_violence.ipynb failed in cell 3")
    with pytest.raises(BuildError, match="previous report is untouched"):
        build_mod.build(config)
    with pytest.raises(BuildError):  # twice in the same second: two folders
        build_mod.build(config)
    assert marker_of(final, None) == "OLD"
    failed = others(_area(config))
    assert len(failed) == 2 and all(n.startswith(f"failed-{YEAR}-") for n in failed)


def test_publish_error_keeps_the_new_report_and_the_old_one(
    config: Path, fake: FakeStages, monkeypatch: pytest.MonkeyPatch
) -> None:
    final = build_mod.build(config).out_dir

    def broken(staging, final):
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(build_mod, "swap_into_place", broken)
    fake.marker = "NEW"
    with pytest.raises(BuildError, match="could not move the report into") as info:
        build_mod.build(config)
    assert info.value.exit_code == 1 and "previous report is untouched" in str(info.value)
    assert marker_of(final, None) == "OLD"
    (kept,) = others(_area(config))
    assert kept.startswith(f"failed-{YEAR}-")
    assert marker_of(_area(config) / kept, None) == "NEW"


def test_next_build_removes_what_a_killed_build_left(config: Path, fake: FakeStages) -> None:
    area = _area(config)
    final = build_mod.build(config).out_dir
    make_report(area / f".{YEAR}.staging-20240101-000000-99", "KILLED")
    make_report(area / f".{YEAR}.trash-98", "KILLED")
    lock_path(final).write_text("pid 97")
    fake.marker = "NEW"
    build_mod.build(config)
    assert marker_of(final, None) == "NEW"
    assert others(area) == []
    log = (final / "build.log").read_text()
    assert f"after an interrupted build: removed .{YEAR}.staging-20240101-000000-99" in log


def test_failed_build_puts_back_a_stranded_report(config: Path, fake: FakeStages) -> None:
    """Killed between the two renames of an older version: the next build, even one
    that fails, leaves the previous report in place."""
    area = _area(config)
    area.mkdir(parents=True)
    make_report(area / f".{YEAR}.old-4242", "OLD")
    fake.marker, fake.fail = "NEW", BuildError("broken")
    with pytest.raises(BuildError):
        build_mod.build(config)
    assert marker_of(area / YEAR) == "OLD"


@needs_fork
def test_build_killed_mid_stage_is_tidied_by_the_next(config: Path, fake: FakeStages) -> None:
    area = _area(config)
    final = build_mod.build(config).out_dir
    fake.marker, fake.pause = "NEW", lambda: kill("execute")
    assert in_child(lambda: build_mod.build(config)) == -signal.SIGKILL
    assert any(n.startswith(f".{YEAR}.staging-") for n in others(area))
    assert marker_of(final, None) == "OLD"
    fake.marker, fake.pause = "NEXT", None
    build_mod.build(config)
    assert marker_of(final, None) == "NEXT"
    assert others(area) == []


@needs_fork
def test_build_killed_at_every_step_of_publishing(
    config: Path, fake: FakeStages, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The acceptance test: kill a build before each rename/delete of its publish step;
    ``<year>/`` is a complete report each time and the next build leaves nothing else."""
    area = _area(config)
    final = build_mod.build(config).out_dir
    real_swap = build_mod.swap_into_place
    seen = set()
    for k in itertools.count(1):
        fake.marker = "NEW"

        def swap(staging, final, k=k):
            with faults(k, kill):
                real_swap(staging, final)

        monkeypatch.setattr(build_mod, "swap_into_place", swap)
        code = in_child(lambda: build_mod.build(config))
        monkeypatch.setattr(build_mod, "swap_into_place", real_swap)
        assert code in (0, -signal.SIGKILL), code
        if final.exists():
            seen.add(marker_of(final, None))
        else:  # killed between the two renames of the fallback: the next build repairs
            assert mode == "two-renames"
            (old,) = area.glob(f".{YEAR}.old-*")
            assert marker_of(old, None) == "OLD"
        fake.marker = "OLD"  # the next build: tidies up, then publishes the old one again
        build_mod.build(config)
        assert marker_of(final, None) == "OLD"
        assert others(area) == []
        if code == 0:
            break
        assert k < 200
    assert seen == {"OLD", "NEW"}


@needs_fork
def test_second_build_of_one_area_exits_2(
    config: Path, fake: FakeStages, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two builds of one area and year: the second stops at once with exit code 2 and
    one line naming the lock file, and touches nothing; another year builds meanwhile."""
    area = _area(config)
    assert main(["build", "--config", str(config)]) == 0
    capsys.readouterr()
    holder = Holder(area / YEAR)
    try:
        fake.marker = "NEW"
        assert main(["build", "--config", str(config)]) == 2
        err = capsys.readouterr().err
        (line,) = err.splitlines()
        lock = lock_path(area / YEAR)
        assert line.startswith(f"smp-analysis build: error: {lock}: another build of ")
        assert "Sampleton 2024/25 is running" in line and f"pid {holder.pid}" in line
        assert marker_of(area / YEAR, None) == "OLD"
        assert others(area) == [lock.name]
        assert main(["build", "--config", str(config), "--year", "2023/24"]) == 0
    finally:
        assert holder.release() == 0
    assert marker_of(area / "2023-24", None) == "NEW"
    assert main(["build", "--config", str(config)]) == 0
    assert marker_of(area / YEAR, None) == "NEW"
    assert others(area) == ["2023-24"]


@needs_fork
def test_two_concurrent_builds(config: Path, fake: FakeStages, tmp_path: Path) -> None:
    """A real build holding the lock (paused in its notebooks) and a second one."""
    started, go = tmp_path / "started", tmp_path / "go"

    def pause() -> None:
        started.touch()
        while not go.exists():
            time.sleep(0.02)

    fake.marker, fake.pause = "FIRST", pause
    proc = multiprocessing.get_context("fork").Process(target=lambda: build_mod.build(config))
    proc.start()
    try:
        deadline = time.monotonic() + 60
        while not started.exists():
            assert proc.is_alive() and time.monotonic() < deadline
            time.sleep(0.02)
        fake.marker, fake.pause = "SECOND", None
        with pytest.raises(InputError, match="another build of Sampleton 2024/25 is running"):
            build_mod.build(config)
    finally:
        go.touch()
        proc.join(60)
    assert proc.exitcode == 0
    final = _area(config) / YEAR
    assert marker_of(final, None) == "FIRST"
    build_mod.build(config)  # and once the first is done, the second can run
    assert marker_of(final, None) == "SECOND"
    assert others(_area(config)) == []
