"""Work undertaken: the action log's rows for a priority (paragraph ``<ID>.20``) or a theme.

Each priority section ends with the work its subgroup undertook, from the action log
(``data.action_log``; :func:`smp_analysis.sources.actions.read_action_log`). The label is
fixed (``DA.20``, whatever other paragraphs the section has this year) so committee
papers can cite it every year. When the config names no action log, the paragraph says so
rather than implying nothing was done.

Examples
--------
>>> import pandas as pd
>>> log = pd.DataFrame({"priority": ["DA", "DA", "SV"], "action": ["a", "b", "c"],
...                     "lead": ["x", "x", "y"], "status": ["Complete", "On hold", "Complete"],
...                     "update": ["", "", ""], "public": [True, True, True]})
>>> w = work_summary(log, "DA", configured=True)
>>> w.n_actions, w.by_status
(2, {'Complete': 1, 'On hold': 1})
>>> work_sentence(w, "domestic abuse")
'The action log lists two actions for domestic abuse: one complete and one on hold.'
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from ...present.blocks import Paragraph, Table, cell
from ...sources.actions import ACTION_STATUSES
from ..context import Context
from ..section import Section

__all__ = [
    "WORK_PARAGRAPH",
    "WorkSummary",
    "work_summary",
    "work_sentence",
    "work_table",
    "work_paragraph",
    "with_work_undertaken",
    "number_word",
]

#: The fixed paragraph number of a priority's work undertaken (``DA.20``).
WORK_PARAGRAPH = 20

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

#: headers of the action table's download
ACTION_HEADERS = {
    "priority": "Priority or theme (code)",
    "action": "Action",
    "lead": "Lead subgroup",
    "status": "Status",
    "update": "Update",
    "public": "Shown on the residents' page (true/false)",
}


def number_word(n: int) -> str:
    """``3`` → ``"three"`` (words up to ten, then digits with separators).

    Examples
    --------
    >>> number_word(0), number_word(4), number_word(1200)
    ('no', 'four', '1,200')
    """
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


@dataclass(frozen=True)
class WorkSummary:
    """The action log's rows for one priority or theme, counted by status."""

    code: str
    configured: bool
    actions: pd.DataFrame
    by_status: dict[str, int]

    @property
    def n_actions(self) -> int:
        return len(self.actions)


def work_summary(log: pd.DataFrame, code: str, *, configured: bool) -> WorkSummary:
    """Select ``code``'s actions from the log and count them by status (vocabulary order)."""
    rows = log[log["priority"] == code].reset_index(drop=True)
    counts = rows["status"].value_counts()
    by_status = {s: int(counts[s]) for s in ACTION_STATUSES if s in counts.index}
    return WorkSummary(code, configured, rows, by_status)


def work_sentence(w: WorkSummary, subject: str) -> str:
    """One sentence on the work undertaken for ``subject`` (which makes it unique in the
    report)."""
    if not w.configured:
        return (
            f"No action log was supplied (data.action_log in the config), so the work "
            f"undertaken on {subject} is not reported here."
        )
    if not w.n_actions:
        return f"The action log lists no actions for {subject}."
    parts = [f"{number_word(n)} {s.lower()}" for s, n in w.by_status.items()]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" and {parts[-1]}"
    noun = "action" if w.n_actions == 1 else "actions"
    return f"The action log lists {number_word(w.n_actions)} {noun} for {subject}: {listed}."


def work_table(w: WorkSummary, caption: str) -> Table:
    """The actions as a table (text cells; the download carries every column)."""
    return Table.rendered(
        w.actions,
        {
            "Action": cell("action"),
            "Lead": cell("lead"),
            "Status": cell("status"),
            "Update": cell("update"),
        },
        caption,
        headers=ACTION_HEADERS,
    )


def work_paragraph(ctx: Context, code: str, subject: str, label: str) -> Paragraph:
    """The labelled paragraph of the work undertaken for a priority (or theme) ``code``."""
    w = work_summary(ctx.actions, code, configured=ctx.has_action_log)
    details = (
        (work_table(w, f"Table {label}: work undertaken, {ctx.current.label}"),)
        if w.n_actions
        else ()
    )
    public = w.actions[w.actions["public"]] if w.n_actions else w.actions
    public_text = tuple(f"{r.action}: {r.status.lower()}." for r in public.itertuples())
    return Paragraph(
        label,
        "Work undertaken",
        (work_sentence(w, subject),),
        details,
        public_text=public_text or (work_sentence(w, subject),),
    )


def with_work_undertaken(ctx: Context, section: Section) -> Section:
    """``section`` with its work-undertaken paragraph (``<ID>.20``) appended.

    Examples
    --------
    A notebook cell after the section is built::

        section = sections.with_work_undertaken(ctx, section)
        section.show("DA.20")
    """
    subject = section.title[:1].lower() + section.title[1:]
    if len(section.title) > 1 and section.title[1].isupper():
        subject = section.title  # an acronym
    p = work_paragraph(ctx, section.id, subject, f"{section.id}.{WORK_PARAGRAPH}")
    return replace(section, paragraphs=(*section.paragraphs, p))
