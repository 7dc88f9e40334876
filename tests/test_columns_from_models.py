"""One source of truth: the spreadsheet columns and the test data follow the models.

The template and CSV columns (``krat_core.importing.sheets``) are written by
hand, for their Albanian and English headers, help texts and aliases. These
tests check them against the pydantic models field by field, so that adding a
field to a model fails here, naming the field, until the field has exactly one
column (and the hypothesis strategies in ``tests/strategies.py`` draw it):
nothing can be dropped silently on its way through a workbook.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from pydantic import BaseModel

from krat_core.format.models import RECORD_LISTS, RECORD_TYPES, Submission
from krat_core.importing import SHEETS, SUBMISSION_FIELDS, Sheet
from strategies import submissions

HEADER_FIELDS_NOT_IN_THE_SHEET = {
    "format": "a constant: every submission is a krat-submission",
    "schema_version": "set by the library that writes the submission",
    "generator": "set by the importer (library and plugin versions)",
    **{name: "a record list: one sheet per record kind" for name in RECORD_LISTS.values()},
}
"""Fields of the submission header that the "Dorëzimi" sheet does not hold, and why."""


def _model_in(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model class in ``annotation`` (``X``, ``X | None``, ``list[X]``), and if in a list."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _model_in(args[0]) if len(args) == 1 else (None, False)
    if origin is list:
        inner, _ = _model_in(typing.get_args(annotation)[0])
        return inner, True
    if origin is typing.Annotated:
        return _model_in(typing.get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


def expected_columns(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    """The column names ``model`` needs: its fields, nested objects flattened with dots.

    Lists of models (assistance, indicators) have sheets of their own and are
    left out here (see :func:`test_every_list_of_records_has_its_sheet`).
    """
    for name, info in model.model_fields.items():
        inner, is_list = _model_in(info.annotation)
        if inner is None:
            yield prefix + name
        elif not is_list:
            if prefix:
                raise AssertionError(f"{model.__name__}.{name}: objects nested two deep")
            yield from expected_columns(inner, f"{name}.")


def _record_columns(sheet: Sheet) -> list[str]:
    return [c.name for c in sheet.model_fields]


def _model_of(sheet: Sheet) -> type[BaseModel]:
    if sheet.parent is None:
        return RECORD_TYPES[sheet.kind]
    parent = RECORD_TYPES[sheet.parent]
    assert sheet.list_field is not None
    inner, is_list = _model_in(parent.model_fields[sheet.list_field].annotation)
    assert inner is not None and is_list
    return inner


def mismatches(model: type[BaseModel], columns: list[str], where: str) -> list[str]:
    """Every field without exactly one column, and every column without a field."""
    wanted = list(expected_columns(model))
    problems = []
    for name in wanted:
        count = columns.count(name)
        if count != 1:
            problems.append(
                f"{where}: field {model.__name__}.{name} has {count} columns "
                "(add exactly one in krat_core/importing/sheets.py)"
            )
    for name in sorted(set(columns) - set(wanted)):
        problems.append(f"{where}: column {name!r} has no field in {model.__name__}")
    return problems


@pytest.mark.parametrize("kind", list(SHEETS))
def test_every_field_has_exactly_one_column(kind: str) -> None:
    sheet = SHEETS[kind]
    problems = mismatches(_model_of(sheet), _record_columns(sheet), f"sheet {kind!r}")
    assert not problems, "\n".join(problems)


def test_every_list_of_records_has_its_sheet() -> None:
    problems = []
    for kind, model in RECORD_TYPES.items():
        for name, info in model.model_fields.items():
            inner, is_list = _model_in(info.annotation)
            if inner is None or not is_list:
                continue
            sheets = [s for s in SHEETS.values() if s.parent == kind and s.list_field == name]
            if len(sheets) != 1:
                problems.append(f"{model.__name__}.{name}: {len(sheets)} nested sheets, not 1")
    assert not problems, "\n".join(problems)


def test_every_header_field_has_exactly_one_row_of_the_submission_sheet() -> None:
    names = [f.name for f in SUBMISSION_FIELDS]
    wanted = [
        name
        for name in expected_columns(Submission)
        if name.partition(".")[0] not in HEADER_FIELDS_NOT_IN_THE_SHEET
    ]
    problems = [f"Submission.{n} has {names.count(n)} rows" for n in wanted if names.count(n) != 1]
    problems += [f"row {n!r} has no field in Submission" for n in sorted(set(names) - set(wanted))]
    assert not problems, "\n".join(problems)


def test_the_check_names_a_missing_field() -> None:
    """The check itself: a model with one field more than the columns is reported by name."""

    class Wider(RECORD_TYPES["case"]):  # type: ignore[misc,valid-type]
        notes: str | None = None

    problems = mismatches(Wider, _record_columns(SHEETS["case"]), "sheet 'case'")
    assert (
        "sheet 'case': field Wider.notes has 0 columns "
        "(add exactly one in krat_core/importing/sheets.py)"
    ) in problems
    problems = mismatches(RECORD_TYPES["case"], [*_record_columns(SHEETS["case"]), "notes"], "x")
    assert "x: column 'notes' has no field in Case" in problems


# --------------------------------------------------------------------------- the strategies


def _models(
    model: type[BaseModel], seen: set[type[BaseModel]] | None = None
) -> list[type[BaseModel]]:
    """``model`` and every model reachable through its fields."""
    seen = set() if seen is None else seen
    if model in seen:
        return []
    seen.add(model)
    found = [model]
    for info in model.model_fields.values():
        inner, _ = _model_in(info.annotation)
        if inner is not None:
            found += _models(inner, seen)
    return found


def _instances(obj: Any) -> Iterator[BaseModel]:
    if isinstance(obj, BaseModel):
        yield obj
        for name in type(obj).model_fields:
            yield from _instances(getattr(obj, name))
    elif isinstance(obj, list):
        for item in obj:
            yield from _instances(item)


def _fields_drawn(submission: Submission) -> set[tuple[type[BaseModel], str]]:
    """``(model, field)`` of each field an object in ``submission`` sets to a non-default value."""
    drawn = set()
    for obj in _instances(submission):
        model = type(obj)
        for name, info in model.model_fields.items():
            value = getattr(obj, name)
            if value in (None, [], {}):
                continue
            if info.is_required() or value != info.get_default(call_default_factory=True):
                drawn.add((model, name))
    return drawn


FIELDS = [
    (model, name)
    for model in _models(Submission)
    for name in model.model_fields
    if not (model is Submission and name in ("format", "schema_version"))
]


def test_the_strategies_draw_every_field() -> None:
    """``tests/strategies.py`` sets every field (to something other than its default) sometimes."""
    seen: set[tuple[type[BaseModel], str]] = set()

    @settings(
        max_examples=150,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(submissions())
    def collect(submission: Submission) -> None:
        seen.update(_fields_drawn(submission))

    collect()
    missing = [f"{model.__name__}.{name}" for model, name in FIELDS if (model, name) not in seen]
    assert not missing, (
        f"tests/strategies.py never draws {', '.join(missing)} (in 150 submissions): "
        "add them to the strategy of their model"
    )
