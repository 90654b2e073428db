"""Group chart: rates or ratios with 95% intervals, one labelled row per group.

:func:`rate_by_group_chart` draws dot-and-whisker rows (or bars from zero) by group, e.g.
IMD decile or ethnic group, with an optional reference line and a log axis for ratios.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator

from ..style import CATEGORICAL, REFERENCE, TEXT
from ._base import (
    _GROUPS,
    _HI,
    _LO,
    Chart,
    _check_text,
    _frame,
    _frame_intervals,
    _interval_text,
    _need,
    _num,
    _pick,
    _present,
)
from ._draw import (
    _LIMIT_STYLE,
    _SMALL,
    _STEPS,
    _figure,
    _log_ticks,
    _render,
    _row_axes,
    _row_label,
    _style,
)


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

    with _style(title):
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
