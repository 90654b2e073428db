"""ONS geography lookups: LSOA → ward → district, and district → CSP → police force area.

Readers for the ONS Open Geography Portal CSVs
``LSOA11_WD19_LAD19_EW_LU.csv`` (``FID, LSOA11CD, LSOA11NM, WD19CD, WD19NM, LAD19CD,
LAD19NM``) and ``LAD19_CSP19_PFA19_EW_LU.csv`` (``FID, LAD19CD, LAD19NM, CSP19CD,
CSP19NM, PFA19CD, PFA19NM``). Other years of the same products (``LSOA21CD``,
``WD22CD``, ``LAD23CD``, ...) are accepted: the two-digit year is read from the
column names and returned in the ``vintage`` columns, because an LSOA code only
means something together with its vintage (data.police.uk uses 2021 LSOAs, these
lookups and IMD 2019 use 2011 LSOAs; see :mod:`.area`).

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "lu.csv"
>>> _ = p.write_text("FID,LSOA11CD,LSOA11NM,WD19CD,WD19NM,LAD19CD,LAD19NM\\n"
...                  "1,E01024337,Maidstone 001A,E05005000,Detling,E07000110,Maidstone\\n")
>>> lk = read_lsoa_lookup(p)
>>> lk[["lsoa_code", "lad_name", "lsoa_vintage"]].values.tolist()
[['E01024337', 'Maidstone', 2011]]
"""

from __future__ import annotations

import re
from os import PathLike

import pandas as pd

from ..errors import InputError
from ._csv import display_name, read_table, reject_first

__all__ = ["read_lsoa_lookup", "read_lad_csp_lookup", "lsoas_in"]


def _find(header: list[str], stem: str, path: str, what: str) -> tuple[str, str, int]:
    """Find ``<stem>NNCD`` / ``<stem>NNNM`` columns; return their names and the year."""
    pat = re.compile(rf"^{stem}(\d\d)CD$", re.IGNORECASE)
    for h in header:
        m = pat.match(h)
        if m:
            nm = h[:-2] + ("NM" if h[-2:] == "CD" else "nm")
            if nm not in header:
                raise InputError(
                    f"column '{h}' has no matching name column '{nm}'",
                    path=path,
                    line=1,
                    column=nm,
                    fix=f"use the ONS {what} CSV as downloaded",
                )
            return h, nm, 2000 + int(m.group(1))
    raise InputError(
        f"no {stem}<yy>CD column (e.g. {stem}19CD) in the header",
        path=path,
        line=1,
        column=f"{stem}19CD",
        fix=f"use the ONS {what} CSV as downloaded from the Open Geography Portal",
    )


def _header(path: str | PathLike[str], what: str) -> pd.DataFrame:
    return read_table(path, required=[], what=what, kind="lookup")


def read_lsoa_lookup(path: str | PathLike[str]) -> pd.DataFrame:
    """Read an ONS LSOA → ward → local authority district lookup.

    Parameters
    ----------
    path : path-like
        E.g. ``LSOA11_WD19_LAD19_EW_LU.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per LSOA: ``lsoa_code, lsoa_name, ward_code, ward_name, lad_code,
        lad_name`` (str) and ``lsoa_vintage, ward_vintage, lad_vintage`` (int, e.g. 2011).

    Raises
    ------
    InputError
        Missing columns, malformed LSOA codes, an LSOA listed twice.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "lu.csv"
    >>> _ = p.write_text("LSOA11CD,LSOA11NM,WD19CD,WD19NM,LAD19CD,LAD19NM\\n"
    ...                  "E01024337,Maidstone 001A,E05005000,Detling,E07000110,Maidstone\\n")
    >>> read_lsoa_lookup(p)["ward_name"].tolist()
    ['Detling']
    """
    what = "LSOA to ward to district lookup"
    name = display_name(path)
    t = _header(path, what)
    header = [c for c in t.columns if c != "_line"]
    lc, ln, ly = _find(header, "LSOA", name, what)
    wc, wn, wy = _find(header, "WD", name, what)
    dc, dn, dy = _find(header, "LAD", name, what)
    out = pd.DataFrame(
        {
            "lsoa_code": t[lc],
            "lsoa_name": t[ln],
            "ward_code": t[wc],
            "ward_name": t[wn],
            "lad_code": t[dc],
            "lad_name": t[dn],
            "lsoa_vintage": ly,
            "ward_vintage": wy,
            "lad_vintage": dy,
        }
    )
    bad = ~out["lsoa_code"].str.fullmatch(r"[EW]01\d{6}")
    reject_first(
        bad,
        lambda i: f"'{out['lsoa_code'].iloc[i]}' is not an LSOA code",
        path=name,
        lines=t["_line"],
        column=lc,
        fix="LSOA codes look like E01024337 (England) or W01000001 (Wales)",
    )
    dup = out["lsoa_code"].duplicated()
    reject_first(
        dup,
        lambda i: f"LSOA {out['lsoa_code'].iloc[i]} is listed twice",
        path=name,
        lines=t["_line"],
        column=lc,
        fix="an LSOA lies in one ward; remove the duplicate row",
    )
    return out.reset_index(drop=True)


