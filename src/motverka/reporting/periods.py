"""Periods of the figures (pure): calendar years, quarters, months, and ranges of months.

Every figure is counted on a fixed grid — a year, its four quarters and its twelve months —
protected together (see :mod:`motverka.reporting.suppression`). A range of months is
published as the sum of grid pieces (whole years, then whole quarters, then months), so
its figures follow from figures already published and a range can reveal nothing new.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

YEAR = "Y"


def quarter_unit(quarter: int) -> str:
    return f"Q{quarter}"


def month_unit(month: int) -> str:
    return f"M{month:02d}"


#: The 17 time units of one year; each is a key's first part in a publication.
UNITS: tuple[str, ...] = (
    YEAR,
    *(quarter_unit(q) for q in range(1, 5)),
    *(month_unit(m) for m in range(1, 13)),
)
QUARTER_MONTHS = {
    quarter_unit(q): [month_unit(m) for m in range(3 * q - 2, 3 * q + 1)] for q in range(1, 5)
}


@dataclass(frozen=True)
class Period:
    """Whole months from ``start`` (the first of a month) to ``end`` (the last of one)."""

    kind: str  # "year", "quarter", "month" or "range"
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return f"{self.start.year} kvartal {(self.start.month + 2) // 3}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return f"{self.start:%Y-%m} – {self.end:%Y-%m}"

    @property
    def slug(self) -> str:
        return self.label.replace(" kvartal ", "-K").replace(" – ", "_till_")

    def pieces(self) -> list[tuple[int, str]]:
        """The grid pieces (year, unit) that make up the period, largest first."""
        pieces: list[tuple[int, str]] = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            remaining = (self.end.year - year) * 12 + self.end.month - month + 1
            if month == 1 and remaining >= 12:
                pieces.append((year, YEAR))
                year += 1
                continue
            if month % 3 == 1 and remaining >= 3:
                pieces.append((year, quarter_unit((month + 2) // 3)))
                month += 3
            else:
                pieces.append((year, month_unit(month)))
                month += 1
            if month > 12:
                year, month = year + 1, 1
        return pieces


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def year_period(year: int) -> Period:
    return Period("year", date(year, 1, 1), date(year, 12, 31))


def quarter_period(year: int, quarter: int) -> Period:
    if not 1 <= quarter <= 4:
        raise ValueError("quarter")
    return Period("quarter", date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter))


def month_period(year: int, month: int) -> Period:
    return Period("month", date(year, month, 1), _month_end(year, month))


def range_period(start: date, end: date) -> Period:
    """Whole months: ``start``'s month to ``end``'s month. Raises ValueError if reversed."""
    if (start.year, start.month) > (end.year, end.month):
        raise ValueError("reversed")
    first, last = date(start.year, start.month, 1), _month_end(end.year, end.month)
    if (first.month, last.month) == (1, 12) and first.year == last.year:
        return year_period(first.year)
    return Period("range", first, last)


def unit_of(received_on: date) -> str:
    return month_unit(received_on.month)
