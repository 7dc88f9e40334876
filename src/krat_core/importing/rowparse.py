"""The row parser: one sheet's cells turned into a record's data, decided once per sheet.

:func:`row_parser` is the reader's inner loop (see :mod:`krat_core.importing.reader`),
kept apart so the reader stays readable: for each column it decides once where
the cell is, which field it fills and how it is parsed, and then turns each
row's cells into ``(data, problems)``. A cell that says "nothing here" (``-``,
``n/a``: :func:`~krat_core.importing.cells.is_empty_marker`) and does not parse
is an empty cell, not a problem.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from krat_core.importing.cells import CellProblem, is_empty_marker
from krat_core.importing.columns import EXACT_TYPES, Column, MemoParser

__all__ = ["RowParser", "row_parser"]

RowParser = Callable[
    [Sequence[Any]], tuple[dict[str, Any], list[tuple[Column, Any, CellProblem]] | None]
]
MISS = object()


def row_parser(columns: Sequence[tuple[int, Column, Callable[[Any], Any]]]) -> RowParser:
    """A function turning a row's cells into the model data, for these columns.

    ``row(cells)`` returns ``(data, problems)``: the values by field (flattened
    objects nested again: ``{"referral": {"referred_on": ...}}``), empty cells
    left out, and the cells that could not be parsed. What can be decided once
    per sheet is decided here, into one tuple per column: where the cell is,
    the field its value goes to, its parser, the class of cell taken as it is
    (dates and numbers a reader already typed) and the parser's cache of
    repeated text (codes, yes/no). Flattened objects are nested after the loop.
    """
    exact_steps = []  # cells a reader may already have typed: dates, numbers
    cached_steps = []  # one value that repeats row after row: codes, yes/no, countries, ids
    other_steps = []  # free text, numbers, lists (their parsers keep caches of their own)
    for index, column, parse in columns:
        exact = EXACT_TYPES.get(column.value_type)
        cache = parse.cache if isinstance(parse, MemoParser) and not parse.copy else None
        if exact is not None:
            exact_steps.append((index, column.name, parse, exact))
        elif cache is not None and not column.multi:
            cached_steps.append((index, column.name, parse, cache))
        else:
            other_steps.append((index, column.name, parse))
    exact_columns, cached_columns, other_columns = (
        tuple(exact_steps),
        tuple(cached_steps),
        tuple(other_steps),
    )
    by_index = {index: column for index, column, _ in columns}
    nested = tuple(
        (column.name, *column.name.split(".", 1)) for _, column, _ in columns if "." in column.name
    )
    miss = MISS

    def row(
        cells: Sequence[Any],
    ) -> tuple[dict[str, Any], list[tuple[Column, Any, CellProblem]] | None]:
        data: dict[str, Any] = {}
        failed: list[tuple[int, Any, CellProblem]] | None = None
        for index, name, parse, exact in exact_columns:
            cell = cells[index]
            if not cell and (cell is None or cell == ""):
                continue
            if cell.__class__ is not exact:
                try:
                    cell = parse(cell)
                except CellProblem as problem:
                    if is_empty_marker(cell):
                        continue
                    failed = failed or []
                    failed.append((index, cell, problem))
                    continue
                if cell is None:
                    continue
            data[name] = cell
        for index, name, parse, cache in cached_columns:
            cell = cells[index]
            if not cell and (cell is None or cell == ""):
                continue
            if cell.__class__ is not str or (value := cache.get(cell, miss)) is miss:
                try:
                    value = parse(cell)
                except CellProblem as problem:
                    if is_empty_marker(cell):
                        continue
                    failed = failed or []
                    failed.append((index, cell, problem))
                    continue
            if value is not None:
                data[name] = value
        for index, name, parse in other_columns:
            cell = cells[index]
            if not cell and (cell is None or cell == ""):
                continue
            try:
                value = parse(cell)
            except CellProblem as problem:
                if is_empty_marker(cell):
                    continue
                failed = failed or []
                failed.append((index, cell, problem))
                continue
            if value is not None and (value.__class__ is not list or value):
                data[name] = value
        for name, head, leaf in nested:
            if name in data:
                data.setdefault(head, {})[leaf] = data.pop(name)
        if failed is None:
            return data, None
        failed.sort(key=lambda problem: problem[0])  # in column order, as the file has them
        return data, [(by_index[index], cell, problem) for index, cell, problem in failed]

    return row
