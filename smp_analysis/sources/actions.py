"""The action log: the work each priority's subgroup (and each cross-cutting theme) undertook.

One row per action (docs/data-formats.md, "Action log"), as CSV or YAML (chosen by the
file's suffix: ``.csv``/``.csv.gz`` or ``.yml``/``.yaml``):

==========  ========  ==========================================================
column      required  meaning
==========  ========  ==========================================================
priority    yes       the priority code (``DA``) or cross-cutting theme id (``VUL``)
action      yes       what the subgroup set out to do (at most 300 characters)
lead        yes       the lead subgroup or partner (at most 120 characters)
status      yes       one of :data:`ACTION_STATUSES` (any letter case)
update      no        progress this year (at most 2,000 characters; blank allowed)
public      no        ``true``/``false`` (``yes``/``no``, ``1``/``0``): shown on the
                      residents' page; blank means true
==========  ========  ==========================================================

Text is kept as text (the report escapes it); control characters other than tab and line
breaks are refused, as they are never typed by a person and can hide content. Every bad
row stops the read with one :class:`~smp_analysis.errors.InputError` naming the file, the
line, the column and the fix: a missing or unknown column, a blank required cell, an
unknown status, an over-long text, a ``public`` value that is not true or false, the same
priority × action twice, and — when ``known`` codes are given — a priority code that is
neither a configured priority nor a theme (the message lists the known codes).

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "actions.csv"
>>> _ = p.write_text("priority,action,lead,status,update\\n"
...                  "DA,Train GP surgeries in IRIS,DA subgroup,in progress,12 of 20 trained\\n")
>>> read_action_log(p)[["priority", "status", "public"]].values.tolist()
[['DA', 'In progress', True]]
>>> try:
...     read_action_log(p, known=["SV", "TC"])
... except InputError as e:
...     print(e.line, e.column, e.problem)
2 priority unknown priority or theme 'DA'; the config has SV, TC
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..errors import InputError
from ._csv import display_name, read_table
from .yaml_load import load_yaml

__all__ = [
    "read_action_log",
    "empty_action_log",
    "ACTION_COLUMNS",
    "ACTION_STATUSES",
]

#: Columns of the action log as returned (and as written; ``update``, ``public`` optional).
ACTION_COLUMNS: tuple[str, ...] = ("priority", "action", "lead", "status", "update", "public")
_REQUIRED = ("priority", "action", "lead", "status")
_OPTIONAL = ("update", "public")
#: The status vocabulary of an action, in the order tables list them.
ACTION_STATUSES: tuple[str, ...] = ("Complete", "In progress", "Not started", "On hold")
#: Longest text accepted per column (characters).
MAX_CHARS = {"priority": 4, "action": 300, "lead": 120, "update": 2000}

_CODE = re.compile(r"^[A-Z]{2,4}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_TRUE = {"true", "yes", "y", "1", ""}
_FALSE = {"false", "no", "n", "0"}


def empty_action_log() -> pd.DataFrame:
    """The action log with no rows (what ``ctx.actions`` is when none is configured).

    Examples
    --------
    >>> empty_action_log().columns.tolist()
    ['priority', 'action', 'lead', 'status', 'update', 'public']
    """
    return pd.DataFrame(
        {c: pd.Series(dtype="bool" if c == "public" else "object") for c in ACTION_COLUMNS}
    )


def _rows_from_yaml(path: Path, name: str) -> list[tuple[int, dict[str, str]]]:
    raw, root = load_yaml(
        path,
        kind="action_log",
        what="action log",
        fix_missing="create it or remove 'data.action_log' from the config",
    )
    if not isinstance(raw, list) or not raw:
        raise InputError(
            "the action log must be a list of actions"
            if raw is not None
            else "the action log is empty",
            path=name,
            line=1,
            fix="write one '- priority: DA' entry per action (see docs/data-formats.md)",
        )
    out: list[tuple[int, dict[str, str]]] = []
    items = root.value if isinstance(root, yaml.SequenceNode) else []
    for i, entry in enumerate(raw):
        line = items[i].start_mark.line + 1 if i < len(items) else None
        if not isinstance(entry, dict):
            raise InputError(
                "each action must be a mapping of column: value",
                path=name,
                line=line,
                fix="write 'priority:', 'action:', 'lead:' and 'status:' under each '-'",
            )
        unknown = [k for k in entry if k not in ACTION_COLUMNS]
        if unknown:
            raise InputError(
                f"unknown key '{str(unknown[0])[:40]}'",
                path=name,
                line=line,
                column=str(unknown[0])[:40],
                fix=f"use only {', '.join(ACTION_COLUMNS)}",
            )
        missing = [k for k in _REQUIRED if k not in entry]
        if missing:
            raise InputError(
                f"action lacks '{missing[0]}'",
                path=name,
                line=line,
                column=missing[0],
                fix=f"give every action {', '.join(_REQUIRED)}",
            )
        row: dict[str, str] = {}
        for k, v in entry.items():
            if isinstance(v, bool):
                row[k] = "true" if v else "false"
            elif v is None:
                row[k] = ""
            elif isinstance(v, str | int | float):
                row[k] = str(v)
            else:
                raise InputError(
                    f"'{k}' must be text, not a list or mapping",
                    path=name,
                    line=line,
                    column=k,
                    fix="write the value on one line (quote it if it holds a colon)",
                )
        out.append((line or 0, row))
    return out


def _rows_from_csv(path: Path) -> list[tuple[int, dict[str, str]]]:
    t = read_table(
        path,
        required=_REQUIRED,
        optional=_OPTIONAL,
        allow_extra=False,
        what="action log",
        kind="action_log",
    )
    cols = [c for c in t.columns if c != "_line"]
    return [(int(r["_line"]), {c: r[c] for c in cols}) for r in t.to_dict("records")]


def _check_text(value: str, column: str, *, name: str, line: int, required: bool) -> str:
    text = value.strip()
    if required and not text:
        raise InputError(
            f"{column} is blank",
            path=name,
            line=line,
            column=column,
            fix=f"give the {column} of every action",
        )
    bad = _CONTROL.search(text)
    if bad:
        raise InputError(
            f"{column} holds the control character U+{ord(bad.group()):04X}",
            path=name,
            line=line,
            column=column,
            fix="retype the text (control characters are invisible and never needed)",
        )
    limit = MAX_CHARS[column]
    if len(text) > limit:
        raise InputError(
            f"{column} is {len(text):,} characters long (at most {limit:,})",
            path=name,
            line=line,
            column=column,
            fix="shorten it; the report shows a summary, not the whole minute",
        )
    return text


def read_action_log(path: str | PathLike[str], known: Iterable[str] | None = None) -> pd.DataFrame:
    """Read and validate an action log (CSV or YAML, by suffix).

    Parameters
    ----------
    path : path-like
        ``.csv`` (UTF-8, header required, ``.csv.gz`` allowed) or ``.yml``/``.yaml`` (a
        list of mappings with the same keys).
    known : iterable of str, optional
        The priority codes and theme ids of the config; a row naming any other code is an
        error. ``None`` checks only that codes look like ``DA`` (2-4 capitals).

    Returns
    -------
    pandas.DataFrame
        :data:`ACTION_COLUMNS`: ``priority``, ``action``, ``lead``, ``status`` (one of
        :data:`ACTION_STATUSES`, as spelt there), ``update`` (``""`` when blank) as
        ``str``, and ``public`` (``bool``), in file order.

    Raises
    ------
    InputError
        See the module docstring.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "actions.yml"
    >>> _ = p.write_text("- {priority: SV, action: Knife arches at events, lead: SV subgroup,\\n"
    ...                  "   status: Finished}\\n")
    >>> try:
    ...     read_action_log(p)
    ... except InputError as e:
    ...     print(e.line, e.column, e.fix)
    1 status use one of: Complete, In progress, Not started, On hold
    """
    p = Path(path)
    name = display_name(path)
    suffixes = [s.lower() for s in p.suffixes[-2:]]
    if suffixes and suffixes[-1] in (".yml", ".yaml"):
        rows = _rows_from_yaml(p, name)
    elif suffixes and (suffixes[-1] == ".csv" or suffixes == [".csv", ".gz"]):
        rows = _rows_from_csv(p)
    else:
        raise InputError(
            f"cannot tell the format of '{p.name[:60]}' from its name",
            path=name,
            column="data.action_log",
            fix="name the action log .csv or .yml",
        )
    codes: Sequence[str] | None = None if known is None else sorted(set(known))
    status_of = {s.lower(): s for s in ACTION_STATUSES}
    records: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        code = row["priority"].strip()
        if not _CODE.match(code) or (codes is not None and code not in codes):
            shown = code if len(code) <= 20 else code[:17] + "..."
            problem = (
                "priority is blank"
                if not code
                else f"unknown priority or theme '{shown}'"
                + (
                    f"; the config has {', '.join(codes)}"
                    if codes
                    else "; the config has no priorities or themes"
                    if codes is not None
                    else ""
                )
            )
            raise InputError(
                problem,
                path=name,
                line=line,
                column="priority",
                fix="use a priority id or theme id from the config (2-4 capitals, e.g. DA)",
            )
        action = _check_text(row["action"], "action", name=name, line=line, required=True)
        lead = _check_text(row["lead"], "lead", name=name, line=line, required=True)
        update = _check_text(row.get("update", ""), "update", name=name, line=line, required=False)
        raw_status = " ".join(row["status"].split())
        status = status_of.get(raw_status.lower())
        if status is None:
            shown = raw_status if len(raw_status) <= 30 else raw_status[:27] + "..."
            raise InputError(
                f"'{shown}' is not an action status" if shown else "status is blank",
                path=name,
                line=line,
                column="status",
                fix=f"use one of: {', '.join(ACTION_STATUSES)}",
            )
        flag = row.get("public", "").strip().lower()
        if flag not in _TRUE | _FALSE:
            raise InputError(
                f"'{flag[:20]}' is not true or false",
                path=name,
                line=line,
                column="public",
                fix="write true (shown on the residents' page), false, or leave it blank (true)",
            )
        key = (code, action.casefold())
        if key in seen:
            raise InputError(
                f"the action '{action[:40]}' of {code} is also on line {seen[key]}",
                path=name,
                line=line,
                column="action",
                fix="give each action once per priority (merge the updates)",
            )
        seen[key] = line
        records.append(
            {
                "priority": code,
                "action": action,
                "lead": lead,
                "status": status,
                "update": update,
                "public": flag in _TRUE,
            }
        )
    if not records:
        return empty_action_log()
    return pd.DataFrame.from_records(records, columns=list(ACTION_COLUMNS))
