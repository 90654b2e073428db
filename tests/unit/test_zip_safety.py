"""Hostile archive zips are refused with one clear error, and nothing escapes staging.

Zip members are staged (extracted) to a private temporary folder before DuckDB reads
them. A member whose name is absolute or climbs out with ``..`` must not be written
outside that folder (zip slip); encrypted members, compression methods Python cannot
read (deflate64) and symbolic links are refused too. Each case is checked through the
reader (:class:`InputError` naming the zip, the member and a fix), through
``staged`` directly (the second line of defence), and through ``smp-analysis ingest``
(exit 2, one line on stderr, no traceback).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from smp_analysis.aggregate import build_cube
from smp_analysis.cli import main
from smp_analysis.errors import InputError
from smp_analysis.sources.police_uk import (
    STREET_COLUMNS,
    PoliceFile,
    find_police_files,
    read_street,
    staged,
)

NAME = "2024-01-kent-street.csv"
ROW = "a1,2024-01,Kent Police,Kent Police,0.5,51.2,On or near X,E01024337,Maidstone 001A,Drugs,,"
CSV = ("\n".join([",".join(STREET_COLUMNS), ROW]) + "\n").encode()


# ---------------------------------------------------------------------- building zips
def _patch_header(zpath: Path, *, flags: int | None = None, method: int | None = None) -> None:
    """Rewrite the flag bits or compression method of a one-member zip, in both headers.

    :mod:`zipfile` resets ``flag_bits`` and refuses unknown methods when writing, so the
    hostile bytes are patched in afterwards: local header at offset 0 (flags at +6,
    method at +8), central directory entry (flags at +8, method at +10).
    """
    data = bytearray(zpath.read_bytes())
    local = 0
    central = data.rindex(b"PK\x01\x02")
    assert data[local : local + 4] == b"PK\x03\x04"
    if flags is not None:
        data[local + 6 : local + 8] = flags.to_bytes(2, "little")
        data[central + 8 : central + 10] = flags.to_bytes(2, "little")
    if method is not None:
        data[local + 8 : local + 10] = method.to_bytes(2, "little")
        data[central + 10 : central + 12] = method.to_bytes(2, "little")
    zpath.write_bytes(bytes(data))


def _zip(zpath: Path, member: str, payload: bytes = CSV, *, symlink: bool = False) -> Path:
    info = zipfile.ZipInfo(member, date_time=(2024, 2, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    if symlink:
        info.create_system = 3  # Unix: the high 16 bits of external_attr are st_mode
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr(info, payload)
    return zpath


def _hostile(case: str, tmp_path: Path) -> tuple[Path, str, Path | None, str]:
    """(zip, member name, path an escape would write, words the message must contain)."""
    z = tmp_path / "in" / "2024-01.zip"
    z.parent.mkdir(exist_ok=True)
    if case == "relative_escape":
        # staging is <tmp>/staging/smp-police-uk-XXXX/<n>/ : three levels up is <tmp>
        member = f"../../../escaped/{NAME}"
        _zip(z, member)
        return z, member, tmp_path / "escaped" / NAME, "'..'"
    if case == "deep_relative_escape":
        member = f"2024-01/../../../../escaped2/{NAME}"
        _zip(z, member)
        return z, member, tmp_path / "escaped2" / NAME, "'..'"
    if case == "backslash_escape":
        member = f"..\\..\\..\\escaped3/{NAME}"
        _zip(z, member)
        return z, member, None, "'..'"
    if case == "absolute":
        target = tmp_path / "evil" / NAME
        member = str(target)
        _zip(z, member)
        return z, member, target, "absolute path"
    if case == "drive_letter":
        member = f"C:/evil/{NAME}"
        _zip(z, member)
        return z, member, None, "absolute path"
    if case == "encrypted":
        member = f"2024-01/{NAME}"
        _zip(z, member)
        _patch_header(z, flags=0x1)
        return z, member, None, "encrypted"
    if case == "deflate64":
        member = f"2024-01/{NAME}"
        _zip(z, member)
        _patch_header(z, method=9)
        return z, member, None, "deflate64"
    if case == "symlink":
        target = tmp_path / "linked" / NAME
        member = f"2024-01/{NAME}"
        _zip(z, member, str(target).encode(), symlink=True)
        return z, member, None, "symbolic link"
    raise AssertionError(case)


CASES = [
    "relative_escape",
    "deep_relative_escape",
    "backslash_escape",
    "absolute",
    "drive_letter",
    "encrypted",
    "deflate64",
    "symlink",
]


@pytest.fixture
def staging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point :mod:`tempfile` at ``<tmp>/staging`` so an escape would land inside tmp_path."""
    root = tmp_path / "staging"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def _assert_refused(err: InputError, z: Path, member: str, words: str) -> None:
    msg = str(err)
    assert "\n" not in msg, msg
    assert f"{z}[" in msg, msg
    assert member in msg, msg
    assert words in msg, msg
    assert ". Fix: " in msg, msg
    assert err.exit_code == 2


