"""The public-friendly version: key messages first, plain words, disclosure control.

Every table here goes through :mod:`smp_analysis.stats.disclosure` (counts below the
threshold shown as ``[c]``, stricter for sensitive categories, with secondary suppression)
and carries ``data-sdc-threshold`` so the build can check the published page.
"""

from __future__ import annotations

import pandas as pd

from ...categories import CRIME_TYPES
from ...present import formatting as fmt
from ...present.blocks import Paragraph, Table, cell
from ...present.charts import public_bar_chart
from ...stats.disclosure import suppress_series, suppress_table
from ...stats.periods import period_totals
from ..claims import month_span
from ..context import Context
from ..indicators import partner_rows, partner_total
from ..section import Section
from .domestic_abuse import INDICATOR as DA_INDICATOR
from .domestic_abuse import SUB_TYPE_LABELS

__all__ = ["public_summary", "PLAIN_STATUS", "sdc_table"]

#: Status in plain words for residents.
PLAIN_STATUS = {
    "Exceeding expectations": "going better than planned",
    "On track": "on track",
    "Needs attention": "needs more work",
    "Not assessed": "not yet assessed",
}


def _sensitive(ctx: Context) -> dict[str, int]:
    d = ctx.config.disclosure
    return {label: d.sensitive_threshold for label in d.sensitive}


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
    """
    d = ctx.config.disclosure
    sens = _sensitive(ctx)
    if sensitive:
        sens.update({str(r): d.sensitive_threshold for r in table.index})
    known = [c for c in table.columns if table[c].notna().all()]
    unknown = [c for c in table.columns if c not in known]
    counts = table[known].astype("int64")
    sup = None
    if known:
        if len(known) == 1:
            sup = suppress_series(counts.iloc[:, 0], d.threshold, sensitive=sens)
        else:
            sup = suppress_table(counts, d.threshold, sensitive=sens)
    name = table.index.name or "Category"
    if sup is not None:
        values = sup.values.copy()
        mask = sup.mask.copy()
        if len(known) > 1 and sup.total_label in values.columns:
            values = values.drop(columns=[sup.total_label])
            mask = mask.drop(columns=[sup.total_label])
        if len(known) == 1:
            values.columns = mask.columns = known
        rows = list(values.index)
    else:
        values = mask = None
        rows = list(table.index)
    data = pd.DataFrame({"category": [str(r) for r in rows]})
    notes = []
    for r in rows:
        row_notes = []
        for c in table.columns:
            if c in unknown:
                row_notes.append(f"[x] {c}")
            elif bool(mask.loc[r, c]):
                row_notes.append(f"[c] {c}")
        notes.append("; ".join(row_notes))
    for c in table.columns:
        if c in unknown:
            data[str(c)] = float("nan")
        else:
            data[str(c)] = [
                float("nan") if bool(mask.loc[r, c]) else float(values.loc[r, c]) for r in rows
            ]

    def shown(col: str):
        def f(row) -> str:
            if col in unknown:
                return fmt.MISSING
            if pd.isna(row[col]):
                return "[c]"
            return fmt.count(row[col])

        return f

    missing_note = (
        f" [x] = not available: no data for {', '.join(map(str, unknown))}." if unknown else ""
    )
    return (
        Table.rendered(
            data,
            {name: cell("category"), **{str(c): shown(str(c)) for c in table.columns}},
            caption,
            headers={"category": name, **{str(c): f"{c} (count)" for c in table.columns}},
            note=(note + " " if note else "")
            + f"[c] = fewer than {d.threshold} (fewer than {d.sensitive_threshold} for "
            "sensitive crimes), or hidden so that a small number cannot be worked out from "
            "the totals." + missing_note,
            attrs={"data-sdc-threshold": str(d.threshold)},
            notes=pd.Series(notes, dtype=object),
        ),
        sup,
    )


def _charted(sup: object, column: str) -> bool:
    """Whether a suppressed table has data for ``column`` (a year may be missing)."""
    return sup is not None and column in getattr(sup, "values", pd.DataFrame()).columns


def _key_messages(ctx: Context, sections: dict[str, object]) -> Paragraph:
    lines = []
    for pr in ctx.config.priorities:
        sec = sections.get(pr.id)
        if sec is None or sec.status is None:
            continue
        lines.append(f"- **{pr.title}**: {PLAIN_STATUS.get(sec.status.final, sec.status.final)}.")
    overall = sections.get("SUM")
    if overall is not None:
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


def _crime_by_type(ctx: Context, label: str) -> Paragraph:
    wide = _by_type(ctx)
    span = ctx.matched_months()[2]
    table, sup = sdc_table(
        ctx,
        wide,
        f"Table {label}: crimes recorded by type, {ctx.previous.label} and {ctx.current.label}"
        + same_months(ctx),
    )
    top = wide.index[0]
    chart = public_bar_chart(
        sup,
        title=f"{top} was the most common type of crime in {ctx.current.label}",
        subtitle=f"Crimes recorded by the police in {ctx.config.area.name}, {ctx.current.label}"
        + same_months(ctx),
        column=ctx.current.label,
    )
    if span:
        text = (
            f"From {span} {ctx.current.label}, the police recorded "
            f"{fmt.count(wide[ctx.current.label].sum())} crimes in {ctx.config.area.name}, "
            f"compared with {fmt.count(wide[ctx.previous.label].sum())} in the same months of "
            f"{ctx.previous.label}. We compare only these months because police data for the "
            "other months are missing. Anti-social behaviour is counted separately."
        )
        if " to " not in span and "," in span:
            text = text.replace(
                f"From {span} {ctx.current.label}", f"In {span} of {ctx.current.label}"
            )
    else:
        text = (
            f"The police recorded {fmt.count(wide[ctx.current.label].sum())} crimes in "
            f"{ctx.config.area.name} in {ctx.current.label}, compared with "
            f"{fmt.count(wide[ctx.previous.label].sum())} the year before. Anti-social "
            "behaviour is counted separately."
        )
    return Paragraph(label, "Crime in the area", (text,), (chart, table))


def _priority(ctx: Context, label: str, sec) -> Paragraph:
    status = sec.status
    text = [
        f"Status: **{PLAIN_STATUS.get(status.final, status.final)}**.",
        *(p for p in sec[f"{sec.id}.1"].public_text[:4]),
    ]
    details: list = []
    # one public table per priority, counts only
    pr = ctx.config.priority(sec.id)
    police = [i for i in pr.indicators if i.source == "police"]
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
            table, sup = sdc_table(
                ctx, wide, f"Table {label}: domestic abuse crimes by type", sensitive=True
            )
            if _charted(sup, ctx.current.label):
                details.append(
                    public_bar_chart(
                        sup,
                        title="Domestic abuse crimes by type this year",
                        subtitle=f"Crimes flagged as domestic abuse, {ctx.config.area.name}, "
                        f"{ctx.current.label}",
                        column=ctx.current.label,
                    )
                )
            details.append(table)
    elif pr.theme == "young_people" and not partner_rows(ctx, "youth_first_time_entrants").empty:
        rows = partner_rows(ctx, "youth_first_time_entrants")
        quarters = {}
        for y in (ctx.previous, ctx.current):
            inside = rows[(rows["period_start"] >= y.start) & (rows["period_end"] <= y.end)]
            for r in inside.itertuples():
                q = f"Q{(r.period_start - y.start).n // 3 + 1}"
                quarters.setdefault(q, {})[y.label] = int(r.value)
        # a quarter without a return is missing ([x]), never zero
        wide = pd.DataFrame.from_dict(quarters, orient="index").sort_index()
        wide.index.name = "Quarter (April to March)"
        # children: the stricter (sensitive) threshold applies to every cell
        table, sup = sdc_table(
            ctx,
            wide,
            f"Table {label}: children entering the youth justice "
            "system for the first time, by quarter",
            sensitive=True,
        )
        details.append(table)
    elif pr.theme == "town_centre" and ctx.config.town_centre is not None:
        tc = ctx.config.town_centre
        wide = _by_type(ctx, area="town_centre")
        table, sup = sdc_table(
            ctx,
            wide,
            f"Table {label}: crimes recorded in {tc.name} by type" + same_months(ctx),
            note="Crimes recorded by the police.",
        )
        details += [
            public_bar_chart(
                sup,
                title=f"{wide.index[0]} was the most common crime in {tc.name}",
                subtitle=f"Crimes recorded by the police in {tc.name}, {ctx.current.label}",
                column=ctx.current.label,
            ),
            table,
        ]
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
        table, sup = sdc_table(
            ctx,
            wide,
            f"Table {label}: {pr.title.lower()}, counts by year" + same_months(ctx),
            note="Crimes or incidents recorded by the police.",
        )
        details += [
            public_bar_chart(
                sup,
                title=f"{police[0].label}: {fmt.count(wide.iloc[0, 1])} in {ctx.current.label}",
                subtitle=f"{ctx.config.area.name}, {ctx.current.label}",
                column=ctx.current.label,
            ),
            table,
        ]
    return Paragraph(label, pr.title, tuple(t for t in text if t), tuple(details))


def _feel_safe(ctx: Context, label: str, sections: dict[str, object]) -> Paragraph | None:
    lines = []
    for sec in sections.values():
        for p in getattr(sec, "paragraphs", ()):
            if p.title in ("What residents say", "What young people say"):
                lines += list(p.public_text)
    if not lines:
        return None
    return Paragraph(label, "How safe people feel", tuple(lines))


def public_summary(ctx: Context) -> Section:
    """The public-friendly section (uses the appendix's builders for its numbers)."""
    from . import domestic_abuse, serious_violence, summary, town_centre, young_people

    builders = {
        "serious_violence": serious_violence,
        "domestic_abuse": domestic_abuse,
        "town_centre": town_centre,
        "young_people": young_people,
    }
    sections: dict[str, object] = {"SUM": summary(ctx)}
    from .generic import generic_priority

    for pr in ctx.config.priorities:
        sections[pr.id] = builders.get(pr.theme, generic_priority)(ctx, pr.id)
    paras = [_key_messages(ctx, sections), _crime_by_type(ctx, "PS.2")]
    n = 3
    for pr in ctx.config.priorities:
        paras.append(_priority(ctx, f"PS.{n}", sections[pr.id]))
        n += 1
    fs = _feel_safe(ctx, f"PS.{n}", sections)
    if fs is not None:
        paras.append(fs)
        n += 1
    about = [
        "The full appendix, with every table, method and caveat, is published alongside this "
        "summary ([appendix.html](appendix.html)).",
        "Small numbers are hidden ([c]) so that no one can be identified.",
    ]
    if ctx.config.synthetic:
        about.insert(
            0,
            "**This page uses synthetic data** for a made-up district, to show "
            "what the report looks like. It describes no real place.",
        )
    paras.append(Paragraph(f"PS.{n}", "About this summary", tuple(about)))
    return Section(
        "P", f"Community safety in {ctx.config.area.name}", tuple(paras), public=True, overrides={}
    )
