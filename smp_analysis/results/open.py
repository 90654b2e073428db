"""The analysts' way in: open an area's assessment and reach every paragraph's numbers.

>>> a = open_assessment("data/config/sample.yml")          # doctest: +SKIP
>>> a.result("DA.4").table                                  # doctest: +SKIP
>>> a.police_series(["Robbery"], by=["lsoa_code"])          # doctest: +SKIP

Sections are computed when first asked for and kept, so ``a.result("DA.4")`` computes
only the domestic-abuse section. The same section builders run in the report notebooks,
so a result here is the result behind the published paragraph.

Examples
--------
>>> suggest("Robery", ["Robbery", "Burglary"])
'Robbery'
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pandas as pd

from ..categories import ALL_CATEGORIES
from ..errors import ParameterError
from .result import Result

__all__ = ["Assessment", "open_assessment", "suggest"]


def suggest(name: str, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to ``name`` (case-insensitive), or ``None``."""
    choices = list(choices)
    lower = {c.lower(): c for c in choices}
    hit = difflib.get_close_matches(name.lower(), list(lower), n=1, cutoff=0.6)
    return lower[hit[0]] if hit else None


class Assessment:
    """One area's assessment for one reporting year: its inputs and its results.

    Create it with :func:`open_assessment`.
    """

    def __init__(self, context) -> None:
        self.context = context
        self._sections: dict[str, object] = {}

    # ------------------------------------------------------------------ inputs
    @property
    def config(self):
        """The validated config (``smp_analysis.config.Config``)."""
        return self.context.config

    @property
    def year(self) -> str:
        """The reporting financial year, e.g. ``"2024/25"``."""
        return self.context.current.label

    @property
    def cube(self):
        """The monthly police.uk cube (``month × LSOA × crime type``, missing months NaN)."""
        return self.context.inputs.cube

    @property
    def partner(self) -> pd.DataFrame | None:
        """The partner returns (tidy rows), or ``None`` when the config names none."""
        return self.context.inputs.partner

    def police_series(
        self,
        crime_types: str | Sequence[str] | None = None,
        *,
        by: Sequence[str] = (),
        area: str = "district",
        start: object | None = None,
        end: object | None = None,
    ) -> pd.DataFrame:
        """Monthly police.uk counts, ``NaN`` for months with no data (never zero).

        Parameters
        ----------
        crime_types : str or sequence of str, optional
            police.uk categories (default: all crime, anti-social behaviour excluded).
        by : sequence of str
            Extra columns to split by, e.g. ``["crime_type"]`` or ``["lsoa_code"]``.
        area : str
            ``"district"``, ``"town_centre"``, ``"buffer"`` or ``"comparison"``.
        start, end : optional
            First and last month (default: all months up to the end of the reporting year).

        Raises
        ------
        ParameterError
            An unknown crime type (with the closest known one suggested).
        """
        if isinstance(crime_types, str):
            crime_types = [crime_types]
        for c in crime_types or ():
            if c not in ALL_CATEGORIES:
                close = suggest(c, ALL_CATEGORIES)
                raise ParameterError(
                    f"'{c}' is not a police.uk crime type",
                    column="crime_types",
                    fix=f"did you mean '{close}'?"
                    if close
                    else "choose from smp_analysis.categories.ALL_CATEGORIES",
                )
        return self.context.police_series(crime_types, by=by, area=area, start=start, end=end)

    # ------------------------------------------------------------------ results
    def _builders(self) -> dict[str, Callable[[], object]]:
        from ..assessment import sections as S

        themed = {
            "serious_violence": S.serious_violence,
            "domestic_abuse": S.domestic_abuse,
            "town_centre": S.town_centre,
            "young_people": S.young_people,
        }
        ctx = self.context
        out: dict[str, Callable[[], object]] = {"SUM": lambda: S.summary(ctx)}
        for pr in ctx.config.priorities:
            build = themed.get(pr.theme, S.generic_priority)
            out[pr.id] = lambda build=build, pid=pr.id: S.with_work_undertaken(ctx, build(ctx, pid))
        out["WD"] = lambda: S.wider_determinants(ctx)
        out["XT"] = lambda: S.themes(ctx)
        if ctx.config.peers is not None:
            from ..sources.police_uk_peers import load_peer_counts

            out["CMP"] = lambda: S.comparison(ctx, *load_peer_counts(ctx.config))
        out["EC"] = lambda: S.emerging_concerns(ctx)
        out["DM"] = lambda: S.data_and_methods(ctx)
        out["PS"] = lambda: S.public_summary(ctx)
        return out

    @property
    def section_ids(self) -> list[str]:
        """Sections of the appendix (``SUM``, the priorities, ``WD``, ``XT``, ``EC``, ``DM``) and
        the public summary (``PS``)."""
        return list(self._builders())

    def section(self, section_id: str):
        """The section ``section_id`` (computed once, then kept)."""
        builders = self._builders()
        if section_id not in builders:
            close = suggest(section_id, builders)
            raise KeyError(
                f"no section {section_id!r}; "
                + (f"did you mean {close!r}? " if close else "")
                + f"sections: {', '.join(builders)}"
            )
        if section_id not in self._sections:
            self._sections[section_id] = builders[section_id]()
        return self._sections[section_id]

    def result(self, label: str) -> Result:
        """The numbers behind paragraph ``label`` (e.g. ``"DA.4"``)."""
        section_id = label.split(".", 1)[0]
        sec = self.section(section_id)
        if label not in sec.labels:
            raise KeyError(
                f"section {section_id} has no paragraph {label} this year; it has "
                f"{', '.join(sec.labels)} (a paragraph whose data were not provided is left out)"
            )
        return sec.result(label)

    def results(self, *, public: bool = False) -> dict[str, Result]:
        """Every paragraph's result of the appendix (and of the public summary when
        ``public``), by label."""
        out: dict[str, Result] = {}
        for sid in self.section_ids:
            if sid == "PS" and not public:
                continue
            out.update(self.section(sid).results())
        return out

    def __repr__(self) -> str:
        return (
            f"Assessment({self.config.area.name}, {self.year}; sections "
            f"{', '.join(self.section_ids)}; computed: {', '.join(self._sections) or 'none'})"
        )


def open_assessment(config: str | Path, year: str | None = None) -> Assessment:
    """Open an area's assessment: load and check its config and inputs (generating the
    sample data when the config asks for it).

    Parameters
    ----------
    config : str or Path
        The area's YAML config, e.g. ``"data/config/sample.yml"``.
    year : str, optional
        Reporting financial year such as ``"2023/24"``; default: the config's.

    Returns
    -------
    Assessment
    """
    from ..assessment.context import Context
    from ..config import load_config
    from ..inputs import ensure_sample_data, load_inputs

    cfg = load_config(config)
    if year:
        cfg = cfg.for_year(year)
    ensure_sample_data(cfg)
    return Assessment(Context.create(cfg, load_inputs(cfg)))