def _assert_nothing_written(tmp_path: Path, staging: Path, before: set[Path], escape) -> None:
    if escape is not None:
        assert not escape.exists(), f"zip slip: {escape} was written"
        assert not escape.parent.exists(), f"zip slip: {escape.parent} was created"
    assert _files(tmp_path) == before, "a file was written"
    assert list(staging.iterdir()) == [], "the staging folder was not removed"


# ---------------------------------------------------------------------- the reader
@pytest.mark.parametrize("case", CASES)
def test_reader_refuses_hostile_member(case: str, tmp_path: Path, staging: Path) -> None:
    z, member, escape, words = _hostile(case, tmp_path)
    before = _files(tmp_path)
    with pytest.raises(InputError) as info:
        read_street(z)
    _assert_refused(info.value, z, member, words)
    _assert_nothing_written(tmp_path, staging, before, escape)


@pytest.mark.parametrize("case", CASES)
def test_build_cube_refuses_hostile_member(case: str, tmp_path: Path, staging: Path) -> None:
    z, member, escape, words = _hostile(case, tmp_path)
    before = _files(tmp_path)
    with pytest.raises(InputError) as info:
        build_cube(z.parent, "Maidstone")  # the zip found by searching its folder
    _assert_refused(info.value, z, member, words)
    _assert_nothing_written(tmp_path, staging, before, escape)


@pytest.mark.parametrize("case", CASES)
def test_staged_refuses_hostile_member(case: str, tmp_path: Path, staging: Path) -> None:
    """``staged`` checks again: a PoliceFile built by hand never bypasses the checks."""
    z, member, escape, words = _hostile(case, tmp_path)
    f = PoliceFile("street", "kent", pd.Period("2024-01", "M"), z, member, len(CSV))
    before = _files(tmp_path)
    with pytest.raises(InputError) as info, staged([f]):
        pass
    _assert_refused(info.value, z, member, words)
    _assert_nothing_written(tmp_path, staging, before, escape)


def test_staged_extracts_by_base_name_into_a_private_folder(tmp_path: Path, staging: Path) -> None:
    z = _zip(tmp_path / "2024-01.zip", f"2024-01/deeper/{NAME}")
    files, _ = find_police_files(z)
    with staged(files) as local:
        (path,) = local
        p = Path(path)
        assert p.name == NAME
        assert p.parent.parent.parent == staging  # <staging>/smp-police-uk-XXXX/<n>/NAME
        assert (p.parent.parent.stat().st_mode & 0o777) == 0o700
        assert p.read_bytes() == CSV
    assert list(staging.iterdir()) == []


def test_members_not_named_as_police_files_are_never_read(tmp_path: Path, staging: Path) -> None:
    """Hostile members whose base name is not a data.police.uk file name are skipped unread."""
    z = tmp_path / "2024-01.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(f"2024-01/{NAME}", CSV)
        zf.writestr("../../../escaped/readme.txt", b"x")
    before = _files(tmp_path)
    rec = read_street(z)
    assert len(rec.crimes) == 1
    assert not (tmp_path / "escaped").exists()
    assert _files(tmp_path) == before


@pytest.mark.parametrize(
    "method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]
)
def test_compression_methods_python_reads_are_accepted(tmp_path: Path, method: int) -> None:
    z = tmp_path / "2024-01.zip"
    with zipfile.ZipFile(z, "w", method) as zf:
        zf.writestr(f"2024-01/{NAME}", CSV)
    assert len(read_street(z).crimes) == 1


# ---------------------------------------------------------------------- the command line
@pytest.mark.parametrize("case", CASES)
def test_ingest_exits_2_with_one_line(
    case: str, tmp_path: Path, staging: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    z, member, escape, words = _hostile(case, tmp_path)
    out = tmp_path / "cube.csv"
    before = _files(tmp_path)
    rc = main(["ingest", "--source", str(z), "--area", "Maidstone", "--out", str(out)])
    stdout, err = capsys.readouterr()
    assert rc == 2
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert err.startswith("smp-analysis ingest: error: "), err
    assert "Traceback" not in err
    assert f"{z}[" in err and member in err and words in err and ". Fix: " in err, err
    assert not out.exists()
    _assert_nothing_written(tmp_path, staging, before, escape)


@pytest.mark.parametrize("case", ["relative_escape", "encrypted"])
def test_ingest_process_exits_2_without_traceback(case: str, tmp_path: Path) -> None:
    """The real process: exit status 2, one line on stderr, TMPDIR left empty."""
    staging = tmp_path / "staging"
    staging.mkdir()
    z, member, escape, words = _hostile(case, tmp_path)
    out = tmp_path / "cube.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "smp_analysis.cli", "ingest", "--source", str(z),
         "--area", "Maidstone", "--out", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(staging)},
        timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert member in proc.stderr and words in proc.stderr
    assert not out.exists()
    if escape is not None:
        assert not escape.exists()
    assert list(staging.iterdir()) == []
