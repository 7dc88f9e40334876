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

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from krat_core.errors import NoInputFiles, UnknownImporter
from krat_core.importing.guards import check_file, describe_content, read_head, refusal
from krat_core.messages import Message

if TYPE_CHECKING:
    from krat_core.plugins.descriptors import Importer, ImportOptions, ImportResult
    from krat_core.plugins.manager import Registry

__all__ = ["FINDING_CODES", "choose_importer", "import_files", "merge_results"]

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
    "import.bad-text": Message(
        sq="një qelizë teksti është bosh, shumë e gjatë ose jo tekst",
        en="a text cell is empty, too long or not text",
    ),
    "import.extension-refused": Message(
        sq="një fushë shtesë e padeklaruar, me vlerë të gabuar ose që duket si identitet "
        "personi u la jashtë rekordit",
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
    "import.header-conflict": Message(
        sq="skedarët dhe komanda nuk pajtohen për qarkun ose periudhën",
        en="the files and the command line disagree on region or period",
    ),
}
"""Every finding code the built-in importers raise, with a short description.

Documented with examples in ``docs/importing.md``.
"""


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
READ_FROM_ANOTHER_FILE = Message(
    sq="{id} është lexuar tashmë nga një skedar tjetër; ky rresht lihet jashtë",
    en="{id} was already read from another file; this row is left out",
)


def choose_importer(path: Path, head: bytes, registry: Registry) -> Importer:
    """The importer for ``path``: the one claiming its suffix, else the first whose sniff says yes.

    A file whose suffix an importer claims but whose content it refuses (an
    ``.xlsx`` that is really CSV or an image) is refused with a clear error
    rather than read as something else.
    """
    suffix = path.suffix.lower()
    by_suffix = [imp for imp in registry.importers.values() if suffix in imp.suffixes]
    for importer in by_suffix:
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
        raise NoInputFiles("no input files given")
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
    results = [chosen.run(group, options) for chosen, group in groups.values()]
    from krat_core.importing.extensions import screen_extensions  # issue 12

    merged = results[0] if len(results) == 1 else merge_results(results)
    return screen_extensions(merged, registry.extension_fields)


def merge_results(results: Iterable[ImportResult]) -> ImportResult:
    """Merge the results of several files or importers into one submission.

    The header is the first result's. A record whose id was already read from
    an earlier file is left out with an ``import.duplicate-id`` finding, and its
    sheet's counts say so (rows read = records + rejected still holds).
    """
    from krat_core.findings import Finding, Severity
    from krat_core.format.models import RECORD_LISTS
    from krat_core.plugins.descriptors import ImportResult

    items = list(results)
    lists: dict[str, list[Any]] = {name: [] for name in RECORD_LISTS.values()}
    seen: set[tuple[str, str]] = set()
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
                if key not in seen:
                    seen.add(key)
                    kept.add(key)
                    lists[list_name].append(record)
                    continue
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
