"""Partner returns: the tidy ``partner_returns.csv`` format (docs/data-formats.md §3).

One row per period × indicator × area (× sub-type), from the partners who hold the
data (domestic-abuse flags, MARAC, youth justice, ...). Periods are months
(``2024-07``), financial years (``2024/25``, April–March) or financial quarters
(``2024/25 Q1`` = April–June 2024).

Every bad cell stops the read with one :class:`~smp_analysis.errors.InputError`
naming the file, line, column and fix: a missing or unknown column, a malformed or
future period, an indicator that is not a lower-case id, a blank area, a value that
is not a number or is negative, a denominator that is not above 0, the same period ×
indicator × area × sub-type twice.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "partner_returns.csv"
>>> _ = p.write_text("period,indicator,area,value,numerator,denominator\\n"
...                  "2024/25 Q1,marac_repeat_cases,E07000110,25,10,40\\n")
>>> df = read_partner_returns(p)
>>> df[["period_type", "period_start", "period_end", "value"]].astype(str).values.tolist()
[['quarter', '2024-04', '2024-06', '25.0']]
"""

from __future__ import annotations

import re
from os import PathLike

import pandas as pd

from ..errors import InputError
from ._csv import display_name, parse_numbers, read_table, reject_first

__all__ = ["read_partner_returns", "parse_period", "PARTNER_COLUMNS", "PERIOD_TYPES"]

#: Required then optional columns of the partner-returns format.
PARTNER_COLUMNS: tuple[tuple[str, ...], tuple[str, ...]] = (
    ("period", "indicator", "area", "value"),
    ("numerator", "denominator", "sub_type", "note"),
)
#: Period kinds, shortest first.
PERIOD_TYPES: tuple[str, ...] = ("month", "quarter", "year")

_MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_FY_RE = re.compile(r"^(\d{4})/(\d{2})$")
_FQ_RE = re.compile(r"^(\d{4})/(\d{2}) Q([1-4])$")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def parse_period(label: str) -> tuple[str, pd.Period, pd.Period]:
    """Parse a period label into its kind and first and last month.

    Parameters
    ----------
    label : str
        ``YYYY-MM``, ``YYYY/YY`` (financial year) or ``YYYY/YY Qn`` (financial quarter).

    Returns
    -------
    (str, pandas.Period, pandas.Period)
        ``"month"``, ``"quarter"`` or ``"year"``, and the first and last month.

    Raises
    ------
    ValueError
        With a plain message when the label is not one of the three forms, or the
        two years of a financial year are not consecutive.

    Examples
    --------
    >>> kind, lo, hi = parse_period("2024/25 Q4")
    >>> kind, str(lo), str(hi)
    ('quarter', '2025-01', '2025-03')
    >>> [str(m) for m in parse_period("2023/24")[1:]]
    ['2023-04', '2024-03']
    """
    text = label.strip()
    m = _MONTH_RE.match(text)
    if m:
        p = pd.Period(text, freq="M")
        return "month", p, p
    m = _FQ_RE.match(text) or _FY_RE.match(text)
    if not m:
        raise ValueError(
            f"'{label}' is not a period (a month YYYY-MM, a financial year YYYY/YY or a "
            "financial quarter YYYY/YY Qn)"
        )
    first = int(m.group(1))
    if int(m.group(2)) != (first + 1) % 100:
        raise ValueError(
            f"'{label}': a financial year runs April {first} to March {first + 1}, "
            f"so write {first}/{(first + 1) % 100:02d}"
        )
    start = pd.Period(f"{first}-04", freq="M")
    if m.re is _FY_RE:
        return "year", start, start + 11
    q = int(m.group(3))
    lo = start + 3 * (q - 1)
    return "quarter", lo, lo + 2


