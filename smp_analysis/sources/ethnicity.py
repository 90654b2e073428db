"""Residents by ethnic group from a Nomis Census CSV (QS201EW 2011 or TS021 2021).

The Nomis layout is one row per area::

    date, geography, geography code, Rural Urban,
    Ethnic Group: All categories: Ethnic group; measures: Value,
    Ethnic Group: White; measures: Value,
    Ethnic Group: White: English/Welsh/Scottish/Northern Irish/British; measures: Value, ...

:func:`read_ethnic_population` returns residents in the five Census groups (Asian,
Black, Mixed, White, Other) summed over the area codes asked for. It uses the
top-level group columns when the file has them and otherwise sums the detailed
columns of each group; the group is the first word of the column's label, which works
for the 2011 labels ("Asian/Asian British: Indian") and the 2021 ones ("Asian, Asian
British or Asian Welsh: Indian"). When the file has a total column, the five groups must
add up to it.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "eth.csv"
>>> cols = ["All categories: Ethnic group", "White", "Mixed", "Asian", "Black", "Other"]
>>> head = "date,geography,geography code,Rural Urban," + ",".join(
...     f"Ethnic Group: {c}; measures: Value" for c in cols)
>>> _ = p.write_text(head + "\\n2011,Sampleton,E07999999,Total,1000,900,20,50,20,10\\n")
>>> print(read_ethnic_population(p, "E07999999").to_string(index=False))
ethnic_group  residents
       Asian         50
       Black         20
       Mixed         20
       White        900
       Other         10
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from os import PathLike
from pathlib import Path

import pandas as pd

from ..errors import InputError
from .limits import MAX_LINE_BYTES, first_long_line, read_bytes, size_text

__all__ = ["ETHNIC_GROUPS", "read_ethnic_population"]

#: The five Census ethnic groups, in the order tables show them.
ETHNIC_GROUPS: tuple[str, ...] = ("Asian", "Black", "Mixed", "White", "Other")

_COL_RE = re.compile(r"^ethnic group:\s*(?P<label>.+?);\s*measures:\s*value$", re.IGNORECASE)
_TOTAL_RE = re.compile(r"^(all categories|all usual residents|total)\b", re.IGNORECASE)
_LAYOUT = (
    "export the Nomis table (QS201EW or TS021) as CSV with the columns date, geography, "
    "geography code, Rural Urban and 'Ethnic Group: <group>; measures: Value'"
)


def _group_of(label: str) -> str | None:
    word = re.split(r"[^A-Za-z]+", label.strip(), maxsplit=1)[0].capitalize()
    return word if word in ETHNIC_GROUPS else None


def _read_text(path: Path) -> str:
    name = str(path)
    raw = read_bytes(
        path,
        kind="ethnicity",
        what="ethnic-group population file",
        fix="check the path (relative paths are read from the current folder)",
    )
    if not raw.strip():
        raise InputError("ethnic-group population file is empty", path=name, fix=_LAYOUT)
    long_line = first_long_line(raw.replace(b"\r", b"\n") if b"\n" not in raw else raw)
    if long_line is not None:
        raise InputError(
            f"line is longer than {size_text(MAX_LINE_BYTES)} (a damaged file, or not CSV text)",
            path=name,
            line=long_line,
            fix=_LAYOUT,
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise InputError(
            f"byte 0x{raw[err.start : err.start + 1].hex()} is not UTF-8 text",
            path=name,
            line=line,
            fix='save the file as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)")',
        ) from None


def _number(value: str, *, path: str, line: int, column: str) -> int:
    v = value.strip().replace(",", "")
    try:
        f = float(v)
    except ValueError:
        f = float("nan")
    if not (f >= 0) or f != int(f):
        raise InputError(
            f"'{value}' is not a count of residents",
            path=path,
            line=line,
            column=column,
            fix="residents must be whole numbers of 0 or more",
        )
    return int(f)


def read_ethnic_population(
    path: str | PathLike[str],
    areas: str | Iterable[str],
    *,
    date: str | None = None,
) -> pd.DataFrame:
    """Residents in the five Census ethnic groups, summed over the given area codes.

    Parameters
    ----------
    path : path-like
        Nomis CSV (``.gz`` allowed), see the module docstring.
    areas : str or iterable of str
        Area codes (``geography code``), e.g. ``"E07000110"`` (Maidstone).
    date : str, optional
        Value of the ``date`` column to use when the file holds several (e.g. ``"2011"``).

    Returns
    -------
    pandas.DataFrame
        ``ethnic_group`` (Asian, Black, Mixed, White, Other) and ``residents`` (int).
        ``attrs`` records ``path``, ``areas``, ``date`` and ``total`` (all residents).

    Raises
    ------
    InputError
        Missing file or columns, no column for one of the five groups, an area code not
        in the file, an area listed more than once (several dates or rural/urban
        splits), values that are not counts, or groups that do not add up to the total.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "eth.csv"
    >>> _ = p.write_text("date,geography,geography code\\n2011,X,E1\\n")
    >>> try:
    ...     read_ethnic_population(p, "E1")
    ... except InputError as e:
    ...     print(e)  # doctest: +ELLIPSIS
    /...eth.csv:1: column 'Ethnic Group: Asian; measures: Value': no column for the Asian...
    """
    p = Path(path)
    name = str(p)
    codes = [areas] if isinstance(areas, str) else list(areas)
    if not codes:
        raise InputError("no area codes were given", path=name, fix="name at least one area code")
    text = _read_text(p)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as err:
        raise InputError(
            f"the row cannot be read as CSV ({err})",
            path=name,
            line=reader.line_num,
            fix=_LAYOUT,
        ) from None
    header = [h.strip() for h in rows[0]]
    if "geography code" not in header:
        raise InputError(
            f"header lacks column 'geography code' (found: {', '.join(header[:6])} ...)",
            path=name,
            line=1,
            column="geography code",
            fix=_LAYOUT,
        )
    labels = {i: m.group("label").strip() for i, h in enumerate(header) if (m := _COL_RE.match(h))}
    total_col = next((i for i, lab in labels.items() if _TOTAL_RE.match(lab)), None)
    top: dict[str, int] = {}
    detail: dict[str, list[int]] = {g: [] for g in ETHNIC_GROUPS}
    for i, lab in labels.items():
        if i == total_col:
            continue
        g = _group_of(lab)
        if g is None:
            continue
        if ":" in lab:
            detail[g].append(i)
        else:
            top[g] = i
    use: dict[str, list[int]] = {}
    for g in ETHNIC_GROUPS:
        if g in top:
            use[g] = [top[g]]
        elif detail[g]:
            use[g] = detail[g]
        else:
            raise InputError(
                f"no column for the {g} group (found {len(labels)} ethnic-group columns)",
                path=name,
                line=1,
                column=f"Ethnic Group: {g}; measures: Value",
                fix=_LAYOUT,
            )

    code_i = header.index("geography code")
    ru_i = header.index("Rural Urban") if "Rural Urban" in header else None
    date_i = header.index("date") if "date" in header else None
    has_ru_total = ru_i is not None and any(
        len(r) > ru_i and r[ru_i].strip() == "Total" for r in rows[1:]
    )
    found: dict[str, list[tuple[int, list[str]]]] = {c: [] for c in codes}
    for line, r in enumerate(rows[1:], start=2):
        if not r or len(r) <= code_i:
            continue
        code = r[code_i].strip()
        if code not in found:
            continue
        if has_ru_total and r[ru_i].strip() != "Total":  # type: ignore[index]
            continue
        if date is not None and date_i is not None and r[date_i].strip() != str(date):
            continue
        if len(r) < len(header):
            raise InputError(
                f"row has {len(r)} fields but the header has {len(header)}",
                path=name,
                line=line,
                fix="re-export the file; do not edit it by hand",
            )
        found[code].append((line, r))
    missing = [c for c, v in found.items() if not v]
    if missing:
        all_codes = sorted({r[code_i].strip() for r in rows[1:] if len(r) > code_i})
        when = f" for date {date}" if date is not None else ""
        raise InputError(
            f"area {missing[0]} not found{when} ({len(all_codes)} areas in the file, "
            f"e.g. {', '.join(all_codes[:3])})",
            path=name,
            column="geography code",
            fix="check the area code (e.g. E07000110 for Maidstone) and that the export covers it",
        )
    twice = [c for c, v in found.items() if len(v) > 1]
    if twice:
        lines = [ln for ln, _ in found[twice[0]]]
        raise InputError(
            f"area {twice[0]} appears on {len(lines)} rows (lines {lines[:5]})",
            path=name,
            line=lines[1],
            column="geography code",
            fix="pass date=... to choose one census date, or export one row per area",
        )
    totals = dict.fromkeys(ETHNIC_GROUPS, 0)
    grand = 0
    dates = set()
    for code in codes:
        line, r = found[code][0]
        if date_i is not None:
            dates.add(r[date_i].strip())
        row_sum = 0
        for g, idx in use.items():
            v = sum(_number(r[i], path=name, line=line, column=header[i]) for i in idx)
            totals[g] += v
            row_sum += v
        if total_col is not None:
            tot = _number(r[total_col], path=name, line=line, column=header[total_col])
            if tot != row_sum:
                raise InputError(
                    f"the five ethnic groups of {code} add up to {row_sum} but the total is {tot}",
                    path=name,
                    line=line,
                    column=header[total_col],
                    fix="re-export the complete table (all ethnic-group columns)",
                )
        grand += row_sum
    out = pd.DataFrame(
        {"ethnic_group": list(ETHNIC_GROUPS), "residents": [totals[g] for g in ETHNIC_GROUPS]}
    )
    out["residents"] = out["residents"].astype("int64")
    out.attrs.update(path=name, areas=codes, date=",".join(sorted(dates)) or date, total=int(grand))
    return out
