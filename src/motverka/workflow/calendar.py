"""The Swedish working-day calendar and lag (1930:173) om beräkning av lagstadgad tid.

This module owns the answer to "is this a day on which the administration works?" and the
arithmetic that turns a start date and a period into a due date. It is pure Python: no
database, no Django models and no notion of "today" (callers pass every date explicitly).

A day is non-working when it is

* a Saturday or a Sunday,
* a Swedish public holiday (allmän helgdag, lag (1989:253) om allmänna helgdagar), or
* one of the three eves that 1930:173 3 § treats like holidays: midsommarafton (the Friday
  between 19 and 25 June), julafton (24 December) and nyårsafton (31 December).

Public holidays come from the ``holidays`` package, restricted to its ``public`` category.
The eves are added by our own rule: the package files them under ``de_facto``/``bank``
together with things that are *not* grounds for moving a deadline (klämdagar, half days),
so asking the package for them would drag those in as well.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Final

import holidays

__all__ = [
    "add_days",
    "add_months",
    "add_working_days",
    "is_working_day",
    "next_working_day",
    "non_working_reason",
    "statutory_due_date",
]

_SATURDAY: Final = 5
_FRIDAY: Final = 4
_WEEKEND_NAMES: Final = {5: "lördag", 6: "söndag"}
_PROPER_NOUN_PREFIXES: Final = ("Kristi ",)

# Holidays and eves never follow each other for more than a few days, so a bounded walk is
# enough; the bound only exists to turn a calendar bug into an error instead of a hang.
_MAX_NON_WORKING_RUN: Final = 14


def _midsommarafton(year: int) -> date:
    june_19 = date(year, 6, 19)
    return june_19 + timedelta(days=(_FRIDAY - june_19.weekday()) % 7)


@lru_cache(maxsize=256)
def _named_non_working_days(year: int) -> MappingProxyType[date, str]:
    """Public holidays and the three eves of ``year``, keyed by date, with display names.

    Weekends are left out on purpose: they follow from the weekday and need no table.
    """
    # include_sundays is spelled out because the package can list every Sunday as a
    # holiday; we want its table to hold only the days the law names.
    public = holidays.Sweden(
        years=year, categories=("public",), language="sv", include_sundays=False
    )
    days: dict[date, str] = {day: _display_name(name) for day, name in public.items()}
    # The eves win over any holiday on the same date so the reason names the rule that
    # 1930:173 itself spells out.
    days[_midsommarafton(year)] = "midsommarafton"
    days[date(year, 12, 24)] = "julafton"
    days[date(year, 12, 31)] = "nyårsafton"
    return MappingProxyType(days)


def _display_name(name: str) -> str:
    # Names from the package read "Juldagen", "Första maj"; in running Swedish text they are
    # written in lower case ("stängt på juldagen"), except where they start with a proper
    # noun ("Kristi himmelsfärdsdag").
    if name.startswith(_PROPER_NOUN_PREFIXES):
        return name
    return name[:1].lower() + name[1:]


def non_working_reason(day: date) -> str | None:
    """Return why ``day`` is not a working day, in Swedish, or ``None`` if it is one.

    Holidays and eves are named ("juldagen", "nationaldagen", "midsommarafton",
    "julafton", "nyårsafton", ...) even when they fall on a weekend; otherwise a weekend
    day is reported as "lördag" or "söndag". Meant for display only.
    """
    named = _named_non_working_days(day.year).get(day)
    if named is not None:
        return named
    return _WEEKEND_NAMES.get(day.weekday())


def is_working_day(day: date) -> bool:
    """Return ``True`` unless ``day`` is a Saturday, Sunday, public holiday or one of the
    eves midsommarafton, julafton and nyårsafton.

    Klämdagar (bridge days such as the Friday after Kristi himmelsfärdsdag) are working days.
    """
    if day.weekday() >= _SATURDAY:
        return False
    return day not in _named_non_working_days(day.year)


def next_working_day(day: date) -> date:
    """Return ``day`` itself if it is a working day, otherwise the first working day after it."""
    for offset in range(_MAX_NON_WORKING_RUN):
        candidate = day + timedelta(days=offset)
        if is_working_day(candidate):
            return candidate
    raise RuntimeError(f"no working day within {_MAX_NON_WORKING_RUN} days from {day}")


def add_working_days(start: date, count: int) -> date:
    """Return the date that is ``count`` working days after ``start``.

    ``start`` itself is never counted, whether or not it is a working day, so the result is
    the ``count``-th working day strictly after ``start``. ``count == 0`` returns
    ``next_working_day(start)``. Raises ``ValueError`` if ``count`` is negative.
    """
    if count < 0:
        raise ValueError(f"count must be zero or positive, got {count}")
    if count == 0:
        return next_working_day(start)
    day = start
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def add_months(start: date, months: int) -> date:
    """Return the day ``months`` months after ``start`` as lag (1930:173) 2 § counts it.

    The period ends on the day of the target month that has the same number as ``start``;
    when the target month is too short it ends on that month's last day (31 January plus one
    month is 28 February, or 29 February in a leap year). The result is *not* moved off
    weekends or holidays; use :func:`statutory_due_date` for that. Raises ``ValueError`` if
    ``months`` is negative.
    """
    if months < 0:
        raise ValueError(f"months must be zero or positive, got {months}")
    year, month_index = divmod(start.month - 1 + months, 12)
    year += start.year
    month = month_index + 1
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def statutory_due_date(start: date, months: int) -> date:
    """Return the last day of a period of ``months`` months from ``start``.

    The end day is found with :func:`add_months` (1930:173 2 §). If it is a Saturday,
    Sunday, public holiday, midsommarafton, julafton or nyårsafton, the period runs on to
    the next working day (1930:173 3 §).
    """
    return next_working_day(add_months(start, months))


def add_days(start: date, days: int) -> date:
    """Return ``start`` plus ``days`` calendar days, moved on to the next working day if it
    lands on a non-working day. Raises ``ValueError`` if ``days`` is negative.
    """
    if days < 0:
        raise ValueError(f"days must be zero or positive, got {days}")
    return next_working_day(start + timedelta(days=days))
