"""Analysts' narrative file: add/replace by label, clear errors for typos."""

from __future__ import annotations

from pathlib import Path

import pytest

from smp_analysis.assessment.paragraphs import load_overrides
from smp_analysis.errors import InputError
from smp_analysis.present.blocks import Paragraph, paragraph_html


def test_add_and_replace(tmp_path: Path) -> None:
    p = tmp_path / "n.yml"
    p.write_text("DA.3:\n  add: Extra *context*.\nTC.1:\n  replace: Our own words.\n")
    o = load_overrides(p)
    para = Paragraph("DA.3", "T", ("Generated sentence.",))
    html = paragraph_html(para, add=o["DA.3"].add)
    assert "Generated sentence." in html and "<em>context</em>" in html
    html2 = paragraph_html(Paragraph("TC.1", "T", ("Generated.",)), replace=o["TC.1"].replace)
    assert "Our own words." in html2 and "Generated." not in html2


def test_raw_html_is_escaped(tmp_path: Path) -> None:
    p = tmp_path / "n.yml"
    p.write_text("DA.3:\n  add: '<script>alert(1)</script>'\n")
    html = paragraph_html(Paragraph("DA.3", "T", ("x",)), add=load_overrides(p)["DA.3"].add)
    assert "<script>" not in html


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("da.3:\n  add: x\n", r"n\.yml:1: column 'da\.3': 'da\.3' is not a paragraph label"),
        ("DA.3:\n  ad: x\n", r"n\.yml:1: column 'DA\.3': each label needs 'add:'"),
        ("DA.3: just text\n", r"each label needs"),
        ("DA.3:\n  add: [1, 2]\n", r"'add' must be text"),
        ("DA.3: [\n", r"invalid YAML"),
    ],
)
def test_errors(tmp_path: Path, text: str, match: str) -> None:
    p = tmp_path / "n.yml"
    p.write_text(text)
    with pytest.raises(InputError, match=match):
        load_overrides(p)


def test_none_and_missing(tmp_path: Path) -> None:
    assert load_overrides(None) == {}
    with pytest.raises(InputError, match="narrative file not found"):
        load_overrides(tmp_path / "nope.yml")
