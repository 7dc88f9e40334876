"""Built-in importer: the canonical submission (JSON), as written by ``krat import -o``.

A valid file is read in one pass (:func:`krat_core.format.canonical.load_submission`). When
some records are invalid, the header is checked and every record is validated
on its own: the good ones are kept and each bad one becomes findings with its
JSON pointer (``/cases/3/identified_on``), so one bad record does not lose the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from krat_core import hookimpl
from krat_core.errors import FormatError, ImportRefused
from krat_core.findings import Finding, Severity, SourcePosition
from krat_core.importing.guards import check_file, refusal
from krat_core.messages import Message
from krat_core.plugins.descriptors import Importer, ImportOptions, ImportResult, SheetCount

NAME = "json"

NOT_A_SUBMISSION = Message(
    sq="nuk është dorëzim KRAT i vlefshëm: {reason}",
    en="is not a valid KRAT submission: {reason}",
)
INVALID_RECORD = Message(
    sq="{where}: vlerë e pavlefshme ({reason})",
    en="{where}: {reason}",
)


def sniff(path: Path, head: bytes) -> bool:
    """A JSON object (canonical JSON sorts its keys, so ``format`` may lie beyond the head)."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _refused(path: Path, exc: FormatError) -> ImportRefused:
    return refusal(
        NOT_A_SUBMISSION, reason=exc.message, code="import.not-a-submission", source=path
    )


def _read_one(path: Path, options: ImportOptions) -> ImportResult:
    from pydantic import ValidationError

    from krat_core.format.canonical import load_submission, parse_json
    from krat_core.format.models import RECORD_LISTS, RECORD_TYPES, Submission

    check_file(path, options.limits)
    file = str(path)
    try:
        submission = load_submission(path)
    except FormatError as exc:
        error = exc
    else:
        result = ImportResult(submission=submission)
        for kind, name in RECORD_LISTS.items():
            records = getattr(submission, name)
            result.counts.append(
                SheetCount(file, name, rows_read=len(records), records=len(records), kind=kind)
            )
            for index, record in enumerate(records):
                result.positions[(kind, record.id)] = SourcePosition(file, name, index + 1)
        return result
    try:
        data = parse_json(path.read_bytes(), name=file)
    except (FormatError, OSError):
        raise _refused(path, error) from None
    if not isinstance(data, dict) or data.get("format") != "krat-submission":
        raise _refused(path, error)
    lists = {name: data.pop(name, None) for name in RECORD_LISTS.values()}
    try:
        header = Submission.model_validate_json(_dump(data))
    except ValidationError:
        raise _refused(path, error) from None
    findings: list[Finding] = []
    counts: list[SheetCount] = []
    kept: dict[str, list[Any]] = {}
    positions: dict[tuple[str, str], SourcePosition] = {}
    for kind, name in RECORD_LISTS.items():
        items = lists[name] or []
        if not isinstance(items, list):
            raise _refused(path, error)
        count = SheetCount(file, name, rows_read=len(items), kind=kind)
        counts.append(count)
        good = []
        for index, item in enumerate(items):
            try:
                record = RECORD_TYPES[kind].model_validate_json(_dump(item))
                good.append(record)
                positions[(kind, record.id)] = SourcePosition(file, name, index + 1)
            except ValidationError as exc:
                count.rejected += 1
                record_id = item.get("id") if isinstance(item, dict) else None
                for err in exc.errors(include_url=False, include_input=False):
                    pointer = "".join(f"/{p}" for p in err["loc"])
                    text = INVALID_RECORD.both(where=f"{name}[{index}]{pointer}", reason=err["msg"])
                    findings.append(
                        Finding(
                            code="import.missing-required"
                            if err["type"] == "missing"
                            else "import.invalid-value",
                            severity=Severity.ERROR,
                            message_en=text["en"],
                            message_sq=text["sq"],
                            kind=kind,
                            record_id=record_id if isinstance(record_id, str) else None,
                            pointer=pointer,
                            position=SourcePosition(file, name, index + 1, pointer or None),
                        )
                    )
        count.records = len(good)
        kept[name] = good
    return ImportResult(
        submission=header.model_copy(update=kept),
        findings=findings,
        counts=counts,
        positions=positions,
    )


def _dump(data: Any) -> bytes:
    import orjson

    return orjson.dumps(data)


def read(paths: Sequence[Path], options: ImportOptions) -> ImportResult:
    """Read JSON submissions; several files are merged (ids must not repeat)."""
    from krat_core.importing.pipeline import merge_results

    results = [_read_one(Path(p), options) for p in paths]
    return results[0] if len(results) == 1 else merge_results(results)


@hookimpl
def krat_importers() -> list[Importer]:
    """The JSON importer (the canonical submission)."""
    return [
        Importer(
            name=NAME,
            suffixes=(".json",),
            read=read,
            sniff=sniff,
            title="KRAT submission (canonical JSON)",
        )
    ]
