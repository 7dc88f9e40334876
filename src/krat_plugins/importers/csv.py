"""Built-in importer: CSV files, one per record kind (cases, assistance, activities...).

What Excel writes in Albanian and other European locales is accepted: ``;``
or ``,`` (or tab) as the delimiter, UTF-8 with or without a byte-order mark,
or Windows-1250/1252 (detected, see :func:`krat_core.importing.guards.decode_text`).
The kind of each file is known from its name (``rastet.csv``,
``AL-02-2019-cases.csv``) or else from its header row; headers may be Albanian,
English or the machine names. An optional ``dorezimi.csv``/``submission.csv``
holds the header fields as ``field,value`` rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from krat_core import hookimpl
from krat_core.findings import Finding, Severity, SourcePosition
from krat_core.importing.guards import (
    TEXT_CONTENT,
    check_file,
    decode_text,
    describe_content,
    refusal,
)
from krat_core.messages import Message, Plural
from krat_core.plugins.descriptors import Importer, ImportLimits, ImportOptions, ImportResult

NAME = "csv"
HEADER_SEARCH_ROWS = 10

TOO_MANY_ROWS = Message(
    sq=Plural(
        one="ka më shumë se {n:,} rresht (rriteni kufirin me --max-rows)",
        other="ka më shumë se {n:,} rreshta (rriteni kufirin me --max-rows)",
    ),
    en=Plural(
        one="has more than {n:,} row (raise the limit with --max-rows)",
        other="has more than {n:,} rows (raise the limit with --max-rows)",
    ),
)
FIELD_TOO_LONG = Message(
    sq="rreshti {row} ka një fushë me {size:,} shenja; kufiri është {limit:,}",
    en="row {row} has a field of {size:,} characters; the limit is {limit:,}",
)
BAD_CSV = Message(
    sq="nuk është CSV i vlefshëm afër rreshtit {row}: {error}",
    en="is not valid CSV near row {row}: {error} (a runaway quote or a huge line?)",
)
NO_ROWS = Message(sq="nuk ka asnjë rresht", en="holds no rows")
NO_HEADER_ROW = Message(sq="nuk ka rresht koke", en="holds no header row")
UNKNOWN_FILE = Message(
    sq="lloji i skedarit (raste, aktivitete...) nuk njihet as nga emri as nga rreshti i kokës; "
    "u anashkalua",
    en="the file's kind (cases, activities...) is not known from its name or its header row; "
    "it was skipped",
)


def sniff(path: Path, head: bytes) -> bool:
    """Text (not binary, not a zip or image) whose first line has a delimiter."""
    if not head or describe_content(head) is not TEXT_CONTENT:
        return False
    first = head.split(b"\n", 1)[0]
    return any(d in first for d in (b";", b",", b"\t"))


def delimiter_of(line: str) -> str:
    """The delimiter of a header line: the most frequent of ``;``, ``,`` and tab outside quotes."""
    counts = {";": 0, ",": 0, "\t": 0}
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _records(
    text: str, delimiter: str, path: Path, limits: ImportLimits
) -> Iterator[tuple[int, list[str]]]:
    """``(row number, fields)`` of each CSV record, refusing a file beyond the limits."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, fields in enumerate(reader, start=1):
            if number > limits.max_rows + HEADER_SEARCH_ROWS:
                raise refusal(
                    TOO_MANY_ROWS, n=limits.max_rows, code="import.too-many-rows", source=path
                )
            for value in fields:
                if len(value) > limits.max_cell_chars:
                    raise refusal(
                        FIELD_TOO_LONG,
                        row=number,
                        size=len(value),
                        limit=limits.max_cell_chars,
                        code="import.field-too-long",
                        source=path,
                    )
            yield number, fields
    except csv.Error as exc:
        raise refusal(
            BAD_CSV, row=number + 1, error=exc, code="import.bad-csv", source=path
        ) from None


def read(paths: Sequence[Path], options: ImportOptions) -> ImportResult:
    """Read CSV files (one per record kind) into one submission."""
    from krat_core.importing import (
        SUBMISSION_FIELDS,
        SUBMISSION_SHEET,
        Table,
        find_sheet,
        read_tables,
    )

    tables: list[Table] = []
    header: dict[str, tuple[Any, SourcePosition]] = {}
    notes: list[Finding] = []
    for path in paths:
        check_file(path, options.limits)
        text, _encoding = decode_text(path.read_bytes(), source=path)
        if not text.strip():
            raise refusal(NO_ROWS, code="import.empty", source=path)
        first_line = text.lstrip("\ufeff").split("\n", 1)[0]
        rows = _records(text, delimiter_of(first_line), path, options.limits)
        file = str(path)
        top: list[tuple[int, list[str]]] = []
        for item in rows:
            top.append(item)
            if any(f.strip() for f in item[1]) or len(top) >= HEADER_SEARCH_ROWS:
                break
        if not top or not any(f.strip() for f in top[-1][1]):
            raise refusal(NO_HEADER_ROW, code="import.empty", source=path)
        _, headers = top[-1]
        words = [path.stem, *path.stem.replace("-", "_").split("_")]
        if any(SUBMISSION_SHEET.matches(w) for w in words if w):
            _read_header(rows, headers, file, SUBMISSION_FIELDS, header)
            continue
        spec = find_sheet(path.stem, headers, words=True)
        if spec is None or not any(c is not None for c in spec.match_headers(headers)):
            notes.append(
                Finding(
                    code="import.unknown-sheet",
                    severity=Severity.WARNING,
                    message_en=UNKNOWN_FILE.text("en"),
                    message_sq=UNKNOWN_FILE.text("sq"),
                    position=SourcePosition(file),
                )
            )
            continue
        machine = None
        following = next(rows, None)
        if following is not None and _machine_row(spec, following[1]):
            machine = following[1]
        body = rows if following is None or machine is not None else _chain(following, rows)
        tables.append(Table(file, None, spec, headers, body, machine))
    source = ", ".join(str(p) for p in paths)
    result = read_tables(tables, options, header=header, source=source)
    result.findings[:0] = notes
    return result


def _chain(
    first: tuple[int, list[str]], rest: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[int, list[str]]]:
    yield first
    yield from rest


def _machine_row(spec: Any, cells: Sequence[Any]) -> bool:
    names = {c.name for c in spec.columns}
    filled = [c.strip() for c in cells if isinstance(c, str) and c.strip()]
    return bool(filled) and sum(c in names for c in filled) * 2 >= len(filled)


def _read_header(
    rows: Iterator[tuple[int, list[str]]],
    first: list[str],
    file: str,
    fields: Sequence[Any],
    header: dict[str, tuple[Any, SourcePosition]],
) -> None:
    from krat_core.format.codelists import fold

    by_label = {fold(s): f for f in fields for s in (f.sq, f.en, f.name)}
    for number, cells in _chain((1, first), rows):
        if len(cells) < 2:
            continue
        field = by_label.get(fold(cells[0]).rstrip(" *"))
        if field is not None:
            header.setdefault(field.name, (cells[1], SourcePosition(file, None, number, cells[0])))


@hookimpl
def krat_importers() -> list[Importer]:
    """The CSV importer (one file per record kind)."""
    return [
        Importer(
            name=NAME,
            suffixes=(".csv", ".txt", ".tsv"),
            read=read,
            sniff=sniff,
            title="CSV files, one per record kind (Albanian or English headers)",
        )
    ]
