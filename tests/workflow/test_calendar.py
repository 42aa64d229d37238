"""Specification of the working-day calendar and lag (1930:173) om beräkning av lagstadgad tid.

Every date below was checked against a printed calendar; the weekday is noted next to it
because the weekday is usually the whole point of the example.
"""

from __future__ import annotations

import calendar as stdlib_calendar
from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motverka.workflow.calendar import (
    add_days,
    add_months,
    add_working_days,
    is_working_day,
    next_working_day,
    non_working_reason,
    statutory_due_date,
)

# No example database: the suite must not leave files behind in the working tree.
PROPERTY = settings(max_examples=300, deadline=None, database=None)
start_dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


# An oracle written independently of the module under test, so the properties do not merely
# restate the implementation.
_public_holidays = holidays.Sweden(
    years=range(2020, 2039), categories=("public",), include_sundays=False
)


def _is_one_of_the_three_eves(day: date) -> bool:
    if (day.month, day.day) in {(12, 24), (12, 31)}:
        return True
    return day.month == 6 and 19 <= day.day <= 25 and day.weekday() == 4


def _is_non_working_by_law(day: date) -> bool:
    return day.weekday() >= 5 or day in _public_holidays or _is_one_of_the_three_eves(day)


# --- which days are working days ------------------------------------------------------------


@pytest.mark.parametrize(
    "eve, name",
    [
        (date(2025, 6, 20), "midsommarafton"),  # Friday
        (date(2026, 6, 19), "midsommarafton"),  # Friday
        (date(2027, 6, 25), "midsommarafton"),  # Friday, the latest possible
        (date(2026, 12, 24), "julafton"),  # Thursday
        (date(2026, 12, 31), "nyårsafton"),  # Thursday
        (date(2027, 12, 31), "nyårsafton"),  # Friday
    ],
)
def test_the_three_eves_are_not_working_days(eve: date, name: str) -> None:
    assert eve.weekday() < 5
    assert not is_working_day(eve)
    assert non_working_reason(eve) == name


def test_the_day_before_midsommarafton_is_a_working_day() -> None:
    assert is_working_day(date(2026, 6, 18))  # Thursday


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 5, 15),  # klämdag: Friday after Kristi himmelsfärdsdag 2026-05-14
        date(2026, 4, 2),  # skärtorsdagen
        date(2026, 4, 30),  # valborgsmässoafton
        date(2026, 1, 5),  # trettondagsafton
        date(2026, 10, 30),  # allhelgonaafton (Friday)
    ],
)
def test_klamdagar_and_other_half_days_are_working_days(day: date) -> None:
    assert is_working_day(day)
    assert non_working_reason(day) is None


def test_kristi_himmelsfardsdag_itself_is_not_a_working_day() -> None:
    assert not is_working_day(date(2026, 5, 14))
    assert non_working_reason(date(2026, 5, 14)) == "Kristi himmelsfärdsdag"


def test_an_ordinary_sunday_is_not_a_working_day_by_the_weekday_rule() -> None:
    sunday = date(2026, 3, 8)
    assert sunday not in _public_holidays
    assert not is_working_day(sunday)
    assert non_working_reason(sunday) == "söndag"


def test_an_ordinary_saturday_is_not_a_working_day() -> None:
    assert not is_working_day(date(2026, 3, 7))
    assert non_working_reason(date(2026, 3, 7)) == "lördag"


def test_national_day_is_not_a_working_day() -> None:
    assert not is_working_day(date(2028, 6, 6))  # Tuesday
    assert non_working_reason(date(2028, 6, 6)) == "nationaldagen"
    # On a Saturday the holiday, not the weekday, is what the user sees.
    assert non_working_reason(date(2026, 6, 6)) == "nationaldagen"


def test_christmas_holidays_are_named_in_swedish() -> None:
    assert non_working_reason(date(2026, 12, 25)) == "juldagen"
    assert non_working_reason(date(2026, 12, 26)) == "annandag jul"
    assert non_working_reason(date(2027, 1, 1)) == "nyårsdagen"


