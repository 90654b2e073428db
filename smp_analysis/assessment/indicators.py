"""Evaluate configured indicators: the reporting year against the year before, with a test.

- **police** indicators (counts from the street-crime cube, district or town centre) and
  **partner** counts: exact conditional Poisson test of the rate ratio, exposures = months
  with data (:func:`smp_analysis.stats.change.rate_ratio_test`);
- **partner** proportions (rows with ``numerator`` and ``denominator``, e.g. MARAC repeat
  cases, youth re-offending): difference of proportions with the Newcombe interval and a
  two-proportion z test (statsmodels);
- **survey** measures: weighted proportions with Kish effective sample sizes
  (:func:`smp_analysis.stats.survey.survey_change`).

Each becomes an :class:`~smp_analysis.assessment.status.IndicatorResult` with its sentence.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from ..categories import ASB
from ..config import IndicatorConfig, PriorityConfig
from ..present import formatting as fmt
from ..stats.change import change_table, rate_ratio_test
from ..stats.periods import ReportingPeriod
from ..stats.proportions import proportion_difference
from .claims import MIN_MATCHED_MONTHS, month_span, yoy_claim
from .context import Context
from .narrative import (
    ChangeFacts,
    change_cell,
    change_sentence,
    proportion_change_sentence,
    public_change_sentence,
)
from .status import IndicatorResult, PriorityStatus, priority_status

__all__ = [
    "partner_rows",
    "partner_total",
    "partner_monthly",
    "partner_matched",
    "evaluate_indicator",
    "evaluate_priority",
    "indicator_table",
    "indicator_data",
    "indicator_columns",
    "INDICATOR_HEADERS",
    "band_sentence",
]


# ---------------------------------------------------------------------------- partner data
def partner_rows(ctx: Context, indicator: str, sub_type: str | None = None) -> pd.DataFrame:
    """Rows of one partner indicator for the partnership's area (all sub-types when
    ``sub_type`` is None)."""
    df = ctx.inputs.partner
    if df is None:
        return pd.DataFrame()
    names = {ctx.config.area.name.lower()}
    if ctx.config.area.code:
        names.add(ctx.config.area.code.lower())
    rows = df[(df["indicator"] == indicator) & df["area"].str.lower().isin(names)]
    if sub_type is not None:
        rows = rows[rows["sub_type"] == sub_type]
    return rows


def _months_covered(rows: pd.DataFrame) -> set[pd.Period]:
    months: set[pd.Period] = set()
    for a, b in zip(rows["period_start"], rows["period_end"], strict=True):
        months.update(pd.period_range(a, b, freq="M"))
    return months


def partner_total(rows: pd.DataFrame, period: ReportingPeriod) -> dict[str, float]:
    """Sum of ``value`` (and numerator/denominator) over rows inside ``period``.

    Returns ``value, numerator, denominator, months`` (months of the period with data).
    """
    if rows.empty:
        return {"value": math.nan, "numerator": math.nan, "denominator": math.nan, "months": 0}
    inside = rows[(rows["period_start"] >= period.start) & (rows["period_end"] <= period.end)]
    months = _months_covered(inside)
    if inside.empty:
        return {"value": math.nan, "numerator": math.nan, "denominator": math.nan, "months": 0}
    return {
        "value": float(inside["value"].sum()),
        "numerator": float(inside["numerator"].sum(min_count=1)),
        "denominator": float(inside["denominator"].sum(min_count=1)),
        "months": len(months),
    }


def partner_matched(rows: pd.DataFrame, ctx: Context) -> tuple[pd.DataFrame, str]:
    """The rows of the reporting year and the year before that cover calendar months with
    data in **both** years (as police comparisons do), and those months in words when fewer
    than twelve (else ``""``).

    A row covering several months (a quarter) is kept only when all of its calendar months
    have data in both years; rows outside the two years are kept as they are.
    """
    if rows.empty:
        return rows, ""
    years = (ctx.previous, ctx.current)
    cal: list[set[int]] = []
    for y in years:
        inside = rows[(rows["period_start"] >= y.start) & (rows["period_end"] <= y.end)]
        cal.append({m.month for m in _months_covered(inside)})
    both = cal[0] & cal[1]
    if len(cal[0]) == 12 and len(cal[1]) == 12:
        return rows, ""

    def keep(a: pd.Period, b: pd.Period) -> bool:
        in_years = a >= years[0].start and b <= years[1].end
        return not in_years or {m.month for m in pd.period_range(a, b, freq="M")} <= both

    mask = [keep(a, b) for a, b in zip(rows["period_start"], rows["period_end"], strict=True)]
    months = [m for m in years[1].months if m.month in both]
    return rows[mask], month_span(months) if months else "no months"


def partner_monthly(rows: pd.DataFrame) -> pd.DataFrame:
    """Monthly partner counts as a tidy series (``month, count``), sub-types summed.

    Only monthly rows are used; months between the first and last row with no row are
    missing (NaN), never zero.
    """
    monthly = rows[rows["period_type"].astype(str) == "month"] if len(rows) else rows
    if monthly.empty:
        return pd.DataFrame({"month": pd.PeriodIndex([], freq="M"), "count": []})
    s = monthly.groupby("period_start", observed=True)["value"].sum()
    months = pd.period_range(s.index.min(), s.index.max(), freq="M")
    out = pd.DataFrame({"month": months})
    out["count"] = out["month"].map(s).astype("float64")
    return out


def _is_proportion(rows: pd.DataFrame) -> bool:
    return bool(len(rows)) and rows["numerator"].notna().all() and rows["denominator"].notna().all()


# ---------------------------------------------------------------------------- evaluation
def _noun(ind: IndicatorConfig) -> str:
    if ind.source == "police":
        return "incidents" if ind.crime_types == [ASB] else "offences"
    if ind.indicator and "referral" in ind.indicator:
        return "referrals"
    if ind.indicator and "entrants" in ind.indicator:
        return "first-time entrants"
    if ind.indicator and "marac" in ind.indicator:
        return "cases"
    if ind.indicator and "knife" in ind.indicator:
        return "offences"  # as the knife-crime paragraph (SV.5) counts them
    return "crimes"


def _band_fields(ind: IndicatorConfig) -> dict[str, object]:
    if ind.band is None:
        return {}
    return {"band_low": ind.band.low, "band_high": ind.band.high, "band_source": ind.band.source}


def band_sentence(r: IndicatorResult) -> str:
    """Where the reporting year's value sits against the indicator's expected range
    (``""`` when it has none).

    Examples
    --------
    >>> r = IndicatorResult("DA", "marac", "Repeat cases at MARAC", "down", kind="difference",
    ...     baseline=0.33, current=0.26, band_low=28, band_high=40, band_source="SafeLives")
    >>> band_sentence(r)
    'That is below the expected range of 28–40% (SafeLives), so the fall is not an improvement: the indicator needs attention.'
    """
    where = r.band_position
    if not where:
        return ""
    pct = "%" if r.kind == "difference" else ""
    rng = f"{r.band_low:g}–{r.band_high:g}{pct}"
    src = f" ({r.band_source})" if r.band_source else ""
    if where == "within":
        return f"That is within the expected range of {rng}{src}."
    moved = (
        ""
        if math.isnan(r.baseline) or r.baseline == r.current
        else ("fall" if r.current < r.baseline else "rise")
    )
    so = f", so the {moved} is not an improvement" if moved else ""
    return f"That is {where} the expected range of {rng}{src}{so}: the indicator needs attention."


def _ratio_result(
    ctx: Context,
    pr: PriorityConfig,
    ind: IndicatorConfig,
    count_base: float,
    months_base: int,
    count_cur: float,
    months_cur: int,
    method: str,
    months_compared: str = "",
    matched: int | None = None,
) -> IndicatorResult:
    base = dict(
        priority_id=pr.id,
        indicator_id=ind.id,
        label=ind.label,
        good=ind.good,
        kind="ratio",
        baseline=count_base,
        current=count_cur,
        months_baseline=months_base,
        months_current=months_cur,
        target_change=None if ind.target is None else ind.target.change,
        baseline_label=ctx.previous.label,
        current_label=ctx.current.label,
        unit=_noun(ind),
        method=method,
        **_band_fields(ind),
    )
    if months_base == 0 or months_cur == 0 or math.isnan(count_base) or math.isnan(count_cur):
        which = ctx.previous.label if months_base == 0 else ctx.current.label
        return IndicatorResult(
            **base,
            available=False,
            reason=f"no data for {which}",
            sentence=f"{ind.label}: not assessed, because there are no data for {which}.",
        )
    claim = yoy_claim(min(months_base, months_cur) if matched is None else matched)
    if not claim:
        where = f" ({months_compared})" if months_compared else ""
        return IndicatorResult(
            **base,
            available=False,
            reason=f"{claim.reason}{where}; a verdict needs at least {MIN_MATCHED_MONTHS}",
            sentence=f"{ind.label}: not assessed, because only {claim.reason.removeprefix('only ')}"
            f"{where} of {ctx.previous.label} and {ctx.current.label} have data in both years "
            f"(a verdict needs at least {MIN_MATCHED_MONTHS}).",
        )
    test = rate_ratio_test(count_cur, months_cur, count_base, months_base)
    facts = ChangeFacts(
        count_base,
        count_cur,
        months_base,
        months_cur,
        test.rate_ratio,
        test.ci_low,
        test.ci_high,
        test.p_value,
        significant=test.p_value < 0.05,
        months_compared=months_compared,
    )
    kw = {"current": ctx.current.label, "baseline": ctx.previous.label, "noun": _noun(ind)}
    s = change_sentence(ind.label, facts, **kw)
    ps = public_change_sentence(ind.label, facts, **kw)
    return IndicatorResult(
        **base,
        estimate=test.rate_ratio,
        ci_low=test.ci_low,
        ci_high=test.ci_high,
        p_value=test.p_value,
        sentence=s.text,
        public_sentence=ps.text,
        facts=s.facts,
    )


def _proportion_result(
    ctx: Context,
    pr: PriorityConfig,
    ind: IndicatorConfig,
    x0: float,
    n0: float,
    x1: float,
    n1: float,
    *,
    estimate: tuple[float, float, float, float] | None = None,
    method: str,
) -> IndicatorResult:
    base = dict(
        priority_id=pr.id,
        indicator_id=ind.id,
        label=ind.label,
        good=ind.good,
        kind="difference",
        target_change=None if ind.target is None else ind.target.change,
        baseline_label=ctx.previous.label,
        current_label=ctx.current.label,
        unit="%",
        method=method,
        **_band_fields(ind),
    )
    if estimate is None:
        if not (n0 > 0 and n1 > 0) or any(math.isnan(v) for v in (x0, n0, x1, n1)):
            return IndicatorResult(
                **base,
                available=False,
                reason="no data for one of the years",
                sentence=f"{ind.label}: not assessed, because a year has no data.",
            )
        d = proportion_difference(x1, n1, x0, n0)
        lo, hi, p = d.ci_low, d.ci_high, d.p_value
        p0, p1 = d.proportion2, d.proportion1
        diff = p1 - p0
    else:
        p0, p1, lo, hi, p = *estimate[:2], estimate[2], estimate[3], math.nan
        diff = p1 - p0
    return IndicatorResult(
        **base,
        baseline=p0,
        current=p1,
        estimate=diff,
        ci_low=float(lo),
        ci_high=float(hi),
        p_value=p,
        sentence=proportion_change_sentence(
            ind.label,
            p0,
            p1,
            float(lo),
            float(hi),
            p,
            baseline=ctx.previous.label,
            current=ctx.current.label,
        ).text,
        public_sentence=_public_proportion(ind.label, p0, p1, p),
        facts=(fmt.share(p0), fmt.share(p1)),
    )


def _public_proportion(label: str, p0: float, p1: float, p: float) -> str:
    if p < 0.05:
        d = "up" if p1 > p0 else "down"
        return f"{label}: {fmt.share(p1)}, {d} from {fmt.share(p0)} the year before."
    return f"{label}: {fmt.share(p1)}, about the same as the year before ({fmt.share(p0)})."


def evaluate_indicator(ctx: Context, pr: PriorityConfig, ind: IndicatorConfig) -> IndicatorResult:
    """Compare one indicator between the reporting year and the year before (and, when it
    has an expected range, say where the reporting year sits against it)."""
    r = _evaluate(ctx, pr, ind)
    band = band_sentence(r) if r.available else ""
    return replace(r, sentence=f"{r.sentence} {band}") if band else r


def _evaluate(ctx: Context, pr: PriorityConfig, ind: IndicatorConfig) -> IndicatorResult:
    if ind.source == "police":
        cur_m, _, span = ctx.matched_months()
        series = ctx.police_series(ind.crime_types, area=ind.area)
        t = change_table(ctx.comparable(series), [], ctx.current, ctx.previous).iloc[0]
        return _ratio_result(
            ctx,
            pr,
            ind,
            float(t["count_baseline"]),
            int(t["months_baseline"]),
            float(t["count_current"]),
            int(t["months_current"]),
            "exact conditional Poisson test of the rate ratio (months with data as exposure)",
            months_compared=span,
            matched=len(cur_m),
        )
    if ind.source == "partner":
        rows, span = partner_matched(partner_rows(ctx, ind.indicator, ind.sub_type), ctx)
        b, c = partner_total(rows, ctx.previous), partner_total(rows, ctx.current)
        if _is_proportion(rows):
            return _proportion_result(
                ctx,
                pr,
                ind,
                b["numerator"],
                b["denominator"],
                c["numerator"],
                c["denominator"],
                method="difference of proportions, Newcombe interval, score test",
            )
        return _ratio_result(
            ctx,
            pr,
            ind,
            b["value"],
            b["months"],
            c["value"],
            c["months"],
            "exact conditional Poisson test of the rate ratio (months with data as exposure)",
            months_compared=span,
            matched=min(b["months"], c["months"]),
        )
    # survey
    from ..stats.survey import survey_change, weighted_proportion

    measure = next(m for m in ctx.config.surveys if m.id == ind.measure)
    df = ctx.inputs.survey
    if df is None:
        return _proportion_result(ctx, pr, ind, math.nan, 0, math.nan, 0, method="survey")

    def wave(year: str):
        rows = df[
            (df["survey"] == measure.survey)
            & (df["year"] == year)
            & (df["question"] == measure.question)
        ]
        if rows.empty:
            return None
        return weighted_proportion(rows["response"], measure.positive, rows["weight"])

    before, after = wave(ctx.previous.label), wave(ctx.current.label)
    if before is None or after is None:
        return _proportion_result(ctx, pr, ind, math.nan, 0, math.nan, 0, method="survey")
    ch = survey_change(before, after)
    res = _proportion_result(
        ctx,
        pr,
        ind,
        0,
        0,
        0,
        0,
        estimate=(before.proportion, after.proportion, ch.ci_low, ch.ci_high),
        method="weighted proportions (Kish effective n), Newcombe interval, z test",
    )
    s = proportion_change_sentence(
        ind.label,
        before.proportion,
        after.proportion,
        ch.ci_low,
        ch.ci_high,
        ch.p_value,
        baseline=ctx.previous.label,
        current=ctx.current.label,
    )
    return IndicatorResult(
        **{
            **res.__dict__,
            "p_value": ch.p_value,
            "sentence": s.text,
            "facts": s.facts,
            "public_sentence": _public_proportion(
                ind.label, before.proportion, after.proportion, ch.p_value
            ),
        }
    )


def evaluate_priority(ctx: Context, priority_id: str) -> PriorityStatus:
    """Every indicator of a priority, combined into its status (override kept beside)."""
    pr = ctx.config.priority(priority_id)
    results = [evaluate_indicator(ctx, pr, ind) for ind in pr.indicators]
    return priority_status(
        pr.id,
        pr.title,
        results,
        override=pr.override.status if pr.override else None,
        rationale=pr.override.rationale if pr.override else None,
    )


def _signed(x: float, text: str) -> str:
    return ("+" if x > 0 else "-" if x < 0 else "") + text


#: readable headers (with units) of :func:`indicator_data`
INDICATOR_HEADERS = {
    "indicator": "Indicator",
    "kind": "Kind of comparison (ratio of counts, or difference of proportions)",
    "baseline": "Year before (count, or proportion 0-1)",
    "current": "Reporting year (count, or proportion 0-1)",
    "months_baseline": "Months with data, year before",
    "months_current": "Months with data, reporting year",
    "difference": "Change (count, count a month, or percentage points)",
    "pct_change": "Change (%)",
    "estimate": "Estimate (rate ratio, or difference of proportions)",
    "ci_low": "95% confidence interval, lower",
    "ci_high": "95% confidence interval, upper",
    "p_value": "p-value",
    "verdict": "Verdict",
    "target": "Target",
    "method": "Method",
}


def indicator_data(status: PriorityStatus) -> pd.DataFrame:
    """The evidence behind a status as numbers: one row per indicator with its counts or
    proportions, the change, the estimate (rate ratio or difference in proportions) with its
    interval, the p-value and the verdict."""
    rows = []
    for r, v in zip(status.indicators, status.verdicts, strict=True):
        if r.kind == "ratio":
            f = ChangeFacts(r.baseline, r.current, r.months_baseline, r.months_current)
            ok = r.months_baseline and r.months_current and not math.isnan(r.baseline)
            diff = f.difference if ok else math.nan
            pct = f.pct_change * 100 if ok and r.baseline else math.nan
        else:
            diff = (r.current - r.baseline) * 100
            pct = math.nan
        rows.append(
            {
                "indicator": r.label,
                "kind": r.kind,
                "baseline_label": r.baseline_label or "Previous year",
                "current_label": r.current_label or "Reporting year",
                "baseline": r.baseline,
                "current": r.current,
                "months_baseline": r.months_baseline if r.kind == "ratio" else pd.NA,
                "months_current": r.months_current if r.kind == "ratio" else pd.NA,
                "difference": diff,
                "pct_change": pct,
                "estimate": r.estimate,
                "ci_low": r.ci_low,
                "ci_high": r.ci_high,
                "p_value": r.p_value,
                "verdict": v.code,
                "target": v.target or "",
                "method": r.method,
            }
        )
    out = pd.DataFrame(rows)
    for c in ("months_baseline", "months_current"):
        if c in out:
            out[c] = out[c].astype("Int64")
    return out


def _value_cell(column: str):
    def f(r) -> str:
        return fmt.count(r[column]) if r["kind"] == "ratio" else fmt.share(r[column])

    return f


def _change_of(r) -> str:
    if math.isnan(r["estimate"]):
        return fmt.MISSING
    if r["kind"] == "ratio":
        return change_cell(
            ChangeFacts(
                r["baseline"], r["current"], int(r["months_baseline"]), int(r["months_current"])
            )
        )
    pts = fmt.number(abs(r["estimate"]) * 100, 0)
    return _signed(round(r["estimate"] * 100), f"{pts} points")


def _estimate_of(r) -> str:
    if math.isnan(r["estimate"]):
        return fmt.MISSING
    if r["kind"] == "ratio":
        return f"{fmt.ratio(r['estimate'])} ({fmt.interval(r['ci_low'], r['ci_high'])})"
    return (
        f"{_change_of(r)} ({fmt.number(r['ci_low'] * 100, 0)} to "
        f"{fmt.number(r['ci_high'] * 100, 0)} points)"
    )


def indicator_columns(status: PriorityStatus) -> dict:
    """How :func:`indicator_data` is shown: header → cell function."""
    first = status.indicators[0] if status.indicators else None
    before = (first.baseline_label if first else "") or "Previous year"
    now = (first.current_label if first else "") or "Reporting year"
    return {
        "Indicator": lambda r: r["indicator"],
        before: _value_cell("baseline"),
        now: _value_cell("current"),
        "Change": _change_of,
        "Estimate (95% CI)": _estimate_of,
        "p-value": lambda r: fmt.p_value(r["p_value"]),
        "Verdict": lambda r: r["verdict"] + (f"; target {r['target']}" if r["target"] else ""),
    }


def indicator_table(status: PriorityStatus) -> pd.DataFrame:
    """The evidence table behind a status, formatted for readers (rendered from
    :func:`indicator_data`).

    The columns hold every number the indicator sentences quote: counts, the difference
    and per cent change, the estimate (rate ratio or difference in points) with its
    interval, the p-value and the verdict.
    """
    from ..present.blocks import Table

    return Table.rendered(indicator_data(status), indicator_columns(status), "evidence").frame
