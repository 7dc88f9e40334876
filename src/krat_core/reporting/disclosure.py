"""Small-cell suppression of published tables that count people.

The rule (as UNODC publishes): a count of people from 1 to N-1 is hidden
(*primary* suppression; default N = 5). Zero is shown: it reveals no one.
Where a table's totals would let a reader work a suppressed count out, more
cells are hidden (*complementary* suppression). Every hidden cell is printed
the same, "x" (:data:`~krat_core.reporting.tables.MARKER`), so a reader cannot
tell the small counts from the others.

This module audits one table at a time (a reachability search, no solver);
the reports audit a whole release at once with integer programs and a
stronger guarantee (:mod:`krat_core.reporting.release`).

What a reader knows
-------------------
A reader of a published table knows every shown number, the equations of the
table (each row of counts adds up to its row total, each column to its column
total, the totals to the grand total) and what the marker means: an "x" cell
holds at least 1 (zero would have been shown). A total the table does not
print is unknown (0 or more).

A suppressed cell is *pinned* when those facts leave it a single possible
value. The algorithm guarantees that no suppressed cell of a published table
is pinned, and, as a consequence, that each row or column with a suppressed
cell has at least two suppressed cells among its counts and its total.

How it is checked (exactly, not by a rule of thumb)
---------------------------------------------------
A two-way table with margins is a network: an arc source -> row i carries the
row total, row i -> column j the cell, column j -> sink the column total, and
sink -> source the grand total. The table's equations are exactly flow
conservation, and the reader's knowledge gives each arc bounds (a shown
number: exactly that; "x": 1 or more; an unprinted total: 0 or more). The
true table is one feasible circulation. A cell can take another
value if and only if a cycle through its arc exists in the *residual* network
of the true table (the constraint matrix of a network is totally unimodular,
so the integer solutions differ from the true one by such cycles). That is a
reachability search, linear in the size of the table.

The algorithm
-------------
1. Primary: suppress every count (interior or total) from 1 to N-1.
2. While some suppressed cells are pinned: among the shown, non-zero cells
   in their rows and columns, suppress the first that unpins one of them,
   trying cells inside the table before totals and smaller counts before
   larger ones (the least information lost); when no single cell unpins any,
   suppress the first candidate and look again.
3. If every candidate is used up and a cell is still pinned (rare, tiny
   tables), every count of the table is withheld as "x".

Each step suppresses one more cell, so it ends after at most as many steps
as the table has cells.

Across tables
-------------
Several tables print the same quantity (all cases, minors, adults); those
cells are *shared*. :func:`protect_tables` makes their suppression the same in
every table (a cell suppressed in one is suppressed in all, then the tables
are protected again until nothing changes), so one table cannot reveal what
another hides. Figures that can be summed across *different* classifications
(e.g. the cases of one sex from two tables) are not audited jointly; keep
the threshold at 5 or more.

Figures computed from people (medians, changes between years, see
:class:`~krat_core.reporting.tables.Stat`) are hidden as "x" when a count they rest
on is from 1 to N-1, and a change is hidden when a cell of its row it is
computed from is suppressed (else the change and the other year would give
the hidden count away).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from krat_core.errors import MalformedTable, ReportOptionError
from krat_core.messages import Message
from krat_core.reporting.tables import MARKER, Cell, Count, Stat, Suppressed, Table

__all__ = [
    "MIN_THRESHOLD",
    "Pattern",
    "pinned_cells",
    "protect_table",
    "protect_tables",
    "suppress_grid",
]

MIN_THRESHOLD = 3
"""Smallest threshold accepted: with N = 2, "<2" would reveal the count (exactly 1)."""

Pos = tuple[int, int]
BAD_THRESHOLD = Message(
    sq="pragu i fshehjes duhet të jetë numër i plotë jo më i vogël se {minimum} (u dha {got})",
    en="the suppression threshold must be a whole number of at least {minimum} (got {got})",
)
UNEVEN_ROWS = Message(
    sq="një tabelë numërimesh kërkon rreshta me gjatësi të barabartë dhe asnjë numër negativ",
    en="a table of counts needs rows of equal length and no negative count",
)
NOT_A_COUNT = Message(
    sq="rrjeta e tabelës mban {cell}, jo një numër personash",
    en="table grid holds {cell}, not a count of people",
)
_INF = float("inf")


@dataclass(frozen=True, slots=True)
class Pattern:
    """Which cells of an augmented table to suppress.

    Positions are ``(row, col)`` in the table extended by its margins: for an
    ``m x n`` interior, row ``m`` is the total row and column ``n`` the total
    column (``(m, n)`` the grand total). ``withheld``: every count is hidden.
    """

    primary: frozenset[Pos]
    complementary: frozenset[Pos]
    withheld: bool = False

    @property
    def suppressed(self) -> frozenset[Pos]:
        """Every suppressed position."""
        return self.primary | self.complementary


def check_threshold(threshold: int) -> None:
    """Raise :class:`~krat_core.errors.ReportOptionError` unless ``threshold`` is a
    usable suppression threshold (a whole number of at least :data:`MIN_THRESHOLD`)."""
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < MIN_THRESHOLD:
        raise ReportOptionError(BAD_THRESHOLD.both(minimum=MIN_THRESHOLD, got=repr(threshold)))


def _augment(interior: Sequence[Sequence[int]]) -> list[list[int]]:
    m = len(interior)
    n = len(interior[0]) if m else 0
    aug = [[*row, sum(row)] for row in interior]
    aug.append(
        [sum(interior[i][j] for i in range(m)) for j in range(n)] + [sum(map(sum, interior))]
    )
    return aug


class _Network:
    """The residual network of an augmented table under the reader's knowledge."""

    def __init__(
        self,
        aug: Sequence[Sequence[int]],
        published: Mapping[Pos, bool],
        primary: frozenset[Pos],
        complementary: frozenset[Pos],
        threshold: int,
    ) -> None:
        m = len(aug) - 1
        n = len(aug[0]) - 1
        self.m, self.n = m, n
        source, sink = 0, m + n + 1
        # arc of each cell: (tail, head)
        self.arc: dict[Pos, tuple[int, int]] = {}
        for i in range(m + 1):
            for j in range(n + 1):
                if i < m and j < n:
                    self.arc[(i, j)] = (1 + i, 1 + m + j)
                elif i < m:
                    self.arc[(i, j)] = (source, 1 + i)
                elif j < n:
                    self.arc[(i, j)] = (1 + m + j, sink)
                else:
                    self.arc[(i, j)] = (sink, source)
        self.adj: list[list[tuple[int, Pos]]] = [[] for _ in range(m + n + 2)]
        self.room: dict[Pos, tuple[bool, bool]] = {}
        for pos, (u, v) in self.arc.items():
            value = aug[pos[0]][pos[1]]
            lo: float
            hi: float
            if not published.get(pos, True):
                lo, hi = 0, _INF
            elif pos in primary or pos in complementary:  # "x": zero would be shown
                lo, hi = min(1, value), _INF
            else:
                lo = hi = value
            up, down = value < hi, value > lo
            self.room[pos] = (up, down)
            if up:
                self.adj[u].append((v, pos))
            if down:
                self.adj[v].append((u, pos))

    def _reaches(self, start: int, goal: int, skip: Pos) -> bool:
        seen = {start}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if node == goal:
                return True
            for nxt, pos in self.adj[node]:
                if pos != skip and nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return False

    def pinned(self, pos: Pos) -> bool:
        """Whether the cell at ``pos`` has a single feasible value."""
        u, v = self.arc[pos]
        up, down = self.room[pos]
        if up and self._reaches(v, u, pos):
            return False
        return not (down and self._reaches(u, v, pos))


