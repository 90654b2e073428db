"""The public-friendly version: key messages first, plain words, disclosure control.

Every count table here goes through :mod:`smp_analysis.stats.disclosure` (counts below the
threshold shown as ``[c]``, stricter for sensitive categories, with secondary suppression)
and carries ``data-sdc-threshold`` so the build can check the published page.

The page is protected as a whole
--------------------------------
A reader sees every table and chart of the page at once, and several of them publish
related counts. Suppressing each table on its own is not enough: a town-centre count
also bounded by the district table, or a "Robbery" row of a priority's table that is the
same count as the "Robbery" row of the district table, let a reader recover a hidden cell
by combining tables. So the page is built in three steps (:func:`public_page`):

1. each count table is suppressed on its own (primary and secondary suppression);
2. the tables are then protected *together* with
   :func:`~smp_analysis.stats.disclosure.protect_page`, given the links between their
   cells (:func:`_links`):

   * a police indicator of a priority's table is the same count as a row of the district
     (or town-centre) table by type, or the sum of several rows;
   * the town-centre table by type is part of the district table: for every crime type
     and year, town centre ≤ district (district = town centre + rest of district, and the
     rest is at least 0);
   * a chart title "X was the most common type" says X is at least every other type.

   A count hidden in one table is hidden wherever it is published, with the stricter of
   its thresholds, and further cells are hidden until the page audit finds no ``[c]``
   cell that a reader could narrow below its threshold or recover exactly;
3. the page is audited again from what it publishes — every table, and every chart's data
   (a chart draws the same cells as its table) — and :func:`public_summary` raises
   :class:`~smp_analysis.stats.disclosure.DisclosureError` if anything is exposed. The
   audit is kept on :class:`PublicPage`; the tables also carry ``data-sdc-*`` attributes
   (their name, columns, per-cell thresholds and links) so the build's check
   (:func:`smp_analysis.pipeline.checks.check_public_page_disclosure`) re-runs the same
   audit on ``public.html`` itself.

Other ways the page avoids giving hidden numbers away: rows whose reporting-year count is
hidden are listed last, A to Z, not in order of size (the order would bound them); a
chart shows every ``[c]`` the same way, so a reader cannot tell which were hidden only to
protect others; a chart title quotes a number only when the table publishes it; and a
sentence giving the per cent change of a count the page does not publish (a ratio of two
hidden counts bounds them) is replaced by one that says the figures are hidden.

For residents
-------------
The page is written for people who live in the area, at a reading grade of 9 or below
(Flesch–Kincaid; ``tests/e2e/test_public_readability.py``). After the key messages comes
"Get help" (:data:`smp_analysis.config.NATIONAL_HELP` and the config's ``public.help``;
phone numbers as ``tel:`` links, web addresses as text, as the page links to no other
site); each priority shows this year against last year (a chart and its table, no totals
across years); a real fall in an indicator that may be under-reported is followed by
:data:`FEWER_REPORTS`; "What we are doing" lists the action log's public rows by priority
and "Have your say" the config's ``public.have_your_say``. Paragraph labels (``PS.3``)
mean nothing to a resident: :class:`PublicSection` keeps them only as ids. Every text
from the config or the action log is escaped (:func:`_md`).

What the appendix shows that this page hides
--------------------------------------------
The appendix (``appendix.html``) is for the partnership — its members and the analysts
and partners working under its information-sharing agreement — and is **not for
publication**. It is not disclosure-controlled: it shows exact counts however small,
including every count this page hides as ``[c]`` (crimes by type and month, district and
town centre, rest of the district by subtraction, wards and LSOAs, domestic abuse by
sub-type, first-time entrants by quarter, stop and search by ethnicity) and the numbers
behind each per cent change. Published beside this page it would undo the suppression,
so only ``public.html`` and its ``public-data/`` downloads may be published.
"""

from __future__ import annotations

import html as _html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...categories import CRIME_TYPES
from ...config import HelpContact, IndicatorConfig
from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table, cell
from ...present.charts.public_bars import public_year_chart
from ...stats.disclosure import (
    SUPPRESSED,
    Cell,
    DisclosureError,
    PageAudit,
    PageCounts,
    PageProtection,
    PageTable,
    Relation,
    SuppressedTable,
    audit_page,
    page_range,
    protect_page,
    suppress_series,
    suppress_table,
)
from ...stats.periods import period_totals
from ..claims import month_span
from ..context import Context
from ..indicators import partner_rows, partner_total
from ..section import Section
from ..status import ALPHA
from .domestic_abuse import INDICATOR as DA_INDICATOR
from .domestic_abuse import SUB_TYPE_LABELS

__all__ = [
    "public_summary",
    "public_page",
    "PublicPage",
    "PublicSection",
    "PLAIN_STATUS",
    "PLAIN_ACTION_STATUS",
    "sdc_table",
]

#: Status in plain words for residents.
PLAIN_STATUS = {
    "Exceeding expectations": "going better than planned",
    "On track": "on track",
    "Needs attention": "needs more work",
    "Not assessed": "not yet assessed",
}

#: Label of the total row of every public count table.
TOTAL = "Total"

#: The youth partner indicator shown as a table by quarter.
_YOUTH = "youth_first_time_entrants"


def _sensitive(ctx: Context) -> dict[str, int]:
    d = ctx.config.disclosure
    return {label: d.sensitive_threshold for label in d.sensitive}


