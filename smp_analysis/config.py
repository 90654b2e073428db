"""The area config file: one YAML file per Community Safety Partnership.

:func:`load_config` reads it with a bounded safe YAML loader
(:func:`smp_analysis.sources.yaml_load.load_yaml`: at most 1 MiB, UTF-8, 64 levels
deep, aliases expanded to at most 200,000 values), validates it with pydantic and
resolves every path relative to the config file's folder. A wrong key or value is a
:class:`~smp_analysis.errors.ConfigError` naming the file, the line and the dotted key.
The fields are documented in the README ("The config file") and in ``data/config/sample.yml``.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.yml").write_text('''
... partnership: Safer Anytown Partnership
... area: {name: Anytown, lsoa_name_prefix: Anytown}
... reporting_year: "2024/25"
... data: {police_uk: [police]}
... priorities: []
... ''')
>>> cfg = load_config(d / "a.yml")
>>> cfg.area.name, cfg.reporting_year, cfg.data.police_uk[0] == d / "police"
('Anytown', '2024/25', True)
>>> _ = (d / "b.yml").write_text("partnership: X\\nareaa: {}\\n")
>>> try:
...     load_config(d / "b.yml")
... except ConfigError as e:
...     print(str(e).split(": ", 1)[1])
key 'areaa': unknown key. Fix: remove it or check its spelling against the README's config reference
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from .categories import ALL_CATEGORIES
from .errors import ConfigError
from .sources.yaml_load import load_yaml

__all__ = [
    "Config",
    "AreaConfig",
    "DataConfig",
    "TownCentreConfig",
    "PriorityConfig",
    "IndicatorConfig",
    "SurveyMeasureConfig",
    "HealthIndicatorConfig",
    "BandConfig",
    "DisclosureConfig",
    "PublicConfig",
    "HelpContact",
    "ReportConfig",
    "ThemeConfig",
    "ConclusionConfig",
    "PeersConfig",
    "load_config",
    "STATUSES",
    "DEFAULT_NOTEBOOKS",
]

#: Priority statuses, best first.
STATUSES = ("Exceeding expectations", "On track", "Needs attention", "Not assessed")
Status = Literal["Exceeding expectations", "On track", "Needs attention", "Not assessed"]

#: The report notebooks, in appendix order (the priority notebooks come from ``priorities``).
DEFAULT_NOTEBOOKS = (
    "00_summary.ipynb",
    "{priorities}",
    "50_wider_determinants.ipynb",
    "60_themes.ipynb",
    "70_comparison.ipynb",
    "80_emerging_concerns.ipynb",
    "90_data_and_methods.ipynb",
)

#: The comparison-with-peers notebook (section CMP): in the default list only with ``peers``.
PEERS_NOTEBOOK = "70_comparison.ipynb"

_FY = re.compile(r"^(20\d{2})/(\d{2})$")
_MONTH = re.compile(r"^20\d{2}-(0[1-9]|1[0-2])$")
_LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
#: Longest area name: it names the report folder (file systems allow 255 bytes).
AREA_NAME_MAX = 100


def _shown(value: str, n: int = 40) -> str:
    return value if len(value) <= n else value[: n - 3] + "..."


def _financial_year(value: str) -> str:
    m = _FY.match(value)
    if not m or int(m.group(1)) > 2098 or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise ValueError(
            f"'{_shown(value)}' is not a financial year like '2024/25' (in quotes, 2000/01 "
            "to 2098/99)"
        )
    return value


def _month(value: str) -> str:
    if not _MONTH.match(value):
        raise ValueError(f"'{_shown(value)}' is not a month like '2023-10' (in quotes)")
    return value


def _lsoa_code(value: str) -> str:
    if not _LSOA_CODE.match(value):
        raise ValueError(f"'{_shown(value)}' is not an LSOA code like E01024337")
    return value


def _prefix(value: str) -> str:
    if not value.strip():
        raise ValueError("the LSOA-name prefix is blank (it would select every LSOA)")
    return value


def _category(value: str) -> str:
    if value not in ALL_CATEGORIES:
        raise ValueError(
            f"'{value}' is not a data.police.uk category; use one of: " + ", ".join(ALL_CATEGORIES)
        )
    return value


FinancialYear = Annotated[str, AfterValidator(_financial_year)]
Month = Annotated[str, AfterValidator(_month)]
LsoaCode = Annotated[str, AfterValidator(_lsoa_code)]
Prefix = Annotated[str, Field(max_length=AREA_NAME_MAX), AfterValidator(_prefix)]
NotebookName = Annotated[str, Field(pattern=r"^[\w.-]{1,100}\.ipynb$")]
Category = Annotated[str, AfterValidator(_category)]
Ident = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AreaConfig(_Strict):
    """The district the partnership covers."""

    name: str = Field(min_length=1, max_length=AREA_NAME_MAX)
    code: str | None = None
    lsoa_name_prefix: Prefix | None = None
    lsoa_codes: list[LsoaCode] | None = Field(default=None, min_length=1)
    force: str | None = None

    @model_validator(mode="after")
    def _one_selector(self) -> AreaConfig:
        if (self.lsoa_name_prefix is None) == (self.lsoa_codes is None):
            raise ValueError("give exactly one of 'lsoa_name_prefix' or 'lsoa_codes'")
        return self


class PeersConfig(_Strict):
    """The peer group the partnership is compared with (section CMP).

    Either ``areas``, a list of areas each selected like ``area`` (LSOA-name prefix or
    LSOA codes), or ``nearest: k``, the ``k`` statistical nearest neighbours among all
    English districts (:func:`smp_analysis.peers.resolve.resolve_peers`).
    """

    name: str = Field(default="Peer group", min_length=1, max_length=AREA_NAME_MAX)
    areas: list[AreaConfig] | None = Field(default=None, min_length=2, max_length=400)
    nearest: int | None = Field(default=None, ge=2, le=50)

    @model_validator(mode="after")
    def _one_form(self) -> PeersConfig:
        if (self.areas is None) == (self.nearest is None):
            raise ValueError("give exactly one of 'areas' (a list) or 'nearest' (a number)")
        names = [a.name.casefold() for a in self.areas or ()]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"peer area names must be unique; repeated: {dup}")
        return self


class DataConfig(_Strict):
    """Input files; relative paths are relative to the config file's folder."""

    police_uk: list[Path] = Field(min_length=1)
    partner_returns: Path | None = None
    fingertips: Path | None = None
    population: Path | None = None
    ethnicity: Path | None = None
    imd: Path | None = None
    survey: Path | None = None
    lookup: Path | None = None
    cache_dir: Path | None = None
    #: the action log (work undertaken per priority and theme; docs/data-formats.md)
    action_log: Path | None = None


