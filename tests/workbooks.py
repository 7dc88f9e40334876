"""Filling the official template in tests, by the machine names of its row 2."""

from __future__ import annotations

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet


def put(sheet: Worksheet, row: int, values: dict[str, object]) -> None:
    """Write ``values`` (by machine name, as row 2 of the template holds them) into ``row``."""
    names = [c.value for c in sheet[2]]
    for name, value in values.items():
        sheet.cell(row=row, column=names.index(name) + 1, value=value)


def column_letter(sheet: Worksheet, name: str) -> str:
    """The letter of the column whose machine name is ``name``."""
    names = [c.value for c in sheet[2]]
    return openpyxl.utils.get_column_letter(names.index(name) + 1)
