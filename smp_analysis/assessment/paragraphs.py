"""Analysts' narrative overrides (moved to :mod:`smp_analysis.sources.narrative`, where the
readers live; kept here so existing imports work).

Examples
--------
>>> from smp_analysis.assessment.paragraphs import load_overrides
>>> load_overrides(None)
{}
"""

from ..sources.narrative import NarrativeOverride, load_overrides

__all__ = ["NarrativeOverride", "load_overrides"]
