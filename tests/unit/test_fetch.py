"""Archive download: a local HTTP server on 127.0.0.1 (never the internet).

The server is started in the test and serves small zips built in the test, with
HTTP Range support, and can misbehave on purpose: drop the connection part-way,
ignore Range, or answer 404.
"""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from smp_analysis.cli import main
from smp_analysis.errors import InputError
from smp_analysis.sources.fetch import (
    ARCHIVE_MONTHS,
    FetchError,
    archives_for,
    download,
    extract_force,
    fetch,
)
from smp_analysis.sources.police_uk import STREET_COLUMNS


def make_archive(last: str, forces=("kent", "essex"), skip: tuple[str, ...] = ()) -> bytes:
    """An archive like data.police.uk's: 36 months ending ``last``, three kinds per force."""
    buf = io.BytesIO()
    months = pd.period_range(end=pd.Period(last, "M"), periods=ARCHIVE_MONTHS, freq="M")
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for m in months:
            if str(m) in skip:
                continue
            for force in forces:
                row = (
                    f"id-{force}-{m},{m},P,P,0.5,51.2,On or near X,E01024337,Maidstone 001A,Drugs,,"
                )
                body = ",".join(STREET_COLUMNS) + "\n" + (row + "\n") * 200
                zf.writestr(f"{m}/{m}-{force}-street.csv", body)
                zf.writestr(f"{m}/{m}-{force}-outcomes.csv", "Crime ID\n")
                zf.writestr(f"{m}/{m}-{force}-stop-and-search.csv", "Type\n")
    return buf.getvalue()


