"""The plugin author's kit: what an importer for a region's own register needs, in one place.

Everything here is also exported by :mod:`krat_core.importing` (the one module
a plugin imports from)::

    from krat_core.importing import (
        CellProblem, parse_date, parse_code,   # value parsers (cells.py)
        sheet_names, read_sheet,                # sheet listing and reading
        find_header_row,                        # header finding
        cell_finding, file_note,                # bilingual findings at a cell, or about a file
        build_record,                           # a model from a row, or its problems
    )

The value parsers (:func:`~krat_core.importing.cells.parse_date` and the others)
raise :class:`~krat_core.importing.cells.CellProblem` (not a KratError: a per-cell
signal with a code and the expected form in both languages). The functions of
this module raise :class:`~krat_core.errors.ImportFailed` for a whole file that
cannot be read, and nothing else. ``docs/writing-a-plugin.md`` shows each in use.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from krat_core.errors import ImportFailed
from krat_core.findings import Finding, Severity, SourcePosition
from krat_core.format.codelists import fold
from krat_core.messages import LANGUAGES, Message, Plural

__all__ = [
    "HEADER_SEARCH_ROWS",
    "build_record",
    "cell_finding",
    "file_note",
    "find_header_row",
    "read_sheet",
    "sheet_names",
]

HEADER_SEARCH_ROWS = 20
"""How many rows from the top :func:`find_header_row` searches."""

NOT_A_WORKBOOK = Message(
    sq="nuk është libër Excel (.xlsx) i lexueshëm: {error}",
    en="is not a readable Excel workbook (.xlsx): {error}",
)
NO_SUCH_SHEET = Message(
    sq="nuk ka fletë me emrin {sheet} (fletët: {sheets})",
    en="has no sheet called {sheet} (its sheets: {sheets})",
)
NO_HEADER_ROW = Message(
    sq="nuk ka rresht kokash me kolonën {column} në {n} rreshtat e parë",
    en="has no header row with the column {column} in its first {n} rows",
)
MISSING_COLUMNS = Message(
    sq=Plural(one="nuk ka kolonën {columns}", other="nuk ka kolonat {columns}"),
    en=Plural(one="has no column {columns}", other="has no columns {columns}"),
)
NEEDS_CALAMINE = Message(
    sq="leximi i .xlsx kërkon python-calamine: instaloni krat[excel]",
    en="reading .xlsx needs python-calamine: install krat[excel]",
)
IN_COLUMN = Message(sq="{column}: {problem}", en="{column}: {problem}")
"""How :func:`cell_finding` puts a problem and its column together."""

M = TypeVar("M")


def sheet_names(path: str | Path) -> list[str]:
    """The sheet names of an ``.xlsx`` workbook, read with the standard library (cheap).

    Good for an importer's ``sniff``: no spreadsheet library is loaded.

    Raises:
        ImportFailed: ``path`` is not a readable workbook (``source`` is the path).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise ImportFailed(
            NOT_A_WORKBOOK.both(error=f"{type(exc).__name__}: {exc}"), source=path
        ) from None
    names = re.findall(r"<(?:\w+:)?sheet\b[^>]*\bname=\"([^\"]*)\"", xml)
    return [
        n.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
        for n in names
    ]


def read_sheet(path: str | Path, sheet: str) -> list[list[Any]]:
    """Every row of the sheet named ``sheet`` (case and accents ignored), as python-calamine
    reads it: ``str``, ``float``, ``int``, ``bool``, ``date``, ``datetime``; ``""`` when empty.

    Row ``i`` of the list is row ``i + 1`` of the sheet (empty rows at the top kept).

    Raises:
        ImportFailed: python-calamine is missing, the file is not a workbook, or it
            has no such sheet.
    """
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - the [excel] extra is missing
        raise ImportFailed(NEEDS_CALAMINE.both()) from None
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for any damage
        raise ImportFailed(
            NOT_A_WORKBOOK.both(error=f"{type(exc).__name__}: {exc}"), source=path
        ) from None
    try:
        names = [n for n in workbook.sheet_names if fold(n) == fold(sheet)]
        if not names:
            raise ImportFailed(
                NO_SUCH_SHEET.both(
                    sheet=repr(sheet), sheets=", ".join(map(repr, workbook.sheet_names))
                ),
                source=path,
            )
        data = workbook.get_sheet_by_name(names[0])
        rows: list[list[Any]] = data.to_python(skip_empty_area=False)
    finally:
        workbook.close()
    return rows


