"""The batch's index page (``index.html``) and its data (``index.csv``).

One row per area: its name and year, whether it was built, the police-recorded crimes
of the reporting year with the months they cover, residents, crimes per 1,000
residents, the number of priorities in each status, and a link to the appendix; a failed
area shows its one-line error instead. Every text is HTML-escaped; the table has a
caption and header scopes; the page uses the report's stylesheet and loads nothing from
the network. ``index.csv`` holds the same numbers (blank where not available, never 0)
with text cells guarded against spreadsheet formulas.

Examples
--------
>>> from smp_analysis.batch.run import AreaOutcome
>>> rows = index_frame([AreaOutcome(0, "A<b>", "2024/25", "failed", error="x")])
>>> rows[["area", "status", "error"]].values.tolist()
[['A<b>', 'failed', 'x']]
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import pandas as pd

from .. import __version__
from ..config import STATUSES
from .config import BatchPlan
from .run import AreaOutcome

__all__ = ["index_frame", "write_index"]

_COLUMNS = [
    "area",
    "reporting_year",
    "status",
    "crimes",
    "months_with_data",
    "months_expected",
    "residents",
    "rate_per_1000",
    *["priorities_" + s.lower().replace(" ", "_") for s in STATUSES],
    "appendix",
    "error",
]


def index_frame(outcomes: Sequence[AreaOutcome], root: Path | None = None) -> pd.DataFrame:
    """The index as a tidy frame (``appendix`` relative to ``root`` when given)."""
    rows = []
    for o in outcomes:
        f = o.figures
        statuses = f.get("statuses", {})
        appendix = None
        if o.appendix is not None:
            appendix = (
                os.path.relpath(o.appendix, root) if root is not None else str(o.appendix)
            ).replace(os.sep, "/")
        rows.append(
            {
                "area": o.name,
                "reporting_year": o.year,
                "status": o.status,
                "crimes": f.get("crimes"),
                "months_with_data": f.get("months"),
                "months_expected": f.get("months_expected"),
                "residents": f.get("residents"),
                "rate_per_1000": f.get("rate"),
                **{
                    _status_column(s): (statuses.get(s, 0) if "statuses" in f else None)
                    for s in STATUSES
                },
                "appendix": appendix,
                "error": o.error or f.get("note"),
            }
        )
    out = pd.DataFrame(rows, columns=_COLUMNS)
    for c in ("crimes", "months_with_data", "months_expected", "residents"):
        out[c] = pd.to_numeric(out[c]).astype("Int64")
    for s in STATUSES:
        c = _status_column(s)
        out[c] = pd.to_numeric(out[c]).astype("Int64")
    out["rate_per_1000"] = pd.to_numeric(out["rate_per_1000"]).astype("Float64")
    return out


def _status_column(status: str) -> str:
    return "priorities_" + status.lower().replace(" ", "_")


def _safe_cell(v: object) -> object:
    """Guard text against spreadsheet formulas (OWASP CSV injection)."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def _fmt_int(v: object) -> str:
    return "[x]" if v is None or pd.isna(v) else f"{int(v):,}"


def _page(plan: BatchPlan, frame: pd.DataFrame, built: str, synthetic: bool) -> str:
    esc = html.escape
    css = (
        resources.files("smp_analysis.present")
        .joinpath("templates/smp_report/static/report.css")
        .read_text(encoding="utf-8")
    )
    n_ok = int((frame["status"] != "failed").sum())
    head = [
        "Area",
        "Year",
        "Build",
        "Crimes in the year",
        "Crimes per 1,000 residents",
        *[f"Priorities: {s}" for s in STATUSES],
        "Report",
    ]
    numeric = {3, 4, 5, 6, 7, 8}
    num = ' class="num"'
    ths = "".join(
        f'<th scope="col"{num if i in numeric else ""}>{esc(h)}</th>' for i, h in enumerate(head)
    )
    body = []
    for _, r in frame.iterrows():
        months = ""
        if not pd.isna(r["months_with_data"]) and r["months_with_data"] != r["months_expected"]:
            months = f" (over {int(r['months_with_data'])} months with data)"
        rate = "[x]" if pd.isna(r["rate_per_1000"]) else f"{r['rate_per_1000']:.1f}"
        status_cells = "".join(
            f'<td class="num">{_fmt_int(r[_status_column(s)])}</td>' for s in STATUSES
        )
        if r["appendix"] is not None and not pd.isna(r["appendix"]):
            link = (
                f'<a href="{esc(str(r["appendix"]), quote=True)}">Appendix for '
                f"{esc(str(r['area']))} {esc(str(r['reporting_year']))}</a>"
            )
        else:
            link = f"Not built: {esc(str(r['error'] or ''))}"
        body.append(
            "<tr>"
            f'<th scope="row">{esc(str(r["area"]))}</th>'
            f"<td>{esc(str(r['reporting_year'] or '[x]'))}</td>"
            f"<td>{esc(str(r['status']))}</td>"
            f'<td class="num">{_fmt_int(r["crimes"])}{esc(months)}</td>'
            f'<td class="num">{rate}</td>'
            f"{status_cells}<td>{link}</td></tr>"
        )
    title = f"Strategic Assessments: {n_ok} of {len(frame)} areas built"
    banner = ""
    if synthetic:
        banner = (
            '<div class="banner-synthetic" role="note"><strong>Synthetic data.</strong> '
            "Some areas here are built from the generated sample district, not from real "
            "records. Do not quote their numbers.</div>\n"
        )
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>{css}</style>
</head>
<body class="smp-report smp-index">
<a class="skip-link" href="#main">Skip to main content</a>
<header class="page-header">
{banner}<h1>{esc(title)}</h1>
<p class="subheading">Built from {esc(plan.path.name)} on {esc(built)} with smp-analysis
{esc(__version__)}</p>
</header>
<div class="page-body">
<main id="main">
<p class="markdown">Crimes are police-recorded crimes from data.police.uk (anti-social
behaviour excluded) in each area's reporting year; where months are missing the count and
the rate cover only the months with data, as stated. [x] means not available. The same
figures are in <a href="index.csv">index.csv</a>.</p>
<div class="table-wrap" role="region" aria-labelledby="index-caption" tabindex="0">
<table class="data">
<caption id="index-caption">Every area of the batch: crimes, rate, priority status and report</caption>
<thead><tr>{ths}</tr></thead>
<tbody>
{"".join(body)}
</tbody>
</table>
</div>
</main>
</div>
<footer class="page-footer"><p>Contains public sector information licensed under the Open
Government Licence v3.0.</p></footer>
</body>
</html>
"""


def write_index(plan: BatchPlan, outcomes: Sequence[AreaOutcome]) -> tuple[Path, Path]:
    """Write ``index.html`` and ``index.csv`` into the batch's output folder (atomically)."""
    root = plan.output_dir
    root.mkdir(parents=True, exist_ok=True)
    frame = index_frame(outcomes, root)
    built = dt.datetime.now(dt.UTC).strftime("%d %B %Y %H:%M UTC")
    html_path, csv_path = root / "index.html", root / "index.csv"
    tmp = root / ".index.csv.tmp"
    frame.map(_safe_cell).to_csv(tmp, index=False)
    os.replace(tmp, csv_path)
    tmp = root / ".index.html.tmp"
    synthetic = any(o.figures.get("synthetic") for o in outcomes)
    tmp.write_text(_page(plan, frame, built, synthetic), encoding="utf-8")
    os.replace(tmp, html_path)
    return html_path, csv_path