# --------------------------------------------------------------------------- one table
def _suppress(ctx: Context, table: pd.DataFrame, *, sensitive: bool, name: str) -> PageCounts:
    """Suppress one count table on its own (rows × year columns; a total row is added).

    A column with any missing value is not available (``[x]`` throughout, never 0) and
    kept out of suppression. Columns are years, so no row total is published (it would
    add years together), but secondary suppression still protects against one — an
    over-protection that costs little.
    """
    d = ctx.config.disclosure
    sens = _sensitive(ctx)
    if sensitive:
        sens.update({str(r): d.sensitive_threshold for r in table.index})
    rows = [str(r) for r in table.index]
    cols = [str(c) for c in table.columns]
    t = table.copy()
    t.index, t.columns = rows, cols
    known = [c for c in cols if t[c].notna().all()]
    index = [*rows, TOTAL]
    counts = pd.DataFrame(np.nan, index=index, columns=cols, dtype="float64")
    mask = pd.DataFrame(False, index=index, columns=cols)
    thr = pd.DataFrame(d.threshold, index=index, columns=cols, dtype="int64")
    if known:
        k = t[known].astype("int64")
        if len(known) == 1:
            sup = suppress_series(k.iloc[:, 0], d.threshold, sensitive=sens)
        else:
            sup = suppress_table(k, d.threshold, sensitive=sens)
        for c in known:
            src = sup.values.columns[0] if len(known) == 1 else c
            counts[c] = [*k[c].astype("float64").tolist(), float(k[c].sum())]
            mask[c] = sup.mask[src].to_numpy(bool)
            thr[c] = sup.thresholds[src].to_numpy("int64")
    return PageCounts(name, counts, mask, thr, total_row=TOTAL)


def _unknown(pc: PageCounts) -> list[str]:
    return [c for c in pc.counts.columns if pc.counts[c].isna().any()]


def _chart_table(ctx: Context, pc: PageCounts, rows: list[str]) -> SuppressedTable | None:
    """The suppressed table a chart draws (known columns only, rows in page order)."""
    known = [c for c in pc.counts.columns if c not in _unknown(pc)]
    if not known:
        return None
    index = [*rows, TOTAL]
    x = pc.counts.loc[index, known]
    mask = pc.mask.loc[index, known].astype(bool)
    thr = pc.thresholds.loc[index, known]
    values = x.astype("int64").astype(object).where(~mask, SUPPRESSED)
    primary = mask & (x < thr) & (x > 0)
    return SuppressedTable(
        values=values,
        mask=mask,
        primary=primary,
        secondary=mask & ~primary,
        threshold=ctx.config.disclosure.threshold,
        thresholds=thr,
        total_label=TOTAL,
        suppress_zeros=False,
    )


def _render(
    ctx: Context,
    pc: PageCounts,
    rows: list[str],
    caption: str,
    note: str | None,
    relations: list[Relation] = (),  # type: ignore[assignment]
) -> Table:
    """The page table of a suppressed count table: ``[c]``/``[x]`` shown, NaN in its data."""
    d = ctx.config.disclosure
    cols = list(pc.counts.columns)
    unknown = _unknown(pc)
    index = [*rows, TOTAL]
    data = pd.DataFrame({"category": index})
    notes = []
    for r in index:
        row_notes = []
        for c in cols:
            if c in unknown:
                row_notes.append(f"[x] {c}")
            elif bool(pc.mask.loc[r, c]):
                row_notes.append(f"[c] {c}")
        notes.append("; ".join(row_notes))
    for c in cols:
        data[c] = [
            float("nan") if c in unknown or bool(pc.mask.loc[r, c]) else float(pc.counts.loc[r, c])
            for r in index
        ]

    def shown(col: str) -> Callable[[object], str]:
        def f(row) -> str:
            if col in unknown:
                return fmt.MISSING
            if pd.isna(row[col]):
                return SUPPRESSED
            return fmt.count(row[col])

        return f

    missing_note = (
        f" [x] means we have no data for {', '.join(map(str, unknown))}." if unknown else ""
    )
    name = pc.counts.index.name or "Category"
    attrs = {
        "data-sdc-threshold": str(d.threshold),
        "data-sdc-table": pc.name,
        "data-sdc-columns": json.dumps(cols, ensure_ascii=False),
        "data-sdc-total-row": TOTAL,
        "data-sdc-thresholds": json.dumps(
            [[int(pc.thresholds.loc[r, c]) for c in cols] for r in index]
        ),
    }
    mine = [rel.to_json() for rel in relations if rel.terms[0][0][0] == pc.name]
    if mine:
        attrs["data-sdc-relations"] = json.dumps(mine, ensure_ascii=False)
    return Table.rendered(
        data,
        {name: cell("category"), **{c: shown(c) for c in cols}},
        caption,
        headers={"category": name, **{c: f"{c} (count)" for c in cols}},
        note=(note + " " if note else "")
        + f"[c] means hidden. We hide numbers below {d.threshold} (below "
        f"{d.sensitive_threshold} for more private matters, such as domestic abuse). "
        "We also hide some other numbers, so that no one can work out a small number "
        "from the totals or from the other tables." + missing_note,
        attrs=attrs,
        notes=pd.Series(notes, dtype=object),
    )


def sdc_table(
    ctx: Context,
    table: pd.DataFrame,
    caption: str,
    *,
    sensitive: bool = False,
    note: str | None = None,
) -> tuple[Table, object]:
    """Suppress a count table (rows × columns, margins added) and wrap it for the page.

    A column with any missing value (a year the partner return does not cover) is
    published as ``[x]`` throughout — missing is never zero — and kept out of suppression.
    Columns are years, so the row totals (years added together) are not published.
    The table's numbers (its download) hold ``NaN`` for every ``[c]`` and ``[x]`` cell,
    with the symbol in a notes column.

    This protects one table on its own; the public page protects its tables together
    (:func:`public_page`).
    """
    pc = _suppress(ctx, table, sensitive=sensitive, name="table")
    name = table.index.name
    pc.counts.index.name = name
    rows = [str(r) for r in table.index]
    return _render(ctx, pc, rows, caption, note), _chart_table(ctx, pc, rows)


