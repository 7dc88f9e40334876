"""Calendar amendments in the archive: stored append-only, applied when a period is combined.

An amendment (:class:`~krat_core.format.amendment.CalendarAmendment`) is kept
as its original bytes (content-addressed in ``blobs``), a row of
``amendments`` (region, period, when, who, how many activities and
cancellations) and a receipt per time it was added. It never supersedes a
submission version and never changes lateness: :meth:`ArchiveCore.combine`
passes the stored amendments of the period to :func:`krat_core.combine.combine`
with the submissions, so the national dataset lists them and applies them on
top of each region's accepted version (the same as ``krat combine`` over the
same files).

Adding refuses an amendment whose region and period have no submission yet,
or one that cannot apply on top of the latest version and the earlier
amendments (it cancels an activity that was never sent).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

from krat_core.archive import schema as t
from krat_core.archive.records import utc_text
from krat_core.errors import KratError
from krat_core.format.amendment import CalendarAmendment, apply_amendments, load_amendment
from krat_core.messages import Message

__all__ = [
    "AmendmentAdded",
    "AmendmentInfo",
    "StoredAmendment",
    "add_amendment",
    "amendment_damage",
    "amendment_history",
    "amendments_of",
    "stored_amendments",
]


@dataclass(frozen=True, slots=True)
class StoredAmendment:
    """An amendment as the archive holds it: its SHA-256, every file name, the document."""

    sha256: str
    names: list[str]
    amendment: CalendarAmendment


@dataclass(frozen=True, slots=True)
class AmendmentInfo:
    """One stored amendment in a region's history (see :meth:`Archive.amendments`)."""

    sha256: str
    region: str
    period: str
    amended_at: str
    activities: int
    cancellations: int
    files: list[str]


NO_BASE = Message(
    sq="arkivi nuk ka asnjë dorëzim të {region} {period} që ky ndryshim kalendari të ndryshojë",
    en="the archive holds no submission of {region} {period} for this calendar amendment to amend",
)


@dataclass(frozen=True, slots=True)
class AmendmentAdded:
    """What adding one amendment did: ``new``, ``identical`` or ``refused`` (with a reason)."""

    status: str
    sha256: str
    region: str | None = None
    period: str | None = None
    size: int = 0
    reason: str | None = None
    reason_sq: str | None = None
    """``reason`` in Albanian."""


def stored_amendments(conn: Connection, *where: Any) -> list[StoredAmendment]:
    """The stored amendments matching ``where`` (on ``amendments``), oldest ``amended_at`` first."""
    a = t.amendments
    rows = list(conn.execute(select(a).where(*where).order_by(a.c.amended_utc, a.c.sha256)).all())
    names: dict[int, list[str]] = {r.id: [] for r in rows}
    if rows:
        r_table = t.amendment_receipts
        for receipt in conn.execute(
            select(r_table.c.amendment_id, r_table.c.file_name)
            .where(r_table.c.amendment_id.in_(list(names)))
            .order_by(r_table.c.id)
        ):
            names[receipt.amendment_id].append(receipt.file_name)
    found = []
    for row in rows:
        data = conn.execute(select(t.blobs.c.data).where(t.blobs.c.sha256 == row.sha256))
        amendment = load_amendment(bytes(data.scalar_one()))
        found.append(StoredAmendment(row.sha256, sorted(set(names[row.id])), amendment))
    return found


