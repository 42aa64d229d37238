"""The deadline calculator: a due date and, in words, why it falls where it does.

Pure on purpose, like :mod:`.calendar`, whose rules it explains: no database, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from motverka.workflow.calendar import (
    add_months,
    add_working_days,
    next_working_day,
    non_working_reason,
)
from motverka.workflow.deadlines import PeriodUnit

__all__ = ["Calculation", "SkippedDay", "calculate"]


@dataclass(frozen=True)
class SkippedDay:
    day: date
    reason: str


@dataclass(frozen=True)
class Calculation:
    """``unmoved`` is the day the period would end on before 1930:173 3 § moves it (None for
    working days, which never land on a non-working day); ``skipped`` lists the non-working
    days passed over, with their Swedish names."""

    start: date
    amount: int
    unit: PeriodUnit
    due: date
    unmoved: date | None
    skipped: tuple[SkippedDay, ...]

    @property
    def moved(self) -> bool:
        return self.unmoved is not None and self.unmoved != self.due


def _non_working_between(first: date, last: date) -> tuple[SkippedDay, ...]:
    days = []
    day = first
    while day <= last:
        reason = non_working_reason(day)
        if reason is not None:
            days.append(SkippedDay(day, reason))
        day += timedelta(days=1)
    return tuple(days)


def calculate(start: date, amount: int, unit: PeriodUnit | str) -> Calculation:
    """Return the due date of a period of ``amount`` ``unit`` from ``start``, explained."""
    unit = PeriodUnit(unit)
    if amount < 0:
        raise ValueError(f"amount must be zero or positive, got {amount}")
    if unit == PeriodUnit.WORKING_DAYS:
        due = add_working_days(start, amount)
        return Calculation(
            start, amount, unit, due, None, _non_working_between(start + timedelta(days=1), due)
        )
    unmoved = add_months(start, amount) if unit == PeriodUnit.MONTHS else start + timedelta(amount)
    due = next_working_day(unmoved)
    return Calculation(
        start, amount, unit, due, unmoved, _non_working_between(unmoved, due - timedelta(days=1))
    )
