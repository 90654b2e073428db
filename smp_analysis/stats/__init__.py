"""Statistics for crime analysis: pure functions, tidy frames in and out.

Public names are re-exported here as each module lands; import from the module
(``smp_analysis.stats.change``) when you need something not listed.
"""

__all__: list[str] = []
