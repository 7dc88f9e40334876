"""Opening an archive database: where it is, its engine, its write lock, its migrations.

* A path (or ``sqlite:///path``) is an SQLite file, created with mode 0600
  (it holds record-level data). Every write transaction starts with
  ``BEGIN IMMEDIATE`` so two writers never interleave: the second waits (up to
  :data:`BUSY_TIMEOUT` seconds) for the first to commit.
* ``postgresql://...`` (or ``postgresql+psycopg://...``) is a PostgreSQL
  server through psycopg 3. Write transactions take a transaction-scoped
  advisory lock, so concurrent writers queue in the same way.
* The schema is brought to the newest Alembic revision on every open, inside
  a write transaction, so two processes opening a new archive migrate it once.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from krat_core.errors import ArchiveError, os_reason
from krat_core.messages import Message

__all__ = [
    "BUSY_TIMEOUT",
    "ENV_VAR",
    "archive_url",
    "create_archive_engine",
    "reading",
    "upgrade",
    "writing",
]

NO_ARCHIVE_GIVEN = Message(
    sq="nuk u dha arkiv: emërtoni një skedar ose një URL baze të dhënash, ose vendosni {env}",
    en="no archive given: name a file or a database URL, or set {env}",
)
EMPTY_PATH = Message(sq="shtegu i arkivit është bosh", en="the archive path is empty")
IN_MEMORY = Message(
    sq="një arkiv në memorie do të humbiste në dalje: emërtoni një skedar",
    en="an archive in memory would be lost on exit: name a file",
)
UNSUPPORTED_DATABASE = Message(
    sq="baza e të dhënave {scheme} nuk mbështetet: përdorni një shteg skedari, "
    "sqlite:///FILE ose postgresql://...",
    en="unsupported database {scheme}: use a file path, sqlite:///FILE or postgresql://...",
)
CANNOT_CREATE = Message(
    sq="arkivi nuk mund të krijohet: {reason}", en="cannot create the archive: {reason}"
)
NOT_A_URL = Message(sq="nuk është URL baze të dhënash: {error}", en="not a database URL: {error}")
NEEDS_PSYCOPG = Message(
    sq="PostgreSQL kërkon drajverin psycopg (mungon {missing}): instaloni krat[postgres]",
    en="PostgreSQL needs the driver psycopg ({missing} is missing): install krat[postgres]",
)
DATABASE_FAILED = Message(
    sq="baza e të dhënave e arkivit dështoi: {error}",
    en="the archive database failed: {error}",
)
ENV_VAR = "KRAT_ARCHIVE"
"""The environment variable naming the archive when none is given."""

BUSY_TIMEOUT = 120.0
"""Seconds an SQLite writer waits for another writer to finish before giving up."""

_LOCK_KEY = 0x4B524154  # "KRAT": the advisory lock of PostgreSQL writers
_WRITE = "krat_write"


def archive_url(target: str | os.PathLike[str] | None) -> str:
    """The SQLAlchemy URL for ``target``: a path, an SQLite or PostgreSQL URL, or ``None``.

    ``None`` reads :data:`ENV_VAR`. ``postgresql://`` and ``postgres://`` use psycopg 3.
    Raises :class:`ArchiveError` when there is no target or the URL is not supported.
    """
    if target is None:
        target = os.environ.get(ENV_VAR) or None
        if target is None:
            raise ArchiveError(NO_ARCHIVE_GIVEN.both(env=ENV_VAR))
    value = os.fspath(target)
    if "://" not in value:
        if not value.strip():
            raise ArchiveError(EMPTY_PATH.both())
        return "sqlite+pysqlite:///" + str(Path(value).expanduser().absolute())
    scheme, _, rest = value.partition("://")
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        return "postgresql+psycopg://" + rest
    if scheme in ("sqlite", "sqlite+pysqlite"):
        if rest in ("", "/", "/:memory:"):
            raise ArchiveError(IN_MEMORY.both())
        return "sqlite+pysqlite://" + rest
    raise ArchiveError(UNSUPPORTED_DATABASE.both(scheme=repr(scheme)))


def _create_sqlite_file(path: Path) -> None:
    """Create an empty database file readable by its owner only (0600), if it does not exist."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise ArchiveError(CANNOT_CREATE.both(reason=os_reason(exc)), source=path) from None
    os.close(fd)


def create_archive_engine(target: str | os.PathLike[str] | None) -> Engine:
    """An engine for the archive at ``target`` (see :func:`archive_url`), not yet migrated."""
    url_text = archive_url(target)
    try:
        url = make_url(url_text)
    except ArgumentError as exc:
        raise ArchiveError(NOT_A_URL.both(error=exc)) from None
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        _create_sqlite_file(Path(database))
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT}, poolclass=NullPool)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise ArchiveError(NEEDS_PSYCOPG.both(missing=exc.name)) from None


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (the driver's own would be DEFERRED).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get(_WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction holding the archive's write lock; commits on success, else rolls back.

    Writers queue: on SQLite ``BEGIN IMMEDIATE`` (with a busy timeout), on
    PostgreSQL ``pg_advisory_xact_lock``. An exception inside the block leaves
    the database exactly as it was.
    """
    from sqlalchemy.exc import OperationalError

    try:
        with engine.connect() as conn:
            conn.execution_options(**{_WRITE: True})
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
                yield conn
    except OperationalError as exc:
        raise ArchiveError(DATABASE_FAILED.both(error=exc.orig or exc)) from None


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A read transaction: one consistent view of the archive."""
    from sqlalchemy.exc import OperationalError

    try:
        with engine.connect() as conn, conn.begin():
            yield conn
    except OperationalError as exc:
        raise ArchiveError(DATABASE_FAILED.both(error=exc.orig or exc)) from None


def alembic_config() -> Any:
    """The Alembic configuration of the archive's migrations (shipped in this package)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "krat_core.archive:migrations")
    return config


def upgrade(engine: Engine) -> None:
    """Bring the archive's schema to the newest migration (``alembic upgrade head``)."""
    from alembic import command
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = alembic_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    with reading(engine) as conn:  # the common case: already at head, no write lock needed
        if MigrationContext.configure(conn).get_current_revision() == head:
            return
    with writing(engine) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
