"""Checks a page must pass before it is published (each returns a list of problems).

- :func:`check_report_html`: no reference that leaves the page (scheme or host, in any
  attribute, stylesheet or inline SVG image), no event handlers, real alt text, unique
  ids, one ``<h1>``, no code or error output;
- :func:`check_narrative_labels`: every label in the analysts' narrative file exists;
- :func:`check_public_disclosure`: no count in a public table below its threshold, and
  (:func:`check_public_page_disclosure`) no hidden count recoverable by combining the
  page's tables.
"""

from __future__ import annotations

import base64
import re
import unicodedata
import urllib.parse
from typing import Any

__all__ = [
    "PLACEHOLDER_ALT",
    "check_report_html",
    "check_narrative_labels",
    "check_public_disclosure",
    "check_public_page_disclosure",
]

PLACEHOLDER_ALT = "No description has been provided for this image"


def check_report_html(html: str, name: str) -> list[str]:
    """Problems that must stop a report being published (empty list when fine).

    Checks: nothing in the page makes the browser contact another host (see
    :func:`_network_problems`), no inline event handlers, every image has real alt text
    (not nbconvert's placeholder), ids are unique, exactly one ``<h1>``, no code or error
    output. Each problem is one line.
    """
    from bs4 import BeautifulSoup

    repeated: list[str] = []
    soup = BeautifulSoup(
        html, "html.parser", on_duplicate_attribute=_first_value_recording(repeated)
    )
    problems = [f"{name}: an element repeats its {a!r} attribute" for a in sorted(set(repeated))]
    problems += _network_problems(soup, name, depth=0)
    for tag in soup.find_all(True):
        handlers = sorted(a for a in tag.attrs if a.lower().startswith("on"))
        if handlers:
            problems.append(f"{name}: <{tag.name}> has event handler attribute(s) {handlers[:3]}")
    for img in soup.find_all("img"):
        alt = (img.get("alt") or "").strip()
        if not alt or alt == PLACEHOLDER_ALT:
            problems.append(f"{name}: an image has no alt text (use smp_analysis.present.show)")
    ids = [t["id"] for t in soup.find_all(id=True)]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        problems.append(f"{name}: repeated element ids {dup[:5]}")
    if len(soup.find_all("h1")) != 1:
        problems.append(f"{name}: expected exactly one <h1>, found {len(soup.find_all('h1'))}")
    if soup.select(".input_area, .output_error, .output_stderr"):
        problems.append(f"{name}: code, errors or stderr leaked into the page")
    return problems


# ---------------------------------------------------------------------------- network refs
# A published page is opened from a file share or an intranet: it must not make the
# browser contact any host, nor carry a link with a scheme (``javascript:``, ``http:``...).
# Every URL-bearing place is checked, whatever its case, after dropping whitespace and
# control characters (which browsers ignore or strip) and reading ``\`` as ``/`` (as
# browsers do, ``\\host`` is ``//host``). Allowed: relative URLs (``data/DA.4-1.csv``,
# ``#DA.3``), ``mailto:``/``tel:`` on links, ``data:image/...`` on ``<img src>`` (an
# inline SVG is decoded and checked the same way, as an SVG can reference other files).

#: attributes holding one URL, on any element (HTML or SVG); names ending in ``href`` or
#: ``src`` count too (``xlink:href``)
_URL_ATTRIBUTES = frozenset(
    {"action", "formaction", "poster", "background", "cite", "longdesc", "data", "codebase"}
    | {"classid", "manifest", "lowsrc", "dynsrc", "profile", "usemap", "icon"}
)
#: attributes holding space-separated URLs
_URL_LIST_ATTRIBUTES = frozenset({"ping", "archive"})
#: SVG animation elements (they can set an ``href`` to any value)
_SVG_ANIMATION = frozenset({"animate", "set", "animatemotion", "animatetransform"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
#: whitespace and control characters, dropped before a URL is classified
_IGNORED = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\r\n\f]?|(.))", re.DOTALL)
_CSS_URL = re.compile(r"""(?:url|src)\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*))""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_CSS_IMAGE_SET = re.compile(r"image-set\(", re.IGNORECASE)
_CSS_STRING = re.compile(r""""([^"]*)"|'([^']*)'""")
_MAX_DEPTH = 3


