"""Hostile inputs: nothing escapes, nothing leaks, nothing is lost.

Each case is a file or option crafted to exhaust memory, hang, crash or silently lose
rows. Each must end with exit code 2 (or the reader's :class:`InputError`) and ONE line
on stderr naming the file (and line) and a fix, with no traceback, within a bounded
time — or, where the data are usable, with exit 0 and a loud line in the quality report.

Cases that could exhaust memory or hang (a gzip bomb, a 1 GB sparse file, a YAML alias
bomb, 20,000 nested brackets, a FIFO, ``/dev/zero``, a 100 MB line) run in a child
process with ``RLIMIT_AS`` as a safety net, a wall-clock timeout, and an assertion on
the child's own peak resident memory (``os.wait4``'s ``ru_maxrss``); before the fixes
they took 2-11 GB or never returned. The others run in-process through
:func:`smp_analysis.cli.main`. Every case runs in ``tmp_path`` (also the child's
``HOME`` and ``TMPDIR``) and checks that no file was written there except the expected
output. The limits are documented in :mod:`smp_analysis.sources.limits`.
"""

from __future__ import annotations

import errno
import gzip
import os
import resource
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import yaml

from smp_analysis.aggregate import build_cube
from smp_analysis.cli import main
from smp_analysis.config import load_config
from smp_analysis.errors import ConfigError, InputError, SmpError
from smp_analysis.quality import LSOA_NAME_NEAR_MISS
from smp_analysis.sources.area import AreaSelection
from smp_analysis.sources.imd import read_imd
from smp_analysis.sources.narrative import load_overrides
from smp_analysis.sources.police_uk import STREET_COLUMNS, read_street

from ..helpers import REPO_ROOT, sample_config

MiB = 1 << 20
GiB = 1 << 30
#: Wall-clock bound of one case.
SECONDS = 20
#: Peak resident memory of a child process (importing pandas and DuckDB is ~130 MB).
PEAK_RSS_MB = 600
#: Address-space ceiling of a child: a safety net so a regression fails instead of
#: swapping the machine (DuckDB reserves ~2.2 GB of virtual memory on a normal run).
ADDRESS_SPACE = 4 * GiB

HEADER = ",".join(STREET_COLUMNS)
ROW = "a{i},2024-01,Sampleshire Police,Sampleshire Police,-0.5,51.2,On or near X,E01990001,{name},Burglary,,"
ONE_MONTH = (HEADER + "\n" + ROW.format(i=1, name="Sampleton 001A") + "\n").encode()
CONFIG_TEXT = (REPO_ROOT / "data" / "config" / "sample.yml").read_text(encoding="utf-8")


# ---------------------------------------------------------------------- helpers
@dataclass
class Run:
    rc: int | str
    out: str
    err: str
    seconds: float
    peak_mb: float


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() or p.is_symlink() or p.is_fifo()}


