"""Combining: twelve regional submissions into one national dataset.

One import path for the stage::

    from krat_core.combine import combine, CombineResult, write_national, load_national
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from krat_core._lazy import lazy_exports

if TYPE_CHECKING:
    from krat_core.combine.consolidate import (
        CombineResult,
        combine,
        load_national,
        write_national,
    )

_EXPORTS = {
    "combine": "consolidate",
    "CombineResult": "consolidate",
    "load_national": "consolidate",
    "write_national": "consolidate",
}
__all__ = [
    "CombineResult",
    "combine",
    "load_national",
    "write_national",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