def _charted(sup: object, column: str) -> bool:
    """Whether a suppressed table has data for ``column`` (a year may be missing)."""
    return sup is not None and column in getattr(sup, "values", pd.DataFrame()).columns


# --------------------------------------------------------------------------- the page's parts
@dataclass
class _Spec:
    """A paragraph of the page with one count table, before disclosure control."""

    label: str
    title: str
    wide: pd.DataFrame
    caption: str
    sensitive: bool = False
    note: str | None = None
    #: rows sorted by the reporting year, most first (the chart names the top row)
    sort: bool = False
    #: crimes by type in this area ("district" or "town_centre")
    area: str | None = None
    #: police indicators, one row each (label = the indicator's label)
    measures: tuple[IndicatorConfig, ...] = ()
    #: partner indicator the table breaks down ("da_flagged_crimes", youth entrants)
    partner: str | None = None
    #: (page counts, rows in page order) → (title, subtitle, row claimed most common)
    chart: Callable[[PageCounts, list[str]], tuple[str, str, str | None] | None] | None = None
    #: the priority's section (its status and status-paragraph sentences), if any
    section: object = None
    text: tuple[str, ...] = field(default_factory=tuple)


def _key_messages(
    ctx: Context, sections: dict[str, object], *, all_crime: bool = True
) -> Paragraph:
    lines = []
    for pr in ctx.config.priorities:
        sec = sections.get(pr.id)
        if sec is None or sec.status is None:
            continue
        title = _md(_priority_title(ctx, pr.id))
        lines.append(f"- **{title}**: {PLAIN_STATUS.get(sec.status.final, sec.status.final)}.")
    overall = sections.get("SUM")
    if overall is not None and all_crime:
        p = overall["SUM.2"]
        if p.public_text:
            lines.append(f"- {p.public_text[0]}")
    tc = sections.get("TC")
    if tc is not None and f"{tc.id}.2" in tc.labels and tc[f"{tc.id}.2"].public_text:
        lines.append(f"- {tc[f'{tc.id}.2'].public_text[0]}")
    intro = [
        f"Each year the {ctx.config.partnership} looks at crime, anti-social behaviour and "
        f"what affects them, to decide where to focus. This is what we found for "
        f"{ctx.config.area.name} in {ctx.current.label}.",
    ]
    missing = [m for m in ctx.current.months if m not in set(ctx.inputs.cube.months_present)]
    if missing:
        intro.append(
            f"Police data for {month_span(missing)} were not available when this was written, "
            "so we compare only the months we have with the same months of the year before."
        )
    return Paragraph("PS.1", "Key messages", (*intro, "\n".join(lines)))


def _by_type(ctx: Context, area: str = "district") -> pd.DataFrame:
    """Crimes by type, the year before and the reporting year (rows sorted, most first)."""
    # like with like: only the calendar months with data in both years
    series = ctx.comparable(ctx.police_series(CRIME_TYPES, by=["crime_type"], area=area))
    t = period_totals(series, [ctx.previous, ctx.current], ["crime_type"])
    wide = t.pivot(index="crime_type", columns="period", values="count")[
        [ctx.previous.label, ctx.current.label]
    ].astype("int64")
    wide.index.name = "Type of crime"
    return wide.sort_values(ctx.current.label, ascending=False)


def same_months(ctx: Context) -> str:
    """``""`` when both years are complete, else the months compared in plain words:
    ``" (April to July only, the same months in both years)"``."""
    span = ctx.matched_months()[2]
    return f" ({span} only, the same months in both years)" if span else ""


def _top(pc: PageCounts, rows: list[str], column: str) -> str | None:
    """The row with the most in ``column`` when the table publishes it (else ``None``)."""
    if column not in pc.counts.columns or pc.counts[column].isna().any() or not rows:
        return None
    best = max(rows, key=lambda r: pc.counts.loc[r, column])
    return None if bool(pc.mask.loc[best, column]) else best


def _crime_by_type_spec(ctx: Context, label: str) -> _Spec:
    wide = _by_type(ctx)
    cur = ctx.current.label

    def chart(pc: PageCounts, rows: list[str]) -> tuple[str, str, str | None]:
        top = _top(pc, rows, cur)
        title = (
            f"{top} was the most common type of crime in {cur}"
            if top
            else f"Crimes recorded by type in {cur}"
        )
        place = ctx.config.area.name
        subtitle = (
            f"Crimes recorded by the police in {place}, {ctx.previous.label} and {cur}"
            + same_months(ctx)
        )
        return title, subtitle, top

    return _Spec(
        label,
        "Crime in the area",
        wide,
        f"Crimes recorded by type, {ctx.previous.label} and {cur}" + same_months(ctx),
        sort=True,
        area="district",
        chart=chart,
    )


