"""Statistical disclosure control for public tables: small-count suppression.

The public-friendly report must not let a reader learn that a small number of people
(victims, offenders, respondents) sit in a cell. We follow the usual UK government
practice for tables of counts:

* **Primary suppression.** A count ``0 < x < threshold`` is replaced by the GSS symbol
  ``[c]`` ("confidential"). The default threshold is 5; sensitive categories (domestic
  abuse, sexual offences, ...) can have a stricter threshold by row or column label. Zeros
  are published by default (``suppress_zeros=True`` suppresses them as well). Totals are
  counts too: a row, column or grand total below the threshold is suppressed.
* **Secondary (complementary) suppression.** When totals are published, a suppressed cell
  could be recovered by subtraction. Extra cells are suppressed so that, for every
  suppressed cell, the values a reader can reconstruct from everything published (the
  other cells, the totals, and the fact that counts are not negative) form an interval
  that

  1. has positive width (the cell cannot be recovered exactly), and
  2. reaches the cell's threshold (a reader cannot tell that the cell is small).

  This is the *upper protection level* rule of Cox (1980) with protection
  ``threshold - value``. Complementary cells are chosen by the hypercube heuristic
  (Repsilber 1994; Giessing 2004, the method of τ-ARGUS "GHMITER"): for each primary
  cell a rectangle of four cells in the table-with-margins is suppressed, choosing the
  cheapest feasible rectangle — fewest new totals first (non-total cells are preferred),
  then the smallest sum of newly suppressed values, then the fewest new cells, then the
  first in row/column order (deterministic). Rectangles already suppressed cost nothing,
  so cells are shared between primaries.

Rounding to base 5 (:func:`round_to_base`) is the other standard table method (OECD
glossary of statistical terms, "Rounding"); it is offered for tables that are not
suppressed.

Why the guarantee holds: moving ``t`` units around a suppressed rectangle (``+t``,
``-t``, ``+t``, ``-t`` on its corners, with the sign flipped on a margin cell) keeps every
published row, column and grand total. A rectangle is only chosen if the cells it
lowers are at least ``threshold - value``, so the true table can be shifted until the
primary cell reaches its threshold while all counts stay non-negative. The audit in
:func:`feasible_intervals` solves the reader's linear programme (the constraint matrix
of a two-way table with margins is totally unimodular, so the real-valued bounds are
also the integer bounds) and is what :func:`assert_safe` checks.

Tables read together (a page)
-----------------------------
A reader sees every table of a page at once. A cell protected within its own table can
still be recovered by combining tables: the same count published twice (the "Robbery"
row of a priority's table and of the district table by type), or a count that is part of
another (a town-centre count is at most the district count of the same crime type, since
district = town centre + rest of district and the rest is not negative). The page-level
functions model the page as one system of linear facts — every table's totals, plus
:class:`Relation` links between cells of different tables (equal, part of, sum of, at
most) — and solve the reader's problem for every ``[c]`` cell over **whole numbers**
(a mixed-integer programme per bound, ``scipy.optimize.linprog`` with HiGHS; the linear
relaxation is available with ``integer=False`` and is exact only when the constraint
matrix is totally unimodular, which links between tables generally break):

* :func:`page_feasible_intervals` / :func:`audit_page` / :func:`page_disclosure_problems`
  / :func:`assert_page_safe`: the audit. The rule is the one above, applied to the whole
  page: every ``[c]`` cell can take a value at least its threshold and can take at least
  two values (see :func:`page_disclosure_problems`).
* :func:`protect_page`: secondary suppression across the tables — a count hidden in one
  table is hidden wherever it is published (with the stricter threshold), then, while the
  audit finds an exposed cell, the published cells of the cheapest alternative page in
  which that cell reaches its threshold are hidden too (a linear programme that moves as
  few counts as it can, totals last), and the page is audited again.
* :func:`page_range`: what a reader can deduce about any sum of cells (used to decide
  whether a sentence's per cent change tells the reader anything the tables do not).

References
----------
Cox, L. H. (1980). Suppression methodology and statistical disclosure control. *JASA*
75(370), 377-385. — Repsilber, D. (1994). Preservation of confidentiality in aggregated
data. *Second International Seminar on Statistical Confidentiality*. — Giessing, S. (2004).
Survey on methods for tabular data protection in ARGUS. *Privacy in Statistical
Databases*, LNCS 3050. — The shorthand ``[c]``, "confidential: suppressed for
confidentiality purposes", is the UK government statistics convention for tables (the
same letter and meaning as StatsWales' published list of shorthand, stats.gov.wales).

Examples
--------
>>> import pandas as pd
>>> s = pd.Series({"Burglary": 2, "Robbery": 40, "Theft": 55}, name="crimes")
>>> out = suppress_series(s)
>>> out.values["crimes"].tolist()   # 2 is small; 40 is suppressed so 2 = 97 - 40 - 55 fails
['[c]', '[c]', 55, 97]
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any, overload

import numpy as np
import pandas as pd
from scipy.optimize import linprog

__all__ = [
    "SUPPRESSED",
    "DisclosureError",
    "SuppressedTable",
    "suppress_table",
    "suppress_series",
    "round_to_base",
    "format_suppressed",
    "sensitive_threshold",
    "feasible_intervals",
    "disclosure_problems",
    "is_disclosive",
    "assert_safe",
    "NOT_AVAILABLE",
    "Cell",
    "Relation",
    "PageTable",
    "PageCounts",
    "PageAudit",
    "PageProtection",
    "page_feasible_intervals",
    "audit_page",
    "page_disclosure_problems",
    "assert_page_safe",
    "page_range",
    "protect_page",
]

#: GSS symbol for a value suppressed to protect confidentiality.
SUPPRESSED = "[c]"

_TOL = 1e-6


class DisclosureError(ValueError):
    """A table meant for publication would disclose a small count."""


@dataclass(frozen=True, eq=False)
class SuppressedTable:
    """A table of counts after small-count suppression.

    All frames share the same index and columns: the input's labels plus, when totals
    are published, a ``total_label`` row and column (a series has a total row only).

    Attributes
    ----------
    values : pandas.DataFrame
        What may be published: ``int`` counts, and the string ``"[c]"`` where suppressed.
    mask : pandas.DataFrame
        ``True`` where a value is suppressed (``primary | secondary``).
    primary : pandas.DataFrame
        ``True`` where the count itself is below its threshold.
    secondary : pandas.DataFrame
        ``True`` where a count was suppressed only to protect a primary cell.
    threshold : int
        The base threshold.
    thresholds : pandas.DataFrame
        The threshold applied to each cell (``threshold`` raised for sensitive labels).
    total_label : str or None
        Label of the total row/column, or ``None`` when no totals are published.
    suppress_zeros : bool
        Whether zeros were treated as small counts.
    """

    values: pd.DataFrame
    mask: pd.DataFrame
    primary: pd.DataFrame
    secondary: pd.DataFrame
    threshold: int
    thresholds: pd.DataFrame
    total_label: str | None
    suppress_zeros: bool

    @property
    def n_primary(self) -> int:
        """Number of primary-suppressed cells."""
        return int(self.primary.to_numpy().sum())

    @property
    def n_secondary(self) -> int:
        """Number of secondary-suppressed cells."""
        return int(self.secondary.to_numpy().sum())


# --------------------------------------------------------------------------- helpers
def _check_threshold(threshold: int, name: str = "threshold") -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Integral):
        raise ValueError(f"{name} must be a whole number, got {threshold!r}")
    if threshold < 1:
        raise ValueError(f"{name} must be at least 1, got {threshold}")
    return int(threshold)


def _check_sensitive(sensitive: Mapping[Any, int] | None) -> dict[Any, int]:
    out: dict[Any, int] = {}
    for label, value in (sensitive or {}).items():
        out[label] = _check_threshold(value, f"sensitive threshold for {label!r}")
    return out


def _as_counts(table: pd.DataFrame) -> np.ndarray:
    """Validate a frame of counts and return it as an int64 array."""
    if table.shape[0] == 0 or table.shape[1] == 0:
        raise ValueError("the table is empty")
    if table.index.has_duplicates or table.columns.has_duplicates:
        raise ValueError("row and column labels must be unique")
    bad = [c for c in table.columns if not pd.api.types.is_numeric_dtype(table[c])]
    bad += [c for c in table.columns if pd.api.types.is_bool_dtype(table[c])]
    if bad:
        raise ValueError(f"columns {bad!r} are not numeric counts")
    arr = table.to_numpy(dtype="float64")
    if np.isnan(arr).any():
        raise ValueError("the table has missing values; counts must all be known")
    if (arr < 0).any():
        raise ValueError("counts must not be negative")
    if not np.all(arr == np.round(arr)):
        raise ValueError("counts must be whole numbers")
    if not np.isfinite(arr).all():
        raise ValueError("counts must be finite")
    return arr.astype("int64")


def _label_key(label: object) -> str:
    """A label as compared with sensitive keys: lower case, ``_``/``-`` as spaces."""
    return " ".join(str(label).replace("_", " ").replace("-", " ").split()).casefold()


def sensitive_threshold(label: object, threshold: int, sensitive: Mapping[Any, int]) -> int:
    """The threshold for a row or column label, raised if the label is sensitive.

    A key matches a label ignoring case, underscores, hyphens and spacing, and also
    matches any label containing it as whole words ("sexual offences" matches
    "Violence and sexual offences"): erring towards protection.

    Examples
    --------
    >>> sensitive_threshold("Violence and sexual offences", 5, {"sexual offences": 10})
    10
    >>> sensitive_threshold("Burglary", 5, {"sexual offences": 10})
    5
    >>> sensitive_threshold("domestic_abuse", 5, {"Domestic abuse": 10})
    10
    """
    level = threshold
    if label is None:
        return level
    text = _label_key(label)
    for key, value in sensitive.items():
        k = _label_key(key)
        if k and (k == text or re.search(rf"(?<!\w){re.escape(k)}(?!\w)", text)):
            level = max(level, int(value))
    return level


def _cell_thresholds(
    rows: list[Hashable], cols: list[Hashable], threshold: int, sensitive: Mapping[Any, int]
) -> np.ndarray:
    """Per-cell thresholds: the base, raised by any sensitive row or column label."""
    r = np.array([sensitive_threshold(x, threshold, sensitive) for x in rows], dtype="int64")
    c = np.array([sensitive_threshold(x, threshold, sensitive) for x in cols], dtype="int64")
    return np.maximum(r[:, None], c[None, :])


def _primary(x: np.ndarray, thr: np.ndarray, suppress_zeros: bool) -> np.ndarray:
    small = x < thr
    return small if suppress_zeros else small & (x > 0)


def _secondary_grid(
    x: np.ndarray, thr: np.ndarray, primary: np.ndarray, suppress_zeros: bool
) -> np.ndarray:
    """Hypercube secondary suppression on a two-way table whose last row/column are totals.

    Returns the full suppression mask (primary cells included).
    """
    n_rows, n_cols = x.shape
    total_row = np.zeros(n_rows, bool)
    total_row[-1] = True
    total_col = np.zeros(n_cols, bool)
    total_col[-1] = True
    is_total = total_row[:, None] | total_col[None, :]
    # x = sign * y, where every row and every column of y sums to zero
    sign = np.where(total_row[:, None] ^ total_col[None, :], -1, 1)
    may_add = (x > 0) | suppress_zeros
    mask = primary.copy()
    cells = list(zip(*np.nonzero(primary), strict=True))
    order = sorted(cells, key=lambda rc: (-(thr[rc] - x[rc]), rc[0], rc[1]))
    for i, j in order:
        need = thr[i, j] - x[i, j]
        ks = np.array([k for k in range(n_rows) if k != i])[:, None]
        ls = np.array([m for m in range(n_cols) if m != j])[None, :]
        sp = sign[i, j]
        # the rectangle (i,j) +, (i,l) -, (k,l) +, (k,j) -  in y; in x multiply by signs
        parts = []
        for rr, cc, sigma in ((i, ls, -1), (ks, j, -1), (ks, ls, 1)):
            rows_idx = np.broadcast_to(rr, (ks.shape[0], ls.shape[1]))
            cols_idx = np.broadcast_to(cc, (ks.shape[0], ls.shape[1]))
            dx = sp * sign[rows_idx, cols_idx] * sigma
            val = x[rows_idx, cols_idx]
            already = mask[rows_idx, cols_idx]
            ok = (already | may_add[rows_idx, cols_idx]) & ((dx > 0) | (val >= need))
            new = ~already
            parts.append((ok, new, new & is_total[rows_idx, cols_idx], np.where(new, val, 0)))
        feasible = parts[0][0] & parts[1][0] & parts[2][0]
        if not feasible.any():  # pragma: no cover - a margin rectangle always exists
            raise RuntimeError("no protecting rectangle found; please report this table")
        n_new_tot = sum(p[2].astype(int) for p in parts)
        sum_new = sum(p[3] for p in parts)
        n_new = sum(p[1].astype(int) for p in parts)
        if (feasible & (n_new == 0)).any():
            continue  # a rectangle hidden for an earlier primary already protects this one
        if _reader_max(x, mask, i, j) >= thr[i, j] - _TOL:
            continue  # protected through a longer cycle of hidden cells
        kk, ll = np.broadcast_arrays(ks, ls)
        big = np.iinfo("int64").max
        keys = (
            ll.ravel(),
            kk.ravel(),
            np.where(feasible, n_new, big).ravel(),
            np.where(feasible, sum_new, big).ravel(),
            np.where(feasible, n_new_tot, big).ravel(),
        )
        pick = np.lexsort(keys)[0]
        k, m = int(kk.ravel()[pick]), int(ll.ravel()[pick])
        mask[i, m] = mask[k, j] = mask[k, m] = True
    return mask


def _reader_max(x: np.ndarray, mask: np.ndarray, r: int, c: int) -> float:
    """Largest value of cell (r, c) consistent with the unmasked cells and the margins."""
    vals = np.where(mask, np.nan, x.astype("float64"))
    a_eq, b_eq, unknown = _constraints(vals, x.shape[0] - 1, x.shape[1] - 1)
    k = unknown.index((r, c))
    if a_eq.size == 0 or not a_eq[:, k].any():
        return math.inf
    cost = np.zeros(len(unknown))
    cost[k] = -1.0
    res = linprog(cost, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if res.status == 3:
        return math.inf
    if res.status != 0:  # pragma: no cover - the true table is always feasible
        raise RuntimeError(f"linear programme failed: {res.message}")
    return -float(res.fun)


def _secondary_line(
    x: np.ndarray, thr: np.ndarray, primary: np.ndarray, suppress_zeros: bool
) -> np.ndarray:
    """Secondary suppression for a one-way series whose last element is the total."""
    n = x.shape[0]
    sign = np.ones(n, dtype="int64")
    sign[-1] = -1
    is_total = np.zeros(n, bool)
    is_total[-1] = True
    may_add = (x > 0) | suppress_zeros
    mask = primary.copy()
    order = sorted(np.nonzero(primary)[0].tolist(), key=lambda i: (-(thr[i] - x[i]), i))
    for i in order:
        if i == n - 1:  # the total is free as soon as any count is hidden
            if mask[:-1].any():
                continue
            need = thr[i] - x[i]
        else:  # a hidden count is at most the sum of the hidden counts (free if the total is)
            if mask[-1]:
                continue
            need = thr[i] - int(x[:-1][mask[:-1]].sum())
            if need <= 0:
                continue
        best: tuple | None = None
        for c in range(n):  # hidden cells are already in the sum: add one more
            if mask[c] or not may_add[c]:
                continue
            dx = -sign[i] * sign[c]
            if dx < 0 and x[c] < need:
                continue
            key = (int(is_total[c]), int(x[c]), c)
            if best is None or key < best:
                best = key
        if best is None:  # pragma: no cover - the total is always a partner
            raise RuntimeError("no protecting cell found; please report this series")
        mask[best[-1]] = True
    return mask


def _frame(arr: np.ndarray, index: pd.Index, columns: pd.Index) -> pd.DataFrame:
    return pd.DataFrame(arr, index=index, columns=columns)


def _published(x: np.ndarray, mask: np.ndarray, index: pd.Index, cols: pd.Index) -> pd.DataFrame:
    vals = np.empty(x.shape, dtype=object)
    for r in range(x.shape[0]):
        for c in range(x.shape[1]):
            vals[r, c] = SUPPRESSED if mask[r, c] else int(x[r, c])
    return pd.DataFrame(vals, index=index, columns=cols)


def _with_label(index: pd.Index, label: str, what: str) -> pd.Index:
    if label in index:
        raise ValueError(
            f"the table already has a {what} labelled {label!r}; pass the table without "
            "totals (they are added here) or choose another total_label"
        )
    return pd.Index([*index.tolist(), label], name=index.name)


# --------------------------------------------------------------------------- public API
def suppress_table(
    table: pd.DataFrame,
    threshold: int = 5,
    *,
    sensitive: Mapping[Any, int] | None = None,
    margins: bool = True,
    suppress_zeros: bool = False,
    total_label: str = "Total",
) -> SuppressedTable:
    """Suppress small counts in a two-way table, with secondary suppression.

    Parameters
    ----------
    table : pandas.DataFrame
        Counts (whole numbers ≥ 0, no missing values) **without** totals; rows and
        columns are the two classifications (e.g. crime type × ward).
    threshold : int, default 5
        Counts ``0 < x < threshold`` are suppressed.
    sensitive : mapping of label to int, optional
        Stricter thresholds for rows or columns by label, e.g.
        ``{"Domestic abuse": 10, "Sexual offences": 10}``. A cell takes the largest
        threshold of its row, its column and ``threshold``. Keys match labels ignoring
        case, ``_``, ``-`` and spacing, and match labels containing them as whole words
        (see :func:`sensitive_threshold`); keys matching nothing are ignored, so one
        mapping can serve every table.
    margins : bool, default True
        Publish row totals, column totals and the grand total (added as a
        ``total_label`` row and column) and protect the suppressed cells against
        subtraction from them. With ``False`` only primary suppression is needed.
    suppress_zeros : bool, default False
        Treat zero as a small count (suppress it too).
    total_label : str, default "Total"
        Label of the added total row and column.

    Returns
    -------
    SuppressedTable
        ``values`` holds ints and ``"[c]"``; ``mask``, ``primary`` and ``secondary`` say
        what was suppressed and why.

    Raises
    ------
    ValueError
        For negative, fractional or missing counts, duplicate labels, or a table that
        already contains ``total_label``.

    Notes
    -----
    Guarantee (with ``margins=True``): for every suppressed cell, the values consistent
    with everything published and with non-negativity form an interval of positive width
    whose upper end is at least the cell's threshold. Totals below the threshold are
    primary cells like any other. A reader is not assumed to know *which* ``[c]`` cells
    are primary. See the module notes for the method.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"North": [2, 12, 30], "South": [8, 15, 40]},
    ...                  index=["Robbery", "Burglary", "Theft"])
    >>> out = suppress_table(t)
    >>> out.values
              North South Total
    Robbery     [c]   [c]    10
    Burglary    [c]   [c]    27
    Theft        30    40    70
    Total        44    63   107
    >>> out.n_primary, out.n_secondary
    (1, 3)
    """
    thr0 = _check_threshold(threshold)
    sens = _check_sensitive(sensitive)
    inner = _as_counts(table)
    if not margins:
        thr = _cell_thresholds(list(table.index), list(table.columns), thr0, sens)
        prim = _primary(inner, thr, suppress_zeros)
        idx, cols = table.index, table.columns
        x, mask = inner, prim.copy()
        total = None
    else:
        idx = _with_label(table.index, total_label, "row")
        cols = _with_label(table.columns, total_label, "column")
        x = np.zeros((inner.shape[0] + 1, inner.shape[1] + 1), dtype="int64")
        x[:-1, :-1] = inner
        x[:-1, -1] = inner.sum(axis=1)
        x[-1, :-1] = inner.sum(axis=0)
        x[-1, -1] = inner.sum()
        rows = [*table.index.tolist(), None]
        colsl = [*table.columns.tolist(), None]
        thr = _cell_thresholds(rows, colsl, thr0, sens)
        prim = _primary(x, thr, suppress_zeros)
        mask = _secondary_grid(x, thr, prim, suppress_zeros)
        total = total_label
    return SuppressedTable(
        values=_published(x, mask, idx, cols),
        mask=_frame(mask, idx, cols),
        primary=_frame(prim, idx, cols),
        secondary=_frame(mask & ~prim, idx, cols),
        threshold=thr0,
        thresholds=_frame(thr, idx, cols),
        total_label=total,
        suppress_zeros=suppress_zeros,
    )


def suppress_series(
    series: pd.Series,
    threshold: int = 5,
    *,
    sensitive: Mapping[Any, int] | None = None,
    total: bool = True,
    suppress_zeros: bool = False,
    total_label: str = "Total",
) -> SuppressedTable:
    """Suppress small counts in a one-way series, protecting them against its total.

    Parameters
    ----------
    series : pandas.Series
        Counts (whole numbers ≥ 0) indexed by category, without a total.
    threshold : int, default 5
        Counts ``0 < x < threshold`` are suppressed.
    sensitive : mapping of label to int, optional
        Stricter thresholds by index label, matched as in :func:`suppress_table`.
    total : bool, default True
        Publish the total (added as a ``total_label`` row) and protect against it.
    suppress_zeros : bool, default False
        Treat zero as a small count.
    total_label : str, default "Total"
        Label of the added total row.

    Returns
    -------
    SuppressedTable
        One column, named after the series (``"count"`` when it has no name).

    Notes
    -----
    With one published total, a single suppressed cell is recovered by subtraction, so
    at least two values are suppressed together. Among partners the smallest non-total
    count that can absorb the shortfall ``threshold - value`` is chosen; the total is
    suppressed only when no other count can.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([3, 0, 7, 20, 50], index=list("ABCDE"))
    >>> suppress_series(s).values["count"].tolist()
    ['[c]', 0, '[c]', 20, 50, 80]
    >>> suppress_series(s, total=False).values["count"].tolist()
    ['[c]', 0, 7, 20, 50]
    """
    name = "count" if series.name is None else series.name
    frame = series.to_frame(name=name)
    thr0 = _check_threshold(threshold)
    sens = _check_sensitive(sensitive)
    inner = _as_counts(frame)[:, 0]
    cols = frame.columns
    if not total:
        thr = _cell_thresholds(list(frame.index), [None], thr0, sens)[:, 0]
        prim = _primary(inner, thr, suppress_zeros)
        x, mask, idx, tot = inner, prim.copy(), frame.index, None
    else:
        idx = _with_label(frame.index, total_label, "row")
        x = np.append(inner, inner.sum())
        thr = _cell_thresholds([*frame.index.tolist(), None], [None], thr0, sens)[:, 0]
        prim = _primary(x, thr, suppress_zeros)
        mask = _secondary_line(x, thr, prim, suppress_zeros)
        tot = total_label
    return SuppressedTable(
        values=_published(x[:, None], mask[:, None], idx, cols),
        mask=_frame(mask[:, None], idx, cols),
        primary=_frame(prim[:, None], idx, cols),
        secondary=_frame((mask & ~prim)[:, None], idx, cols),
        threshold=thr0,
        thresholds=_frame(thr[:, None], idx, cols),
        total_label=tot,
        suppress_zeros=suppress_zeros,
    )


@overload
def round_to_base(values: int, base: int = 5) -> int: ...
@overload
def round_to_base(values: pd.DataFrame, base: int = 5) -> pd.DataFrame: ...
@overload
def round_to_base(values: pd.Series, base: int = 5) -> pd.Series: ...
@overload
def round_to_base(values: np.ndarray, base: int = 5) -> np.ndarray: ...
def round_to_base(values: Any, base: int = 5) -> Any:
    """Round counts to the nearest multiple of ``base`` (conventional rounding).

    Halves round up (with ``base=10``, 15 becomes 20). Each value is rounded on its own,
    so rounded cells need not add up to a rounded total: say so beside the table.

    Parameters
    ----------
    values : int, float, array-like, Series or DataFrame
        Non-negative counts; ``NaN`` is kept as ``NaN``.
    base : int, default 5
        The rounding base.

    Returns
    -------
    Same kind as ``values``
        Rounded counts (integers where there are no missing values).

    Examples
    --------
    >>> round_to_base(12)
    10
    >>> round_to_base([0, 2, 3, 7, 8, 13], base=5).tolist()
    [0, 0, 5, 5, 10, 15]
    >>> round_to_base(15, base=10)
    20
    """
    b = _check_threshold(base, "base")
    scalar = np.ndim(values) == 0 and not isinstance(values, pd.DataFrame | pd.Series)
    if isinstance(values, pd.DataFrame | pd.Series):
        arr = values.to_numpy(dtype="float64")
    else:
        arr = np.asarray(values, dtype="float64")
    if (arr[~np.isnan(arr)] < 0).any():
        raise ValueError("counts must not be negative")
    rounded = np.floor(arr / b + 0.5) * b
    has_nan = bool(np.isnan(rounded).any())
    out = rounded if has_nan else rounded.astype("int64")
    if scalar:
        return float("nan") if has_nan else int(out)
    if isinstance(values, pd.DataFrame):
        return pd.DataFrame(out, index=values.index, columns=values.columns)
    if isinstance(values, pd.Series):
        return pd.Series(out, index=values.index, name=values.name)
    return out


def format_suppressed(
    table: SuppressedTable | pd.DataFrame, *, thousands: bool = True
) -> pd.DataFrame:
    """Render a suppressed table as strings for an HTML table.

    Parameters
    ----------
    table : SuppressedTable or pandas.DataFrame
        A result of :func:`suppress_table` / :func:`suppress_series`, or a frame of
        counts and ``"[c]"``.
    thousands : bool, default True
        Group digits with commas (``1,234``), as GSS tables do.

    Returns
    -------
    pandas.DataFrame
        Same labels, every cell a string.

    Examples
    --------
    >>> import pandas as pd
    >>> out = suppress_series(pd.Series({"A": 2, "B": 1500, "C": 2400}))
    >>> format_suppressed(out)["count"].tolist()
    ['[c]', '[c]', '2,400', '3,902']
    """
    values = table.values if isinstance(table, SuppressedTable) else table

    def fmt(v: object) -> str:
        if isinstance(v, str):
            return v
        if isinstance(v, numbers.Real) and not isinstance(v, bool):
            if isinstance(v, float) and math.isnan(v):
                return ""
            if float(v) == int(v):
                return f"{int(v):,}" if thousands else str(int(v))
            return f"{v:,}" if thousands else str(v)
        return str(v)

    return values.map(fmt)


# --------------------------------------------------------------------------- audit
def _parse_published(published: pd.DataFrame) -> np.ndarray:
    """Published cells as floats, NaN where suppressed."""
    out = np.empty(published.shape, dtype="float64")
    for r in range(published.shape[0]):
        for c in range(published.shape[1]):
            v = published.iat[r, c]
            where = f"row {published.index[r]!r}, column {published.columns[c]!r}"
            if isinstance(v, str):
                s = v.strip()
                if s == SUPPRESSED:
                    out[r, c] = np.nan
                    continue
                try:
                    num = float(s.replace(",", ""))
                except ValueError:
                    raise ValueError(
                        f"{where}: {v!r} is neither a count nor {SUPPRESSED!r}"
                    ) from None
            elif isinstance(v, numbers.Real) and not isinstance(v, bool):
                num = float(v)
            else:
                raise ValueError(f"{where}: {v!r} is neither a count nor {SUPPRESSED!r}")
            if not math.isfinite(num) or num < 0 or num != round(num):
                raise ValueError(f"{where}: {v!r} is not a whole count ≥ 0")
            out[r, c] = num
    return out


def _constraints(
    vals: np.ndarray, total_row: int | None, total_col: int | None
) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """Equality constraints A v = b on the suppressed cells v."""
    n_rows, n_cols = vals.shape
    unknown = [(r, c) for r in range(n_rows) for c in range(n_cols) if np.isnan(vals[r, c])]
    pos = {rc: k for k, rc in enumerate(unknown)}
    groups: list[list[tuple[tuple[int, int], float]]] = []
    if total_col is not None:
        for r in range(n_rows):
            groups.append(
                [((r, c), 1.0) for c in range(n_cols) if c != total_col] + [((r, total_col), -1.0)]
            )
    if total_row is not None:
        for c in range(n_cols):
            groups.append(
                [((r, c), 1.0) for r in range(n_rows) if r != total_row] + [((total_row, c), -1.0)]
            )
    rows_a, rows_b = [], []
    for g in groups:
        a = np.zeros(len(unknown))
        b = 0.0
        for rc, coef in g:
            if rc in pos:
                a[pos[rc]] += coef
            else:
                b -= coef * vals[rc]
        if not a.any():
            if abs(b) > _TOL:
                raise ValueError("published totals do not add up to the published cells")
            continue
        rows_a.append(a)
        rows_b.append(b)
    a_eq = np.array(rows_a).reshape(len(rows_a), len(unknown))
    return a_eq, np.array(rows_b), unknown


def feasible_intervals(published: pd.DataFrame, *, total_label: str = "Total") -> pd.DataFrame:
    """What a reader can deduce about each suppressed cell from a published table.

    Solves two linear programmes per suppressed cell (``scipy.optimize.linprog``,
    HiGHS): minimise and maximise the cell subject to every published row/column total
    (rows and columns labelled ``total_label``) and to all counts being ≥ 0.

    Parameters
    ----------
    published : pandas.DataFrame
        Counts and ``"[c]"`` (numbers may be strings with thousands commas). A
        ``total_label`` row and/or column is the sum of the other rows/columns.
    total_label : str, default "Total"
        Label of the margins.

    Returns
    -------
    pandas.DataFrame
        One row per suppressed cell: ``row, column, lower, upper`` (``upper`` is ``inf``
        when nothing bounds the cell).

    Raises
    ------
    ValueError
        If a cell is neither a count nor ``"[c]"``, or the published totals are
        inconsistent with the published cells.

    Examples
    --------
    >>> import pandas as pd
    >>> pub = pd.DataFrame({"n": ["[c]", "[c]", 55, 97]}, index=["A", "B", "C", "Total"])
    >>> feasible_intervals(pub)[["row", "lower", "upper"]]
      row  lower  upper
    0   A    0.0   42.0
    1   B    0.0   42.0
    """
    a_eq, b_eq, unknown = _reader_system(published, total_label)
    involved = a_eq.any(axis=0) if a_eq.size else np.zeros(len(unknown), bool)
    out = []
    for k, (r, c) in enumerate(unknown):
        if involved[k]:
            lo, _ = _optimise(a_eq, b_eq, k, 1.0)
            hi, _ = _optimise(a_eq, b_eq, k, -1.0)
        else:
            lo, hi = 0.0, math.inf
        out.append(
            {
                "row": published.index[r],
                "column": published.columns[c],
                "lower": float(round(lo, 9)) + 0.0,
                "upper": float(round(hi, 9)) if math.isfinite(hi) else math.inf,
            }
        )
    return pd.DataFrame(out, columns=["row", "column", "lower", "upper"])


def _reader_system(
    published: pd.DataFrame, total_label: str
) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]:
    vals = _parse_published(published)
    total_row = published.index.get_loc(total_label) if total_label in published.index else None
    total_col = published.columns.get_loc(total_label) if total_label in published.columns else None
    for loc, what in ((total_row, "row"), (total_col, "column")):
        if loc is not None and not isinstance(loc, int):
            raise ValueError(f"more than one {what} is labelled {total_label!r}")
    return _constraints(vals, total_row, total_col)  # type: ignore[arg-type]


def _optimise(
    a_eq: np.ndarray, b_eq: np.ndarray, k: int, direction: float
) -> tuple[float, np.ndarray | None]:
    """Minimise (direction 1) or maximise (-1) unknown k; the value and a solution."""
    cost = np.zeros(a_eq.shape[1])
    cost[k] = direction
    res = linprog(cost, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if res.status == 2:
        raise ValueError("published totals cannot be met by non-negative counts")
    if res.status == 3:
        return (math.inf if direction < 0 else 0.0), None
    if res.status != 0:  # pragma: no cover - solver trouble
        raise RuntimeError(f"linear programme failed: {res.message}")
    return direction * float(res.fun), np.asarray(res.x)


def disclosure_problems(
    published: pd.DataFrame,
    threshold: int = 5,
    *,
    sensitive: Mapping[Any, int] | None = None,
    total_label: str = "Total",
    suppress_zeros: bool = False,
) -> list[str]:
    """List the ways a published table discloses small counts (empty when safe).

    A table is safe when (1) every published count is 0 or at least its threshold
    (zeros only when ``suppress_zeros`` is false) and (2) every ``"[c]"`` cell, given
    all published cells and totals, lies in an interval of positive width reaching its
    threshold (see :func:`feasible_intervals`).

    Parameters
    ----------
    published : pandas.DataFrame
        Counts and ``"[c]"``, with totals in rows/columns labelled ``total_label``.
    threshold, sensitive, suppress_zeros
        As for :func:`suppress_table`.
    total_label : str, default "Total"
        Label of the margins.

    Returns
    -------
    list of str
        One plain sentence per problem.

    Examples
    --------
    >>> import pandas as pd
    >>> pub = pd.DataFrame({"n": ["[c]", 40, 55, 97]}, index=["A", "B", "C", "Total"])
    >>> disclosure_problems(pub)
    ["row 'A', column 'n': the suppressed value can be recovered exactly (2)"]
    """
    thr0 = _check_threshold(threshold)
    sens = _check_sensitive(sensitive)
    rows = [None if r == total_label else r for r in published.index]
    cols = [None if c == total_label else c for c in published.columns]
    thr = _cell_thresholds(rows, cols, thr0, sens)
    return _problems(published, thr, total_label, suppress_zeros)


def _problems(
    published: pd.DataFrame, thr: np.ndarray, total_label: str, suppress_zeros: bool
) -> list[str]:
    vals = _parse_published(published)
    problems = []
    for r in range(vals.shape[0]):
        for c in range(vals.shape[1]):
            v = vals[r, c]
            if np.isnan(v):
                continue
            if v < thr[r, c] and (v > 0 or suppress_zeros):
                problems.append(
                    f"row {published.index[r]!r}, column {published.columns[c]!r}: "
                    f"{int(v)} is published but below the threshold {thr[r, c]}"
                )
    # What the reader can deduce, solved lazily: every LP solution is a table consistent
    # with the publication, so it witnesses values each hidden cell can take; a cell
    # needs its own min/max LP only while the witnesses do not already settle it.
    a_eq, b_eq, unknown = _reader_system(published, total_label)
    involved = a_eq.any(axis=0) if a_eq.size else np.zeros(len(unknown), bool)
    seen_lo = np.full(len(unknown), np.inf)
    seen_hi = np.full(len(unknown), -np.inf)

    def witness(sol: np.ndarray | None) -> None:
        if sol is not None:
            np.minimum(seen_lo, sol, out=seen_lo)
            np.maximum(seen_hi, sol, out=seen_hi)

    for k, (r, c) in enumerate(unknown):
        if not involved[k]:
            continue  # unbounded above, free below
        target = thr[r, c]
        hi: float | None = None  # exact maximum, once solved
        if seen_hi[k] < target - _TOL:
            hi, sol = _optimise(a_eq, b_eq, k, -1.0)
            witness(sol)
        if seen_hi[k] - seen_lo[k] < 0.5 and not (hi is not None and math.isinf(hi)):
            lo, sol = _optimise(a_eq, b_eq, k, 1.0)
            witness(sol)
            if hi is None and seen_hi[k] - seen_lo[k] < 0.5:
                hi, sol = _optimise(a_eq, b_eq, k, -1.0)
                witness(sol)
            if hi is not None and hi - lo < 0.5:
                problems.append(
                    f"row {published.index[r]!r}, column {published.columns[c]!r}: "
                    f"the suppressed value can be recovered exactly ({int(round(lo))})"
                )
                continue
        if hi is not None and hi < target - _TOL:
            problems.append(
                f"row {published.index[r]!r}, column {published.columns[c]!r}: "
                f"the suppressed value is known to be at most {int(round(hi))}, "
                f"below the threshold {target}"
            )
    return problems


def is_disclosive(
    published: pd.DataFrame,
    threshold: int = 5,
    *,
    sensitive: Mapping[Any, int] | None = None,
    total_label: str = "Total",
    suppress_zeros: bool = False,
) -> bool:
    """``True`` if :func:`disclosure_problems` finds anything.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"A": [1, 9], "B": [7, 30]}, index=["x", "y"])
    >>> is_disclosive(t, total_label="Total")   # a published 1
    True
    >>> is_disclosive(suppress_table(t).values)
    False
    """
    return bool(
        disclosure_problems(
            published,
            threshold,
            sensitive=sensitive,
            total_label=total_label,
            suppress_zeros=suppress_zeros,
        )
    )


def assert_safe(
    published: pd.DataFrame | SuppressedTable,
    threshold: int | None = None,
    *,
    sensitive: Mapping[Any, int] | None = None,
    total_label: str = "Total",
    suppress_zeros: bool | None = None,
) -> None:
    """Raise :class:`DisclosureError` if a table for publication discloses a small count.

    The build calls this on every table of ``public.html`` as its final check.

    Parameters
    ----------
    published : pandas.DataFrame or SuppressedTable
        Counts and ``"[c]"`` with totals labelled ``total_label``; a
        :class:`SuppressedTable` is checked with its own threshold settings unless
        they are given here.
    threshold : int, optional
        Default 5 (or the table's own threshold).
    sensitive : mapping, optional
        Stricter thresholds by label.
    total_label : str, default "Total"
        Label of the margins.
    suppress_zeros : bool, optional
        Default ``False`` (or the table's own setting).

    Raises
    ------
    DisclosureError
        Listing up to five problems (see :func:`disclosure_problems`).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"North": [2, 12, 30], "South": [8, 15, 40]},
    ...                  index=["Robbery", "Burglary", "Theft"])
    >>> assert_safe(suppress_table(t))     # silent when safe
    >>> assert_safe(pd.DataFrame({"n": [2, 40]}, index=["A", "B"]))
    Traceback (most recent call last):
    ...
    smp_analysis.stats.disclosure.DisclosureError: 1 disclosure problem: row 'A', column 'n': 2 is published but below the threshold 5
    """
    if isinstance(published, SuppressedTable):
        table = published
        if table.total_label is not None:
            total_label = table.total_label
        zeros = table.suppress_zeros if suppress_zeros is None else suppress_zeros
        if threshold is None and sensitive is None:
            problems = _problems(table.values, table.thresholds.to_numpy(), total_label, zeros)
        else:
            problems = disclosure_problems(
                table.values,
                table.threshold if threshold is None else threshold,
                sensitive=sensitive,
                total_label=total_label,
                suppress_zeros=zeros,
            )
    else:
        problems = disclosure_problems(
            published,
            5 if threshold is None else threshold,
            sensitive=sensitive,
            total_label=total_label,
            suppress_zeros=bool(suppress_zeros),
        )
    if problems:
        n = len(problems)
        more = f" (and {n - 5} more)" if n > 5 else ""
        raise DisclosureError(
            f"{n} disclosure problem{'s' if n > 1 else ''}: " + "; ".join(problems[:5]) + more
        )


# --------------------------------------------------------------------------- the page
#: A cell of a page: (table name, row label, column label).
Cell = tuple[str, Hashable, Hashable]

#: GSS symbol for a value that is not available (no data): unknown to the publisher too.
NOT_AVAILABLE = "[x]"


@dataclass(frozen=True)
class Relation:
    """A linear fact a reader knows about cells of a page: ``Σ coef·cell (== or <=) rhs``.

    Use the constructors for the usual links: :meth:`same` (the same quantity published
    twice), :meth:`part_of` (a subset: the town-centre count of a crime type is at most the
    district count, since district = town centre + rest of district and the rest is ≥ 0),
    :meth:`sum_of` (a quantity that adds up other cells) and :meth:`at_most` (an ordering a
    page states, such as "X was the most common").

    Examples
    --------
    >>> r = Relation.part_of(("TC", "Robbery", "2024/25"), ("PS.2", "Robbery", "2024/25"))
    >>> r.sense, [coef for _, coef in r.terms]
    ('<=', [1.0, -1.0])
    """

    terms: tuple[tuple[Cell, float], ...]
    sense: str = "=="
    rhs: float = 0.0
    reason: str = ""

    def __post_init__(self) -> None:
        if self.sense not in ("==", "<="):
            raise ValueError(f"a relation's sense is '==' or '<=', got {self.sense!r}")
        if not self.terms:
            raise ValueError("a relation needs at least one cell")
        terms = tuple((tuple(cell), float(coef)) for cell, coef in self.terms)
        for cell, coef in terms:
            if len(cell) != 3:
                raise ValueError(f"a cell is (table, row, column), got {cell!r}")
            if not math.isfinite(coef):
                raise ValueError(f"coefficient of {cell!r} is not finite")
        if not math.isfinite(float(self.rhs)):
            raise ValueError("the right-hand side is not finite")
        object.__setattr__(self, "terms", terms)
        object.__setattr__(self, "rhs", float(self.rhs))

    @classmethod
    def same(cls, a: Cell, b: Cell, reason: str = "the same quantity") -> Relation:
        """``a == b``: one quantity published in two places."""
        return cls(((a, 1.0), (b, -1.0)), "==", 0.0, reason)

    @classmethod
    def part_of(cls, part: Cell, whole: Cell, reason: str = "a part of") -> Relation:
        """``part <= whole``: ``whole = part + rest`` with an unpublished ``rest ≥ 0``."""
        return cls(((part, 1.0), (whole, -1.0)), "<=", 0.0, reason)

    @classmethod
    def at_most(cls, small: Cell, large: Cell, reason: str = "stated order") -> Relation:
        """``small <= large`` (an order the page states)."""
        return cls(((small, 1.0), (large, -1.0)), "<=", 0.0, reason)

    @classmethod
    def sum_of(cls, whole: Cell, parts: list[Cell], reason: str = "a sum") -> Relation:
        """``whole == Σ parts``."""
        return cls(((whole, 1.0), *((p, -1.0) for p in parts)), "==", 0.0, reason)

    @property
    def cells(self) -> list[Cell]:
        return [c for c, _ in self.terms]

    def holds(self, value: Mapping[Cell, float], tol: float = 1e-6) -> bool:
        """Whether the relation is true for the given cell values."""
        lhs = sum(coef * float(value[c]) for c, coef in self.terms)
        return abs(lhs - self.rhs) <= tol if self.sense == "==" else lhs <= self.rhs + tol

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form (cell labels as strings)."""
        return {
            "terms": [[str(t), str(r), str(c), coef] for (t, r, c), coef in self.terms],
            "sense": self.sense,
            "rhs": self.rhs,
            "reason": self.reason,
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Relation:
        terms = tuple(((str(t), str(r), str(c)), float(k)) for t, r, c, k in obj["terms"])
        return cls(terms, str(obj["sense"]), float(obj.get("rhs", 0.0)), str(obj.get("reason", "")))


@dataclass(frozen=True, eq=False)
class PageTable:
    """One published table of a page, as a reader sees it.

    Attributes
    ----------
    name : str
        Its name on the page (``"PS.2"``); relations name cells as ``(name, row, column)``.
    values : pandas.DataFrame
        Published cells: counts (numbers, or text such as ``"1,234"``), ``"[c]"``
        (suppressed) or ``"[x]"`` (not available: unknown to the publisher too, so never
        audited). Totals are rows/columns of the frame.
    thresholds : pandas.DataFrame or int
        Threshold of each cell (or one for all).
    total_row, total_column : label or None
        Label of the row (column) that is the sum of the other rows (columns), if any.
    suppress_zeros : bool
        Whether zeros count as small (a published zero is then a problem).
    """

    name: str
    values: pd.DataFrame
    thresholds: pd.DataFrame | int = 5
    total_row: Hashable | None = "Total"
    total_column: Hashable | None = None
    suppress_zeros: bool = False

    def threshold_of(self, row: Hashable, column: Hashable) -> int:
        if isinstance(self.thresholds, pd.DataFrame):
            return int(self.thresholds.loc[row, column])
        return int(self.thresholds)


@dataclass(frozen=True, eq=False)
class PageCounts:
    """One table of a page before publication: the true counts and what is suppressed.

    ``counts`` includes the totals (``NaN`` where not available, published as ``[x]``);
    ``mask`` is ``True`` where a cell is suppressed. :func:`protect_page` extends the masks
    so that the page as a whole is safe; :meth:`published` is what a reader sees.
    """

    name: str
    counts: pd.DataFrame
    mask: pd.DataFrame
    thresholds: pd.DataFrame
    total_row: Hashable | None = "Total"
    total_column: Hashable | None = None
    suppress_zeros: bool = False

    def published(self) -> PageTable:
        vals = np.empty(self.counts.shape, dtype=object)
        arr = self.counts.to_numpy(dtype="float64")
        mask = self.mask.to_numpy(bool)
        for r in range(arr.shape[0]):
            for c in range(arr.shape[1]):
                if np.isnan(arr[r, c]):
                    vals[r, c] = NOT_AVAILABLE
                elif mask[r, c]:
                    vals[r, c] = SUPPRESSED
                else:
                    vals[r, c] = int(arr[r, c])
        return PageTable(
            self.name,
            pd.DataFrame(vals, index=self.counts.index, columns=self.counts.columns),
            self.thresholds,
            self.total_row,
            self.total_column,
            self.suppress_zeros,
        )


@dataclass(frozen=True, eq=False)
class PageAudit:
    """What a reader can deduce about every suppressed cell of a page.

    ``intervals`` has one row per ``[c]`` cell: ``table, row, column, threshold, lower,
    upper, protected, problem``; ``problems`` one sentence per problem (published counts
    below their threshold included).
    """

    intervals: pd.DataFrame
    problems: tuple[str, ...]
    integer: bool

    @property
    def n_suppressed(self) -> int:
        return len(self.intervals)

    @property
    def n_exposed(self) -> int:
        return int((~self.intervals["protected"].astype(bool)).sum()) if len(self.intervals) else 0

    @property
    def safe(self) -> bool:
        return not self.problems


@dataclass(frozen=True, eq=False)
class PageProtection:
    """Result of :func:`protect_page`.

    Attributes
    ----------
    tables : tuple of PageCounts
        The tables with their masks (and thresholds) after page-level protection.
    added : tuple of Cell
        Cells suppressed by the page-level step (beyond the input masks), in order.
    exposed_before : tuple of Cell
        ``[c]`` cells a reader could narrow below their threshold (or recover exactly)
        from the page as given, before the page-level step.
    rounds : int
        Iterations of the audit-and-suppress loop.
    """

    tables: tuple[PageCounts, ...]
    added: tuple[Cell, ...]
    exposed_before: tuple[Cell, ...]
    rounds: int

    def table(self, name: str) -> PageCounts:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(name)


def _page_cell(v: object, where: str) -> tuple[float, str]:
    """A published cell as (value, kind): kind ``"n"`` number, ``"c"`` suppressed,
    ``"x"`` not available."""
    if isinstance(v, str):
        s = v.strip()
        if s == SUPPRESSED:
            return math.nan, "c"
        if s in (NOT_AVAILABLE, ""):
            return math.nan, "x"
        try:
            num = float(s.replace(",", ""))
        except ValueError:
            raise ValueError(
                f"{where}: {v!r} is neither a count, {SUPPRESSED!r} nor {NOT_AVAILABLE!r}"
            ) from None
    elif v is None or (isinstance(v, float) and math.isnan(v)):
        return math.nan, "x"
    elif isinstance(v, numbers.Real) and not isinstance(v, bool):
        num = float(v)
    else:
        raise ValueError(f"{where}: {v!r} is neither a count, {SUPPRESSED!r} nor {NOT_AVAILABLE!r}")
    if not math.isfinite(num) or num < 0 or num != round(num):
        raise ValueError(f"{where}: {v!r} is not a whole count ≥ 0")
    return num, "n"


class _Page:
    """Every cell of a page and the linear facts that tie them together."""

    def __init__(self, tables: list[PageTable], relations: list[Relation]) -> None:
        names = [t.name for t in tables]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"page tables must have unique names; repeated: {dup}")
        self.tables = tables
        self.cells: list[Cell] = []
        self.pos: dict[Cell, int] = {}
        val, kind, thr, total, zeros = [], [], [], [], []
        self.rows: list[tuple[dict[int, float], str, float, str]] = []
        for t in tables:
            v = t.values
            if v.index.has_duplicates or v.columns.has_duplicates:
                raise ValueError(f"table {t.name!r}: row and column labels must be unique")
            for loc, labels, what in (
                (t.total_row, v.index, "row"),
                (t.total_column, v.columns, "column"),
            ):
                if loc is not None and loc not in labels:
                    raise ValueError(f"table {t.name!r} has no total {what} {loc!r}")
            for r in v.index:
                for c in v.columns:
                    cell = (t.name, r, c)
                    x, k = _page_cell(v.loc[r, c], f"table {t.name!r}, row {r!r}, column {c!r}")
                    self.pos[cell] = len(self.cells)
                    self.cells.append(cell)
                    val.append(x)
                    kind.append(k)
                    thr.append(_check_threshold(t.threshold_of(r, c)))
                    total.append(r == t.total_row or c == t.total_column)
                    zeros.append(t.suppress_zeros)
            if t.total_row is not None:
                for c in v.columns:
                    row = {self.pos[(t.name, r, c)]: 1.0 for r in v.index if r != t.total_row}
                    row[self.pos[(t.name, t.total_row, c)]] = -1.0
                    self.rows.append((row, "==", 0.0, f"table {t.name}: column {c!r} total"))
            if t.total_column is not None:
                for r in v.index:
                    row = {self.pos[(t.name, r, c)]: 1.0 for c in v.columns if c != t.total_column}
                    row[self.pos[(t.name, r, t.total_column)]] = -1.0
                    self.rows.append((row, "==", 0.0, f"table {t.name}: row {r!r} total"))
        self.val = np.array(val, dtype="float64")
        self.kind = np.array(kind, dtype=object)
        self.thr = np.array(thr, dtype="int64")
        self.total = np.array(total, dtype=bool)
        self.zeros = np.array(zeros, dtype=bool)
        for rel in relations:
            row: dict[int, float] = {}
            for cell, coef in rel.terms:
                if cell not in self.pos:
                    raise ValueError(
                        f"relation {rel.reason!r} names {cell!r}, not a cell of the page"
                    )
                k = self.pos[cell]
                row[k] = row.get(k, 0.0) + coef
            self.rows.append((row, rel.sense, rel.rhs, rel.reason or "relation"))
        self.unknown = np.array([k != "n" for k in kind], dtype=bool)

    def label(self, k: int) -> str:
        t, r, c = self.cells[k]
        return f"table {t!r}, row {r!r}, column {c!r}"

    # the reader: unknowns are the [c] and [x] cells, published cells are constants
    def reader_system(self, unknown: np.ndarray) -> tuple[dict[str, Any], np.ndarray]:
        idx = np.nonzero(unknown)[0]
        col = {int(k): j for j, k in enumerate(idx)}
        a_eq, b_eq, a_ub, b_ub = [], [], [], []
        for row, sense, rhs, why in self.rows:
            a = np.zeros(len(idx))
            b = rhs
            for k, coef in row.items():
                if k in col:
                    a[col[k]] += coef
                else:
                    b -= coef * self.val[k]
            if not np.any(np.abs(a) > 1e-12):
                ok = abs(b) <= 1e-6 if sense == "==" else b >= -1e-6
                if not ok:
                    raise ValueError(f"the published figures contradict each other ({why})")
                continue
            (a_eq if sense == "==" else a_ub).append(a)
            (b_eq if sense == "==" else b_ub).append(b)
        n = len(idx)
        system = {
            "A_eq": np.array(a_eq).reshape(len(a_eq), n) if a_eq else None,
            "b_eq": np.array(b_eq) if b_eq else None,
            "A_ub": np.array(a_ub).reshape(len(a_ub), n) if a_ub else None,
            "b_ub": np.array(b_ub) if b_ub else None,
        }
        return system, idx


