"""The parquet cache of the monthly cube: content fingerprints, keys, load and save.

With ``cache_dir`` :func:`smp_analysis.aggregate.build_cube` stores the cube and its
quality report as parquet + JSON under a key made of the package version, the area,
the options and the *content hash of every input file*, so an unchanged rebuild reads
no CSV. Hashing is cheap relative to parsing: a zip member's CRC-32 and size come from
the zip directory without reading the member; a plain CSV is hashed once with a
streamed SHA-256 (about 1.5 GB/s per core with the CPU's SHA instructions, files hashed
in parallel threads: 1.3 s for the 3.8 GB national archive of
``benchmarks/bench_ingest.py``, about a quarter of one ingest) and the digest is
remembered in ``cache_dir/fingerprints.json`` against the file's size and modification
time, so later runs only ``stat`` unchanged files. (A file rewritten with identical
size and modification time would not be re-hashed: delete the fingerprints file to
force it.)

An entry is three files, ``cube-<key>.counts.parquet``, ``cube-<key>.lsoas.parquet``
and ``cube-<key>.json``; the JSON is written last, atomically, and marks the entry
complete. A damaged entry is ignored and rebuilt.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> cube = Cube.from_counts(pd.DataFrame({"month": ["2024-01"], "lsoa_code": ["E1"],
...     "lsoa_name": ["A 001A"], "crime_type": ["Drugs"], "count": [2]}),
...     months_present=["2024-01"])
>>> save_cache(d, "k", cube, QualityReport())
>>> load_cache(d, "k")[0].counts["count"].tolist(), load_cache(d, "other") is None
([2], True)
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from os import PathLike
from pathlib import Path

import pandas as pd

from . import __version__
from .cube import Cube
from .quality import DUPLICATE_FILE, IGNORED_FILE, OUTSIDE_SPAN, QualityReport
from .sources.area import AreaSelection
from .sources.police_uk_format import PoliceFile

__all__ = [
    "CACHE_FORMAT",
    "file_digest",
    "Fingerprints",
    "cache_key",
    "load_cache",
    "save_cache",
    "period_months",
]

#: Bumped when the cached layout or the aggregation rules change.
CACHE_FORMAT = 2  # 2: near-miss LSOA-name counts in the quality report
_DISCOVERY_KINDS = {IGNORED_FILE, OUTSIDE_SPAN, DUPLICATE_FILE}


def file_digest(path: str | PathLike[str], *, chunk_size: int = 1 << 20) -> str:
    """SHA-256 hex digest of a file's content, streamed in chunks.

    SHA-256 rather than BLAKE2b because OpenSSL's SHA-256 uses the CPU's SHA
    instructions where present: measured 1.7 GB/s against 0.67 GB/s for ``blake2b``
    on the development machine, i.e. well under the cost of parsing the same bytes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = p.write_bytes(b"abc")
    >>> file_digest(p) == hashlib.sha256(b"abc").hexdigest()
    True
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(chunk_size):
            h.update(chunk)
    return h.hexdigest()


class Fingerprints:
    """``path → (size, mtime_ns, digest)`` remembered in ``cache_dir/fingerprints.json``."""

    def __init__(self, cache_dir: Path) -> None:
        self.path = cache_dir / "fingerprints.json"
        try:
            self.known: dict[str, list] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.known = {}
        self.changed = False

    def of(self, f: PoliceFile) -> str:
        if f.member is not None:  # zip member: CRC and size from the zip directory
            return f"crc32:{f.crc:08x}:{f.size}"
        st = f.path.stat()
        key = str(f.path.resolve())
        hit = self.known.get(key)
        if hit and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
            return str(hit[2])
        digest = "sha256:" + file_digest(f.path)
        self.known[key] = [st.st_size, st.st_mtime_ns, digest]
        self.changed = True
        return digest

    def of_all(self, files: Sequence[PoliceFile]) -> list[str]:
        """Fingerprints of many files. New digests are computed in threads: hashlib
        releases the GIL while hashing, so this runs on every core (2 threads halved the
        time on the development machine)."""
        todo = []
        for f in files:
            if f.member is None:
                st = f.path.stat()
                hit = self.known.get(str(f.path.resolve()))
                if not (hit and hit[0] == st.st_size and hit[1] == st.st_mtime_ns):
                    todo.append(f)
        if todo:
            workers = max(1, min(8, os.cpu_count() or 1, len(todo)))
            with ThreadPoolExecutor(max_workers=workers) as pool:
                digests = list(pool.map(lambda f: file_digest(f.path), todo))
            for f, digest in zip(todo, digests, strict=True):
                st = f.path.stat()
                self.known[str(f.path.resolve())] = [
                    st.st_size,
                    st.st_mtime_ns,
                    "sha256:" + digest,
                ]
                self.changed = True
        return [self.of(f) for f in files]

    def save(self) -> None:
        if self.changed:
            _atomic_write_text(self.path, json.dumps(self.known))


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _frame_digest(frame: pd.DataFrame | None) -> str:
    if frame is None:
        return "-"
    pairs = sorted(zip(frame["lsoa_code"].astype(str), frame["lsoa_name"].astype(str), strict=True))
    return hashlib.blake2b(
        "\n".join(f"{a}\t{b}" for a, b in pairs).encode(), digest_size=16
    ).hexdigest()


