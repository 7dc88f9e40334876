"""The record models: strategies produce valid records, round trips, strictness."""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

import krat_core
from krat_core.demo.synthetic import generate_submission
from krat_core.format.codelists import CaseStatus, InstitutionType, Sex
from krat_core.format.models import Institution, Submission
from krat_core.format.models.common import DATE_PATTERN, TIMESTAMP_PATTERN, Day, Timestamp
from strategies import submissions


@settings(max_examples=60, deadline=None)
@given(submissions())
def test_load_of_dump_is_identity_and_dump_is_canonical(submission: Submission) -> None:
    data = krat_core.dump_submission(submission)
    again = krat_core.load_submission(data)
    assert again == submission
    assert krat_core.dump_submission(again) == data


# --- strict models that agree with the JSON data model ---------------------------------


def _case_document(**changes: Any) -> bytes:
    document = json.loads(krat_core.dump_submission(GOOD))
    document["cases"][0].update(changes)
    return json.dumps(document).encode()


GOOD = generate_submission("AL-08", 2024, cases=2, activities=2)


def test_records_are_frozen_and_refuse_unknown_fields() -> None:
    case = GOOD.cases[0]
    with pytest.raises(ValidationError, match="frozen"):
        case.sex = Sex.MALE  # type: ignore[misc]
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Submission.model_validate_json(_case_document(name="Arta"))


@pytest.mark.parametrize(
    ("age", "ok"),
    [
        (14, True),
        (14.0, True),
        (1e1, True),
        (14.5, False),
        ("14", False),
        (True, False),
        (121, False),
        (-1, False),
        (None, True),
    ],
)
def test_integers_accept_integral_json_numbers_only(age: Any, ok: bool) -> None:
    raw = _case_document(age_at_identification=age)
    if ok:
        loaded = Submission.model_validate_json(raw).cases[0].age_at_identification
        assert loaded == age and (loaded is None or type(loaded) is int)
    else:
        with pytest.raises(ValidationError):
            Submission.model_validate_json(raw)


def test_integral_floats_elsewhere() -> None:
    document = json.loads(krat_core.dump_submission(GOOD))
    document["objectives"][0]["year"] = 2024.0
    document["activities"][0]["participants"] = {"female": 3.0, "male": None, "total": 10.0}
    loaded = Submission.model_validate_json(json.dumps(document))
    assert type(loaded.objectives[0].year) is int
    participants = loaded.activities[0].participants
    assert participants is not None and participants.total == 10 and participants.female == 3


@pytest.mark.parametrize(
    ("stamp", "ok"),
    [
        ("2025-01-20T10:00:00+01:00", True),
        ("2025-01-20T09:00:00Z", True),
        ("2025-01-20T09:00:00.123456-00:30", True),
        ("2025-01-20 09:00:00Z", False),
        ("2025-01-20T09:00Z", False),
        ("2025-01-20T09:00:00+0100", False),
        ("2025-01-20T09:00:00", False),
        ("1737363600", False),
        ("2025-02-29T09:00:00Z", False),
    ],
)
def test_submitted_at_is_rfc3339_with_a_time_zone(stamp: str, ok: bool) -> None:
    document = json.loads(krat_core.dump_submission(GOOD))
    document["submitted_at"] = stamp
    raw = json.dumps(document)
    if not ok:
        with pytest.raises(ValidationError, match="submitted_at"):
            Submission.model_validate_json(raw)
        return
    loaded = Submission.model_validate_json(raw)
    assert loaded.submitted_at.utcoffset() is not None
    # The offset is kept as written: dump(load(x)) keeps the local time and zone.
    again = json.loads(krat_core.dump_submission(loaded))["submitted_at"]
    assert datetime.fromisoformat(again) == datetime.fromisoformat(stamp)
    assert again[-6:] == stamp[-6:] or (stamp.endswith("Z") and again.endswith("Z"))


def test_naive_datetimes_are_refused_in_python() -> None:
    with pytest.raises(ValidationError, match="timezone"):
        GOOD.model_copy().model_validate(
            {**GOOD.model_dump(), "submitted_at": datetime(2025, 1, 20, 9, 0)}
        )
    aware = datetime(2025, 1, 20, 9, 0, tzinfo=timezone(timedelta(hours=1)))
    loaded = Submission.model_validate({**GOOD.model_dump(), "submitted_at": aware})
    assert loaded.submitted_at == aware


