"""Domain rules of housing as plain Python: the landlord signal and the space calculation.

No database, settings or clock: the caller reads the dates and figures, passes the
configured threshold and window, and gets a decision back. Tested in
``tests/housing/test_rules.py`` without the database.

The landlord signal (policy: "Ekonomiskt bistånd och social dumping ska inte kunna
utnyttjas som affärsmodell") flags a landlord when at least ``threshold`` cases were
*received* (``Case.received_on``) within one window of ``months`` months. A window starts on
the day a case was received and runs for ``months`` months counted as lag (1930:173) counts
months (same day number, or the month's last day), **excluding** that end day: the window
of a case received 2025-01-15 with 12 months is 2025-01-15 … 2026-01-14. A case received
2026-01-15 is one day outside it. Any window in the landlord's history counts, so a flag
raised by a past cluster stays raised (the business model was observed, even if it stopped).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from motverka.housing.vocabulary import HousingAssessment
from motverka.workflow.calendar import add_months

__all__ = [
    "LandlordSignal",
    "SpaceFigures",
    "advice_required",
    "landlord_signal",
    "signal_window_end",
    "space_figures",
]


# --- Landlord signal ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LandlordSignal:
    """The result for one landlord: flagged, and the densest window that decided it."""

    flagged: bool
    threshold: int
    months: int
    cases_in_window: int
    window_start: date | None = None
    window_end: date | None = None  # the last day inside the window


def signal_window_end(start: date, months: int) -> date:
    """The last day of the window of ``months`` months that starts on ``start``."""
    return add_months(start, months) - timedelta(days=1)


def landlord_signal(received: Iterable[date], *, threshold: int, months: int) -> LandlordSignal:
    """Whether ``threshold`` or more of the dates fall within one window of ``months`` months.

    ``received`` are the days the landlord's cases were received, in any order, duplicates
    allowed (two cases on one day are two cases). The densest window is reported, earliest
    first on a tie. Raises ``ValueError`` for a threshold or window below one.
    """
    if threshold < 1:
        raise ValueError(f"threshold must be at least 1, got {threshold}")
    if months < 1:
        raise ValueError(f"months must be at least 1, got {months}")
    days = sorted(received)
    best = 0
    best_start: date | None = None
    best_end: date | None = None
    last = 0
    for first, start in enumerate(days):
        end = signal_window_end(start, months)
        last = max(last, first)
        while last + 1 < len(days) and days[last + 1] <= end:
            last += 1
        count = last - first + 1
        if count > best:
            best, best_start, best_end = count, start, end
    return LandlordSignal(
        flagged=best >= threshold,
        threshold=threshold,
        months=months,
        cases_in_window=best,
        window_start=best_start,
        window_end=best_end,
    )


# --- Space against household size ---------------------------------------------------------------

_ONE_DECIMAL = Decimal("0.1")
#: More persons than this per room (kitchen not counted) is shown as crowded. It is a hint
#: for the case worker's own assessment, not a norm the software applies.
CROWDED_PERSONS_PER_ROOM = 2


@dataclass(frozen=True)
class SpaceFigures:
    """Persons in the household (the person, adults and children) against rooms and area."""

    persons: int
    children: int
    rooms: int | None
    area_m2: Decimal | None
    rooms_per_person: Decimal | None
    area_per_person: Decimal | None
    crowded: bool | None  # None when the number of rooms is unknown

    @property
    def adults(self) -> int:
        return self.persons - self.children


def _ratio(value: Decimal | int | None, persons: int) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value) / persons).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


def space_figures(
    *, persons: int, children: int, rooms: int | None, area_m2: Decimal | int | None
) -> SpaceFigures:
    """Rooms and square metres per person for a household of ``persons`` (children included).

    ``persons`` counts everyone who lives there, the person concerned included, so it is at
    least one, and ``children`` are some of them. Rooms exclude the kitchen (as in "2 rok").
    Ratios are rounded to one decimal. Raises ``ValueError`` for impossible figures.
    """
    if persons < 1:
        raise ValueError(f"a household has at least one person, got {persons}")
    if not 0 <= children < persons:
        raise ValueError(f"children must be between 0 and persons - 1, got {children}")
    if rooms is not None and rooms < 1:
        raise ValueError(f"rooms must be at least 1, got {rooms}")
    if area_m2 is not None and Decimal(area_m2) <= 0:
        raise ValueError(f"area must be positive, got {area_m2}")
    return SpaceFigures(
        persons=persons,
        children=children,
        rooms=rooms,
        area_m2=Decimal(area_m2) if area_m2 is not None else None,
        rooms_per_person=_ratio(rooms, persons),
        area_per_person=_ratio(area_m2, persons),
        crowded=None if rooms is None else persons > CROWDED_PERSONS_PER_ROOM * rooms,
    )


# --- Advice after the home visit ----------------------------------------------------------------

#: The policy: "I de fall där individen lämnats i ett boende som anses påtagligt skadligt eller
#: olämpligt ska individen uppmanas att söka ny bostad."
ADVICE_REQUIRED_FOR = frozenset({HousingAssessment.UNSUITABLE, HousingAssessment.HARMFUL})


def advice_required(assessment: HousingAssessment | str) -> bool:
    """Whether the person must be advised to seek new housing after this assessment."""
    return HousingAssessment(assessment) in ADVICE_REQUIRED_FOR
