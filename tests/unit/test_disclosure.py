"""Small-count suppression: hand-worked examples and property-based checks.

The property tests attack each suppressed table the way a reader would: every published
cell and total is fixed, every ``[c]`` cell is an unknown ≥ 0, and a linear programme
(``scipy.optimize.linprog``) finds how large and how small each unknown can be. The
formulation here is written independently of the module's own audit (all cells are
variables, published ones pinned by their bounds). What is proved, for every random table:

(a) no published count (cell or total) is below its threshold, except zeros when zeros
    are allowed;
(b) every suppressed cell has a feasible interval of positive width that contains the true
    value and whose upper end reaches the cell's threshold — so the value is neither
    recoverable nor knowable to be small. (The constraint matrix of a table with margins
    is totally unimodular, so these real bounds are also the bounds over whole numbers.)
(c) every published total equals the true total, and every published cell its true value.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from smp_analysis.stats.disclosure import (
    SUPPRESSED,
    DisclosureError,
    SuppressedTable,
    assert_safe,
    disclosure_problems,
    feasible_intervals,
    format_suppressed,
    is_disclosive,
    round_to_base,
    suppress_series,
    suppress_table,
)


# --------------------------------------------------------------------------- the attacker
def _reader_lp(published: pd.DataFrame, total_label: str = "Total"):
    """The reader's linear programme: every cell a variable, published cells pinned."""
    rows, cols = list(published.index), list(published.columns)
    n_r, n_c = len(rows), len(cols)
    bounds = []
    for r in range(n_r):
        for c in range(n_c):
            v = published.iat[r, c]
            bounds.append((0, None) if v == SUPPRESSED else (float(v), float(v)))
    eqs = []
    tr = rows.index(total_label) if total_label in rows else None
    tc = cols.index(total_label) if total_label in cols else None
    if tc is not None:  # each row adds up to its total
        for r in range(n_r):
            row = np.zeros(n_r * n_c)
            for c in range(n_c):
                row[r * n_c + c] = -1.0 if c == tc else 1.0
            eqs.append(row)
    if tr is not None:  # each column adds up to its total
        for c in range(n_c):
            row = np.zeros(n_r * n_c)
            for r in range(n_r):
                row[r * n_c + c] = -1.0 if r == tr else 1.0
            eqs.append(row)
    a_eq = np.array(eqs) if eqs else None
    b_eq = np.zeros(len(eqs)) if eqs else None

    def solve(r: int, c: int, sense: float) -> tuple[float, np.ndarray | None]:
        cost = np.zeros(n_r * n_c)
        cost[r * n_c + c] = sense
        sol = linprog(cost, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        assert sol.status in (0, 3), sol.message
        if sol.status == 3:
            return math.inf, None
        return sense * sol.fun, sol.x.reshape(n_r, n_c)

    hidden = [(r, c) for r in range(n_r) for c in range(n_c) if published.iat[r, c] == SUPPRESSED]
    return solve, hidden


def attack(published: pd.DataFrame, total_label: str = "Total") -> dict[tuple, tuple]:
    """Exact min and max of every suppressed cell given all published cells and totals."""
    solve, hidden = _reader_lp(published, total_label)
    rows, cols = list(published.index), list(published.columns)
    return {(rows[r], cols[c]): (solve(r, c, 1.0)[0], solve(r, c, -1.0)[0]) for r, c in hidden}


def assert_protected(published: pd.DataFrame, truth: pd.DataFrame, thr: pd.DataFrame) -> None:
    """Property (b), proved with as few LPs as possible.

    For each hidden cell, the reader's maximum ``hi`` is solved (or read off an earlier
    LP solution, which is itself a table consistent with the publication). We require
    ``hi >= threshold`` and a feasible interval of width >= 1 around the true value:
    ``hi >= true + 1``, or else the solved minimum ``lo <= true - 1``.
    """
    solve, hidden = _reader_lp(published)
    seen_hi = np.full(published.shape, -np.inf)
    truth_arr = truth.to_numpy(dtype=float)
    thr_arr = thr.to_numpy(dtype=float)
    for r, c in hidden:
        true, need = truth_arr[r, c], thr_arr[r, c]
        hi = seen_hi[r, c]
        if hi < max(need, true + 1) - 1e-7:
            hi, x = solve(r, c, -1.0)
            if x is not None:
                np.maximum(seen_hi, x, out=seen_hi)
        where = (published.index[r], published.columns[c], true, hi)
        assert hi >= need - 1e-7, where
        assert hi >= true - 1e-7, where
        if hi < true + 1 - 1e-7:
            lo, _ = solve(r, c, 1.0)
            assert lo <= true - 1 + 1e-7, (*where, lo)


def with_margins(table: pd.DataFrame) -> pd.DataFrame:
    """The true table with its row, column and grand totals."""
    x = table.to_numpy(dtype="int64")
    full = np.zeros((x.shape[0] + 1, x.shape[1] + 1), dtype="int64")
    full[:-1, :-1] = x
    full[:-1, -1] = x.sum(axis=1)
    full[-1, :] = full[:-1, :].sum(axis=0)
    return pd.DataFrame(full, index=[*table.index, "Total"], columns=[*table.columns, "Total"])


def check_safe(out: SuppressedTable, truth: pd.DataFrame) -> None:
    """Properties (a), (b) and (c) for one suppressed table against the true full table."""
    values, thr = out.values, out.thresholds
    assert list(values.index) == list(truth.index)
    assert list(values.columns) == list(truth.columns)
    for r in truth.index:
        for c in truth.columns:
            v, t, true = values.loc[r, c], thr.loc[r, c], int(truth.loc[r, c])
            if v == SUPPRESSED:
                continue
            # (c) published cells and totals are the true values
            assert v == true
            # (a) nothing small is published
            assert v >= t or (v == 0 and not out.suppress_zeros), (r, c, v, t)
    # (b) suppressed values can neither be recovered nor be known to be small
    assert_protected(values, truth, thr)


# --------------------------------------------------------------------------- examples: series
def test_series_single_small_cell_needs_a_partner():
    # 2 + 40 + 55 = 97: publishing 40 and 55 would give 2 = 97 - 40 - 55.
    s = pd.Series({"Burglary": 2, "Robbery": 40, "Theft": 55}, name="crimes")
    out = suppress_series(s)
    assert out.values["crimes"].tolist() == [SUPPRESSED, SUPPRESSED, 55, 97]
    assert out.primary["crimes"].tolist() == [True, False, False, False]
    assert out.secondary["crimes"].tolist() == [False, True, False, False]
    # a reader knows Burglary + Robbery = 42, so each lies in [0, 42]
    assert attack(out.values) == {("Burglary", "crimes"): (0, 42), ("Robbery", "crimes"): (0, 42)}


def test_series_partner_is_smallest_adequate_nontotal_cell():
    # 3 needs a partner of at least 5 - 3 = 2 units; 0 cannot lend, 7 is the smallest that can
    s = pd.Series([3, 0, 7, 20, 50], index=list("ABCDE"))
    assert suppress_series(s).values["count"].tolist() == [SUPPRESSED, 0, SUPPRESSED, 20, 50, 80]


def test_series_two_small_cells_protect_each_other_when_their_sum_reaches_threshold():
    s = pd.Series([2, 3, 50, 60], index=list("ABCD"))
    out = suppress_series(s)
    assert out.values["count"].tolist() == [SUPPRESSED, SUPPRESSED, 50, 60, 115]
    assert out.n_secondary == 0
    check_safe(out, pd.DataFrame({"count": [2, 3, 50, 60, 115]}, index=[*"ABCD", "Total"]))


def test_series_small_cells_summing_below_threshold_take_a_third():
    # 1 + 1 = 2 < 5: a reader would know both are at most 2, so the 50 is hidden too
    s = pd.Series([1, 1, 50, 60], index=list("ABCD"))
    out = suppress_series(s)
    assert out.values["count"].tolist() == [SUPPRESSED, SUPPRESSED, SUPPRESSED, 60, 112]
    assert attack(out.values)[("A", "count")] == (0, 52)


def test_series_small_cells_that_together_reach_the_threshold_need_nothing_else():
    # three 2s: hidden together, each could be anything from 0 to 6
    out = suppress_series(pd.Series([2, 2, 2], index=list("ABC")))
    assert out.values["count"].tolist() == [SUPPRESSED, SUPPRESSED, SUPPRESSED, 6]
    assert attack(out.values)[("A", "count")] == (0, 6)


def test_series_total_is_suppressed_only_when_no_count_can_lend():
    # A is sensitive (threshold 10): A + B = 9 < 10 and C = 0 cannot lend, so the total goes
    out = suppress_series(pd.Series([6, 3, 0], index=list("ABC")), sensitive={"A": 10})
    assert out.values["count"].tolist() == [SUPPRESSED, SUPPRESSED, 0, SUPPRESSED]
    assert out.secondary["count"].tolist() == [False, False, False, True]
    assert attack(out.values)[("A", "count")] == (0, math.inf)


def test_series_small_total_is_itself_suppressed():
    out = suppress_series(pd.Series([3, 0], index=["A", "B"]))
    assert out.values["count"].tolist() == [SUPPRESSED, 0, SUPPRESSED]
    assert out.primary["count"].tolist() == [True, False, True]


def test_series_without_total_only_primary():
    out = suppress_series(pd.Series([3, 0, 7], index=list("ABC")), total=False)
    assert out.values["count"].tolist() == [SUPPRESSED, 0, 7]
    assert out.total_label is None and out.n_secondary == 0


def test_series_suppress_zeros():
    out = suppress_series(pd.Series([0, 9, 8], index=list("ABC")), suppress_zeros=True)
    # 0 needs 5 units from a partner: 8 is the smallest count that can lend them
    assert out.values["count"].tolist() == [SUPPRESSED, 9, SUPPRESSED, 17]


# --------------------------------------------------------------------------- examples: tables
def test_table_hand_worked_rectangle():
    t = pd.DataFrame(
        {"North": [2, 12, 30], "South": [8, 15, 40]}, index=["Robbery", "Burglary", "Theft"]
    )
    out = suppress_table(t)
    expected = pd.DataFrame(
        {
            "North": [SUPPRESSED, SUPPRESSED, 30, 44],
            "South": [SUPPRESSED, SUPPRESSED, 40, 63],
            "Total": [10, 27, 70, 107],
        },
        index=["Robbery", "Burglary", "Theft", "Total"],
    )
    pd.testing.assert_frame_equal(out.values, expected, check_dtype=False)
    # By hand: Robbery North = a gives Robbery South = 10 - a, Burglary North = 14 - a,
    # Burglary South = 13 + a, all >= 0 for a in [0, 10].
    assert attack(out.values)[("Robbery", "North")] == (0, 10)
    assert out.n_primary == 1 and out.n_secondary == 3


def test_table_prefers_nontotal_cells_even_when_large():
    t = pd.DataFrame({"a": [2, 100], "b": [100, 100]}, index=["x", "y"])
    out = suppress_table(t)
    assert not out.mask["Total"].any() and not out.mask.loc["Total"].any()
    assert out.mask.loc[["x", "y"], ["a", "b"]].all().all()


def test_table_small_margin_is_primary_and_protected():
    t = pd.DataFrame({"a": [3, 20, 30], "b": [0, 25, 35]}, index=["x", "y", "z"])
    out = suppress_table(t)
    assert out.primary.loc["x", "Total"] and out.primary.loc["x", "a"]
    check_safe(out, with_margins(t))


def test_table_sensitive_row_has_stricter_threshold():
    t = pd.DataFrame(
        {"Ward 1": [7, 7, 40], "Ward 2": [30, 30, 50]},
        index=["Domestic abuse", "Vehicle crime", "Theft"],
    )
    out = suppress_table(t, sensitive={"Domestic abuse": 10, "Not in table": 20})
    assert out.primary.loc["Domestic abuse", "Ward 1"]
    assert not out.primary.loc["Vehicle crime", "Ward 1"]
    assert out.thresholds.loc["Domestic abuse", "Ward 2"] == 10
    assert out.thresholds.loc["Total", "Ward 1"] == 5
    check_safe(out, with_margins(t))


def test_sensitive_labels_match_loosely_towards_protection():
    t = pd.DataFrame(
        {"n": [7, 7, 7, 7]},
        index=["Violence and sexual offences", "domestic_abuse", "Burglary", "Misabuse"],
    )
    sens = {"sexual offences": 10, "Domestic Abuse": 10, "abuse": 10}
    out = suppress_table(t, sensitive=sens, margins=False)
    assert out.primary["n"].tolist() == [True, True, False, False]


def test_table_sensitive_column():
    t = pd.DataFrame({"Sexual offences": [6, 30], "Theft": [6, 30]}, index=["x", "y"])
    out = suppress_table(t, sensitive={"Sexual offences": 10})
    assert out.primary.loc["x", "Sexual offences"] and not out.primary.loc["x", "Theft"]
    check_safe(out, with_margins(t))


def test_table_zeros_published_by_default_and_suppressible():
    t = pd.DataFrame({"a": [0, 20], "b": [30, 25]}, index=["x", "y"])
    assert suppress_table(t).n_primary == 0
    out = suppress_table(t, suppress_zeros=True)
    assert out.primary.loc["x", "a"]
    check_safe(out, with_margins(t))


def test_table_without_margins_only_primary():
    t = pd.DataFrame({"a": [1, 20], "b": [30, 25]}, index=["x", "y"])
    out = suppress_table(t, margins=False)
    assert out.values.loc["x", "a"] == SUPPRESSED and out.n_secondary == 0
    assert "Total" not in out.values.index


def test_table_no_small_counts_is_unchanged():
    t = pd.DataFrame({"a": [10, 20], "b": [30, 25]}, index=["x", "y"])
    out = suppress_table(t)
    assert not out.mask.to_numpy().any()
    assert out.values.loc["Total", "Total"] == 85


def test_table_is_deterministic():
    rng = np.random.default_rng(1)
    t = pd.DataFrame(rng.integers(0, 9, size=(6, 5)), columns=list("abcde"))
    a, b = suppress_table(t), suppress_table(t)
    pd.testing.assert_frame_equal(a.mask, b.mask)


def test_table_one_row():
    # a single row: its column totals repeat the cells, so they must be hidden with them
    t = pd.DataFrame({"a": [2], "b": [30], "c": [40]}, index=["x"])
    out = suppress_table(t)
    check_safe(out, with_margins(t))


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (pd.DataFrame({"a": [-1, 2]}), "negative"),
        (pd.DataFrame({"a": [1.5, 2]}), "whole"),
        (pd.DataFrame({"a": [np.nan, 2]}), "missing"),
        (pd.DataFrame({"a": ["x", "y"]}), "numeric"),
        (pd.DataFrame([[1, 2]], columns=["a", "a"]), "unique"),
        (pd.DataFrame({"a": [1, 2]}, index=["x", "Total"]), "already"),
        (pd.DataFrame(), "empty"),
    ],
)
def test_table_rejects_bad_input(table, message):
    with pytest.raises(ValueError, match=message):
        suppress_table(table)


