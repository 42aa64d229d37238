"""An attacker who holds every published table of a year — each period, each margin, each
cross-table, every range of months — tries to work out a hidden value, and fails.

The attacker knows the rule (hidden cells are non-zero, zeros are shown) and solves the
published equations by linear programming: for every hidden cell the least and greatest
value consistent with everything published. A cell counts as recovered when the two meet,
or when a primarily hidden cell (1–4) can be shown to be below the threshold.
"""

import random

import numpy as np
import pytest
from scipy.optimize import linprog

from motverka.reporting.periods import UNITS, YEAR, Period, month_unit, range_period
from motverka.reporting.selectors import (
    ALL,
    _add,
    _outcomes,
    _statuses,
    _structure,
    table_specs,
)
from motverka.reporting.suppression import SUPPRESSION_THRESHOLD, Line, suppress

YEAR_NUMBER = 2025
MUNICIPALITIES = [
    ("0180", "Stockholm"),
    ("1280", "Malmö"),
    ("1480", "Göteborg"),
    ("0380", "Uppsala"),
    ("1281", "Lund"),
]
COUNTY = {"0180": "01", "1280": "12", "1281": "12", "1480": "14", "0380": "03"}


def _tables():
    counties = sorted({(c, c) for c in COUNTY.values()})
    return table_specs(MUNICIPALITIES, counties)


def _values(rng: random.Random, cases: int) -> dict:
    values: dict = {}
    statuses = [s for s, _l in _statuses()]
    outcomes = [o for o, _l in _outcomes()]
    for _ in range(cases):
        month = rng.randint(1, 12)
        municipality = rng.choices([m for m, _n in MUNICIPALITIES], weights=[8, 4, 2, 1, 1])[0]
        status = rng.choice(statuses)
        outcome = rng.choice(outcomes) if status == "closed" else ""
        county = COUNTY[municipality]
        for key in (
            ALL,
            ("status", status),
            ("outcome", outcome),
            ("county", county),
            ("municipality", municipality),
            ("county", county, "status", status),
            ("municipality", municipality, "outcome", outcome),
        ):
            _add(values, month, key, 1)
    return values


def _range_lines(cells: dict) -> list[Line]:
    """Every range of whole months in the year, as the attacker sees it: a published range
    value is the sum of its months."""
    lines = []
    keys = {key for unit, key in cells if unit == "M01"}  # the keys published by month
    for first in range(1, 13):
        for last in range(first, 13):
            period: Period = range_period(
                __import__("datetime").date(YEAR_NUMBER, first, 1),
                __import__("datetime").date(YEAR_NUMBER, last, 28),
            )
            for key in keys:
                months = tuple((month_unit(m), key) for m in range(first, last + 1))
                lines.append(Line((("range", period.label), key), months))
    return lines


def _attack(
    cells: dict, lines: list[Line], hidden: frozenset, published_ranges: dict
) -> tuple[int, int]:
    """(cells attacked, cells recovered)."""
    variables = sorted(hidden, key=repr)
    index = {key: i for i, key in enumerate(variables)}
    rows, rhs = [], []
    known = {key: value for key, value in cells.items() if key not in hidden}
    known.update(published_ranges)
    for line in lines:
        if line.total not in known and line.total not in index:
            continue  # a range the attacker was not shown
        coefficients = np.zeros(len(variables))
        constant = 0.0
        for key, sign in [(line.total, -1.0)] + [(member, 1.0) for member in line.members]:
            if key in index:
                coefficients[index[key]] += sign
            else:
                constant += sign * known[key]
        if coefficients.any():
            rows.append(coefficients)
            rhs.append(-constant)
    a_eq, b_eq = np.array(rows), np.array(rhs)
    recovered = 0
    for key in variables:
        objective = np.zeros(len(variables))
        objective[index[key]] = 1.0
        bounds = [(1, None)] * len(variables)
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        assert low.status == 0 and high.status in (0, 3)  # 3: unbounded above
        upper = float("inf") if high.status == 3 else -high.fun
        primary = 0 < cells[key] < SUPPRESSION_THRESHOLD
        if upper - low.fun < 0.5 or (primary and upper < SUPPRESSION_THRESHOLD):
            recovered += 1
    return len(variables), recovered


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_hidden_value_can_be_recovered_from_a_years_tables_periods_and_ranges(seed):
    rng = random.Random(seed)
    tables = _tables()
    cells, lines = _structure(tables, _values(rng, 70), COUNTY)
    hidden = suppress(cells, lines)
    assert hidden, "the data must have small counts to attack"
    ranges = _range_lines(cells)
    # What the site publishes for a range: the sum of its grid pieces, or hidden if any is.
    published_ranges = {}
    for line in ranges:
        if not any(member in hidden for member in line.members):
            published_ranges[line.total] = sum(cells[m] for m in line.members)
    attacked, recovered = _attack(cells, lines + ranges, hidden, published_ranges)
    print(f"seed {seed}: {attacked} hidden cells attacked, {recovered} recovered")
    assert attacked > 50
    assert recovered == 0


def test_the_attack_succeeds_without_secondary_suppression():
    """A positive control: primary suppression alone gives values away."""
    tables = _tables()
    cells, lines = _structure(tables, _values(random.Random(1), 70), COUNTY)
    primary = frozenset(key for key, value in cells.items() if 0 < value < SUPPRESSION_THRESHOLD)
    attacked, recovered = _attack(cells, lines, primary, {})
    assert recovered > 0


def test_every_unit_of_the_year_is_protected():
    assert UNITS[0] == YEAR and len(UNITS) == 17
