"""The national dataset's published JSON Schema agrees with the model."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import ValidationError
from referencing import Registry, Resource

from krat_core.combine import CombineInput, combine, dump_national
from krat_core.demo.synthetic import generate_submission
from krat_core.format.canonical import dump_submission
from krat_core.format.models.national import NationalDataset, ValidationSummary
from strategies import json_slots

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def _validator() -> Draft202012Validator:
    published = [json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS.glob("*.json")]
    registry: Registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in published
    )
    national = json.loads((SCHEMAS / "national.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(national, registry=registry)


VALIDATOR = _validator()


def _national() -> dict[str, Any]:
    """A small national dataset with a superseded version, a duplicate and a conflict."""
    a = generate_submission("AL-02", 2024, cases=2, activities=1)
    b = generate_submission("AL-03", 2024, cases=1, activities=1)
    person = a.cases[1].subject_ref  # a2 keeps cases[1:]
    b = b.model_copy(
        update={
            "cases": [b.cases[0].model_copy(update={"subject_ref": person})],
            "institutions": [a.institutions[0].model_copy(update={"name": "Tjetër"})],
        }
    )
    a2 = a.model_copy(
        update={"submitted_at": a.submitted_at + timedelta(days=1), "cases": a.cases[1:]}
    )
    inputs = [
        CombineInput(f"{i}.json", hashlib.sha256(dump_submission(s)).hexdigest(), s)
        for i, s in enumerate([a, b, a2])
    ]
    national = combine(
        inputs, deadline=date(2025, 1, 31), validate=lambda s: ValidationSummary(valid=True)
    ).dataset
    assert national.superseded and national.duplicates and national.conflicts
    document: dict[str, Any] = json.loads(dump_national(national))
    return document


BASE = _national()

_VALUES: list[Any] = [
    "2024-02-29",
    "2023-02-29",
    "2025-01-31T10:00:00+01:00",
    "2025-01-31T10:00:00",
    "2025-01-31 10:00:00Z",
    "AL-02",
    "AL-13",
    "krat-national",
    "krat-submission",
    "1.0.0",
    "2.0.0",
    "2024",
    "2024-H3",
    "a" * 64,
    "A" * 64,
    "",
    "x" * 256,
    -1,
    0,
    1,
    5.0,
    5.5,
    10**15,
    10**15 + 1,
    True,
    False,
    None,
    [],
    {},
    "received",
    "missing",
    "institution",
    "case",
    "bogus",
    "AL-02-C-2024-0001",
    "AL-02-I-0001",
    "AL-02-X-1",
]


def test_a_combined_dataset_is_valid_under_the_published_schema() -> None:
    assert list(VALIDATOR.iter_errors(BASE)) == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("format",), "krat-submission"),
        (("completeness", 0, "status"), "late"),
        (("counts", "records_in"), -1),
        (("submissions", 0, "source", "sha256"), "x"),
    ],
)
def test_the_schema_rejects_what_the_model_rejects(path: tuple[Any, ...], value: Any) -> None:
    document = copy.deepcopy(BASE)
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    assert not VALIDATOR.is_valid(document)
    with pytest.raises(ValidationError):
        NationalDataset.model_validate_json(json.dumps(document))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_model_and_published_schema_accept_the_same_national_documents(
    data: st.DataObject,
) -> None:
    document = copy.deepcopy(BASE)
    container, key = data.draw(st.sampled_from(json_slots(document)))
    if data.draw(st.booleans()) or not isinstance(container, dict):
        container[key] = data.draw(st.sampled_from(_VALUES))
    else:
        del container[key]
    try:
        NationalDataset.model_validate_json(json.dumps(document))
        model_ok = True
    except ValidationError:
        model_ok = False
    errors = [e.message[:200] for e in VALIDATOR.iter_errors(document)]
    assert model_ok == (not errors), (key, errors)
