"""Built-in importer: Excel workbooks (.xlsx), above all the official KRAT template.

Reads with python-calamine (fast, Rust) after :func:`krat_core.importing.guards.check_workbook_zip`
has checked the file is a real, bounded, DOCTYPE-free workbook. Sheets are
recognised by their name (``Rastet``/``Cases``...) or by their header row; the
machine names in the template's hidden row 2 decide the columns when present,
so renamed headers do not matter. See ``docs/importing.md``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from krat_core import hookimpl
from krat_core.findings import Finding, Severity, SourcePosition
from krat_core.importing.guards import check_file, check_workbook_zip, refusal
from krat_core.messages import Message, Plural
from krat_core.plugins.descriptors import Importer, ImportOptions, ImportResult

NAME = "xlsx"
HEADER_SEARCH_ROWS = 10
"""How many rows from the top of a sheet are searched for its header row."""

UNREADABLE_WORKBOOK = Message(
    sq="nuk është libër Excel i lexueshëm ({error})",
    en="is not a readable Excel workbook ({error})",
)
UNREADABLE_SHEET = Message(
    sq="fleta {sheet} nuk lexohet ({error})", en="sheet {sheet} cannot be read ({error})"
)
SHEET_TOO_LONG = Message(
    sq=Plural(
        one="fleta {sheet} ka {rows:,} rreshta; kufiri është {n:,} rresht",
        other="fleta {sheet} ka {rows:,} rreshta; kufiri është {n:,}",
    ),
    en=Plural(
        one="sheet {sheet} has {rows:,} rows; the limit is {n:,} row",
        other="sheet {sheet} has {rows:,} rows; the limit is {n:,}",
    ),
)
NOT_A_TEMPLATE_SHEET = Message(
    sq="fleta {sheet} nuk është fletë e modelit (as emër as kokë e njohur); u anashkalua",
    en="sheet {sheet} is not a sheet of the template (no known name or header row); it was skipped",
)


def sniff(path: Path, head: bytes) -> bool:
    """A zip archive whose first entries are those of an Office Open XML workbook."""
    return head.startswith(b"PK\x03\x04") and (
        b"[Content_Types].xml" in head or b"xl/" in head or b"docProps/" in head
    )


def _calamine() -> Any:
    try:
        import python_calamine
    except ImportError:  # pragma: no cover - the [excel] extra is missing
        from krat_core.errors import ImportFailed
        from krat_core.importing.kit import NEEDS_CALAMINE

        raise ImportFailed(NEEDS_CALAMINE.both()) from None
    return python_calamine


def _rows(sheet: Any, offset: int, skip: int) -> Iterator[tuple[int, Sequence[Any]]]:
    """``(row number, cells)`` below the first ``skip`` rows, padded to start at column A.

    Row numbers are the sheet's own (calamine starts at the first used row). A
    cell covered by a merged range reads as the range's value (its top-left
    cell), as the person sees it on screen.
    """
    first = sheet.start[0] if sheet.height else 0
    rows: Iterator[tuple[int, Sequence[Any]]]
    rows = enumerate(islice(sheet.iter_rows(), skip, None), start=first + skip + 1)
    if offset:
        pad: list[Any] = [None] * offset
        rows = ((number, [*pad, *cells]) for number, cells in rows)
    merged = _merged_ranges(sheet)
    if not merged:
        return rows
    return _fill_merged(rows, merged)


def _merged_ranges(sheet: Any) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges as 1-based ``(first row, first col, last row, last col)``."""
    try:
        ranges = sheet.merged_cell_ranges or []
    except Exception:  # older calamine, or a sheet type without merge information
        return []
    found = []
    for (row0, col0), (row1, col1) in ranges:
        if (row1, col1) != (row0, col0):
            found.append((row0 + 1, col0, row1 + 1, col1))
    return found


def _fill_merged(
    rows: Iterator[tuple[int, Sequence[Any]]], merged: list[tuple[int, int, int, int]]
) -> Iterator[tuple[int, Sequence[Any]]]:
    """``rows`` with every cell a merge covers holding the merge's top-left value."""
    values: dict[int, Any] = {}
    for number, cells in rows:
        active = [m for m in merged if m[0] <= number <= m[2]]
        if not active:
            yield number, cells
            continue
        cells = list(cells)
        for index, merge in enumerate(merged):
            top, left, bottom, right = merge
            if not top <= number <= bottom:
                continue
            if number == top:
                values[index] = cells[left] if left < len(cells) else None
            value = values.get(index)
            if right >= len(cells):
                cells.extend([None] * (right + 1 - len(cells)))
            for column in range(left, right + 1):
                if (number, column) != (top, left):
                    cells[column] = value
        yield number, cells