def _crime_by_type_text(ctx: Context, pc: PageCounts) -> str:
    prev, cur = ctx.previous.label, ctx.current.label
    if bool(pc.mask.loc[TOTAL, prev]) or bool(pc.mask.loc[TOTAL, cur]):
        return (
            f"The number of crimes the police recorded in {ctx.config.area.name} is too small "
            "to show. Anti-social behaviour is counted separately."
        )
    total_cur, total_prev = pc.counts.loc[TOTAL, cur], pc.counts.loc[TOTAL, prev]
    span = ctx.matched_months()[2]
    if span:
        # "From April to July 2024/25" for a run of months, "In April, May and July of
        # 2024/25" for a list
        when = f"In {span} of {cur}" if " to " not in span and "," in span else f"From {span} {cur}"
        return (
            f"{when}, the police recorded "
            f"{fmt.count(total_cur)} crimes in {ctx.config.area.name}, "
            f"compared with {fmt.count(total_prev)} in the same months of "
            f"{prev}. We compare only these months because police data for the "
            "other months are missing. Anti-social behaviour is counted separately."
        )
    return (
        f"The police recorded {fmt.count(total_cur)} crimes in "
        f"{ctx.config.area.name} in {cur}, compared with "
        f"{fmt.count(total_prev)} the year before. Anti-social "
        "behaviour is counted separately."
    )


def _priority_spec(ctx: Context, label: str, sec) -> _Spec | Paragraph:
    """A priority's paragraph: its count table (a spec) or, without one, the paragraph."""
    status = sec.status
    text = (
        f"Status: **{PLAIN_STATUS.get(status.final, status.final)}**.",
        *(p for p in sec[f"{sec.id}.1"].public_text[:4]),
    )
    pr = ctx.config.priority(sec.id)
    police = [i for i in pr.indicators if i.source == "police"]
    cur = ctx.current.label
    common = {"title": _priority_title(ctx, pr.id), "section": sec, "text": text}
    if sec.id == "DA" or pr.theme == "domestic_abuse":
        rows = partner_rows(ctx, DA_INDICATOR)
        if not rows.empty:
            subs = [s for s in dict.fromkeys(rows["sub_type"].dropna())]
            wide = pd.DataFrame(
                {
                    y.label: [partner_total(rows[rows["sub_type"] == s], y)["value"] for s in subs]
                    for y in (ctx.previous, ctx.current)
                },
                index=pd.Index([SUB_TYPE_LABELS.get(s, s) for s in subs], name="Type"),
            )
            # a sub-type with no row in a year that has data had none reported; a year
            # without any data stays missing ([x]), never 0
            for y in (ctx.previous, ctx.current):
                if partner_total(rows, y)["months"]:
                    wide[y.label] = wide[y.label].fillna(0)

            def da_chart(pc: PageCounts, rows_: list[str]) -> tuple[str, str, None] | None:
                if cur in _unknown(pc):
                    return None
                return (
                    "Domestic abuse crimes by type, this year and last year",
                    f"Crimes flagged as domestic abuse, {ctx.config.area.name}, "
                    f"{ctx.previous.label} and {cur}",
                    None,
                )

            return _Spec(
                label,
                wide=wide,
                caption="Domestic abuse crimes by type",
                sensitive=True,
                partner=DA_INDICATOR,
                chart=da_chart,
                **common,
            )
    elif pr.theme == "young_people" and not partner_rows(ctx, _YOUTH).empty:
        rows = partner_rows(ctx, _YOUTH)
        quarters: dict[str, dict[str, int]] = {}
        for y in (ctx.previous, ctx.current):
            inside = rows[(rows["period_start"] >= y.start) & (rows["period_end"] <= y.end)]
            for r in inside.itertuples():
                q = f"Q{(r.period_start - y.start).n // 3 + 1}"
                quarters.setdefault(q, {})[y.label] = int(r.value)
        # a quarter without a return is missing ([x]), never zero
        wide = pd.DataFrame.from_dict(quarters, orient="index").sort_index()
        wide.index.name = "Quarter (April to March)"

        def youth_chart(pc: PageCounts, rows_: list[str]) -> tuple[str, str, None] | None:
            if cur in _unknown(pc) or bool(pc.mask.loc[rows_, cur].all()):
                return None  # every quarter hidden: the table says so, a chart would not help
            return (
                "Children entering the youth justice system for the first time",
                f"By quarter, {ctx.config.area.name}, {ctx.previous.label} and {cur}",
                None,
            )

        # children: the stricter (sensitive) threshold applies to every cell
        return _Spec(
            label,
            wide=wide,
            caption="Children entering the youth justice system for the first time, by quarter",
            sensitive=True,
            partner=_YOUTH,
            chart=youth_chart,
            **common,
        )
    elif pr.theme == "town_centre" and ctx.config.town_centre is not None:
        tc = ctx.config.town_centre
        wide = _by_type(ctx, area="town_centre")

        def tc_chart(pc: PageCounts, rows_: list[str]) -> tuple[str, str, str | None]:
            top = _top(pc, rows_, cur)
            title = (
                f"{top} was the most common crime in {tc.name}"
                if top
                else f"Crimes recorded in {tc.name} by type"
            )
            return (
                title,
                f"Crimes recorded by the police in {tc.name}, {ctx.previous.label} and {cur}"
                + same_months(ctx),
                top,
            )

        return _Spec(
            label,
            wide=wide,
            caption=f"Crimes recorded in {tc.name} by type" + same_months(ctx),
            note="Crimes recorded by the police.",
            sort=True,
            area="town_centre",
            chart=tc_chart,
            **common,
        )
    elif police:
        wide = pd.DataFrame(
            {
                y.label: [
                    int(
                        period_totals(
                            ctx.comparable(ctx.police_series(i.crime_types, area=i.area)), [y]
                        )["count"].iloc[0]
                    )
                    for i in police
                ]
                for y in (ctx.previous, ctx.current)
            },
            index=pd.Index([i.label for i in police], name="Measure"),
        )

        def police_chart(pc: PageCounts, rows_: list[str]) -> tuple[str, str, None]:
            first = police[0].label
            if bool(pc.mask.loc[first, cur]):
                title = f"{pr.title}: counts in {cur}"
            else:
                title = f"{first}: {fmt.count(pc.counts.loc[first, cur])} in {cur}"
            place = ctx.config.area.name
            return title, f"{place}, {ctx.previous.label} and {cur}" + same_months(ctx), None

        return _Spec(
            label,
            wide=wide,
            caption=f"{_priority_title(ctx, pr.id)}: counts by year" + same_months(ctx),
            note="Crimes or incidents recorded by the police.",
            measures=tuple(police),
            chart=police_chart,
            **common,
        )
    return Paragraph(label, _priority_title(ctx, pr.id), tuple(t for t in text if t))


