"""One vocabulary across smp_analysis.stats: results, arguments, units and shared helpers."""

from __future__ import annotations

import ast
import dataclasses
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smp_analysis import stats
from smp_analysis.stats import VOCABULARY, Result
from smp_analysis.stats._checks import check_conf_level
from smp_analysis.stats._intervals import garwood

STATS_DIR = Path(stats.__file__).parent
MONTHS = pd.period_range("2021-01", periods=48, freq="M")


def _its_counts() -> pd.Series:
    t = np.arange(1, 49)
    mu = np.exp(6 + 0.01 * t + np.log(0.8) * (t > 24) + 0.1 * np.sin(2 * np.pi * t / 12))
    return pd.Series(np.random.default_rng(3).poisson(mu).astype(float), index=MONTHS)


def _trend_values() -> np.ndarray:
    rng = np.random.default_rng(7)
    return np.arange(36) * 0.5 + rng.normal(0, 3, 36)


_AREA = {"Shoplifting": 300, "Burglary": 20, "Violence": 380}
_DISTRICT = {"Shoplifting": 1200, "Burglary": 900, "Violence": 3900}
_YES = ["yes"] * 56 + ["no"] * 44

# name -> (call with a conf_level, domain alias of ``estimate`` or None, runs a test?)
CASES: dict[str, tuple[Callable[[float], Result], str | None, bool]] = {
    "rate_ratio_test": (
        lambda cl: stats.rate_ratio_test(30, 12, 18, 12, conf_level=cl),
        "rate_ratio",
        True,
    ),
    "proportion_ci": (lambda cl: stats.proportion_ci(30, 120, conf_level=cl), "proportion", False),
    "differential_change": (
        lambda cl: stats.differential_change(60, 1000, 95, 1050, conf_level=cl),
        "odds_ratio",
        True,
    ),
    "location_quotient": (
        lambda cl: stats.location_quotient(_AREA, _DISTRICT, category="Shoplifting", conf_level=cl),
        "lq",
        False,
    ),
    "rate_ci": (lambda cl: stats.rate_ci(65, 10_000, conf_level=cl), "rate", False),
    "relative_rate_index": (
        lambda cl: stats.relative_rate_index(30, 60, 100, 400, conf_level=cl),
        "rri",
        False,
    ),
    "interrupted_time_series": (
        lambda cl: stats.interrupted_time_series(_its_counts(), "2023-01", conf_level=cl),
        "level_change",
        True,
    ),
    "poisson_ci": (lambda cl: stats.poisson_ci(12, 4, conf_level=cl), "rate", False),
    "e_test": (lambda cl: stats.e_test(25, 16, conf_level=cl), "z", True),
    "mann_kendall": (lambda cl: stats.mann_kendall(_trend_values(), conf_level=cl), "slope", True),
    "seasonal_mann_kendall": (
        lambda cl: stats.seasonal_mann_kendall(_trend_values(), conf_level=cl),
        "slope",
        True,
    ),
    "weighted_displacement_difference": (
        lambda cl: stats.weighted_displacement_difference(
            207, 110, 308, 318, 178, 157, 150, 140, conf_level=cl
        ),
        None,
        True,
    ),
    "weighted_proportion": (
        lambda cl: stats.weighted_proportion(_YES, "yes", conf_level=cl),
        "proportion",
        False,
    ),
    "survey_change": (
        lambda cl: stats.survey_change(
            stats.weighted_proportion(["yes"] * 48 + ["no"] * 32, "yes"),
            stats.weighted_proportion(["yes"] * 56 + ["no"] * 14, "yes"),
            conf_level=cl,
        ),
        "difference",
        True,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_result_carries_the_vocabulary(name: str) -> None:
    call, domain, is_test = CASES[name]
    r = call(0.95)
    assert isinstance(r, Result)
    for attr in ("estimate", "ci_low", "ci_high", "conf_level", "method"):
        assert hasattr(r, attr), attr
    assert hasattr(r, "p_value") is is_test
    assert isinstance(r.method, str) and r.method
    assert r.conf_level == 0.95
    assert r.ci_low <= r.estimate <= r.ci_high
    if domain is not None:
        assert getattr(r, domain) == r.estimate
        with pytest.raises(AttributeError):  # aliases are read-only, results frozen
            setattr(r, domain, 1.0)
    if is_test:
        assert 0 <= r.p_value <= 1


@pytest.mark.parametrize("name", list(CASES))
def test_conf_level_is_stored_and_narrows_the_interval(name: str) -> None:
    call = CASES[name][0]
    r90, r95 = call(0.9), call(0.95)
    assert r90.conf_level == 0.9 and r95.conf_level == 0.95
    assert r90.estimate == pytest.approx(r95.estimate)
    assert r95.ci_low <= r90.ci_low and r90.ci_high <= r95.ci_high
    assert r90.ci_high - r90.ci_low < r95.ci_high - r95.ci_low


@pytest.mark.parametrize("name", list(CASES))
def test_to_frame_is_one_numeric_row_vocabulary_first(name: str) -> None:
    call, _, is_test = CASES[name]
    r = call(0.95)
    f = r.to_frame()
    assert isinstance(f, pd.DataFrame) and len(f) == 1
    head = [v for v in VOCABULARY if is_test or v != "p_value"]
    assert list(f.columns[: len(head)]) == head
    numeric = [c for c in head if c != "method"]
    assert all(pd.api.types.is_numeric_dtype(f[c]) for c in numeric)
    row = f.iloc[0]
    for c in numeric:
        assert row[c] == pytest.approx(getattr(r, c), nan_ok=True)
    assert row["method"] == r.method
    domain = list(f.columns[len(head) :])
    assert domain, "domain fields follow the vocabulary"
    assert not set(domain) & set(VOCABULARY)


def test_domain_fields_in_frames() -> None:
    f = stats.rate_ratio_test(30, 12, 18, 12).to_frame()
    assert list(f.columns[6:]) == ["count1", "exposure1", "count2", "exposure2", "expected_count1"]
    its = stats.interrupted_time_series(_its_counts(), "2023-01").to_frame()
    assert "slope_change" in its.columns and "post_rate_ratio" in its.columns
    assert "fitted" not in its.columns  # series are not scalar fields
    ch = CASES["survey_change"][0](0.95).to_frame()
    assert ch["proportion_after"].iloc[0] == pytest.approx(0.8)
    assert ch["proportion_before"].iloc[0] == pytest.approx(0.6)
    assert ch["estimate"].iloc[0] == pytest.approx(0.2)
    lq = stats.location_quotient(_AREA, _DISTRICT, category="Burglary").to_frame()
    assert lq["category"].iloc[0] == "Burglary" and lq["area_total"].iloc[0] == 700


def test_aliases_of_other_fields() -> None:
    r = stats.rate_ci(4, 2_000)
    assert r.population == r.exposure == 2000.0 and r.rate == r.estimate == 2.0
    p = stats.proportion_ci(3, 12)
    assert p.successes == p.count == 3.0
    rri = stats.relative_rate_index(30, 60, 100, 400)
    assert rri.group_base == rri.group_exposure == 60.0
    assert rri.reference_base == rri.reference_exposure == 400.0
    its = CASES["interrupted_time_series"][0](0.95)
    assert (its.level_ci_low, its.level_ci_high, its.level_p_value) == (
        its.ci_low,
        its.ci_high,
        its.p_value,
    )


def test_location_quotient_scalar_matches_the_table() -> None:
    table = stats.location_quotient(_AREA, _DISTRICT, nested=False).set_index("category")
    for cat in _AREA:
        r = stats.location_quotient(_AREA, _DISTRICT, category=cat, nested=False)
        assert r.estimate == table.loc[cat, "lq"]
        assert (r.ci_low, r.ci_high) == (table.loc[cat, "ci_low"], table.loc[cat, "ci_high"])
        assert "Katz" in r.method and r.nested is False
    with pytest.raises(ValueError, match="not among"):
        stats.location_quotient(_AREA, _DISTRICT, category="Arson")


# ------------------------------------------------------------------- arguments
@pytest.mark.parametrize(
    "call",
    [
        lambda: stats.rate_ratio_test(30, 12, 18, 12, 0.9),
        lambda: stats.proportion_ci(30, 120, 0.9),
        lambda: stats.differential_change(60, 1000, 95, 1050, 0.9),
        lambda: stats.location_quotient(_AREA, _DISTRICT, 0.9),
        lambda: stats.rate_ci(65, 10_000, 1000, 0.9),
        lambda: stats.relative_rate_index(30, 60, 100, 400, 0.9),
        lambda: stats.interrupted_time_series(_its_counts(), "2023-01", None),
        lambda: stats.poisson_ci(12, 4, 0.9),
        lambda: stats.e_test(25, 16, 0.9),
        lambda: stats.weighted_proportion(_YES, "yes", None, 0.9),
        lambda: stats.exact_rate_ci(15, 400, 0.9),
        lambda: stats.wilson_interval(3, 10, 0.9),
        lambda: stats.share_table(pd.DataFrame({"a": [1], "b": [2]}), "a", "b", None),
        lambda: stats.seasonal_mann_kendall(_trend_values(), 12),
    ],
)
def test_conf_level_and_options_are_keyword_only(call: Callable[[], object]) -> None:
    with pytest.raises(TypeError):
        call()


@pytest.mark.parametrize(
    ("call", "new"),
    [
        (lambda: stats.rate_ci(4, population=2000), lambda: stats.rate_ci(4, exposure=2000)),
        (lambda: stats.proportion_ci(successes=3, n=12), lambda: stats.proportion_ci(3, 12)),
        (lambda: stats.wilson_interval(successes=3, n=12), lambda: stats.wilson_interval(3, 12)),
        (lambda: stats.exact_rate_ci(15, base=400), lambda: stats.exact_rate_ci(15, 400)),
        (
            lambda: stats.relative_rate_index(
                30, group_base=60, reference_count=100, reference_base=400
            ),
            lambda: stats.relative_rate_index(30, 60, 100, 400),
        ),
    ],
)
def test_renamed_arguments_still_work_with_a_warning(call, new) -> None:
    with pytest.warns(FutureWarning, match="now called"):
        old_result = call()
    new_result = new()
    if isinstance(new_result, tuple):
        for a, b in zip(old_result, new_result, strict=True):
            np.testing.assert_array_equal(a, b)
    else:
        assert old_result == new_result


def test_renamed_table_arguments() -> None:
    df = pd.DataFrame({"g": ["A", "W"], "c": [30, 100], "b": [60, 400]})
    new = stats.rri_table(df, "g", "c", "b", reference="W")
    with pytest.warns(FutureWarning):
        old = stats.rri_table(df, group_col="g", count="c", base="b", reference="W")
    pd.testing.assert_frame_equal(old, new)
    t = pd.DataFrame({"count": [4], "residents": [2000]})
    with pytest.warns(FutureWarning):
        old_rates = stats.rate_table(t, population="residents")
    pd.testing.assert_frame_equal(old_rates, stats.rate_table(t, exposure="residents"))
    with pytest.raises(TypeError, match="old name"):
        stats.rate_ci(4, exposure=2000, population=2000)


# ------------------------------------------------------------------- units
def test_pct_change_is_in_percent_everywhere() -> None:
    r = stats.rate_ratio_test(30, 12, 20, 12)
    assert r.pct_change == pytest.approx(50.0)
    s = pd.DataFrame(
        {
            "month": pd.period_range("2023-04", "2025-03", freq="M"),
            "count": [20.0] * 12 + [30.0] * 12,
        }
    )
    t = stats.change_table(s, [], stats.financial_year("2024/25"), stats.financial_year("2023/24"))
    assert t["pct_change"].iloc[0] == pytest.approx(r.pct_change)
    d = stats.differential_change(60, 1000, 90, 1050)
    assert d.sub_pct_change == pytest.approx(50.0)
    assert d.share_change == pytest.approx(90 / 1050 - 0.06)  # a proportion, not points


# ------------------------------------------------------------------- shared helpers
def _stats_sources() -> dict[str, ast.Module]:
    return {p.name: ast.parse(p.read_text()) for p in sorted(STATS_DIR.glob("*.py"))}


def test_one_conf_level_check_and_one_garwood() -> None:
    for name, tree in _stats_sources().items():
        defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        if name != "_checks.py":
            assert "_check_conf_level" not in defined and "check_conf_level" not in defined, name
        if name != "_intervals.py":
            assert not {"_garwood", "garwood", "_clopper_pearson"} & defined, name
        if name != "periods.py":
            assert "_check_series" not in defined and "_normalise" not in defined, name
    assert check_conf_level(0.9) == 0.9
    for bad in (0, 1, 95, -0.1, "0.95", True):
        with pytest.raises(ValueError, match="conf_level"):
            check_conf_level(bad)  # type: ignore[arg-type]
    # exact_rate_ci, poisson_ci and the PHE exact branch give the same Garwood limits
    rate, low, high = stats.exact_rate_ci(7, 2_000, per=1000)
    p = stats.poisson_ci(7, 2)
    r = stats.rate_ci(7, 2_000)
    g_low, g_high = garwood(7, 0.95)
    assert low[0] == pytest.approx(p.ci_low, rel=1e-12)
    assert r.ci_low == pytest.approx(p.ci_low, rel=1e-12)
    assert high[0] == pytest.approx(g_high[0] / 2, rel=1e-12)
    assert r.ci_high == pytest.approx(p.ci_high, rel=1e-12)
    assert g_low[0] / 2 == pytest.approx(p.ci_low, rel=1e-12)
    assert rate[0] == r.rate == 3.5


def test_stats_does_not_import_the_data_readers() -> None:
    for name, tree in _stats_sources().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = ("." * node.level) + (node.module or "")
                assert "sources" not in module.split("."), f"{name} imports {module}"
            elif isinstance(node, ast.Import):
                assert not any("sources" in a.name.split(".") for a in node.names), name


def test_ethnic_groups_match_the_reader() -> None:
    from smp_analysis.sources.ethnicity import ETHNIC_GROUPS as READER_GROUPS
    from smp_analysis.stats.stop_search import ETHNIC_GROUPS

    assert ETHNIC_GROUPS == READER_GROUPS


def test_series_validator_shared_messages() -> None:
    bad = pd.DataFrame({"month": ["not a month"], "count": [1.0]})
    with pytest.raises(ValueError, match="must hold months"):
        stats.period_totals(bad, [stats.financial_year("2024/25")])
    with pytest.raises(ValueError, match="must hold months"):
        stats.emerging_concerns(bad, [])
    frac = pd.DataFrame({"month": ["2024-04"], "count": [1.5]})
    stats.period_totals(frac, [stats.financial_year("2024/25")])  # fine for totals
    with pytest.raises(ValueError, match="whole numbers"):
        stats.emerging_concerns(frac, [])
    for call in (stats.mann_kendall, stats.xmr, lambda v: stats.interrupted_time_series(v, 2)):
        with pytest.raises(ValueError, match="one-dimensional"):
            call(np.ones((2, 6)))


def test_sen_slope_interval_by_hand() -> None:
    # x = 2, 3, 3, 5, 4, 4, 6: the 21 pairwise slopes sorted are
    #   -1, -.5, 0, 0, .25, 1/3, 1/3, 1/3, .4, .5, .5, .5, .6, 2/3, .75, 1, 1, 1, 1, 2, 2
    # Var(S) = 762/18; C = 1.959964 * sqrt(42.333) = 12.7523 (R trend::sens.slope)
    # lower rank round((21 - C)/2) = round(4.12) = 4 -> 0
    # upper rank round((21 + C)/2 + 1) = round(17.88) = 18 -> 1
    r = stats.mann_kendall([2, 3, 3, 5, 4, 4, 6])
    assert (r.estimate, r.ci_low, r.ci_high) == (0.5, 0.0, 1.0)
    # 90%: C = 1.644854 * 6.5064 = 10.702 -> ranks round(5.149) = 5, round(16.851) = 17
    r90 = stats.mann_kendall([2, 3, 3, 5, 4, 4, 6], conf_level=0.9)
    assert (r90.ci_low, r90.ci_high) == (0.25, 1.0)
    # too few values for the interval: NaN, not a made-up limit
    tiny = stats.mann_kendall([1, 2, 4])
    assert math.isnan(tiny.ci_low) and math.isnan(tiny.ci_high)


def test_results_are_frozen_dataclasses() -> None:
    for name, (call, _, _) in CASES.items():
        r = call(0.95)
        assert dataclasses.is_dataclass(r), name
        with pytest.raises(dataclasses.FrozenInstanceError):
            r.estimate = 0.0  # type: ignore[misc]