def _first_value_recording(repeated: list[str]) -> Any:
    """``on_duplicate_attribute`` handler: keep the first value (as browsers do), note it."""

    def handle(attrs: dict[str, Any], key: str, value: Any) -> None:
        repeated.append(key)

    return handle


def _url_scheme(value: str) -> str | None:
    """``"//"`` for a URL with a host, its lower-case scheme, or ``None`` when relative.

    Examples
    --------
    >>> [_url_scheme(u) for u in ("HTTP://x", " \\x01ht\\ttp:x", "\\\\\\\\x", "/\\\\x", "data/a.csv")]
    ['http', 'http', '//', '//', None]
    """
    head = _IGNORED.sub("", value)
    head = unicodedata.normalize("NFKC", head[:256]).replace("\\", "/")
    head = _IGNORED.sub("", head)
    if head.startswith("//"):
        return "//"
    m = _SCHEME.match(head)
    return m.group(1).lower() if m else None


def _short(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")


def _css_unescape(css: str) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(1) is None:
            return "" if m.group(2) in "\r\n\f" else m.group(2)
        code = int(m.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return _CSS_ESCAPE.sub(one, _CSS_COMMENT.sub("", css))


def _css_urls(css: str) -> list[str]:
    """URLs a piece of CSS loads: ``url()``/``src()``, ``@import``, ``image-set()`` strings."""
    if not re.search(r"url|src|@import|image-set|\\", css, re.IGNORECASE):
        return []
    css = _css_unescape(css)
    found = [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(css)]
    found += [next(g for g in m.groups() if g is not None) for m in _CSS_IMPORT.finditer(css)]
    for m in _CSS_IMAGE_SET.finditer(css):
        depth, end = 1, m.end()
        while end < len(css) and depth:
            depth += {"(": 1, ")": -1}.get(css[end], 0)
            end += 1
        found += [a if a is not None else b for a, b in _CSS_STRING.findall(css[m.end() : end])]
    return [u.strip() for u in found]


def _srcset_urls(value: str) -> list[str]:
    """The URL of each candidate in a ``srcset`` (URLs may hold commas, as ``data:`` do)."""
    urls, i, n = [], 0, len(value)
    while i < n:
        while i < n and (value[i].isspace() or value[i] == ","):
            i += 1
        j = i
        while j < n and not value[j].isspace():
            j += 1
        url, i = value[i:j], j
        if url.endswith(","):
            url = url.rstrip(",")
        else:  # skip the descriptors, up to a comma outside parentheses
            depth = 0
            while i < n and not (value[i] == "," and depth == 0):
                depth = max(0, depth + {"(": 1, ")": -1}.get(value[i], 0))
                i += 1
        if url:
            urls.append(url)
    return urls


def _refresh_url(content: str) -> str:
    """The URL of ``<meta http-equiv="refresh" content="5; url=...">`` (may be empty)."""
    rest = re.split(r"[;,]", content, maxsplit=1)[1] if re.search(r"[;,]", content) else ""
    rest = re.sub(r"^\s*url\s*=\s*", "", rest, flags=re.IGNORECASE)
    return rest.strip().strip("'\"")


def _tag_urls(tag: Any) -> list[tuple[str, str, str]]:
    """Every (attribute, URL, kind) in one element: kind ``"url"`` or ``"css"``."""
    out: list[tuple[str, str, str]] = []
    for attr, raw in tag.attrs.items():
        value = " ".join(raw) if isinstance(raw, list) else str(raw)
        a = attr.lower()
        if a.endswith("srcset"):
            out += [(attr, u, "url") for u in _srcset_urls(value)]
        elif a.endswith(("href", "src")) or a in _URL_ATTRIBUTES:
            out.append((attr, value, "url"))
        elif a in _URL_LIST_ATTRIBUTES:
            out += [(attr, u, "url") for u in value.split()]
        elif a in ("values", "from", "to", "by") and tag.name in _SVG_ANIMATION:
            out += [(attr, u, "url") for u in value.split(";") if u.strip()]
        elif a == "content" and str(tag.get("http-equiv", "")).strip().lower() == "refresh":
            out.append((attr, _refresh_url(value), "url"))
        out += [(attr, u, "css") for u in _css_urls(value)]
    return out


def _data_problem(value: str, where: str, depth: int) -> list[str]:
    """An image ``data:`` URL: refused unless an image; an SVG is decoded and checked."""
    head, comma, payload = value.partition(",")
    head = _IGNORED.sub("", head).lower()
    if not comma or not head.startswith("data:"):
        return [f"{where} is a data: URL that cannot be read"]
    mediatype = head[len("data:") :]
    if not mediatype.startswith("image/"):
        return [f"{where} is a data: URL of {mediatype.split(';')[0] or 'text'}, not an image"]
    if not mediatype.startswith("image/svg"):
        return []
    if depth >= _MAX_DEPTH:
        return [f"{where} nests SVG images too deeply to check"]
    try:
        if mediatype.endswith(";base64"):
            svg = base64.b64decode(_IGNORED.sub("", payload)).decode("utf-8")
        else:
            svg = urllib.parse.unquote(payload, errors="strict")
    except (ValueError, UnicodeDecodeError):
        return [f"{where} is an SVG that cannot be decoded"]
    return _svg_problems(svg, where, depth + 1)


def _svg_problems(svg: str, where: str, depth: int) -> list[str]:
    """Network references inside an SVG document shown as an image."""
    import warnings

    from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

    problems: list[str] = []
    if re.search(r"<!ENTITY", svg, re.IGNORECASE):
        problems.append(f"{where} is an SVG declaring XML entities")
    for m in re.finditer(r"<\?xml-stylesheet[^>]*?href\s*=\s*[\"']([^\"']*)", svg, re.I):
        if _url_scheme(m.group(1)) is not None:
            problems.append(f"{where} is an SVG whose stylesheet {_short(m.group(1))} leaves it")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(svg, "html.parser")
    return problems + _network_problems(soup, f"{where} (an SVG)", depth=depth, in_svg=True)


def _network_problems(soup: Any, name: str, depth: int, in_svg: bool = False) -> list[str]:
    """References in a parsed page (or SVG image) that point outside it; one line each."""
    problems: list[str] = []
    for style in soup.find_all("style"):
        for url in _css_urls(style.get_text()):
            if _url_scheme(url) is not None:
                problems.append(f"{name}: a stylesheet loads {_short(url)} (scheme or host)")
    for tag in soup.find_all(True):
        for attr, url, kind in _tag_urls(tag):
            scheme = _url_scheme(url)
            if scheme is None:
                continue
            where = f"{name}: <{tag.name}> {attr}={_short(url)}"
            if kind == "url" and scheme in ("mailto", "tel") and attr == "href":
                if tag.name not in ("a", "area"):
                    problems.append(f"{where}: {scheme}: is only for links")
            elif kind == "url" and scheme == "data" and _data_allowed(tag, attr, in_svg):
                problems += _data_problem(url, where, depth)
            elif scheme == "//":
                problems.append(f"{where} points to another host")
            else:
                problems.append(f"{where} has a {scheme}: URL (only relative links are allowed)")
        if tag.name == "iframe" and tag.get("srcdoc"):
            if depth >= _MAX_DEPTH:
                problems.append(f"{name}: <iframe> srcdoc nests too deeply to check")
            else:
                from bs4 import BeautifulSoup

                inner = BeautifulSoup(str(tag["srcdoc"]), "html.parser")
                problems += _network_problems(inner, f"{name}: <iframe> srcdoc", depth + 1)
    return problems


def _data_allowed(tag: Any, attr: str, in_svg: bool) -> bool:
    """``data:`` images: on ``<img src>``, and on an ``<image>`` inside an SVG image
    (matplotlib embeds raster images so)."""
    if tag.name == "img" and attr.lower() == "src":
        return True
    return in_svg and tag.name in ("image", "feimage") and attr.lower().endswith("href")


# ---------------------------------------------------------------------------- final checks
def check_narrative_labels(inputs: Any, appendix_html: str) -> list[str]:
    """Every label in the analysts' narrative file must exist in the appendix."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(appendix_html, "html.parser")
    ids = {s.get("id") for s in soup.select("section.para")}
    missing = sorted(set(inputs.overrides) - ids)
    if not missing:
        return []
    where = inputs.config.narrative
    return [
        f"{where}: narrative for paragraph(s) {missing} but the report has no such label "
        "(check the label against the appendix)"
    ]


def check_public_disclosure(public_html: str) -> list[str]:
    """No published count in a public table may be below its disclosure threshold.

    Tables built by the disclosure-control code carry ``data-sdc-threshold``; every
    numeric cell must be ``[c]``, 0 or at least that threshold. Tables in the public page
    without the attribute are refused (every public table must go through disclosure
    control). The page-level audit (:func:`check_public_page_disclosure`) runs as well.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(public_html, "html.parser")
    problems: list[str] = []
    for table in soup.select("main table"):
        caption = table.caption.get_text(" ", strip=True) if table.caption else "(no caption)"
        threshold = table.get("data-sdc-threshold")
        if threshold is None:
            problems.append(f"public.html: table '{caption}' did not go through disclosure control")
            continue
        limit = int(threshold)
        for cell in table.select("td.num"):
            text = cell.get_text(strip=True).replace(",", "")
            if text in ("[c]", "[x]", ""):
                continue
            if re.fullmatch(r"\d+", text) and 0 < int(text) < limit:
                problems.append(
                    f"public.html: table '{caption}' shows {text}, below the disclosure "
                    f"threshold {limit}"
                )
    return problems + check_public_page_disclosure(public_html)


def check_public_page_disclosure(public_html: str) -> list[str]:
    """No hidden count of the public page may be recovered by combining its tables.

    Reads every table carrying ``data-sdc-table`` (the public section writes it, with
    ``data-sdc-columns``, ``data-sdc-total-row``, ``data-sdc-thresholds`` per cell and
    ``data-sdc-relations``, the links between cells of different tables) exactly as
    published, and runs the page audit of
    :func:`smp_analysis.stats.disclosure.audit_page`: over whole numbers, with every
    table's totals and every link, no ``[c]`` cell may be known to be below its threshold
    or be recovered exactly. One line per problem (empty when the page is safe).
    """
    import json

    from bs4 import BeautifulSoup

    from ..stats.disclosure import PageTable, Relation, audit_page

    soup = BeautifulSoup(public_html, "html.parser")
    tables, relations, problems = [], [], []
    for table in soup.select("main table[data-sdc-table]"):
        name = str(table["data-sdc-table"])
        try:
            columns = [str(c) for c in json.loads(table.get("data-sdc-columns", "[]"))]
            thresholds = json.loads(table.get("data-sdc-thresholds", "[]"))
            rows, values = [], []
            for tr in table.select("tbody tr"):
                head = tr.find("th")
                cells = [td.get_text(strip=True) for td in tr.find_all("td")]
                if head is None or len(cells) != len(columns):
                    raise ValueError("a row does not match data-sdc-columns")
                rows.append(head.get_text(strip=True))
                values.append(cells)
            if len(thresholds) != len(rows):
                raise ValueError("data-sdc-thresholds does not match the rows")
            frame = _table_frame(values, rows, columns)
            thr = _table_frame(thresholds, rows, columns)
            total = table.get("data-sdc-total-row")
            tables.append(PageTable(name, frame, thr, total_row=total or None))
            for rel in json.loads(table.get("data-sdc-relations", "[]")):
                relations.append(Relation.from_json(rel))
        except (ValueError, KeyError, TypeError) as err:
            problems.append(f"public.html: table {name!r} cannot be audited: {err}")
    if not tables or problems:
        return problems
    try:
        audit = audit_page(tables, relations)
    except ValueError as err:
        return [f"public.html: the page's tables cannot be audited together: {err}"]
    return [f"public.html: {p}" for p in audit.problems]


def _table_frame(values: list[list[Any]], rows: list[str], columns: list[str]) -> Any:
    """A DataFrame of ``values`` (rows × columns)."""
    import pandas as pd

    return pd.DataFrame(values, index=rows, columns=columns, dtype=object)
