"""The small typed objects plugins return from their hooks.

A plugin describes what it adds with these descriptors; the core collects them
into name-keyed registries (see :mod:`krat_core.plugins.manager`). They are plain frozen
dataclasses, so a plugin needs nothing but ``krat_core`` to build them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from krat_core.findings import Finding, Problem, Severity, SourcePosition
from krat_core.format.codelists import RECORD_KINDS, REGION_PATTERN
from krat_core.messages import Message

if TYPE_CHECKING:
    from krat_core.format.models import Submission

__all__ = [
    "ExportOptions",
    "Exporter",
    "ExtensionField",
    "ImportLimits",
    "ImportOptions",
    "ImportResult",
    "Importer",
    "Rule",
    "RuleContext",
    "SheetCount",
    "descriptor_problem",
]


# --------------------------------------------------------------------------- importers


IMPORTER_FAILED = Message(
    sq="importuesi {name} dështoi gjatë leximit të {paths}: {error}",
    en="importer {name} failed while reading {paths}: {error}",
)
IMPORTER_RETURNED = Message(
    sq="importuesi {name} ktheu {kind}, jo një ImportResult",
    en="importer {name} returned {kind}, not an ImportResult",
)
EXPORTER_WROTE_NOTHING = Message(
    sq="eksportuesi {name} i shtojcës {plugin} nuk shkroi asgjë",
    en="exporter {name} of plugin {plugin} wrote nothing",
)
EXPORTER_FAILED = Message(
    sq="eksportuesi {name} i shtojcës {plugin} dështoi, nuk u shkrua asgjë: {error}",
    en="exporter {name} of plugin {plugin} failed, nothing was written: {error}",
)


@dataclass(frozen=True, slots=True)
class ImportLimits:
    """Bounds that keep a hostile or broken file from exhausting time or memory.

    Defaults fit the largest real archives with a wide margin; raise them
    explicitly (``krat import --max-rows``) for bigger data.
    """

    max_file_bytes: int = 512 * 1024**2
    """Largest input file read, in bytes."""
    max_uncompressed_bytes: int = 2 * 1024**3
    """Largest total uncompressed size of a workbook's parts (zip-bomb guard)."""
    max_compression_ratio: int = 200
    """Largest ratio of uncompressed to compressed size of one workbook part."""
    max_rows: int = 2_000_000
    """Most data rows read from one sheet or CSV file."""
    max_cell_chars: int = 32_767
    """Longest cell or CSV field, in characters (Excel's own cell limit)."""


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """What the caller tells an importer besides the files.

    ``region`` and ``period`` fill the submission header where the files do not
    say; ``key`` is the national pseudonymisation key, needed when the files
    carry identity columns (names, date of birth) to turn into ``subject_ref``.
    """

    region: str | None = None
    period: str | None = None
    key: bytes | None = None
    submitted_by: str | None = None
    limits: ImportLimits = field(default_factory=ImportLimits)
    date_order: Literal["dmy", "mdy"] | None = None
    """How text dates ``a/b/yyyy`` in CSV files are read: day first (``dmy``) or month
    first (``mdy``). None: day first, unless a file shows month-first dates (a second
    number over 12), which is refused asking for the order (issue 11)."""
    nil_return: bool = False
    """The region declares it has nothing to report for the period (issue 11): an import
    that yields no case, activity or objective is accepted as a nil return instead of
    refused. Records read despite it are imported, and validation reports the conflict."""


@dataclass(slots=True)
class SheetCount:
    """How the rows of one sheet (or CSV file) were accounted for.

    Always ``rows_read == records + rejected``; blank rows are counted apart.
    """

    file: str
    sheet: str | None
    rows_read: int = 0
    records: int = 0
    rejected: int = 0
    blank: int = 0
    kind: str | None = None
    """What the sheet's rows become: a record kind (``case``...) or a nested list
    (``assistance``, ``indicator``). When given, the records present of that kind
    are reconciled exactly with ``records`` (``krat import``, the test kit)."""


