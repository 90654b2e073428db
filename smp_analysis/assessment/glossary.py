"""The glossary: plain-English meanings of the terms the appendix uses, and the links to them.

Each :class:`Term` has a stable anchor (``glossary-rate-ratio``) and the surface forms that
count as a use of it in the narrative ("rate ratio", "rate ratios"). The Data and methods
section shows the glossary (DM.6) as a definition list with one ``id`` per term
(:func:`glossary_html`); every section links the **first use of each term in the
section** to its definition (:func:`link_first_uses`).

Linking works on the paragraph's rendered, sanitised narrative HTML with an HTML parser,
never with a regular expression over markup: only text nodes are searched, and never text
inside a link, code, a heading, a table or an analyst's note, so tags and attributes cannot
be broken.

Examples
--------
>>> html, seen = link_first_uses(
...     '<div class="para-narrative"><h3>Rate ratio</h3>'
...     "<p>A rate ratio of 0.92 (95% CI 0.89 to 0.95); another rate ratio.</p></div>")
>>> html
'<div class="para-narrative"><h3>Rate ratio</h3><p>A <a class="glossary-term" href="#glossary-rate-ratio">rate ratio</a> of 0.92 (<a class="glossary-term" href="#glossary-confidence-interval">95% CI</a> 0.89 to 0.95); another rate ratio.</p></div>'
>>> sorted(seen)
['confidence-interval', 'rate-ratio']
>>> link_first_uses('<div class="para-narrative"><p>rate ratio</p></div>', seen)[0]
'<div class="para-narrative"><p>rate ratio</p></div>'
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .section import Section

__all__ = [
    "Term",
    "TERMS",
    "anchor",
    "glossary_html",
    "link_first_uses",
    "link_in_section",
    "terms_used",
]


@dataclass(frozen=True)
class Term:
    """One glossary entry: ``slug`` makes the anchor, ``forms`` are the words that link to
    it (matched case-insensitively as whole words), ``definition`` is plain English."""

    slug: str
    term: str
    forms: tuple[str, ...]
    definition: str


#: The glossary, in alphabetical order of ``term``.
TERMS: tuple[Term, ...] = (
    Term(
        "anti-social-behaviour",
        "Anti-social behaviour (ASB)",
        ("anti-social behaviour",),
        "Behaviour that causes or is likely to cause harassment, alarm or distress, recorded by "
        "the police as incidents. Incidents are not crimes, so they are never added to crime "
        "totals.",
    ),
    Term(
        "common-cause-variation",
        "Common-cause variation",
        ("common-cause variation",),
        "The ordinary month-to-month ups and downs of a steady process: nothing unusual has "
        "happened. Compare special-cause variation.",
    ),
    Term(
        "confidence-interval",
        "Confidence interval (95% CI)",
        ("95% confidence interval", "confidence interval", "confidence intervals", "95% CI"),
        "The range of values the true figure probably lies in, given the play of chance. A 95% "
        "confidence interval would contain the true value in 95 out of 100 repeats.",
    ),
    Term(
        "deprivation-decile",
        "Deprivation decile (IMD)",
        ("deprivation decile", "deprivation deciles", "IMD 2019", "decile"),
        "The English Indices of Deprivation (IMD) 2019 rank every neighbourhood in England from "
        "most to least deprived. Decile 1 is the most deprived tenth of neighbourhoods, decile "
        "10 the least deprived.",
    ),
    Term(
        "disclosure-control",
        "Disclosure control ([c])",
        ("disclosure threshold", "disclosure control", "[c]"),
        "Small counts in public tables are hidden and shown as [c] (the government statistical "
        "symbol for confidential), with other cells hidden too where needed, so no person can "
        "be identified and no hidden count can be worked out from totals.",
    ),
    Term(
        "false-discovery-rate",
        "False discovery rate (q-value)",
        ("false discovery rate", "q-value", "q-values", "Benjamini–Hochberg"),
        "When many things are tested at once, some look unusual by chance alone. Controlling "
        "the false discovery rate keeps the share of such false alarms among the flagged "
        "results at about 5%. The q-value is a p-value adjusted in this way.",
    ),
    Term(
        "financial-year",
        "Financial year",
        ("financial year", "financial years"),
        "April to the following March, written 2024/25. The reporting year is compared with "
        "the financial year before.",
    ),
    Term(
        "gini-coefficient",
        "Gini coefficient",
        ("Gini coefficient", "generalised Gini", "Gini"),
        "A measure of how concentrated crime is between places, from 0 (spread evenly across "
        "neighbourhoods) to 1 (all in one neighbourhood).",
    ),
    Term(
        "interrupted-time-series",
        "Interrupted time series",
        ("interrupted time series",),
        "A way to judge an intervention: the months before it show the usual trend and "
        "seasonal pattern, and the months after are compared with what that pattern predicts.",
    ),
    Term(
        "location-quotient",
        "Location quotient",
        ("location quotient", "location quotients"),
        "How over- or under-represented a crime type is in a place compared with the whole "
        "district: above 1 means a larger share than the district's, below 1 a smaller share.",
    ),
    Term(
        "lsoa",
        "LSOA (neighbourhood)",
        ("LSOAs", "LSOA"),
        "Lower Layer Super Output Area: a small census area of about 1,500 residents (400 to "
        "1,200 households). This report calls them neighbourhoods.",
    ),
    Term(
        "marac",
        "MARAC",
        ("Multi-Agency Risk Assessment Conferences", "MARAC"),
        "Multi-Agency Risk Assessment Conference: a regular meeting where police, health, "
        "housing, children's services and domestic-abuse advisers share information and plan "
        "how to keep victims at high risk of serious harm safe.",
    ),
    Term(
        "nrm",
        "National Referral Mechanism (NRM)",
        ("National Referral Mechanism", "NRM"),
        "The UK framework for identifying and supporting potential victims of modern slavery; "
        "a referral is a report of a potential victim.",
    ),
    Term(
        "no-significant-change",
        "No significant change",
        ("no significant change", "no statistically significant change"),
        "The figure went up or down, but by no more than chance alone would often give, so the "
        "report does not treat it as a real change.",
    ),
    Term(
        "not-available",
        "Not available ([x])",
        ("[x]",),
        "The government statistical symbol for a figure that is not available, for example "
        "because a month has no data. Missing is never counted as zero.",
    ),
    Term(
        "odds-ratio",
        "Odds ratio",
        ("odds ratio", "odds ratios"),
        "Compares the odds of something in two groups or years: 1 means no difference, below 1 "
        "a smaller share, above 1 a larger share.",
    ),
    Term(
        "p-value",
        "p-value",
        ("p-value", "p-values"),
        "How often chance alone would give a difference at least as large as the one seen. "
        "Below 0.05 (5%) the report calls the difference statistically significant.",
    ),
    Term(
        "percentage-point",
        "Percentage point",
        ("percentage points", "percentage point"),
        "The difference between two percentages: a rise from 30% to 35% is 5 percentage "
        "points (a 17% rise).",
    ),
    Term(
        "rate-per-1000",
        "Rate per 1,000 residents",
        ("per 1,000 residents", "rate per 1,000", "per 100,000"),
        "A count divided by the number of residents and multiplied by 1,000 (or 100,000), so "
        "places and groups of different size can be compared.",
    ),
    Term(
        "rate-ratio",
        "Rate ratio",
        ("rate ratio", "rate ratios"),
        "One rate divided by another. 1 means no difference; 0.92 means 8% lower; 1.45 means "
        "45% higher. Between years it compares crimes per month of data.",
    ),
    Term(
        "repeat-victimisation",
        "Repeat victimisation (MARAC repeat rate)",
        ("repeat victims", "repeat cases", "repeat rate", "repeat victimisation"),
        "A victim harmed again after an earlier report. A MARAC repeat case is a victim heard "
        "again within 12 months of a previous MARAC. SafeLives expects 28–40% of MARAC cases to "
        "be repeats; a much lower rate can mean repeats are being missed.",
    ),
    Term(
        "seasonal-trend-test",
        "Seasonal trend test (Mann–Kendall)",
        ("seasonal Mann–Kendall test", "Mann–Kendall", "Sen's slope"),
        "A test of whether a monthly series is rising or falling over several years once the "
        "usual seasonal pattern is allowed for; Sen's slope gives the size of the change.",
    ),
    Term(
        "special-cause-variation",
        "Special-cause variation",
        ("special-cause variation",),
        "A month (or run of months) unusual enough on a control chart that something has "
        "probably changed, for better or worse, and is worth looking into.",
    ),
    Term(
        "statistically-significant",
        "Statistically significant",
        ("statistically significant", "statistical significance"),
        "A difference larger than chance alone would often give (p-value below 0.05). It says "
        "a change is probably real, not why it happened or whether it matters.",
    ),
    Term(
        "weighted-displacement-difference",
        "Weighted displacement difference",
        ("weighted displacement difference",),
        "A way to judge whether crime fell in a target area more than in a comparison area, and "
        "whether it simply moved (was displaced) to the surrounding streets.",
    ),
    Term(
        "xmr-chart",
        "XmR chart (statistical process control)",
        ("XmR limits", "XmR chart", "XmR charts", "XmR", "control limits", "SPC"),
        "A statistical process control (SPC) chart of monthly counts with upper and lower "
        "limits (the mean ± 2.66 × the average month-to-month change). Months inside the "
        "limits show common-cause variation; points outside them, or unusual runs, show "
        "special-cause variation.",
    ),
)


def anchor(slug: str) -> str:
    """The ``id`` of a glossary entry.

    Examples
    --------
    >>> anchor("rate-ratio")
    'glossary-rate-ratio'
    """
    return f"glossary-{slug}"


def glossary_html(terms: Iterable[Term] = TERMS) -> str:
    """The glossary as an HTML definition list, one ``id`` per term (text escaped).

    Examples
    --------
    >>> glossary_html([Term("lsoa", "LSOA", ("LSOA",), "A small area <about 1,500>.")])
    '<dl class="glossary"><dt id="glossary-lsoa">LSOA</dt><dd>A small area &lt;about 1,500&gt;.</dd></dl>'
    """
    esc = _html.escape
    items = "".join(
        f'<dt id="{esc(anchor(t.slug))}">{esc(t.term)}</dt><dd>{esc(t.definition)}</dd>'
        for t in terms
    )
    return f'<dl class="glossary">{items}</dl>'


@cache
def _matcher(terms: tuple[Term, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    slug_of = {f.casefold(): t.slug for t in terms for f in t.forms}
    forms = sorted(slug_of, key=len, reverse=True)  # longest first: "95% CI" before "CI"
    pattern = re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])",
        re.IGNORECASE,
    )
    return pattern, slug_of


#: elements whose text is never linked
_NO_LINK = frozenset({"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "table", "figure"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "col", "source"})


class _Linker(HTMLParser):
    """Re-emits sanitised HTML unchanged except for the first use of each term in text
    nodes inside ``scope`` (an element with that class), outside :data:`_NO_LINK` and
    outside an analyst's note."""

    def __init__(self, seen: set[str], terms: tuple[Term, ...], scope: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        #: open elements: (tag, blocks linking, opens the scope)
        self.stack: list[tuple[str, bool, bool]] = []
        self.seen = seen
        self.pattern, self.slug_of = _matcher(terms)
        self.scope = scope
        self.in_scope = 0 if scope else 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")
        if tag in _VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        if self.scope and self.scope in classes:
            self.in_scope += 1
            self.stack.append((tag, False, True))
        else:
            self.stack.append((tag, tag in _NO_LINK or "analyst-note" in classes, False))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                self.in_scope -= sum(1 for _, _, scope in self.stack[i:] if scope)
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if not self.in_scope or any(blocks for _, blocks, _ in self.stack):
            self.out.append(_html.escape(data, quote=False))
            return
        pieces: list[str] = []
        pos = 0
        for m in self.pattern.finditer(data):
            slug = self.slug_of[m.group(0).casefold()]
            if slug in self.seen:
                continue
            self.seen.add(slug)
            pieces.append(_html.escape(data[pos : m.start()], quote=False))
            pieces.append(
                f'<a class="glossary-term" href="#{anchor(slug)}">'
                f"{_html.escape(m.group(0), quote=False)}</a>"
            )
            pos = m.end()
        pieces.append(_html.escape(data[pos:], quote=False))
        self.out.append("".join(pieces))

    def handle_entityref(self, name: str) -> None:  # pragma: no cover - convert_charrefs
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:  # pragma: no cover - convert_charrefs
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")


def link_first_uses(
    html: str,
    seen: Iterable[str] = (),
    *,
    terms: tuple[Term, ...] = TERMS,
    scope: str | None = "para-narrative",
) -> tuple[str, frozenset[str]]:
    """Link the first use of each glossary term not in ``seen`` to its definition.

    Parameters
    ----------
    html : str
        Sanitised HTML (a rendered paragraph).
    seen : iterable of str
        Slugs already linked earlier in the section.
    scope : str or None
        Only text inside an element with this class is linked (the narrative column);
        ``None`` links anywhere.

    Returns
    -------
    (str, frozenset of str)
        The HTML with links added, and the slugs linked so far (``seen`` plus new ones).
    """
    done = set(seen)
    parser = _Linker(done, terms, scope)
    parser.feed(html)
    parser.close()
    return "".join(parser.out), frozenset(done)


def terms_used(html: str, *, terms: tuple[Term, ...] = TERMS, scope: str | None = None) -> set[str]:
    """Slugs of the glossary terms used in ``html``'s linkable text.

    Examples
    --------
    >>> sorted(terms_used("<p>LSOA codes and a <code>rate ratio</code>.</p>"))
    ['lsoa']
    """
    return set(link_first_uses(html, terms=terms, scope=scope)[1])


def link_in_section(section: Section, label: str, html: str) -> str:
    """Link the glossary terms in paragraph ``label``'s rendered ``html`` that no earlier
    paragraph of ``section`` used (the first use in each section is linked).

    The terms earlier paragraphs used are found in the narrative they show (the analysts'
    replacement text where there is one); an analyst's added note is never linked.
    """
    from ..present.blocks import markdown_html

    seen: set[str] = set()
    for p in section.paragraphs:
        if p.label == label:
            break
        o = section.overrides.get(p.label)
        texts = (o.replace,) if o is not None and o.replace is not None else p.text
        seen |= terms_used("".join(markdown_html(t) for t in texts))
    return link_first_uses(html, seen)[0]
