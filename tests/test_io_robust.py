"""Reading broken input: only FormatError (or a subclass) escapes, with a message that helps.

Also the round-trip properties of the canonical JSON: ``load(dump(x)) == x`` and
equal data gives byte-identical output.
"""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import krat_core
from krat_core.demo.synthetic import generate_submission
from krat_core.errors import FormatError, SchemaVersionError
from krat_core.format.models import SCHEMA_VERSION, Submission
from strategies import submissions

GOOD = krat_core.dump_submission(generate_submission("AL-05", 2024, cases=3, activities=2))
"""A small valid canonical submission (Gjirokastër: ë and all)."""

_OWN_EXTENSIONS = b'"extensions":{},"format":'


def _with_extension(value: bytes) -> bytes:
    """GOOD with ``value`` (raw JSON) as the submission-level extension ``x.y``."""
    # In canonical (sorted) order the submission's own extensions come just before "format".
    assert GOOD.count(_OWN_EXTENSIONS) == 1
    return GOOD.replace(_OWN_EXTENSIONS, b'"extensions":{"x":{"y":' + value + b'}},"format":')


def _refused(raw: bytes | str | Path) -> FormatError:
    with pytest.raises(FormatError) as info:
        krat_core.load_submission(raw)
    return info.value


def test_the_fixture_document_is_valid() -> None:
    assert krat_core.load_submission(GOOD).region == "AL-05"
    assert krat_core.load_submission(_with_extension(b"[1,2.5]")).extensions == {
        "x": {"y": [1, 2.5]}
    }


# --- syntax -----------------------------------------------------------------------------


@pytest.mark.parametrize("cut", [1, 2, 17, len(GOOD) // 2, len(GOOD) - 3])
def test_truncated_json(cut: int) -> None:
    error = _refused(GOOD[:cut])
    assert "not valid JSON" in str(error)
    assert "line 1, column" in str(error)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "the document is empty"),
        (b" \n\t ", "the document is empty"),
        (b"\xef\xbb\xbf", "the document is empty"),
        (b"\x00\x00", "not valid JSON"),
        (b"{'format': 'krat-submission'}", "not valid JSON"),
        (b'{"format": "krat-submission",}', "not valid JSON"),
        (GOOD + b"{}", "unexpected content after document"),
        (GOOD + GOOD, "unexpected content after document"),
        (GOOD.replace(b'"title":"', b'"title":"\x01', 1), "control character"),
        (_with_extension(b'"\\ud800"'), "surrogate"),
    ],
)
def test_syntax_errors(raw: bytes, message: str) -> None:
    assert message in str(_refused(raw))


# --- encodings --------------------------------------------------------------------------


def test_utf8_bom_is_accepted() -> None:
    assert krat_core.load_submission(b"\xef\xbb\xbf" + GOOD) == krat_core.load_submission(GOOD)


def test_a_second_bom_is_not_json() -> None:
    error = _refused(b"\xef\xbb\xbf\xef\xbb\xbf" + GOOD)
    assert "not valid JSON" in str(error) and "line 1, column 1" in str(error)


@pytest.mark.parametrize(
    ("encoding", "named"),
    [
        ("utf-16", "UTF-16 (little-endian)"),  # with BOM
        ("utf-16-le", "UTF-16 (little-endian)"),
        ("utf-16-be", "UTF-16 (big-endian)"),
        ("utf-32", "UTF-32 (little-endian)"),
        ("utf-32-be", "UTF-32 (big-endian)"),
    ],
)
def test_utf16_and_utf32_are_named(encoding: str, named: str) -> None:
    error = _refused(GOOD.decode("utf-8").encode(encoding))
    assert str(error) == f"the document is {named}; save it as UTF-8"


def test_latin1_bytes_are_located() -> None:
    raw = GOOD.decode("utf-8").encode("latin-1")  # "Gjirokastër" -> b"Gjirokast\xebr"
    offset = raw.index(b"\xeb")
    error = _refused(raw)
    assert str(error) == (
        f"the document is not UTF-8 (byte 0xEB at line 1, column {offset + 1}; "
        "Latin-1 or Windows-1250?); save it as UTF-8"
    )


def test_windows_1250_multiline_position() -> None:
    raw = b'{\n  "format": "krat-submission",\n  "region": "Kor\xe7\xeb"\n}'
    assert "byte 0xE7 at line 3, column 17" in str(_refused(raw))


def test_text_with_lone_surrogates_is_refused() -> None:
    error = _refused('{"format": "krat-submission", "region": "\udc80"}')
    assert "not valid JSON" in str(error) or "not UTF-8" in str(error)


# --- nesting, numbers, sizes --------------------------------------------------------


