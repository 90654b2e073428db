"""Priority status rules (see smp_analysis/assessment/status.py)."""

from __future__ import annotations

import math

import pytest

from smp_analysis.assessment.status import IndicatorResult, priority_status, verdict


def ind(est, p, good="down", lo=None, hi=None, target=None, kind="ratio", available=True):
    lo = est * 0.9 if lo is None else lo
    hi = est * 1.1 if hi is None else hi
    return IndicatorResult(
        "XX",
        f"i{est}{p}{good}",
        "Thing",
        good,
        kind=kind,
        estimate=est,
        ci_low=lo,
        ci_high=hi,
        p_value=p,
        target_change=target,
        available=available,
    )


@pytest.mark.parametrize(
    ("est", "p", "good", "code"),
    [
        (0.9, 0.01, "down", "improved"),
        (1.1, 0.01, "down", "worsened"),
        (1.1, 0.01, "up", "improved"),
        (0.9, 0.01, "up", "worsened"),
        (0.9, 0.20, "down", "no significant change"),
        (0.5, 0.0001, "neutral", "context"),
    ],
)
def test_verdicts(est, p, good, code) -> None:
    assert verdict(ind(est, p, good)).code == code


def test_not_assessed_when_missing() -> None:
    assert verdict(ind(math.nan, math.nan)).code == "not assessed"
    assert verdict(ind(0.9, 0.01, available=False)).code == "not assessed"


def test_difference_kind_null_is_zero() -> None:
    assert (
        verdict(ind(0.1, 0.001, good="up", lo=0.05, hi=0.15, kind="difference")).code == "improved"
    )


def test_target_met_exceeded_missed() -> None:
    # target: reduce by 5% -> ratio 0.95
    assert verdict(ind(0.90, 0.01, lo=0.85, hi=0.94, target=-0.05)).target == "exceeded"
    assert verdict(ind(0.93, 0.01, lo=0.88, hi=0.99, target=-0.05)).target == "met"
    assert verdict(ind(0.98, 0.5, lo=0.9, hi=1.05, target=-0.05)).target == "missed"


def test_status_needs_attention_when_any_worsened() -> None:
    s = priority_status("XX", "T", [ind(0.8, 0.001), ind(1.3, 0.001)])
    assert s.computed == "Needs attention"


def test_status_needs_attention_when_target_missed() -> None:
    s = priority_status("XX", "T", [ind(0.98, 0.5, lo=0.9, hi=1.05, target=-0.05)])
    assert s.computed == "Needs attention"


def test_status_exceeding_when_half_improved() -> None:
    s = priority_status("XX", "T", [ind(0.8, 0.001), ind(1.02, 0.6)])
    assert s.computed == "Exceeding expectations"


def test_status_on_track_when_stable() -> None:
    s = priority_status("XX", "T", [ind(0.8, 0.001), ind(1.02, 0.6), ind(1.01, 0.9)])
    assert s.computed == "On track"


def test_context_only_is_not_assessed() -> None:
    s = priority_status("XX", "T", [ind(0.5, 0.001, good="neutral")])
    assert s.computed == "Not assessed"


def test_override_kept_beside_computed() -> None:
    s = priority_status(
        "XX",
        "T",
        [ind(0.8, 0.001)],
        override="Needs attention",
        rationale="Partner intelligence shows rising exploitation risk.",
    )
    assert s.computed == "Exceeding expectations" and s.final == "Needs attention"
    assert "the evidence alone gives Exceeding expectations" in s.note
    with pytest.raises(ValueError, match="rationale"):
        priority_status("XX", "T", [ind(0.8, 0.001)], override="On track")
