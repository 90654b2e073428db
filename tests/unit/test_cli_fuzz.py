"""Property test of the command line's error contract: no input makes it crash.

Every run of ``smp-analysis`` ends in exit 0, 1 (a notebook or page check failed) or 2
(bad input, config or environment, told in ONE line naming the file, line and fix). An
uncaught exception reaching :func:`smp_analysis.cli.main` is a bug. Hypothesis feeds the
two commands that read user files without starting a Jupyter kernel:

* ``ingest`` with a data.police.uk street file of random bytes, or of a valid header and
  rows whose fields are random text, and a random ``--area`` / ``--from`` / ``--to``;
* ``build`` with a mutated copy of ``data/config/sample.yml`` (area name, LSOA-name
  prefix, reporting year, input paths, labels), a narrative file of random bytes or
  random YAML and, sometimes, an extra police file of random bytes. The build is stopped
  where the kernels would start (``execute_all`` is replaced by an error with exit
  code 0), so every input is read and checked but no notebook runs.

Each example asserts the exit code is 0 or 2 (nothing here can fail a notebook) and,
for 2, that the error is one line without "Traceback". The budget is fixed
(``max_examples=60``, derandomized, no example database) so the file runs in well under
a minute.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smp_analysis.cli import main
from smp_analysis.errors import SmpError
from smp_analysis.sources.police_uk import STREET_COLUMNS

from ..helpers import REPO_ROOT, sample_config

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

HEADER = ",".join(STREET_COLUMNS)
GOOD_ROW = [
    "a1",
    "2024-05",
    "Sampleshire Police",
    "Sampleshire Police",
    "-0.52",
    "51.27",
    "On or near High Street",
    "E01990001",
    "Sampleton 001A",
    "Burglary",
    "Under investigation",
    "",
]


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(argv)
    return rc, out.getvalue(), err.getvalue()


def _assert_contract(rc: int, err: str, command: str) -> None:
    assert "Traceback" not in err, err
    assert rc in (0, 2), (rc, err)
    errors = [line for line in err.splitlines() if line.startswith(f"smp-analysis {command}: ")]
    if rc == 2:
        assert len(errors) == 1, err
        assert err.rstrip("\n").splitlines()[-1] == errors[0], err  # the last line, alone
        assert errors[0].startswith(f"smp-analysis {command}: error: "), err
        assert len(errors[0]) < 2000, errors[0][:300]


# ---------------------------------------------------------------- strategies
def sometimes(strategy: st.SearchStrategy, usual: Any, one_in: int = 4) -> st.SearchStrategy:
    """``strategy`` once in ``one_in`` draws, else ``usual``: most examples stay valid
    enough to reach the deeper checks instead of stopping at the first bad option."""
    return st.integers(1, one_in).flatmap(lambda i: strategy if i == one_in else st.just(usual))


_text = st.text(max_size=40)
_field = st.one_of(
    _text,
    st.sampled_from(
        [
            "",
            "Sampleton 001A",
            "Sampleton 001A extra text",
            "Otherford 001A",
            "E01990001",
            "E0199X001",
            "2024-05",
            "0000-01",
            "2999-01",
            "Jan-24",
            "Burglary",
            "Burglery",
            "Anti-social behaviour",
            '"unclosed',
            "caf\u00e9",
            "a,b",
            "$x^2$",
        ]
    ),
)
_row = st.lists(_field, min_size=0, max_size=14).map(
    lambda fields: ",".join(f.replace("\n", " ").replace("\r", " ") for f in fields)
)
_mutated_row = st.tuples(st.integers(0, len(GOOD_ROW) - 1), _field).map(
    lambda change: (
        ",".join(change[1] if i == change[0] else v for i, v in enumerate(GOOD_ROW))
        .replace("\n", " ")
        .replace("\r", " ")
    )
)
_good_row = st.just(",".join(GOOD_ROW))
_safe_values = {
    1: ["2024-05", "2024-04", "0000-01", "2999-01", ""],
    7: ["E01990001", "E01990002", "E01991001", "", "E0199X001"],
    8: ["Sampleton 001A", "Sampleton 002B", "Otherford 001A", "Sampleton 001A extra", "",
        "SAMPLETON 003C", "Sampleton  001A"],
    9: ["Burglary", "Drugs", "Anti-social behaviour", "Violent crime", "Burglery", ""],
}  # fmt: skip
_plausible_row = st.fixed_dictionaries(
    {i: st.sampled_from(values) for i, values in _safe_values.items()}
).map(lambda pick: ",".join(pick.get(i, v) for i, v in enumerate(GOOD_ROW)))
police_bytes = st.one_of(
    st.binary(max_size=600),
    st.lists(st.one_of(_good_row, _row, _mutated_row, _mutated_row), max_size=8).map(
        lambda rows: ("\n".join([HEADER, *rows]) + "\n").encode("utf-8", "surrogatepass")
    ),
    st.lists(st.one_of(_good_row, _plausible_row), min_size=1, max_size=8).map(
        lambda rows: ("\n".join([HEADER, *rows]) + "\n").encode("utf-8", "surrogatepass")
    ),
    st.lists(st.one_of(_good_row, _plausible_row), min_size=1, max_size=8).map(
        lambda rows: ("\n".join([HEADER, *rows]) + "\n").encode("utf-8", "surrogatepass")
    ),
    st.tuples(st.sampled_from([b"\r\n", b"\r"]), st.lists(_mutated_row, max_size=5)).map(
        lambda t: t[0].join([HEADER.encode(), *(r.encode() for r in t[1])]) + t[0]
    ),
)
_argv_text = st.text(min_size=1, max_size=120).map(lambda s: s.replace("\x00", "") or "x")
month_option = sometimes(
    st.one_of(st.sampled_from(["2024-05", "2024-13", "0000-01", "2999-12", "2010-11"]), _text),
    None,
)


# ---------------------------------------------------------------- ingest
@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(
    data=police_bytes,
    area=sometimes(_argv_text, "Sampleton", 3),
    start=month_option,
    end=month_option,
    name=sometimes(
        st.sampled_from(["0000-01-sampleshire-street.csv", "notes.csv", "2999-01-x-street.csv"]),
        "2024-05-sampleshire-street.csv",
        5,
    ),
)
def test_ingest_never_crashes(
    fuzz_root: Path, data: bytes, area: str, start: Any, end: Any, name: str
) -> None:
    d = Path(tempfile.mkdtemp(dir=fuzz_root))
    try:
        (d / "police").mkdir()
        (d / "police" / name).write_bytes(data)
        argv = [
            "ingest",
            "--source",
            str(d / "police"),
            f"--area={area}",
            "--out",
            str(d / "c.csv"),
        ]
        argv += [f"--from={start}"] if start is not None else []
        argv += [f"--to={end}"] if end is not None else []
        rc, _, err = _run(argv)
        _assert_contract(rc, err, "ingest")
        if rc == 0:
            assert (d / "c.csv").is_file()
    finally:
        shutil.rmtree(d, ignore_errors=True)


# ---------------------------------------------------------------- build (stopped before kernels)
class _StopBeforeKernels(SmpError):
    """Raised where the first notebook would run: every input has been read and checked."""

    exit_code = 0


@pytest.fixture(scope="module")
def small_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample data with police.uk files for the reporting year 2024/25 only."""
    from smp_analysis.sample import DEFAULT_SEED, write_sample

    full = tmp_path_factory.mktemp("fuzz-sample-full")
    write_sample(full, seed=DEFAULT_SEED)
    small = tmp_path_factory.mktemp("fuzz-sample")
    for f in full.iterdir():
        if f.is_file():
            shutil.copy(f, small)
    months = [f"2024-{m:02d}" for m in range(4, 13)] + [f"2025-{m:02d}" for m in range(1, 4)]
    for m in months:
        shutil.copytree(full / "police_uk" / m, small / "police_uk" / m)
    shutil.rmtree(full)
    os.mkfifo(small / "a-fifo")
    return small


