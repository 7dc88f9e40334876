"""Backup and restore: a folder of canonical files plus a manifest.

Layout of a backup folder::

    manifest.json                      what is in the folder (below)
    canonical/AL-02_2024_<sha12>.json  each version's canonical form (current format)
    originals/<sha256>.json            the bytes as received, only where they differ

``manifest.json`` (canonical JSON) lists every version in the order it was
added, with its SHA-256s, validation summary, when it was added and every
receipt (file name, sender, time). Restoring re-adds the versions in that
order, checks every file against its SHA-256 and re-derives the record rows,
so the restored archive exports byte-identically. The folder is written
atomically (all or nothing), readable by its owner only.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import func, select

from krat_core.archive import schema as t
from krat_core.archive.engine import reading, writing
from krat_core.archive.records import prepare
from krat_core.errors import ArchiveError, KratError, os_reason
from krat_core.messages import Message

if TYPE_CHECKING:
    from krat_core.archive.core import ArchiveCore

__all__ = ["BACKUP_FORMAT", "read_backup", "write_backup"]

MANIFEST_DAMAGED = Message(
    sq="manifesti është i dëmtuar ({error})", en="the manifest is damaged ({error})"
)
AMENDMENT_REFUSED = Message(sq="{file}: {reason}", en="{file}: {reason}")
"""A calendar amendment of the backup that the archive refused (the reason is the archive's)."""
OUTSIDE_THE_BACKUP = Message(
    sq="manifesti emërton një skedar jashtë kopjes rezervë: {name}",
    en="the manifest names a file outside the backup: {name}",
)
CANNOT_READ_NAME = Message(
    sq="{name} nuk mund të lexohet: {reason}", en="cannot read {name}: {reason}"
)
FILE_DAMAGED = Message(
    sq="skedari {name} është i dëmtuar: SHA-256 nuk përputhet",
    en="{name} is damaged: its SHA-256 does not match",
)
MANIFEST_UNREADABLE = Message(
    sq="nuk është kopje rezervë: manifest.json nuk mund të lexohet ({reason})",
    en="not a backup: cannot read manifest.json ({reason})",
)
MANIFEST_NOT_JSON = Message(
    sq="nuk është kopje rezervë: manifest.json nuk është JSON",
    en="not a backup: manifest.json is not JSON",
)
MANIFEST_WRONG_FORMAT = Message(
    sq="nuk është kopje rezervë: manifest.json nuk është {format}",
    en="not a backup: manifest.json is not a {format}",
)
BACKUP_VERSION_UNSUPPORTED = Message(
    sq="versioni {version} i kopjes rezervë nuk mbështetet",
    en="backup version {version} is not supported",
)
RESTORE_NEEDS_EMPTY = Message(
    sq="rikthimi kërkon një arkiv bosh: ky përmban dorëzime",
    en="restore needs an empty archive: this one holds submissions",
)
NOT_THE_VERSION = Message(
    sq="skedari {name} nuk është versioni që emërton manifesti",
    en="{name} is not the version the manifest names",
)
NOT_CANONICAL_FORM = Message(
    sq="skedari {name} nuk është forma kanonike e origjinalit të vet",
    en="{name} is not the canonical form of its original",
)
BACKUP_FORMAT = "krat-archive-backup"
_BACKUP_VERSION = 1
_AMENDMENTS_BACKUP_VERSION = 2
"""A backup holding calendar amendments (an ``amendments`` list): an older krat,
which would restore the versions and drop the amendments, refuses it instead."""


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(mode=0o700, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o600)


def write_backup(archive: ArchiveCore, folder: Path) -> int:
    """Write the backup of ``archive`` to ``folder`` (replaced if it exists); return versions."""
    from krat_core.atomic import atomic_path
    from krat_core.format.canonical import dump_json

    entries: list[dict[str, Any]] = []
    with reading(archive.engine) as conn, atomic_path(folder, directory=True) as tmp:
        tmp.chmod(0o700)
        receipts: dict[int, list[dict[str, str]]] = {}
        for r in conn.execute(select(t.receipts).order_by(t.receipts.c.id)):
            receipts.setdefault(r.version_id, []).append(
                {"file": r.file_name, "sender": r.sender, "received_at": r.received_at}
            )
        for v in conn.execute(select(t.versions).order_by(t.versions.c.id)):
            canonical_name = f"canonical/{v.region}_{v.period}_{v.sha256[:12]}.json"
            canonical = archive._canonical(conn, v.canonical_sha256)
            _write(tmp / canonical_name, canonical)
            original_name = None
            if v.canonical_sha256 != v.sha256:
                original_name = f"originals/{v.sha256}.json"
                _write(tmp / original_name, archive._canonical(conn, v.sha256))
            entries.append(
                {
                    "sha256": v.sha256,
                    "canonical_sha256": v.canonical_sha256,
                    "canonical": canonical_name,
                    "original": original_name,
                    "region": v.region,
                    "period": v.period,
                    "added_at": v.added_at,
                    "validation": None
                    if not v.validated
                    else {
                        "valid": bool(v.valid),
                        "errors": v.errors,
                        "warnings": v.warnings,
                        "infos": v.infos,
                    },
                    "receipts": receipts.get(v.id, []),
                }
            )
        manifest: dict[str, Any] = {
            "format": BACKUP_FORMAT,
            "version": _BACKUP_VERSION,
            "versions": entries,
        }
        amendments = _amendment_entries(conn, tmp)
        if amendments:
            manifest["amendments"] = amendments
            manifest["version"] = _AMENDMENTS_BACKUP_VERSION
        releases = _release_entries(conn)
        if releases:  # the release register (issue 12): a restored archive audits as before
            manifest["releases"] = releases
            manifest["version"] = _AMENDMENTS_BACKUP_VERSION
        _write(tmp / "manifest.json", dump_json(manifest))
    return len(entries)


def _amendment_entries(conn: Any, tmp: Path) -> list[dict[str, Any]]:
    """The calendar amendments, as files under ``amendments/`` and manifest entries."""
    receipts: dict[int, list[dict[str, str]]] = {}
    for r in conn.execute(select(t.amendment_receipts).order_by(t.amendment_receipts.c.id)):
        receipts.setdefault(r.amendment_id, []).append(
            {"file": r.file_name, "sender": r.sender, "received_at": r.received_at}
        )
    entries = []
    for a in conn.execute(select(t.amendments).order_by(t.amendments.c.id)):
        name = f"amendments/{a.region}_{a.period}_{a.sha256[:12]}.json"
        data = conn.execute(select(t.blobs.c.data).where(t.blobs.c.sha256 == a.sha256))
        _write(tmp / name, bytes(data.scalar_one()))
        entries.append({"sha256": a.sha256, "file": name, "receipts": receipts.get(a.id, [])})
    return entries


def _release_entries(conn: Any) -> list[dict[str, Any]]:
    """The archive's release register, oldest first, as manifest entries."""
    from dataclasses import asdict

    from krat_core.archive.releases import read_releases

    return [asdict(record) for record in read_releases(conn)]


def _restore_releases(conn: Any, folder: Path, entries: Any) -> None:
    from krat_core.archive.releases import append_release
    from krat_core.reporting.register import record_from_dict

    for entry in entries:
        try:
            record = record_from_dict(entry)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ArchiveError(MANIFEST_DAMAGED.both(error=repr(exc)), source=folder) from None
        append_release(conn, record)


def _restore_amendments(archive: ArchiveCore, conn: Any, folder: Path, entries: Any) -> None:
    from krat_core.archive.amendments import add_amendment

    for entry in entries:
        try:
            raw = _read(folder, entry["file"], entry["sha256"])
            receipts = entry["receipts"]
        except (KeyError, TypeError) as exc:
            raise ArchiveError(MANIFEST_DAMAGED.both(error=repr(exc)), source=folder) from None
        for r in receipts:
            done = add_amendment(
                conn,
                raw,
                r["file"],
                r["sender"],
                r["received_at"],
                latest_submission=lambda region, period: archive._latest(conn, region, period),
            )
            if done.status == "refused":
                raise ArchiveError(
                    AMENDMENT_REFUSED.both(
                        file=entry["file"],
                        reason={"sq": done.reason_sq or done.reason, "en": done.reason},
                    ),
                    source=folder,
                )


def _read(folder: Path, name: str, sha: str) -> bytes:
    path = folder / name
    if ".." in Path(name).parts or Path(name).is_absolute():
        raise ArchiveError(OUTSIDE_THE_BACKUP.both(name=name), source=folder)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArchiveError(
            CANNOT_READ_NAME.both(name=name, reason=os_reason(exc)), source=folder
        ) from None
    if hashlib.sha256(data).hexdigest() != sha:
        raise ArchiveError(FILE_DAMAGED.both(name=name), source=folder)
    return data


def read_backup(archive: ArchiveCore, folder: Path) -> int:
    """Restore the backup in ``folder`` into ``archive``, which must be empty; return versions.

    Everything is checked before anything is stored, in one transaction: a
    damaged backup leaves the archive empty.
    """
    from krat_core.archive.core import Validation

    try:
        manifest = orjson.loads((folder / "manifest.json").read_bytes())
    except OSError as exc:
        raise ArchiveError(MANIFEST_UNREADABLE.both(reason=os_reason(exc)), source=folder) from None
    except orjson.JSONDecodeError:
        raise ArchiveError(MANIFEST_NOT_JSON.both(), source=folder) from None
    if not isinstance(manifest, dict) or manifest.get("format") != BACKUP_FORMAT:
        raise ArchiveError(MANIFEST_WRONG_FORMAT.both(format=BACKUP_FORMAT), source=folder)
    if manifest.get("version") not in (_BACKUP_VERSION, _AMENDMENTS_BACKUP_VERSION):
        raise ArchiveError(
            BACKUP_VERSION_UNSUPPORTED.both(version=repr(manifest.get("version"))), source=folder
        )
    with writing(archive.engine) as conn:
        if conn.execute(select(func.count()).select_from(t.versions)).scalar_one():
            raise ArchiveError(RESTORE_NEEDS_EMPTY.both())
        for entry in manifest["versions"]:
            try:
                canonical = _read(folder, entry["canonical"], entry["canonical_sha256"])
                original = (
                    canonical
                    if entry["original"] is None
                    else _read(folder, entry["original"], entry["sha256"])
                )
                if hashlib.sha256(original).hexdigest() != entry["sha256"]:
                    raise ArchiveError(NOT_THE_VERSION.both(name=entry["canonical"]))
                prepared = prepare(original)
            except (KeyError, TypeError) as exc:
                raise ArchiveError(MANIFEST_DAMAGED.both(error=repr(exc)), source=folder) from None
            except KratError as exc:
                raise ArchiveError(exc.texts, source=folder) from None
            if prepared.canonical != canonical:
                raise ArchiveError(NOT_CANONICAL_FORM.both(name=entry["canonical"]), source=folder)
            summary = entry["validation"]
            validation = None if summary is None else Validation(**summary)
            receipts = entry["receipts"] or [
                {"file": "submission.json", "sender": "", "received_at": entry["added_at"]}
            ]
            first, *more = receipts
            archive._add(
                conn,
                prepared,
                first["file"],
                first["sender"],
                validation,
                first["received_at"],
                entry["added_at"],
            )
            for r in more:
                archive._add(conn, prepared, r["file"], r["sender"], validation, r["received_at"])
        _restore_amendments(archive, conn, folder, manifest.get("amendments", []))
        _restore_releases(conn, folder, manifest.get("releases", []))
    return len(manifest["versions"])
