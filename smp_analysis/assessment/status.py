"""Priority status from the evidence: "Exceeding expectations", "On track", "Needs attention".

Each configured indicator is compared between the reporting year and the year before
with a significance test (never raw % change). Its **verdict** is:

- ``improved`` — a statistically significant change in the good direction;
- ``worsened`` — a statistically significant change in the bad direction;
- ``no significant change`` — any other change (within normal variation);
- ``context`` — the indicator has no good direction (``good: neutral``); reported, not scored;
- ``not assessed`` — data missing for either year;
- ``within expected range`` / ``outside expected range`` — for an indicator with a healthy
  range (``band: {low: 28, high: 40, source: SafeLives}``, in the indicator's unit), the
  reporting year's value against the range, whatever the direction of change: a fall that
  leaves the range is not an improvement.

A target (``target: {change: -0.05}``) is *met* when the estimated change is at least as
good as the target, *exceeded* when the whole 95% interval is.

The priority's **computed status**:

- ``Needs attention`` if any indicator worsened, was outside its expected range or missed
  its target;
- ``Exceeding expectations`` if none worsened, at least half of the assessed directional
  indicators improved, and every target was met;
- ``On track`` otherwise;
- ``Not assessed`` if no directional indicator could be assessed.

An analyst override (with a written rationale) is shown beside the computed status,
never instead of it.

Examples
--------
>>> better = IndicatorResult("SV", "violence", "Violence", "down", estimate=0.92, ci_low=0.87,
...                          ci_high=0.97, p_value=0.002, sentence="Violence fell.")
>>> flat = IndicatorResult("SV", "robbery", "Robbery", "down", estimate=1.05, ci_low=0.9,
...                        ci_high=1.2, p_value=0.5, sentence="Robbery rose.")
>>> verdict(better).code, verdict(flat).code
('improved', 'no significant change')
>>> priority_status("SV", "Serious violence", [better, flat]).computed
'Exceeding expectations'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = [
    "IndicatorResult",
    "Verdict",
    "PriorityStatus",
    "verdict",
    "priority_status",
    "ALPHA",
    "Relevance",
    "Conclusion",
    "priority_relevance",
    "conclude",
    "RELEVANCE_RULE",
]

#: Significance level for status verdicts.
ALPHA = 0.05


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's comparison of the reporting year with the year before.

    ``kind`` is ``"ratio"`` (``estimate`` is a rate ratio, no change = 1) or
    ``"difference"`` (``estimate`` is a difference in proportions, no change = 0).
    """

    priority_id: str
    indicator_id: str
    label: str
    good: str
    kind: str = "ratio"
    baseline: float = math.nan
    current: float = math.nan
    estimate: float = math.nan
    ci_low: float = math.nan
    ci_high: float = math.nan
    p_value: float = math.nan
    target_change: float | None = None
    available: bool = True
    reason: str = ""
    sentence: str = ""
    public_sentence: str = ""
    facts: tuple[str, ...] = ()
    method: str = ""
    baseline_label: str = ""
    current_label: str = ""
    unit: str = ""
    months_baseline: int = 12
    months_current: int = 12
    #: the expected (healthy) range in the indicator's unit (per cent for a share), and who
    #: sets it; ``nan`` when the indicator has none
    band_low: float = math.nan
    band_high: float = math.nan
    band_source: str = ""

    @property
    def has_band(self) -> bool:
        return not (math.isnan(self.band_low) or math.isnan(self.band_high))

    @property
    def band_position(self) -> str:
        """``"below"``, ``"within"`` or ``"above"`` the expected range (``""`` without one).

        Examples
        --------
        >>> r = IndicatorResult("DA", "marac", "Repeats", "down", kind="difference",
        ...                     current=0.26, band_low=28, band_high=40)
        >>> r.band_position
        'below'
        """
        if not self.has_band or math.isnan(self.current):
            return ""
        value = self.current * 100 if self.kind == "difference" else self.current
        value = round(value, 6)
        if value < self.band_low:
            return "below"
        return "above" if value > self.band_high else "within"


@dataclass(frozen=True)
class Verdict:
    code: str
    target: str | None
    explanation: str


