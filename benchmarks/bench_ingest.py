"""Time the monthly-cube ingest against the obvious pandas version, and its peak memory.

Two synthetic workloads in the data.police.uk layout (``YYYY-MM/YYYY-MM-<force>-street.csv``,
the 12 published columns, ~17% ASB, ~1.5% rows without location, one district named
"Maidstone" inside the first force), written to a temporary folder by a generator that
builds each force's rows once with numpy/pyarrow and writes every file with DuckDB:

* ``kent``: one force, 36 months × ~15,000 rows (≈ 540,000 rows, the size of Kent);
* ``national``: 43 forces × 36 months, ≈ 18 million rows (a whole archive).

Contenders, each run in a fresh subprocess so its peak memory can be read with
``os.wait4`` (the child's own ``ru_maxrss``):

* ``build_cube``: :func:`smp_analysis.aggregate.build_cube` (one DuckDB pass, no cache);
* ``build_cube_cached``: the same call again with a warm cache (no CSV is parsed);
* ``pandas``: ``pd.concat([pd.read_csv(f) for f in files])``, filter on the LSOA-name
  pattern, ``groupby(month, LSOA, type).size()`` — the obvious version;
* ``pandas_usecols``: the same reading only the 4 needed columns (a tuned pandas).

Every contender's counts are checked equal before the figures are reported. Also timed:
hashing every input file with BLAKE2b (the cache's cost on a cold cache) vs parsing.

Run: ``.venv/bin/python benchmarks/bench_ingest.py [--repeat 3] [--national-repeat 3]
[--skip-national] [--quick]``. Prints medians and ratios; writes JSON to
``benchmarks/results/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import binascii
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
COLUMNS = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
]  # fmt: skip
# shares roughly as in the real Kent files (violence ~36%, ASB ~15%)
TYPES = {
    "Anti-social behaviour": 0.15, "Bicycle theft": 0.012, "Burglary": 0.031,
    "Criminal damage and arson": 0.084, "Drugs": 0.038, "Other crime": 0.031,
    "Other theft": 0.086, "Possession of weapons": 0.009, "Public order": 0.045,
    "Robbery": 0.0075, "Shoplifting": 0.093, "Theft from the person": 0.0147,
    "Vehicle crime": 0.044, "Violence and sexual offences": 0.3548,
}  # fmt: skip
OUTCOMES = [
    "Under investigation", "Investigation complete; no suspect identified",
    "Unable to prosecute suspect", "Awaiting court outcome", "Offender given a caution",
    "Further investigation is not in the public interest", "Status update unavailable",
]  # fmt: skip
MONTHS = [f"{y}-{m:02d}" for y in (2022, 2023, 2024, 2025) for m in range(1, 13)][3:39]  # 36


# ---------------------------------------------------------------------- generator
def _force_template(rng, force_i: int, n: int):
    """n rows of one force's non-varying columns, as a pyarrow table."""
    import numpy as np
    import pyarrow as pa

    districts = ["Maidstone" if force_i == 0 else f"District{force_i:02d}x{d}" for d in range(1)]
    districts += [f"District{force_i:02d}x{d}" for d in range(1, 10)]
    lsoa_names = [f"{d} {m:03d}{ch}" for d in districts for m in range(1, 21) for ch in "ABCD"]
    lsoa_codes = [f"E01{force_i:02d}{j:04d}" for j in range(len(lsoa_names))]
    streets = [f"On or near Street {k}" for k in range(400)] + ["On or near Parking Area"]
    pick = rng.integers(0, len(lsoa_names), n)
    noloc = rng.random(n) < 0.015
    types = list(TYPES)
    probs = np.array(list(TYPES.values()))
    t = rng.choice(len(types), n, p=probs / probs.sum())
    is_asb = t == 0
    name = np.array(lsoa_names, dtype=object)[pick]
    code = np.array(lsoa_codes, dtype=object)[pick]
    lon = np.char.mod("%.6f", 0.2 + rng.random(n)).astype(object)
    lat = np.char.mod("%.6f", 51.0 + rng.random(n)).astype(object)
    loc = np.array(streets, dtype=object)[rng.integers(0, len(streets), n)]
    for arr, blank in ((name, None), (code, None), (lon, None), (lat, None)):
        arr[noloc] = blank
    loc[noloc] = "No Location"
    outcome = np.array(OUTCOMES, dtype=object)[rng.integers(0, len(OUTCOMES), n)]
    outcome[is_asb] = None
    label = f"Force {force_i:02d} Police"
    return pa.table(
        {
            "Reported by": pa.array([label] * n),
            "Falls within": pa.array([label] * n),
            "Longitude": pa.array(lon, pa.string()),
            "Latitude": pa.array(lat, pa.string()),
            "Location": pa.array(loc, pa.string()),
            "LSOA code": pa.array(code, pa.string()),
            "LSOA name": pa.array(name, pa.string()),
            "Crime type": pa.array(np.array(types, dtype=object)[t], pa.string()),
            "Last outcome category": pa.array(outcome, pa.string()),
            "Context": pa.nulls(n, pa.string()),
        }
    ), is_asb


