"""The record sheets converted a column at a time (issue 13, speed) give exactly the
cells the per-cell conversion gives (Column.to_text / Column.to_cell)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krat_core.format.codelists import ExploitationType, Sex
from krat_core.format.models import Submission
from krat_core.importing.columns import Column
from krat_core.importing.sheets import SHEETS, record_columns, record_rows


def _hostile(sub: Submission) -> Submission:
    inst = sub.institutions[0].model_copy(
        update={"name": '=HYPERLINK("x")', "municipality": "'=x\x01 _x0041_"}
    )
    act = sub.activities[0].model_copy(
        update={"title": "+cmd|' /C calc'!A0", "place": "@SUM(1)\x1b", "title_en": "a\n-b"}
    )
    return sub.model_copy(
        update={
            "institutions": [inst, *sub.institutions[1:]],
            "activities": [act, *sub.activities[1:]],
        }
    )


@pytest.mark.parametrize("lang", ["sq", "en"])
def test_columns_match_rows_and_cells(national_2024: list[Submission], lang: str) -> None:
    subs = [_hostile(national_2024[0]), *national_2024[1:]]
    for sheet in SHEETS.values():
        rows = [r for s in subs for r in record_rows(s, sheet)]
        columns = record_columns(subs, sheet)
        assert len(columns) == len(sheet.columns)
        assert [list(c) for c in zip(*columns, strict=True)] == rows, sheet.kind
        assert rows, sheet.kind
        for i, column in enumerate(sheet.columns):
            values = columns[i]
            assert column.texts(values, lang) == [column.to_text(v, lang) for v in values]
            cells = column.cells(values, lang)
            assert cells == [column.to_cell(v, lang) for v in values], column.name
            assert [type(c) for c in cells] == [type(column.to_cell(v, lang)) for v in values]


TEXT = Column("t", "T", "T", "text")
INT = Column("n", "N", "N", "int")
FLOAT = Column("x", "X", "X", "float")
DAY = Column("d", "D", "D", "date")
CODE = Column("c", "C", "C", "code", code_list=Sex)
CODES = Column("cs", "Cs", "Cs", "codes", code_list=ExploitationType)
IDS = Column("i", "I", "I", "ids")


@given(st.lists(st.none() | st.text(), max_size=8))
def test_text_column_as_per_cell(values: list[str | None]) -> None:
    for lang in ("sq", "en"):
        assert TEXT.texts(values, lang) == [TEXT.to_text(v, lang) for v in values]
        assert TEXT.cells(values, lang) == [TEXT.to_cell(v, lang) for v in values]


@given(
    st.lists(st.none() | st.integers(-(10**6), 10**6), max_size=8),
    st.lists(st.none() | st.floats(allow_nan=False), max_size=8),
    st.lists(st.none() | st.dates(date(1900, 1, 1), date(2100, 1, 1)), max_size=8),
    st.lists(st.none() | st.sampled_from(list(Sex)), max_size=8),
    st.lists(st.none() | st.lists(st.sampled_from(list(ExploitationType)), max_size=3)),
    st.lists(st.none() | st.lists(st.sampled_from(["AL-02-I-0001", "X"]), max_size=3)),
)
def test_typed_columns_as_per_cell(ints, floats, days, codes, lists, ids) -> None:
    for column, values in (
        (INT, ints),
        (FLOAT, floats),
        (DAY, days),
        (CODE, codes),
        (CODES, lists),
        (IDS, ids),
    ):
        for lang in ("sq", "en"):
            assert column.texts(values, lang) == [column.to_text(v, lang) for v in values]
            assert column.cells(values, lang) == [column.to_cell(v, lang) for v in values]


_CELL = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("=+-@\t\r\n'\x00\x1b\x85"))


@given(st.lists(st.lists(_CELL, min_size=3, max_size=3), max_size=6))
def test_csv_checked_by_column_as_by_row(rows: list[list[str]]) -> None:
    """The CSV record files checked a column at a time give the bytes of the row-by-row
    check (formula-like cells neutralised, control characters made visible)."""
    from krat_plugins.exporters.csv import _risky_column, _text, csv_bytes

    columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[], [], []]
    for dialect in ("rfc4180", "excel-eu"):
        by_row = csv_bytes(("a", "b", "c"), rows, dialect)
        assert csv_bytes(("a", "b", "c"), (), dialect, columns=columns) == by_row
    for column in columns:
        if not _risky_column(column):
            assert [_text(v) for v in column] == column


@given(
    st.lists(
        st.lists(
            _CELL | st.sampled_from(["", ",", ";", '"', 'a"b', " x "]), min_size=2, max_size=2
        ),
        max_size=6,
    ),
    st.sampled_from([",", ";"]),
)
def test_joined_rows_are_csv_writer_bytes(rows: list[list[str]], delimiter: str) -> None:
    """The record files' fast CSV lines are exactly what csv.writer writes of the
    converted cells."""
    import csv
    import io

    from krat_plugins.exporters.csv import _joined_rows, _text

    expected = io.StringIO()
    writer = csv.writer(expected, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([_text(v) for v in row] for row in rows)
    columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[], []]
    assert _joined_rows(columns, delimiter) == expected.getvalue()


_TABLE_CELL = (
    st.none()
    | st.booleans()
    | st.integers(-(10**9), 10**9)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.dates()
    | _CELL
)


@given(
    st.integers(1, 3).flatmap(
        lambda n: st.lists(st.lists(_TABLE_CELL, min_size=n, max_size=n), max_size=6).map(
            lambda rows: (n, rows)
        )
    ),
    st.sampled_from(["rfc4180", "excel-eu"]),
)
def test_table_columns_as_rows(shape: tuple[int, list[list[object]]], dialect: str) -> None:
    """The report tables written a column at a time give the bytes of the row-by-row
    writer, whatever the cells (text, numbers, dates, booleans, empty)."""
    from krat_plugins.exporters.csv import csv_bytes

    n, rows = shape
    header = [f"h{i}" for i in range(n)]
    columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in header]
    assert csv_bytes(header, (), dialect, columns=columns) == csv_bytes(header, rows, dialect)


@given(
    st.lists(
        _CELL | st.sampled_from([",", ";", '"', "a\nb", "=1", "\x00"]), min_size=1, max_size=4
    ),
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=60),
    st.sampled_from(["rfc4180", "excel-eu"]),
)
def test_repeated_values_written_as_by_row(
    pool: list[str], picks: list[tuple[int, int]], dialect: str
) -> None:
    """Columns of few distinct values (checked on those alone) give the row writer's bytes."""
    from krat_plugins.exporters.csv import csv_bytes

    rows = [[pool[a % len(pool)], pool[b % len(pool)]] for a, b in picks]
    columns = [list(c) for c in zip(*rows, strict=True)]
    expected = csv_bytes(("a", "b"), rows, dialect)
    assert csv_bytes(("a", "b"), (), dialect, text=True, columns=columns) == expected
