"""The residents' blocks of public.html: help lines, what we are doing, have your say,
why fewer reports can be a concern, no internal labels — from the config, hostile text
escaped."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup

from smp_analysis.assessment.sections import public
from smp_analysis.assessment.status import IndicatorResult
from smp_analysis.config import NATIONAL_HELP, load_config
from smp_analysis.errors import ConfigError
from smp_analysis.present.blocks import Paragraph, paragraph_html

from ..helpers import SAMPLE_CONFIG


def _config(tmp_path: Path, **public_block):
    raw = yaml.safe_load(SAMPLE_CONFIG.read_text(encoding="utf-8"))
    raw["public"] = public_block  # the sample's own public block replaced (empty: defaults)
    p = tmp_path / "c.yml"
    p.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return load_config(p)


def _ctx(cfg, actions=None):
    return SimpleNamespace(config=cfg, actions=actions)


def _html(p: Paragraph) -> BeautifulSoup:
    return BeautifulSoup(paragraph_html(p, public=True), "html.parser")


def test_national_help_lines_by_default(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    assert cfg.public.help_lines == NATIONAL_HELP
    soup = _html(public._help(_ctx(cfg)))
    tels = [a["href"] for a in soup.select("a[href^='tel:']")]
    # 999, 101, the National Domestic Abuse Helpline (Refuge), Crimestoppers, Victim
    # Support, Samaritans, as each organisation publishes them
    assert tels == [
        "tel:999",
        "tel:101",
        "tel:08082000247",
        "tel:0800555111",
        "tel:08081689111",
        "tel:116123",
    ]
    text = soup.get_text(" ")
    assert "nationaldahelpline.org.uk" in text and "Crimestoppers" in text
    # the page links to no other site: web addresses are text
    assert not soup.select("a[href^='http']")


def test_local_help_is_added_and_national_lines_can_be_left_out(tmp_path: Path) -> None:
    local = {
        "name": "Sampleton Community Safety Team",
        "what": "Local help.",
        "phone": "01234 567890",
    }
    cfg = _config(tmp_path, help=[local])
    assert [c.name for c in cfg.public.help_lines][-1] == local["name"]
    assert len(cfg.public.help_lines) == len(NATIONAL_HELP) + 1
    only = _config(tmp_path, help=[local], national_help=False)
    assert [c.name for c in only.public.help_lines] == [local["name"]]


@pytest.mark.parametrize(
    ("entry", "key"),
    [
        ({"name": "X", "what": "Y", "url": "javascript:alert(1)"}, "public.help.0.url"),
        ({"name": "X", "what": "Y", "url": "http://a b.org"}, "public.help.0.url"),
        ({"name": "X", "what": "Y", "phone": "call 999"}, "public.help.0.phone"),
        ({"name": "X", "what": "Y", "email": "a@b"}, "public.help.0.email"),
        ({"name": "X", "what": "Y"}, "public.help.0"),
        ({"name": "X", "what": "line\u202eone", "phone": "101"}, "public.help.0.what"),
    ],
)
def test_bad_help_entries_are_one_line_config_errors(tmp_path: Path, entry, key) -> None:
    with pytest.raises(ConfigError) as e:
        _config(tmp_path, help=[entry])
    assert key in str(e.value) and "\n" not in str(e.value)


def test_priority_titles_must_name_a_priority(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ZZ"):
        _config(tmp_path, priority_titles={"ZZ": "Nothing"})
    cfg = _config(tmp_path, priority_titles={"SV": "Serious violence"})
    assert public._priority_title(_ctx(cfg), "SV") == "Serious violence"


def test_hostile_text_is_shown_as_text(tmp_path: Path) -> None:
    bad = "<script>alert(1)</script> [x](tel:1) **loud** ![i](HTTP://h/i.png)"
    cfg = _config(
        tmp_path,
        help=[{"name": bad, "what": bad, "phone": "0800 000 000"}],
        have_your_say={"text": bad, "meetings": [bad]},
    )
    actions = pd.DataFrame(
        {
            "priority": ["DA"],
            "action": [bad],
            "lead": ["DA subgroup"],
            "status": ["In progress"],
            "update": [bad],
            "public": [True],
        }
    )
    for p in (public._help(_ctx(cfg)), public._doing(_ctx(cfg, actions)), public._say(_ctx(cfg))):
        soup = _html(p)
        assert soup.find("strong", string="loud") is None  # Markdown in the text is not applied
        assert not soup.select("script, img")
        # the only links are the ones the page makes: tel: for phone numbers
        assert all(a["href"] != "tel:1" for a in soup.find_all("a"))
        assert "<script>alert(1)</script>" in soup.get_text()


def test_doing_shows_public_actions_by_priority(tmp_path: Path) -> None:
    cfg = _config(tmp_path, priority_titles={"DA": "Domestic abuse"})
    actions = pd.DataFrame(
        {
            "priority": ["TC", "DA", "DA"],
            "action": ["Street marshals", "Training for GP surgeries", "Secret operation"],
            "lead": ["TC group", "DA group", "Police"],
            "status": ["Complete", "In progress", "In progress"],
            "update": ["Every weekend", "", "Not for the public"],
            "public": [True, True, False],
        }
    )
    soup = _html(public._doing(_ctx(cfg, actions)))
    heads = [h.get_text() for h in soup.select("h4")]
    assert heads == ["Domestic abuse", "A safe town centre"]  # config order, plain titles
    text = soup.get_text(" ")
    assert "Training for GP surgeries. Under way." in text
    assert "Street marshals. Done. Every weekend." in text
    assert "Secret" not in text and "Not for the public" not in text
    # no action log (or none public): no block
    assert public._doing(_ctx(cfg, None)) is None
    assert public._doing(_ctx(cfg, actions[~actions["public"]])) is None


def test_have_your_say_default_and_configured(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    text = " ".join(public._say(_ctx(cfg)).text)
    assert "contact Sampleton council" in text and "Safer Sampleton Partnership" in text
    cfg = _config(
        tmp_path,
        have_your_say={
            "url": "https://www.sampleton.gov.uk/survey",
            "email": "safety@sampleton.gov.uk",
            "meetings": ["Tuesday 14 October, 7pm, Town Hall"],
        },
        contact={"name": "the community safety team", "what": "-", "phone": "01234 567890"},
    )
    soup = _html(public._say(_ctx(cfg)))
    assert soup.find("a", href="mailto:safety@sampleton.gov.uk") is not None
    assert soup.find("a", href="tel:01234567890") is not None
    assert "www.sampleton.gov.uk/survey" in soup.get_text()
    assert [li.get_text() for li in soup.select("li")] == ["Tuesday 14 October, 7pm, Town Hall"]
    assert "contact Sampleton council" not in soup.get_text()


def _result(ind_id: str, label: str, good: str, base: float, cur: float, p: float):
    return IndicatorResult(
        "DA",
        ind_id,
        label,
        good,
        baseline=base,
        current=cur,
        p_value=p,
        public_sentence=f"{label} changed.",
    )


def test_a_real_fall_in_an_under_reported_crime_is_explained(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    ctx = _ctx(cfg)
    results = (
        _result("da_crimes", "Domestic abuse-flagged crimes", "neutral", 100, 96, 0.6),
        _result("coercive_control", "Reports of coercive control", "up", 200, 144, 0.001),
    )
    sec = SimpleNamespace(id="DA", status=SimpleNamespace(indicators=results))
    text = tuple(r.public_sentence for r in results)
    out = public._with_concern(ctx, sec, text)
    # a fall within the usual ups and downs gets no concern; the real fall does
    assert out == (*text, public.FEWER_REPORTS)
    # a crime the partnership wants to go down is never flagged
    sv = _result("violence", "Violence and sexual offences", "down", 100, 50, 0.001)
    sec_sv = SimpleNamespace(id="DA", status=SimpleNamespace(indicators=(sv,)))
    assert public._with_concern(ctx, sec_sv, (sv.public_sentence,)) == (sv.public_sentence,)
    # a rise is not a concern of this kind
    up = _result("coercive_control", "Reports of coercive control", "up", 100, 150, 0.001)
    sec_up = SimpleNamespace(id="DA", status=SimpleNamespace(indicators=(up,)))
    assert public._with_concern(ctx, sec_up, (up.public_sentence,)) == (up.public_sentence,)


def test_public_section_shows_no_labels() -> None:
    s = public.PublicSection(
        "P", "Community safety", (Paragraph("PS.3", "Serious violence", ("Text.",)),), public=True
    )
    html = s.html("PS.3")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.section["id"] == "PS.3"  # kept for links
    assert "PS.3" not in soup.get_text()
    assert s.html("PS.9") == ""  # a paragraph not on this year's page: nothing for residents
