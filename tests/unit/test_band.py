"""Expected (healthy) ranges of indicators: config validation, verdicts and the sample's
MARAC repeat rate (33% → 26% is below SafeLives' 28–40%, so not "improved")."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from smp_analysis.assessment.indicators import band_sentence, evaluate_priority
from smp_analysis.assessment.status import IndicatorResult, priority_status, verdict
from smp_analysis.config import load_config
from smp_analysis.errors import ConfigError

from ..helpers import context_for

CONFIGS = Path(__file__).resolve().parents[2] / "data" / "config"


def _marac(raw: dict) -> dict:
    da = next(p for p in raw["priorities"] if p["id"] == "DA")
    return next(i for i in da["indicators"] if i["id"] == "marac_repeat")


def _load(tmp_path: Path, band) -> object:
    raw = yaml.safe_load((CONFIGS / "sample.yml").read_text())
    _marac(raw)["band"] = band
    path = tmp_path / "cfg.yml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return load_config(path)


@pytest.mark.parametrize("name", ["sample.yml", "maidstone.yml"])
def test_shipped_configs_set_the_safelives_marac_range(name: str) -> None:
    cfg = load_config(CONFIGS / name)
    ind = next(i for i in cfg.priority("DA").indicators if i.id == "marac_repeat")
    assert (ind.band.low, ind.band.high, ind.band.source) == (28, 40, "SafeLives")


@pytest.mark.parametrize(
    "band, expect",
    [
        ({"low": 40, "high": 28, "source": "SafeLives"}, "band low (40) must be below high (28)"),
        ({"low": 30, "high": 30, "source": "SafeLives"}, "band low (30) must be below high (30)"),
        ({"low": 28, "high": 40}, "source"),
        ({"low": -1, "high": 40, "source": "x"}, "greater than or equal to 0"),
    ],
)
def test_bad_band_is_one_line_config_error(tmp_path: Path, band: dict, expect: str) -> None:
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, band)
    msg = str(info.value)
    assert "\n" not in msg and "cfg.yml:" in msg
    assert "band" in msg and expect in msg


def _share(before: float, after: float, p: float, **kw) -> IndicatorResult:
    return IndicatorResult(
        "DA",
        "marac_repeat",
        "Repeat cases at MARAC",
        "down",
        kind="difference",
        baseline=before,
        current=after,
        estimate=after - before,
        ci_low=after - before - 0.05,
        ci_high=after - before + 0.05,
        p_value=p,
        **kw,
    )


BAND = {"band_low": 28.0, "band_high": 40.0, "band_source": "SafeLives"}


def test_a_significant_fall_below_the_band_is_not_improved() -> None:
    without = _share(0.33, 0.26, 0.01)
    assert verdict(without).code == "improved"  # the old verdict: down is good
    with_band = _share(0.33, 0.26, 0.01, **BAND)
    v = verdict(with_band)
    assert v.code == "outside expected range"
    assert v.explanation == "Repeat cases at MARAC: below the expected range 28–40% (SafeLives)"
    assert priority_status("DA", "DA", [with_band]).computed == "Needs attention"
    assert band_sentence(with_band) == (
        "That is below the expected range of 28–40% (SafeLives), so the fall is not an "
        "improvement: the indicator needs attention."
    )


@pytest.mark.parametrize(
    "after, code, where",
    [(0.28, "within", "within"), (0.40, "within", "within"), (0.405, "outside", "above")],
)
def test_band_edges(after: float, code: str, where: str) -> None:
    r = _share(0.33, after, 0.2, **BAND)
    assert r.band_position == where
    assert verdict(r).code == f"{code} expected range"


def test_within_the_band_is_on_track_not_improved() -> None:
    r = _share(0.45, 0.35, 0.001, **BAND)
    assert verdict(r).code == "within expected range"
    assert band_sentence(r) == "That is within the expected range of 28–40% (SafeLives)."
    assert priority_status("DA", "DA", [r]).computed == "On track"


def test_sample_marac_verdict_uses_the_band(sample_dir: Path, tmp_path: Path) -> None:
    ctx = context_for(sample_dir, tmp_path)
    status = evaluate_priority(ctx, "DA")
    r, v = next(
        (r, v)
        for r, v in zip(status.indicators, status.verdicts, strict=True)
        if r.indicator_id == "marac_repeat"
    )
    # the sample's repeat rate: 33% in 2023/24, 26% in 2024/25 (planted below the range)
    assert round(r.baseline * 100) == 33 and round(r.current * 100) == 26
    assert v.code == "outside expected range"
    assert "improved" not in v.explanation
    assert r.sentence.endswith(
        "That is below the expected range of 28–40% (SafeLives), so the fall is not an "
        "improvement: the indicator needs attention."
    )
    assert status.computed == "Needs attention"
