"""Reading and writing the canonical JSON of a submission.

``dump_submission`` writes canonical UTF-8 JSON: keys sorted, no insignificant
whitespace, a final newline, so two exports of equal data are byte-identical.
``load_submission`` reads it back; for bad input of any kind it raises
:class:`~krat_core.errors.FormatError` (or :class:`SchemaVersionError`) and nothing else.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jiter
import orjson
from pydantic import ValidationError

from krat_core.errors import FormatError, SchemaVersionError, os_reason
from krat_core.format.models import SUPPORTED_MAJOR, Submission
from krat_core.format.textrules import MULTILINE_PATTERN, TEXT_FORBIDDEN, TEXT_PATTERN
from krat_core.messages import Language, Message, Plural

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "check_duplicate_keys",
    "describe_validation_error",
    "dump_json",
    "dump_submission",
    "gc_paused",
    "invalid_fields",
    "load_submission",
    "parse_json",
]

MAX_DOCUMENT_BYTES = 2 * 1024**3
"""Largest JSON document read (2 GiB); larger inputs are refused before parsing."""

FILE_TOO_LARGE = Message(
    sq="skedari ka {size} bajt; kufiri është {limit}",
    en="file is {size} bytes; the limit is {limit}",
)
CANNOT_READ_FILE = Message(
    sq="skedari nuk mund të lexohet: {reason}", en="cannot read file: {reason}"
)
NOT_A_SOURCE = Message(
    sq="pritej një shteg, str ose bytes, u gjet {kind}",
    en="expected a path, str or bytes, got {kind}",
)
DUPLICATE_KEY = Message(
    sq="çelësi {key} përsëritet në rreshtin {line}, kolona {column}: një objekt mund ta "
    "emërtojë çdo çelës vetëm një herë (nuk dihet cila vlerë synohet)",
    en="duplicate key {key} at line {line}, column {column}: "
    "an object may name each key only once (which value is meant is ambiguous)",
)
DOCUMENT_EMPTY = Message(sq="dokumenti është bosh", en="the document is empty")
DOCUMENT_ENCODING = Message(
    sq="dokumenti është në kodimin {encoding}; ruajeni si UTF-8",
    en="the document is {encoding}; save it as UTF-8",
)
DOCUMENT_NOT_UTF8 = Message(
    sq="dokumenti nuk është UTF-8 (bajti 0x{byte:02X} në {where}; Latin-1 apo "
    "Windows-1250?); ruajeni si UTF-8",
    en="the document is not UTF-8 (byte 0x{byte:02X} at {where}; Latin-1 or "
    "Windows-1250?); save it as UTF-8",
)
NOT_VALID_JSON = Message(
    sq="nuk është JSON i vlefshëm: {reason} në rreshtin {line}, kolona {column}",
    en="not valid JSON: {reason} at line {line}, column {column}",
)
NESTED_TOO_DEEPLY = Message(
    sq="dokumenti ka shumë nivele të futura njëri brenda tjetrit",
    en="the document is nested too deeply",
)
NESTED_TOO_DEEPLY_TO_READ = Message(
    sq="dokumenti ka shumë nivele të futura njëri brenda tjetrit për t'u lexuar ({reason})",
    en="the document is nested too deeply to read ({reason})",
)
NOT_AN_OBJECT = Message(
    sq="pritej një objekt JSON me format {expected}, u gjet {found}",
    en="expected a JSON object with format {expected}, found {found}",
)
FORMAT_MISSING = Message(
    sq="nuk është dokument KRAT: mungon 'format', pritej {expected}",
    en="not a KRAT document: 'format' is missing, expected {expected}",
)
WRONG_FORMAT = Message(
    sq="nuk është dorëzim KRAT: 'format' është {found}, pritej {expected}",
    en="not a KRAT submission: 'format' is {found}, expected {expected}",
)
BAD_SCHEMA_VERSION = Message(
    sq="'schema_version' është {found}; pritej një version si '1.0.0'",
    en="'schema_version' is {found}; expected a version like '1.0.0'",
)
UNSUPPORTED_SCHEMA_VERSION = Message(
    sq="schema_version {version} nuk mbështetet: kjo bibliotekë lexon {major}.x.y "
    "(përditësoni krat për të lexuar skedarë më të rinj)",
    en="schema_version {version} is not supported: this library reads "
    "{major}.x.y (upgrade krat to read newer files)",
)
INVALID_DOCUMENT = Message(sq="dokument i pavlefshëm: {reason}", en="invalid document: {reason}")
INVALID_FIELDS = Message(
    sq=Plural(one="{n} fushë e pavlefshme:\n", other="{n} fusha të pavlefshme:\n"),
    en=Plural(one="{n} invalid field(s):\n", other="{n} invalid field(s):\n"),
)
INVALID_FIELD_AT = Message(sq="  te {path}: {reason}", en="  at {path}: {reason}")
AND_MORE = Message(
    sq=Plural(one="  ... dhe {n} tjetër", other="  ... dhe {n} të tjera"),
    en=Plural(one="  ... and {n} more", other="  ... and {n} more"),
)

_VERSION = re.compile(r"([0-9]{1,9})\.([0-9]{1,9})\.([0-9]{1,9})")

_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
)

_NOT_TEXT = re.compile(f"[{TEXT_FORBIDDEN}]")
_NOT_MULTILINE = re.compile(
    "[" + TEXT_FORBIDDEN.replace(r"\u0000-\u001f", r"\u0000-\u0009\u000b-\u001f") + "]"
)

_JSON_TYPES = {
    list: "a JSON list",
    str: "a JSON string",
    int: "a JSON number",
    float: "a JSON number",
    bool: "a JSON boolean",
    type(None): "JSON null",
}


def _sniff_encoding(raw: bytes) -> str | None:
    """The name of a UTF-16 or UTF-32 encoding ``raw`` is in (by BOM or NUL pattern), or None.

    JSON text starts with an ASCII character, so its NUL bytes give the encoding away
    (RFC 4627, section 3).
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return encoding
    head = raw[:4]
    if len(head) == 4 and head[:3] == b"\x00\x00\x00" and head[3]:
        return "UTF-32 (big-endian)"
    if len(head) == 4 and head[0] and head[1:] == b"\x00\x00\x00":
        return "UTF-32 (little-endian)"
    if len(head) >= 2 and head[0] == 0 and head[1]:
        return "UTF-16 (big-endian)"
    if len(head) >= 2 and head[0] and head[1] == 0:
        return "UTF-16 (little-endian)"
    return None


