"""English Indices of Deprivation 2019 by LSOA (MHCLG File 1, File 2 or File 7 layouts).

IMD 2019 is published for **2011** LSOAs (32,844 in England). data.police.uk uses 2021
LSOAs, so joining crime to deprivation by code misses LSOAs that were split or merged
in 2021 (about 10 of Maidstone's 99); join through a 2011→2021 lookup where you have
one, or compare at the district level.

Column names are matched after dropping the ``" (where 1 is most deprived...)"`` tail
that File 2 adds, so File 1's ``Index of Multiple Deprivation (IMD) Rank`` and File 2's
``Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)`` are read the
same. A UTF-8 byte-order mark and thousands separators (``"29,199"``) are accepted.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "f1.csv"
>>> _ = p.write_text("\\ufeffLSOA code (2011),LSOA name (2011),Local Authority District code "
...     "(2019),Local Authority District name (2019),Index of Multiple Deprivation (IMD) Rank,"
...     'Index of Multiple Deprivation (IMD) Decile\\nE01000001,City of London 001A,E09000001,'
...     'City of London,"29,199",9\\n', encoding="utf-8")
>>> read_imd(p)[["lsoa_code", "imd_rank", "imd_decile"]].values.tolist()
[['E01000001', 29199, 9]]
"""

from __future__ import annotations

import re
from os import PathLike

import pandas as pd

from ._csv import display_name, parse_numbers, read_table, reject_first, source_column
from .area import LSOA_CODE_RE

__all__ = ["read_imd", "DOMAINS", "N_LSOAS_2011"]

#: Number of LSOAs (2011) in England, the range of IMD 2019 ranks.
N_LSOAS_2011 = 32_844

#: Domain names in the files → short column prefixes.
DOMAINS: dict[str, str] = {
    "Index of Multiple Deprivation (IMD)": "imd",
    "Income": "income",
    "Employment": "employment",
    "Education, Skills and Training": "education",
    "Health Deprivation and Disability": "health",
    "Crime": "crime",
    "Barriers to Housing and Services": "barriers",
    "Living Environment": "living_environment",
    "Income Deprivation Affecting Children Index (IDACI)": "idaci",
    "Income Deprivation Affecting Older People (IDAOPI)": "idaopi",
}

_ID_COLUMNS = {
    "LSOA code (2011)": "lsoa_code",
    "LSOA name (2011)": "lsoa_name",
    "Local Authority District code (2019)": "lad_code",
    "Local Authority District name (2019)": "lad_name",
}
_MEASURE_RE = re.compile(r"^(?P<domain>.+?) (?P<measure>Score|Rank|Decile)(?: \(where .*\))?$")


def _alias(header: str) -> str:
    if header in _ID_COLUMNS:
        return _ID_COLUMNS[header]
    m = _MEASURE_RE.match(header)
    if m and m["domain"] in DOMAINS:
        return f"{DOMAINS[m['domain']]}_{m['measure'].lower()}"
    return header


def read_imd(path: str | PathLike[str]) -> pd.DataFrame:
    """Read IMD 2019 ranks, deciles (and scores, when present) by 2011 LSOA.

    Parameters
    ----------
    path : path-like
        File 1 (IMD only), File 2 (IMD and the seven domains) or File 7 (all scores,
        ranks and deciles); ``.gz`` allowed.

    Returns
    -------
    pandas.DataFrame
        ``lsoa_code, lsoa_name, lad_code, lad_name`` (str; 2011 LSOAs, 2019
        districts), ``imd_rank`` (int64, 1 = most deprived of 32,844), ``imd_decile``
        (int64, 1 = most deprived 10%), plus ``<domain>_rank`` / ``<domain>_decile``
        (and ``<domain>_score``, float) for every domain of :data:`DOMAINS` in the file.
        Other columns are left out.

    Raises
    ------
    InputError
        Missing IMD rank/decile or identifier columns, a rank outside 1–32,844, a
        decile outside 1–10, a value that is not a number, an LSOA listed twice.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "f1.csv"
    >>> _ = p.write_text("LSOA code (2011),LSOA name (2011),Local Authority District code (2019),"
    ...     "Local Authority District name (2019),Index of Multiple Deprivation (IMD) Rank,"
    ...     "Index of Multiple Deprivation (IMD) Decile\\n"
    ...     "E01000001,City of London 001A,E09000001,City of London,29199,11\\n")
    >>> try:
    ...     read_imd(p)
    ... except Exception as e:
    ...     print(e.line, e.column)
    2 Index of Multiple Deprivation (IMD) Decile
    """
    name = display_name(path)
    t = read_table(
        path,
        required=["lsoa_code", "lsoa_name", "lad_code", "lad_name", "imd_rank", "imd_decile"],
        what="IMD 2019 file (File 1 or File 2)",
        header_alias=_alias,
        labels={
            **{v: k for k, v in _ID_COLUMNS.items()},
            "imd_rank": "Index of Multiple Deprivation (IMD) Rank",
            "imd_decile": "Index of Multiple Deprivation (IMD) Decile",
        },
        kind="imd",
    )
    bad = ~t["lsoa_code"].str.fullmatch(LSOA_CODE_RE.pattern)
    reject_first(
        bad,
        lambda i: f"'{t['lsoa_code'].iloc[i]}' is not an LSOA code",
        path=name,
        lines=t["_line"],
        column=source_column(t, "lsoa_code"),
        fix="LSOA codes look like E01024337",
    )
    out = t[["lsoa_code", "lsoa_name", "lad_code", "lad_name"]].copy()
    measures = [c for c in t.columns if re.fullmatch(r"[a-z_]+_(rank|decile|score)", c)]
    order = {v: i for i, v in enumerate(DOMAINS.values())}
    kind_order = {"score": 0, "rank": 1, "decile": 2}
    measures.sort(
        key=lambda c: (order.get(c.rsplit("_", 1)[0], 99), kind_order[c.rsplit("_", 1)[1]])
    )
    for col in measures:
        kind = col.rsplit("_", 1)[1]
        if kind == "score":
            out[col] = parse_numbers(t, col, path=name, allow_blank=False)
            continue
        values = parse_numbers(t, col, path=name, integer=True, minimum=1, allow_blank=False)
        top = N_LSOAS_2011 if kind == "rank" else 10
        over = values > top
        reject_first(
            over,
            lambda i, kind=kind, values=values, top=top: (
                f"{kind} {values.iloc[i]} is above {top:,}"
            ),
            path=name,
            lines=t["_line"],
            column=source_column(t, col),
            fix=f"IMD 2019 {kind}s run from 1 to {top:,}; check the column is the {kind}",
        )
        out[col] = values.astype("int64")
    dup = out["lsoa_code"].duplicated()
    reject_first(
        dup,
        lambda i: f"LSOA {out['lsoa_code'].iloc[i]} appears twice",
        path=name,
        lines=t["_line"],
        column=source_column(t, "lsoa_code"),
        fix="give each LSOA once",
    )
    return out.reset_index(drop=True)
