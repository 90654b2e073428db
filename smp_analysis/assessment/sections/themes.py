"""Cross-cutting themes — section XT: one paragraph per theme of the config's ``themes:``.

A theme runs across the priorities (exploitation, community confidence, ...). Its paragraph
``XT.k`` (k-th theme in config order) carries the analysts' narrative, the theme's
indicators compared between the reporting year and the year before with the same
functions and verdicts as a priority's (:func:`~smp_analysis.assessment.indicators.
evaluate_indicator`, :func:`~smp_analysis.assessment.status.priority_status`) — no new
statistics — and the work undertaken on it from the action log (rows whose ``priority`` is
the theme's id).
"""

from __future__ import annotations

from ...config import PriorityConfig, ThemeConfig
from ...present.blocks import Paragraph, Table
from ..context import Context
from ..indicators import INDICATOR_HEADERS, evaluate_indicator, indicator_columns, indicator_data
from ..section import Section
from ..status import PriorityStatus, priority_status
from .work import number_word, work_sentence, work_summary, work_table

__all__ = ["themes", "evaluate_theme", "THEMES_NOTEBOOK"]

#: The notebook of section XT.
THEMES_NOTEBOOK = "60_themes.ipynb"


def evaluate_theme(ctx: Context, theme: ThemeConfig) -> PriorityStatus | None:
    """The theme's indicators judged like a priority's (``None`` when it has none)."""
    if not theme.indicators:
        return None
    as_priority = PriorityConfig(
        id=theme.id, title=theme.name, notebook=THEMES_NOTEBOOK, indicators=theme.indicators
    )
    results = [evaluate_indicator(ctx, as_priority, ind) for ind in theme.indicators]
    return priority_status(theme.id, theme.name, results)


#: how each verdict reads after "one ..." / "two ..." (singular, plural)
_VERDICT_VERBS = {
    "improved": ("improved", "improved"),
    "no significant change": (
        "showed no statistically significant change",
        "showed no statistically significant change",
    ),
    "worsened": ("worsened", "worsened"),
    "within expected range": ("is within its expected range", "are within their expected range"),
    "outside expected range": (
        "is outside its expected range",
        "are outside their expected range",
    ),
    "context": ("is reported for context", "are reported for context"),
    "not assessed": ("could not be assessed", "could not be assessed"),
}


def _verdict_sentence(status: PriorityStatus, name: str) -> str:
    parts = [
        f"{number_word(n)} {_VERDICT_VERBS.get(k, (k, k))[n != 1]}"
        for k, n in status.counts.items()
        if n
    ]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" and {parts[-1]}"
    n = len(status.indicators)
    if n == 1:
        return f"The one indicator of {name} {listed.split(' ', 1)[1]}."
    if len(parts) == 1:
        every = "Both" if n == 2 else f"All {number_word(n)}"
        return f"{every} indicators of {name} {listed.split(' ', 1)[1]}."
    return f"Of the {number_word(n)} indicators of {name}, {listed}."


def _theme_paragraph(ctx: Context, theme: ThemeConfig, label: str) -> Paragraph:
    status = evaluate_theme(ctx, theme)
    text: list[str] = []
    if theme.narrative.strip():
        text.append(theme.narrative.strip())
    details: list[Table] = []
    facts: tuple[str, ...] = ()
    tests: tuple[str, ...] = ()
    public: list[str] = []
    if status is None:
        text.append(f"No indicators are configured for {theme.name}.")
    else:
        text.append(_verdict_sentence(status, theme.name))
        text += [r.sentence for r in status.indicators if r.sentence]
        public += [r.public_sentence for r in status.indicators if r.public_sentence]
        facts = tuple(f for r in status.indicators for f in r.facts)
        tests = tuple(dict.fromkeys(r.method for r in status.indicators if r.method))
        details.append(
            Table.rendered(
                indicator_data(status),
                indicator_columns(status),
                f"Table {label}: indicators of {theme.name}, {ctx.previous.label} and "
                f"{ctx.current.label}",
                headers=INDICATOR_HEADERS,
            )
        )
    w = work_summary(ctx.actions, theme.id, configured=ctx.has_action_log)
    text.append(work_sentence(w, theme.name))
    if w.n_actions:
        details.append(
            work_table(w, f"Table {label}b: work undertaken on {theme.name}, {ctx.current.label}")
        )
    return Paragraph(
        label,
        theme.name,
        tuple(text),
        tuple(details),
        facts=facts,
        public_text=tuple(public),
        tests=tests,
    )


def themes(ctx: Context) -> Section:
    """Section XT: every configured cross-cutting theme (``XT.1``, ``XT.2``, ...)."""
    paras = [_theme_paragraph(ctx, t, f"XT.{k}") for k, t in enumerate(ctx.config.themes, start=1)]
    intro = (
        "Cross-cutting themes run across the priorities. For each: why it matters, its "
        "indicators judged as a priority's are, and the work undertaken on it.",
    )
    if not paras:
        intro = ("No cross-cutting themes are configured (themes: in the config).",)
    return Section(
        "XT",
        "Cross-cutting themes",
        tuple(paras),
        intro=intro,
        overrides=ctx.inputs.overrides,
    )
