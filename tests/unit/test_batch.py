"""build-many without notebooks: the batch file, the shared ingest, the index page."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from smp_analysis.aggregate import build_cube
from smp_analysis.batch.config import load_batch, merge_settings
from smp_analysis.batch.index import index_frame, write_index
from smp_analysis.batch.ingest import SharedStreet, cube_arguments, shared_ingest
from smp_analysis.batch.run import AreaOutcome
from smp_analysis.config import load_config
from smp_analysis.errors import ConfigError

from ..helpers import sample_config

WEST = [f"E0199{n:04d}" for n in range(1, 81)]


def _batch(folder: Path, sample_dir: Path, areas: list, **top) -> Path:
    base = sample_config(folder, sample_dir, narrative=None)
    path = folder / "batch.yml"
    path.write_text(
        yaml.safe_dump({"base": base.name, "output_dir": "out", **top, "areas": areas}),
        encoding="utf-8",
    )
    return path


def test_areas_merge_and_fail_alone(tmp_path: Path, sample_dir: Path):
    path = _batch(
        tmp_path,
        sample_dir,
        [
            {"area": {"name": "Sampleton", "lsoa_name_prefix": "Sampleton"}},
            {
                "area": {"name": "Sampleton West", "lsoa_codes": WEST},
                "partnership": "West",
                "disclosure": {"threshold": 7},
            },
            {"area": {"name": "Bad", "lsoa_name_prefix": "Bad"}, "reporting_year": "2024-25"},
            {"area": {"name": "Sampleton", "lsoa_name_prefix": "Sampleton"}},
            {"name": "no area mapping"},
        ],
        shared={"reporting_year": "2023/24"},
    )
    plan = load_batch(path)
    assert plan.output_dir == (tmp_path / "out").resolve()
    ok, west, bad, dup, shapeless = plan.areas
    assert ok.error is None and west.error is None
    cfg = load_config(west.config_path)
    # base → shared → area: the year from shared, the rest of disclosure from base
    assert cfg.reporting_year == "2023/24" and cfg.partnership == "West"
    assert cfg.disclosure.threshold == 7 and cfg.disclosure.sensitive_threshold == 10
    assert cfg.area.lsoa_codes == WEST and cfg.area.lsoa_name_prefix is None
    assert cfg.data.police_uk == [sample_dir / "police_uk"]  # base's paths still resolve
    assert west.config_path.parent == plan.output_dir / "configs"
    lines = path.read_text().splitlines()
    # the bad year: one line naming the batch file, the line of the key and the key
    assert bad.config_path is None and "\n" not in bad.error
    assert bad.error.startswith(f"{path}:")
    line = int(bad.error.split(":")[1])
    assert "reporting_year: 2024-25" in lines[line - 1]
    assert "key 'areas[2].reporting_year'" in bad.error and "financial year" in bad.error
    assert "already area 1" in dup.error
    assert "needs an 'area' mapping" in shapeless.error
    assert [a.index for a in plan.valid] == [0, 1]


def test_merge_replaces_area_and_lists():
    base = {"area": {"name": "A", "lsoa_name_prefix": "A"}, "data": {"x": 1, "l": [1, 2]}}
    out = merge_settings(
        base, {"area": {"name": "B", "lsoa_codes": ["E01000001"]}, "data": {"l": [3]}}
    )
    assert out == {"area": {"name": "B", "lsoa_codes": ["E01000001"]}, "data": {"x": 1, "l": [3]}}
    assert base["data"]["l"] == [1, 2]  # not modified


@pytest.mark.parametrize(
    "text, key",
    [("areas: []\n", "areas"), ("areaz: [{}]\n", "areaz"), ("- 1\n", None)],
)
def test_bad_batch_file_stops_everything(tmp_path: Path, text: str, key: str | None):
    p = tmp_path / "b.yml"
    p.write_text(text)
    with pytest.raises(ConfigError) as e:
        load_batch(p)
    assert "\n" not in str(e.value) and str(e.value).startswith(f"{p}:")
    if key:
        assert f"key '{key}'" in str(e.value)


def test_shared_scan_gives_the_same_cube_as_a_build(tmp_path: Path, sample_dir: Path):
    src = sample_dir / "police_uk"
    with SharedStreet([src], start="2021-04", end="2025-03") as shared:
        assert shared.rows > 50_000
        for area in ("Sampleton", "Otherford"):
            a, ra = build_cube(src, area, start="2022-04", end="2025-03", scan=shared.scan)
            b, rb = build_cube(src, area, start="2022-04", end="2025-03")
            pd.testing.assert_frame_equal(a.counts, b.counts)
            pd.testing.assert_frame_equal(a.lsoas, b.lsoas)
            assert list(a.months_present) == list(b.months_present)
            assert ra.issues == rb.issues
            pd.testing.assert_frame_equal(ra.counts, rb.counts)


def test_shared_ingest_fills_the_cache_each_build_reads(tmp_path: Path, sample_dir: Path):
    from smp_analysis.inputs import load_inputs

    path = _batch(
        tmp_path,
        sample_dir,
        [
            {"area": {"name": "Sampleton", "lsoa_name_prefix": "Sampleton"}},
            {"area": {"name": "Sampleton West", "lsoa_codes": WEST}},
            {"area": {"name": "Nowhere", "lsoa_name_prefix": "Nowhere"}},
        ],
    )
    plan = load_batch(path)
    report = shared_ingest(plan.valid)
    assert report.groups == 1 and report.areas == 2 and report.rows > 50_000
    assert set(report.errors) == {2}
    assert "Nowhere" in report.errors[2] and "\n" not in report.errors[2]
    for a in plan.valid[:2]:
        cfg = load_config(a.config_path)
        inputs = load_inputs(cfg)  # what the build does first
        assert inputs.cube.meta["from_cache"] is True, a.name
        assert cube_arguments(cfg)["cache_dir"] == tmp_path / "cache"
    west = load_inputs(load_config(plan.valid[1].config_path)).cube
    assert set(west.lsoas["lsoa_code"]) == set(WEST)
    # run again: every cube is cached, so no file is parsed at all
    again = shared_ingest(plan.valid)
    assert again.files == 0 and again.rows == 0 and set(again.errors) == {2}
    assert "no file parsed" in again.summary()


def test_index_escapes_and_guards(tmp_path: Path, sample_dir: Path):
    path = _batch(tmp_path, sample_dir, [{"area": {"name": "x", "lsoa_name_prefix": "x"}}])
    plan = load_batch(path)
    appendix = plan.output_dir / "a" / "2024-25" / "appendix.html"
    outcomes = [
        AreaOutcome(
            0,
            "<script>alert(1)</script>",
            "2024/25",
            "built",
            appendix=appendix,
            figures={
                "crimes": 1200.0,
                "months": 11,
                "months_expected": 12,
                "residents": 100000.0,
                "rate": 12.0,
                "statuses": {"On track": 2, "Needs attention": 1},
                "synthetic": True,
            },
        ),
        AreaOutcome(1, "=HYPERLINK(1)", "2024/25", "failed", error="b.yml:4: key 'x': <bad>"),
    ]
    html_path, csv_path = write_index(plan, outcomes)
    page = html_path.read_text()
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;bad&gt;" in page and "http" not in page.replace("http-equiv", "")
    assert 'href="a/2024-25/appendix.html"' in page
    assert "1,200 (over 11 months with data)" in page and "<caption" in page
    assert page.count("<h1>") == 1 and 'scope="row"' in page
    assert "Synthetic data." in page  # one area is the sample: the banner says so
    csv = pd.read_csv(csv_path)
    assert csv["area"].tolist() == ["<script>alert(1)</script>", "'=HYPERLINK(1)"]
    assert csv.loc[0, "rate_per_1000"] == 12.0 and csv.loc[0, "priorities_on_track"] == 2
    assert csv.loc[0, "priorities_not_assessed"] == 0
    # a failed area's numbers are blank (not available), never 0
    assert csv.loc[1, ["crimes", "rate_per_1000", "priorities_on_track"]].isna().all()
    assert index_frame(outcomes)["status"].tolist() == ["built", "failed"]


def test_cli_errors_are_one_line(tmp_path: Path, sample_dir: Path, capsys):
    from smp_analysis.cli import main

    assert main(["build-many", "--config", str(tmp_path / "nope.yml")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("smp-analysis build-many: error: ") and "\n" not in err
    path = _batch(
        tmp_path,
        sample_dir,
        [
            {"area": {"name": "Bad", "lsoa_name_prefix": "Bad"}, "reporting_year": "2024"},
            {"area": {"name": "Worse", "lsoa_codes": ["X1"]}},
        ],
    )
    assert main(["build-many", "--config", str(path), "--jobs", "0"]) == 2
    assert "--jobs" in capsys.readouterr().err
    # every area invalid: nothing to build, exit 1, the index lists both failures
    assert main(["build-many", "--config", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out.strip() == str(tmp_path / "out" / "index.html")
    failed = [ln for ln in err.splitlines() if ": failed: " in ln]
    assert len(failed) == 2 and "Traceback" not in err
    assert "key 'areas[1].area.lsoa_codes.0'" in failed[1]
    assert "0 of 2 areas built" in err
    assert pd.read_csv(tmp_path / "out" / "index.csv")["status"].tolist() == ["failed"] * 2


def test_scheduler_address_gives_a_dask_executor():
    from smp_analysis.batch.run import make_executor

    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        ex, close = make_executor(scheduler=cluster.scheduler_address)
        try:
            assert ex.submit(pow, 2, 5).result() == 32
        finally:
            close()


def test_hostile_area_name_stays_in_the_configs_folder(tmp_path: Path, sample_dir: Path):
    """An area's name becomes a file name: path parts and markup cannot leave ``configs/``."""
    path = _batch(
        tmp_path,
        sample_dir,
        [{"area": {"name": "../../../tmp/<script>x", "lsoa_codes": WEST}}],
    )
    (area,) = load_batch(path).areas
    assert area.error is None
    configs = (tmp_path / "out" / "configs").resolve()
    assert area.config_path.resolve().parent == configs
    assert set(area.config_path.name) <= set("abcdefghijklmnopqrstuvwxyz0123456789-.")
    written = {p.resolve().parent for p in tmp_path.rglob("*.yml")} - {tmp_path.resolve()}
    assert written == {configs}  # besides the batch and base files, only configs/ gets one
