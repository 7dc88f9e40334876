"""One disclosure audit per release: every people-counting cell of a public
release protected as one linear system.

A report prints the same people in many tables: the cases by region, by
institution, by status and sex, the key figures, the year-over-year columns.
Auditing each table alone is not enough: Fier's total minus its police
directorate's count minus its other institutions' gives its child-protection
unit exactly. Here the whole release is one system.

The system
----------
Every :class:`~krat_core.reporting.tables.Count` cell of every table is a
*quantity* (cells that show the same quantity in several tables, named by
``Table.shared``, are one quantity). The auditor knows every linear relation
between them that a reader can know:

- each table's grid: interior rows and columns add up to their totals;
- per institution: referred + not referred = identified (not referred is not
  printed: an unknown, at least 0);
- across tables: a region's institutions add up to the region's total, the
  institutions of one type to the type's total, and the institutions'
  referred cases to all referred cases. Cases that no listed institution
  identified make these sums fall short by a fixed number; the auditor assumes
  the reader knows that number exactly (the worst case);
- the year-over-year table: the institutions' counts of an earlier year add
  up to that year's total in the cases-by-year table.

The key figures and the charts are copies of table cells, so they are
protected with them (they are copied after protection).

What a reader knows of a published cell: a shown number exactly; "x" (the
one marker of every suppressed count, small or hidden to protect a small one,
see :data:`~krat_core.reporting.tables.MARKER`): 1 or more, since zero is
always shown; an unprinted quantity: 0 or more. One marker for primary and
complementary suppression alike is the usual practice of statistical
disclosure control (ONS, Eurostat, tau-argus): with "<N" beside "x" a reader
would know which cells are small, and a "<5" total of two "<5" parts would pin
them to a narrower range than the threshold.

The guarantee
-------------
For every suppressed cell, the integer values it can take given everything
published (an integer program, solved exactly with HiGHS through
:func:`scipy.optimize.milp`) are at least N (the threshold; with N = 5 such
as 1..5, or 7..11): a reader can never narrow a hidden count to fewer values
than the threshold, let alone pin it. A public release of a period already
published is audited jointly with the earlier release(s) of the register
(:func:`krat_core.reporting.register.check_revision`).

The secondary suppression is greedy: while some suppressed cell is not
protected, one more cell in a relation with it (smallest count first, of the
same importance or less, see :func:`tier`) is suppressed; adding a
suppression only widens what the other cells can be, so cells once protected
stay protected and it ends. If a cell's relations have no shown cell left,
every non-zero count of its tables is suppressed. The system falls apart into
independent parts once shown cells are fixed; each part is solved alone, and
every solution found is kept as a witness for the other cells of its part
(most cells are shown protected without a program of their own), so the
cost grows with the number of cells, not with the size of the data.

Figures computed from people (:class:`~krat_core.reporting.tables.Stat`)
follow the rules of :mod:`krat_core.reporting.disclosure`: hidden when a
count they rest on is small, a change is hidden when a cell it is computed
from is suppressed, and a median when any count of its row is (shown, it
would bound the count it rests on from below).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from krat_core.reporting.disclosure import check_threshold
from krat_core.reporting.tables import MARKER, Count, Label, Stat, Suppressed, Table, format_cell

__all__ = [
    "Cells",
    "Equation",
    "ReleasePattern",
    "ReleaseSystem",
    "cell_key",
    "protect_release",
    "published_cells",
    "release_system",
    "suppress_release",
]

BIG = 10**7
"""An upper bound for unknowns in the integer programs (far above any count of people)."""

Equation = tuple[tuple[tuple[int, int], ...], int]
"""``((quantity, coefficient), ...), constant``: the sum of coefficient x quantity
is the constant."""


@dataclass(slots=True)
class ReleaseSystem:
    """The people-counting quantities of a release and the relations between them.

    ``keys[i]`` names quantity i (stable across releases: the table, the row
    label and the column header, or the shared name), ``values[i]`` is its true
    value, ``published[i]`` whether a table prints it (False: an unknown to the
    reader, such as the cases not referred), ``cells[(table, row, col)]`` the
    quantity a table cell shows.
    """

    keys: list[str] = field(default_factory=list)
    values: list[int] = field(default_factory=list)
    published: list[bool] = field(default_factory=list)
    cells: dict[tuple[str, int, int], int] = field(default_factory=dict)
    equations: list[Equation] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict)

    def quantity(self, key: str, value: int, *, published: bool = True) -> int:
        """The index of quantity ``key`` (added if new)."""
        found = self._index.get(key)
        if found is not None:
            self.published[found] = self.published[found] or published
            return found
        self._index[key] = len(self.keys)
        self.keys.append(key)
        self.values.append(value)
        self.published.append(published)
        return len(self.keys) - 1

    def relate(self, terms: Iterable[tuple[int, int]], total: int | None = None) -> None:
        """Add the relation "the sum of ``terms`` equals quantity ``total``" (or, with
        ``total`` None, equals the true sum: a known constant)."""
        coef: dict[int, int] = defaultdict(int)
        for q, c in terms:
            coef[q] += c
        if total is not None:
            coef[total] -= 1
        items = tuple((q, c) for q, c in sorted(coef.items()) if c)
        if not items:
            return
        const = sum(self.values[q] * c for q, c in items)
        self.equations.append((items, const))


def cell_key(table: Table, row: int, col: int) -> str:
    """A stable name for a table cell: the table, its row labels and its column header
    (in Albanian), or the shared name of the quantity it shows."""
    shared = table.shared.get((row, col))
    if shared is not None:
        return shared
    cells = table.rows[row]
    label = " / ".join(format_cell(cells[i], "sq") for i in range(min(table.label_cols, col)))
    header = table.header[col].text("sq") if col < len(table.header) else str(col)
    return f"{table.key}|{label}|{header}"


def _label_text(cell: object) -> str:
    return cell.sq if isinstance(cell, Label) else str(cell)


def release_system(tables: Mapping[str, Table]) -> ReleaseSystem:
    """The linear system of every people count in ``tables`` (unprotected: true values)."""
    system = ReleaseSystem()
    for table in tables.values():
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row):
                if isinstance(cell, Count):
                    q = system.quantity(cell_key(table, r, c), cell.value)
                    system.cells[(table.key, r, c)] = q
    for table in tables.values():
        _grid_relations(system, table)
    _institution_relations(system, tables)
    return system


def _grid_relations(system: ReleaseSystem, table: Table) -> None:
    grid = table.grid
    if grid is None:
        return
    rows = [*grid.rows, *([grid.total_row] if grid.total_row is not None else [])]
    cols = [*grid.cols, *([grid.total_col] if grid.total_col is not None else [])]
    at = system.cells

    def q(r: int, c: int) -> int | None:
        return at.get((table.key, r, c))

    if grid.total_col is not None:
        for r in rows:
            parts = [q(r, c) for c in grid.cols]
            total = q(r, grid.total_col)
            if total is not None and all(p is not None for p in parts):
                system.relate(((p, 1) for p in parts if p is not None), total)
    if grid.total_row is not None:
        for c in cols:
            parts = [q(r, c) for r in grid.rows]
            total = q(grid.total_row, c)
            if total is not None and all(p is not None for p in parts):
                system.relate(((p, 1) for p in parts if p is not None), total)


def _column(table: Table, header: str) -> int | None:
    for i, h in enumerate(table.header):
        if h.text("sq") == header:
            return i
    return None


def _institution_relations(system: ReleaseSystem, tables: Mapping[str, Table]) -> None:
    """Institutions add up to their region, their type and all referred cases; the
    institutions' earlier-year counts add up to that year's total."""
    from krat_core.reporting.institutions import _METRICS, IDENTIFIED, METRIC_IN

    REFERRED = _METRICS[1][1]

    perf = tables.get("institution_performance")
    if perf is None:
        return
    at = system.cells
    nlab = perf.label_cols
    ident, referred = nlab, nlab + 1
    national = nlab == 3
    by_region: dict[str, list[int]] = defaultdict(list)
    by_type: dict[str, list[int]] = defaultdict(list)
    all_referred: list[int] = []
    for r, row in enumerate(perf.rows):
        i = at.get((perf.key, r, ident))
        f = at.get((perf.key, r, referred))
        if i is None or f is None:
            continue
        slack = system.quantity(
            f"{perf.key}|{r}|not-referred",
            system.values[i] - system.values[f],
            published=False,
        )
        system.relate(((f, 1), (slack, 1)), i)
        all_referred.append(f)
        if national:
            by_region[_label_text(row[0])].append(i)
        by_type[_label_text(row[nlab - 1])].append(i)
    # Region totals (national report).
    regions = tables.get("cases_region")
    if regions is not None and regions.grid is not None and regions.grid.total_col is not None:
        for r in regions.grid.rows:
            total = at.get((regions.key, r, regions.grid.total_col))
            members = by_region.get(_label_text(regions.rows[r][0]), [])
            if total is not None and members:
                system.relate(((m, 1) for m in members), total)
    # Type totals (national report: cases by type of identifying institution).
    types = tables.get("cases_identifying_institution")
    if national and types is not None and types.grid is not None:
        col = types.grid.total_col
        for r in types.grid.rows:
            total = at.get((types.key, r, col)) if col is not None else None
            members = by_type.get(_label_text(types.rows[r][0]), [])
            if total is not None and members:
                system.relate(((m, 1) for m in members), total)
    # All referred cases.
    ref = tables.get("referral")
    if ref is not None and ref.grid is not None and ref.grid.total_row is not None:
        total = at.get((ref.key, ref.grid.total_row, 1))
        if total is not None and all_referred:
            system.relate(((f, 1) for f in all_referred), total)
    # Earlier years: each year's institutions add up to that year's total.
    comparison, years = tables.get("institution_comparison"), tables.get("cases_year")
    if comparison is None or years is None or years.grid is None:
        return
    metric = Label.say(METRIC_IN, metric=IDENTIFIED, period="{period}").sq
    referred_metric = Label.say(METRIC_IN, metric=REFERRED, period="{period}").sq
    current = next(
        (str(row[0]) for r, row in enumerate(years.rows) if years.shared.get((r, len(row) - 1))),
        None,
    )
    # The current year's columns show the same counts as the performance table.
    ncomp = comparison.label_cols
    perf_rows = {tuple(_label_text(x) for x in row[:ncomp]): r for r, row in enumerate(perf.rows)}
    for header, col_perf in ((metric, ident), (referred_metric, referred)):
        col = _column(comparison, header.replace("{period}", str(current)))
        if col is None:
            continue
        for r, row in enumerate(comparison.rows):
            here = at.get((comparison.key, r, col))
            pr = perf_rows.get(tuple(_label_text(x) for x in row[:ncomp]))
            there = at.get((perf.key, pr, col_perf)) if pr is not None else None
            if here is not None and there is not None and here != there:
                # One quantity: the comparison's cell shows the performance table's.
                at[(comparison.key, r, col)] = there
                system.published[here] = False
    for r, row in enumerate(years.rows):
        period = str(row[0])
        col = _column(comparison, metric.replace("{period}", period))
        total = at.get((years.key, r, years.grid.total_col or 0))
        if col is None or total is None:
            continue
        members = [
            q for rr in range(len(comparison.rows)) if (q := at.get((comparison.key, rr, col)))
        ]
        if members:
            system.relate(((m, 1) for m in members), total)


# --------------------------------------------------------------------------- the audit


@dataclass(frozen=True, slots=True)
class ReleasePattern:
    """Which quantities of a release are suppressed: ``primary`` (1..N-1),
    ``complementary`` (hidden to protect another) and ``withheld`` (hidden by the
    last resort: every non-zero count of a table). All are printed alike, as
    :data:`~krat_core.reporting.tables.MARKER`. ``unprotected`` lists quantities
    that no suppression could protect (expected empty; reported, never hidden)."""

    primary: frozenset[int]
    complementary: frozenset[int]
    withheld: frozenset[int] = frozenset()
    unprotected: frozenset[int] = frozenset()

    @property
    def suppressed(self) -> frozenset[int]:
        """Every suppressed quantity (withheld ones included)."""
        return self.primary | self.complementary | self.withheld


class _Auditor:
    """The reader's integer programs over the parts of the system left free."""

    def __init__(self, system: ReleaseSystem, threshold: int) -> None:
        self.system = system
        self.n = threshold
        self.by_quantity: dict[int, list[int]] = defaultdict(list)
        for e, (terms, _) in enumerate(system.equations):
            for q, _c in terms:
                self.by_quantity[q].append(e)
        self.solves = 0
        # Every solution found is a table a reader cannot tell from the truth: the
        # values seen for each quantity (the truth's among them) prove part of
        # its range. Suppressing more only relaxes the programs, so they stay valid.
        self.seen_lo: list[int] = list(system.values)
        self.seen_hi: list[int] = list(system.values)
        # Solutions of trial states, kept until one of them is chosen (then they stand).
        self.trials: dict[frozenset[int], list[tuple[list[int], Any]]] = {}
        self._programs: dict[tuple[int, ...], tuple[Any, Any, Any, list[Any]]] = {}

    def bounds(
        self, q: int, primary: frozenset[int], comp: frozenset[int]
    ) -> tuple[float, float] | None:
        """(lo, hi) for a free quantity; None for a shown (fixed) one."""
        s = self.system
        if not s.published[q]:
            return (0, BIG)
        if q in primary or q in comp:  # printed "x": zero would have been shown
            return (1 if s.values[q] > 0 else 0, BIG)
        return None

    def part(
        self, q: int, primary: frozenset[int], comp: frozenset[int]
    ) -> tuple[list[int], list[int]]:
        """The free quantities and equations connected to ``q`` through free quantities."""
        free_seen = {q}
        eqs: set[int] = set()
        stack = [q]
        while stack:
            x = stack.pop()
            for e in self.by_quantity[x]:
                if e in eqs:
                    continue
                eqs.add(e)
                for y, _c in self.system.equations[e][0]:
                    if y not in free_seen and self.bounds(y, primary, comp) is not None:
                        free_seen.add(y)
                        stack.append(y)
        return sorted(free_seen), sorted(eqs)

    def _program(
        self, free: list[int], eqs: list[int], primary: frozenset[int], comp: frozenset[int]
    ) -> tuple[Any, Any, Any, list[Any]]:
        """The integer program of a part: its columns, bounds and equations. A free
        quantity's bounds depend only on whether it is printed, so the program is
        determined by the part's quantities, and the last few are remembered (the
        cells of one part are checked one after another)."""
        key = tuple(free)
        found = self._programs.get(key)
        if found is None:
            found = self._build(free, eqs, primary, comp)
            if len(self._programs) >= 32:
                self._programs.clear()
            self._programs[key] = found
        return found

    def _build(
        self, free: list[int], eqs: list[int], primary: frozenset[int], comp: frozenset[int]
    ) -> tuple[Any, Any, Any, list[Any]]:
        import numpy as np
        from scipy.optimize import LinearConstraint

        s = self.system
        col = {x: i for i, x in enumerate(free)}
        bounds = [self.bounds(x, primary, comp) or (0, 0) for x in free]
        lo = np.array([b[0] for b in bounds], dtype=float)
        hi = np.array([b[1] for b in bounds], dtype=float)
        a = np.zeros((len(eqs), len(free)))
        b = np.zeros(len(eqs))
        for k, e in enumerate(eqs):
            terms, const = s.equations[e]
            rest = const
            for x, c in terms:
                if x in col:
                    a[k, col[x]] += c
                else:
                    rest -= c * s.values[x]
            b[k] = rest
        constraints = [LinearConstraint(a, b, b)] if len(eqs) else []
        return col, lo, hi, constraints

    def _solve(
        self, free: list[int], program: tuple[Any, Any, Any, list[Any]], c: Any, record: bool
    ) -> Any:
        """Minimise ``c . x`` over the integers; with ``record``, keep the solution's
        values as seen (only for the state that stands, not a trial). None: no
        solution. The linear relaxation is solved first: when its optimum is
        integral it is the integer optimum (the relaxation's optimum is at most
        the integer one), which is the common case here (most relations are
        sums of a table's grid), at a fraction of the cost."""
        import numpy as np
        from scipy.optimize import Bounds, linprog, milp

        _col, lo, hi, constraints = program
        self.solves += 1
        if constraints:
            a, b = constraints[0].A, constraints[0].lb
            lp = linprog(c, A_eq=a, b_eq=b, bounds=np.column_stack((lo, hi)), method="highs")
            if lp.status == 0 and np.all(np.abs(lp.x - np.round(lp.x)) < 1e-9):
                if record:
                    self._witness(free, lp.x)
                return lp.x
        res = milp(
            c, integrality=np.ones(len(free)), bounds=Bounds(lo, hi), constraints=constraints
        )
        if res.status != 0 or res.x is None:  # pragma: no cover - the truth is feasible
            return None
        if record:
            self._witness(free, res.x)
        return res.x

    def _witness(self, free: list[int], solution: Any) -> None:
        for x, value in zip(free, solution, strict=True):
            v = round(value)
            if v < self.seen_lo[x]:
                self.seen_lo[x] = v
            elif v > self.seen_hi[x]:
                self.seen_hi[x] = v

    def commit(self, comp: frozenset[int]) -> None:
        """``comp`` stands: the solutions found while trying it are witnesses now."""
        for free, solution in self.trials.get(comp, ()):
            self._witness(free, solution)
        self.trials.clear()

    def range(
        self, q: int, primary: frozenset[int], comp: frozenset[int], record: bool = True
    ) -> tuple[int, int]:
        """The smallest and largest integer value of ``q`` consistent with what is
        published, as far as needed to tell whether they span N values: the
        largest is sought first; when it alone settles the question (with the
        smallest value seen, or with the lower bound of ``q``), the smallest is
        not sought and the value returned for it is the one seen or the bound.
        Without ``record`` the solutions are kept in :attr:`trials` under ``comp``."""
        import numpy as np

        free, eqs = self.part(q, primary, comp)
        if len(free) == 1 and eqs:  # every other quantity of its relations is shown
            v = self.system.values[q]
            return v, v
        program = self._program(free, eqs, primary, comp)
        col, lo, hi, _ = program
        found = self.trials.setdefault(comp, []) if not record else None
        out: list[int] = []
        for sign in (-1.0, 1.0):
            c = np.zeros(len(free))
            c[col[q]] = sign
            x = self._solve(free, program, c, record)
            if x is None:  # pragma: no cover - the truth is feasible
                return (int(lo[col[q]]), int(hi[col[q]]))
            if found is not None:
                found.append((free, x))
            out.append(round(x[col[q]]))
            if sign < 0:
                top, seen, bound = out[0], self.seen_lo[q], int(lo[col[q]])
                # Wide enough with a value already seen (valid in a trial too, which
                # only relaxes the programs), or too narrow even down to the bound.
                if top - seen + 1 >= self.n or top - bound + 1 < self.n:
                    return (seen if top - seen + 1 >= self.n else bound), top
        return out[1], out[0]

    def protected(
        self, q: int, primary: frozenset[int], comp: frozenset[int], *, trial: bool = False
    ) -> bool:
        """Whether suppressed quantity ``q`` is protected (see the module docs).
        ``trial``: the state is only being tried (its solutions are kept apart)."""
        # a suppressed quantity must be able to take N values (see the module docs)
        if self.seen_hi[q] - self.seen_lo[q] + 1 >= self.n:
            return True
        lo, hi = self.range(q, primary, comp, not trial)
        return hi - lo + 1 >= self.n


