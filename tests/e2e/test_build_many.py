"""build-many end to end: two areas of the sample built in parallel, two bad areas that
fail alone, the index page; then the same batch through a local Dask cluster.

Each area is built from the tiny fixture notebooks (as in ``test_failure.py``) to keep
the suite's cost down: the batch machinery is under test here; the index's figures come
from each area's results all the same. The full build is tested in ``test_appendix.py``.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import yaml

from smp_analysis.batch import build_many
from smp_analysis.cli import main

from ..helpers import REPO_ROOT, sample_config
from .test_browser import AXE, AXE_TAGS, _open, browser  # noqa: F401 (the browser fixture)

pytestmark = pytest.mark.slow

WEST = [f"E0199{n:04d}" for n in range(1, 81)]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "notebooks"


@dataclass(frozen=True)
class Batch:
    path: Path
    out: Path
    code: int
    stderr: str
    stdout: str


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Batch:
    folder = tmp_path_factory.mktemp("batch")
    base = sample_config(folder, sample_dir, narrative=None)
    raw = yaml.safe_load(base.read_text())
    # tiny fixture notebooks: the batch machinery is under test, not the report's sections
    raw["report"].update(
        notebooks_dir=str(FIXTURES), notebooks=["ok.ipynb"], public_notebook="ok_public.ipynb"
    )
    base.write_text(yaml.safe_dump(raw, sort_keys=False))
    path = folder / "batch.yml"
    path.write_text(
        yaml.safe_dump(
            {
                "base": base.name,
                "output_dir": "reports",
                "areas": [
                    {"area": {"name": "Sampleton", "lsoa_name_prefix": "Sampleton"}},
                    {"area": {"name": "Sampleton West", "lsoa_codes": WEST}},
                    {
                        "area": {"name": "Badyear", "lsoa_name_prefix": "Sampleton"},
                        "reporting_year": "2024-25",
                    },
                    {"area": {"name": "Nowhere", "lsoa_name_prefix": "Nowhere"}},
                ],
            },
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(
            [
                "build-many",
                "--config",
                str(path),
                "--jobs",
                "2",
                "--timeout",
                "300",
            ]
        )
    return Batch(path, folder / "reports", code, err.getvalue(), out.getvalue())


def test_good_areas_built_bad_areas_fail_alone(batch: Batch):
    assert batch.code == 1  # an area failed; the others are built
    out = batch.out
    for slug in ("sampleton", "sampleton-west"):
        assert (out / slug / "2024-25" / "appendix.html").is_file()
        assert (out / slug / "2024-25" / "public.html").is_file()
    lines = [ln for ln in batch.stderr.splitlines() if ln.startswith("smp-analysis build-many:")]
    bad = [ln for ln in lines if ": failed: " in ln]
    assert len(bad) == 2
    assert any("Badyear" in ln and "key 'areas[2].reporting_year'" in ln for ln in bad)
    assert any("Nowhere" in ln and "no LSOA of Nowhere" in ln for ln in bad)
    assert "2 of 4 areas built" in batch.stderr and "parsed once for 2 areas" in batch.stderr
    assert batch.stdout.strip() == str(out / "index.html")


def test_index_compares_the_areas(batch: Batch):
    csv = pd.read_csv(batch.out / "index.csv")
    assert csv["area"].tolist() == ["Sampleton", "Sampleton West", "Badyear", "Nowhere"]
    assert csv["status"].tolist() == ["built", "built", "failed", "failed"]
    whole, west = csv.iloc[0], csv.iloc[1]
    # the western 80 of 100 neighbourhoods: fewer crimes and residents than the district
    assert 0 < west["crimes"] < whole["crimes"] and 0 < west["residents"] < whole["residents"]
    assert whole["rate_per_1000"] == pytest.approx(whole["crimes"] / whole["residents"] * 1000)
    statuses = [c for c in csv.columns if c.startswith("priorities_")]
    assert whole[statuses].sum() == 4  # the sample's four priorities
    assert csv.loc[2:, ["crimes", "rate_per_1000"]].isna().all().all()
    page = (batch.out / "index.html").read_text()
    assert 'href="sampleton/2024-25/appendix.html"' in page
    assert 'href="sampleton-west/2024-25/appendix.html"' in page
    assert "2 of 4 areas built" in page and "no LSOA of Nowhere" in page
    assert "Synthetic data." in page  # the areas are the sample district's


def test_dask_local_cluster_builds_through_its_executor(batch: Batch):
    distributed = pytest.importorskip("distributed")
    # the West area again (forced) and a bad one, on the same base config and reports folder
    raw = yaml.safe_load(batch.path.read_text())
    raw["areas"] = [raw["areas"][1], raw["areas"][3]]
    small = batch.path.with_name("dask-batch.yml")
    small.write_text(yaml.safe_dump(raw, sort_keys=False))
    before = (batch.out / "sampleton-west" / "2024-25" / "manifest.json").stat().st_mtime
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        result = build_many(small, executor=client.get_executor(), force=True, timeout=300)
    # the build ran again on one of the cluster's (daemonic) worker processes; the bad area
    # fails as before, alone
    assert [o.status for o in result.outcomes] == ["built", "failed"]
    manifest = batch.out / "sampleton-west" / "2024-25" / "manifest.json"
    assert manifest.stat().st_mtime > before
    assert result.outcomes[0].figures["crimes"] > 0
    assert "no LSOA of Nowhere" in result.outcomes[1].error
    assert pd.read_csv(result.index_csv)["area"].tolist() == ["Sampleton West", "Nowhere"]


def test_index_page_is_accessible_offline(browser, batch: Batch):  # noqa: F811
    for width in (1280, 390):
        blocked: list[str] = []
        page = _open(browser, batch.out / "index.html", width, blocked)
        page.add_script_tag(path=str(AXE))
        res = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        page.close()
        assert blocked == [] and res["passes"]
        assert [(v["id"], len(v["nodes"])) for v in res["violations"]] == []
        assert overflow <= 1
