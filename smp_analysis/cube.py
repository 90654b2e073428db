"""The monthly count cube: ``month × LSOA × category → count``.

Records are aggregated once (see :mod:`smp_analysis.aggregate`) into a :class:`Cube`;
every analysis downstream works on dense series taken from it with
:meth:`Cube.series`. A month with no data file is *missing*: its count is ``NaN``,
never ``0``. A month with a file but no records for a series is a real ``0``.

Examples
--------
>>> import pandas as pd
>>> counts = pd.DataFrame({
...     "month": pd.PeriodIndex(["2024-01", "2024-01", "2024-03"], freq="M"),
...     "lsoa_code": ["E01000001", "E01000002", "E01000001"],
...     "lsoa_name": ["Town 001A", "Town 001B", "Town 001A"],
...     "crime_type": ["Burglary", "Burglary", "Anti-social behaviour"],
...     "count": [3, 1, 5],
... })
>>> cube = Cube.from_counts(counts, months_present=["2024-01", "2024-03"],
...                         start="2024-01", end="2024-03")
>>> [str(m) for m in cube.missing_months]
['2024-02']
>>> s = cube.series(by=["crime_type"], crime_types=["Burglary"])
>>> s["count"].tolist()   # Feb is missing (NaN), Mar is a real zero
[4.0, nan, 0.0]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .categories import CRIME_TYPES

__all__ = ["Cube", "COUNT_COLUMNS"]

#: Columns of :attr:`Cube.counts`, in order.
COUNT_COLUMNS: tuple[str, ...] = ("month", "lsoa_code", "lsoa_name", "crime_type", "count")


def _to_months(values: Iterable[object]) -> pd.PeriodIndex:
    return pd.PeriodIndex([pd.Period(v, freq="M") for v in values], freq="M").sort_values()


@dataclass(frozen=True)
class Cube:
    """Monthly counts for one area, with explicit coverage.

    Attributes
    ----------
    counts : pandas.DataFrame
        Columns :data:`COUNT_COLUMNS`; ``month`` is ``period[M]``, ``count`` a positive integer.
        Only non-zero combinations are stored.
    lsoas : pandas.DataFrame
        ``lsoa_code, lsoa_name`` of every LSOA in the area, including any with no records.
    months_expected : pandas.PeriodIndex
        Every month of the span the cube covers (contiguous).
    months_present : pandas.PeriodIndex
        Months for which a data file was read. The rest of ``months_expected`` is missing.
    area : str
        Name of the area (for labels).
    """

    counts: pd.DataFrame
    lsoas: pd.DataFrame
    months_expected: pd.PeriodIndex
    months_present: pd.PeriodIndex
    area: str = ""
    meta: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = [c for c in COUNT_COLUMNS if c not in self.counts.columns]
        if missing:
            raise ValueError(f"cube counts lack columns {missing}")
        extra = set(self.months_present) - set(self.months_expected)
        if extra:
            raise ValueError(f"months_present outside the expected span: {sorted(map(str, extra))}")

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_counts(
        cls,
        counts: pd.DataFrame,
        *,
        months_present: Iterable[object],
        start: object | None = None,
        end: object | None = None,
        lsoas: pd.DataFrame | None = None,
        area: str = "",
        meta: Mapping[str, object] | None = None,
    ) -> Cube:
        """Build a cube from a count table, normalising dtypes and the month span."""
        present = _to_months(months_present)
        df = counts.loc[:, list(COUNT_COLUMNS)].copy()
        df["month"] = (
            pd.PeriodIndex(df["month"], freq="M") if len(df) else df["month"].astype("period[M]")
        )
        df["count"] = df["count"].astype("int64")
        df = df[df["count"] != 0]
        if (df["count"] < 0).any():
            raise ValueError("cube counts must not be negative")
        df = (
            df.groupby(["month", "lsoa_code", "lsoa_name", "crime_type"], observed=True, sort=True)[
                "count"
            ]
            .sum()
            .reset_index()
        )
        lo = (
            pd.Period(start, freq="M")
            if start is not None
            else min(present.min(), df["month"].min())
        )
        hi = pd.Period(end, freq="M") if end is not None else max(present.max(), df["month"].max())
        expected = pd.period_range(lo, hi, freq="M")
        if lsoas is None:
            lsoas = df[["lsoa_code", "lsoa_name"]].drop_duplicates()
        lsoas = lsoas[["lsoa_code", "lsoa_name"]].drop_duplicates().sort_values("lsoa_code")
        return cls(
            counts=df.reset_index(drop=True),
            lsoas=lsoas.reset_index(drop=True),
            months_expected=expected,
            months_present=present[(present >= lo) & (present <= hi)],
            area=area,
            meta=dict(meta or {}),
        )

    # ------------------------------------------------------------------ coverage
    @property
    def missing_months(self) -> pd.PeriodIndex:
        """Months in the span with no data file."""
        return self.months_expected.difference(self.months_present)

    @property
    def crime_types(self) -> list[str]:
        """Categories that occur in the cube, in a stable order."""
        return sorted(self.counts["crime_type"].unique().tolist())

    # ------------------------------------------------------------------ series
    def series(
        self,
        by: Sequence[str] = ("crime_type",),
        *,
        crime_types: Iterable[str] | None = None,
        lsoa_codes: Iterable[str] | None = None,
        lsoa_groups: Mapping[str, str] | None = None,
        start: object | None = None,
        end: object | None = None,
    ) -> pd.DataFrame:
        """Dense monthly series: one row per ``by`` combination × month.

        Parameters
        ----------
        by : sequence of str
            Any of ``crime_type``, ``lsoa_code``, ``lsoa_name`` and ``area_group`` (the
            latter needs ``lsoa_groups``). Empty for a single total series.
        crime_types : iterable of str, optional
            Categories to include. Defaults to the 13 notifiable crime types: anti-social
            behaviour is only included when asked for by name.
        lsoa_codes : iterable of str, optional
            Restrict to these LSOAs.
        lsoa_groups : mapping, optional
            ``lsoa_code → group label``; LSOAs not in the mapping are dropped.
        start, end : month-like, optional
            Restrict the span.

        Returns
        -------
        pandas.DataFrame
            Columns ``[*by, "month", "count"]``; ``count`` is float, ``NaN`` for missing months.
        """
        by = list(by)
        allowed = {"crime_type", "lsoa_code", "lsoa_name", "area_group"}
        bad = [b for b in by if b not in allowed]
        if bad:
            raise ValueError(f"cannot group a cube by {bad}; use some of {sorted(allowed)}")
        if "area_group" in by and lsoa_groups is None:
            raise ValueError("by='area_group' needs lsoa_groups")
        types = list(CRIME_TYPES) if crime_types is None else list(dict.fromkeys(crime_types))
        months = self.months_expected
        if start is not None:
            months = months[months >= pd.Period(start, freq="M")]
        if end is not None:
            months = months[months <= pd.Period(end, freq="M")]

        lsoas = self.lsoas
        if lsoa_codes is not None:
            wanted = set(lsoa_codes)
            lsoas = lsoas[lsoas["lsoa_code"].isin(wanted)]
        if lsoa_groups is not None:
            lsoas = lsoas[lsoas["lsoa_code"].isin(set(lsoa_groups))].assign(
                area_group=lambda d: d["lsoa_code"].map(lsoa_groups)
            )
        df = self.counts[
            self.counts["crime_type"].isin(types)
            & self.counts["lsoa_code"].isin(set(lsoas["lsoa_code"]))
            & self.counts["month"].isin(months)
        ]
        if lsoa_groups is not None:
            df = df.assign(area_group=df["lsoa_code"].map(lsoa_groups))
        summed = (
            df.groupby([*by, "month"], observed=True)["count"].sum()
            if by
            else df.groupby("month")["count"].sum()
        )

        # the full grid of keys × months
        levels: list[pd.DataFrame] = []
        geo_cols = [b for b in by if b != "crime_type"]
        if geo_cols:
            levels.append(lsoas[geo_cols].drop_duplicates())
        if "crime_type" in by:
            levels.append(pd.DataFrame({"crime_type": types}))
        grid = pd.DataFrame({"month": months})
        for lv in levels:
            grid = lv.merge(grid, how="cross")
        grid = grid[[*by, "month"]]
        out = grid.merge(summed.rename("count").reset_index(), on=[*by, "month"], how="left")
        out["count"] = out["count"].astype("float64").fillna(0.0)
        out.loc[~out["month"].isin(self.months_present), "count"] = np.nan
        return out.sort_values([*by, "month"]).reset_index(drop=True)
