"""smp_analysis: reproducible Strategic Assessments for Community Safety Partnerships.

The package is the single source of truth: readers in :mod:`smp_analysis.sources`,
the monthly cube in :mod:`smp_analysis.cube`, statistics in :mod:`smp_analysis.stats`,
judgements in :mod:`smp_analysis.assessment`, rendering in :mod:`smp_analysis.present`
and the papermill/nbconvert build in :mod:`smp_analysis.pipeline`.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("smp-analysis")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
