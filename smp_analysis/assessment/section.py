"""A report section: heading (with status), labelled paragraphs, analysts' overrides applied.

Section builders in :mod:`smp_analysis.assessment.sections` return a :class:`Section`;
notebooks show it heading first, then one paragraph per cell, so analysts can put their
own Markdown cells between paragraphs.

Examples
--------
>>> from smp_analysis.present.blocks import Paragraph
>>> s = Section("DA", "Domestic abuse", (Paragraph("DA.1", "Title", ("Text.",)),))
>>> s.labels
['DA.1']
>>> 'id="DA.1"' in s.html("DA.1")
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..present.blocks import DATA_MIME, Paragraph, paragraph_html, section_html
from ..results.payload import to_payload
from ..results.result import Result
from .glossary import link_in_section
from .paragraphs import NarrativeOverride
from .pointers import point_to_details
from .status import PriorityStatus

__all__ = ["Section", "show_html"]


def show_html(html: str, data: Mapping[str, object] | None = None) -> None:
    """Display HTML in the notebook (the build exports it as is); ``data``, a paragraph's
    numbers (:func:`~smp_analysis.results.payload.to_payload`), travels beside it for the
    build to write as downloads."""
    from IPython.display import display

    bundle: dict[str, object] = {"text/html": html}
    if data is not None:
        bundle[DATA_MIME] = data
    display(bundle, raw=True)


@dataclass(frozen=True)
class Section:
    """A section of the appendix (or of the public version)."""

    id: str
    title: str
    paragraphs: tuple[Paragraph, ...]
    status: PriorityStatus | None = None
    intro: tuple[str, ...] = ()
    overrides: Mapping[str, NarrativeOverride] = field(default_factory=dict)
    public: bool = False

    def __post_init__(self) -> None:
        labels = [p.label for p in self.paragraphs]
        dup = sorted({x for x in labels if labels.count(x) > 1})
        if dup:
            raise ValueError(f"section {self.id} repeats paragraph labels {dup}")
        # a priority's status paragraph points to later paragraphs instead of copying them
        object.__setattr__(
            self, "paragraphs", point_to_details(self.id, self.status, self.paragraphs)
        )

    @property
    def labels(self) -> list[str]:
        return [p.label for p in self.paragraphs]

    def __getitem__(self, label: str) -> Paragraph:
        for p in self.paragraphs:
            if p.label == label:
                return p
        raise KeyError(f"section {self.id} has no paragraph {label}; it has {self.labels}")

    def heading_html(self) -> str:
        if self.status is None:
            return section_html(self.id, self.title, intro=self.intro)
        return section_html(
            self.id, self.title, status=self.status.final, note=self.status.note, intro=self.intro
        )

    def html(self, label: str) -> str:
        if label not in self.labels:
            # fixed labels: a paragraph whose data were not provided this year is left out
            # (and said so) rather than renumbering the rest
            return (
                f'<p class="status-note">Paragraph {label} is not in this year\'s report: '
                "the data it needs were not provided.</p>"
            )
        o = self.overrides.get(label)
        html = paragraph_html(
            self[label],
            add=o.add if o else None,
            replace=o.replace if o else None,
            public=self.public,
        )
        # the appendix links each term's first use in the section to the glossary (DM.6)
        return html if self.public else link_in_section(self, label, html)

    def result(self, label: str) -> Result:
        """The typed numbers behind paragraph ``label`` (see :class:`Result`)."""
        return self[label].result

    def numbers(self, label: str) -> Result | str:
        """What a notebook shows under a paragraph: its :class:`Result`, or a note when the
        paragraph is not in this year's report (its data were not provided)."""
        if label in self.labels:
            return self[label].result
        return f"{label} is not in this year's report: the data it needs were not provided."

    def results(self) -> dict[str, Result]:
        """Every paragraph's result, by label."""
        return {p.label: p.result for p in self.paragraphs}

    def show_heading(self) -> None:
        """Display the section heading (with its status) in the notebook."""
        show_html(self.heading_html())

    def show(self, label: str) -> None:
        """Display one labelled paragraph in the notebook (with its numbers for the
        build's downloads)."""
        data = to_payload(self[label].result, public=self.public) if label in self.labels else None
        show_html(self.html(label), data)

    def show_all(self) -> None:
        """Display the heading and every paragraph."""
        self.show_heading()
        for label in self.labels:
            self.show(label)
