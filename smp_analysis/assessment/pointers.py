"""Say each thing once: a priority's status paragraph points to the paragraph that holds an
indicator's sentence instead of copying it.

A priority's first paragraph (``<ID>.1``, the status) lists the sentence of every indicator
behind the status. Most indicators also have their own paragraph later in the section, with
the same sentence word for word — so the appendix said it twice. :func:`point_to_details`
replaces each such copy in ``<ID>.1`` by the indicator's verdict and a pointer ("Robbery:
worsened (...); see SV.3."). An indicator without a paragraph of its own keeps its full
sentence there, so nothing is lost; the numbers stay in the table beside ``<ID>.1``.
:class:`~smp_analysis.assessment.section.Section` applies it to every priority section.

Examples
--------
>>> from smp_analysis.present.blocks import Paragraph
>>> from smp_analysis.assessment.status import IndicatorResult, priority_status
>>> r = IndicatorResult("SV", "r", "Robbery", "down", estimate=1.4, ci_low=1.1, ci_high=1.8,
...                     p_value=0.001, sentence="Robbery rose by 40%.", facts=("40%",))
>>> s = priority_status("SV", "Serious violence", [r])
>>> paras = (Paragraph("SV.1", "Status", ("Status text.", "Robbery rose by 40%."),
...                    facts=("40%",)),
...          Paragraph("SV.3", "Robbery", ("Robbery rose by 40%. More detail.",)))
>>> out = point_to_details("SV", s, paras)
>>> out[0].text
('Status text.', '- Robbery: worsened (statistically significant change in the wrong direction); see SV.3.')
>>> out[0].facts
()
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..present.blocks import Paragraph
from .status import PriorityStatus

__all__ = ["point_to_details"]


def point_to_details(
    section_id: str, status: PriorityStatus | None, paragraphs: Sequence[Paragraph]
) -> tuple[Paragraph, ...]:
    """``paragraphs`` with ``<ID>.1``'s copies of later sentences replaced by pointers."""
    paragraphs = tuple(paragraphs)
    if status is None or not paragraphs or paragraphs[0].label != f"{section_id}.1":
        return paragraphs
    first, later = paragraphs[0], paragraphs[1:]
    by_sentence = {
        r.sentence: v for r, v in zip(status.indicators, status.verdicts, strict=True) if r.sentence
    }
    text: list[str] = []
    pointers: list[str] = []
    at: int | None = None
    for line in first.text:
        v = by_sentence.get(line)
        where = (
            next((p.label for p in later if any(line in t for t in p.text)), None)
            if v is not None
            else None
        )
        if v is None or where is None:
            text.append(line)
            continue
        if at is None:
            at = len(text)
            text.append("")  # the list of pointers goes where the first copy was
        pointers.append(f"- {v.explanation}; see {where}.")
    if at is None:
        return paragraphs
    text[at] = "\n".join(pointers)
    said = " ".join(text)
    facts = tuple(f for f in first.facts if f in said)
    return (replace(first, text=tuple(text), facts=facts), *later)
