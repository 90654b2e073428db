"""The house chart style: Analysis Function colours, contrast checks and matplotlib settings.

The style is applied *locally*: :func:`house_style` returns a :func:`matplotlib.rc_context`
for the duration of one chart. Importing this module changes no global matplotlib state.

Colours come from the Analysis Function palette (``afcharts``, ``af_colours.yaml``):
the categorical palette for series, the focus palette's dark blue for the series in focus.
Every colour used for a chart element has a contrast of at least 3:1 against the white
background (WCAG 1.4.11); text is at least 4.5:1 (WCAG 1.4.3), darkening a series colour
for its direct label where needed (:func:`text_colour`). The focus palette's light grey
(``#BFBFBF``, 1.8:1) is used only for decoration (grid, the "no data" band), never to carry
meaning. Meaning never rests on colour alone: series also differ by line style and marker
(:data:`LINE_STYLES`, :data:`MARKERS`) and are labelled directly.

Examples
--------
>>> import matplotlib as mpl
>>> before = mpl.rcParams["font.size"]
>>> with house_style():
...     inside = mpl.rcParams["font.size"]
>>> inside == BASE_FONT_SIZE, mpl.rcParams["font.size"] == before
(True, True)
>>> all(contrast_ratio(c, BACKGROUND) >= 3 for c in CATEGORICAL)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any

import matplotlib as mpl

__all__ = [
    "CATEGORICAL",
    "FOCUS",
    "BACKGROUND",
    "TEXT",
    "MUTED_TEXT",
    "REFERENCE",
    "GRID",
    "MISSING_BAND",
    "LINE_STYLES",
    "MARKERS",
    "BASE_FONT_SIZE",
    "FIGURE_WIDTH",
    "HOUSE_RC",
    "house_style",
    "relative_luminance",
    "contrast_ratio",
    "text_colour",
]

#: Analysis Function categorical palette (dark blue, turquoise, dark pink, orange, dark grey,
#: light purple). All are at least 3:1 against white.
CATEGORICAL: tuple[str, ...] = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
#: Analysis Function focus palette: the series in focus, everything else.
FOCUS: tuple[str, str] = ("#12436D", "#BFBFBF")
BACKGROUND = "#FFFFFF"
#: Body text (GOV.UK text colour, 19.8:1 on white).
TEXT = "#0B0C0C"
#: Secondary text such as notes and axis labels (GOV.UK secondary text, 7.0:1 on white).
MUTED_TEXT = "#505A5F"
#: Reference lines (means, limits, "no change", equality): dark grey, 10.9:1 on white.
REFERENCE = "#3D3D3D"
#: Decorative only (grid lines): below 3:1 on purpose, carries no meaning.
GRID = "#DDDDDD"
#: Decorative band behind months with no data (the "no data" text carries the meaning).
MISSING_BAND = "#F0F0F0"
#: Line styles for series 1..4, so that series differ without colour.
LINE_STYLES: tuple[Any, ...] = ("-", (0, (5, 2)), (0, (1, 1.5)), (0, (6, 2, 1, 2)))
#: Markers for series 1..4.
MARKERS: tuple[str, ...] = ("o", "s", "^", "D")
#: Base font size in points. Charts are FIGURE_WIDTH inches wide, so on a 360 px phone the
#: text is drawn at about 11 px.
BASE_FONT_SIZE = 12.0
#: Default figure width in inches (480 CSS px at 100 % zoom).
FIGURE_WIDTH = 5.0

#: matplotlib settings of the house style (used only inside :func:`house_style`).
HOUSE_RC: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["Arial", "Helvetica", "Liberation Sans", "DejaVu Sans"],
    "font.size": BASE_FONT_SIZE,
    "text.color": TEXT,
    "axes.labelcolor": MUTED_TEXT,
    "axes.labelsize": BASE_FONT_SIZE - 1,
    "axes.edgecolor": REFERENCE,
    "axes.linewidth": 0.8,
    "axes.facecolor": BACKGROUND,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.prop_cycle": mpl.cycler(color=list(CATEGORICAL)),
    "axes.titlesize": BASE_FONT_SIZE,
    "axes.unicode_minus": True,
    "grid.color": GRID,
    "grid.linewidth": 0.6,
    "xtick.color": REFERENCE,
    "ytick.color": REFERENCE,
    "xtick.labelcolor": TEXT,
    "ytick.labelcolor": TEXT,
    "xtick.labelsize": BASE_FONT_SIZE - 1,
    "ytick.labelsize": BASE_FONT_SIZE - 1,
    "legend.frameon": False,
    "legend.fontsize": BASE_FONT_SIZE - 1,
    "lines.linewidth": 2.0,
    "lines.markersize": 5.0,
    "figure.facecolor": BACKGROUND,
    "figure.dpi": 100,
    "savefig.facecolor": BACKGROUND,
    "path.simplify": True,
    # Deterministic, small SVG with real text (searchable, zoomable, fonts from the reader).
    "svg.fonttype": "none",
    "svg.hashsalt": "smp-analysis",
    "svg.image_inline": True,
}


def house_style(overrides: Mapping[str, Any] | None = None) -> AbstractContextManager[Any]:
    """Return a context manager that applies the house style for its duration only.

    Parameters
    ----------
    overrides : mapping, optional
        rcParams to set on top of :data:`HOUSE_RC`, e.g. ``{"svg.hashsalt": "chart-1"}``.

    Returns
    -------
    contextlib.AbstractContextManager
        :func:`matplotlib.rc_context` over the house settings.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> with house_style({"svg.hashsalt": "chart-1"}):
    ...     mpl.rcParams["svg.hashsalt"]
    'chart-1'
    >>> mpl.rcParams["svg.fonttype"] == "none"  # the global default is untouched
    False
    """
    rc = dict(HOUSE_RC)
    rc.update(overrides or {})
    return mpl.rc_context(rc)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(colour: str) -> tuple[int, int, int]:
    h = colour.lstrip("#")
    if len(h) != 6:
        raise ValueError(f"expected a colour like '#12436D', got {colour!r}")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#RRGGBB`` colour.

    Parameters
    ----------
    colour : str
        Hex colour, e.g. ``"#12436D"``.

    Returns
    -------
    float
        0 for black, 1 for white.

    Examples
    --------
    >>> relative_luminance("#FFFFFF"), relative_luminance("#000000")
    (1.0, 0.0)
    """
    r, g, b = (_channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two ``#RRGGBB`` colours (1 to 21).

    Parameters
    ----------
    a, b : str
        Hex colours.

    Returns
    -------
    float
        ``(L1 + 0.05) / (L2 + 0.05)`` with ``L1`` the lighter luminance.

    Examples
    --------
    >>> round(contrast_ratio("#000000", "#FFFFFF"), 1)
    21.0
    >>> round(contrast_ratio("#F46A25", "#FFFFFF"), 2)  # AF orange: fine for lines, not text
    3.03
    """
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(colour: str, background: str = BACKGROUND, minimum: float = 4.5) -> str:
    """Return ``colour``, darkened just enough to reach ``minimum`` contrast as text.

    Used for direct labels drawn in a series' colour: the AF turquoise and orange pass 3:1
    for lines but not 4.5:1 for text.

    Parameters
    ----------
    colour : str
        Hex colour of the series.
    background : str, default white
        Hex colour behind the text.
    minimum : float, default 4.5
        Required contrast ratio (WCAG 1.4.3 for normal text).

    Returns
    -------
    str
        A ``#RRGGBB`` colour with at least ``minimum`` contrast against ``background``.

    Examples
    --------
    >>> text_colour("#12436D")   # already dark enough
    '#12436D'
    >>> c = text_colour("#F46A25")
    >>> c != "#F46A25" and contrast_ratio(c, "#FFFFFF") >= 4.5
    True
    """
    if contrast_ratio(colour, background) >= minimum:
        return colour.upper()
    r, g, b = _rgb(colour)
    for step in range(1, 101):
        f = 1 - step / 100
        candidate = f"#{round(r * f):02X}{round(g * f):02X}{round(b * f):02X}"
        if contrast_ratio(candidate, background) >= minimum:
            return candidate
    return "#000000"  # pragma: no cover - black always passes on light backgrounds