def _solve_bound(
    system: dict[str, Any], cost: np.ndarray, integer: bool
) -> tuple[float, np.ndarray | None]:
    """Minimise ``cost @ v`` over the reader's tables; (value, a solution) or (-inf, None)."""
    res = linprog(cost, bounds=(0, None), method="highs", **system)
    if res.status == 2:
        raise ValueError("the published figures cannot all hold with counts ≥ 0")
    if res.status == 3:
        return -math.inf, None
    if res.status != 0:  # pragma: no cover - solver trouble
        raise RuntimeError(f"linear programme failed: {res.message}")
    if not integer:
        return float(res.fun), np.asarray(res.x)
    res_i = linprog(
        cost, bounds=(0, None), method="highs", integrality=np.ones(len(cost)), **system
    )
    if res_i.status != 0:
        # no whole-number table fits: the figures contradict each other
        raise ValueError(f"no table of whole numbers fits the published figures ({res_i.message})")
    return float(res_i.fun), np.round(np.asarray(res_i.x))


def _exposure(lo: float, hi: float, threshold: int, integer: bool) -> str:
    """'' when protected, else why: 'exact' or 'small'."""
    low = math.ceil(lo - _TOL) if integer else lo
    high = math.floor(hi + _TOL) if integer and math.isfinite(hi) else hi
    if (high - low) < (1 - _TOL if integer else 0.5):
        return "exact"
    if high < threshold - _TOL:
        return "small"
    return ""


