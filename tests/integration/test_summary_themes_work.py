"""The sample's executive summary (SUM.0), cross-cutting themes (XT) and work undertaken
(``<ID>.20``) computed from its inputs."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pandas as pd

from smp_analysis.assessment.indicators import evaluate_priority
from smp_analysis.assessment.section import Section
from smp_analysis.assessment.sections import themes, with_work_undertaken
from smp_analysis.assessment.sections.summary import (
    executive_paragraph,
    executive_summary,
    status_count_sentence,
)
from smp_analysis.assessment.sections.themes import evaluate_theme
from smp_analysis.config import STATUSES, ConclusionConfig
from smp_analysis.sources.actions import ACTION_COLUMNS


def _theme(ctx, label: str):
    return ctx.config.themes[int(label.split(".")[1]) - 1]


def _statuses(ctx):
    return [evaluate_priority(ctx, p.id) for p in ctx.config.priorities]


def test_counts_are_the_final_statuses_of_every_priority(sample_context) -> None:
    ctx = sample_context
    statuses = _statuses(ctx)
    e = executive_summary(ctx, statuses)
    finals = Counter(s.final for s in statuses)
    assert e.by_status == {s: finals.get(s, 0) for s in STATUSES}
    assert sum(e.by_status.values()) == len(ctx.config.priorities) == 4
    # CYP's status is the analysts' (Needs attention; the evidence alone gives On track)
    assert e.overridden == 1
    p = executive_paragraph(ctx, e, "SUM.0")
    assert p.text[0].startswith(status_count_sentence(e.by_status)[:-1])
    assert "one of them set by the partnership's analysts" in p.text[0]
    assert e.next_year == "2025/26"


def test_concerns_are_the_registers_and_are_pointed_to(sample_context) -> None:
    from smp_analysis.assessment.sections.emerging import register, register_window

    ctx = sample_context
    e = executive_summary(ctx, _statuses(ctx))
    tested, _ = register_window(ctx)
    expected = register(ctx, tested[-1])
    assert e.concerns.run
    pd.testing.assert_frame_equal(
        e.concerns.flagged[["area", "crime_type", "observed"]].reset_index(drop=True),
        expected[["area", "crime_type", "observed"]].reset_index(drop=True),
    )
    text = " ".join(executive_paragraph(ctx, e, "SUM.0").text)
    assert "(EC.1)" in text


def test_conclusion_computed_then_analysts_override_shown_beside(sample_context) -> None:
    ctx = sample_context
    statuses = _statuses(ctx)
    e = executive_summary(ctx, statuses)
    # every sample priority needs attention or has an indicator that did not improve
    assert all(r.relevant for r in e.conclusion.priorities) and e.conclusion.computed
    text = executive_paragraph(ctx, e, "SUM.0").text
    assert any("the priorities remain relevant for 2025/26" in t for t in text)
    cfg = ctx.config.model_copy(
        update={
            "conclusion": ConclusionConfig(
                relevant=False,
                text="The town centre priority can become business as usual",
                rationale="The scheme is now funded by the council's core budget.",
            )
        }
    )
    e2 = executive_summary(replace(ctx, config=cfg), statuses)
    assert (e2.conclusion.computed, e2.conclusion.final) == (True, False)
    said = " ".join(executive_paragraph(ctx, e2, "SUM.0").text)
    assert "The partnership's analysts conclude: The town centre priority can become" in said
    assert "(the evidence alone gives the conclusion above)" in said
    assert "Reason: The scheme is now funded" in said


def test_work_undertaken_paragraph_lists_the_priority_rows(sample_context) -> None:
    ctx = sample_context
    log = ctx.actions
    assert log.columns.tolist() == list(ACTION_COLUMNS)
    s = with_work_undertaken(ctx, Section("DA", "Domestic abuse (including stalking)", ()))
    p = s["DA.20"]
    rows = log[log["priority"] == "DA"]
    assert len(p.details[0].data) == len(rows) == 3
    assert p.text == (
        "The action log lists three actions for domestic abuse (including stalking): "
        "one complete and two in progress.",
    )
    # a row marked public: false is not in the public text
    hidden = rows.loc[~rows["public"], "action"].tolist()
    assert hidden and not any(h in t for h in hidden for t in p.public_text)


def test_without_an_action_log_the_paragraph_says_so(sample_context) -> None:
    ctx = replace(sample_context, inputs=replace(sample_context.inputs, actions=None))
    assert ctx.actions.empty and ctx.actions.columns.tolist() == list(ACTION_COLUMNS)
    p = with_work_undertaken(ctx, Section("SV", "Serious violence", ()))["SV.20"]
    assert p.details == ()
    assert p.text[0].startswith("No action log was supplied")


def test_themes_judge_their_indicators_and_list_their_work(sample_context) -> None:
    ctx = sample_context
    sec = themes(ctx)
    assert sec.labels == ["XT.1", "XT.2"]
    for p, t in zip(sec.paragraphs, ctx.config.themes, strict=True):
        assert p.title == t.name
        indicators, work = p.details
        assert indicators.data["indicator"].tolist() == [i.label for i in t.indicators]
        assert work.data["priority"].eq(t.id).all() and len(work.data) == 1
    # XT.1: drug offences (context) and theft from the person (no significant change)
    assert sec["XT.1"].text[1] == (
        "Of the two indicators of Exploitation and vulnerability, one showed no statistically "
        "significant change and one is reported for context."
    )
    # XT.2: public order and criminal damage, neither changed significantly
    assert sec["XT.2"].text[1] == (
        "Both indicators of Neighbourhood disorder and community confidence showed no "
        "statistically significant change."
    )
    verdicts = [
        v.code for p in ("XT.1", "XT.2") for v in evaluate_theme(ctx, _theme(ctx, p)).verdicts
    ]
    assert verdicts == ["context", "no significant change"] + ["no significant change"] * 2
