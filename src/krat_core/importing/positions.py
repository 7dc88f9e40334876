"""Where a value sits: column letters and headers, record kinds and JSON pointers of sheets.

Small helpers of :mod:`krat_core.importing.reader` that place a finding in the
person's file (sheet, row, column header) and in the record (JSON pointer).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from krat_core.importing.columns import Column, Sheet

__all__ = ["column_for", "column_letter", "header_text", "kind_of", "pointer_of"]


def header_text(headers: Sequence[Any], index: int) -> str:
    """The header of column ``index`` as the person sees it, or its letter when blank."""
    raw = headers[index] if index < len(headers) else None
    if raw is None or not str(raw).strip():
        return column_letter(index)
    return str(raw).strip()


def column_letter(index: int) -> str:
    """The spreadsheet letter of the 0-based column ``index``: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def kind_of(spec: Sheet) -> str:
    """The record kind a sheet's rows belong to (a nested sheet: its parent's kind)."""
    return spec.parent or spec.kind


def pointer_of(spec: Sheet, column: Column | None) -> str:
    """The JSON pointer into the record of ``column`` on ``spec`` ("" for the whole record)."""
    if column is None:
        return ""
    if spec.parent is None:
        return column.pointer
    if column.name == spec.link:
        return ""
    return f"/{spec.list_field}/-{column.pointer}"


def column_for(spec: Sheet, loc: tuple[int | str, ...]) -> Column | None:
    """The column of ``spec`` that a pydantic error location ``loc`` points at, if any."""
    if not loc:
        return None
    head = str(loc[0])
    names = [head]
    if len(loc) > 1 and isinstance(loc[1], str):
        names.insert(0, f"{head}.{loc[1]}")
    for name in names:
        for column in spec.columns:
            if column.name == name:
                return column
    return None
