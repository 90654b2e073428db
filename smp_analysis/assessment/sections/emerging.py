"""Emerging concerns — section EC: the exceedance register, every category's change, and
long-term trends."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ...categories import ALL_CATEGORIES, ASB
from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table, cell
from ...present.charts import change_chart
from ...results.result import coverage_frame
from ...stats.change import change_table
from ...stats.exceedance import concerns_summary, emerging_concerns
from ...stats.periods import ReportingPeriod
from ...stats.trend import trend_table
from ..claims import MIN_MATCHED_MONTHS, month_span, seasonal_trend_claim, yoy_claim
from ..context import Context
from ..narrative import ChangeFacts, Sentence, change_cell, month_label, trend_sentence
from ..section import Section
from .common import HEADERS, change_columns

__all__ = ["emerging_concerns_section", "register", "register_window", "trend_span"]


def register_window(ctx: Context) -> tuple[pd.PeriodIndex | None, pd.PeriodIndex]:
    """The quarter the register tests, and the latest quarter of the reporting year.

    The latest quarter is the three months ending with the reporting year. When any of its
    months has no data the register cannot test it; it tests instead the latest earlier
    quarter (three months ending three, six, ... months before) whose three months all have
    data. Returns ``(tested, latest)``; ``tested`` is ``None`` when no quarter of the data
    has all three months.
    """
    present = set(ctx.inputs.cube.months_present)
    first = ctx.inputs.cube.months_expected.min()
    latest = pd.period_range(ctx.current.end - 2, ctx.current.end, freq="M")
    end = ctx.current.end
    while end - 2 >= first:
        window = pd.period_range(end - 2, end, freq="M")
        if all(m in present for m in window):
            return window, latest
        end = end - 3
    return None, latest


def register(ctx: Context, end: object | None = None) -> pd.DataFrame:
    """Flagged series for the quarter ending ``end`` (default: the latest quarter of the
    reporting year): every category district-wide and in every neighbourhood (one
    false-discovery-rate control over all of them)."""
    return concerns_summary(_full_register(ctx, end), ["area", "crime_type"])


def _full_register(ctx: Context, end: object | None = None) -> pd.DataFrame:
    district = ctx.police_series(ALL_CATEGORIES, by=["crime_type"]).assign(
        area=ctx.config.area.name
    )
    lsoa = ctx.police_series(ALL_CATEGORIES, by=["crime_type", "lsoa_name"]).rename(
        columns={"lsoa_name": "area"}
    )
    both = pd.concat([district, lsoa[district.columns]], ignore_index=True)
    last = ctx.current.end if end is None else pd.Period(end, freq="M")
    return emerging_concerns(both, ["area", "crime_type"], end=last)


def _register_paragraph(ctx: Context, label: str) -> Paragraph:
    tested, latest = register_window(ctx)
    present = set(ctx.inputs.cube.months_present)
    latest_span = month_span(latest)
    gap: list[str] = []
    if tested is None or tested[-1] != latest[-1]:
        missing = [m for m in latest if m not in present]
        gap.append(
            f"The latest quarter, {latest_span}, has no police.uk data, so the register could "
            "not test it."
            if len(missing) == len(latest)
            else f"The latest quarter, {latest_span}, is incomplete: {month_span(missing)} has "
            "no police.uk data, so the register could not test it."
        )
    if tested is None:
        return _register_not_run(
            ctx,
            label,
            latest,
            gap,
            "no quarter in the police.uk data has data in all three of its months",
        )
    q_start, q_end = tested[0], tested[-1]
    baseline = ReportingPeriod(
        "Baseline, the 36 months before the quarter", q_start - 36, q_start - 1
    )
    n_base = sum(1 for m in baseline.months if m in present)
    if q_start <= ctx.inputs.cube.months_expected.min() or n_base == 0:
        return _register_not_run(
            ctx, label, latest, gap, f"there are no months of data before {month_span(tested)}"
        )
    full = _full_register(ctx, q_end)
    if not full["tested"].any():
        short = full["reason"].str.startswith("not tested: baseline has").all()
        why = (
            f"the three years before {month_span(tested)} have only {n_base} months with data, "
            "too few to fit a baseline for any series"
            if short
            else f"no series could be tested for {month_span(tested)} (no baseline could be "
            "fitted, or every expected count was too low)"
        )
        return _register_not_run(ctx, label, latest, gap, why)
    flagged = concerns_summary(full, ["area", "crime_type"])
    is_latest = not gap
    window = month_span(tested)
    n_series = len(ALL_CATEGORIES) * (1 + len(ctx.inputs.cube.lsoas))
    which = (
        f"the latest quarter ({window})"
        if is_latest
        else f"the latest quarter with data in all three months ({window})"
    )
    expected_from = (
        "the level expected from the three years before"
        if n_base == 36
        else f"the level expected from the three years before ({n_base} months with data)"
    )
    # what the baselines could allow for (too few months for a trend or season: neither)
    fitted = full[full["tested"]]
    allowing = ", ".join(
        [w for w, col in (("trend", "trend"), ("season", "seasonal")) if fitted[col].any()]
    )
    allowing = f"{allowing} and over-dispersion" if allowing else "over-dispersion only"
    text = [
        f"We compared {which} of {fmt.count(n_series)} series (14 "
        f"categories, district-wide and in each of {len(ctx.inputs.cube.lsoas)} neighbourhoods) "
        f"with {expected_from}, allowing for {allowing}, and controlling the false discovery "
        "rate at 5%."
    ]
    in_window = "" if is_latest else f" in {window}"
    results: list[str] = []
    facts: list[str] = []
    if flagged.empty:
        results.append(f"No series was above its expected range{in_window}.")
    else:
        were = "series was above its" if len(flagged) == 1 else "series were above their"
        results.append(f"{fmt.count(len(flagged))} {were} expected range{in_window}:")
        for r in flagged.head(6).itertuples():
            where = "district-wide" if r.area == ctx.config.area.name else f"in {r.area}"
            o, e, t = fmt.count(r.observed), fmt.count(r.expected), fmt.count(r.threshold)
            results.append(
                f"- {r.crime_type} {where}: {o} against {e} expected (alert threshold {t})."
            )
            facts += [o, e, t]
    quarter_word = "the latest quarter" if is_latest else "the quarter"
    data = flagged[
        [
            "crime_type",
            "area",
            "observed",
            "expected",
            "threshold",
            "exceedance",
            "p_value",
            "q_value",
            "window_flag",
            "flagged_months",
        ]
    ].assign(
        flagged_months=lambda d: d["flagged_months"].map(
            lambda v: ", ".join(str(m) for m in v) if isinstance(v, list | tuple) else str(v or "")
        )
    )
    details = (
        (
            Table.rendered(
                data,
                {
                    "Category": cell("crime_type"),
                    "Where": cell("area"),
                    "Observed": cell("observed", fmt.count),
                    "Expected": cell("expected", fmt.count),
                    "Alert threshold": cell("threshold", fmt.count),
                    "Ratio to expected": cell("exceedance", lambda v: fmt.ratio(v, 1)),
                    "q-value": cell("q_value", fmt.q_value),
                    "Months flagged": cell("flagged_months"),
                },
                f"Table {label}: the emerging-concerns register, {window}",
                headers={
                    "crime_type": "Category",
                    "area": "Where",
                    "observed": f"Observed in {quarter_word} (count)",
                    "expected": f"Expected in {quarter_word} (count)",
                    "threshold": "Alert threshold (count, upper 95% prediction limit)",
                    "exceedance": "Ratio of observed to expected",
                    "p_value": f"p-value (one-sided, of {quarter_word}'s total)",
                    "q_value": "q-value (Benjamini-Hochberg)",
                    "window_flag": f"{quarter_word.removeprefix('the ').capitalize()}'s "
                    "total flagged",
                    "flagged_months": "Months flagged (each month tested on its own)",
                },
                note="Expected and threshold from a quasi-Poisson baseline with trend and season "
                "(Farrington-style, outliers down-weighted); q-value = Benjamini–Hochberg "
                "adjusted p-value across all series.",
            ),
        )
        if len(data)
        else ()
    )
    # the district-wide series: its baseline (up to three years) and the quarter tested (and
    # the latest quarter, with its missing months, when that could not be tested)
    quarter = ReportingPeriod(window, q_start, q_end)
    periods = [baseline, quarter]
    if not is_latest:
        periods.append(ReportingPeriod(f"{latest_span} (not tested)", latest[0], latest[-1]))
    coverage = coverage_frame(ctx.police_series(ALL_CATEGORIES), periods)
    return Paragraph(
        label,
        f"The emerging-concerns register, {window}",
        tuple(gap + text + results),
        details,
        facts=tuple(facts),
        public_text=tuple(gap + [t.removeprefix("- ") for t in results[:3]]),
        coverage=coverage,
        tests=(
            "Farrington-style quasi-Poisson baseline (trend, season, past outliers "
            "down-weighted) with negative binomial prediction limits",
            "Benjamini–Hochberg q-values across all series",
        ),
    )


def _register_not_run(
    ctx: Context, label: str, latest: pd.PeriodIndex, gap: list[str], why: str
) -> Paragraph:
    """EC.1 when no quarter can be tested: say so, and why; never "nothing unusual"."""
    text = [*gap, f"The emerging-concerns register could not be run: {why}."]
    latest_q = ReportingPeriod(month_span(latest), latest[0], latest[-1])
    return Paragraph(
        label,
        "The emerging-concerns register could not be run",
        tuple(text),
        (),
        public_text=tuple(text),
        coverage=coverage_frame(ctx.police_series(ALL_CATEGORIES), [latest_q]),
    )


def _change_paragraph(ctx: Context, label: str) -> Paragraph:
    series = ctx.police_series(ALL_CATEGORIES, by=["crime_type"])
    t = change_table(ctx.comparable(series), ["crime_type"], ctx.current, ctx.previous)
    cur_m, prev_m, _ = ctx.matched_months()
    yoy = yoy_claim(len(cur_m))
    # fewer than twelve matched months: name them (the same calendar months of both years)
    named = month_span(cur_m) if len(cur_m) else ""
    spans = f"{named}, against the same months of {ctx.previous.label}" if named else ""
    partial = len(cur_m) < 12
    text: list[str] = []
    if not yoy:
        which = f"{yoy.reason} ({spans})" if spans else "no calendar month has data in both years"
        text.append(
            f"Comparing {ctx.current.label} with {ctx.previous.label} for all 14 categories: "
            f"not assessed: {which}. A verdict on the change needs at least "
            f"{MIN_MATCHED_MONTHS} calendar months with data in both years, so no rise or fall "
            "is judged."
        )
        ups: list[str] = []
        downs: list[str] = []
    else:
        sig = t[t["significant"]]
        ups = sig[sig["rate_ratio"] > 1]["crime_type"].tolist()
        downs = sig[sig["rate_ratio"] < 1]["crime_type"].tolist()
        over = (
            f" over the {len(cur_m)} calendar months with data in both years ({spans})"
            if partial
            else ""
        )
        text.append(
            f"Comparing {ctx.current.label} with {ctx.previous.label}{over} for all 14 "
            "categories, after controlling the false discovery rate: "
            + (f"rises in {_and_list(ups)}" if ups else "no significant rises")
            + "; "
            + (f"falls in {_and_list(downs)}" if downs else "no significant falls")
            + "."
        )
    text.append(
        "Anti-social behaviour is an incident category, not a crime; it is shown for "
        "completeness and never added to crime totals."
    )
    rows = []
    for _, row in t.iterrows():
        facts = ChangeFacts.from_row(row)
        r = {
            "crime_type": row["crime_type"],
            "count_previous": float(row["count_baseline"]),
            "count": float(row["count_current"]),
            "months_previous": int(row["months_baseline"]),
            "months_present": int(row["months_current"]),
        }
        if yoy:
            r.update(change_columns(facts), q_value=float(row["q_value"]))
        elif facts.months_baseline and facts.months_current:
            # counts and their change only: no test, interval or q-value is claimed
            r.update(difference=facts.difference, pct_change=facts.pct_change * 100)
        else:
            r.update(difference=math.nan, pct_change=math.nan)
        rows.append(r)
    data = pd.DataFrame(rows)
    columns = {
        "Category": cell("crime_type"),
        ctx.previous.label: cell("count_previous", fmt.count),
        ctx.current.label: cell("count", fmt.count),
        "Change": _change_cell,
    }
    if yoy:
        columns |= {
            "Rate ratio (95% CI)": lambda r: (
                f"{fmt.ratio(r['rate_ratio'])} ({fmt.interval(r['ci_low'], r['ci_high'])})"
            ),
            "q-value": cell("q_value", fmt.q_value),
        }
    only = (
        f", only {named} and the same months of {ctx.previous.label}" if partial and named else ""
    )
    table = Table.rendered(
        data,
        columns,
        f"Table {label}: recorded crime and ASB by category, "
        f"{ctx.previous.label} and {ctx.current.label}{only}",
        headers={
            **HEADERS,
            "crime_type": "Category",
            "count_previous": f"{ctx.previous.label} (count)",
            "count": f"{ctx.current.label} (count)",
            "months_previous": f"Months with data, {ctx.previous.label}",
            "months_present": f"Months with data, {ctx.current.label}",
            "q_value": "q-value (Benjamini-Hochberg)",
        },
        note="Exact conditional Poisson test; q-value = Benjamini–Hochberg."
        if yoy
        else f"Not assessed: {yoy.reason} (a verdict needs {MIN_MATCHED_MONTHS}); counts of "
        "the matched months only, with no test.",
    )
    details: tuple = (table,) if len(cur_m) else ()
    if yoy:
        chart = change_chart(
            t[t["crime_type"] != ASB],
            title=(
                f"{len(ups)} crime types rose and {len(downs)} fell significantly in "
                f"{ctx.current.label}"
            ),
            subtitle=f"Rate ratio {ctx.current.label} against {ctx.previous.label} with 95% "
            f"intervals, {ctx.config.area.name}",
        )
        details = (chart, table)
    return Paragraph(
        label,
        "Every category against last year",
        tuple(text),
        details,
        coverage=coverage_frame(
            ctx.police_series(ALL_CATEGORIES),
            [ctx.previous, ctx.current],
            used={ctx.current.label: list(cur_m), ctx.previous.label: list(prev_m)},
        ),
        tests=(
            "exact conditional Poisson test of the rate ratio (R poisson.test), months with "
            "data as exposure",
            "Benjamini–Hochberg q-values across categories",
        )
        if yoy
        else (),
    )


def _change_cell(row: Mapping[str, Any]) -> str:
    if not (row["months_previous"] and row["months_present"]):
        return fmt.MISSING
    return change_cell(
        ChangeFacts(
            row["count_previous"],
            row["count"],
            int(row["months_previous"]),
            int(row["months_present"]),
        )
    )


def trend_span(series: pd.DataFrame) -> tuple[pd.DataFrame, pd.PeriodIndex]:
    """``series`` cut to its first to last month with data (in any of its series), and the
    months with data in that span: a trend statement says nothing about months before the
    data start or after they end.

    Examples
    --------
    >>> s = pd.DataFrame({"month": pd.period_range("2024-01", periods=5, freq="M"),
    ...                   "count": [float("nan"), 3.0, float("nan"), 4.0, float("nan")]})
    >>> cut, with_data = trend_span(s)
    >>> [str(m) for m in cut["month"]], [str(m) for m in with_data]
    (['2024-02', '2024-03', '2024-04'], ['2024-02', '2024-04'])
    """
    months = pd.PeriodIndex(series["month"], freq="M")
    has = series["count"].notna().to_numpy()
    if not has.any():
        return series.iloc[:0].reset_index(drop=True), pd.PeriodIndex([], freq="M")
    with_data = pd.PeriodIndex(sorted(set(months[has])), freq="M")
    keep = (months >= with_data[0]) & (months <= with_data[-1])
    return series[keep].reset_index(drop=True), with_data


def _trend_paragraph(ctx: Context, label: str) -> Paragraph:
    series, with_data = trend_span(ctx.police_series(ALL_CATEGORIES, by=["crime_type"]))
    coverage = coverage_frame(ctx.police_series(ALL_CATEGORIES), ctx.years)
    tests = (
        "seasonal Mann–Kendall trend test (Hirsch–Slack) with Sen's slope",
        "Benjamini–Hochberg q-values across categories",
    )
    if not len(with_data):
        return Paragraph(
            label,
            "Long-term trends",
            (
                "No trend test is reported: no month of police.uk data up to "
                f"{month_label(ctx.current.end)}.",
            ),
            coverage=coverage,
        )
    first, last = with_data[0], with_data[-1]
    span = f"{month_label(first)} to {month_label(last)}"
    n_span = (last - first).n + 1
    used = f" ({len(with_data)} months with data)" if len(with_data) < n_span else ""
    season = seasonal_trend_claim(list(with_data))
    if not season:
        return Paragraph(
            label,
            "Long-term trends",
            (f"No trend test is reported for {span}{used}: {season.reason}.",),
            coverage=coverage,
        )
    t = trend_table(series, ["crime_type"])
    sig = t[t["significant"]].sort_values("p_value")
    text, facts = [], []
    for r in sig.itertuples():
        s = trend_sentence(r.crime_type, r.slope * 12, r.p_value, start=r.start, end=r.end)
        said = f"from {month_label(r.start)} to {month_label(r.end)}"
        if used and said in s.text:
            s = Sentence(s.text.replace(said, said + used, 1), s.facts)
        text.append(s.text)
        facts += list(s.facts)
    if not text:
        text.append(
            f"No category shows a clear long-term trend from {span}{used} once the seasons are "
            "allowed for."
        )
    text.append(
        "Seasonal Mann–Kendall test (Hirsch–Slack) with Sen's slope, false discovery "
        "rate controlled across categories."
    )
    data = pd.DataFrame(
        {
            "crime_type": t["crime_type"],
            "first_month": t["start"].astype(str),
            "last_month": t["end"].astype(str),
            "months_present": t["n"].astype("int64"),
            "months_missing": t["months_missing"].astype("int64"),
            "slope": t["slope"].astype("float64"),
            "slope_per_year": (t["slope"] * 12).astype("float64"),
            "tau": t["tau"].astype("float64"),
            "p_value": t["p_value"].astype("float64"),
            "q_value": t["q_value"].astype("float64"),
        }
    )
    return Paragraph(
        label,
        "Long-term trends",
        tuple(text),
        (
            Table.rendered(
                data,
                {
                    "Category": cell("crime_type"),
                    "Months": cell("months_present", fmt.count),
                    "Sen slope (per month, each year)": cell("slope_per_year", _slope_text),
                    "Kendall's tau": cell("tau", fmt.ratio),
                    "q-value": cell("q_value", fmt.q_value),
                },
                f"Table {label}: long-term trends by category, {span}",
                headers={
                    "crime_type": "Category",
                    "first_month": "First month",
                    "last_month": "Last month",
                    "months_present": "Months with data",
                    "months_missing": "Months missing",
                    "slope": "Sen slope (change in the monthly count, per month)",
                    "slope_per_year": "Sen slope (change in the monthly count, per year)",
                    "tau": "Kendall's tau (seasonal)",
                    "p_value": "p-value (seasonal Mann-Kendall)",
                    "q_value": "q-value (Benjamini-Hochberg)",
                },
                note="Sen slope: how much the monthly count changes each year.",
            ),
        ),
        facts=tuple(facts),
        coverage=coverage,
        tests=tests,
    )


def _and_list(names: Sequence[str]) -> str:
    """``["Robbery", "Shoplifting", "Drugs"]`` → ``"robbery, shoplifting and drugs"``.

    Examples
    --------
    >>> _and_list(["Robbery"]), _and_list(["Robbery", "Shoplifting", "Drugs"])
    ('robbery', 'robbery, shoplifting and drugs')
    """
    low = [n.lower() for n in names]
    return low[0] if len(low) == 1 else ", ".join(low[:-1]) + " and " + low[-1]


def _slope_text(v: float) -> str:
    """A yearly Sen slope as shown: a signed whole number, or one decimal place when it
    would round to 0 (never "+0" or "-0"; exactly 0 is "no change").

    Examples
    --------
    >>> [_slope_text(v) for v in (15.2, -0.5, 0.5, 0.04, 0.0)]
    ['+15', '-0.5', '+0.5', 'less than 0.1', 'no change']
    """
    if v == 0 or pd.isna(v):
        return "no change" if v == 0 else fmt.MISSING
    sign = "+" if v > 0 else "-"
    if fmt.count(abs(v)) != "0":
        return sign + fmt.count(abs(v))
    small = fmt.number(abs(v), 1)
    return "less than 0.1" if small == "0.0" else sign + small


def emerging_concerns_section(ctx: Context) -> Section:
    """Section EC."""
    return Section(
        "EC",
        "Emerging concerns, trends and shifts",
        (
            _register_paragraph(ctx, "EC.1"),
            _change_paragraph(ctx, "EC.2"),
            _trend_paragraph(ctx, "EC.3"),
        ),
        intro=(
            "This section looks across every category and neighbourhood for what is new or "
            "changing, so that issues outside the current priorities are not missed.",
        ),
        overrides=ctx.inputs.overrides,
    )
