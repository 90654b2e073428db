"""Typing data.police.uk text columns: numbers, dates, booleans, categories.

The readers get every column as text (see :mod:`.police_uk_duckdb`); the functions in
:data:`TYPERS` turn one kind's frame into typed columns, taking ``month`` and ``force``
from the file name, and raise :class:`~smp_analysis.errors.InputError` (naming file,
line and column) at the first value that is not a number, a date-time or True/False.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..categories import ALL_CATEGORIES
from ..errors import InputError
from ._csv import locate
from .police_uk_format import COLUMNS, STOP_SEARCH_COLUMNS, PoliceFile

__all__ = ["TYPERS"]


def _numeric(df: pd.DataFrame, column: str, local: dict[str, PoliceFile], kind: str) -> pd.Series:
    raw = df[column]
    values = pd.to_numeric(raw, errors="coerce")
    bad = raw.notna() & values.isna()
    if bad.any():
        i = int(np.argmax(bad.to_numpy()))
        fp = df["filename"].iloc[i]
        value = raw.iloc[i]
        line = locate(fp, COLUMNS[kind].index(column), lambda v: v == value)
        raise InputError(
            f"'{value}' is not a number",
            path=local[fp].display,
            line=line,
            column=column,
            fix="use the file as downloaded from data.police.uk",
        )
    return values.astype("float64")


def _month_and_force(df: pd.DataFrame, local: dict[str, PoliceFile]) -> tuple[pd.Series, pd.Series]:
    month_of = {lp: str(f.month) for lp, f in local.items()}
    force_of = {lp: f.force for lp, f in local.items()}
    cat = pd.Categorical(df["filename"].map(month_of).astype("str"))
    uniques = pd.PeriodIndex([pd.Period(m, freq="M") for m in cat.categories], freq="M")
    month = pd.Series(
        uniques[cat.codes] if len(df) else pd.PeriodIndex([], freq="M"),
        index=df.index,
        name="month",
    )
    force = df["filename"].map(force_of).astype("category").rename("force")
    return month, force


def _type_located(df: pd.DataFrame, local: dict[str, PoliceFile], kind: str) -> pd.DataFrame:
    month, force = _month_and_force(df, local)
    return pd.DataFrame(
        {
            "crime_id": df["Crime ID"].astype("str"),
            "month": month,
            "force": force,
            "reported_by": df["Reported by"].astype("category"),
            "falls_within": df["Falls within"].astype("category"),
            "longitude": _numeric(df, "Longitude", local, kind),
            "latitude": _numeric(df, "Latitude", local, kind),
            "location": df["Location"].astype("str"),
            "lsoa_code": df["LSOA code"].astype("str"),
            "lsoa_name": df["LSOA name"].astype("str"),
        }
    )


def _type_street(df: pd.DataFrame, local: dict[str, PoliceFile]) -> pd.DataFrame:
    out = _type_located(df, local, "street")
    extra = sorted(set(df["Crime type"].dropna()) - set(ALL_CATEGORIES))
    out["crime_type"] = pd.Categorical(df["Crime type"], categories=[*ALL_CATEGORIES, *extra])
    out["last_outcome_category"] = df["Last outcome category"].astype("category")
    out["context"] = df["Context"].astype("str")
    return out


def _type_outcomes(df: pd.DataFrame, local: dict[str, PoliceFile]) -> pd.DataFrame:
    out = _type_located(df, local, "outcomes")
    out["outcome_type"] = df["Outcome type"].astype("category")
    return out


_BOOL = {"true": True, "false": False, "": None}


def _type_stop_search(df: pd.DataFrame, local: dict[str, PoliceFile]) -> pd.DataFrame:
    """Validate and type the raw stop-and-search frame (raises InputError)."""
    date_idx = STOP_SEARCH_COLUMNS.index("Date")
    raw_dates = df["Date"]
    dates = pd.to_datetime(raw_dates, utc=True, errors="coerce", format="ISO8601")
    bad = dates.isna().to_numpy()
    if bad.any():
        i = int(np.argmax(bad))
        fp = df["filename"].iloc[i]
        value = raw_dates.iloc[i]
        text = "" if pd.isna(value) else str(value)
        line = locate(fp, date_idx, lambda v: v == text)
        raise InputError(
            f"'{text}' is not a date-time (expected e.g. 2024-01-31T21:15:00+00:00)",
            path=local[fp].display,
            line=line,
            column="Date",
            fix="use the file as downloaded from data.police.uk",
        )
    future = (dates > pd.Timestamp.now(tz="UTC") + pd.Timedelta(days=1)).to_numpy()
    if future.any():
        i = int(np.argmax(future))
        fp = df["filename"].iloc[i]
        value = str(raw_dates.iloc[i])
        line = locate(fp, date_idx, lambda v: v == value)
        raise InputError(
            f"date {value} is in the future",
            path=local[fp].display,
            line=line,
            column="Date",
            fix="check the file; data.police.uk publishes past months only",
        )
    bools: dict[str, pd.Series] = {}
    for col in (
        "Part of a policing operation",
        "Outcome linked to object of search",
        "Removal of more than just outer clothing",
    ):
        raw = df[col].fillna("").astype("str").str.strip().str.lower()
        bad = ~raw.isin(list(_BOOL)).to_numpy()
        if bad.any():
            i = int(np.argmax(bad))
            fp = df["filename"].iloc[i]
            value = str(df[col].iloc[i])
            line = locate(fp, STOP_SEARCH_COLUMNS.index(col), lambda v, value=value: v == value)
            raise InputError(
                f"'{value}' is not True or False",
                path=local[fp].display,
                line=line,
                column=col,
                fix="use True, False or leave blank",
            )
        bools[col] = pd.Series(pd.array(raw.map(_BOOL).tolist(), dtype="boolean"), index=df.index)
    month, force = _month_and_force(df, local)
    kind = "stop-and-search"
    return pd.DataFrame(
        {
            "month": month,
            "force": force,
            "type": df["Type"].astype("category"),
            "date": dates,
            "part_of_policing_operation": bools["Part of a policing operation"],
            "policing_operation": df["Policing operation"].astype("str"),
            "latitude": _numeric(df, "Latitude", local, kind),
            "longitude": _numeric(df, "Longitude", local, kind),
            "gender": df["Gender"].astype("category"),
            "age_range": df["Age range"].astype("category"),
            "self_defined_ethnicity": df["Self-defined ethnicity"].astype("category"),
            "officer_defined_ethnicity": df["Officer-defined ethnicity"].astype("category"),
            "legislation": df["Legislation"].astype("category"),
            "object_of_search": df["Object of search"].astype("category"),
            "outcome": df["Outcome"].astype("category"),
            "outcome_linked_to_object": bools["Outcome linked to object of search"],
            "removal_of_outer_clothing": bools["Removal of more than just outer clothing"],
        }
    )


#: ``kind → function(raw text frame, local files) → typed frame``.
TYPERS = {"street": _type_street, "outcomes": _type_outcomes, "stop-and-search": _type_stop_search}
