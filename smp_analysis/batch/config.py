"""The batch config of ``smp-analysis build-many``: shared settings and a list of areas.

A batch file is YAML::

    base: sample.yml               # optional: an area config every area starts from
    shared:                        # optional: settings for every area, over ``base``
      reporting_year: "2024/25"
    output_dir: ../../reports/batch  # where the appendices and index.html go
    areas:
      - area: {name: Sampleton, lsoa_name_prefix: Sampleton}
      - area: {name: Sampleton North, lsoa_codes: [E01990001, E01990002]}
        partnership: Safer Sampleton North   # any key of an area config overrides
      - area: {name: Sampleton, lsoa_name_prefix: Sampleton}
        reporting_year: "2023/24"

Each area's settings are ``base``, then ``shared``, then the area's own keys, merged
key by key (mappings are merged, lists and values replaced; ``area`` is always the
area's own). Relative paths are relative to the file that holds them. Each merged
config is validated exactly as an area config (:func:`smp_analysis.config.load_config`)
and written to ``<output_dir>/configs/<area>-<year>.yml`` (the file the area's build
reads, kept for the audit trail).

A mistake in the batch file's own structure stops the run (:class:`ConfigError`, exit
2). A mistake in one area — an unknown key, a bad value, a name used twice — fails that
area only, with one line naming the batch file, the line and the key; the other areas
still build.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "b.yml").write_text('''
... shared:
...   partnership: Safer Anytown
...   reporting_year: "2024/25"
...   data: {police_uk: [police]}
...   priorities: []
... areas:
...   - area: {name: Anytown, lsoa_name_prefix: Anytown}
...   - area: {name: Anytown East, lsoa_name_prefix: Anytown}
...     reporting_yeer: "2023/24"
... ''')
>>> plan = load_batch(d / "b.yml")
>>> [(a.name, a.error is None) for a in plan.areas]
[('Anytown', True), ('Anytown East', False)]
>>> print(plan.areas[1].error)
/.../b.yml:10: key 'areas[1].reporting_yeer': unknown key. Fix: remove it or check its spelling against the README's config reference
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..config import _line_of, _resolve_paths, load_config
from ..errors import ConfigError
from ..sources.yaml_load import load_yaml

__all__ = ["AreaPlan", "BatchPlan", "load_batch", "merge_settings"]


class _BatchFile(BaseModel):
    """The batch file's own keys (the areas are validated one by one)."""

    model_config = ConfigDict(extra="forbid")

    base: str | None = None
    shared: dict[str, Any] = {}
    output_dir: str | None = None
    areas: list[dict[str, Any]] = Field(min_length=1)


@dataclass(frozen=True)
class AreaPlan:
    """One area of a batch: its merged config file, or the one-line error that fails it."""

    index: int
    name: str
    #: reporting year (``"2024/25"``), when it could be read
    year: str | None
    #: the merged, validated config written for this area (``None`` when invalid)
    config_path: Path | None
    #: one-line error (``None`` when the area is valid)
    error: str | None = None

    @property
    def key(self) -> str:
        """``<name>-<year>`` as used for the config file and the index."""
        return _slug(self.name) + ("-" + self.year.replace("/", "-") if self.year else "")


@dataclass(frozen=True)
class BatchPlan:
    """A loaded batch: where outputs go and every area's plan (valid or not)."""

    path: Path
    output_dir: Path
    areas: tuple[AreaPlan, ...]

    @property
    def valid(self) -> tuple[AreaPlan, ...]:
        return tuple(a for a in self.areas if a.error is None)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "area"


