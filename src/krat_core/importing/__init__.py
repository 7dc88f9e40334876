"""Importing: from a source file to a :class:`~krat_core.format.Submission` and findings.

One import path for the stage::

    from krat_core.importing import import_files

Hostile-file guards run before any parser; cell parsers turn what people type
into model values; the column tables (derived from the models) map sheets and
CSV files to records; the reader turns rows into records or findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from krat_core._lazy import lazy_exports

if TYPE_CHECKING:
    from krat_core.importing.files import choose_importer, import_files, merge_results

_EXPORTS = {
    "import_files": "files",
    "choose_importer": "files",
    "merge_results": "files",
}
__all__ = [
    "choose_importer",
    "import_files",
    "merge_results",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
