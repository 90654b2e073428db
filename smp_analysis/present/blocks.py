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
import unicodedata
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import mistune
import nh3
import pandas as pd

from ..results.result import Result, ResultTable, empty_coverage
from .tables import Formatter, table_html

__all__ = [
    "Table",
    "cell",
    "download_name",
    "DATA_MIME",
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

#: Notebook output type carrying a paragraph's numbers to the build (which writes them as
#: downloads); nbconvert does not render it, JupyterLab shows the HTML beside it.
DATA_MIME = "application/vnd.smp-analysis.result+json"

#: One rendered cell: a function of a row of numbers (a mapping) returning text.
Cell = Callable[[Mapping[str, Any]], str]


def cell(column: str, formatter: Callable[[Any], str] | None = None) -> Cell:
    """A cell that shows one column of the numeric row, formatted.

    Examples
    --------
    >>> from smp_analysis.present import formatting as fmt
    >>> cell("count", fmt.count)({"count": 1234.0})
    '1,234'
    """
    f = formatter or str
    return lambda row: f(row[column])


def download_name(label: str, n: int, *, public: bool = False) -> str:
    """Relative path of a paragraph's n-th download: ``data/DA.4-1.csv``.

    Examples
    --------
    >>> download_name("DA.4", 1), download_name("PS.2", 2, public=True)
    ('data/DA.4-1.csv', 'public-data/PS.2-2.csv')
    """
    return f"{'public-data' if public else 'data'}/{label}-{n}.csv"


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
    #: the numbers the cells were rendered from (tidy, real dtypes); ``None`` for a table
    #: of text only (such as the list of data sources)
    data: pd.DataFrame | None = None
    #: data column → readable header with unit, for downloads
    headers: Mapping[str, str] = field(default_factory=dict)
    #: a GSS-symbol note per data row (``"[c] 2024/25"``), kept beside the numbers
    notes: pd.Series | None = None

    @classmethod
    def rendered(
        cls,
        data: pd.DataFrame,
        columns: Mapping[str, Cell],
        caption: str,
        *,
        headers: Mapping[str, str] | None = None,
        note: str | None = None,
        attrs: Mapping[str, str] | None = None,
        notes: pd.Series | None = None,
    ) -> Table:
        """Compute, then render: the shown cells are functions of the numeric ``data``.

        Examples
        --------
        >>> import pandas as pd
        >>> from smp_analysis.present import formatting as fmt
        >>> d = pd.DataFrame({"period": ["2024/25"], "count": [1234.0]})
        >>> t = Table.rendered(d, {"Year": cell("period"), "Crimes": cell("count", fmt.count)},
        ...                    "Table X.1: crimes")
        >>> t.frame.iloc[0].tolist(), t.data["count"].dtype
        (['2024/25', '1,234'], dtype('float64'))
        """
        data = data.reset_index(drop=True)
        rows = data.to_dict("records")
        frame = pd.DataFrame({h: [f(r) for r in rows] for h, f in columns.items()})
        if frame.empty and not rows:
            frame = pd.DataFrame(columns=list(columns))
        return cls(
            frame,
            caption,
            note=note,
            attrs=dict(attrs or {}),
            data=data,
            headers=dict(headers or {}),
            notes=notes,
        )

    def html(self) -> str:
        return table_html(
            self.frame, self.caption, formats=self.formats, note=self.note, attrs=self.attrs
        )

    def result_table(self) -> ResultTable:
        """The numbers behind this table (the shown text when it has none)."""
        data = self.data if self.data is not None else self.frame
        return ResultTable(self.caption, data, headers=self.headers, notes=self.notes)


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
    coverage: pd.DataFrame | None = None
    tests: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not LABEL_PATTERN.match(self.label):
            raise ValueError(f"paragraph label '{self.label}' must look like 'DA.3'")
        if isinstance(self.text, str):
            raise TypeError("Paragraph.text must be a tuple of strings, not one string")

    @property
    def result(self) -> Result:
        """The typed numbers this paragraph rests on (tables and chart data, coverage,
        tests) — what analysts reach and what downloads are written from."""
        tables = tuple(t for t in (_result_table(d) for d in self.details) if t is not None)
        return Result(
            self.label,
            self.title,
            tables,
            coverage=self.coverage if self.coverage is not None else empty_coverage(),
            tests=self.tests,
        )


def _result_table(item: Any) -> ResultTable | None:
    if isinstance(item, Table):
        return item.result_table()
    data = getattr(item, "data", None)
    downloadable = getattr(item, "downloadable", True)
    if (
        hasattr(item, "figure_svg")
        and downloadable
        and isinstance(data, pd.DataFrame)
        and len(data)
    ):
        return ResultTable(
            f"Data for the chart: {item.title}",
            data,
            headers=getattr(item, "headers", None) or {},
            notes=getattr(item, "notes", None),
            kind="chart",
        )
    return None


# ---------------------------------------------------------------------------- narrative Markdown
# Narrative (generated sentences, section intros, the analysts' add/replace text) is text:
# Markdown for emphasis, lists and links to this report's own pages and downloads, nothing
# that makes the page fetch anything. Two layers: the renderer below never writes an
# image, a raw HTML tag or a link that leaves the report; the nh3 (ammonia) allowlist
# sanitiser then drops every tag and attribute not listed here, whatever the renderer did.

#: Tags narrative Markdown may produce (headings are demoted below the paragraph's ``<h3>``).
_NARRATIVE_TAGS = frozenset(
    {"p", "br", "hr", "strong", "em", "code", "pre", "ul", "ol", "li", "blockquote", "a"}
    | {"h4", "h5", "h6"}
)
_NARRATIVE_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
#: Schemes a narrative link may use: they open a mail client or dialler when clicked and
#: make no request when the page is opened (public pages signpost help lines).
_LINK_SCHEMES = frozenset({"mailto", "tel"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
#: never in a link, even percent-encoded: control characters and backslashes
_BAD_IN_LINK = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")


def _local_href(url: str) -> bool:
    """Whether a narrative link stays in the report: ``#DA.3``, ``appendix.html#DA.3``,
    ``data/DA.4-1.csv``, or ``mailto:``/``tel:``. Refused: any other scheme (in any case),
    a host (``//host``), an absolute path, backslashes, whitespace and control characters,
    read as written, percent-decoded and NFKC-normalised (``ｈｔｔｐ:`` is ``http:``).

    Examples
    --------
    >>> [_local_href(u) for u in ("#DA.3", "appendix.html#DA.3", "data/DA.4-1.csv")]
    [True, True, True]
    >>> [_local_href(u) for u in ("HTTP://x", "http:x", "//x", "/x", "%5C%5Cx", " javascript:x")]
    [False, False, False, False, False, False]
    """
    if not url or any(c.isspace() for c in url):
        return False
    decoded = urllib.parse.unquote(url)
    for u in {
        url,
        decoded,
        unicodedata.normalize("NFKC", url),
        unicodedata.normalize("NFKC", decoded),
    }:
        if _BAD_IN_LINK.search(u) or any(
            unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") or (c.isspace() and c != " ")
            for c in u
        ):
            return False
        v = u.strip(" ")
        m = _SCHEME.match(v)
        if m is not None and m.group(1).lower() not in _LINK_SCHEMES:
            return False
        if m is None and v.startswith("/"):
            return False
    return True


class _NarrativeRenderer(mistune.HTMLRenderer):
    """Mistune's HTML renderer, raw HTML escaped, with images written as their alt text,
    links that would leave the report written as their text, headings from ``<h4>`` down."""

    def __init__(self) -> None:
        super().__init__(escape=True)

    def image(self, text: str, url: str, title: str | None = None) -> str:
        return text  # the alt text (already rendered and escaped), never an <img>

    def link(self, text: str, url: str, title: str | None = None) -> str:
        if not _local_href(url) or self.sanitize_url(url) != url:
            return text  # a link that would leave the report is shown as its text
        return super().link(text, url, title)

    def heading(self, text: str, level: int, **attrs: Any) -> str:
        return super().heading(text, max(level, 4))  # no ids: they could clash with labels


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href" and not _local_href(value):
        return None
    return value


_markdown = mistune.create_markdown(renderer=_NarrativeRenderer())


def markdown_html(text: str) -> str:
    """Render narrative Markdown to HTML that is only text, emphasis, lists and local links.

    Raw HTML stays escaped text; images become their alt text; links to another host or
    with a scheme (other than ``mailto:``/``tel:``) become their text; the result then goes
    through an allowlist sanitiser (nh3, the Python binding of Rust's ``ammonia``).

    Examples
    --------
    >>> markdown_html("See *DA.3* in [the appendix](appendix.html#DA.3).")
    '<p>See <em>DA.3</em> in <a href="appendix.html#DA.3">the appendix</a>.</p>'
    >>> markdown_html("![Logo](HTTP://host/x.png) <img src=x onerror=alert(1)>")
    '<p>Logo &lt;img src=x onerror=alert(1)&gt;</p>'
    >>> markdown_html("[Call us](tel:0800123456) or [see this](https://example.org)")
    '<p><a href="tel:0800123456">Call us</a> or see this</p>'
    """
    rendered = _markdown(text)
    assert isinstance(rendered, str)
    return nh3.clean(
        rendered,
        tags=set(_NARRATIVE_TAGS),
        clean_content_tags={"script", "style"},
        attributes={k: set(v) for k, v in _NARRATIVE_ATTRIBUTES.items()},
        attribute_filter=_keep_attribute,
        url_schemes=set(_LINK_SCHEMES),
        link_rel=None,
        strip_comments=True,
    ).strip()


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
    parts = []
    n = 0
    for d in p.details:
        parts.append(_detail_html(d, public))
        if _result_table(d) is not None:
            n += 1
            href = esc(download_name(p.label, n, public=public))
            what = "chart" if hasattr(d, "figure_svg") else "table"
            parts.append(
                f'<p class="download"><a href="{href}" download>Download the data for this '
                f"{what} (CSV)</a></p>"
            )
    details = "".join(parts)
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
