"""The national dataset's files: read a submission or a national dataset, write one.

:func:`load_dataset` reads either document by its ``format``;
:func:`load_national` insists on a national dataset; :func:`read_input` reads
one input of :func:`~krat_core.combine.consolidate.combine` with its name and
SHA-256 (its provenance); :func:`write_national` writes the canonical JSON
atomically, one submission at a time, so memory stays near one submission's
worth. Errors name the file and say what is wrong.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from krat_core.errors import FormatError, NotNationalDataset, SchemaVersionError
from krat_core.format.canonical import (
    BAD_SCHEMA_VERSION,
    INVALID_DOCUMENT,
    _read_source,
    check_duplicate_keys,
    gc_paused,
    invalid_fields,
    load_submission,
    parse_json,
)
from krat_core.format.models import Submission
from krat_core.format.models.amendment import CalendarAmendment
from krat_core.format.models.national import (
    NATIONAL_FORMAT,
    AcceptedSubmission,
    NationalDataset,
    SupersededSubmission,
)
from krat_core.messages import Message

__all__ = [
    "CombineInput",
    "dump_national",
    "iter_national_json",
    "load_dataset",
    "load_national",
    "read_input",
    "write_national",
]

NATIONAL_VERSION_UNSUPPORTED = Message(
    sq="schema_version {version} e grupit kombëtar të të dhënave nuk mbështetet: kjo "
    "bibliotekë lexon 1.x.y (përditësoni krat për të lexuar skedarë më të rinj)",
    en="schema_version {version} of the national dataset is not supported: this library "
    "reads 1.x.y (upgrade krat to read newer files)",
)
NOT_A_DATASET_OBJECT = Message(
    sq="pritej një objekt JSON me format {first} ose {second}, u gjet një JSON {kind}",
    en="expected a JSON object with format {first} or {second}, found a JSON {kind}",
)
NOT_A_DATASET = Message(
    sq="nuk është grup të dhënash KRAT: 'format' është {found}, pritej {first} ose {second}",
    en="not a KRAT dataset: 'format' is {found}, expected {first} or {second}",
)
REGIONAL_NOT_NATIONAL = Message(
    sq="ky është dorëzim rajonal, jo grup kombëtar të dhënash (bashkimi i dorëzimeve "
    "krijon një të tillë)",
    en="this is a regional submission, not a national dataset (combining submissions makes one)",
)

_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
_FORMATS = ("krat-submission", NATIONAL_FORMAT)


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class CombineInput:
    """One input of :func:`combine`: a document and the file it was read from.

    ``name`` is the file's base name and ``sha256`` the digest of its bytes,
    recorded as provenance of every record it holds.
    """

    name: str
    sha256: str
    document: Submission | NationalDataset | CalendarAmendment


def _read_bytes(source: str | os.PathLike[str] | bytes) -> tuple[bytes, str | None]:
    """The bytes of a path (a ``str`` is a path here, not JSON text) and a name for messages."""
    if isinstance(source, bytes | bytearray):
        return bytes(source), None
    return _read_source(Path(source))


def _check_national_header(data: Any, name: str | None) -> None:
    version = data.get("schema_version")
    match = _VERSION.match(version) if isinstance(version, str) else None
    if match is None:
        raise SchemaVersionError(BAD_SCHEMA_VERSION.both(found=repr(version)), source=name)
    if int(match.group(1)) != 1:
        raise SchemaVersionError(NATIONAL_VERSION_UNSUPPORTED.both(version=version), source=name)


def _parse_dataset(raw: bytes, name: str | None) -> Submission | NationalDataset:
    """Parse a submission or a national dataset; on failure, explain what is wrong."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b'"' + NATIONAL_FORMAT.encode() + b'"' in raw:
        try:  # one pass in Rust for the common case
            dataset = NationalDataset.model_validate_json(raw)
            check_duplicate_keys(raw, name=name)
            return dataset
        except ValidationError:
            pass
        except (RecursionError, ValueError, TypeError) as exc:  # pragma: no cover - defensive
            raise FormatError(INVALID_DOCUMENT.both(reason=exc), source=name) from None
    else:
        try:
            return load_submission(raw)
        except FormatError:
            pass
    # The slow path: say precisely what is wrong, naming the file.
    data = parse_json(raw, name=name)
    if not isinstance(data, dict):
        raise FormatError(
            NOT_A_DATASET_OBJECT.both(
                first=repr(_FORMATS[0]), second=repr(_FORMATS[1]), kind=type(data).__name__
            ),
            source=name,
        )
    found = data.get("format")
    if found == NATIONAL_FORMAT:
        _check_national_header(data, name)
        try:
            return NationalDataset.model_validate_json(raw)
        except ValidationError as exc:
            raise FormatError(invalid_fields(exc), source=name) from None
    if found == _FORMATS[0]:
        try:
            return load_submission(raw)
        except FormatError as exc:
            raise type(exc)(exc.texts, source=name) from None
    raise FormatError(
        NOT_A_DATASET.both(found=repr(found), first=repr(_FORMATS[0]), second=repr(_FORMATS[1])),
        source=name,
    )


