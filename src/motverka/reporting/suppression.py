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

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

Key = Hashable

#: Counts from 1 up to (not including) this are never published.
SUPPRESSION_THRESHOLD = 5


@dataclass(frozen=True)
class Line:
    """``total`` is the sum of ``members``."""

    total: Key
    members: tuple[Key, ...]


def _order(key: Key) -> str:
    return repr(key)


def suppress(
    cells: Mapping[Key, int],
    lines: Iterable[Line],
    *,
    threshold: int = SUPPRESSION_THRESHOLD,
) -> frozenset[Key]:
    """The keys of the cells that must not be published. Every key a line names must be in
    ``cells``."""
    lines = [line for line in lines if line.members]
    hidden = {key for key, value in cells.items() if 0 < value < threshold}
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
            if not need:
                continue
            candidates = sorted(
                (key for key in line.members if key not in hidden and cells[key] > 0),
                key=lambda key: (cells[key], _order(key)),
            )
            if candidates:
                hidden.add(candidates[0])
                changed = True
            elif line.total not in hidden and cells[line.total] > 0:
                hidden.add(line.total)
                changed = True
    return frozenset(hidden)
