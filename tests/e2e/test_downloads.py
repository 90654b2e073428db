"""Downloads of the built sample: every link resolves, every table has its CSV, the workbooks
open, public downloads hold nothing the public tables hide, and nothing runs as a formula."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pandas as pd
import pytest

from smp_analysis.config import load_config

from .conftest import Built

pytestmark = pytest.mark.slow


def _links(soup) -> list[str]:
    return [a["href"] for a in soup.select("a[download]")]


@pytest.mark.parametrize("page", ["appendix", "public"])
def test_every_download_link_resolves_to_a_file(built: Built, page: str) -> None:
    soup = getattr(built, page)
    out = built.result.out_dir
    links = _links(soup)
    assert links, f"{page}.html links no downloads"
    for href in links:
        assert not re.match(r"^[a-z]+:|^//|^/", href, re.I), href  # relative, same folder
        assert (out / href).is_file(), f"{page}.html links {href}, which was not written"
    # one CSV link per table on the page (public charts repeat their table: no CSV of their own)
    tables = len(soup.select("main table.data")) - len(soup.select("details.data-table table"))
    csv_links = [h for h in links if h.endswith(".csv")]
    assert len(csv_links) >= tables


def test_each_csv_belongs_to_a_paragraph_on_the_page(built: Built) -> None:
    out = built.result.out_dir
    for folder, soup in (("data", built.appendix), ("public-data", built.public)):
        ids = {s["id"] for s in soup.select("section.para")}
        files = sorted((out / folder).glob("*.csv"))
        assert files
        for f in files:
            label = f.stem.rsplit("-", 1)[0]
            assert label in ids, f"{f.name} has no paragraph {label} on the page"
            assert f"{folder}/{f.name}" in _links(soup)


def test_workbooks_open_with_cover_contents_notes_and_every_table(built: Built) -> None:
    out = built.result.out_dir
    for folder, name in (("data", "appendix-tables.xlsx"), ("public-data", "public-tables.xlsx")):
        sheets = pd.read_excel(out / folder / name, sheet_name=None, header=None)
        names = list(sheets)
        assert names[:3] == ["Cover", "Contents", "Notes"], names[:3]
        csvs = sorted(p.stem for p in (out / folder).glob("*.csv"))
        assert sorted(names[3:]) == csvs
        with zipfile.ZipFile(out / folder / name) as z:
            for member in z.namelist():
                if member.startswith("xl/worksheets/"):
                    assert b"<f>" not in z.read(member), f"{member} holds a formula"


def test_downloaded_numbers_are_numbers_and_missing_is_blank_with_a_note(built: Built) -> None:
    f = built.result.out_dir / "data" / "DA.4-1.csv"
    rows = list(csv.DictReader(io.StringIO(f.read_text(encoding="utf-8"))))
    assert rows
    for r in rows:
        float(r["Odds ratio (reporting year against year before)"])
        float(r["p-value (Fisher's exact test)"])
    for f in (built.result.out_dir / "data").glob("*.csv"):
        text = f.read_text(encoding="utf-8")
        assert "[x]," not in text.split("\n", 1)[1].replace('"', ""), f.name  # never in a cell
        assert not re.search(r"(^|,)nan(,|$)", text, re.M | re.I), f.name


def test_public_downloads_hide_what_the_public_tables_hide(built: Built) -> None:
    cfg = load_config(built.config)
    threshold = cfg.disclosure.threshold
    out = built.result.out_dir / "public-data"
    suppressed = 0
    for f in sorted(out.glob("*.csv")):
        rows = list(csv.reader(io.StringIO(f.read_text(encoding="utf-8"))))
        header = rows[0]
        notes_at = header.index("Notes") if "Notes" in header else None
        for row in rows[1:]:
            note = row[notes_at] if notes_at is not None else ""
            for h, v in zip(header[1:], row[1:], strict=False):
                if h == "Notes" or v == "":
                    continue
                n = float(v)
                assert not (0 < n < threshold), f"{f.name}: {h} = {v} is below {threshold}"
            for mark in re.findall(r"\[c\] ([^;]+)", note):
                col = header.index(f"{mark} (count)")
                assert row[col] == "", f"{f.name}: a [c] cell holds {row[col]}"
                suppressed += 1
    # the sample's sensitive domestic-abuse table has small counts: some cells are hidden
    assert suppressed > 0


def test_manifest_lists_every_download_with_its_hash(built: Built) -> None:
    manifest = json.loads(built.result.manifest.read_text(encoding="utf-8"))
    written = {
        p.relative_to(built.result.out_dir).as_posix()
        for d in ("data", "public-data")
        for p in (built.result.out_dir / d).iterdir()
    }
    assert written <= set(manifest["outputs"])
    assert all(len(h) == 64 for h in manifest["outputs"].values())


def test_result_cells_stay_out_of_the_report(built: Built) -> None:
    assert "section.numbers(" not in built.appendix_html
    assert "coverage " not in built.appendix.get_text()  # the Result repr
