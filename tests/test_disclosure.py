"""Small-cell suppression: primary and complementary cells, audited by an independent attacker."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krat_core.errors import KratError
from krat_core.reporting import Count, Grid, Label, Stat, Suppressed, Table, build_report
from krat_core.reporting.disclosure import (
    Pattern,
    check_threshold,
    pinned_cells,
    protect_table,
    protect_tables,
    suppress_grid,
)

# --------------------------------------------------------------------------- the attacker


def _augment(interior: list[list[int]]) -> list[list[int]]:
    aug = [[*row, sum(row)] for row in interior]
    n = len(interior[0])
    aug.append([sum(r[j] for r in interior) for j in range(n)] + [sum(map(sum, interior))])
    return aug


MAX_SIDE = 3
"""The largest table side the property test draws: the attacker below looks at
no more than 3 values per interior cell, so at most 3 ** (MAX_SIDE * MAX_SIDE)
= 19,683 candidate tables (measured worst case: about 0.1 s)."""


def attack(
    interior: list[list[int]],
    pattern: Pattern,
    threshold: int,
    *,
    row_totals: bool,
    col_totals: bool,
    reach: int = 1,
) -> set[tuple[int, int]]:
    """Brute force: the suppressed cells that take one value only in every table
    consistent with what is published. Independent of the library's flow audit.

    The search is exact and bounded. A reader's knowledge is a set of bounds on
    the cells and totals, and the tables consistent with it are the integer
    points of a network polytope. If another consistent table ``y`` differs from
    the true ``x`` in some cell, ``y - x`` decomposes into unit cycles that agree
    with its signs, and ``x`` plus the cycle through that cell is consistent
    too (each entry lies between ``x`` and ``y``). So a witness, when one
    exists, differs from the truth by at most 1 in every cell: each interior cell
    ranges over its true value +-1 (within what the reader knows of it);
    ``reach`` widens that, to check the argument.
    """
    m, n = len(interior), len(interior[0])
    assert m <= MAX_SIDE and n <= MAX_SIDE, "the attacker is bounded to small tables"
    aug = _augment(interior)
    suppressed = pattern.suppressed

    def published(pos: tuple[int, int]) -> bool:
        i, j = pos
        if i < m and j < n:
            return True
        if i < m:
            return row_totals
        if j < n:
            return col_totals
        return row_totals and col_totals

    def allowed(pos: tuple[int, int], value: int) -> bool:
        if not published(pos):
            return value >= 0
        if pos in suppressed:  # "x", the one marker: zero would have been shown
            return value >= 1
        return value == aug[pos[0]][pos[1]]

    def domain(pos: tuple[int, int]) -> list[int]:
        true = aug[pos[0]][pos[1]]
        if pos not in suppressed:
            return [true]
        return [v for v in range(true - reach, true + reach + 1) if allowed(pos, v)]

    witnessed: set[tuple[int, int]] = set()
    todo = set(suppressed)
    rows: list[list[int]] = []

    def finish() -> bool:
        cols = [sum(r[j] for r in rows) for j in range(n)]
        if not all(allowed((m, j), cols[j]) for j in range(n)):
            return False
        if not allowed((m, n), sum(cols)):
            return False
        full = [[*r, sum(r)] for r in rows] + [[*cols, sum(cols)]]
        for p in todo:
            if full[p[0]][p[1]] != aug[p[0]][p[1]]:
                witnessed.add(p)
        return witnessed >= todo

    def walk(i: int) -> bool:
        if i == m:
            return finish()
        cells = [(i, j) for j in range(n)]
        for values in itertools.product(*(domain(c) for c in cells)):
            if not allowed((i, n), sum(values)):
                continue
            rows.append(list(values))
            done = walk(i + 1)
            rows.pop()
            if done:
                return True
        return False

    walk(0)
    return todo - witnessed


@settings(max_examples=80, deadline=None)
@given(
    interior=st.lists(st.lists(st.integers(0, 9), min_size=2, max_size=2), min_size=2, max_size=2),
    hidden=st.sets(st.tuples(st.integers(0, 2), st.integers(0, 2)), max_size=9),
    margins=st.sampled_from([(True, True), (True, False), (False, True)]),
)
def test_the_attacker_misses_nothing_within_reach_one(
    interior: list[list[int]], hidden: set[tuple[int, int]], margins: tuple[bool, bool]
) -> None:
    """Any pattern, sound or not: looking 3 values further finds no other witness."""
    aug = _augment(interior)
    primary = frozenset(p for p in hidden if 0 < aug[p[0]][p[1]] < 3)
    complementary = frozenset(p for p in hidden if aug[p[0]][p[1]] >= 3)
    pattern = Pattern(primary, complementary)
    row_totals, col_totals = margins
    near = attack(interior, pattern, 3, row_totals=row_totals, col_totals=col_totals)
    far = attack(interior, pattern, 3, row_totals=row_totals, col_totals=col_totals, reach=3)
    assert near == far


def _full_lines(m: int, n: int) -> list[list[tuple[int, int]]]:
    return [[(i, j) for j in range(n + 1)] for i in range(m + 1)] + [
        [(i, j) for i in range(m + 1)] for j in range(n + 1)
    ]


small_counts = st.one_of(st.integers(0, 4), st.integers(0, 12))
tables = st.integers(1, MAX_SIDE).flatmap(
    lambda m: st.integers(1, MAX_SIDE).flatmap(
        lambda n: st.lists(st.lists(small_counts, min_size=n, max_size=n), min_size=m, max_size=m)
    )
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    interior=tables,
    threshold=st.sampled_from([3, 5]),
    margins=st.sampled_from([(True, True), (True, False), (False, True)]),
)
def test_no_suppressed_cell_can_be_pinned_from_the_margins(
    interior: list[list[int]], threshold: int, margins: tuple[bool, bool]
) -> None:
    row_totals, col_totals = margins
    pattern = suppress_grid(interior, threshold, row_totals=row_totals, col_totals=col_totals)
    aug = _augment(interior)
    m, n = len(interior), len(interior[0])
    # Primary: exactly the published counts from 1 to N-1.
    for i in range(m + 1):
        for j in range(n + 1):
            value = aug[i][j]
            published = (
                (i < m and j < n)
                or (i < m and row_totals)
                or (j < n and col_totals)
                or (row_totals and col_totals)
            )
            if published and 0 < value < threshold:
                assert (i, j) in pattern.primary
            if value == 0:
                assert (i, j) not in pattern.suppressed
    # Complementary cells are never small and never zero.
    assert all(aug[i][j] >= threshold for i, j in pattern.complementary)
    if pattern.withheld:
        return
    # Neither the library's audit nor an independent brute-force attacker pins a cell.
    assert (
        pinned_cells(interior, pattern, threshold, row_totals=row_totals, col_totals=col_totals)
        == set()
    )
    assert (
        attack(interior, pattern, threshold, row_totals=row_totals, col_totals=col_totals) == set()
    )
    # The rule of thumb follows: a line with a suppressed cell has at least two.
    if row_totals and col_totals:
        for line in _full_lines(m, n):
            hidden = [p for p in line if p in pattern.suppressed]
            assert len(hidden) != 1, (line, pattern)


def test_a_lone_small_cell_gets_partners() -> None:
    interior = [[3, 10], [8, 12]]
    pattern = suppress_grid(interior, 5)
    assert pattern.primary == {(0, 0)}
    # A rectangle: 3 with 10 in its row, 8 in its column, 12 diagonal (smallest partners).
    assert pattern.complementary == {(0, 1), (1, 0), (1, 1)}
    assert attack(interior, pattern, 5, row_totals=True, col_totals=True) == set()


def test_the_attacker_pins_primary_suppression_alone() -> None:
    """The audit is not vacuous: primary suppression alone is recovered from the totals."""
    interior = [[3, 10], [8, 12]]
    naive = Pattern(primary=frozenset({(0, 0)}), complementary=frozenset())
    assert attack(interior, naive, 5, row_totals=True, col_totals=True) == {(0, 0)}
    assert pinned_cells(interior, naive, 5) == {(0, 0)}


def test_the_marker_means_one_or_more() -> None:
    """An "x" is known to hold 1 or more (zero is shown): two hidden 1s beside their
    shown row total 2 are pinned, so the algorithm hides the total too."""
    interior = [[1, 1], [8, 9]]
    naive = Pattern(frozenset({(0, 0), (0, 1)}), frozenset())
    assert attack(interior, naive, 5, row_totals=True, col_totals=False) == {(0, 0), (0, 1)}
    pattern = suppress_grid(interior, 5, row_totals=True, col_totals=False)
    assert (0, 2) in pattern.suppressed
    assert attack(interior, pattern, 5, row_totals=True, col_totals=False) == set()


def test_zero_and_large_counts_stay() -> None:
    pattern = suppress_grid([[0, 20], [30, 40]], 5)
    assert pattern.suppressed == frozenset()


@pytest.mark.parametrize("bad", [2, 0, -1, True, 2.5])
def test_threshold_must_be_at_least_three(bad: object) -> None:
    with pytest.raises(KratError, match="at least 3"):
        check_threshold(bad)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- tables


def _table(key: str, counts: list[list[int]], shared: dict[tuple[int, int], str]) -> Table:
    rows = [(Label(f"r{i}"), *(Count(v) for v in r), Count(sum(r))) for i, r in enumerate(counts)]
    totals = [sum(r[j] for r in counts) for j in range(len(counts[0]))]
    rows.append((Label("total"), *(Count(v) for v in totals), Count(sum(totals))))
    n = len(counts[0])
    return Table(
        key=key,
        section="cases",
        title=Label(key),
        header=(Label("label"), *(Label(f"c{j}") for j in range(n)), Label("total")),
        rows=tuple(rows),
        grid=Grid(tuple(range(len(counts))), tuple(range(1, n + 1)), len(counts), n + 1),
        shared=shared,
    )


def test_protect_table_marks_cells() -> None:
    table = _table("t", [[3, 10], [8, 12]], {})
    published, _ = protect_table(table, 5)
    assert published.rows[0][1] == Suppressed("x", primary=True)
    assert published.rows[0][2] == Suppressed("x", primary=False)
    assert published.rows[2][3] == Count(33)
    unprotected, _ = protect_table(table, None)
    assert unprotected is table


def test_stats_hidden_with_small_bases() -> None:
    table = Table(
        key="s",
        section="referral",
        title=Label("s"),
        header=(Label("a"), Label("b"), Label("c")),
        rows=((Label("x"), Stat(4.0, (3,)), Stat(2.0, (12,))),),
    )
    published, _ = protect_table(table, 5)
    assert published.rows[0][1] == Suppressed("x", primary=False)
    assert published.rows[0][2] == Stat(2.0, (12,))


def test_shared_cells_are_hidden_alike_in_every_table() -> None:
    # Table a must hide its second column total (10) as a partner of the 3; table b
    # prints the same quantity (10) in its first column total and must hide it too.
    a = _table("a", [[3, 10]], {(1, 2): "adults"})
    b = _table("b", [[5, 20], [5, 20]], {(2, 1): "adults"})
    alone, _ = protect_table(b, 5)
    assert alone.rows[2][1] == Count(10)
    out = protect_tables({"a": a, "b": b}, 5)
    assert out["a"].rows[1][2] == Suppressed("x", primary=False)
    assert out["b"].rows[2][1] == Suppressed("x", primary=False)


def test_report_shared_cells_agree(national_2024: list) -> None:
    from krat_core.reporting import ReportData

    data = ReportData(tuple(national_2024), True, None, ("2024",))
    report = build_report(data, generated_on="2025-02-10")
    seen: dict[str, object] = {}
    for table in report.tables:
        for (r, c), key in table.shared.items():
            cell = table.rows[r][c]
            if key in seen:
                assert seen[key] == cell, (key, table.key)
            seen[key] = cell
    assert "cases.total" in seen
