"""Executive summary: the status count sentence, the relevance rule, and their config."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from smp_analysis.assessment.sections.summary import status_count_sentence
from smp_analysis.assessment.status import (
    IndicatorResult,
    conclude,
    priority_relevance,
    priority_status,
)
from smp_analysis.config import load_config
from smp_analysis.errors import ConfigError

from ..helpers import REPO_ROOT


@pytest.mark.parametrize(
    ("counts", "sentence"),
    [
        # the example: five priorities
        (
            {"Exceeding expectations": 2, "On track": 2, "Needs attention": 1},
            "Of five priorities, two are exceeding expectations, two are on track and one "
            "needs attention.",
        ),
        # order is best status first whatever the dict order; zero counts are left out
        (
            {"Needs attention": 3, "Exceeding expectations": 1, "On track": 0},
            "Of four priorities, one is exceeding expectations and three need attention.",
        ),
        ({"On track": 2}, "Of two priorities, two are on track."),
        ({"Not assessed": 1}, "The one priority is not assessed."),
        (
            {"On track": 11, "Not assessed": 1},
            "Of 12 priorities, 11 are on track and one is not assessed.",
        ),
        ({}, "No priorities are configured."),
    ],
)
def test_status_count_sentence(counts, sentence) -> None:
    assert status_count_sentence(counts) == sentence


def _ind(label: str, estimate: float, p: float, good: str = "down") -> IndicatorResult:
    return IndicatorResult(
        "X", label.lower(), label, good, estimate=estimate, ci_low=estimate * 0.9,
        ci_high=estimate * 1.1, p_value=p,
    )  # fmt: skip


FELL = _ind("Violence", 0.8, 0.001)  # significant fall, good: down -> improved
ROSE = _ind("Robbery", 1.4, 0.001)  # significant rise -> worsened
FLAT = _ind("Burglary", 1.02, 0.7)  # no significant change
CONTEXT = _ind("Weapons", 1.5, 0.001, good="neutral")
MISSING = IndicatorResult("X", "k", "Knife crime", "down", available=False, reason="no data")


@pytest.mark.parametrize(
    ("indicators", "override", "relevant", "reason"),
    [
        ([FELL], None, False, "its one indicator with a direction improved significantly"),
        ([FELL, FELL, CONTEXT], None, False, "all 2 of its indicators improved significantly"),
        ([FELL, FLAT], None, True, "1 of its 2 indicators with a direction did not improve"),
        ([FELL, ROSE], None, True, "it needs attention"),
        ([FELL, MISSING], None, True, "1 of its 2 indicators with a direction did not improve"),
        ([CONTEXT], None, True, "the evidence could not show whether it improved"),
        # the analysts' override of the status counts: they say it needs attention
        ([FELL], "Needs attention", True, "it needs attention"),
    ],
)
def test_relevance_rule(indicators, override, relevant, reason) -> None:
    s = priority_status(
        "X", "X", indicators, override=override, rationale="a reason" if override else None
    )
    r = priority_relevance(s)
    assert r.relevant is relevant
    assert reason in r.reason


def test_conclusion_is_computed_and_the_override_needs_a_rationale() -> None:
    keep = priority_status("A", "A", [FLAT])
    done = priority_status("B", "B", [FELL])
    c = conclude([keep, done])
    assert (c.computed, c.final) == (False, False)
    assert [r.priority_id for r in c.to_review] == ["B"]
    c = conclude([keep, done], relevant=True, rationale="Partners agreed to keep B a year.")
    assert (c.computed, c.final) == (False, True)
    with pytest.raises(ValueError, match="rationale"):
        conclude([keep], relevant=False)


def _config_with(tmp_path: Path, **extra) -> Path:
    raw = yaml.safe_load((REPO_ROOT / "data" / "config" / "sample.yml").read_text())
    raw.update(extra)
    p = tmp_path / "c.yml"
    p.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return p


def test_conclusion_config_needs_a_rationale(tmp_path: Path) -> None:
    ok = load_config(
        _config_with(
            tmp_path,
            conclusion={"relevant": True, "rationale": "Agreed at the March board meeting."},
        )
    )
    assert ok.conclusion is not None and ok.conclusion.relevant is True
    with pytest.raises(ConfigError, match=r"conclusion.rationale': required key is missing"):
        load_config(_config_with(tmp_path, conclusion={"relevant": False}))


def test_theme_ids_must_differ_from_priority_ids(tmp_path: Path) -> None:
    theme = {"id": "DA", "name": "Clash", "indicators": []}
    with pytest.raises(ConfigError, match=r"theme ids must be unique and differ.*\['DA'\]"):
        load_config(_config_with(tmp_path, themes=[theme]))
    bad_measure = {
        "id": "ZZ",
        "name": "Z",
        "indicators": [
            {"id": "s", "label": "S", "source": "survey", "measure": "nope", "good": "up"}
        ],
    }
    with pytest.raises(ConfigError, match="theme ZZ indicator 's' uses survey measure 'nope'"):
        load_config(_config_with(tmp_path, themes=[bad_measure]))


def test_action_log_is_a_hashed_input(tmp_path: Path) -> None:
    from smp_analysis.pipeline.manifest import data_files

    (tmp_path / "police").mkdir()
    log = REPO_ROOT / "data" / "actions" / "sample.csv"
    data = {"police_uk": [str(tmp_path / "police")], "action_log": str(log)}
    cfg = load_config(_config_with(tmp_path, data=data))
    assert data_files(cfg) == [log]  # hashed into the manifest and the build's fingerprint


def _flagged(rows):
    import pandas as pd

    return pd.DataFrame(rows, columns=["crime_type", "area", "observed", "expected", "threshold"])


def test_concerns_sentences_point_to_ec1_and_name_uncovered_categories() -> None:
    from types import SimpleNamespace

    from smp_analysis.assessment.sections.summary import Concerns, _concerns_sentences

    ctx = SimpleNamespace(config=SimpleNamespace(area=SimpleNamespace(name="Sampleton")))
    assert _concerns_sentences(ctx, Concerns(False, "", _flagged([]))) == [
        "The emerging-concerns register could not be run this year (see EC.1)."
    ]
    assert _concerns_sentences(ctx, Concerns(True, "January to March 2025", _flagged([]))) == [
        "The emerging-concerns register flagged no series in January to March 2025 (see EC.1)."
    ]
    two = _flagged([("Robbery", "Sampleton", 9, 4, 7), ("Shoplifting", "Sampleton 012A", 8, 3, 6)])
    assert _concerns_sentences(ctx, Concerns(True, "March 2025", two, ("Shoplifting",))) == [
        "Emerging concerns for March 2025 (EC.1): robbery across the district and shoplifting "
        "in Sampleton 012A were above the expected range.",
        "No current priority's indicators cover shoplifting; the partnership may wish to "
        "consider whether they need a priority's attention.",
    ]
    five = _flagged([("Robbery", "Sampleton", 9, 4, 7)] * 5)
    assert _concerns_sentences(ctx, Concerns(True, "March 2025", five))[0].endswith(
        "five series were above the expected range, led by robbery across the district, "
        "robbery across the district and robbery across the district."
    )


def test_conclusion_sentence_names_the_priority_to_review() -> None:
    from smp_analysis.assessment.sections.summary import Concerns as C
    from smp_analysis.assessment.sections.summary import ExecutiveSummary, _conclusion_sentences

    keep = priority_status("A", "Serious violence", [FLAT])
    done = priority_status("B", "A safe town centre", [FELL])
    e = ExecutiveSummary(
        (keep, done), {}, 0, C(False, "", _flagged([])), conclude([keep, done]), "2025/26"
    )
    said = _conclusion_sentences(e)
    assert said == [
        "On the evidence, one of the two priorities remains relevant for 2025/26. For A safe "
        "town centre, its one indicator with a direction improved significantly, so the "
        "partnership may review whether it is still needed as a priority (the rule is under "
        "Data and methods)."
    ]


def test_every_priority_notebook_shows_its_work_and_the_summary_starts_with_sum0() -> None:
    import nbformat

    cfg = load_config(REPO_ROOT / "data" / "config" / "sample.yml")
    nb_dir = REPO_ROOT / "notebooks"
    for p in cfg.priorities:
        code = [c.source for c in nbformat.read(nb_dir / p.notebook, as_version=4).cells]
        assert any(f'section.show("{p.id}.20")' in s for s in code), p.notebook
    summary = [
        c.source
        for c in nbformat.read(nb_dir / "00_summary.ipynb", as_version=4).cells
        if "section.show(" in c.source
    ]
    assert summary[:3] == [
        'section.show("SUM.0")',
        'section.show("SUM.1")',
        'section.show("SUM.2")',
    ]
    assert "60_themes.ipynb" in cfg.notebook_names()