def test_bad_thresholds():
    t = pd.DataFrame({"a": [1, 2]})
    with pytest.raises(ValueError, match="at least 1"):
        suppress_table(t, threshold=0)
    with pytest.raises(ValueError, match="whole number"):
        suppress_table(t, sensitive={"a": 2.5})


# --------------------------------------------------------------------------- rounding, format
def test_round_to_base():
    assert round_to_base(12) == 10 and round_to_base(13) == 15 and round_to_base(0) == 0
    assert round_to_base(25, base=10) == 30  # halves go up
    s = round_to_base(pd.Series([1, 2, 3, np.nan], index=list("abcd")))
    assert s.index.tolist() == list("abcd")
    assert s.iloc[:3].tolist() == [0, 0, 5] and np.isnan(s.iloc[3])
    df = round_to_base(pd.DataFrame({"x": [7, 8]}), base=5)
    assert df["x"].tolist() == [5, 10] and df["x"].dtype == np.int64
    with pytest.raises(ValueError, match="negative"):
        round_to_base([-1])


def test_format_suppressed():
    out = suppress_series(pd.Series({"A": 2, "B": 1500, "C": 2400}))
    assert format_suppressed(out)["count"].tolist() == ["[c]", "[c]", "2,400", "3,902"]
    assert format_suppressed(out, thousands=False)["count"].tolist()[-1] == "3902"


