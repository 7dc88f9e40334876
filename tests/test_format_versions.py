"""Format versions: every released version loads after migration; migration is idempotent."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings

from krat_core.errors import FormatError, SchemaVersionError
from krat_core.format.canonical import dump_submission, load_submission
from krat_core.format.migrate import (
    RELEASED_VERSIONS,
    MigrationStep,
    migrate_document,
    migrate_submission,
    parse_version,
)
from krat_core.format.models import SCHEMA_VERSION, Submission
from strategies import submissions

VERSIONS = Path(__file__).parent / "data" / "format-versions"
FIXTURES = sorted(VERSIONS.glob("*.json"), key=lambda p: parse_version(p.stem))


def test_every_released_version_has_a_fixture_and_the_current_one_is_released() -> None:
    assert [p.stem for p in FIXTURES] == list(RELEASED_VERSIONS)
    assert RELEASED_VERSIONS[-1] == SCHEMA_VERSION
    assert list(RELEASED_VERSIONS) == sorted(RELEASED_VERSIONS, key=parse_version)


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_each_released_version_loads_after_migration_and_migrating_is_idempotent(
    fixture: Path,
) -> None:
    migrated = migrate_submission(fixture)
    assert migrated.original_version == fixture.stem
    assert migrated.submission.schema_version == SCHEMA_VERSION
    assert migrated.submission.cases and migrated.submission.activities
    once = dump_submission(migrated.submission)
    again = migrate_submission(once)
    assert not again.changed and again.steps == []
    assert dump_submission(again.submission) == once
    assert load_submission(once) == migrated.submission
    document = orjson.loads(fixture.read_bytes())
    first, _ = migrate_document(copy.deepcopy(document))
    second, steps = migrate_document(copy.deepcopy(first))
    assert second == first and steps == []


@settings(max_examples=30)
@given(submissions(max_records=3))
def test_migrating_any_1x_document_is_idempotent(submission: Submission) -> None:
    raw = dump_submission(submission)
    once = migrate_submission(raw)
    twice = migrate_submission(dump_submission(once.submission))
    assert twice.submission == once.submission and not twice.changed
    # An older minor is raised to the current one; a newer minor is kept as it is.
    if parse_version(submission.schema_version) <= parse_version(SCHEMA_VERSION):
        assert once.submission.schema_version == SCHEMA_VERSION
    else:
        assert once.submission == submission


def _rename_step(data: dict[str, Any]) -> dict[str, Any]:
    """A made-up major step for the tests: 'activities' became 'events' in a 'major 2'."""
    out = {k: v for k, v in data.items() if k != "activities"}
    out["events"] = data.get("activities", [])
    return out


_CHAIN = {
    1: MigrationStep(1, "2.0.0", _rename_step, "activities -> events"),
    2: MigrationStep(2, "3.0.0", lambda d: {**d, "note": "3"}, "adds note"),
}


def test_the_chain_applies_each_major_step_in_order_and_only_once() -> None:
    document = orjson.loads(FIXTURES[0].read_bytes())
    migrated, steps = migrate_document(document, migrations=_CHAIN, current="3.0.0")
    assert steps == ["activities -> events", "adds note"]
    assert migrated["schema_version"] == "3.0.0" and migrated["note"] == "3"
    assert migrated["events"] == document["activities"] and "activities" not in migrated
    assert document["schema_version"] == "1.0.0"  # the input is not changed
    again, more = migrate_document(migrated, migrations=_CHAIN, current="3.0.0")
    assert again == migrated and more == []
    middle, steps = migrate_document(document, migrations=_CHAIN, current="2.0.0")
    assert steps == ["activities -> events"] and middle["schema_version"] == "2.0.0"


def test_a_major_without_a_step_or_a_newer_major_is_refused_clearly() -> None:
    document = orjson.loads(FIXTURES[0].read_bytes())
    with pytest.raises(SchemaVersionError, match="no migration from major version 1"):
        migrate_document(document, migrations={}, current="2.0.0")
    newer = {**document, "schema_version": "2.1.0"}
    with pytest.raises(SchemaVersionError, match="newer than this library"):
        migrate_document(newer)
    with pytest.raises(SchemaVersionError, match="upgrade krat"):
        migrate_submission(orjson.dumps(newer))
    with pytest.raises(SchemaVersionError, match="expected a version"):
        migrate_document({**document, "schema_version": "one"})
    with pytest.raises(FormatError, match="krat-submission"):
        migrate_document({"format": "krat-national"})


def test_an_older_minor_gets_the_current_minor() -> None:
    document = orjson.loads(FIXTURES[0].read_bytes())
    migrated, steps = migrate_document(document, current="1.4.0")
    assert migrated["schema_version"] == "1.4.0" and steps == []
    assert {k: v for k, v in migrated.items() if k != "schema_version"} == {
        k: v for k, v in document.items() if k != "schema_version"
    }


def test_a_broken_document_is_still_refused_with_its_own_reason() -> None:
    document = orjson.loads(FIXTURES[0].read_bytes())
    document["region"] = "AL-99"
    with pytest.raises(FormatError, match="region"):
        migrate_submission(orjson.dumps(document))


def test_archive_add_keeps_the_original_bytes_next_to_the_migrated_form(tmp_path: Path) -> None:
    from krat_core.archive import Archive

    raw = FIXTURES[0].read_bytes()
    loose = orjson.dumps(orjson.loads(raw), option=orjson.OPT_INDENT_2)  # same data, other bytes
    with Archive.open(tmp_path / "a.sqlite") as archive:
        result = archive.add(loose, name="old.json")
        assert result.status == "new" and result.original_version == "1.0.0"
        assert result.sha256 is not None
        assert archive.original(result.sha256) == loose
        assert dump_submission(archive.submission(result.sha256)) == dump_submission(
            migrate_submission(raw).submission
        )
        assert archive.verify() == []


@settings(max_examples=15)
@given(submissions(max_records=3))
def test_any_submission_round_trips_through_the_archive(submission: Submission) -> None:
    import tempfile

    from krat_core.archive import Archive

    raw = dump_submission(submission)
    with tempfile.TemporaryDirectory() as tmp, Archive.open(Path(tmp) / "a.sqlite") as archive:
        result = archive.add(raw)
        assert result.status == "new" and result.sha256 is not None
        assert archive.original(result.sha256) == raw
        assert archive.submission(result.sha256) == migrate_submission(raw).submission
        assert archive.verify() == []
        counts = archive.record_counts("case", current=False)
        assert sum(counts.values()) == len(submission.cases)