def _published_mask(m: int, n: int, row_totals: bool, col_totals: bool) -> dict[Pos, bool]:
    mask: dict[Pos, bool] = {}
    for i in range(m):
        mask[(i, n)] = row_totals
    for j in range(n):
        mask[(m, j)] = col_totals
    mask[(m, n)] = row_totals and col_totals
    return mask


def pinned_cells(
    interior: Sequence[Sequence[int]],
    pattern: Pattern,
    threshold: int,
    *,
    row_totals: bool = True,
    col_totals: bool = True,
) -> set[Pos]:
    """The suppressed cells of ``pattern`` that a reader of the published table can pin.

    An empty set means the pattern protects every suppressed cell. A withheld
    table reveals nothing.
    """
    if pattern.withheld:
        return set()
    aug = _augment(interior)
    mask = _published_mask(len(interior), len(aug[0]) - 1, row_totals, col_totals)
    net = _Network(aug, mask, pattern.primary, pattern.complementary, threshold)
    return {p for p in pattern.suppressed if net.pinned(p)}


def suppress_grid(
    interior: Sequence[Sequence[int]],
    threshold: int,
    *,
    row_totals: bool = True,
    col_totals: bool = True,
    forced: frozenset[Pos] = frozenset(),
) -> Pattern:
    """The suppression pattern of a table of counts of people (see the module docs).

    Args:
        interior: the counts, one list per row (all rows the same length, >= 0).
        threshold: N; counts 1..N-1 are suppressed (at least 3).
        row_totals: whether the table prints each row's total.
        col_totals: whether the table prints each column's total (and, with
            ``row_totals``, the grand total).
        forced: positions that must be suppressed anyway (shared cells hidden in
            another table); zero cells among them stay shown.

    Returns:
        A :class:`Pattern` in augmented coordinates (margins at index m and n).
    """
    check_threshold(threshold)
    m = len(interior)
    if m == 0 or not interior[0]:
        return Pattern(frozenset(), frozenset())
    n = len(interior[0])
    if any(len(row) != n for row in interior) or any(v < 0 for row in interior for v in row):
        raise MalformedTable(UNEVEN_ROWS.both())
    aug = _augment(interior)
    mask = _published_mask(m, n, row_totals, col_totals)
    shown = {p for p in ((i, j) for i in range(m + 1) for j in range(n + 1)) if mask.get(p, True)}
    primary = frozenset(p for p in shown if 0 < aug[p[0]][p[1]] < threshold)
    complementary = frozenset(p for p in forced & shown if p not in primary and aug[p[0]][p[1]] > 0)

    def cost(p: Pos) -> tuple[bool, int, Pos]:
        return (p[0] == m or p[1] == n, aug[p[0]][p[1]], p)

    def candidates(stuck: Sequence[Pos], taken: frozenset[Pos]) -> list[Pos]:
        found: set[Pos] = set()
        for i, j in stuck:
            found.update((i, k) for k in range(n + 1))
            found.update((k, j) for k in range(m + 1))
        return sorted(
            (p for p in found if p in shown and p not in taken and aug[p[0]][p[1]] > 0), key=cost
        )

    while True:
        taken = primary | complementary
        net = _Network(aug, mask, primary, complementary, threshold)
        stuck = [p for p in sorted(taken) if net.pinned(p)]
        if not stuck:
            return Pattern(primary, complementary)
        options = candidates(stuck, taken)
        if not options:
            # Nothing left on their lines: try any other shown non-zero cell, then give up.
            rest = sorted((p for p in shown if p not in taken and aug[p[0]][p[1]] > 0), key=cost)
            if not rest:
                return Pattern(primary, complementary, withheld=True)
            complementary = complementary | {rest[0]}
            continue
        chosen = options[0]
        for option in options:
            trial = _Network(aug, mask, primary, complementary | {option}, threshold)
            if any(not trial.pinned(p) for p in stuck):
                chosen = option
                break
        complementary = complementary | {chosen}


