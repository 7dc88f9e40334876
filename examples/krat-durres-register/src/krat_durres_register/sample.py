"""Synthetic Durrës registers, for tests and demonstrations. Nothing here is real.

``register_rows`` turns a synthetic KRAT submission (``krat_core.demo.synthetic``) into
rows of the register; names are invented placeholders (``Emër-007 Sintetik``).
``write_register`` writes them as the workbook the Durrës table keeps
(openpyxl, imported only here: install ``krat-durres-register[test]``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from krat_durres_register.register import COLUMNS, SHEET

__all__ = ["BAD_ROWS", "register_rows", "write_register"]

BAD_ROWS: tuple[dict[str, Any], ...] = (
    {"Data e identifikimit": "32.13.2024"},
    {"Gjinia": "X"},
    {"Mosha": "shumë"},
    {"Statusi (VT/VMT)": ""},
)
"""Changes that each make one row bad (applied to copies of good rows by the tests)."""


def register_rows(submission: Any) -> list[dict[str, Any]]:
    """One register row (header -> cell value) per case of ``submission``."""
    types = {i.id: i.type for i in submission.institutions}
    rows = []
    for n, case in enumerate(submission.cases, start=1):
        transnational = case.scope.value == "transnational"
        abroad = [c for c in case.countries_of_exploitation if c != "AL"]
        rows.append(
            {
                "Nr.": n,
                "Data e identifikimit": case.identified_on,
                "Emri": f"Emër-{n:03d}",
                "Mbiemri": "Sintetik",
                "Datëlindja": None,
                "Gjinia": case.sex.sq,
                "Mosha": case.age_at_identification,
                "Statusi (VT/VMT)": "VT" if case.status.value == "victim" else "VMT",
                "Lloji i shfrytëzimit": ", ".join(t.sq for t in case.exploitation_types),
                "Burimi i identifikimit": case.identification_source.sq,
                "Institucioni identifikues": (
                    types[case.identified_by].sq if case.identified_by in types else None
                ),
                "Data e referimit": case.referral.referred_on if case.referral else None,
                "Brenda/jashtë vendit": "Jashtë vendit" if transnational else "Brenda vendit",
                "Vendi i shfrytëzimit": abroad[0] if abroad else None,
                "Shënime": None,
            }
        )
    return rows


def write_register(
    path: Path,
    rows: Iterable[dict[str, Any]],
    *,
    year: int = 2024,
    headers: Sequence[str] = tuple(COLUMNS.values()),
    blank_rows_after: Sequence[int] = (),
) -> Path:
    """Write ``rows`` as a Durrës register workbook at ``path`` and return ``path``.

    Dates are written as real date cells (``dd.mm.yyyy``); ``blank_rows_after``
    inserts empty rows after those data-row numbers (1-based), as people do.
    """
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([f"Komiteti Rajonal Antitrafik Durrës - {SHEET} {year}"])
    sheet.append([])
    sheet.append(list(headers))
    for n, row in enumerate(rows, start=1):
        sheet.append([row.get(h) for h in headers])
        if n in blank_rows_after:
            sheet.append([])
    for cells in sheet.iter_rows(min_row=4):
        for cell in cells:
            if isinstance(cell.value, date):
                cell.number_format = "DD.MM.YYYY"
    workbook.save(path)
    return path