@dataclass(slots=True)
class ImportResult:
    """What an importer returns: the submission, the findings, and where each record came from.

    ``positions`` maps ``(kind, record_id)`` to the row it was read from;
    ``columns`` maps ``(kind, field pointer)`` to the column header, so a finding
    about ``/referral/referred_on`` of a case can point at its cell.
    """

    submission: Submission
    findings: list[Finding] = field(default_factory=list)
    counts: list[SheetCount] = field(default_factory=list)
    positions: dict[tuple[str, str], SourcePosition] = field(default_factory=dict)
    columns: dict[tuple[str, str], str] = field(default_factory=dict)

    def locate(self, kind: str, record_id: str, pointer: str = "") -> SourcePosition | None:
        """The file, sheet, row and (where known) column of a record's field.

        An item of a nested list read from its own sheet (an assistance row) is
        found under ``(kind, record_id + "/assistance/0")`` in ``positions``.
        """
        row = None
        item = pointer
        while item and row is None:  # /assistance/0/start -> /assistance/0 -> /assistance
            row = self.positions.get((kind, record_id + item))
            item = item.rpartition("/")[0]
        row = row or self.positions.get((kind, record_id))
        if row is None:
            return None
        column = None
        path = pointer
        while path and column is None:  # /assistance/0/start -> /assistance/0 -> /assistance
            column = self.columns.get((kind, path))
            path = path.rpartition("/")[0]
        return SourcePosition(row.file, row.sheet, row.row, column or row.column)

    @property
    def rows_read(self) -> int:
        """Data rows read, over every sheet and file."""
        return sum(c.rows_read for c in self.counts)

    @property
    def rows_rejected(self) -> int:
        """Rows that did not become a record (each has at least one finding)."""
        return sum(c.rejected for c in self.counts)


Sniffer = Callable[[Path, bytes], bool]
"""``sniff(path, head)``: does this importer read the file? ``head`` is its first 8 KiB."""
Reader = Callable[[Sequence[Path], ImportOptions], ImportResult]
"""``read(paths, options)``: turn the files into one submission; bad rows become findings."""


@dataclass(frozen=True, slots=True)
class Importer:
    """A source format: how to recognise its files and read them into a submission.

    ``read`` must never raise for bad rows (they become findings with positions)
    and raises :class:`krat_core.errors.ImportFailed` when a file cannot be read at all.
    """

    name: str
    suffixes: tuple[str, ...]
    read: Reader
    sniff: Sniffer | None = None
    title: str = ""
    plugin: str | None = None
    """Filled in by the registry: the plugin that registered it."""

    def claims(self, path: Path, head: bytes) -> bool:
        """Whether this importer reads ``path``: its ``sniff`` says so, or (no sniff) its suffix.

        A sniff function that raises counts as "no".
        """
        if self.sniff is not None:
            try:
                return bool(self.sniff(path, head))
            except Exception:
                return False
        return path.suffix.lower() in self.suffixes

    def run(self, paths: Sequence[Path], options: ImportOptions) -> ImportResult:
        """Call ``read`` so that a plugin bug becomes a clear error naming the plugin.

        :class:`~krat_core.errors.KratError` from the reader (e.g. ``ImportFailed``)
        passes through; any other exception, or a result that is not an
        :class:`ImportResult`, becomes :class:`~krat_core.errors.PluginError`.
        """
        from krat_core.errors import KratError, PluginError

        try:
            result = self.read(list(paths), options)
        except KratError:
            raise
        except Exception as exc:
            raise PluginError(
                IMPORTER_FAILED.both(
                    name=repr(self.name),
                    paths=", ".join(str(p) for p in paths),
                    error=f"{type(exc).__name__}: {exc}",
                ),
                plugin=self.plugin,
            ) from exc
        if not isinstance(result, ImportResult):
            raise PluginError(
                IMPORTER_RETURNED.both(name=repr(self.name), kind=type(result).__name__),
                plugin=self.plugin,
            )
        return result


# --------------------------------------------------------------------------- rules


class RuleContext:
    """What a rule's check may look at besides the record: the whole submission and indexes.

    Indexes are computed once per validation run and shared by every rule.
    """

    def __init__(
        self,
        submission: Submission,
        extension_fields: Mapping[str, ExtensionField] | None = None,
    ) -> None:
        self.submission = submission
        self.extension_fields = extension_fields
        """The extension fields the loaded plugins declare, by ``namespace.name``
        (None: not known, e.g. rules run without a registry)."""

    @cached_property
    def ids(self) -> Mapping[str, frozenset[str]]:
        """Record ids present in the submission, by kind."""
        s = self.submission
        return {
            "institution": frozenset(r.id for r in s.institutions),
            "case": frozenset(r.id for r in s.cases),
            "activity": frozenset(r.id for r in s.activities),
            "objective": frozenset(r.id for r in s.objectives),
        }

    @cached_property
    def period_bounds(self) -> tuple[date, date]:
        """First and last day of the submission's period ("2024": the year; "2024-H2": Jul-Dec)."""
        return self.submission.bounds

    @cached_property
    def submitted_on(self) -> date:
        """The calendar day of ``submitted_at``, in the time zone it was written with."""
        return self.submission.submitted_at.date()


