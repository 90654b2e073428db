"""What a report notebook calls first: check parameters, load config and inputs.

Examples
--------
>>> from smp_analysis.errors import ParameterError
>>> try:
...     setup(config_path="x.yml", reporting_year="2024")
... except ParameterError as e:
...     print(e)
parameter 'reporting_year': '2024' is not a financial year like "2024/25". Fix: use the form "2024/25", or "" for the config's year
"""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Any

from .assessment.context import Context
from .config import load_config
from .params import validate_values

__all__ = ["setup", "NOTEBOOK_CSS"]

_CSS = Path(__file__).parent / "present" / "templates" / "smp_report" / "static" / "report.css"
#: The report stylesheet, shown once per notebook so JupyterLab renders paragraphs as the
#: report does; the build strips it (the exported page has it in its <head>).
NOTEBOOK_CSS = "<style data-smp-notebook-css>" + _CSS.read_text(encoding="utf-8") + "</style>"


def setup(config_path: str, reporting_year: str = "") -> Context:
    """Validate the notebook's parameters and load everything it analyses.

    Parameters
    ----------
    config_path : str
        The area's YAML config (relative paths resolve against the notebook's folder).
    reporting_year : str
        Financial year such as ``"2024/25"``; ``""`` for the config's.

    Returns
    -------
    Context
    """
    validate_values({"config_path": config_path, "reporting_year": reporting_year})
    cfg = load_config(config_path)
    if reporting_year:
        cfg = cfg.for_year(reporting_year)
    from .inputs import ensure_sample_data

    ensure_sample_data(cfg)
    ctx = Context.create(cfg, _load_inputs(cfg))
    try:
        from IPython import get_ipython

        if get_ipython() is not None:
            from .assessment.section import show_html

            show_html(NOTEBOOK_CSS)
    except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
        pass
    return ctx


#: The inputs last loaded in this process, by content key (see :func:`_load_inputs`).
_loaded: dict[str, Any] = {}


def _load_inputs(cfg: Any) -> Any:
    """:func:`~smp_analysis.inputs.load_inputs`, remembered for the life of the process.

    A kernel of the build's pool (:mod:`smp_analysis.pipeline.parallel`) runs several
    notebooks on the same inputs; each ``setup`` gets its own deep copy (a few
    milliseconds) of what the first one read, so nothing one notebook does to its inputs
    reaches another. The key is the content of everything read: the config file, the
    reporting year and the SHA-256 of every input file (re-hashed only when a file's size
    or modification time changes), and the package version.
    """
    from . import __version__
    from .inputs import load_inputs
    from .pipeline.fingerprint import files_digest
    from .pipeline.manifest import data_files, sha256

    if cfg.path is None:  # built in memory: nothing to key on
        return load_inputs(cfg)
    key = hashlib.sha256(
        "\0".join(
            [
                __version__,
                str(cfg.path),
                sha256(cfg.path),
                cfg.reporting_year,
                files_digest(data_files(cfg)),
            ]
        ).encode("utf-8")
    ).hexdigest()
    if key not in _loaded:
        inputs = load_inputs(cfg)
        _loaded.clear()  # one area and year at a time: bounded memory
        _loaded[key] = inputs
    return copy.deepcopy(_loaded[key])