# --------------------------------------------------------------------------- links
def _links(ctx: Context, specs: list[_Spec], pieces: dict[str, PageCounts]) -> list[Relation]:
    """Linear facts that tie cells of different tables of the page together."""
    years = [ctx.previous.label, ctx.current.label]
    by_area = {s.area: s.label for s in specs if s.area is not None}
    rels: list[Relation] = []
    district = by_area.get("district")
    town = by_area.get("town_centre")
    # the town centre is part of the district: town centre ≤ district, type by type
    if district and town:
        d_rows = set(pieces[district].counts.index)
        for r in pieces[town].counts.index:
            if r not in d_rows:
                continue
            for y in years:
                rels.append(
                    Relation.part_of(
                        (town, r, y), (district, r, y), "town centre is part of the district"
                    )
                )
    # a police indicator is a count of the area table (one type, or a sum of types)
    for s in specs:
        for ind in s.measures:
            area = by_area.get(ind.area)
            if area is None:
                continue
            rows = set(pieces[area].counts.index) - {TOTAL}
            types = [t for t in (ind.crime_types or []) if t in CRIME_TYPES]
            if not types:
                continue
            parts = [t for t in types if t in rows]
            exact = len(types) == len(ind.crime_types or [])
            why = f"{ind.label} is counted in the {ind.area.replace('_', ' ')} table by type"
            for y in years:
                me: Cell = (s.label, ind.label, y)
                if exact and len(parts) == 1:
                    rels.append(Relation.same(me, (area, parts[0], y), why))
                elif exact:
                    rels.append(Relation.sum_of(me, [(area, p, y) for p in parts], why))
                elif parts:  # other (non-crime) categories add an unknown amount ≥ 0
                    rels.append(
                        Relation(
                            (*(((area, p, y), 1.0) for p in parts), (me, -1.0)), "<=", 0.0, why
                        )
                    )
    return rels


def _top_claims(s: _Spec, top: str | None, rows: list[str], column: str) -> list[Relation]:
    """A title "X was the most common" says X is at least every other row."""
    if top is None:
        return []
    return [
        Relation.at_most((s.label, r, column), (s.label, top, column), "named most common")
        for r in rows
        if r != top
    ]


def _valid(rels: list[Relation], pieces: dict[str, PageCounts]) -> tuple[list[Relation], list[str]]:
    """Links that hold for the counts (a link that does not is no fact a reader can use)."""
    value: dict[Cell, float] = {}
    for pc in pieces.values():
        for r in pc.counts.index:
            for c in pc.counts.columns:
                value[(pc.name, r, c)] = float(pc.counts.loc[r, c])
    ok, dropped = [], []
    for rel in rels:
        vals = [value.get(c, np.nan) for c in rel.cells]
        if any(np.isnan(v) for v in vals):
            continue
        if rel.holds(value):
            ok.append(rel)
        else:
            dropped.append(f"{rel.reason}: {rel.terms!r}")
    return ok, dropped


def _order(pc: PageCounts, s: _Spec, column: str) -> list[str]:
    """Rows in page order: for a table sorted by size, rows whose ``column`` count is
    hidden come last, A to Z (a position in the order would bound them)."""
    rows = [r for r in pc.counts.index if r != TOTAL]
    if not s.sort or column not in pc.counts.columns or pc.counts[column].isna().any():
        return rows
    shown = [r for r in rows if not bool(pc.mask.loc[r, column])]
    return shown + sorted(r for r in rows if bool(pc.mask.loc[r, column]))


def _quantity(
    ind: IndicatorConfig, s: _Spec, specs: list[_Spec], pieces: dict[str, PageCounts], year: str
) -> list[tuple[Cell, float]] | None:
    """The cells of the page an indicator's count is made of (``None``: not on the page)."""
    if ind.source == "police":
        if ind in s.measures:
            return [((s.label, ind.label, year), 1.0)]
        area = next((x.label for x in specs if x.area == ind.area), None)
        types = [t for t in (ind.crime_types or []) if t in CRIME_TYPES]
        if area is None or not types:
            return None
        rows = set(pieces[area].counts.index)
        terms = [((area, t, year), 1.0) for t in types if t in rows]
        return terms or None
    if ind.source == "partner":
        table = next((x for x in specs if x.partner == ind.indicator), None)
        if table is None:
            return None
        row = TOTAL
        if ind.sub_type:
            row = SUB_TYPE_LABELS.get(ind.sub_type, ind.sub_type)
        if row not in pieces[table.label].counts.index:
            return None
        return [((table.label, row, year), 1.0)]
    return None


