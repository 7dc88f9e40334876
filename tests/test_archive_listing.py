"""The completeness matrix rendered by the library (krat archive list prints it as is)."""

from __future__ import annotations

from krat_core.archive import Cell, Completeness, completeness_text, missing_cells


def _matrix(periods: list[str], cells: list[Cell]) -> Completeness:
    return Completeness(periods=periods, cells=cells)


def test_an_empty_archive_is_one_line_in_each_language() -> None:
    empty = _matrix([], [])
    assert completeness_text(empty, "sq") == "Arkivi është bosh.\n"
    assert completeness_text(empty, "en") == "The archive is empty.\n"
    assert missing_cells(empty) == 0


def test_the_matrix_names_each_cell_and_counts_the_missing_ones() -> None:
    matrix = _matrix(
        ["2023", "2024"],
        [
            Cell("AL-02", "2024", versions=2, valid=False),
            Cell("AL-03", "2023", versions=1, valid=True),
        ],
    )
    assert missing_cells(matrix) == 12 * 2 - 2
    en = completeness_text(matrix, "en").splitlines()
    assert en[0] == "Completeness of the archive: 12 regions × 2 periods"
    durres = next(line for line in en if line.startswith("Durrës"))
    assert durres.split("  ")[-1].strip() == "received, 2 versions, invalid"
    elbasan = next(line for line in en if line.startswith("Elbasan"))
    assert "received" in elbasan and "missing" in elbasan
    assert en[-1] == "22 submissions missing"
    sq = completeness_text(matrix, "sq").splitlines()
    assert sq[0] == "Plotësia e arkivit: 12 qarqe × 2 periudha"
    assert sq[2].startswith("Qarku")
    assert any(line.startswith("Tiranë") for line in sq)
    assert any(line.endswith("marrë, 2 versione, i pavlefshëm") for line in sq)
    assert sq[-1] == "22 dorëzime mungojnë"


def test_plural_forms_of_the_matrix_for_one_and_for_none_missing() -> None:
    full = _matrix(
        ["2024"],
        [Cell(f"AL-{n:02d}", "2024", versions=1, valid=True) for n in range(1, 13)],
    )
    assert missing_cells(full) == 0
    text = completeness_text(full, "sq")
    assert text.splitlines()[0] == "Plotësia e arkivit: 12 qarqe × 1 periudhë"
    assert "mungo" not in text  # nothing missing: no closing line
    one_missing = _matrix(["2024"], full.cells[:-1])
    assert completeness_text(one_missing, "sq").splitlines()[-1] == "1 dorëzim mungon"
    assert completeness_text(one_missing, "en").splitlines()[-1] == "1 submission missing"
    assert completeness_text(one_missing, "en").splitlines()[0].endswith("× 1 period")
