"""Analysts' narrative for labelled paragraphs, kept outside the code.

An analyst adds to, or replaces, the generated text of any paragraph from a YAML file
named in the config (``narrative:``), without touching code or notebooks::

    DA.3:
      add: Markdown appended after the generated sentences.
    TC.1:
      replace: Markdown shown instead of the generated sentences.

Labels are stable between years so committee papers can cite them. A label that no
paragraph in the built report carries is an error (a typo must not silently drop text).

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "n.yml"
>>> _ = p.write_text("DA.3:\\n  add: Most abuse is never reported.\\n")
>>> load_overrides(p)["DA.3"].add
'Most abuse is never reported.'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import InputError
from ..present.blocks import LABEL_PATTERN
from .yaml_load import load_yaml

__all__ = ["NarrativeOverride", "load_overrides"]


@dataclass(frozen=True)
class NarrativeOverride:
    """What an analyst wrote for one paragraph."""

    add: str | None = None
    replace: str | None = None


def _line(root: yaml.Node | None, key: str) -> int | None:
    if isinstance(root, yaml.MappingNode):
        for k, _v in root.value:
            if k.value == key:
                return k.start_mark.line + 1
    return None


def load_overrides(path: str | Path | None) -> dict[str, NarrativeOverride]:
    """Read the narrative file (an empty mapping when ``path`` is None).

    Raises
    ------
    InputError
        Missing file (or not a regular file), over 1 MiB, not UTF-8, invalid YAML (or
        nested too deeply, or an alias bomb: see :mod:`.yaml_load`), a key that is not a
        label like ``DA.3``, or an entry other than ``add``/``replace`` text.
    """
    if path is None:
        return {}
    path = Path(path)
    raw, root = load_yaml(
        path,
        kind="narrative",
        what="narrative file",
        fix_missing="create it or remove 'narrative:' from the config",
    )
    raw = raw or {}
    if not isinstance(raw, dict):
        raise InputError(
            "expected a mapping of paragraph labels",
            path=path,
            line=1,
            fix="see data/narrative/sample.yml",
        )
    out: dict[str, NarrativeOverride] = {}
    for label, entry in raw.items():
        line = _line(root, str(label))
        if not isinstance(label, str) or not LABEL_PATTERN.match(label):
            shown = str(label) if len(str(label)) <= 40 else str(label)[:37] + "..."
            raise InputError(
                f"'{shown}' is not a paragraph label",
                path=path,
                line=line,
                column=shown,
                fix="use labels as printed in the report, like DA.3",
            )
        if not isinstance(entry, dict) or not entry or set(entry) - {"add", "replace"}:
            raise InputError(
                "each label needs 'add:' and/or 'replace:' with text",
                path=path,
                line=line,
                column=label,
                fix="write e.g. `add: Extra context.` under the label",
            )
        for key in ("add", "replace"):
            if key in entry and not isinstance(entry[key], str):
                raise InputError(
                    f"'{key}' must be text",
                    path=path,
                    line=line,
                    column=label,
                    fix="quote the text",
                )
        out[label] = NarrativeOverride(add=entry.get("add"), replace=entry.get("replace"))
    return out