def tier(key: str) -> int:
    """How much a quantity matters to the publication: 0 the headline totals, 1 the
    case tables, 2 the counts of one institution. Complementary suppression
    for a cell uses cells of its own tier or a lower one in importance (a higher
    number) first: an institution's count is hidden rather than the national
    total of cases; a headline total is suppressed only when nothing else can
    protect a cell."""
    if key.startswith(("cases.identified_by.", "institution_")):
        return 2
    if key.startswith("cases."):
        return 0
    return 1


_MEMO: dict[tuple[Any, ...], ReleasePattern] = {}
_MEMO_SIZE = 8


def suppress_release(system: ReleaseSystem, threshold: int) -> ReleasePattern:
    """The suppression of a release: primary for every published count from 1 to
    N-1, then complementary cells until every suppressed one can take at least N
    values (see the module docs).

    The result depends only on the system and the threshold; the last few are
    remembered (the same release is often rendered in several formats)."""
    check_threshold(threshold)
    memo_key = (
        threshold,
        tuple(system.keys),
        tuple(system.values),
        tuple(system.published),
        tuple(system.equations),
    )
    found = _MEMO.get(memo_key)
    if found is None:
        found = _suppress(system, threshold)
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[memo_key] = found
    return found


def _suppress(system: ReleaseSystem, threshold: int) -> ReleasePattern:
    s = system
    primary = frozenset(q for q, v in enumerate(s.values) if s.published[q] and 0 < v < threshold)
    comp: frozenset[int] = frozenset()
    if not primary:  # nothing to protect: no program, no solver imported
        return ReleasePattern(primary, comp)
    auditor = _Auditor(system, threshold)
    pending = sorted(primary, key=lambda q: (-tier(s.keys[q]), s.keys[q]))
    unprotected: set[int] = set()
    while pending:
        q = pending[0]
        if auditor.protected(q, primary, comp):
            pending.pop(0)
            continue
        # Cells of the same importance or less first; a headline total last.
        candidates: list[int] = []
        for level in sorted({tier(s.keys[q]), 1, 0}, reverse=True):
            candidates = _candidates(auditor, q, primary, comp, level)
            if candidates:
                break
        if not candidates:
            pending.pop(0)
            unprotected.add(q)
            continue
        chosen = candidates[0]
        for option in candidates[:2]:
            if auditor.protected(q, primary, comp | {option}, trial=True):
                chosen = option
                break
        comp = comp | {chosen}
        auditor.commit(comp)
        pending.append(chosen)
    return ReleasePattern(primary, comp, frozenset(), frozenset(unprotected))


