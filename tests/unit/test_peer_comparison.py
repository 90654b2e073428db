"""Peers: the config schema, resolution, the peer counts reader and section CMP."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest

from smp_analysis.config import PEERS_NOTEBOOK, load_config
from smp_analysis.errors import ConfigError, InputError
from smp_analysis.peers.resolve import resolve_peers
from smp_analysis.sources.area import AreaSelection
from smp_analysis.sources.police_uk import STREET_COLUMNS
from smp_analysis.sources.police_uk_peers import load_peer_counts, read_peer_counts

BASE = """\
partnership: P
area: {name: Maidstone, code: E07000110, lsoa_name_prefix: Maidstone}
reporting_year: "2024/25"
data: {police_uk: [police]}
priorities: []
"""


def _cfg(tmp_path: Path, peers: str):
    p = tmp_path / "c.yml"
    p.write_text(BASE + textwrap.dedent(peers))
    return load_config(p)


# ------------------------------------------------------------------ config and resolution
def test_list_form_resolves_with_the_partnership_once(tmp_path):
    cfg = _cfg(
        tmp_path,
        """\
        peers:
          name: Kent
          areas:
            - {name: Ashford, lsoa_name_prefix: Ashford}
            - {name: Maidstone district, lsoa_name_prefix: maidstone}
            - {name: Two LSOAs, lsoa_codes: [E01024337, E01024338]}
        """,
    )
    g = resolve_peers(cfg)
    assert g.name == "Kent"
    # the listed Maidstone (same prefix, any case) is the partnership, selected as `area`
    assert [a.name for a in g.areas] == ["Ashford", "Maidstone", "Two LSOAs"]
    assert g.focus.lsoa_name_prefix == ("Maidstone",)
    assert g.areas[2].lsoa_codes == frozenset({"E01024337", "E01024338"})
    assert [a.name for a in g.peers] == ["Ashford", "Two LSOAs"]


def test_partnership_added_when_not_listed(tmp_path):
    cfg = _cfg(
        tmp_path,
        """\
        peers:
          areas:
            - {name: Ashford, lsoa_name_prefix: Ashford}
            - {name: Swale, lsoa_name_prefix: Swale}
        """,
    )
    g = resolve_peers(cfg)
    assert [a.name for a in g.areas] == ["Maidstone", "Ashford", "Swale"]
    assert g.name == "Peer group"


def test_no_peers_no_group_and_no_notebook(tmp_path):
    cfg = load_config((tmp_path / "c.yml").write_text(BASE) and tmp_path / "c.yml")
    assert resolve_peers(cfg) is None
    assert PEERS_NOTEBOOK not in cfg.notebook_names()
    assert load_peer_counts(cfg) == (None, None)
    with_peers = _cfg(tmp_path, "peers: {nearest: 5}\n")
    assert PEERS_NOTEBOOK in with_peers.notebook_names()


@pytest.mark.parametrize(
    "peers, key, words",
    [
        ("peers: {nearest: 5, areas: [{name: A, lsoa_name_prefix: A}, "
         "{name: B, lsoa_name_prefix: B}]}\n", "peers", "exactly one of"),
        ("peers: {name: X}\n", "peers", "exactly one of"),
        ("peers: {nearest: 1}\n", "peers.nearest", "greater than or equal to 2"),
        ("peers: {areas: [{name: A, lsoa_name_prefix: A}]}\n", "peers.areas", "at least 2"),
        ("peers: {areas: [{name: A, lsoa_name_prefix: A}, {name: a, lsoa_codes: "
         "[E01024337]}]}\n", "peers", "unique"),
        ("peers: {areas: [{name: A}, {name: B, lsoa_name_prefix: B}]}\n",
         "peers.areas.0", "exactly one of 'lsoa_name_prefix'"),
        ("peers: {areas: [{name: A, lsoa_codes: [X1]}, {name: B, lsoa_name_prefix: B}]}\n",
         "peers.areas.0.lsoa_codes.0", "not an LSOA code"),
        ("peers: {nearset: 5}\n", "peers.nearset", "unknown key"),
    ],
)  # fmt: skip
def test_bad_peers_config_is_one_line_naming_the_key(tmp_path, peers, key, words):
    with pytest.raises(ConfigError) as e:
        _cfg(tmp_path, peers)
    msg = str(e.value)
    assert f"key '{key}'" in msg and words in msg and "c.yml:6: " in msg and "\n" not in msg


def test_nearest_needs_its_files(tmp_path):
    cfg = _cfg(tmp_path, "peers: {nearest: 5}\n")
    with pytest.raises(ConfigError, match=r"needs data\.imd, data\.population, data\.lookup"):
        resolve_peers(cfg)


def test_nearest_form_calls_nearest_districts(tmp_path, monkeypatch):
    import smp_analysis.peers.nearest as nearest

    seen = {}

    def fake(target, k, *, imd_path, population_path, lookup_path):
        seen.update(target=target, k=k, imd=imd_path)
        out = pd.DataFrame(
            {"code": ["E07000105", "E07000113"], "name": ["Ashford", "Swale"],
             "distance": [0.5, 0.7], "rank": [1, 2]}
        )  # fmt: skip
        out.attrs["method"] = "Nearest by IMD domains."
        return out

    monkeypatch.setattr(nearest, "nearest_districts", fake)
    for f in ("imd.csv", "pop.csv", "lk.csv"):
        (tmp_path / f).write_text("x\n")
    cfg = _cfg(
        tmp_path,
        "peers: {nearest: 2}\n",
    ).model_copy()
    cfg = cfg.model_copy(
        update={
            "data": cfg.data.model_copy(
                update={
                    "imd": tmp_path / "imd.csv",
                    "population": tmp_path / "pop.csv",
                    "lookup": tmp_path / "lk.csv",
                }
            )
        }
    )
    g = resolve_peers(cfg)
    assert seen == {"target": "E07000110", "k": 2, "imd": tmp_path / "imd.csv"}
    assert [a.name for a in g.areas] == ["Maidstone", "Ashford", "Swale"]
    assert g.areas[1].lsoa_name_prefix == ("Ashford",)
    assert g.method == "Nearest by IMD domains."
    assert list(g.neighbours["name"]) == ["Ashford", "Swale"]


# ------------------------------------------------------------------ the counts
def _street(d: Path, month: str, rows: list[tuple[str, str, str]], force: str = "kent") -> None:
    lines = [",".join(STREET_COLUMNS)]
    for i, (code, name, ctype) in enumerate(rows):
        cid = "" if ctype == "Anti-social behaviour" else f"id{month}{i}"
        lines.append(f"{cid},{month},F,F,0.5,51.2,On or near X,{code},{name},{ctype},,")
    (d / f"{month}-{force}-street.csv").write_text("\n".join(lines) + "\n")


@pytest.fixture()
def files(tmp_path):
    d = tmp_path / "police"
    d.mkdir()
    m, a = ("E01000001", "Maidstone 001A"), ("E01000002", "Ashford 001A")
    s = ("E01000003", "Swale 001A")
    _street(d, "2024-01", [(*m, "Drugs"), (*m, "Drugs"), (*a, "Robbery"), (*s, "Drugs"),
                           (*m, "Anti-social behaviour"), ("", "", "Drugs")])  # fmt: skip
    _street(d, "2024-02", [(*a, "Drugs")])
    _street(d, "2024-03", [(*m, "Burglary"), ("E01000009", "Maidstonex 001A", "Drugs")])
    pop = tmp_path / "pop.csv"
    bands = ["Aged 15 years and under", "Aged 16 to 24 years", "Aged 25 to 34 years",
             "Aged 35 to 49 years", "Aged 50 to 64 years", "Aged 65 years and over"]  # fmt: skip
    rows = ["lsoa21_code,lsoa21_name,age_group,usual_residents"]
    for code, name in (m, a, s):
        rows += [f"{code},{name},{b},100" for b in bands]
    pop.write_text("\n".join(rows) + "\n")
    return d, pop


def test_counts_by_area_month_category(files):
    d, pop = files
    areas = [
        AreaSelection.district("Maidstone"),
        AreaSelection("Ashford", lsoa_codes=["E01000002"]),
        AreaSelection("Both", lsoa_name_prefix=["Ashford", "Swale"]),  # overlaps Ashford
    ]
    pc = read_peer_counts(d, areas, population=pop)
    got = {(r.area, str(r.month), r.crime_type): r.count for r in pc.counts.itertuples()}
    assert got == {
        ("Maidstone", "2024-01", "Drugs"): 2,
        ("Maidstone", "2024-01", "Anti-social behaviour"): 1,
        ("Maidstone", "2024-03", "Burglary"): 1,  # "Maidstonex 001A" is not Maidstone
        ("Ashford", "2024-01", "Robbery"): 1,
        ("Ashford", "2024-02", "Drugs"): 1,
        ("Both", "2024-01", "Robbery"): 1,
        ("Both", "2024-01", "Drugs"): 1,
        ("Both", "2024-02", "Drugs"): 1,
    }
    assert pc.areas.set_index("area")["population"].to_dict() == {
        "Maidstone": 600.0,
        "Ashford": 600.0,
        "Both": 1200.0,
    }
    assert [str(m) for m in pc.months_of("Ashford")] == ["2024-01", "2024-02", "2024-03"]


def test_empty_month_is_missing_for_the_area(files):
    d, pop = files
    (d / "2024-02-kent-street.csv").write_text(",".join(STREET_COLUMNS) + "\n")
    pc = read_peer_counts(d, [AreaSelection.district("Ashford")], population=pop)
    assert [str(m) for m in pc.months_of("Ashford")] == ["2024-01", "2024-03"]


def test_area_with_no_rows_is_an_error_not_a_zero(files):
    d, pop = files
    with pytest.raises(InputError, match="no row of the peer area 'Ashfrod'"):
        read_peer_counts(d, [AreaSelection.district("Ashfrod")], population=pop)


def test_area_missing_from_population_is_an_error(files, tmp_path):
    d, pop = files
    text = "\n".join(x for x in pop.read_text().splitlines() if "Swale" not in x) + "\n"
    pop.write_text(text)
    with pytest.raises(InputError, match="no LSOA of the peer area 'Swale'"):
        read_peer_counts(d, [AreaSelection.district("Swale")], population=pop)


def test_cache_hit_gives_the_same_counts(files, tmp_path):
    d, pop = files
    areas = [AreaSelection.district("Maidstone"), AreaSelection.district("Ashford")]
    first = read_peer_counts(d, areas, population=pop, cache_dir=tmp_path / "cache")
    again = read_peer_counts(d, areas, population=pop, cache_dir=tmp_path / "cache")
    assert (first.meta["from_cache"], again.meta["from_cache"]) == (False, True)
    pd.testing.assert_frame_equal(first.counts, again.counts)
    pd.testing.assert_frame_equal(first.months, again.months)
    pd.testing.assert_frame_equal(first.areas, again.areas, check_dtype=False)
    _street(d, "2024-02", [(*("E01000002", "Ashford 001A"), "Drugs")] * 2)  # file changed
    third = read_peer_counts(d, areas, population=pop, cache_dir=tmp_path / "cache")
    assert not third.meta["from_cache"]
    assert third.counts["count"].sum() == first.counts["count"].sum() + 1


# ------------------------------------------------------------------ section CMP on the sample
def test_sample_section(sample_context):
    from smp_analysis.assessment.sections import comparison

    group, counts = load_peer_counts(sample_context.config)
    s = comparison(sample_context, group, counts)
    assert s.labels == ["CMP.1", "CMP.2", "CMP.3"]
    every = s["CMP.1"].details[2].data
    assert set(every["area"]) == {a.name for a in group.areas}
    # the partnership's counts are the cube's
    cube = sample_context.police_series(None, by=["crime_type"])
    year = cube[cube["month"].between(sample_context.current.start, sample_context.current.end)]
    me = every[(every["area"] == "Sampleton") & (every["category"] != "All crime")]
    assert dict(zip(me["category"], me["count"], strict=True)) == (
        year.groupby("crime_type")["count"].sum().reindex(me["category"]).to_dict()
    )
    # each fact quoted in the text is in a table
    for p in s.paragraphs:
        shown = " ".join(
            " ".join(map(str, d.frame.to_numpy().ravel())) for d in p.details if hasattr(d, "frame")
        )
        for fact in p.facts:
            assert fact in shown or fact in " ".join(p.text), (p.label, fact)
    assert "Sampleton" in s["CMP.2"].details[0].alt
    # all crime, the headline, is tested on its own: its q-value is its p-value, and its
    # verdict agrees with its interval; the categories share one BH family
    for table in (s["CMP.1"].details[1].data, s["CMP.3"].details[0].data):
        head = table[table["category"] == "All crime"].iloc[0]
        assert head["q_value"] == head["p_value"]
        excludes_one = head["ci_low"] > 1 or head["ci_high"] < 1
        assert (head["verdict"] != "similar") == excludes_one
        cats = table[table["category"] != "All crime"]
        assert (cats["q_value"] >= cats["p_value"]).all() and len(cats) == 13
    result = s.result("CMP.1")
    assert len(result.tables) == 3


def test_section_without_peers_is_a_note(sample_context):
    from smp_analysis.assessment.sections import comparison

    s = comparison(sample_context, None, None)
    assert s.labels == [] and "No peer group is configured" in s.heading_html()
    assert "not in this year's report" in s.html("CMP.1")


def test_area_of_another_force_is_an_error(files):
    """Rows a force recorded just over its border must not pass for the neighbour's count."""
    d, pop = files
    bands = [x for x in pop.read_text().splitlines() if "Swale" in x]
    extra = [b.replace("E01000003", f"E0100001{k}").replace("Swale 001A", f"Swale 00{k}A")
             for k in (2, 3) for b in bands]  # fmt: skip
    pop.write_text(pop.read_text() + "\n".join(extra) + "\n")
    with pytest.raises(InputError, match=r"only 1 of the 3 LSOAs of the peer area 'Swale'"):
        read_peer_counts(d, [AreaSelection.district("Swale")], population=pop)