@pytest.fixture(scope="module")
def base_config(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("fuzz-config")
    raw = yaml.safe_load(sample_config(folder, small_sample).read_text(encoding="utf-8"))
    raw.pop("sample")  # never (re)generate the sample inside the test
    return raw


_relative_path = st.text(
    alphabet=st.characters(blacklist_characters="\x00/\\", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=60,
).filter(lambda s: s not in (".", ".."))
_path_choice = st.one_of(
    _relative_path,
    st.sampled_from(
        [
            "{sample}/partner_returns.csv",
            "{sample}/imd2019.csv",
            "{sample}/police_uk",
            "{sample}/a-fifo",
            "{sample}",
            "{here}/config.yml",
            "{here}/narrative.yml",
            "/dev/zero",
            "/dev/null",
            "missing.csv",
        ]
    ),
)
_label = st.one_of(
    _text, st.sampled_from(["$x$", "<script>alert(1)</script>", "{{ x }}", "a\nb", ""])
)
narrative_bytes = st.one_of(
    st.binary(max_size=300),
    st.dictionaries(
        st.one_of(st.sampled_from(["DA.1", "TC.1", "XX.99", "da.1"]), _text),
        st.one_of(
            st.fixed_dictionaries({"add": _label}),
            st.fixed_dictionaries({"replace": _label}),
            _label,
            st.integers(),
        ),
        max_size=3,
    ).map(lambda d: yaml.safe_dump(d, allow_unicode=True).encode()),
    st.sampled_from(
        [
            b"DA.1:\n  add: caf\xe9\n",
            b"[" * 200 + b"]" * 200,
            b"a: &a [x, x]\nb: [*a, *a, *a]\n",
            b"DA.1: {add: 2024-13-45}\n",
            b"\xef\xbb\xbfDA.1:\n  add: fine\n",
        ]
    ),
)


@st.composite
def config_mutations(draw: st.DrawFn) -> dict[str, Any]:
    """Up to three changes to the sample config (more would hide each other)."""
    changes = {
        "area.name": st.one_of(_argv_text, st.just("S" * 300)),
        "area.lsoa_name_prefix": st.one_of(
            st.sampled_from(["Sampleton", "", "  ", "Samp%", "Samp_", "sampleton"]), _argv_text
        ),
        "reporting_year": st.one_of(
            st.sampled_from(["2023/24", "2024/25", "2019/20", "0000/01", "2024/26", "9999/00"]),
            _text,
            st.integers(),
        ),
        "data.population": _path_choice,
        "data.partner_returns": _path_choice,
        "data.imd": _path_choice,
        "narrative": _path_choice,
        "data.police_uk": st.lists(_path_choice, min_size=1, max_size=2),
        "data.cache_dir": _path_choice,
        "labels": st.lists(_label, min_size=1, max_size=3),
    }
    keys = draw(st.lists(st.sampled_from(["-", "-", *sorted(changes)]), max_size=3))
    return {k: draw(changes[k]) for k in keys if k != "-"}


def _set(raw: dict, dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    node = raw
    for k in parents:
        node = node.setdefault(k, {})
    node[last] = value


@FUZZ
@given(
    mutation=config_mutations(),
    narrative=sometimes(narrative_bytes, b"DA.1:\n  add: Most abuse is never reported.\n", 3),
    police=sometimes(police_bytes, None, 3),
)
def test_build_never_crashes_before_the_kernels(
    fuzz_root: Path,
    small_sample: Path,
    base_config: dict,
    mutation: dict[str, Any],
    narrative: bytes,
    police: bytes | None,
) -> None:
    here = Path(tempfile.mkdtemp(dir=fuzz_root))
    try:
        raw = yaml.safe_load(yaml.safe_dump(base_config))  # a deep copy
        raw["data"]["cache_dir"] = str(here / "cache")
        (here / "narrative.yml").write_bytes(narrative)
        raw["narrative"] = str(here / "narrative.yml")
        for key, value in mutation.items():
            if key == "labels":
                raw["partnership"] = value[0]
                raw["priorities"][0]["title"] = value[-1]
                raw["priorities"][0]["indicators"][0]["label"] = value[0]
                raw["report"]["title"] = value[-1]
                continue
            fill = {"sample": str(small_sample), "here": str(here)}
            if isinstance(value, list):
                value = [v.format(**fill) if isinstance(v, str) and "{" in v else v for v in value]
            elif isinstance(value, str) and value.startswith("{"):
                value = value.format(**fill)
            _set(raw, key, value)
        if police is not None:
            extra = here / "extra" / "2024-06-fuzzshire-street.csv"
            extra.parent.mkdir()
            extra.write_bytes(police)
            raw["data"]["police_uk"] = [*raw["data"]["police_uk"], str(extra.parent)]
        config = here / "config.yml"
        config.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), "utf-8")
        with mock.patch(
            "smp_analysis.pipeline.build.execute_all",
            side_effect=_StopBeforeKernels("stopped before the notebooks"),
        ):
            rc, _, err = _run(["build", "--config", str(config), "--out", str(here / "reports")])
        _assert_contract(rc, err, "build")
    finally:
        shutil.rmtree(here, ignore_errors=True)


def test_the_fuzzed_config_is_otherwise_valid(
    fuzz_root: Path, base_config: dict, small_sample: Path
) -> None:
    """Without mutations the fuzzed build reads everything and reaches the kernels."""
    here = Path(tempfile.mkdtemp(dir=fuzz_root))
    raw = yaml.safe_load(yaml.safe_dump(base_config))
    raw["data"]["cache_dir"] = str(here / "cache")
    config = here / "config.yml"
    config.write_text(yaml.safe_dump(raw, sort_keys=False), "utf-8")
    with mock.patch(
        "smp_analysis.pipeline.build.execute_all",
        side_effect=_StopBeforeKernels("stopped before the notebooks"),
    ) as stop:
        rc, _, err = _run(["build", "--config", str(config), "--out", str(here / "reports")])
    assert rc == 0 and stop.called, err
    assert (
        str(REPO_ROOT / "notebooks")
        in yaml.safe_load(config.read_text())["report"]["notebooks_dir"]
    )