def _problem_text(page: _Page, k: int, why: str, lo: float, hi: float) -> str:
    if why == "exact":
        return f"{page.label(k)}: the suppressed value can be recovered exactly ({int(round(lo))})"
    return (
        f"{page.label(k)}: the suppressed value is known to be at most {int(math.floor(hi + _TOL))}, "
        f"below the threshold {page.thr[k]}"
    )


def _as_tables(tables: Any) -> list[PageTable]:
    out = []
    for t in tables:
        out.append(t.published() if isinstance(t, PageCounts) else t)
    return out


def page_feasible_intervals(
    tables: list[PageTable] | list[PageCounts],
    relations: list[Relation] = (),  # type: ignore[assignment]
    *,
    integer: bool = True,
) -> pd.DataFrame:
    """What a reader can deduce about each ``[c]`` cell from a whole page.

    The reader knows every published cell of every table, every total (each table's total
    row and/or column is the sum of the others), every ``relation`` between cells of
    different tables (the same quantity published twice, a subset of another, an order the
    page states) and that counts are whole numbers ≥ 0. For each suppressed cell two
    optimisation problems (``scipy.optimize.linprog``, HiGHS) give the smallest and largest
    value it can take.

    Parameters
    ----------
    tables : list of PageTable or PageCounts
        The page's published tables (``PageCounts`` are read as published).
    relations : list of Relation
        Linear facts tying cells of the page together.
    integer : bool, default True
        Solve over whole numbers (a mixed-integer programme per bound: what a reader who
        knows counts are whole can deduce). With ``False`` the linear relaxation is solved;
        its bounds are rounded inwards to whole numbers, which is exact when the constraint
        matrix is totally unimodular (one table with margins, or tables linked only by
        equalities) but can be optimistic otherwise (subset inequalities, sums).

    Returns
    -------
    pandas.DataFrame
        One row per ``[c]`` cell: ``table, row, column, threshold, lower, upper`` (``upper``
        is ``inf`` when nothing bounds the cell), ``protected`` and ``problem`` (``""``,
        ``"exact"`` or ``"small"``; see :func:`page_disclosure_problems` for the rule).

    Examples
    --------
    >>> import pandas as pd
    >>> district = PageTable("D", pd.DataFrame({"n": [40, 30, 70]}, index=["A", "B", "Total"]))
    >>> town = PageTable("T", pd.DataFrame({"n": ["[c]", "[c]", 20]}, index=["A", "B", "Total"]))
    >>> page_feasible_intervals([district, town])[["row", "lower", "upper", "protected"]]
      row  lower  upper  protected
    0   A    0.0   20.0       True
    1   B    0.0   20.0       True
    >>> links = [Relation.part_of(("T", "B", "n"), ("D", "B", "n"))]
    >>> district = PageTable("D", pd.DataFrame({"n": [40, 3, 43]}, index=["A", "B", "Total"]))
    >>> page_feasible_intervals([district, town], links)[["row", "lower", "upper", "problem"]]
      row  lower  upper problem
    0   A   17.0   20.0
    1   B    0.0    3.0   small
    """
    page = _Page(_as_tables(tables), list(relations))
    kinds = page.kind
    system, idx = page.reader_system(page.unknown)
    col = {int(k): j for j, k in enumerate(idx)}
    out = []
    for k in np.nonzero(kinds == "c")[0]:
        j = col[int(k)]
        cost = np.zeros(len(idx))
        cost[j] = 1.0
        lo, _ = _solve_bound(system, cost, integer)
        hi_neg, _ = _solve_bound(system, -cost, integer)
        lo = max(lo, 0.0)
        hi = -hi_neg
        why = _exposure(lo, hi, int(page.thr[k]), integer)
        t, r, c = page.cells[k]
        out.append(
            {
                "table": t,
                "row": r,
                "column": c,
                "threshold": int(page.thr[k]),
                "lower": float(round(lo, 9)) + 0.0,
                "upper": float(round(hi, 9)) if math.isfinite(hi) else math.inf,
                "protected": why == "",
                "problem": why,
            }
        )
    cols = ["table", "row", "column", "threshold", "lower", "upper", "protected", "problem"]
    return pd.DataFrame(out, columns=cols)