# --------------------------------------------------------------------------- the audit
def test_primary_only_table_with_totals_is_caught():
    naive = pd.DataFrame({"n": [SUPPRESSED, 40, 55, 97]}, index=["A", "B", "C", "Total"])
    problems = disclosure_problems(naive)
    assert problems == ["row 'A', column 'n': the suppressed value can be recovered exactly (2)"]
    with pytest.raises(DisclosureError, match="recovered exactly"):
        assert_safe(naive)


def test_suppressed_cells_known_to_be_small_are_caught():
    # A + B = 2: both hidden, but a reader knows each is at most 2
    pub = pd.DataFrame({"n": [SUPPRESSED, SUPPRESSED, 95, 97]}, index=["A", "B", "C", "Total"])
    assert any("at most 2" in p for p in disclosure_problems(pub))
    assert is_disclosive(pub)


def test_published_small_counts_and_zeros():
    pub = pd.DataFrame({"n": [0, 7, 3]}, index=["A", "B", "C"])
    assert disclosure_problems(pub) == [
        "row 'C', column 'n': 3 is published but below the threshold 5"
    ]
    assert len(disclosure_problems(pub, suppress_zeros=True)) == 2
    assert len(disclosure_problems(pub, sensitive={"B": 10})) == 2


def test_audit_reads_rendered_strings():
    t = pd.DataFrame({"a": [2, 1200], "b": [3000, 4000]}, index=["x", "y"])
    out = suppress_table(t)
    assert not is_disclosive(format_suppressed(out))


