"""Scale of ``build-many``: ingest for a force and a national archive, and the batch speed-up.

Three measurements, each printed and written as JSON to ``benchmarks/results/``:

1. **Kent** (the real files in ``../shared/data/real/police_uk_street``, skipped when
   absent): the monthly cubes of all 13 Kent areas (12 districts and Medway), either
   *one by one* — :func:`smp_analysis.aggregate.build_cube` per area, each parsing the
   force's files, as 13 separate builds do — or *shared* —
   :class:`smp_analysis.batch.ingest.SharedStreet` parses the files once and each area's
   cube is aggregated from the parsed rows (what ``build-many`` does).
2. **National** (synthetic, generated with ``bench_ingest.generate``: ``--forces`` forces
   × 10 districts, 36 months): the same two ways for every district (320 areas by
   default), each area reading only its own force's files.
3. **Batch build speed-up**: the areas of ``data/config/sample-batch.yml`` (the sample
   district and variants) built one by one (``smp-analysis build`` per area, one after
   the other) against ``build-many --jobs 1`` and ``--jobs 2``, every build forced, with
   ``--only`` notebooks to keep the run short.

Each ingest variant runs in a fresh interpreter; its peak memory is that process's
maximum resident set size and its CPU time user + system time of all its threads
(``os.wait4``; imports included) — on a shared machine CPU time is the steadier figure. Every variant's counts are checked equal (a
checksum over all areas' cubes) before figures are reported. The machine may be shared:
the JSON records the load average before and after.

Run: ``.venv/bin/python benchmarks/bench_scale.py [--repeat 1] [--forces 32] [--rows 3000]
[--speedup-areas 2] [--only 00_summary.ipynb] [--skip-build] [--quick]``.
"""

from __future__ import annotations

import argparse
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

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
REAL = Path(os.environ.get("SMP_REAL_DATA", REPO.parent / "shared" / "data" / "real"))
KENT = [
    "Ashford", "Canterbury", "Dartford", "Dover", "Folkestone and Hythe", "Gravesham",
    "Maidstone", "Medway", "Sevenoaks", "Swale", "Thanet", "Tonbridge and Malling",
    "Tunbridge Wells",
]  # fmt: skip


# ---------------------------------------------------------------------- ingest (children)
def _groups(spec: dict) -> list[tuple[list[str], list[str]]]:
    """``[(files or folders of one force, [area names])]`` of a workload."""
    if spec["kind"] == "kent":
        files = sorted(str(p) for p in Path(spec["root"]).glob("*-kent-street.csv"))
        return [(files, KENT)]
    root = Path(spec["root"])
    out = []
    for fi in range(spec["forces"]):
        files = sorted(str(p) for p in root.glob(f"*/*-force-{fi:02d}-street.csv"))
        names = ["Maidstone" if fi == 0 else f"District{fi:02d}x0"]
        names += [f"District{fi:02d}x{d}" for d in range(1, 10)]
        out.append((files, names))
    return out


def run_ingest(variant: str, spec: dict) -> dict:
    """One ingest variant in this process: seconds, areas and a checksum of every cube."""
    import hashlib

    from smp_analysis.aggregate import build_cube
    from smp_analysis.batch.ingest import SharedStreet

    digest = hashlib.blake2b(digest_size=8)
    n_areas = total = 0
    t0 = time.perf_counter()
    for files, names in _groups(spec):
        shared = SharedStreet(files, start=None, end=None) if variant == "shared" else None
        try:
            for name in names:
                scan = shared.scan if shared is not None else None
                cube, _ = build_cube(files, name, scan=scan)
                c = cube.counts
                digest.update(c.assign(month=c["month"].astype(str)).to_csv(index=False).encode())
                n_areas += 1
                total += int(c["count"].sum())
        finally:
            if shared is not None:
                shared.close()
    return {
        "seconds": time.perf_counter() - t0,
        "areas": n_areas,
        "crimes_and_asb": total,
        "checksum": digest.hexdigest(),
    }


def in_child(variant: str, spec: dict) -> dict:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", variant, "--spec", json.dumps(spec)],
        stdout=subprocess.PIPE,
        text=True,
    )
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{variant} failed")
    res = json.loads(out.strip().splitlines()[-1])
    res["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    res["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 2)  # all threads, imports included
    return res


