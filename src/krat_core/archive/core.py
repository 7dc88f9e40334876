"""The archive: every submission and every version across years, append-only.

Embedding::

    from krat_core.archive import Archive

    with Archive.open("krat-archive.sqlite") as archive:      # or "postgresql://..."
        result = archive.add("durres-2024.json", sender="zyra.kombetare")
        print(result.status, result.supersedes)
        national = archive.export("2024")                      # bytes, as `krat combine` writes
        damage = archive.verify()

Adding reads and migrates the file, makes its canonical form and validation
summary *before* taking the write lock, then inserts the blobs, the version,
its records and the receipt in one transaction: an error or a crash leaves the
archive as it was, and concurrent writers queue.
"""

from __future__ import annotations

import builtins
import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self

from sqlalchemy import Connection, Engine, func, insert, select

from krat_core.archive import schema as t
from krat_core.archive.engine import create_archive_engine, reading, upgrade, writing
from krat_core.archive.records import Prepared, prepare, record_rows, utc_text
from krat_core.errors import ArchiveError, KratError
from krat_core.messages import Message

if TYPE_CHECKING:
    from krat_core.combine.result import CombineResult
    from krat_core.format.models import Submission
    from krat_core.format.models.national import RecordChanges
    from krat_core.plugins.manager import Registry
    from krat_core.validation.report import ValidationReport

CANNOT_OPEN = Message(sq="arkivi nuk mund të hapet: {error}", en="cannot open the archive: {error}")
NO_VERSION = Message(sq="nuk ka version {sha}... në arkiv", en="no version {sha}... in the archive")
STORED_UNVALIDATED = Message(
    sq="versioni {sha}... i {region} {period} u ruajt pa validim; eksportojeni pa validim",
    en="{region} {period} version {sha}... was stored without validation; export it unvalidated",
)
NO_SUBMISSION_FOR = Message(
    sq="arkivi nuk ka asnjë dorëzim për {periods}",
    en="the archive holds no submission for {periods}",
)
UNKNOWN_RECORD_KIND = Message(
    sq="lloj i panjohur të dhënash {kind}: përdorni një nga {kinds}",
    en="unknown record kind {kind}: use one of {kinds}",
)
CANNOT_COUNT_BY = Message(
    sq="të dhënat {kind} nuk mund të numërohen sipas {columns}",
    en="cannot count {kind} records by {columns}",
)

__all__ = [
    "AddResult",
    "AddStatus",
    "ArchiveCore",
    "Cell",
    "Completeness",
    "Damage",
    "Receipt",
    "Validation",
    "Validator",
    "VersionInfo",
    "engine_validator",
]

AddStatus = Literal["new", "new_version", "older_version", "identical", "refused"]


@dataclass(frozen=True, slots=True)
class Validation:
    """The validation summary of a submission: valid (no error) and counts by severity."""

    valid: bool
    errors: int = 0
    warnings: int = 0
    infos: int = 0


Validator = Callable[["Submission"], Validation]
"""Validates one submission for :meth:`Archive.add` (see :func:`engine_validator`)."""


def engine_validator(
    registry: Registry, seen: Callable[[ValidationReport], object] | None = None
) -> Validator:
    """A :data:`Validator` running the validation engine with the rules of ``registry``;
    ``seen`` is given each full report (e.g. to note a check left incomplete)."""
    from krat_core.validation.engine import validate

    def run(submission: Submission) -> Validation:
        report = validate(submission, registry)
        if seen is not None:
            seen(report)
        counts = report.counts_by_severity
        severities = (counts.get(s, 0) for s in ("error", "warning", "info"))
        return Validation(report.valid, *severities)

    return run


@dataclass(frozen=True, slots=True)
class AddResult:
    """What :meth:`Archive.add` did with one file.

    ``status``: ``new`` (first version for its region and period),
    ``new_version`` (supersedes ``supersedes``), ``older_version`` (stored, but
    ``superseded_by`` is newer by ``submitted_at``), ``identical`` (the same
    bytes were already stored: only the receipt is recorded), ``refused``
    (nothing stored; ``reason`` says why, ``reason_sq`` in Albanian).

    ``kind`` is ``amendment`` for a calendar amendment (then ``status`` is
    ``new``, ``identical`` or ``refused`` and ``records`` counts its activities
    and cancellations; it supersedes nothing).
    """

    file: str
    status: AddStatus
    sha256: str | None = None
    region: str | None = None
    period: str | None = None
    records: int = 0
    supersedes: str | None = None
    superseded_by: str | None = None
    original_version: str | None = None
    migrated: bool = False
    validation: Validation | None = None
    reason: str | None = None
    kind: Literal["submission", "amendment"] = "submission"
    reason_sq: str | None = None


