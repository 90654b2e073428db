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
  objects on an Agg canvas (no pyplot), styled inside :func:`~.style.house_style`.

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

import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator
from matplotlib.transforms import blended_transform_factory

from .style import (
    BASE_FONT_SIZE,
    CATEGORICAL,
    FIGURE_WIDTH,
    LINE_STYLES,
    MARKERS,
    MISSING_BAND,
    MUTED_TEXT,
    REFERENCE,
    TEXT,
    house_style,
    text_colour,
)

__all__ = [
    "Chart",
    "trend_chart",
    "change_chart",
    "share_chart",
    "its_chart",
    "lorenz_chart",
    "rate_by_group_chart",
    "indicator_chart",
    "public_bar_chart",
]

#: The most series one line chart shows; more need small multiples.
MAX_SERIES = 4
_SMALL = BASE_FONT_SIZE - 1.5
_STEPS = [1, 2, 2.5, 5, 10]
#: White box behind labels that a reference line may cross.
_KNOCKOUT = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"}
_LIMIT_STYLE = (0, (4, 3))
_INTERVENTION_STYLE = (0, (6, 2, 1, 2))


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, eq=False)
class Chart:
    """A rendered chart with everything the report needs to present it accessibly.

    Attributes
    ----------
    figure_svg : str
        The SVG document (text kept as ``<text>``; no ``<title>``; byte-identical for the
        same inputs).
    alt : str
        Text alternative: the message and the key numbers.
    title : str
        Headline title stating the message (rendered by the report as a heading).
    subtitle : str
        Statistical subtitle: measure, geography, period.
    data : pandas.DataFrame
        The plotted values as a tidy frame, for an accessible table or a download.

    Examples
    --------
    >>> import pandas as pd
    >>> c = Chart("<svg/>", "alt", "Title", "Subtitle", pd.DataFrame({"x": [1]}))
    >>> c.title, len(c.data)
    ('Title', 1)
    >>> bundle, meta = c._repr_mimebundle_()
    >>> meta["image/svg+xml"]["alt"]
    'alt'
    """

    figure_svg: str
    alt: str
    title: str
    subtitle: str
    data: pd.DataFrame

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
        """Display in Jupyter as SVG with the alt text in the output metadata."""
        return (
            {"image/svg+xml": self.figure_svg, "text/plain": self.alt},
            {"image/svg+xml": {"alt": self.alt}},
        )


# --------------------------------------------------------------------------- helpers


def _check_text(title: str, subtitle: str) -> None:
    if not isinstance(title, str) or not title.strip():
        raise ValueError("a chart needs a headline title that states its message")
    if not isinstance(subtitle, str) or not subtitle.strip():
        raise ValueError("a chart needs a subtitle giving the measure, geography and period")


def _pick(
    frame: pd.DataFrame, given: str | None, candidates: Sequence[str], what: str
) -> str | None:
    """Column named ``given`` (must exist), else the first of ``candidates`` present."""
    if given is not None:
        if given not in frame.columns:
            raise ValueError(
                f"column {given!r} ({what}) is not in the table: {list(frame.columns)}"
            )
        return given
    for c in candidates:
        if c in frame.columns:
            return c
    return None


def _need(frame: pd.DataFrame, given: str | None, candidates: Sequence[str], what: str) -> str:
    col = _pick(frame, given, candidates, what)
    if col is None:
        raise ValueError(
            f"the table needs a {what} column (one of {list(candidates)}); "
            f"it has {list(frame.columns)}"
        )
    return col


def _frame(obj: object, what: str) -> pd.DataFrame:
    if not isinstance(obj, pd.DataFrame):
        raise ValueError(f"{what} must be a pandas DataFrame, got {type(obj).__name__}")
    if obj.empty:
        raise ValueError(f"{what} is empty: there is nothing to chart")
    return obj


def _as_months(values: Any) -> pd.PeriodIndex:
    """Monthly periods from Period, datetime or ``YYYY-MM`` values."""
    if isinstance(values, pd.Series | pd.Index):
        dtype = values.dtype
        if isinstance(dtype, pd.PeriodDtype):
            return pd.PeriodIndex(values).asfreq("M")
        if pd.api.types.is_datetime64_any_dtype(dtype):
            return pd.DatetimeIndex(values).to_period("M")
    try:
        return pd.PeriodIndex([pd.Period(v, freq="M") for v in values], freq="M")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"months must be periods like '2024-01': {exc}") from None


