"""Error types with one-line, actionable messages.

Every error a user can cause (a bad file, a wrong config key, a mistyped notebook
parameter) is raised as an :class:`InputError` whose message names the file, the
line, the column and what to do. The command line prints ``str(error)`` on one line
and exits with :attr:`SmpError.exit_code`; it never shows a traceback for these.

Examples
--------
>>> err = InputError("value is negative", path="partner.csv", line=7, column="value",
...                  fix="counts must be 0 or more")
>>> str(err)
"partner.csv:7: column 'value': value is negative. Fix: counts must be 0 or more"
>>> err.exit_code
2
"""

from __future__ import annotations

from os import PathLike

__all__ = ["SmpError", "InputError", "ConfigError", "ParameterError", "BuildError"]


class SmpError(Exception):
    """Base class of errors the command line reports without a traceback."""

    exit_code: int = 1


class InputError(SmpError):
    """Bad input data: names the file, line, column and the fix.

    Parameters
    ----------
    problem : str
        What is wrong, in plain words.
    path : str or PathLike, optional
        The file at fault.
    line : int, optional
        1-based line number in that file (the header is line 1).
    column : str, optional
        Column (or config key) at fault.
    fix : str, optional
        What the user should do about it.
    """

    exit_code = 2

    def __init__(
        self,
        problem: str,
        *,
        path: str | PathLike[str] | None = None,
        line: int | None = None,
        column: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.problem = problem
        self.path = None if path is None else str(path)
        self.line = line
        self.column = column
        self.fix = fix
        super().__init__(self._message())

    def _message(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        col = f"{self._column_word()} '{self.column}': " if self.column else ""
        fix = f". Fix: {self.fix}" if self.fix else ""
        text = f"{where}{col}{self.problem.rstrip('.')}{fix}"
        return " ".join(text.split())  # always one line

    def _column_word(self) -> str:
        return "column"


class ConfigError(InputError):
    """A wrong key or value in a YAML config file (``column`` is the dotted key)."""

    def _column_word(self) -> str:
        return "key"


class ParameterError(InputError):
    """A notebook parameter that is unknown, missing or of the wrong type."""

    def _column_word(self) -> str:
        return "parameter"


class BuildError(SmpError):
    """The build failed (a notebook raised, an export failed); details are in the log."""

    exit_code = 1