def generate(root: Path, n_forces: int, rows_per_month: int, seed: int = 7) -> int:
    """Write the synthetic archive; return the number of rows written."""
    import duckdb
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(seed)
    con = duckdb.connect()
    total = 0
    for fi in range(n_forces):
        n_force = int(rows_per_month * rng.uniform(0.5, 1.5)) if n_forces > 1 else rows_per_month
        cap = int(n_force * 1.1)
        template, is_asb = _force_template(rng, fi, cap)
        asb_mask = pa.array(is_asb)
        slug = f"force-{fi:02d}"
        for month in MONTHS:
            n = int(n_force * rng.uniform(0.9, 1.1))
            ids = binascii.hexlify(rng.bytes(n * 32))
            idarr = pa.Array.from_buffers(pa.binary(64), n, [None, pa.py_buffer(ids)])
            idarr = pc.if_else(asb_mask[:n], None, idarr.cast(pa.binary()).cast(pa.string()))
            body = template.slice(0, n)
            table = pa.table(
                {
                    "Crime ID": idarr,
                    "Month": pa.array([month] * n),
                    **{c: body[c] for c in COLUMNS[2:]},
                }
            )
            out = root / month / f"{month}-{slug}-street.csv"
            out.parent.mkdir(parents=True, exist_ok=True)
            con.register("t", table)
            con.execute(f"COPY t TO '{out}' (HEADER, DELIMITER ',')")
            con.unregister("t")
            total += n
    con.close()
    return total


# ---------------------------------------------------------------------- contenders (children)
def _files(root: Path) -> list[Path]:
    return sorted(root.rglob("*-street.csv"))


def run_variant(name: str, root: Path, cache: Path) -> dict:
    """Run one contender in this process; return its counts and wall time (imports untimed)."""
    import pandas as pd

    if name.startswith("build_cube"):
        from smp_analysis.aggregate import build_cube  # only this contender loads duckdb

        t0 = time.perf_counter()
        cube, report = build_cube(
            root, "Maidstone", cache_dir=cache if name == "build_cube_cached" else None
        )
        counts = cube.counts.assign(month=cube.counts["month"].astype(str))
        extra = {"rows_read": report.measure("rows_read"), "from_cache": cube.meta["from_cache"]}
    elif name.startswith("pandas"):
        usecols = ["LSOA code", "LSOA name", "Crime type"] if name == "pandas_usecols" else None
        t0 = time.perf_counter()
        frames = []
        for f in _files(root):
            d = pd.read_csv(f, usecols=usecols)
            d["month"] = f.name[:7]
            frames.append(d)
        df = pd.concat(frames, ignore_index=True)
        rows = len(df)
        inside = df[df["LSOA name"].str.fullmatch(r"Maidstone \d{3}[A-Z]", na=False)]
        counts = (
            inside.groupby(["month", "LSOA code", "LSOA name", "Crime type"])
            .size()
            .rename("count")
            .reset_index()
            .rename(
                columns={
                    "LSOA code": "lsoa_code",
                    "LSOA name": "lsoa_name",
                    "Crime type": "crime_type",
                }
            )
        )
        extra = {"rows_read": rows}
    else:
        raise SystemExit(f"unknown variant {name}")
    seconds = time.perf_counter() - t0
    key = counts.sort_values(["month", "lsoa_code", "crime_type"])
    checksum = int(
        pd.util.hash_pandas_object(
            key[["month", "lsoa_code", "crime_type", "count"]].astype(str), index=False
        ).sum()
        % (2**61)
    )
    return {"seconds": seconds, "cells": len(counts), "total": int(counts["count"].sum()),
            "checksum": checksum, **extra}  # fmt: skip


def in_child(name: str, root: Path, cache: Path) -> dict:
    """Run a contender in a fresh interpreter; add its own peak RSS (MB) from wait4."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", name, "--root", str(root), "--cache", str(cache)],
        stdout=subprocess.PIPE,
        text=True,
    )
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{name} failed with exit code {proc.returncode}")
    res = json.loads(out.strip().splitlines()[-1])
    res["peak_rss_mb"] = usage.ru_maxrss / 1024  # Linux: kilobytes
    return res


def hash_seconds(root: Path, tmp: Path) -> float:
    """Time the cache's fingerprinting of every file from scratch (a cold cache)."""
    from smp_analysis.aggregate import _Fingerprints
    from smp_analysis.sources.police_uk import find_police_files

    files, _ = find_police_files(root)
    empty = tmp / "fingerprints-timing"
    shutil.rmtree(empty, ignore_errors=True)
    t0 = time.perf_counter()
    _Fingerprints(empty).of_all(files)
    return time.perf_counter() - t0


