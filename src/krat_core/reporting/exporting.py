"""Writing a dataset in an output format: the library side of ``krat report``.

Embedding::

    from krat_core.plugins.descriptors import ExportOptions
    from krat_core.reporting.exporting import export

    export(submission, Path("durres-2024.docx"), options=ExportOptions(lang="en"))
    export(national, Path("national-2024.xlsx"))                 # picked by suffix
    export(national, Path("out/csv"), format="csv")              # a folder of CSV files

:func:`export` picks the exporter (a plugin) by name or by the output's suffix
through the plugin registry, and writes atomically: the writer gets a
temporary path next to the target, renamed into place only when it finishes,
so a failure leaves no partial file and an existing file untouched. An
exception from a plugin's writer becomes :class:`~krat_core.errors.ExportError`
naming the exporter and the plugin.

Exporters render; they never compute figures. :func:`prepare_report` is what
they call to get the report's tables (see :mod:`krat_core.reporting.report`) with the
disclosure control of the options applied; :func:`record_tables` gives the
records of a dataset as rows in the layout of :mod:`krat_core.importing.sheets` (the
official template's columns), one table per record kind.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from krat_core.errors import (
    ExportError,
    RecordsNotRequested,
    ReportOptionError,
    UnknownOutputFormat,
)
from krat_core.messages import Message
from krat_core.plugins.descriptors import Exporter, ExportOptions

if TYPE_CHECKING:
    from krat_core.format.models import Submission
    from krat_core.format.models.national import NationalDataset
    from krat_core.plugins.manager import Registry
    from krat_core.reporting.data import ReportData
    from krat_core.reporting.report import Report

__all__ = [
    "RecordTable",
    "case_record_count",
    "choose_exporter",
    "dataset_submissions",
    "export",
    "prepare_report",
    "record_tables",
    "require_records",
    "submission_header",
]

NONE_INSTALLED = Message(sq="asnjë e instaluar", en="none installed")
FORMAT_FROM_NAME = Message(
    sq="formati i daljes nuk kuptohet nga emri {name}; emërtoni formatin "
    "(të disponueshëm: {names})",
    en="cannot tell the output format from the name {name}; name the format (available: {names})",
)
SEVERAL_FORMATS = Message(
    sq="disa formate shkruajnë skedarë {suffix} ({names}); emërtoni formatin",
    en="several formats write {suffix} files ({names}); name the format",
)
BAD_LANGUAGE = Message(sq="gjuha {lang} nuk është sq ose en", en="language {lang} is not sq or en")
BAD_AUDIENCE = Message(
    sq="audienca {audience} nuk është public ose committee",
    en="audience {audience} is not public or committee",
)
A_FOLDER = Message(sq="dosje", en="a folder")
A_FILE = Message(sq="skedar", en="a file")
CANNOT_REPLACE = Message(
    sq="{target} është {kind}; dalja {name} nuk mund ta zëvendësojë",
    en="{target} is {kind}; the {name} output cannot replace it",
)
RECORDS_NOT_REQUESTED = Message(
    sq="dalja {what} përmban të dhëna rastesh; shkruhet vetëm kur të dhënat kërkohen "
    "shprehimisht (jo për publikim)",
    en="the {what} output holds case records; it is written only when records "
    "are asked for explicitly (not for publication)",
)

AUDIENCES = ("public", "committee")
"""Who an output is for: the public (suppressed, audited) or the committee (exact counts)."""


def choose_exporter(registry: Registry, target: Path, format: str | None = None) -> Exporter:
    """The exporter named ``format``, or the one whose suffix ends ``target``'s name.

    Raises :class:`~krat_core.errors.UnknownOutputFormat` naming the formats
    available when none fits, or when several do (the format must be named).
    """
    exporters = registry.exporters
    names = ", ".join(sorted(exporters)) or NONE_INSTALLED.both()
    if format is not None:
        return registry.exporter_for(format)
    suffix = target.suffix.lower()
    matches = [e for e in exporters.values() if e.suffix and e.suffix.lower() == suffix]
    if not matches:
        raise UnknownOutputFormat(FORMAT_FROM_NAME.both(name=repr(target.name), names=names))
    if len(matches) > 1:
        # Several formats write the same suffix (e.g. xlsx and htcds): the one named
        # after the suffix wins, otherwise the caller must choose.
        named = [e for e in matches if e.name == suffix.lstrip(".")]
        if len(named) == 1:
            return named[0]
        raise UnknownOutputFormat(
            SEVERAL_FORMATS.both(suffix=suffix, names=", ".join(sorted(e.name for e in matches)))
        )
    return matches[0]


def export(
    dataset: Submission | NationalDataset,
    path: str | Path,
    *,
    format: str | None = None,
    options: ExportOptions | None = None,
    registry: Registry | None = None,
) -> Path:
    """Write ``dataset`` to ``path`` in ``format`` (default: from the suffix), atomically.

    An exporter whose suffix is ``.zip`` (CSV) writes a folder instead when
    ``path`` does not end in ``.zip``.

    Args:
        dataset: a regional submission or a national dataset.
        path: the output file (or folder).
        format: an exporter name (``docx``, ``xlsx``, ``csv``, ``ics``, ``json``,
            ``htcds`` or a plugin's); None: chosen by the suffix of ``path``.
        options: language, suppression threshold, comparison datasets, date,
            audience and whether case records may be written (``records``).
        registry: the loaded plugins (default: :func:`krat_core.plugins.load_plugins`).

    Returns:
        The path written.

    Raises:
        UnknownOutputFormat: no exporter fits ``path``.
        ReportOptionError: a bad threshold, language or audience.
        RecordsNotRequested: a record-level format (json, htcds) without ``records``.
        ExportError: the target is a folder where a file goes (or the reverse), or
            the writer failed (nothing was written and an existing file is untouched).
    """
    from krat_core.reporting.disclosure import check_threshold

    if registry is None:
        from krat_core.plugins.manager import load_plugins

        registry = load_plugins()
    options = options or ExportOptions()
    if options.suppress is not None:
        check_threshold(options.suppress)
    if options.lang not in ("sq", "en"):
        raise ReportOptionError(BAD_LANGUAGE.both(lang=repr(options.lang)))
    if options.audience not in AUDIENCES:
        raise ReportOptionError(BAD_AUDIENCE.both(audience=repr(options.audience)))
    target = Path(path)
    exporter = choose_exporter(registry, target, format)
    if exporter.suffix.lower() == ".zip" and target.suffix.lower() != ".zip":
        exporter = dataclasses.replace(exporter, directory=True)
    if target.exists() and target.is_dir() != exporter.directory:
        kind = A_FOLDER if target.is_dir() else A_FILE
        raise ExportError(CANNOT_REPLACE.both(target=target, kind=kind.both(), name=exporter.name))
    from krat_core.format.canonical import gc_paused

    # Writers build many short-lived, acyclic objects (rows, cells, XML elements); the
    # cyclic collector would rescan the whole dataset over and over on large inputs.
    with gc_paused():
        return exporter.export(dataset, target, options)


# --------------------------------------------------------------------------- reports


def prepare_report(dataset: Any, options: ExportOptions) -> Report:
    """The report an exporter renders: every table computed once, with the
    options' suppression threshold, comparison datasets and date applied.

    For the ``public`` audience every people-counting cell of the release is
    protected jointly (:mod:`krat_core.reporting.release`); for the
    ``committee`` audience the counts are exact (no suppression).
    """
    from krat_core.reporting.report import build_report

    committee = options.audience == "committee"
    return build_report(
        dataset,
        compare=list(options.compare),
        suppress=None if committee else options.suppress,
        generated_on=options.generated_on,
    )


def read_once(dataset: Any, options: ExportOptions) -> ReportData:
    """The :class:`~krat_core.reporting.data.ReportData` of ``dataset`` for an exporter
    that writes the report's tables and, when ``options.records``, the records too
    (:func:`record_tables` given ``Report.data``): its cases are then read a column at
    a time once, for both (:class:`~krat_core.reporting.tally.CaseColumns`), instead of
    once for the tables and again for the records."""
    from krat_core.reporting.data import report_data

    data = report_data(dataset)
    if options.records:
        _ = data.cases().columns  # read now, so that the tables are counted from them
    return data


def require_records(options: ExportOptions, what: str) -> None:
    """Raise :class:`~krat_core.errors.RecordsNotRequested` unless ``options.records``.

    Record-level writers (case records: canonical JSON, HTCDS) call this first,
    so that records never leave by accident. ``what`` names the output.
    """
    if not options.records:
        raise RecordsNotRequested(RECORDS_NOT_REQUESTED.both(what=what))


def case_record_count(dataset: Any) -> int:
    """How many case records ``dataset`` holds (what a record-level output carries)."""
    return sum(len(s.cases) for s in dataset_submissions(dataset))


def dataset_submissions(dataset: Any) -> list[Submission]:
    """The regional submissions a dataset holds (one for a submission)."""
    from krat_core.reporting.data import report_data

    data: ReportData = report_data(dataset)
    return list(data.submissions)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)  # no slots: rows is a cached property
class RecordTable:
    """The records of one kind as rows, in the layout of :mod:`krat_core.importing.sheets`.

    The same columns as the official template and the CSV/XLSX importers (so
    a regional export imports back): one table per record kind and per nested
    list (``assistance`` rows linked to their case, ``indicators`` to their
    objective), headers in the report language, code-list values as labels,
    booleans po/jo (yes/no), several values joined by "; ", formula-like text
    neutralised. ``name`` is the English sheet name in lower case (a file
    name), ``title`` the sheet name in the report language.
    """

    name: str
    title: str
    header: tuple[str, ...]
    columns: tuple[list[Any], ...]
    """The cells column by column, one list per header (how they are made, and how the
    CSV writer reads them)."""

    @cached_property
    def rows(self) -> list[tuple[Any, ...]]:
        """The cells row by row (``columns`` transposed), made when first asked for."""
        return list(zip(*self.columns, strict=True))


def record_tables(
    dataset: Any, lang: str = "sq", *, text: bool = False, escape: bool = True
) -> list[RecordTable]:
    """Every record of ``dataset`` as :class:`RecordTable` objects, in template order.

    With ``text=True`` every cell is CSV text (dates ISO, numbers exact); otherwise
    cells are typed workbook values (dates, numbers, text). Identity columns of the
    template (names used only to compute ``subject_ref``) are never written.
    ``escape=False``: workbook text without
    :func:`~krat_core.importing.columns.ooxml_escape`, for a writer that escapes it the
    same way itself (xlsxwriter). ``dataset`` may be the report's
    :class:`~krat_core.reporting.data.ReportData` (``Report.data``): its cases, read
    once (:class:`~krat_core.reporting.tally.CaseColumns`), then serve both the
    report's tables and these.
    """
    from krat_core.importing.sheets import SHEETS, record_columns
    from krat_core.reporting.data import report_data

    data = report_data(dataset)
    submissions, cases = data.submissions, data.cases().columns
    out: list[RecordTable] = []
    for sheet in SHEETS.values():
        if sheet.kind == "case":
            values = cases.case
        elif sheet.parent == "case":
            values = cases.assistance
        else:
            values = record_columns(submissions, sheet)
        columns = tuple(
            c.texts(values[i], lang) if text else c.cells(values[i], lang, escape=escape)
            for i, c in enumerate(sheet.columns)
            if not c.identity
        )
        out.append(
            RecordTable(
                name=sheet.title.en.lower(),
                title=sheet.name(lang),
                header=tuple(c.header(lang) for c in sheet.columns if not c.identity),
                columns=columns,
            )
        )
    return out


def submission_header(submission: Submission, lang: str = "sq") -> list[tuple[str, Any]]:
    """The header fields of a submission as ``(label, value)`` rows, as the
    template's "Dorëzimi"/"Submission" sheet and the CSV importer have them."""
    from krat_core.importing.sheets import SUBMISSION_FIELDS, submission_values

    values = submission_values(submission)
    return [(f.label(lang), values[f.name]) for f in SUBMISSION_FIELDS]