def cache_key(
    files: Sequence[PoliceFile],
    prints: Fingerprints,
    *,
    area: AreaSelection,
    start: object,
    end: object,
    lsoas: pd.DataFrame | None,
    known: frozenset[str] | None,
    unknown_categories: str,
) -> str:
    """The cache key: format, version, area, options and every input file's fingerprint."""
    h = hashlib.blake2b(digest_size=20)
    parts = [
        f"format={CACHE_FORMAT}",
        f"version={__version__}",
        f"area={area.key()}",
        f"start={start}",
        f"end={end}",
        f"lsoas={_frame_digest(lsoas)}",
        "known="
        + (hashlib.blake2b("\n".join(sorted(known)).encode()).hexdigest() if known else "-"),
        f"unknown={unknown_categories}",
    ]
    for f, digest in zip(files, prints.of_all(files), strict=True):
        parts.append(f"{f.kind}|{f.force}|{f.month}|{digest}")
    h.update("\n".join(parts).encode())
    return h.hexdigest()


def _cache_paths(cache_dir: Path, key: str) -> tuple[Path, Path, Path]:
    stem = cache_dir / f"cube-{key}"
    return (
        stem.with_suffix(".counts.parquet"),
        stem.with_suffix(".lsoas.parquet"),
        stem.with_suffix(".json"),
    )


def period_months(values: pd.Series) -> pd.PeriodIndex:
    """``YYYY-MM`` text → ``period[M]``, parsing each distinct month once."""
    cat = pd.Categorical(values.astype("str"))
    uniques = pd.PeriodIndex([pd.Period(m, freq="M") for m in cat.categories], freq="M")
    return uniques[cat.codes] if len(cat) else pd.PeriodIndex([], freq="M")


def save_cache(cache_dir: Path, key: str, cube: Cube, report: QualityReport) -> None:
    """Store the cube and report under ``key`` (discovery issues are not stored)."""
    counts_p, lsoas_p, meta_p = _cache_paths(cache_dir, key)
    cache_dir.mkdir(parents=True, exist_ok=True)
    for frame, target in ((cube.counts, counts_p), (cube.lsoas, lsoas_p)):
        out = frame.copy()
        if "month" in out:
            out["month"] = out["month"].astype(str)
        tmp = target.with_name(".tmp-" + target.name)
        out.to_parquet(tmp, index=False)
        os.replace(tmp, target)
    stored = QualityReport(
        issues=tuple(i for i in report.issues if i.kind not in _DISCOVERY_KINDS),
        coverage=report.coverage,
        counts=report.counts,
        area=report.area,
    )
    meta = {
        "months_expected": [str(cube.months_expected[0]), str(cube.months_expected[-1])],
        "months_present": [str(m) for m in cube.months_present],
        "area": cube.area,
        "meta": {k: v for k, v in cube.meta.items() if k != "from_cache"},
        "report": stored.to_json(),
    }
    _atomic_write_text(meta_p, json.dumps(meta))  # written last: marks the entry complete


def load_cache(cache_dir: Path, key: str) -> tuple[Cube, QualityReport] | None:
    """The cube and report stored under ``key``, or ``None`` (absent or damaged)."""
    counts_p, lsoas_p, meta_p = _cache_paths(cache_dir, key)
    if not (meta_p.is_file() and counts_p.is_file() and lsoas_p.is_file()):
        return None
    try:
        meta = json.loads(meta_p.read_text())
        counts = pd.read_parquet(counts_p)
        lsoas = pd.read_parquet(lsoas_p)
        report = QualityReport.from_json(meta["report"])
    except (OSError, ValueError, KeyError):
        return None  # a damaged entry is rebuilt
    counts["month"] = period_months(counts["month"])
    cube = Cube.from_counts(
        counts,
        months_present=meta["months_present"],
        start=meta["months_expected"][0],
        end=meta["months_expected"][1],
        lsoas=lsoas,
        area=meta["area"],
        meta={**meta["meta"], "from_cache": True},
    )
    return cube, report