def load_dataset(source: str | os.PathLike[str] | bytes) -> Submission | NationalDataset:
    """Read a regional submission or a national dataset, by the document's ``format``.

    ``source`` is a path or the document's bytes. Raises
    :class:`~krat_core.errors.FormatError` (or :class:`SchemaVersionError`) naming
    the file for anything else.
    """
    raw, name = _read_bytes(source)
    with gc_paused():
        return _parse_dataset(raw, name)


def load_national(source: str | os.PathLike[str] | bytes) -> NationalDataset:
    """Read a national dataset; a regional submission or anything else raises FormatError."""
    raw, name = _read_bytes(source)
    with gc_paused():
        document = _parse_dataset(raw, name)
    if not isinstance(document, NationalDataset):
        raise NotNationalDataset(REGIONAL_NOT_NATIONAL.both(), source=name)
    return document


def read_input(path: str | os.PathLike[str]) -> CombineInput:
    """Read one input file of :func:`combine`, with its base name and SHA-256.

    The file is a regional submission, a national dataset or a calendar amendment.
    """
    from krat_core.format.amendment import is_amendment, load_amendment

    raw, name = _read_bytes(path)
    document: Submission | NationalDataset | CalendarAmendment
    with gc_paused():
        document = load_amendment(raw, name) if is_amendment(raw) else _parse_dataset(raw, name)
    return CombineInput(Path(path).name, hashlib.sha256(raw).hexdigest(), document)


# --------------------------------------------------------------------------- writing


def _compact(data: Any) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


def _object(parts: dict[str, bytes]) -> bytes:
    """A canonical JSON object from already-serialised values (keys are ASCII field names)."""
    return b"{" + b",".join(_compact(key) + b":" + parts[key] for key in sorted(parts)) + b"}"


def _entry_json(entry: AcceptedSubmission | SupersededSubmission) -> bytes:
    head = entry.model_dump(mode="json", exclude={"submission"})
    parts = {key: _compact(value) for key, value in head.items()}
    parts["submission"] = _compact(entry.submission.model_dump(mode="json"))
    return _object(parts)


def iter_national_json(dataset: NationalDataset) -> Iterator[bytes]:
    """The canonical JSON of ``dataset`` in pieces, one submission at a time.

    Joined, the pieces equal :func:`krat_core.format.canonical.dump_json` of the whole document
    (an empty ``amendments`` list is left out, so a dataset without amendments is what 1.0
    wrote), but peak memory stays near one submission's worth instead of the whole dataset.
    """
    big = ("submissions", "superseded")
    head = dataset.model_dump(mode="json", exclude=set(big))
    keys = sorted([*head, *big])
    yield b"{"
    for i, key in enumerate(keys):
        yield (b"," if i else b"") + _compact(key) + b":"
        if key in big:
            entries: Sequence[AcceptedSubmission | SupersededSubmission] = getattr(dataset, key)
            yield b"["
            for j, entry in enumerate(entries):
                yield (b"," if j else b"") + _entry_json(entry)
            yield b"]"
        else:
            yield _compact(head[key])
    yield b"}\n"


def dump_national(dataset: NationalDataset) -> bytes:
    """Canonical JSON bytes of a national dataset (sorted keys, compact, final newline)."""
    return b"".join(iter_national_json(dataset))


def write_national(path: str | os.PathLike[str], dataset: NationalDataset) -> None:
    """Write ``dataset`` as canonical JSON to ``path`` atomically (no partial file on failure)."""
    from krat_core.atomic import atomic_path
    from krat_core.errors import ExportError, NationalWriteError

    try:
        with gc_paused(), atomic_path(path) as tmp, tmp.open("wb") as handle:
            for piece in iter_national_json(dataset):
                handle.write(piece)
    except ExportError as exc:  # the atomic writer's, with the reason: as the type promised
        raise NationalWriteError(exc.texts, source=Path(path)) from None
