"""The release register: what has been published, so a revision is audited against it.

Every public release that ``krat report`` writes (Word, Excel, CSV tables) is
recorded: in the archive's ``releases`` table when the report is made with an
archive (:meth:`krat_core.archive.Archive.releases`, revision 0003), otherwise
in ``krat-releases.jsonl`` next to the output: one JSON object per line,
appended, never rewritten::

    {"audience": "public", "cells": {"cases.total": "111", ...}, "created": "2025-02-10T09:00:00Z",
     "digest": "sha256:...", "output": "analiza-2024.docx", "period": "2024",
     "scope": "national", "threshold": 5, "version": 1}

``cells`` are the people-counting cells the release printed, by stable name
(:func:`krat_core.reporting.release.cell_key`): the number as text or the
marker ("x"; registers written before the one marker may hold "<5").
``digest`` is the SHA-256 of the canonical JSON of the cells. ``krat report``
records public releases only (a committee output is not a publication); a
:class:`ReleaseRecord` made for another audience keeps no cells (its counts are
exact and confidential), only their digest.

A new public release of a period and scope already published is compared with
every earlier public release of it (:func:`revision_changes`). A reader holding
both could subtract them: a cell that changed by fewer than N people (or that
was hidden in one of them and shown in the other) would single out the people
added or removed. Such a revision is held back
(:class:`~krat_core.errors.ReleaseHeldBack`): the earlier release stands, and
the caller says so. Cells hidden in both are then audited jointly: what a
reader of both releases can prove about them
(:func:`krat_core.reporting.revision.narrowed_by_revision`; ``krat report``
holds a revision back when it narrows a hidden cell below N values).
Publishing the same figures again (another format, another language) is always
allowed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from krat_core.errors import ReleaseHeldBack, ReleaseRegisterError
from krat_core.messages import Message, Plural, format_datetime

__all__ = [
    "REGISTER_NAME",
    "ReleaseRecord",
    "append_release",
    "cells_digest",
    "cells_json",
    "check_revision",
    "read_register",
    "record_from_dict",
    "revision_changes",
]

REGISTER_UNREADABLE = Message(
    sq="regjistri i publikimeve nuk mund të lexohet: {error}",
    en="cannot read the release register: {error}",
)
NOT_A_RECORD = Message(
    sq="rreshti {number} i regjistrit të publikimeve nuk është regjistrim publikimi",
    en="line {number} of the release register is not a release record",
)
REGISTER_UNWRITABLE = Message(
    sq="regjistrit të publikimeve nuk mund t'i shtohet: {error}",
    en="cannot append to the release register: {error}",
)
HELD_BACK = Message(
    sq=Plural(
        one="{n} qelizë e publikuar do të ndryshonte me më pak se {threshold} persona nga "
        "publikimi i {created} ({output}); publikimi i mëparshëm mbetet në fuqi",
        other="{n} qeliza të publikuara do të ndryshonin me më pak se {threshold} persona nga "
        "publikimi i {created} ({output}); publikimi i mëparshëm mbetet në fuqi",
    ),
    en=Plural(
        one="{n} published cells would change by fewer than {threshold} "
        "people from the release of {created} ({output}); the earlier release stands",
        other="{n} published cells would change by fewer than {threshold} "
        "people from the release of {created} ({output}); the earlier release stands",
    ),
)

REGISTER_NAME = "krat-releases.jsonl"
"""The register's file name, in the folder of the outputs."""

VERSION = 1


