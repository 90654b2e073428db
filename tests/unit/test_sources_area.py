"""Area selection by LSOA-name prefix and/or LSOA codes (2011 or 2021 vintage)."""

from __future__ import annotations

import pandas as pd
import pytest

from smp_analysis.sources.area import AreaSelection

NAMES = pd.Series(
    [
        "Maidstone 012A",  # yes
        "maidstone 001B",  # yes: case is ignored
        "Maidstonex 012A",  # no: a different word
        "Maidstone Town 001A",  # no: the MSOA number must follow the name
        "Maidstone 12A",  # no: three digits
        "Maidstone 012AB",  # no: one letter
        "Tunbridge Wells 004C",  # no
        None,  # no location
    ]
)
CODES = pd.Series([f"E0102{i:04d}" for i in range(7)] + [None])


def test_prefix_rules() -> None:
    got = AreaSelection.district("Maidstone").mask(CODES, NAMES).tolist()
    assert got == [True, True, False, False, False, False, False, False]


def test_multi_word_and_punctuated_district_names() -> None:
    names = pd.Series(["Tunbridge Wells 004C", "Bournemouth, Christchurch and Poole 001A",
                       "King's Lynn and West Norfolk 003B", "Tunbridge 004C"])  # fmt: skip
    codes = pd.Series(["E1", "E2", "E3", "E4"])
    a = AreaSelection(
        "three",
        lsoa_name_prefix=["Tunbridge Wells", "Bournemouth, Christchurch and Poole",
                          "King's Lynn and West Norfolk"],
    )  # fmt: skip
    assert a.mask(codes, names).tolist() == [True, True, True, False]


def test_codes_or_prefix() -> None:
    a = AreaSelection("M", lsoa_name_prefix="Maidstone", lsoa_codes=["E01020006"])
    got = a.mask(CODES, NAMES).tolist()
    assert got == [True, True, False, False, False, False, True, False]


def test_nothing_given_selects_every_located_row() -> None:
    a = AreaSelection("all")
    assert a.selects_everything
    assert a.mask(CODES, NAMES).tolist() == [True] * 7 + [False]


def test_from_lookup_adds_district_names_for_2021_lsoas() -> None:
    lookup = pd.DataFrame(
        {
            "lsoa_code": ["E01024337", "E01024338", "E01023987"],
            "lsoa_name": ["Maidstone 001A", "Maidstone 001B", "Ashford 001B"],
            "lad_code": ["E07000110", "E07000110", "E07000105"],
            "lad_name": ["Maidstone", "Maidstone", "Ashford"],
        }
    )
    a = AreaSelection.from_lookup(lookup, lad="Maidstone")
    # a 2021 LSOA not in the 2011 lookup is still selected by its name
    assert a.mask(pd.Series(["E01035001"]), pd.Series(["Maidstone 020F"])).tolist() == [True]
    strict = AreaSelection.from_lookup(lookup, lad="E07000110", add_name_prefix=False)
    assert strict.mask(pd.Series(["E01035001"]), pd.Series(["Maidstone 020F"])).tolist() == [False]
    csp = pd.DataFrame({"lad_code": ["E07000110"], "lad_name": ["Maidstone"],
                        "csp_code": ["E22000142"], "csp_name": ["Maidstone"]})  # fmt: skip
    by_csp = AreaSelection.from_lookup(lookup, csp="E22000142", lad_csp=csp)
    assert by_csp.lsoa_codes == frozenset({"E01024337", "E01024338"})
    with pytest.raises(ValueError, match="not in the LSOA lookup"):
        AreaSelection.from_lookup(lookup, lad="Nowhere")


def test_key_is_stable_and_distinguishes() -> None:
    a = AreaSelection("M", lsoa_codes=["E2", "E1"])
    b = AreaSelection("M", lsoa_codes=["E1", "E2"])
    assert a.key() == b.key()
    assert a.key() != AreaSelection("M", lsoa_codes=["E1"]).key()


def test_sql_predicate_agrees_with_python_mask() -> None:
    import duckdb

    names = [*NAMES.dropna(), "St. Helens 001A", "StX Helens 001A", "King's Lynn and West Norfolk 003B",
             "A_b% 001A", "Axb% 001A", "maidstone 001b"]  # fmt: skip
    codes = [f"E01{i:06d}" for i in range(len(names))]
    area = AreaSelection(
        "mixed",
        lsoa_name_prefix=["Maidstone", "St. Helens", "King's Lynn and West Norfolk", "A_b%"],
        lsoa_codes=[codes[-3]],
    )
    con = duckdb.connect()
    con.register("frame", pd.DataFrame({"c": codes, "n": names}))
    con.execute("CREATE TEMP TABLE area_codes AS SELECT * FROM (VALUES (?)) v(code)", [codes[-3]])
    got = con.sql(f"SELECT {area.sql_predicate('c', 'n')} AS hit FROM frame").df()["hit"]
    expected = area.mask(pd.Series(codes), pd.Series(names))
    assert got.tolist() == expected.tolist()
    assert expected.tolist().count(True) == 6