class Server:
    """State shared with the handler: files, behaviour switches and a request log."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.drop_after: int | None = None  # close the connection after this many bytes, once
        self.ignore_range = False
        self.requests: list[dict[str, str | None]] = []


def _handler(state: Server):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:
            name = self.path.rsplit("/", 1)[-1]
            rng = self.headers.get("Range")
            state.requests.append({"path": name, "range": rng})
            body = state.files.get(name)
            if body is None:
                self.send_error(404, "Not Found")
                return
            start = 0
            if rng and not state.ignore_range:
                start = int(rng.removeprefix("bytes=").split("-")[0])
                if start >= len(body):
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(body)}")
                    self.end_headers()
                    return
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            else:
                self.send_response(200)
            chunk = body[start:]
            self.send_header("Content-Length", str(len(chunk)))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            if state.drop_after is not None:
                n, state.drop_after = state.drop_after, None
                self.wfile.write(chunk[:n])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(chunk)

    return Handler


@pytest.fixture()
def server() -> Iterator[tuple[Server, str]]:
    state = Server()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{httpd.server_address[1]}/data/archive/"
    finally:
        httpd.shutdown()
        httpd.server_close()


# ---------------------------------------------------------------------- choosing archives
def test_one_archive_covers_36_months() -> None:
    assert [str(a) for a in archives_for("2022-04", "2025-03")] == ["2025-03"]


def test_fewest_archives_for_a_long_span() -> None:
    got = archives_for("2015-01", "2025-03")  # 123 months → ceil(123 / 36) = 4 archives
    assert [str(a) for a in got] == ["2025-03", "2022-03", "2019-03", "2016-03"]
    covered = set()
    for a in got:
        covered |= set(pd.period_range(end=a, periods=36, freq="M"))
    assert set(pd.period_range("2015-01", "2025-03", freq="M")) <= covered


def test_span_of_37_months_needs_two() -> None:
    assert len(archives_for("2022-03", "2025-03")) == 2


# ---------------------------------------------------------------------- download
def test_download_resumes_a_partial_file_with_range(server, tmp_path: Path) -> None:
    state, base = server
    body = make_archive("2024-12")
    state.files["2024-12.zip"] = body
    dest = tmp_path / "2024-12.zip"
    (tmp_path / "2024-12.zip.part").write_bytes(body[:1000])  # an earlier, interrupted run
    download(base + "2024-12.zip", dest, progress=False)
    assert dest.read_bytes() == body
    assert state.requests == [{"path": "2024-12.zip", "range": "bytes=1000-"}]
    assert not (tmp_path / "2024-12.zip.part").exists()


def test_dropped_connection_is_resumed_in_the_same_call(server, tmp_path: Path) -> None:
    state, base = server
    body = make_archive("2024-12")
    state.files["2024-12.zip"] = body
    state.drop_after = 5000
    download(base + "2024-12.zip", tmp_path / "a.zip", progress=False)
    assert (tmp_path / "a.zip").read_bytes() == body
    assert [r["range"] for r in state.requests] == [None, "bytes=5000-"]


def test_server_ignoring_range_restarts_cleanly(server, tmp_path: Path) -> None:
    state, base = server
    body = make_archive("2024-12")
    state.files["2024-12.zip"] = body
    state.ignore_range = True
    (tmp_path / "a.zip.part").write_bytes(b"garbage that is not the start of the file")
    download(base + "2024-12.zip", tmp_path / "a.zip", progress=False)
    assert (tmp_path / "a.zip").read_bytes() == body


def test_complete_part_file_answered_416_is_accepted(server, tmp_path: Path) -> None:
    state, base = server
    body = make_archive("2024-12")
    state.files["2024-12.zip"] = body
    (tmp_path / "a.zip.part").write_bytes(body)
    download(base + "2024-12.zip", tmp_path / "a.zip", progress=False)
    assert (tmp_path / "a.zip").read_bytes() == body


def test_not_a_zip_is_rejected_and_removed(server, tmp_path: Path) -> None:
    state, base = server
    state.files["2024-12.zip"] = b"<html>maintenance</html>"
    with pytest.raises(FetchError, match="not a valid zip"):
        download(base + "2024-12.zip", tmp_path / "a.zip", progress=False)
    assert not (tmp_path / "a.zip").exists() and not (tmp_path / "a.zip.part").exists()


def test_404_says_not_published(server, tmp_path: Path) -> None:
    _, base = server
    with pytest.raises(FetchError, match="HTTP 404.*not published yet"):
        download(base + "2099-01.zip", tmp_path / "a.zip", progress=False)


# ---------------------------------------------------------------------- extraction / fetch
def test_extract_only_the_force_and_months(tmp_path: Path) -> None:
    z = tmp_path / "2024-12.zip"
    z.write_bytes(make_archive("2024-12"))
    files = extract_force(z, "kent", tmp_path / "out", start="2024-11", end="2024-12")
    names = sorted(p.name for p in files)
    assert names == [
        "2024-11-kent-outcomes.csv", "2024-11-kent-stop-and-search.csv", "2024-11-kent-street.csv",
        "2024-12-kent-outcomes.csv", "2024-12-kent-stop-and-search.csv", "2024-12-kent-street.csv",
    ]  # fmt: skip
    assert not list((tmp_path / "out").rglob("*essex*"))
    assert (tmp_path / "out" / "2024-11" / "2024-11-kent-street.csv").is_file()


def test_extract_unknown_force_lists_the_slugs(tmp_path: Path) -> None:
    z = tmp_path / "2024-12.zip"
    z.write_bytes(make_archive("2024-12"))
    with pytest.raises(InputError, match="no files for force 'kentt'.*essex, kent"):
        extract_force(z, "kentt", tmp_path / "out")


def test_damaged_member_fails_crc(tmp_path: Path) -> None:
    body = bytearray(make_archive("2024-12", forces=("kent",)))
    with zipfile.ZipFile(io.BytesIO(bytes(body))) as zf:
        info = zf.getinfo("2024-12/2024-12-kent-street.csv")
    # flip bytes in the middle of the member's compressed data
    data_start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    mid = data_start + info.compress_size // 2
    body[mid : mid + 4] = bytes(b ^ 0xFF for b in body[mid : mid + 4])
    z = tmp_path / "2024-12.zip"
    z.write_bytes(bytes(body))
    with pytest.raises(FetchError, match="damaged"):
        extract_force(z, "kent", tmp_path / "out", start="2024-12", end="2024-12")


def test_fetch_two_archives_for_a_long_span(server, tmp_path: Path) -> None:
    state, base = server
    state.files["2024-12.zip"] = make_archive("2024-12")
    state.files["2021-12.zip"] = make_archive("2021-12", skip=("2020-06",))
    r = fetch("kent", "2020-01", "2024-12", tmp_path / "raw", base_url=base, progress=False)
    assert [p.name for p in r.archives] == ["2024-12.zip", "2021-12.zip"]
    street = [p for p in r.files if p.name.endswith("-street.csv")]
    assert len(street) == 60 - 1
    assert r.missing_months == ("2020-06",)
    # a second run downloads nothing
    n = len(state.requests)
    fetch("kent", "2020-01", "2024-12", tmp_path / "raw", base_url=base, progress=False)
    assert len(state.requests) == n


def test_cli_fetch_then_ingest(server, tmp_path: Path, capsys) -> None:
    state, base = server
    state.files["2024-12.zip"] = make_archive("2024-12")
    out = tmp_path / "raw"
    rc = main(["fetch", "--force", "kent", "--from", "2024-10", "--to", "2024-12",
               "--out", str(out), "--base-url", base])  # fmt: skip
    stdout = capsys.readouterr().out
    assert rc == 0 and "kent: 9 file(s) for 2024-10 – 2024-12 from 1 archive(s)" in stdout
    rc = main(["ingest", "--source", str(out / "2024-10"), str(out / "2024-11"),
               str(out / "2024-12"), "--area", "Maidstone", "--out", str(tmp_path / "c.csv")])  # fmt: skip
    assert rc == 0
    assert pd.read_csv(tmp_path / "c.csv")["count"].sum() == 3 * 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2024-13", "--to", "2024-12"], "column '--from': '2024-13' is not a month"),
        (["--from", "2024-12", "--to", "2024-01"], "--from 2024-12 is after --to 2024-01"),
        (["--from", "2024-01", "--to", "2999-01"], "column '--to': --to 2999-01 is in the future"),
    ],
)
def test_cli_fetch_bad_arguments_exit_2(args, message, tmp_path, capsys) -> None:
    rc = main(["fetch", "--force", "kent", *args, "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 2 and message in err and "Fix:" in err


def test_cli_fetch_network_failure_exits_1(server, tmp_path: Path, capsys) -> None:
    _, base = server
    rc = main(["fetch", "--force", "kent", "--from", "2024-01", "--to", "2024-02",
               "--out", str(tmp_path), "--base-url", base])  # fmt: skip
    err = capsys.readouterr().err
    assert rc == 1 and "HTTP 404" in err and "Traceback" not in err
