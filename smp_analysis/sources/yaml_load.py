"""A bounded YAML loader for the config and narrative files.

``yaml.safe_load`` builds no arbitrary objects, but it still trusts a file's size and
shape: a 7 KB "billion laughs" file of nested aliases expands to 10^9 list items when
the result is walked (the config's path list took minutes and gigabytes), 20,000
nested ``[`` overflow Python's stack, and Latin-1 bytes raise ``UnicodeDecodeError``.
:func:`load_yaml` reads the file within :data:`~.limits.LIMITS` (1 MiB for both
kinds), decodes UTF-8 naming the line of a bad byte, composes the node tree once with
at most :data:`~.limits.YAML_MAX_DEPTH` levels and :data:`~.limits.YAML_MAX_ALIASES`
aliases, refuses a tree of more than :data:`~.limits.YAML_MAX_NODES` nodes once
aliases are expanded (and an alias inside its own anchor), and only then builds the
Python values. Every problem is one :class:`~smp_analysis.errors.InputError` (or the
subclass the caller asks for) naming the file, the line and a fix.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> p = d / "ok.yml"
>>> _ = p.write_text("a: &x [1, 2]\\nb: *x\\n")
>>> data, root = load_yaml(p, kind="config", what="config file")
>>> data
{'a': [1, 2], 'b': [1, 2]}
>>> bomb = d / "bomb.yml"
>>> lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
>>> lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]" for i in range(1, 9)]
>>> _ = bomb.write_text("\\n".join(lines) + "\\n")
>>> try:
...     load_yaml(bomb, kind="config", what="config file")
... except InputError as e:
...     print(e.line, e.problem[:52])
6 aliases expand the file to more than 200,000 values
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent

from ..errors import InputError
from .limits import YAML_MAX_ALIASES, YAML_MAX_DEPTH, YAML_MAX_NODES, read_bytes

__all__ = ["load_yaml"]


class _BoundedLoader(yaml.SafeLoader):
    """``SafeLoader`` composing at most ``YAML_MAX_DEPTH`` levels and ``YAML_MAX_ALIASES``
    aliases; a scalar that cannot be converted (``2024-13-45``, an int of 5,000 digits)
    is a :class:`ConstructorError` at its line instead of a ``ValueError``."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        if self.check_event(AliasEvent):
            self._aliases += 1
            if self._aliases > YAML_MAX_ALIASES:
                raise ComposerError(
                    None,
                    None,
                    f"more than {YAML_MAX_ALIASES:,} aliases (*name)",
                    self.peek_event().start_mark,
                )
        self._depth += 1
        try:
            if self._depth > YAML_MAX_DEPTH:
                raise ComposerError(
                    None,
                    None,
                    f"nested more than {YAML_MAX_DEPTH} levels deep",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError, TypeError) as err:
            raise ConstructorError(
                None, None, f"value cannot be read ({err})", node.start_mark
            ) from None


def _expanded_size(root: yaml.Node) -> tuple[int, int, yaml.Node | None]:
    """``(nodes, depth, culprit)`` of the tree with aliases expanded, stopping early.

    Counts each node once per path that reaches it (what walking the loaded values
    costs), memoised by node so the count itself is linear in the file. ``culprit`` is
    the node where a limit was crossed (or an alias refers back into its own anchor).
    """
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            if size[key] > YAML_MAX_NODES or depth[key] > YAML_MAX_DEPTH:
                return size[key], depth[key], node
            continue
        if key in size:
            continue
        if key in on_path:
            return 0, 0, node  # an alias inside its own anchor: a cycle
        on_path.add(key)
        stack.append((node, True))
        for kid in _children(node):
            kid_key = id(kid)
            if kid_key in on_path:
                return 0, 0, kid
            if kid_key not in size:
                stack.append((kid, False))
    return size.get(id(root), 1), depth.get(id(root), 1), None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _decode(raw: bytes, path: Path, what: str, error: type[InputError]) -> str:
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise error(
            f"byte 0x{raw[err.start : err.start + 1].hex()} is not UTF-8 text",
            path=path,
            line=line,
            fix=f"save the {what} as UTF-8 (most editors: Save as / Encoding: UTF-8)",
        ) from None


def load_yaml(
    path: str | PathLike[str],
    *,
    kind: str,
    what: str,
    column: str | None = None,
    error: type[InputError] = InputError,
    fix_missing: str | None = None,
) -> tuple[Any, yaml.Node | None]:
    """Read a YAML file within the limits; return ``(data, root node)``.

    The root node (``None`` for an empty file) gives line numbers for later messages.

    Parameters
    ----------
    path : path-like
        The file (must be a regular file; see :func:`.limits.check_file`).
    kind : str
        Its kind in :data:`.limits.LIMITS` (``"config"``, ``"narrative"``).
    what : str
        How messages name it ("config file").
    column : str, optional
        The config key or option that named the file, for messages.
    error : type
        The :class:`InputError` subclass raised (e.g. ``ConfigError``).
    fix_missing : str, optional
        The fix suggested when the file does not exist.

    Raises
    ------
    InputError
        Not a regular file, too large, not UTF-8, invalid YAML, too deep, too many
        aliases or too many values once they are expanded.
    """
    p = Path(path)
    raw = read_bytes(
        p, kind=kind, what=what, column=column, error=error, gunzip=False, fix=fix_missing
    )
    text = _decode(raw, p, what, error)
    _check_printable(text, p, what, error)
    loader = _BoundedLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        nodes, depth, culprit = _expanded_size(root)
        if culprit is not None:
            line = culprit.start_mark.line + 1
            if nodes == 0:
                problem = "an alias refers to the value it is part of (a loop)"
            elif depth > YAML_MAX_DEPTH:
                problem = f"aliases nest the values more than {YAML_MAX_DEPTH} levels deep"
            else:
                problem = (
                    f"aliases expand the file to more than {YAML_MAX_NODES:,} values "
                    "(an alias bomb?)"
                )
            raise error(
                problem,
                path=p,
                line=line,
                column=column,
                fix="write the values out instead of repeating aliases (*name)",
            )
        data = loader.construct_document(root)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = str(getattr(exc, "problem", None) or "invalid YAML")
        if len(problem) > 160:
            problem = problem[:157] + "..."
        fix = (
            "put the value in quotes if it is text"
            if problem.startswith("value cannot be read")
            else "check indentation and quoting on that line"
        )
        raise error(
            f"invalid YAML ({problem})",
            path=p,
            line=None if mark is None else mark.line + 1,
            column=column,
            fix=fix,
        ) from None
    except RecursionError:  # pragma: no cover - the depth limit comes first
        raise error(
            "invalid YAML (nested too deeply)",
            path=p,
            column=column,
            fix=f"nest at most {YAML_MAX_DEPTH} levels",
        ) from None
    finally:
        loader.dispose()
    return data, root


def _check_printable(text: str, p: Path, what: str, error: type[InputError]) -> None:
    """Raise for a character YAML does not allow (a NUL, a control character)."""
    m = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        raise error(
            f"character #x{ord(m.group()):04x} is not allowed in YAML",
            path=p,
            line=line,
            fix=f"remove control characters from the {what} (save it as plain UTF-8 text)",
        )
