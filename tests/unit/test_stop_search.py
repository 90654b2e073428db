"""Stop and search by ethnicity, and the Nomis ethnic-group population reader."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smp_analysis.errors import InputError
from smp_analysis.sources.ethnicity import ETHNIC_GROUPS, read_ethnic_population
from smp_analysis.stats.stop_search import (
    officer_defined_group,
    self_defined_group,
    stop_search_disproportionality,
)

#: The 18 + 1 self-defined categories data.police.uk publishes, and their Census group.
SELF_DEFINED = {
    "White - English/Welsh/Scottish/Northern Irish/British": "White",
    "White - Irish": "White",
    "White - Gypsy or Irish Traveller": "White",
    "White - Any other White background": "White",
    "Mixed/Multiple ethnic groups - White and Black Caribbean": "Mixed",
    "Mixed/Multiple ethnic groups - White and Black African": "Mixed",
    "Mixed/Multiple ethnic groups - White and Asian": "Mixed",
    "Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background": "Mixed",
    "Asian/Asian British - Indian": "Asian",
    "Asian/Asian British - Pakistani": "Asian",
    "Asian/Asian British - Bangladeshi": "Asian",
    "Asian/Asian British - Chinese": "Asian",
    "Asian/Asian British - Any other Asian background": "Asian",
    "Black/African/Caribbean/Black British - African": "Black",
    "Black/African/Caribbean/Black British - Caribbean": "Black",
    "Black/African/Caribbean/Black British - Any other Black/African/Caribbean background": "Black",
    "Other ethnic group - Arab": "Other",
    "Other ethnic group - Any other ethnic group": "Other",
    "Other ethnic group - Not stated": "Not stated",
}


def test_every_self_defined_category_maps_to_its_group() -> None:
    got = self_defined_group(pd.Series(list(SELF_DEFINED)))
    assert got.tolist() == list(SELF_DEFINED.values())


def test_self_defined_blank_unknown_and_2021_wording() -> None:
    s = pd.Series(
        [
            None,
            np.nan,
            "",
            "  ",
            "White - Roma",
            "Black, Black British, Black Welsh, Caribbean or African - African",
            "n/a",
        ],
        index=[10, 11, 12, 13, 14, 15, 16],
    )
    got = self_defined_group(s)
    assert got.index.tolist() == s.index.tolist()
    assert got.tolist() == ["Missing"] * 4 + ["White", "Black", "Unrecognised"]


def test_officer_defined_mapping() -> None:
    s = pd.Series(["White", "Black", "Asian", "Other", "Mixed", "", None, "Purple"])
    assert officer_defined_group(s).tolist() == [
        "White", "Black", "Asian", "Other", "Mixed", "Missing", "Missing", "Unrecognised",
    ]  # fmt: skip


@pytest.fixture()
def pop() -> pd.DataFrame:
    return pd.DataFrame(
        {"ethnic_group": list(ETHNIC_GROUPS), "residents": [900, 200, 300, 5800, 150]}
    )


@pytest.fixture()
def searches() -> pd.DataFrame:
    self_vals = list(SELF_DEFINED) * 3 + [None, "", "Alien"]
    n = len(self_vals)
    return pd.DataFrame(
        {
            "month": pd.PeriodIndex(["2024-01"] * (n // 2) + ["2024-02"] * (n - n // 2), freq="M"),
            "self_defined_ethnicity": self_vals,
            "officer_defined_ethnicity": (["White", "Black", "Asian", "Other", ""] * n)[:n],
            "type": ["Person search"] * n,
        }
    )


def test_table_counts_every_row_and_shows_unknowns(
    searches: pd.DataFrame, pop: pd.DataFrame
) -> None:
    t = stop_search_disproportionality(searches, pop)
    assert t["ethnic_group"].tolist() == [*ETHNIC_GROUPS, "Not stated", "Missing", "Unrecognised"]
    assert t["searches"].sum() == len(searches)
    s = t.set_index("ethnic_group")
    assert s.loc["White", "searches"] == 12 and s.loc["Not stated", "searches"] == 3
    assert s.loc["Missing", "searches"] == 2 and s.loc["Unrecognised", "searches"] == 1
    assert s["share"].sum() == pytest.approx(1.0)
    assert s.loc["Black", "rate"] == pytest.approx(9 / 200 * 1000)
    assert s.loc["Black", "rate_ratio"] == pytest.approx((9 / 200) / (12 / 5800))
    assert s.loc["White", "rate_ratio"] == 1.0 and np.isnan(s.loc["White", "ratio_ci_low"])
    assert s.loc[["Not stated", "Missing"], "rate"].isna().all()
    assert s.loc["Missing", "note"] != "" and (t["basis"] == "self-defined").all()
    for g in ETHNIC_GROUPS:
        assert s.loc[g, "rate_ci_low"] <= s.loc[g, "rate"] <= s.loc[g, "rate_ci_high"]


def test_officer_defined_basis_without_mixed(searches: pd.DataFrame, pop: pd.DataFrame) -> None:
    t = stop_search_disproportionality(searches, pop, basis="officer_defined").set_index(
        "ethnic_group"
    )
    assert "Not stated" not in t.index and t["searches"].sum() == len(searches)
    assert np.isnan(t.loc["Mixed", "rate"]) and "no Mixed" in t.loc["Mixed", "note"]
    assert (t["basis"] == "officer-defined").all()
    with_mixed = searches.assign(officer_defined_ethnicity="Mixed")
    m = stop_search_disproportionality(with_mixed, pop, basis="officer_defined").set_index(
        "ethnic_group"
    )
    assert m.loc["Mixed", "rate"] == pytest.approx(len(searches) / 300 * 1000)


def test_by_groups_and_other_reference(searches: pd.DataFrame, pop: pd.DataFrame) -> None:
    t = stop_search_disproportionality(searches, pop, by=["month"], reference="Asian")
    assert (
        t.groupby("month")["searches"].sum().tolist() == searches.groupby("month").size().tolist()
    )
    assert len(t) == 2 * 8
    asian = t[t["ethnic_group"] == "Asian"]
    assert (asian["rate_ratio"] == 1.0).all()
    jan = t[t["month"] == pd.Period("2024-01", "M")].set_index("ethnic_group")
    assert jan["share"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("kw", "msg"),
    [
        ({"basis": "both"}, "basis"),
        ({"reference": "Martian"}, "reference"),
        ({"by": ["force"]}, "columns"),
    ],
)
def test_bad_arguments(searches: pd.DataFrame, pop: pd.DataFrame, kw: dict, msg: str) -> None:
    with pytest.raises(ValueError, match=msg):
        stop_search_disproportionality(searches, pop, **kw)


def test_bad_population(searches: pd.DataFrame, pop: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="no residents for groups"):
        stop_search_disproportionality(searches, pop[pop["ethnic_group"] != "Other"])
    with pytest.raises(ValueError, match="positive"):
        stop_search_disproportionality(searches, pop.assign(residents=0))


# ---------------------------------------------------------------- Nomis reader

GROUP_COLS = [
    ("All categories: Ethnic group", 1000),
    ("White", 880),
    ("White: English/Welsh/Scottish/Northern Irish/British", 800),
    ("White: Other White", 80),
    ("Mixed", 20),
    ("Mixed/multiple ethnic group: Other Mixed", 20),
    ("Asian", 60),
    ("Asian/Asian British: Indian", 35),
    ("Asian/Asian British: Chinese", 25),
    ("Black", 30),
    ("Black/African/Caribbean/Black British: African", 30),
    ("Other", 10),
    ("Other ethnic group: Arab", 10),
]


def _write(
    tmp: Path, rows: list[tuple[str, list[int]]], cols=GROUP_COLS, name="eth.csv", gz=False
) -> Path:
    head = "date,geography,geography code,Rural Urban," + ",".join(
        f'"Ethnic Group: {c}; measures: Value"' for c, _ in cols
    )
    lines = [head] + [f"2011,Area {code},{code},Total," + ",".join(map(str, v)) for code, v in rows]
    text = "\ufeff" + "\n".join(lines) + "\n"
    p = tmp / name
    if gz:
        p.write_bytes(gzip.compress(text.encode()))
    else:
        p.write_text(text, encoding="utf-8")
    return p


VALUES = [v for _, v in GROUP_COLS]


def test_reader_sums_areas(tmp_path: Path) -> None:
    p = _write(tmp_path, [("E1", VALUES), ("E2", VALUES), ("E3", VALUES)])
    t = read_ethnic_population(p, ["E1", "E3"])
    assert t["ethnic_group"].tolist() == list(ETHNIC_GROUPS)
    assert t["residents"].tolist() == [120, 60, 40, 1760, 20]
    assert (
        t.attrs["total"] == 2000 and t.attrs["areas"] == ["E1", "E3"] and t.attrs["date"] == "2011"
    )


def test_reader_uses_detailed_columns_when_no_top_level(tmp_path: Path) -> None:
    cols = [c for c in GROUP_COLS if ":" in c[0] and not c[0].startswith("All")] + [GROUP_COLS[0]]
    p = _write(tmp_path, [("E1", [v for _, v in cols])], cols=cols, gz=True, name="e.csv.gz")
    assert read_ethnic_population(p, "E1")["residents"].tolist() == [60, 30, 20, 880, 10]


def test_reader_2021_labels(tmp_path: Path) -> None:
    cols = [
        ("Total: All usual residents", 100),
        ("Asian, Asian British or Asian Welsh", 10),
        ("Black, Black British, Black Welsh, Caribbean or African", 20),
        ("Mixed or Multiple ethnic groups", 5),
        ("White", 60),
        ("Other ethnic group", 5),
    ]
    p = _write(tmp_path, [("E1", [v for _, v in cols])], cols=cols)
    assert read_ethnic_population(p, "E1")["residents"].tolist() == [10, 20, 5, 60, 5]


def test_reader_errors_name_file_line_column_and_fix(tmp_path: Path) -> None:
    p = _write(tmp_path, [("E1", VALUES), ("E2", [VALUES[0], "x", *VALUES[2:]])])
    with pytest.raises(InputError) as e:
        read_ethnic_population(p, "E9")
    assert "area E9 not found" in str(e.value) and e.value.column == "geography code"
    assert e.value.fix
    with pytest.raises(InputError) as e:
        read_ethnic_population(p, ["E1", "E2"])
    assert e.value.line == 3 and "'x' is not a count" in str(e.value)
    bad_total = _write(tmp_path, [("E1", [999, *VALUES[1:]])], name="t.csv")
    with pytest.raises(InputError, match="add up to 1000 but the total is 999") as e:
        read_ethnic_population(bad_total, "E1")
    assert e.value.line == 2


def test_reader_missing_file_columns_and_duplicates(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        read_ethnic_population(tmp_path / "nope.csv", "E1")
    no_code = tmp_path / "nc.csv"
    no_code.write_text("date,geography\n2011,X\n")
    with pytest.raises(InputError) as e:
        read_ethnic_population(no_code, "E1")
    assert e.value.line == 1 and e.value.column == "geography code"
    cols = [c for c in GROUP_COLS if not c[0].startswith("Black")]
    no_black = _write(tmp_path, [("E1", [v for _, v in cols])], cols=cols, name="nb.csv")
    with pytest.raises(InputError, match="no column for the Black group"):
        read_ethnic_population(no_black, "E1")
    dup = _write(tmp_path, [("E1", VALUES), ("E1", VALUES)], name="d.csv")
    with pytest.raises(InputError, match="appears on 2 rows") as e:
        read_ethnic_population(dup, "E1")
    assert e.value.line == 3
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty"):
        read_ethnic_population(empty, "E1")
    with pytest.raises(InputError, match="no area codes"):
        read_ethnic_population(dup, [])
