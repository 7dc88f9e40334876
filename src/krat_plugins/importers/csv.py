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
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from krat_core import hookimpl
from krat_core.findings import Finding, Severity, SourcePosition
from krat_core.importing.guards import (
    MAX_COLUMNS,
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
        one="ka më shumë se {n:,} rresht (kufiri i rreshtave)",
        other="ka më shumë se {n:,} rreshta (kufiri i rreshtave)",
    ),
    en=Plural(
        one="has more than {n:,} row (the row limit)",
        other="has more than {n:,} rows (the row limit)",
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


TOO_MANY_COLUMNS = Message(
    sq="rreshti {row} ka {n:,} fusha; kufiri është {limit} kolona (si për librat e punës)",
    en="row {row} has {n:,} fields; the limit is {limit} columns (as for workbooks)",
)
MONTH_FIRST_DATES = Message(
    sq="datat si {month_first} e kanë muajin të parin (siç i shkruan Excel-i me gjuhë "
    "amerikane), kështu që një datë si 03/04/2024 mund të lexohet në dy mënyra; tregoni "
    "radhën e datave të skedarit: dita e para (13.02.2024) apo muaji i pari (02/13/2024)",
    en="dates such as {month_first} put the month first (as a US-locale Excel writes them), "
    "so a date such as 03/04/2024 could be read two ways; say which order the file uses: "
    "day first (13.02.2024) or month first (02/13/2024)",
)
MIXED_DATE_ORDER = Message(
    sq="disa data e kanë muajin të parin ({month_first}) dhe disa ditën ({day_first}): "
    "radha e datave nuk dihet; tregoni radhën dhe korrigjoni datat e tjera",
    en="some dates put the month first ({month_first}) and some the day ({day_first}): "
    "the date order is unknown; say which order the file uses and correct the others",
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
            if len(fields) > MAX_COLUMNS:
                raise refusal(
                    TOO_MANY_COLUMNS,
                    row=number,
                    n=len(fields),
                    limit=MAX_COLUMNS,
                    code="import.too-many-columns",
                    source=path,
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
    texts: list[str] = []
    for path in paths:
        check_file(path, options.limits)
        text, _encoding = decode_text(path.read_bytes(), source=path)
        texts.append(text)
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
    from krat_core.importing.cells import DATE_ORDER

    order = options.date_order or date_order(texts, paths)
    token = DATE_ORDER.set(order)
    try:
        result = read_tables(tables, options, header=header, source=source)
    finally:
        DATE_ORDER.reset(token)
    result.findings[:0] = notes
    return result


_SLASH_DATE = re.compile(
    r"(?<![0-9])([0-9]{1,2})\s*[./-]\s*([0-9]{1,2})\s*[./-]\s*[0-9]{4}(?![0-9])"
)


def date_order(texts: Sequence[str], paths: Sequence[Path]) -> str:
    """``"dmy"``, or refuse: the order of ``a/b/yyyy`` dates in CSV text (issue 11).

    Day first is the Albanian way and the default. A date whose second number
    is over 12 (``02/13/2024``) can only be month first, as a US-locale Excel
    writes CSV: then every ``03/04/2024`` of the files is ambiguous, and reading
    them day first would swap day and month silently. Such files are refused
    (``import.date-order``) until the caller says the order
    (``ImportOptions.date_order``); the message shows one date of each kind.
    """
    month_first: str | None = None
    day_first: str | None = None
    where: Path | None = None
    for text, path in zip(texts, paths, strict=False):
        for match in _SLASH_DATE.finditer(text):
            first, second = int(match[1]), int(match[2])
            if second > 12 >= first and month_first is None:
                month_first, where = match[0], path
            elif first > 12 >= second and day_first is None:
                day_first = match[0]
            if month_first is not None and day_first is not None:
                break
    if month_first is None:
        return "dmy"
    message = MIXED_DATE_ORDER if day_first is not None else MONTH_FIRST_DATES
    raise refusal(
        message,
        month_first=month_first,
        day_first=day_first or "",
        code="import.date-order",
        source=where,
    )


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
