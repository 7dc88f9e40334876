"""The release register in the archive: the ``releases`` table (revision 0003).

When ``krat report`` works with an archive, each public release it writes is
recorded here instead of in ``krat-releases.jsonl`` next to the output, so a
re-publication from any folder or machine using the same archive is audited
against every earlier release of its period
(:func:`krat_core.reporting.register.check_revision`). Rows are appended, never
changed; ``cells`` is the canonical JSON of the printed people cells.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, insert, select

from krat_core.archive import schema as t
from krat_core.reporting.register import ReleaseRecord, cells_json, record_from_dict

__all__ = ["append_release", "read_releases"]


def append_release(conn: Connection, record: ReleaseRecord) -> None:
    """Insert ``record`` (inside the caller's write transaction)."""
    cells = None if record.cells is None else cells_json(record.cells)
    conn.execute(
        insert(t.releases).values(
            period=record.period,
            scope=record.scope,
            audience=record.audience,
            threshold=record.threshold,
            output=record.output,
            digest=record.digest,
            created=record.created,
            cells=cells,
            version=record.version,
        )
    )


def read_releases(conn: Connection) -> list[ReleaseRecord]:
    """Every release recorded in the archive, oldest first."""
    r = t.releases
    out = []
    for row in conn.execute(select(r).order_by(r.c.id)):
        raw = dict(row._mapping)
        raw["cells"] = json.loads(raw["cells"]) if raw["cells"] is not None else None
        out.append(record_from_dict(raw))
    return out