@pytest.mark.parametrize("depth", [100_000, 2_000])
def test_deep_nesting_as_the_whole_document(depth: int) -> None:
    assert "depth limit exceeded" in str(_refused(b"[" * depth + b"]" * depth))
    assert "depth limit exceeded" in str(_refused(b'{"a":' * depth + b"1" + b"}" * depth))


@pytest.mark.parametrize("depth", [300, 900, 100_000])
def test_deep_nesting_inside_a_valid_submission(depth: int) -> None:
    error = _refused(_with_extension(b"[" * depth + b"]" * depth))
    assert "nested too deeply" in str(error) or "depth limit exceeded" in str(error)


def test_moderate_nesting_in_extensions_is_kept() -> None:
    nested = b"[" * 100 + b"]" * 100
    loaded = krat_core.load_submission(_with_extension(nested))
    assert krat_core.dump_submission(loaded).count(b"[" * 100) == 1


@pytest.mark.parametrize(
    "literal", [b"NaN", b"Infinity", b"-Infinity", b"nan", b"inf", b"1e400", b"-1e400"]
)
def test_nan_and_infinity_are_refused(literal: bytes) -> None:
    assert "not valid JSON" in str(_refused(_with_extension(literal)))
    age = b'"age_at_identification":'
    assert "not valid JSON" in str(_refused(GOOD.replace(age, age + literal + b',"z":', 1)))


def test_huge_integers_are_refused() -> None:
    assert "not valid JSON" in str(_refused(_with_extension(b"1" + b"0" * 400)))
    error = _refused(_with_extension(b"1" + b"0" * 5000))
    assert "not valid JSON" in str(error)


@pytest.mark.parametrize("value", [b"18446744073709551616", b"-9223372036854775809"])
def test_integers_beyond_64_bits_become_floats_or_are_refused(value: bytes) -> None:
    # The models never hand back a value canonical JSON could not write.
    try:
        loaded = krat_core.load_submission(_with_extension(value))
    except FormatError:
        return
    assert krat_core.load_submission(krat_core.dump_submission(loaded)) == loaded


def test_out_of_range_numbers_name_the_field() -> None:
    document = json.loads(GOOD)
    document["cases"][0]["age_at_identification"] = 121
    document["objectives"][0]["indicators"][0]["target"] = 1e300
    error = _refused(json.dumps(document).encode())
    assert str(error).startswith("2 invalid field(s):")
    assert "at /cases/0/age_at_identification: Input should be less than or equal to 120" in str(
        error
    )
    assert "at /objectives/0/indicators/0/target:" in str(error)


def test_huge_schema_version_is_a_version_error() -> None:
    raw = b'{"format":"krat-submission","schema_version":"' + b"9" * 5000 + b'.0.0"}'
    with pytest.raises(SchemaVersionError) as info:
        krat_core.load_submission(raw)
    assert "expected a version like '1.0.0'" in str(info.value)
    assert len(str(info.value)) < 200


def test_huge_strings() -> None:
    title = b"x" * 1_000_001
    error = _refused(GOOD.replace(b'"title":"', b'"title":"' + title, 1))
    assert "at most 500 characters" in str(error)
    assert title not in str(error).encode()
    # Extension values have no length limit: they are the region's business.
    big = b'"' + b"y" * 5_000_000 + b'"'
    assert len(krat_core.load_submission(_with_extension(big)).extensions["x"]["y"]) == 5_000_000


# --- not a submission -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "found"),
    [
        (b"[1, 2]", "a JSON list"),
        (b'"krat-submission"', "a JSON string"),
        (b"42", "a JSON number"),
        (b"4.2", "a JSON number"),
        (b"null", "JSON null"),
        (b"true", "a JSON boolean"),
    ],
)
def test_non_object_roots(raw: bytes, found: str) -> None:
    assert str(_refused(raw)) == (
        f"expected a JSON object with format 'krat-submission', found {found}"
    )


def test_another_kind_of_document() -> None:
    error = _refused(GOOD.replace(b'"krat-submission"', b'"krat-national"'))
    assert str(error) == (
        "not a KRAT submission: 'format' is 'krat-national', expected 'krat-submission'"
    )
    error = _refused(b'{"format": {"nested": true}}')
    assert "'format' is a JSON object" in str(error)
    assert "'format' is missing" in str(_refused(b'{"cases": []}'))


def test_missing_version_reports_the_fields_not_none() -> None:
    error = _refused(b'{"format": "krat-submission"}')
    assert "None" not in str(error)
    assert "at /region: Field required" in str(error)


