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

from pathlib import Path

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
    from .inputs import ensure_sample_data, load_inputs

    ensure_sample_data(cfg)
    ctx = Context.create(cfg, load_inputs(cfg))
    try:
        from IPython import get_ipython

        if get_ipython() is not None:
            from .assessment.section import show_html

            show_html(NOTEBOOK_CSS)
    except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
        pass
    return ctx
