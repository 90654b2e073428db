"""Community-safety survey measures: weighted proportions, changes and group gaps.

A *measure* is the share of respondents to one question whose answer is one of a set of
"positive" answers (``"Very safe"``, ``"Fairly safe"``), among those who answered. Blank
answers are *no answer*: they are counted (``n_no_answer``) and excluded from the base.

Method
------
* **Estimate.** The weighted proportion ``p = Σ w·[positive] / Σ w`` over answered rows.
* **Effective sample size.** Kish's ``n_eff = (Σ w)² / Σ w²`` (Kish 1965, §11.7; Kish 1992):
  unequal weights inflate the variance by ``deff = n / n_eff``. With equal weights
  ``n_eff = n``.
* **Interval.** Wilson's score interval (Wilson 1927) computed with ``n_eff`` in place of
  ``n`` — the effective-sample-size substitution of Korn & Graubard (1998), evaluated
  for the Wilson interval by Dean & Pagano (2015). Unweighted, it is exactly R's
  ``prop.test(x, n, correct = FALSE)$conf.int``. Computed by statsmodels'
  ``proportion_confint(method="wilson")``.
* **Change / gap between two independent samples.** Difference of proportions with
  Newcombe's hybrid score interval (Newcombe 1998, method 10; statsmodels
  ``confint_proportions_2indep(method="newcomb")``) and the pooled two-proportion z test
  (R ``prop.test(c(x1, x2), c(n1, n2), correct = FALSE)``; statsmodels
  ``proportions_ztest``), both on effective counts ``p·n_eff`` and ``n_eff``.

Caveat: the survey file carries weights but no strata or clusters, so ``n_eff`` reflects
weighting only; a clustered design would widen the intervals further.

References
----------
Kish, L. (1965). *Survey Sampling*. Wiley. — Kish, L. (1992). Weighting for unequal Pi.
*J. Official Statistics* 8(2), 183-200. — Wilson, E. B. (1927). Probable inference, the law
of succession, and statistical inference. *JASA* 22, 209-212. — Korn, E. L. & Graubard,
B. I. (1998). Confidence intervals for proportions with small expected number of
positive counts estimated from survey data. *Survey Methodology* 24, 193-201. —
Dean, N. & Pagano, M. (2015). Evaluating confidence interval methods for binomial
proportions in clustered surveys. *J. Survey Statistics and Methodology* 3(4), 484-503.
— Newcombe, R. G. (1998). Interval estimation for the difference between independent
proportions: comparison of eleven methods. *Statistics in Medicine* 17, 873-890.

Examples
--------
>>> r = weighted_proportion(["Very safe", "Fairly safe", "Very unsafe", None],
...                         positive=["Very safe", "Fairly safe"])
>>> round(r.proportion, 4), r.n, r.n_no_answer
(0.6667, 3, 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep

from ._checks import check_conf_level
from ._result import Result, alias
from .proportions import wilson_interval

__all__ = [
    "METHOD",
    "SurveyProportion",
    "SurveyChange",
    "SurveyMeasure",
    "weighted_proportion",
    "survey_change",
    "group_gaps",
    "survey_measure_table",
    "survey_measure_change",
]

#: ``method`` of a survey proportion: Wilson score interval on the Kish effective n.
METHOD = "wilson-kish"
#: ``method`` of a difference: Newcombe hybrid score interval and pooled z test on effective n.
DIFF_METHOD = "newcombe-kish"

_STAT_COLUMNS = [
    "proportion",
    "ci_low",
    "ci_high",
    "n",
    "effective_n",
    "n_positive",
    "n_no_answer",
    "method",
]


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class SurveyProportion(Result):
    """A (weighted) survey proportion with its interval.

    Attributes
    ----------
    estimate : float
        Weighted share of answered responses that are positive; also :attr:`proportion`.
    ci_low, ci_high : float
        Wilson score interval on the Kish effective sample size.
    n : int
        Unweighted base: respondents who answered.
    effective_n : float
        Kish effective sample size ``(Σw)²/Σw²`` of the base (equals ``n`` unweighted).
    n_positive : int
        Unweighted number of positive answers (for disclosure checks).
    n_no_answer : int
        Respondents who left the question blank (excluded from the base).
    conf_level : float
        Confidence level of the interval.
    method : str
        :data:`METHOD`.
    """

    estimate: float
    ci_low: float
    ci_high: float
    n: int
    effective_n: float
    n_positive: int
    n_no_answer: int
    conf_level: float = 0.95
    method: str = METHOD

    _estimate_name = "proportion"
    proportion = alias("estimate", "The weighted proportion.")


@dataclass(frozen=True)
class SurveyChange(Result):
    """Difference between two independent survey proportions (``after - before``).

    Attributes
    ----------
    estimate : float
        ``after.proportion - before.proportion`` (a proportion, not percentage points);
        also :attr:`difference`.
    ci_low, ci_high : float
        Newcombe hybrid score interval for the difference, on effective sample sizes.
    p_value : float
        Two-sided pooled two-proportion z test on effective sample sizes.
    z : float
        The z statistic (positive when ``after`` is higher).
    before, after : SurveyProportion
        The two proportions compared.
    conf_level : float
        Confidence level of the interval.
    method : str
        ``"newcombe-kish"``.
    """

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    z: float
    before: SurveyProportion
    after: SurveyProportion
    conf_level: float = 0.95
    method: str = DIFF_METHOD

    _estimate_name = "difference"
    difference = alias("estimate", "The difference of the proportions, after - before.")


@dataclass(frozen=True)
class SurveyMeasure:
    """A survey measure: the share of one question's answers that are positive.

    Attributes
    ----------
    id : str
        Identifier, e.g. ``"feel_safe_town_centre_dark"``.
    label : str
        Plain-English label for tables.
    survey : str
        ``"public"`` or ``"youth"``.
    question : str
        Question id in the survey file.
    positive : tuple of str
        Answers counted as positive (compared ignoring case and repeated spaces).

    Examples
    --------
    >>> m = SurveyMeasure.from_mapping({"id": "safe_dark", "label": "Feel safe after dark",
    ...     "survey": "public", "question": "safe_after_dark", "positive": "Very safe"})
    >>> m.positive
    ('Very safe',)
    """

    id: str
    label: str
    survey: str
    question: str
    positive: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "positive", _as_answers(self.positive))
        if isinstance(self.survey, str):  # the reader lower-cases the survey kind
            object.__setattr__(self, "survey", self.survey.strip().lower())
        for name in ("id", "label", "survey", "question"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name).strip():
                raise ValueError(f"survey measure needs a non-empty {name}")

    @classmethod
    def from_mapping(cls, spec: Mapping[str, Any] | object) -> SurveyMeasure:
        """Build from a mapping (or an object with attributes, such as the validated
        ``surveys:`` config entries) with ``id, label, survey, question, positive``;
        other keys are ignored and ``label`` defaults to ``id``."""
        if isinstance(spec, SurveyMeasure):
            return spec
        if not isinstance(spec, Mapping):
            fields = ("id", "label", "survey", "question", "positive")
            spec = {k: getattr(spec, k) for k in fields if hasattr(spec, k)}
        missing = [k for k in ("id", "survey", "question", "positive") if k not in spec]
        if missing:
            raise ValueError(f"survey measure lacks {missing}")
        return cls(
            id=str(spec["id"]),
            label=str(spec.get("label", spec["id"])),
            survey=str(spec["survey"]),
            question=str(spec["question"]),
            positive=spec["positive"],
        )


# --------------------------------------------------------------------------- helpers
def _norm(value: object) -> str:
    return " ".join(str(value).split()).casefold()


def _as_answers(positive: str | Iterable[str]) -> tuple[str, ...]:
    items = (positive,) if isinstance(positive, str) else tuple(positive)
    if not items or not all(isinstance(p, str) and p.strip() for p in items):
        raise ValueError("positive must be one or more non-empty answer texts")
    return items


def _answered(responses: pd.Series) -> np.ndarray:
    """True where a response is given (not missing, not blank)."""
    s = responses.astype(object)
    blank = s.isna().to_numpy() | np.array(
        [isinstance(v, str) and not v.strip() for v in s], dtype=bool
    )
    return ~blank


def _is_positive(responses: pd.Series, positive: tuple[str, ...]) -> np.ndarray:
    wanted = {_norm(p) for p in positive}
    return np.array(
        [isinstance(v, str) and _norm(v) in wanted for v in responses.astype(object)], dtype=bool
    )


def _weights(weights: object, n: int) -> np.ndarray:
    if weights is None:
        return np.ones(n)
    w = np.asarray(weights, dtype="float64").reshape(-1)
    if w.shape[0] != n:
        raise ValueError(f"weights has {w.shape[0]} values but there are {n} responses")
    if not np.isfinite(w).all() or (w <= 0).any():
        raise ValueError("weights must be finite and greater than 0")
    return w


def _parts(answered: np.ndarray, positive: np.ndarray, w: np.ndarray) -> pd.DataFrame:
    """Per-row pieces whose group sums give every statistic."""
    pos = answered & positive
    return pd.DataFrame(
        {
            "_n": answered.astype("int64"),
            "_na": (~answered).astype("int64"),
            "_npos": pos.astype("int64"),
            "_sw": np.where(answered, w, 0.0),
            "_sw2": np.where(answered, w * w, 0.0),
            "_swp": np.where(pos, w, 0.0),
        }
    )


def _stats(sums: pd.DataFrame, conf_level: float) -> pd.DataFrame:
    """Proportion, Kish n_eff and Wilson interval from summed parts (vectorised)."""
    n = sums["_n"].to_numpy()
    sw = sums["_sw"].to_numpy(dtype="float64")
    sw2 = sums["_sw2"].to_numpy(dtype="float64")
    swp = sums["_swp"].to_numpy(dtype="float64")
    ok = n > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(ok, swp / sw, np.nan)
        neff = np.where(ok, sw * sw / sw2, np.nan)
    # guard rounding: the positive weight can exceed the total by an ulp
    p = np.clip(p, 0.0, 1.0)
    lo = np.full(n.shape, np.nan)
    hi = np.full(n.shape, np.nan)
    if ok.any():
        lo[ok], hi[ok] = wilson_interval(p[ok] * neff[ok], neff[ok], conf_level=conf_level)
    return pd.DataFrame(
        {
            "proportion": p,
            "ci_low": lo,
            "ci_high": hi,
            "n": n.astype("int64"),
            "effective_n": neff,
            "n_positive": sums["_npos"].to_numpy().astype("int64"),
            "n_no_answer": sums["_na"].to_numpy().astype("int64"),
            "method": METHOD,
        },
        index=sums.index,
    )


def _compare(
    p1: float, n1: float, p0: float, n0: float, conf_level: float
) -> tuple[float, float, float, float, float]:
    """Difference p1 - p0 of independent proportions on effective sizes.

    Returns ``(difference, ci_low, ci_high, p_value, z)``; all NaN if a side is empty.
    """
    if not (n1 > 0 and n0 > 0) or np.isnan(p1) or np.isnan(p0):
        return (np.nan,) * 5  # type: ignore[return-value]
    x1, x0 = p1 * n1, p0 * n0
    lo, hi = confint_proportions_2indep(
        x1, n1, x0, n0, method="newcomb", compare="diff", alpha=1 - conf_level
    )
    pooled = (x1 + x0) / (n1 + n0)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    if se <= 0:  # everyone positive (or nobody) on both sides: no evidence of a difference
        z, pval = 0.0, 1.0
    else:
        z = (p1 - p0) / se
        pval = float(2 * norm.sf(abs(z)))
    return float(p1 - p0), float(lo), float(hi), pval, float(z)


def _proportion_from_row(row: Mapping[str, Any], conf_level: float) -> SurveyProportion:
    return SurveyProportion(
        estimate=float(row["proportion"]),
        ci_low=float(row["ci_low"]),
        ci_high=float(row["ci_high"]),
        n=int(row["n"]),
        effective_n=float(row["effective_n"]),
        n_positive=int(row["n_positive"]),
        n_no_answer=int(row["n_no_answer"]),
        conf_level=conf_level,
    )


def _bh(p: np.ndarray) -> np.ndarray:
    q = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        q[ok] = multipletests(p[ok], method="fdr_bh")[1]
    return q


def _check_columns(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"responses lack {what} column(s) {missing}")


# --------------------------------------------------------------------------- public API
def weighted_proportion(
    responses: Sequence[object] | pd.Series | np.ndarray,
    positive: str | Iterable[str],
    weights: Sequence[float] | pd.Series | np.ndarray | None = None,
    *,
    conf_level: float = 0.95,
) -> SurveyProportion:
    """Weighted share of positive answers with a Wilson interval on the Kish effective n.

    Parameters
    ----------
    responses : array-like of str
        One answer per respondent; ``None``/``NaN``/blank is *no answer*.
    positive : str or iterable of str
        Answers counted as positive (compared ignoring case and repeated spaces).
    weights : array-like of float, optional
        Survey weights (> 0), one per response. Default: all 1 (unweighted).
    conf_level : float, default 0.95
        Confidence level (keyword-only).

    Returns
    -------
    SurveyProportion
        ``estimate`` (alias ``proportion``), ``ci_low``, ``ci_high``, ``conf_level``,
        ``method`` and the counts.

    Raises
    ------
    ValueError
        If nobody answered, weights are not positive and finite, or lengths differ.

    Notes
    -----
    ``p = Σ w·[positive] / Σ w`` and ``n_eff = (Σw)²/Σw²`` over answered responses; the
    interval is Wilson's with ``p·n_eff`` positives out of ``n_eff`` (see the module
    notes). Unweighted this is R's ``prop.test(x, n, correct = FALSE)$conf.int``.

    Examples
    --------
    >>> r = weighted_proportion(["Yes"] * 6 + ["No"] * 46, positive="Yes")
    >>> round(r.ci_low, 6), round(r.ci_high, 6)   # prop.test(6, 52, correct=FALSE)
    (0.05397, 0.229717)
    >>> w = weighted_proportion(["Yes", "No", "No", ""], "Yes", weights=[2, 1, 1, 5])
    >>> w.proportion, round(w.effective_n, 4), w.n_no_answer
    (0.5, 2.6667, 1)
    """
    cl = check_conf_level(conf_level)
    pos = _as_answers(positive)
    s = pd.Series(list(responses) if not isinstance(responses, pd.Series) else responses)
    w = _weights(weights, len(s))
    answered = _answered(s)
    if not answered.any():
        raise ValueError("nobody answered: a proportion needs at least one answered response")
    sums = _parts(answered, _is_positive(s, pos), w).sum().to_frame().T
    row = _stats(sums, cl).iloc[0]
    return _proportion_from_row(row, cl)


def survey_change(
    before: SurveyProportion, after: SurveyProportion, *, conf_level: float = 0.95
) -> SurveyChange:
    """Change between two independent survey waves, with interval and p-value.

    Parameters
    ----------
    before, after : SurveyProportion
        The earlier and later estimates (independent samples, e.g. two survey years).
    conf_level : float, default 0.95
        Confidence level for the difference (keyword-only).

    Returns
    -------
    SurveyChange
        ``estimate`` (alias ``difference``) ``= after - before`` with Newcombe's hybrid score interval and the
        pooled z test, both on the Kish effective sample sizes (design effect of the
        weights). Unweighted, the p-value equals R's ``prop.test(c(x1, x2), c(n1, n2),
        correct = FALSE)$p.value``.

    Examples
    --------
    >>> a = weighted_proportion(["y"] * 56 + ["n"] * 14, "y")
    >>> b = weighted_proportion(["y"] * 48 + ["n"] * 32, "y")
    >>> c = survey_change(before=b, after=a)
    >>> round(c.difference, 4), round(c.ci_low, 4), round(c.ci_high, 4)
    (0.2, 0.0524, 0.3339)
    """
    cl = check_conf_level(conf_level)
    d, lo, hi, pval, z = _compare(
        after.proportion, after.effective_n, before.proportion, before.effective_n, cl
    )
    return SurveyChange(
        estimate=d,
        ci_low=lo,
        ci_high=hi,
        p_value=pval,
        z=z,
        before=before,
        after=after,
        conf_level=cl,
    )


def _prepare(
    responses: pd.DataFrame,
    positive: tuple[str, ...],
    response: str,
    weight: str | None,
) -> pd.DataFrame:
    _check_columns(responses, [response], "response")
    n = len(responses)
    w = None
    if weight is not None and weight in responses.columns:
        w = responses[weight].to_numpy(dtype="float64")
    parts = _parts(
        _answered(responses[response]),
        _is_positive(responses[response], positive),
        _weights(w, n),
    )
    parts.index = responses.index
    return parts


def group_gaps(
    responses: pd.DataFrame,
    positive: str | Iterable[str],
    group: str,
    *,
    reference: object | None = None,
    by: Sequence[str] = (),
    response: str = "response",
    weight: str | None = "weight",
    conf_level: float = 0.95,
    not_stated: str = "Not stated",
) -> pd.DataFrame:
    """Compare a measure between respondent groups (age bands, areas, ...).

    Each group is compared with a reference: by default *everyone else* (the other
    groups pooled, an independent sample), or a named reference group.

    Parameters
    ----------
    responses : pandas.DataFrame
        Tidy survey rows for **one question** (one row per respondent), e.g. from the
        survey reader ``read_survey`` filtered to a question.
    positive : str or iterable of str
        Answers counted as positive.
    group : str
        Column with the respondent group; blank groups are labelled ``not_stated``.
    reference : optional
        A group label to compare every other group with. Default: the rest.
    by : sequence of str, default ()
        Columns to repeat the comparison within (e.g. ``["survey", "year"]``).
    response, weight : str
        Column names; a missing ``weight`` column means unweighted.
    conf_level : float, default 0.95
        Confidence level.
    not_stated : str, default "Not stated"
        Label for respondents with no group.

    Returns
    -------
    pandas.DataFrame
        ``[*by, group, proportion, ci_low, ci_high, n, effective_n, n_positive,
        n_no_answer, method, reference, reference_proportion, difference,
        difference_ci_low, difference_ci_high, p_value, q_value]``; ``q_value`` is the
        Benjamini-Hochberg adjusted p over all comparisons in the frame.

    Raises
    ------
    ValueError
        If several questions are mixed, several survey waves are pooled without
        ``by``, a column is missing, or ``reference`` is not a group.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"age": ["16-24"] * 40 + ["65+"] * 60,
    ...                    "response": ["Yes"] * 10 + ["No"] * 30 + ["Yes"] * 36 + ["No"] * 24})
    >>> g = group_gaps(df, "Yes", "age")
    >>> g[["age", "proportion", "reference", "difference"]].round(3)
         age  proportion reference  difference
    0  16-24        0.25    others       -0.35
    1    65+        0.60    others        0.35
    """
    cl = check_conf_level(conf_level)
    pos = _as_answers(positive)
    by = list(by)
    _check_columns(responses, [group, *by], "group")
    if "question" in responses.columns and responses["question"].nunique(dropna=False) > 1:
        raise ValueError("responses mix several questions; filter to one question first")
    waves = [
        c
        for c in ("survey", "year")
        if c in responses.columns and c not in by and responses[c].nunique(dropna=False) > 1
    ]
    if waves:
        raise ValueError(
            f"responses span several {'/'.join(waves)} values; pass by={[*by, *waves]!r} "
            "or filter to one wave"
        )
    df = responses.copy()
    df[group] = df[group].astype(object).where(_answered(df[group]), not_stated)
    parts = _prepare(df, pos, response, weight)
    keys = [*by, group]
    frame = pd.concat([df[keys], parts], axis=1)
    sums = frame.groupby(keys, sort=True, dropna=False).sum()
    stats = _stats(sums, cl).reset_index()
    if reference is not None and reference not in set(stats[group]):
        raise ValueError(f"reference group {reference!r} is not among the groups")
    rows = []
    for _, sub in stats.groupby(by, sort=False, dropna=False) if by else [((), stats)]:
        sub_sums = sums.loc[tuple(sub[k].iloc[0] for k in by)] if by else sums
        total = sub_sums.sum()
        for _, r in sub.iterrows():
            if reference is None:
                ref_sums = (total - sub_sums.loc[r[group]]).to_frame().T
                ref_label = "others"
            elif r[group] == reference:
                rows.append({"reference": reference, "reference_proportion": np.nan})
                continue
            else:
                ref_sums = sub_sums.loc[[reference]]
                ref_label = reference
            ref = _stats(ref_sums, cl).iloc[0]
            d, lo, hi, pval, _ = _compare(
                r["proportion"], r["effective_n"], ref["proportion"], ref["effective_n"], cl
            )
            rows.append(
                {
                    "reference": ref_label,
                    "reference_proportion": ref["proportion"],
                    "difference": d,
                    "difference_ci_low": lo,
                    "difference_ci_high": hi,
                    "p_value": pval,
                }
            )
    comp = pd.DataFrame(
        rows,
        columns=[
            "reference",
            "reference_proportion",
            "difference",
            "difference_ci_low",
            "difference_ci_high",
            "p_value",
        ],
    )
    out = pd.concat([stats[[*keys, *_STAT_COLUMNS]], comp], axis=1)
    out["q_value"] = _bh(out["p_value"].to_numpy(dtype="float64"))
    return out


def survey_measure_table(
    responses: pd.DataFrame,
    measures: Iterable[SurveyMeasure | Mapping[str, Any] | object],
    *,
    by: Sequence[str] = ("survey", "year"),
    response: str = "response",
    weight: str | None = "weight",
    conf_level: float = 0.95,
    not_stated: str = "Not stated",
) -> pd.DataFrame:
    """Every measure for every survey wave (and optional respondent group), in one frame.

    Parameters
    ----------
    responses : pandas.DataFrame
        Tidy survey rows (docs/data-formats.md §8): ``survey, year, respondent_id,
        question, response`` and optionally ``weight`` and group columns.
    measures : iterable of SurveyMeasure, mapping or config entry
        Each with ``id, label, survey, question, positive`` (see
        :meth:`SurveyMeasure.from_mapping`).
    by : sequence of str, default ("survey", "year")
        Grouping columns; add e.g. ``"age_group"`` for a breakdown. Blank values in a
        grouping column are labelled ``not_stated``. Keyword-only, as the options below.
    response, weight : str
        Column names; a missing ``weight`` column means unweighted.
    conf_level : float, default 0.95
        Confidence level.
    not_stated : str, default "Not stated"
        Label for blank group values.

    Returns
    -------
    pandas.DataFrame
        ``[measure, label, survey, question, *by (except survey), proportion, ci_low,
        ci_high, n, effective_n, n_positive, n_no_answer, method]``, one row per measure
        and group in which the question was asked; a group where everyone left it blank
        has ``n == 0`` and ``NaN`` estimates.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "survey": "public", "year": ["2023/24"] * 4 + ["2024/25"] * 4,
    ...     "respondent_id": list("abcdefgh"), "question": "safe_day",
    ...     "response": ["Very safe", "Fairly safe", "Fairly unsafe", "",
    ...                  "Very safe", "Very safe", "Fairly safe", "Very unsafe"]})
    >>> m = SurveyMeasure("safe_day", "Feel safe by day", "public", "safe_day",
    ...                   ("Very safe", "Fairly safe"))
    >>> t = survey_measure_table(df, [m])
    >>> t[["year", "proportion", "n", "n_no_answer"]].round(3)
          year  proportion  n  n_no_answer
    0  2023/24       0.667  3            1
    1  2024/25       0.750  4            0
    """
    cl = check_conf_level(conf_level)
    by = list(by)
    _check_columns(responses, ["survey", "question", *by], "survey")
    extra_by = [b for b in by if b != "survey"]
    frames = []
    for spec in measures:
        m = SurveyMeasure.from_mapping(spec)
        rows = responses[
            (responses["survey"] == m.survey) & (responses["question"] == m.question)
        ].copy()
        if rows.empty:
            continue
        for b in extra_by:
            rows[b] = rows[b].astype(object).where(_answered(rows[b]), not_stated)
        parts = _prepare(rows, m.positive, response, weight)
        keys = extra_by
        frame = pd.concat([rows[keys], parts], axis=1) if keys else parts
        sums = (
            frame.groupby(keys, sort=True, dropna=False).sum() if keys else parts.sum().to_frame().T
        )
        stats = _stats(sums, cl)
        stats = stats.reset_index() if keys else stats.reset_index(drop=True)
        stats.insert(0, "question", m.question)
        stats.insert(0, "survey", m.survey)
        stats.insert(0, "label", m.label)
        stats.insert(0, "measure", m.id)
        frames.append(stats)
    columns = ["measure", "label", "survey", "question", *extra_by, *_STAT_COLUMNS]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def survey_measure_change(
    table: pd.DataFrame,
    before: object,
    after: object,
    *,
    on: str = "year",
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Change in each measure between two waves of a :func:`survey_measure_table`.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`survey_measure_table`.
    before, after : label
        The two values of ``on`` to compare (e.g. ``"2023/24"``, ``"2024/25"``).
    on : str, default "year"
        The column that distinguishes the waves.
    conf_level : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per measure (and group): the identifying columns, ``proportion_before,
        proportion_after, n_before, n_after, effective_n_before, effective_n_after,
        difference, ci_low, ci_high, p_value, q_value, method``. A measure asked in only
        one of the waves is kept with ``NaN`` for the missing side and the change.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"measure": "m", "label": "M", "survey": "public", "question": "q",
    ...     "year": ["2023/24", "2024/25"], "proportion": [0.6, 0.8], "ci_low": [0.5, 0.7],
    ...     "ci_high": [0.7, 0.9], "n": [80, 70], "effective_n": [80.0, 70.0],
    ...     "n_positive": [48, 56], "n_no_answer": [0, 0], "method": "wilson-kish"})
    >>> c = survey_measure_change(t, "2023/24", "2024/25")
    >>> c[["measure", "difference", "ci_low", "ci_high"]].round(4)
      measure  difference  ci_low  ci_high
    0       m         0.2  0.0524   0.3339
    """
    cl = check_conf_level(conf_level)
    _check_columns(table, [on, "proportion", "effective_n", "n"], "measure table")
    keys = [c for c in table.columns if c not in _STAT_COLUMNS and c != on]
    cols = ["proportion", "n", "effective_n"]
    a = table[table[on] == before][[*keys, *cols]]
    b = table[table[on] == after][[*keys, *cols]]
    merged = a.merge(b, on=keys, how="outer", suffixes=("_before", "_after"), sort=False)
    # keep the measure table's order (an outer merge sorts the keys)
    order = table[keys].drop_duplicates().reset_index(drop=True).reset_index(names="_order")
    merged = merged.merge(order, on=keys, how="left").sort_values("_order", kind="stable")
    merged = merged.drop(columns="_order").reset_index(drop=True)
    res = [
        _compare(
            r["proportion_after"],
            r["effective_n_after"],
            r["proportion_before"],
            r["effective_n_before"],
            cl,
        )
        for _, r in merged.iterrows()
    ]
    arr = np.array(res, dtype="float64").reshape(len(res), 5)
    merged["difference"] = arr[:, 0]
    merged["ci_low"] = arr[:, 1]
    merged["ci_high"] = arr[:, 2]
    merged["p_value"] = arr[:, 3]
    merged["q_value"] = _bh(arr[:, 3])
    merged["method"] = DIFF_METHOD
    merged.insert(len(keys), "before", before)
    merged.insert(len(keys) + 1, "after", after)
    return merged.reset_index(drop=True)