def _published_small(page: _Page) -> list[str]:
    problems = []
    for k in np.nonzero(page.kind == "n")[0]:
        v = page.val[k]
        if v < page.thr[k] and (v > 0 or page.zeros[k]):
            problems.append(
                f"{page.label(k)}: {int(v)} is published but below the threshold {page.thr[k]}"
            )
    return problems


def audit_page(
    tables: list[PageTable] | list[PageCounts],
    relations: list[Relation] = (),  # type: ignore[assignment]
    *,
    integer: bool = True,
) -> PageAudit:
    """Audit a whole page: every published count, every ``[c]`` cell's feasible interval.

    See :func:`page_feasible_intervals` for the reader's problem and
    :func:`page_disclosure_problems` for the rule.

    Examples
    --------
    >>> import pandas as pd
    >>> a = PageTable("A", pd.DataFrame({"n": ["[c]", "[c]", 50]}, index=["x", "y", "Total"]))
    >>> b = PageTable("B", pd.DataFrame({"n": [47]}, index=["y"]), total_row=None)
    >>> audit = audit_page([a, b], [Relation.same(("A", "y", "n"), ("B", "y", "n"))])
    >>> audit.n_suppressed, audit.n_exposed, audit.safe
    (2, 2, False)
    """
    tabs = _as_tables(tables)
    iv = page_feasible_intervals(tabs, relations, integer=integer)
    page = _Page(tabs, list(relations))
    problems = _published_small(page)
    for row in iv.itertuples(index=False):
        if row.problem:
            k = page.pos[(row.table, row.row, row.column)]
            problems.append(_problem_text(page, k, row.problem, row.lower, row.upper))
    return PageAudit(iv, tuple(problems), integer)


