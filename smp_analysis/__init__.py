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

__all__ = ["__version__", "open_assessment"]


def __getattr__(name: str):
    # lazy: `import smp_analysis` stays light for the command line
    if name == "open_assessment":
        from .results.open import open_assessment

        return open_assessment
    raise AttributeError(f"module 'smp_analysis' has no attribute {name!r}")
