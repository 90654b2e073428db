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


def public_year_chart(
    table: Any,
    *,
    columns: list[str],
    title: str,
    subtitle: str,
    include_total: bool = False,
    unit: str = "",
    alt: str | None = None,
) -> Chart:
    """This year against last year for the public version: a pair of labelled bars per row.

    Each row of the :class:`~smp_analysis.stats.disclosure.SuppressedTable` gets one bar
    per year in ``columns`` (earlier year first, a lighter colour), each labelled with its
    year on the left and its value at its end, so colour is never the only cue. A
    suppressed value gets no bar and reads "[c] hidden to protect confidentiality", as in
    :func:`public_bar_chart`; its number is not in the chart's data. Bars share one scale
    and start at the same place, so their lengths compare.

    Parameters
    ----------
    table : SuppressedTable
        From :func:`~smp_analysis.stats.disclosure.suppress_table` (or the public page).
    columns : list of str
        The years to draw, earlier first (one or two; a year not in the table is left out).
    title, subtitle : str
        Headline title and statistical subtitle.
    include_total : bool, default False
        Also draw the table's total row.
    unit : str, optional
        Word after numbers in the alt text (e.g. "crimes").
    alt : str, optional
        Text alternative; composed from the data when omitted.

    Returns
    -------
    Chart
        ``data``: ``category``, ``year``, ``value`` (the text shown, or ``"[c]"``) and
        ``note`` — one row per bar. Suppressed numbers are not in it.

    Examples
    --------
    >>> import pandas as pd
    >>> from smp_analysis.stats.disclosure import suppress_table
    >>> t = suppress_table(pd.DataFrame({"2023/24": [120, 3, 40], "2024/25": [100, 30, 2]},
    ...                                 index=["Theft", "Robbery", "Drugs"]), 5)
    >>> c = public_year_chart(t, columns=["2023/24", "2024/25"], title="Theft fell",
    ...                       subtitle="Crimes, Sampleton")
    >>> c.data[c.data["category"] == "Theft"]["value"].tolist()
    ['120', '100']
    >>> sorted(set(c.data.loc[c.data["value"] == "[c]", "note"]))
    ['hidden to protect confidentiality']
    >>> "Theft: 2023/24 120, 2024/25 100" in c.alt
    True
    """
    _check_text(title, subtitle)
    years = [c for c in columns if c in table.values.columns]
    if not years:
        raise ValueError(f"none of the columns {columns} is in the suppressed table")
    frames = {y: _from_suppressed(table, y, include_total) for y in years}
    cats = frames[years[0]]["category"].tolist()
    rows = []
    for y in years:
        f = frames[y]
        for cat, v, s in zip(f["category"], f["value"], f["suppressed"], strict=True):
            x = np.nan if s else pd.to_numeric(pd.Series([v]), errors="coerce").iloc[0]
            rows.append(
                {
                    "category": cat,
                    "year": y,
                    "value": float(x),
                    "suppressed": bool(s or v == _SUPPRESSED),
                }
            )
    data = pd.DataFrame(rows)
    if bool((data["value"] < 0).any()):
        raise ValueError("bar values cannot be negative")
    data["label"] = [
        f"{_SUPPRESSED} {HIDDEN}" if s else ("no data" if np.isnan(x) else _num(x, 0))
        for x, s in zip(data["value"], data["suppressed"], strict=True)
    ]
    n, k = len(cats), len(years)
    top = float(np.nanmax(data["value"])) if np.isfinite(data["value"]).any() else 1.0
    top = top if top > 0 else 1.0
    start = top * 0.24  # room on the left for the year labels
    colours = [CATEGORICAL[1], CATEGORICAL[0]][-k:]  # the reporting year darkest
    height = 0.22
    offsets = [0.0] if k == 1 else [-0.06, 0.19]

    with _style(title):
        fig = _figure((0.5 + 0.3 * k) * n + 0.5)
        ax = fig.add_subplot()
        _row_axes(ax, n)
        ax.set_ylim(n - 0.45 + (0.15 if k > 1 else 0), -0.95)
        ax.set_xlim(0, start + top * 1.2)
        ax.xaxis.set_major_locator(NullLocator())
        ax.spines["bottom"].set_visible(False)
        for i, cat in enumerate(cats):
            _row_label(ax, i, str(cat))
            for j, y in enumerate(years):
                r = data[(data["category"] == cat) & (data["year"] == y)].iloc[0]
                yy = i + offsets[j]
                if k > 1:
                    ax.text(0, yy, y, va="center", ha="left", fontsize=_SMALL, color=MUTED_TEXT)
                x0 = start if k > 1 else 0.0
                if np.isfinite(r["value"]) and not r["suppressed"]:
                    ax.barh(
                        yy,
                        r["value"],
                        left=x0,
                        height=height if k > 1 else 0.42,
                        color=colours[j],
                        zorder=2,
                        gid=f"bar-{i}-{j}",
                    )
                    ax.text(
                        x0 + r["value"] + top * 0.015,
                        yy,
                        r["label"],
                        va="center",
                        ha="left",
                        fontsize=_SMALL,
                        color=TEXT,
                        clip_on=False,
                    )
                else:
                    ax.text(
                        x0,
                        yy,
                        r["label"],
                        va="center",
                        ha="left",
                        fontsize=_SMALL,
                        color=MUTED_TEXT,
                        fontstyle="italic",
                        clip_on=False,
                        gid=f"suppressed-{i}-{j}",
                    )
        svg = _render(fig)

    if alt is None:
        unit_s = f" {unit}" if unit else ""

        def row_text(cat: str) -> str:
            parts = []
            for y in years:
                r = data[(data["category"] == cat) & (data["year"] == y)].iloc[0]
                parts.append(f"{y} " + ("[c] (not shown)" if r["suppressed"] else r["label"]))
            return f"{cat}: {', '.join(parts)}{unit_s}"

        what = f"Bar chart comparing {' with '.join(years)}" if k > 1 else "Bar chart"
        if n > 8:
            last = data[(data["year"] == years[-1]) & ~data["suppressed"]].dropna(subset=["value"])
            top3 = last.nlargest(3, "value")["category"].tolist()
            hidden = int(data["suppressed"].sum())
            tail = (
                f"; {hidden} value{'s' if hidden != 1 else ''} suppressed ([c])" if hidden else ""
            )
            alt = (
                f"{title.rstrip('.')}. {what}, {n} rows; largest: "
                f"{'; '.join(row_text(c) for c in top3)}{tail}."
            )
        else:
            alt = f"{title.rstrip('.')}. {what}: {'; '.join(row_text(c) for c in cats)}."
    published = pd.DataFrame(
        {
            "category": data["category"],
            "year": data["year"],
            "value": np.where(data["suppressed"], _SUPPRESSED, data["label"]),
            "note": np.where(data["suppressed"], HIDDEN, ""),
        }
    )
    return Chart(svg, alt, title, subtitle, published, downloadable=False)