class InterventionConfig(_Strict):
    name: str
    start: Month


class SampleConfig(_Strict):
    """Synthetic sample data: generated with ``seed`` into ``dir`` when absent."""

    seed: int
    dir: Path


class TownCentreConfig(_Strict):
    """The town centre (or any focus area) and its intervention, for the place analysis."""

    name: str
    lsoa_codes: list[str] = Field(min_length=1)
    buffer_lsoa_codes: list[str] = []
    comparison_lsoa_codes: list[str] = []
    intervention: InterventionConfig | None = None


class TargetConfig(_Strict):
    """A target as a proportional change on the previous year: ``-0.05`` = "reduce by 5%"."""

    change: float = Field(ge=-1.0, le=10.0)


class BandConfig(_Strict):
    """An indicator's expected (healthy) range, in its unit (per cent for a share):
    ``{low: 28, high: 40, source: SafeLives}``. The verdict then says whether the reporting
    year is within, below or above the range; leaving the range is never "improved"."""

    low: float = Field(ge=0)
    high: float = Field(ge=0)
    source: str = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _ordered(self) -> BandConfig:
        if not self.low < self.high:
            raise ValueError(
                f"band low ({self.low:g}) must be below high ({self.high:g}); "
                "give the expected range as {low: 28, high: 40, source: ...}"
            )
        return self


class IndicatorConfig(_Strict):
    """One piece of evidence for a priority."""

    id: Ident
    label: str
    source: Literal["police", "partner", "survey"]
    good: Literal["down", "up", "neutral"]
    crime_types: list[Category] | None = None
    area: Literal["district", "town_centre"] = "district"
    indicator: Ident | None = None
    sub_type: Ident | None = None
    measure: Ident | None = None
    target: TargetConfig | None = None
    band: BandConfig | None = None
    paragraph: str | None = Field(default=None, pattern=r"^[A-Z]{2,4}\.\d+$")

    @model_validator(mode="after")
    def _source_fields(self) -> IndicatorConfig:
        need = {"police": "crime_types", "partner": "indicator", "survey": "measure"}[self.source]
        if getattr(self, need) is None:
            raise ValueError(f"an indicator with source '{self.source}' needs '{need}'")
        return self


