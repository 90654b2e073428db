"""Drawing shared by the chart builders: the figure, the house style, SVG and common axes.

Figures are plain :class:`matplotlib.figure.Figure` objects on an Agg canvas (no pyplot),
drawn inside :func:`_style` (the house style, a reproducible SVG id salt, and user text
drawn literally: a ``$`` is a dollar sign, never mathtext) and rendered to SVG text by
:func:`_render`. The axis helpers lay out month axes, count axes, "no data" bands, labelled
rows and direct labels at the end of lines.

Examples
--------
>>> with _style("Example"):
...     fig = _figure(2.0)
...     ax = fig.add_subplot()
...     _ = ax.text(0.5, 0.5, "Cost $5 to $10")
...     svg = _render(fig)
>>> "Cost $5 to $10" in svg
True
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator
from matplotlib.transforms import blended_transform_factory

from ..style import (
    BASE_FONT_SIZE,
    FIGURE_WIDTH,
    MISSING_BAND,
    MUTED_TEXT,
    REFERENCE,
    TEXT,
    contrast_ratio,
    house_style,
    text_colour,
)
from ._base import _runs

_SMALL = BASE_FONT_SIZE - 1.5
_STEPS = [1, 2, 2.5, 5, 10]
#: White box behind labels that a reference line may cross.
_KNOCKOUT = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"}
_LIMIT_STYLE = (0, (4, 3))
_INTERVENTION_STYLE = (0, (6, 2, 1, 2))


# --------------------------------------------------------------------------- figure


def _salt(title: str) -> str:
    # Fixed per chart: ids in the SVG are reproducible, and two charts inlined in one
    # page are unlikely to share clip-path ids.
    return "smp-analysis:" + title


def _style(title: str) -> AbstractContextManager[Any]:
    """The house style for drawing one chart, with user text drawn literally.

    The SVG id salt is fixed per chart (:func:`_salt`). ``text.parse_math`` is off, so a
    ``$`` in a label, category or area name is a dollar sign, not the start of mathtext
    (which would garble "Cost $5 to $10" and fail on "$x^$"). No chart uses mathtext.
    """
    return house_style({"svg.hashsalt": _salt(title), "text.parse_math": False})


def _figure(height: float, width: float = FIGURE_WIDTH) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    fig.get_layout_engine().set(w_pad=0.04, h_pad=0.04)
    return fig


def _render(fig: Figure) -> str:
    """SVG text of ``fig`` (inside the house style), then release the figure."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    fig.clear()
    return buf.getvalue()


# --------------------------------------------------------------------------- axes and labels


def _repel(
    targets: Sequence[float], gap: float, low: float = 0.0, high: float = 1.0
) -> list[float]:
    """Spread label positions (axes fraction) at least ``gap`` apart, keeping order."""
    order = np.argsort(targets, kind="stable")
    pos = [float(targets[i]) for i in order]
    for i in range(1, len(pos)):
        pos[i] = max(pos[i], pos[i - 1] + gap)
    if pos and pos[-1] > high:
        pos[-1] = high
        for i in range(len(pos) - 2, -1, -1):
            pos[i] = min(pos[i], pos[i + 1] - gap)
    if pos and pos[0] < low:
        pos[0] = low
        for i in range(1, len(pos)):
            pos[i] = max(pos[i], pos[i - 1] + gap)
    out = [0.0] * len(pos)
    for rank, i in enumerate(order):
        out[i] = pos[rank]
    return out


def _end_labels(ax: Any, fig: Figure, labels: list[tuple[float, str, str]]) -> None:
    """Direct labels to the right of the plot: (y in data units, text, colour)."""
    if not labels:
        return
    y0, y1 = ax.get_ylim()
    fracs = [(y - y0) / (y1 - y0) for y, _, _ in labels]
    axes_height_pt = fig.get_figheight() * 72 * 0.7
    gap = (BASE_FONT_SIZE * 1.15) / axes_height_pt
    placed = _repel(fracs, gap, low=0.0, high=1.0)
    for (_, text, colour), y in zip(labels, placed, strict=True):
        ax.text(
            1.02,
            y,
            textwrap.fill(text, 18),  # long names would squeeze the plot on a phone-width chart
            transform=ax.transAxes,
            ha="left",
            va="center",
            color=text_colour(colour),
            fontsize=_SMALL,
            clip_on=False,
        )


