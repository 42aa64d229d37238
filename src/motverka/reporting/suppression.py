"""Small-count protection for a whole publication (pure: no database, no clock).

A publication is a set of *cells*, each a count with a key, and *lines*: a total that is
the sum of some cells (a table's margin, a quarter as the sum of its months, a year as the
sum of its quarters). The same quantity published in two tables has one key, so it has one
value and one fate in both.

Primary suppression hides every cell from 1 to ``threshold - 1``. Secondary suppression
then closes every line through which a hidden value could be worked out:

* a line whose total is hidden but none of whose cells is: one more cell is hidden (else
  the total is the sum of the shown cells);
* a line whose total is shown: the hidden cells of the line add up to a value anyone can
  compute (total minus the shown cells), so one hidden cell alone is never enough. With
  ``k`` hidden cells, each at least 1, the largest any of them can be is
  ``sum - (k - 1)``; while that is below ``threshold`` the smallest shown non-zero cell of
  the line is hidden too (or the total, when no cell is left), so no hidden cell can be
  shown to be small.

Lines are revisited until nothing changes; hiding only ever grows, so it ends. Zeros are
shown: a zero tells that no case is there, not who is, and an attacker who knows that
hidden cells are non-zero learns nothing from a shown zero that the line did not say.
Whether this is enough is tested from the outside: ``tests/reporting/test_suppression_attack.py``
solves the published equations with linear programming for every hidden cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

Key = Any

#: Counts from 1 up to (not including) this are never published.
SUPPRESSION_THRESHOLD = 5


@dataclass(frozen=True)
class Line:
    """``total`` is the sum of ``members``."""

    total: Key
    members: tuple[Key, ...]


def _order(key: Key) -> str:
    return repr(key)


def _local(cells: Mapping[Key, int], lines: list[Line], hidden: set[Key], threshold: int) -> None:
    """The line-by-line rules above, until nothing changes (``hidden`` grows in place)."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            members_hidden = [key for key in line.members if key in hidden]
            if not members_hidden and line.total not in hidden:
                continue
            if line.total in hidden:
                if members_hidden:
                    continue
                need = True
            else:
                hidden_sum = sum(cells[key] for key in members_hidden)
                count = len(members_hidden)
                need = count < 2 or hidden_sum - (count - 1) < threshold
            if need and _hide_one_more(cells, line, hidden):
                changed = True


def _hide_one_more(cells: Mapping[Key, int], line: Line, hidden: set[Key]) -> bool:
    candidates = sorted(
        (key for key in line.members if key not in hidden and cells[key] > 0),
        key=lambda key: (cells[key], _order(key)),
    )
    if candidates:
        hidden.add(candidates[0])
        return True
    if line.total not in hidden and cells[line.total] > 0:
        hidden.add(line.total)
        return True
    return False


