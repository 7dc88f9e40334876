"""Alembic environment of the archive: runs on the connection the archive opened.

The archive calls ``alembic upgrade head`` itself when it opens a database
(:func:`krat_core.archive.engine.upgrade`), passing its connection in
``config.attributes["connection"]``, inside the transaction that holds the
archive's write lock, so two processes opening a new archive at once migrate it once.
"""

from __future__ import annotations

from alembic import context

from krat_core.archive.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the archive always passes its connection
    raise RuntimeError("the archive's migrations run through krat_core.archive only")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
