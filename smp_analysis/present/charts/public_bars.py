"""Public bar chart: labelled bars for the public version, suppressed values shown as ``[c]``.

:func:`public_bar_chart` never draws or writes a suppressed value as a number: it gets no
bar, the label "[c] hidden to protect confidentiality", and its number is removed from the
chart's data. Every suppressed value reads the same, whether it is small itself (primary
suppression) or hidden only so that a small one cannot be worked out (secondary): saying
which is which would tell a reader that a secondary value is at least the threshold and
that the others are below it, and would point at the cells to subtract.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.ticker import NullLocator

from ..style import CATEGORICAL, MUTED_TEXT, TEXT
from ._base import Chart, _check_text, _frame, _need, _num, _pick
from ._draw import _SMALL, _figure, _render, _row_axes, _row_label, _style

_SUPPRESSED = "[c]"
#: What every suppressed value reads, primary or secondary.
HIDDEN = "hidden to protect confidentiality"


def _from_suppressed(table: Any, column: str | None, include_total: bool) -> pd.DataFrame:
    """Rows of one column of a :class:`~smp_analysis.stats.disclosure.SuppressedTable`."""
    published = table.values
    if column is None:
        if published.shape[1] != 1:
            raise ValueError(
                f"the suppressed table has {published.shape[1]} columns; say which with column="
            )
        column = published.columns[0]
    if column not in published.columns:
        raise ValueError(f"column {column!r} is not in the suppressed table")
    out = pd.DataFrame(
        {
            "category": [str(i) for i in published.index],
            "value": published[column].tolist(),
            # whether a value is primary or secondary is not carried over: it must not
            # show (see the module notes)
            "suppressed": table.mask[column].to_numpy(bool),
        }
    )
    if not include_total and table.total_label is not None:
        out = out[out["category"] != str(table.total_label)]
    return out.reset_index(drop=True)


def public_bar_chart(
    values: pd.DataFrame | Any,
    *,
    title: str,
    subtitle: str,
    category: str | None = None,
    value: str | None = None,
    suppressed: str | None = None,
    threshold: int | None = None,
    reason: str | None = None,
    column: str | None = None,
    include_total: bool = False,
    decimals: int = 0,
    unit: str = "",
    alt: str | None = None,
) -> Chart:
    """A plain bar chart for the public version: labelled bars, suppressed values as ``[c]``.

    A suppressed value is never drawn or written as a number: it gets no bar and the label
    "[c] hidden to protect confidentiality", and its number is removed from ``data`` too.
    Every suppressed value gets the same words, whether it was suppressed because it is
    small (primary) or to protect another value (secondary), so neither the chart nor its
    alt text tells a reader which is which. There is no value axis: every bar carries its
    value.

    Parameters
    ----------
    values : pandas.DataFrame or SuppressedTable
        One row per bar: ``category`` (aliases ``group``, ``label``, ``name``) and ``value``
        (alias ``count``). A value is suppressed when it is the text ``"[c]"`` or when the
        boolean ``suppressed`` column is true. A
        :class:`~smp_analysis.stats.disclosure.SuppressedTable` (from ``suppress_series``
        or ``suppress_table``) is read directly: its mask says which values are hidden.
    title, subtitle : str
        Headline title and statistical subtitle.
    category, value, suppressed : str, optional
        Column names when they differ from the defaults.
    threshold : int, optional
        The disclosure threshold. Accepted for compatibility; it no longer changes the
        wording (the table's note states the thresholds).
    reason : str, optional
        Column saying why a value is suppressed (default column ``suppression`` or
        ``suppression_reason`` when present). Accepted for compatibility and checked, but
        it does not change the wording: primary and secondary values read the same.
    column : str, optional
        With a ``SuppressedTable`` of several columns, the column to draw.
    include_total : bool, default False
        With a ``SuppressedTable``, also draw its total row.
    decimals : int, default 0
        Decimals of the value labels.
    unit : str, optional
        Word after numbers in the alt text (e.g. "crimes").
    alt : str, optional
        Text alternative; composed from the data when omitted.

    Returns
    -------
    Chart
        ``data`` is the published table: ``category``, ``value`` (the text shown, e.g.
        ``"1,234"``, or ``"[c]"``) and ``note`` (``"hidden to protect confidentiality"``
        for every suppressed value). Suppressed numbers are not in it.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"category": ["Town centre", "North", "South"],
    ...                   "value": [1234, "[c]", 56]})
    >>> c = public_bar_chart(v, title="Most crime is in the town centre",
    ...                      subtitle="Crimes, Sampleton, 2024/25", threshold=5)
    >>> c.data["value"].tolist(), c.data["note"].tolist()
    (['1,234', '[c]', '56'], ['', 'hidden to protect confidentiality', ''])
    >>> "North: [c] hidden to protect confidentiality (not shown)" in c.alt
    True
    """
    _check_text(title, subtitle)
    if all(hasattr(values, a) for a in ("mask", "primary", "secondary", "thresholds")):
        values = _from_suppressed(values, column, include_total)
    values = _frame(values, "values")
    cat = _need(values, category, ("category", "group", "label", "name"), "category")
    val = _need(values, value, ("value", "count"), "value")
    flag = _pick(values, suppressed, ("suppressed",), "suppression flag")
    why = _pick(values, reason, ("suppression", "suppression_reason"), "suppression reason")
    raw = values[val].tolist()
    is_c = np.array([isinstance(v, str) and v.strip() == _SUPPRESSED for v in raw])
    if flag is not None:
        is_c |= values[flag].astype("boolean").fillna(False).to_numpy(bool)
    nums = pd.to_numeric(
        pd.Series([None if c else v for v, c in zip(raw, is_c, strict=True)], dtype=object),
        errors="coerce",
    ).astype(float)
    bad = [
        v
        for v, c, x in zip(raw, is_c, nums, strict=True)
        if not c and np.isnan(x) and isinstance(v, str) and v.strip()
    ]
    if bad:
        raise ValueError(f"values must be numbers or '[c]'; got {bad[:3]}")
    nums[is_c] = np.nan
    if bool((nums < 0).any()):
        raise ValueError("bar values cannot be negative")
    # why a value is suppressed (primary or secondary) is deliberately not shown
    del why, threshold
    labels = []
    for x, c in zip(nums, is_c, strict=True):
        if c:
            labels.append(f"{_SUPPRESSED} {HIDDEN}")
        elif np.isnan(x):
            labels.append("no data")
        else:
            labels.append(_num(x, decimals))
    data = pd.DataFrame(
        {
            "category": values[cat].astype(str).to_numpy(),
            "value": nums.to_numpy(),
            "label": labels,
            "suppressed": is_c,
        }
    )
    n = len(data)
    top = float(np.nanmax(nums)) if np.isfinite(nums).any() else 1.0

    with _style(title):
        fig = _figure(0.55 * n + 0.5)
        ax = fig.add_subplot()
        _row_axes(ax, n)
        ax.set_xlim(0, top * 1.18 if top > 0 else 1.0)
        ax.xaxis.set_major_locator(NullLocator())
        ax.spines["bottom"].set_visible(False)
        for i, row in data.iterrows():
            _row_label(ax, i, str(row["category"]))
            if np.isfinite(row["value"]) and not row["suppressed"]:
                ax.barh(
                    i, row["value"], height=0.42, color=CATEGORICAL[0], zorder=2, gid=f"bar-{i}"
                )
                ax.text(
                    row["value"] + top * 0.015,
                    i,
                    row["label"],
                    va="center",
                    ha="left",
                    fontsize=_SMALL,
                    color=TEXT,
                    clip_on=False,
                )
            else:
                ax.text(
                    0,
                    i,
                    row["label"],
                    va="center",
                    ha="left",
                    fontsize=_SMALL,
                    color=MUTED_TEXT,
                    fontstyle="italic",
                    clip_on=False,
                    gid=f"suppressed-{i}",
                )
        svg = _render(fig)

    if alt is None:
        unit_s = f" {unit}" if unit else ""
        items = [
            f"{r['category']}: {r['label']}" + (" (not shown)" if r["suppressed"] else unit_s)
            for _, r in data.iterrows()
        ]
        if n > 8:
            shown = data[~data["suppressed"] & data["value"].notna()]
            top3 = shown.nlargest(3, "value")
            items = [f"{r['category']}: {r['label']}{unit_s}" for _, r in top3.iterrows()]
            k = int(data["suppressed"].sum())
            tail = f"; {k} value{'s' if k != 1 else ''} suppressed ([c])" if k else ""
            alt = (
                f"{title.rstrip('.')}. Bar chart of {n} values; largest: {'; '.join(items)}{tail}."
            )
        else:
            alt = f"{title.rstrip('.')}. Bar chart: {'; '.join(items)}."
    # the published table: the text shown, "[c]" where suppressed, why in a note
    published = pd.DataFrame(
        {
            "category": data["category"],
            "value": np.where(data["suppressed"], _SUPPRESSED, data["label"]),
            "note": [
                lab.removeprefix(_SUPPRESSED).strip() if c else ""
                for lab, c in zip(data["label"], data["suppressed"], strict=True)
            ],
        }
    )
    return Chart(svg, alt, title, subtitle, published, downloadable=False)