def test_an_ordinary_weekday_is_a_working_day() -> None:
    assert is_working_day(date(2026, 3, 10))
    assert non_working_reason(date(2026, 3, 10)) is None


def test_2026_has_exactly_ten_weekday_holidays_and_251_working_days() -> None:
    year = [date(2026, 1, 1) + timedelta(days=offset) for offset in range(365)]
    weekday_closures = [day for day in year if day.weekday() < 5 and not is_working_day(day)]
    assert weekday_closures == [
        date(2026, 1, 1),
        date(2026, 1, 6),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 1),
        date(2026, 5, 14),
        date(2026, 6, 19),
        date(2026, 12, 24),
        date(2026, 12, 25),
        date(2026, 12, 31),
    ]
    assert sum(is_working_day(day) for day in year) == 251


def test_next_working_day_keeps_a_working_day() -> None:
    assert next_working_day(date(2026, 3, 10)) == date(2026, 3, 10)


def test_next_working_day_skips_the_whole_easter_weekend() -> None:
    assert next_working_day(date(2026, 4, 3)) == date(2026, 4, 7)


# --- months: lag (1930:173) 2 § -------------------------------------------------------------


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 1, 15), 1, date(2026, 2, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 31), 14, date(2028, 2, 29)),
        (date(2026, 5, 17), 0, date(2026, 5, 17)),
    ],
)
def test_a_month_ends_on_the_same_day_number_or_the_last_day_of_a_short_month(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def test_add_months_does_not_move_off_a_weekend() -> None:
    assert add_months(date(2026, 1, 7), 1) == date(2026, 2, 7)  # Saturday


def test_negative_periods_are_refused() -> None:
    with pytest.raises(ValueError):
        add_months(date(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        add_days(date(2026, 1, 1), -1)


# --- months: lag (1930:173) 3 § -------------------------------------------------------------


def test_the_deadline_moves_past_a_weekend_to_monday() -> None:
    # 2026-02-07 is a Saturday.
    assert statutory_due_date(date(2026, 1, 7), 1) == date(2026, 2, 9)


def test_a_clamped_month_end_on_a_saturday_moves_to_monday() -> None:
    # 31 Jan + 1 month = 28 Feb 2026, a Saturday.
    assert statutory_due_date(date(2026, 1, 31), 1) == date(2026, 3, 2)


def test_a_clamped_month_end_on_a_working_day_stays() -> None:
    # 30 Apr 2026 is valborgsmässoafton, a Thursday and a working day.
    assert statutory_due_date(date(2026, 3, 31), 1) == date(2026, 4, 30)


def test_the_deadline_moves_past_easter_to_the_tuesday_after_easter_monday() -> None:
    # 2026-04-03 is långfredagen; then påskafton, påskdagen and annandag påsk.
    assert statutory_due_date(date(2026, 3, 3), 1) == date(2026, 4, 7)


def test_the_deadline_moves_past_midsommarafton() -> None:
    # Friday midsommarafton, Saturday midsommardagen, then Sunday.
    assert statutory_due_date(date(2026, 5, 19), 1) == date(2026, 6, 22)


def test_the_deadline_moves_past_julafton_juldagen_and_annandag_jul() -> None:
    # Thursday julafton, Friday juldagen, Saturday annandag jul, then Sunday.
    assert statutory_due_date(date(2026, 11, 24), 1) == date(2026, 12, 28)


def test_the_deadline_moves_past_nyarsafton_and_nyarsdagen() -> None:
    # Thursday nyårsafton, Friday nyårsdagen, then the weekend.
    assert statutory_due_date(date(2026, 10, 31), 2) == date(2027, 1, 4)


def test_a_deadline_on_trettondedag_jul_moves_to_the_next_day() -> None:
    # 2027-01-06 is a Wednesday.
    assert statutory_due_date(date(2026, 12, 6), 1) == date(2027, 1, 7)


# --- working days and calendar days ---------------------------------------------------------


def test_two_working_days_after_skartorsdagen_skip_the_easter_weekend() -> None:
    # Thu 2 Apr 2026 -> (Fri, Sat, Sun, Mon are closed) Tue 7 Apr, Wed 8 Apr.
    assert add_working_days(date(2026, 4, 2), 2) == date(2026, 4, 8)


def test_ten_working_days_across_christmas_and_new_year() -> None:
    # From Fri 18 Dec 2026: 21, 22, 23, 28, 29, 30 Dec, 4, 5, 7, 8 Jan
    # (24-27 Dec, 31 Dec-3 Jan and trettondedag jul 6 Jan are closed).
    assert add_working_days(date(2026, 12, 18), 10) == date(2027, 1, 8)


def test_the_start_day_is_not_counted_even_when_it_is_a_working_day() -> None:
    assert add_working_days(date(2026, 3, 10), 1) == date(2026, 3, 11)


def test_zero_working_days_is_the_next_working_day() -> None:
    assert add_working_days(date(2026, 3, 10), 0) == date(2026, 3, 10)
    assert add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 9)


def test_calendar_days_are_moved_off_a_holiday() -> None:
    assert add_days(date(2026, 6, 20), 0) == date(2026, 6, 22)  # midsommardagen
    assert add_days(date(2026, 6, 1), 5) == date(2026, 6, 8)  # 6 June is a Saturday
    assert add_days(date(2026, 6, 1), 3) == date(2026, 6, 4)


# --- properties -----------------------------------------------------------------------------


@PROPERTY
@given(start=start_dates, months=st.integers(min_value=0, max_value=24))
def test_a_statutory_due_date_is_always_a_working_day(start: date, months: int) -> None:
    due = statutory_due_date(start, months)
    assert not _is_non_working_by_law(due)
    assert is_working_day(due)


@PROPERTY
@given(start=start_dates, months=st.integers(min_value=0, max_value=24))
def test_a_statutory_due_date_is_never_early_and_shifts_at_most_a_few_days(
    start: date, months: int
) -> None:
    raw = add_months(start, months)
    due = statutory_due_date(start, months)
    assert raw <= due <= raw + timedelta(days=5)
    # Every day skipped must be one the law lets the period run past.
    skipped = [raw + timedelta(days=offset) for offset in range((due - raw).days)]
    assert all(_is_non_working_by_law(day) for day in skipped)


@PROPERTY
@given(start=start_dates, months=st.integers(min_value=0, max_value=24))
def test_add_months_keeps_the_day_number_within_the_target_month(start: date, months: int) -> None:
    raw = add_months(start, months)
    year, month_index = divmod(start.year * 12 + start.month - 1 + months, 12)
    assert (raw.year, raw.month) == (year, month_index + 1)
    assert raw.day == min(start.day, stdlib_calendar.monthrange(year, month_index + 1)[1])


@PROPERTY
@given(start=start_dates, count=st.integers(min_value=1, max_value=30))
def test_add_working_days_counts_exactly_that_many_working_days(start: date, count: int) -> None:
    # count == 0 is covered separately: it means "this day or the next working day", so the
    # half-open interval (start, result] holds one working day when start is closed.
    result = add_working_days(start, count)
    between = [start + timedelta(days=offset) for offset in range(1, (result - start).days + 1)]
    assert sum(not _is_non_working_by_law(day) for day in between) == count
    assert not _is_non_working_by_law(result)


@PROPERTY
@given(start=start_dates)
def test_zero_working_days_is_always_the_first_working_day_from_start(start: date) -> None:
    result = add_working_days(start, 0)
    assert not _is_non_working_by_law(result)
    assert all(
        _is_non_working_by_law(start + timedelta(days=offset))
        for offset in range((result - start).days)
    )


@PROPERTY
@given(start=start_dates, days=st.integers(min_value=0, max_value=60))
def test_add_days_lands_on_a_working_day_no_earlier_than_the_plain_sum(
    start: date, days: int
) -> None:
    plain = start + timedelta(days=days)
    result = add_days(start, days)
    assert plain <= result <= plain + timedelta(days=5)
    assert not _is_non_working_by_law(result)