def _safe_text(
    ctx: Context,
    s: _Spec,
    specs: list[_Spec],
    pieces: dict[str, PageCounts],
    tables: list[PageTable],
    relations: list[Relation],
) -> tuple[str, ...]:
    """The paragraph's sentences, with a per cent change replaced when the page does not
    determine the counts it compares (the ratio of two hidden counts would bound them)."""
    sec = s.section
    if sec is None or sec.status is None:
        return s.text
    pr = ctx.config.priority(sec.id)
    config = {i.id: i for i in pr.indicators}
    by_sentence = {r.public_sentence: r for r in sec.status.indicators if r.public_sentence}
    cells = {(t.name, r, c) for t in tables for r in t.values.index for c in t.values.columns}
    out = []
    for line in s.text:
        r = by_sentence.get(line)
        ind = config.get(r.indicator_id) if r is not None else None
        if ind is not None and r.kind == "ratio":
            shown = True
            for y in (ctx.previous.label, ctx.current.label):
                terms = _quantity(ind, s, specs, pieces, y)
                if terms is None:
                    continue
                if any(c not in cells for c, _ in terms):
                    shown = False  # a year the table does not show: the ratio would tell it
                    continue
                lo, hi = page_range(tables, relations, terms)
                shown &= hi - lo < 0.5
            if not shown:
                line = (
                    f"{r.label}: some of these figures are hidden ([c]) to protect "
                    "confidentiality, so the change is not described here."
                )
        out.append(line)
    return tuple(t for t in out if t)


# --------------------------------------------------------------------------- for residents
#: Action status (the action log's words) in plain words for residents.
PLAIN_ACTION_STATUS = {
    "Complete": "Done",
    "In progress": "Under way",
    "Not started": "Planned",
    "On hold": "Paused",
}

#: Paragraph labels of the blocks that are not about the numbers (ids only: the page
#: shows no labels).
HELP, DOING, SAY = "HELP.1", "DO.1", "SAY.1"

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~&])")


def _md(text: object) -> str:
    """Text from a config or an action log as Markdown that shows exactly that text.

    Every Markdown character is escaped, so a hostile value cannot add a link, emphasis
    or a list (raw HTML is escaped again when the Markdown is rendered).

    Examples
    --------
    >>> _md("[call](tel:1) <b>*now*</b>")
    '\\\\[call\\\\]\\\\(tel:1\\\\) \\\\<b\\\\>\\\\*now\\\\*\\\\</b\\\\>'
    """
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _tel(phone: str) -> str:
    """A phone number as a Markdown ``tel:`` link that does not break across lines:
    ``[0808 2000 247](tel:08082000247)`` with no-break spaces in the text."""
    return f"[{_md(phone).replace(' ', chr(0xA0))}](tel:{phone.replace(' ', '')})"


def _web(url: str) -> str:
    """A web address as text, without ``https://`` (the page links to no other site)."""
    return _md(re.sub(r"^https?://", "", url).rstrip("/"))


def _reach(c: HelpContact) -> str:
    """How to reach a contact: ``Call 101. Website: www.police.uk.``"""
    ways = []
    if c.phone:
        ways.append(f"Call {_tel(c.phone)}.")
    if c.email:
        ways.append(f"Email [{_md(c.email)}](mailto:{c.email}).")
    if c.url:
        ways.append(f"Website: {_web(c.url)}.")
    return " ".join(ways)


def _help(ctx: Context) -> Paragraph | None:
    """Help lines: national ones (999, 101, ...) first, then the partnership's own."""
    lines = ctx.config.public.help_lines
    if not lines:
        return None
    items = [f"- **{_md(c.name)}**. {_md(c.what)} {_reach(c)}" for c in lines]
    return Paragraph(
        HELP,
        "Get help",
        ("If you are in danger now, call 999.", "\n".join(items)),
    )


def _priority_title(ctx: Context, priority_id: str) -> str:
    """A priority's (or cross-cutting theme's) title for residents: its
    ``public.priority_titles`` entry, else its title or name."""
    t = ctx.config.public.priority_titles.get(priority_id)
    if t:
        return t
    for p in ctx.config.priorities:
        if p.id == priority_id:
            return p.title
    for theme in getattr(ctx.config, "themes", ()):
        if theme.id == priority_id:
            return theme.name
    return priority_id


def _doing(ctx: Context) -> Paragraph | None:
    """What the partnership is doing: the public actions of the action log, by priority.

    Only rows marked public (a log without a ``public`` column is public throughout, as
    a blank ``public`` cell means yes); nothing when there is no action log.
    """
    actions = getattr(ctx, "actions", None)
    if not isinstance(actions, pd.DataFrame) or actions.empty:
        return None
    if "public" in actions.columns:
        actions = actions[actions["public"].fillna(True).astype(bool)]
    if actions.empty:
        return None
    ids = [p.id for p in ctx.config.priorities]
    ids += [t.id for t in getattr(ctx.config, "themes", ())]
    order = {x: i for i, x in enumerate(ids)}
    groups = sorted(
        actions.groupby("priority", sort=False),
        key=lambda g: (order.get(str(g[0]), len(order)), str(g[0])),
    )
    text = ["These are some of the things the partnership is doing this year."]
    for priority, rows in groups:
        items = []
        for r in rows.itertuples():
            status = PLAIN_ACTION_STATUS.get(str(r.status), str(r.status))
            line = f"- {_md(r.action)}. {_md(status)}."
            update = getattr(r, "update", None)
            if isinstance(update, str) and update.strip():
                update = update.strip()
                line += f" {_md(update if update[-1] in '.!?' else update + '.')}"
            items.append(line)
        text.append(f"#### {_md(_priority_title(ctx, str(priority)))}\n\n" + "\n".join(items))
    return Paragraph(DOING, "What we are doing", tuple(text))


