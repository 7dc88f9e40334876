"""The ``json`` output: the dataset itself as canonical JSON.

A regional submission is written as the canonical submission
(:func:`krat_core.format.canonical.dump_submission`), a national dataset as the canonical
national dataset (:func:`krat_core.combine.national.dump_national`): sorted keys, UTF-8,
byte-identical for equal data, and read back by the JSON importer and
``krat report``. It is record-level data for exchange between authorised
offices, not a publication: no disclosure control applies, and it is written
only when records are asked for (``ExportOptions.records``, ``--records``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from krat_core import hookimpl
from krat_core.errors import UnsupportedDataset
from krat_core.messages import Message
from krat_core.plugins.descriptors import Exporter, ExportOptions

CANNOT_WRITE_AS_JSON = Message(
    sq="një {kind} nuk mund të shkruhet si JSON KRAT", en="cannot write a {kind} as KRAT JSON"
)


def write_json(dataset: Any, path: Path, options: ExportOptions) -> None:
    """Write ``dataset`` (a Submission or NationalDataset) to ``path`` as canonical JSON."""
    from krat_core.combine.national import dump_national
    from krat_core.format.canonical import dump_submission
    from krat_core.format.models import Submission
    from krat_core.format.models.national import NationalDataset
    from krat_core.reporting.exporting import require_records

    require_records(options, "json")
    if isinstance(dataset, Submission):
        data = dump_submission(dataset)
    elif isinstance(dataset, NationalDataset):
        data = dump_national(dataset)
    else:
        raise UnsupportedDataset(CANNOT_WRITE_AS_JSON.both(kind=type(dataset).__name__))
    path.write_bytes(data)


@hookimpl
def krat_exporters() -> list[Exporter]:
    """The canonical JSON output."""
    return [
        Exporter(
            name="json",
            suffix=".json",
            media_type="application/json",
            write=write_json,
            title="Canonical KRAT JSON (submission or national dataset)",
        )
    ]