def page_disclosure_problems(
    tables: list[PageTable] | list[PageCounts],
    relations: list[Relation] = (),  # type: ignore[assignment]
    *,
    integer: bool = True,
) -> list[str]:
    """The ways a page discloses small counts when its tables are read together.

    The rule (the threshold rule with *upper protection*, Cox 1980, applied to the
    page as one system of tables): the page is safe when

    1. every published count is 0 or at least its threshold (zeros only when its table does
       not suppress zeros), and
    2. every ``[c]`` cell, over all whole-number tables consistent with everything the page
       publishes (cells, totals, relations, counts ≥ 0), can take a value **at least its
       threshold** — so a reader cannot tell that it is small — and can take **at least two
       values** — so it cannot be recovered exactly.

    Condition 2 applies to every ``[c]`` cell, primary or secondary, because a reader does
    not know which is which. For a primary cell (true value ``x < t``) it means the
    feasible interval contains ``[x, t]``: the protection ``t - x`` of Cox's upper
    protection level. A lower bound above zero is not a problem: that a cell is not empty
    is not what small-count suppression hides (zeros are published).

    Returns
    -------
    list of str
        One sentence per problem (empty when the page is safe).
    """
    return list(audit_page(tables, relations, integer=integer).problems)


def assert_page_safe(
    tables: list[PageTable] | list[PageCounts],
    relations: list[Relation] = (),  # type: ignore[assignment]
    *,
    integer: bool = True,
) -> PageAudit:
    """Raise :class:`DisclosureError` if the page discloses a small count; else its audit."""
    audit = audit_page(tables, relations, integer=integer)
    if audit.problems:
        n = len(audit.problems)
        more = f" (and {n - 5} more)" if n > 5 else ""
        raise DisclosureError(
            f"{n} page disclosure problem{'s' if n > 1 else ''}: "
            + "; ".join(audit.problems[:5])
            + more
        )
    return audit


