"""The import pipeline: choose each file's importer, run it, merge the results.

The library entry point is :func:`import_files`::

    from krat_core.importing import import_files
    from krat_core.plugins import ImportOptions, load_plugins

    result = import_files([Path("durres-2024.xlsx")], ImportOptions(), load_plugins())
    result.submission            # the records that could be read
    result.findings              # every row that could not, with file, sheet, row, column
    result.counts                # per sheet: rows read = records + rejected; blank rows apart

:data:`FINDING_CODES` lists every finding code the built-in importers raise.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from krat_core.errors import ImportRefused, NoInputFiles, PluginError, UnknownImporter
from krat_core.importing.cells import TEXT_NOTES
from krat_core.importing.guards import (
    cap_findings,
    check_file,
    describe_content,
    read_head,
    refusal,
)
from krat_core.messages import LANGUAGES, Message, Plural

if TYPE_CHECKING:
    from krat_core.findings import Finding
    from krat_core.plugins.descriptors import Importer, ImportOptions, ImportResult
    from krat_core.plugins.manager import Registry

__all__ = ["FINDING_CODES", "check_counts", "choose_importer", "import_files", "merge_results"]

FINDING_CODES: dict[str, Message] = {
    "import.bad-date": Message(
        sq="një qelizë që duhet të ketë datë nuk ka",
        en="a cell that should hold a date does not",
    ),
    "import.bad-number": Message(
        sq="një qelizë që duhet të ketë numër nuk ka",
        en="a cell that should hold a number does not",
    ),
    "import.bad-boolean": Message(
        sq="një qelizë po/jo ka diçka tjetër",
        en="a yes/no cell holds something else",
    ),
    "import.unknown-code": Message(
        sq="një vlerë nuk është në listën e kodeve",
        en="a value is not in its code list (by code, Albanian or English label)",
    ),
    "import.bad-id": Message(
        sq="një kod nuk ndjek modelin e llojit të vet",
        en="an id does not follow the pattern of its kind",
    ),
    "import.name-resolved": Message(
        sq="një institucion ose objektiv i shkruar me emër u gjet me identifikuesin e vet (info)",
        en="an institution or objective typed by its name was found and its id taken (info)",
    ),
    "import.bad-text": Message(
        sq="një qelizë teksti është bosh, shumë e gjatë ose jo tekst",
        en="a text cell is empty, too long or not text",
    ),
    "import.extension-refused": Message(
        sq="një fushë shtesë e padeklaruar, me vlerë të gabuar ose që duket si identitet "
        "personi u la jashtë regjistrimit",
        en="an extension field that is undeclared, has a wrong value or looks like a "
        "person's identity was left out of the record",
    ),
    "import.bad-json": Message(
        sq="qeliza e të dhënave shtesë nuk është objekt JSON",
        en="the extensions cell is not a JSON object",
    ),
    "import.missing-required": Message(
        sq="një qelizë e detyrueshme është bosh",
        en="a required cell is empty",
    ),
    "import.invalid-value": Message(
        sq="një vlerë shkel rregullat e formatit",
        en="a value breaks the format's rules",
    ),
    "import.duplicate-id": Message(
        sq="një rresht i dytë me të njëjtin kod",
        en="a second row with the same id",
    ),
    "import.orphan-row": Message(
        sq="një rresht i varur (asistencë, tregues) pa rreshtin prind",
        en="a nested row (assistance, indicator) whose parent row is missing or rejected",
    ),
    "import.identity-without-key": Message(
        sq="kolona identiteti (emra, datëlindje) pa çelësin kombëtar: skedari refuzohet",
        en="identity columns (names, date of birth) without the national key: the file is refused",
    ),
    "import.unknown-column": Message(
        sq="një kolonë që formati nuk e ka",
        en="a column the format does not have; its cells are not imported",
    ),
    "import.age-mismatch": Message(
        sq="mosha nuk përputhet me datëlindjen dhe datën e identifikimit",
        en="the age disagrees with the date of birth and the identification date",
    ),
    "import.stray-row": Message(
        sq="rreshta me të dhëna vetëm në kolona që formati nuk i ka: trajtohen si bosh",
        en="rows with content only in columns the format does not have: treated as blank",
    ),
    "import.duplicate-column": Message(
        sq="dy kolona për të njëjtën fushë",
        en="two columns for the same field; the second is ignored",
    ),
    "import.unknown-sheet": Message(
        sq="një fletë që nuk njihet",
        en="a sheet or file whose kind is not recognised; it is skipped",
    ),
    "import.text-normalised": Message(
        sq="një tekst me ndërprerje rreshti, tabulime ose shenja kontrolli u bë një rresht",
        en="a text with line breaks, tabs or control characters was made single-line (info)",
    ),
    "import.too-many-columns": Message(
        sq="një rresht CSV me më shumë kolona se kufiri i librave të punës",
        en="a CSV row with more fields than the workbook column limit",
    ),
    "import.too-many-strings": Message(
        sq="një libër pune me më shumë tekste të përbashkëta se kufiri",
        en="a workbook whose shared strings exceed the count or size limit",
    ),
    "import.date-order": Message(
        sq="datat e një CSV-je fillojnë me muajin: tregoni radhën (dita/muaji)",
        en="a CSV file's dates put the month first: the date order must be given",
    ),
    "import.all-rows-rejected": Message(
        sq="asnjë rresht nuk u bë regjistrim: skedari refuzohet",
        en="data rows were read but none became a record: the input is refused",
    ),
    "import.no-records": Message(
        sq="asnjë rast, aktivitet apo objektiv: skedari refuzohet (pa deklaratë bosh)",
        en="no case, activity or objective and no nil return: the input is refused",
    ),
    "import.header-conflict": Message(
        sq="skedarët dhe komanda nuk pajtohen për qarkun ose periudhën",
        en="the files and the command line disagree on region or period",
    ),
}
"""Every finding code the built-in importers raise, with a short description.