def _num(x: float, decimals: int | None = None) -> str:
    """Format a number for people: thousands separators, no needless decimals."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "no data"
    if decimals is None:
        decimals = 0 if float(x).is_integer() else 1
    return f"{x:,.{decimals}f}"


def _pct(x: float, decimals: int = 1) -> str:
    return f"{x * 100:.{decimals}f}%"


def _lower_first(text: str) -> str:
    """'Count per month' -> 'count per month', but 'LSOA count' stays."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _month(p: pd.Period) -> str:
    return p.strftime("%b %Y")


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) index pairs of consecutive True values."""
    out: list[tuple[int, int]] = []
    start: int | None = None
    for i, v in enumerate(mask):
        if v and start is None:
            start = i
        if not v and start is not None:
            out.append((start, i - 1))
            start = None
    if start is not None:
        out.append((start, len(mask) - 1))
    return out


def _list(items: Sequence[str], limit: int = 4) -> str:
    items = list(items)
    if len(items) > limit:
        items = [*items[:limit], f"{len(items) - limit} more"]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _salt(title: str) -> str:
    # Fixed per chart: ids in the SVG are reproducible, and two charts inlined in one
    # page are unlikely to share clip-path ids.
    return "smp-analysis:" + title


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


def _present(frame: pd.DataFrame, *cols: str | None) -> list[str]:
    """The named columns that exist, once each, in order (the plotted data)."""
    return list(dict.fromkeys(c for c in cols if c is not None and c in frame.columns))


def _interval_text(lo: float, hi: float, fmt: Any) -> str:
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return ""
    return f" (95% CI {fmt(lo)} to {fmt(hi)})"


def _frame_intervals(frame: pd.DataFrame, est: str, lo: str | None, hi: str | None) -> None:
    if lo is None or hi is None:
        return
    tol = 1e-9 * frame[est].abs().where(np.isfinite(frame[est]), 0) + 1e-12
    bad = (frame[lo] > frame[est] + tol) | (frame[hi] < frame[est] - tol)
    if bool(bad.fillna(False).any()):
        raise ValueError(
            "an interval does not contain its estimate (ci_low <= estimate <= ci_high)"
        )


_GROUPS = ("group", "category", "decile", "quintile", "imd_decile", "ethnic_group", "label")
_LO = ("ci_low", "lower", "lower_ci", "lcl")
_HI = ("ci_high", "upper", "upper_ci", "ucl")


# --------------------------------------------------------------------------- 1. trend


def _split_series(
    series: pd.DataFrame, label: str | None
) -> tuple[list[str], list[pd.DataFrame], list[str]]:
    by = [c for c in series.columns if c not in ("month", "count")]
    if label is not None and label in series.columns:
        by = [label]
    if not by:
        return [label or ""], [series], []
    keys = series[by].astype(str).agg(", ".join, axis=1)
    names = list(dict.fromkeys(keys))
    return names, [series[keys == k] for k in names], by


_XMR_COLS = {
    "mean": ("mean", "centre", "center", "centre_line", "cl"),
    "lower": ("lower", "lcl", "lpl", "lower_limit", "lower_process_limit"),
    "upper": ("upper", "ucl", "upl", "upper_limit", "upper_process_limit"),
}
#: Plain words for the ``special_cause_type`` values of :func:`smp_analysis.stats.spc.xmr`.
_CAUSE_WORDS = {
    "Above UCL": "above the upper limit",
    "Below LCL": "below the lower limit",
    "7 Points Above CL": "a run above the mean",
    "7 Points Below CL": "a run below the mean",
    "7 Point Trend (Increasing)": "a rising trend",
    "7 Point Trend (Decreasing)": "a falling trend",
    "2 in 3 Above CL": "close to the upper limit",
    "2 in 3 Below CL": "close to the lower limit",
}


def _xmr_source(xmr: object) -> pd.DataFrame:
    """The XmR values as a frame; accepts an ``XmrResult`` (its ``points``) or a frame."""
    points = getattr(xmr, "points", None)
    if isinstance(points, pd.DataFrame):
        xmr = points
    frame = _frame(xmr, "xmr")
    if "month" not in frame.columns and isinstance(frame.index, pd.PeriodIndex):
        frame = frame.rename_axis("month").reset_index()
    return frame


def _xmr_frame(xmr: pd.DataFrame, months: pd.PeriodIndex, y: np.ndarray) -> pd.DataFrame:
    """Per month: mean, lower, upper, special_cause, direction (+1/-1), cause (words)."""
    out = pd.DataFrame(index=months)
    cols = {k: _need(xmr, None, v, f"XmR {k}") for k, v in _XMR_COLS.items()}
    flag = _pick(xmr, None, ("special_cause", "signal", "special"), "special cause")
    if "month" in xmr.columns:
        keyed = xmr.set_index(_as_months(xmr["month"]))
        if keyed.index.has_duplicates:
            raise ValueError("xmr has more than one row for a month")
        keyed = keyed.reindex(months)
    else:
        if len(xmr) != 1:
            raise ValueError("xmr without a month column must have exactly one row")
        if flag is not None:
            raise ValueError("special-cause flags need a month column in xmr")
        keyed = pd.DataFrame({c: np.repeat(xmr[c].iloc[0], len(months)) for c in cols.values()})
    for k, c in cols.items():
        out[k] = keyed[c].astype(float).to_numpy()
    observed = np.isfinite(y)
    with np.errstate(invalid="ignore"):
        above, below = y > out["upper"].to_numpy(), y < out["lower"].to_numpy()
    if flag is not None:
        special = keyed[flag].astype("boolean").fillna(False).to_numpy(bool)
    else:
        special = above | below
    special &= observed
    side = np.sign(np.nan_to_num(y - out["mean"].to_numpy()))
    if "direction" in keyed.columns:
        given = keyed["direction"].astype(float).fillna(0).to_numpy()
        direction = np.where(given != 0, np.sign(given), side)
    else:
        direction = side
    if "special_cause_type" in keyed.columns:
        cause = [
            _CAUSE_WORDS.get(str(t), str(t).lower()) if s else ""
            for t, s in zip(keyed["special_cause_type"], special, strict=True)
        ]
    else:
        cause = [
            ("above the upper limit" if a else "below the lower limit" if b else "a pattern")
            if s
            else ""
            for a, b, s in zip(above, below, special, strict=True)
        ]
    out["special_cause"] = special
    out["direction"] = np.where(special, direction, 0).astype(int)
    out["cause"] = cause
    return out


def _judge(up: bool, good_direction: str | None) -> str:
    if good_direction is None:
        return ""
    return "improvement" if (good_direction == "up") == up else "concern"


def _a(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


def trend_chart(
    series: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    xmr: pd.DataFrame | Any | None = None,
    intervention: pd.Period | str | None = None,
    intervention_label: str | None = None,
    label: str | None = None,
    good_direction: Literal["up", "down"] | None = None,
    y_label: str = "Count per month",
    alt: str | None = None,
) -> Chart:
    """Monthly counts over time, with optional XmR limits, intervention line and comparison.

    Parameters
    ----------
    series : pandas.DataFrame
        Tidy monthly series ``[*by, "month", "count"]`` (``month`` ``period[M]``; ``count``
        ``NaN`` for a month with no data). Without ``by`` columns it is one series; with them
        each distinct ``by`` value is a series (at most 4): the first one met is drawn solid in
        dark blue, the others dashed/dotted with other markers, and all are labelled
        directly. Months absent from the frame inside the span count as missing: a gap with
        a "no data" note, never a zero.
    title, subtitle : str
        Headline title stating the message; subtitle with measure, geography and period.
    xmr : pandas.DataFrame or XmrResult, optional
        XmR (individuals chart) values for a single series: the output of
        :func:`smp_analysis.stats.spc.xmr_table` (or ``xmr(...)`` itself), or any frame with
        ``mean``, ``lcl``/``lower``, ``ucl``/``upper``, a ``month`` column for limits that
        change (or one row for fixed limits) and optionally ``special_cause`` (bool),
        ``direction`` (+1 high / −1 low) and ``special_cause_type``. Without
        ``special_cause``, months outside the limits are marked. Special-cause months are
        triangles pointing up (high) or down (low), coloured by ``good_direction`` and
        explained in a legend; a lower limit at or below zero is not drawn.
    intervention : Period or str, optional
        First month of an intervention; a vertical line is drawn just before it.
    intervention_label : str, optional
        Text above the intervention line (default "Intervention starts").
    label : str, optional
        Direct label of a single series (e.g. the area name), or the name of the column in
        ``series`` whose values name the series.
    good_direction : {"up", "down"}, optional
        Which direction is an improvement; special causes are then called an improvement
        or a concern.
    y_label : str, default "Count per month"
        Short axis label.
    alt : str, optional
        Text alternative; composed from the data when omitted.

    Returns
    -------
    Chart
        ``data`` has the ``by`` columns, ``month``, ``count`` (every month of the span,
        ``NaN`` where missing) and, with ``xmr``, ``mean``, ``lower``, ``upper``,
        ``special_cause``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"month": pd.period_range("2024-01", periods=6, freq="M"),
    ...                   "count": [20.0, 22, 19, float("nan"), 21, 45]})
    >>> limits = pd.DataFrame({"mean": [21.0], "lower": [15.0], "upper": [27.0]})
    >>> c = trend_chart(s, title="Robbery doubled in June", subtitle="Robberies a month",
    ...                 xmr=limits, good_direction="down", label="Sampleton")
    >>> "Jun 2024 (45, above the upper limit, a concern)" in c.alt
    True
    >>> c.data["special_cause"].tolist()
    [False, False, False, False, False, True]
    """
    _check_text(title, subtitle)
    series = _frame(series, "series")
    for c in ("month", "count"):
        if c not in series.columns:
            raise ValueError(f"series needs a {c!r} column; it has {list(series.columns)}")
    if good_direction not in (None, "up", "down"):
        raise ValueError("good_direction must be 'up', 'down' or None")
    series = series.assign(month=_as_months(series["month"]), count=series["count"].astype(float))
    if bool((series["count"] < 0).any()):
        raise ValueError("counts cannot be negative")
    names, parts, by = _split_series(series, label)
    if len(names) > MAX_SERIES:
        raise ValueError(
            f"{len(names)} series on one chart is too many to read; at most {MAX_SERIES} "
            "(draw small multiples instead)"
        )
    if xmr is not None and len(names) > 1:
        raise ValueError("XmR limits belong to a single series; pass one series with xmr")
    source = _xmr_source(xmr) if xmr is not None else None
    extra = [] if source is None or "month" not in source else list(_as_months(source["month"]))
    all_months = [*series["month"], *extra]
    months = pd.period_range(min(all_months), max(all_months), freq="M")
    xs = months.asi8.astype(float)
    counts: list[np.ndarray] = []
    for part in parts:
        if part["month"].duplicated().any():
            raise ValueError("series has more than one row for a month (add a 'by' column)")
        counts.append(part.set_index("month")["count"].reindex(months).to_numpy(float))
    limits = _xmr_frame(source, months, counts[0]) if source is not None else None
    show_names = len(names) > 1 or bool(names[0])

    with house_style({"svg.hashsalt": _salt(title)}):
        fig = _figure(3.9)
        ax = fig.add_subplot()
        top = max(float(np.nanmax(c)) if np.isfinite(c).any() else 0.0 for c in counts)
        if limits is not None and np.isfinite(limits["upper"]).any():
            top = max(top, float(np.nanmax(limits["upper"])))
        _count_axis(ax, top, y_label)
        _month_axis(ax, months)
        missing = {n: ~np.isfinite(c) for n, c in zip(names, counts, strict=True)}
        runs = _missing_bands(ax, xs, missing, len(names) > 1)
        end: list[tuple[float, str, str]] = []
        for i, (name, y) in enumerate(zip(names, counts, strict=True)):
            ax.plot(
                xs,
                y,
                color=CATEGORICAL[i],
                linestyle=LINE_STYLES[i],
                linewidth=2.2 if i == 0 else 1.8,
                marker=MARKERS[i],
                markersize=3.5,
                zorder=3 + (len(names) - i),
                gid=f"series-{i}",
            )
            finite = np.flatnonzero(np.isfinite(y))
            if show_names and finite.size:
                end.append((float(y[finite[-1]]), name, CATEGORICAL[i]))
        if limits is not None:
            end += _draw_xmr(fig, ax, xs, counts[0], limits, good_direction)
        if intervention is not None:
            _intervention_line(ax, pd.Period(intervention, freq="M"), intervention_label)
        _end_labels(ax, fig, end)
        svg = _render(fig)

    frames = []
    for part, y in zip(parts, counts, strict=True):
        d = pd.DataFrame({"month": months, "count": y})
        for j, col in enumerate(by):
            d.insert(j, col, part[col].iloc[0])
        frames.append(d)
    data = pd.concat(frames, ignore_index=True)
    if limits is not None:
        data = data.assign(
            mean=limits["mean"].to_numpy(),
            lower=limits["lower"].to_numpy(),
            upper=limits["upper"].to_numpy(),
            special_cause=limits["special_cause"].to_numpy(bool),
        )
    if alt is None:
        alt = _trend_alt(
            title, y_label, months, names, counts, runs, limits, good_direction,
            intervention, intervention_label, show_names,
        )  # fmt: skip
    return Chart(svg, alt, title, subtitle, data)


def _intervention_line(ax: Any, start: pd.Period, label: str | None) -> None:
    xi = float(start.ordinal) - 0.5
    ax.axvline(xi, color=REFERENCE, lw=1.2, ls=_INTERVENTION_STYLE, zorder=2, gid="intervention")
    ax.text(
        xi,
        1.01,
        label or "Intervention starts",
        transform=blended_transform_factory(ax.transData, ax.transAxes),
        ha="center",
        va="bottom",
        fontsize=_SMALL,
        color=TEXT,
        clip_on=False,
    )


def _draw_xmr(
    fig: Figure,
    ax: Any,
    xs: np.ndarray,
    y: np.ndarray,
    limits: pd.DataFrame,
    good_direction: str | None,
) -> list[tuple[float, str, str]]:
    """Mean, limits and special-cause markers; returns the direct labels for the lines."""
    ax.plot(xs, limits["mean"], color=REFERENCE, lw=1.2, zorder=2, gid="xmr-mean")
    ax.plot(
        xs, limits["upper"], color=REFERENCE, lw=1.0, ls=_LIMIT_STYLE, zorder=2, gid="xmr-upper"
    )
    low = limits["lower"].where(limits["lower"] > 0)
    if low.notna().any():
        ax.plot(xs, low, color=REFERENCE, lw=1.0, ls=_LIMIT_STYLE, zorder=2, gid="xmr-lower")
    end: list[tuple[float, str, str]] = []
    known = np.flatnonzero(np.isfinite(limits["mean"].to_numpy()))
    if known.size:
        last = limits.iloc[int(known[-1])]
        end.append((float(last["mean"]), f"Mean {_num(last['mean'], 1)}", REFERENCE))
        end.append((float(last["upper"]), f"Upper limit {_num(last['upper'], 1)}", REFERENCE))
        if last["lower"] > 0:
            end.append((float(last["lower"]), f"Lower limit {_num(last['lower'], 1)}", REFERENCE))
    handles = []
    direction = limits["direction"].to_numpy()
    for sign, marker, word in ((1, "^", "high"), (-1, "v", "low")):
        mask = limits["special_cause"].to_numpy(bool) & (direction == sign)
        if not mask.any():
            continue
        kind = _judge(sign > 0, good_direction)
        colour = {"improvement": CATEGORICAL[1], "concern": CATEGORICAL[3]}.get(
            kind, CATEGORICAL[2]
        )
        style = {
            "linestyle": "none",
            "marker": marker,
            "markersize": 9,
            "markerfacecolor": colour,
            "markeredgecolor": TEXT,
            "markeredgewidth": 0.6,
        }
        ax.plot(xs[mask], y[mask], zorder=10, gid=f"special-cause-{word}", **style)
        text = f"Unusually {word} (special cause)" + (f": {kind}" if kind else "")
        handles.append(Line2D([], [], label=text, **style))
    if handles:
        fig.legend(handles=handles, loc="outside lower left", ncols=1, handletextpad=0.3)
    return end


def _span(months: pd.PeriodIndex, a: int, b: int) -> str:
    return _month(months[a]) if a == b else f"{_month(months[a])} to {_month(months[b])}"


def _trend_alt(
    title: str,
    y_label: str,
    months: pd.PeriodIndex,
    names: list[str],
    counts: list[np.ndarray],
    runs: list[tuple[int, int, tuple[str, ...]]],
    limits: pd.DataFrame | None,
    good_direction: str | None,
    intervention: Any,
    intervention_label: str | None,
    show_names: bool,
) -> str:
    parts = [
        f"{title.rstrip('.')}.",
        f"Line chart of {_lower_first(y_label)}, {_month(months[0])} to {_month(months[-1])}.",
    ]
    for name, y in zip(names, counts, strict=True):
        finite = np.flatnonzero(np.isfinite(y))
        if not finite.size:
            parts.append(f"{name}: no data." if show_names else "No data.")
            continue
        first, last = finite[0], finite[-1]
        hi, lo = int(np.nanargmax(y)), int(np.nanargmin(y))
        text = (
            f"{_num(y[last])} in {_month(months[last])}"
            + ("" if first == last else f", against {_num(y[first])} in {_month(months[first])}")
            + f"; highest {_num(y[hi])} ({_month(months[hi])}), "
            f"lowest {_num(y[lo])} ({_month(months[lo])})."
        )
        parts.append(f"{name}: {text}" if show_names else text[0].upper() + text[1:])
    if runs:
        spans = [_span(months, a, b) + (f" ({', '.join(who)})" if len(names) > 1 and
                 len(who) < len(names) else "") for a, b, who in runs]  # fmt: skip
        parts.append(f"No data for {_list(spans)}; shown as a gap, not zero.")
    if limits is not None and np.isfinite(limits["mean"]).any():
        m = limits.dropna(subset=["mean"]).iloc[-1]
        parts.append(
            f"Mean {_num(m['mean'], 1)} a month; process limits {_num(max(m['lower'], 0.0), 1)} "
            f"to {_num(m['upper'], 1)}."
        )
        parts.append(_special_alt(months, counts[0], limits, good_direction))
    if intervention is not None:
        start = pd.Period(intervention, freq="M")
        parts.append(
            f"A vertical line marks {intervention_label or 'the intervention'} ({_month(start)})."
        )
    return " ".join(parts)


def _special_alt(
    months: pd.PeriodIndex, y: np.ndarray, limits: pd.DataFrame, good_direction: str | None
) -> str:
    """Special-cause months in words, consecutive months with the same cause grouped."""
    idx = np.flatnonzero(limits["special_cause"].to_numpy(bool))
    if not idx.size:
        return "No month shows special-cause variation."
    groups: list[list[int]] = []
    for i in idx:
        prev = groups[-1][-1] if groups else None
        same = prev is not None and (
            limits["cause"].iloc[i] == limits["cause"].iloc[prev]
            and limits["direction"].iloc[i] == limits["direction"].iloc[prev]
            and not np.isfinite(y[prev + 1 : i]).any()  # nothing observed in between
        )
        if same:
            groups[-1].append(i)
        else:
            groups.append([i])
    items = []
    for g in groups:
        a, b = g[0], g[-1]
        kind = _judge(bool(limits["direction"].iloc[a] > 0), good_direction)
        what = limits["cause"].iloc[a]
        head = f"{_num(y[a])}" if a == b else f"{len(g)} months"
        items.append(f"{_span(months, a, b)} ({head}, {what}" + (f", {_a(kind)})" if kind else ")"))
    n = idx.size
    return f"{n} month{'s' if n > 1 else ''} show special-cause variation: {_list(items, 6)}."


# --------------------------------------------------------------------------- 2. change


def _significance(
    table: pd.DataFrame, given: str | None, lo: str, hi: str, alpha: float, null: float = 1.0
) -> np.ndarray:
    col = _pick(table, given, ("significant",), "significance")
    if col is not None:
        return table[col].astype("boolean").fillna(False).to_numpy(bool)
    for c in ("q_value", "p_adjusted", "p_value"):
        if c in table.columns:
            return (table[c].astype(float) < alpha).to_numpy()
    return ((table[lo] > null) | (table[hi] < null)).to_numpy()


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


def change_chart(
    table: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    category: str | None = None,
    estimate: str | None = None,
    ci_low: str | None = None,
    ci_high: str | None = None,
    previous: str | None = None,
    current: str | None = None,
    significant: str | None = None,
    alpha: float = 0.05,
    alt: str | None = None,
) -> Chart:
    """Rate ratio current ÷ previous with its 95% interval per category (forest plot, log axis).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per category with the ratio ``estimate`` and ``ci_low``/``ci_high`` (aliases
        ``rate_ratio``, ``lower``/``upper``), and optionally the counts ``previous`` and
        ``current`` (aliases ``count_previous``/``count_current``) shown in the labels.
        Significance comes from a boolean ``significant`` column, else ``q_value`` or
        ``p_value`` below ``alpha``, else an interval excluding 1.
    title, subtitle : str
        Headline title and statistical subtitle.
    category, estimate, ci_low, ci_high, previous, current, significant : str, optional
        Column names when they differ from the defaults above.
    alpha : float, default 0.05
        Level for ``q_value``/``p_value``.
    alt : str, optional
        Text alternative; composed from the data when omitted.

    Returns
    -------
    Chart
        Rows sorted by ratio (largest first); filled markers = significant, open = not; a
        reference line at 1. ``data`` holds the rows in plotted order with ``significant``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"category": ["Robbery", "Burglary", "Drugs"],
    ...                   "previous": [45, 300, 80], "current": [78, 270, 84],
    ...                   "estimate": [1.733, 0.9, 1.05], "ci_low": [1.19, 0.76, 0.77],
    ...                   "ci_high": [2.55, 1.06, 1.43]})
    >>> c = change_chart(t, title="Robbery rose; other crime was steady",
    ...                  subtitle="Crimes, Sampleton, 2024/25 against 2023/24")
    >>> "Robbery 45 to 78 (+73%, rate ratio 1.73, 95% CI 1.19 to 2.55)" in c.alt
    True
    >>> c.data["category"].tolist()
    ['Robbery', 'Drugs', 'Burglary']
    """
    _check_text(title, subtitle)
    table = _frame(table, "table")
    cat = _need(table, category, ("category", "crime_type", "group", "label"), "category")
    est = _need(table, estimate, ("estimate", "rate_ratio", "ratio"), "rate ratio")
    lo = _need(table, ci_low, _LO, "lower interval")
    hi = _need(table, ci_high, _HI, "upper interval")
    prev = _pick(
        table,
        previous,
        ("previous", "count_previous", "count_baseline", "count_1"),
        "previous count",
    )
    cur = _pick(table, current, ("current", "count_current", "count_2"), "current count")
    t = table.copy()
    for c in (est, lo, hi):
        t[c] = t[c].astype(float)
    if bool((t[[est, lo, hi]] < 0).any().any()):
        raise ValueError("rate ratios and their intervals cannot be negative")
    _frame_intervals(t, est, lo, hi)
    t["significant"] = _significance(t, significant, lo, hi, alpha)
    key = t[est].fillna(-np.inf)  # largest first, +inf (none before) on top, untested last
    t = t.assign(_key=key).sort_values("_key", ascending=False, kind="stable").drop(columns="_key")
    t = t.reset_index(drop=True)
    n = len(t)
    ok = np.isfinite(t[est]) & (t[est] > 0)
    vals = pd.concat([t.loc[ok, est], t.loc[ok, lo].where(t.loc[ok, lo] > 0), t.loc[ok, hi]])
    vals = vals[np.isfinite(vals)]
    xmin = min(float(vals.min()) if len(vals) else 1.0, 1.0) / 1.25
    xmax = max(float(vals.max()) if len(vals) else 1.0, 1.0) * 1.25

    with house_style({"svg.hashsalt": _salt(title)}):
        fig = _figure(0.55 * n + 1.45)
        ax = fig.add_subplot()
        ax.set_xscale("log")
        ax.set_xlim(xmin, xmax)
        _row_axes(ax, n)
        ax.axvline(1.0, color=REFERENCE, lw=1.0, zorder=1, gid="no-change")
        ticks = _log_ticks(xmin, xmax)
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}"))
        ax.grid(axis="x")
        ax.set_axisbelow(True)
        ax.set_xlabel("Rate ratio, log scale (below 1 = fewer, above 1 = more)")
        colour = CATEGORICAL[0]
        for i, row in t.iterrows():
            e, a, b, sig = row[est], row[lo], row[hi], bool(row["significant"])
            counts = ""
            if prev is not None and cur is not None:
                counts = f": {_num(row[prev])} → {_num(row[cur])}"
            if ok[i]:
                a_draw = a if np.isfinite(a) and a > 0 else xmin
                b_draw = b if np.isfinite(b) else xmax
                ax.plot(
                    [max(a_draw, xmin), min(b_draw, xmax)], [i, i], color=colour, lw=1.6, zorder=2
                )
                ax.plot(
                    [e],
                    [i],
                    marker="o",
                    markersize=8,
                    linestyle="none",
                    markerfacecolor=colour if sig else "white",
                    markeredgecolor=colour,
                    markeredgewidth=1.6,
                    zorder=3,
                    gid=f"ratio-{i}",
                )
                pct = f" ({(e - 1) * 100:+.0f}%)"
            else:
                ax.text(
                    1.0,
                    i,
                    f" {_no_ratio(e)}",
                    fontsize=_SMALL,
                    va="center",
                    color=MUTED_TEXT,
                )
                pct = ""
            _row_label(ax, i, f"{row[cat]}{counts}{pct}")
        handles = [
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=8,
                markerfacecolor=colour,
                markeredgecolor=colour,
                label="Significant change",
            ),
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=8,
                markerfacecolor="white",
                markeredgecolor=colour,
                markeredgewidth=1.6,
                label="Not significant",
            ),
        ]
        fig.legend(handles=handles, loc="outside lower left", ncols=2, handletextpad=0.2)
        svg = _render(fig)

    extra = [c for c in ("p_value", "q_value") if c in t.columns]
    data = t[_present(t, cat, prev, cur, est, lo, hi, "significant", *extra)]
    if alt is None:
        alt = _change_alt(title, t, cat, est, lo, hi, prev, cur)
    return Chart(svg, alt, title, subtitle, data)


def _no_ratio(e: float) -> str:
    """Why a row has no finite, positive rate ratio."""
    if np.isnan(e):
        return "no data to compare"
    return "none in the previous period" if e > 1 else "none in the current period"


def _change_alt(
    title: str,
    t: pd.DataFrame,
    cat: str,
    est: str,
    lo: str,
    hi: str,
    prev: str | None,
    cur: str | None,
) -> str:
    def item(row: pd.Series) -> str:
        counts = f" {_num(row[prev])} to {_num(row[cur])}" if prev and cur else ""
        e = row[est]
        if not (np.isfinite(e) and e > 0):
            return f"{row[cat]}{counts} ({_no_ratio(e)})"
        ci = ""
        if np.isfinite(row[lo]) and np.isfinite(row[hi]):
            ci = f", 95% CI {row[lo]:.2f} to {row[hi]:.2f}"
        return f"{row[cat]}{counts} ({(e - 1) * 100:+.0f}%, rate ratio {e:.2f}{ci})"

    e = t[est].to_numpy(float)
    sig = t["significant"].to_numpy(bool) & ~np.isnan(e)
    up = [item(r) for _, r in t[sig & (e > 1)].iterrows()]
    down = [item(r) for _, r in t[sig & (e < 1)].iloc[::-1].iterrows()]
    untested = [str(v) for v in t.loc[np.isnan(e), cat]]
    parts = [
        f"{title.rstrip('.')}.",
        f"Rate ratios (current ÷ previous) with 95% intervals for {len(t)} categories.",
    ]
    parts.append(f"Significant increases: {_list(up, 5)}." if up else "No significant increases.")
    parts.append(
        f"Significant decreases: {_list(down, 5)}." if down else "No significant decreases."
    )
    rest = len(t) - len(up) - len(down) - len(untested)
    if rest:
        parts.append(
            f"{rest} other{'s' if rest > 1 else ''} changed no more than chance would explain."
        )
    if untested:
        parts.append(f"No data to compare for {_list(untested)}.")
    return " ".join(parts)


# --------------------------------------------------------------------------- 3. share


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

    with house_style({"svg.hashsalt": _salt(title)}):
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


# --------------------------------------------------------------------------- 4. ITS


def _month_values(
    obj: pd.DataFrame | pd.Series, candidates: Sequence[str], what: str
) -> pd.DataFrame:
    """``month`` + ``value`` (+ ``ci_low``/``ci_high``) from a frame or a month-indexed series."""
    if isinstance(obj, pd.Series):
        return pd.DataFrame({"month": _as_months(obj.index), "value": obj.astype(float).to_numpy()})
    frame = _frame(obj, what)
    if "month" not in frame.columns:
        raise ValueError(f"{what} needs a 'month' column")
    col = _pick(frame, None, candidates, what)
    if col is None:
        numeric = [
            c for c in frame.columns if c != "month" and pd.api.types.is_numeric_dtype(frame[c])
        ]
        numeric = [c for c in numeric if c not in (*_LO, *_HI)]
        if len(numeric) != 1:
            raise ValueError(f"{what} needs one value column (one of {list(candidates)})")
        col = numeric[0]
    out = pd.DataFrame(
        {"month": _as_months(frame["month"]), "value": frame[col].astype(float).to_numpy()}
    )
    lo, hi = _pick(frame, None, _LO, "lower"), _pick(frame, None, _HI, "upper")
    if lo and hi:
        out["ci_low"] = frame[lo].astype(float).to_numpy()
        out["ci_high"] = frame[hi].astype(float).to_numpy()
    return out


def its_chart(
    observed: pd.DataFrame | pd.Series,
    fitted: pd.DataFrame | pd.Series,
    counterfactual: pd.DataFrame | pd.Series,
    intervention: pd.Period | str,
    *,
    title: str,
    subtitle: str,
    intervention_label: str | None = None,
    y_label: str = "Count per month",
    alt: str | None = None,
) -> Chart:
    """Interrupted time series: observed points, fitted line, counterfactual dashed line.

    Parameters
    ----------
    observed : pandas.DataFrame or pandas.Series
        ``month`` and ``count`` (``NaN`` = no data, shown as a gap), or a series indexed by
        month.
    fitted : pandas.DataFrame or pandas.Series
        ``month`` and the model's fitted values (column ``fitted``, ``estimate``,
        ``value`` or ``count``).
    counterfactual : pandas.DataFrame or pandas.Series
        ``month`` and the expected values without the intervention (column
        ``counterfactual``, ``estimate``, ``value`` or ``count``); it is drawn from the
        month before the intervention on. Optional ``ci_low``/``ci_high`` are drawn as a
        band. ``ITSResult.fitted`` and ``ITSResult.counterfactual`` from
        :func:`smp_analysis.stats.intervention.interrupted_time_series` fit directly.
    intervention : Period or str
        First month of the intervention.
    title, subtitle : str
        Headline title and statistical subtitle.
    intervention_label : str, optional
        Text beside the intervention line (default "Intervention starts").
    y_label : str, default "Count per month"
        Axis label.
    alt : str, optional
        Text alternative; composed from the data when omitted (totals after the
        intervention, observed against expected).

    Returns
    -------
    Chart
        ``data`` columns ``month, observed, fitted, counterfactual`` (+ interval).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.period_range("2024-01", periods=6, freq="M")
    >>> obs = pd.DataFrame({"month": m, "count": [30.0, 31, 29, 20, 19, 21]})
    >>> fit = pd.DataFrame({"month": m, "fitted": [30.0, 30, 30, 20, 20, 20]})
    >>> cf = pd.DataFrame({"month": m[3:], "counterfactual": [30.0, 30, 30]})
    >>> c = its_chart(obs, fit, cf, "2024-04", title="Crime fell after the scheme began",
    ...               subtitle="Crimes a month, Sampleton town centre")
    >>> "observed 60 against 90 expected without it (33% lower)" in c.alt
    True
    """
    _check_text(title, subtitle)
    obs = _month_values(observed, ("count", "observed", "value"), "observed")
    fit = _month_values(fitted, ("fitted", "estimate", "value", "count"), "fitted")
    cf = _month_values(
        counterfactual, ("counterfactual", "estimate", "value", "count"), "counterfactual"
    )
    start = pd.Period(intervention, freq="M")
    allm = [*obs["month"], *fit["month"], *cf["month"]]
    months = pd.period_range(min(allm), max(allm), freq="M")
    xs = months.asi8.astype(float)

    def on(frame: pd.DataFrame, col: str) -> np.ndarray:
        if frame["month"].duplicated().any():
            raise ValueError("a series has more than one row for a month")
        return frame.set_index("month")[col].reindex(months).to_numpy(float)

    y_obs, y_fit, y_cf = on(obs, "value"), on(fit, "value"), on(cf, "value")
    # The counterfactual equals the fit before the intervention: draw it from the last
    # month before, so it reads as the pre-intervention trend carried on.
    drawn_cf = np.where(months >= start - 1, y_cf, np.nan)
    band = "ci_low" in cf.columns
    cf_lo = on(cf, "ci_low") if band else None
    cf_hi = on(cf, "ci_high") if band else None

    with house_style({"svg.hashsalt": _salt(title)}):
        fig = _figure(4.1)
        ax = fig.add_subplot()
        tops = [
            np.nanmax(v)
            for v in (y_obs, y_fit, y_cf, cf_hi)
            if v is not None and np.isfinite(v).any()
        ]
        _count_axis(ax, float(max(tops)) if tops else 1.0, y_label)
        _month_axis(ax, months)
        runs = _missing_bands(ax, xs, {"observed": ~np.isfinite(y_obs)}, False)
        if band:
            ax.fill_between(
                xs,
                cf_lo,
                cf_hi,
                where=np.asarray(months >= start - 1),
                color=CATEGORICAL[3],
                alpha=0.15,
                lw=0,
                zorder=1,
                gid="counterfactual-interval",
            )
        ax.plot(
            xs,
            y_obs,
            linestyle="none",
            marker="o",
            markersize=4.5,
            color=REFERENCE,
            zorder=4,
            gid="observed",
        )
        before = months < start
        for part, gid in ((before, "fitted-before"), (~before, "fitted-after")):
            ax.plot(
                xs, np.where(part, y_fit, np.nan), color=CATEGORICAL[0], lw=2.2, zorder=3, gid=gid
            )
        ax.plot(
            xs,
            drawn_cf,
            color=CATEGORICAL[3],
            lw=2.2,
            ls=(0, (5, 2)),
            zorder=3,
            gid="counterfactual",
        )
        xi = float(start.ordinal) - 0.5
        ax.axvline(
            xi, color=REFERENCE, lw=1.2, ls=_INTERVENTION_STYLE, zorder=2, gid="intervention"
        )
        ax.text(
            xi,
            1.01,
            intervention_label or "Intervention starts",
            transform=blended_transform_factory(ax.transData, ax.transAxes),
            ha="center",
            va="bottom",
            fontsize=_SMALL,
            color=TEXT,
            clip_on=False,
        )
        handles = [
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=4.5,
                color=REFERENCE,
                label="Observed",
            ),
            Line2D([], [], color=CATEGORICAL[0], lw=2.2, label="Model fit"),
            Line2D(
                [],
                [],
                color=CATEGORICAL[3],
                lw=2.2,
                ls=(0, (5, 2)),
                label="Expected without the intervention",
            ),
        ]
        fig.legend(handles=handles, loc="outside lower left", ncols=1, handletextpad=0.4)
        svg = _render(fig)

    data = pd.DataFrame(
        {"month": months, "observed": y_obs, "fitted": y_fit, "counterfactual": y_cf}
    )
    if band:
        data["counterfactual_ci_low"] = cf_lo
        data["counterfactual_ci_high"] = cf_hi
    if alt is None:
        after = (months >= start) & np.isfinite(y_obs) & np.isfinite(y_cf)
        parts = [
            f"{title.rstrip('.')}.",
            f"{y_label} from {_month(months[0])} to "
            f"{_month(months[-1])} with a fitted segmented trend; "
            f"{intervention_label or 'the intervention'} began in {_month(start)}.",
        ]
        if after.any():
            o, e = float(np.sum(y_obs[after])), float(np.sum(y_cf[after]))
            k = int(after.sum())
            diff = (o - e) / e * 100 if e > 0 else float("nan")
            word = "lower" if diff < 0 else "higher"
            parts.append(
                f"Over the {k} month{'s' if k > 1 else ''} after it began, observed {_num(round(o))} "
                f"against {_num(round(e))} expected without it ({abs(diff):.0f}% {word})."
            )
        if runs:
            parts.append(
                "No data for "
                + _list(
                    [
                        _month(months[a])
                        if a == b
                        else f"{_month(months[a])} to {_month(months[b])}"
                        for a, b, _ in runs
                    ]
                )
                + "."
            )
        alt = " ".join(parts)
    return Chart(svg, alt, title, subtitle, data)


# --------------------------------------------------------------------------- 5. Lorenz


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

    with house_style({"svg.hashsalt": _salt(title)}):
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


# --------------------------------------------------------------------------- 6. groups


def _group_names(t: pd.DataFrame, grp: str) -> list[str]:
    """Readable row names: IMD deciles/quintiles spelt out, the reference group marked."""
    values = t[grp].tolist()
    kind = next((k for k in ("decile", "quintile") if k in grp.lower()), None)
    numeric = pd.to_numeric(t[grp], errors="coerce")
    names = []
    for v, x in zip(values, numeric, strict=True):
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            names.append(f"No {kind}" if kind else "Unknown")
        elif kind and np.isfinite(x) and float(x).is_integer():
            end = {1: " (most deprived)", (10 if kind == "decile" else 5): " (least deprived)"}
            names.append(f"{kind.title()} {int(x)}{end.get(int(x), '')}")
        else:
            names.append(str(v))
    if "is_reference" in t.columns:
        ref = t["is_reference"].astype("boolean").fillna(False).to_numpy(bool)
        names = [f"{n} (reference)" if r else n for n, r in zip(names, ref, strict=True)]
    return names


def rate_by_group_chart(
    table: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    group: str | None = None,
    estimate: str | None = None,
    ci_low: str | None = None,
    ci_high: str | None = None,
    reference: float | None = None,
    reference_label: str | None = None,
    value_label: str = "Rate per 1,000 residents",
    group_label: str | None = None,
    log: bool = False,
    kind: Literal["dot", "bar"] = "dot",
    sort: bool = False,
    decimals: int = 1,
    alt: str | None = None,
) -> Chart:
    """Rates or ratios with 95% intervals by group, one labelled row per group.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per group: ``group`` (aliases ``category``, ``imd_decile``, ``ethnic_group``,
        ``label``), ``estimate`` (aliases ``rate``, ``ratio``, ``value``) and optionally
        ``ci_low``/``ci_high``.
    title, subtitle : str
        Headline title and statistical subtitle.
    group, estimate, ci_low, ci_high : str, optional
        Column names when they differ from the defaults.
    reference : float, optional
        A reference value drawn as a vertical line (e.g. the area rate, or 1 for ratios;
        defaults to 1 when ``log``).
    reference_label : str, optional
        Text for the reference line (e.g. "Sampleton 12.3").
    value_label : str, default "Rate per 1,000 residents"
        Axis label.
    group_label : str, optional
        What the groups are, for the alt text (default: the group column's name).
    log : bool, default False
        Log axis (for ratios).
    kind : {"dot", "bar"}, default "dot"
        Dot-and-whisker rows or bars from zero (bars are not allowed with ``log``).
    sort : bool, default False
        Sort rows by estimate, highest first; otherwise keep the table's order (e.g. IMD
        decile 1 to 10).
    decimals : int, default 1
        Decimals in labels.
    alt : str, optional
        Text alternative; composed from the data when omitted.

    Returns
    -------
    Chart

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"imd_decile": ["decile 1", "decile 2", "decile 3"],
    ...                   "rate": [48.2, 30.1, 20.5], "ci_low": [44.0, 27.0, 18.0],
    ...                   "ci_high": [52.6, 33.4, 23.2]})
    >>> c = rate_by_group_chart(t, title="Crime is highest in the most deprived areas",
    ...                         subtitle="Crimes per 1,000 residents by IMD decile, 2024/25",
    ...                         reference=30.0, reference_label="Sampleton 30.0")
    >>> "Highest: decile 1, 48.2 (95% CI 44.0 to 52.6)" in c.alt
    True
    >>> "2.4 times" in c.alt
    True
    """
    _check_text(title, subtitle)
    table = _frame(table, "table")
    grp = _need(table, group, _GROUPS, "group")
    est = _need(
        table, estimate, ("estimate", "rate", "rri", "ratio", "rate_ratio", "value"), "estimate"
    )
    lo = _pick(table, ci_low, _LO, "lower interval")
    hi = _pick(table, ci_high, _HI, "upper interval")
    if kind not in ("dot", "bar"):
        raise ValueError("kind must be 'dot' or 'bar'")
    if kind == "bar" and log:
        raise ValueError("bars on a log axis mislead; use kind='dot' for ratios")
    t = table.copy()
    for c in (est, lo, hi):
        if c is not None:
            t[c] = t[c].astype(float)
    _frame_intervals(t, est, lo, hi)
    if log and bool((t[[c for c in (est, lo, hi) if c]] <= 0).any().any()):
        raise ValueError("a log axis needs positive values")
    if sort:
        t = t.sort_values(est, ascending=False, kind="stable")
    t = t.reset_index(drop=True)
    if log and reference is None:
        reference = 1.0
    n = len(t)
    names = _group_names(t, grp)

    def fmt(v: float) -> str:
        return _num(v, decimals)

    with house_style({"svg.hashsalt": _salt(title)}):
        fig = _figure(0.55 * n + 1.2)
        ax = fig.add_subplot()
        _row_axes(ax, n)
        vals = pd.concat([t[c] for c in (est, lo, hi) if c is not None])
        vals = vals[np.isfinite(vals)]
        extra = [reference] if reference is not None else []
        if log:
            low = min([*vals, *extra]) / 1.2
            high = max([*vals, *extra]) * 1.2
            ax.set_xscale("log")
            ax.set_xlim(low, high)
            ax.xaxis.set_major_locator(FixedLocator(_log_ticks(low, high)))
            ax.xaxis.set_minor_locator(NullLocator())
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}"))
        else:
            low = min(0.0, *vals, *extra)
            ax.set_xlim(low, max([*vals, *extra]) * 1.12)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=_STEPS, min_n_ticks=3))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,g}"))
        ax.grid(axis="x")
        ax.set_axisbelow(True)
        ax.set_xlabel(value_label + (" (log scale)" if log else ""))
        colour = CATEGORICAL[0]
        if reference is not None:
            ax.axvline(
                reference, color=REFERENCE, lw=1.2, ls=_LIMIT_STYLE, zorder=1, gid="reference"
            )
            if reference_label:
                ax.text(
                    reference,
                    -0.95,
                    f" {reference_label}",
                    ha="left",
                    va="top",
                    fontsize=_SMALL,
                    color=TEXT,
                )
        for i, row in t.iterrows():
            e = row[est]
            if kind == "bar" and np.isfinite(e):
                ax.barh(i, e, height=0.42, color=colour, zorder=2, gid=f"bar-{i}")
            if lo and hi and np.isfinite(row[lo]) and np.isfinite(row[hi]):
                ax.plot(
                    [row[lo], row[hi]],
                    [i, i],
                    color=REFERENCE if kind == "bar" else colour,
                    lw=1.6,
                    zorder=3,
                )
            if kind == "dot" and np.isfinite(e):
                ax.plot(
                    [e],
                    [i],
                    marker="o",
                    markersize=8,
                    color=colour,
                    linestyle="none",
                    zorder=4,
                    gid=f"dot-{i}",
                )
            ci = (
                f" ({fmt(row[lo])} to {fmt(row[hi])})" if lo and hi and np.isfinite(row[lo]) else ""
            )
            _row_label(ax, i, f"{names[i]}: {fmt(e)}{ci}")
        svg = _render(fig)

    if alt is None:
        parts = [
            f"{title.rstrip('.')}.",
            f"{value_label} by {group_label or grp.replace('_', ' ')}"
            + (" with 95% intervals" if lo and hi else "")
            + f", {n} groups.",
        ]

        def item(i: int) -> str:
            r = t.loc[i]
            return f"{names[i]}, {fmt(r[est])}" + (
                _interval_text(r[lo], r[hi], fmt) if lo and hi else ""
            )

        finite = t[np.isfinite(t[est])]
        if len(finite):
            i_top, i_bottom = int(finite[est].idxmax()), int(finite[est].idxmin())
            top, bottom = t.loc[i_top], t.loc[i_bottom]
            parts.append(f"Highest: {item(i_top)}; lowest: {item(i_bottom)}.")
            if bottom[est] > 0 and not log:
                parts.append(f"The highest is {top[est] / bottom[est]:.1f} times the lowest.")
        if reference is not None and lo and hi:
            above = int((t[lo] > reference).sum())
            below = int((t[hi] < reference).sum())
            ref = reference_label or fmt(reference)
            parts.append(
                f"Against the reference line ({ref}): {above} group{'s' if above != 1 else ''} "
                f"clearly higher, {below} clearly lower."
            )
        alt = " ".join(parts)
    return Chart(svg, alt, title, subtitle, t[_present(t, grp, est, lo, hi, "is_reference")])


# --------------------------------------------------------------------------- 7. indicator


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

    with house_style({"svg.hashsalt": _salt(title)}):
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


# --------------------------------------------------------------------------- 8. public bars

_SUPPRESSED = "[c]"


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
            "suppressed": table.mask[column].to_numpy(bool),
            "suppression": np.where(
                table.primary[column].to_numpy(bool),
                "primary",
                np.where(table.secondary[column].to_numpy(bool), "secondary", ""),
            ),
            "threshold": table.thresholds[column].to_numpy(),
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
    "[c] fewer than N" (primary suppression), or "[c] withheld to protect other figures"
    (secondary suppression), and its number is removed from ``data`` too. There is no value
    axis: every bar carries its value.

    Parameters
    ----------
    values : pandas.DataFrame or SuppressedTable
        One row per bar: ``category`` (aliases ``group``, ``label``, ``name``) and ``value``
        (alias ``count``). A value is suppressed when it is the text ``"[c]"`` or when the
        boolean ``suppressed`` column is true. A per-row ``threshold`` column overrides
        ``threshold``. A :class:`~smp_analysis.stats.disclosure.SuppressedTable` (from
        ``suppress_series``) is read directly: its primary/secondary masks and per-cell
        thresholds give the wording.
    title, subtitle : str
        Headline title and statistical subtitle.
    category, value, suppressed : str, optional
        Column names when they differ from the defaults.
    threshold : int, optional
        The disclosure threshold N: suppressed values read "[c] fewer than N". Without it
        they read "[c] too few to show".
    reason : str, optional
        Column saying why a value is suppressed (default column ``suppression`` or
        ``suppression_reason`` when present); values containing "secondary" get the
        secondary wording, since those values may be larger than N. Without such a column
        every suppressed value is assumed primary: pass one if secondary suppression was
        applied.
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
        ``"1,234"``, or ``"[c]"``) and ``note`` (e.g. ``"fewer than 5"``). Suppressed
        numbers are not in it.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"category": ["Town centre", "North", "South"],
    ...                   "value": [1234, "[c]", 56]})
    >>> c = public_bar_chart(v, title="Most crime is in the town centre",
    ...                      subtitle="Crimes, Sampleton, 2024/25", threshold=5)
    >>> c.data["value"].tolist(), c.data["note"].tolist()
    (['1,234', '[c]', '56'], ['', 'fewer than 5', ''])
    >>> "North: [c] fewer than 5 (not shown)" in c.alt
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
    secondary = np.zeros(len(values), dtype=bool)
    if why is not None:
        secondary = values[why].astype(str).str.contains("secondary", case=False).to_numpy() & is_c
    if "threshold" in values.columns:
        limits = pd.to_numeric(values["threshold"], errors="coerce").to_numpy(float)
    else:
        limits = np.full(len(values), np.nan if threshold is None else float(threshold))
    labels = []
    for x, c, sec, lim in zip(nums, is_c, secondary, limits, strict=True):
        if c:
            if sec:
                labels.append(f"{_SUPPRESSED} withheld to protect other figures")
            elif np.isfinite(lim):
                labels.append(f"{_SUPPRESSED} fewer than {int(lim)}")
            else:
                labels.append(f"{_SUPPRESSED} too few to show")
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

    with house_style({"svg.hashsalt": _salt(title)}):
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
    return Chart(svg, alt, title, subtitle, published)