def page_range(
    tables: list[PageTable] | list[PageCounts],
    relations: list[Relation],
    terms: list[tuple[Cell, float]],
    *,
    integer: bool = True,
) -> tuple[float, float]:
    """Smallest and largest value of ``Σ coef·cell`` a reader can deduce from the page.

    Use it to decide whether a figure stated elsewhere (a sentence's per cent change of a
    quantity) tells the reader anything the tables do not: it does not when the quantity is
    already determined (``lower == upper``).

    Examples
    --------
    >>> import pandas as pd
    >>> t = PageTable("A", pd.DataFrame({"n": ["[c]", "[c]", 50]}, index=["x", "y", "Total"]))
    >>> page_range([t], [], [(("A", "x", "n"), 1.0), (("A", "y", "n"), 1.0)])
    (50.0, 50.0)
    """
    page = _Page(_as_tables(tables), list(relations))
    system, idx = page.reader_system(page.unknown)
    col = {int(k): j for j, k in enumerate(idx)}
    cost = np.zeros(len(idx))
    const = 0.0
    for cell, coef in terms:
        if cell not in page.pos:
            raise ValueError(f"{cell!r} is not a cell of the page")
        k = page.pos[cell]
        if int(k) in col:
            cost[col[int(k)]] += coef
        else:
            const += coef * page.val[k]
    if not np.any(cost):
        return const, const
    lo, _ = _solve_bound(system, cost, integer)
    hi_neg, _ = _solve_bound(system, -cost, integer)
    return float(const + lo), float(const - hi_neg)