class OverrideConfig(_Strict):
    """An analyst's override of the computed status: the report shows both."""

    status: Status
    rationale: str = Field(min_length=20)


class PriorityConfig(_Strict):
    id: str = Field(pattern=r"^[A-Z]{2,4}$")
    title: str
    notebook: NotebookName
    theme: Literal[
        "serious_violence", "domestic_abuse", "town_centre", "young_people", "generic"
    ] = "generic"
    indicators: list[IndicatorConfig] = Field(min_length=1)
    override: OverrideConfig | None = None

    @model_validator(mode="after")
    def _unique_ids(self) -> PriorityConfig:
        ids = [i.id for i in self.indicators]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"indicator ids must be unique within a priority; repeated: {dup}")
        return self


class ThemeConfig(_Strict):
    """A cross-cutting theme: runs across priorities, with its own indicators and narrative
    (section XT; the action log may name its ``id`` like a priority's)."""

    id: str = Field(pattern=r"^[A-Z]{2,4}$")
    name: str = Field(min_length=1, max_length=200)
    narrative: str = Field(default="", max_length=4000)
    indicators: list[IndicatorConfig] = []

    @model_validator(mode="after")
    def _unique_ids(self) -> ThemeConfig:
        ids = [i.id for i in self.indicators]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"indicator ids must be unique within a theme; repeated: {dup}")
        return self


class ConclusionConfig(_Strict):
    """The analysts' conclusion on whether the priorities remain relevant, shown beside the
    one computed from the evidence (never instead of it)."""

    relevant: bool
    text: str | None = Field(default=None, max_length=2000)
    rationale: str = Field(min_length=20, max_length=2000)


class SurveyMeasureConfig(_Strict):
    id: Ident
    label: str
    survey: Literal["public", "youth"]
    question: str
    positive: list[str] = Field(min_length=1)
    good: Literal["up", "down"] = "up"


class HealthIndicatorConfig(_Strict):
    fingertips_id: int
    label: str
    good: Literal["down", "up"]
    #: the value's unit ("per 100,000 residents", "%"); known indicators have a default
    unit: str | None = Field(default=None, min_length=1, max_length=80)
    #: what the indicator measures, in one plain sentence; known indicators have a default
    definition: str | None = Field(default=None, min_length=1, max_length=400)


class DisclosureConfig(_Strict):
    threshold: int = Field(default=5, ge=1)
    sensitive_threshold: int = Field(default=10, ge=1)
    sensitive: list[str] = ["domestic abuse", "Violence and sexual offences", "sexual offences"]

    @model_validator(mode="after")
    def _stricter(self) -> DisclosureConfig:
        if self.sensitive_threshold < self.threshold:
            raise ValueError("sensitive_threshold must be at least threshold")
        return self


class StopSearchConfig(_Strict):
    population_areas: list[str] = Field(min_length=1)
    force: str | None = None