def exposed(
    cells: Mapping[Key, int],
    lines: Iterable[Line],
    hidden: Iterable[Key],
    *,
    threshold: int = SUPPRESSION_THRESHOLD,
) -> list[Key]:
    """The hidden cells an attacker can pin down: for each hidden cell the least and the
    greatest value consistent with every published value and line, knowing hidden cells
    are at least 1 (linear programming, one independent group of hidden cells at a time).
    Exposed: the two meet, or a cell from 1 to ``threshold - 1`` can be shown to be below
    ``threshold``."""
    import numpy as np
    from scipy.optimize import linprog

    hidden = set(hidden)
    equations: list[tuple[dict[Key, float], float]] = []
    for line in lines:
        coefficients: dict[Key, float] = {}
        constant = 0.0
        for key, sign in [(line.total, -1.0), *((member, 1.0) for member in line.members)]:
            if key in hidden:
                coefficients[key] = coefficients.get(key, 0.0) + sign
            else:
                constant += sign * cells[key]
        coefficients = {key: c for key, c in coefficients.items() if c}
        if coefficients:
            equations.append((coefficients, -constant))
    # Independent groups: hidden cells linked by some equation.
    parent: dict[Key, Key] = {key: key for key in hidden}

    def root(key: Key) -> Key:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for coefficients, _rhs in equations:
        keys = list(coefficients)
        for other in keys[1:]:
            parent[root(other)] = root(keys[0])
    groups: dict[Key, list[Key]] = {}
    for key in hidden:
        groups.setdefault(root(key), []).append(key)
    group_equations: dict[Key, list[tuple[dict[Key, float], float]]] = {}
    for equation in equations:
        group_equations.setdefault(root(next(iter(equation[0]))), []).append(equation)

    found: list[Key] = []
    cap = float(max(cells.values(), default=0))  # no hidden cell exceeds the largest total
    rng = np.random.default_rng(1430)
    for group_root, members in groups.items():
        members.sort(key=_order)
        index = {key: i for i, key in enumerate(members)}
        rows = group_equations.get(group_root, [])
        if not rows:
            continue  # an unlinked hidden cell: nothing bounds it
        a_eq = np.zeros((len(rows), len(members)))
        b_eq = np.zeros(len(rows))
        for r, (coefficients, rhs) in enumerate(rows):
            for key, c in coefficients.items():
                a_eq[r, index[key]] = c
            b_eq[r] = rhs
        bounds = [(1.0, cap)] * len(members)

        def solve(objective: Any, a_eq: Any = a_eq, b_eq: Any = b_eq, bounds: Any = bounds) -> Any:
            return linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")

        # A few solutions for random objectives certify most cells at once: a cell that
        # takes values at least 1 apart (and reaches the threshold, if it is small) is not
        # pinned down. Only the others get their own least and greatest value.
        seen_low = np.full(len(members), np.inf)
        seen_high = np.full(len(members), -np.inf)
        for _round in range(6):
            result = solve(rng.normal(size=len(members)))
            if result.status == 0:
                seen_low = np.minimum(seen_low, result.x)
                seen_high = np.maximum(seen_high, result.x)
        for key in members:
            i = index[key]
            primary = 0 < cells[key] < threshold
            if seen_high[i] - seen_low[i] >= 0.5 and (not primary or seen_high[i] >= threshold):
                continue
            objective = np.zeros(len(members))
            objective[i] = 1.0
            low, high = solve(objective), solve(-objective)
            if low.status != 0 or high.status != 0:
                continue
            upper = -high.fun
            if upper - low.fun < 0.5 or (primary and upper < threshold - 1e-9):
                found.append(key)
    return found


def suppress(
    cells: Mapping[Key, int],
    lines: Iterable[Line],
    *,
    threshold: int = SUPPRESSION_THRESHOLD,
) -> frozenset[Key]:
    """The keys of the cells that must not be published. Every key a line names must be in
    ``cells``. The line rules come first; then an audit (:func:`exposed`) finds any hidden
    cell that the lines together still pin down, and for each one the smallest shown cell
    of one of its lines is hidden too, until the audit finds none."""
    lines = [line for line in lines if line.members]
    hidden = {key for key, value in cells.items() if 0 < value < threshold}
    lines_of: dict[Key, list[Line]] = {}
    for line in lines:
        for key in (line.total, *line.members):
            lines_of.setdefault(key, []).append(line)
    _local(cells, lines, hidden, threshold)
    while True:
        found = exposed(cells, lines, hidden, threshold=threshold)
        if not found:
            return frozenset(hidden)
        grew = False
        for key in found:
            for line in sorted(lines_of.get(key, []), key=lambda line: _order(line.total)):
                if _hide_one_more(cells, line, hidden):
                    grew = True
                    break
        if not grew:
            # Nothing left to hide next to them: hide every non-zero cell of their lines.
            for key in found:
                for line in lines_of.get(key, []):
                    for other in (line.total, *line.members):
                        if cells[other] > 0:
                            hidden.add(other)
            if not exposed(cells, lines, hidden, threshold=threshold):
                return frozenset(hidden)
            return frozenset(key for key, value in cells.items() if value > 0)
        _local(cells, lines, hidden, threshold)
