"""From the config's ``peers`` to named LSOA selections.

Two forms (see the README's config reference)::

    peers:
      name: Kent community safety partnerships
      areas:                        # each selected like `area`: prefix or LSOA codes
        - {name: Ashford, lsoa_name_prefix: Ashford}
        - {name: Swale, lsoa_name_prefix: Swale}

    peers: {nearest: 15}            # statistical nearest neighbours (needs data.imd,
                                    # data.population and data.lookup)

The partnership is always one of the group: a listed area with the partnership's name, or
with the same prefixes or codes, *is* the partnership (selected as ``area`` is); otherwise
the partnership is added first. The group rate pools every area, the partnership included.

Examples
--------
>>> from smp_analysis.config import Config
>>> cfg = Config.model_validate({
...     "partnership": "P", "area": {"name": "Maidstone", "lsoa_name_prefix": "Maidstone"},
...     "reporting_year": "2024/25", "data": {"police_uk": ["x"]}, "priorities": [],
...     "peers": {"name": "Kent", "areas": [{"name": "Ashford", "lsoa_name_prefix": "Ashford"},
...                                         {"name": "maidstone", "lsoa_name_prefix": "Maidstone"}]}})
>>> g = resolve_peers(cfg)
>>> g.name, [a.name for a in g.areas], g.focus.name
('Kent', ['Ashford', 'Maidstone'], 'Maidstone')
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..config import AreaConfig, Config
from ..errors import ConfigError
from ..sources.area import AreaSelection

__all__ = ["PeerGroup", "resolve_peers"]


@dataclass(frozen=True)
class PeerGroup:
    """A partnership's peer group.

    Attributes
    ----------
    name : str
        The group's name (``peers.name``).
    focus : AreaSelection
        The partnership (as ``area`` selects it).
    areas : tuple of AreaSelection
        Every area of the group, the partnership included, in the config's order.
    method : str
        How the group was chosen (one sentence for the data & methods section).
    neighbours : pandas.DataFrame or None
        For ``nearest``: ``code, name, distance, rank`` of the chosen districts.
    """

    name: str
    focus: AreaSelection
    areas: tuple[AreaSelection, ...]
    method: str
    neighbours: pd.DataFrame | None = field(default=None, compare=False)

    @property
    def peers(self) -> tuple[AreaSelection, ...]:
        """The areas other than the partnership."""
        return tuple(a for a in self.areas if a.name != self.focus.name)


def _selection(a: AreaConfig) -> AreaSelection:
    return AreaSelection(a.name, lsoa_name_prefix=a.lsoa_name_prefix, lsoa_codes=a.lsoa_codes)


def _same(a: AreaSelection, b: AreaSelection) -> bool:
    if a.name.casefold() == b.name.casefold():
        return True
    pa = tuple(p.casefold() for p in a.lsoa_name_prefix or ())
    pb = tuple(p.casefold() for p in b.lsoa_name_prefix or ())
    return (pa, a.lsoa_codes) == (pb, b.lsoa_codes)


def _nearest(cfg: Config, k: int) -> tuple[list[AreaSelection], pd.DataFrame, str]:
    d = cfg.data
    need = [key for key in ("imd", "population", "lookup") if getattr(d, key) is None]
    if need:
        raise ConfigError(
            f"'peers: nearest' needs data.{', data.'.join(need)}",
            path=cfg.path,
            column="peers.nearest",
            fix="name the IMD 2019, Census 2021 population and ONS LSOA lookup files under "
            "'data', or list the peer areas under 'peers.areas'",
        )
    from .nearest import nearest_districts

    target = cfg.area.code or cfg.area.name
    near = nearest_districts(
        target, k, imd_path=d.imd, population_path=d.population, lookup_path=d.lookup
    )
    areas = [AreaSelection(str(n), lsoa_name_prefix=str(n)) for n in near["name"]]
    method = str(
        near.attrs.get("method")
        or f"The {k} statistical nearest neighbours of {cfg.area.name} among English districts."
    )
    return areas, near, method


def resolve_peers(cfg: Config) -> PeerGroup | None:
    """The peer group of ``cfg`` (``None`` when the config has no ``peers``).

    Raises
    ------
    ConfigError
        ``nearest`` without the files it needs.
    """
    p = cfg.peers
    if p is None:
        return None
    focus = _selection(cfg.area)
    neighbours = None
    if p.areas is not None:
        listed = [_selection(a) for a in p.areas]
        method = (
            f"The peer group '{p.name}' is the {len(listed)} areas listed in the config, "
            "each selected by LSOA-name prefix or LSOA codes as the partnership is."
        )
    else:
        listed, neighbours, method = _nearest(cfg, int(p.nearest or 0))
    areas: list[AreaSelection] = []
    has_focus = False
    for a in listed:
        if _same(a, focus):
            if not has_focus:
                areas.append(focus)
                has_focus = True
        elif all(a.name.casefold() != b.name.casefold() for b in areas):
            areas.append(a)
    if not has_focus:
        areas.insert(0, focus)
    return PeerGroup(
        name=p.name, focus=focus, areas=tuple(areas), method=method, neighbours=neighbours
    )
