"""The ``json`` output: the dataset itself as canonical JSON.

A regional submission is written as the canonical submission
(:func:`krat_core.format.canonical.dump_submission`), a national dataset as the canonical
national dataset (:func:`krat_core.combine.national.dump_national`): sorted keys, UTF-8,
byte-identical for equal data, and read back by the JSON importer and
``krat report``. It is record-level data for exchange between authorised
offices, not a publication: no disclosure control applies, and it is written
only when records are asked for (``ExportOptions.records``, ``--records``).

Who the file is for is in the document itself, in its top-level ``extensions``
under the namespace ``krat-output`` (declared by this plugin, hook
``krat_extensions``, so the file is read back as it was written)::

    "extensions": {"krat-output": {"audience": "committee", "records": true}}

``audience`` is ``public`` or ``committee`` (``ExportOptions.audience``);
``records`` says that the file holds case records (always true for JSON). The
rest of the document is the canonical dataset, unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from krat_core import hookimpl
from krat_core.errors import UnsupportedDataset
from krat_core.messages import Message
from krat_core.plugins.descriptors import Exporter, ExportOptions, ExtensionField

OUTPUT_NAMESPACE = "krat-output"
"""The ``extensions`` namespace of the output's metadata (audience, records)."""

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
    if isinstance(dataset, Submission | NationalDataset):
        about = {"audience": options.audience, "records": True}
        dataset = dataset.model_copy(
            update={"extensions": {**dataset.extensions, OUTPUT_NAMESPACE: about}}
        )
    if isinstance(dataset, Submission):
        data = dump_submission(dataset)
    elif isinstance(dataset, NationalDataset):
        data = dump_national(dataset)
    else:
        raise UnsupportedDataset(CANNOT_WRITE_AS_JSON.both(kind=type(dataset).__name__))
    path.write_bytes(data)


@hookimpl
def krat_extensions() -> list[ExtensionField]:
    """The output's metadata in a JSON submission's ``extensions`` (see the module docs)."""
    return [
        ExtensionField(
            namespace=OUTPUT_NAMESPACE,
            name="audience",
            type="text",
            title_en="Who the file is for (public or committee)",
            title_sq="Për kë është skedari (publiku ose komiteti)",
            kinds=("submission",),
            choices=("public", "committee"),
        ),
        ExtensionField(
            namespace=OUTPUT_NAMESPACE,
            name="records",
            type="boolean",
            title_en="The file holds case records",
            title_sq="Skedari përmban regjistrime rastesh",
            kinds=("submission",),
        ),
    ]


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