def bench_ingest(label: str, spec: dict, repeat: int) -> dict:
    runs: dict[str, list[dict]] = {"one_by_one": [], "shared": []}
    for _ in range(repeat):
        for v in runs:  # alternate, so drifting load hits both
            runs[v].append(in_child(v, spec))
    sums = {r["checksum"] for rs in runs.values() for r in rs}
    if len(sums) != 1:
        raise SystemExit(f"{label}: the variants' cubes differ: {sums}")
    out = {"areas": runs["shared"][0]["areas"], "repeat": repeat}
    for v, rs in runs.items():
        out[v] = {
            "median_s": round(statistics.median(r["seconds"] for r in rs), 2),
            "median_cpu_s": round(statistics.median(r["cpu_s"] for r in rs), 2),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in rs),
        }
    out["speedup"] = round(out["one_by_one"]["median_s"] / out["shared"]["median_s"], 2)
    print(
        f"{label}: {out['areas']} areas; one by one {out['one_by_one']['median_s']:.1f} s "
        f"({out['one_by_one']['peak_rss_mb']:.0f} MB); shared {out['shared']['median_s']:.1f} s "
        f"({out['shared']['peak_rss_mb']:.0f} MB); {out['speedup']:.1f}x; CPU "
        f"{out['one_by_one']['median_cpu_s']:.1f} s against {out['shared']['median_cpu_s']:.1f} s",
        flush=True,
    )
    return out


# ---------------------------------------------------------------------- batch builds
def _timed(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) of the largest process, exit code."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def bench_builds(n_areas: int, only: list[str], tmp: Path) -> dict:
    import yaml

    from smp_analysis.batch import load_batch

    raw = yaml.safe_load((REPO / "data" / "config" / "sample-batch.yml").read_text())
    raw["areas"] = raw["areas"][:n_areas]
    raw["base"] = str(REPO / "data" / "config" / raw["base"])
    raw.setdefault("shared", {})["narrative"] = None  # --only: the narrative's labels absent
    batch = tmp / "batch.yml"
    batch.write_text(yaml.safe_dump(raw, sort_keys=False))
    exe = str(Path(sys.executable).with_name("smp-analysis"))
    out = tmp / "reports"
    plan = load_batch(batch, output_dir=out)
    one = [exe, "build", "--force", "--out", str(out), "--only", *only, "--config"]
    build_many = [exe, "build-many", "--config", str(batch), "--out", str(out), "--force"]
    build_many += ["--only", *only]
    results: dict = {"areas": n_areas, "only": only}
    # warm-up: the sample data and every area's cube cache exist before anything is timed
    from smp_analysis.batch.ingest import shared_ingest

    shared_ingest(plan.valid)
    t, rss, codes = 0.0, 0.0, []
    for a in plan.valid:
        s, m, c = _timed([*one, str(a.config_path)])
        t, rss = t + s, max(rss, m)
        codes.append(c)
    results["one_by_one"] = {"seconds": round(t, 1), "peak_rss_mb": round(rss), "codes": codes}
    for jobs in (1, 2):
        s, m, c = _timed([*build_many, "--jobs", str(jobs)])
        results[f"jobs_{jobs}"] = {"seconds": round(s, 1), "peak_rss_mb": round(m), "code": c}
    base = results["one_by_one"]["seconds"]
    for jobs in (1, 2):
        results[f"jobs_{jobs}"]["speedup"] = round(base / results[f"jobs_{jobs}"]["seconds"], 2)
    print(
        f"builds ({n_areas} areas, only {only}): one by one {base:.0f} s; build-many "
        f"--jobs 1 {results['jobs_1']['seconds']:.0f} s ({results['jobs_1']['speedup']}x); "
        f"--jobs 2 {results['jobs_2']['seconds']:.0f} s ({results['jobs_2']['speedup']}x)",
        flush=True,
    )
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=1, help="runs per ingest variant")
    ap.add_argument("--forces", type=int, default=32, help="forces of the synthetic archive")
    ap.add_argument("--rows", type=int, default=3000, help="rows per force and month")
    ap.add_argument("--speedup-areas", type=int, default=2, help="areas in the build timing")
    ap.add_argument("--only", nargs="+", default=["00_summary.ipynb"], help="notebooks built")
    ap.add_argument("--skip-build", action="store_true", help="ingest figures only")
    ap.add_argument("--quick", action="store_true", help="tiny sizes (a smoke test)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--spec", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_ingest(args.child, json.loads(args.spec))))
        return
    sys.path.insert(0, str(HERE))
    from bench_ingest import generate

    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    results: dict = {
        "benchmark": "bench_scale",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_before": os.getloadavg(),
        },
    }
    try:
        street = REAL / "police_uk_street"
        if street.is_dir():
            results["kent"] = bench_ingest(
                "kent", {"kind": "kent", "root": str(street)}, args.repeat
            )
        forces, rows = (3, 300) if args.quick else (args.forces, args.rows)
        t0 = time.perf_counter()
        n = generate(tmp / "national", forces, rows)
        results["national_generated"] = {"rows": n, "seconds": round(time.perf_counter() - t0)}
        results["national"] = bench_ingest(
            "national",
            {"kind": "national", "root": str(tmp / "national"), "forces": forces},
            args.repeat,
        )
        results["national"]["rows"] = n
        shutil.rmtree(tmp / "national", ignore_errors=True)
        if not args.skip_build:
            results["builds"] = bench_builds(
                1 if args.quick else args.speedup_areas, args.only, tmp
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results["machine"]["load_after"] = os.getloadavg()
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"bench_scale-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
