"""Duplicate keys are found however the JSON is written (issue 11, item 2).

The same key can be spelled in many ways: with ``\\uXXXX`` escapes (``"a"`` and
``"\\u0061"`` are one key), escaped quotes, backslashes and solidus, astral
characters as surrogate pairs, whitespace anywhere between tokens, at any depth.
:func:`krat_core.format.canonical.check_duplicate_keys` must refuse every document
in which one object names a key twice, whatever the spelling, and accept the same
document without the repeat.
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from krat_core.errors import FormatError
from krat_core.format.canonical import check_duplicate_keys, load_submission

KEY_CHARS = st.sampled_from(['"', "\\", "/", ":", ",", "{", "a", "b", "é", "\U0001f600", "\n", " "])
KEYS = st.text(KEY_CHARS, max_size=4)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.text(KEY_CHARS, max_size=4)
)
TREES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)
SPACE = st.sampled_from(["", " ", "\n", "\t", "\r\n  "])


def _escape(ch: str) -> str:
    code = ord(ch)
    if code > 0xFFFF:  # a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04X}"
    return f"\\u{code:04x}"


def _string(text: str, data: st.DataObject) -> str:
    """``text`` as a JSON string, each character spelled one of its legal ways."""
    out = []
    for ch in text:
        spellings = [_escape(ch)]
        if ch == '"':
            spellings.append('\\"')
        elif ch == "\\":
            spellings.append("\\\\")
        elif ch == "/":
            spellings += ["/", "\\/"]
        elif ch == "\n":
            spellings.append("\\n")
        else:
            spellings.append(ch)
        out.append(data.draw(st.sampled_from(spellings)))
    return '"' + "".join(out) + '"'


def _write(value: Any, data: st.DataObject, repeat: list[Any] | None = None) -> str:
    """``value`` as JSON text with random spellings and whitespace.

    ``repeat`` (a one-element list holding the id of a dict) makes that dict name
    one of its keys a second time, spelled independently, at a random place.
    """
    if isinstance(value, dict):
        members = [(k, v) for k, v in value.items()]
        if repeat and repeat[0] == id(value):
            key = data.draw(st.sampled_from(sorted(value)))
            members.insert(data.draw(st.integers(0, len(members))), (key, data.draw(SCALARS)))
        parts = [
            data.draw(SPACE) + _string(k, data) + data.draw(SPACE) + ":" + data.draw(SPACE)
            + _write(v, data, repeat) + data.draw(SPACE)
            for k, v in members
        ]  # fmt: skip
        return "{" + ",".join(parts) + data.draw(SPACE) + "}"
    if isinstance(value, list):
        return "[" + ",".join(data.draw(SPACE) + _write(v, data, repeat) for v in value) + "]"
    if isinstance(value, str):
        return _string(value, data)
    return orjson.dumps(value).decode()


def _dicts(value: Any) -> list[dict[str, Any]]:
    """Every object in ``value`` that has at least one key."""
    found = []
    if isinstance(value, dict):
        if value:
            found.append(value)
        for v in value.values():
            found += _dicts(v)
    elif isinstance(value, list):
        for v in value:
            found += _dicts(v)
    return found


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, TREES, min_size=1, max_size=4), st.data())
def test_a_repeated_key_is_found_however_it_is_spelled(
    tree: dict[str, Any], data: st.DataObject
) -> None:
    target = data.draw(st.sampled_from(_dicts(tree)))
    raw = _write(tree, data, [id(target)]).encode("utf-8")
    assert orjson.loads(raw) is not None  # valid JSON, only ambiguous
    with pytest.raises(FormatError, match="duplicate key"):
        check_duplicate_keys(raw)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, TREES, min_size=1, max_size=4), st.data())
def test_the_same_spellings_without_a_repeat_pass(
    tree: dict[str, Any], data: st.DataObject
) -> None:
    raw = _write(tree, data).encode("utf-8")
    assert orjson.loads(raw) == tree
    check_duplicate_keys(raw)


def test_load_submission_refuses_a_key_repeated_with_an_escape() -> None:
    from krat_core.demo.synthetic import generate_submission
    from krat_core.format.canonical import dump_submission

    raw = dump_submission(generate_submission("AL-02", 2024, cases=3, activities=1))
    # "\u0072egion" is "region": the header names its region twice.
    forged = raw.replace(b'"region":"AL-02"', b'"region":"AL-02","\\u0072egion":"AL-05"', 1)
    assert forged != raw
    with pytest.raises(FormatError, match="duplicate key"):
        load_submission(forged)