def _candidates(
    auditor: _Auditor, q: int, primary: frozenset[int], comp: frozenset[int], level: int
) -> list[int]:
    """Shown, non-zero quantities of tier ``level`` or higher in a relation with ``q``
    (then with the quantities suppressed along its relations, farther out),
    nearest and smallest first."""
    s = auditor.system
    seen = {q}
    frontier = [q]
    taken = primary | comp
    while frontier:
        near: set[int] = set()
        for x in frontier:
            for e in auditor.by_quantity[x]:
                near.update(y for y, _ in s.equations[e][0])
        near -= seen
        seen |= near
        shown = [
            y
            for y in near
            if s.published[y] and y not in taken and s.values[y] > 0 and tier(s.keys[y]) >= level
        ]
        if shown:
            return sorted(shown, key=lambda y: (s.values[y], s.keys[y]))
        frontier = [y for y in near if y in taken or not s.published[y]]
    return []


# --------------------------------------------------------------------------- tables


def protect_release(tables: Mapping[str, Table], threshold: int | None) -> dict[str, Table]:
    """Protect every table of one release jointly (see the module docs).

    With ``threshold`` None the tables are returned as they are (internal use).
    """
    if threshold is None:
        return dict(tables)
    check_threshold(threshold)
    system = release_system(tables)
    pattern = suppress_release(system, threshold)
    if pattern.unprotected:
        # Last resort (not seen on any dataset tried): every count of the tables
        # holding an unprotected cell is withheld.
        keys = {t for (t, _r, _c), q in system.cells.items() if q in pattern.unprotected}
        every = {q for (t, _r, _c), q in system.cells.items() if t in keys and system.values[q] > 0}
        pattern = replace(pattern, withheld=pattern.withheld | (every - pattern.suppressed))
    return apply_pattern(tables, system, pattern, threshold)