def read(paths: Sequence[Path], options: ImportOptions) -> ImportResult:
    """Read one or more workbooks into one submission (see the module docstring)."""
    from krat_core.importing import (
        INSTRUCTIONS_SHEET,
        LISTS_SHEET,
        SUBMISSION_FIELDS,
        SUBMISSION_SHEET,
        Table,
        find_sheet,
        read_tables,
    )

    calamine = _calamine()
    tables: list[Table] = []
    header: dict[str, tuple[Any, SourcePosition]] = {}
    notes: list[Finding] = []
    workbooks: list[Any] = []
    for path in paths:
        check_file(path, options.limits)
        check_workbook_zip(path, options.limits)
        file = str(path)
        try:
            workbook = calamine.CalamineWorkbook.from_path(file)
        except Exception as exc:  # calamine raises its own error types for any damage
            raise refusal(
                UNREADABLE_WORKBOOK,
                error=f"{type(exc).__name__}: {exc}",
                code="import.damaged",
                source=path,
            ) from None
        workbooks.append(workbook)
        for name in workbook.sheet_names:
            if INSTRUCTIONS_SHEET.matches(name) or LISTS_SHEET.matches(name):
                continue
            try:
                sheet = workbook.get_sheet_by_name(name)
            except Exception as exc:
                raise refusal(
                    UNREADABLE_SHEET,
                    sheet=repr(name),
                    error=f"{type(exc).__name__}: {exc}",
                    code="import.damaged",
                    source=path,
                ) from None
            if sheet.height > options.limits.max_rows + HEADER_SEARCH_ROWS:
                raise refusal(
                    SHEET_TOO_LONG,
                    sheet=repr(name),
                    rows=sheet.height,
                    n=options.limits.max_rows,
                    code="import.too-many-rows",
                    source=path,
                )
            offset = sheet.start[1] if sheet.height else 0
            top: list[list[Any]] = []
            for cells in sheet.iter_rows():
                top.append([None] * offset + cells if offset else cells)
                if len(top) >= HEADER_SEARCH_ROWS:
                    break
            if SUBMISSION_SHEET.matches(name):
                _read_header(sheet, offset, file, name, SUBMISSION_FIELDS, header)
                continue
            found = _find_header(top, name, find_sheet)
            if found is None:
                if any(c not in (None, "") for row in top for c in row):
                    text = NOT_A_TEMPLATE_SHEET.both(sheet=repr(name))
                    notes.append(
                        Finding(
                            code="import.unknown-sheet",
                            severity=Severity.WARNING,
                            message_en=text["en"],
                            message_sq=text["sq"],
                            position=SourcePosition(file, name),
                        )
                    )
                continue
            spec, index = found
            headers = top[index]
            machine = None
            following = top[index + 1] if index + 1 < len(top) else None
            if following is not None and _machine_row(spec, following):
                machine = following
            skip = index + 1 + (1 if machine is not None else 0)
            tables.append(Table(file, name, spec, headers, _rows(sheet, offset, skip), machine))
    source = ", ".join(str(p) for p in paths)
    try:
        result = read_tables(tables, options, header=header, source=source)
    finally:
        for workbook in workbooks:
            workbook.close()
    result.findings[:0] = notes
    return result


def _find_header(top: list[list[Any]], name: str, find_sheet: Any) -> tuple[Any, int] | None:
    """The sheet spec and the index of its header row among the first rows, or None."""
    named = find_sheet(name)
    for index, cells in enumerate(top):
        spec = named or find_sheet(None, cells)
        if spec is None:
            continue
        matched = sum(1 for c in spec.match_headers(cells) if c is not None)
        if matched >= 2 or (named is not None and matched >= 1):
            return spec, index
    return None


def _machine_row(spec: Any, cells: Sequence[Any]) -> bool:
    names = {c.name for c in spec.columns}
    filled = [c for c in cells if isinstance(c, str) and c.strip()]
    return bool(filled) and sum(c.strip() in names for c in filled) * 2 >= len(filled)


def _read_header(
    sheet: Any,
    offset: int,
    file: str,
    name: str,
    fields: Sequence[Any],
    header: dict[str, tuple[Any, SourcePosition]],
) -> None:
    """The key/value rows of the Submission sheet: label (A), value (B), machine name (C)."""
    from krat_core.format.codelists import fold

    by_name = {f.name: f for f in fields}
    by_label = {fold(s): f for f in fields for s in (f.sq, f.en, f.name)}
    for number, cells in _rows(sheet, offset, 0):
        if number > 200:
            break
        cells = list(cells) + [None] * 3
        machine = cells[2].strip() if isinstance(cells[2], str) else ""
        field = by_name.get(machine)
        if field is None and isinstance(cells[0], str):
            field = by_label.get(fold(cells[0]).rstrip(" *"))
        if field is None:
            continue
        label = str(cells[0]).strip() if cells[0] else field.sq
        header.setdefault(field.name, (cells[1], SourcePosition(file, name, number, label)))


@hookimpl
def krat_importers() -> list[Importer]:
    """The XLSX importer (the official template and workbooks with the same sheets)."""
    return [
        Importer(
            name=NAME,
            suffixes=(".xlsx", ".xlsm"),
            read=read,
            sniff=sniff,
            title="Excel workbook (.xlsx): the official KRAT template",
        )
    ]
