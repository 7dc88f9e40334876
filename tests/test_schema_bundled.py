"""The single-file schemas: one file per document type, usable with no registry and no network."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.exceptions import NoSuchResource

from krat_core.demo.synthetic import generate_national, generate_submission
from krat_core.format import schema as schemas
from krat_core.format.canonical import dump_json, dump_submission

BUNDLED = Path(__file__).resolve().parent.parent / "schemas" / "bundled"


def _no_network(uri: str) -> Any:
    raise NoSuchResource(ref=uri)  # a bundled schema must never need another file


def _validator(name: str) -> Draft202012Validator:
    schema = json.loads((BUNDLED / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=Registry(retrieve=_no_network))


def test_the_committed_bundles_are_generated_from_the_models() -> None:
    assert schemas.check_schemas(BUNDLED.parent) == []
    for name in schemas.BUNDLED_SCHEMAS:
        bundled = json.loads((BUNDLED / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert bundled == json.loads(schemas.dump_schema(schemas.bundle_schema(name)))


def test_a_submission_validates_against_its_one_file() -> None:
    validator = _validator("submission")
    document = json.loads(dump_submission(generate_submission("AL-05", 2024)))
    assert list(validator.iter_errors(document)) == []
    document["cases"][0]["sex"] = "robot"
    document["cases"][0]["exploitation"] = ["not-a-code"]
    errors = [e.message for e in validator.iter_errors(document)]
    assert any("'robot'" in e for e in errors) and len(errors) >= 2


def test_a_national_dataset_validates_against_its_one_file(tmp_path: Path) -> None:
    from krat_core.combine import combine

    paths = []
    for submission in generate_national(2024)[:3]:
        path = tmp_path / f"{submission.region}.json"
        path.write_bytes(dump_submission(submission))
        paths.append(path)
    result = combine(paths)
    document = json.loads(dump_json(result.dataset.model_dump(mode="json")))
    assert list(_validator("national").iter_errors(document)) == []
    document["format"] = "something-else"
    assert list(_validator("national").iter_errors(document))


def _own_nodes(node: Any, *, top: bool = True) -> list[dict[str, Any]]:
    """The objects of one schema resource, not descending into embedded resources."""
    if isinstance(node, list):
        return [n for item in node for n in _own_nodes(item, top=False)]
    if not isinstance(node, dict) or ("$id" in node and not top):
        return []
    return [node, *(n for value in node.values() for n in _own_nodes(value, top=False))]


@pytest.mark.parametrize("name", schemas.BUNDLED_SCHEMAS)
def test_a_bundle_names_no_other_file(name: str) -> None:
    bundled = schemas.bundle_schema(name)
    resources = [d for d in bundled["$defs"].values() if isinstance(d, dict) and "$id" in d]
    embedded = {d["$id"] for d in resources}
    assert len(resources) >= 2
    for resource in [bundled, *resources]:
        for node in _own_nodes(resource):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                # Relative references resolve against the resource's own $id.
                assert urljoin(resource["$id"], ref).split("#")[0] in embedded, ref
