"""Peer groups: the areas a partnership is compared with (section CMP).

:func:`~smp_analysis.peers.resolve.resolve_peers` turns the config's ``peers`` into named
LSOA selections — a list of areas, or ``nearest: k`` statistical nearest neighbours
(:mod:`smp_analysis.peers.nearest`). The counts come from
:func:`smp_analysis.sources.police_uk_peers.read_peer_counts`; the statistics from
:mod:`smp_analysis.stats.peers` and :mod:`smp_analysis.stats.funnel`.
"""

from .resolve import PeerGroup, resolve_peers

__all__ = ["PeerGroup", "resolve_peers"]