# --------------------------------------------------------------------------- page protection
def _exposed_cells(
    page: _Page, check: list[int], integer: bool
) -> list[tuple[int, str, float, float]]:
    """Exposed cells among ``check`` (all [c]): (cell, why, lower, upper).

    Lazy like :func:`_problems`: every solution is a table consistent with the page, so it
    witnesses values the hidden cells can take; a cell needs its own bound only while the
    witnesses do not already show it protected.
    """
    system, idx = page.reader_system(page.unknown)
    col = {int(k): j for j, k in enumerate(idx)}
    seen_lo = np.full(len(idx), np.inf)
    seen_hi = np.full(len(idx), -np.inf)

    def witness(sol: np.ndarray | None) -> None:
        if sol is not None:
            np.minimum(seen_lo, sol, out=seen_lo)
            np.maximum(seen_hi, sol, out=seen_hi)

    out = []
    for k in check:
        j = col[k]
        t = page.thr[k]
        cost = np.zeros(len(idx))
        cost[j] = -1.0
        if seen_hi[j] >= t - _TOL and seen_hi[j] - seen_lo[j] >= 1 - _TOL:
            continue
        hi_neg, sol = _solve_bound(system, cost, integer)
        witness(sol)
        hi = -hi_neg
        if not math.isfinite(hi):
            continue  # nothing bounds it above
        if seen_hi[j] - seen_lo[j] < 1 - _TOL:
            lo, sol = _solve_bound(system, -cost, integer)
            witness(sol)
        else:
            lo = float(seen_lo[j])
        why = _exposure(max(lo, 0.0), hi, int(t), integer)
        if why:
            out.append((k, why, max(lo, 0.0), hi))
    return out


def _identity_pairs(page: _Page) -> list[tuple[int, int]]:
    pairs = []
    for row, sense, rhs, _ in page.rows:
        if sense == "==" and rhs == 0 and len(row) == 2:
            (a, ca), (b, cb) = row.items()
            if abs(ca + cb) < 1e-12 and ca != 0:
                pairs.append((a, b))
    return pairs