def test_feasible_intervals_rejects_inconsistent_totals():
    pub = pd.DataFrame({"n": [SUPPRESSED, 40, 200]}, index=["A", "B", "Total"])
    assert feasible_intervals(pub)["lower"].tolist() == [160]
    bad = pd.DataFrame({"n": [10, 40, 200]}, index=["A", "B", "Total"])
    with pytest.raises(ValueError, match="do not add up"):
        feasible_intervals(bad)
    with pytest.raises(ValueError, match="neither a count"):
        feasible_intervals(pd.DataFrame({"n": ["n/a", 1]}))


def test_assert_safe_uses_the_tables_own_sensitive_thresholds():
    t = pd.DataFrame({"w": [7, 30], "v": [30, 30]}, index=["Domestic abuse", "Theft"])
    out = suppress_table(t, sensitive={"Domestic abuse": 10})
    assert_safe(out)
    # the plain published values, checked without the sensitive setting, are safe at 5 too
    assert_safe(out.values)
    # ...but the unsuppressed table is not safe for the sensitive row
    with pytest.raises(DisclosureError, match="below the threshold 10"):
        assert_safe(with_margins(t), sensitive={"Domestic abuse": 10})


# --------------------------------------------------------------------------- properties
# Many small counts and zeros: half the draws come from 0..6.
counts = st.one_of(st.integers(0, 6), st.integers(0, 60))