# ---------------------------------------------------------------------- the residents' page
_PHONE = re.compile(r"^\+?[0-9][0-9 ]{1,18}[0-9]$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(\.[A-Za-z0-9\-]{1,63})+$")
_WEB = re.compile(
    r"^https?://[A-Za-z0-9\-]{1,63}(\.[A-Za-z0-9\-]{1,63})+(/[A-Za-z0-9._~/%?=&\-]*)?$"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")


def _plain(value: str) -> str:
    if _CONTROL.search(value) or not value.strip():
        raise ValueError("must be plain text on one line (no control characters, not blank)")
    return value.strip()


def _matches(pattern: re.Pattern[str], what: str) -> Any:
    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(f"'{_shown(value)}' is not {what}")
        return value

    return AfterValidator(check)


PlainText = Annotated[str, Field(max_length=600), AfterValidator(_plain)]
Phone = Annotated[str, _matches(_PHONE, "a phone number like '0808 2000 247' (digits, spaces)")]
Email = Annotated[str, _matches(_EMAIL, "an email address like 'safety@example.gov.uk'")]
WebAddress = Annotated[
    str, _matches(_WEB, "a web address starting https:// (letters, digits, / . - _ ~ % ? = &)")
]


class HelpContact(_Strict):
    """A help line or service on the residents' page (phone, web address or email)."""

    name: Annotated[PlainText, Field(max_length=120)]
    what: PlainText
    phone: Phone | None = None
    url: WebAddress | None = None
    email: Email | None = None

    @model_validator(mode="after")
    def _reachable(self) -> HelpContact:
        if self.phone is None and self.url is None and self.email is None:
            raise ValueError(f"'{self.name}' needs a phone, url or email")
        return self


#: Help lines on every residents' page unless ``public.national_help: false`` (England and
#: Wales; numbers as each organisation publishes them).
NATIONAL_HELP: tuple[HelpContact, ...] = (
    HelpContact(
        name="Emergency",
        what="Call 999 if someone is in danger or a crime is happening now. If you "
        "cannot speak, call 999 from a mobile and press 55 when asked.",
        phone="999",
    ),
    HelpContact(
        name="Police, not an emergency",
        what="Call 101 to report a crime or get advice when it is not an emergency.",
        phone="101",
        url="https://www.police.uk",
    ),
    HelpContact(
        name="National Domestic Abuse Helpline (run by Refuge)",
        what="Free help for anyone facing domestic abuse, day and night.",
        phone="0808 2000 247",
        url="https://www.nationaldahelpline.org.uk",
    ),
    HelpContact(
        name="Crimestoppers",
        what="Tell them what you know about a crime. You do not have to give your name.",
        phone="0800 555 111",
        url="https://crimestoppers-uk.org",
    ),
    HelpContact(
        name="Victim Support",
        what="Free help for anyone hurt by crime, even if they did not tell the police.",
        phone="08 08 16 89 111",
        url="https://www.victimsupport.org.uk",
    ),
    HelpContact(
        name="Samaritans",
        what="Someone to talk to, day or night, if you are finding things hard.",
        phone="116 123",
        url="https://www.samaritans.org",
    ),
)

#: Words marking an indicator whose fall may mean fewer victims come forward.
UNDER_REPORTED = (
    "domestic abuse",
    "coercive control",
    "stalking",
    "sexual offence",
    "rape",
    "hate crime",
    "modern slavery",
    "exploitation",
)


class HaveYourSayConfig(_Strict):
    """How residents can have their say (all optional; a default sentence otherwise)."""

    text: PlainText | None = None
    url: WebAddress | None = None
    email: Email | None = None
    phone: Phone | None = None
    meetings: list[Annotated[PlainText, Field(max_length=200)]] = Field(default=[], max_length=20)


class PublicConfig(_Strict):
    """The residents' page (``public.html``): help, contact, have your say.

    ``help`` adds local services after the national help lines (:data:`NATIONAL_HELP`,
    left out with ``national_help: false``); ``contact`` is the partnership's own contact;
    ``under_reported`` lists words (or indicator ids) marking indicators whose fall may
    mean under-reporting; ``priority_titles`` gives a priority a shorter, plainer title.
    """

    national_help: bool = True
    help: list[HelpContact] = Field(default=[], max_length=30)
    contact: HelpContact | None = None
    have_your_say: HaveYourSayConfig = HaveYourSayConfig()
    under_reported: list[Annotated[PlainText, Field(max_length=60)]] = list(UNDER_REPORTED)
    priority_titles: dict[str, Annotated[PlainText, Field(max_length=120)]] = {}

    @property
    def help_lines(self) -> tuple[HelpContact, ...]:
        """National help lines (unless turned off), then the local ones."""
        return (NATIONAL_HELP if self.national_help else ()) + tuple(self.help)


class ReportConfig(_Strict):
    title: str = "Strategic Assessment"
    output_dir: Path = Path("reports")
    notebooks_dir: Path = Path("notebooks")
    notebooks: list[NotebookName | Literal["{priorities}"]] | None = None
    public_notebook: NotebookName = "99_public.ipynb"


class Config(_Strict):
    """A validated area config (see :func:`load_config`)."""

    partnership: str
    area: AreaConfig
    reporting_year: FinancialYear
    sample: SampleConfig | None = None
    data: DataConfig
    town_centre: TownCentreConfig | None = None
    stop_search: StopSearchConfig | None = None
    peers: PeersConfig | None = None
    priorities: list[PriorityConfig]
    themes: list[ThemeConfig] = []
    conclusion: ConclusionConfig | None = None
    surveys: list[SurveyMeasureConfig] = []
    health: list[HealthIndicatorConfig] = []
    disclosure: DisclosureConfig = DisclosureConfig()
    public: PublicConfig = PublicConfig()
    narrative: Path | None = None
    report: ReportConfig = ReportConfig()
    #: Folder of the config file (set by :func:`load_config`; paths are resolved against it).
    base_dir: Path = Path(".")
    #: The config file itself.
    path: Path | None = None

    @model_validator(mode="after")
    def _public_titles(self) -> Config:
        known = [p.id for p in self.priorities] + [t.id for t in getattr(self, "themes", [])]
        unknown = sorted(set(self.public.priority_titles) - set(known))
        if unknown:
            raise ValueError(
                f"public.priority_titles names {unknown}, which are not priority or theme "
                f"ids ({known})"
            )
        return self

    @model_validator(mode="after")
    def _cross_checks(self) -> Config:
        ids = [p.id for p in self.priorities]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"priority ids must be unique; repeated: {dup}")
        themes = [t.id for t in self.themes]
        clash = sorted({i for i in themes if themes.count(i) > 1} | (set(themes) & set(ids)))
        if clash:
            raise ValueError(
                f"theme ids must be unique and differ from the priority ids; repeated: {clash}"
            )
        measures = {m.id for m in self.surveys}
        for p in [*self.priorities, *self.themes]:
            kind = "theme" if isinstance(p, ThemeConfig) else "priority"
            for ind in p.indicators:
                if ind.source == "survey" and ind.measure not in measures:
                    raise ValueError(
                        f"{kind} {p.id} indicator '{ind.id}' uses survey measure "
                        f"'{ind.measure}', which is not defined under 'surveys'"
                    )
                if ind.area == "town_centre" and self.town_centre is None:
                    raise ValueError(
                        f"{kind} {p.id} indicator '{ind.id}' uses area 'town_centre' "
                        "but there is no 'town_centre' section"
                    )
        return self

    # ---------------------------------------------------------------- conveniences
    @property
    def synthetic(self) -> bool:
        """True when the config describes the generated sample district."""
        return self.sample is not None

    @property
    def slug(self) -> str:
        """Folder-safe area name, e.g. ``"sampleton"`` (``"area"`` if nothing is left)."""
        return re.sub(r"[^a-z0-9]+", "-", self.area.name.lower()).strip("-") or "area"

    @property
    def year_slug(self) -> str:
        """Folder-safe reporting year, e.g. ``"2024-25"``."""
        return self.reporting_year.replace("/", "-")

    def for_year(self, year: str) -> Config:
        """The same config for another reporting year (``"2024/25"``).

        Raises
        ------
        ConfigError
            ``year`` is not a financial year like ``"2024/25"``.
        """
        try:
            _financial_year(year)
        except ValueError as exc:
            raise ConfigError(
                str(exc), column="reporting_year", fix="pass a year like 2024/25"
            ) from None
        return self.model_copy(update={"reporting_year": year})

    def priority(self, priority_id: str) -> PriorityConfig:
        """The priority with this id (``KeyError`` naming the known ids otherwise)."""
        for p in self.priorities:
            if p.id == priority_id:
                return p
        raise KeyError(
            f"no priority '{priority_id}' in the config; known: {[p.id for p in self.priorities]}"
        )

    def notebook_names(self) -> list[str]:
        """Report notebooks in appendix order (the public notebook is separate).

        The default list leaves out the comparison notebook when no ``peers`` are configured.
        """
        names = self.report.notebooks or [
            n for n in DEFAULT_NOTEBOOKS if n != PEERS_NOTEBOOK or self.peers is not None
        ]
        out: list[str] = []
        for n in names:
            if n == "{priorities}":
                out.extend(p.notebook for p in self.priorities)
            else:
                out.append(n)
        return list(dict.fromkeys(out))


