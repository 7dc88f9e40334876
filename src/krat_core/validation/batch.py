"""Batch validation: check several inputs at once and render them together.

What ``krat validate FILE...`` does, callable from Python::

    from krat_core.plugins.manager import load_plugins
    from krat_core.validation.batch import validate_paths

    batch = validate_paths([Path("AL-02-2024.json"), Path("national-2024.json")], load_plugins())
    print(batch.to_text("en"))
    data = batch.to_json()   # one report, or the krat-validation-batch document

An input is a canonical submission (``.json``), a national dataset (each
regional submission in it is checked), or anything an importer reads (the
Excel template; CSV files in one folder form one submission). An input that
cannot be read is recorded in :attr:`BatchResult.errors` and the others go on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from krat_core.errors import ImportFailed, KratError
from krat_core.messages import Message, Plural
from krat_core.validation.report import REPORT_VERSION, ValidationReport

if TYPE_CHECKING:
    from krat_core.format.models import Submission
    from krat_core.plugins.descriptors import ImportOptions, ImportResult
    from krat_core.plugins.manager import Registry

__all__ = [
    "BATCH_FORMAT",
    "JSON_SUFFIXES",
    "WORKBOOK_SUFFIXES",
    "BatchResult",
    "Outcome",
    "name_rejected_causes",
    "validate_paths",
]

BATCH_FORMAT = "krat-validation-batch"
"""``format`` of the JSON document for several reports (see docs/validation.md)."""

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
"""Inputs read as one workbook each (and the only ones a workbook can be annotated for)."""
JSON_SUFFIXES = (".json",)
"""Inputs read as a canonical submission or a national dataset."""

IN_ALL = Message(
    sq=Plural(
        one="Gjithsej: {n} dorëzim i kontrolluar, {valid} {valid_word}, {invalid} {invalid_word}",
        other="Gjithsej: {n} dorëzime të kontrolluara, {valid} {valid_word}, "
        "{invalid} {invalid_word}",
    ),
    en=Plural(
        one="In all: {n} submission checked, {valid} {valid_word}, {invalid} {invalid_word}",
        other="In all: {n} submissions checked, {valid} {valid_word}, {invalid} {invalid_word}",
    ),
)
"""The closing line of several reports; the two adjectives agree with their own count."""
VALID_WORD = Message(
    sq=Plural(one="i vlefshëm", other="të vlefshme"), en=Plural(one="valid", other="valid")
)
INVALID_WORD = Message(
    sq=Plural(one="jo i vlefshëm", other="jo të vlefshme"),
    en=Plural(one="not valid", other="not valid"),
)
UNREADABLE = Message(
    sq=Plural(one=", {n} hyrje që nuk u lexua", other=", {n} hyrje që nuk u lexuan"),
    en=Plural(one=", {n} input could not be read", other=", {n} inputs could not be read"),
)
NO_SUCH_FILE = Message(sq="nuk ekziston ky skedar", en="no such file")
REJECTED_CAUSE = Message(
    sq="{text} Shkaku: rreshti i tij ({where}) u refuzua gjatë importit; korrigjoni së pari "
    "atë rresht.",
    en="{text} Cause: its row ({where}) was rejected by the import; correct that row first.",
)
"""Added to a reference finding whose target is on the sheet but its row was rejected."""
_REFERENCED_KIND = {"ref.unknown-institution": "institution", "ref.unknown-objective": "objective"}


@dataclass
class Outcome:
    """One report, the file(s) it is about, and what was imported (to annotate a workbook)."""

    label: str
    report: ValidationReport
    imported: ImportResult | None = None
    paths: tuple[Path, ...] = ()
    national: bool = False
    """Whether the submission came out of a national dataset."""


@dataclass
class BatchResult:
    """Everything a batch validation produced: reports, and inputs that could not be read."""

    outcomes: list[Outcome] = field(default_factory=list)
    failures: list[tuple[str, KratError]] = field(default_factory=list, repr=False)
    """``(input, error)`` for each input that could not be read."""
    inputs: int = 0
    """How many paths were given."""

    @property
    def errors(self) -> list[tuple[str, str]]:
        """``(input, message)`` for each input that could not be read (the message in
        English: :meth:`error_lines`)."""
        return [
            (label, line)
            for (label, _), line in zip(self.failures, self.error_lines("en"), strict=True)
        ]

    @property
    def valid(self) -> bool:
        """Every input was read and no report has an error."""
        return not self.errors and all(o.report.valid for o in self.outcomes)

    def error_lines(self, lang: str = "sq") -> list[str]:
        """:attr:`errors` in ``lang``: each the input and why it could not be read."""
        return [
            exc.localized(lang) if exc.source else f"{label}: {exc.localized(lang)}"
            for label, exc in self.failures
        ]

    def reaches(self, level: str) -> bool:
        """Whether some report has a finding at least as severe as ``level``."""
        return any(o.report.reaches(level) for o in self.outcomes)

    def to_dict(self) -> dict[str, Any]:
        """The ``krat-validation-batch`` document (docs/validation.md)."""
        return {
            "format": BATCH_FORMAT,
            "version": REPORT_VERSION,
            "valid": self.valid,
            "reports": [o.report.to_dict() for o in self.outcomes],
            "errors": [{"source": source, "message": message} for source, message in self.errors],
        }

    def to_json(self) -> bytes:
        """The JSON for a program: one report's own JSON when one submission file was
        read without trouble, else the batch document; empty when the only input failed.
        """
        from krat_core.format.canonical import dump_json

        if len(self.outcomes) == 1 and not self.errors and not self.outcomes[0].national:
            return self.outcomes[0].report.to_json()
        if self.outcomes or self.inputs > 1:
            return dump_json(self.to_dict())
        return b""

    def to_text(self, lang: str = "sq") -> str:
        """Each report as text for a person, and a closing line when there are several."""
        parts = [o.report.to_text(lang) for o in self.outcomes]
        if len(self.outcomes) + len(self.errors) > 1:
            n = len(self.outcomes)
            valid = sum(o.report.valid for o in self.outcomes)
            line = IN_ALL.text(
                lang,
                n=n,
                valid=valid,
                valid_word=VALID_WORD.text(lang, n=valid),
                invalid=n - valid,
                invalid_word=INVALID_WORD.text(lang, n=n - valid),
            )
            if self.errors:
                line += UNREADABLE.text(lang, n=len(self.errors))
            parts.append(line + "\n")
        return "\n".join(parts)


def _groups(paths: Sequence[Path]) -> list[tuple[Path, ...]]:
    """Inputs that form one submission each.

    A JSON file or a workbook is a submission by itself; CSV files (one per record
    kind) in the same folder are read together as one submission.
    """
    groups: list[tuple[Path, ...]] = []
    by_folder: dict[Path, list[Path]] = {}
    for path in paths:
        suffix = path.suffix.lower()
        if suffix in JSON_SUFFIXES or suffix in WORKBOOK_SUFFIXES or path.is_dir():
            groups.append((path,))
        else:
            by_folder.setdefault(path.parent, []).append(path)
    groups.extend(tuple(files) for files in by_folder.values())
    return groups


def _load_json(path: Path) -> Iterator[tuple[str, Submission, bool]]:
    """A submission, or each accepted submission of a national dataset, with a label."""
    from krat_core.combine.national import load_dataset
    from krat_core.format.models import Submission

    document = load_dataset(path)
    if isinstance(document, Submission):
        yield str(path), document, False
        return
    for entry in document.submissions:
        yield f"{path} [{entry.source.file}]", entry.submission, True


def validate_paths(
    paths: Sequence[Path], registry: Registry, options: ImportOptions | None = None
) -> BatchResult:
    """Validate each input (a submission, a national dataset, or files an importer reads).

    Args:
        paths: the inputs; CSV files in one folder are read together as one submission.
        registry: the loaded plugins (importers and rules).
        options: how importers read the files (region, period, key...).

    Returns:
        A :class:`BatchResult`. An input that cannot be read is recorded in
        :attr:`BatchResult.errors`; the others go on. Never raises for bad input.
    """
    from krat_core.importing import import_files
    from krat_core.importing.sameid import name_same_id_rows
    from krat_core.plugins.descriptors import ImportOptions
    from krat_core.validation.engine import validate, validate_import

    options = options or ImportOptions()
    batch = BatchResult(inputs=len(paths))
    for group in _groups(paths):
        label = ", ".join(str(p) for p in group)
        try:
            for p in group:
                if not p.exists():
                    raise ImportFailed(NO_SUCH_FILE.both(), source=p)
            if len(group) == 1 and group[0].suffix.lower() in JSON_SUFFIXES:
                for name, submission, national in _load_json(group[0]):
                    report = validate(submission, registry, sources=[name])
                    batch.outcomes.append(Outcome(name, report, None, group, national))
            else:
                result = import_files(list(group), options, registry)
                report = name_rejected_causes(validate_import(result, registry), result)
                report = name_same_id_rows(report, result)
                if not report.sources:
                    report = replace(report, sources=tuple(str(p) for p in group))
                batch.outcomes.append(Outcome(label, report, result, group))
        except KratError as exc:
            batch.failures.append((label, exc))
    return batch


def name_rejected_causes(report: ValidationReport, result: ImportResult) -> ValidationReport:
    """``report`` with each reference to a rejected row saying so, and where that row is.

    An activity whose organiser's row was rejected is told the organiser "is not
    among the institutions" by the reference rule, although it is on the sheet:
    the import's findings know the rejected row, so the message names it (and
    ``extra["cause"]`` holds its position).
    """
    from krat_core.findings import Severity, SourcePosition
    from krat_core.format.models import RECORD_LISTS

    rejected: dict[tuple[str, str], SourcePosition] = {}
    kept = {
        (kind, record.id)
        for kind, name in RECORD_LISTS.items()
        for record in getattr(result.submission, name)
    }
    for finding in result.findings:
        pos = finding.position
        if (
            finding.severity is Severity.ERROR
            and finding.kind
            and finding.record_id
            and pos is not None
            and pos.row is not None
            and (finding.kind, finding.record_id) not in kept
        ):
            rejected.setdefault((finding.kind, finding.record_id), pos)
    if not rejected:
        return report
    changed = False
    findings = []
    for finding in report.findings:
        kind = _REFERENCED_KIND.get(finding.code)
        pos = rejected.get((kind, str(finding.value))) if kind else None
        if pos is not None:
            row = SourcePosition(pos.file, pos.sheet, pos.row, None)
            texts = {
                lang: REJECTED_CAUSE.text(
                    lang, text=finding.message(lang), where=row.describe(lang)
                )
                for lang in ("sq", "en")
            }
            finding = replace(
                finding,
                message_sq=texts["sq"],
                message_en=texts["en"],
                extra={**finding.extra, "cause": row.to_dict()},
            )
            changed = True
        findings.append(finding)
    return replace(report, findings=tuple(findings)) if changed else report
