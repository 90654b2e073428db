"""Labelled paragraphs and section headings: the building blocks of the appendix.

A :class:`Paragraph` is the seed report's unit: a label committee papers cite
("see DA.3"), a title, narrative on the left and detail (charts, tables) on the right.
Its HTML element has the label as ``id`` so ``appendix.html#DA.3`` links to it.

Examples
--------
>>> import pandas as pd
>>> t = Table(pd.DataFrame({"Year": ["2023/24", "2024/25"], "Crimes": [100, 90]}),
...           "Table DA.1: Crimes by year")
>>> p = Paragraph("DA.1", "Crime fell", ("Crime fell by 10%.",), (t,))
>>> html = paragraph_html(p)
>>> '<section class="para" id="DA.1" aria-labelledby="DA.1-title">' in html
True
>>> "Crime fell by 10%." in html and "<caption>Table DA.1: Crimes by year</caption>" in html
True
"""

from __future__ import annotations

import base64
import html as _html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import mistune
import pandas as pd

from .tables import Formatter, table_html

__all__ = [
    "Table",
    "Paragraph",
    "ChartLike",
    "paragraph_html",
    "chart_html",
    "section_html",
    "markdown_html",
    "status_class",
    "LABEL_PATTERN",
]

LABEL_PATTERN = re.compile(r"^[A-Z]{2,4}\.\d+$")
_markdown = mistune.create_markdown(escape=True)


class ChartLike(Protocol):
    """What :func:`chart_html` needs from a chart (``present.charts.Chart`` has it)."""

    figure_svg: str
    alt: str
    title: str
    subtitle: str
    data: pd.DataFrame


@dataclass(frozen=True)
class Table:
    """A table to show in a paragraph's detail column."""

    frame: pd.DataFrame
    caption: str
    formats: Mapping[str, Formatter] = field(default_factory=dict)
    note: str | None = None
    attrs: Mapping[str, str] = field(default_factory=dict)

    def html(self) -> str:
        return table_html(
            self.frame, self.caption, formats=self.formats, note=self.note, attrs=self.attrs
        )


@dataclass(frozen=True)
class Paragraph:
    """A labelled paragraph.

    Attributes
    ----------
    label : str
        Stable label such as ``"DA.3"`` (two to four capitals, a dot, a number).
    title : str
        Short heading stating the finding.
    text : tuple of str
        Narrative paragraphs (Markdown; escaped, so no raw HTML).
    details : tuple
        :class:`Table` and chart objects shown in the right-hand column.
    facts : tuple of str
        The formatted numbers the text quotes; each also appears in a detail table
        (checked by tests so a sentence never disagrees with its table).
    public_text : tuple of str
        Plain-English version for the public report (defaults to ``text``).
    """

    label: str
    title: str
    text: tuple[str, ...]
    details: tuple[Any, ...] = ()
    facts: tuple[str, ...] = ()
    public_text: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not LABEL_PATTERN.match(self.label):
            raise ValueError(f"paragraph label '{self.label}' must look like 'DA.3'")
        if isinstance(self.text, str):
            raise TypeError("Paragraph.text must be a tuple of strings, not one string")


def markdown_html(text: str) -> str:
    """Render Markdown (raw HTML escaped)."""
    return _markdown(text).strip()


def chart_html(chart: ChartLike, *, show_data: bool = True) -> str:
    """A chart as a figure with real alt text, a caption and (optionally) its data table."""
    svg64 = base64.b64encode(chart.figure_svg.encode("utf-8")).decode("ascii")
    esc = _html.escape
    caption = f'<span class="figure-title">{esc(chart.title)}</span>' + (
        f'<span class="figure-subtitle">{esc(chart.subtitle)}</span>' if chart.subtitle else ""
    )
    out = (
        f'<figure class="figure"><figcaption>{caption}</figcaption>'
        f'<img src="data:image/svg+xml;base64,{svg64}" alt="{esc(chart.alt)}"></figure>'
    )
    data = getattr(chart, "data", None)
    if show_data and isinstance(data, pd.DataFrame) and len(data) and len(data) <= 200:
        table = table_html(data, f"Data for the chart: {chart.title}")
        out += f'<details class="data-table"><summary>Show the data</summary>{table}</details>'
    return out


def _detail_html(item: Any, public: bool = False) -> str:
    if isinstance(item, Table):
        return item.html()
    if hasattr(item, "figure_svg"):
        # public charts are drawn from a disclosure-controlled table shown beside them
        return chart_html(item, show_data=not public)
    if isinstance(item, str):
        return item
    raise TypeError(f"cannot show a {type(item).__name__} in a paragraph's detail column")


def paragraph_html(
    p: Paragraph,
    *,
    add: str | None = None,
    replace: str | None = None,
    public: bool = False,
) -> str:
    """HTML for a labelled paragraph: narrative left, detail right.

    Parameters
    ----------
    p : Paragraph
    add : str, optional
        Analyst's Markdown appended after the generated text.
    replace : str, optional
        Analyst's Markdown shown instead of the generated text.
    public : bool
        Use the plain-English ``public_text`` when given.
    """
    esc = _html.escape
    text = p.public_text if (public and p.public_text) else p.text
    body = [markdown_html(t) for t in text] if replace is None else [markdown_html(replace)]
    if add:
        body.append(
            f'<div class="analyst-note"><p><strong>Analyst note.</strong></p>{markdown_html(add)}</div>'
        )
    details = "".join(_detail_html(d, public) for d in p.details)
    lid = esc(p.label)
    wide = "" if details else " para-wide"
    detail_div = f'<div class="para-detail">{details}</div>' if details else ""
    return (
        f'<section class="para{wide}" id="{lid}" aria-labelledby="{lid}-title">'
        f'<div class="para-narrative"><h3 id="{lid}-title"><span class="para-label">{lid}</span> '
        f"{esc(p.title)}</h3>{''.join(body)}</div>{detail_div}</section>"
    )


_STATUS_CLASSES = {
    "Exceeding expectations": "status-exceeding",
    "On track": "status-on-track",
    "Needs attention": "status-needs-attention",
    "Not assessed": "status-not-assessed",
}


def status_class(status: str) -> str:
    """CSS class of a status pill (colour is never the only cue: the text is always shown)."""
    return _STATUS_CLASSES.get(status, "status-not-assessed")


def section_html(
    section_id: str,
    title: str,
    *,
    status: str | None = None,
    note: str | None = None,
    intro: Sequence[str] = (),
) -> str:
    """An ``<h2>`` section heading with an optional status pill and note.

    The pipeline builds the contents list from these headings (their ``id``, text and
    ``data-status``).

    Examples
    --------
    >>> section_html("DA", "Domestic abuse", status="On track").startswith('<h2 id="DA"')
    True
    """
    esc = _html.escape
    pill = f' <span class="status {status_class(status)}">{esc(status)}</span>' if status else ""
    data = f' data-status="{esc(status)}"' if status else ""
    out = f'<h2 id="{esc(section_id)}"{data}>{esc(title)}{pill}</h2>'
    if note:
        out += f'<p class="status-note">{esc(note)}</p>'
    if intro:
        out += '<div class="section-intro">' + "".join(markdown_html(t) for t in intro) + "</div>"
    return out
