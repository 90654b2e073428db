"""Checks a page must pass before it is published (each returns a list of problems).

- :func:`check_report_html`: no network references, real alt text, unique ids, one
  ``<h1>``, no code or error output;
- :func:`check_narrative_labels`: every label in the analysts' narrative file exists;
- :func:`check_public_disclosure`: no count in a public table below its threshold.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "PLACEHOLDER_ALT",
    "check_report_html",
    "check_narrative_labels",
    "check_public_disclosure",
]

PLACEHOLDER_ALT = "No description has been provided for this image"


def check_report_html(html: str, name: str) -> list[str]:
    """Problems that must stop a report being published (empty list when fine).

    Checks: no external (network) references in ``src``/``href``/CSS ``url()``, every
    image has real alt text (not nbconvert's placeholder), ids are unique, exactly one
    ``<h1>``, no code or error output.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    problems: list[str] = []
    for tag in soup.find_all(src=True):
        if re.match(r"^(https?:)?//", tag["src"]):
            problems.append(f"{name}: <{tag.name}> loads {tag['src']} from the network")
    for tag in soup.find_all(["link", "script"]):
        href = tag.get("href") or ""
        if re.match(r"^(https?:)?//", href):
            problems.append(f"{name}: <{tag.name}> loads {href} from the network")
    for style in soup.find_all("style"):
        if re.search(r"url\(\s*['\"]?(https?:)?//", style.get_text()):
            problems.append(f"{name}: a stylesheet loads a URL from the network")
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
    control).
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
    return problems
