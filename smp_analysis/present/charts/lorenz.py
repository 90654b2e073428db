"""Lorenz chart: how concentrated crime is in a few places, with the Gini coefficient.

:func:`lorenz_chart` draws the curve (most-crime-first), the line of equality and, for
sparse counts, the most even spread possible.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, FuncFormatter

from ..style import BASE_FONT_SIZE, CATEGORICAL, LINE_STYLES, REFERENCE, TEXT, text_colour
from ._base import Chart, _check_text, _frame, _pct, _pick
from ._draw import _KNOCKOUT, _LIMIT_STYLE, _SMALL, _figure, _render, _style


def lorenz_chart(
    curve: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    gini: float | None = None,
    x: str | None = None,
    y: str | None = None,
    places: str = "places",
    what: str = "crime",
    alt: str | None = None,
) -> Chart:
    """Lorenz curve of concentration with the line of equality and the Gini in the label.

    Parameters
    ----------
    curve : pandas.DataFrame
        Cumulative shares (0–1): ``x`` the share of places, ``y`` the share of crime, with
        places ordered either most-crime-first (curve above the diagonal) or
        least-crime-first (below). Defaults fit :func:`smp_analysis.stats.concentration.\
lorenz_curve` (``place_share``, ``crime_share``; its ``max_equality_share`` is drawn as
        "Most even possible" when there are fewer crimes than places), then
        ``share_of_places``/``share_of_crime``, else the only two numeric columns.
        Curves with more than 400 points are interpolated onto 201 points for drawing.
    title, subtitle : str
        Headline title and statistical subtitle.
    gini : float, optional
        Gini coefficient to print (e.g. the generalised Gini for sparse counts); computed
        from the curve (trapezoid rule, the classic Gini) when omitted.
    x, y : str, optional
        Column names of the shares.
    places, what : str
        Words for the units and the thing counted, used in labels and alt text.
    alt : str, optional
        Text alternative; composed from the data when omitted.

    Returns
    -------
    Chart
        ``data`` columns ``share_of_places``, ``share_of_crime`` (most-first order).

    Examples
    --------
    >>> import pandas as pd
    >>> curve = pd.DataFrame({"share_of_places": [0, 0.1, 0.5, 1.0],
    ...                       "share_of_crime": [0, 0.5, 0.9, 1.0]})
    >>> c = lorenz_chart(curve, title="Half of crime is in a tenth of places",
    ...                  subtitle="Crimes by LSOA, Sampleton, 2024/25")
    >>> "10% of places with the most crime had 50% of it" in c.alt and "Gini 0.56" in c.alt
    True
    """
    _check_text(title, subtitle)
    curve = _frame(curve, "curve")
    numeric = [c for c in curve.columns if pd.api.types.is_numeric_dtype(curve[c])]
    xc = _pick(
        curve, x, ("place_share", "cum_share_places", "share_of_places", "share_places"), "x"
    )
    yc = _pick(curve, y, ("crime_share", "cum_share_crime", "share_of_crime", "share_crime"), "y")
    if xc is None or yc is None:
        if len(numeric) != 2:
            raise ValueError(
                "curve needs the cumulative share of places and of crime (two columns)"
            )
        xc, yc = numeric
    px = curve[xc].astype(float).to_numpy()
    py = curve[yc].astype(float).to_numpy()
    pm = curve["max_equality_share"].astype(float).to_numpy() if xc == "place_share" and (
        "max_equality_share" in curve.columns
    ) else None  # fmt: skip
    if not (np.isfinite(px).all() and np.isfinite(py).all()):
        raise ValueError("the Lorenz curve has missing values")
    if px.min() < 0 or px.max() > 1 or py.min() < 0 or py.max() > 1.0 + 1e-9:
        raise ValueError("Lorenz shares must be between 0 and 1")
    order = np.argsort(px, kind="stable")
    px, py = px[order], py[order]
    if pm is not None:
        pm = pm[order]
    if np.any(np.diff(py) < -1e-12):
        raise ValueError("cumulative shares must not decrease")
    if px[0] > 0 or py[0] > 0:
        px, py = np.r_[0.0, px], np.r_[0.0, py]
    if px[-1] < 1 or py[-1] < 1:
        px, py = np.r_[px, 1.0], np.r_[py, 1.0]
    area = float(np.sum(np.diff(px) * (py[1:] + py[:-1]) / 2))
    most_first = area >= 0.5
    if not most_first:  # express as most-crime-first for the reader
        px, py = (1 - px)[::-1], (1 - py)[::-1]
        pm = None
    # the line of maximal attainable equality (fewer crimes than places), if it differs
    if pm is not None and (len(pm) != len(px) or np.allclose(pm, px)):
        pm = None
    g = abs(2 * area - 1) if gini is None else float(gini)
    if not 0 <= g <= 1:
        raise ValueError("the Gini coefficient is between 0 and 1")
    if len(px) > 400:
        grid = np.linspace(0, 1, 201)
        if pm is not None:
            pm = np.interp(grid, px, pm)
        px, py = grid, np.interp(grid, px, py)
    top10 = float(np.interp(0.1, px, py))
    k = int(np.argmax(py >= 0.5))  # first point reaching half; the segment before rises
    half_at = float(px[k]) if k == 0 else float(
        px[k - 1] + (0.5 - py[k - 1]) / (py[k] - py[k - 1]) * (px[k] - px[k - 1])
    )  # fmt: skip

    with _style(title):
        fig = _figure(4.6, width=4.6)
        ax = fig.add_subplot()
        ax.set_aspect("equal")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.02)
        pct = FuncFormatter(lambda v, _p: f"{v * 100:.0f}%")
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(FixedLocator([0, 0.25, 0.5, 0.75, 1.0]))
            axis.set_major_formatter(pct)
        ax.grid(True)
        ax.set_axisbelow(True)
        ax.plot([0, 1], [0, 1], color=REFERENCE, lw=1.2, ls=_LIMIT_STYLE, gid="equality")
        if pm is not None:
            ax.plot(px, pm, color=REFERENCE, lw=1.2, ls=LINE_STYLES[2], gid="max-equality")
            j = int(np.argmax(pm >= 0.999))
            ax.text(px[j] + 0.02, 0.97, "Most even possible", fontsize=_SMALL, color=REFERENCE,
                    ha="left", va="top", bbox=_KNOCKOUT)  # fmt: skip
        ax.text(
            0.78,
            0.80,
            "Equal spread",
            rotation=45,
            rotation_mode="anchor",
            transform=ax.transData,
            fontsize=_SMALL,
            color=REFERENCE,
            ha="center",
            va="bottom",
        )
        ax.plot(px, py, color=CATEGORICAL[0], lw=2.4, gid="lorenz")
        ax.plot([0.1], [top10], marker="o", markersize=7, color=CATEGORICAL[0], gid="top-tenth")
        ax.annotate(
            f"Top 10% of {places}:\n{_pct(top10, 0)} of {what}",
            xy=(0.1, top10),
            xytext=(0.5, 0.06),
            fontsize=_SMALL,
            color=TEXT,
            arrowprops={"arrowstyle": "-", "color": REFERENCE, "lw": 0.8, "shrinkB": 4},
            bbox=_KNOCKOUT,
        )
        ax.text(
            0.5,
            0.3,
            f"Gini {g:.2f}",
            fontsize=BASE_FONT_SIZE,
            color=text_colour(CATEGORICAL[0]),
            fontweight="bold",
        )
        ax.set_xlabel(f"Share of {places} (most {what} first)")
        ax.set_ylabel(f"Share of {what}")
        svg = _render(fig)

    data = pd.DataFrame({"share_of_places": px, "share_of_crime": py})
    if alt is None:
        alt = (
            f"{title.rstrip('.')}. Lorenz curve: the 10% of {places} with the most {what} had "
            f"{_pct(top10, 0)} of it, and half of all {what} was in {_pct(half_at, 0)} of {places}. "
            f"Gini {g:.2f} (0 = spread evenly, 1 = all in one place)."
        )
    return Chart(svg, alt, title, subtitle, data)