def cells_json(cells: Mapping[str, str]) -> str:
    """The canonical JSON of ``cells``: sorted keys, compact, UTF-8 text."""
    return json.dumps(dict(cells), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def cells_digest(cells: Mapping[str, str]) -> str:
    """``sha256:`` and the hex digest of the canonical JSON of ``cells``."""
    return "sha256:" + hashlib.sha256(cells_json(cells).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ReleaseRecord:
    """One release: what was published, for whom, when and in which file."""

    period: str
    scope: str
    """"national" or the region code of a regional report."""
    audience: str
    threshold: int | None
    output: str
    digest: str
    created: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    cells: dict[str, str] | None = None
    version: int = VERSION

    @classmethod
    def of(
        cls,
        cells: Mapping[str, str],
        *,
        period: str,
        scope: str,
        audience: str,
        threshold: int | None,
        output: str,
    ) -> ReleaseRecord:
        """A record of a release that printed ``cells`` (kept only for the public)."""
        return cls(
            period=period,
            scope=scope,
            audience=audience,
            threshold=threshold,
            output=output,
            digest=cells_digest(cells),
            cells=dict(cells) if audience == "public" else None,
        )


def read_register(folder: str | os.PathLike[str]) -> list[ReleaseRecord]:
    """Every release recorded in ``folder``'s register, oldest first (none: empty).

    Raises :class:`~krat_core.errors.ReleaseRegisterError` if a line is not a record.
    """
    path = Path(folder) / REGISTER_NAME
    if not path.exists():
        return []
    out: list[ReleaseRecord] = []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReleaseRegisterError(REGISTER_UNREADABLE.both(error=exc), source=path) from None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(record_from_dict(json.loads(line)))
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ReleaseRegisterError(NOT_A_RECORD.both(number=number), source=path) from None
    return out


def record_from_dict(raw: Mapping[str, object]) -> ReleaseRecord:
    """A :class:`ReleaseRecord` from its JSON object (a register line or an archive row).

    Raises ValueError, KeyError, TypeError or AttributeError if it is not one.
    """
    cells = raw.get("cells")
    threshold = raw.get("threshold")
    if threshold is not None and not isinstance(threshold, int):
        raise TypeError("threshold")
    version = raw.get("version", VERSION)
    return ReleaseRecord(
        period=str(raw["period"]),
        scope=str(raw["scope"]),
        audience=str(raw["audience"]),
        threshold=threshold,
        output=str(raw["output"]),
        digest=str(raw["digest"]),
        created=str(raw["created"]),
        cells={str(k): str(v) for k, v in cells.items()} if isinstance(cells, dict) else None,
        version=int(version) if isinstance(version, int | str) else VERSION,
    )


def append_release(folder: str | os.PathLike[str], record: ReleaseRecord) -> Path:
    """Append ``record`` to ``folder``'s register (created private if missing) and
    flush it to disk. Earlier lines are never rewritten."""
    path = Path(folder) / REGISTER_NAME
    line = json.dumps(asdict(record), sort_keys=True, ensure_ascii=False) + "\n"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise ReleaseRegisterError(REGISTER_UNWRITABLE.both(error=exc), source=path) from None
    return path


def _moment_sq(created: str) -> str:
    """A register's ``created`` (ISO 8601, UTC) as Albanian text: ``10.02.2025 09:00 UTC``."""
    try:
        moment = datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return created
    return format_datetime(moment, "sq") + " UTC"


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def revision_changes(
    new: Mapping[str, str], earlier: Mapping[str, str], threshold: int
) -> list[str]:
    """The cells whose change from ``earlier`` to ``new`` could single out fewer than
    ``threshold`` people, by name.

    A cell not printed counts as 0 (a row without cases is left out). Shown in
    both: the change must be 0 or at least ``threshold``. Hidden in one and
    shown in the other: a change (a change involving a hidden count cannot be
    shown to be large). Hidden in both (whatever the marker: an earlier
    register may hold "<5" where the release now prints "x"): not a change by
    itself; what a reader of both can prove about it is the joint audit's
    (:func:`krat_core.reporting.revision.narrowed_by_revision`).
    """
    out: list[str] = []
    for key in sorted(set(new) | set(earlier)):
        a, b = earlier.get(key, "0"), new.get(key, "0")
        if a == b:
            continue
        x, y = _number(a), _number(b)
        if x is None and y is None:
            continue
        if x is None or y is None or abs(x - y) < threshold:
            out.append(key)
    return out


def check_revision(
    cells: Mapping[str, str],
    earlier: Sequence[ReleaseRecord],
    *,
    period: str,
    scope: str,
    threshold: int,
) -> list[ReleaseRecord]:
    """The earlier public releases of ``period`` and ``scope``; raise
    :class:`~krat_core.errors.ReleaseHeldBack` if ``cells`` differ from one of them in
    a way that singles out fewer than ``threshold`` people."""
    same = [
        r
        for r in earlier
        if r.period == period and r.scope == scope and r.audience == "public" and r.cells
    ]
    for record in same:
        changed = revision_changes(cells, record.cells or {}, threshold)
        if changed:
            raise ReleaseHeldBack(
                HELD_BACK.both(
                    n=len(changed),
                    threshold=threshold,
                    created={"sq": _moment_sq(record.created), "en": record.created},
                    output=record.output,
                ),
                changed=changed,
                earlier=record,
            )
    return same
