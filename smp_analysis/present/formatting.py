"""Number formatting shared by sentences and tables.

The narrative and the table beside it format numbers with the same functions, so a
number quoted in a sentence is character-for-character the number in the table.
Missing values print as the GSS symbol ``[x]`` ("not available").

Examples
--------
>>> count(12345), percent(-0.0814), signed_percent(0.031), ratio(0.9234)
('12,345', '8%', '+3%', '0.92')
>>> interval(0.8812, 0.9601), p_value(0.0004), p_value(0.0312)
('0.88 to 0.96', 'p < 0.001', 'p = 0.031')
>>> count(float("nan"))
'[x]'
"""

from __future__ import annotations

import math

__all__ = [
    "MISSING",
    "count",
    "number",
    "percent",
    "signed_percent",
    "share",
    "ratio",
    "interval",
    "p_value",
    "rate",
    "q_value",
]

#: GSS symbol for "not available".
MISSING = "[x]"


def _bad(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def count(x: float | int | None) -> str:
    """A whole number with thousands separators: ``'1,234'``."""
    if _bad(x):
        return MISSING
    return f"{round(float(x)):,}"


def number(x: float | int | None, dp: int = 1) -> str:
    """A number to ``dp`` decimal places with thousands separators: ``'1,234.5'``."""
    if _bad(x):
        return MISSING
    return f"{float(x):,.{dp}f}"


def percent(x: float | None, dp: int = 0) -> str:
    """The size of a proportional change or a share, without sign: ``-0.081 → '8%'``."""
    if _bad(x):
        return MISSING
    return f"{abs(float(x)) * 100:,.{dp}f}%"


def signed_percent(x: float | None, dp: int = 0) -> str:
    """A proportional change with its sign: ``-0.081 → '-8%'``, ``0.031 → '+3%'``.

    A change that would round to 0% gets one more decimal place (``'-0.1%'``), or reads
    ``'less than 0.1%'`` (``'less than 1%'`` at ``dp=0`` beyond that); no change at all
    reads ``'no change'`` — never ``'0%'``.

    Examples
    --------
    >>> signed_percent(-0.0014), signed_percent(0.0003), signed_percent(0.0)
    ('-0.1%', 'less than 0.1%', 'no change')
    """
    if _bad(x):
        return MISSING
    v = float(x) * 100
    if v == 0:
        return "no change"
    for places in (dp, dp + 1):
        text = f"{abs(v):,.{places}f}%"
        if text.strip("0.,%") != "":
            return ("+" if v > 0 else "-") + text
    return f"less than {10.0 ** -(dp + 1):g}%"


def share(x: float | None, dp: int = 0) -> str:
    """A proportion as a percentage: ``0.183 → '18%'``."""
    return percent(x, dp)


def ratio(x: float | None, dp: int = 2) -> str:
    """A ratio (rate ratio, odds ratio, location quotient): ``'0.92'``."""
    if _bad(x):
        return MISSING
    if math.isinf(float(x)):
        return "∞"
    return f"{float(x):,.{dp}f}"


def interval(lo: float | None, hi: float | None, dp: int = 2, fmt=None) -> str:
    """A confidence interval: ``'0.88 to 0.96'``."""
    f = fmt or (lambda v: ratio(v, dp))
    if _bad(lo) or _bad(hi):
        return MISSING
    return f"{f(lo)} to {f(hi)}"


def p_value(p: float | None) -> str:
    """A p-value as reported: ``'p < 0.001'`` or ``'p = 0.031'`` (two significant figures)."""
    if _bad(p):
        return MISSING
    p = float(p)
    if p < 0.001:
        return "p < 0.001"
    return f"p = {float(f'{p:.2g}'):g}"


def rate(x: float | None, dp: int = 1) -> str:
    """A rate per 1,000 (or per 100,000): one decimal place."""
    return number(x, dp)


def q_value(q: float | None) -> str:
    """A false-discovery-rate adjusted p-value for a table column: ``'0.022'``, ``'< 0.001'``.

    Examples
    --------
    >>> q_value(0.0218), q_value(0.00001), q_value(0.97)
    ('0.022', '< 0.001', '0.97')
    """
    return p_value(q).removeprefix("p ").removeprefix("= ")
