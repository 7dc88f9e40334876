"""Loading and dumping the canonical submission JSON."""

from __future__ import annotations

import pytest

import krat_core
from krat_core.errors import FormatError, SchemaVersionError
from krat_core.format.models import SCHEMA_VERSION, Submission


def test_round_trip_is_equal_and_canonical(durres_2024: Submission) -> None:
    data = krat_core.dump_submission(durres_2024)
    again = krat_core.load_submission(data)
    assert again == durres_2024
    assert krat_core.dump_submission(again) == data
    assert data.endswith(b"\n") and b"\n" not in data[:-1]


def test_unknown_major_version_is_refused_clearly(durres_2024: Submission) -> None:
    current = f'"{SCHEMA_VERSION}"'.encode()
    data = krat_core.dump_submission(durres_2024).replace(current, b'"2.0.0"')
    with pytest.raises(SchemaVersionError, match=r"2\.0\.0 is not supported.*1\.x\.y"):
        krat_core.load_submission(data)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"[1, 2]", "found a JSON list"),
        (b'{"format": "something-else"}', "not a KRAT submission"),
        (b'{"format": "krat-submission"', "not valid JSON"),
        (b"\xff\xfe{\x00}\x00", "UTF-16"),
    ],
)
def test_bad_documents_raise_format_error(raw: bytes, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        krat_core.load_submission(raw)