# ---------------------------------------------------------------------- loading
_PATH_KEYS = {
    ("data", "police_uk"),
    ("data", "partner_returns"),
    ("data", "fingertips"),
    ("data", "population"),
    ("data", "ethnicity"),
    ("data", "imd"),
    ("data", "survey"),
    ("data", "lookup"),
    ("data", "cache_dir"),
    ("data", "action_log"),
    ("sample", "dir"),
    ("narrative",),
    ("report", "output_dir"),
    ("report", "notebooks_dir"),
}


def _resolve_paths(raw: dict[str, Any], base: Path, path: Path, root: yaml.Node | None) -> None:
    def fix(v: Any, keys: tuple[Any, ...]) -> Any:
        if isinstance(v, str):
            if "\0" in v or len(v) > 4096:
                raise ConfigError(
                    "the path holds a NUL byte" if "\0" in v else "the path is too long",
                    path=path,
                    line=_line_of(root, keys),
                    column=".".join(str(k) for k in keys),
                    fix="correct the path",
                )
            return str((base / v).resolve()) if not Path(v).is_absolute() else v
        if isinstance(v, list):
            return [fix(x, (*keys, i)) for i, x in enumerate(v)]
        return v

    for keys in _PATH_KEYS:
        node: Any = raw
        for k in keys[:-1]:
            node = node.get(k) if isinstance(node, dict) else None
        if isinstance(node, dict) and keys[-1] in node and node[keys[-1]] is not None:
            node[keys[-1]] = fix(node[keys[-1]], keys)


