"""OHID Fingertips CSV exports (docs/data-formats.md §4).

Reads the CSV that Fingertips' "Export data" button and
``api/all_data/csv/for_one_indicator?indicator_id=...`` produce, with its own column
names, into a tidy frame with snake_case columns. Rows are kept as published —
England, regions and every area type in the export — so filter on ``area_code`` /
``area_type`` and, for inequality breakdowns, on ``category_type`` (blank = the
whole population).

Suppressed values (blank ``Value`` with a ``Value note`` such as "Value suppressed
for disclosure control") are kept as missing (``NaN``), never zero.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "fingertips.csv"
>>> head = ",".join(FINGERTIPS_REQUIRED) + ",Value note"
>>> _ = p.write_text(head + "\\n"
...     "11201,Violent crime - hospital admissions,E07000110,Maidstone,District,Persons,"
...     "All ages,2020/21 - 22/23,,,,,,Value suppressed for disclosure control\\n")
>>> df = read_fingertips(p)
>>> df["value"].isna().tolist(), df["value_note"].tolist()
([True], ['Value suppressed for disclosure control'])
"""

from __future__ import annotations

from os import PathLike

import pandas as pd

from ._csv import display_name, parse_numbers, read_table, reject_first

__all__ = ["read_fingertips", "FINGERTIPS_REQUIRED", "FINGERTIPS_OPTIONAL"]

#: Columns the reader needs, with Fingertips' own names.
FINGERTIPS_REQUIRED: tuple[str, ...] = (
    "Indicator ID",
    "Indicator Name",
    "Area Code",
    "Area Name",
    "Area Type",
    "Sex",
    "Age",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Count",
    "Denominator",
)
#: Columns kept when present.
FINGERTIPS_OPTIONAL: tuple[str, ...] = (
    "Category Type",
    "Category",
    "Value note",
    "Time period Sortable",
    "Compared to England value or percentiles",
)

_SNAKE = {
    "Indicator ID": "indicator_id",
    "Indicator Name": "indicator_name",
    "Area Code": "area_code",
    "Area Name": "area_name",
    "Area Type": "area_type",
    "Sex": "sex",
    "Age": "age",
    "Category Type": "category_type",
    "Category": "category",
    "Time period": "time_period",
    "Time period Sortable": "time_period_sortable",
    "Value": "value",
    "Lower CI 95.0 limit": "lower_ci_95",
    "Upper CI 95.0 limit": "upper_ci_95",
    "Count": "count",
    "Denominator": "denominator",
    "Value note": "value_note",
    "Compared to England value or percentiles": "compared_to_england",
}


def read_fingertips(path: str | PathLike[str]) -> pd.DataFrame:
    """Read a Fingertips CSV export.

    Parameters
    ----------
    path : path-like
        The export (UTF-8, a byte-order mark is accepted; ``.gz`` allowed).

    Returns
    -------
    pandas.DataFrame
        ``indicator_id`` (int64), ``indicator_name``, ``area_code``, ``area_name``,
        ``area_type``, ``sex``, ``age`` (str), ``category_type``, ``category`` (str,
        ``""`` when absent or blank), ``time_period`` (str, as published, e.g.
        ``2021/22`` or ``2020 - 22``), ``time_period_sortable`` (Int64, ``<NA>`` when
        absent), ``value``, ``lower_ci_95``, ``upper_ci_95``, ``count``,
        ``denominator`` (float64, NaN when blank), ``value_note``,
        ``compared_to_england`` (str, ``""`` when absent).

    Raises
    ------
    InputError
        A missing column, an indicator ID that is not a whole number, a number
        column holding text, a negative count or denominator, a lower confidence
        limit above the upper one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "f.csv"
    >>> _ = p.write_text(",".join(FINGERTIPS_REQUIRED) + "\\n"
    ...     "11201,Violent crime,E07000110,Maidstone,District,Persons,All ages,2021/22,"
    ...     "35.1,30.2,40.6,147,\\n")
    >>> df = read_fingertips(p)
    >>> df[["indicator_id", "value", "count"]].values.tolist()
    [[11201.0, 35.1, 147.0]]
    """
    name = display_name(path)
    t = read_table(
        path,
        required=FINGERTIPS_REQUIRED,
        optional=FINGERTIPS_OPTIONAL,
        allow_extra=True,
        what="Fingertips export",
        kind="fingertips",
    )
    out = pd.DataFrame(index=t.index)
    ids = parse_numbers(
        t,
        "Indicator ID",
        path=name,
        integer=True,
        minimum=1,
        allow_blank=False,
        thousands=False,
        fix="use the export as downloaded from Fingertips",
    )
    out["indicator_id"] = ids.astype("int64")
    for col in ("Indicator Name", "Area Code", "Area Name", "Area Type", "Sex", "Age"):
        out[_SNAKE[col]] = t[col]
    for col in ("Category Type", "Category"):
        out[_SNAKE[col]] = t[col] if col in t.columns else ""
    out["time_period"] = t["Time period"]
    if "Time period Sortable" in t.columns:
        out["time_period_sortable"] = parse_numbers(
            t, "Time period Sortable", path=name, integer=True, thousands=False
        )
    else:
        out["time_period_sortable"] = pd.array([pd.NA] * len(t), dtype="Int64")
    for col in ("Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit"):
        out[_SNAKE[col]] = parse_numbers(t, col, path=name)
    for col in ("Count", "Denominator"):
        out[_SNAKE[col]] = parse_numbers(t, col, path=name, minimum=0)
    crossed = out["lower_ci_95"] > out["upper_ci_95"]
    reject_first(
        crossed,
        lambda i: (
            f"lower limit {out['lower_ci_95'].iloc[i]} is above upper limit "
            f"{out['upper_ci_95'].iloc[i]}"
        ),
        path=name,
        lines=t["_line"],
        column="Lower CI 95.0 limit",
        fix="the columns may be swapped; use the export as downloaded",
    )
    for col in ("Value note", "Compared to England value or percentiles"):
        out[_SNAKE[col]] = t[col] if col in t.columns else ""
    return out.reset_index(drop=True)
