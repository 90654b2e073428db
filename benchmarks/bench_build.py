"""Time ``smp-analysis build`` against the obvious chain an analyst would write.

Contenders, each timed as whole processes (what a scheduled run waits for), on the
sample district of a config (default ``data/config/sample.yml``):

* ``chain``: for each notebook of the report (the public one last), one
  ``papermill <nb> <out> -k python3 -p config_path ... -p reporting_year ...`` and one
  ``jupyter nbconvert --to html --no-input <out>`` (``python -m papermill`` /
  ``python -m nbconvert``), one after another;
* ``build --force``: ``smp-analysis build --force`` (every notebook executed, on a pool
  of kernels: one per CPU unless ``--jobs``);
* ``unchanged rebuild``: ``smp-analysis build`` again with nothing changed.

The contenders alternate within each repeat (chain, force, unchanged; then the next
repeat) so a change of machine load hits all of them. Reported: the median of each, and
the ratio chain / ``build --force``. The build's own outputs are checked to be the same
in every forced run (pages and downloads, by the SHA-256 in ``manifest.json``).

Run: ``.venv/bin/python benchmarks/bench_build.py [--repeat 5] [--jobs N] [--config X]``.
Prints a table; writes JSON and Markdown to ``benchmarks/results/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"


def _run(cmd: list[str], cwd: Path | None = None) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    return seconds


def chain(config: Path, notebooks_dir: Path, names: list[str], year: str, out: Path) -> float:
    """The obvious chain: papermill then nbconvert for each notebook, one at a time."""
    out.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    for name in names:
        executed = out / name
        _run(
            [
                sys.executable, "-m", "papermill", str(notebooks_dir / name), str(executed),
                "-k", "python3", "--cwd", str(notebooks_dir), "--no-progress-bar",
                "-p", "config_path", str(config), "-p", "reporting_year", year,
            ]
        )  # fmt: skip
        _run([sys.executable, "-m", "nbconvert", "--to", "html", "--no-input", str(executed)])
    return time.perf_counter() - t


def ours(config: Path, out: Path, *extra: str) -> float:
    return _run(
        [sys.executable, "-m", "smp_analysis.cli", "build", "--config", str(config),
         "--out", str(out), *extra]
    )  # fmt: skip


def _outputs(out: Path) -> dict[str, str]:
    """SHA-256 of every output; workbooks by content (their creation time is a timing)."""
    import zipfile

    manifests = list(out.glob("*/*/manifest.json"))
    assert len(manifests) == 1, manifests
    hashes = json.loads(manifests[0].read_text(encoding="utf-8"))["outputs"]
    for name in [n for n in hashes if n.endswith(".xlsx")]:
        with zipfile.ZipFile(manifests[0].parent / name) as z:
            hashes[name] = str(
                sorted((i.filename, i.CRC) for i in z.infolist() if "docProps" not in i.filename)
            )
    return hashes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5, help="alternating runs (5)")
    ap.add_argument("--jobs", type=int, default=0, help="kernels for build (0: one per CPU)")
    ap.add_argument("--config", default=str(ROOT / "data" / "config" / "sample.yml"))
    args = ap.parse_args(argv)

    from smp_analysis.config import load_config

    config = Path(args.config).resolve()
    cfg = load_config(config)
    names = [*cfg.notebook_names(), cfg.report.public_notebook]
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    times: dict[str, list[float]] = {"chain": [], "build --force": [], "unchanged rebuild": []}
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        tmp_path = Path(tmp)
        out = tmp_path / "reports"
        ours(config, out, "--force", *jobs)  # warm-up: sample data, cube cache, first report
        reference = _outputs(out)
        for i in range(args.repeat):
            times["chain"].append(
                chain(
                    config, cfg.report.notebooks_dir, names, cfg.reporting_year,
                    tmp_path / f"chain-{i}",
                )
            )  # fmt: skip
            times["build --force"].append(ours(config, out, "--force", *jobs))
            if _outputs(out) != reference:
                sys.exit("build --force produced different outputs from the first build")
            times["unchanged rebuild"].append(ours(config, out, *jobs))
            print(
                f"run {i + 1}/{args.repeat}: "
                + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in times.items()),
                flush=True,
            )
    med = {k: statistics.median(v) for k, v in times.items()}
    ratio = med["chain"] / med["build --force"]
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_at_end": os.getloadavg(),
        },
        "config": str(config),
        "notebooks": len(names),
        "repeat": args.repeat,
        "jobs": args.jobs or "one per CPU",
        "seconds": times,
        "median_seconds": med,
        "ratio_chain_over_build_force": ratio,
    }
    lines = [
        "| contender | median (s) | runs (s) |",
        "|---|---:|---|",
        *(f"| {k} | {med[k]:.1f} | {', '.join(f'{x:.1f}' for x in v)} |" for k, v in times.items()),
        "",
        f"chain / build --force = **{ratio:.2f}×** ({len(names)} notebooks, "
        f"{args.repeat} alternating runs, {os.cpu_count()} CPUs, load average at the end "
        f"{os.getloadavg()[0]:.1f})",
    ]
    table = "\n".join(lines)
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench_build.json").write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    (RESULTS / "bench_build.md").write_text(table + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
