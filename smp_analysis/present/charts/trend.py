"""Trend chart: monthly counts over time, with XmR limits, an intervention and comparisons.

:func:`trend_chart` draws up to four monthly series (the first solid, the others dashed or
dotted with their own markers, all labelled directly), a month with no data as a gap with a
"no data" note, and for a single series optionally the XmR (individuals chart) mean and
process limits with special-cause months marked as triangles.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ...stats.mdc import MdcIcons, mdc_icons
from ..style import CATEGORICAL, LINE_STYLES, MARKERS, REFERENCE, TEXT
from ._base import (
    MAX_SERIES,
    Chart,
    _as_months,
    _check_text,
    _frame,
    _level,
    _list,
    _lower_first,
    _month,
    _need,
    _num,
    _pick,
)
from ._draw import (
    _LIMIT_STYLE,
    _count_axis,
    _end_labels,
    _figure,
    _icon_strip,
    _intervention_line,
    _missing_bands,
    _missing_notes,
    _month_axis,
    _render,
    _reporting_band,
    _style,
    _value_axis,
)
from ._mdc import icon_specs, icons_alt

#: Target line style (dash-dot-dot), distinct from the limits and the intervention line.
_TARGET_STYLE = (0, (8, 2, 1, 2, 1, 2))


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
    reporting_year: Any | None = None,
    target: float | None = None,
    icons: MdcIcons | Literal["auto"] | None = "auto",
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
    reporting_year : ReportingPeriod, optional
        The reporting year (anything with ``label``, ``start`` and ``end`` months, e.g.
        :class:`smp_analysis.stats.periods.ReportingPeriod`): a bracket above the plot
        labelled "Reporting year …", and a light tint behind its months when every line
        drawn keeps 3:1 contrast against it (one series; the tint is decorative).
    target : float, optional
        A target in the chart's units (e.g. crimes a month), drawn as a labelled line; with
        an XmR result it also gives the Making Data Count assurance icon.
    icons : MdcIcons, "auto" or None, default "auto"
        Making Data Count icons drawn above the plot with their meaning in words (and in
        the alt text). ``"auto"``: computed with
        :func:`smp_analysis.stats.mdc.mdc_icons` when ``xmr`` is an ``XmrResult``
        (variation of the latest month; assurance when ``target`` and
        ``good_direction`` are given). ``None``: no icons.
    alt : str, optional
        Text alternative; composed from the data when omitted.

    Returns
    -------
    Chart
        ``data`` has the ``by`` columns, ``month``, ``count`` (every month of the span,
        ``NaN`` where missing) and, with ``xmr``, ``mean``, ``lower``, ``upper``,
        ``special_cause``. With ``xmr`` the y axis spans the data and the limits (it
        starts at zero only when the data come close to it); without, counts start at
        zero.

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
    if target is not None and not np.isfinite(float(target)):
        raise ValueError(f"the target must be a finite number, got {target!r}")
    if isinstance(icons, str):
        if icons != "auto":
            raise ValueError("icons must be an MdcIcons result, 'auto' or None")
        is_result = hasattr(xmr, "points") and hasattr(xmr, "ucl")
        icons = mdc_icons(xmr, good_direction, target=target) if is_result else None
    icon_rows = icon_specs(icons, _level) if icons is not None else []

    with _style(title):
        height = 3.9
        fig = _figure(height + 0.36 * len(icon_rows))
        if icon_rows:
            grid = fig.add_gridspec(2, 1, height_ratios=[0.36 * len(icon_rows), height])
            _icon_strip(fig.add_subplot(grid[0]), icon_rows)
            ax = fig.add_subplot(grid[1])
        else:
            ax = fig.add_subplot()
        finite = [c[np.isfinite(c)] for c in counts]
        values = np.concatenate([*finite, [float(target)] if target is not None else []])
        axis_from = 0.0
        if limits is not None:
            drawn = [limits["mean"], limits["upper"], limits["lower"].where(limits["lower"] > 0)]
            lim = np.concatenate([d.to_numpy(float) for d in drawn])
            values = np.concatenate([values, lim[np.isfinite(lim)]])
            low = float(values.min()) if values.size else 0.0
            high = float(values.max()) if values.size else 1.0
            axis_from = _value_axis(ax, low, high, y_label)
        else:
            _count_axis(ax, float(values.max()) if values.size else 0.0, y_label)
        _month_axis(ax, months)
        missing = {n: ~np.isfinite(c) for n, c in zip(names, counts, strict=True)}
        runs = _missing_bands(ax, xs, missing)
        drawn_colours = [*CATEGORICAL[: len(names)], REFERENCE]  # markers have dark edges
        shaded = _reporting_band(
            ax, months, reporting_year, int(intervention is not None), drawn_colours
        )
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
            finite_at = np.flatnonzero(np.isfinite(y))
            if show_names and finite_at.size:
                end.append((float(y[finite_at[-1]]), name, CATEGORICAL[i]))
        if limits is not None:
            end += _draw_xmr(fig, ax, xs, counts[0], limits, good_direction)
        if target is not None:
            ax.axhline(float(target), color=REFERENCE, lw=1.2, ls=_TARGET_STYLE, zorder=2,
                       gid="target")  # fmt: skip
            end.append((float(target), f"Target {_num(float(target))}", REFERENCE))
        if intervention is not None:
            _intervention_line(ax, pd.Period(intervention, freq="M"), intervention_label)
        _end_labels(ax, fig, end)
        _missing_notes(fig, ax, xs, runs, [(xs, y) for y in counts], len(names) > 1, len(names))
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
        alt += _extras_alt(reporting_year, shaded, axis_from, target, icons)
    return Chart(svg, alt, title, subtitle, data)


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
        end.append((float(last["mean"]), f"Mean {_level(last['mean'])}", REFERENCE))
        end.append((float(last["upper"]), f"Upper limit {_level(last['upper'])}", REFERENCE))
        if last["lower"] > 0:
            end.append((float(last["lower"]), f"Lower limit {_level(last['lower'])}", REFERENCE))
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


def _extras_alt(
    period: Any,
    shaded: tuple[pd.Period, pd.Period] | None,
    axis_from: float,
    target: float | None,
    icons: MdcIcons | None,
) -> str:
    """Alt-text sentences for the reporting-year band, the axis, the target and the icons."""
    out = []
    if shaded is not None:
        out.append(
            f"The reporting year {period.label} ({_month(shaded[0])} to {_month(shaded[1])}) "
            "is marked above the plot."
        )
    if axis_from > 0:
        out.append(f"The vertical axis starts at {_num(axis_from, 1)}, not zero.")
    if target is not None and (icons is None or icons.assurance is None):
        out.append(f"A line marks the target of {_num(float(target))}.")
    if icons is not None:
        out.append(icons_alt(icons, _level))
    return "".join(" " + t for t in out)


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
            f"Mean {_level(m['mean'])} a month; process limits {_level(max(m['lower'], 0.0))} "
            f"to {_level(m['upper'])}."
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
