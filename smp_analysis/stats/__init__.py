"""Statistics for crime analysis: pure functions, tidy frames in and out.

Every function here is checked against an independent source in ``tests/reference/``
(R outputs, published worked examples or hand calculations written beside the numbers).

Modules: :mod:`~.periods` (financial years, rolling 12 months, totals that keep missing
months missing), :mod:`~.change` (exact Poisson rate-ratio tests, FDR), :mod:`~.rates`
(rates per 1,000 with exact/Byar intervals), :mod:`~.trend` (Mann–Kendall, Sen, STL),
:mod:`~.spc` (XmR, Making Data Count rules), :mod:`~.exceedance` (emerging concerns),
:mod:`~.intervention` (interrupted time series, weighted displacement difference),
:mod:`~.proportions`, :mod:`~.disproportionality`, :mod:`~.concentration`,
:mod:`~.deprivation`, :mod:`~.stop_search`, :mod:`~.survey`, :mod:`~.disclosure`.

One vocabulary (see :mod:`~._result`): every scalar result carries ``estimate``,
``ci_low``, ``ci_high``, ``conf_level``, ``p_value`` (results of a test), ``method`` and
``to_frame()`` (a one-row DataFrame); the domain names (``rate_ratio``, ``proportion``,
``odds_ratio``, ``rri``, ``lq``, ``level_change``, ...) are read-only aliases of
``estimate``. Arguments are ``count``/``exposure``/``n``/``group``/``by``; ``conf_level``
and options are keyword-only; every ``pct_change`` is in percent.

Examples
--------
>>> r = proportion_ci(18, 20, conf_level=0.9)
>>> r.estimate == r.proportion, r.conf_level, r.to_frame().shape
(True, 0.9, (1, 7))
"""

from ._result import VOCABULARY, Result
from .change import ETestResult, RateRatioResult, change_table, e_test, rate_ratio_test
from .concentration import (
    LocationQuotient,
    PlacesForShare,
    concentration_table,
    generalised_gini,
    gini,
    location_quotient,
    location_quotient_table,
    lorenz_curve,
    places_for_share,
    top_share,
)
from .deprivation import most_vs_least_deprived, rates_by_decile
from .disclosure import (
    SUPPRESSED,
    DisclosureError,
    SuppressedTable,
    assert_safe,
    disclosure_problems,
    feasible_intervals,
    format_suppressed,
    is_disclosive,
    round_to_base,
    suppress_series,
    suppress_table,
)
from .disproportionality import (
    DifferentialChange,
    RelativeRateIndex,
    differential_change,
    differential_change_table,
    exact_rate_ci,
    relative_rate_index,
    rri_table,
)
from .exceedance import REGISTER_COLUMNS, concerns_summary, emerging_concerns
from .intervention import (
    ITSResult,
    ModelError,
    WDDResult,
    interrupted_time_series,
    weighted_displacement_difference,
)
from .periods import (
    ReportingPeriod,
    calendar_year,
    custom_period,
    financial_year,
    financial_year_of,
    period_totals,
    previous,
    rolling_12,
    three_year_average,
    three_year_baseline,
)
from .proportions import (
    ProportionCI,
    ProportionDifference,
    proportion_ci,
    proportion_difference,
    share_table,
    wilson_interval,
)
from .rates import PoissonInterval, RateResult, poisson_ci, rate_ci, rate_table
from .spc import Variation, XmrResult, variation, variation_table, xmr, xmr_table
from .stop_search import (
    officer_defined_group,
    self_defined_group,
    stop_search_disproportionality,
)
from .survey import (
    SurveyChange,
    SurveyMeasure,
    SurveyProportion,
    group_gaps,
    survey_change,
    survey_measure_change,
    survey_measure_table,
    weighted_proportion,
)
from .trend import (
    MannKendallResult,
    mann_kendall,
    seasonal_mann_kendall,
    sen_slope,
    stl_decompose,
    trend_table,
)

__all__ = [
    "VOCABULARY",
    "Result",
    "LocationQuotient",
    "ITSResult",
    "ModelError",
    "REGISTER_COLUMNS",
    "WDDResult",
    "concerns_summary",
    "emerging_concerns",
    "interrupted_time_series",
    "weighted_displacement_difference",
    "DifferentialChange",
    "DisclosureError",
    "ETestResult",
    "MannKendallResult",
    "PlacesForShare",
    "PoissonInterval",
    "ProportionCI",
    "RateRatioResult",
    "RateResult",
    "RelativeRateIndex",
    "ReportingPeriod",
    "SUPPRESSED",
    "SuppressedTable",
    "SurveyChange",
    "SurveyMeasure",
    "SurveyProportion",
    "Variation",
    "XmrResult",
    "assert_safe",
    "calendar_year",
    "change_table",
    "concentration_table",
    "custom_period",
    "differential_change",
    "differential_change_table",
    "disclosure_problems",
    "e_test",
    "exact_rate_ci",
    "feasible_intervals",
    "financial_year",
    "financial_year_of",
    "format_suppressed",
    "generalised_gini",
    "gini",
    "group_gaps",
    "is_disclosive",
    "location_quotient",
    "location_quotient_table",
    "lorenz_curve",
    "mann_kendall",
    "most_vs_least_deprived",
    "officer_defined_group",
    "period_totals",
    "places_for_share",
    "poisson_ci",
    "previous",
    "proportion_ci",
    "proportion_difference",
    "ProportionDifference",
    "rate_ci",
    "rate_ratio_test",
    "rate_table",
    "rates_by_decile",
    "relative_rate_index",
    "rolling_12",
    "round_to_base",
    "rri_table",
    "seasonal_mann_kendall",
    "self_defined_group",
    "sen_slope",
    "share_table",
    "stl_decompose",
    "stop_search_disproportionality",
    "suppress_series",
    "suppress_table",
    "survey_change",
    "survey_measure_change",
    "survey_measure_table",
    "three_year_average",
    "three_year_baseline",
    "top_share",
    "trend_table",
    "variation",
    "variation_table",
    "weighted_proportion",
    "wilson_interval",
    "xmr",
    "xmr_table",
]
