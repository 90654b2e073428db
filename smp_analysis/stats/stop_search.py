"""Stop and search disproportionality by ethnic group.

The searches come from data.police.uk (one row per search, as the police.uk reader
``read_stop_search`` gives them), the residents from the Census (the ethnicity reader
``read_ethnic_population``). The table gives, per
ethnic group: searches, their share of all searches, residents, searches per 1,000
residents (exact Poisson interval) and the ratio to the White group's rate (exact
conditional interval, R ``poisson.test`` with two samples) — the "relative disparity"
of the gov.uk Ethnicity facts and figures pages.

Two bases, kept apart:

* **self-defined** ethnicity (the default): the 18 + 1 Census categories the person
  gave ("Black/African/Caribbean/Black British - African", ...), mapped to the five
  Census groups. "Other ethnic group - Not stated" is reported as **Not stated** and a
  blank as **Missing**; both are counted and shown with their share, never dropped.
* **officer-defined** ethnicity (a fallback when self-defined is mostly missing): the
  officer's view (White, Black, Asian, Other; Mixed only in newer files). Where the
  data have no Mixed category at all, the Mixed row's rate is left empty (``NaN``) and
  a note says why, since officers could not record it.

Caveats to print beside the table: searches are of the force area, residents are a
Census count (the 2011 file is dated); people searched need not live in the area (the
City of London's daytime population dwarfs its residents); a large "not stated" share
understates the rate of every group.

Examples
--------
>>> s = pd.Series(["White - Irish", "Asian/Asian British - Chinese",
...                "Other ethnic group - Not stated", None, "Other ethnic group - Arab"])
>>> self_defined_group(s).tolist()
['White', 'Asian', 'Not stated', 'Missing', 'Other']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from .disproportionality import _ratio_arrays, exact_rate_ci

__all__ = [
    "ETHNIC_GROUPS",
    "NOT_STATED",
    "MISSING",
    "UNRECOGNISED",
    "self_defined_group",
    "officer_defined_group",
    "stop_search_disproportionality",
]

#: The five Census 2021 high-level ethnic groups, in the order of gov.uk's Ethnicity facts
#: and figures. The same tuple as the ethnicity reader's ``ETHNIC_GROUPS`` (a test keeps
#: them equal); defined here so that the statistics do not import the data readers.
ETHNIC_GROUPS: tuple[str, ...] = ("Asian", "Black", "Mixed", "White", "Other")

NOT_STATED = "Not stated"
MISSING = "Missing"
UNRECOGNISED = "Unrecognised"

SELF_COLUMN = "self_defined_ethnicity"
OFFICER_COLUMN = "officer_defined_ethnicity"


def _blank(values: pd.Series) -> pd.Series:
    return values.isna() | (values.astype("string").str.strip().fillna("") == "")


def _first_word(text: str) -> str:
    return re.split(r"[^A-Za-z]+", text.strip(), maxsplit=1)[0].capitalize()


def self_defined_group(values: pd.Series) -> pd.Series:
    """Map data.police.uk ``Self-defined ethnicity`` values to the five Census groups.

    The value's group is the first word before `` - `` ("White - Irish" → White,
    "Black/African/Caribbean/Black British - African" → Black, "Mixed/Multiple ethnic
    groups - White and Asian" → Mixed, "Asian/Asian British - Chinese" → Asian,
    "Other ethnic group - Arab" → Other), which also covers the 2021 Census wording.
    "… - Not stated" → ``"Not stated"``; blank → ``"Missing"``; anything else →
    ``"Unrecognised"`` (counted, never dropped).

    Parameters
    ----------
    values : pandas.Series
        The ``self_defined_ethnicity`` column.

    Returns
    -------
    pandas.Series
        Group labels (str), same index.

    Examples
    --------
    >>> self_defined_group(pd.Series([
    ...     "Black/African/Caribbean/Black British - Any other Black/African/Caribbean background",
    ...     "Mixed/Multiple ethnic groups - White and Black Caribbean",
    ...     "White - English/Welsh/Scottish/Northern Irish/British", "", "Martian"])).tolist()
    ['Black', 'Mixed', 'White', 'Missing', 'Unrecognised']
    """
    blank = _blank(values)
    text = values.astype("string").fillna("").str.strip()
    head = text.str.split(" - ", n=1).str[0].fillna("")
    out = head.map(_first_word).astype(object)
    out = out.where(out.isin(ETHNIC_GROUPS), UNRECOGNISED)
    out = out.where(~text.str.contains(r"not stated", case=False, regex=True), NOT_STATED)
    out = out.where(~blank, MISSING)
    return pd.Series(out.to_numpy(dtype=object), index=values.index, name="ethnic_group")


def officer_defined_group(values: pd.Series) -> pd.Series:
    """Map data.police.uk ``Officer-defined ethnicity`` values to the five groups.

    Values are White, Black, Asian, Other and (newer files) Mixed; blank → ``"Missing"``;
    anything else → ``"Unrecognised"``.

    Parameters
    ----------
    values : pandas.Series
        The ``officer_defined_ethnicity`` column.

    Returns
    -------
    pandas.Series

    Examples
    --------
    >>> officer_defined_group(pd.Series(["White", "black", None, "Mixed", "?"])).tolist()
    ['White', 'Black', 'Missing', 'Mixed', 'Unrecognised']
    """
    blank = _blank(values)
    text = values.astype("string").fillna("").str.strip().str.capitalize()
    out = text.astype(object).where(text.isin(ETHNIC_GROUPS), UNRECOGNISED)
    out = out.where(~blank, MISSING)
    return pd.Series(out.to_numpy(dtype=object), index=values.index, name="ethnic_group")


def stop_search_disproportionality(
    searches: pd.DataFrame,
    population: pd.DataFrame,
    *,
    basis: Literal["self_defined", "officer_defined"] = "self_defined",
    reference: str = "White",
    by: Sequence[str] = (),
    per: float = 1000.0,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Searches, rates per 1,000 residents and ratio to White, by ethnic group.

    Parameters
    ----------
    searches : pandas.DataFrame
        One row per search with at least ``self_defined_ethnicity`` and
        ``officer_defined_ethnicity`` (as ``read_stop_search`` returns; blank = missing).
        Rates cover the whole period in the frame: filter to 12 months for an annual rate.
    population : pandas.DataFrame
        ``ethnic_group, residents`` for the five groups (``read_ethnic_population``).
    basis : {"self_defined", "officer_defined"}, default "self_defined"
    reference : str, default "White"
        Group whose rate is the denominator of ``rate_ratio``.
    by : sequence of str, default ()
        Columns of ``searches`` to split by (e.g. ``type``, a year column). Residents are
        the same for every split.
    per : float, default 1000
    conf_level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per ``[*by, ethnic_group]`` in the order Asian, Black, Mixed, White, Other,
        then Not stated (self-defined only), Missing and, if any, Unrecognised, with
        columns ``basis, searches, share, residents, rate, rate_ci_low, rate_ci_high,
        rate_ratio, ratio_ci_low, ratio_ci_high, note``. ``share`` is the group's share
        of all searches (unknown ethnicity included); rates and ratios are ``NaN`` for
        the unknown rows. The reference row has ``rate_ratio`` 1 and no interval.
        ``searches`` adds up to the number of rows of ``searches`` in each ``by`` group.

    Raises
    ------
    ValueError
        Missing columns, a population table without the five groups, non-positive
        residents, or an unknown ``basis`` / ``reference``.

    Examples
    --------
    >>> searches = pd.DataFrame({
    ...     "self_defined_ethnicity": ["Black/African/Caribbean/Black British - African"] * 6
    ...     + ["White - Irish"] * 10 + ["Other ethnic group - Not stated"] * 3 + [None],
    ...     "officer_defined_ethnicity": ["Black"] * 6 + ["White"] * 13 + [None]})
    >>> pop = pd.DataFrame({"ethnic_group": ["Asian", "Black", "Mixed", "White", "Other"],
    ...                     "residents": [500, 1000, 300, 10000, 200]})
    >>> t = stop_search_disproportionality(searches, pop)
    >>> print(t[["ethnic_group", "searches", "share", "rate", "rate_ratio"]].to_string(index=False))
    ethnic_group  searches  share  rate  rate_ratio
           Asian         0   0.00   0.0         0.0
           Black         6   0.30   6.0         6.0
           Mixed         0   0.00   0.0         0.0
           White        10   0.50   1.0         1.0
           Other         0   0.00   0.0         0.0
      Not stated         3   0.15   NaN         NaN
         Missing         1   0.05   NaN         NaN
    """
    by = list(by)
    if basis not in ("self_defined", "officer_defined"):
        raise ValueError(f"basis must be 'self_defined' or 'officer_defined', got {basis!r}")
    if reference not in ETHNIC_GROUPS:
        raise ValueError(f"reference must be one of {ETHNIC_GROUPS}, got {reference!r}")
    column = SELF_COLUMN if basis == "self_defined" else OFFICER_COLUMN
    missing = [c for c in [column, *by] if c not in searches.columns]
    if missing:
        raise ValueError(f"searches: columns not found: {missing}")
    for c in ("ethnic_group", "residents"):
        if c not in population.columns:
            raise ValueError(f"population: column {c!r} not found")
    pop = population.groupby("ethnic_group")["residents"].sum()
    absent = [g for g in ETHNIC_GROUPS if g not in pop.index]
    if absent:
        raise ValueError(f"population: no residents for groups {absent}")
    if (pop.reindex(list(ETHNIC_GROUPS)) <= 0).any():
        raise ValueError("population: every ethnic group needs a positive number of residents")

    mapper = self_defined_group if basis == "self_defined" else officer_defined_group
    groups = mapper(searches[column])
    order = list(ETHNIC_GROUPS) + ([NOT_STATED] if basis == "self_defined" else []) + [MISSING]
    if (groups == UNRECOGNISED).any():
        order.append(UNRECOGNISED)
    work = searches[by].copy() if by else pd.DataFrame(index=searches.index)
    work["ethnic_group"] = groups.to_numpy()
    counts = work.groupby([*by, "ethnic_group"], observed=True, dropna=False).size()
    if by:
        keys = work[by].drop_duplicates().sort_values(by).reset_index(drop=True)
        grid = keys.merge(pd.DataFrame({"ethnic_group": order}), how="cross")
    else:
        grid = pd.DataFrame({"ethnic_group": order})
    out = grid.merge(counts.rename("searches").reset_index(), on=[*by, "ethnic_group"], how="left")
    out["searches"] = out["searches"].fillna(0).astype("int64")
    out.insert(len(by), "basis", basis.replace("_", "-"))
    group_total = (
        out.groupby(by, dropna=False)["searches"].transform("sum")
        if by
        else pd.Series(out["searches"].sum(), index=out.index)
    )
    out["share"] = out["searches"] / group_total.replace(0, np.nan)
    is_known = out["ethnic_group"].isin(ETHNIC_GROUPS)
    out["residents"] = out["ethnic_group"].map(pop).where(is_known).astype(float)

    out["note"] = ""
    no_mixed = basis == "officer_defined" and not (groups == "Mixed").any()
    rated = is_known & ~((out["ethnic_group"] == "Mixed") & no_mixed)
    if no_mixed:
        out.loc[out["ethnic_group"] == "Mixed", "note"] = (
            "officer-defined ethnicity has no Mixed category in these data"
        )
    out.loc[out["ethnic_group"] == NOT_STATED, "note"] = "ethnicity not stated by the person"
    out.loc[out["ethnic_group"] == MISSING, "note"] = "ethnicity blank in the data"
    out.loc[out["ethnic_group"] == UNRECOGNISED, "note"] = "ethnicity value not recognised"

    x = out["searches"].to_numpy(float)
    n = out["residents"].to_numpy(float)
    rate = np.full(len(out), np.nan)
    low = np.full(len(out), np.nan)
    high = np.full(len(out), np.nan)
    m = rated.to_numpy()
    rate[m], low[m], high[m] = exact_rate_ci(x[m], n[m], conf_level=conf_level, per=per)
    out["rate"], out["rate_ci_low"], out["rate_ci_high"] = rate, low, high

    ref_rows = out[out["ethnic_group"] == reference].set_index(by) if by else None
    if by:
        ref_count = out.join(ref_rows["searches"].rename("_rc"), on=by)["_rc"].to_numpy(float)
    else:
        ref_count = np.full(
            len(out), float(out.loc[out["ethnic_group"] == reference, "searches"].iloc[0])
        )
    ref_base = float(pop[reference])
    rr = np.full(len(out), np.nan)
    rlow = np.full(len(out), np.nan)
    rhigh = np.full(len(out), np.nan)
    if m.any():
        a, b, c = x[m], n[m], ref_count[m]
        rr[m], rlow[m], rhigh[m] = _ratio_arrays(
            a, b, c, np.full(a.shape, ref_base), conf_level, "rate", "exact"
        )
    is_ref = (out["ethnic_group"] == reference).to_numpy()
    rr[is_ref] = np.where(ref_count[is_ref] > 0, 1.0, np.nan)
    rlow[is_ref] = np.nan
    rhigh[is_ref] = np.nan
    out["rate_ratio"], out["ratio_ci_low"], out["ratio_ci_high"] = rr, rlow, rhigh
    cols = [
        *by,
        "basis",
        "ethnic_group",
        "searches",
        "share",
        "residents",
        "rate",
        "rate_ci_low",
        "rate_ci_high",
        "rate_ratio",
        "ratio_ci_low",
        "ratio_ci_high",
        "note",
    ]
    return out[cols]
