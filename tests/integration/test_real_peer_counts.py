"""Peers on the real Kent files: each printed count and rate equals an independent count.

Peers are the 12 Kent districts and Medway by LSOA-name prefix (data/config/maidstone.yml).
The independent count reads the raw police.uk CSVs with the ``csv`` module (an LSOA name is
the district's when it is the prefix, one space, three digits and a letter; anti-social
behaviour is not crime) and the Census 2021 population file with ``csv`` + ``gzip``.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections import Counter

import pytest
import yaml

from smp_analysis.assessment.context import Context
from smp_analysis.assessment.sections.comparison import ALL_CRIME, comparison
from smp_analysis.config import load_config
from smp_analysis.inputs import load_inputs
from smp_analysis.sources.police_uk_peers import load_peer_counts

from ..helpers import REPO_ROOT

pytestmark = pytest.mark.realdata

KENT = [
    "Ashford",
    "Canterbury",
    "Dartford",
    "Dover",
    "Folkestone and Hythe",
    "Gravesham",
    "Maidstone",
    "Medway",
    "Sevenoaks",
    "Swale",
    "Thanet",
    "Tonbridge and Malling",
    "Tunbridge Wells",
]
# 2024/25 in the shared files: 2024-04 and 2025-01..03 (2024-05..12 are absent)
YEAR_MONTHS = {"2024-04", "2025-01", "2025-02", "2025-03"}


def _district(name: str) -> str | None:
    m = re.fullmatch(r"(.*) \d{3}[A-Za-z]", name or "")
    return m.group(1).casefold() if m else None


@pytest.fixture(scope="module")
def kent(tmp_path_factory, real_data):
    tmp = tmp_path_factory.mktemp("kent-peers")
    raw = yaml.safe_load((REPO_ROOT / "data" / "config" / "maidstone.yml").read_text())
    raw["data"] = {
        "police_uk": [
            str(p) for p in sorted((real_data / "police_uk_street").glob("*-kent-street.csv"))
        ],
        "population": str(real_data / "population" / "census21_pop_lsoa21_age6.csv.gz"),
        "cache_dir": str(tmp / "cache"),
    }
    raw.pop("stop_search", None)
    raw.pop("narrative", None)
    path = tmp / "maidstone.yml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    cfg = load_config(path)
    ctx = Context.create(cfg, load_inputs(cfg))
    group, counts = load_peer_counts(cfg)
    return ctx, group, counts, comparison(ctx, group, counts)


@pytest.fixture(scope="module")
def independent(real_data):
    """Crimes per district × category in the year's months, and residents per district."""
    crimes: Counter = Counter()
    for f in sorted((real_data / "police_uk_street").glob("*-kent-street.csv")):
        if f.name[:7] not in YEAR_MONTHS:
            continue
        with open(f, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                d = _district(row["LSOA name"])
                if d and row["LSOA code"] and row["Crime type"] != "Anti-social behaviour":
                    crimes[(d, row["Crime type"])] += 1
                    crimes[(d, ALL_CRIME)] += 1
    residents: Counter = Counter()
    path = real_data / "population" / "census21_pop_lsoa21_age6.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            d = _district(row["lsoa21_name"])
            if d:
                residents[d] += int(row["usual_residents"])
    return crimes, residents


def test_peer_group_is_the_kent_districts(kent):
    _, group, counts, _ = kent
    assert [a.name for a in group.areas] == KENT
    assert group.focus.name == "Maidstone"
    assert counts.areas["population"].notna().all()


def test_counts_and_rates_equal_an_independent_count(kent, independent):
    _, _, _, section = kent
    crimes, residents = independent
    assert residents["maidstone"] == 175_812  # SOURCES.md: 99 LSOAs, 175,812 residents
    table = section["CMP.1"].details[2].data  # every area × category, as downloaded
    assert len(table) == 13 * 14
    for _, r in table.iterrows():
        d = r["area"].casefold()
        assert r["count"] == crimes[(d, r["category"])], (r["area"], r["category"])
        assert r["population"] == residents[d]
        assert r["rate"] == pytest.approx(crimes[(d, r["category"])] / residents[d] * 1000)
        assert r["months"] == 4
    shown = section["CMP.1"].details[0].frame.set_index("Area")
    d = "medway"
    assert shown.loc["Medway", "Crimes"] == f"{crimes[(d, ALL_CRIME)]:,}"
    assert shown.loc["Medway", "Residents"] == f"{residents[d]:,}"
    rate = crimes[(d, ALL_CRIME)] / residents[d] * 1000
    assert shown.iloc[:, 2].loc["Medway"].startswith(f"{rate:.1f} (")


def test_partnership_count_matches_the_cube_and_group_rate(kent, independent):
    ctx, _, _, section = kent
    crimes, residents = independent
    v = section["CMP.1"].details[1].data.set_index("category").loc[ALL_CRIME]
    cube = ctx.inputs.cube.counts
    in_year = cube["month"].astype(str).isin(YEAR_MONTHS) & (
        cube["crime_type"] != "Anti-social behaviour"
    )
    assert v["count"] == cube.loc[in_year, "count"].sum() == crimes[("maidstone", ALL_CRIME)]
    total = sum(crimes[(k.casefold(), ALL_CRIME)] for k in KENT)
    pop = sum(residents[k.casefold()] for k in KENT)
    assert v["group_rate"] == pytest.approx(total / pop * 1000)
    assert v["rest_count"] == total - crimes[("maidstone", ALL_CRIME)]


def test_partial_year_and_change_follow_the_claims_policy(kent):
    _, _, _, section = kent
    text = " ".join(section["CMP.1"].text)
    assert "4 months" in text and "not a full year's rates" in text
    # matched months with every area in both years: January to March only (3 < 6)
    cmp3 = " ".join(section["CMP.3"].text)
    assert "not compared with the peers" in cmp3 and "only 3 matched months" in cmp3
    assert section["CMP.2"].details[0].alt.count("Maidstone") >= 1
