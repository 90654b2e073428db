"""Words, glyphs and colours of the Making Data Count icons beside an XmR chart.

The categories are computed by :func:`smp_analysis.stats.mdc.mdc_icons`; this module only
says them. MDC draws the variation icon blue (improvement), orange (concern), purple
(neither direction better) or grey (common cause), with "H" or "L" for an unusually high
or low latest point, and the assurance icon blue "P" (the target is met consistently),
orange "F" (missed consistently) or grey (hit and miss). Here the colours are the house
colours the chart already uses for special-cause markers, all at least 3:1 on white, and
every icon has its meaning in words beside it and in the alt text.

Examples
--------
>>> from smp_analysis.stats.spc import xmr
>>> from smp_analysis.stats.mdc import mdc_icons
>>> icons = mdc_icons(xmr([20, 22, 21, 19, 20, 21, 22, 20, 35]), "down", target=24)
>>> [spec[1] for spec in icon_specs(icons, "{:g}".format)]
['H', '?']
>>> icons_alt(icons, "{:g}".format)  # doctest: +NORMALIZE_WHITESPACE
'Making Data Count icons: variation — special-cause variation of concern, unusually
high in the latest month (35); assurance — the target of 24 lies within the process
limits, so it will be met in some months and missed in others.'
"""

from __future__ import annotations

from collections.abc import Callable

from ...stats.mdc import MdcIcons
from ..style import CATEGORICAL, REFERENCE

_COLOURS = {
    "improvement": CATEGORICAL[1],
    "concern": CATEGORICAL[3],
    "neutral": CATEGORICAL[2],
    "common": REFERENCE,
}


def _variation(icons: MdcIcons) -> tuple[str, str, str, str]:
    """(kind, glyph, short words, long words) of the variation icon."""
    if icons.variation == "common_cause":
        return (
            "common",
            "~",
            "Common-cause variation: no unusual change",
            "common-cause variation, nothing unusual in the latest month",
        )
    kind, side = icons.variation.split("_")
    what = {
        "improvement": "improvement",
        "concern": "concern",
        "neutral": "neither better nor worse",
    }
    short = (
        f"Special cause: {what[kind]}, unusually {side}"
        if kind != "neutral"
        else (f"Special cause: unusually {side}")
    )
    long = (
        f"special-cause variation of {what[kind]}, unusually {side} in the latest month"
        if kind != "neutral"
        else f"special-cause variation, unusually {side} in the latest month"
    )
    return kind, side[0].upper(), short, long


def _assurance(icons: MdcIcons, fmt: Callable[[float], str]) -> tuple[str, str, str, str] | None:
    if icons.assurance is None or icons.target is None:
        return None
    t = fmt(icons.target)
    return {
        "consistent_pass": (
            "improvement",
            "P",
            f"Target {t}: met consistently",
            f"the target of {t} lies outside the process limits on the passing side, so it "
            "will be met consistently",
        ),
        "consistent_fail": (
            "concern",
            "F",
            f"Target {t}: missed consistently",
            f"the target of {t} lies outside the process limits on the failing side, so it "
            "will not be met without a change to the process",
        ),
        "inconsistent": (
            "common",
            "?",
            f"Target {t}: met in some months only",
            f"the target of {t} lies within the process limits, so it will be met in some "
            "months and missed in others",
        ),
    }[icons.assurance]


def icon_specs(icons: MdcIcons, fmt: Callable[[float], str]) -> list[tuple[str, str, str, str]]:
    """``(gid, glyph, colour, words)`` of each icon to draw, variation first."""
    kind, glyph, short, _ = _variation(icons)
    out = [("mdc-variation", glyph, _COLOURS[kind], short)]
    a = _assurance(icons, fmt)
    if a is not None:
        out.append(("mdc-assurance", a[1], _COLOURS[a[0]], a[2]))
    return out


def icons_alt(icons: MdcIcons, fmt: Callable[[float], str]) -> str:
    """The icons in one sentence, for the chart's alt text."""
    _, _, _, long = _variation(icons)
    text = f"Making Data Count icons: variation — {long} ({fmt(icons.value)})"
    a = _assurance(icons, fmt)
    if a is not None:
        text += f"; assurance — {a[3]}"
    return text + "."
