"""Any priority a partnership configures (``theme: generic``): status, then one paragraph per
indicator with monthly data (police or monthly partner returns)."""

from __future__ import annotations

from ..context import Context
from ..indicators import evaluate_priority, partner_monthly, partner_rows
from ..section import Section
from .common import status_paragraph, trend_paragraph

__all__ = ["generic_priority"]


def generic_priority(ctx: Context, priority_id: str) -> Section:
    """Section for a configured priority without a dedicated builder.

    Labels: ``<ID>.1`` is the status; indicator *k* (in config order) is ``<ID>.<k+1>`` unless
    the indicator sets ``paragraph:`` explicitly, so labels stay stable between years.
    """
    pr = ctx.config.priority(priority_id)
    status = evaluate_priority(ctx, priority_id)
    paras = [status_paragraph(ctx, status, f"{pr.id}.1")]
    for k, ind in enumerate(pr.indicators, start=2):
        label = ind.paragraph or f"{pr.id}.{k}"
        if ind.source == "police":
            series = ctx.police_series(ind.crime_types, area=ind.area)
            noun = "incidents" if ind.crime_types == ["Anti-social behaviour"] else "offences"
        elif ind.source == "partner":
            series = partner_monthly(partner_rows(ctx, ind.indicator, ind.sub_type))
            noun = "crimes"
            if len(series) < 24:
                continue
        else:
            continue
        paras.append(trend_paragraph(ctx, label, ind.label, series, noun=noun, good=ind.good))
    return Section(pr.id, pr.title, tuple(paras), status=status, overrides=ctx.inputs.overrides)