def _protecting_cells(
    page: _Page,
    truth: np.ndarray,
    e: int,
    why: str,
    eligible: np.ndarray,
) -> list[int]:
    """Published cells to suppress so that cell ``e`` is protected.

    Solves for the cheapest *alternative page*: a table of counts ≥ 0 satisfying every
    total and relation, in which ``e`` reaches its threshold (or, when ``e`` was recovered
    exactly, differs from its value), and which keeps every published cell except the ones
    it moves. The cost of moving a published cell is its movement times a weight (totals
    cost ten times as much as other cells, and a cell's size adds a little, so small
    non-total cells are preferred). Suppressing the moved cells makes the alternative
    page consistent with what is published, so ``e`` is protected (in the linear
    relaxation; the caller re-audits in whole numbers).
    """
    n = len(page.cells)
    published = ~page.unknown
    big = float(np.nanmax(np.where(published, page.val, 0.0))) + 1.0
    # variables: v (n cells), p (n), m (n); v = x + p - m for published cells
    a_rows, a_sense, a_rhs = [], [], []
    for row, sense, rhs, _ in page.rows:
        a = np.zeros(3 * n)
        for k, coef in row.items():
            a[k] = coef
        a_rows.append(a)
        a_sense.append(sense)
        a_rhs.append(rhs)
    bounds: list[tuple[float, float | None]] = [(0.0, None)] * n
    for k in np.nonzero(published)[0]:
        a = np.zeros(3 * n)
        a[k] = 1.0
        a[n + k] = -1.0
        a[2 * n + k] = 1.0
        a_rows.append(a)
        a_sense.append("==")
        a_rhs.append(page.val[k])
    movable = published & eligible
    pm_bounds = [(0.0, None) if movable[k] else (0.0, 0.0) for k in range(n)]
    bounds = bounds + pm_bounds + pm_bounds
    weight = np.where(page.total, 10.0, 1.0) + np.where(published, page.val, 0.0) / big
    cost = np.concatenate([np.zeros(n), weight, weight])
    targets = []
    if why == "small" or truth[e] < page.thr[e]:
        targets.append((-1.0, -float(page.thr[e])))  # -v_e <= -t: e reaches its threshold
    else:  # a secondary cell recovered exactly: one more or one fewer
        targets += [(-1.0, -(truth[e] + 1.0)), (1.0, truth[e] - 1.0)]
    for sign, bound in targets:
        if sign > 0 and bound < 0:
            continue
        a = np.zeros(3 * n)
        a[e] = sign
        a_eq = [r for r, s in zip(a_rows, a_sense, strict=True) if s == "=="]
        b_eq = [b for b, s in zip(a_rhs, a_sense, strict=True) if s == "=="]
        a_ub = [r for r, s in zip(a_rows, a_sense, strict=True) if s == "<="] + [a]
        b_ub = [b for b, s in zip(a_rhs, a_sense, strict=True) if s == "<="] + [bound]
        res = linprog(
            cost,
            A_eq=np.array(a_eq) if a_eq else None,
            b_eq=np.array(b_eq) if b_eq else None,
            A_ub=np.array(a_ub),
            b_ub=np.array(b_ub),
            bounds=bounds,
            method="highs",
        )
        if res.status == 0:
            moved = res.x[n : 2 * n] + res.x[2 * n :]
            return [int(k) for k in np.nonzero(moved > 1e-7)[0] if published[k]]
    return []


def protect_page(
    tables: list[PageCounts],
    relations: list[Relation] = (),  # type: ignore[assignment]
    *,
    keep: list[Cell] = (),  # type: ignore[assignment]
    integer: bool = True,
    max_rounds: int | None = None,
) -> PageProtection:
    """Secondary suppression across the tables of a page, until the page audit passes.

    Each table arrives with its own suppression (from :func:`suppress_table` /
    :func:`suppress_series`); a cell protected within its table can still be recovered by
    combining tables (the same count published in another table, a town-centre count
    bounded by the district count). This step

    1. gives a quantity published twice (:meth:`Relation.same`) the stricter of its two
       thresholds and suppresses it in both places when it is suppressed in either (and
       suppresses, as primary, any published count now below its threshold);
    2. audits the page (:func:`page_feasible_intervals`' reader, over whole numbers when
       ``integer``) and, while a ``[c]`` cell is exposed, suppresses the published cells of
       the cheapest alternative page in which the cell reaches its threshold (see
       :func:`_protecting_cells`; totals last, smaller cells first) and audits again.

    Suppressing more never narrows what a reader can deduce about a cell already
    protected, so the loop only re-checks exposed and newly suppressed cells, and it ends:
    every round suppresses at least one more cell.

    Parameters
    ----------
    tables : list of PageCounts
        True counts (with totals) and the masks so far.
    relations : list of Relation
        Links between cells of different tables. Each must hold for the true counts.
    keep : list of Cell
        Cells that must stay published (a figure also quoted in the text); they are never
        chosen as secondary suppressions (a primary cell is suppressed all the same).
    integer : bool, default True
        Audit over whole numbers.
    max_rounds : int, optional
        Bound on the loop (default: the number of cells).

    Returns
    -------
    PageProtection

    Raises
    ------
    ValueError
        If a relation does not hold for the true counts.
    DisclosureError
        If the page cannot be made safe (a cell stays exposed even after its candidates
        are suppressed).
    """
    tables = list(tables)
    relations = list(relations)
    truth_map: dict[Cell, float] = {}
    for t in tables:
        for r in t.counts.index:
            for c in t.counts.columns:
                truth_map[(t.name, r, c)] = float(t.counts.loc[r, c])
    for rel in relations:
        missing = [c for c in rel.cells if c not in truth_map]
        if missing:
            raise ValueError(
                f"relation {rel.reason!r} names {missing[0]!r}, not a cell of the page"
            )
        if any(math.isnan(truth_map[c]) for c in rel.cells):
            continue  # a cell not available: nothing published to tie
        if not rel.holds(truth_map):
            raise ValueError(f"relation {rel.reason!r} does not hold for the counts: {rel.terms!r}")
    masks = {t.name: t.mask.to_numpy(bool).copy() for t in tables}
    thrs = {t.name: t.thresholds.to_numpy("int64").copy() for t in tables}
    where = {
        (t.name, r, c): (t.name, i, j)
        for t in tables
        for i, r in enumerate(t.counts.index)
        for j, c in enumerate(t.counts.columns)
    }

    def current() -> list[PageCounts]:
        return [
            PageCounts(
                t.name,
                t.counts,
                pd.DataFrame(masks[t.name], index=t.mask.index, columns=t.mask.columns),
                pd.DataFrame(thrs[t.name], index=t.counts.index, columns=t.counts.columns),
                t.total_row,
                t.total_column,
                t.suppress_zeros,
            )
            for t in tables
        ]

    def set_mask(cell: Cell) -> bool:
        name, i, j = where[cell]
        if masks[name][i, j]:
            return False
        masks[name][i, j] = True
        return True

    page0 = _Page([t.published() for t in current()], relations)
    cells = page0.cells
    truth = np.array([truth_map[c] for c in cells])
    # 1. one quantity, one threshold, one mask
    pairs = _identity_pairs(page0)
    changed = True
    while changed:
        changed = False
        for a, b in pairs:
            ta, tb = thrs[where[cells[a]][0]], thrs[where[cells[b]][0]]
            ia, ib = where[cells[a]][1:], where[cells[b]][1:]
            t = max(ta[ia], tb[ib])
            if ta[ia] != t or tb[ib] != t:
                ta[ia] = tb[ib] = t
                changed = True
    for t in tables:
        x = t.counts.to_numpy("float64")
        small = (x < thrs[t.name]) & ((x > 0) | t.suppress_zeros) & ~np.isnan(x)
        masks[t.name] |= small

    def unify() -> None:
        again = True
        while again:
            again = False
            for a, b in pairs:
                ma = masks[where[cells[a]][0]][where[cells[a]][1:]]
                mb = masks[where[cells[b]][0]][where[cells[b]][1:]]
                if ma != mb and not (np.isnan(truth[a]) or np.isnan(truth[b])):
                    set_mask(cells[a])
                    set_mask(cells[b])
                    again = True

    unify()
    keep_set = set(keep)
    kept = np.array([c not in keep_set and not np.isnan(truth[k]) for k, c in enumerate(cells)])
    # as within a table, a zero is hidden as a secondary cell only when zeros are small
    eligible = kept & ((truth > 0) | page0.zeros)
    # 2. audit and suppress
    exposed_before = tuple(cells[k] for k, *_ in _exposed_input(tables, relations, integer))
    page = _Page([t.published() for t in current()], relations)
    exposed = _exposed_cells(page, [int(k) for k in np.nonzero(page.kind == "c")[0]], integer)
    limit = len(cells) if max_rounds is None else max_rounds
    rounds = 0
    while exposed and rounds < limit:
        rounds += 1
        e, why, _, _ = exposed[0]
        before = page.kind == "c"
        picks = _protecting_cells(page, truth, e, why, eligible & ~page.unknown)
        if not picks:  # last resort: zeros may be hidden too
            picks = _protecting_cells(page, truth, e, why, kept & ~page.unknown)
        if not picks:
            break
        for k in picks:
            set_mask(cells[k])
        unify()
        page = _Page([t.published() for t in current()], relations)
        newly = np.nonzero((page.kind == "c") & ~before)[0]
        recheck = sorted({k for k, *_ in exposed} | {int(k) for k in newly})
        exposed = _exposed_cells(page, recheck, integer)
    if exposed:
        probs = [_problem_text(page, k, w, lo, hi) for k, w, lo, hi in exposed[:5]]
        raise DisclosureError(
            f"the page cannot be protected by suppression: {len(exposed)} cell(s) stay "
            "exposed: " + "; ".join(probs)
        )
    final = current()
    given = {t.name: t.mask.to_numpy(bool) for t in tables}
    added = tuple(
        c for c in cells if masks[where[c][0]][where[c][1:]] and not given[c[0]][where[c][1:]]
    )
    return PageProtection(tuple(final), tuple(added), exposed_before, rounds)


def _exposed_input(
    tables: list[PageCounts], relations: list[Relation], integer: bool
) -> list[tuple[int, str, float, float]]:
    """Exposed [c] cells of the page exactly as given (before page-level protection)."""
    page = _Page([t.published() for t in tables], relations)
    return _exposed_cells(page, [int(k) for k in np.nonzero(page.kind == "c")[0]], integer)
