"""The section builders on real, gappy data: Kent street crime for Maidstone (2024-01…04 and
2025-01…06 only), Census 2021 population and IMD 2019, read in place from ../shared."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from smp_analysis.assessment import sections as S
from smp_analysis.assessment.context import Context
from smp_analysis.config import load_config
from smp_analysis.errors import ConfigError
from smp_analysis.inputs import load_inputs
from smp_analysis.present.blocks import Table

from ..helpers import real_maidstone

pytestmark = pytest.mark.realdata


def _config(tmp: Path, real: Path, **town_centre) -> Path:
    raw = real_maidstone(tmp, real)
    raw["town_centre"].update(town_centre)
    path = tmp / "maidstone.yml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def real_ctx(tmp_path_factory, real_data) -> Context:
    cfg = load_config(_config(tmp_path_factory.mktemp("maid"), real_data))
    return Context.create(cfg, load_inputs(cfg))


@pytest.fixture(scope="module")
def built(real_ctx):
    names = [
        "summary",
        "serious_violence",
        "domestic_abuse",
        "town_centre",
        "young_people",
        "wider_determinants",
        "emerging_concerns",
        "data_and_methods",
    ]
    return {n: getattr(S, n)(real_ctx) for n in names}


def test_numbers_in_sentences_are_in_the_tables(built) -> None:
    for name, sec in built.items():
        for p in sec.paragraphs:
            tables = " | ".join(
                str(v)
                for d in p.details
                if isinstance(d, Table)
                for v in d.frame.to_numpy().ravel()
            )
            for fact in p.facts:
                assert fact in tables, f"{name} {p.label}: {fact!r} not in the table beside it"


def test_direction_words_agree(built) -> None:
    for sec in built.values():
        for p in sec.paragraphs:
            for t in p.text:
                assert not re.search(r"\bfell by [\d.]+% \([\d,]+ more\b", t), t
                assert not re.search(r"\brose by [\d.]+% \([\d,]+ fewer\b", t), t


def test_gaps_are_declared_not_zero(built) -> None:
    dm = " ".join(built["data_and_methods"]["DM.1"].text)
    assert "May to December 2024" in dm and "never as zero" in dm  # the gap in words
    sv = " ".join(built["serious_violence"]["SV.2"].text)
    assert "have data in both" in sv


def test_missing_partner_data_is_not_assessed(built) -> None:
    da = built["domestic_abuse"]
    assert da.status.computed == "Not assessed" and da.labels == ["DA.1"]


def test_town_centre_concentration_on_real_data(built) -> None:
    text = " ".join(built["town_centre"]["TC.3"].text)
    crime = int(re.search(r"had (\d+)% of the district's recorded crime", text).group(1))
    residents = int(re.search(r"but (\d+)% of its residents", text).group(1))
    assert crime > 2 * residents


def test_stale_2011_town_centre_code_is_a_config_error(tmp_path, real_data) -> None:
    cfg = load_config(_config(tmp_path, real_data, lsoa_codes=["E01024371", "E01033090"]))
    with pytest.raises(
        ConfigError, match=r"town_centre\.lsoa_codes'.*E01033090 is not among the 99 LSOAs"
    ):
        load_inputs(cfg)


def test_incomplete_years_compare_the_same_calendar_months(real_ctx, built) -> None:
    cur, prev, label = real_ctx.matched_months()
    # 2023/24 has Jan-Mar 2024; 2024/25 has Apr 2024 and Jan-Mar 2025: compare Jan-Mar only
    assert [str(m) for m in prev] == ["2024-01", "2024-02", "2024-03"]
    assert [str(m) for m in cur] == ["2025-01", "2025-02", "2025-03"]
    assert label == "January to March"
    sv = built["serious_violence"]["SV.2"].text
    # three matched months are fewer than the claims policy's six: no verdict is given
    assert "is not judged, because 3 matched months (January to March)" in sv[0]
    assert "statistically significant" not in sv[0] and "normal variation" not in sv[0]
    # the table still shows exactly the matched numbers, labelled as such
    years = built["serious_violence"]["SV.2"].result.tables[1].data
    assert (years["compared_months"] == "January to March").sum() == 1
    # no indicator of the priority can be judged: the status says so
    status = built["serious_violence"].status
    assert status.computed == "Not assessed"
    assert all(v.code in ("not assessed", "context") for v in status.verdicts)