@pytest.mark.parametrize("version", [b'"2.0.0"', b'"10.1.0"', b'"1.0"', b"1", b'"v1.0.0"'])
def test_unsupported_versions(version: bytes) -> None:
    current = f'"schema_version":"{SCHEMA_VERSION}"'.encode()
    raw = GOOD.replace(current, b'"schema_version":' + version)
    with pytest.raises(SchemaVersionError, match="schema_version"):
        krat_core.load_submission(raw)


# --- duplicated keys --------------------------------------------------------------------


def test_duplicated_keys_last_one_wins() -> None:
    raw = GOOD.replace(b'{"activities"', b'{"region":"AL-01","activities"', 1)
    assert raw.count(b'"region":') == 2
    assert krat_core.load_submission(raw).region == "AL-05"
    raw = GOOD.replace(b'{"activities"', b'{"region":"AL-99","activities"', 1)
    assert krat_core.load_submission(raw).region == "AL-05"
    raw = GOOD.replace(b'"region":"AL-05"', b'"region":"AL-05","region":"AL-99"', 1)
    assert "/region" in str(_refused(raw))


# --- sources ----------------------------------------------------------------------------


def test_paths_text_and_bytes(tmp_path: Path) -> None:
    path = tmp_path / "AL-05-2024.json"
    path.write_bytes(GOOD)
    expected = krat_core.load_submission(GOOD)
    assert krat_core.load_submission(path) == expected
    assert krat_core.load_submission(GOOD.decode("utf-8")) == expected
    assert krat_core.load_submission(bytearray(GOOD)) == expected
    assert krat_core.load_submission(memoryview(GOOD)) == expected


def test_unreadable_sources(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    assert str(_refused(missing)).startswith(f"{missing}: cannot read file")
    assert "cannot read file" in str(_refused(tmp_path))
    broken = tmp_path / "broken.json"
    broken.write_bytes(GOOD[:100])
    assert str(_refused(broken)).startswith(f"{broken}: not valid JSON")
    with pytest.raises(FormatError, match="expected a path, str or bytes, got int"):
        krat_core.load_submission(42)  # type: ignore[arg-type]


# --- fuzzing: nothing but FormatError, ever -------------------------------------------


def _only_format_error(raw: bytes | str) -> None:
    try:
        krat_core.load_submission(raw)
    except FormatError as exc:
        assert str(exc)
        assert "Traceback" not in str(exc)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes(raw: bytes) -> None:
    _only_format_error(raw)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=100))
def test_arbitrary_text(text: str) -> None:
    _only_format_error(text)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=100, deadline=None)
@given(_json)
def test_arbitrary_json_values(value: object) -> None:
    _only_format_error(json.dumps(value).encode())
    header = {"format": "krat-submission", "schema_version": "1.0.0"}
    _only_format_error(json.dumps({**header, "x": value}))
    _only_format_error(json.dumps({**header, "region": value, "cases": [value]}))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(GOOD) - 1),
            st.sampled_from(["delete", "insert", "replace"]),
            st.binary(min_size=1, max_size=3),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_byte_level_damage_to_a_valid_file(edits: list[tuple[int, str, bytes]]) -> None:
    raw = bytearray(GOOD)
    for offset, action, data in edits:
        at = min(offset, len(raw))
        if action == "delete":
            del raw[at : at + len(data)]
        elif action == "insert":
            raw[at:at] = data
        else:
            raw[at : at + len(data)] = data
    _only_format_error(bytes(raw))


# --- round trips ------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(submissions())
def test_dump_is_byte_identical_for_equal_data(submission: Submission) -> None:
    data = krat_core.dump_submission(submission)
    rebuilt = Submission.model_validate(submission.model_dump())
    assert rebuilt == submission
    assert krat_core.dump_submission(rebuilt) == data
    # Key order and whitespace in the input do not matter: the output is canonical.
    shuffled = json.dumps(json.loads(data), indent=3, sort_keys=False, ensure_ascii=True)
    again = krat_core.load_submission(shuffled)
    assert again == submission
    assert krat_core.dump_submission(again) == data


def test_deep_nesting_in_an_unknown_field_is_a_nesting_error() -> None:
    # orjson (limit 1024) reads it, the models' parser (limit about 200) does not.
    raw = b'{"format":"krat-submission","x":' + b"[" * 1020 + b"]" * 1020 + b"}"
    assert str(_refused(raw)).startswith("the document is nested too deeply to read (")


def test_loading_restores_the_garbage_collector_state() -> None:
    assert gc.isenabled()
    krat_core.load_submission(GOOD)
    _refused(GOOD[:50])
    assert gc.isenabled()
    gc.disable()
    try:
        krat_core.load_submission(GOOD)
        assert not gc.isenabled()
    finally:
        gc.enable()
