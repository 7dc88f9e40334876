"""Property tests: the engine never raises, no built-in rule crashes, every pointer resolves."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krat_core.demo.synthetic import generate_submission
from krat_core.format.models import RECORD_LISTS, Submission
from krat_core.plugins.manager import Registry, load_plugins
from krat_core.validation.engine import (
    RULE_ERROR,
    SUBMISSION_KIND,
    PointerError,
    ValidationReport,
    resolve_pointer,
    validate,
)
from strategies import activities, cases, institutions, objectives, submissions

REGISTRY: Registry = load_plugins()
BASE = generate_submission("AL-03", 2024, seed=11, cases=6, activities=6)
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _documents(sub: Submission) -> dict[tuple[str, str], list[Any]]:
    """Each record's JSON by (kind, id); several when an id is (wrongly) used twice."""
    documents: dict[tuple[str, str], list[Any]] = {}
    for r in sub.records():
        documents.setdefault((r.KIND, r.id), []).append(r.model_dump(mode="json"))
    return documents


def _resolves(candidates: list[Any], pointer: str) -> bool:
    for document in candidates:
        try:
            resolve_pointer(document, pointer)
        except PointerError:
            continue
        return True
    return False


def _check(sub: Submission, report: ValidationReport) -> None:
    assert not [f for f in report.findings if f.code == RULE_ERROR], report.to_text("en")
    documents = _documents(sub)
    whole = sub.model_dump(mode="json")
    for f in report.findings:
        if f.kind == SUBMISSION_KIND:
            resolve_pointer(whole, f.pointer)
        else:
            assert f.record_id is not None and f.kind is not None
            assert _resolves(documents[(f.kind, f.record_id)], f.pointer), (f.code, f.pointer)
        assert f.message_en.strip() and f.message_sq.strip()
        assert f.plugin is not None and f.rule == f.code
    data = json.loads(report.to_json())
    assert data["valid"] == (report.counts_by_severity["error"] == 0)
    assert sum(data["counts"]["by_severity"].values()) == len(report.findings)
    assert sum(data["counts"]["by_kind"].values()) == len(report.findings)


@SETTINGS
@given(submissions())
def test_any_valid_document_is_validated_without_crash(sub: Submission) -> None:
    report = validate(sub, REGISTRY)
    _check(sub, report)
    assert validate(sub, REGISTRY).to_json() == report.to_json()
    report.to_text("sq")
    report.to_text("en")


@st.composite
def mutated(draw: st.DrawFn) -> Submission:
    """The synthetic submission with a few records replaced by arbitrary valid ones."""
    region, year = BASE.region, BASE.year
    strategies = {
        "institution": institutions(region),
        "case": cases(region, year),
        "activity": activities(region, year, [o.id for o in BASE.objectives]),
        "objective": objectives(region, year),
    }
    lists = {kind: list(getattr(BASE, attr)) for kind, attr in RECORD_LISTS.items()}
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        kind = draw(st.sampled_from(sorted(strategies)))
        records = lists[kind]
        record = draw(strategies[kind])
        if draw(st.booleans()):  # keep the id, so references stay (mostly) valid
            record = record.model_copy(update={"id": records[0].id})
        index = draw(st.integers(min_value=0, max_value=len(records)))
        if index == len(records):
            records.append(record)
        else:
            records[index] = record
    return BASE.model_copy(update={attr: lists[kind] for kind, attr in RECORD_LISTS.items()})


@SETTINGS
@given(mutated())
def test_mutated_synthetic_data_never_crashes_a_rule(sub: Submission) -> None:
    _check(sub, validate(sub, REGISTRY))


@pytest.mark.parametrize("period", ["2024-H1", "2024-H2"])
def test_half_year_submissions(period: str) -> None:
    sub = generate_submission("AL-03", period, seed=2)
    report = validate(sub, REGISTRY)
    assert report.findings == ()
    # A whole-year case in a half-year submission is outside the period.
    other = generate_submission("AL-03", "2024-H1" if period.endswith("H2") else "2024-H2")
    moved = sub.model_copy(update={"cases": [*sub.cases, *other.cases[:1]]})
    codes = {f.code for f in validate(moved, REGISTRY).findings}
    assert "case.date-outside-period" in codes or "case.date-after-submission" in codes