@dataclass(frozen=True, slots=True)
class Receipt:
    """One time a file was added: the name it came under, who added it, when (UTC)."""

    file: str
    sender: str
    received_at: str


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """One stored version of a region's submission for a period.

    ``changes`` compares it with the version before it (by ``submitted_at``);
    ``None`` for the first. ``current`` marks the version the national dataset uses.
    """

    sha256: str
    region: str
    period: str
    submitted_at: str
    records: int
    original_version: str
    validation: Validation | None
    receipts: list[Receipt]
    current: bool
    changes: RecordChanges | None


@dataclass(frozen=True, slots=True)
class Cell:
    """One region and period of the completeness matrix."""

    region: str
    period: str
    versions: int = 0
    sha256: str | None = None
    submitted_at: str | None = None
    valid: bool | None = None


@dataclass(frozen=True, slots=True)
class Completeness:
    """The completeness matrix across every period in the archive: regions x periods."""

    periods: list[str]
    cells: list[Cell] = field(default_factory=list)

    def cell(self, region: str, period: str) -> Cell:
        """The cell of ``region`` and ``period`` (an empty one when nothing was received)."""
        for c in self.cells:
            if c.region == region and c.period == period:
                return c
        return Cell(region, period)


DamageCode = Literal["blob", "bytes", "unreadable", "canonical", "column", "rows", "orphans"]


@dataclass(frozen=True, slots=True)
class Damage:
    """One inconsistency :meth:`Archive.verify` found.

    ``code`` (stable): ``blob`` (bytes do not hash to their key), ``bytes`` (a
    version whose stored bytes are damaged), ``unreadable`` (its original no
    longer reads), ``canonical`` (its canonical form is not its original's),
    ``column`` (a header column differs from the document; ``detail`` names
    it), ``rows`` (its record rows differ; ``detail`` names the table),
    ``orphans`` (rows of no version; ``detail`` names the table and count).
    ``where`` names the blob, version or table; ``problem`` says it in English.
    """

    code: DamageCode
    where: str
    detail: str
    problem: str


def _now() -> str:
    return utc_text(datetime.now(UTC))


def _validation(row: Any) -> Validation | None:
    if not row.validated:
        return None
    return Validation(bool(row.valid), row.errors, row.warnings, row.infos)