def _child(args: list[str], cwd: Path, *, code: str | None = None) -> Run:
    """Run ``smp-analysis args`` (or ``python -c code args``) in a child process with a
    timeout and an address-space ceiling; return its exit code, output and peak RSS."""
    home = cwd / ".home"
    tmp = cwd / ".tmp"
    home.mkdir(exist_ok=True)
    tmp.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "OPENBLAS_NUM_THREADS": "1",
        "PYTHONPATH": str(REPO_ROOT),
    }

    def limit() -> None:  # in the child, before exec
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    argv = [sys.executable, "-c", code] if code else [sys.executable, "-m", "smp_analysis.cli"]
    t = time.perf_counter()
    with (cwd / ".stdout").open("w+b") as out, (cwd / ".stderr").open("w+b") as err:
        proc = subprocess.Popen(
            [*argv, *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            preexec_fn=limit,
        )
        deadline = t + SECONDS
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.kill(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                status = None
                break
            time.sleep(0.02)
        proc.returncode = 0  # reaped by wait4
        seconds = time.perf_counter() - t
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    for p in (cwd / ".stdout", cwd / ".stderr"):
        p.unlink()
    assert not any(tmp.iterdir()), f"temporary files left behind: {list(tmp.iterdir())}"
    rc: int | str = "TIMEOUT" if status is None else os.waitstatus_to_exitcode(status)
    return Run(rc, stdout, stderr, seconds, usage.ru_maxrss / 1024)


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> Run:
    t = time.perf_counter()
    rc = main(args)
    seconds = time.perf_counter() - t
    out, err = capsys.readouterr()
    return Run(rc, out, err, seconds, 0.0)


def _one_line(run: Run, command: str, *where: str, rc: int = 2) -> str:
    """Assert exit ``rc``, one error line without traceback naming ``where``, in time."""
    assert run.rc == rc, (run.rc, run.err[-2000:])
    assert "Traceback" not in run.err, run.err[-2000:]
    lines = run.err.rstrip("\n").splitlines()
    assert len(lines) == 1, run.err[-2000:]
    line = lines[0]
    assert line.startswith(f"smp-analysis {command}: error: "), line
    assert ". Fix: " in line, line
    for text in where:
        assert text in line, line
    assert run.seconds < SECONDS, run.seconds
    if run.peak_mb:
        assert run.peak_mb < PEAK_RSS_MB, f"peak RSS {run.peak_mb:.0f} MB"
    return line


def _street(folder: Path, name: str = "2024-01-sampleshire-street.csv", data: bytes = ONE_MONTH):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name


def _config(folder: Path, **changes: object) -> Path:
    """A copy of the sample config in ``folder`` (its data paths point nowhere; every
    case below fails before any data file is read)."""
    raw = yaml.safe_load(CONFIG_TEXT)
    raw["report"]["notebooks_dir"] = str(REPO_ROOT / "notebooks")
    raw["report"]["output_dir"] = str(folder / "reports")
    raw["data"]["cache_dir"] = str(folder / "cache")
    raw.pop("sample")
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = raw
        for k in parents:
            node = node[k]
        node[last] = value
    path = folder / "config.yml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def _ingest(tmp_path: Path, source: Path, *extra: str) -> list[str]:
    return ["ingest", "--source", str(source), "--area", "Sampleton",
            "--out", str(tmp_path / "cube.csv"), *extra]  # fmt: skip


# ---------------------------------------------------------------------- resources
def test_gzip_bomb_as_population_file(tmp_path: Path) -> None:
    """1 MB of gzip that inflates to 1 GB: was 10.8 GB of memory; now stopped at 8 MB."""
    bomb = tmp_path / "population.csv.gz"
    member = gzip.compress(b"\0" * MiB, compresslevel=9)  # ~1 KB; gzip members concatenate
    with bomb.open("wb") as fh:
        for _ in range(1024):
            fh.write(member)
    assert bomb.stat().st_size < 2 * MiB
    police = _street(tmp_path / "police").parent
    before = _files(tmp_path)
    run = _child(_ingest(tmp_path, police, "--lsoas", str(bomb)), tmp_path)
    line = _one_line(run, "ingest", "population.csv.gz", "decompression bomb")
    assert "--lsoas" not in line or "column" in line
    assert _files(tmp_path) == before


def test_sparse_1gb_config(tmp_path: Path) -> None:
    """A 1 GB sparse file as the config: refused from its size, before reading."""
    cfg = tmp_path / "config.yml"
    with cfg.open("wb") as fh:
        fh.truncate(GiB)
    before = _files(tmp_path)
    run = _child(["build", "--config", str(cfg)], tmp_path)
    _one_line(run, "build", "config.yml", "larger than 1 MB")
    assert _files(tmp_path) == before


def test_sparse_1gb_imd(tmp_path: Path) -> None:
    """A 1 GB sparse file as the IMD file: refused from its size (was 2-6.6 GB)."""
    imd = tmp_path / "imd.csv"
    with imd.open("wb") as fh:
        fh.truncate(GiB)
    code = (
        "import sys\n"
        "from smp_analysis.errors import InputError\n"
        "from smp_analysis.sources.imd import read_imd\n"
        "try:\n"
        "    read_imd(sys.argv[1])\n"
        "except InputError as e:\n"
        "    print('smp-analysis read_imd: error:', e, file=sys.stderr)\n"
        "    sys.exit(e.exit_code)\n"
    )
    run = _child([str(imd)], tmp_path, code=code)
    _one_line(run, "read_imd", "imd.csv", "larger than 64 MB")
    with pytest.raises(InputError) as info:
        read_imd(imd)
    assert info.value.exit_code == 2 and "\n" not in str(info.value)


def test_yaml_alias_bomb_in_police_uk(tmp_path: Path) -> None:
    """A 7.5 KB alias bomb in data.police_uk: was > 120 s at 1.3 GB; now refused at once."""
    anchors = ["bomb0: &b0 [a, a, a, a, a, a, a, a, a, a]"]
    anchors += [f"bomb{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 10) + "]" for i in range(1, 10)]
    text = CONFIG_TEXT.replace(
        "  police_uk: [../sample/police_uk]", "  police_uk: [*b9, *b9, *b9, *b9, *b9]"
    )
    assert text != CONFIG_TEXT
    cfg = tmp_path / "config.yml"
    cfg.write_text("\n".join(anchors) + "\n" + text, encoding="utf-8")
    run = _child(["build", "--config", str(cfg)], tmp_path)
    _one_line(run, "build", "config.yml:", "alias bomb", "write the values out")


def test_20000_deep_yaml(tmp_path: Path) -> None:
    cfg = tmp_path / "config.yml"
    cfg.write_text("partnership: " + "[" * 20000 + "]" * 20000 + "\n", encoding="utf-8")
    run = _child(["build", "--config", str(cfg)], tmp_path)
    _one_line(run, "build", "config.yml:1:", "nested more than 64 levels")


@pytest.mark.parametrize("given", ["file", "folder"])
def test_fifo_as_police_file(tmp_path: Path, given: str) -> None:
    """A FIFO named like a police file: reading it would block for ever."""
    folder = tmp_path / "police"
    folder.mkdir()
    fifo = folder / "2024-01-sampleshire-street.csv"
    os.mkfifo(fifo)
    run = _child(_ingest(tmp_path, fifo if given == "file" else folder), tmp_path)
    _one_line(run, "ingest", str(fifo), "FIFO", "regular file")


def test_dev_zero_as_police_file(tmp_path: Path) -> None:
    folder = tmp_path / "police"
    folder.mkdir()
    link = folder / "2024-01-sampleshire-street.csv"
    link.symlink_to("/dev/zero")
    run = _child(_ingest(tmp_path, link), tmp_path)
    _one_line(run, "ingest", str(link), "character device")
    run = _child(_ingest(tmp_path, folder), tmp_path)
    _one_line(run, "ingest", str(link), "character device")


def test_100_mb_single_line_is_an_error_not_a_missing_month(tmp_path: Path) -> None:
    """A month file with a header and one 100 MB line: DuckDB dropped the line silently and
    the month was reported as 'no rows' with exit 0. Now: the file and line are named."""
    folder = tmp_path / "police"
    _street(folder)
    big = folder / "2024-02-sampleshire-street.csv"
    with big.open("wb") as fh:
        fh.write(HEADER.encode() + b"\n")
        chunk = b"x" * MiB
        for _ in range(100):
            fh.write(chunk)
        fh.write(b"\n")
    before = _files(tmp_path)
    run = _child(_ingest(tmp_path, folder), tmp_path)
    _one_line(run, "ingest", f"{big}:2:", "longer than 1 MB")
    assert _files(tmp_path) == before


# ---------------------------------------------------------------------- one-line errors
def test_symlink_loops(tmp_path: Path, capsys) -> None:
    loop_a, loop_b = tmp_path / "a", tmp_path / "b"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    _one_line(_cli(_ingest(tmp_path, loop_a), capsys), "ingest", str(loop_a), "loop")
    folder = tmp_path / "police"
    _street(folder)
    (folder / "2024-02-sampleshire-street.csv").symlink_to(
        folder / "2024-02-sampleshire-street.csv"
    )
    _one_line(_cli(_ingest(tmp_path, folder), capsys), "ingest", "2024-02-sampleshire", "loop")
    _one_line(_cli(["build", "--config", str(loop_a)], capsys), "build", str(loop_a), "loop")
    with pytest.raises(InputError, match="loop of symbolic links"):
        load_overrides(loop_a)


def test_latin1_bytes_in_config(tmp_path: Path, capsys) -> None:
    cfg = tmp_path / "config.yml"
    cfg.write_bytes(
        CONFIG_TEXT.replace("Safer Sampleton", "Safer Sampl\u00e9ton").encode("latin-1")
    )
    line = _one_line(_cli(["build", "--config", str(cfg)], capsys), "build", "config.yml:6:")
    assert "byte 0xe9 is not UTF-8" in line and "save the config file as UTF-8" in line


def test_latin1_bytes_in_narrative(tmp_path: Path) -> None:
    p = tmp_path / "narrative.yml"
    p.write_bytes(b"DA.1:\n  add: Caf\xe9 culture.\n")
    with pytest.raises(InputError) as info:
        load_overrides(p)
    assert info.value.exit_code == 2 and info.value.line == 2
    assert "byte 0xe9 is not UTF-8" in str(info.value) and "\n" not in str(info.value)


def test_area_name_of_255_characters(tmp_path: Path, capsys) -> None:
    """The area name names the report folder: 255+ characters was an OSError traceback."""
    cfg = _config(tmp_path, area__name="S" * 300)
    line = _one_line(_cli(["build", "--config", str(cfg)], capsys), "build", "key 'area.name'")
    assert "at most 100 characters" in line
    police = _street(tmp_path / "police").parent
    run = _cli(["ingest", "--source", str(police), "--area", "S" * 300,
                "--out", str(tmp_path / "c.csv")], capsys)  # fmt: skip
    _one_line(run, "ingest", "no row is in the area")


def test_out_is_a_file_or_under_a_file(tmp_path: Path, capsys) -> None:
    police = _street(tmp_path / "police").parent
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x")
    before = _files(tmp_path)
    run = _cli(["ingest", "--source", str(police), "--area", "Sampleton",
                "--out", str(blocker / "cube.csv")], capsys)  # fmt: skip
    _one_line(run, "ingest", "notes.txt", "--out", "is a file, not a folder")
    folder_named_csv = tmp_path / "cube.csv"
    folder_named_csv.mkdir()
    run = _cli(["ingest", "--source", str(police), "--area", "Sampleton",
                "--out", str(folder_named_csv)], capsys)  # fmt: skip
    _one_line(run, "ingest", "cube.csv", "is a folder, not a file")
    cfg = _config(tmp_path)
    run = _cli(["build", "--config", str(cfg), "--out", str(blocker)], capsys)
    _one_line(run, "build", "notes.txt", "--out", "is a file, not a folder")
    run = _cli(["fetch", "--force", "kent", "--from", "2024-01", "--to", "2024-01",
                "--out", str(blocker), "--base-url", (tmp_path / "srv").as_uri() + "/"], capsys)  # fmt: skip
    _one_line(run, "fetch", "notes.txt", "--out", "is a file, not a folder")
    run = _cli(["sample", "--out", str(blocker / "sample")], capsys)
    _one_line(run, "sample", "notes.txt", "--out")
    assert _files(tmp_path) == before | {cfg}


@pytest.mark.parametrize(
    ("code", "fix"),
    [(errno.EROFS, "read-only"), (errno.ENOSPC, "disk is full"), (errno.EACCES, "permissions")],
)
def test_read_only_or_full_disk_while_writing(tmp_path: Path, capsys, monkeypatch, code, fix):
    """An OSError from the environment while writing is exit 2 in one line (works as root)."""
    police = _street(tmp_path / "police").parent
    out = tmp_path / "cube.csv"

    def fail(self, path, *args, **kwargs):
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(pd.DataFrame, "to_csv", fail)
    run = _cli(
        ["ingest", "--source", str(police), "--area", "Sampleton", "--out", str(out)], capsys
    )
    _one_line(run, "ingest", str(tmp_path), fix)
    assert not out.exists() and not list(tmp_path.glob(".tmp-*"))


def test_cache_dir_is_a_file(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("x")
    cfg = _config(tmp_path, data__cache_dir=str(blocker))
    run = _cli(["build", "--config", str(cfg)], capsys)
    _one_line(run, "build", "config.yml:", "key 'data.cache_dir'", "is a file, not a folder")
    police = _street(tmp_path / "police").parent
    run = _cli(_ingest(tmp_path, police, "--cache-dir", str(blocker)), capsys)
    _one_line(run, "ingest", "--cache-dir", "is a file, not a folder")
    assert not (tmp_path / "cube.csv").exists()


def _patch_header(zpath: Path, *, flags: int | None = None, method: int | None = None) -> None:
    """Rewrite the flag bits or compression method of a one-member zip (both headers)."""
    data = bytearray(zpath.read_bytes())
    central = data.rindex(b"PK\x01\x02")
    if flags is not None:
        data[6:8] = flags.to_bytes(2, "little")
        data[central + 8 : central + 10] = flags.to_bytes(2, "little")
    if method is not None:
        data[8:10] = method.to_bytes(2, "little")
        data[central + 10 : central + 12] = method.to_bytes(2, "little")
    zpath.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("case", "problem"),
    [("encrypted", "encrypted"), ("deflate64", "compression method 9 (deflate64)")],
)
def test_fetch_refuses_encrypted_or_deflate64_members(tmp_path: Path, capsys, case, problem):
    srv = tmp_path / "srv"
    srv.mkdir()
    z = srv / "2024-01.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("2024-01/2024-01-kent-street.csv", ONE_MONTH)
    _patch_header(z, **({"flags": 0x1} if case == "encrypted" else {"method": 9}))
    out = tmp_path / "out"
    run = _cli(["fetch", "--force", "kent", "--from", "2024-01", "--to", "2024-01",
                "--out", str(out), "--base-url", srv.as_uri() + "/"], capsys)  # fmt: skip
    _one_line(run, "fetch", "2024-01.zip[2024-01/2024-01-kent-street.csv]", problem)
    assert not list(out.rglob("*.csv"))


def test_zip_member_bomb_is_refused_from_its_declared_size(tmp_path: Path, capsys) -> None:
    """A member declaring 64 MB from 64 KB compressed (1000:1) is refused before staging."""
    z = tmp_path / "2024-01.zip"
    name = "2024-01/2024-01-sampleshire-street.csv"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf, zf.open(name, "w") as member:
        member.write(HEADER.encode() + b"\n")
        for _ in range(64):
            member.write(b"\n" * MiB)
    run = _cli(_ingest(tmp_path, z), capsys)
    _one_line(run, "ingest", "2024-01.zip[", "decompression bomb")


def test_cr_only_line_endings(tmp_path: Path, capsys) -> None:
    """Old-Mac line endings: a traceback in the police reader; now one line. The small
    tables (read with the csv module) accept them."""
    folder = tmp_path / "police"
    _street(folder, data=ONE_MONTH.replace(b"\n", b"\r"))
    run = _cli(_ingest(tmp_path, folder), capsys)
    _one_line(run, "ingest", "2024-01-sampleshire-street.csv:1:", "carriage return")
    lsoas = tmp_path / "lsoas.csv"
    lsoas.write_bytes(b"lsoa_code,lsoa_name\rE01990001,Sampleton 001A\rE01990002,Sampleton 001B\r")
    run = _cli(_ingest(tmp_path, _street(tmp_path / "ok").parent, "--lsoas", str(lsoas)), capsys)
    assert run.rc == 0, run.err
    assert "2 LSOA(s)" in run.out


def test_month_0000_01(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "police"
    f = _street(folder, name="0000-01-sampleshire-street.csv")
    _one_line(_cli(_ingest(tmp_path, f), capsys), "ingest", str(f), "cannot tell the month")
    _street(folder)  # a good month beside it: the odd name is ignored and reported
    run = _cli(_ingest(tmp_path, folder), capsys)
    assert run.rc == 0 and "Files not recognised as data.police.uk files" in run.out
    for opt in ("--from", "--to"):
        run = _cli(_ingest(tmp_path, folder, opt, "0000-01"), capsys)
        _one_line(run, "ingest", f"column '{opt}'", "'0000-01'")
    cfg = _config(tmp_path, reporting_year="0000/01")
    run = _cli(["build", "--config", str(cfg)], capsys)
    _one_line(run, "build", "key 'reporting_year'", "'0000/01' is not a financial year")
    cfg = _config(tmp_path, town_centre__intervention__start="0000-01")
    run = _cli(["build", "--config", str(cfg)], capsys)
    _one_line(run, "build", "town_centre.intervention.start", "'0000-01' is not a month")
    # in the Month column of a 2024-01 file: counted in 2024-01 (the file's name) and reported
    _street(folder, data=ONE_MONTH.replace(b",2024-01,", b",0000-01,"))
    run = _cli(_ingest(tmp_path, folder), capsys)
    assert run.rc == 0 and "say 0000-01; counted in 2024-01" in run.out


@pytest.mark.parametrize("what", ["missing", "folder", "fifo"])
def test_lsoas_missing_or_a_folder(tmp_path: Path, capsys, what: str) -> None:
    police = _street(tmp_path / "police").parent
    target = tmp_path / "lsoas.csv"
    if what == "folder":
        target.mkdir()
    elif what == "fifo":
        os.mkfifo(target)
    run = _cli(_ingest(tmp_path, police, "--lsoas", str(target)), capsys)
    problem = {"missing": "not found", "folder": "is a folder", "fifo": "FIFO"}[what]
    _one_line(run, "ingest", "lsoas.csv", "column '--lsoas'", problem)
    assert not (tmp_path / "cube.csv").exists()


def test_label_with_dollar_signs_is_not_an_error(tmp_path: Path) -> None:
    cfg = _config(tmp_path, partnership="Safer $x^2$ Partnership")
    assert load_config(cfg).partnership == "Safer $x^2$ Partnership"


# ---------------------------------------------------------------------- loud, not silent
def _near_miss_month(folder: Path, n_good: int, n_odd: int) -> None:
    rows = [ROW.format(i=i, name="Sampleton 001A") for i in range(n_good)]
    rows += [ROW.format(i=n_good + i, name="Sampleton 001A (old)") for i in range(n_odd)]
    _street(folder, data=("\n".join([HEADER, *rows]) + "\n").encode())


def test_lsoa_name_with_extra_text_is_a_warning(tmp_path: Path, capsys) -> None:
    """17% of in-area rows named 'Sampleton 001A (old)' went to 'outside the area' with
    exit 0 and no word. They still do (the rule is exact), but loudly."""
    folder = tmp_path / "police"
    _near_miss_month(folder, 83, 17)
    run = _cli(_ingest(tmp_path, folder), capsys)
    assert run.rc == 0, run.err
    assert "Rows left outside the area whose LSOA name starts with the area's name" in run.out
    assert "17 row(s) (17.0% of the rows that name Sampleton)" in run.out
    assert "e.g. 'Sampleton 001A (old)'" in run.out and "street.csv:85" in run.out
    _, report = build_cube(folder, "Sampleton")
    assert report.total(LSOA_NAME_NEAR_MISS) == 17
    assert report.measure("in_area") + report.measure("outside_area") == 100
    rec = read_street(folder, area=AreaSelection.district("Sampleton"))
    assert rec.report.total(LSOA_NAME_NEAR_MISS) == 17


def test_a_few_near_misses_stay_quiet(tmp_path: Path) -> None:
    folder = tmp_path / "police"
    _near_miss_month(folder, 995, 5)  # 0.5%, under the 1% threshold
    _, report = build_cube(folder, "Sampleton")
    assert report.total(LSOA_NAME_NEAR_MISS) == 0 and report.measure("outside_area") == 5


class _StopBeforeKernels(SmpError):
    exit_code = 0


def test_near_misses_are_on_the_build_screen(tmp_path: Path, sample_dir: Path, capsys) -> None:
    """The build logs the quality summary before any notebook runs; the warning is in it."""
    from unittest import mock

    extra = tmp_path / "extra"
    rows = [ROW.format(i=i, name=f"Sampleton {i % 90 + 1:03d}A extra") for i in range(2000)]
    _street(extra, name="2024-06-otherforce-street.csv",
            data=("\n".join([HEADER, *rows]) + "\n").encode())  # fmt: skip
    cfg_path = sample_config(tmp_path, sample_dir)
    raw = yaml.safe_load(cfg_path.read_text(encoding="utf-8"))
    raw["data"]["police_uk"].append(str(extra))
    raw.pop("sample")
    cfg_path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with mock.patch(
        "smp_analysis.pipeline.build.execute_all", side_effect=_StopBeforeKernels("stop")
    ):
        run = _cli(["build", "--config", str(cfg_path)], capsys)
    assert run.rc == 0, run.err[-2000:]
    assert "data quality: Rows left outside the area whose LSOA name starts" in run.err
    assert "2,000 row(s)" in run.err


# ---------------------------------------------------------------------- limits themselves
def test_small_well_compressed_gzip_is_read(tmp_path: Path) -> None:
    """The ratio limit applies only past 8 MB of output: a small repetitive file is fine."""
    from smp_analysis.sources.limits import read_bytes

    p = tmp_path / "t.csv.gz"
    p.write_bytes(gzip.compress(b"a,b\n" + b"1,2\n" * 100_000))  # 400 KB at ~400:1
    assert read_bytes(p).count(b"\n") == 100_001


def test_config_errors_are_config_errors(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yml"
    cfg.write_text("partnership: " + "[" * 100 + "]" * 100 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(cfg)
    assert info.value.line == 1 and "\n" not in str(info.value)
