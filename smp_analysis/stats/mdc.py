"""Making Data Count icons: the variation and assurance category of an XmR chart.

NHS England's "Making Data Count" (MDC) summarises an XmR chart with two icons
("Making Data Count: Strengthening your decisions", NHS Improvement 2019, revised by
NHS England 2021; the icon rules as implemented by R ``NHSRplotthedots``,
``geom_ptd_icon.R`` and ``ptd_calculate_assurance_type.R``):

**Variation** — what the *latest* observed point says (the special-cause rules of
:mod:`smp_analysis.stats.spc`: a point beyond a process limit, a run of 7 on one side of
the mean, a trend of 7 rising or falling, 2 of 3 near a limit):

* ``common_cause`` — the latest point is not special cause (grey icon);
* ``improvement_high`` / ``improvement_low`` — special cause in the better direction,
  the measure unusually high / low (blue in MDC);
* ``concern_high`` / ``concern_low`` — special cause in the worse direction (orange);
* ``neutral_high`` / ``neutral_low`` — special cause where neither direction is better
  (purple).

High or low is the point's special-cause ``direction`` from :func:`~.spc.xmr`: the side
of the limit or mean, or the direction of a trend (as ``NHSRplotthedots`` since PR #180,
so a falling trend still above the mean is "low").

**Assurance** — only with a target and a direction of improvement: where the target lies
against the process limits, i.e. whether the process as it runs will meet it:

* ``consistent_pass`` — the target is outside the limits on the side that is met
  every month (for "higher is better": target below the lower limit);
* ``consistent_fail`` — the target is outside the limits on the other side (for
  "higher is better": target above the upper limit): it will not be met without change;
* ``inconsistent`` — the target lies within the limits (inclusive): it will be met in
  some months and missed in others ("hit and miss").

Examples
--------
>>> from smp_analysis.stats.spc import xmr
>>> r = xmr([20, 22, 21, 19, 20, 21, 22, 20, 35])
>>> round(r.ucl, 1)                  # 200/9 + 2.66 * 10/7 (the MR of 15 screened out)
26.0
>>> mdc_icons(r, "down", target=24).assurance    # 24 is within the limits
'inconsistent'
>>> icons = mdc_icons(r, "down", target=30)      # 30 is above the upper limit
>>> icons.variation, icons.assurance
('concern_high', 'consistent_pass')
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .spc import XmrResult, variation

__all__ = ["MdcIcons", "mdc_icons", "assurance", "VARIATION_ICONS", "ASSURANCE_ICONS"]

#: Every variation category.
VARIATION_ICONS = (
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)
#: Every assurance category (``None`` when there is no target or no better direction).
ASSURANCE_ICONS = ("consistent_pass", "consistent_fail", "inconsistent")


@dataclass(frozen=True)
class MdcIcons:
    """The two Making Data Count icons of one XmR chart.

    Attributes
    ----------
    variation : str
        One of :data:`VARIATION_ICONS` (latest observed point).
    assurance : str or None
        One of :data:`ASSURANCE_ICONS`, or ``None`` without a target or without a
        better direction.
    at : object
        Index label (e.g. the month) of the latest observed point.
    value : float
        Its value.
    special_cause_type : str or None
        The rule that flagged it (``"Above UCL"``, ``"7 Point Trend (Decreasing)"``, ...).
    good_direction : str
        ``"up"``, ``"down"`` or ``"neutral"``.
    target : float or None
        The target the assurance icon compares with the limits.
    lcl, ucl : float
        The process limits used.
    method : str
        The rules applied and their source.
    """

    variation: str
    assurance: str | None
    at: object
    value: float
    special_cause_type: str | None
    good_direction: str
    target: float | None
    lcl: float
    ucl: float
    method: str


def assurance(target: float | None, lcl: float, ucl: float, good_direction: str) -> str | None:
    """Assurance category of a target against process limits.

    Parameters
    ----------
    target : float or None
        The target value (in the chart's units); ``None`` gives ``None``.
    lcl, ucl : float
        Lower and upper process limits.
    good_direction : {"up", "down", "neutral"}
        Which way is better; ``"neutral"`` gives ``None``.

    Returns
    -------
    str or None
        ``"consistent_pass"``, ``"consistent_fail"`` or ``"inconsistent"``.

    Examples
    --------
    >>> assurance(50, 10, 30, "down"), assurance(50, 10, 30, "up"), assurance(20, 10, 30, "up")
    ('consistent_pass', 'consistent_fail', 'inconsistent')
    >>> assurance(5, 10, 30, "down"), assurance(5, 10, 30, "up"), assurance(30, 10, 30, "up")
    ('consistent_fail', 'consistent_pass', 'inconsistent')
    """
    if good_direction not in ("up", "down", "neutral"):
        raise ValueError(
            f"good_direction must be 'up', 'down' or 'neutral', got {good_direction!r}"
        )
    if target is None or good_direction == "neutral":
        return None
    if not math.isfinite(target):
        raise ValueError(f"the target must be a finite number, got {target!r}")
    if not (math.isfinite(lcl) and math.isfinite(ucl)):
        return None
    up = good_direction == "up"
    if target > ucl:  # never reached by the process
        return "consistent_fail" if up else "consistent_pass"
    if target < lcl:  # always exceeded by the process
        return "consistent_pass" if up else "consistent_fail"
    return "inconsistent"


def mdc_icons(
    result: XmrResult, good_direction: str | None, *, target: float | None = None
) -> MdcIcons:
    """The variation (and, with a target, assurance) icon of an XmR chart.

    Parameters
    ----------
    result : XmrResult
        From :func:`smp_analysis.stats.spc.xmr`.
    good_direction : {"up", "down", "neutral"} or None
        Which way is better (``None`` = neutral).
    target : float, optional
        A target in the chart's units (e.g. crimes a month); keyword-only.

    Returns
    -------
    MdcIcons

    Raises
    ------
    ValueError
        An unknown direction, a non-finite target, or a chart without observed points.

    Examples
    --------
    >>> from smp_analysis.stats.spc import xmr
    >>> r = xmr([20, 22, 21, 19, 20, 21, 22, 20, 5])
    >>> i = mdc_icons(r, "down", target=25)
    >>> i.variation, i.assurance, i.special_cause_type
    ('improvement_low', 'consistent_pass', 'Below LCL')
    >>> mdc_icons(r, None).variation
    'neutral_low'
    """
    v = variation(result, "neutral" if good_direction is None else good_direction)
    return MdcIcons(
        variation=v.icon,
        assurance=assurance(target, result.lcl, result.ucl, v.good_direction),
        at=v.at,
        value=v.value,
        special_cause_type=v.special_cause_type,
        good_direction=v.good_direction,
        target=None if target is None else float(target),
        lcl=float(result.lcl),
        ucl=float(result.ucl),
        method=(
            "Making Data Count icons (NHS England, 'Making Data Count: Strengthening your "
            "decisions', 2019/2021): variation from the latest point's special cause and "
            "direction; assurance from the target against the process limits "
            "(as NHSRplotthedots)"
        ),
    )
