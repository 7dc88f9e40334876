"""The archive's database backends for tests: SQLite always, PostgreSQL when available.

``KRAT_TEST_POSTGRES_URL`` names a PostgreSQL server where the tests may
create and drop databases (``.ci/start-postgres`` starts a throwaway one);
each test gets a database of its own, so tests can run in parallel.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_ENV = "KRAT_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]


def _psycopg_url(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return "postgresql+psycopg://" + rest if scheme in ("postgresql", "postgres") else url


def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """Yield a fresh, empty archive location for ``backend``; drop it afterwards."""
    if backend == "sqlite":
        yield str(tmp_path / "archive.sqlite")
        return
    server = os.environ.get(PG_ENV)
    if not server:
        pytest.skip(
            f'no PostgreSQL server: set {PG_ENV} (e.g. eval "$(.ci/start-postgres)") '
            "to run the archive tests against PostgreSQL too"
        )
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    admin_url = make_url(_psycopg_url(server))
    name = f"krat_t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield admin_url.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()
