"""Format versions: the policy, and the chain that migrates older submissions forward.

The version policy of the exchange format (``schema_version``, semantic versioning):

* **Patch** (1.0.0 -> 1.0.1): corrections to descriptions and documentation only;
  every document stays valid both ways.
* **Minor** (1.0 -> 1.1): additive. New optional fields or new code-list values;
  nothing is removed or renamed and no meaning changes. Every 1.0 document is a
  valid 1.1 document, so migrating it only raises its ``schema_version``. A
  reader of an older minor reads a newer document unless it uses something the
  reader does not know; then the reader refuses it clearly, naming the field
  (unknown fields are never dropped silently).
* **Major** (1.x -> 2.0): anything else (a field renamed, removed, split or
  changed in meaning). A reader refuses an unknown major with
  :class:`~krat_core.errors.SchemaVersionError`; every major comes with a
  :class:`MigrationStep` from the previous major, so a document of any earlier
  released version migrates to the current one through the chain.

Migrating is idempotent: a current document is returned unchanged, and
migrating a migrated document again changes nothing.

Released versions of the submission format: see :data:`RELEASED_VERSIONS`
(each one has a fixture in ``tests/data/format-versions/``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from krat_core.errors import FormatError, SchemaVersionError
from krat_core.format.canonical import (
    BAD_SCHEMA_VERSION,
    WRONG_FORMAT,
    _read_source,
    invalid_fields,
    load_submission,
    parse_json,
)
from krat_core.format.models import SCHEMA_VERSION, Submission
from krat_core.messages import Message

__all__ = [
    "MIGRATIONS",
    "RELEASED_VERSIONS",
    "Migrated",
    "MigrationStep",
    "migrate_document",
    "migrate_submission",
    "parse_version",
]

RELEASED_VERSIONS: tuple[str, ...] = ("1.0.0", "1.1.0")
"""Every released version of the submission format, oldest first."""

NO_MIGRATION = Message(
    sq="schema_version {version} nuk mund të migrohet: nuk ka migrim nga versioni kryesor {major}",
    en="schema_version {version} cannot be migrated: no migration from major version {major}",
)
NEWER_THAN_LIBRARY = Message(
    sq="schema_version {version} është më i ri se kjo bibliotekë ({current}): përditësoni "
    "krat për ta lexuar",
    en="schema_version {version} is newer than this library ({current}): upgrade krat to read it",
)
NOT_A_SUBMISSION_OBJECT = Message(
    sq="pritej një objekt JSON me format 'krat-submission'",
    en="expected a JSON object with format 'krat-submission'",
)

_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


@dataclass(frozen=True, slots=True)
class MigrationStep:
    """Upgrades a document of major version ``source_major`` to ``target`` (the next major).

    ``upgrade`` takes the parsed JSON object and returns a new one; it must not
    change its argument.
    """

    source_major: int
    target: str
    upgrade: Callable[[dict[str, Any]], dict[str, Any]]
    description: str


MIGRATIONS: Mapping[int, MigrationStep] = {}
"""The chain, by the major version each step starts from.

Empty while 1 is the only major ever released; a 2.0 release adds the step
from major 1 here (and its fixture), and every older document keeps loading.
"""


@dataclass(frozen=True, slots=True)
class Migrated:
    """A submission after migration, with where it came from.

    ``original_version`` is the document's ``schema_version`` as received;
    ``steps`` the descriptions of the major steps applied (empty for 1.x);
    ``changed`` whether the migrated document differs from the original.
    """

    submission: Submission
    original_version: str
    steps: list[str] = field(default_factory=list)
    changed: bool = False


def parse_version(version: object) -> tuple[int, int, int]:
    """``"1.2.3"`` as ``(1, 2, 3)``; anything else raises :class:`SchemaVersionError`."""
    match = _VERSION.match(version) if isinstance(version, str) else None
    if match is None:
        raise SchemaVersionError(BAD_SCHEMA_VERSION.both(found=repr(version)))
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


def migrate_document(
    data: dict[str, Any],
    *,
    migrations: Mapping[int, MigrationStep] | None = None,
    current: str = SCHEMA_VERSION,
) -> tuple[dict[str, Any], list[str]]:
    """Migrate a parsed submission (a JSON object) to the ``current`` version.

    Returns the migrated object (a new one when anything changed) and the
    descriptions of the major steps applied. An older minor of the current
    major only gets the current ``schema_version``; a newer minor is left as it
    is (the models refuse what they do not know). Raises
    :class:`SchemaVersionError` for a newer major or a major with no migration.
    """
    chain = MIGRATIONS if migrations is None else migrations
    if data.get("format") != "krat-submission":
        raise FormatError(
            WRONG_FORMAT.both(found=repr(data.get("format")), expected="'krat-submission'")
        )
    target = parse_version(current)
    version = parse_version(data.get("schema_version", current))
    steps: list[str] = []
    while version[0] < target[0]:
        step = chain.get(version[0])
        if step is None:
            raise SchemaVersionError(
                NO_MIGRATION.both(version=".".join(map(str, version)), major=version[0])
            )
        data = step.upgrade(data)
        steps.append(step.description)
        version = parse_version(step.target)
        data = {**data, "schema_version": step.target}
    if version[0] > target[0]:
        raise SchemaVersionError(
            NEWER_THAN_LIBRARY.both(version=".".join(map(str, version)), current=current)
        )
    if version < target:
        data = {**data, "schema_version": current}
    return data, steps


def migrate_submission(
    source: bytes | Path,
    *,
    migrations: Mapping[int, MigrationStep] | None = None,
    current: str = SCHEMA_VERSION,
) -> Migrated:
    """Read a submission of any released version and migrate it to the current one.

    ``source`` is the document's bytes or a path. A current document is read
    in one pass; an older one is parsed, migrated and then validated by the
    models. Raises :class:`FormatError` (or :class:`SchemaVersionError`) for
    anything that is not a submission of a known version.
    """
    raw, name = _read_source(source)
    fast_error: FormatError | None = None
    if migrations is None and current == SCHEMA_VERSION:
        try:
            submission = load_submission(raw)
        except SchemaVersionError:
            raise
        except FormatError as exc:
            fast_error = exc
        else:
            original = submission.schema_version
            if parse_version(original) < parse_version(current):
                submission = submission.model_copy(update={"schema_version": current})
            return Migrated(submission, original, [], original != submission.schema_version)
    data = parse_json(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw, name=name)
    if not isinstance(data, dict):
        raise FormatError(NOT_A_SUBMISSION_OBJECT.both(), source=name)
    original = data.get("schema_version", current)
    try:
        migrated, steps = migrate_document(data, migrations=migrations, current=current)
    except FormatError as exc:
        raise type(exc)(exc.texts, source=name) from None
    if not steps and fast_error is not None:
        raise fast_error  # not a migration problem: the document itself is wrong
    from pydantic import ValidationError

    try:
        submission = Submission.model_validate(migrated)
    except ValidationError as exc:
        raise FormatError(invalid_fields(exc), source=name) from None
    return Migrated(submission, str(original), steps, migrated != data or bool(steps))
