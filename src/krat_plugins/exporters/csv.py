"""The ``csv`` output: the records as CSV, one file per record kind, plus the report tables.

Written as a zip archive (output name ending ``.zip``) or as a folder (any
other name)::

    README.txt                 what the files are, in Albanian and English
    records/submission.csv     the submission's header fields (regional export only)
    records/institutions.csv   one row per record, in the columns of the official
    records/cases.csv          template (krat_core.importing.sheets): headers and code-list
    records/assistance.csv     labels in the report language, nested lists in their
    records/activities.csv     own file linked by the parent id; a regional export
    records/objectives.csv     imports back with the CSV importer
    records/indicators.csv
    tables/<table>.csv         every table of the report, with disclosure control

Every file is UTF-8 with a byte-order mark (so Excel shows ë and ç), comma
separated, with CRLF line ends. Text cells that start like a formula
(``=``, ``+``, ``-``, ``@``, tab, carriage return) are neutralised with a
leading apostrophe (:func:`krat_core.safety.neutralise`).

The ``records/`` files are record-level data for exchange between authorised
offices, never for publication: they are written only when records are asked
for (``ExportOptions.records``, ``--records``). The ``tables/`` files are
publishable for the public audience (their people counts are audited as one
release); the README says which audience the output is for.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from krat_core import hookimpl
from krat_core.messages import Message
from krat_core.plugins.descriptors import Exporter, ExportOptions

FIELD = Message(sq="Fusha", en="Field")
VALUE = Message(sq="Vlera", en="Value")

_README = """\
KRAT - eksport CSV / CSV export

{audience_sq}
{audience_en}

records/  Të dhëna në nivel rekordi (raste, aktivitete, objektiva, institucione).
          VETËM për shkëmbim ndërmjet zyrave të autorizuara; MOS i publikoni.
          Record-level data (cases, activities, objectives, institutions).
          ONLY for exchange between authorised offices; do NOT publish.

tables/   Tabelat e raportit. {suppression_sq}
          The report's tables. {suppression_en}

Kodimi: UTF-8 me BOM, ndarës presje. / Encoding: UTF-8 with BOM, comma separated.
"""


def _text(value: Any) -> str:
    from krat_core.safety import neutralise

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return neutralise(str(value))


AUDIENCE_PUBLIC = Message(
    sq="Për publikun: vetëm tabela të përmbledhura, me numrat e vegjël të fshehur.",
    en="For the public: aggregate tables only, small numbers hidden.",
)
AUDIENCE_COMMITTEE = Message(
    sq="KONFIDENCIALE: dokument pune i anëtarëve të KRAT, me numra të saktë; mos e publikoni.",
    en="CONFIDENTIAL: working document of the KRAT members, exact counts; do not publish.",
)
WITH_RECORDS = Message(
    sq="Përmban rekordet e rasteve (records/): mos e publikoni.",
    en="Holds the case records (records/): do not publish.",
)


def _audience(options: ExportOptions, lang: str) -> str:
    """The README's line on who the output is for, and whether it holds records."""
    line = (AUDIENCE_COMMITTEE if options.audience == "committee" else AUDIENCE_PUBLIC).text(lang)
    if options.records:
        line += " " + WITH_RECORDS.text(lang)
    return line


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One CSV file: UTF-8 with BOM, CRLF, neutralised text cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_text(h) for h in header])
    for row in rows:
        writer.writerow([_text(v) for v in row])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def csv_files(dataset: Any, options: ExportOptions) -> dict[str, bytes]:
    """Every file of the CSV output, by relative path."""
    from krat_core.format.models import Submission
    from krat_core.reporting import cell_value, prepare_report, record_tables, submission_header

    lang = options.lang
    files: dict[str, bytes] = {}
    if options.records:
        if isinstance(dataset, Submission):
            files["records/submission.csv"] = csv_bytes(
                (FIELD.text(lang), VALUE.text(lang)),
                submission_header(dataset, lang),
            )
        for table in record_tables(dataset, lang, text=True):
            files[f"records/{table.name}.csv"] = csv_bytes(table.header, table.rows)
    report = prepare_report(dataset, options)
    for t in report.tables:
        files[f"tables/{t.key}.csv"] = csv_bytes(
            [h.text(lang) for h in t.header],
            ([cell_value(c, lang) for c in row] for row in t.rows),
        )
    note = report.suppression_note()
    files["README.txt"] = (
        _README.format(
            suppression_sq=note.sq,
            suppression_en=note.en,
            audience_sq=_audience(options, "sq"),
            audience_en=_audience(options, "en"),
        )
        .replace("\n", "\r\n")
        .encode("utf-8")
    )
    return files


def write_csv(dataset: Any, path: Path, options: ExportOptions) -> None:
    """Write the CSV output: into the folder ``path`` if it is one, else as a zip file."""
    files = csv_files(dataset, options)
    if path.is_dir():
        path.chmod(0o755)  # the temporary folder is created private; the output is not
        for name, data in files.items():
            target = path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)


@hookimpl
def krat_exporters() -> list[Exporter]:
    """The CSV output (zip archive, or a folder when the output name has no .zip)."""
    return [
        Exporter(
            name="csv",
            suffix=".zip",
            media_type="application/zip",
            write=write_csv,
            title="CSV files, one per record kind, and the report tables (zip or folder)",
        )
    ]
