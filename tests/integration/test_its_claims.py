"""The claims policy for the interrupted time series (TC.2): a model is reported only when it
can be fitted and has at least ``MIN_RESIDUAL_DF`` residual degrees of freedom; otherwise
TC.2 keeps the crimes recorded before and from the start, as counts, says why in plain words,
and the build goes on.

Contexts (the sample district, the intervention start moved with ``model_copy``):

- the complete sample (47 months with data, April 2021 to March 2025): 32 residual df, the
  model is reported with t intervals;
- reporting year 2022/23 (23 months with data): 8 residual df, fewer than 10;
- the issue's case: 16 months with data (December 2021 to March 2023, the earlier months
  removed from police.uk): a placebo start of January 2023 leaves 1 residual df, and a start
  of October 2022 gives terms the months cannot tell apart (not identifiable);
- a start in the last month with data (March 2025), after it (July 2025) and in the first
  month with data (April 2021).
"""

from __future__ import annotations

import importlib
import re

import pandas as pd
import pytest

from smp_analysis.assessment import sections as S
from smp_analysis.assessment.claims import MIN_RESIDUAL_DF
from smp_analysis.assessment.context import Context
from smp_analysis.assessment.sections.town_centre import intervention_paragraph
from smp_analysis.categories import CRIME_TYPES
from smp_analysis.inputs import load_inputs
from smp_analysis.present.blocks import Table, paragraph_html
from smp_analysis.present.downloads import csv_text
from smp_analysis.stats.intervention import ModelError, interrupted_time_series

from ..helpers import context_for, gappy_copy
from .test_downloads_match_tables import downloaded, matches, shown_numbers

#: the module (``sections.town_centre`` is the section builder of the same name)
tc_module = importlib.import_module("smp_analysis.assessment.sections.town_centre")

NOT_REPORTED = "The interrupted time series is not reported: "
_MONTH = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December) (\d{4})\b"
)


def _with_start(cfg, month: str):
    """The same config with the intervention starting in ``month``."""
    tc = cfg.town_centre
    intervention = tc.intervention.model_copy(update={"start": month})
    return cfg.model_copy(
        update={"town_centre": tc.model_copy(update={"intervention": intervention})}
    )


def _tc2(ctx: Context, month: str):
    c = Context.create(_with_start(ctx.config, month), ctx.inputs)
    return c, intervention_paragraph(c, "TC.2")


def _series(ctx: Context) -> pd.Series:
    s = ctx.police_series(CRIME_TYPES, area="town_centre")
    return pd.Series(s["count"].to_numpy(), index=pd.PeriodIndex(s["month"], freq="M"))


def _tables(p) -> list[Table]:
    return [d for d in p.details if isinstance(d, Table)]


def _assert_its_left_out(ctx: Context, p, start: str, reason: str) -> None:
    """TC.2 present, the reason sentence, counts as numbers, and no ITS estimate anywhere."""
    assert p is not None and p.label == "TC.2"
    text = " ".join(p.text)
    assert f"{NOT_REPORTED}{reason}" in text, text
    # no model estimate: no level change, interval, expected count or model table (the
    # weighted displacement difference, when given, has its own sentences and interval)
    its_text = " ".join(
        t for t in p.text if "comparison area" not in t and "weighted displacement" not in t
    )
    for phrase in ("level change", "95% CI", "expected without a change", "dropped to"):
        assert phrase not in its_text, phrase
    captions = [t.caption for t in _tables(p)]
    assert "Table TC.2: interrupted time series, Sampleton town centre" not in captions
    assert not any("segmented" in t or "observed over expected" in t for t in p.tests)
    assert all(isinstance(d, Table) for d in p.details)  # no chart of fitted values
    # the counts table: totals over exactly the months with data on each side of the start
    counts = _tables(p)[0]
    assert counts.caption.startswith("Table TC.2: crimes recorded in Sampleton town centre")
    y = _series(ctx).dropna()
    data = counts.data.set_index("period")
    month = pd.Period(start, freq="M")
    label = month.strftime("%B %Y")
    for name, part in (
        (f"Before {label}", y[y.index < month]),
        (f"From {label}", y[y.index >= month]),
    ):
        if part.empty:
            assert name not in data.index
            continue
        assert data.loc[name, "count"] == part.sum()
        assert data.loc[name, "months_with_data"] == len(part)
        assert data.loc[name, "per_month"] == pytest.approx(part.mean())
    # the numbers quoted are in the tables beside them (the counts, and the WDD's when given);
    # the sentences name only months with data (or the start itself)
    shown = " | ".join(str(v) for t in _tables(p) for v in t.frame.to_numpy().ravel())
    for fact in p.facts:
        assert fact in text and fact in shown, fact
    first, last = y.index.min(), y.index.max()
    for sentence in p.text[:2]:
        for m, yr in _MONTH.findall(sentence):
            named = pd.Period(f"{m} {yr}", freq="M")
            assert first <= named <= last or named == month, f"{named} in {sentence!r}"
    # the ITS months are in the coverage but not used
    its_cov = p.coverage[p.coverage["period"].str.contains("interrupted time series")]
    assert len(its_cov) and its_cov["months_used"].sum() == 0
    # renders, and every number shown is in the download
    assert 'id="TC.2"' in paragraph_html(p)
    nums, csv = downloaded(csv_text(counts.result_table()))
    for cell, value, dp in shown_numbers(counts.html()):
        assert cell in csv or matches(value, dp, nums, csv), cell


# ----------------------------------------------------------------------------- contexts
@pytest.fixture(scope="module")
def year_2022_23(sample_context, tmp_path_factory):
    """Reporting year 2022/23: police.uk April 2021 to March 2023 (23 months with data)."""
    cfg = _with_start(sample_context.config.for_year("2022/23"), "2022-10")
    return Context.create(cfg, load_inputs(cfg))


