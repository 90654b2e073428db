"""Hostile text stays text: narrative Markdown and the page check (issue "Hostile input").

Two layers are tested separately: :func:`markdown_html` (mistune + the nh3 allowlist) must
never emit an image, a script, an event handler or a URL with a scheme or host, and
:func:`check_report_html` must refuse a page carrying any such reference wherever it hides
(attributes, srcset, CSS, inline SVG images), case-insensitively.
"""

from __future__ import annotations

import base64
import re
import unicodedata
import urllib.parse

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smp_analysis.pipeline.checks import check_report_html
from smp_analysis.present.blocks import markdown_html

# ---------------------------------------------------------------------------- helpers
#: what browsers drop or ignore around and inside a URL, plus format characters
_IGNORABLE = re.compile(
    r"[\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:")
_NARRATIVE_TAGS = {"p", "br", "hr", "strong", "em", "code", "pre", "ul", "ol", "li"} | {
    "blockquote",
    "a",
    "h4",
    "h5",
    "h6",
}


def _leaves(value: str) -> bool:
    """An independent reading: does a URL carry a scheme or a host?"""
    v = unicodedata.normalize("NFKC", _IGNORABLE.sub("", value)).lower().replace("\\", "/")
    return v.startswith("//") or bool(_SCHEME.match(v))


def _rendered_problems(html: str) -> list[str]:
    """Everything narrative HTML must never contain."""
    problems = []
    lowered = html.lower()
    for bad in ("<img", "<script", "<svg", "<iframe", "<style", "<object", "<embed"):
        if bad in lowered:
            problems.append(f"contains {bad}")
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        if tag.name not in _NARRATIVE_TAGS:
            problems.append(f"tag <{tag.name}>")
        for attr, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if attr.startswith("on"):
                problems.append(f"event handler {attr}")
            if attr not in ("href", "title", "start"):
                problems.append(f"attribute {attr}")
            if attr == "href":
                v = _IGNORABLE.sub("", value).lower()
                if _leaves(value) and not v.startswith(("mailto:", "tel:")):
                    problems.append(f"href {value!r}")
                if v.startswith("/") or "\\" in value:
                    problems.append(f"href {value!r} is not beside the report")
    return problems


def _svg(body: str, *, doctype: bool = True) -> str:
    """A small SVG document shaped like matplotlib's (namespaces, metadata, DOCTYPE)."""
    head = (
        '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n'
        '  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        if doctype
        else ""
    )
    return (
        head + '<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="10pt" height="10pt" '
        'viewBox="0 0 10 10" xmlns="http://www.w3.org/2000/svg" version="1.1">'
        '<metadata><rdf:RDF xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:cc="http://creativecommons.org/ns#" '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><cc:Work>'
        '<dc:type rdf:resource="http://purl.org/dc/dcmitype/StillImage"/>'
        "</cc:Work></rdf:RDF></metadata>"
        '<defs><style type="text/css">*{stroke-linejoin: round}</style>'
        '<clipPath id="p1"><rect x="0" y="0" width="10" height="10"/></clipPath>'
        '<path id="m1" d="M 0 0 L 0 3" style="stroke: #3d3d3d"/></defs>'
        '<use xlink:href="#m1" x="1" y="1" clip-path="url(#p1)" style="fill: #0b0c0c"/>'
        f"{body}</svg>"
    )


