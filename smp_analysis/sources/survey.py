"""Reader for community-safety survey responses (docs/data-formats.md §8).

One row per respondent × question::

    survey,year,respondent_id,question,response,weight,age_group
    public,2024/25,R0001,safe_town_centre_after_dark,Fairly safe,1.12,25-34
    public,2024/25,R0001,asb_big_problem,,1.12,25-34

A blank ``response`` is *no answer*: the row is kept (``response`` is missing) and the
statistics count it apart from the base. Any column beyond the documented ones is a
respondent group for gap analysis and is kept as text.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "survey.csv"
>>> _ = p.write_text("survey,year,respondent_id,question,response,age_group\\n"
...                  "public,2024/25,R1,safe_day,Very safe,16-24\\n"
...                  "public,2024/25,R1,safe_dark,,16-24\\n")
>>> df = read_survey(p)
>>> df[["respondent_id", "question", "response", "weight", "age_group"]]
  respondent_id   question   response  weight age_group
0            R1   safe_day  Very safe     1.0     16-24
1            R1  safe_dark        NaN     1.0     16-24
"""

from __future__ import annotations

from os import PathLike

import numpy as np
import pandas as pd

from ..errors import InputError
from ._csv import display_name, parse_numbers, read_table

__all__ = ["SURVEY_COLUMNS", "SURVEY_KINDS", "read_survey"]

#: Required columns, in output order (``weight`` follows them).
SURVEY_COLUMNS: tuple[str, ...] = ("survey", "year", "respondent_id", "question", "response")
#: Allowed values of ``survey``.
SURVEY_KINDS: tuple[str, ...] = ("public", "youth")

_WHAT = "survey responses file"
_DOC = "docs/data-formats.md §8"


def _blank(values: pd.Series) -> np.ndarray:
    return (values.astype("str").str.strip() == "").to_numpy()


def read_survey(path: str | PathLike[str]) -> pd.DataFrame:
    """Read and check a survey responses CSV.

    Parameters
    ----------
    path : path-like
        The CSV (UTF-8, header required; ``.gz`` accepted).

    Returns
    -------
    pandas.DataFrame
        ``survey, year, respondent_id, question, response, weight`` and then any group
        columns in file order. Text columns are strings with surrounding spaces removed;
        ``survey`` is lower case; a blank ``response`` or group value is missing (NaN);
        ``weight`` is float (1.0 when the file has no weight column).

    Raises
    ------
    InputError
        One line naming the file, line, column and fix, for: a missing or empty file, a
        header without responses, a missing required column, a blank ``survey``/``year``/
        ``respondent_id``/``question``, an unknown survey kind, a weight that is blank,
        not a number or not above 0, different weights for one respondent, or a
        respondent answering the same question twice.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.csv"
    >>> _ = p.write_text("survey,year,respondent_id,question,response,weight\\n"
    ...                  "public,2024/25,R1,q1,Yes,0\\n")
    >>> try:
    ...     read_survey(p)
    ... except Exception as e:
    ...     print(e)
    /...s.csv:2: column 'weight': value 0 is not above 0. Fix: give every respondent a weight greater than 0, or remove the weight column (every weight is then 1)
    """
    name = display_name(path)
    df = read_table(
        path,
        required=list(SURVEY_COLUMNS),
        optional=["weight"],
        allow_extra=True,
        what=_WHAT,
        kind="survey",
    )
    if df.empty:
        raise InputError(
            f"{_WHAT} has a header but no responses",
            path=name,
            line=2,
            fix=f"add one row per respondent and question ({_DOC})",
        )
    lines = df["_line"].to_numpy()

    for column in ("survey", "year", "respondent_id", "question"):
        blank = _blank(df[column])
        if blank.any():
            i = int(np.argmax(blank))
            raise InputError(
                "value is blank",
                path=name,
                line=int(lines[i]),
                column=column,
                fix=f"fill in '{column}' on every row ({_DOC})",
            )

    kind = df["survey"].str.lower()
    unknown = ~kind.isin(SURVEY_KINDS).to_numpy()
    if unknown.any():
        i = int(np.argmax(unknown))
        raise InputError(
            f"unknown survey kind '{df['survey'].iloc[i]}'",
            path=name,
            line=int(lines[i]),
            column="survey",
            fix=f"use one of {', '.join(repr(k) for k in SURVEY_KINDS)}",
        )
    df["survey"] = kind

    if "weight" in df.columns:
        weight = parse_numbers(
            df,
            "weight",
            path=name,
            positive=True,
            allow_blank=False,
            thousands=False,
            fix="give every respondent a weight greater than 0, or remove the weight column "
            "(every weight is then 1)",
        )
    else:
        weight = pd.Series(1.0, index=df.index, name="weight")
    df["weight"] = weight.astype("float64")

    respondent = ["survey", "year", "respondent_id"]
    first_weight = df.groupby(respondent, sort=False)["weight"].transform("first")
    differs = (df["weight"] != first_weight).to_numpy()
    if differs.any():
        i = int(np.argmax(differs))
        key = tuple(df.loc[df.index[i], respondent])
        first_line = int(
            df.loc[(df[respondent] == pd.Series(key, index=respondent)).all(axis=1), "_line"].iloc[
                0
            ]
        )
        raise InputError(
            f"respondent '{key[2]}' has weight {df['weight'].iloc[i]:g} here but "
            f"{first_weight.iloc[i]:g} on line {first_line}",
            path=name,
            line=int(lines[i]),
            column="weight",
            fix="a weight belongs to the respondent: give the same weight on all their rows",
        )

    dupe = df.duplicated([*respondent, "question"], keep="first").to_numpy()
    if dupe.any():
        i = int(np.argmax(dupe))
        key_cols = [*respondent, "question"]
        same = (df[key_cols] == df.loc[df.index[i], key_cols]).all(axis=1)
        first_line = int(df.loc[same, "_line"].iloc[0])
        raise InputError(
            f"respondent '{df['respondent_id'].iloc[i]}' answers question "
            f"'{df['question'].iloc[i]}' twice (first on line {first_line})",
            path=name,
            line=int(lines[i]),
            column="question",
            fix="keep one row per respondent and question (respondent_id is unique within "
            "survey and year)",
        )

    extras = [c for c in df.columns if c not in (*SURVEY_COLUMNS, "weight", "_line")]
    for column in ["response", *extras]:
        df[column] = df[column].where(~_blank(df[column]), np.nan)
    out = df[[*SURVEY_COLUMNS, "weight", *extras]]
    return out.reset_index(drop=True)
