"""The analysis context a notebook works in: config, inputs and the reporting periods.

Examples
--------
>>> from smp_analysis.stats.periods import financial_year
>>> [p.label for p in years_up_to(financial_year("2024/25"), 4)]
['2021/22', '2022/23', '2023/24', '2024/25']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from ..config import Config
from ..inputs import Inputs
from ..stats.periods import ReportingPeriod, financial_year, previous

__all__ = ["Context", "years_up_to"]


def _month_span(months: Sequence[pd.Period]) -> str:
    """``"January to March"`` (or a list when the months are not consecutive)."""
    if not months:
        return "no months"
    names = [m.strftime("%B") for m in months]
    consecutive = all((b - a).n == 1 for a, b in zip(months, months[1:], strict=False))
    if len(names) == 1:
        return names[0]
    if consecutive:
        return f"{names[0]} to {names[-1]}"
    return ", ".join(names[:-1]) + f" and {names[-1]}"


def years_up_to(current: ReportingPeriod, n: int) -> list[ReportingPeriod]:
    """The ``n`` financial years ending with ``current``, oldest first."""
    return [previous(current, k) if k else current for k in range(n - 1, -1, -1)]


@dataclass(frozen=True)
class Context:
    """Config + inputs + periods: what every section builder receives."""

    config: Config
    inputs: Inputs
    current: ReportingPeriod
    previous: ReportingPeriod

    @classmethod
    def create(cls, config: Config, inputs: Inputs) -> Context:
        cur = financial_year(config.reporting_year)
        return cls(config=config, inputs=inputs, current=cur, previous=previous(cur))

    # ---------------------------------------------------------------- periods
    @property
    def years(self) -> list[ReportingPeriod]:
        """Financial years covered by the cube up to the reporting year, oldest first."""
        first = self.inputs.cube.months_expected.min()
        out = [p for p in years_up_to(self.current, 10) if p.start >= first]
        return out or [self.current]

    # ---------------------------------------------------------------- places
    def lsoa_codes(self, area: str = "district") -> list[str] | None:
        """LSOAs of a named area: ``district`` (all: ``None``), ``town_centre``,
        ``buffer`` or ``comparison``."""
        if area == "district":
            return None
        tc = self.config.town_centre
        if tc is None:
            raise ValueError(f"area '{area}' needs a town_centre section in the config")
        return {
            "town_centre": tc.lsoa_codes,
            "buffer": tc.buffer_lsoa_codes,
            "comparison": tc.comparison_lsoa_codes,
        }[area]

    def police_series(
        self,
        crime_types: Iterable[str] | None = None,
        *,
        by: Sequence[str] = (),
        area: str = "district",
        start: object | None = None,
        end: object | None = None,
    ) -> pd.DataFrame:
        """Monthly police.uk series (``NaN`` for months with no data) for an area."""
        return self.inputs.cube.series(
            by=by,
            crime_types=crime_types,
            lsoa_codes=self.lsoa_codes(area),
            start=start,
            end=end if end is not None else self.current.end,
        )

    # ---------------------------------------------------------------- year on year
    def matched_months(
        self, series: pd.DataFrame | None = None
    ) -> tuple[pd.PeriodIndex, pd.PeriodIndex, str]:
        """Months of the reporting year and the year before used for year-on-year changes.

        Both years complete: all twelve months of each. Otherwise only the calendar months
        with data in **both** years, so a change never compares different seasons; the third
        value then names them (e.g. ``"January to March"``), else it is ``""``.

        The months with data are the police.uk cube's, or those of ``series`` (``month``,
        ``count`` with ``NaN`` where a month has no data) when given — a partner return
        has its own gaps.
        """
        if series is None:
            present = set(self.inputs.cube.months_present)
        else:
            present = set(pd.PeriodIndex(series.loc[series["count"].notna(), "month"], freq="M"))
        cur = [m for m in self.current.months if m in present]
        prev = [m for m in self.previous.months if m in present]
        if len(cur) == 12 and len(prev) == 12:
            return pd.PeriodIndex(cur), pd.PeriodIndex(prev), ""
        both = {m.month for m in cur} & {m.month for m in prev}
        cur = [m for m in cur if m.month in both]
        prev = [m for m in prev if m.month in both]
        return pd.PeriodIndex(cur, freq="M"), pd.PeriodIndex(prev, freq="M"), _month_span(cur)

    def comparable(self, series: pd.DataFrame) -> pd.DataFrame:
        """``series`` with months outside :meth:`matched_months` (in the two years compared)
        set to missing, ready for :func:`~smp_analysis.stats.change.change_table`."""
        cur, prev, _ = self.matched_months(series)
        in_years = series["month"].between(self.previous.start, self.current.end)
        keep = series["month"].isin(set(cur) | set(prev))
        out = series.copy()
        out.loc[in_years & ~keep, "count"] = float("nan")
        return out

    # ---------------------------------------------------------------- action log
    @property
    def actions(self) -> pd.DataFrame:
        """The action log: one row per action, columns ``priority`` (priority code or theme
        id), ``action``, ``lead``, ``status``, ``update`` (text) and ``public`` (bool); empty
        with those columns when the config names no ``data.action_log``."""
        from ..sources.actions import empty_action_log

        a = self.inputs.actions
        return empty_action_log() if a is None else a

    @property
    def has_action_log(self) -> bool:
        """Whether the config names an action log (an empty one still counts)."""
        return self.inputs.actions is not None

    @property
    def synthetic(self) -> bool:
        return self.config.synthetic
