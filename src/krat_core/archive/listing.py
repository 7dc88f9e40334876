"""The completeness matrix for a person: the twelve regions by every archived period.

:meth:`krat_core.archive.Archive.list` returns a
:class:`~krat_core.archive.core.Completeness`; :func:`completeness_text` renders
it as ``krat archive list`` prints it (in Albanian or English), and
:func:`missing_cells` counts the submissions still missing (the command's
exit code). Like :meth:`krat_core.combine.CombineResult.to_text`, the
rendering lives in the library so that the command line stays thin and other
front ends print the same table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from krat_core.combine.result import MISSING, RECEIVED, REGION, aligned_lines
from krat_core.messages import Message, Plural

if TYPE_CHECKING:  # the archive's core imports SQLAlchemy; rendering needs none of it
    from krat_core.archive.core import Cell, Completeness

__all__ = ["completeness_text", "missing_cells"]

EMPTY = Message(sq="Arkivi është bosh.", en="The archive is empty.")
LIST_TITLE = Message(
    sq=Plural(
        one="Plotësia e arkivit: {regions} qarqe × {n} periudhë",
        other="Plotësia e arkivit: {regions} qarqe × {n} periudha",
    ),
    en=Plural(
        one="Completeness of the archive: {regions} regions × {n} period",
        other="Completeness of the archive: {regions} regions × {n} periods",
    ),
)
# "marrë" and "i pavlefshëm" qualify the (masculine) dorëzim of the cell
VERSIONS = Message(
    sq=Plural(one="{n} version", other="{n} versione"),
    en=Plural(one="{n} version", other="{n} versions"),
)
INVALID_SHORT = Message(sq="i pavlefshëm", en="invalid")
MISSING_CELLS = Message(
    sq=Plural(one="{n} dorëzim mungon", other="{n} dorëzime mungojnë"),
    en=Plural(one="{n} submission missing", other="{n} submissions missing"),
)


def missing_cells(matrix: Completeness) -> int:
    """How many (region, period) cells of ``matrix`` hold no submission."""
    from krat_core.format.regions import REGION_CODES

    return sum(
        1
        for region in REGION_CODES
        for period in matrix.periods
        if not matrix.cell(region, period).versions
    )


def _cell_text(cell: Cell, lang: str) -> str:
    if not cell.versions:
        return MISSING.text(lang)
    parts = [RECEIVED.text(lang)]
    if cell.versions > 1:
        parts.append(VERSIONS.text(lang, n=cell.versions))
    if cell.valid is False:
        parts.append(INVALID_SHORT.text(lang))
    return ", ".join(parts)


def completeness_text(matrix: Completeness, lang: str = "sq") -> str:
    """The matrix as ``krat archive list`` prints it, in ``lang`` (``"sq"`` or ``"en"``).

    A title, a table with a row per region (all twelve, in code order) and a
    column per period (``marrë``/``received``, the number of versions when
    more than one, ``i pavlefshëm``/``invalid`` when the current version has
    errors, ``mungon``/``missing``), then how many submissions are missing.
    An empty archive is one line. The text ends with a newline.
    """
    from krat_core.format.regions import REGION_CODES, REGIONS

    if not matrix.periods:
        return EMPTY.text(lang) + "\n"
    rows = [[REGION.text(lang), *matrix.periods]]
    for region in REGION_CODES:
        label = REGIONS[region].label(lang)
        rows.append([label, *(_cell_text(matrix.cell(region, p), lang) for p in matrix.periods)])
    lines = [LIST_TITLE.text(lang, regions=len(REGION_CODES), n=len(matrix.periods)), ""]
    lines += aligned_lines(rows)
    missing = missing_cells(matrix)
    if missing:
        lines += ["", MISSING_CELLS.text(lang, n=missing)]
    return "\n".join(lines) + "\n"
