"""Priority status from the evidence: "Exceeding expectations", "On track", "Needs attention".

Each configured indicator is compared between the reporting year and the year before
with a significance test (never raw % change). Its **verdict** is:

- ``improved`` — a statistically significant change in the good direction;
- ``worsened`` — a statistically significant change in the bad direction;
- ``no significant change`` — any other change (within normal variation);
- ``context`` — the indicator has no good direction (``good: neutral``); reported, not scored;
- ``not assessed`` — data missing for either year.

A target (``target: {change: -0.05}``) is *met* when the estimated change is at least as
good as the target, *exceeded* when the whole 95% interval is.

The priority's **computed status**:

- ``Needs attention`` if any indicator worsened or any target was missed;
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

__all__ = ["IndicatorResult", "Verdict", "PriorityStatus", "verdict", "priority_status", "ALPHA"]

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
            return (
                f"Status set by the partnership's analysts: {self.override} (the evidence alone "
                f"gives {self.computed}). Reason: {self.rationale}"
            )
        return base


def _no_change(kind: str) -> float:
    return 1.0 if kind == "ratio" else 0.0


def verdict(r: IndicatorResult, alpha: float = ALPHA) -> Verdict:
    """Classify one indicator result (see the module docstring for the rules)."""
    if not r.available or math.isnan(r.estimate) or math.isnan(r.p_value):
        return Verdict("not assessed", None, f"{r.label}: not assessed ({r.reason or 'no data'})")
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
        for k in ("improved", "no significant change", "worsened", "context", "not assessed")
    }
    directional = counts["improved"] + counts["no significant change"] + counts["worsened"]
    missed = any(v.target == "missed" for v in verdicts)
    if directional == 0:
        computed = "Not assessed"
    elif counts["worsened"] or missed:
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
