"""The schema-version bump rule of docs/architecture.md, enforced.

``tests/data/schema-history/<version>/`` keeps the published JSON Schemas of every
released format version. The generated schemas must equal the snapshot of the
current ``SCHEMA_VERSION``; a change to the models therefore fails here until the
version is raised and the new snapshot is added. A minor or patch bump must be
additive (a 1.x reader still reads every document): no property removed, no
property newly required, no code removed, no closed object opened or type changed.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from krat_core.format import schema as schemas
from krat_core.format.models.national import NATIONAL_SCHEMA_VERSION
from krat_core.format.models.submission import SCHEMA_VERSION

HISTORY = Path(__file__).parent / "data" / "schema-history"


def _version(text: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in text.split("."))
    return major, minor, patch


def _snapshot(version: str) -> dict[str, Any]:
    return {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((HISTORY / version).glob("*.schema.json"))
    }


def _released() -> list[str]:
    return sorted((p.name for p in HISTORY.iterdir() if p.is_dir()), key=_version)


def _objects(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object with ``properties``, keyed by its path in the document."""
    if isinstance(node, dict):
        if "properties" in node:
            yield where, node
        for key, value in node.items():
            yield from _objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _objects(value, f"{where}/{index}")


def _enums(node: Any, where: str = "") -> Iterator[tuple[str, list[Any]]]:
    if isinstance(node, dict):
        if "enum" in node:
            yield where, node["enum"]
        for key, value in node.items():
            yield from _enums(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _enums(value, f"{where}/{index}")


def additive_problems(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What in ``new`` a reader of ``old``'s documents would misread (empty: additive)."""
    problems = []
    for name, old_doc in old.items():
        new_doc = new.get(name)
        if new_doc is None:
            problems.append(f"{name}: the schema was removed")
            continue
        new_objects = dict(_objects(new_doc))
        for where, old_obj in _objects(old_doc):
            new_obj = new_objects.get(where)
            if new_obj is None:
                problems.append(f"{name}{where}: the object was removed or moved")
                continue
            for prop in sorted(set(old_obj["properties"]) - set(new_obj["properties"])):
                problems.append(f"{name}{where}: property {prop!r} was removed")
            for prop in sorted(set(new_obj.get("required", [])) - set(old_obj.get("required", []))):
                problems.append(f"{name}{where}: property {prop!r} became required")
            for prop in sorted(set(old_obj["properties"]) & set(new_obj["properties"])):
                old_type = old_obj["properties"][prop].get("type")
                new_type = new_obj["properties"][prop].get("type")
                if old_type != new_type:
                    problems.append(
                        f"{name}{where}: {prop!r} changed type {old_type} -> {new_type}"
                    )
        new_enums = dict(_enums(new_doc))
        for where, values in _enums(old_doc):
            missing = [v for v in values if v not in new_enums.get(where, [])]
            if missing:
                problems.append(f"{name}{where}: codes removed {missing}")
    return problems


def test_the_current_version_has_a_snapshot() -> None:
    assert SCHEMA_VERSION in _released(), (
        f"SCHEMA_VERSION {SCHEMA_VERSION} has no snapshot: copy schemas/*.schema.json to "
        f"{HISTORY.relative_to(HISTORY.parents[2])}/{SCHEMA_VERSION}/ when you release it"
    )
    assert _released()[-1] == SCHEMA_VERSION, "the newest snapshot must be the current version"
    assert _version(NATIONAL_SCHEMA_VERSION)[0] == _version(SCHEMA_VERSION)[0]


def test_the_models_match_the_snapshot_of_their_version() -> None:
    generated = {
        name: json.loads(schemas.dump_schema(schema))
        for name, schema in schemas.generate_schemas().items()
    }
    snapshot = _snapshot(SCHEMA_VERSION)
    changed = sorted(
        n for n in generated.keys() | snapshot.keys() if generated.get(n) != snapshot.get(n)
    )
    assert changed == [], (
        f"the format changed ({', '.join(changed)}) but SCHEMA_VERSION is still {SCHEMA_VERSION}: "
        "raise its minor number for an additive change (a new optional field or code), its major "
        "number otherwise, regenerate schemas/ and add the snapshot (docs/architecture.md)"
    )


def test_minor_versions_are_additive() -> None:
    # Each released version against the one before it; a major bump may change anything
    # (the migration chain covers it). The check itself is tested below.
    released = _released()
    for old, new in itertools.pairwise(released):
        if _version(old)[0] == _version(new)[0]:
            problems = additive_problems(_snapshot(old), _snapshot(new))
            assert problems == [], f"{old} -> {new} is not additive; raise the major: {problems}"


def test_the_additive_check_finds_breaking_changes() -> None:
    old = _snapshot(SCHEMA_VERSION)
    assert additive_problems(old, old) == []
    broken = json.loads(json.dumps(old))
    case = broken["case.schema.json"]
    case["properties"].pop(sorted(case["properties"])[0])
    case["required"] = [*case.get("required", []), "new_field"]
    assert len(additive_problems(old, broken)) >= 2
    grown = json.loads(json.dumps(old))
    grown["case.schema.json"]["properties"]["new_optional"] = {"type": "string"}
    assert additive_problems(old, grown) == []