def read_partner_returns(path: str | PathLike[str]) -> pd.DataFrame:
    """Read and validate a partner-returns file.

    Parameters
    ----------
    path : path-like
        The CSV (UTF-8, comma-separated, header required).

    Returns
    -------
    pandas.DataFrame
        ``period`` (str, as written), ``period_type`` (categorical: month, quarter,
        year), ``period_start``, ``period_end`` (``period[M]``, first and last month
        covered), ``indicator`` (str), ``area`` (str), ``sub_type`` (str, missing
        when blank), ``value``, ``numerator``, ``denominator`` (float64, NaN when
        blank), ``note`` (str, ``""`` when blank). Thousands separators
        (``"1,204"``) are accepted in the numbers.

    Raises
    ------
    InputError
        See the module docstring.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "partner_returns.csv"
    >>> _ = p.write_text("period,indicator,area,value\\n2024-05,knife_crime,Maidstone,-3\\n")
    >>> try:
    ...     read_partner_returns(p)
    ... except Exception as e:
    ...     print(e.line, e.column, e.fix)
    2 value values must be 0 or more (a count cannot be negative)
    """
    name = display_name(path)
    required, optional = PARTNER_COLUMNS
    t = read_table(
        path,
        required=required,
        optional=optional,
        allow_extra=False,
        what="partner returns file",
        kind="partner_returns",
    )
    for col in optional:
        if col not in t.columns:
            t[col] = ""
    lines = t["_line"].to_numpy()
    now = pd.Period.now("M")
    kinds, starts, ends = [], [], []
    for i, label in enumerate(t["period"]):
        try:
            kind, lo, hi = parse_period(label)
        except ValueError as err:
            raise InputError(
                str(err) if label.strip() else "period is blank",
                path=name,
                line=int(lines[i]),
                column="period",
                fix="write the period as YYYY-MM, YYYY/YY or YYYY/YY Qn (e.g. 2024/25 Q1)",
            ) from None
        if lo > now:
            raise InputError(
                f"period {label} starts in the future ({lo})",
                path=name,
                line=int(lines[i]),
                column="period",
                fix="check the year; returns can only cover periods that have started",
            )
        kinds.append(kind)
        starts.append(lo)
        ends.append(hi)
    for col in ("indicator", "sub_type"):
        values = t[col]
        bad = ~values.str.fullmatch(_ID_RE.pattern) & ((values != "") | (col == "indicator"))
        reject_first(
            bad,
            lambda i, values=values: f"'{values.iloc[i]}' is not a lower-case id",
            path=name,
            lines=lines,
            column=col,
            fix="use lower-case letters, digits and _, starting with a letter "
            "(e.g. da_flagged_crimes)",
        )
    blank_area = t["area"] == ""
    reject_first(
        blank_area,
        lambda i: "area is blank",
        path=name,
        lines=lines,
        column="area",
        fix="give the area code (E07000110) or the name used in the config",
    )
    value = parse_numbers(t, "value", path=name, minimum=0, allow_blank=False)
    numerator = parse_numbers(t, "numerator", path=name, minimum=0)
    denominator = parse_numbers(
        t, "denominator", path=name, positive=True, fix="a denominator must be greater than 0"
    )
    key = ["period", "indicator", "area", "sub_type"]
    dup = t.duplicated(key, keep=False)
    if dup.any():
        rows = t[dup].sort_values("_line")
        first = rows.iloc[0]
        twin = rows[(rows[key] == first[key]).all(axis=1)].iloc[1]
        raise InputError(
            f"{first['indicator']} for {first['period']} in {first['area']}"
            + (f" ({first['sub_type']})" if first["sub_type"] else "")
            + f" is also on line {int(first['_line'])}",
            path=name,
            line=int(twin["_line"]),
            column="period",
            fix="give each period × indicator × area × sub_type once (add a sub_type to split)",
        )
    return pd.DataFrame(
        {
            "period": t["period"],
            "period_type": pd.Categorical(kinds, categories=PERIOD_TYPES),
            "period_start": pd.PeriodIndex(starts, freq="M"),
            "period_end": pd.PeriodIndex(ends, freq="M"),
            "indicator": t["indicator"],
            "area": t["area"],
            "sub_type": t["sub_type"].where(t["sub_type"] != "", None).astype("str"),
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "note": t["note"],
        }
    ).reset_index(drop=True)
