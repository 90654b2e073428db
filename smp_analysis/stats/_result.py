"""The one vocabulary of :mod:`smp_analysis.stats` results.

Every scalar result (a frozen dataclass returned by a function such as
:func:`~smp_analysis.stats.change.rate_ratio_test`) carries the same names, as
statsmodels' results objects do:

``estimate``
    The headline number (a rate ratio, a proportion, an odds ratio, ...).
``ci_low``, ``ci_high``
    Its confidence interval.
``conf_level``
    The confidence level of that interval (0.95 by default).
``p_value``
    Only on results of a test.
``method``
    A short string naming the method.

The domain name of the estimate (``rate_ratio``, ``proportion``, ``odds_ratio``, ``rri``,
``lq``, ``level_change``, ...) stays as a read-only alias, so ``r.rate_ratio`` and
``r.estimate`` are the same number. :meth:`Result.to_frame` gives the same result as a
one-row :class:`pandas.DataFrame`: the vocabulary first, then the domain fields.

The function arguments share one vocabulary too (as scikit-learn's estimators do):
``count`` for a number of events (``count1``/``count2`` or ``group_count``/``reference_count``
when two are compared), ``exposure`` for the denominator of a rate (population,
person-time, months of data, the previous decision stage), ``n`` for the whole of a
proportion, ``group`` for the column naming groups, ``by`` for the columns to split a
table by. ``conf_level`` and other options are keyword-only, and so is an optional ``by``
(except in ``period_totals`` and ``concerns_summary``, still passed by position elsewhere
in the package); a required ``by`` (``change_table``, ``trend_table``, ...) comes second.
Every ``*pct_change`` is in percent (``50.0`` = +50%); every ``share``/``proportion``
and their differences are proportions in [0, 1] (× 100 for percentage points).

Examples
--------
>>> from smp_analysis.stats import rate_ratio_test
>>> r = rate_ratio_test(30, 12, 20, 12)
>>> r.estimate == r.rate_ratio == 1.5
True
>>> list(r.to_frame().columns[:6])
['estimate', 'ci_low', 'ci_high', 'conf_level', 'p_value', 'method']
"""

from __future__ import annotations

import dataclasses
import functools
import numbers
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

__all__ = ["VOCABULARY", "Result", "alias", "renamed_parameters"]

#: Names every scalar result shares, in the order :meth:`Result.to_frame` puts them.
VOCABULARY: tuple[str, ...] = ("estimate", "ci_low", "ci_high", "conf_level", "p_value", "method")

F = TypeVar("F", bound=Callable[..., Any])


def alias(name: str, doc: str) -> property:
    """A read-only property that returns attribute ``name`` (a domain alias).

    Examples
    --------
    >>> class R:
    ...     estimate = 2.0
    ...     rate_ratio = alias("estimate", "The rate ratio.")
    >>> R().rate_ratio
    2.0
    """

    def get(self: object) -> Any:
        return getattr(self, name)

    return property(get, doc=f"{doc} Read-only alias of :attr:`{name}`.")


def _scalar(value: object) -> bool:
    return value is None or isinstance(value, (numbers.Number, str, np.generic))


class Result:
    """Base of every scalar result: the shared vocabulary and a one-row frame view.

    Subclasses are frozen dataclasses with the fields ``estimate, ci_low, ci_high,
    conf_level, method`` (and ``p_value`` when a test is run). ``_estimate_name`` is the
    domain name of ``estimate`` (used when a result is nested inside another one).
    """

    __slots__ = ()
    _estimate_name: str = "estimate"

    def _domain_items(self) -> dict[str, object]:
        """Domain fields: every scalar field outside the vocabulary, nested results flattened."""
        out: dict[str, object] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            if f.name in VOCABULARY:
                continue
            value = getattr(self, f.name)
            if isinstance(value, Result):
                inner = {
                    value._estimate_name: value.estimate,  # type: ignore[attr-defined]
                    "ci_low": value.ci_low,  # type: ignore[attr-defined]
                    "ci_high": value.ci_high,  # type: ignore[attr-defined]
                    **value._domain_items(),
                }
                out.update({f"{k}_{f.name}": v for k, v in inner.items()})
            elif _scalar(value):
                out[f.name] = value
        return out

    def to_frame(self) -> pd.DataFrame:
        """The result as a one-row DataFrame.

        Returns
        -------
        pandas.DataFrame
            Columns ``estimate, ci_low, ci_high, conf_level``, ``p_value`` (results of a
            test only), ``method``, then the domain fields (series and frames held by the
            result, such as fitted values, are left out; a nested result's fields get its
            name as a suffix, e.g. ``proportion_before``).

        Examples
        --------
        >>> from smp_analysis.stats import proportion_ci
        >>> proportion_ci(18, 20).to_frame().round(4)
           estimate  ci_low  ci_high  conf_level  method  count     n
        0       0.9   0.699   0.9721        0.95  wilson   18.0  20.0
        """
        head = {name: getattr(self, name) for name in VOCABULARY if hasattr(self, name)}
        return pd.DataFrame([{**head, **self._domain_items()}])


def renamed_parameters(**old_to_new: str) -> Callable[[F], F]:
    """Accept the old keyword name of a renamed parameter, with a FutureWarning.

    The scikit-learn discipline: a renamed argument keeps working under its old name for
    a while, and says so.

    Examples
    --------
    >>> @renamed_parameters(population="exposure")
    ... def rate(count, exposure):
    ...     return count / exposure
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     rate(4, population=8), w[0].category.__name__
    (0.5, 'FutureWarning')
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in old_to_new.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(
                            f"{func.__name__}() got {old!r} and {new!r}; {old!r} is the old "
                            f"name of {new!r}"
                        )
                    warnings.warn(
                        f"{func.__name__}(): the argument {old!r} is now called {new!r}; "
                        "the old name will stop working in a later release",
                        FutureWarning,
                        stacklevel=2,
                    )
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
