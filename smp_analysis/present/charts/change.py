"""Change chart: rate ratios (current ÷ previous) with 95% intervals per category.

:func:`change_chart` draws a forest plot on a log axis with a reference line at 1:
significant changes as filled markers, the others open.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..style import CATEGORICAL, MUTED_TEXT
from ._base import (
    _HI,
    _LO,
    Chart,
    _check_text,
    _frame,
    _frame_intervals,
    _list,
    _need,
    _num,
    _pick,
    _present,
)
from ._draw import (
    _SMALL,
    _figure,
    _filled_open_legend,
    _ratio_axis,
    _ratio_limits,
    _ratio_row,
    _render,
    _row_label,
    _style,
)


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
    xmin, xmax = _ratio_limits(t[est], t[lo], t[hi])

    with _style(title):
        fig = _figure(0.55 * n + 1.45)
        ax = fig.add_subplot()
        _ratio_axis(ax, n, xmin, xmax, "Rate ratio, log scale (below 1 = fewer, above 1 = more)")
        colour = CATEGORICAL[0]
        for i, row in t.iterrows():
            e, a, b, sig = row[est], row[lo], row[hi], bool(row["significant"])
            counts = ""
            if prev is not None and cur is not None:
                counts = f": {_num(row[prev])} → {_num(row[cur])}"
            if ok[i]:
                _ratio_row(ax, i, e, a, b, sig, colour, xmin, xmax)
                pct = f" ({(e - 1) * 100:+.0f}%)"
            else:
                ax.text(1.0, i, f" {_no_ratio(e)}", fontsize=_SMALL, va="center", color=MUTED_TEXT)
                pct = ""
            _row_label(ax, i, f"{row[cat]}{counts}{pct}")
        _filled_open_legend(fig, colour, "Significant change", "Not significant")
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