@st.composite
def tables(draw):
    n_rows = draw(st.integers(1, 5))
    n_cols = draw(st.integers(1, 5))
    data = draw(st.lists(counts, min_size=n_rows * n_cols, max_size=n_rows * n_cols))
    rows = [f"r{i}" for i in range(n_rows)]
    cols = [f"c{j}" for j in range(n_cols)]
    table = pd.DataFrame(np.array(data).reshape(n_rows, n_cols), index=rows, columns=cols)
    threshold = draw(st.sampled_from([3, 5, 10]))
    sens_rows = draw(st.lists(st.sampled_from(rows), max_size=2, unique=True))
    sens_cols = draw(st.lists(st.sampled_from(cols), max_size=1, unique=True))
    sensitive = {label: threshold + 5 for label in [*sens_rows, *sens_cols]}
    zeros = draw(st.booleans())
    return table, threshold, sensitive, zeros


FAST = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@FAST
@given(tables())
def test_property_table_with_margins_is_safe(case):
    table, threshold, sensitive, zeros = case
    out = suppress_table(table, threshold, sensitive=sensitive, suppress_zeros=zeros)
    check_safe(out, with_margins(table))
    # secondary cells are never zeros unless zeros are suppressed anyway
    if not zeros:
        assert (with_margins(table)[out.secondary] > 0).sum().sum() == out.n_secondary


@FAST
@given(st.lists(counts, min_size=1, max_size=8), st.sampled_from([3, 5, 10]), st.booleans())
def test_property_series_with_total_is_safe(data, threshold, zeros):
    labels = [f"k{i}" for i in range(len(data))]
    s = pd.Series(data, index=labels)
    out = suppress_series(s, threshold, suppress_zeros=zeros)
    truth = pd.DataFrame({"count": [*data, sum(data)]}, index=[*labels, "Total"])
    check_safe(out, truth)


@settings(max_examples=20, deadline=None, derandomize=True)
@given(tables())
def test_property_module_audit_agrees(case):
    table, threshold, sensitive, zeros = case
    out = suppress_table(table, threshold, sensitive=sensitive, suppress_zeros=zeros)
    assert_safe(out)
    # and the audit's intervals match the independent attacker's
    got = {
        (r.row, r.column): (r.lower, r.upper) for r in feasible_intervals(out.values).itertuples()
    }
    want = attack(out.values)
    assert got.keys() == want.keys()
    for key, (lo, hi) in want.items():
        assert got[key][0] == pytest.approx(lo, abs=1e-6)
        assert got[key][1] == pytest.approx(hi, abs=1e-6) or (
            math.isinf(hi) and math.isinf(got[key][1])
        )


@settings(max_examples=30, deadline=None, derandomize=True)
@given(tables())
def test_property_audit_catches_primary_only_tables(case):
    """The audit is not vacuous: with primary suppression only, it flags exactly the tables
    in which the independent attacker recovers a cell or bounds it below the threshold."""
    table, threshold, _, _ = case
    full = with_margins(table)
    naive = full.astype(object).mask((full > 0) & (full < threshold), SUPPRESSED)
    exposed = [k for k, (lo, hi) in attack(naive).items() if hi - lo < 0.5 or hi < threshold]
    assert is_disclosive(naive, threshold) == bool(exposed)
