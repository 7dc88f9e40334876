"""A revision audited jointly with the earlier release it revises.

The release register's rule (:func:`krat_core.reporting.register.check_revision`)
holds a revision back when a shown cell changes by fewer than N people or a
hidden cell shows up or disappears. What is left: a reader holding both
releases combines them. This module solves, as one integer program, what such
a reader can prove about every hidden cell of either release, and returns the
cells narrowed below N possible values.

The reader's knowledge (the worst case of a revision after a late
resubmission):

- each release's relations (:func:`krat_core.reporting.release.release_system`;
  the earlier release has the same tables and rows, since its cells are
  compared key by key), with the earlier release's printed cells: a number
  exactly, "x" (or an old register's "<N") as 1 or more (1..N-1), a cell not
  printed as 0; an unprinted quantity of either as 0 or more;
- the revision only added cases (or only removed some; both are tried): every
  quantity is at least as large as in the earlier release (or at most), and so
  is each number of cases no listed institution identified (the constants of
  the cross-table relations, which the reader is assumed to know exactly for
  the new release and to know only so for the earlier one). A revision that
  both added and removed cases fits neither: a reader cannot link the two
  releases cell by cell, and each release's own audit stands.

Each hidden cell's smallest and largest value are sought only where the
solutions found so far (four programs with random directions, then every
program solved) do not already show N values.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from krat_core.reporting.release import BIG, Cells, ReleaseSystem, release_system
from krat_core.reporting.tables import Count, Suppressed, Table

__all__ = ["narrowed_by_revision"]


def _earlier_bounds(text: str | None, threshold: int) -> tuple[float, float]:
    if text is None:
        return 0.0, 0.0  # not printed: the row had no case
    if text.isdigit():
        return float(text), float(text)
    if text.startswith("<"):
        return 1.0, float(threshold - 1)
    return 1.0, float(BIG)


def narrowed_by_revision(
    tables: Mapping[str, Table],
    published: Mapping[str, Table],
    earlier: Cells,
    threshold: int,
) -> list[str]:
    """The hidden cells (of the new release ``published``, or of the earlier one whose
    printed cells are ``earlier``) that a reader holding both can narrow to fewer
    than ``threshold`` values, by name; empty when the revision reveals nothing.

    Args:
        tables: the new release's tables before protection (true values).
        published: the same tables as published (after the joint audit).
        earlier: the earlier release's printed people cells
            (:func:`krat_core.reporting.release.published_cells`).
        threshold: N.
    """
    system = release_system(tables)
    n = len(system.keys)
    new_lo = [0.0] * n
    new_hi = [float(BIG)] * n
    hidden_new: set[int] = set()
    for (key, r, c), q in system.cells.items():
        cell = published[key].rows[r][c]
        if isinstance(cell, Suppressed):
            new_lo[q] = 1.0
            hidden_new.add(q)
        elif isinstance(cell, Count):
            new_lo[q] = new_hi[q] = float(cell.value)
    # The earlier release's hidden cells (not those of an old register's "<N", which
    # hold fewer than N values by their marker alone: the reason for the one marker).
    hidden_old = {
        q
        for q, k in enumerate(system.keys)
        if k in earlier and not earlier[k].isdigit() and not earlier[k].startswith("<")
    }
    if not hidden_new and not hidden_old:
        return []
    targets = [(q, system.keys[q]) for q in sorted(hidden_new)] + [
        (n + q, f"{system.keys[q]} (earlier)") for q in sorted(hidden_old)
    ]
    found: set[str] = set()
    for sign in (1.0, -1.0):
        narrowed = _attack(system, new_lo, new_hi, earlier, threshold, targets, sign)
        if narrowed is not None:
            found.update(narrowed)
    return sorted(found)


def _attack(
    system: ReleaseSystem,
    new_lo: list[float],
    new_hi: list[float],
    earlier: Cells,
    threshold: int,
    targets: list[tuple[int, str]],
    sign: float,
) -> list[str] | None:
    """The targets narrowed below N values by a reader who knows that every quantity
    grew (``sign`` 1) or shrank (-1) from the earlier release; None when the two
    releases do not fit that (the revision did not only add, or only remove)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, linprog, milp
    from scipy.sparse import coo_array

    n = len(system.keys)
    consts = [e for e, (_terms, c) in enumerate(system.equations) if c]
    width = 2 * n + len(consts)  # new quantities, old quantities, old constants
    lo = np.zeros(width)
    hi = np.full(width, float(BIG))
    lo[:n], hi[:n] = new_lo, new_hi
    # A table the earlier release did not print at all (say, no year compared then):
    # its quantities are unknowns of the earlier release, not zeros.
    tables = {k.split("|", 1)[0] for k in earlier if "|" in k}
    for q, key in enumerate(system.keys):
        if system.published[q] and ("|" not in key or key.split("|", 1)[0] in tables):
            lo[n + q], hi[n + q] = _earlier_bounds(earlier.get(key), threshold)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    b_eq: list[float] = []
    k_of = {e: 2 * n + i for i, e in enumerate(consts)}
    for e, (terms, const) in enumerate(system.equations):
        for offset in (0, n):
            r = len(b_eq)
            for q, coef in terms:
                rows.append(r)
                cols.append(offset + q)
                vals.append(float(coef))
            if offset and e in k_of:  # the earlier constant: unknown, between 0 and the new
                rows.append(r)
                cols.append(k_of[e])
                vals.append(-1.0)
                b_eq.append(0.0)
                if sign > 0:
                    lo[k_of[e]], hi[k_of[e]] = sorted((0.0, float(const)))
                else:  # fewer cases now: the earlier constant is at least as large
                    lo[k_of[e]], hi[k_of[e]] = (
                        (float(const), float(BIG)) if const > 0 else (-float(BIG), float(const))
                    )
            else:
                b_eq.append(float(const))
    a_eq = coo_array((vals, (rows, cols)), shape=(len(b_eq), width)).tocsr()
    # The link: sign * (new - old) >= 0, as -sign * new + sign * old <= 0.
    link = coo_array(
        (
            [-sign] * n + [sign] * n,
            (list(range(n)) * 2, list(range(n)) + [n + q for q in range(n)]),
        ),
        shape=(n, width),
    ).tocsr()
    b_link = np.zeros(n)
    beq = np.array(b_eq)
    constraints = [LinearConstraint(a_eq, beq, beq), LinearConstraint(link, -np.inf, b_link)]
    seen_lo = np.full(width, np.inf)
    seen_hi = np.full(width, -np.inf)

    def solve(c: Any) -> Any:
        lp = linprog(
            c,
            A_ub=link,
            b_ub=b_link,
            A_eq=a_eq,
            b_eq=beq,
            bounds=np.column_stack((lo, hi)),
            method="highs",
        )
        if lp.status == 2:
            return None  # infeasible: the releases do not fit this reader's model
        if lp.status == 0 and np.all(np.abs(lp.x - np.round(lp.x)) < 1e-9):
            x = lp.x
        else:
            res = milp(
                c, integrality=np.ones(width), bounds=Bounds(lo, hi), constraints=constraints
            )
            if res.status != 0 or res.x is None:
                return None
            x = res.x
        x = np.round(x)
        np.minimum(seen_lo, x, out=seen_lo)
        np.maximum(seen_hi, x, out=seen_hi)
        return x

    rng = random.Random(0)
    for _ in range(4):  # witnesses for many cells at once
        c = np.zeros(width)
        for i, _key in targets:
            c[i] = rng.choice((-1.0, 1.0))
        if solve(c) is None:
            return None
    found: list[str] = []
    for i, key in targets:
        if seen_hi[i] - seen_lo[i] + 1 >= threshold:
            continue
        c = np.zeros(width)
        c[i] = -1.0
        top = solve(c)
        if top is not None and top[i] - seen_lo[i] + 1 >= threshold:
            continue
        c[i] = 1.0
        bottom = solve(c)
        if top is None or bottom is None:  # pragma: no cover - solved above
            continue
        if top[i] - bottom[i] + 1 < threshold:
            found.append(key)
    return found