def read_lad_csp_lookup(path: str | PathLike[str]) -> pd.DataFrame:
    """Read an ONS district → Community Safety Partnership → police force area lookup.

    Parameters
    ----------
    path : path-like
        E.g. ``LAD19_CSP19_PFA19_EW_LU.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per district × CSP: ``lad_code, lad_name, csp_code, csp_name, pfa_code,
        pfa_name`` (str) and ``vintage`` (int, the year of the CSP codes). Usually one
        CSP per district, but not always: in the December 2019 lookup East Suffolk
        (E07000244) is split between the Suffolk Coastal and Waveney CSPs, so such a
        CSP is *part* of a district and cannot be selected by district.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "csp.csv"
    >>> _ = p.write_text("FID,LAD19CD,LAD19NM,CSP19CD,CSP19NM,PFA19CD,PFA19NM\\n"
    ...                  "1,E07000110,Maidstone,E22000142,Maidstone,E23000032,Kent\\n")
    >>> read_lad_csp_lookup(p)[["csp_code", "pfa_name"]].values.tolist()
    [['E22000142', 'Kent']]
    """
    what = "district to CSP to police force area lookup"
    name = display_name(path)
    t = _header(path, what)
    header = [c for c in t.columns if c != "_line"]
    dc, dn, _ = _find(header, "LAD", name, what)
    cc, cn, cy = _find(header, "CSP", name, what)
    pc, pn, _ = _find(header, "PFA", name, what)
    out = pd.DataFrame(
        {
            "lad_code": t[dc],
            "lad_name": t[dn],
            "csp_code": t[cc],
            "csp_name": t[cn],
            "pfa_code": t[pc],
            "pfa_name": t[pn],
            "vintage": cy,
        }
    )
    dup = out.duplicated(["lad_code", "csp_code"])
    reject_first(
        dup,
        lambda i: (
            f"district {out['lad_code'].iloc[i]} and CSP {out['csp_code'].iloc[i]} are listed twice"
        ),
        path=name,
        lines=t["_line"],
        column=dc,
        fix="remove the duplicate row",
    )
    return out.reset_index(drop=True)


def lsoas_in(
    lookup: pd.DataFrame,
    *,
    lad: str | None = None,
    csp: str | None = None,
    lad_csp: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """LSOAs of a district (code or name) or of a CSP (code or name, needs ``lad_csp``).

    Returns
    -------
    pandas.DataFrame
        ``lsoa_code, lsoa_name, lad_code, lad_name`` sorted by code.

    Examples
    --------
    >>> lk = pd.DataFrame({"lsoa_code": ["E2", "E1"], "lsoa_name": ["M 001B", "M 001A"],
    ...                    "lad_code": ["E07000110"] * 2, "lad_name": ["Maidstone"] * 2})
    >>> lsoas_in(lk, lad="Maidstone")["lsoa_code"].tolist()
    ['E1', 'E2']
    """
    if lad is None and csp is None:
        raise ValueError("give lad= or csp=")
    lads: set[str] = set()
    if csp is not None:
        if lad_csp is None:
            raise ValueError("csp= needs lad_csp=")
        _check_whole_districts(lad_csp, csp)
        lads |= set(
            lad_csp.loc[(lad_csp["csp_code"] == csp) | (lad_csp["csp_name"] == csp), "lad_code"]
        )
    if lad is not None:
        lads |= set(
            lookup.loc[(lookup["lad_code"] == lad) | (lookup["lad_name"] == lad), "lad_code"]
        )
    out = lookup.loc[
        lookup["lad_code"].isin(lads), ["lsoa_code", "lsoa_name", "lad_code", "lad_name"]
    ]
    return out.sort_values("lsoa_code").reset_index(drop=True)


def _check_whole_districts(lad_csp: pd.DataFrame, csp: str) -> None:
    """Raise ValueError when the CSP covers only part of a district (a shared district)."""
    hit = lad_csp[(lad_csp["csp_code"] == csp) | (lad_csp["csp_name"] == csp)]
    shared = lad_csp[lad_csp["lad_code"].isin(set(hit["lad_code"]))]
    others = shared[~shared["csp_code"].isin(set(hit["csp_code"]))]
    if len(others):
        lad = others["lad_name"].iloc[0]
        raise ValueError(
            f"CSP {csp!r} covers only part of district {lad!r} (shared with "
            f"{', '.join(sorted(set(others['csp_name'])))}); select its LSOAs by code "
            "(AreaSelection(lsoa_codes=...)) or by the former district's name as LSOA-name "
            "prefix for 2011 LSOAs"
        )