Documented with examples in ``docs/importing.md``.
"""


NO_INPUT_FILES = Message(sq="nuk u dha asnjë skedar hyrës", en="no input files given")
WRONG_CONTENT = Message(
    sq="quhet {suffix} por nuk është skedar {suffix} që lexon importuesi {names}: duket si {what}",
    en="is named {suffix} but is not a {suffix} file the {names} importer reads: "
    "it looks like {what}",
)
NO_IMPORTER = Message(
    sq="asnjë importues nuk e lexon këtë skedar (duket si {what}); importuesit: {known}",
    en="no importer reads this file (it looks like {what}); importers: {known}",
)
NO_IMPORTERS = Message(
    sq="asnjë importues nuk e lexon këtë skedar (duket si {what}); importuesit: asnjë",
    en="no importer reads this file (it looks like {what}); importers: none",
)
TEXT_NORMALISED = Message(
    sq="teksti {written} kishte ndërprerje rreshti, tabulime ose shenja që një fushë me një "
    "rresht nuk i mban: u kthyen në hapësira ose u hoqën",
    en="the text {written} held line breaks, tabs or characters a single-line field cannot "
    "hold: they became spaces or were removed",
)
COUNTED = Message(
    sq=Plural(one="{counted} regjistrim", other="{counted} regjistrime"),
    en=Plural(one="{counted} record", other="{counted} records"),
    count="counted",
)
COUNT_MISMATCH = Message(
    sq=Plural(
        one="importuesi {importer} numëron {records} (lloji: {kind}), por dorëzimi ka {n} "
        "regjistrim: disa rreshta humbën ose u shpikën gjatë importit (defekt i importuesit)",
        other="importuesi {importer} numëron {records} (lloji: {kind}), por dorëzimi ka {n} "
        "regjistrime: disa rreshta humbën ose u shpikën gjatë importit (defekt i importuesit)",
    ),
    en=Plural(
        one="the {importer} importer counts {records} (kind: {kind}) but the submission "
        "holds {n} record: rows were lost or invented on the way (a fault of the importer)",
        other="the {importer} importer counts {records} (kind: {kind}) but the "
        "submission holds {n} records: rows were lost or invented on the way (a fault of the "
        "importer)",
    ),
)
"""Two counts, each with its own plural: ``records`` is :data:`COUNTED` filled in."""
NOTHING_BECAME_A_RECORD = Message(
    sq=Plural(
        one="importuesi {importer} lexoi {n} rresht të dhënash, por asnjë nuk u bë regjistrim; "
        "asgjë nuk shkruhet",
        other="importuesi {importer} lexoi {n} rreshta të dhënash, por asnjë nuk u bë regjistrim; "
        "asgjë nuk shkruhet",
    ),
    en=Plural(
        one="the {importer} importer read {n} data row but none became a record; "
        "nothing is written",
        other="the {importer} importer read {n} data rows but none became a record; "
        "nothing is written",
    ),
)
NO_RECORDS = Message(
    sq="importuesi {importer} nuk gjeti asnjë rast, aktivitet apo objektiv (fletë/skedarë të "
    "lexuar: {sheets}; të panjohur: {skipped}); asgjë nuk shkruhet. Nëse qarku nuk ka vërtet "
    "asgjë për të raportuar për periudhën, deklaroni një raport bosh (nil return)",
    en="the {importer} importer found no case, activity or objective (sheets/files read: "
    "{sheets}; not recognised: {skipped}); nothing is written. If the region really has "
    "nothing to report for the period, declare a nil return",
)
READ_FROM_ANOTHER_FILE = Message(
    sq="identifikuesi {id} është lexuar tashmë nga një skedar tjetër; ky rresht lihet jashtë",
    en="the id {id} was already read from another file; this row is left out",
)
READ_FROM_ROWS = Message(
    sq="identifikuesi {id} është lexuar tashmë nga {where}; ky rresht lihet jashtë",
    en="the id {id} was already read from {where}; this row is left out",
)


def choose_importer(path: Path, head: bytes, registry: Registry) -> Importer:
    """The importer for ``path``: the one claiming its suffix, else the first whose sniff says yes.

    Among importers of the suffix, those with a ``sniff`` are asked first (third-party
    before built-in); one without a sniff is chosen only when none of them recognises
    the file.

    A file whose suffix an importer claims but whose content it refuses (an
    ``.xlsx`` that is really CSV or an image) is refused with a clear error
    rather than read as something else.
    """
    suffix = path.suffix.lower()
    by_suffix = [imp for imp in registry.importers.values() if suffix in imp.suffixes]
    # An importer that looks at the content wins over one that only knows the suffix:
    # a plugin without a sniff never takes a file another importer recognises.
    for importer in sorted(by_suffix, key=lambda imp: imp.sniff is None):
        if importer.claims(path, head):
            return importer
    what = describe_content(head)
    if by_suffix:
        names = ", ".join(imp.name for imp in by_suffix)
        raise refusal(
            WRONG_CONTENT,
            suffix=suffix,
            names=names,
            what=what,
            code="import.wrong-content",
            source=path,
        )
    for importer in registry.importers.values():
        if importer.sniff is not None and importer.claims(path, head):
            return importer
    known = ", ".join(
        f"{imp.name} ({' '.join(imp.suffixes)})" for imp in registry.importers.values()
    )
    if known:
        raise refusal(NO_IMPORTER, what=what, known=known, code="import.no-importer", source=path)
    raise refusal(NO_IMPORTERS, what=what, code="import.no-importer", source=path)


def import_files(
    paths: Sequence[str | Path],
    options: ImportOptions,
    registry: Registry,
    *,
    importer: str | None = None,
) -> ImportResult:
    """Read ``paths`` into one submission, choosing each file's importer through ``registry``.

    Args:
        paths: the files: one workbook, a JSON submission, or a CSV file per record kind.
        options: region, period, pseudonymisation key and limits (see :class:`ImportOptions`).
        registry: the loaded plugins (:func:`krat_core.plugins.load_plugins`).
        importer: force this importer by name (``krat import --from NAME``).

    Returns:
        The :class:`ImportResult`: the submission of every row that became a
        record, a finding (with file, sheet, row, column) for every row that did
        not, and per-sheet counts where rows read = records + rejected.

    Raises:
        ImportFailed: a file cannot be read at all (missing, empty, not what its
            name says, damaged, too large, hostile), naming the file.
        PluginError: an importer plugin broke (an exception inside its reader),
            naming the plugin.
    """
    if not paths:
        raise NoInputFiles(NO_INPUT_FILES.both())
    files = [Path(p) for p in paths]
    groups: dict[str, tuple[Importer, list[Path]]] = {}
    for path in files:
        check_file(path, options.limits)
        if importer is not None:
            chosen = registry.importers.get(importer)
            if chosen is None:
                raise UnknownImporter(importer, sorted(registry.importers))
        else:
            chosen = choose_importer(path, read_head(path), registry)
        groups.setdefault(chosen.name, (chosen, []))[1].append(path)
    results = []
    for chosen, group in groups.values():
        token = TEXT_NOTES.set([])
        try:
            one = chosen.run(group, options)
            notes = TEXT_NOTES.get() or []
        finally:
            TEXT_NOTES.reset(token)
        check_counts(one, chosen)
        one.findings.extend(text_findings(one, notes))
        one.findings = cap_findings(one.findings)  # issue 11: bounded for every importer
        results.append(one)
    from krat_core.importing.extensions import screen_extensions  # issue 12

    merged = results[0] if len(results) == 1 else merge_results(results)
    result = screen_extensions(merged, registry.extension_fields)
    if options.nil_return and not result.submission.nil_return:
        result.submission = result.submission.model_copy(update={"nil_return": True})
    _refuse_empty(result, [chosen for chosen, _ in groups.values()], files)
    return result


def check_counts(result: ImportResult, importer: Importer) -> None:
    """Reconcile the records actually in ``result.submission`` with what the importer counted.

    A count that names its ``kind`` (a record kind, or ``assistance`` /
    ``indicator`` rows) must add up exactly to the records of that kind present.
    Counts without a kind are reconciled in total: they may not exceed the
    records of the kinds no count names (an importer may derive records that no
    row counts, such as institutions named in case rows, but may not lose
    counted ones). A mismatch means rows were lost or invented on the way:
    :class:`~krat_core.errors.PluginError` naming the importer.
    """
    from krat_core.format.models import RECORD_LISTS

    if not result.counts:
        return
    sub = result.submission
    present = {kind: len(getattr(sub, name)) for kind, name in RECORD_LISTS.items()}
    present["assistance"] = sum(len(c.assistance) for c in sub.cases)
    present["indicator"] = sum(len(o.indicators) for o in sub.objectives)
    by_kind: dict[str, int] = {}
    unnamed = 0
    for count in result.counts:
        if count.kind in present:
            by_kind[count.kind] = by_kind.get(count.kind, 0) + count.records
        else:
            unnamed += count.records
    plugin = importer.plugin or importer.name
    for kind, counted in by_kind.items():
        if counted != present[kind]:
            raise PluginError(
                COUNT_MISMATCH.both(
                    importer=importer.name,
                    records=COUNTED.both(counted=counted),
                    kind=kind,
                    n=present[kind],
                ),
                plugin=plugin,
            )
    rest = sum(n for kind, n in present.items() if kind not in by_kind)
    if unnamed > rest:
        raise PluginError(
            COUNT_MISMATCH.both(
                importer=importer.name, records=COUNTED.both(counted=unnamed), kind="-", n=rest
            ),
            plugin=plugin,
        )


def _strings(data: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """``(pointer, text)`` of every string in plain data (a record's ``model_dump``)."""
    if isinstance(data, str):
        yield pointer, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, f"{pointer}/{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, f"{pointer}/{index}")


def text_findings(result: ImportResult, notes: Sequence[tuple[str, str]]) -> list[Finding]:
    """An ``import.text-normalised`` info finding for each text :func:`parse_text` changed.

    ``notes`` are ``(as written, as imported)``; each imported text is looked up
    in the records to give the finding its record, field and cell.
    """
    from krat_core.findings import Finding, Severity

    if not notes:
        return []
    wanted: dict[str, str] = {}
    for written, imported in notes:
        wanted.setdefault(imported, written)
    found: list[Finding] = []
    sub = result.submission
    targets: list[tuple[str | None, str | None, Any]] = [
        (record.KIND, record.id, record) for record in sub.records()
    ]
    targets.append((None, None, sub.submitted_by))
    for kind, record_id, model in targets:
        prefix = "/submitted_by" if kind is None else ""
        for pointer, text in _strings(model.model_dump(mode="json"), prefix):
            original = wanted.get(text)
            if original is None:
                continue
            shown = original if len(original) <= 80 else original[:77] + "..."
            texts = TEXT_NORMALISED.both(written=repr(shown))
            position = None
            if kind is not None and record_id is not None:
                position = result.locate(kind, record_id, pointer)
            found.append(
                Finding(
                    code="import.text-normalised",
                    severity=Severity.INFO,
                    message_en=texts["en"],
                    message_sq=texts["sq"],
                    kind=kind,
                    record_id=record_id,
                    pointer=pointer,
                    position=position,
                    value=text,
                )
            )
    return found


def _refuse_empty(
    result: ImportResult, importers: Sequence[Importer], files: Sequence[Path]
) -> None:
    """Refuse an import with no case, activity or objective, unless it is a declared nil return."""
    sub = result.submission
    if sub.nil_return or sub.reported_records:
        return
    names = ", ".join(imp.name for imp in importers)
    source = files[0] if len(files) == 1 else None
    rejected = [c for c in result.counts if c.rows_read]
    if rejected:
        rows = sum(c.rows_read for c in rejected)
        first = next((f for f in result.findings if f.severity.value == "error"), None)
        why = {"sq": "", "en": ""}
        if first is not None:
            why = {"sq": f" ({first.message_sq})", "en": f" ({first.message_en})"}
        raise ImportRefused(
            {
                "sq": NOTHING_BECAME_A_RECORD.text("sq", importer=names, n=rows) + why["sq"],
                "en": NOTHING_BECAME_A_RECORD.text("en", importer=names, n=rows) + why["en"],
            },
            code="import.all-rows-rejected",
            source=source,
        )
    sheets = ", ".join(sorted({c.sheet or Path(c.file).name for c in result.counts}))
    skipped = sum(1 for f in result.findings if f.code == "import.unknown-sheet")
    raise refusal(
        NO_RECORDS,
        importer=names,
        sheets=sheets or "-",
        skipped=skipped,
        code="import.no-records",
        source=source,
    )


def merge_results(results: Iterable[ImportResult]) -> ImportResult:
    """Merge the results of several files or importers into one submission.

    The header is the first result's. A record whose id was already read from
    an earlier file is left out with an ``import.duplicate-id`` finding, and its
    sheet's counts say so (rows read = records + rejected still holds).
    """
    from krat_core.findings import Finding, Severity
    from krat_core.format.models import RECORD_LISTS
    from krat_core.importing.sameid import rows_text
    from krat_core.plugins.descriptors import ImportResult

    items = list(results)
    lists: dict[str, list[Any]] = {name: [] for name in RECORD_LISTS.values()}
    first_at: dict[tuple[str, str], Any] = {}
    merged = ImportResult(submission=items[0].submission)
    for result in items:
        merged.findings.extend(result.findings)
        merged.counts.extend(result.counts)
        for key, header in result.columns.items():
            merged.columns.setdefault(key, header)
        kept: set[tuple[str, str]] = set()
        for kind, list_name in RECORD_LISTS.items():
            for record in getattr(result.submission, list_name):
                key = (kind, record.id)
                where = result.positions.get(key)
                if key not in first_at:
                    kept.add(key)
                    first_at[key] = where
                    lists[list_name].append(record)
                    continue
                first = first_at.get(key)
                extra = {}
                if first is not None and first.row is not None:
                    places = {lang: rows_text([first], lang) for lang in LANGUAGES}
                    text = READ_FROM_ROWS.both(id=record.id, where=places)
                    rows = [first, where] if where is not None else [first]
                    extra = {"rows": [p.to_dict() for p in rows]}
                else:
                    text = READ_FROM_ANOTHER_FILE.both(id=record.id)
                merged.findings.append(
                    Finding(
                        code="import.duplicate-id",
                        severity=Severity.ERROR,
                        message_en=text["en"],
                        message_sq=text["sq"],
                        kind=kind,
                        record_id=record.id,
                        pointer="/id",
                        position=where,
                        value=record.id,
                        extra=extra,
                    )
                )
                for count in result.counts:
                    if where is not None and (count.file, count.sheet) == (where.file, where.sheet):
                        count.records -= 1
                        count.rejected += 1
                        break
        for (kind, ref), where in result.positions.items():
            if (kind, ref.partition("/")[0]) in kept:
                merged.positions[(kind, ref)] = where
    merged.submission = items[0].submission.model_copy(update=lists)
    return merged
