"""An annotated copy of a region's workbook: each bad cell marked, with a comment.

``krat validate FILE.xlsx --annotate OUT.xlsx`` writes a copy of FILE.xlsx in
which every cell a finding points at is filled (red for an error, amber for a
warning) and carries a comment with the finding's message in the chosen
language and its code. Only cells that the importer located
(:meth:`ImportResult.locate <krat_core.plugins.descriptors.ImportResult.locate>`, i.e.
findings with a sheet and a row) are marked; a finding that knows its row but not
its column marks the row's first cell. The original file is never touched, and
the copy is written atomically (a failure leaves no partial file).

openpyxl is imported only when a workbook is annotated (``pip install krat[excel]``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from krat_core.errors import AnnotateError, ExportError, ImportFailed
from krat_core.findings import Finding, Severity

if TYPE_CHECKING:
    from krat_core.validation.report import ValidationReport

__all__ = ["FILLS", "HEADER_ROWS_SCANNED", "annotate_workbook", "cell_marks"]

FILLS: dict[Severity, str | None] = {
    Severity.ERROR: "FFC7CE",  # light red
    Severity.WARNING: "FFE699",  # amber
    Severity.INFO: None,  # comment only
}
"""Background colour (RGB hex) of a marked cell, by the worst severity of its findings."""

HEADER_ROWS_SCANNED = 10
"""How many rows from the top of a sheet are searched for a column's header text."""


@dataclass
class _Mark:
    severity: Severity
    lines: list[str] = field(default_factory=list)


def _column_index(sheet: Any, column: str, cache: dict[str, int | None]) -> int | None:
    """The 1-based index of the column whose header reads ``column`` (or whose letter it is)."""
    if column in cache:
        return cache[column]
    found: int | None = None
    for row in sheet.iter_rows(min_row=1, max_row=HEADER_ROWS_SCANNED):
        for cell in row:
            value = cell.value
            if isinstance(value, str) and value.strip() == column.strip():
                found = cell.column
                break
        if found is not None:
            break
    if found is None and column.isalpha() and column.isupper() and len(column) <= 3:
        from openpyxl.utils import column_index_from_string

        found = column_index_from_string(column)
    cache[column] = found
    return found


def cell_marks(
    findings: Iterable[Finding], workbook_name: str, lang: str = "sq"
) -> dict[tuple[str, int, str | None], tuple[Severity, list[str]]]:
    """Group findings by the cell they point at: ``(sheet, row, column) -> (worst, comment lines)``.

    Only findings with a sheet and a row in the workbook named ``workbook_name`` count.
    """
    marks: dict[tuple[str, int, str | None], _Mark] = {}
    for finding in findings:
        pos = finding.position
        if pos is None or pos.sheet is None or pos.row is None:
            continue
        if Path(pos.file).name != workbook_name:
            continue
        key = (pos.sheet, pos.row, pos.column)
        mark = marks.setdefault(key, _Mark(finding.severity))
        if finding.severity.rank > mark.severity.rank:
            mark.severity = finding.severity
        label = finding.severity.label(lang)
        line = f"{label.capitalize()}: {finding.message(lang)} [{finding.code}]"
        if line not in mark.lines:
            mark.lines.append(line)
    return {k: (m.severity, m.lines) for k, m in marks.items()}


def annotate_workbook(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    report: ValidationReport | Iterable[Finding],
    *,
    lang: str = "sq",
) -> int:
    """Write a copy of ``source`` with every located finding's cell filled and commented.

    Args:
        source: the workbook the submission was imported from (never modified).
        target: where to write the annotated copy (written atomically).
        report: the validation report (or its findings), whose positions name the cells.
        lang: language of the comments, "sq" or "en".

    Returns:
        How many cells were marked.

    Raises:
        AnnotateError: openpyxl is not installed (``install krat[excel]``), ``target``
            is ``source``, or the workbook cannot be read or written.
    """
    from krat_core.atomic import atomic_path

    try:
        import openpyxl
        from openpyxl.comments import Comment
        from openpyxl.styles import PatternFill
    except ImportError:
        raise AnnotateError("annotating a workbook needs openpyxl: install krat[excel]") from None
    src, dst = Path(source), Path(target)
    if dst.exists() and src.exists() and os.path.samefile(src, dst):
        raise AnnotateError(
            "the annotated copy must not overwrite the original workbook", source=dst
        )
    findings = report.findings if hasattr(report, "findings") else report
    marks = cell_marks(findings, src.name, lang)
    try:
        workbook = openpyxl.load_workbook(src)
    except Exception as exc:
        raise ImportFailed(
            f"cannot open the workbook to annotate it: {type(exc).__name__}: {exc}", source=src
        ) from None
    marked: set[tuple[str, int, int]] = set()
    columns: dict[str, dict[str, int | None]] = {}
    for (sheet_name, row, column), (severity, lines) in sorted(
        marks.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or "")
    ):
        if sheet_name not in workbook.sheetnames:
            continue
        sheet = workbook[sheet_name]
        index = None
        if column:
            index = _column_index(sheet, column, columns.setdefault(sheet_name, {}))
        cell = sheet.cell(row=row, column=index or 1)
        if index is None and column:
            lines = [f"[{column}] {line}" for line in lines]
        colour = FILLS[severity]
        if colour is not None:
            cell.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
        text = "\n".join(lines)
        if cell.comment is not None and cell.comment.text:
            text = cell.comment.text.rstrip() + "\n" + text
        comment = Comment(text[:32_000], "KRAT")
        comment.width = 420
        comment.height = min(600, 40 + 40 * len(lines))
        cell.comment = comment
        marked.add((sheet_name, row, index or 1))
    try:
        with atomic_path(dst) as tmp:
            workbook.save(tmp)
    except OSError as exc:
        raise ExportError(f"cannot write the annotated workbook: {exc}", source=dst) from None
    return len(marked)
