"""Plausible provenance: when a submission says it was sent, and what its file name claims.

Two checks shared by validation and ``combine`` (issue 11):

- :func:`is_future`: ``submitted_at`` later than now (or a given moment) plus
  :data:`FUTURE_TOLERANCE` (clocks differ a little). Such a submission is an
  error in validation and never supersedes another version in ``combine``:
  a file dated 2099 would otherwise stay ahead of every genuine resubmission.
- :func:`name_mismatch`: what a file's name says about region and period
  (``AL-02``, ``durres``, ``2024``, ``2024-H1``) against what the document says.

Signatures come later (docs/format.md, "Provenance and signatures"): the
envelope keeps room for them without a major version.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import PurePath

from krat_core.format.codelists import fold
from krat_core.format.regions import REGIONS

__all__ = ["FUTURE_TOLERANCE", "NameClaims", "is_future", "name_claims", "name_mismatch"]

FUTURE_TOLERANCE = timedelta(minutes=15)
"""How far ``submitted_at`` may lie ahead of the checking clock (clock skew between offices)."""

_CODE = re.compile(r"(?<![a-z0-9])al[-_ ]?(0[1-9]|1[0-2])(?![0-9])", re.I)
_PERIOD = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?:[-_ ]?(h[12]))?(?![0-9])", re.I)
_NAMES: dict[str, str] = {}
for _code, _region in REGIONS.items():
    for _name in (_region.sq, _region.en):
        _NAMES[fold(_name)] = _code


def is_future(submitted_at: datetime, now: datetime | None = None) -> bool:
    """Whether ``submitted_at`` lies after ``now`` (default: the clock) plus the tolerance."""
    moment = now if now is not None else datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return submitted_at > moment + FUTURE_TOLERANCE


class NameClaims:
    """The regions and periods a file name names (each may be empty)."""

    __slots__ = ("periods", "regions", "years")

    def __init__(self, regions: frozenset[str], periods: frozenset[str]) -> None:
        self.regions = regions
        self.periods = periods
        self.years = frozenset(p[:4] for p in periods)


def name_claims(name: str) -> NameClaims:
    """What the file name ``name`` (a path or a bare name) says about region and period.

    Regions by code (``AL-02``, ``al_02``, ``AL02``) or by name in either language
    (``durres``, ``Tiranë``, as a whole word); periods as a year (``2024``) or a
    half-year (``2024-H1``, ``2024_h2``).
    """
    stem = PurePath(name).name
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    regions = {f"AL-{m.group(1)}" for m in _CODE.finditer(stem)}
    for word in re.split(r"[^0-9a-z]+", fold(stem)):
        if word in _NAMES:
            regions.add(_NAMES[word])
    periods = set()
    for m in _PERIOD.finditer(stem):
        periods.add(m.group(1) + (f"-{m.group(2).upper()}" if m.group(2) else ""))
    return NameClaims(frozenset(regions), frozenset(periods))


def name_mismatch(name: str, region: str, period: str) -> tuple[str | None, str | None]:
    """``(region named, period named)`` where the file name disagrees with the document.

    Each is None when the name says nothing or agrees. A name with the year only
    (``2024``) agrees with a half-year of it (``2024-H1``).
    """
    claims = name_claims(name)
    other_region = None
    if claims.regions and region not in claims.regions:
        other_region = ", ".join(sorted(claims.regions))
    other_period = None
    if claims.periods:
        agrees = period in claims.periods or (
            period[:4] in claims.periods and len(claims.periods) == 1
        )
        if not agrees:
            other_period = ", ".join(sorted(claims.periods))
    return other_region, other_period