# ---------------------------------------------------------------------- driver
def bench(label: str, n_forces: int, rows: int, repeat: int, tmp: Path, pandas_plain: bool) -> dict:
    root = tmp / label
    t0 = time.perf_counter()
    written = generate(root, n_forces, rows)
    gen_s = time.perf_counter() - t0
    size = sum(f.stat().st_size for f in _files(root))
    print(f"\n[{label}] {n_forces} force(s) × {len(MONTHS)} months: {written:,} rows, "
          f"{size / 1e9:.2f} GB written in {gen_s:.1f} s")  # fmt: skip
    cache = tmp / f"{label}-cache"
    variants = ["build_cube", "pandas_usecols"] + (["pandas"] if pandas_plain else [])
    runs: dict[str, list[dict]] = {v: [] for v in [*variants, "build_cube_cached"]}
    # warm the OS file cache once so every contender reads from memory alike
    for f in _files(root):
        f.read_bytes()
    for _ in range(repeat):
        for v in variants:
            runs[v].append(in_child(v, root, cache))
            print(f"  {v:18s} {runs[v][-1]['seconds']:7.2f} s  "
                  f"{runs[v][-1]['peak_rss_mb']:7.0f} MB")  # fmt: skip
    shutil.rmtree(cache, ignore_errors=True)
    in_child("build_cube_cached", root, cache)  # fills the cache (hashes every file)
    for _ in range(repeat):
        runs["build_cube_cached"].append(in_child("build_cube_cached", root, cache))
    hashing = hash_seconds(root, tmp)
    # all contenders must agree
    ref = runs["build_cube"][0]
    for v, rs in runs.items():
        for r in rs:
            assert (r["total"], r["cells"], r["checksum"]) == (
                ref["total"], ref["cells"], ref["checksum"],
            ), f"{v} disagrees with build_cube: {r} vs {ref}"  # fmt: skip
            assert r["rows_read"] == written or v == "build_cube_cached"
    med = {v: statistics.median(r["seconds"] for r in rs) for v, rs in runs.items()}
    mem = {v: max(r["peak_rss_mb"] for r in rs) for v, rs in runs.items()}
    summary = {
        "rows": written,
        "bytes": size,
        "files": len(_files(root)),
        "generate_seconds": gen_s,
        "median_seconds": med,
        "peak_rss_mb": mem,
        "speedup_vs_pandas_usecols": med["pandas_usecols"] / med["build_cube"],
        "hash_all_files_seconds": hashing,
        "hash_vs_parse": hashing / med["build_cube"],
        "runs": runs,
    }
    if pandas_plain:
        summary["speedup_vs_pandas"] = med["pandas"] / med["build_cube"]
    print("  medians: " + ", ".join(f"{v} {s:.2f} s" for v, s in med.items()))
    print("  peak RSS: " + ", ".join(f"{v} {m:.0f} MB" for v, m in mem.items()))
    if pandas_plain:
        print(f"  build_cube is {summary['speedup_vs_pandas']:.1f}× faster than pandas read_csv")
    print(f"  build_cube is {summary['speedup_vs_pandas_usecols']:.1f}× faster than pandas "
          f"with usecols; hashing all files takes {hashing:.2f} s "
          f"({summary['hash_vs_parse']:.0%} of one build)")  # fmt: skip
    return summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per contender (Kent size)")
    ap.add_argument("--national-repeat", type=int, default=3, help="runs per contender (national)")
    ap.add_argument("--skip-national", action="store_true")
    ap.add_argument("--quick", action="store_true", help="tiny sizes (a smoke test)")
    ap.add_argument("--tmp", help="folder for the generated data (default: a temp folder)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--root", help=argparse.SUPPRESS)
    ap.add_argument("--cache", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_variant(args.child, Path(args.root), Path(args.cache))))
        return
    import duckdb
    import pandas as pd
    import pyarrow as pa

    tmp = Path(args.tmp) if args.tmp else Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    tmp.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "benchmark": "bench_ingest",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },  # fmt: skip
        "versions": {
            "duckdb": duckdb.__version__,
            "pandas": pd.__version__,
            "pyarrow": pa.__version__,
        },  # fmt: skip
    }
    try:
        kent_rows = 1500 if args.quick else 15_000
        results["kent"] = bench("kent", 1, kent_rows, args.repeat, tmp, pandas_plain=True)
        if not args.skip_national:
            nat_rows = 400 if args.quick else 11_600  # × 43 forces × 36 months ≈ 18 million
            results["national"] = bench(
                "national", 43, nat_rows, args.national_repeat, tmp, pandas_plain=True
            )
    finally:
        if not args.tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"bench_ingest-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(results, indent=2, default=str))
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