def add_amendment(
    conn: Connection,
    raw: bytes,
    file: str,
    sender: str,
    received_at: str,
    *,
    latest_submission: Any,
) -> AmendmentAdded:
    """Store one amendment's bytes (inside the caller's write transaction).

    ``latest_submission(region, period)`` returns the region's latest stored
    :class:`~krat_core.format.models.Submission` or ``None``.
    """
    sha = hashlib.sha256(raw).hexdigest()
    try:
        amendment = load_amendment(raw, file)
    except KratError as exc:
        return AmendmentAdded("refused", sha, reason=exc.message, reason_sq=exc.texts["sq"])
    key: dict[str, Any] = {"region": amendment.region, "period": amendment.period}
    size = len(amendment.activities) + len(amendment.cancellations)
    a = t.amendments
    existing = conn.execute(select(a.c.id).where(a.c.sha256 == sha)).one_or_none()
    if existing is not None:
        _receipt(conn, existing.id, file, sender, received_at)
        return AmendmentAdded("identical", sha, size=size, **key)
    base = latest_submission(amendment.region, amendment.period)
    if base is None:
        reason = NO_BASE.both(region=amendment.region, period=amendment.period)
        return AmendmentAdded("refused", sha, reason=reason["en"], reason_sq=reason["sq"], **key)
    earlier = stored_amendments(
        conn, a.c.region == amendment.region, a.c.period == amendment.period
    )
    try:
        apply_amendments(base, [*(s.amendment for s in earlier), amendment])
    except KratError as exc:
        return AmendmentAdded("refused", sha, reason=exc.message, reason_sq=exc.texts["sq"], **key)
    if conn.execute(select(t.blobs.c.sha256).where(t.blobs.c.sha256 == sha)).first() is None:
        conn.execute(insert(t.blobs), {"sha256": sha, "size": len(raw), "data": raw})
    amendment_id = conn.execute(
        insert(a).returning(a.c.id),
        {
            "sha256": sha,
            **key,
            "amended_at": amendment.amended_at.isoformat(),
            "amended_utc": utc_text(amendment.amended_at),
            "submitted_by": amendment.submitted_by.model_dump_json(),
            "schema_version": amendment.schema_version,
            "activities": len(amendment.activities),
            "cancellations": len(amendment.cancellations),
            "added_at": received_at,
        },
    ).scalar_one()
    _receipt(conn, amendment_id, file, sender, received_at)
    return AmendmentAdded("new", sha, size=size, **key)


def amendment_history(conn: Connection, region: str, period: str) -> list[AmendmentInfo]:
    """Every amendment of ``region`` and ``period``, in the order they apply."""
    a = t.amendments
    return [
        AmendmentInfo(
            s.sha256,
            region,
            period,
            s.amendment.amended_at.isoformat(),
            len(s.amendment.activities),
            len(s.amendment.cancellations),
            s.names,
        )
        for s in stored_amendments(conn, a.c.region == region, a.c.period == period)
    ]


def amendments_of(conn: Connection, periods: Iterable[str]) -> list[StoredAmendment]:
    """The stored amendments of ``periods``."""
    return stored_amendments(conn, t.amendments.c.period.in_(list(periods)))


def _receipt(conn: Connection, amendment_id: int, file: str, sender: str, received_at: str) -> None:
    conn.execute(
        insert(t.amendment_receipts),
        {
            "amendment_id": amendment_id,
            "file_name": file,
            "sender": sender,
            "received_at": received_at,
        },
    )


def amendment_damage(conn: Connection, bad_blobs: set[str]) -> list[tuple[str, str, str, str]]:
    """Amendment rows that do not match their stored bytes: (code, where, detail, problem).

    ``code`` is a :class:`~krat_core.archive.core.Damage` code: ``bytes``,
    ``unreadable`` or ``column``.

    ``bad_blobs`` are the blobs already found damaged (their rows are reported
    as damaged bytes). Checks that the bytes still read as an amendment and
    that the row's columns are what they say.
    """
    found: list[tuple[str, str, str, str]] = []
    for row in conn.execute(select(t.amendments).order_by(t.amendments.c.id)):
        where = f"amendment {row.region} {row.period} {row.sha256[:12]}"
        if row.sha256 in bad_blobs:
            found.append(("bytes", where, "", "its stored bytes are damaged"))
            continue
        data = conn.execute(select(t.blobs.c.data).where(t.blobs.c.sha256 == row.sha256))
        raw = data.scalar_one_or_none()
        if raw is None:
            found.append(("bytes", where, "", "its bytes are missing"))
            continue
        try:
            amendment = load_amendment(bytes(raw))
        except KratError as exc:
            found.append(("unreadable", where, exc.message, f"it no longer reads: {exc.message}"))
            continue
        expected = {
            "region": amendment.region,
            "period": amendment.period,
            "amended_utc": utc_text(amendment.amended_at),
            "activities": len(amendment.activities),
            "cancellations": len(amendment.cancellations),
        }
        for key, value in expected.items():
            if getattr(row, key) != value:
                found.append(("column", where, key, f"column {key!r} does not match the document"))
    return found
