"""Difference of two proportions against a published example and a hand calculation.

Sources beside the numbers:
- Newcombe RG (1998). Interval estimation for the difference between independent
  proportions: comparison of eleven methods. Stat Med 17:873-890, Table II, example
  56/70 vs 48/80, method 10 (hybrid score): 0.0524 to 0.3339.
- Hand calculation: Newcombe's method 10 from Wilson bounds computed with the closed
  form, L = d - sqrt((p1-l1)^2 + (u2-p2)^2), U = d + sqrt((u1-p1)^2 + (p2-l2)^2).
- The Miettinen-Nurminen score statistic at no difference is the Pearson statistic times
  sqrt((N-1)/N); Pearson's from scipy.stats.chi2_contingency(correction=False)
  (R: chisq.test(matrix(c(56, 14, 48, 32), 2, byrow=TRUE), correct=FALSE)).
"""

from __future__ import annotations

import math

import pytest
from scipy import stats

from smp_analysis.stats import proportion_difference

Z95 = stats.norm.ppf(0.975)


def _wilson(x: float, n: float, z: float = Z95) -> tuple[float, float]:
    p = x / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return c - h, c + h


def test_newcombe_published_example() -> None:
    d = proportion_difference(56, 70, 48, 80)
    assert d.estimate == pytest.approx(0.2)
    assert (round(d.ci_low, 4), round(d.ci_high, 4)) == (0.0524, 0.3339)


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2"),
    [(56, 70, 48, 80), (9, 10, 3, 10), (27, 94, 33, 110), (0, 25, 4, 30), (150, 400, 170, 390)],
)
def test_newcombe_by_hand_and_score_p(x1, n1, x2, n2) -> None:
    d = proportion_difference(x1, n1, x2, n2)
    p1, p2 = x1 / n1, x2 / n2
    (l1, u1), (l2, u2) = _wilson(x1, n1), _wilson(x2, n2)
    assert d.ci_low == pytest.approx(p1 - p2 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2))
    assert d.ci_high == pytest.approx(p1 - p2 + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))
    table = [[x1, n1 - x1], [x2, n2 - x2]]
    chi2 = stats.chi2_contingency(table, correction=False)[0]
    n = n1 + n2
    z = math.sqrt(chi2 * (n - 1) / n)
    assert d.p_value == pytest.approx(2 * stats.norm.sf(z), rel=1e-6)


def test_vocabulary_and_bad_input() -> None:
    d = proportion_difference(56, 70, 48, 80, conf_level=0.9)
    assert d.difference == d.estimate and d.conf_level == 0.9
    assert d.ci_high - d.ci_low < 0.3339 - 0.0524
    assert list(d.to_frame().columns[:6]) == [
        "estimate",
        "ci_low",
        "ci_high",
        "conf_level",
        "p_value",
        "method",
    ]
    with pytest.raises(ValueError, match="missing is not zero"):
        proportion_difference(float("nan"), 10, 3, 10)
    with pytest.raises(ValueError, match="between 0 and the whole"):
        proportion_difference(11, 10, 3, 10)