def _month_axis(ax: Any, months: pd.PeriodIndex, max_ticks: int = 6) -> None:
    """Ticks on month ordinals, at most ``max_ticks``, two-line labels ('Apr' / '2024')."""
    n = len(months)
    step = next(
        (s for s in (1, 2, 3, 4, 6, 12, 24, 36, 60, 120) if math.ceil(n / s) <= max_ticks), 240
    )
    ticks = months[::step]
    ax.xaxis.set_major_locator(FixedLocator(ticks.asi8.astype(float)))
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda v, _pos: pd.Period(ordinal=int(round(v)), freq="M").strftime("%b\n%Y"))
    )
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlim(months.asi8[0] - 0.6, months.asi8[-1] + 0.6)


def _y_ticks(ax: Any, label: str) -> None:
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=_STEPS, min_n_ticks=3))
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _pos: f"{v:,.0f}" if v == int(v) else f"{v:,.1f}")
    )
    ax.grid(axis="y")
    ax.set_axisbelow(True)
    ax.set_ylabel(label)


def _count_axis(ax: Any, top: float, label: str) -> None:
    """A count axis from zero to just above ``top``."""
    top = max(top, 1.0)
    ax.set_ylim(0, top * 1.08)
    _y_ticks(ax, label)


def _value_range(low: float, high: float) -> tuple[float, float]:
    """Axis range for values from ``low`` to ``high`` (an SPC chart: not forced to zero).

    A margin of 8% of the range each side; the axis starts at zero only when the data
    approach it (the lowest value is less than half the range above zero), so the
    variation the chart is about is not squashed into a thin band at the top.

    Examples
    --------
    >>> _value_range(40.0, 75.0)      # far from zero: 40 - 0.08 * 35, 75 + 0.08 * 35
    (37.2, 77.8)
    >>> _value_range(2.0, 12.0)       # 2 is within half the range (5) of zero
    (0.0, 12.8)
    >>> _value_range(5.0, 5.0)        # flat: a margin of 10% of the value
    (4.5, 5.5)
    """
    span = high - low
    pad = 0.08 * span if span > 0 else max(abs(high) * 0.1, 0.5)
    bottom = 0.0 if 0 <= low < 0.5 * span else low - pad
    if low >= 0 > bottom:  # counts: never below zero
        bottom = 0.0
    return round(bottom, 10), round(high + pad, 10)


def _value_axis(ax: Any, low: float, high: float, label: str) -> float:
    """A y axis over the data's own range (see :func:`_value_range`); returns its bottom."""
    bottom, top = _value_range(low, high)
    ax.set_ylim(bottom, top)
    _y_ticks(ax, label)
    return bottom


def _missing_bands(
    ax: Any, xs: np.ndarray, missing: dict[str, np.ndarray]
) -> list[tuple[int, int, tuple[str, ...]]]:
    """Shade runs of months with no data (a hatched grey band); return the runs.

    Each run is ``(first index, last index, names of the series missing there)``. The
    "no data" notes are written by :func:`_missing_notes` once the lines are drawn, so
    they can be placed clear of them.
    """
    if not missing:
        return []
    stacked = np.vstack(list(missing.values()))
    any_missing = stacked.any(axis=0)
    runs: list[tuple[int, int, tuple[str, ...]]] = []
    keys = list(missing)
    for a, b in _runs(any_missing):
        # split further where the set of missing series changes
        start = a
        for i in range(a, b + 1):
            last = i == b or not np.array_equal(stacked[:, i + 1], stacked[:, start])
            if last:
                who = [k for j, k in enumerate(keys) if stacked[j, start]]
                runs.append((start, i, tuple(who)))
                start = i + 1
    for k, (a, b, _who) in enumerate(runs):
        ax.axvspan(
            xs[a] - 0.5,
            xs[b] + 0.5,
            facecolor=MISSING_BAND,
            edgecolor=MISSING_HATCH,
            hatch="////",
            lw=0,
            zorder=0.5,
            gid=f"no-data-{k}",
        )
    return runs


