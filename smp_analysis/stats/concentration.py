"""Concentration of crime across places, and location quotients.

* :func:`gini`, :func:`generalised_gini`, :func:`lorenz_curve` — how unequally crime is
  spread over places. With fewer crimes than places ("sparse" data, e.g. robberies over
  street segments) the standard Gini overstates concentration because an even spread is
  impossible; the *generalised* Gini of Bernasco & Steenbeek (2017, *J Quant Criminol*
  33:451–467; R package ``wsteenbeek/lorenzgini``) compares with the maximal equality
  that is attainable (every crime in a different place) instead.
* :func:`top_share`, :func:`places_for_share` — "x% of crime happens in y% of places"
  (the law of crime concentration, Weisburd 2015).
* :func:`location_quotient`, :func:`location_quotient_table` — is a crime type
  over-represented in an area (the town centre) relative to its region (the district)?
  (Brantingham & Brantingham 1998.)

``counts`` for the concentration measures are one count per place, **zeros included**:
places without crime are part of the denominator (take them from ``Cube.lsoas``).
LSOAs (about 1,500 residents) are much larger than the street segments of the
concentration literature, so LSOA-level figures are not comparable with Weisburd's.

Examples
--------
>>> crimes = [3, 1, 1, 0, 0, 0, 0, 0, 0, 0]
>>> round(gini(crimes), 2), round(generalised_gini(crimes), 2)
(0.78, 0.56)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np
import pandas as pd

from ..categories import ASB
from ._checks import check_conf_level, z_value
from ._result import Result, alias

__all__ = [
    "gini",
    "generalised_gini",
    "lorenz_curve",
    "top_share",
    "PlacesForShare",
    "places_for_share",
    "concentration_table",
    "LocationQuotient",
    "location_quotient",
    "location_quotient_table",
]


def _counts(counts: Iterable[float] | np.ndarray | pd.Series) -> np.ndarray:
    x = np.asarray(list(counts) if not hasattr(counts, "__array__") else counts, dtype=float)
    x = x.ravel()
    if x.size == 0:
        raise ValueError("no places given")
    if np.isnan(x).any():
        raise ValueError("counts contain missing values (NaN); a place's count must be known")
    if (x < 0).any():
        raise ValueError("counts must not be negative")
    if x.sum() == 0:
        raise ValueError("there are no crimes: concentration is undefined")
    return x


def gini(counts: Iterable[float], *, unbiased: bool = False) -> float:
    """Gini coefficient of crime over places.

    ``G = Σᵢ (2i − n − 1) x₍ᵢ₎ / (n Σx)`` with the counts sorted ascending (equal to R
    ``DescTools::Gini(x, unbiased = FALSE)`` and ``lorenzgini::gini(x, generalized =
    FALSE, unbiased = FALSE)``). ``unbiased=True`` multiplies by ``n / (n − 1)``
    (Deltas 2003), so that all crime in one place gives 1.

    Parameters
    ----------
    counts : iterable of float
        One count per place, zeros included.
    unbiased : bool, default False

    Returns
    -------
    float

    Raises
    ------
    ValueError
        No places, no crimes, negative or missing counts, or ``unbiased`` with one place.

    Examples
    --------
    >>> gini([10, 8, 2, 0, 0, 0, 0, 0, 0, 0])
    0.78
    >>> gini([10] + [0] * 9), gini([10] + [0] * 9, unbiased=True)
    (0.9, 1.0)
    """
    x = np.sort(_counts(counts))
    n = x.size
    i = np.arange(1, n + 1)
    g = float(np.sum((2 * i - n - 1) * x) / (n * x.sum()))
    if unbiased:
        if n < 2:
            raise ValueError("the unbiased Gini needs at least 2 places")
        g = g * n / (n - 1)
    return g


def generalised_gini(counts: Iterable[float], *, unbiased: bool = False) -> float:
    """Generalised Gini for sparse data (Bernasco & Steenbeek 2017).

    ``G' = max(1, N/C) · (G − 1) + 1``, where ``G`` is the standard Gini, ``N`` the number
    of places and ``C`` the number of crimes. With at least as many crimes as places it
    equals ``G``; with fewer, it measures concentration against the attainable maximal
    equality (each crime in a different place), so it is 0 when no place has two crimes.
    ``unbiased=True`` multiplies by ``min(N, C) / (min(N, C) − 1)``, as
    ``lorenzgini::gini`` does by default (``generalized = TRUE, unbiased = TRUE``).

    Parameters
    ----------
    counts : iterable of float
        One count per place, zeros included.
    unbiased : bool, default False

    Returns
    -------
    float

    Raises
    ------
    ValueError
        As :func:`gini`; ``unbiased`` with fewer than 2 places or crimes.

    Examples
    --------
    >>> round(generalised_gini([5, 2, 1, 0, 0, 0, 0, 0, 0, 0]), 2)
    0.75
    >>> generalised_gini([1, 1, 1, 0, 0, 0])   # no place has two crimes
    0.0
    """
    x = _counts(counts)
    n, c = x.size, float(x.sum())
    g = max(1.0, n / c) * (gini(x) - 1.0) + 1.0
    if unbiased:
        m = min(n, c)
        if m < 2:
            raise ValueError("the unbiased generalised Gini needs at least 2 places and 2 crimes")
        g = g * m / (m - 1)
    return float(g)


def lorenz_curve(counts: Iterable[float]) -> pd.DataFrame:
    """Lorenz curve of crime over places, most-affected places first.

    Parameters
    ----------
    counts : iterable of float
        One count per place, zeros included.

    Returns
    -------
    pandas.DataFrame
        ``places`` (0 … N, the top-k places), ``place_share`` (k / N), ``crime_share``
        (share of all crime in those k places) and ``max_equality_share``: the line of
        maximal *attainable* equality, ``min(1, k / min(N, C))`` — the diagonal when there
        are at least as many crimes as places, steeper otherwise (Bernasco & Steenbeek
        2017). The first row is the origin.

    Raises
    ------
    ValueError
        As :func:`gini`.

    Examples
    --------
    >>> lc = lorenz_curve([3, 1, 1, 0, 0, 0, 0, 0, 0, 0])
    >>> print(lc.head(4).to_string(index=False))
     places  place_share  crime_share  max_equality_share
          0          0.0          0.0                 0.0
          1          0.1          0.6                 0.2
          2          0.2          0.8                 0.4
          3          0.3          1.0                 0.6
    """
    x = np.sort(_counts(counts))[::-1]
    n, c = x.size, x.sum()
    k = np.arange(0, n + 1)
    cum = np.concatenate([[0.0], np.cumsum(x)]) / c
    return pd.DataFrame(
        {
            "places": k,
            "place_share": k / n,
            "crime_share": np.minimum(cum, 1.0),
            "max_equality_share": np.minimum(1.0, k / min(n, c)),
        }
    )


def top_share(counts: Iterable[float], fraction: float) -> float:
    """Share of all crime in the top ``fraction`` of places.

    Places are ranked by count (most first). When ``fraction × N`` is not a whole
    number the share is interpolated linearly along the Lorenz curve (i.e. a fraction
    of the next place's crimes is counted).

    Parameters
    ----------
    counts : iterable of float
        One count per place, zeros included.
    fraction : float
        Fraction of places, in (0, 1] (0.05 = the top 5%).

    Returns
    -------
    float
        Share of crime, in [0, 1].

    Raises
    ------
    ValueError
        ``fraction`` outside (0, 1], or bad counts (see :func:`gini`).

    Examples
    --------
    >>> top_share([22, 18, 17, 12, 11, 8, 6, 3, 2, 1], 0.2)
    0.4
    >>> top_share([22, 18, 17, 12, 11, 8, 6, 3, 2, 1], 0.25)
    0.485
    """
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], got {fraction}")
    lc = lorenz_curve(counts)
    return float(np.interp(fraction, lc["place_share"], lc["crime_share"]))


@dataclass(frozen=True)
class PlacesForShare:
    """The fewest places that account for a given share of crime.

    Attributes
    ----------
    share_target : float
        The share asked for (0.5 = half of all crime).
    places : int
        Fewest whole places whose crimes reach at least ``share_target``.
    n_places : int
        All places (zeros included).
    fraction : float
        ``places / n_places``.
    share : float
        Share of crime those places actually hold (≥ ``share_target``).
    crimes : float
        Total crimes.
    """

    share_target: float
    places: int
    n_places: int
    fraction: float
    share: float
    crimes: float


def places_for_share(counts: Iterable[float], share: float) -> PlacesForShare:
    """Fewest places that together account for at least ``share`` of all crime.

    Parameters
    ----------
    counts : iterable of float
        One count per place, zeros included.
    share : float
        Share of crime, in (0, 1].

    Returns
    -------
    PlacesForShare

    Raises
    ------
    ValueError
        ``share`` outside (0, 1], or bad counts (see :func:`gini`).

    Examples
    --------
    >>> r = places_for_share([22, 18, 17, 12, 11, 8, 6, 3, 2, 1], 0.5)
    >>> r.places, r.fraction, r.share
    (3, 0.3, 0.57)
    """
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], got {share}")
    x = np.sort(_counts(counts))[::-1]
    cum = np.cumsum(x) / x.sum()
    # tolerance so that a share reached exactly is not missed by rounding
    k = int(np.searchsorted(cum, share - 1e-12, side="left")) + 1
    k = min(k, x.size)
    return PlacesForShare(
        share_target=float(share),
        places=k,
        n_places=int(x.size),
        fraction=k / x.size,
        share=float(cum[k - 1]),
        crimes=float(x.sum()),
    )


def _pct_label(v: float) -> str:
    s = f"{v * 100:g}"
    return s.replace(".", "_")


def concentration_table(
    df: pd.DataFrame,
    *,
    count: str = "count",
    by: Sequence[str] = (),
    fractions: Sequence[float] = (0.05, 0.1),
    shares: Sequence[float] = (0.5,),
) -> pd.DataFrame:
    """Concentration measures for many series at once.

    ``df`` has one row per place (within each ``by`` group), zeros included.

    Parameters
    ----------
    df : pandas.DataFrame
        Counts per place.
    count : str, default "count"
    by : sequence of str, default ()
        Groups (e.g. crime type, year).
    fractions : sequence of float, default (0.05, 0.1)
        For each, a column ``share_top_<p>pct``: share of crime in the top p% of places.
    shares : sequence of float, default (0.5,)
        For each, columns ``places_<p>pct_of_crime`` and ``fraction_<p>pct_of_crime``:
        fewest places holding p% of crime, and their fraction of all places.

    Returns
    -------
    pandas.DataFrame
        ``[*by, places, crimes, gini, generalised_gini, ...]``. Groups without any crime
        get ``NaN`` measures.

    Examples
    --------
    >>> df = pd.DataFrame({"crime_type": ["Robbery"] * 10,
    ...                    "count": [3, 1, 1, 0, 0, 0, 0, 0, 0, 0]})
    >>> t = concentration_table(df, by=["crime_type"], fractions=[0.1], shares=[0.5])
    >>> cols = ["places", "crimes", "gini", "generalised_gini", "share_top_10pct"]
    >>> print(t[cols].round(2).to_string(index=False))
     places  crimes  gini  generalised_gini  share_top_10pct
         10     5.0  0.78              0.56              0.6
    """
    by = list(by)
    if count not in df.columns or any(c not in df.columns for c in by):
        raise ValueError(f"concentration_table: columns not found among {[count, *by]}")
    groups = df.groupby(by, sort=True, dropna=False, observed=True) if by else [((), df)]
    rows = []
    for key, g in groups:
        x = g[count].to_numpy(dtype=float)
        row: dict[str, object] = dict(
            zip(by, key if isinstance(key, tuple) else (key,), strict=True)
        )
        row["places"] = int(x.size)
        row["crimes"] = float(np.nansum(x))
        if np.isnan(x).any():
            raise ValueError(f"concentration_table: missing counts in group {row}")
        has = x.sum() > 0
        row["gini"] = gini(x) if has else np.nan
        row["generalised_gini"] = generalised_gini(x) if has else np.nan
        for f in fractions:
            row[f"share_top_{_pct_label(f)}pct"] = top_share(x, f) if has else np.nan
        for s in shares:
            r = places_for_share(x, s) if has else None
            row[f"places_{_pct_label(s)}pct_of_crime"] = r.places if r else np.nan
            row[f"fraction_{_pct_label(s)}pct_of_crime"] = r.fraction if r else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------
# Location quotients
# --------------------------------------------------------------------------------------


def _category_counts(counts: Mapping[str, float] | pd.Series, name: str) -> pd.Series:
    s = (
        pd.Series(counts, dtype=float)
        if not isinstance(counts, pd.Series)
        else counts.astype(float)
    )
    if s.index.has_duplicates:
        raise ValueError(f"{name}: a category appears twice")
    if s.isna().any():
        raise ValueError(f"{name}: missing (NaN) counts")
    if (s < 0).any():
        raise ValueError(f"{name}: counts must not be negative")
    return s


@dataclass(frozen=True)
class LocationQuotient(Result):
    """The location quotient of one category in an area relative to its region.

    Attributes
    ----------
    estimate : float
        ``LQ = (area_count / area_total) / (region_count / region_total)``; also
        :attr:`lq`.
    ci_low, ci_high : float
        Log-scale interval (``NaN`` when the area count is 0).
    category : str
        The category.
    area_count, area_total, region_count, region_total : float
        The counts (totals over all categories given).
    area_share, region_share : float
        ``area_count / area_total`` and ``region_count / region_total``.
    nested : bool
        Whether the area is part of the region (see :func:`location_quotient`).
    conf_level : float
        Confidence level of the interval.
    method : str
        Description of the interval.
    """

    estimate: float
    ci_low: float
    ci_high: float
    category: str
    area_count: float
    area_total: float
    region_count: float
    region_total: float
    area_share: float
    region_share: float
    nested: bool
    conf_level: float
    method: str

    _estimate_name = "lq"
    lq = alias("estimate", "The location quotient.")


_LQ_METHOD = {
    True: "location quotient, log interval for an area nested in its region (delta method)",
    False: "location quotient, Katz log interval for an independent benchmark",
}


@overload
def location_quotient(
    area_counts: Mapping[str, float] | pd.Series,
    region_counts: Mapping[str, float] | pd.Series,
    *,
    category: None = None,
    conf_level: float = 0.95,
    nested: bool = True,
) -> pd.DataFrame: ...
@overload
def location_quotient(
    area_counts: Mapping[str, float] | pd.Series,
    region_counts: Mapping[str, float] | pd.Series,
    *,
    category: str,
    conf_level: float = 0.95,
    nested: bool = True,
) -> LocationQuotient: ...
def location_quotient(
    area_counts: Mapping[str, float] | pd.Series,
    region_counts: Mapping[str, float] | pd.Series,
    *,
    category: str | None = None,
    conf_level: float = 0.95,
    nested: bool = True,
) -> pd.DataFrame | LocationQuotient:
    """Location quotient of each crime category in an area relative to its region.

    ``LQ = (a / A) / (r / R)``: the category's share of the area's crime over its share of
    the region's crime (Brantingham & Brantingham 1998). Above 1 the category is
    over-represented in the area. Totals ``A`` and ``R`` are the sums over the categories
    given, so pass crime categories only (not ASB) unless ASB should be in the totals.

    The interval treats ``A`` and ``R`` as fixed and the counts as binomial within them
    (the rate-ratio logic of :func:`~smp_analysis.stats.disproportionality.relative_rate_index`
    applied to shares), on the log scale:

    * ``nested=True`` (default; the area lies inside the region and its crimes are part
      of the region's, e.g. town centre within the district): with ``b = r − a`` and
      ``B = R − A`` the rest of the region, the delta method gives
      ``Var(log LQ) = [b²(1 − a/A)/a + b(1 − b/B)] / (a + b)²`` — smaller than the
      independent-samples variance because the area is part of the benchmark.
    * ``nested=False`` (independent benchmark, e.g. national figures that exclude the
      area): the Katz interval ``Var = 1/a − 1/A + 1/r − 1/R``.

    The interval is ``NaN`` when the area count is 0 (log undefined). LQs on small
    counts are unstable: pool several years (see the domain notes).

    Parameters
    ----------
    area_counts, region_counts : mapping or pandas.Series
        Counts per category (index = category).
    category : str, optional
        One category: return its :class:`LocationQuotient` (the package's scalar
        result, with ``estimate``, ``ci_low``, ``ci_high``, ``conf_level``, ``method``
        and :meth:`~LocationQuotient.to_frame`) instead of the table of all categories.
        The totals are still those of all categories.
    conf_level : float, default 0.95
        Confidence level (keyword-only, as the other options).
    nested : bool, default True

    Returns
    -------
    pandas.DataFrame or LocationQuotient
        Without ``category``: ``category, area_count, area_total, region_count,
        region_total, area_share, region_share, lq, ci_low, ci_high``, one row per
        category. With ``category``: that category's :class:`LocationQuotient`.

    Raises
    ------
    ValueError
        Negative or missing counts, a category of the area absent from the region, a zero
        total, (nested) an area count above the region's, or an unknown ``category``.

    Examples
    --------
    >>> area = {"Shoplifting": 300, "Burglary": 20, "Violence": 380}
    >>> district = {"Shoplifting": 1200, "Burglary": 900, "Violence": 3900}
    >>> lq = location_quotient(area, district)
    >>> print(lq[["category", "lq"]].round(3).to_string(index=False))
       category    lq
    Shoplifting 2.143
       Burglary 0.190
       Violence 0.835
    >>> r = location_quotient(area, district, category="Shoplifting")
    >>> round(r.estimate, 3), round(r.ci_low, 3), round(r.ci_high, 3)
    (2.143, 1.982, 2.317)
    """
    conf_level = check_conf_level(conf_level)
    a_s = _category_counts(area_counts, "area_counts")
    r_s = _category_counts(region_counts, "region_counts")
    extra = sorted(map(str, set(a_s.index) - set(r_s.index)))
    if extra:
        raise ValueError(f"categories in the area but not in the region: {extra}")
    if category is not None and category not in r_s.index:
        raise ValueError(f"category {category!r} is not among the region's categories")
    a_s = a_s.reindex(r_s.index, fill_value=0.0)
    a, r = a_s.to_numpy(float), r_s.to_numpy(float)
    big_a, big_r = a.sum(), r.sum()
    if big_a == 0 or big_r == 0:
        raise ValueError("the area or the region has no crimes in these categories")
    if nested:
        if (a > r).any():
            bad = list(r_s.index[a > r])
            raise ValueError(
                f"area count above region count for {bad}; if the region excludes the "
                "area, use nested=False"
            )
        if big_a > big_r:
            raise ValueError("the area total is above the region total")
    z = z_value(conf_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = (a / big_a) / (r / big_r)
        if nested:
            b = r - a
            big_b = big_r - big_a
            term_b = np.where(b > 0, b * (1 - b / big_b), 0.0) if big_b > 0 else np.zeros_like(b)
            var = (b**2 * (1 - a / big_a) / a + term_b) / r**2
        else:
            var = 1 / a - 1 / big_a + 1 / r - 1 / big_r
        se = np.sqrt(np.maximum(var, 0.0))
        ok = a > 0
        low = np.where(ok, np.exp(np.log(lq) - z * se), np.nan)
        high = np.where(ok, np.exp(np.log(lq) + z * se), np.nan)
    if category is not None:
        i = int(r_s.index.get_loc(category))
        return LocationQuotient(
            estimate=float(lq[i]),
            ci_low=float(low[i]),
            ci_high=float(high[i]),
            category=category,
            area_count=float(a[i]),
            area_total=float(big_a),
            region_count=float(r[i]),
            region_total=float(big_r),
            area_share=float(a[i] / big_a),
            region_share=float(r[i] / big_r),
            nested=bool(nested),
            conf_level=conf_level,
            method=_LQ_METHOD[bool(nested)],
        )
    return pd.DataFrame(
        {
            "category": list(r_s.index),
            "area_count": a,
            "area_total": big_a,
            "region_count": r,
            "region_total": big_r,
            "area_share": a / big_a,
            "region_share": r / big_r,
            "lq": lq,
            "ci_low": low,
            "ci_high": high,
        }
    )


def location_quotient_table(
    counts: pd.DataFrame,
    area: Iterable[str],
    *,
    place: str = "lsoa_code",
    category: str = "crime_type",
    count: str = "count",
    by: Sequence[str] = (),
    categories: Sequence[str] | None = None,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Location quotients of an area (a set of places) against the whole of ``counts``.

    ``counts`` covers the region (e.g. the district's cube counts: one row per place ×
    category [× month]); the area is the subset of places listed in ``area`` (e.g. the
    town-centre LSOAs). Counts are summed over any other columns (months) within
    ``by`` groups (e.g. financial year). The interval is the nested one of
    :func:`location_quotient`.

    Parameters
    ----------
    counts : pandas.DataFrame
    area : iterable of str
        Place codes forming the area.
    place, category, count : str
        Column names.
    by : sequence of str, default ()
    categories : sequence of str, optional
        Categories to analyse (and to form the totals). Default: every category present
        except "Anti-social behaviour", so that totals are crime totals.
    conf_level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        ``[*by, category, ...]`` with the columns of :func:`location_quotient`.

    Raises
    ------
    ValueError
        Missing columns, missing counts, or an area place not present in ``counts``.

    Examples
    --------
    >>> counts = pd.DataFrame({
    ...     "lsoa_code": ["A", "A", "B", "B", "C", "C"],
    ...     "crime_type": ["Shoplifting", "Burglary"] * 3,
    ...     "count": [50, 5, 10, 20, 10, 25]})
    >>> t = location_quotient_table(counts, area=["A"])
    >>> print(t[["crime_type", "area_count", "region_count", "lq"]].round(2).to_string(index=False))
     crime_type  area_count  region_count   lq
       Burglary         5.0          50.0 0.22
    Shoplifting        50.0          70.0 1.56
    """
    by = list(by)
    missing = [c for c in [*by, place, category, count] if c not in counts.columns]
    if missing:
        raise ValueError(f"location_quotient_table: columns not found: {missing}")
    area = list(area)
    absent = sorted(set(area) - set(counts[place]))
    if absent:
        raise ValueError(f"location_quotient_table: area places not in the counts: {absent[:10]}")
    data = counts
    if categories is None:
        data = data[data[category] != ASB]
    else:
        data = data[data[category].isin(list(categories))]
    if data[count].isna().any():
        raise ValueError(
            "location_quotient_table: missing (NaN) counts; drop missing months first "
            "(they are missing, not zero)"
        )
    in_area = data[place].isin(area)
    region = data.groupby([*by, category], observed=True, dropna=False)[count].sum()
    area_sum = data[in_area].groupby([*by, category], observed=True, dropna=False)[count].sum()
    area_sum = area_sum.reindex(region.index, fill_value=0)
    if not by:
        out = location_quotient(area_sum, region, conf_level=conf_level, nested=True)
        return out.rename(columns={"category": category})
    parts = []
    for key, reg in region.groupby(level=list(range(len(by))), dropna=False):
        ar = area_sum.loc[reg.index]
        lq = location_quotient(
            ar.droplevel(list(range(len(by)))),
            reg.droplevel(list(range(len(by)))),
            conf_level=conf_level,
            nested=True,
        ).rename(columns={"category": category})
        key_t = key if isinstance(key, tuple) else (key,)
        for col, val in zip(by, key_t, strict=True):
            lq.insert(by.index(col), col, val)
        parts.append(lq)
    return pd.concat(parts, ignore_index=True)