def find_header_row(
    rows: Sequence[Sequence[Any]],
    columns: Mapping[str, str | Sequence[str]],
    *,
    required: Sequence[str] = (),
    search: int = HEADER_SEARCH_ROWS,
    source: str | Path | None = None,
) -> tuple[int, dict[str, int]]:
    """Find the header row among the first ``search`` rows; say where each field's column is.

    Args:
        rows: the sheet's rows (as :func:`read_sheet` returns them).
        columns: field -> its header text (or several accepted texts). Headers
            are compared without case, accents, spacing or a trailing ``*``.
        required: fields whose column must be there.
        search: how many rows from the top to search.
        source: the file, for the error.

    Returns:
        ``(index of the header row in rows, {field: column index})``: the first row
        holding the header of the first required field (or of the first field).

    Raises:
        ImportFailed: no such row, or a required column is missing.
    """
    wanted: dict[str, str] = {}
    for field, texts in columns.items():
        for text in [texts] if isinstance(texts, str) else texts:
            wanted[_header_key(text)] = field
    anchor = required[0] if required else next(iter(columns))
    anchors = {k for k, f in wanted.items() if f == anchor}
    for index, row in enumerate(rows[:search]):
        keys = [_header_key(c) for c in row]
        if not anchors & set(keys):
            continue
        found: dict[str, int] = {}
        for position, key in enumerate(keys):
            named = wanted.get(key)
            if named is not None and named not in found:
                found[named] = position
        missing = [f for f in required if f not in found]
        if missing:
            headers = ", ".join(repr(_first(columns[f])) for f in missing)
            raise ImportFailed(MISSING_COLUMNS.both(columns=headers, n=len(missing)), source=source)
        return index, found
    raise ImportFailed(
        NO_HEADER_ROW.both(column=repr(_first(columns[anchor])), n=search), source=source
    )


def _first(texts: str | Sequence[str]) -> str:
    return texts if isinstance(texts, str) else texts[0]


def _header_key(cell: Any) -> str:
    return fold(str(cell)).rstrip(" *") if cell not in (None, "") else ""


def _texts(message: Message | Mapping[Any, str], values: Mapping[str, Any]) -> dict[str, str]:
    """Both texts of ``message``: filled with ``values``, or as given (sq and en)."""
    if isinstance(message, Message):
        return {lang: message.text(lang, **values) for lang in LANGUAGES}
    return {lang: message[lang] for lang in LANGUAGES}


def cell_finding(
    code: str,
    problem: Message | Mapping[Any, str],
    *,
    file: str | Path,
    sheet: str | None,
    row: int,
    column: str,
    kind: str | None = None,
    record_id: str | None = None,
    pointer: str = "",
    severity: Severity = Severity.ERROR,
    value: Any = None,
    **values: Any,
) -> Finding:
    """A finding about one cell, in Albanian and English, prefixed with the column's header.

    ``problem`` is a :class:`~krat_core.messages.Message` (filled with ``values``)
    or ``{"sq": ..., "en": ...}`` (a :class:`CellProblem`'s ``expected``).
    Give ``record_id`` (and ``kind``) when the row was kept as a record: the
    report then lists the finding under that record; leave it None for a
    rejected row. ``value`` is echoed in reports: never pass personal data.
    """
    texts = _texts(problem, values)
    return Finding(
        code=code,
        severity=severity,
        message_en=IN_COLUMN.text("en", column=column, problem=texts["en"]),
        message_sq=IN_COLUMN.text("sq", column=column, problem=texts["sq"]),
        kind=kind,
        record_id=record_id,
        pointer=pointer,
        position=SourcePosition(str(file), sheet, row, column),
        value=value,
    )


def file_note(
    code: str,
    message: Message | Mapping[Any, str],
    *,
    file: str | Path,
    sheet: str | None = None,
    column: str | None = None,
    severity: Severity = Severity.WARNING,
    **values: Any,
) -> Finding:
    """A finding about a whole file, sheet or column (no row): "About the file" in reports.

    For what is not about one row: a column the register has and KRAT does not,
    a title that gives the year, a sheet that was skipped.
    """
    texts = _texts(message, values)
    return Finding(
        code=code,
        severity=severity,
        message_en=texts["en"],
        message_sq=texts["sq"],
        position=SourcePosition(str(file), sheet, None, column),
    )


def build_record(model: type[M], data: Mapping[str, Any]) -> tuple[M | None, list[dict[str, Any]]]:
    """``model`` validated from ``data``, or None and what was wrong, field by field.

    Models are strict: code-list members (``ExploitationType.SEXUAL``, or the
    code ``"sexual_exploitation"``), :class:`datetime.date` objects, lists (not
    tuples). Returns ``(record, [])`` or ``(None, problems)`` where each problem is
    ``{"pointer": "/age_at_identification", "en": ..., "sq": ...}`` (pydantic's
    message in English; a short Albanian one). Never raises for bad data.
    """
    from pydantic import BaseModel, ValidationError

    assert isinstance(model, type) and issubclass(model, BaseModel), model
    try:
        record = model.model_validate(dict(data))
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False, include_input=False):
            pointer = "/" + "/".join(str(part) for part in error["loc"])
            sq = _PYDANTIC_SQ.get(error["type"], "nuk është e vlefshme")
            problems.append({"pointer": pointer, "en": error["msg"], "sq": f"vlera {sq}"})
        return None, problems
    return record, []


_PYDANTIC_SQ = {
    "missing": "mungon",
    "greater_than_equal": "është shumë e vogël",
    "less_than_equal": "është shumë e madhe",
    "string_too_long": "është shumë e gjatë",
    "string_pattern_mismatch": "nuk ndjek modelin e kërkuar",
    "enum": "nuk është në listë",
    "date_type": "nuk është datë",
    "list_type": "nuk është listë",
}
