"""Share chart: proportions by period with 95% intervals, labelled as percentages.

:func:`share_chart` draws one series, or up to four groups with their own markers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..style import CATEGORICAL, LINE_STYLES, MARKERS, TEXT
from ._base import (
    _HI,
    _LO,
    MAX_SERIES,
    Chart,
    _check_text,
    _frame,
    _frame_intervals,
    _interval_text,
    _need,
    _pct,
    _pick,
    _present,
)
from ._draw import _SMALL, _STEPS, _end_labels, _figure, _render, _style


def share_chart(
    table: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    period: str | None = None,
    estimate: str | None = None,
    ci_low: str | None = None,
    ci_high: str | None = None,
    group: str | None = None,
    y_label: str = "Share",
    alt: str | None = None,
) -> Chart:
    """Shares (proportions 0–1) by period with 95% intervals, labelled as percentages.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per period (× group): ``period`` (alias ``year``, ``financial_year``), the
        proportion ``estimate`` (alias ``share``, ``proportion``) and ``ci_low``/``ci_high``.
        Periods are drawn in the order they first appear.
    title, subtitle : str
        Headline title and statistical subtitle.
    period, estimate, ci_low, ci_high : str, optional
        Column names when they differ from the defaults.
    group : str, optional
        Column splitting the shares into up to 4 series (e.g. area), each with its own
        marker and a direct label.
    y_label : str, default "Share"
        Axis label.
    alt : str, optional
        Text alternative; composed from the data when omitted.

    Returns
    -------
    Chart

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"year": ["2022/23", "2023/24", "2024/25"],
    ...                   "share": [0.301, 0.318, 0.352], "ci_low": [0.28, 0.297, 0.33],
    ...                   "ci_high": [0.323, 0.34, 0.375]})
    >>> c = share_chart(t, title="A growing share of violence is domestic abuse",
    ...                 subtitle="DA-flagged share of violence, Sampleton")
    >>> "2024/25 35.2% (95% CI 33.0% to 37.5%)" in c.alt
    True
    """
    _check_text(title, subtitle)
    table = _frame(table, "table")
    per = _need(table, period, ("period", "year", "financial_year"), "period")
    est = _need(table, estimate, ("estimate", "share", "proportion"), "share")
    lo = _pick(table, ci_low, _LO, "lower interval")
    hi = _pick(table, ci_high, _HI, "upper interval")
    grp = _pick(table, group, (), "group")
    t = table.copy()
    cols = [c for c in (est, lo, hi) if c is not None]
    for c in cols:
        t[c] = t[c].astype(float)
    if bool(((t[cols] < 0) | (t[cols] > 1)).any().any()):
        raise ValueError("shares and their intervals must be proportions between 0 and 1")
    _frame_intervals(t, est, lo, hi)
    periods = list(dict.fromkeys(t[per].astype(str)))
    groups = list(dict.fromkeys(t[grp].astype(str))) if grp else [""]
    if len(groups) > MAX_SERIES:
        raise ValueError(f"at most {MAX_SERIES} groups on one share chart")
    pos = {p: i for i, p in enumerate(periods)}
    width = 0.5 / max(len(groups), 1)

    with _style(title):
        fig = _figure(3.6)
        ax = fig.add_subplot()
        top = float(np.nanmax(t[hi] if hi else t[est]))
        ax.set_ylim(0, min(1.0, top * 1.25 + 0.03))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=_STEPS, min_n_ticks=3))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v * 100:.0f}%"))
        ax.grid(axis="y")
        ax.set_axisbelow(True)
        ax.set_ylabel(y_label)
        ax.set_xticks(range(len(periods)), periods)
        ax.set_xlim(-0.6, len(periods) - 0.4)
        end = []
        for g, name in enumerate(groups):
            d = t if not grp else t[t[grp].astype(str) == name]
            x = np.array([pos[p] for p in d[per].astype(str)], dtype=float)
            x += (g - (len(groups) - 1) / 2) * width
            y = d[est].to_numpy(float)
            colour = CATEGORICAL[g]
            if lo and hi:
                ax.vlines(x, d[lo], d[hi], color=colour, lw=1.6, zorder=2)
            ax.plot(
                x,
                y,
                color=colour,
                linestyle=LINE_STYLES[g],
                lw=1.0,
                marker=MARKERS[g],
                markersize=7,
                zorder=3,
                gid=f"share-{g}",
            )
            if len(groups) == 1:
                tops = d[hi].to_numpy(float) if hi else y
                for xi, yi, ti in zip(x, y, tops, strict=True):
                    if np.isfinite(yi):
                        ax.text(
                            xi,
                            (ti if np.isfinite(ti) else yi),
                            _pct(yi),
                            ha="center",
                            va="bottom",
                            fontsize=_SMALL,
                            color=TEXT,
                        )
            elif np.isfinite(y).any():
                end.append((float(y[np.flatnonzero(np.isfinite(y))[-1]]), name, colour))
        _end_labels(ax, fig, end)
        svg = _render(fig)

    if alt is None:
        parts = [f"{title.rstrip('.')}.", f"{y_label} by period with 95% intervals."]
        for name in groups:
            d = t if not grp else t[t[grp].astype(str) == name]
            items = [
                f"{p} {_pct(v)}" + (_interval_text(a, b, _pct) if lo and hi else "")
                for p, v, a, b in zip(
                    d[per].astype(str),
                    d[est],
                    d[lo] if lo else d[est],
                    d[hi] if hi else d[est],
                    strict=True,
                )
            ]
            parts.append((f"{name}: " if name else "") + "; ".join(items) + ".")
        alt = " ".join(parts)
    data = t[_present(t, grp, per, est, lo, hi)].reset_index(drop=True)
    return Chart(svg, alt, title, subtitle, data)