def _line_extent(
    lines: Sequence[tuple[np.ndarray, np.ndarray]], x0: float, x1: float
) -> list[tuple[float, float]]:
    """(low, high) y of every drawn piece of ``lines`` between x0 and x1 (data units).

    A line is drawn between consecutive finite points; a piece crossing the window's edge
    counts with its value at the edge (straight segments, so the extremes inside the
    window are at vertices or at the edges).
    """
    out: list[tuple[float, float]] = []
    for x, y in lines:
        ok = np.isfinite(x) & np.isfinite(y)
        for i in range(len(x)):
            if not ok[i]:
                continue
            if x0 <= x[i] <= x1:
                out.append((float(y[i]), float(y[i])))
            if i + 1 < len(x) and ok[i + 1]:
                xa, xb, ya, yb = x[i], x[i + 1], y[i], y[i + 1]
                lo, hi = max(min(xa, xb), x0), min(max(xa, xb), x1)
                if lo > hi or xa == xb:
                    continue
                ys = [ya + (yb - ya) * (t - xa) / (xb - xa) for t in (lo, hi)]
                out.append((float(min(ys)), float(max(ys))))
    return out


def _free_spot(
    taken: Sequence[tuple[float, float]], low: float, high: float, need: float
) -> float | None:
    """Top of the highest gap of at least ``need`` in [low, high] not covered by ``taken``.

    Examples
    --------
    >>> _free_spot([(60, 90)], 0, 100, 20)   # above 90 is too small; below 60 fits
    60
    >>> _free_spot([(10, 95)], 0, 100, 20) is None
    True
    """
    top = high
    for a, b in sorted(taken, key=lambda t: -t[1]):
        if b < top and top - b >= need:
            return top
        top = min(top, a)
        if top <= low:
            return None
    return top if top - low >= need else None


def _missing_notes(
    fig: Figure,
    ax: Any,
    xs: np.ndarray,
    runs: Sequence[tuple[int, int, tuple[str, ...]]],
    lines: Sequence[tuple[np.ndarray, np.ndarray]],
    names_shown: bool,
    n_series: int,
) -> None:
    """Write "no data" in each run of missing months, clear of the plotted ``lines``.

    The note is vertical, centred on the run, and put in the highest stretch of the plot
    where no line passes within its width (the lines are gapped there, but their
    neighbouring points may be close to it). When no stretch is tall enough it is
    written above the plot instead.
    """
    if not runs:
        return
    fig.draw_without_rendering()  # lay out first: the notes are measured in pixels
    renderer = fig.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    to_px = ax.transData
    pad = 5.0  # pixels of clear space around the note
    marker = 4.5  # half the largest marker (special-cause triangles)
    for k, (a, b, who) in enumerate(runs):
        everyone = len(who) == n_series
        note = "no data" if (everyone or not names_shown) else f"no data ({', '.join(who)})"
        xc = (xs[a] + xs[b]) / 2
        text = ax.text(
            xc, 0, note, rotation=90, ha="center", va="top",
            fontsize=_SMALL - 0.5, color=MUTED_TEXT, gid=f"no-data-note-{k}",
        )  # fmt: skip
        ext = text.get_window_extent(renderer)
        half = ext.width / 2 + pad + marker
        px = to_px.transform([[xc, 0.0]])[0][0]
        inv = to_px.inverted()
        x0 = inv.transform([[px - half, 0.0]])[0][0]
        x1 = inv.transform([[px + half, 0.0]])[0][0]
        taken = []
        for lo, hi in _line_extent(lines, x0, x1):
            ylo = to_px.transform([[xc, lo]])[0][1] - pad - marker
            yhi = to_px.transform([[xc, hi]])[0][1] + pad + marker
            taken.append((ylo, yhi))
        top = _free_spot(taken, box.y0 + 2, box.y1 - 2, ext.height + pad)
        if top is None:
            text.set_visible(False)
            text.remove()
            _above(ax, xc, note, gid=f"no-data-note-{k}", color=MUTED_TEXT, fontsize=_SMALL - 0.5)
            continue
        text.set_position((xc, inv.transform([[px, top - pad / 2]])[0][1]))


#: Hatching of the "no data" band (decorative: the note carries the meaning).
MISSING_HATCH = "#BFBFBF"
#: Tint behind the reporting year: decorative (1.2:1 on white), bracketed and labelled.
REPORTING_BAND = "#E8EEF4"
#: Height of one row of labels above the plot, in points.
_ROW_PT = BASE_FONT_SIZE * 1.25