@pytest.fixture(scope="module")
def sixteen_months(sample_dir, tmp_path_factory):
    """The issue's case: 2022/23 with police.uk from December 2021 only (16 months)."""
    drop = [f"2021-{m:02d}" for m in (4, 5, 6, 7, 9, 10, 11)]  # August 2021 is never there
    data = gappy_copy(sample_dir, tmp_path_factory.mktemp("its-16"), drop)
    ctx = context_for(data, tmp_path_factory.mktemp("its-16-ctx"), year="2022/23")
    assert len(_series(ctx).dropna()) == 16
    return ctx


# ----------------------------------------------------------------------------- tests
def test_complete_sample_reports_the_model_with_t_intervals(sample_context) -> None:
    ctx = sample_context
    p = intervention_paragraph(ctx, "TC.2")
    its = interrupted_time_series(_series(ctx), ctx.config.town_centre.intervention.start)
    assert its.df_resid == 47 - 15 >= MIN_RESIDUAL_DF
    text = " ".join(p.text)
    assert NOT_REPORTED not in text
    assert "dropped to 75% of the level expected" in text
    # the sentences name the months the model used: first and last month with data
    assert "The model uses the 47 months with data from April 2021 to March 2025" in text
    assert "Over the 18 months with data since (October 2023 to March 2025)" in text
    table = _tables(p)[0]
    assert table.caption == "Table TC.2: interrupted time series, Sampleton town centre"
    assert (table.data["residual_df"] == its.df_resid).all()
    assert table.data.loc[0, "ci_low"] == pytest.approx(its.level_ci_low)
    assert "t distribution on 32 residual degrees of freedom" in table.note
    assert any("t intervals on 32 residual degrees of freedom" in t for t in p.tests)


def test_fewer_than_ten_residual_df_leave_the_model_out(year_2022_23) -> None:
    ctx = year_2022_23
    p = intervention_paragraph(ctx, "TC.2")
    _assert_its_left_out(
        ctx,
        p,
        "2022-10",
        "the model has only 8 residual degrees of freedom (needs 10), from 23 months with "
        "data (April 2021 to March 2023) and 15 model terms.",
    )
    text = " ".join(p.text)
    assert "2,670 recorded crimes in the 17 months with data before October 2022" in text
    assert "932 in the 6 months with data from October 2022 (October 2022 to March 2023" in text
    # the weighted displacement difference follows its own rule (six months after the start)
    assert "only 18 of those 24 months have data (12 before and 6 after)" in text
    assert p.tests == ()
    assert p.public_text[0].startswith("The months of police data available are not enough")


def test_placebo_start_with_one_residual_df_is_not_reported(sixteen_months) -> None:
    """The issue: a placebo start fitted 15 terms to 16 months and printed intervals."""
    ctx, p = _tc2(sixteen_months, "2023-01")
    its = interrupted_time_series(_series(ctx), "2023-01")
    assert its.df_resid == 1  # the model can be fitted, but is not to be reported
    _assert_its_left_out(
        ctx,
        p,
        "2023-01",
        "the model has only 1 residual degree of freedom (needs 10), from 16 months with "
        "data (December 2021 to March 2023) and 15 model terms.",
    )


def test_not_identifiable_start_leaves_tc2_with_the_reason(sixteen_months) -> None:
    """The issue: 'model terms are not identifiable' failed the whole build."""
    ctx, p = _tc2(sixteen_months, "2022-10")
    with pytest.raises(ModelError, match="not identifiable"):
        interrupted_time_series(_series(ctx), "2022-10")
    _assert_its_left_out(
        ctx,
        p,
        "2022-10",
        "the months with data cannot tell the change at the start apart from the trend and "
        "the seasonal pattern (the model terms are not identifiable).",
    )
    S.town_centre(Context.create(ctx.config, ctx.inputs))  # the section builds


def test_start_in_the_last_month_with_data(sample_context) -> None:
    ctx, p = _tc2(sample_context, "2025-03")
    _assert_its_left_out(
        ctx,
        p,
        "2025-03",
        "there is only 1 month with data from the start (the model needs at least 3 months "
        "before the start and 3 from it).",
    )
    assert "145 in March 2025, the only month with data from March 2025" in " ".join(p.text)
    sec = S.town_centre(ctx)  # the whole section builds, TC.2 in its place
    assert "TC.2" in sec.labels and sec.labels == S.town_centre(sample_context).labels


@pytest.mark.parametrize(
    ("start", "reason"),
    [
        (
            "2025-07",
            "the Safer Streets town-centre scheme started in July 2025, after the last month "
            "with data (March 2025).",
        ),
        (
            "2021-04",
            "the Safer Streets town-centre scheme started in April 2021, and the first month "
            "with data is April 2021, so there are no months with data before the start.",
        ),
        (
            "2025-01",  # three months after the start: fitted, 32 df, reported
            None,
        ),
    ],
)
def test_start_at_either_end_of_the_data(sample_context, start, reason) -> None:
    ctx, p = _tc2(sample_context, start)
    if reason is None:
        assert NOT_REPORTED not in " ".join(p.text)
        assert "(44 before the start and 3 from it)" in " ".join(p.text)
        return
    _assert_its_left_out(ctx, p, start, reason)


def test_any_model_error_is_a_reason_not_a_failed_build(sample_context, monkeypatch) -> None:
    def unfittable(*args, **kwargs):
        raise ModelError("the model did not converge for these months")

    monkeypatch.setattr(tc_module, "interrupted_time_series", unfittable)
    p = intervention_paragraph(sample_context, "TC.2")
    _assert_its_left_out(
        sample_context, p, "2023-10", "the model did not converge for these months."
    )
