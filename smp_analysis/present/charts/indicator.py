"""Indicator chart: a health indicator over time for the area against comparators.

:func:`indicator_chart` draws the area in focus as dots with 95% intervals and up to three
comparator areas (e.g. county, England) as dashed or dotted lines, Fingertips style.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..style import CATEGORICAL, LINE_STYLES
from ._base import (
    _HI,
    _LO,
    MAX_SERIES,
    Chart,
    _check_text,
    _frame,
    _frame_intervals,
    _interval_text,
    _list,
    _need,
    _num,
    _pick,
)
from ._draw import _STEPS, _end_labels, _figure, _render, _style


def indicator_chart(
    table: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    period: str | None = None,
    area: str | None = None,
    estimate: str | None = None,
    ci_low: str | None = None,
    ci_high: str | None = None,
    focus: str | None = None,
    value_label: str = "Value",
    decimals: int = 1,
    zero: bool = True,
    alt: str | None = None,
) -> Chart:
    """A health indicator over time for the area against comparators (Fingertips style).

    Parameters
    ----------
    table : pandas.DataFrame
        Tidy rows ``period × area``: ``period`` (alias ``time_period``, ``Time period``),
        ``area`` (alias ``area_name``, ``Area Name``), ``estimate`` (alias ``value``,
        ``Value``) and optionally ``ci_low``/``ci_high`` (aliases ``Lower CI 95.0 limit``,
        ``Upper CI 95.0 limit``). Periods are ordered by ``period_sortable`` (or ``Time
        period Sortable``) when present, else by first appearance.
    title, subtitle : str
        Headline title and statistical subtitle.
    period, area, estimate, ci_low, ci_high : str, optional
        Column names when they differ from the defaults.
    focus : str, optional
        The area in focus (default: the first area in the table): drawn as dots with 95%
        intervals; comparators (at most 3, e.g. county, England) as dashed/dotted lines.
    value_label : str, default "Value"
        Axis label (e.g. "Per 100,000 (age-standardised)").
    decimals : int, default 1
        Decimals in labels.
    zero : bool, default True
        Start the axis at zero.
    alt : str, optional
        Text alternative; composed from the data when omitted.

    Returns
    -------
    Chart

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({
    ...     "period": ["2019 - 21"] * 2 + ["2020 - 22"] * 2,
    ...     "area": ["Sampleton", "England"] * 2,
    ...     "value": [40.0, 45.0, 52.0, 44.0],
    ...     "ci_low": [35.0, 44.8, 47.0, 43.8], "ci_high": [45.5, 45.2, 57.3, 44.2]})
    >>> c = indicator_chart(t, title="Admissions for violence rose above England",
    ...                     subtitle="Hospital admissions for violence per 100,000")
    >>> "Sampleton 52.0 in 2020 - 22 (95% CI 47.0 to 57.3)" in c.alt
    True
    >>> "higher than England (44.0)" in c.alt
    True
    """
    _check_text(title, subtitle)
    table = _frame(table, "table")
    per = _need(table, period, ("period", "time_period", "Time period"), "period")
    ar = _need(table, area, ("area", "area_name", "Area Name"), "area")
    est = _need(table, estimate, ("estimate", "value", "Value", "rate"), "value")
    lo = _pick(table, ci_low, (*_LO, "Lower CI 95.0 limit"), "lower interval")
    hi = _pick(table, ci_high, (*_HI, "Upper CI 95.0 limit"), "upper interval")
    t = table.copy()
    for c in (est, lo, hi):
        if c is not None:
            t[c] = t[c].astype(float)
    _frame_intervals(t, est, lo, hi)
    t[per] = t[per].astype(str)
    t[ar] = t[ar].astype(str)
    sortable = _pick(t, None, ("period_sortable", "Time period Sortable"), "period order")
    if sortable is not None:
        periods = list(dict.fromkeys(t.sort_values(sortable, kind="stable")[per]))
    else:
        periods = list(dict.fromkeys(t[per]))
    areas = list(dict.fromkeys(t[ar]))
    focus = areas[0] if focus is None else focus
    if focus not in areas:
        raise ValueError(f"focus area {focus!r} is not in the table: {areas}")
    others = [a for a in areas if a != focus]
    if len(others) > MAX_SERIES - 1:
        raise ValueError(f"at most {MAX_SERIES - 1} comparator areas on one chart")
    if t.duplicated([per, ar]).any():
        raise ValueError("the table has more than one row for a period and area")
    pos = np.arange(len(periods), dtype=float)

    def values(name: str, col: str) -> np.ndarray:
        d = t[t[ar] == name].set_index(per)[col]
        return d.reindex(periods).to_numpy(float)

    def fmt(v: float) -> str:
        return _num(v, decimals)

    with _style(title):
        fig = _figure(3.9)
        ax = fig.add_subplot()
        cols = [c for c in (est, lo, hi) if c is not None]
        top = float(np.nanmax(t[cols].to_numpy()))
        bottom = 0.0 if zero else float(np.nanmin(t[cols].to_numpy())) * 0.9
        ax.set_ylim(bottom, top * 1.1)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=_STEPS, min_n_ticks=3))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,g}"))
        ax.grid(axis="y")
        ax.set_axisbelow(True)
        ax.set_ylabel(value_label)
        # at most three period labels (first, middle, last) so they fit a phone's width
        last_p = len(periods) - 1
        shown = sorted({0, last_p // 2, last_p}) if last_p >= 4 else list(range(last_p + 1))
        ax.set_xticks(shown, [periods[i] for i in shown])
        ax.set_xlim(-0.5, len(periods) - 0.5)
        end: list[tuple[float, str, str]] = []
        y = values(focus, est)
        if lo and hi:
            ax.vlines(
                pos, values(focus, lo), values(focus, hi), color=CATEGORICAL[0], lw=1.6, zorder=4
            )
        ax.plot(
            pos, y, color=CATEGORICAL[0], lw=1.4, marker="o", markersize=7, zorder=5, gid="focus"
        )
        styles = [
            (CATEGORICAL[1], LINE_STYLES[1], "s"),
            (CATEGORICAL[4], LINE_STYLES[2], "^"),
            (CATEGORICAL[2], LINE_STYLES[3], "D"),
        ]
        if np.isfinite(y).any():
            end.append((float(y[np.flatnonzero(np.isfinite(y))[-1]]), focus, CATEGORICAL[0]))
        for name, (colour, ls, marker) in zip(others, styles, strict=False):
            v = values(name, est)
            ax.plot(
                pos,
                v,
                color=colour,
                ls=ls,
                lw=1.8,
                marker=marker,
                markersize=5,
                zorder=3,
                gid=f"comparator-{others.index(name)}",
            )
            if np.isfinite(v).any():
                end.append((float(v[np.flatnonzero(np.isfinite(v))[-1]]), name, colour))
        _end_labels(ax, fig, end)
        svg = _render(fig)

    keep = [c for c in (per, ar, est, lo, hi, sortable) if c is not None]
    order = {p: i for i, p in enumerate(periods)}
    data = (
        t[keep]
        .sort_values(
            [per, ar],
            key=lambda s: (
                s.map(order) if s.name == per else s.map({a: i for i, a in enumerate(areas)})
            ),
        )
        .reset_index(drop=True)
    )
    if alt is None:
        fin = np.flatnonzero(np.isfinite(y))
        parts = [
            f"{title.rstrip('.')}.",
            f"{value_label} for {focus}"
            + (f" compared with {_list(others)}" if others else "")
            + f", {periods[0]} to {periods[-1]}.",
        ]
        if fin.size:
            last, first = fin[-1], fin[0]
            ci = (
                _interval_text(values(focus, lo)[last], values(focus, hi)[last], fmt)
                if lo and hi
                else ""
            )
            parts.append(
                f"{focus} {fmt(y[last])} in {periods[last]}{ci}"
                + (f", against {fmt(y[first])} in {periods[first]}" if first != last else "")
                + "."
            )
            for name in others:
                v = values(name, est)[last]
                if not np.isfinite(v):
                    continue
                if lo and hi:
                    a, b = values(focus, lo)[last], values(focus, hi)[last]
                    word = "higher than" if a > v else "lower than" if b < v else "similar to"
                    parts.append(f"In {periods[last]} {focus} was {word} {name} ({fmt(v)}).")
                else:
                    parts.append(f"{name} {fmt(v)} in {periods[last]}.")
        missing = [periods[i] for i in np.flatnonzero(~np.isfinite(y))]
        if missing:
            parts.append(f"No value for {focus} in {_list(missing)}.")
        alt = " ".join(parts)
    return Chart(svg, alt, title, subtitle, data)
