"""The twelve regions (qarqe) of Albania, keyed by ISO 3166-2:AL code."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["REGIONS", "REGION_CODES", "Region", "region"]


@dataclass(frozen=True, slots=True)
class Region:
    """One region: its ISO 3166-2:AL code and its names in Albanian and English."""

    code: str
    sq: str
    en: str

    def label(self, lang: str = "sq") -> str:
        """The region's name in ``lang`` ("sq" or "en")."""
        return self.sq if lang == "sq" else self.en


REGIONS: dict[str, Region] = {
    r.code: r
    for r in (
        Region("AL-01", "Berat", "Berat"),
        Region("AL-02", "Durrës", "Durrës"),
        Region("AL-03", "Elbasan", "Elbasan"),
        Region("AL-04", "Fier", "Fier"),
        Region("AL-05", "Gjirokastër", "Gjirokastër"),
        Region("AL-06", "Korçë", "Korçë"),
        Region("AL-07", "Kukës", "Kukës"),
        Region("AL-08", "Lezhë", "Lezhë"),
        Region("AL-09", "Dibër", "Dibër"),
        Region("AL-10", "Shkodër", "Shkodër"),
        Region("AL-11", "Tiranë", "Tirana"),
        Region("AL-12", "Vlorë", "Vlorë"),
    )
}

REGION_CODES: tuple[str, ...] = tuple(REGIONS)


def region(code: str) -> Region:
    """Return the region with ISO code ``code`` (e.g. ``"AL-02"``).

    Raises :class:`KeyError` naming the valid codes when ``code`` is unknown.
    """
    try:
        return REGIONS[code]
    except KeyError:
        raise KeyError(f"unknown region {code!r}; expected one of AL-01..AL-12") from None