@pytest.mark.parametrize(
    ("extensions", "ok"),
    [
        ({"al-08": {"dosja": "D-1", "n": 3, "x": [1.5, None, {"y": True}]}}, True),
        ({"durres.register": {}}, True),
        ({"Al-08": {}}, False),
        ({"al 08": {}}, False),
        ({"al-08": 3}, False),
        ({"al-08": {"n": 2**64 - 1}}, True),
        ({"al-08": {"n": -(2**63)}}, True),
        ({"a" * 101: {}}, False),
    ],
)
def test_extensions(extensions: dict[str, Any], ok: bool) -> None:
    raw = _case_document(extensions=extensions)
    if ok:
        loaded = Submission.model_validate_json(raw)
        assert loaded.cases[0].extensions == extensions
        assert json.loads(krat_core.dump_submission(loaded))["cases"][0]["extensions"] == extensions
    else:
        with pytest.raises(ValidationError, match="extensions"):
            Submission.model_validate_json(raw)


def test_integers_beyond_64_bits_in_extensions_become_floats() -> None:
    # Canonical JSON (orjson) writes integers up to 64 bits; beyond, the value is a number.
    loaded = Submission.model_validate_json(_case_document(extensions={"a": {"n": 2**64}}))
    value = loaded.cases[0].extensions["a"]["n"]
    assert type(value) is float and value == float(2**64)
    assert krat_core.load_submission(krat_core.dump_submission(loaded)) == loaded


def test_extensions_refuse_non_finite_numbers_in_python() -> None:
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValidationError):
            Institution(
                id="AL-08-I-0001",
                name="Bashkia Lezhë",
                type=InstitutionType.MUNICIPALITY,
                extensions={"al-08": {"x": [bad]}},
            )


@pytest.mark.parametrize(
    "value", ["AL-08-I-0001\n", " AL-08-I-0001", "AL-08-I-0001 ", "AL-08-I-١٢٣٤"]
)
def test_ids_have_no_stray_characters(value: str) -> None:
    # python-jsonschema accepts the first (Python's "$" matches before a final newline);
    # the models and ECMA-262 validators do not. See docs/format.md.
    with pytest.raises(ValidationError, match="pattern"):
        Institution(id=value, name="x", type=InstitutionType.OTHER)


@pytest.mark.parametrize(("code", "ok"), [("AL", True), ("XK", True), ("UK", False), ("al", False)])
def test_countries_are_iso_3166_alpha_2(code: str, ok: bool) -> None:
    raw = _case_document(citizenships=[code])
    if ok:
        assert Submission.model_validate_json(raw).cases[0].citizenships == [code]
    else:
        with pytest.raises(ValidationError, match="ISO 3166-1 alpha-2"):
            Submission.model_validate_json(raw)


def test_enums_take_codes_not_labels_in_files() -> None:
    assert Submission.model_validate_json(_case_document(status="victim")).cases[0].status is (
        CaseStatus.VICTIM
    )
    for label in ("VT", "viktimë e trafikimit", "Victim"):
        with pytest.raises(ValidationError, match="status"):
            Submission.model_validate_json(_case_document(status=label))


# --- the hand-written date patterns accept exactly what the models accept ------------

_DAY = TypeAdapter(Day)
_STAMP = TypeAdapter(Timestamp)


def _model_accepts(adapter: TypeAdapter[Any], text: str) -> bool:
    try:
        adapter.validate_json(json.dumps(text))
    except ValidationError:
        return False
    return True


_date_like = st.one_of(
    st.dates().map(date.isoformat),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),
    st.from_regex(r"\A[0-9]{4}-(0[1-9]|1[0-2])-(2[89]|3[01])\Z"),
    st.text(alphabet="0123456789-T:Z+. ", max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(_date_like)
def test_date_pattern_matches_exactly_the_dates_the_models_accept(text: str) -> None:
    assert (re.fullmatch(DATE_PATTERN, text) is not None) == _model_accepts(_DAY, text)


_offsets = st.sampled_from(
    [
        "Z",
        "+00:00",
        "-00:00",
        "+01:00",
        "+14:00",
        "-12:00",
        "+05:45",
        "+23:59",
        "+24:00",
        "+0100",
        "z",
        "",
    ]
)
_stamp_like = st.one_of(
    st.builds(
        lambda d, h, m, s, frac, off: f"{d.isoformat()}T{h:02d}:{m:02d}:{s:02d}{frac}{off}",
        st.dates(),
        st.integers(0, 25),
        st.integers(0, 61),
        st.integers(0, 61),
        st.sampled_from(["", ".5", ".123456", ".1234567", ","]),
        _offsets,
    ),
    st.from_regex(
        r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?"
        r"(Z|[+-][0-9]{2}:?[0-9]{2})?\Z"
    ),
    st.text(alphabet="0123456789-T:Z+. ", max_size=26),
)


@settings(max_examples=300, deadline=None)
@given(_stamp_like)
def test_timestamp_pattern_matches_exactly_the_time_stamps_the_models_accept(text: str) -> None:
    assert (re.fullmatch(TIMESTAMP_PATTERN, text) is not None) == _model_accepts(_STAMP, text)
