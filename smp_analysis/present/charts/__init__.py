"""Charts for the report: one house style, SVG text, alt text and the data behind each chart.

Every builder takes a tidy frame as the statistics layer produces it and returns a
:class:`Chart`: the SVG (deterministic bytes, real ``<text>``), an alt text that states the
message and the key numbers, the caller's headline title and statistical subtitle, and the
plotted data as a tidy frame so the report can offer it as a table.

Design rules (Analysis Function / ONS / WCAG 2.2 AA):

* The headline title (the message, e.g. "Robbery rose sharply in early 2025") and the
  statistical subtitle (measure, geography, period) come from the caller and are rendered by
  the report as HTML text, not inside the image, so they reflow and are read as headings.
* Colour never carries meaning alone: series differ by line style and marker and are labelled
  directly; significance is filled vs open markers; special-cause months are triangles.
* No dual axes. Sans-serif text. Charts are 5 in (480 px) wide with 12 pt text so they stay
  readable on a phone; rows are labelled above the data instead of in a wide left margin.
* A month with no data is a visible gap with a "no data" note, never a zero.
* Suppressed values (``[c]``) are shown as a label, never as a number.
* Rendering touches no global state: figures are plain :class:`matplotlib.figure.Figure`
  objects on an Agg canvas (no pyplot), styled inside
  :func:`~smp_analysis.present.style.house_style`.
* Text from the caller (labels, category and area names) is drawn literally: a ``$`` is a
  dollar sign, never mathtext. The alt text keeps the caller's wording.

The builders live in one module per kind of chart and are re-exported here:

* :mod:`~smp_analysis.present.charts.trend` — :func:`trend_chart`
* :mod:`~smp_analysis.present.charts.change` — :func:`change_chart`
* :mod:`~smp_analysis.present.charts.differential` — :func:`differential_chart`
* :mod:`~smp_analysis.present.charts.share` — :func:`share_chart`
* :mod:`~smp_analysis.present.charts.its` — :func:`its_chart`
* :mod:`~smp_analysis.present.charts.lorenz` — :func:`lorenz_chart`
* :mod:`~smp_analysis.present.charts.groups` — :func:`rate_by_group_chart`
* :mod:`~smp_analysis.present.charts.indicator` — :func:`indicator_chart`
* :mod:`~smp_analysis.present.charts.public_bars` — :func:`public_bar_chart`

with the :class:`Chart` result and the shared reading and wording helpers in ``_base``, and
the figure, house style, SVG rendering and shared axes in ``_draw``.

Examples
--------
>>> import pandas as pd
>>> s = pd.DataFrame({"month": pd.period_range("2024-01", periods=4, freq="M"),
...                   "count": [10.0, 12.0, float("nan"), 30.0]})
>>> chart = trend_chart(s, title="Robbery rose in April", subtitle="Robberies a month, 2024")
>>> chart.figure_svg.startswith("<?xml")
True
>>> "30 in Apr 2024" in chart.alt and "No data for Mar 2024" in chart.alt
True
"""

from __future__ import annotations

from ._base import MAX_SERIES as MAX_SERIES
from ._base import Chart
from .change import change_chart
from .differential import differential_chart
from .groups import rate_by_group_chart
from .indicator import indicator_chart
from .its import its_chart
from .lorenz import lorenz_chart
from .public_bars import public_bar_chart
from .share import share_chart
from .trend import trend_chart

__all__ = [
    "Chart",
    "trend_chart",
    "change_chart",
    "differential_chart",
    "share_chart",
    "its_chart",
    "lorenz_chart",
    "rate_by_group_chart",
    "indicator_chart",
    "public_bar_chart",
]
