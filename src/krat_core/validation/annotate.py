"""An annotated copy of a region's workbook: each bad cell marked, with a comment.

``krat validate FILE.xlsx --annotate OUT.xlsx`` writes a copy of FILE.xlsx in
which every cell a finding points at is filled (red for an error, amber for a
warning) and carries a comment with the finding's message in the chosen
language and its code. A finding inside a merged range marks the range's
top-left cell (the only one that can hold a comment). Annotating a workbook
that KRAT annotated before first clears KRAT's own earlier marks (comments
written by KRAT's check, and the fill it gave those cells) and nothing else,
so a cell fixed since the last round is clean again. Excel's cached formula
results are kept, so validating the annotated copy before Excel reopens it
still reads a ``=SUM`` total. Only cells that the importer located
(:meth:`ImportResult.locate <krat_core.plugins.descriptors.ImportResult.locate>`, i.e.
findings with a sheet and a row) are marked; a finding that knows its row but not
its column marks the row's first cell. The original file is never touched, and
the copy is written atomically (a failure leaves no partial file).

openpyxl is imported only when a workbook is annotated (``pip install krat[excel]``).
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from krat_core.errors import AnnotateError, ExportError, ImportFailed
from krat_core.findings import Finding, Severity
from krat_core.messages import Message

if TYPE_CHECKING:
    from krat_core.validation.report import ValidationReport

__all__ = ["AUTHOR", "FILLS", "HEADER_ROWS_SCANNED", "annotate_workbook", "cell_marks"]

NEEDS_OPENPYXL = Message(
    sq="shënimi i një libri pune kërkon openpyxl: instaloni krat[excel]",
    en="annotating a workbook needs openpyxl: install krat[excel]",
)
WOULD_OVERWRITE = Message(
    sq="kopja e shënuar nuk duhet të mbishkruajë librin origjinal të punës",
    en="the annotated copy must not overwrite the original workbook",
)
CANNOT_OPEN_WORKBOOK = Message(
    sq="libri i punës nuk mund të hapet për t'u shënuar: {error}",
    en="cannot open the workbook to annotate it: {error}",
)
CANNOT_WRITE_ANNOTATED = Message(
    sq="libri i shënuar i punës nuk mund të shkruhet: {error}",
    en="cannot write the annotated workbook: {error}",
)

AUTHOR = "KRAT validate"
"""The author of the comments :func:`annotate_workbook` writes (how it finds them next round)."""
_FINDING_LINE = re.compile(r"\[[a-z][a-z0-9_.-]*\]\s*$")

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
        raise AnnotateError(NEEDS_OPENPYXL.both()) from None
    src, dst = Path(source), Path(target)
    if dst.exists() and src.exists() and os.path.samefile(src, dst):
        raise AnnotateError(WOULD_OVERWRITE.both(), source=dst)
    findings = report.findings if hasattr(report, "findings") else report
    marks = cell_marks(findings, src.name, lang)
    try:
        workbook = openpyxl.load_workbook(src)
    except Exception as exc:
        raise ImportFailed(
            CANNOT_OPEN_WORKBOOK.both(error=f"{type(exc).__name__}: {exc}"), source=src
        ) from None
    cached = _cached_formula_values(src)
    _clear_marks(workbook)
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
        cell = _anchor(sheet, row, index or 1)
        if index is None and column:
            lines = [f"[{column}] {line}" for line in lines]
        colour = FILLS[severity]
        if colour is not None:
            cell.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
        text = "\n".join(lines)
        if cell.comment is not None and cell.comment.text:
            text = cell.comment.text.rstrip() + "\n" + text
        comment = Comment(text[:32_000], AUTHOR)
        comment.width = 420
        comment.height = min(600, 40 + 40 * len(lines))
        cell.comment = comment
        marked.add((sheet_name, cell.row, cell.column))
    try:
        with atomic_path(dst) as tmp:
            workbook.save(tmp)
            if cached:
                _restore_cached_values(Path(tmp), [ws.title for ws in workbook.worksheets], cached)
    except OSError as exc:
        raise ExportError(CANNOT_WRITE_ANNOTATED.both(error=exc), source=dst) from None
    return len(marked)


def _anchor(sheet: Any, row: int, column: int) -> Any:
    """The cell at ``(row, column)``, or the top-left cell of the merged range covering it."""
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= column <= merged.max_col:
            return sheet.cell(row=merged.min_row, column=merged.min_col)
    return sheet.cell(row=row, column=column)


def _is_own_comment(comment: Any) -> bool:
    """A comment an earlier :func:`annotate_workbook` wrote (this version's author, or an
    older version's ``KRAT`` comment whose every line ends with a finding code)."""
    if comment is None:
        return False
    if comment.author == AUTHOR:
        return True
    lines = [line for line in (comment.text or "").splitlines() if line.strip()]
    return comment.author == "KRAT" and bool(lines) and all(_FINDING_LINE.search(x) for x in lines)


def _clear_marks(workbook: Any) -> None:
    """Remove KRAT's earlier annotation comments, and the fill it gave those cells only."""
    from openpyxl.styles import PatternFill

    ours = {colour for colour in FILLS.values() if colour}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if not _is_own_comment(getattr(cell, "comment", None)):
                    continue
                cell.comment = None
                colour = cell.fill.fgColor.rgb if cell.fill is not None else None
                if isinstance(colour, str) and colour[-6:].upper() in ours:
                    cell.fill = PatternFill(fill_type=None)


def _cached_formula_values(source: Path) -> dict[str, dict[str, Any]]:
    """Excel's cached results of the formula cells, by sheet title and cell reference."""
    import openpyxl

    try:
        formulas = openpyxl.load_workbook(source, read_only=True)
        values = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception:
        return {}
    found: dict[str, dict[str, Any]] = {}
    try:
        for sheet in formulas.worksheets:
            results = values[sheet.title]
            for row, value_row in zip(sheet.iter_rows(), results.iter_rows(), strict=False):
                for cell, value_cell in zip(row, value_row, strict=False):
                    text = getattr(cell, "value", None)
                    value = value_cell.value
                    if isinstance(text, str) and text.startswith("=") and value is not None:
                        found.setdefault(sheet.title, {})[cell.coordinate] = value
    finally:
        formulas.close()
        values.close()
    return found


_FORMULA_CELL = re.compile(
    r'<c r="(?P<ref>[A-Z]+[0-9]+)"(?P<attrs>[^>]*)>'
    r"(?P<f><f[^>]*/>|<f[^>]*>.*?</f>)<v\s*/?>(?:</v>)?</c>",
    re.S,
)


def _restore_cached_values(
    path: Path, titles: list[str], cached: dict[str, dict[str, Any]]
) -> None:
    """Put the cached formula results back into the saved workbook (openpyxl drops them)."""
    from xml.sax.saxutils import escape

    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info.filename)) for info in archive.infolist()]
    sheet_files = {f"xl/worksheets/sheet{i}.xml": title for i, title in enumerate(titles, 1)}

    def fill(values: dict[str, Any]) -> Any:
        def replace(match: re.Match[str]) -> str:
            value = values.get(match["ref"])
            if value is None:
                return match[0]
            attrs = re.sub(r'\s+t="[^"]*"', "", match["attrs"])
            if isinstance(value, date | datetime | time):
                from openpyxl.utils.datetime import to_excel

                value = to_excel(value)
            if isinstance(value, bool):
                kind, text = ' t="b"', "1" if value else "0"
            elif isinstance(value, int | float):
                kind, text = "", repr(value) if isinstance(value, float) else str(value)
            else:
                kind, text = ' t="str"', escape(str(value))
            return f'<c r="{match["ref"]}"{attrs}{kind}>{match["f"]}<v>{text}</v></c>'

        return replace

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            title = sheet_files.get(info.filename)
            if title is not None and title in cached:
                data = _FORMULA_CELL.sub(fill(cached[title]), data.decode("utf-8")).encode("utf-8")
            archive.writestr(info, data)
