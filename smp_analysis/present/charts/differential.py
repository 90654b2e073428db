"""Differential change chart: which sub-types changed out of step with their parent.

:func:`differential_chart` draws, for each sub-category (e.g. each domestic-abuse
sub-type), the odds ratio of its share of the parent this year against last year with its
95% interval, on a log axis with a line at 1 ("changed like the rest"). Sub-types that
changed disproportionately once the false discovery rate is controlled (q below
``alpha``) are filled dots, the others open; each row is labelled with its counts and
percentage change, so the chart reads without the table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..style import CATEGORICAL, MUTED_TEXT
from ._base import (
    Chart,
    _check_text,
    _frame,
    _frame_intervals,
    _list,
    _need,
    _num,
)
from ._draw import (
    _SMALL,
    _above,
    _figure,
    _filled_open_legend,
    _ratio_axis,
    _ratio_limits,
    _ratio_row,
    _render,
    _row_label,
    _style,
)

_NEEDED = ("sub_before", "sub_after", "total_before", "total_after", "ci_low", "ci_high")


def _pct_text(before: float, after: float) -> str:
    if not before > 0:
        return ""
    return f" ({(after - before) / before * 100:+.0f}%)"


def differential_chart(
    table: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    category: str | None = None,
    parent: str = "the parent category",
    alpha: float = 0.05,
    alt: str | None = None,
) -> Chart:
    """Odds ratio of each sub-category's share, this year against last, with its interval.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per sub-category as
        :func:`smp_analysis.stats.disproportionality.differential_change_table` returns
        it: ``sub_before``, ``sub_after``, ``total_before``, ``total_after``,
        ``odds_ratio`` (or ``estimate``), ``ci_low``, ``ci_high`` and ``q_value`` (or
        ``p_value``), with the name in ``label`` (or ``category``/``sub_type``).
    title, subtitle : str
        Headline title and statistical subtitle.
    category : str, optional
        Column naming the rows when it is not ``label``, ``category`` or ``sub_type``.
    parent : str, default "the parent category"
        The parent in words, e.g. "domestic abuse" (used in the labels and alt text).
    alpha : float, default 0.05
        A row with ``q_value`` (else ``p_value``) below ``alpha`` is a filled dot.
    alt : str, optional
        Text alternative; composed from the data when omitted.

    Returns
    -------
    Chart
        Rows sorted by odds ratio, largest first (rows without one last). ``data`` holds
        the plotted rows with ``significant``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({
    ...     "label": ["Coercive control", "Violence"], "sub_before": [60, 700],
    ...     "sub_after": [95, 705], "total_before": [1000, 1000], "total_after": [1050, 1050],
    ...     "odds_ratio": [1.53, 0.87], "ci_low": [1.08, 0.72], "ci_high": [2.18, 1.05],
    ...     "q_value": [0.03, 0.15]})
    >>> c = differential_chart(t, title="Coercive control grew faster",
    ...                        subtitle="DA sub-types", parent="domestic abuse")
    >>> "All domestic abuse: 1,000 to 1,050 (+5%)" in c.alt
    True
    >>> "Coercive control 60 to 95 (+58%, odds ratio 1.53, 95% CI 1.08 to 2.18" in c.alt
    True
    >>> c.data["significant"].tolist()
    [True, False]
    """
    _check_text(title, subtitle)
    table = _frame(table, "table")
    cat = _need(table, category, ("label", "category", "sub_type"), "sub-category name")
    est = _need(table, None, ("odds_ratio", "estimate"), "odds ratio")
    for c in _NEEDED:
        _need(table, c, (c,), c)
    q = _need(table, None, ("q_value", "p_value"), "q-value")
    t = table.copy()
    for c in (est, *_NEEDED, q):
        t[c] = t[c].astype(float)
    if bool((t[[est, "ci_low", "ci_high"]] < 0).any().any()):
        raise ValueError("odds ratios and their intervals cannot be negative")
    _frame_intervals(t, est, "ci_low", "ci_high")
    if t[["total_before", "total_after"]].nunique().max() > 1:
        raise ValueError("every row must share one parent total per year")
    t["significant"] = (t[q] < alpha).to_numpy()
    key = t[est].where(np.isfinite(t[est]) & (t[est] > 0), -np.inf)
    t = t.assign(_key=key).sort_values("_key", ascending=False, kind="stable").drop(columns="_key")
    t = t.reset_index(drop=True)
    n = len(t)
    ok = (np.isfinite(t[est]) & (t[est] > 0)).to_numpy()
    xmin, xmax = _ratio_limits(t[est], t["ci_low"], t["ci_high"])

    with _style(title):
        fig = _figure(0.55 * n + 1.75)
        ax = fig.add_subplot()
        _ratio_axis(ax, n, xmin, xmax, "Odds ratio, log scale (above 1: a bigger share)")
        _above(ax, 1.0, "Changed like the rest", color=MUTED_TEXT, fontsize=_SMALL - 0.5)
        colour = CATEGORICAL[0]
        for i, row in t.iterrows():
            counts = f": {_num(row['sub_before'])} → {_num(row['sub_after'])}"
            pct = _pct_text(row["sub_before"], row["sub_after"])
            if ok[i]:
                _ratio_row(
                    ax, i, row[est], row["ci_low"], row["ci_high"], bool(row["significant"]),
                    colour, xmin, xmax,
                )  # fmt: skip
            else:
                ax.text(1.0, i, " too few to compare", fontsize=_SMALL, va="center",
                        color=MUTED_TEXT)  # fmt: skip
            _row_label(ax, i, f"{row[cat]}{counts}{pct}")
        _filled_open_legend(
            fig,
            colour,
            f"Changed differently (q < {alpha:g})",
            "Within chance",
        )
        svg = _render(fig)

    cols = [cat, "sub_before", "sub_after", "total_before", "total_after", est, "ci_low",
            "ci_high", *(c for c in ("p_value", "q_value") if c in t.columns), "significant"]  # fmt: skip
    data = t[list(dict.fromkeys(cols))]
    if alt is None:
        alt = _alt(title, t, cat, est, parent, alpha)
    return Chart(svg, alt, title, subtitle, data)


def _alt(title: str, t: pd.DataFrame, cat: str, est: str, parent: str, alpha: float) -> str:
    def item(row: pd.Series) -> str:
        counts = f"{row[cat]} {_num(row['sub_before'])} to {_num(row['sub_after'])}"
        pct = _pct_text(row["sub_before"], row["sub_after"]).strip(" ()")
        e = row[est]
        if not (np.isfinite(e) and e > 0):
            return f"{counts} (too few to compare)"
        qv = row["q_value"] if "q_value" in row.index else row["p_value"]
        qname = "q" if "q_value" in row.index else "p"
        return (
            f"{counts} ({pct + ', ' if pct else ''}odds ratio {e:.2f}, 95% CI "
            f"{row['ci_low']:.2f} to {row['ci_high']:.2f}, {qname} = {qv:.3f})"
        )

    tb, ta = t["total_before"].iloc[0], t["total_after"].iloc[0]
    sig = t["significant"].to_numpy(bool)
    e = t[est].to_numpy(float)
    up = [item(r) for _, r in t[sig & (e > 1)].iterrows()]
    down = [item(r) for _, r in t[sig & (e < 1)].iterrows()]
    rest = [str(v) for v in t.loc[~sig, cat]]
    parts = [
        f"{title.rstrip('.')}.",
        f"Odds ratios with 95% intervals for {len(t)} sub-types of {parent}, this year "
        f"against last; 1 means a sub-type changed like the rest of {parent}.",
        f"All {parent}: {_num(tb)} to {_num(ta)}{_pct_text(tb, ta)}.",
    ]
    if up:
        parts.append(f"Grew as a share of {parent} (q < {alpha:g}): {_list(up, 6)}.")
    if down:
        parts.append(f"Shrank as a share of {parent} (q < {alpha:g}): {_list(down, 6)}.")
    if not up and not down:
        parts.append("No sub-type changed differently from the rest once chance is allowed for.")
    if rest:
        parts.append(f"Within chance: {_list(rest, 6)}.")
    return " ".join(parts)