@dataclass(frozen=True)
class PriorityStatus:
    """Computed status, the analyst's override (if any) and the evidence behind it."""

    priority_id: str
    title: str
    computed: str
    indicators: tuple[IndicatorResult, ...]
    verdicts: tuple[Verdict, ...]
    reasons: tuple[str, ...]
    override: str | None = None
    rationale: str | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def final(self) -> str:
        """The status the report shows (the override when there is one)."""
        return self.override or self.computed

    @property
    def note(self) -> str:
        """One line explaining the status for the section heading."""
        base = (
            f"Computed from {len(self.indicators)} indicators: "
            + "; ".join(f"{n} {k}" for k, n in self.counts.items() if n)
            + "."
        )
        if self.override and self.override != self.computed:
            # the reason is given once, in the status paragraph (<ID>.1), not repeated here
            return (
                f"Status set by the partnership's analysts: {self.override} (the evidence alone "
                f"gives {self.computed}); their reason is in {self.priority_id}.1."
            )
        return base


def _no_change(kind: str) -> float:
    return 1.0 if kind == "ratio" else 0.0


def verdict(r: IndicatorResult, alpha: float = ALPHA) -> Verdict:
    """Classify one indicator result (see the module docstring for the rules)."""
    if not r.available or math.isnan(r.estimate) or math.isnan(r.p_value):
        return Verdict("not assessed", None, f"{r.label}: not assessed ({r.reason or 'no data'})")
    if r.band_position:
        pct = "%" if r.kind == "difference" else ""
        rng = f"{r.band_low:g}–{r.band_high:g}{pct}"
        src = f" ({r.band_source})" if r.band_source else ""
        if r.band_position == "within":
            return Verdict(
                "within expected range", None, f"{r.label}: within the expected range {rng}{src}"
            )
        return Verdict(
            "outside expected range",
            None,
            f"{r.label}: {r.band_position} the expected range {rng}{src}",
        )
    if r.good == "neutral":
        return Verdict("context", None, f"{r.label}: reported for context (no good direction)")
    null = _no_change(r.kind)
    up = r.estimate > null
    significant = r.p_value < alpha
    good_up = r.good == "up"
    if significant and up == good_up:
        code = "improved"
    elif significant:
        code = "worsened"
    else:
        code = "no significant change"
    target = None
    if r.target_change is not None:
        goal = 1 + r.target_change if r.kind == "ratio" else r.target_change
        best, worst = (r.ci_low, r.ci_high) if not good_up else (r.ci_high, r.ci_low)
        beats = (lambda v: v <= goal) if not good_up else (lambda v: v >= goal)
        if beats(worst):
            target = "exceeded"
        elif beats(r.estimate):
            target = "met"
        else:
            target = "missed"
        del best
    words = {
        "improved": "improved (statistically significant change in the right direction)",
        "worsened": "worsened (statistically significant change in the wrong direction)",
        "no significant change": "no statistically significant change",
    }[code]
    if target is not None:
        pct = f"{abs(r.target_change) * 100:.0f}%"
        aim = f"{'reduce' if r.target_change < 0 else 'increase'} by {pct}"
        words += f"; target ({aim}) {target}"
    return Verdict(code, target, f"{r.label}: {words}")


def priority_status(
    priority_id: str,
    title: str,
    indicators: Sequence[IndicatorResult],
    *,
    override: str | None = None,
    rationale: str | None = None,
    alpha: float = ALPHA,
) -> PriorityStatus:
    """Combine indicator verdicts into the priority's status."""
    verdicts = tuple(verdict(r, alpha) for r in indicators)
    codes = [v.code for v in verdicts]
    counts = {
        k: codes.count(k)
        for k in (
            "improved",
            "no significant change",
            "within expected range",
            "worsened",
            "outside expected range",
            "context",
            "not assessed",
        )
    }
    worse = counts["worsened"] + counts["outside expected range"]
    directional = (
        counts["improved"] + counts["no significant change"] + counts["within expected range"]
    ) + worse
    missed = any(v.target == "missed" for v in verdicts)
    if directional == 0:
        computed = "Not assessed"
    elif worse or missed:
        computed = "Needs attention"
    elif counts["improved"] and counts["improved"] * 2 >= directional:
        computed = "Exceeding expectations"
    else:
        computed = "On track"
    if override is not None and not rationale:
        raise ValueError("an override needs a written rationale")
    return PriorityStatus(
        priority_id=priority_id,
        title=title,
        computed=computed,
        indicators=tuple(indicators),
        verdicts=verdicts,
        reasons=tuple(v.explanation for v in verdicts),
        override=override,
        rationale=rationale,
        counts=counts,
    )


# ---------------------------------------------------------------------- relevance
#: Verdicts that count as "resolved" for :func:`priority_relevance`.
RESOLVED_VERDICTS = ("improved", "within expected range")


