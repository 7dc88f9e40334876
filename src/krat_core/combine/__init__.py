"""Combining: twelve regional submissions into one national dataset.

One import path for the stage::

    from krat_core.combine import combine, CombineResult, write_national, load_national

:mod:`~krat_core.combine.consolidate` combines, :mod:`~krat_core.combine.national`
reads and writes the national dataset's files, :mod:`~krat_core.combine.result`
renders a :class:`CombineResult` (``to_text(lang)``, ``to_dict()``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from krat_core._lazy import lazy_exports

if TYPE_CHECKING:
    from krat_core.combine.consolidate import (
        ProgressCallback,
        Validator,
        combine,
        is_late,
        record_changes,
    )
    from krat_core.combine.national import (
        CombineInput,
        dump_national,
        iter_national_json,
        load_dataset,
        load_national,
        read_input,
        write_national,
    )
    from krat_core.combine.result import CombineResult, IgnoredInput

_EXPORTS = {
    "combine": "consolidate",
    "CombineResult": "result",
    "IgnoredInput": "result",
    "ProgressCallback": "consolidate",
    "Validator": "consolidate",
    "is_late": "consolidate",
    "record_changes": "consolidate",
    "CombineInput": "national",
    "dump_national": "national",
    "iter_national_json": "national",
    "load_dataset": "national",
    "load_national": "national",
    "read_input": "national",
    "write_national": "national",
}
__all__ = [
    "CombineInput",
    "CombineResult",
    "IgnoredInput",
    "ProgressCallback",
    "Validator",
    "combine",
    "dump_national",
    "is_late",
    "iter_national_json",
    "load_dataset",
    "load_national",
    "read_input",
    "record_changes",
    "write_national",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
