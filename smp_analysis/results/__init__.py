"""Results: the typed numbers behind every labelled paragraph.

See :mod:`smp_analysis.results.result` for :class:`Result` and
:mod:`smp_analysis.results.assessment` for :func:`open_assessment`, the analysts' way in.
"""

from .result import COVERAGE_COLUMNS, Result, ResultTable, coverage_frame, empty_coverage

__all__ = ["Result", "ResultTable", "coverage_frame", "empty_coverage", "COVERAGE_COLUMNS"]
