"""The :class:`Chart` result, and what every chart builder shares to read its table and word it.

Reading the caller's table (column aliases, checks) and formatting numbers, months and lists
for labels and alt text. Nothing here draws: the figure, the house style and the shared axes
and labels are in :mod:`smp_analysis.present.charts._draw`.

Examples
--------
>>> _num(1234.0), _num(2.25), _pct(0.352)
('1,234', '2.2', '35.2%')
>>> _list(["Robbery", "Burglary", "Drugs"])
'Robbery, Burglary and Drugs'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

#: The most series one line chart shows; more need small multiples.
MAX_SERIES = 4


_GROUPS = ("group", "category", "decile", "quintile", "imd_decile", "ethnic_group", "label")
_LO = ("ci_low", "lower", "lower_ci", "lcl")
_HI = ("ci_high", "upper", "upper_ci", "ucl")


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
    downloadable : bool
        Whether ``data`` is the chart's download (``False`` for public charts).

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
    #: whether ``data`` is downloaded as the chart's numbers; public charts repeat the
    #: disclosure-controlled table beside them (their ``data`` is that table's text)
    downloadable: bool = True

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
        """Display in Jupyter as SVG with the alt text in the output metadata."""
        return (
            {"image/svg+xml": self.figure_svg, "text/plain": self.alt},
            {"image/svg+xml": {"alt": self.alt}},
        )


# --------------------------------------------------------------------------- input


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


def _present(frame: pd.DataFrame, *cols: str | None) -> list[str]:
    """The named columns that exist, once each, in order (the plotted data)."""
    return list(dict.fromkeys(c for c in cols if c is not None and c in frame.columns))


def _frame_intervals(frame: pd.DataFrame, est: str, lo: str | None, hi: str | None) -> None:
    if lo is None or hi is None:
        return
    tol = 1e-9 * frame[est].abs().where(np.isfinite(frame[est]), 0) + 1e-12
    bad = (frame[lo] > frame[est] + tol) | (frame[hi] < frame[est] - tol)
    if bool(bad.fillna(False).any()):
        raise ValueError(
            "an interval does not contain its estimate (ci_low <= estimate <= ci_high)"
        )


# --------------------------------------------------------------------------- words


def _num(x: float, decimals: int | None = None) -> str:
    """Format a number for people: thousands separators, no needless decimals."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "no data"
    if decimals is None:
        decimals = 0 if float(x).is_integer() else 1
    return f"{x:,.{decimals}f}"


def _level(x: float) -> str:
    """A mean or limit of counts: whole numbers from 100 up, at most one decimal below."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "no data"
    return _num(float(x), 0 if abs(float(x)) >= 100 else None)


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


def _interval_text(lo: float, hi: float, fmt: Any) -> str:
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return ""
    return f" (95% CI {fmt(lo)} to {fmt(hi)})"