class ArchiveCore:
    """The archive's storage operations; :class:`~krat_core.archive.store.Archive` adds backups.

    An archive database (SQLite file or PostgreSQL); see the module docstring.
    """

    def __init__(self, engine: Engine) -> None:
        """Wrap an engine whose schema is already migrated; use :meth:`open` instead."""
        self.engine = engine

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, target: str | os.PathLike[str] | None = None) -> Self:
        """Open (creating if need be) the archive at ``target`` and migrate its schema.

        ``target`` is a file path (SQLite, created with mode 0600), a
        ``postgresql://`` URL, or ``None`` for the ``KRAT_ARCHIVE`` environment variable.
        """
        from sqlalchemy.exc import SQLAlchemyError

        engine = create_archive_engine(target)
        try:
            upgrade(engine)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise ArchiveError(CANNOT_OPEN.both(error=exc)) from None
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ adding

    def add(
        self,
        source: str | os.PathLike[str] | bytes,
        *,
        name: str | None = None,
        sender: str = "",
        validate: Validator | None = None,
    ) -> AddResult:
        """Store one submission file (any released format version; see :class:`AddResult`).

        ``source`` is a path or the file's bytes; ``name`` is the file name to
        record (by default the path's base name; ``submission.json`` for bytes).
        A document that cannot be read as a submission is refused, with the
        reason, and nothing is stored. ``validate`` gives the validation summary.
        """
        from krat_core.format.canonical import _read_source

        if isinstance(source, bytes | bytearray):
            raw, file = bytes(source), name or "submission.json"
        else:
            file = name or Path(source).name
            try:
                raw, _ = _read_source(Path(source))
            except KratError as exc:
                return AddResult(file, "refused", reason=exc.message, reason_sq=exc.texts["sq"])
        from krat_core.format.amendment import is_amendment

        if is_amendment(raw):
            return self._add_amendment(raw, file, sender)
        from krat_core.format.canonical import gc_paused

        try:
            with gc_paused():
                prepared = prepare(raw, validate)
        except KratError as exc:
            sha = hashlib.sha256(raw).hexdigest()
            return AddResult(file, "refused", sha, reason=exc.message, reason_sq=exc.texts["sq"])
        del raw
        with writing(self.engine) as conn:
            return self._add(conn, prepared, file, sender, prepared.validation, _now())

    def _add_amendment(self, raw: bytes, file: str, sender: str) -> AddResult:
        from krat_core.archive.amendments import add_amendment

        with writing(self.engine) as conn:
            done = add_amendment(
                conn,
                raw,
                file,
                sender,
                _now(),
                latest_submission=lambda region, period: self._latest(conn, region, period),
            )
        status: AddStatus = "new" if done.status == "new" else "identical"
        if done.status == "refused":
            status = "refused"
        return AddResult(
            file,
            status,
            sha256=done.sha256,
            region=done.region,
            period=done.period,
            records=done.size,
            reason=done.reason,
            kind="amendment",
            reason_sq=done.reason_sq,
        )

    def _latest(self, conn: Connection, region: str, period: str) -> Submission | None:
        from krat_core.format.canonical import load_submission

        row = conn.execute(
            select(t.versions.c.canonical_sha256)
            .where(t.versions.c.region == region, t.versions.c.period == period)
            .order_by(t.versions.c.submitted_utc.desc(), t.versions.c.sha256.desc())
            .limit(1)
        ).one_or_none()
        return None if row is None else load_submission(self._canonical(conn, row.canonical_sha256))

    def _add(
        self,
        conn: Connection,
        p: Prepared,
        file: str,
        sender: str,
        summary: Validation | None,
        received_at: str,
        added_at: str | None = None,
    ) -> AddResult:
        common: dict[str, Any] = {
            "sha256": p.sha256,
            "region": p.region,
            "period": p.period,
            "records": p.records,
            "original_version": p.original_version,
            "migrated": p.migrated,
        }
        existing = conn.execute(
            select(t.versions).where(t.versions.c.sha256 == p.sha256)
        ).one_or_none()
        if existing is not None:
            _receipt(conn, existing.id, file, sender, received_at)
            return AddResult(file, "identical", validation=_validation(existing), **common)
        latest = conn.execute(
            select(t.versions.c.sha256, t.versions.c.submitted_utc)
            .where(t.versions.c.region == p.region, t.versions.c.period == p.period)
            .order_by(t.versions.c.submitted_utc.desc(), t.versions.c.sha256.desc())
            .limit(1)
        ).one_or_none()
        _blob(conn, p.sha256, p.original)
        if p.canonical_sha256 != p.sha256:
            _blob(conn, p.canonical_sha256, p.canonical)
        version_id = conn.execute(
            insert(t.versions).returning(t.versions.c.id),
            {
                **p.header,
                "validated": summary is not None,
                "valid": None if summary is None else summary.valid,
                "errors": 0 if summary is None else summary.errors,
                "warnings": 0 if summary is None else summary.warnings,
                "infos": 0 if summary is None else summary.infos,
                "added_at": added_at or received_at,
            },
        ).scalar_one()
        _insert_records(conn, version_id, p.canonical)
        _receipt(conn, version_id, file, sender, received_at)
        if latest is None:
            return AddResult(file, "new", validation=summary, **common)
        if (latest.submitted_utc, latest.sha256) < (p.header["submitted_utc"], p.sha256):
            return AddResult(
                file, "new_version", supersedes=latest.sha256, validation=summary, **common
            )
        return AddResult(
            file, "older_version", superseded_by=latest.sha256, validation=summary, **common
        )

    # ------------------------------------------------------------------ reading

    def list(self) -> Completeness:
        """The completeness matrix: the twelve regions by every period in the archive."""
        from krat_core.format.regions import REGION_CODES

        with reading(self.engine) as conn:
            rows = conn.execute(
                select(
                    t.versions.c.region,
                    t.versions.c.period,
                    t.versions.c.sha256,
                    t.versions.c.submitted_at,
                    t.versions.c.submitted_utc,
                    t.versions.c.validated,
                    t.versions.c.valid,
                )
            ).all()
        groups: dict[tuple[str, str], list[Any]] = {}
        for row in rows:
            groups.setdefault((row.region, row.period), []).append(row)
        periods = sorted({p for _, p in groups})
        cells = []
        for region in REGION_CODES:
            for period in periods:
                found = groups.get((region, period))
                if not found:
                    cells.append(Cell(region, period))
                    continue
                last = max(found, key=lambda r: (r.submitted_utc, r.sha256))
                cells.append(
                    Cell(
                        region,
                        period,
                        versions=len(found),
                        sha256=last.sha256,
                        submitted_at=last.submitted_at,
                        valid=bool(last.valid) if last.validated else None,
                    )
                )
        return Completeness(periods, cells)

    def _versions(self, conn: Connection, *where: Any) -> builtins.list[Any]:
        return builtins.list(
            conn.execute(
                select(t.versions)
                .where(*where)
                .order_by(
                    t.versions.c.period,
                    t.versions.c.region,
                    t.versions.c.submitted_utc,
                    t.versions.c.sha256,
                )
            ).all()
        )

    def _receipts(self, conn: Connection, ids: Sequence[int]) -> dict[int, builtins.list[Receipt]]:
        found: dict[int, builtins.list[Receipt]] = {i: [] for i in ids}
        if not ids:
            return found
        for row in conn.execute(
            select(t.receipts)
            .where(t.receipts.c.version_id.in_(builtins.list(ids)))
            .order_by(t.receipts.c.id)
        ):
            found[row.version_id].append(Receipt(row.file_name, row.sender, row.received_at))
        return found

    def _canonical(self, conn: Connection, sha: str) -> bytes:
        data = conn.execute(select(t.blobs.c.data).where(t.blobs.c.sha256 == sha)).scalar_one()
        return bytes(data)

    def submission(self, sha256: str) -> Submission:
        """The stored version with original SHA-256 ``sha256``, migrated to the current format."""
        from krat_core.format.canonical import load_submission

        with reading(self.engine) as conn:
            row = conn.execute(
                select(t.versions.c.canonical_sha256).where(t.versions.c.sha256 == sha256)
            ).one_or_none()
            if row is None:
                raise ArchiveError(NO_VERSION.both(sha=sha256[:12]))
            return load_submission(self._canonical(conn, row.canonical_sha256))

    def original(self, sha256: str) -> bytes:
        """The bytes of a stored version exactly as received."""
        with reading(self.engine) as conn:
            data = conn.execute(
                select(t.blobs.c.data).where(t.blobs.c.sha256 == sha256)
            ).scalar_one_or_none()
        if data is None:
            raise ArchiveError(NO_VERSION.both(sha=sha256[:12]))
        return bytes(data)

    def history(self, region: str, period: str) -> builtins.list[VersionInfo]:
        """Every version of ``region``'s submission for ``period``, oldest first, with changes."""
        from krat_core.combine.consolidate import record_changes
        from krat_core.format.canonical import load_submission

        with reading(self.engine) as conn:
            rows = self._versions(
                conn, t.versions.c.region == region, t.versions.c.period == period
            )
            receipts = self._receipts(conn, [r.id for r in rows])
            history: builtins.list[VersionInfo] = []
            previous: Submission | None = None
            for i, row in enumerate(rows):
                current = load_submission(self._canonical(conn, row.canonical_sha256))
                history.append(
                    VersionInfo(
                        sha256=row.sha256,
                        region=row.region,
                        period=row.period,
                        submitted_at=row.submitted_at,
                        records=row.records,
                        original_version=row.original_version,
                        validation=_validation(row),
                        receipts=receipts[row.id],
                        current=i == len(rows) - 1,
                        changes=None if previous is None else record_changes(previous, current),
                    )
                )
                previous = current
        return history

    def combine(
        self,
        period: str | Iterable[str],
        *,
        deadline: date | datetime | None = None,
        validated: bool = True,
    ) -> CombineResult:
        """:func:`krat_core.combine.combine` over every stored version of ``period``.

        The stored calendar amendments of ``period`` are combined with them
        (listed in the dataset, applied on top of each region's accepted version).

        Each version enters under every name it was received with, so the
        result equals combining those files. With ``validated`` the stored
        validation summaries are used (an :class:`ArchiveError` when a version
        was stored without one); otherwise nothing is validated.
        """
        from krat_core.combine.consolidate import combine
        from krat_core.combine.national import CombineInput
        from krat_core.format.canonical import load_submission
        from krat_core.format.models.national import ValidationSummary

        periods = [period] if isinstance(period, str) else list(period)
        inputs: builtins.list[CombineInput] = []
        summaries: dict[int, ValidationSummary] = {}
        with reading(self.engine) as conn:
            rows = self._versions(conn, t.versions.c.period.in_(periods))
            receipts = self._receipts(conn, [r.id for r in rows])
            for row in rows:
                document = load_submission(self._canonical(conn, row.canonical_sha256))
                if validated:
                    if not row.validated:
                        raise ArchiveError(
                            STORED_UNVALIDATED.both(
                                region=row.region, period=row.period, sha=row.sha256[:12]
                            )
                        )
                    summaries[id(document)] = ValidationSummary(
                        valid=row.valid, errors=row.errors, warnings=row.warnings
                    )
                names = sorted({r.file for r in receipts[row.id]})
                inputs += [CombineInput(n, row.sha256, document) for n in names]
            from krat_core.archive.amendments import amendments_of

            for stored in amendments_of(conn, periods):
                inputs += [CombineInput(n, stored.sha256, stored.amendment) for n in stored.names]
        if not inputs:
            raise ArchiveError(NO_SUBMISSION_FOR.both(periods=", ".join(periods)))
        return combine(
            inputs,
            period=periods,
            deadline=deadline,
            validate=(lambda s: summaries[id(s)]) if validated else None,
        )

    def export(
        self,
        period: str | Iterable[str],
        *,
        deadline: date | datetime | None = None,
        validated: bool = True,
    ) -> bytes:
        """The national dataset of ``period`` as canonical JSON bytes (see :meth:`combine`).

        Byte-identical to what ``krat combine`` writes over the same files.
        """
        from krat_core.combine.national import dump_national

        return dump_national(self.combine(period, deadline=deadline, validated=validated).dataset)

    def current_versions(self) -> Any:
        """A selectable of the ids of current versions (the latest of each region and period).

        For queries of your own over the record tables: join ``version_id`` to it.
        """
        from sqlalchemy import and_, exists, or_

        newer = t.versions.alias("newer")
        v = t.versions
        return select(v.c.id).where(
            ~exists().where(
                newer.c.region == v.c.region,
                newer.c.period == v.c.period,
                or_(
                    newer.c.submitted_utc > v.c.submitted_utc,
                    and_(
                        newer.c.submitted_utc == v.c.submitted_utc,
                        newer.c.sha256 > v.c.sha256,
                    ),
                ),
            )
        )

    def record_counts(
        self,
        kind: str = "case",
        *,
        by: Sequence[str] = ("region", "period"),
        current: bool = True,
    ) -> dict[tuple[Any, ...], int]:
        """Records of ``kind`` counted by the columns ``by``, across every period: one query.

        ``kind`` is ``institution``, ``case``, ``activity`` or ``objective``;
        ``by`` names columns of its table (``region``, ``period``, ``status``,
        ``sex``, ``type``, ...). With ``current`` only the version in force of
        each region and period counts (as in the national dataset); otherwise
        every version does. E.g. cases per region and year, year over year::

            archive.record_counts("case")   # {("AL-02", "2023"): 17, ("AL-02", "2024"): 21, ...}
        """
        table = t.RECORD_TABLES.get(kind)
        if table is None:
            raise ArchiveError(
                UNKNOWN_RECORD_KIND.both(kind=repr(kind), kinds=sorted(t.RECORD_TABLES))
            )
        unknown = [c for c in by if c not in table.c or c in ("content", "row_id")]
        if unknown:
            raise ArchiveError(CANNOT_COUNT_BY.both(kind=kind, columns=", ".join(unknown)))
        columns = [table.c[c] for c in by]
        query = select(*columns, func.count()).group_by(*columns).order_by(*columns)
        if current:
            query = query.where(table.c.version_id.in_(self.current_versions()))
        with reading(self.engine) as conn:
            return {tuple(row[:-1]): row[-1] for row in conn.execute(query)}

    # ------------------------------------------------------------------ checking

    def verify(self) -> builtins.list[Damage]:
        """Re-hash every blob and re-derive every row; return what does not match (empty: sound).

        Checks that each blob's bytes hash to its key, that each version's
        canonical form is what migrating its original gives, that its header
        columns match the document, and that its record rows are exactly the
        rows its canonical form yields; and that each calendar amendment's row
        matches its bytes.
        """
        from krat_core.archive.records import KINDS

        damage: builtins.list[Damage] = []
        with reading(self.engine) as conn:
            for row in conn.execute(select(t.blobs.c.sha256, t.blobs.c.data, t.blobs.c.size)):
                data = bytes(row.data)
                if hashlib.sha256(data).hexdigest() != row.sha256 or len(data) != row.size:
                    damage.append(
                        Damage("blob", f"blob {row.sha256}", "", "bytes do not match their SHA-256")
                    )
            bad_blobs = {d.where.split()[1] for d in damage if d.code == "blob"}
            for version in self._versions(conn):
                where = f"version {version.region} {version.period} {version.sha256[:12]}"
                if version.sha256 in bad_blobs or version.canonical_sha256 in bad_blobs:
                    damage.append(Damage("bytes", where, "", "its stored bytes are damaged"))
                    continue
                try:
                    p = prepare(self._canonical(conn, version.sha256))
                except KratError as exc:
                    damage.append(
                        Damage(
                            "unreadable",
                            where,
                            exc.message,
                            f"the original no longer reads: {exc.message}",
                        )
                    )
                    continue
                if p.canonical_sha256 != version.canonical_sha256:
                    damage.append(
                        Damage(
                            "canonical", where, "", "the canonical form does not match the original"
                        )
                    )
                    continue
                expected = p.header
                for key, value in expected.items():
                    if getattr(version, key) != value:
                        damage.append(
                            Damage(
                                "column", where, key, f"column {key!r} does not match the document"
                            )
                        )
                for kind, table_name in KINDS:
                    table = t.RECORD_TABLES[kind]
                    stored = [
                        {k: v for k, v in r._mapping.items() if k != "row_id"}
                        for r in conn.execute(
                            select(table)
                            .where(table.c.version_id == version.id)
                            .order_by(table.c.position)
                        )
                    ]
                    derived = [
                        row
                        for k, rows in record_rows(p.canonical, version.id)
                        if k == kind
                        for row in rows
                    ]
                    if stored != derived:
                        damage.append(
                            Damage(
                                "rows",
                                where,
                                table_name,
                                f"its {table_name} rows do not match the document",
                            )
                        )
            from krat_core.archive.amendments import amendment_damage

            for code, where, detail, problem in amendment_damage(conn, bad_blobs):
                damage.append(Damage(code, where, detail, problem))  # type: ignore[arg-type]
            for kind, table_name in KINDS:
                table = t.RECORD_TABLES[kind]
                orphans = conn.execute(
                    select(func.count())
                    .select_from(table)
                    .where(~table.c.version_id.in_(select(t.versions.c.id)))
                ).scalar_one()
                if orphans:
                    damage.append(
                        Damage(
                            "orphans",
                            table_name,
                            str(orphans),
                            f"{orphans} rows belong to no version",
                        )
                    )
        return damage

    def counts(self) -> dict[str, int]:
        """Rows per table (for tests and reports of what the archive holds)."""
        with reading(self.engine) as conn:
            return {
                table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for table in t.metadata.sorted_tables
            }


def _blob(conn: Connection, sha: str, data: bytes) -> None:
    found = conn.execute(select(t.blobs.c.sha256).where(t.blobs.c.sha256 == sha)).first()
    if found is None:
        conn.execute(insert(t.blobs), {"sha256": sha, "size": len(data), "data": data})


def _receipt(conn: Connection, version_id: int, file: str, sender: str, received_at: str) -> None:
    conn.execute(
        insert(t.receipts),
        {
            "version_id": version_id,
            "file_name": file,
            "sender": sender,
            "received_at": received_at,
        },
    )


def _insert_records(conn: Connection, version_id: int, canonical: bytes) -> None:
    """Insert the record rows of one version, one batch per statement.

    The cyclic garbage collector is paused meanwhile (the rows hold no cycles;
    it would rescan the parsed document again and again, see ``gc_paused``).
    """
    from krat_core.format.canonical import gc_paused

    with gc_paused():
        for kind, rows in record_rows(canonical, version_id):
            conn.execute(insert(t.RECORD_TABLES[kind]), rows)