# --------------------------------------------------------------------------- tables


def _count(cell: Cell) -> int:
    if isinstance(cell, Count):
        return cell.value
    raise MalformedTable(NOT_A_COUNT.both(cell=repr(cell)))


def _small(value: int, threshold: int) -> bool:
    return 0 < value < threshold


def protect_table(
    table: Table, threshold: int | None, *, forced: frozenset[str] = frozenset()
) -> tuple[Table, frozenset[str]]:
    """Apply small-cell suppression to ``table``.

    Returns the published table (suppressed cells replaced by
    :class:`~krat_core.reporting.tables.Suppressed`) and the keys of its shared cells
    that ended up suppressed. ``forced`` are shared keys to suppress anyway.
    With ``threshold`` None the table is returned as it is.
    """
    if threshold is None or not table.counts_people:
        return table, frozenset()
    check_threshold(threshold)
    rows = [list(r) for r in table.rows]
    hidden: set[tuple[int, int]] = set()
    grid = table.grid
    if grid is not None and grid.rows and grid.cols:
        r_index = {r: i for i, r in enumerate(grid.rows)}
        c_index = {c: j for j, c in enumerate(grid.cols)}
        m, n = len(grid.rows), len(grid.cols)

        def aug_pos(row: int, col: int) -> tuple[int, int] | None:
            i = m if row == grid.total_row else r_index.get(row)
            j = n if col == grid.total_col else c_index.get(col)
            return None if i is None or j is None else (i, j)

        def table_pos(i: int, j: int) -> tuple[int, int] | None:
            row = grid.total_row if i == m else grid.rows[i]
            col = grid.total_col if j == n else grid.cols[j]
            return None if row is None or col is None else (row, col)

        interior = [[_count(rows[r][c]) for c in grid.cols] for r in grid.rows]
        forced_pos = frozenset(
            p
            for cell, key in table.shared.items()
            if key in forced and (p := aug_pos(*cell)) is not None
        )
        pattern = suppress_grid(
            interior,
            threshold,
            row_totals=grid.total_col is not None,
            col_totals=grid.total_row is not None,
            forced=forced_pos,
        )
        if pattern.withheld:
            for i in range(m + 1):
                for j in range(n + 1):
                    tp = table_pos(i, j)
                    if tp is not None:
                        hidden.add(tp)
                        rows[tp[0]][tp[1]] = Suppressed(MARKER, primary=False)
        for i, j in pattern.suppressed:
            tp = table_pos(i, j)
            if tp is not None and tp not in hidden:
                hidden.add(tp)
                primary = (i, j) in pattern.primary
                rows[tp[0]][tp[1]] = Suppressed(MARKER, primary)
    # Counts outside the grid: primary suppression (and forced shared cells).
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if (r, c) in hidden:
                continue
            if isinstance(cell, Count):
                if _small(cell.value, threshold):
                    row[c] = Suppressed(MARKER, primary=True)
                    hidden.add((r, c))
                elif cell.value > 0 and table.shared.get((r, c)) in forced:
                    row[c] = Suppressed(MARKER, primary=False)
                    hidden.add((r, c))
            elif isinstance(cell, Stat) and any(_small(b, threshold) for b in cell.bases):
                row[c] = Suppressed(MARKER, primary=False)
    # A figure computed from other cells of its row (a change) would give a hidden one away.
    for row in rows:
        for c, cell in enumerate(row):
            if isinstance(cell, Stat) and any(isinstance(row[k], Suppressed) for k in cell.of):
                row[c] = Suppressed(MARKER, primary=False)
    suppressed_keys = frozenset(
        key for pos, key in table.shared.items() if isinstance(rows[pos[0]][pos[1]], Suppressed)
    )
    return replace(table, rows=tuple(tuple(r) for r in rows)), suppressed_keys


def protect_tables(tables: Mapping[str, Table], threshold: int | None) -> dict[str, Table]:
    """Protect every table, hiding each shared quantity alike in all tables.

    A shared cell suppressed in one table is forced in every other; tables are
    protected again until no new shared cell is suppressed (at most once per
    shared key).
    """
    if threshold is None:
        return dict(tables)
    check_threshold(threshold)
    forced: frozenset[str] = frozenset()
    while True:
        out: dict[str, Table] = {}
        keys: set[str] = set()
        for key, table in tables.items():
            published, hidden = protect_table(table, threshold, forced=forced)
            out[key] = published
            keys |= hidden
        if keys <= forced:
            return out
        forced = forced | keys