def _position(raw: bytes, offset: int) -> str:
    """``line L, column C`` (1-based) of byte ``offset`` in ``raw``."""
    line = raw.count(b"\n", 0, offset) + 1
    column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


_PROMOTE_AFTER = 100_000
"""Objects left in the young generation after a pause from which :func:`gc_paused`
moves them to the oldest one (fewer are scanned sooner or later at little cost)."""


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause CPython's cyclic garbage collector while many acyclic objects are built.

    Parsed JSON and the models hold no reference cycles, so reference counting
    frees them; but the collector would rescan every object already built, over
    and over: loading 10^5 cases takes about 3 times longer with it running.
    The collector is restored as it was, also on error.

    What the pause built would still be scanned afterwards: every object created
    while it lasted sits in the young generation, and the first allocation after
    it starts a collection of that generation (at 10^5 cases, about half a second
    of scanning millions of live objects, then again when they move on to the
    middle and the oldest generation). So when more than :data:`_PROMOTE_AFTER`
    objects are left young, they are moved to the oldest generation at once,
    unscanned: ``gc.freeze()`` then ``gc.unfreeze()``, a few constant-time list
    splices in CPython (the permanent generation is merged back into the oldest
    one). The
    collector stays correct (any generation may hold any object; cyclic garbage
    among them is found by the next full collection instead of a young one).
    Done only when the collector was on before the pause, and only when nothing
    is frozen (``gc.get_freeze_count() == 0``), so that objects a program froze
    on purpose (e.g. before forking) stay frozen.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_count()[0] > _PROMOTE_AFTER and gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def dump_json(data: Any) -> bytes:
    """Canonical JSON bytes for plain data: UTF-8, sorted keys, compact, final newline."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)


def dump_submission(submission: Submission) -> bytes:
    """Serialise ``submission`` to canonical JSON bytes.

    Equal submissions give byte-identical output, and
    ``load_submission(dump_submission(s)) == s``.
    """
    return dump_json(submission.model_dump(mode="json"))


def _read_source(source: str | bytes | Path) -> tuple[bytes, str | None]:
    """Return the bytes of ``source`` and a name for messages.

    ``source`` is a :class:`Path`, the JSON text itself (``str``) or its bytes.
    """
    if isinstance(source, Path):
        try:
            size = source.stat().st_size
            if size > MAX_DOCUMENT_BYTES:
                raise FormatError(
                    FILE_TOO_LARGE.both(size=size, limit=MAX_DOCUMENT_BYTES), source=source
                )
            return source.read_bytes(), str(source)
        except OSError as exc:
            raise FormatError(CANNOT_READ_FILE.both(reason=os_reason(exc)), source=source) from None
    if isinstance(source, str):
        return source.encode("utf-8", "surrogatepass"), None
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), None
    raise FormatError(NOT_A_SOURCE.both(kind=type(source).__name__))


_DUPLICATE = re.compile(r'Detected duplicate key "(.*)" at line ([0-9]+) column ([0-9]+)', re.S)


def check_duplicate_keys(raw: bytes, *, name: str | None = None) -> None:
    """Raise :class:`FormatError` if an object in the JSON ``raw`` repeats a key.

    JSON parsers keep the last of two equal keys without a word, so
    ``{"cases": [...], "cases": []}`` would read as no cases: such a document is
    ambiguous and refused, with the key and its position. ``raw`` is expected to
    be valid JSON already (other syntax errors are left to the caller's parser).
    The check is one pass of ``jiter`` (Rust) over the bytes. It builds the parsed
    tree and frees it: with ``cache_mode="all"`` every short string (keys, codes,
    dates, ids under 64 bytes) repeated in the document is one Python object, which
    makes the pass about an eighth cheaper than caching keys only (the cache decides
    which string objects are made, never which keys are compared: that is a set of
    the keys of each object, in Rust). ``tests/test_duplicate_keys_property.py``
    holds what it must catch.
    """
    try:
        jiter.from_json(raw, catch_duplicate_keys=True, cache_mode="all")
    except ValueError as exc:
        match = _DUPLICATE.fullmatch(str(exc))
        if match is None:
            return  # not a duplicate: the caller's parser has the say on syntax
        key = match.group(1)
        shown = key if len(key) <= 60 else key[:57] + "..."
        raise FormatError(
            DUPLICATE_KEY.both(key=repr(shown), line=match.group(2), column=match.group(3)),
            source=name,
        ) from None


def parse_json(raw: bytes, *, name: str | None = None) -> Any:
    """Parse JSON bytes into Python data, or raise :class:`FormatError` saying where and why.

    A UTF-8 byte-order mark is accepted and ignored; any other encoding is refused;
    an object that repeats a key is refused (:func:`check_duplicate_keys`).
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if not raw.strip():
        raise FormatError(DOCUMENT_EMPTY.both(), source=name)
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        encoding = _sniff_encoding(raw)
        if encoding is not None:
            raise FormatError(DOCUMENT_ENCODING.both(encoding=encoding), source=name) from None
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as bad:
            raise FormatError(
                DOCUMENT_NOT_UTF8.both(byte=raw[bad.start], where=_position(raw, bad.start)),
                source=name,
            ) from None
        raise FormatError(
            NOT_VALID_JSON.both(reason=exc.msg, line=exc.lineno, column=exc.colno), source=name
        ) from None
    except RecursionError:  # pragma: no cover - orjson caps depth itself
        raise FormatError(NESTED_TOO_DEEPLY.both(), source=name) from None
    check_duplicate_keys(raw, name=name)
    return data


def _check_header(data: Any, name: str | None, expected_format: str) -> None:
    if not isinstance(data, dict):
        raise FormatError(
            NOT_AN_OBJECT.both(
                expected=repr(expected_format),
                found=_JSON_TYPES.get(type(data), "something else"),
            ),
            source=name,
        )
    if "format" not in data:
        raise FormatError(FORMAT_MISSING.both(expected=repr(expected_format)), source=name)
    found = data["format"]
    if found != expected_format:
        raise FormatError(
            WRONG_FORMAT.both(found=_short(found), expected=repr(expected_format)), source=name
        )
    if "schema_version" not in data:
        return  # the models' default applies; the field errors say what is wrong
    version = data["schema_version"]
    match = _VERSION.fullmatch(version) if isinstance(version, str) else None
    if match is None:
        raise SchemaVersionError(BAD_SCHEMA_VERSION.both(found=_short(version)), source=name)
    if int(match.group(1)) != SUPPORTED_MAJOR:
        raise SchemaVersionError(
            UNSUPPORTED_SCHEMA_VERSION.both(version=version, major=SUPPORTED_MAJOR), source=name
        )


def _short(value: Any, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters (a header value may be huge)."""
    plain = isinstance(value, str | int | float | bool | None)
    text = repr(value) if plain else f"a JSON {'object' if isinstance(value, dict) else 'list'}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _message(err: Any) -> str:
    """The message of one pydantic error; the text rules' pattern said in words.

    For a text that breaks the text rules (docs/format.md), the message names the
    first character it may not hold, by code point and place, never the text.
    """
    pattern = (err.get("ctx") or {}).get("pattern")
    value = err.get("input")
    if err["type"] == "string_pattern_mismatch" and isinstance(value, str):
        bad = None
        if pattern == TEXT_PATTERN:
            bad = _NOT_TEXT.search(value)
        elif pattern == MULTILINE_PATTERN:
            bad = _NOT_MULTILINE.search(value)
        if bad is not None:
            return (
                "text may not hold control characters, line breaks, tabs, bidirectional "
                f"overrides or noncharacters: U+{ord(bad.group()):04X} at character "
                f"{bad.start() + 1}"
            )
    return str(err["msg"])


def describe_validation_error(exc: ValidationError, *, limit: int = 10) -> str:
    """One readable message for a pydantic error: each problem with its JSON path.

    Values are not echoed: they may be personal data. The message is in English;
    :func:`invalid_fields` gives it in Albanian and English.
    """
    return invalid_fields(exc, limit=limit)["en"]


def invalid_fields(exc: ValidationError, *, limit: int = 10) -> dict[Language, str]:
    """:func:`describe_validation_error` in Albanian and English (the problems
    themselves are pydantic's words, in English)."""
    errors = exc.errors(include_url=False)
    found: list[tuple[str, str]] = []
    for err in errors[:limit]:
        path = "/" + "/".join(str(p) for p in err["loc"]) if err["loc"] else "/"
        found.append((path, _message(err)))
    more = len(errors) - limit
    texts: dict[Language, str] = {}
    for lang in ("sq", "en"):
        lines = [INVALID_FIELD_AT.text(lang, path=path, reason=why) for path, why in found]
        if more > 0:
            lines.append(AND_MORE.text(lang, n=more))
        texts[lang] = INVALID_FIELDS.text(lang, n=len(errors)) + "\n".join(lines)
    return texts


def load_submission(source: str | bytes | Path) -> Submission:
    """Read a submission from a path, JSON text or JSON bytes.

    Raises :class:`FormatError` for anything that is not a valid submission
    (bad JSON, wrong document, invalid fields), and :class:`SchemaVersionError`
    for a schema version with an unknown major number.
    """
    raw, name = _read_source(source)
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        # One pass in Rust for the common case; the slow path below explains failures.
        with gc_paused():
            submission = Submission.model_validate_json(body)
            check_duplicate_keys(body, name=name)
        return submission
    except ValidationError as exc:
        error = exc
    except (RecursionError, ValueError, TypeError) as exc:  # pragma: no cover - defensive
        raise FormatError(INVALID_DOCUMENT.both(reason=exc), source=name) from None
    data = parse_json(raw, name=name)  # raises for bad syntax or encoding, with the position
    _check_header(data, name, "krat-submission")
    details = error.errors(include_url=False, include_input=False)
    if len(details) == 1 and details[0]["type"] == "json_invalid":
        # Valid JSON that the models' parser still refuses: nesting deeper than its limit.
        reason = details[0]["msg"].removeprefix("Invalid JSON: ")
        raise FormatError(NESTED_TOO_DEEPLY_TO_READ.both(reason=reason), source=name) from None
    raise FormatError(invalid_fields(error), source=name) from None
