"""Funnel plot: each area's rate against its population, with 95% and 99.8% limits.

:func:`funnel_chart` draws the areas as points (the focus area filled and labelled, the
others open), the group rate as a line and the limits of
:func:`smp_analysis.stats.funnel.funnel_limits` as dashed (95%) and dotted (99.8%) lines.
Colour carries nothing alone: the focus area is also filled, labelled and named in the alt
text, and the limit lines differ by line style and are labelled at their right end.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from ..style import CATEGORICAL, LINE_STYLES, REFERENCE, TEXT
from ._base import Chart, _check_text, _frame, _list, _num
from ._draw import _KNOCKOUT, _LIMIT_STYLE, _SMALL, _figure, _render, _style, _y_ticks

__all__ = ["funnel_chart"]

_LEVELS = (("95", "95% limits", _LIMIT_STYLE), ("99_8", "99.8% limits", LINE_STYLES[2]))


def funnel_chart(
    points: pd.DataFrame,
    limits: pd.DataFrame,
    *,
    focus: str,
    title: str,
    subtitle: str,
    area: str = "area",
    rate_label: str = "Crimes per 1,000 residents",
    alt: str | None = None,
) -> Chart:
    """Funnel plot of rates against population around the group rate.

    Parameters
    ----------
    points : pandas.DataFrame
        One row per area: ``area``, ``population``, ``rate``, ``group_rate`` and
        ``funnel`` (from :func:`smp_analysis.stats.funnel.funnel_table`).
    limits : pandas.DataFrame
        ``population``, ``lower_95``, ``upper_95``, ``lower_99_8``, ``upper_99_8``
        (from :func:`smp_analysis.stats.funnel.funnel_limits`).
    focus : str
        The partnership, drawn filled and labelled.
    title, subtitle : str
        Headline title and statistical subtitle.
    area : str
        Column naming the areas.
    rate_label : str
        Label of the rate axis.
    alt : str, optional
        Text alternative; composed from the data when omitted.

    Returns
    -------
    Chart
        ``data``: the points (area, population, rate, group rate, place on the funnel).

    Examples
    --------
    >>> from smp_analysis.stats.funnel import funnel_table
    >>> f = pd.DataFrame({"area": ["A", "B", "C"], "count": [80, 300, 1000],
    ...                   "population": [1_000, 10_000, 30_000]})
    >>> pts, lines = funnel_table(f)
    >>> c = funnel_chart(pts, lines, focus="A", title="A is high", subtitle="Crimes, 2024/25")
    >>> c.figure_svg.startswith("<?xml") and "A: 80.0 per 1,000" in c.alt
    True
    >>> "above the 99.8% limit" in c.alt
    True
    """
    _check_text(title, subtitle)
    pts = _frame(points, "points")
    need = [area, "population", "rate", "group_rate", "funnel"]
    missing = [c for c in need if c not in pts.columns]
    if missing:
        raise ValueError(f"points lacks column(s) {missing}")
    if focus not in set(pts[area]):
        raise ValueError(f"the focus area {focus!r} is not among the points")
    pts = pts[pts["rate"].notna() & pts["population"].notna()].reset_index(drop=True)
    group_rate = float(pts["group_rate"].iloc[0]) if len(pts) else float("nan")
    with _style(title):
        fig = _figure(4.4)
        ax = fig.add_subplot()
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        handles = []
        if len(limits):
            x = limits["population"].to_numpy(float)
            for key, label, style in _LEVELS:
                for side in ("lower", "upper"):
                    (line,) = ax.plot(
                        x,
                        limits[f"{side}_{key}"].to_numpy(float),
                        color=REFERENCE,
                        lw=1.1,
                        ls=style,
                        gid=f"{side}-{key}",
                    )
                handles.append((line, label))
            line = ax.axhline(group_rate, color=TEXT, lw=1.2, gid="group-rate")
            handles.insert(0, (line, f"Group rate {_num(group_rate, 1)}"))
        others = pts[pts[area] != focus]
        peers = ax.scatter(
            others["population"],
            others["rate"],
            s=36,
            facecolors="white",
            edgecolors=CATEGORICAL[1],
            linewidths=1.4,
            zorder=3,
            gid="peers",
        )
        me = pts[pts[area] == focus]
        mine = ax.scatter(
            me["population"], me["rate"], s=64, color=CATEGORICAL[0], zorder=4, gid="focus"
        )
        handles += [(mine, str(focus)), (peers, "Other areas")]
        for _, r in me.iterrows():
            ax.annotate(
                str(r[area]),
                xy=(r["population"], r["rate"]),
                xytext=(6, 6),
                textcoords="offset points",
                fontsize=_SMALL,
                color=TEXT,
                bbox=_KNOCKOUT,
                zorder=5,
            )
        values = np.r_[
            pts["rate"].to_numpy(float),
            limits[["lower_99_8", "upper_99_8"]].to_numpy(float).ravel() if len(limits) else [],
        ]
        finite = values[np.isfinite(values)]
        if len(finite):
            lo, hi = float(finite.min()), float(finite.max())
            pad = 0.08 * (hi - lo) if hi > lo else max(hi * 0.1, 0.5)
            ax.set_ylim(max(0.0, lo - pad), hi + pad)
        _y_ticks(ax, rate_label)
        ax.set_xlabel("Residents (log scale)")
        lo_x, hi_x = ax.get_xlim()
        ticks = [
            m * 10**e
            for e in range(int(np.floor(np.log10(lo_x))), int(np.ceil(np.log10(hi_x))) + 1)
            for m in (1, 2, 5)
            if lo_x <= m * 10**e <= hi_x
        ]
        ax.xaxis.set_major_locator(FixedLocator(ticks[:: max(1, len(ticks) // 5)]))
        ax.xaxis.set_minor_locator(NullLocator())
        fig.legend(
            handles=[h for h, _ in handles],
            labels=[t for _, t in handles],
            loc="outside lower left",
            ncols=2,
            fontsize=_SMALL,
        )
        svg = _render(fig)

    data = pts[[area, "population", "rate", "group_rate", "funnel"]].copy()
    if alt is None:
        me_row = pts[pts[area] == focus]
        where = str(me_row["funnel"].iloc[0]) if len(me_row) else "not assessed"
        place = {
            "high (outside 99.8%)": "above the 99.8% limit",
            "high (outside 95%)": "above the 95% limit",
            "low (outside 99.8%)": "below the 99.8% limit",
            "low (outside 95%)": "below the 95% limit",
            "within limits": "within the 95% limits",
        }.get(where, "not placed")
        outside = [str(a) for a, f in zip(pts[area], pts["funnel"], strict=True) if "outside" in f]
        rate_me = float(me_row["rate"].iloc[0]) if len(me_row) else float("nan")
        alt = (
            f"{title.rstrip('.')}. Funnel plot of {len(pts)} areas: rate against population "
            f"with 95% and 99.8% limits around the group rate of {_num(group_rate, 1)} per 1,000. "
            f"{focus}: {_num(rate_me, 1)} per 1,000, {place}. "
            + (
                f"Outside the 95% limits: {_list(outside, 6)}."
                if outside
                else "No area is outside the 95% limits."
            )
        )
    return Chart(svg, alt, title, subtitle, data)