def _above(ax: Any, x: float, text: str, *, row: int = 0, gid: str | None = None, **kw: Any) -> Any:
    """A label above the plot at ``x`` (data units); ``row`` 1 sits a line higher."""
    return ax.annotate(
        text,
        xy=(x, 1.0),
        xycoords=blended_transform_factory(ax.transData, ax.transAxes),
        xytext=(0, 3 + row * _ROW_PT),
        textcoords="offset points",
        ha=kw.pop("ha", "center"),
        va="bottom",
        fontsize=kw.pop("fontsize", _SMALL),
        color=kw.pop("color", TEXT),
        annotation_clip=False,
        gid=gid,
        **kw,
    )


def _intervention_line(ax: Any, start: pd.Period, label: str | None) -> None:
    """A vertical line just before the first month of an intervention, labelled above."""
    xi = float(start.ordinal) - 0.5
    ax.axvline(xi, color=REFERENCE, lw=1.2, ls=_INTERVENTION_STYLE, zorder=2, gid="intervention")
    _above(ax, xi, label or "Intervention starts", gid="intervention-label")


def _reporting_band(
    ax: Any, months: pd.PeriodIndex, period: Any, row: int, colours: Sequence[str]
) -> tuple | None:
    """Mark the reporting year (``period`` has ``label``, ``start``, ``end``) and label it.

    A bracket above the plot spans the year's months (a meaningful mark: at least 3:1 on
    white) under the label "Reporting year …". Behind the data the year is also tinted —
    decoration only, and only when every colour in ``colours`` (the lines and markers
    drawn over it) keeps a contrast of at least 3:1 against the tint (WCAG 1.4.11); the
    house turquoise and orange do not, so a chart using them gets the bracket alone.

    Returns the (first, last) months marked, or ``None`` when the chart does not reach it.
    """
    if period is None:
        return None
    first = max(pd.Period(period.start, freq="M"), months[0])
    last = min(pd.Period(period.end, freq="M"), months[-1])
    if last < first:
        return None
    x0, x1 = first.ordinal - 0.5, last.ordinal + 0.5
    if all(contrast_ratio(c, REPORTING_BAND) >= 3 for c in colours):
        ax.axvspan(x0, x1, facecolor=REPORTING_BAND, lw=0, zorder=0.2, gid="reporting-year")
    top = blended_transform_factory(ax.transData, ax.transAxes)
    bracket = ax.annotate(
        "", xy=(x0, 1.0), xytext=(x1, 1.0), xycoords=top, textcoords=top,
        arrowprops={"arrowstyle": "|-|,widthA=0.25,widthB=0.25", "color": MUTED_TEXT,
                    "lw": 1.0, "shrinkA": 0, "shrinkB": 0},
        annotation_clip=False,
    )  # fmt: skip
    bracket.arrow_patch.set_gid("reporting-year-bracket")
    # the label ends at the bracket's right end when the year reaches the chart's end
    at_end = last == months[-1]
    _above(
        ax,
        x1 if at_end else (x0 + x1) / 2,
        f"Reporting year {period.label}",
        row=row,
        gid="reporting-year-label",
        ha="right" if at_end else "center",
        color=MUTED_TEXT,
    )
    return first, last


def _row_axes(ax: Any, n: int) -> None:
    """Rows 0..n-1 from top to bottom, each with room for a label line above it."""
    ax.set_ylim(n - 0.45, -0.95)
    ax.yaxis.set_major_locator(NullLocator())
    ax.spines["left"].set_visible(False)


def _row_label(ax: Any, i: int, text: str) -> None:
    ax.text(
        0.0,
        i - 0.22,
        text,
        transform=blended_transform_factory(ax.transAxes, ax.transData),
        ha="left",
        va="bottom",
        fontsize=_SMALL,
        color=TEXT,
        clip_on=False,
        bbox=_KNOCKOUT,
        zorder=6,
    )


