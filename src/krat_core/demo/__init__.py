"""Synthetic data and the demo: the whole pipeline on made-up records for twelve regions.

Nothing here is real: every record is generated from a seed. One import path::

    from krat_core.demo import run_demo, generate_national, generate_submission

:mod:`~krat_core.demo.synthetic` makes the records, :mod:`~krat_core.demo.scenario`
runs the pipeline on them (what ``krat demo`` prints).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from krat_core._lazy import lazy_exports

if TYPE_CHECKING:
    from krat_core.demo.scenario import DemoResult, run_demo
    from krat_core.demo.synthetic import generate_national, generate_submission

_EXPORTS = {
    "DemoResult": "scenario",
    "run_demo": "scenario",
    "generate_national": "synthetic",
    "generate_submission": "synthetic",
}
__all__ = [
    "DemoResult",
    "generate_national",
    "generate_submission",
    "run_demo",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