def _line_of(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the YAML node at ``loc`` (the deepest existing ancestor)."""
    node, line = root, None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == part:
                    line = k.start_mark.line + 1
                    node = v
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _describe(err: dict[str, Any]) -> tuple[str, str]:
    kind = err["type"]
    if kind == "extra_forbidden":
        return (
            "unknown key",
            "remove it or check its spelling against the README's config reference",
        )
    if kind == "missing":
        return "required key is missing", "add it (see data/config/sample.yml for an example)"
    msg = err["msg"]
    msg = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "literal_error":
        return msg.replace("Input should be", "must be"), "use one of the values listed"
    if kind == "string_too_long":
        return msg.replace("String should have", "must have"), "shorten it"
    return msg, "correct the value (see the README's config reference)"


def load_config(path: str | Path) -> Config:
    """Read and validate an area config file.

    Parameters
    ----------
    path : str or Path
        The YAML file.

    Returns
    -------
    Config
        The validated config with paths resolved relative to the file's folder.

    Raises
    ------
    ConfigError
        On a missing (or non-regular) file, one over 1 MiB or not UTF-8, invalid,
        too deep or alias-bombed YAML, an unknown key or a bad value, a path holding a
        NUL byte, or ``data.cache_dir`` / ``report.output_dir`` naming a file: one line
        naming the file, line and dotted key.
    """
    path = Path(path)
    raw, root = load_yaml(
        path,
        kind="config",
        what="config file",
        error=ConfigError,
        fix_missing="pass --config with the path of a YAML file",
    )
    if not isinstance(raw, dict):
        raise ConfigError(
            "the config must be a mapping of keys to values",
            path=path,
            line=1,
            fix="start from data/config/sample.yml",
        )
    for reserved in ("base_dir", "path"):
        if reserved in raw:
            raise ConfigError(
                "unknown key",
                path=path,
                line=_line_of(root, (reserved,)),
                column=reserved,
                fix="remove it; it is set by the loader",
            )
    base = path.resolve().parent
    _resolve_paths(raw, base, path, root)
    try:
        cfg = Config.model_validate({**raw, "base_dir": base, "path": path.resolve()})
    except ValidationError as exc:
        # a misspelt key shows up as "unknown" and "missing": report the unknown one first
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        err = errors[0]
        loc = tuple(err["loc"])
        key = ".".join(str(p) for p in loc) or "(top level)"
        problem, fix = _describe(err)
        raise ConfigError(
            problem, path=path, line=_line_of(root, loc), column=key, fix=fix
        ) from None
    for keys, folder in (
        (("data", "cache_dir"), cfg.data.cache_dir),
        (("report", "output_dir"), cfg.report.output_dir),
    ):
        if folder is not None and folder.exists() and not folder.is_dir():
            raise ConfigError(
                "is a file, not a folder",
                path=path,
                line=_line_of(root, keys),
                column=".".join(keys),
                fix="give a folder (it is created when missing), or move the file away",
            )
    return cfg