Check = Callable[[Any, RuleContext], Iterable[Problem]]
"""``check(record_or_submission, context)``: yield a :class:`Problem` for each thing wrong."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A business rule: a stable code, a severity, what it applies to, and a check.

    ``scope="record"``: ``check`` is called once per record of each kind in ``kinds``.
    ``scope="submission"``: ``check`` is called once with the whole submission
    (cross-record rules), and each :class:`Problem` names its ``kind`` and ``record_id``.
    ``regions`` limits the rule to those region codes (None: every region).
    """

    code: str
    severity: Severity
    kinds: tuple[str, ...]
    check: Check
    title_en: str
    title_sq: str
    regions: tuple[str, ...] | None = None
    scope: Literal["record", "submission"] = "record"
    plugin: str | None = None
    """Filled in by the registry: the plugin that registered it."""


# --------------------------------------------------------------------------- exporters


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """How to render: language, small-cell suppression threshold and comparison datasets.

    ``suppress`` is the threshold N (counts 1..N-1 hidden as "x"); None turns
    suppression off (internal use only, stated on the report).
    """

    lang: Literal["sq", "en"] = "sq"
    suppress: int | None = 5
    compare: Sequence[Any] = ()
    config: Any = None
    """The report configuration (a :class:`~krat_core.reporting.config.ReportConfig`:
    issuer, place, document number, signatory, logo); None: the defaults."""
    csv_dialect: Literal["rfc4180", "excel-eu"] = "rfc4180"
    """CSV files: "rfc4180" (comma, decimal point) or "excel-eu" (semicolon, decimal
    comma: Excel on Albanian and most European settings)."""
    generated_on: str | None = None
    """ISO date printed as the report date; None: today. Fixed in tests for reproducibility."""
    audience: Literal["public", "committee"] = "public"
    """Who the output is for: "public" (suppressed, audited as one release) or "committee"."""
    records: bool = False
    """Whether record-level outputs (case records) may be written; off unless asked for."""


Writer = Callable[[Any, Path, ExportOptions], None]
"""``write(dataset, path, options)``: write the dataset to ``path``.

``dataset`` is a :class:`~krat_core.format.models.Submission` or a national dataset.
The core passes a temporary path and renames it into place on success, so a
writer that fails never leaves a partial file.
"""


@dataclass(frozen=True, slots=True)
class Exporter:
    """An output format: name, file suffix, media type and a writer."""

    name: str
    suffix: str
    media_type: str
    write: Writer
    title: str = ""
    plugin: str | None = None
    """Filled in by the registry: the plugin that registered it."""
    directory: bool = False
    """The writer writes a folder of files at ``path`` (``suffix`` may then be "")."""

    def export(
        self, dataset: Any, target: str | Path, options: ExportOptions | None = None
    ) -> Path:
        """Write ``dataset`` to ``target`` atomically and return ``target``.

        The writer gets a temporary path next to ``target``, renamed into place
        only when it returns; if it raises, nothing is left behind and an
        existing ``target`` is untouched. A :class:`~krat_core.errors.KratError`
        from the writer passes through; any other exception becomes
        :class:`~krat_core.errors.ExportError` naming the exporter and plugin.
        """
        from krat_core.atomic import atomic_path
        from krat_core.errors import ExportError, KratError

        target = Path(target)
        try:
            with atomic_path(target, directory=self.directory) as tmp:
                self.write(dataset, tmp, options or ExportOptions())
                if not self.directory and tmp.stat().st_size == 0:
                    raise ExportError(
                        EXPORTER_WROTE_NOTHING.both(name=repr(self.name), plugin=repr(self.plugin)),
                        source=target,
                    )
        except KratError:
            raise
        except Exception as exc:
            raise ExportError(
                EXPORTER_FAILED.both(
                    name=repr(self.name),
                    plugin=repr(self.plugin),
                    error=f"{type(exc).__name__}: {exc}",
                ),
                source=target,
            ) from exc
        return target


def with_plugin(descriptor: Any, plugin: str) -> Any:
    """A copy of ``descriptor`` with its ``plugin`` field set."""
    from dataclasses import replace

    return replace(descriptor, plugin=plugin)


# --------------------------------------------------------------------------- extensions


ExtensionType = Literal["text", "integer", "number", "boolean", "date"]


