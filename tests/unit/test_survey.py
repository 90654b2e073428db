"""Survey statistics: behaviour and edge cases (reference values are in tests/reference)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from smp_analysis.sources.survey import read_survey
from smp_analysis.stats.survey import (
    METHOD,
    SurveyMeasure,
    group_gaps,
    survey_change,
    survey_measure_change,
    survey_measure_table,
    weighted_proportion,
)


# --------------------------------------------------------------------------- weighted_proportion
def test_no_answers_are_excluded_from_the_base_and_counted():
    r = weighted_proportion(["Yes", None, np.nan, "", "  ", "No"], "Yes")
    assert (r.n, r.n_no_answer, r.n_positive, r.proportion) == (2, 4, 1, 0.5)
    assert r.method == METHOD and r.conf_level == 0.95


def test_positive_answers_match_ignoring_case_and_spaces():
    r = weighted_proportion(
        ["Very  safe", "fairly safe", "Very unsafe"], ["Very safe", "Fairly Safe"]
    )
    assert r.n_positive == 2


def test_single_string_positive_is_one_answer_not_characters():
    assert weighted_proportion(["Y", "e", "s", "Yes"], "Yes").n_positive == 1


def test_weights_scale_free_and_unequal_weights_widen_interval():
    answers = ["y"] * 30 + ["n"] * 30
    plain = weighted_proportion(answers, "y")
    scaled = weighted_proportion(answers, "y", weights=[3.0] * 60)
    assert (scaled.ci_low, scaled.ci_high) == pytest.approx((plain.ci_low, plain.ci_high))
    # weights alternate 1 and 3 within each answer: p stays 0.5, n_eff falls to 48
    uneven = weighted_proportion(answers, "y", weights=[1, 3] * 30)
    assert uneven.proportion == pytest.approx(0.5)
    assert uneven.effective_n == pytest.approx(120**2 / 300)  # (Σw)²/Σw² = 48
    assert uneven.effective_n < plain.effective_n
    assert uneven.ci_high - uneven.ci_low > plain.ci_high - plain.ci_low


def test_weights_of_no_answers_do_not_count():
    a = weighted_proportion(["y", "n", None], "y", weights=[1, 1, 100])
    assert a.proportion == 0.5 and a.effective_n == pytest.approx(2)


def test_all_positive_interval_stays_in_range():
    r = weighted_proportion(["y"] * 12, "y")
    assert r.proportion == 1 and r.ci_high == pytest.approx(1) and 0.7 < r.ci_low < 1


def test_higher_confidence_widens():
    a = weighted_proportion(["y"] * 20 + ["n"] * 30, "y", conf_level=0.9)
    b = weighted_proportion(["y"] * 20 + ["n"] * 30, "y", conf_level=0.99)
    assert b.ci_low < a.ci_low < 0.4 < a.ci_high < b.ci_high


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"responses": [None, ""], "positive": "y"}, "nobody answered"),
        ({"responses": ["y"], "positive": "y", "weights": [0]}, "greater than 0"),
        ({"responses": ["y"], "positive": "y", "weights": [np.nan]}, "finite"),
        ({"responses": ["y", "n"], "positive": "y", "weights": [1]}, "2 responses"),
        ({"responses": ["y"], "positive": []}, "positive"),
        ({"responses": ["y"], "positive": "y", "conf_level": 95}, "conf_level"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        weighted_proportion(**kwargs)


# --------------------------------------------------------------------------- survey_change
def test_change_direction_and_identical_waves():
    low = weighted_proportion(["y"] * 20 + ["n"] * 80, "y")
    high = weighted_proportion(["y"] * 40 + ["n"] * 60, "y")
    up = survey_change(before=low, after=high)
    assert up.difference == pytest.approx(0.2) and up.z > 0 and up.ci_low > 0
    down = survey_change(before=high, after=low)
    assert down.difference == pytest.approx(-0.2) and down.p_value == pytest.approx(up.p_value)
    same = survey_change(low, low)
    assert same.difference == 0 and same.p_value == pytest.approx(1)
    assert same.ci_low < 0 < same.ci_high


def test_change_when_everyone_is_positive_in_both_waves():
    a = weighted_proportion(["y"] * 10, "y")
    b = weighted_proportion(["y"] * 30, "y")
    c = survey_change(a, b)
    assert c.difference == 0 and c.p_value == 1 and c.z == 0
    assert c.ci_low <= 0 <= c.ci_high


def test_weighting_makes_change_less_certain():
    answers0 = ["y"] * 40 + ["n"] * 60
    answers1 = ["y"] * 56 + ["n"] * 44
    plain = survey_change(weighted_proportion(answers0, "y"), weighted_proportion(answers1, "y"))
    w = [1, 4] * 50
    weighted = survey_change(
        weighted_proportion(answers0, "y", weights=w), weighted_proportion(answers1, "y", weights=w)
    )
    assert weighted.difference == pytest.approx(plain.difference)
    assert weighted.p_value > plain.p_value


# --------------------------------------------------------------------------- group_gaps
def _people(groups: dict[str, tuple[int, int]], year: str = "2024/25") -> pd.DataFrame:
    rows = []
    for g, (x, n) in groups.items():
        for i in range(n):
            rows.append(
                {"survey": "public", "year": year, "respondent_id": f"{year}{g}{i}",
                 "question": "q", "response": "Yes" if i < x else "No", "age_group": g}
            )  # fmt: skip
    return pd.DataFrame(rows)


def test_gap_against_everyone_else_equals_two_sample_comparison():
    df = _people({"16-24": (10, 40), "25-64": (50, 100), "65+": (36, 60)})
    g = group_gaps(df, "Yes", "age_group").set_index("age_group")
    young = weighted_proportion(["y"] * 10 + ["n"] * 30, "y")
    rest = weighted_proportion(["y"] * 86 + ["n"] * 74, "y")
    expect = survey_change(before=rest, after=young)
    row = g.loc["16-24"]
    assert row["reference"] == "others"
    assert row["reference_proportion"] == pytest.approx(86 / 160)
    assert row["difference"] == pytest.approx(expect.difference)
    assert (row["difference_ci_low"], row["difference_ci_high"]) == pytest.approx(
        (expect.ci_low, expect.ci_high)
    )
    assert row["p_value"] == pytest.approx(expect.p_value)
    assert (g["q_value"] >= g["p_value"] - 1e-12).all()
    assert g["n"].tolist() == [40, 100, 60]


def test_gaps_blank_group_is_not_stated_not_dropped():
    df = _people({"16-24": (5, 10), "": (3, 4)})
    g = group_gaps(df, "Yes", "age_group")
    assert set(g["age_group"]) == {"16-24", "Not stated"}
    assert g["n"].sum() == 14


def test_gaps_by_year_and_guards():
    df = pd.concat([_people({"a": (5, 10), "b": (8, 10)}, "2023/24"),
                    _people({"a": (6, 10), "b": (2, 10)}, "2024/25")])  # fmt: skip
    with pytest.raises(ValueError, match="several year"):
        group_gaps(df, "Yes", "age_group")
    g = group_gaps(df, "Yes", "age_group", by=["year"])
    assert g[["year", "age_group"]].values.tolist() == [
        ["2023/24", "a"], ["2023/24", "b"], ["2024/25", "a"], ["2024/25", "b"]
    ]  # fmt: skip
    assert g["difference"].round(3).tolist() == [-0.3, 0.3, 0.4, -0.4]
    mixed = df.assign(question=["q", "r"] * 20)
    with pytest.raises(ValueError, match="several questions"):
        group_gaps(mixed, "Yes", "age_group", by=["year"])
    with pytest.raises(ValueError, match="not among the groups"):
        group_gaps(df, "Yes", "age_group", by=["year"], reference="zz")
    with pytest.raises(ValueError, match="lack"):
        group_gaps(df, "Yes", "sex", by=["year"])


def test_gaps_use_weights_when_present():
    df = _people({"a": (1, 2), "b": (1, 2)}).assign(weight=[3.0, 1.0, 1.0, 1.0])
    g = group_gaps(df, "Yes", "age_group").set_index("age_group")
    assert g.loc["a", "proportion"] == pytest.approx(0.75)
    assert g.loc["a", "effective_n"] == pytest.approx(16 / 10)
    unweighted = group_gaps(df, "Yes", "age_group", weight=None).set_index("age_group")
    assert unweighted.loc["a", "proportion"] == pytest.approx(0.5)


# --------------------------------------------------------------------------- measure table
def _survey_rows() -> pd.DataFrame:
    rows = [
        # survey, year, id, question, response, weight, age
        ("public", "2023/24", "a", "safe", "Very safe", 1.0, "16-24"),
        ("public", "2023/24", "b", "safe", "Fairly unsafe", 1.0, "65+"),
        ("public", "2023/24", "c", "safe", None, 1.0, "65+"),
        ("public", "2024/25", "a", "safe", "Very safe", 2.0, "16-24"),
        ("public", "2024/25", "b", "safe", "Fairly safe", 1.0, None),
        ("public", "2024/25", "b", "asb", "Very big problem", 1.0, None),
        ("youth", "2024/25", "a", "safe", "Very unsafe", 1.0, "16-24"),
    ]
    cols = ["survey", "year", "respondent_id", "question", "response", "weight", "age_group"]
    return pd.DataFrame(rows, columns=cols)


MEASURES = [
    SurveyMeasure("feel_safe", "Feel safe", "public", "safe", ("Very safe", "Fairly safe")),
    {"id": "asb", "label": "ASB a problem", "survey": "public", "question": "asb",
     "positive": ["Very big problem", "Fairly big problem"]},
    {"id": "youth_safe", "survey": "youth", "question": "safe", "positive": "Very safe"},
]  # fmt: skip


def test_measure_table_shape_and_values():
    t = survey_measure_table(_survey_rows(), MEASURES)
    assert list(t.columns[:5]) == ["measure", "label", "survey", "question", "year"]
    assert t[["measure", "year"]].values.tolist() == [
        ["feel_safe", "2023/24"], ["feel_safe", "2024/25"], ["asb", "2024/25"],
        ["youth_safe", "2024/25"]
    ]  # fmt: skip
    first = t.iloc[0]
    assert (first["n"], first["n_no_answer"], first["n_positive"]) == (2, 1, 1)
    assert first["proportion"] == 0.5
    assert t.iloc[1]["proportion"] == 1.0 and t.iloc[1]["effective_n"] == pytest.approx(9 / 5)
    assert t.iloc[3]["proportion"] == 0.0  # the youth answer is not counted for public
    assert t.iloc[3]["label"] == "youth_safe"  # label defaults to the id


def test_measure_table_by_group_with_empty_group():
    df = _survey_rows()
    df.loc[2, "age_group"] = "75+"  # a group whose only member left the question blank
    t = survey_measure_table(df, MEASURES[:1], by=["survey", "year", "age_group"])
    rows = t.set_index(["year", "age_group"])
    assert rows.loc[("2024/25", "Not stated"), "n"] == 1
    empty = rows.loc[("2023/24", "75+")]
    assert empty["n"] == 0 and empty["n_no_answer"] == 1 and math.isnan(empty["proportion"])


def test_measure_table_no_rows_and_bad_columns():
    t = survey_measure_table(_survey_rows(), [{"id": "x", "survey": "public", "question": "nope",
                                               "positive": "Yes"}])  # fmt: skip
    assert t.empty and "proportion" in t.columns
    with pytest.raises(ValueError, match="lack"):
        survey_measure_table(_survey_rows(), MEASURES, by=["survey", "ward"])
    with pytest.raises(ValueError, match="lacks"):
        survey_measure_table(_survey_rows(), [{"id": "x", "survey": "public"}])


def test_measure_change_keeps_one_sided_measures():
    t = survey_measure_table(_survey_rows(), MEASURES)
    c = survey_measure_change(t, "2023/24", "2024/25")
    by_measure = c.set_index("measure")
    assert by_measure.loc["feel_safe", "difference"] == pytest.approx(0.5)
    assert math.isnan(by_measure.loc["asb", "difference"])
    assert math.isnan(by_measure.loc["asb", "proportion_before"])
    assert set(c["before"]) == {"2023/24"} and set(c["after"]) == {"2024/25"}
    assert c["measure"].tolist() == ["feel_safe", "asb", "youth_safe"]  # table order kept


def test_reader_to_measure_table(tmp_path):
    p = tmp_path / "survey.csv"
    p.write_text(
        "survey,year,respondent_id,question,response,weight\n"
        "public,2024/25,R1,safe,Very safe,1\n"
        "public,2024/25,R2,safe,,1\n"
        "public,2024/25,R3,safe,Very unsafe,3\n"
    )
    t = survey_measure_table(read_survey(p), MEASURES[:1])
    assert t.iloc[0][["n", "n_no_answer", "proportion"]].tolist() == [2, 1, 0.25]


def test_measures_from_config_objects():
    from types import SimpleNamespace

    entry = SimpleNamespace(id="feel_safe", label="Feel safe", survey="Public", question="safe",
                            positive=["Very safe", "Fairly safe"], good="up")  # fmt: skip
    t = survey_measure_table(_survey_rows(), [entry])
    assert t["measure"].unique().tolist() == ["feel_safe"] and len(t) == 2


def test_survey_measure_validation():
    with pytest.raises(ValueError, match="non-empty question"):
        SurveyMeasure("x", "X", "public", " ", ("Yes",))
    with pytest.raises(ValueError, match="positive"):
        SurveyMeasure("x", "X", "public", "q", ())