def _say(ctx: Context) -> Paragraph:
    """How residents can have their say (``public.have_your_say``, then ``public.contact``)."""
    say, contact = ctx.config.public.have_your_say, ctx.config.public.contact
    text = [
        _md(say.text)
        if say.text
        else "We want to know what you think about crime and safety where you live. "
        "Tell us what we should work on next year."
    ]
    ways = []
    if say.url:
        ways.append(f"Fill in our survey online: {_web(say.url)}.")
    if say.email:
        ways.append(f"Email us: [{_md(say.email)}](mailto:{say.email}).")
    if say.phone:
        ways.append(f"Call us: {_tel(say.phone)}.")
    if ways:
        text.append(" ".join(ways))
    if say.meetings:
        text.append(
            "Come to a public meeting:\n\n" + "\n".join(f"- {_md(m)}" for m in say.meetings)
        )
    if contact is not None:
        text.append(f"You can also contact {_md(contact.name)}. {_reach(contact)}")
    elif not ways and not say.meetings:
        text.append(
            f"To have your say, contact {_md(ctx.config.area.name)} council and ask for "
            f"the {_md(ctx.config.partnership)}."
        )
    return Paragraph(SAY, "Have your say", tuple(text))


#: What the page says after a fall in an indicator that may be under-reported.
FEWER_REPORTS = (
    "Fewer reports is not always good news. Many victims of crimes like this never tell "
    "anyone. A fall can mean that fewer people feel able to come forward, so we are "
    "looking into why."
)


def _under_reported(ctx: Context, ind: IndicatorConfig) -> bool:
    """Whether a fall in ``ind`` may mean under-reporting (``public.under_reported``).

    An indicator the partnership wants to go down (``good: down``) is never flagged: the
    partnership has said a fall there is good news.
    """
    if ind.good == "down":
        return False
    label = ind.label.casefold()
    return any(
        w.casefold() == ind.id or w.casefold() in label for w in ctx.config.public.under_reported
    )


def _with_concern(ctx: Context, sec, text: tuple[str, ...]) -> tuple[str, ...]:
    """``text`` with :data:`FEWER_REPORTS` after the first sentence that reports a real
    fall (significant at :data:`~smp_analysis.assessment.status.ALPHA`) in an indicator
    that may be under-reported (once per paragraph)."""
    status = getattr(sec, "status", None)
    if status is None:
        return text
    config = {i.id: i for i in ctx.config.priority(sec.id).indicators}
    fell = set()
    for r in status.indicators:
        ind = config.get(r.indicator_id)
        if (
            ind is not None
            and r.available
            and r.public_sentence
            and np.isfinite(r.baseline)
            and np.isfinite(r.current)
            and r.current < r.baseline
            and r.p_value < ALPHA  # a real fall (within the usual ups and downs: no concern)
            and _under_reported(ctx, ind)
        ):
            fell.add(r.public_sentence)
    out, said = [], False
    for line in text:
        out.append(line)
        if not said and line in fell:
            out.append(FEWER_REPORTS)
            said = True
    return tuple(out)


@dataclass(frozen=True)
class PublicSection(Section):
    """The residents' page: paragraphs without their labels (``PS.3`` means nothing to a
    resident; the label stays as the paragraph's ``id`` for links), and nothing at all for
    a paragraph not in this year's page."""

    def html(self, label: str) -> str:
        if label not in self.labels:
            return ""
        shown = f'<span class="para-label">{_html.escape(label)}</span> '
        return super().html(label).replace(shown, "", 1)


# --------------------------------------------------------------------------- the page
@dataclass(frozen=True)
class PublicPage:
    """The public section with its disclosure-control record.

    Attributes
    ----------
    section : Section
        The public section (what :func:`public_summary` returns).
    audit : PageAudit
        The page audit of what is published: every table and every chart's data, read
        together with the links between them (an empty ``audit.problems`` means no
        ``[c]`` cell can be narrowed below its threshold or recovered exactly).
    tables : tuple of PageTable
        What the audit read (tables by paragraph label, charts as ``"<label> chart"``).
    relations : tuple of Relation
        The links it used.
    protection : PageProtection
        The page-level step: ``exposed_before`` (cells exposed when each table was
        suppressed on its own) and ``added`` (cells it suppressed as well).
    unused_links : tuple of str
        Links that did not hold for the counts and were not used (normally empty).
    """

    section: Section
    audit: PageAudit
    tables: tuple[PageTable, ...]
    relations: tuple[Relation, ...]
    protection: PageProtection
    unused_links: tuple[str, ...] = ()


def _feel_safe(ctx: Context, label: str, sections: dict[str, object]) -> Paragraph | None:
    lines = []
    for sec in sections.values():
        for p in getattr(sec, "paragraphs", ()):
            if p.title in ("What residents say", "What young people say"):
                lines += list(p.public_text)
    if not lines:
        return None
    return Paragraph(label, "How safe people feel", tuple(lines))


