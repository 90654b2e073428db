"""Data-quality findings: what was read, what was odd, and where every row went.

Readers and :func:`smp_analysis.aggregate.build_cube` never drop a row silently: each
row read is either in the output or counted here under a named reason. A
:class:`QualityReport` holds

* ``issues`` — :class:`QualityIssue` records (a duplicate Crime ID, rows without a
  location, a file whose ``Month`` column disagrees with its name, ...);
* ``coverage`` — one row per source × force × month of the span: was a file read?
* ``counts`` — row accounting per source × force: rows read, in the area, outside it,
  without a location, crime vs anti-social behaviour rows in the area.

:meth:`QualityReport.table` turns these into the tidy table printed in the appendix's
"Data and methods" section; :meth:`QualityReport.summary_lines` gives the short text
the command line prints.

Examples
--------
>>> import pandas as pd
>>> report = QualityReport(
...     issues=(QualityIssue("police_uk_street", "2024-01-kent-street.csv", None,
...                          "LSOA code", NO_LOCATION, "rows without a location", 3),),
...     coverage=coverage_frame("police_uk_street", "kent", ["2024-01", "2024-03"],
...                             start="2024-01", end="2024-03"),
... )
>>> [str(m) for m in report.missing_months("kent")]
['2024-02']
>>> report.total(NO_LOCATION)
3
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

__all__ = [
    "QualityIssue",
    "QualityReport",
    "coverage_frame",
    "month_ranges",
    "KINDS",
    "NO_LOCATION",
    "OUTSIDE_AREA",
    "DUPLICATE_CRIME_ID",
    "UNKNOWN_CATEGORY",
    "HISTORIC_CATEGORY",
    "MONTH_MISMATCH",
    "UNKNOWN_LSOA",
    "LSOA_NAME_CONFLICT",
    "MISSING_MONTHS",
    "EMPTY_FILE",
    "DUPLICATE_FILE",
    "IGNORED_FILE",
    "OUTSIDE_SPAN",
    "CRIME_WITHOUT_ID",
    "LSOA_NAME_NEAR_MISS",
    "NEAR_MISS_SHARE",
    "near_miss_issue",
]

NO_LOCATION = "no_location"
OUTSIDE_AREA = "outside_area"
DUPLICATE_CRIME_ID = "duplicate_crime_id"
UNKNOWN_CATEGORY = "unknown_category"
HISTORIC_CATEGORY = "historic_category"
MONTH_MISMATCH = "month_mismatch"
UNKNOWN_LSOA = "unknown_lsoa"
LSOA_NAME_CONFLICT = "lsoa_name_conflict"
MISSING_MONTHS = "missing_months"
EMPTY_FILE = "empty_file"
DUPLICATE_FILE = "duplicate_file"
IGNORED_FILE = "ignored_file"
OUTSIDE_SPAN = "outside_span"
CRIME_WITHOUT_ID = "crime_without_id"
LSOA_NAME_NEAR_MISS = "lsoa_name_near_miss"

#: Share of a force's would-be area rows whose LSOA name starts with the area's prefix
#: but is not ``<prefix> NNNX`` (e.g. ``"Sampleton 001A extra"``) above which the rows,
#: left outside the area by the exact rule, are a :data:`LSOA_NAME_NEAR_MISS` warning.
NEAR_MISS_SHARE = 0.01

#: Every issue kind with the label used in the appendix table.
KINDS: dict[str, str] = {
    MISSING_MONTHS: "Months with no data file",
    NO_LOCATION: "Rows without a location (not placed in any area)",
    OUTSIDE_AREA: "Rows outside the area",
    DUPLICATE_CRIME_ID: "Duplicate Crime IDs (extra copies, kept)",
    UNKNOWN_CATEGORY: "Rows with a category outside the 14 current ones (kept under their own name)",
    HISTORIC_CATEGORY: "Rows with a historic category name",
    MONTH_MISMATCH: "Rows whose Month column differs from the file name (file name used)",
    UNKNOWN_LSOA: "Rows in LSOAs unknown to the lookup",
    LSOA_NAME_CONFLICT: "LSOA codes seen with more than one name",
    EMPTY_FILE: "Files with a header but no rows (month treated as missing)",
    DUPLICATE_FILE: "Identical copies of a file (read once)",
    IGNORED_FILE: "Files not recognised as data.police.uk files (not read)",
    OUTSIDE_SPAN: "Files outside the requested months (not read)",
    CRIME_WITHOUT_ID: "Crime rows with a blank Crime ID",
    LSOA_NAME_NEAR_MISS: "Rows left outside the area whose LSOA name starts with the "
    "area's name but is not '<name> NNNX' (damaged names?)",
}

_COVERAGE_COLUMNS = ["source", "force", "month", "status", "rows"]
_COUNT_COLUMNS = ["source", "force", "measure", "count"]

#: Row-accounting measures (``counts`` table) with their appendix labels, in print order.
MEASURES: dict[str, str] = {
    "files": "Files read",
    "rows_read": "Rows read",
    "in_area": "Rows in the area",
    "crime_in_area": "Crime rows in the area",
    "asb_in_area": "Anti-social behaviour rows in the area (not crimes)",
    "outside_area": "Rows outside the area",
    "no_location": "Rows without a location",
}


@dataclass(frozen=True)
class QualityIssue:
    """One data-quality finding.

    Attributes
    ----------
    source : str
        The input kind, e.g. ``"police_uk_street"``, ``"partner_returns"``.
    path : str or None
        The file concerned (``archive.zip[member]`` for a file inside a zip).
    line : int or None
        First line concerned (header = line 1), when known.
    column : str or None
        Column concerned, when there is one.
    kind : str
        One of :data:`KINDS`.
    message : str
        Plain-words description, one line.
    count : int
        How many rows (or files, or months) it concerns.

    Examples
    --------
    >>> issue = QualityIssue("police_uk_street", "a.csv", 7, "Crime ID",
    ...                      DUPLICATE_CRIME_ID, "Crime ID abc appears twice", 1)
    >>> issue.count
    1
    """

    source: str
    path: str | None
    line: int | None
    column: str | None
    kind: str
    message: str
    count: int = 1


def near_miss_issue(
    n_near: int,
    n_in_area: int,
    *,
    source: str,
    area: str,
    example: str | None = None,
    path: str | None = None,
    line: int | None = None,
    share: float = NEAR_MISS_SHARE,
) -> QualityIssue | None:
    """A :data:`LSOA_NAME_NEAR_MISS` warning when near misses are over ``share`` of the
    rows that are, or nearly are, in the area; ``None`` otherwise.

    ``n_near`` rows have an LSOA name that starts with the area's prefix (then no
    letter) but does not parse as ``<prefix> NNNX``; they are counted outside the area.

    Examples
    --------
    >>> near_miss_issue(2, 998, source="s", area="X") is None   # 0.2%
    True
    >>> near_miss_issue(170, 830, source="s", area="Sampleton",
    ...                 example="Sampleton 001A (old)").message[:62]
    '170 row(s) (17.0% of the rows that name Sampleton) are outside'
    """
    total = n_near + n_in_area
    if n_near <= 0 or total <= 0 or n_near / total <= share:
        return None
    shown = ""
    if example is not None:
        ex = example if len(example) <= 60 else example[:57] + "..."
        shown = f", e.g. '{ex}'"
    return QualityIssue(
        source,
        path,
        line,
        "LSOA name",
        LSOA_NAME_NEAR_MISS,
        f"{n_near:,} row(s) ({n_near / total:.1%} of the rows that name {area}) are outside "
        f"the area: their LSOA name starts with the area's name but is not '<name> NNNX'"
        f"{shown}; check the files (a damaged or hand-edited LSOA name column?)",
        n_near,
    )


def month_ranges(months: Iterable[object]) -> str:
    """Describe a set of months compactly as runs, e.g. ``2024-05 – 2024-12``.

    Examples
    --------
    >>> month_ranges(["2024-01", "2024-02", "2024-03", "2024-07"])
    '2024-01 – 2024-03, 2024-07'
    >>> month_ranges([])
    'none'
    """
    ms = sorted({pd.Period(m, freq="M") for m in months})
    if not ms:
        return "none"
    runs: list[tuple[pd.Period, pd.Period]] = []
    lo = hi = ms[0]
    for m in ms[1:]:
        if m == hi + 1:
            hi = m
        else:
            runs.append((lo, hi))
            lo = hi = m
    runs.append((lo, hi))
    return ", ".join(str(a) if a == b else f"{a} – {b}" for a, b in runs)


def coverage_frame(
    source: str,
    force: str,
    present: Iterable[object],
    *,
    start: object,
    end: object,
    rows: dict[str, int] | None = None,
    empty: Iterable[object] = (),
) -> pd.DataFrame:
    """Coverage rows for one force: every month of ``start..end``, present, empty or missing.

    Parameters
    ----------
    source, force : str
        Labels for the rows.
    present : iterable of month-like
        Months for which a file with rows was read.
    start, end : month-like
        The span.
    rows : dict, optional
        ``"YYYY-MM" → rows read`` for present months.
    empty : iterable of month-like
        Months whose file had a header but no rows (status ``"empty"``, counted as missing).

    Returns
    -------
    pandas.DataFrame
        Columns ``source, force, month, status, rows``.

    Examples
    --------
    >>> coverage_frame("s", "kent", ["2024-01"], start="2024-01", end="2024-02")["status"].tolist()
    ['present', 'missing']
    """
    months = pd.period_range(pd.Period(start, freq="M"), pd.Period(end, freq="M"), freq="M")
    have = {pd.Period(m, freq="M") for m in present}
    emp = {pd.Period(m, freq="M") for m in empty}
    rows = rows or {}
    status = ["present" if m in have else "empty" if m in emp else "missing" for m in months]
    return pd.DataFrame(
        {
            "source": source,
            "force": force,
            "month": months,
            "status": status,
            "rows": pd.array([rows.get(str(m)) for m in months], dtype="Int64"),
        }
    )


def _empty_coverage() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": pd.Series(dtype="str"),
            "force": pd.Series(dtype="str"),
            "month": pd.Series(dtype="period[M]"),
            "status": pd.Series(dtype="str"),
            "rows": pd.Series(dtype="Int64"),
        }
    )


def _empty_counts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": pd.Series(dtype="str"),
            "force": pd.Series(dtype="str"),
            "measure": pd.Series(dtype="str"),
            "count": pd.Series(dtype="int64"),
        }
    )


@dataclass(frozen=True, eq=False)
class QualityReport:
    """Everything odd about the inputs, with the row accounting.

    Attributes
    ----------
    issues : tuple of QualityIssue
        Findings, in the order found.
    coverage : pandas.DataFrame
        ``source, force, month, status, rows``: each month of the span per force, with
        ``status`` ``present``, ``empty`` (header only) or ``missing``.
    counts : pandas.DataFrame
        ``source, force, measure, count`` with the measures of :data:`MEASURES`.
    area : str
        The area the rows were selected for (``""`` when none).

    Examples
    --------
    >>> r = QualityReport(issues=(QualityIssue("x", None, None, None, EMPTY_FILE, "m", 2),))
    >>> r.total(EMPTY_FILE), r.total(NO_LOCATION)
    (2, 0)
    """

    issues: tuple[QualityIssue, ...] = ()
    coverage: pd.DataFrame = field(default_factory=_empty_coverage)
    counts: pd.DataFrame = field(default_factory=_empty_counts)
    area: str = ""

    # ------------------------------------------------------------------ queries
    def to_frame(self) -> pd.DataFrame:
        """The issues as a frame with the :class:`QualityIssue` fields as columns.

        Examples
        --------
        >>> QualityReport().to_frame().columns.tolist()
        ['source', 'path', 'line', 'column', 'kind', 'message', 'count']
        """
        cols = ["source", "path", "line", "column", "kind", "message", "count"]
        df = pd.DataFrame([asdict(i) for i in self.issues], columns=cols)
        df["line"] = df["line"].astype("Int64")
        df["count"] = df["count"].astype("int64")
        return df

    def of_kind(self, kind: str) -> list[QualityIssue]:
        """Issues of one kind.

        Examples
        --------
        >>> QualityReport().of_kind(NO_LOCATION)
        []
        """
        return [i for i in self.issues if i.kind == kind]

    def total(self, kind: str) -> int:
        """Sum of ``count`` over the issues of one kind (0 when there are none).

        Examples
        --------
        >>> QualityReport().total(DUPLICATE_CRIME_ID)
        0
        """
        return int(sum(i.count for i in self.issues if i.kind == kind))

    def measure(self, measure: str, force: str | None = None) -> int:
        """A row-accounting figure (see :data:`MEASURES`), summed over forces unless given.

        Examples
        --------
        >>> QualityReport().measure("rows_read")
        0
        """
        c = self.counts[self.counts["measure"] == measure]
        if force is not None:
            c = c[c["force"] == force]
        return int(c["count"].sum())

    def forces(self) -> list[str]:
        """Forces that appear in the coverage table, sorted.

        Examples
        --------
        >>> QualityReport().forces()
        []
        """
        return sorted(self.coverage["force"].unique().tolist())

    def present_months(self, force: str | None = None) -> pd.PeriodIndex:
        """Months with a file that had rows (for one force, or for any force).

        Examples
        --------
        >>> QualityReport().present_months().size
        0
        """
        c = self.coverage
        if force is not None:
            c = c[c["force"] == force]
        months = c.loc[c["status"] == "present", "month"].unique()
        return pd.PeriodIndex(sorted(months), freq="M")

    def missing_months(self, force: str | None = None) -> pd.PeriodIndex:
        """Months of the span with no usable file (for one force, or for any force).

        Examples
        --------
        >>> QualityReport().missing_months().size
        0
        """
        c = self.coverage
        if force is not None:
            c = c[c["force"] == force]
        months = c.loc[c["status"] != "present", "month"].unique()
        return pd.PeriodIndex(sorted(months), freq="M")

    # ------------------------------------------------------------------ presentation
    def table(self) -> pd.DataFrame:
        """Tidy table for the appendix's "Data and methods" section.

        Returns
        -------
        pandas.DataFrame
            Columns ``check, force, count, detail``: months present and missing per
            force, the row accounting (rows read, in the area, crime vs ASB, outside the
            area, without a location) and one row per issue kind with its total.

        Examples
        --------
        >>> r = QualityReport(coverage=coverage_frame("s", "kent", ["2024-01"],
        ...                                            start="2024-01", end="2024-03"))
        >>> r.table()[["check", "count", "detail"]].values.tolist()
        [['Months present', 1, '2024-01'], ['Months missing', 2, '2024-02 – 2024-03']]
        """
        rows: list[dict[str, Any]] = []
        for force in self.forces():
            c = self.coverage[self.coverage["force"] == force]
            present = c.loc[c["status"] == "present", "month"]
            missing = c.loc[c["status"] != "present", "month"]
            rows.append(
                {
                    "check": "Months present",
                    "force": force,
                    "count": len(present),
                    "detail": month_ranges(present),
                }
            )
            rows.append(
                {
                    "check": "Months missing",
                    "force": force,
                    "count": len(missing),
                    "detail": month_ranges(missing) if len(missing) else "",
                }
            )
        if len(self.counts):
            sums = self.counts.groupby(["force", "measure"], sort=False)["count"].sum()
            order = {m: i for i, m in enumerate(MEASURES)}
            keys = sorted(sums.index, key=lambda k: (str(k[0]), order.get(str(k[1]), 99)))
            for force, measure in keys:
                rows.append(
                    {
                        "check": MEASURES.get(str(measure), str(measure)),
                        "force": force,
                        "count": int(sums[(force, measure)]),
                        "detail": "",
                    }
                )
        skip = {MISSING_MONTHS, NO_LOCATION, OUTSIDE_AREA}  # already in the rows above
        seen: dict[str, list[QualityIssue]] = {}
        for issue in self.issues:
            if issue.kind not in skip:
                seen.setdefault(issue.kind, []).append(issue)
        for kind, issues in seen.items():
            detail = "; ".join(dict.fromkeys(i.message for i in issues))
            if len(detail) > 300:
                detail = detail[:297] + "..."
            rows.append(
                {
                    "check": KINDS.get(kind, kind),
                    "force": "",
                    "count": int(sum(i.count for i in issues)),
                    "detail": detail,
                }
            )
        return pd.DataFrame(rows, columns=["check", "force", "count", "detail"])

    def summary_lines(self) -> list[str]:
        """Short human-readable summary (what the command line prints).

        Examples
        --------
        >>> r = QualityReport(coverage=coverage_frame("s", "kent", ["2024-01"],
        ...                                            start="2024-01", end="2024-02"))
        >>> r.summary_lines()[0]
        'kent: 1 of 2 months present (2024-01); missing: 2024-02'
        """
        lines: list[str] = []
        for force in self.forces():
            c = self.coverage[self.coverage["force"] == force]
            present = c.loc[c["status"] == "present", "month"]
            missing = c.loc[c["status"] != "present", "month"]
            text = f"{force}: {len(present)} of {len(c)} months present ({month_ranges(present)})"
            text += f"; missing: {month_ranges(missing)}" if len(missing) else "; none missing"
            lines.append(text)
        if len(self.counts):
            for measure, label in MEASURES.items():
                n = self.measure(measure)
                if measure in set(self.counts["measure"]):
                    lines.append(f"{label}: {n:,}")
        skip = {MISSING_MONTHS, NO_LOCATION, OUTSIDE_AREA}
        totals: dict[str, int] = {}
        for issue in self.issues:
            if issue.kind not in skip:
                totals[issue.kind] = totals.get(issue.kind, 0) + issue.count
        for kind, n in totals.items():
            lines.append(f"{KINDS.get(kind, kind)}: {n:,}")
            for issue in self.of_kind(kind)[:3]:
                where = issue.path or ""
                if issue.line is not None:
                    where += f":{issue.line}"
                lines.append(f"  - {issue.message}" + (f" ({where})" if where else ""))
        return lines

    # ------------------------------------------------------------------ combination / storage
    def merge(self, *others: QualityReport) -> QualityReport:
        """Combine reports (issues concatenated, tables stacked).

        Examples
        --------
        >>> a = QualityReport(issues=(QualityIssue("x", None, None, None, EMPTY_FILE, "m", 1),))
        >>> a.merge(a).total(EMPTY_FILE)
        2
        """
        reports = (self, *others)
        return QualityReport(
            issues=tuple(i for r in reports for i in r.issues),
            coverage=_concat([r.coverage for r in reports], _empty_coverage()),
            counts=_concat([r.counts for r in reports], _empty_counts()),
            area=next((r.area for r in reports if r.area), ""),
        )

    def to_json(self) -> str:
        """Serialise to JSON (for the cube cache); inverse of :meth:`from_json`.

        Examples
        --------
        >>> r = QualityReport(issues=(QualityIssue("x", "a.csv", 3, "c", EMPTY_FILE, "m", 1),),
        ...                   coverage=coverage_frame("s", "f", ["2024-01"],
        ...                                           start="2024-01", end="2024-02"))
        >>> back = QualityReport.from_json(r.to_json())
        >>> back.issues == r.issues, back.missing_months().astype(str).tolist()
        (True, ['2024-02'])
        """
        cov = self.coverage.assign(
            month=self.coverage["month"].astype(str),
            rows=[None if pd.isna(r) else int(r) for r in self.coverage["rows"]],
        )
        return json.dumps(
            {
                "issues": [asdict(i) for i in self.issues],
                "coverage": cov.to_dict(orient="list"),
                "counts": self.counts.to_dict(orient="list"),
                "area": self.area,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> QualityReport:
        """Read a report written by :meth:`to_json`.

        Examples
        --------
        >>> QualityReport.from_json(QualityReport().to_json()).issues
        ()
        """
        data = json.loads(text)
        cov = pd.DataFrame(data["coverage"], columns=_COVERAGE_COLUMNS)
        cov["month"] = (
            pd.PeriodIndex(cov["month"], freq="M") if len(cov) else cov["month"].astype("period[M]")
        )
        cov["rows"] = pd.array(cov["rows"].tolist(), dtype="Int64")
        cov["source"] = cov["source"].astype("str")
        cov["force"] = cov["force"].astype("str")
        cov["status"] = cov["status"].astype("str")
        counts = pd.DataFrame(data["counts"], columns=_COUNT_COLUMNS)
        counts = counts.astype(
            {"source": "str", "force": "str", "measure": "str", "count": "int64"}
        )
        return cls(
            issues=tuple(QualityIssue(**i) for i in data["issues"]),
            coverage=cov,
            counts=counts,
            area=data.get("area", ""),
        )


def _concat(frames: Sequence[pd.DataFrame], empty: pd.DataFrame) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty
    return pd.concat(frames, ignore_index=True)
