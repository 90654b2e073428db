"""One full build of the sample appendix per test session (about a minute)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from smp_analysis.pipeline import BuildResult, build

from ..helpers import sample_config


@dataclass(frozen=True)
class Built:
    result: BuildResult
    config: Path
    appendix: BeautifulSoup
    public: BeautifulSoup
    appendix_html: str
    public_html: str


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Built:
    folder = tmp_path_factory.mktemp("build")
    config = sample_config(folder, sample_dir)
    result = build(config, timeout=300)
    a = result.appendix.read_text(encoding="utf-8")
    p = result.public.read_text(encoding="utf-8")
    return Built(
        result, config, BeautifulSoup(a, "html.parser"), BeautifulSoup(p, "html.parser"), a, p
    )


def para_text(soup: BeautifulSoup, label: str, part: str = "para-narrative") -> str:
    """Text of one labelled paragraph's narrative (or ``para-detail``) column."""
    section = soup.find("section", id=label)
    assert section is not None, f"paragraph {label} is missing"
    div = section.find("div", class_=part)
    return "" if div is None else " ".join(div.get_text(" ").split())
