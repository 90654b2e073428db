"""Plain-English sentences generated from results.

Rules the sentences follow (each is tested in ``tests/unit/test_narrative.py``):

1. A change is always stated with its size in both forms (per cent and number) **and**
   its verdict: a significant change says "a statistically significant rise/fall";
   otherwise it says the change is "within normal year-to-year variation". The statistics
   (rate ratio, 95% interval, p-value) are in the table beside the sentence, not in it.
   A change that rounds to 0% is "almost unchanged", never "fell by 0%"; the verb agrees
   with the subject ("Violence and sexual offences show").
2. Percent change is never printed without the count beside it; when the baseline is 0
   there is no percentage ("rose from 0 to 5").
3. Small numbers (fewer than :data:`SMALL` in either period) are hedged.
4. An incomplete period (missing months) is declared, and rates per month are compared.
5. Numbers are formatted by :mod:`smp_analysis.present.formatting`, the same functions the
   tables use, and each sentence returns the formatted numbers it quotes (``facts``) so tests
   can check they appear in the table beside it.
6. Public wording avoids jargon ("bigger than the normal ups and downs" instead of p-values).

Examples
--------
>>> s = change_sentence("Violence and sexual offences", ChangeFacts(
...     count_baseline=2875, count_current=2645, months_baseline=12, months_current=12,
...     rate_ratio=0.92, ci_low=0.87, ci_high=0.97, p_value=0.002, significant=True),
...     current="2024/25", baseline="2023/24")
>>> s.text
'Violence and sexual offences fell by 8% (230 fewer offences) in 2024/25 compared with 2023/24, a statistically significant fall.'
>>> s.facts
('8%', '230')
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..present import formatting as fmt
from .grammar import verb

__all__ = [
    "SMALL",
    "Sentence",
    "plural",
    "change_cell",
    "ChangeFacts",
    "change_sentence",
    "public_change_sentence",
    "share_sentence",
    "differential_sentence",
    "level_change_sentence",
    "trend_sentence",
    "exceedance_sentence",
    "proportion_change_sentence",
    "month_label",
]

#: Below this many events in either period a change is hedged as "small numbers".
SMALL = 20


@dataclass(frozen=True)
class Sentence:
    """A generated sentence and the formatted numbers it quotes."""

    text: str
    facts: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChangeFacts:
    """The numbers behind a change statement (a row of ``stats.change.change_table``)."""

    count_baseline: float
    count_current: float
    months_baseline: int = 12
    months_current: int = 12
    rate_ratio: float = math.nan
    ci_low: float = math.nan
    ci_high: float = math.nan
    p_value: float = math.nan
    significant: bool = False
    #: When a year has missing months and only the same calendar months of both years are
    #: compared, which ones (e.g. ``"January to March"``).
    months_compared: str = ""

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> ChangeFacts:
        """Build from a mapping/Series with the ``change_table`` column names."""
        return cls(
            count_baseline=float(row["count_baseline"]),
            count_current=float(row["count_current"]),
            months_baseline=int(row.get("months_baseline", 12)),
            months_current=int(row.get("months_current", 12)),
            rate_ratio=float(row.get("rate_ratio", math.nan)),
            ci_low=float(row.get("ci_low", math.nan)),
            ci_high=float(row.get("ci_high", math.nan)),
            p_value=float(row.get("p_value", math.nan)),
            significant=bool(row.get("significant", False)),
        )

    @property
    def complete(self) -> bool:
        return self.months_baseline == 12 and self.months_current == 12

    @property
    def difference(self) -> float:
        """The change in count: current minus baseline when both periods cover the same number
        of months, otherwise the change in the count **per month**."""
        if not self.per_month:
            return self.count_current - self.count_baseline
        return self.count_current / self.months_current - self.count_baseline / self.months_baseline

    @property
    def per_month(self) -> bool:
        """True when :attr:`difference` is per month (the periods differ in length)."""
        return self.months_baseline != self.months_current

    @property
    def pct_change(self) -> float:
        """Change in the monthly rate (equal to the change in counts when both years are complete)."""
        if self.count_baseline == 0:
            return math.nan
        base = self.count_baseline / self.months_baseline
        cur = self.count_current / self.months_current
        return cur / base - 1


def _direction(f: ChangeFacts) -> str:
    base = f.count_baseline / max(f.months_baseline, 1)
    cur = f.count_current / max(f.months_current, 1)
    if math.isclose(base, cur):
        return "same"
    return "up" if cur > base else "down"


def plural(noun: str, n: float) -> str:
    """``"offences"`` → ``"offence"`` when ``n`` rounds to 1.

    Examples
    --------
    >>> plural("offences", 1), plural("first-time entrants", 1.2), plural("crimes", 2)
    ('offence', 'first-time entrant', 'crimes')
    """
    return noun[:-1] if round(n) == 1 and noun.endswith("s") else noun


def change_cell(facts: ChangeFacts) -> str:
    """The "Change" table cell matching :func:`change_sentence`: ``"-570 (-8%)"``, or
    ``"-90 a month (-8%)"`` when a year has missing months.

    Examples
    --------
    >>> change_cell(ChangeFacts(2875, 2645)), change_cell(ChangeFacts(330, 480, 11, 12))
    ('-230 (-8%)', '+10 a month (+33%)')
    >>> change_cell(ChangeFacts(51, 51)), change_cell(ChangeFacts(2818, 2814))
    ('no change', '-4 (-0.1%)')
    >>> change_cell(ChangeFacts(440, 480, 11, 12))  # 40 a month in both years
    'no change'
    """
    f = facts
    if f.count_baseline == 0:
        return "from 0" if f.count_current else "no change"
    d = f.difference
    if _direction(f) == "same":
        return "no change"
    sign = "+" if d > 0 else "-" if d < 0 else ""
    unit = " a month" if f.per_month else ""
    size = fmt.count(abs(d)) if round(abs(d)) else fmt.number(abs(d), 1)
    return f"{sign}{size}{unit} ({fmt.signed_percent(f.pct_change)})"


def change_sentence(
    subject: str,
    facts: ChangeFacts,
    *,
    current: str,
    baseline: str,
    noun: str = "offences",
) -> Sentence:
    """A sentence stating a change between two periods with its significance.

    Parameters
    ----------
    subject : str
        What changed, capitalised as the start of a sentence ("Robbery").
    facts : ChangeFacts
    current, baseline : str
        Period labels ("2024/25", "2023/24").
    noun : str
        Plural noun for the counted things ("offences", "incidents", "referrals").

    Examples
    --------
    >>> change_sentence("Robbery", ChangeFacts(40, 43, rate_ratio=1.075, ci_low=0.68,
    ...                 ci_high=1.7, p_value=0.8), current="2024/25", baseline="2023/24").text
    'Robbery rose by 7% (3 more offences) in 2024/25 compared with 2023/24, which is within normal year-to-year variation (not statistically significant).'
    >>> change_sentence("Anti-social behaviour", ChangeFacts(2818, 2814, rate_ratio=0.999,
    ...     ci_low=0.95, ci_high=1.05, p_value=0.96), current="2024/25", baseline="2023/24",
    ...     noun="incidents").text
    'Anti-social behaviour was almost unchanged in 2024/25 compared with 2023/24 (4 fewer incidents, less than 1%), which is within normal year-to-year variation (not statistically significant).'
    """
    f = facts
    when = f"in {current} compared with {baseline}"
    if f.count_current == 0 and f.count_baseline == 0:
        return Sentence(f"There were no {noun} in either {baseline} or {current}.", ("0",))
    d = _direction(f)
    if d == "same":
        text = (
            f"{subject} {verb(subject, 'was')} unchanged {when}, at "
            f"{fmt.count(f.count_current)} {noun}."
        )
        return Sentence(text, (fmt.count(f.count_current),))
    moved = "rose" if d == "up" else "fell"
    more = "more" if d == "up" else "fewer"
    diff = abs(f.difference)
    n_diff = fmt.count(diff) if round(diff) else fmt.number(diff, 1)
    unit = plural(noun, diff) + (" a month" if f.per_month else "")
    facts_out: list[str] = []
    if f.count_baseline == 0:
        head = f"{subject} {moved} from 0 to {fmt.count(f.count_current)} {noun} {when}"
        facts_out.append(fmt.count(f.count_current))
    elif fmt.percent(f.pct_change) == "0%":
        # "fell by 0%" says nothing: the change is below half a per cent
        head = (
            f"{subject} {verb(subject, 'was')} almost unchanged {when} "
            f"({n_diff} {more} {unit}, less than 1%)"
        )
        facts_out.append(n_diff)
    else:
        pct = fmt.percent(f.pct_change)
        head = f"{subject} {moved} by {pct} ({n_diff} {more} {unit}) {when}"
        facts_out += [pct, n_diff]
    have_test = not math.isnan(f.rate_ratio) and not math.isnan(f.ci_low)
    if f.significant and have_test:
        tail = f", a statistically significant {'rise' if d == 'up' else 'fall'}."
    elif have_test:
        tail = ", which is within normal year-to-year variation (not statistically significant)."
    else:
        tail = "."
    text = head + tail
    if not f.complete and f.months_compared:
        text += (
            f" The comparison uses only {f.months_compared} of each year: the months with data "
            "in both years."
        )
    elif not f.complete:
        missing = []
        if f.months_baseline < 12:
            missing.append(f"{baseline} has data for {f.months_baseline} of 12 months")
        if f.months_current < 12:
            missing.append(f"{current} has data for {f.months_current} of 12 months")
        text += " Monthly rates are compared because " + " and ".join(missing) + "."
    if min(f.count_current, f.count_baseline) < SMALL:
        text += " Numbers are small, so read this change with caution."
    return Sentence(text, tuple(facts_out))


def public_change_sentence(
    subject: str, facts: ChangeFacts, *, current: str, baseline: str, noun: str = "crimes"
) -> Sentence:
    """Plain-English version for residents: no p-values or ratios.

    Examples
    --------
    >>> public_change_sentence("Violence", ChangeFacts(2875, 2645, significant=True,
    ...     rate_ratio=0.92, ci_low=0.87, ci_high=0.97), current="2024/25", baseline="2023/24").text
    'Violence fell by 8% in 2024/25 compared with the year before. This is a real fall, bigger than the normal ups and downs from year to year.'
    """
    f = facts
    d = _direction(f)
    if f.count_current == 0 and f.count_baseline == 0:
        return Sentence(f"There were no {noun} of this kind in either year.")
    if d == "same":
        return Sentence(f"{subject} stayed the same in {current} as the year before.")
    verb = "rose" if d == "up" else "fell"
    versus = "compared with the year before" + (
        f", comparing {f.months_compared} of each year (the months with data in both)"
        if f.months_compared
        else ""
    )
    if f.count_baseline == 0:
        head = f"{subject} {verb} in {current} {versus}."
        facts_out: tuple[str, ...] = ()
    elif fmt.percent(f.pct_change) == "0%":
        head = f"{subject} stayed about the same in {current} {versus}."
        facts_out = ()
    else:
        pct = fmt.percent(f.pct_change)
        head = f"{subject} {verb} by {pct} in {current} {versus}."
        facts_out = (pct,)
    if f.significant and min(f.count_current, f.count_baseline) >= SMALL:
        noun_d = "rise" if d == "up" else "fall"
        tail = f" This is a real {noun_d}, bigger than the normal ups and downs from year to year."
    elif f.significant:
        tail = " The numbers are small, so this may not last."
    else:
        tail = " This is within the normal ups and downs from year to year."
    return Sentence(head + tail, facts_out)


def share_sentence(
    part: str,
    whole: str,
    share: float,
    ci_low: float,
    ci_high: float,
    *,
    period: str,
    count_part: float | None = None,
    count_whole: float | None = None,
) -> Sentence:
    """ "X made up 18% of Y in 2024/25." (the interval, ``ci_low`` to ``ci_high``, belongs in
    the table beside the sentence).

    Examples
    --------
    >>> share_sentence("Domestic abuse-flagged crimes", "all crime", 0.183, 0.176, 0.19,
    ...                period="2024/25").text
    'Domestic abuse-flagged crimes made up 18% of all crime in 2024/25.'
    """
    s = fmt.share(share)
    text = f"{part} made up {s} of {whole} in {period}"
    facts = [s]
    if count_part is not None and count_whole is not None:
        text += f": {fmt.count(count_part)} of {fmt.count(count_whole)}"
        facts += [fmt.count(count_part), fmt.count(count_whole)]
    return Sentence(text + ".", tuple(facts))


def differential_sentence(
    sub: str,
    parent: str,
    share_before: float,
    share_after: float,
    odds_ratio: float,
    ci_low: float,
    ci_high: float,
    p_value: float,
    *,
    before: str,
    after: str,
    alpha: float = 0.05,
) -> Sentence:
    """Did a sub-category change disproportionately to its parent?

    Examples
    --------
    >>> differential_sentence("Coercive control", "domestic abuse", 0.12, 0.09, 0.72, 0.62,
    ...     0.84, 0.0001, before="2023/24", after="2024/25").text
    'Coercive control fell faster than domestic abuse as a whole: its share went from 12% in 2023/24 to 9% in 2024/25, a disproportionate change that is statistically significant.'

    The odds ratio, its interval and the p-value belong in the table beside the sentence.
    """
    b, a = fmt.share(share_before), fmt.share(share_after)
    if p_value < alpha:
        how = "fell faster than" if odds_ratio < 1 else "rose faster than"
        text = (
            f"{sub} {how} {parent} as a whole: its share went from {b} in {before} to {a} in "
            f"{after}, a disproportionate change that is statistically significant."
        )
    else:
        text = (
            f"{sub} changed in line with {parent} as a whole: its share was {b} in {before} and "
            f"{a} in {after} (no disproportionate change)."
        )
    return Sentence(text, (b, a))


def month_label(month: Any) -> str:
    """``Period('2023-10')`` → ``'October 2023'``."""
    import pandas as pd

    return pd.Period(month, freq="M").strftime("%B %Y")


def level_change_sentence(
    subject: str,
    intervention: str,
    start: Any,
    level_change: float,
    ci_low: float,
    ci_high: float,
    p_value: float,
    *,
    alpha: float = 0.05,
) -> Sentence:
    """Interrupted time series result in words.

    Examples
    --------
    >>> level_change_sentence("Crime in the town centre", "the Safer Streets scheme", "2023-10",
    ...     0.76, 0.68, 0.85, 0.0001).text
    'After the Safer Streets scheme started in October 2023, crime in the town centre dropped to 76% of the level expected from its earlier trend and seasonal pattern, a statistically significant change.'

    The level change (a ratio), its interval and the p-value belong in the table beside it.
    """
    lvl = fmt.share(level_change)
    subj = subject[0].lower() + subject[1:]
    if p_value < alpha:
        moved = "dropped" if level_change < 1 else "rose"
        text = (
            f"After {intervention} started in {month_label(start)}, {subj} {moved} to {lvl} of "
            "the level expected from its earlier trend and seasonal pattern, a statistically "
            "significant change."
        )
    else:
        text = (
            f"After {intervention} started in {month_label(start)}, {subj} showed no clear change "
            "from the level expected from its earlier trend and seasonal pattern (not "
            "statistically significant)."
        )
    return Sentence(text, ())


def trend_sentence(
    subject: str,
    slope_per_year: float,
    p_value: float,
    *,
    start: Any,
    end: Any,
    noun: str = "offences",
    alpha: float = 0.05,
) -> Sentence:
    """Seasonal Mann–Kendall result in words (slope in events per month, per year).

    Examples
    --------
    >>> trend_sentence("Shoplifting", 11.6, 0.0002, start="2021-04", end="2025-03").text
    'Shoplifting has a rising trend from April 2021 to March 2025: about 12 more offences a month each year (seasonal Mann–Kendall test).'

    The p-value is not in the sentence: it belongs in the table beside it (``facts``
    carries the rounded slope only).
    """
    span = f"from {month_label(start)} to {month_label(end)}"
    size = fmt.count(abs(slope_per_year))
    if p_value < alpha and slope_per_year != 0:
        d = "rising" if slope_per_year > 0 else "falling"
        more = "more" if slope_per_year > 0 else "fewer"
        text = (
            f"{subject} {verb(subject, 'has')} a {d} trend {span}: about {size} {more} {noun} "
            "a month each year (seasonal Mann–Kendall test)."
        )
        return Sentence(text, (size,))
    return Sentence(
        f"{subject} {verb(subject, 'shows')} no clear trend {span} once the seasons are allowed for "
        "(seasonal Mann–Kendall test).",
        (),
    )


def exceedance_sentence(
    subject: str, window: str, observed: float, expected: float, threshold: float
) -> Sentence:
    """An emerging-concern flag in words.

    Examples
    --------
    >>> exceedance_sentence("Robbery", "January to March 2025", 96, 38.4, 55.1).text
    'Robbery in January to March 2025 (96) was well above the expected level of 38 (alert threshold 55).'
    """
    o, e, t = fmt.count(observed), fmt.count(expected), fmt.count(threshold)
    return Sentence(
        f"{subject} in {window} ({o}) was well above the expected level of {e} "
        f"(alert threshold {t}).",
        (o, e, t),
    )


def proportion_change_sentence(
    subject: str,
    before: float,
    after: float,
    ci_low: float,
    ci_high: float,
    p_value: float,
    *,
    baseline: str,
    current: str,
    alpha: float = 0.05,
) -> Sentence:
    """A change in a percentage (survey measure, repeat rate) with its test.

    ``ci_low``/``ci_high`` bound the difference ``after - before`` (as proportions).

    Examples
    --------
    >>> proportion_change_sentence("Residents who feel safe in the town centre after dark",
    ...     0.45, 0.55, 0.056, 0.144, 0.00002, baseline="2023/24", current="2024/25").text
    'Residents who feel safe in the town centre after dark rose from 45% in 2023/24 to 55% in 2024/25, a statistically significant rise of 10 percentage points.'

    The points are given to one decimal place when the rounded percentages would not
    subtract to the rounded difference (33% to 26% is a fall of 7.6 points, not "8"); the
    interval is in the table beside the sentence.

    >>> proportion_change_sentence("Repeat cases at MARAC", 0.334, 0.258, -0.14, -0.01, 0.02,
    ...     baseline="2023/24", current="2024/25").text
    'Repeat cases at MARAC fell from 33% in 2023/24 to 26% in 2024/25, a statistically significant fall of 7.6 percentage points.'
    """
    b, a = fmt.share(before), fmt.share(after)
    diff = after - before
    pts = fmt.count(abs(diff) * 100)
    if round(abs(diff) * 100) != abs(round(after * 100) - round(before * 100)):
        pts = fmt.number(abs(diff) * 100, 1)
    if p_value < alpha:
        d = "rose" if diff > 0 else "fell"
        noun = "rise" if diff > 0 else "fall"
        text = (
            f"{subject} {d} from {b} in {baseline} to {a} in {current}, a statistically "
            f"significant {noun} of {pts} percentage points."
        )
    else:
        text = (
            f"{subject}: {a} in {current}, compared with {b} in {baseline}; the difference is "
            "within normal variation (not statistically significant)."
        )
    return Sentence(text, (b, a))
