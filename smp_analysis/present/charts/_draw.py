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
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator
from matplotlib.transforms import blended_transform_factory

from ..style import (
    BASE_FONT_SIZE,
    FIGURE_WIDTH,
    MISSING_BAND,
    MUTED_TEXT,
    TEXT,
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


def _count_axis(ax: Any, top: float, label: str) -> None:
    top = max(top, 1.0)
    ax.set_ylim(0, top * 1.08)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=_STEPS, min_n_ticks=3))
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _pos: f"{v:,.0f}" if v == int(v) else f"{v:,.1f}")
    )
    ax.grid(axis="y")
    ax.set_axisbelow(True)
    ax.set_ylabel(label)


def _missing_bands(
    ax: Any, xs: np.ndarray, missing: dict[str, np.ndarray], names_shown: bool
) -> list[tuple[int, int, tuple[str, ...]]]:
    """Shade runs of months with no data and write "no data" in them; return the runs."""
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
    for k, (a, b, who) in enumerate(runs):
        ax.axvspan(xs[a] - 0.5, xs[b] + 0.5, color=MISSING_BAND, zorder=0, lw=0, gid=f"no-data-{k}")
        everyone = len(who) == len(keys)
        note = "no data" if (everyone or not names_shown) else f"no data ({', '.join(who)})"
        ax.text(
            (xs[a] + xs[b]) / 2,
            0.97,
            note,
            transform=blended_transform_factory(ax.transData, ax.transAxes),
            rotation=90,
            ha="center",
            va="top",
            fontsize=_SMALL - 0.5,
            color=MUTED_TEXT,
        )
    return runs


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