@dataclass(frozen=True, slots=True)
class ExtensionField:
    """One field a plugin allows in the ``extensions`` of records: ``namespace``.``name``.

    A value must be a scalar of ``type``: text of at most ``max_length``
    characters (one of ``choices`` when given), a whole number or a number within
    ``minimum``..``maximum``, a boolean, or an ISO date. ``kinds`` are the record
    kinds that may carry it. Extensions never hold a person's identity: keys and
    values that look like names, birth dates, personal numbers or phone numbers
    are refused whatever is declared.
    """

    namespace: str
    name: str
    type: ExtensionType
    title_en: str
    title_sq: str
    kinds: tuple[str, ...] = ("case", "activity", "objective", "institution", "submission")
    max_length: int = 100
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    plugin: str | None = None
    """Filled in by the registry: the plugin that declared it."""

    @property
    def key(self) -> str:
        """``namespace.name``: how findings name the field."""
        return f"{self.namespace}.{self.name}"


# --------------------------------------------------------------------------- checking a descriptor

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_SUFFIX = re.compile(r"^\.[a-z0-9]+(\.[a-z0-9]+)*$")
_REGION = re.compile(f"^{REGION_PATTERN}$")


def descriptor_problem(item: object, kind: type[Any] | None = None) -> str | None:
    """Why ``item`` is not a valid descriptor (of class ``kind``), or None when it is.

    The registry skips a plugin whose hook returns such an item; the test kit
    (:mod:`krat_core.plugins.testing`) uses the same checks.
    """
    kind = kind or type(item)
    if kind not in (Importer, Rule, Exporter):
        return f"{item!r} is not an Importer, Rule or Exporter"
    if not isinstance(item, kind):
        return f"returned {item!r}, which is not a krat_core.plugins.descriptors.{kind.__name__}"
    checks: list[tuple[bool, str]]
    if isinstance(item, Importer):
        checks = [
            (
                bool(_NAME.match(item.name)),
                f"importer name {item.name!r} is not a short "
                "lower-case name like 'durres-register'",
            ),
            (
                isinstance(item.suffixes, tuple) and all(_SUFFIX.match(s) for s in item.suffixes),
                f"importer {item.name!r}: suffixes {item.suffixes!r} must be a tuple of "
                "lower-case suffixes like ('.xlsx',)",
            ),
            (callable(item.read), f"importer {item.name!r}: read is not callable"),
            (
                item.sniff is None or callable(item.sniff),
                f"importer {item.name!r}: sniff is not callable",
            ),
        ]
    elif isinstance(item, Exporter):
        checks = [
            (
                bool(_NAME.match(item.name)),
                f"exporter name {item.name!r} is not a short lower-case name like 'durres-xlsx'",
            ),
            (
                bool(_SUFFIX.match(item.suffix)),
                f"exporter {item.name!r}: suffix {item.suffix!r} is not like '.xlsx'",
            ),
            (
                bool(item.media_type) and "/" in item.media_type,
                f"exporter {item.name!r}: media_type {item.media_type!r} is not like 'text/csv'",
            ),
            (callable(item.write), f"exporter {item.name!r}: write is not callable"),
        ]
    else:
        assert isinstance(item, Rule)
        checks = [
            (
                bool(_NAME.match(item.code)),
                f"rule code {item.code!r} is not like 'durres.case-needs-institution'",
            ),
            (
                isinstance(item.severity, Severity),
                f"rule {item.code!r}: severity {item.severity!r} is not a Severity",
            ),
            (
                isinstance(item.kinds, tuple)
                and bool(item.kinds)
                and all(k in RECORD_KINDS for k in item.kinds),
                f"rule {item.code!r}: kinds {item.kinds!r} must be a non-empty tuple of "
                f"{', '.join(RECORD_KINDS)}",
            ),
            (
                item.regions is None
                or (
                    isinstance(item.regions, tuple)
                    and all(isinstance(r, str) and _REGION.match(r) for r in item.regions)
                ),
                f"rule {item.code!r}: regions {item.regions!r} must be None or a tuple of "
                "codes AL-01..AL-12",
            ),
            (
                item.scope in ("record", "submission"),
                f"rule {item.code!r}: scope {item.scope!r} is not 'record' or 'submission'",
            ),
            (callable(item.check), f"rule {item.code!r}: check is not callable"),
            (
                bool(item.title_en and item.title_sq),
                f"rule {item.code!r}: title_en and title_sq must both be given",
            ),
        ]
    return next((message for ok, message in checks if not ok), None)
