"""Comparison with peers — section CMP: "compared with whom?".

The partnership against its peer group (``peers`` in the config, see
:func:`smp_analysis.peers.resolve.resolve_peers`), on the same months for every area:

* **CMP.1** — all crime and each category: every area's count and rate per 1,000
  residents (Census 2021), the pooled group rate, and whether the partnership's rate is
  significantly above or below the rest of the group's (exact conditional Poisson test;
  all crime, the headline, on its own, the categories with Benjamini–Hochberg across them);
* **CMP.2** — the funnel plot of all crime (PHE's method, 95% and 99.8% limits);
* **CMP.3** — the change since last year against the peers' change (ratio of rate
  ratios), given only when the months support a year-on-year verdict (claims policy).

Months: the months of the reporting year with data for the partnership (the cube's rule)
*and* for every peer; a month missing for any peer is left out for all and named in the
text. Compute, then say: :func:`compare_with_peers` computes every number;
:func:`comparison` only words and lays them out.

Examples
--------
>>> from smp_analysis.stats.periods import financial_year
>>> used, dropped = common_months(financial_year("2024/25").months[:3],
...     {"A": set(financial_year("2024/25").months), "B": {pd.Period("2024-04", "M")}})
>>> [str(m) for m in used], {str(m): v for m, v in dropped.items()}
(['2024-04'], {'2024-05': ['B'], '2024-06': ['B']})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from ...categories import CRIME_TYPES
from ...peers.resolve import PeerGroup
from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table, cell
from ...present.charts.funnel import funnel_chart
from ...results.result import coverage_frame
from ...sources.police_uk_peers import PeerCounts
from ...stats.funnel import funnel_limits, funnel_table
from ...stats.peers import change_versus_group, peer_rates, versus_group
from ..claims import month_span, yoy_claim
from ..context import Context
from ..section import Section

__all__ = ["comparison", "compare_with_peers", "PeerComparison", "common_months", "ALL_CRIME"]

#: The row of the tables that sums every crime category (anti-social behaviour excluded).
ALL_CRIME = "All crime"

_TESTS = (
    "crimes per 1,000 residents (Census 2021) with PHE exact/Byar 95% intervals",
    "the partnership against the rest of the peer group: exact conditional Poisson test "
    "(R poisson.test with two samples); all crime on its own, Benjamini-Hochberg across "
    "the categories",
    "funnel plot limits: PHE exact Poisson method, 95% and 99.8%",
)
_CHANGE_TESTS = (
    "ratio of rate ratios (the partnership's change over the rest of the group's) with a "
    "log-normal Wald interval (R glm poisson interaction); all crime on its own, "
    "Benjamini-Hochberg across the categories",
)


def common_months(
    months: Sequence[pd.Period], present: Mapping[str, set[pd.Period]]
) -> tuple[list[pd.Period], dict[pd.Period, list[str]]]:
    """The months with data for every area, and the areas lacking each other month."""
    used, dropped = [], {}
    for m in sorted(months):
        lacking = [a for a, ms in present.items() if m not in ms]
        if lacking:
            dropped[m] = lacking
        else:
            used.append(m)
    return used, dropped


def _by_category(counts: PeerCounts, months: Sequence[pd.Period], areas: Sequence[str]):
    c = counts.counts
    c = c[c["month"].isin(set(months)) & c["crime_type"].isin(CRIME_TYPES)]
    grid = pd.MultiIndex.from_product(
        [list(areas), [ALL_CRIME, *CRIME_TYPES]], names=["area", "category"]
    )
    per_cat = c.groupby(["area", "crime_type"])["count"].sum()
    per_cat.index.names = ["area", "category"]
    total = c.groupby("area")["count"].sum()
    total.index = pd.MultiIndex.from_arrays(
        [total.index, [ALL_CRIME] * len(total)], names=["area", "category"]
    )
    out = pd.concat([per_cat, total]).reindex(grid, fill_value=0).astype("float64")
    # counts are zero only for months that are present (the months are common to all areas)
    return out.rename("count").reset_index()


def _headline_then_categories(test, frame: pd.DataFrame, focus: str) -> pd.DataFrame:
    """All crime is the headline, tested on its own; the categories are a screen, with the
    false discovery rate controlled across them (Benjamini-Hochberg)."""
    head = frame["category"] == ALL_CRIME
    parts = [test(frame[head], focus, by=["category"]), test(frame[~head], focus, by=["category"])]
    return pd.concat(parts, ignore_index=True)


@dataclass(frozen=True)
class PeerComparison:
    """Every number section CMP shows (no words).

    Attributes
    ----------
    group : PeerGroup
    focus : str
        The partnership's name.
    months : list of Period
        Months of the reporting year used for every area.
    dropped : dict
        Months of the year with partnership data left out, and the areas lacking them.
    rates : pandas.DataFrame
        ``area, category, count, population, months, rate, ci_low, ci_high, group_count,
        group_population, group_rate, funnel``.
    versus : pandas.DataFrame
        Per category, the partnership against the rest of the group
        (:func:`~smp_analysis.stats.peers.versus_group`).
    funnel_points, funnel_limits : pandas.DataFrame
        All crime funnel (:func:`~smp_analysis.stats.funnel.funnel_table`).
    change : pandas.DataFrame or None
        Per category, change against the rest of the group on matched months
        (:func:`~smp_analysis.stats.peers.change_versus_group`).
    current_months, previous_months : list of Period
        The matched months of the change.
    """

    group: PeerGroup
    focus: str
    months: list
    dropped: dict
    rates: pd.DataFrame
    versus: pd.DataFrame
    funnel_points: pd.DataFrame
    funnel_limits: pd.DataFrame
    change: pd.DataFrame | None
    current_months: list
    previous_months: list


def compare_with_peers(ctx: Context, group: PeerGroup, counts: PeerCounts) -> PeerComparison:
    """Compute the comparison (see the module docstring for the rules)."""
    focus = group.focus.name
    areas = [a.name for a in group.areas]
    present = {a: set(counts.months_of(a)) for a in areas}
    cube_present = set(ctx.inputs.cube.months_present)
    year = [m for m in ctx.current.months if m in cube_present]
    used, dropped = common_months(year, present)
    pops = counts.areas.set_index("area")["population"]
    table = _by_category(counts, used, areas)
    table["population"] = table["area"].map(pops).astype("float64")
    table["months"] = len(used)
    rates = peer_rates(table, by=["category"])
    versus = _headline_then_categories(versus_group, table, focus)
    allc = rates[rates["category"] == ALL_CRIME]
    pts, lims = funnel_table(allc[["area", "count", "population"]])
    # change: calendar months with data for every area in both years
    prev_year = [m for m in ctx.previous.months if m in cube_present]
    prev_used, _ = common_months(prev_year, present)
    both = {m.month for m in used} & {m.month for m in prev_used}
    cur_m = [m for m in used if m.month in both]
    prev_m = [m for m in prev_used if m.month in both]
    change = None
    if cur_m:
        now = _by_category(counts, cur_m, areas).rename(columns={"count": "count_current"})
        before = _by_category(counts, prev_m, areas).rename(columns={"count": "count_previous"})
        change = _headline_then_categories(change_versus_group, now.merge(before), focus)
    return PeerComparison(
        group=group,
        focus=focus,
        months=used,
        dropped=dropped,
        rates=rates,
        versus=versus,
        funnel_points=pts,
        funnel_limits=lims,
        change=change,
        current_months=cur_m,
        previous_months=prev_m,
    )


# ---------------------------------------------------------------------------- words
def _over(ctx: Context, months: Sequence[pd.Period]) -> str:
    n = len(months)
    if n == ctx.current.n_months:
        return ctx.current.label
    return f"{ctx.current.label} ({month_span(months)}, {n} month{'s' if n != 1 else ''})"


def _dropped_text(dropped: Mapping[pd.Period, list[str]]) -> str:
    if not dropped:
        return ""
    lacking = sorted({a for v in dropped.values() for a in v})
    return (
        f"{month_span(dropped)} {'is' if len(dropped) == 1 else 'are'} left out for every "
        f"area because the police.uk files have no data for {', '.join(lacking[:6])}"
        + (f" and {len(lacking) - 6} more" if len(lacking) > 6 else "")
        + " in "
        + ("that month." if len(dropped) == 1 else "those months.")
    )


_VERDICT_WORDS = {
    "above": "significantly higher than",
    "below": "significantly lower than",
    "similar": "not significantly different from",
    "not tested": "not compared with",
}


def _cmp1(ctx: Context, c: PeerComparison, label: str, series: pd.DataFrame) -> Paragraph:
    g, focus = c.group, c.focus
    v = c.versus.set_index("category")
    a = v.loc[ALL_CRIME]
    over = _over(ctx, c.months)
    part = len(c.months) < ctx.current.n_months
    rate_word = (
        f"Crimes per 1,000 residents over {len(c.months)} months"
        if part
        else "Crimes per 1,000 residents"
    )
    rate_me, group_rate = fmt.rate(a["rate"]), fmt.rate(a["group_rate"])
    rr, ci = fmt.ratio(a["rate_ratio"]), fmt.interval(a["ci_low"], a["ci_high"])
    sentence = (
        f"In {over}, {focus} recorded {fmt.count(a['count'])} crimes, {rate_me} per 1,000 "
        f"residents, against {group_rate} per 1,000 across the {len(g.areas)} areas of "
        f"{g.name}: {_VERDICT_WORDS[a['verdict']]} the other areas (rate ratio {rr}, 95% CI "
        f"{ci})."
    )
    text = [sentence]
    sig = v[(v.index != ALL_CRIME) & v["verdict"].isin(["above", "below"])]
    if len(sig):
        higher = [str(k) for k in sig.index[sig["verdict"] == "above"]]
        lower = [str(k) for k in sig.index[sig["verdict"] == "below"]]
        bits = []
        if higher:
            bits.append("higher for " + ", ".join(h.lower() for h in higher))
        if lower:
            bits.append("lower for " + ", ".join(x.lower() for x in lower))
        text.append(
            f"By category, {focus}'s rate was significantly " + "; ".join(bits) + " (after "
            "controlling the false discovery rate across categories)."
        )
    else:
        text.append(
            f"No crime category's rate in {focus} differed significantly from the other "
            "areas' after controlling the false discovery rate across categories."
        )
    if c.dropped:
        text.append(_dropped_text(c.dropped))
    if part:
        text.append(
            f"Rates are over the {len(c.months)} months with data for every area, not a "
            "full year's rates."
        )
    allc = c.rates[c.rates["category"] == ALL_CRIME].copy()
    allc = allc[
        [
            "area",
            "count",
            "population",
            "months",
            "rate",
            "ci_low",
            "ci_high",
            "group_rate",
            "funnel",
        ]
    ]
    t_areas = Table.rendered(
        allc,
        {
            "Area": cell("area"),
            "Crimes": cell("count", fmt.count),
            "Residents": cell("population", fmt.count),
            f"{rate_word} (95% CI)": lambda r: (
                f"{fmt.rate(r['rate'])} ({fmt.interval(r['ci_low'], r['ci_high'], 1)})"
            ),
            "Against the group (funnel plot)": cell("funnel"),
        },
        f"Table {label}: all crime in each area of {g.name}, {over}",
        headers={
            "area": "Area",
            "count": "Crimes (count)",
            "population": "Residents (Census 2021)",
            "months": "Months used (the same for every area)",
            "rate": rate_word,
            "ci_low": "Rate 95% confidence interval, lower (PHE exact/Byar)",
            "ci_high": "Rate 95% confidence interval, upper (PHE exact/Byar)",
            "group_rate": f"{rate_word}, the group (all areas pooled)",
            "funnel": "Place on the funnel plot (95% and 99.8% limits around the group rate)",
        },
        note=f"Group rate {group_rate} per 1,000 (all areas' crimes over all areas' "
        "residents). Anti-social behaviour is not crime and is not counted.",
    )
    vt = c.versus[
        [
            "category",
            "count",
            "rate",
            "rest_count",
            "rest_rate",
            "group_rate",
            "rate_ratio",
            "ci_low",
            "ci_high",
            "p_value",
            "q_value",
            "verdict",
        ]
    ]
    t_versus = Table.rendered(
        vt,
        {
            "Category": cell("category"),
            f"{focus} crimes": cell("count", fmt.count),
            f"{focus} rate": cell("rate", fmt.rate),
            "Group rate": cell("group_rate", fmt.rate),
            "Rate ratio against the other areas (95% CI)": lambda r: (
                f"{fmt.ratio(r['rate_ratio'])} ({fmt.interval(r['ci_low'], r['ci_high'])})"
            ),
            "q": cell("q_value", fmt.q_value),
            "Verdict": lambda r: {
                "above": "Higher",
                "below": "Lower",
                "similar": "Not significantly different",
                "not tested": "Not tested",
            }[r["verdict"]],
        },
        f"Table {label}b: {focus} against the rest of {g.name} by category, {over}",
        headers={
            "category": "Category",
            "count": f"{focus}, crimes (count)",
            "rate": f"{focus}, {rate_word.lower()}",
            "rest_count": "The other areas, crimes (count)",
            "rest_rate": f"The other areas, {rate_word.lower()}",
            "group_rate": f"The group (all areas), {rate_word.lower()}",
            "rate_ratio": f"Rate ratio, {focus} over the other areas",
            "ci_low": "Rate ratio 95% confidence interval, lower (exact)",
            "ci_high": "Rate ratio 95% confidence interval, upper (exact)",
            "p_value": "p-value (exact conditional Poisson test)",
            "q_value": "q-value (Benjamini-Hochberg across the categories; all crime: its p-value)",
            "verdict": "Verdict (q-value 0.05 or less)",
        },
        note="Rates per 1,000 residents (Census 2021). Higher or lower when the q-value is "
        "0.05 or less: all crime is tested on its own, the categories with the "
        "Benjamini-Hochberg false discovery rate across them.",
    )
    every = c.rates[["area", "category", "count", "population", "months", "rate"]]
    t_every = Table.rendered(
        every,
        {
            "Area": cell("area"),
            "Category": cell("category"),
            "Crimes": cell("count", fmt.count),
            rate_word: cell("rate", fmt.rate),
        },
        f"Table {label}c: crimes and rates in every area by category, {over}",
        headers={
            "area": "Area",
            "category": "Category",
            "count": "Crimes (count)",
            "population": "Residents (Census 2021)",
            "months": "Months used (the same for every area)",
            "rate": rate_word,
        },
    )
    return Paragraph(
        label,
        f"{focus} against {g.name}",
        tuple(text),
        (t_areas, t_versus, t_every),
        facts=(rate_me, rr, ci),
        public_text=(sentence.split(" (rate ratio")[0] + ".",),
        coverage=coverage_frame(series, [ctx.current], used={ctx.current.label: c.months}),
        tests=_TESTS,
    )


def _cmp2(ctx: Context, c: PeerComparison, label: str, series: pd.DataFrame) -> Paragraph:
    pts = c.funnel_points
    me = pts[pts["area"] == c.focus].iloc[0]
    outside_hi = [str(a) for a, f in zip(pts["area"], pts["funnel"], strict=True) if "high" in f]
    outside_lo = [str(a) for a, f in zip(pts["area"], pts["funnel"], strict=True) if "low" in f]
    over = _over(ctx, c.months)
    where = {
        "high (outside 99.8%)": "above the 99.8% limit",
        "high (outside 95%)": "above the 95% limit (within 99.8%)",
        "low (outside 99.8%)": "below the 99.8% limit",
        "low (outside 95%)": "below the 95% limit (within 99.8%)",
        "within limits": "within the 95% limits",
    }.get(str(me["funnel"]), "not placed")
    text = [
        f"On the funnel plot of all crime in {over}, {c.focus} lies {where} around the group "
        f"rate of {fmt.rate(me['group_rate'])} per 1,000.",
        (
            f"{len(outside_hi)} of the {len(pts)} areas "
            f"{'lies' if len(outside_hi) == 1 else 'lie'} above the 95% limit and "
            f"{len(outside_lo)} below it. "
        )
        + "With many areas about 1 in 20 lies outside the 95% limits by chance alone; "
        "outside the 99.8% limits is strong evidence of a real difference.",
    ]
    title = f"{c.focus} lies {where.split(' (')[0]}"
    chart = funnel_chart(
        pts,
        c.funnel_limits,
        focus=c.focus,
        title=title,
        subtitle=f"All crime per 1,000 residents against residents, {c.group.name}, {over}",
        rate_label="Crimes per 1,000 residents"
        + (f" over {len(c.months)} months" if len(c.months) < ctx.current.n_months else ""),
    )
    # the chart draws the limits over a grid of 100 populations; the table gives them at
    # each area's own population, where a reader compares them with that area's rate
    at_areas = funnel_limits(pts["population"], float(me["group_rate"])).drop(columns="population")
    own = pd.concat([pts[["area", "population", "rate"]].reset_index(drop=True), at_areas], axis=1)
    limits = Table.rendered(
        own,
        {
            "Area": cell("area"),
            "Residents": cell("population", fmt.count),
            "Rate": cell("rate", fmt.rate),
            "95% lower": cell("lower_95", fmt.rate),
            "95% upper": cell("upper_95", fmt.rate),
            "99.8% lower": cell("lower_99_8", fmt.rate),
            "99.8% upper": cell("upper_99_8", fmt.rate),
        },
        f"Table {label}: funnel plot limits at each area's population (crimes per 1,000 residents)",
        headers={
            "area": "Area",
            "population": "Residents",
            "rate": "Crimes per 1,000 residents",
            "group_rate": "Group rate (crimes per 1,000 residents)",
            "lower_95": "95% limit, lower",
            "upper_95": "95% limit, upper",
            "lower_99_8": "99.8% limit, lower",
            "upper_99_8": "99.8% limit, upper",
        },
        note="PHE exact Poisson funnel limits around the group rate.",
    )
    return Paragraph(
        label,
        "Funnel plot: all crime",
        tuple(text),
        (chart, limits),
        facts=(fmt.rate(me["group_rate"]),),
        coverage=coverage_frame(series, [ctx.current], used={ctx.current.label: c.months}),
        tests=_TESTS[2:],
    )


def _cmp3(ctx: Context, c: PeerComparison, label: str, series: pd.DataFrame) -> Paragraph:
    used = {ctx.current.label: c.current_months, ctx.previous.label: c.previous_months}
    coverage = coverage_frame(series, [ctx.previous, ctx.current], used=used)
    n = len(c.current_months)
    claim = yoy_claim(n)
    if c.change is None or not claim.allowed:
        why = claim.reason if not claim.allowed else "no matched month"
        return Paragraph(
            label,
            "Change since last year against the peers",
            (
                f"The change since {ctx.previous.label} is not compared with the peers: "
                f"{why} with data for every area in both years"
                + (f" ({month_span(c.current_months)})" if n else "")
                + ".",
            ),
            coverage=coverage,
            tests=_CHANGE_TESTS,
        )
    ch = c.change
    a = ch.set_index("category").loc[ALL_CRIME]
    span = (
        ""
        if n == ctx.current.n_months
        else f" (the {n} calendar months with data for every area in both years: "
        f"{month_span(c.current_months)} against {month_span(c.previous_months)})"
    )
    rrr, ci = fmt.ratio(a["rrr"]), fmt.interval(a["ci_low"], a["ci_high"])
    pct_me = fmt.signed_percent(a["rate_ratio"] - 1)
    pct_rest = fmt.signed_percent(a["rest_rate_ratio"] - 1)
    verdict = {
        "rose more": "significantly worse than",
        "fell more": "significantly better than",
        "similar": "not significantly different from",
        "not tested": "not compared with",
    }[a["verdict"]]
    text = [
        f"From {ctx.previous.label} to {ctx.current.label}{span}, crime in {c.focus} changed "
        f"by {pct_me} and in the other areas of {c.group.name} by {pct_rest}: "
        f"{verdict} the peers' change (ratio of rate ratios {rrr}, 95% CI {ci})."
    ]
    table = Table.rendered(
        ch[
            [
                "category",
                "count_previous",
                "count_current",
                "rate_ratio",
                "rest_previous",
                "rest_current",
                "rest_rate_ratio",
                "rrr",
                "ci_low",
                "ci_high",
                "p_value",
                "q_value",
                "verdict",
            ]
        ],
        {
            "Category": cell("category"),
            f"{c.focus} {ctx.previous.label}": cell("count_previous", fmt.count),
            f"{c.focus} {ctx.current.label}": cell("count_current", fmt.count),
            f"{c.focus} change": lambda r: fmt.signed_percent(r["rate_ratio"] - 1),
            "Other areas change": lambda r: fmt.signed_percent(r["rest_rate_ratio"] - 1),
            "Ratio of rate ratios (95% CI)": lambda r: (
                f"{fmt.ratio(r['rrr'])} ({fmt.interval(r['ci_low'], r['ci_high'])})"
            ),
            "q": cell("q_value", fmt.q_value),
        },
        f"Table {label}: change in {c.focus} against the rest of {c.group.name}",
        headers={
            "category": "Category",
            "count_previous": f"{c.focus}, crimes {ctx.previous.label} (matched months)",
            "count_current": f"{c.focus}, crimes {ctx.current.label} (matched months)",
            "rate_ratio": f"{c.focus}, rate ratio (this year over last)",
            "rest_previous": f"The other areas, crimes {ctx.previous.label}",
            "rest_current": f"The other areas, crimes {ctx.current.label}",
            "rest_rate_ratio": "The other areas, rate ratio (this year over last)",
            "rrr": f"Ratio of rate ratios ({c.focus} over the other areas)",
            "ci_low": "Ratio of rate ratios 95% confidence interval, lower",
            "ci_high": "Ratio of rate ratios 95% confidence interval, upper",
            "p_value": "p-value (Wald, log scale)",
            "q_value": "q-value (Benjamini-Hochberg across the categories; all crime: its p-value)",
            "verdict": "Verdict (q-value 0.05 or less)",
        },
        note="Populations are the same in both years (Census 2021), so each rate ratio is a "
        "ratio of counts over the same months. A ratio of rate ratios above 1: crime rose "
        "more (or fell less) in the partnership than in its peers.",
    )
    return Paragraph(
        label,
        "Change since last year against the peers",
        tuple(text),
        (table,),
        facts=(pct_me, pct_rest, rrr),
        coverage=coverage,
        tests=_CHANGE_TESTS,
    )


def _neighbours_text(group: PeerGroup) -> tuple[str, ...]:
    n = group.neighbours
    if n is None or not len(n):
        return ()
    items = [
        f"{int(r['rank'])}. {r['name']} ({r['code']}, distance {fmt.number(r['distance'], 2)})"
        for _, r in n.sort_values("rank").iterrows()
    ]
    from ...peers.nearest import method_text

    return (method_text(len(n)), "The nearest neighbours, nearest first: " + "; ".join(items) + ".")


def comparison(ctx: Context, group: PeerGroup | None, counts: PeerCounts | None) -> Section:
    """Section CMP: the partnership against its peer group.

    ``group`` and ``counts`` come from
    :func:`smp_analysis.sources.police_uk_peers.load_peer_counts`; with no ``peers`` in
    the config (``group`` is ``None``) the section is a note and has no paragraphs.
    """
    title = "Comparison with peers"
    if group is None or counts is None:
        return Section(
            "CMP",
            title,
            (),
            intro=(
                "No peer group is configured, so the partnership is not compared with other "
                "areas. Add a 'peers' section to the config (see the README) to compare it "
                "with a list of areas or with its statistical nearest neighbours.",
            ),
            overrides=ctx.inputs.overrides,
        )
    series = ctx.police_series(CRIME_TYPES)
    if counts.areas["population"].isna().any():
        return Section(
            "CMP",
            title,
            (),
            intro=(
                "The partnership is not compared with its peers: rates need residents, and "
                "the config names no population file (data.population, Census 2021 by LSOA).",
            ),
            overrides=ctx.inputs.overrides,
        )
    cmp = compare_with_peers(ctx, group, counts)
    if not cmp.months:
        note = Paragraph(
            "CMP.1",
            f"{group.focus.name} against {group.name}",
            (
                f"No month of {ctx.current.label} has police.uk data for every area of "
                f"{group.name}, so the partnership is not compared with its peers. "
                + _dropped_text(cmp.dropped),
            ),
            coverage=coverage_frame(series, [ctx.current], used={ctx.current.label: []}),
        )
        paras: tuple[Paragraph, ...] = (note,)
    else:
        paras = (
            _cmp1(ctx, cmp, "CMP.1", series),
            _cmp2(ctx, cmp, "CMP.2", series),
            _cmp3(ctx, cmp, "CMP.3", series),
        )
    return Section(
        "CMP",
        title,
        paras,
        intro=(
            f"How {group.focus.name} compares with {group.name}: "
            + ", ".join(a.name for a in group.areas if a.name != group.focus.name)
            + ". Every area is counted from the same police.uk files over the same months.",
            group.method,
            *_neighbours_text(group),
        ),
        overrides=ctx.inputs.overrides,
    )