def public_page(ctx: Context) -> PublicPage:
    """Build the public section and audit it as one page (see the module notes).

    Raises
    ------
    DisclosureError
        If, after page-level suppression, a reader could still narrow a hidden count below
        its threshold by combining what the page publishes.
    """
    from . import domestic_abuse, serious_violence, summary, town_centre, young_people
    from .generic import generic_priority

    builders = {
        "serious_violence": serious_violence,
        "domestic_abuse": domestic_abuse,
        "town_centre": town_centre,
        "young_people": young_people,
    }
    sections: dict[str, object] = {"SUM": summary(ctx)}
    for pr in ctx.config.priorities:
        sections[pr.id] = builders.get(pr.theme, generic_priority)(ctx, pr.id)
    parts: list[_Spec | Paragraph] = [_crime_by_type_spec(ctx, "PS.2")]
    n = 3
    for pr in ctx.config.priorities:
        parts.append(_priority_spec(ctx, f"PS.{n}", sections[pr.id]))
        n += 1
    specs = [p for p in parts if isinstance(p, _Spec)]
    cur = ctx.current.label

    # 1. each table on its own; 2. the tables together
    pieces = {s.label: _suppress(ctx, s.wide, sensitive=s.sensitive, name=s.label) for s in specs}
    for s in specs:
        pieces[s.label].counts.index.name = s.wide.index.name
    links, unused = _valid(_links(ctx, specs, pieces), pieces)
    claims: list[Relation] = []
    for s in specs:
        if s.sort and s.chart is not None:
            rows = [r for r in pieces[s.label].counts.index if r != TOTAL]
            true_top = str(s.wide[cur].idxmax()) if cur in s.wide and len(s.wide) else None
            claims += _top_claims(s, true_top, rows, cur)
    keep = [("PS.2", TOTAL, y) for y in (ctx.previous.label, cur)]
    protection = protect_page(list(pieces.values()), links + claims, keep=keep)
    final = {t.name: t for t in protection.tables}
    for s in specs:
        final[s.label].counts.index.name = s.wide.index.name

    # 3. render, then audit what is published
    orders = {s.label: _order(final[s.label], s, cur) for s in specs}
    for s in specs:  # the rows as the page shows them
        pc, index = final[s.label], [*orders[s.label], TOTAL]
        final[s.label] = PageCounts(
            pc.name,
            pc.counts.loc[index],
            pc.mask.loc[index],
            pc.thresholds.loc[index],
            pc.total_row,
            pc.total_column,
            pc.suppress_zeros,
        )
    charts: dict[str, object] = {}
    audit_rel = list(links)
    chart_tables: list[PageTable] = []
    for s in specs:
        pc, rows = final[s.label], orders[s.label]
        sup = _chart_table(ctx, pc, rows)
        spec_chart = s.chart(pc, rows) if s.chart is not None else None
        if spec_chart is None or not _charted(sup, cur):
            continue
        title, subtitle, top = spec_chart
        # this year against last year (the year before only when its data are complete)
        years = [y for y in (ctx.previous.label, cur) if _charted(sup, y)]
        chart = public_year_chart(sup, columns=years, title=title, subtitle=subtitle)
        charts[s.label] = chart
        audit_rel += _top_claims(s, top, rows, cur)
        name = f"{s.label} chart"
        cats = list(dict.fromkeys(chart.data["category"]))
        values = chart.data.pivot(index="category", columns="year", values="value").loc[cats, years]
        values.index.name, values.columns.name = None, None
        chart_tables.append(PageTable(name, values, pc.thresholds.loc[cats, years], total_row=None))
        audit_rel += [
            Relation.same((name, r, y), (s.label, r, y), "a chart draws its table")
            for r in cats
            for y in years
        ]
    page_tables = [final[s.label].published() for s in specs]
    table_rel = [r for r in audit_rel if not any(c[0].endswith(" chart") for c in r.cells)]
    rendered = {
        s.label: _render(ctx, final[s.label], orders[s.label], s.caption, s.note, table_rel)
        for s in specs
    }
    audit = audit_page(page_tables + chart_tables, audit_rel)
    if audit.problems:
        n_p = len(audit.problems)
        raise DisclosureError(
            f"the public page discloses small counts ({n_p} problem{'s' if n_p > 1 else ''}): "
            + "; ".join(audit.problems[:5])
        )

    district = final["PS.2"]
    paras: list[Paragraph] = [
        _key_messages(
            ctx,
            sections,
            all_crime=not (district.mask.loc[TOTAL].any()),
        )
    ]
    help_ = _help(ctx)
    if help_ is not None:
        paras.append(help_)
    for p in parts:
        if isinstance(p, Paragraph):
            paras.append(p)
            continue
        details = [charts[p.label]] if p.label in charts else []
        details.append(rendered[p.label])
        if p.label == "PS.2":
            text: tuple[str, ...] = (_crime_by_type_text(ctx, final["PS.2"]),)
        else:
            text = _with_concern(
                ctx, p.section, _safe_text(ctx, p, specs, final, page_tables, table_rel)
            )
        paras.append(Paragraph(p.label, p.title, text, tuple(details)))
    n = len([p for p in paras if p.label.startswith("PS.")]) + 1
    fs = _feel_safe(ctx, f"PS.{n}", sections)
    if fs is not None:
        paras.append(fs)
        n += 1
    doing = _doing(ctx)
    if doing is not None:
        paras.append(doing)
    paras.append(_say(ctx))
    about = [
        "The full report for partnership members has every table and method "
        "([appendix.html](appendix.html)). It shows small numbers that we hide here, so it "
        "is not for the public.",
        "We hide small numbers ([c]) so that no one can be picked out. We hide them in each "
        "table and across all the tables on this page.",
    ]
    if ctx.config.synthetic:
        about.insert(
            0,
            "**This page uses synthetic data** for a made-up district, to show "
            "what the report looks like. It describes no real place.",
        )
    paras.append(Paragraph(f"PS.{n}", "About this summary", tuple(about)))
    section = PublicSection(
        # the page's h1 is "Community safety in <area>": the section says what it holds
        "P",
        f"What we found in {ctx.current.label}",
        tuple(paras),
        public=True,
        overrides={},
    )
    return PublicPage(
        section,
        audit,
        tuple(page_tables + chart_tables),
        tuple(audit_rel),
        protection,
        tuple(unused),
    )


def public_summary(ctx: Context) -> Section:
    """The public-friendly section (uses the appendix's builders for its numbers).

    Its tables are disclosure-controlled as one page (:func:`public_page`, which also
    returns the page audit); raises
    :class:`~smp_analysis.stats.disclosure.DisclosureError` if the page would disclose a
    small count.
    """
    return public_page(ctx).section
