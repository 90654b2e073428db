"""The survey responses reader: output shape and one-line errors (docs/data-formats.md §8)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from smp_analysis.errors import InputError
from smp_analysis.sources.survey import read_survey

HEADER = "survey,year,respondent_id,question,response,weight,age_group"


def write(tmp_path: Path, text: str, name: str = "survey.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def error(tmp_path: Path, text: str) -> InputError:
    with pytest.raises(InputError) as info:
        read_survey(write(tmp_path, text))
    message = str(info.value)
    assert "\n" not in message and "Fix:" in message
    return info.value


def test_reads_rows_keeps_blank_answers_and_groups(tmp_path):
    p = write(
        tmp_path,
        HEADER + "\n"
        "public,2024/25,R1,safe_day,Very safe,1.25,16-24\n"
        "public,2024/25,R1,safe_dark, ,1.25,16-24\n"
        " Youth ,2024/25,R1,safe_day,Fairly safe,0.5,\n"
        "public,2023/24,R1,safe_day,Very unsafe,2,65+\n",
    )
    df = read_survey(p)
    assert list(df.columns) == [
        "survey", "year", "respondent_id", "question", "response", "weight", "age_group"
    ]  # fmt: skip
    assert len(df) == 4  # nothing dropped: the blank answer is a row with a missing response
    assert df["survey"].tolist() == ["public", "public", "youth", "public"]
    assert df["response"].isna().tolist() == [False, True, False, False]
    assert df["age_group"].isna().tolist() == [False, False, True, False]
    assert df["weight"].dtype == np.float64
    assert df["weight"].tolist() == [1.25, 1.25, 0.5, 2.0]


def test_weight_defaults_to_one_and_bom_is_accepted(tmp_path):
    p = tmp_path / "bom.csv"
    p.write_bytes(
        "\ufeffsurvey,year,respondent_id,question,response\npublic,2024/25,R1,q,Yes\n".encode()
    )
    df = read_survey(p)
    assert df["weight"].tolist() == [1.0]
    assert df["survey"].tolist() == ["public"]


def test_quoted_answers_with_commas(tmp_path):
    p = write(tmp_path, HEADER + '\npublic,2024/25,R1,q,"Yes, a big problem",1,\n')
    assert read_survey(p)["response"].tolist() == ["Yes, a big problem"]


def test_empty_file(tmp_path):
    err = error(tmp_path, "")
    assert "empty" in str(err) and err.path.endswith("survey.csv")


def test_header_without_rows(tmp_path):
    err = error(tmp_path, HEADER + "\n")
    assert err.line == 2 and "no responses" in str(err)


def test_missing_column(tmp_path):
    err = error(tmp_path, "survey,year,respondent_id,response\npublic,2024/25,R1,Yes\n")
    assert err.line == 1 and err.column == "question"


def test_missing_column_with_case_hint(tmp_path):
    err = error(tmp_path, "survey,year,respondent_id,Question,response\npublic,2024/25,R1,q,Yes\n")
    assert err.column == "question" and "differs only in case" in str(err)


def test_unknown_survey_kind(tmp_path):
    err = error(tmp_path, HEADER + "\npublic,2024/25,R1,q,Yes,1,\nresidents,2024/25,R2,q,No,1,\n")
    assert (err.line, err.column) == (3, "survey")
    assert "'residents'" in str(err) and "'public', 'youth'" in str(err)


@pytest.mark.parametrize(
    ("weight", "words"),
    [("0", "not above 0"), ("-1.5", "not above 0"), ("abc", "not a number"),
     ("", "blank"), ("inf", "not a number"), ("nan", "not a number")],
)  # fmt: skip
def test_bad_weights(tmp_path, weight, words):
    err = error(
        tmp_path, HEADER + f"\npublic,2024/25,R1,q1,Yes,1,\npublic,2024/25,R2,q1,No,{weight},\n"
    )
    assert (err.line, err.column) == (3, "weight")
    assert words in str(err)


def test_weight_must_be_constant_for_a_respondent(tmp_path):
    err = error(tmp_path, HEADER + "\npublic,2024/25,R1,q1,Yes,1.5,\npublic,2024/25,R1,q2,No,2,\n")
    assert (err.line, err.column) == (3, "weight")
    assert "line 2" in str(err)


def test_duplicate_respondent_question(tmp_path):
    err = error(
        tmp_path,
        HEADER + "\n"
        "public,2024/25,R1,q1,Yes,1,\n"
        "public,2024/25,R2,q1,Yes,1,\n"
        "public,2024/25,R1,q1,No,1,\n",
    )
    assert (err.line, err.column) == (4, "question")
    assert "twice (first on line 2)" in str(err)


def test_same_respondent_id_in_other_year_or_survey_is_fine(tmp_path):
    p = write(
        tmp_path,
        HEADER
        + "\npublic,2024/25,R1,q1,Yes,1,\npublic,2023/24,R1,q1,No,1,\nyouth,2024/25,R1,q1,No,1,\n",
    )
    assert len(read_survey(p)) == 3


@pytest.mark.parametrize("column", ["survey", "year", "respondent_id", "question"])
def test_blank_required_value(tmp_path, column):
    values = {"survey": "public", "year": "2024/25", "respondent_id": "R1", "question": "q"}
    values[column] = ""
    row = ",".join([values["survey"], values["year"], values["respondent_id"], values["question"]])
    err = error(tmp_path, HEADER + f"\npublic,2024/25,R0,q,Yes,1,\n{row},Yes,1,\n")
    assert (err.line, err.column) == (3, column)


def test_short_row(tmp_path):
    err = error(tmp_path, HEADER + "\npublic,2024/25,R1,q\n")
    assert err.line == 2 and "field" in str(err)


def test_not_utf8(tmp_path):
    p = tmp_path / "latin1.csv"
    p.write_bytes((HEADER + "\npublic,2024/25,R1,q,Tr\xe8s bien,1,\n").encode("latin-1"))
    with pytest.raises(InputError) as info:
        read_survey(p)
    assert info.value.line == 2 and "UTF-8" in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_survey(tmp_path / "nope.csv")