def _log_ticks(low: float, high: float) -> list[float]:
    major = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]
    every = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 10, 20, 50, 100]
    ticks = [t for t in major if low <= t <= high]
    if len(ticks) < 3:
        ticks = [t for t in every if low <= t <= high]
    while len(ticks) > 6:
        keep = ticks.index(1) % 2 if 1 in ticks else 0
        ticks = ticks[keep::2]
    return ticks


def _icon_strip(ax: Any, icons: Sequence[tuple[str, str, str, str]]) -> None:
    """A row per icon: a ringed glyph and its words, in an axes of its own (no axis).

    ``icons`` are ``(gid, glyph, colour, words)``: the ring is drawn in ``colour`` (at
    least 3:1 on white), the glyph in a text-contrast shade of it, the words in body text.
    """
    n = len(icons)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(n, 0)
    for i, (gid, glyph, colour, words) in enumerate(icons):
        y = i + 0.5
        ax.plot(
            [0.03], [y], linestyle="none", marker="o", markersize=17,
            markerfacecolor="white", markeredgecolor=colour, markeredgewidth=2.2,
            clip_on=False, gid=gid,
        )  # fmt: skip
        ax.text(
            0.03, y, glyph, ha="center", va="center_baseline", fontsize=_SMALL - 1,
            fontweight="bold", color=text_colour(colour), clip_on=False,
        )  # fmt: skip
        ax.annotate(
            words, xy=(0.03, y), xytext=(15, 0), textcoords="offset points", ha="left",
            va="center", fontsize=_SMALL, color=TEXT, annotation_clip=False,
        )  # fmt: skip


# --------------------------------------------------------------------------- ratio rows


def _ratio_limits(est: pd.Series, lo: pd.Series, hi: pd.Series) -> tuple[float, float]:
    """Log-axis range covering every finite, positive ratio and interval end, and 1.

    Examples
    --------
    >>> s = pd.Series
    >>> _ratio_limits(s([2.0]), s([1.5]), s([3.0]))   # 1 / 1.25, 3 * 1.25
    (0.8, 3.75)
    """
    ok = np.isfinite(est) & (est > 0)
    vals = pd.concat([est[ok], lo[ok].where(lo[ok] > 0), hi[ok]])
    vals = vals[np.isfinite(vals)]
    xmin = min(float(vals.min()) if len(vals) else 1.0, 1.0) / 1.25
    xmax = max(float(vals.max()) if len(vals) else 1.0, 1.0) * 1.25
    return xmin, xmax


def _ratio_axis(ax: Any, n: int, xmin: float, xmax: float, label: str) -> None:
    """Rows 0..n-1 against a log ratio axis with a reference line at 1."""
    ax.set_xscale("log")
    ax.set_xlim(xmin, xmax)
    _row_axes(ax, n)
    ax.axvline(1.0, color=REFERENCE, lw=1.0, zorder=1, gid="no-change")
    ax.xaxis.set_major_locator(FixedLocator(_log_ticks(xmin, xmax)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}"))
    ax.grid(axis="x")
    ax.set_axisbelow(True)
    ax.set_xlabel(label)


def _ratio_row(
    ax: Any,
    i: int,
    e: float,
    lo: float,
    hi: float,
    filled: bool,
    colour: str,
    xmin: float,
    xmax: float,
) -> None:
    """One ratio as a dot (filled or open) with its interval, clipped to the axis."""
    a = lo if np.isfinite(lo) and lo > 0 else xmin
    b = hi if np.isfinite(hi) else xmax
    ax.plot([max(a, xmin), min(b, xmax)], [i, i], color=colour, lw=1.6, zorder=2)
    ax.plot(
        [e], [i], marker="o", markersize=8, linestyle="none",
        markerfacecolor=colour if filled else "white", markeredgecolor=colour,
        markeredgewidth=1.6, zorder=3, gid=f"ratio-{i}",
    )  # fmt: skip


def _filled_open_legend(fig: Figure, colour: str, filled: str, hollow: str, ncols: int = 2) -> None:
    """Legend below the plot: a filled dot means ``filled``, an open one ``hollow``."""
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=8,
            markerfacecolor=face,
            markeredgecolor=colour,
            markeredgewidth=1.6,
            label=text,
        )  # fmt: skip
        for face, text in ((colour, filled), ("white", hollow))
    ]
    fig.legend(handles=handles, loc="outside lower left", ncols=ncols, handletextpad=0.2)