@dataclass(frozen=True)
class Relevance:
    """Whether the evidence says a priority should remain one next year, and why."""

    priority_id: str
    title: str
    relevant: bool
    reason: str


def priority_relevance(status: PriorityStatus) -> Relevance:
    """Does the priority remain relevant? The rule (also in Data and methods):

    A priority **remains relevant** unless the evidence shows its problem receding on
    every front: it stays relevant when its status (after any analysts' override) is
    *Needs attention* or *Not assessed*, or when any indicator with a good direction did
    not improve significantly (no significant change, worsened, outside its expected range,
    or not assessed). Only when every such indicator improved significantly (or sits within
    its expected range) does the evidence suggest reviewing whether it is still needed as a
    priority. Indicators reported for context do not count either way.

    Examples
    --------
    >>> up = IndicatorResult("SV", "v", "Violence", "down", estimate=0.9, ci_low=0.85,
    ...                      ci_high=0.95, p_value=0.001)
    >>> flat = IndicatorResult("SV", "r", "Robbery", "down", estimate=1.0, ci_low=0.8,
    ...                        ci_high=1.2, p_value=0.9)
    >>> priority_relevance(priority_status("SV", "Violence", [up, flat])).relevant
    True
    >>> r = priority_relevance(priority_status("SV", "Violence", [up]))
    >>> r.relevant, r.reason
    (False, 'its one indicator with a direction improved significantly')
    """
    final = status.final
    scored = [v for v in status.verdicts if v.code != "context"]
    if final == "Needs attention":
        reason = "it needs attention"
    elif final == "Not assessed" or not scored:
        reason = "the evidence could not show whether it improved"
    else:
        open_ = [v for v in scored if v.code not in RESOLVED_VERDICTS]
        n = len(scored)
        if not open_:
            what = "its one indicator with a direction" if n == 1 else f"all {n} of its indicators"
            verb = (
                "improved significantly"
                if all(v.code == "improved" for v in scored)
                else "improved significantly or sat within the expected range"
            )
            return Relevance(status.priority_id, status.title, False, f"{what} {verb}")
        k = len(open_)
        reason = (
            f"{k} of its {n} indicators with a direction did not improve significantly"
            if n > 1
            else "its indicator did not improve significantly"
        )
    return Relevance(status.priority_id, status.title, True, reason)


@dataclass(frozen=True)
class Conclusion:
    """The conclusion on the priorities' relevance: computed from :func:`priority_relevance`
    and, when the analysts set one (with a rationale), theirs beside it."""

    priorities: tuple[Relevance, ...]
    override_relevant: bool | None = None
    override_text: str | None = None
    rationale: str | None = None

    @property
    def computed(self) -> bool:
        """True when every priority remains relevant on the evidence."""
        return all(r.relevant for r in self.priorities)

    @property
    def final(self) -> bool:
        return self.computed if self.override_relevant is None else self.override_relevant

    @property
    def to_review(self) -> tuple[Relevance, ...]:
        return tuple(r for r in self.priorities if not r.relevant)


def conclude(
    statuses: Sequence[PriorityStatus],
    *,
    relevant: bool | None = None,
    text: str | None = None,
    rationale: str | None = None,
) -> Conclusion:
    """Relevance of every priority, with the analysts' override (a rationale is required).

    Examples
    --------
    >>> flat = IndicatorResult("SV", "r", "Robbery", "down", estimate=1.0, ci_low=0.8,
    ...                        ci_high=1.2, p_value=0.9)
    >>> c = conclude([priority_status("SV", "Violence", [flat])])
    >>> c.computed, c.final
    (True, True)
    >>> conclude([priority_status("SV", "Violence", [flat])], relevant=False).final
    Traceback (most recent call last):
    ...
    ValueError: an overridden conclusion needs a written rationale
    """
    if relevant is not None and not rationale:
        raise ValueError("an overridden conclusion needs a written rationale")
    return Conclusion(
        tuple(priority_relevance(s) for s in statuses),
        override_relevant=relevant,
        override_text=text,
        rationale=rationale,
    )


#: The relevance rule in words (Data and methods, DM.4; README "Methods").
RELEVANCE_RULE = (
    "**Do the priorities remain relevant?** A priority remains relevant unless the evidence "
    "shows its problem receding on every front: it stays when it needs attention or is not "
    "assessed, or when any indicator with a good direction did not improve significantly. When "
    "every such indicator improved significantly (or sits within its expected range), the "
    "executive summary (SUM.0) suggests reviewing whether it is still needed as a priority. "
    "Analysts may state their own conclusion with a written reason; the report shows both."
)