def merge_settings(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` on top of ``base``: mappings merged key by key, anything else replaced.

    Examples
    --------
    >>> merge_settings({"a": {"x": 1, "y": 2}, "l": [1]}, {"a": {"y": 3}, "l": [2]})
    {'a': {'x': 1, 'y': 3}, 'l': [2]}
    """
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict) and k != "area":
            out[k] = merge_settings(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _resolved(raw: dict[str, Any], folder: Path, path: Path) -> dict[str, Any]:
    """A copy of ``raw`` with relative paths made absolute against ``folder``."""
    out = copy.deepcopy(raw)
    _resolve_paths(out, folder, path, None)
    return out


def load_batch(path: str | Path, *, output_dir: str | Path | None = None) -> BatchPlan:
    """Read a batch file, merge and validate each area, write the area configs.

    Parameters
    ----------
    path : str or Path
        The batch YAML file.
    output_dir : str or Path, optional
        Reports folder (overrides the file's ``output_dir``; default: ``reports/batch``
        beside the working folder).

    Returns
    -------
    BatchPlan
        Every area, valid (with its config file) or failed (with its one-line error).

    Raises
    ------
    ConfigError
        The batch file itself is missing, not YAML, or has a wrong top-level key.
    """
    path = Path(path)
    raw, root = load_yaml(
        path,
        kind="config",
        what="batch file",
        error=ConfigError,
        fix_missing="pass --config with the path of a batch YAML file",
    )
    if not isinstance(raw, dict):
        raise ConfigError(
            "the batch file must be a mapping with an 'areas' list",
            path=path,
            line=1,
            fix="start from data/config/sample-batch.yml",
        )
    try:
        spec = _BatchFile.model_validate(raw)
    except ValidationError as exc:
        err = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")[0]
        loc = tuple(err["loc"])
        problem = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        raise ConfigError(
            problem,
            path=path,
            line=_line_of(root, loc),
            column=".".join(str(p) for p in loc) or "(top level)",
            fix="the batch file has base, shared, output_dir and areas "
            "(see data/config/sample-batch.yml)",
        ) from None
    folder = path.resolve().parent
    start: dict[str, Any] = {}
    if spec.base is not None:
        base_path = (folder / spec.base).resolve()
        try:
            base_cfg = load_config(base_path)  # validated once, for a clear error here
        except ConfigError as err:
            raise ConfigError(
                f"the base config is not valid: {err}",
                path=path,
                line=_line_of(root, ("base",)),
                column="base",
                fix="correct the base config",
            ) from None
        base_raw, _ = load_yaml(
            base_cfg.path, kind="config", what="config file", error=ConfigError, fix_missing=""
        )
        start = _resolved(base_raw, base_path.parent, base_path)
    shared = merge_settings(start, _resolved(spec.shared, folder, path))
    out = Path(output_dir) if output_dir is not None else None
    if out is None:
        out = (folder / spec.output_dir) if spec.output_dir else Path("reports") / "batch"
    out = out.resolve()
    configs = out / "configs"
    areas: list[AreaPlan] = []
    seen: dict[str, int] = {}
    for i, area_raw in enumerate(spec.areas):
        areas.append(_area_plan(i, area_raw, shared, path, folder, root, configs, seen))
    return BatchPlan(path=path, output_dir=out, areas=tuple(areas))


def _area_plan(
    i: int,
    area_raw: Any,
    shared: dict[str, Any],
    path: Path,
    folder: Path,
    root: yaml.Node | None,
    configs: Path,
    seen: dict[str, int],
) -> AreaPlan:
    def fail(problem: str, loc: tuple[Any, ...], fix: str, name: str, year: str | None):
        key = f"areas[{i}]" + "".join(f".{p}" for p in loc)
        err = ConfigError(
            problem, path=path, line=_line_of(root, ("areas", i, *loc)), column=key, fix=fix
        )
        return AreaPlan(index=i, name=name, year=year, config_path=None, error=str(err))

    label = f"area {i + 1}"
    if not isinstance(area_raw, dict) or not isinstance(area_raw.get("area"), dict):
        return fail(
            "each area needs an 'area' mapping with a name and an LSOA selection",
            ("area",),
            "give e.g. area: {name: Anytown, lsoa_name_prefix: Anytown}",
            label,
            None,
        )
    name = str(area_raw["area"].get("name") or label)[:100]
    merged = merge_settings(shared, _resolved(area_raw, folder, path))
    year = merged.get("reporting_year")
    year = year if isinstance(year, str) else None
    key = _slug(name) + "-" + (year or "").replace("/", "-")
    if key in seen:
        return fail(
            f"'{name}' {year or ''} is already area {seen[key] + 1} of this batch".replace(
                "  ", " "
            ),
            ("area", "name"),
            "give each area (and year) once, or a different name",
            name,
            year,
        )
    seen[key] = i
    configs.mkdir(parents=True, exist_ok=True)
    target = configs / f"{key}.yml"
    target.write_text(
        f"# written by smp-analysis build-many from {path.name}, area {i + 1}\n"
        + yaml.safe_dump(merged, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    try:
        load_config(target)
    except ConfigError as err:
        loc = tuple(int(p) if p.isdigit() else p for p in (err.column or "").split(".") if p)
        target.unlink(missing_ok=True)
        return fail(err.problem, loc, err.fix or "correct the value", name, year)
    return AreaPlan(index=i, name=name, year=year, config_path=target)
