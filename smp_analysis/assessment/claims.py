"""The claims policy: what the months of data support saying (set out in DM.4).

Real police.uk archives have gaps — whole months, whole forces for a year — and partner
returns arrive late. Every statement in the report rests on months of data, and this module
is the one place that decides whether those months are enough for the statement. Section
builders ask it before judging; DM.4 prints :data:`RULES` so readers see the thresholds.

The thresholds:

- a **year-on-year verdict** (improved / worsened / no significant change, and targets)
  needs at least :data:`MIN_MATCHED_MONTHS` calendar months with data in both years; the
  sentence names the months when fewer than twelve;
- a **seasonal trend test** (seasonal Mann–Kendall) needs at least
  :data:`MIN_SEASON_YEARS` values in every calendar month it uses — with two years per
  season the smallest p-value it can reach is well above 0.05, so it has no power; a
  **non-seasonal trend** needs :data:`MIN_TREND_MONTHS` months;
- **control limits** (XmR) need :data:`MIN_XMR_POINTS` months with data;
- a **model** (interrupted time series) needs at least :data:`MIN_RESIDUAL_DF` residual
  degrees of freedom, and its intervals use t quantiles on them;
- a **rate for part of a year** is said to be over N months, never as the year's rate.

Examples
--------
>>> yoy_claim(12).allowed, yoy_claim(1).allowed
(True, False)
>>> yoy_claim(1).reason
'only 1 matched month'
>>> import pandas as pd
>>> month_span(pd.period_range("2025-01", "2025-03", freq="M"))
'January to March 2025'
>>> month_span([pd.Period("2024-04", "M"), pd.Period("2024-06", "M")])
'April and June 2024'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "MIN_MATCHED_MONTHS",
    "MIN_SEASON_YEARS",
    "MIN_TREND_MONTHS",
    "MIN_XMR_POINTS",
    "MIN_RESIDUAL_DF",
    "Claim",
    "yoy_claim",
    "seasonal_trend_claim",
    "trend_claim",
    "xmr_claim",
    "model_claim",
    "month_span",
    "RULES",
]

#: calendar months with data in both years needed for a year-on-year verdict
MIN_MATCHED_MONTHS = 6
#: values needed in each calendar month (season) for a seasonal trend test
MIN_SEASON_YEARS = 3
#: months with data needed for a (non-seasonal) trend test
MIN_TREND_MONTHS = 24
#: months with data needed for XmR control limits (NHS Making Data Count suggests 15-20)
MIN_XMR_POINTS = 15
#: residual degrees of freedom needed before a model's estimates are reported
MIN_RESIDUAL_DF = 10


@dataclass(frozen=True)
class Claim:
    """Whether a statement may be made, and if not, why (in words for the reader)."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def yoy_claim(matched_months: int) -> Claim:
    """A year-on-year verdict needs :data:`MIN_MATCHED_MONTHS` matched months."""
    if matched_months >= MIN_MATCHED_MONTHS:
        return Claim(True)
    return Claim(False, f"only {_plural(matched_months, 'matched month')}")


def seasonal_trend_claim(months: Sequence[pd.Period]) -> Claim:
    """A seasonal trend test needs :data:`MIN_SEASON_YEARS` values in each calendar month
    present (and at least one such month)."""
    counts = pd.Series([m.month for m in months]).value_counts() if len(months) else pd.Series()
    if len(counts) and counts.min() >= MIN_SEASON_YEARS:
        return Claim(True)
    fewest = int(counts.min()) if len(counts) else 0
    return Claim(
        False,
        f"only {_plural(fewest, 'year')} of data for some calendar months (a seasonal trend "
        f"test needs {MIN_SEASON_YEARS})",
    )


def trend_claim(n_months: int) -> Claim:
    """A non-seasonal trend test needs :data:`MIN_TREND_MONTHS` months with data."""
    if n_months >= MIN_TREND_MONTHS:
        return Claim(True)
    return Claim(False, f"only {_plural(n_months, 'month')} of data (needs {MIN_TREND_MONTHS})")


def xmr_claim(n_points: int) -> Claim:
    """Control limits need :data:`MIN_XMR_POINTS` months with data."""
    if n_points >= MIN_XMR_POINTS:
        return Claim(True)
    return Claim(False, f"only {_plural(n_points, 'month')} of data (needs {MIN_XMR_POINTS})")


def model_claim(df_resid: float) -> Claim:
    """A model is reported only with :data:`MIN_RESIDUAL_DF` residual degrees of freedom."""
    if df_resid >= MIN_RESIDUAL_DF:
        return Claim(True)
    return Claim(
        False,
        f"the model has only {df_resid:g} residual degree{'' if df_resid == 1 else 's'} of "
        f"freedom (needs {MIN_RESIDUAL_DF})",
    )


def month_span(months: Iterable[pd.Period]) -> str:
    """The months in words: ``"January to March 2025"``, ``"April 2024 to March 2025"``,
    ``"April and June 2024"`` (a list when they are not consecutive)."""
    ms = sorted(pd.Period(m, freq="M") for m in months)
    if not ms:
        return "no months"
    one_year = ms[0].year == ms[-1].year
    consecutive = all((b - a).n == 1 for a, b in zip(ms, ms[1:], strict=False))

    def name(m: pd.Period, with_year: bool) -> str:
        return m.strftime("%B %Y") if with_year else m.strftime("%B")

    if len(ms) == 1:
        return name(ms[0], True)
    if consecutive:
        return f"{name(ms[0], not one_year)} to {name(ms[-1], True)}"
    if one_year:
        names = [name(m, False) for m in ms]
        return ", ".join(names[:-1]) + f" and {names[-1]} {ms[-1].year}"
    names = [name(m, True) for m in ms]
    return ", ".join(names[:-1]) + f" and {names[-1]}"


#: The policy in plain words, with its thresholds, for DM.4.
RULES: tuple[str, ...] = (
    f"A change on the year before is judged (improved, worsened, no significant change, "
    f"target met or missed) only when at least {MIN_MATCHED_MONTHS} calendar months have data "
    "in both years; the comparison then uses only those months of each year and the sentence "
    f"names them. With fewer, the indicator is **not assessed** and says how many months "
    "matched.",
    "A priority whose indicators are all not assessed has the status **Not assessed**; the "
    "summary says why. An analyst's status, where set, is still shown beside it.",
    'A rate for part of a year is given as a rate over the months with data ("over N '
    "months\"), never as the year's rate.",
    f"Trend statements name the months they used. The seasonal trend test is reported only "
    f"when every calendar month it uses has at least {MIN_SEASON_YEARS} years of data (with "
    f"fewer it cannot reach significance); a trend over months needs at least "
    f"{MIN_TREND_MONTHS} months. Control limits (XmR) need at least {MIN_XMR_POINTS} months "
    "with data and are computed only from months with data.",
    'The emerging-concerns register never reports "nothing unusual" for a period it could '
    "not test: when the latest quarter has no data it says so and tests the latest quarter "
    "that has data.",
    f"A model (interrupted time series) is reported only with at least {MIN_RESIDUAL_DF} "
    "residual degrees of freedom, with intervals from the t distribution on those degrees of "
    "freedom; a model that cannot be fitted is left out with the reason.",
    "Missing is never zero: a month without data is left out of every total and comparison, "
    "and shown as [x] in tables.",
)
