"""Notebook parameters: checked by the package, never trusted as typed by papermill.

papermill only *warns* about unknown parameters and coerces values (``03`` → ``3``,
dates → strings). :func:`check_parameters` compares what a run passes with the
notebook's ``parameters`` cell (read with :func:`papermill.inspect_notebook`) and
rejects unknown names and wrong types with a one-line
:class:`~smp_analysis.errors.ParameterError`. Inside a notebook,
:func:`validate_values` re-checks the values the cell ended up with.

Examples
--------
>>> validate_values({"config_path": "a.yml", "reporting_year": "2024/25"})
>>> try:
...     validate_values({"config_path": "a.yml", "reporting_year": 2024})
... except ParameterError as e:
...     print(e)
parameter 'reporting_year': must be text like "2024/25", got the int 2024. Fix: quote it: reporting_year = "2024/25"
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import ParameterError

__all__ = ["NOTEBOOK_PARAMETERS", "check_parameters", "validate_values"]

#: Every report notebook takes exactly these parameters.
NOTEBOOK_PARAMETERS: dict[str, type] = {"config_path": str, "reporting_year": str}

_TYPES = {"str": str, "int": int, "float": float, "bool": bool}
_FY = re.compile(r"^\d{4}/\d{2}$")


def validate_values(values: Mapping[str, Any], *, path: str | Path | None = None) -> None:
    """Check parameter values against :data:`NOTEBOOK_PARAMETERS` (names and types)."""
    for name in values:
        if name not in NOTEBOOK_PARAMETERS:
            raise ParameterError(
                "unknown parameter",
                path=path,
                column=name,
                fix="report notebooks take only: " + ", ".join(NOTEBOOK_PARAMETERS),
            )
    for name, kind in NOTEBOOK_PARAMETERS.items():
        if name not in values:
            continue
        value = values[name]
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            example = '"2024/25"' if name == "reporting_year" else '"data/config/sample.yml"'
            raise ParameterError(
                f"must be text like {example}, got the {type(value).__name__} {value!r}",
                path=path,
                column=name,
                fix=f"quote it: {name} = {example}",
            )
    year = values.get("reporting_year")
    if year and not _FY.match(year):
        raise ParameterError(
            f"'{year}' is not a financial year like \"2024/25\"",
            path=path,
            column="reporting_year",
            fix='use the form "2024/25", or "" for the config\'s year',
        )
    if "config_path" in values and not values["config_path"]:
        raise ParameterError(
            "is empty", path=path, column="config_path", fix="give the path of a YAML config"
        )


def check_parameters(notebook: str | Path, parameters: Mapping[str, Any]) -> None:
    """Reject parameters the notebook does not declare, or of the wrong type.

    Parameters
    ----------
    notebook : str or Path
        The notebook to be run.
    parameters : mapping
        What the run will inject.

    Raises
    ------
    ParameterError
        The notebook has no ``parameters`` cell, lacks an expected parameter, or a value
        is unknown to it or of the wrong type.
    """
    import papermill as pm

    declared = pm.inspect_notebook(str(notebook))
    if not declared:
        raise ParameterError(
            "the notebook has no cell tagged 'parameters'",
            path=notebook,
            fix="tag its first code cell 'parameters' (JupyterLab: property inspector → Add Tag)",
        )
    for name, value in parameters.items():
        if name not in declared:
            raise ParameterError(
                "unknown parameter",
                path=notebook,
                column=name,
                fix="the notebook declares: " + ", ".join(declared),
            )
        want = _TYPES.get(str(declared[name].get("inferred_type_name")))
        if want is not None and not (
            isinstance(value, want) and not (isinstance(value, bool) and want is not bool)
        ):
            raise ParameterError(
                f"the notebook declares it as {want.__name__}, got the "
                f"{type(value).__name__} {value!r}",
                path=notebook,
                column=name,
                fix=f"pass a {want.__name__}",
            )
    validate_values(parameters, path=notebook)