def _svg64(body: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(_svg(body).encode()).decode()


#: a 1x1 PNG, as matplotlib embeds raster images in its SVGs
_PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="


def _svg_img(body: str, alt: str = "x") -> str:
    """An ``<img>`` showing an inline SVG whose body is ``body``."""
    return f'<img src="{_svg64(body)}" alt="{alt}">'


#: the clean chart: an SVG embedding a raster image, as matplotlib does for heat maps
_CHART = _svg_img('<image xlink:href="' + _PNG + '"/>', "Bar chart: domestic abuse by year")


def _page(body: str = "") -> str:
    """A minimal page shaped like the report: one <h1>, an inline SVG chart, local links."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Report</title>"
        '<style>body { font-family: "Helvetica Neue", Arial, sans-serif; }'
        " .x { background: url(#grad); }</style></head><body>"
        '<a class="skip-link" href="#main">Skip to main content</a>'
        '<main id="main"><h1>Community safety</h1>'
        '<section class="para" id="DA.3"><h3 id="DA.3-title">DA.3 Domestic abuse</h3>'
        f"<figure>{_CHART}</figure>"
        '<p class="download"><a href="data/DA.3-1.csv" download>Download (CSV)</a></p>'
        '<p>See <a href="#DA.3">DA.3</a> and <a href="appendix.html#DA.3">the appendix</a>; '
        'help: <a href="mailto:help@example.org">email</a>, <a href="tel:0800123456">call</a>.'
        f"</p>{body}</section></main></body></html>"
    )


# ---------------------------------------------------------------------------- corpus
#: hostile narrative text (config labels, analysts' narrative file, intros)
HOSTILE_MARKDOWN = [
    "![x](HTTP://host/x.png)",
    "![x](http:host/x.png)",
    "![x](//host/x.png)",
    "![x](\\\\host\\x.png)",
    "![x](/\\host/x.png)",
    "![x](<\\\\host/x.png>)",
    "![x](HtTp://host/x.png)",
    "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "![x](data:text/html,<script>alert(1)</script>)",
    "![ref][r]\n\n[r]: HTTP://host/x.png",
    "[link][r]\n\n[r]: //host/page",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](&#104;ttp://host/)",
    "[x](&#x48;TTPS://host/)",
    "[x](<\u0001 http://host/>)",
    "[x](<\u200bhttps://host/>)",
    "[x](\uff48\uff54\uff54\uff50\uff1a//host/)",
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg== "t")',
    '[x](https://host "HTTP://host")',
    "[x](ftp://host/file)",
    "[x](file:///etc/passwd)",
    "[x](/etc/passwd)",
    "<http://host/x>",
    "<HTTPS://host/x>",
    "<javascript:alert(1)>",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '<a href="HTTPS://host">x</a>',
    '<svg><image href="http://host/x.png"/></svg>',
    '<img srcset="a.png 1x, http://host/b.png 2x">',
    '<p style="background:url(HTTP://host/x.png)">x</p>',
    "<style>@import 'http://host/x.css';</style>",
    '<iframe srcdoc="<img src=//host/x>"></iframe>',
    "<!-- <img src=http://host/x> -->",
    "`<img src=http://host/x>`",
    "```\n<script>alert(1)</script>\n```",
    "* [a](http://host)\n* ![b](//host/b.png)\n\n> ![c](HTTP:host/c.png)",
    "# Heading ![x](http://host/x.png)",
    "[![x](http://host/x.png)](http://host/)",
    "[x](#DA.3 'title\" onmouseover=\"alert(1)')",
    '[x](appendix.html" onmouseover="alert(1))',
]

#: hostile fragments inside an otherwise clean page: each must be refused
_NESTED_SVG = _svg64('<image href="http://host/x.png"/>')
HOSTILE_PAGE = [
    '<img src="HTTP://host/x.png" alt="x">',
    '<img src="http:host/x.png" alt="x">',
    '<img src="//host/x.png" alt="x">',
    '<img src="\\\\host\\x.png" alt="x">',
    '<img src="/\\host/x.png" alt="x">',
    '<img src="&#104;ttp://host/x.png" alt="x">',
    '<img src="HtTp://host/x.png" alt="x">',
    '<img src="&#1;&#32; http://host/x.png" alt="x">',
    '<img src="ht&#9;tp://host/x.png" alt="x">',
    '<img src="\uff48\uff54\uff54\uff50://host/x.png" alt="x">',
    '<img src="data:text/html,<script>alert(1)</script>" alt="x">',
    '<img src="x.png" srcset="a.png 1x, HTTP://host/b.png 2x" alt="x">',
    '<img src="x.png" srcset="data:image/png;base64,AAAA 1x, //host/b.png 2x" alt="x">',
    '<picture><source srcset="//host/a.webp"><img src="a.png" alt="x"></picture>',
    '<a href="HTTPS://host">x</a>',
    '<a href="https://host">x</a>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" JaVaScRiPt:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    '<a href="ftp://host/f">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="&#x0A;jav&#x09;ascript:alert(1)">x</a>',
    '<a href="\u200bhttps://host/">x</a>',
    '<a href="#ok" ping="http://host/ping">x</a>',
    '<a href="http://host/" href="#ok">x</a>',
    '<link rel="stylesheet" href="//host/x.css">',
    '<link rel="preconnect" href="https://host">',
    '<link rel="icon" href="mailto:x@host">',
    '<base href="http://host/">',
    '<script src="HTTP://host/x.js"></script>',
    '<iframe src="about:blank"></iframe>',
    '<iframe srcdoc="&lt;img src=//host/x alt=x&gt;"></iframe>',
    '<object data="http://host/x.swf"></object>',
    '<embed src="//host/x.swf">',
    '<form action="http://host/"><button formaction="//host/b">go</button></form>',
    '<video poster="HTTP://host/p.png" src="v.mp4"></video>',
    '<audio src="x.ogg"><track src="http://host/t.vtt"></audio>',
    '<table background="http://host/b.png"><tr><td>1</td></tr></table>',
    '<blockquote cite="http://host/">x</blockquote>',
    '<meta http-equiv="refresh" content="0; url=http://host/">',
    '<meta http-equiv="Refresh" content="0;HTTP://host/">',
    '<p style="background: url(HTTP://host/x.png)">x</p>',
    "<p style=\"background: url('//host/x.png')\">x</p>",
    '<p style="background: u\\72l(\\68ttp://host/x.png)">x</p>',
    '<p style="background: url(ht/**/tp://host/x.png)">x</p>',
    "<p style=\"background-image: image-set('x.png' 1x, &quot;http://host/y.png&quot; 2x)\">x</p>",
    "<style>@import 'http://host/x.css';</style>",
    '<style>@import url("//host/x.css");</style>',
    "<style>.a { background: URL(HtTp://host/x.png) }</style>",
    '<style>@font-face { font-family: x; src: url("https://host/f.woff2"); }</style>',
    '<svg><image href="http://host/x.png"/></svg>',
    '<svg><image xlink:href="//host/x.png"/></svg>',
    '<svg><use href="HTTP://host/s.svg#a"/></svg>',
    '<svg><feImage href="http://host/x.png"/></svg>',
    '<svg><rect fill="url(http://host/p.svg#g)" width="1" height="1"/></svg>',
    '<svg><a href="#x"><animate attributeName="href" values="#x;javascript:alert(1)"/></a></svg>',
    '<svg><set attributeName="href" to="http://host/"/></svg>',
    '<svg><image href="data:image/png;base64,AAAA"/></svg>',
    '<div onclick="alert(1)">x</div>',
    '<img src="x.png" alt="x" onerror="alert(1)">',
    _svg_img('<image href="HTTP://host/x.png"/>'),
    _svg_img('<image xlink:href="//host/x.png"/>'),
    _svg_img("<style>@import url(http://host/x.css);</style>"),
    _svg_img('<rect style="fill:url(HTTP://host/a.svg#g)"/>'),
    _svg_img('<image href="' + _NESTED_SVG + '"/>'),
    '<img src="data:image/svg+xml,'
    + urllib.parse.quote(_svg('<image href="http://host/x.png"/>'))
    + '" alt="x">',
    '<img src="data:image/svg+xml;base64,'
    + base64.b64encode(
        (
            '<?xml-stylesheet href="http://host/x.css"?>' + _svg("<text>x</text>", doctype=False)
        ).encode()
    ).decode()
    + '" alt="x">',
    '<img src="data:image/svg+xml;base64,'
    + base64.b64encode(
        b'<!DOCTYPE svg [<!ENTITY u "http://host/x.png">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><image href="&u;"/></svg>'
    ).decode()
    + '" alt="x">',
    '<img src="data:image/svg+xml;base64,!!!not base64" alt="x">',
    "<img src=\"data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg'>"
    '<image href=\'//host/x.png\'/></svg>" alt="x">',
    '<img src="DATA:IMAGE/SVG+XML;BASE64,'
    + base64.b64encode(_svg('<image href="//host/x"/>').encode()).decode()
    + '" alt="x">',
]


def test_corpus_is_large_enough() -> None:
    assert len(HOSTILE_MARKDOWN) >= 25 and len(HOSTILE_PAGE) >= 25


# ---------------------------------------------------------------------------- markdown_html
@pytest.mark.parametrize("text", HOSTILE_MARKDOWN)
def test_hostile_markdown_renders_as_text(text: str) -> None:
    html = markdown_html(text)
    assert _rendered_problems(html) == [], html
    # the sanitised narrative inside a clean page passes the page check too
    assert check_report_html(_page(html), "page.html") == [], html


def test_images_become_their_alt_text() -> None:
    html = markdown_html("Before ![Crime *fell*](HTTP://host/x.png) after")
    assert html == "<p>Before Crime <em>fell</em> after</p>"


def test_raw_html_stays_visible_text() -> None:
    html = markdown_html('<img src=x onerror="alert(1)"> & <b>bold</b>')
    assert "<img" not in html and "<b>" not in html
    text = BeautifulSoup(html, "html.parser").get_text()
    assert text == '<img src=x onerror="alert(1)"> & <b>bold</b>'


def test_links_to_other_hosts_become_text() -> None:
    html = markdown_html("Read [the guidance](https://example.org/guide) or <HTTP://x.org>.")
    assert html == "<p>Read the guidance or HTTP://x.org.</p>"


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("[DA.3](#DA.3)", "#DA.3"),
        ("[the appendix](appendix.html)", "appendix.html"),
        ("[DA.3](appendix.html#DA.3)", "appendix.html#DA.3"),
        ("[the data](data/DA.4-1.csv)", "data/DA.4-1.csv"),
        ("[email us](mailto:help@example.org)", "mailto:help@example.org"),
        ("<help@example.org>", "mailto:help@example.org"),
        ("[call 0800 123 456](tel:0800123456)", "tel:0800123456"),
    ],
)
def test_local_links_mailto_and_tel_are_kept(text: str, href: str) -> None:
    soup = BeautifulSoup(markdown_html(text), "html.parser")
    assert [a["href"] for a in soup.find_all("a")] == [href]
    assert set(soup.find("a").attrs) == {"href"}  # no rel, no target, no handlers


def test_ordinary_narrative_is_unchanged() -> None:
    text = "Crime fell by **10%**; see *DA.3*.\n\n- one\n- two\n\n3. three\n4. four"
    assert markdown_html(text) == (
        "<p>Crime fell by <strong>10%</strong>; see <em>DA.3</em>.</p>\n"
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'
    )


def test_headings_stay_below_the_paragraph_heading() -> None:
    html = markdown_html("# Big\n\n## Bigger\n\n###### Small")
    assert html == "<h4>Big</h4>\n<h4>Bigger</h4>\n<h6>Small</h6>"


# ---------------------------------------------------------------------------- page check
def test_clean_page_passes() -> None:
    assert check_report_html(_page(), "page.html") == []


@pytest.mark.parametrize("fragment", HOSTILE_PAGE)
def test_hostile_reference_refuses_the_page(fragment: str) -> None:
    problems = check_report_html(_page(fragment), "page.html")
    assert problems, fragment
    assert all(p.startswith("page.html: ") and "\n" not in p for p in problems), problems


def test_problem_names_the_element_and_url() -> None:
    (problem,) = check_report_html(_page('<img src=" HTTP://host/x.png" alt="x">'), "p.html")
    assert (
        problem
        == "p.html: <img> src=' HTTP://host/x.png' has a http: URL (only relative links are allowed)"
    )
    (problem,) = check_report_html(_page('<a href="\\\\host/x">x</a>'), "p.html")
    assert problem == "p.html: <a> href='\\\\\\\\host/x' points to another host"


def test_inline_svg_problem_names_the_inner_element() -> None:
    page = _page(_svg_img('<image href="//host/x.png"/>'))
    (problem,) = check_report_html(page, "p.html")
    assert "<img> src='data:image/svg+xml;base64," in problem
    assert problem.endswith("(an SVG): <image> href='//host/x.png' points to another host")


# ---------------------------------------------------------------------------- property
_FRAGMENTS = st.sampled_from(
    [
        "![",
        "](",
        ")",
        "[",
        "]",
        "<",
        ">",
        '"',
        "'",
        "\\",
        "\n\n",
        "&#104;",
        "&#x3a;",
        "&colon;",
        "HTTP:",
        "http:",
        "HtTp://",
        "//host",
        "\\\\host",
        "javascript:",
        "data:text/html,",
        "\u0000",
        "\t",
        " ",
        "<img src=x onerror=alert(1)>",
        "<script>",
        "[r]: //host/x.png\n",
        "![x][r]",
        "<http://host>",
        "srcset=",
        "style=",
        "url(",
    ]
    + HOSTILE_MARKDOWN
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(max_size=20), _FRAGMENTS), max_size=12))
def test_markdown_never_emits_images_or_urls_that_leave(parts: list[str]) -> None:
    html = markdown_html("".join(parts))
    assert _rendered_problems(html) == [], ("".join(parts), html)