def apply_pattern(
    tables: Mapping[str, Table], system: ReleaseSystem, pattern: ReleasePattern, threshold: int
) -> dict[str, Table]:
    """The tables with the suppressed quantities of ``pattern`` replaced by their markers
    and the figures computed from people hidden where they would give a count away."""
    out: dict[str, Table] = {}
    for key, table in tables.items():
        if not table.counts_people:
            out[key] = table
            continue
        rows = [list(r) for r in table.rows]
        hidden_counts: list[bool] = []
        for r, row in enumerate(rows):
            hidden = False
            for c, cell in enumerate(row):
                q = system.cells.get((key, r, c))
                if q is None:
                    if isinstance(cell, Stat) and any(0 < b < threshold for b in cell.bases):
                        row[c] = Suppressed(MARKER, primary=False)
                    continue
                if q in pattern.primary:
                    row[c] = Suppressed(MARKER, primary=True)
                    hidden = True
                elif q in pattern.complementary or q in pattern.withheld:
                    row[c] = Suppressed(MARKER, primary=False)
                    hidden = True
            hidden_counts.append(hidden)
        for row, hidden in zip(rows, hidden_counts, strict=True):
            for c, cell in enumerate(row):
                if not isinstance(cell, Stat):
                    continue
                # A change goes with the cells it is computed from. A median shown beside a
                # hidden count would tell the reader that the count it rests on is at least
                # the threshold (smaller ones hide it), a bound the audit does not assume:
                # so a figure without named cells is hidden with any count of its row.
                if any(isinstance(row[k], Suppressed) for k in cell.of) or (not cell.of and hidden):
                    row[c] = Suppressed(MARKER, primary=False)
        out[key] = replace(table, rows=tuple(tuple(r) for r in rows))
    return out


Cells = dict[str, str]
"""A release's published people cells: key -> what is printed ("12" or "x")."""


def published_cells(tables: Iterable[Table]) -> Cells:
    """Every people-counting cell the tables print, by :func:`cell_key`: the number
    as text or the suppression marker. Stats (medians, changes) are left out."""
    out: Cells = {}
    for table in tables:
        if not table.counts_people or table.key == "key_figures":
            continue
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row):
                if isinstance(cell, Count):
                    out[cell_key(table, r, c)] = str(cell.value)
                elif isinstance(cell, Suppressed):
                    out[cell_key(table, r, c)] = cell.marker
    return out
