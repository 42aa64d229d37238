"""The systematic checks of a log review, as pure rules."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motverka.review import checks
from motverka.review.checks import AccessFact, ReviewSettings

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CONFIG = ReviewSettings()
TUESDAY_10 = datetime(2026, 11, 10, 10, 0, tzinfo=STOCKHOLM)


def fact(event_id: int = 1, **overrides) -> AccessFact:
    values = dict(
        event_id=event_id,
        at=TUESDAY_10,
        actor_id=7,
        action="read",
        case_id=100,
        person_id=200,
        case_assigned_to_id=7,
    )
    values.update(overrides)
    return AccessFact(**values)


def test_a_read_of_a_protected_person_is_flagged_and_an_ordinary_one_is_not():
    flagged = checks.protected_reads([fact(1, person_protected=True), fact(2)], CONFIG)
    assert [item.event_id for item in flagged] == [1]


@pytest.mark.parametrize("action", ["read", "search", "download", "export"])
def test_every_kind_of_read_counts(action):
    assert checks.protected_reads([fact(action=action, person_protected=True)], CONFIG)


@pytest.mark.parametrize("action", ["create", "update", "login", "denied"])
def test_writes_and_logins_are_not_reads(action):
    assert not checks.protected_reads([fact(action=action, person_protected=True)], CONFIG)


def test_system_rows_without_an_actor_are_not_reads_by_anyone():
    assert not checks.protected_reads([fact(actor_id=None, person_protected=True)], CONFIG)


def test_a_read_by_someone_other_than_the_assignee_is_flagged():
    found = checks.unassigned_reads(
        [fact(1), fact(2, actor_id=8), fact(3, case_assigned_to_id=None)], CONFIG
    )
    assert [item.event_id for item in found] == [2, 3]


def test_a_read_without_a_case_is_not_an_unassigned_read():
    assert not checks.unassigned_reads([fact(case_id=None, actor_id=8)], CONFIG)


def test_reads_after_the_closing_day_are_flagged_but_not_on_it():
    closed = TUESDAY_10.date()
    found = checks.reads_after_closing(
        [
            fact(1, case_closed_on=closed),
            fact(2, case_closed_on=closed, at=TUESDAY_10 + timedelta(days=1)),
            fact(3, case_closed_on=None, at=TUESDAY_10 + timedelta(days=1)),
        ],
        CONFIG,
    )
    assert [item.event_id for item in found] == [2]


@pytest.mark.parametrize(
    ("moment", "office"),
    [
        (datetime(2026, 11, 10, 7, 0, tzinfo=STOCKHOLM), True),
        (datetime(2026, 11, 10, 6, 59, tzinfo=STOCKHOLM), False),
        (datetime(2026, 11, 10, 17, 59, tzinfo=STOCKHOLM), True),
        (datetime(2026, 11, 10, 18, 0, tzinfo=STOCKHOLM), False),
        (datetime(2026, 11, 14, 10, 0, tzinfo=STOCKHOLM), False),  # Saturday
        (datetime(2026, 12, 24, 10, 0, tzinfo=STOCKHOLM), False),  # julafton
        (datetime(2026, 6, 19, 10, 0, tzinfo=STOCKHOLM), False),  # midsommarafton
        (datetime(2026, 1, 6, 10, 0, tzinfo=STOCKHOLM), False),  # trettondedag jul
    ],
)
def test_office_hours_follow_the_working_day_calendar(moment, office):
    assert checks.is_office_time(moment, CONFIG) is office
    found = checks.reads_outside_office_hours([fact(at=moment)], CONFIG)
    assert bool(found) is not office


def test_office_hours_are_configurable():
    late = ReviewSettings(office_start_hour=6, office_end_hour=20)
    assert checks.is_office_time(datetime(2026, 11, 10, 19, 30, tzinfo=STOCKHOLM), late)


def burst(persons: int, minutes_apart: float, actor_id: int = 7) -> list[AccessFact]:
    return [
        fact(
            index + 1,
            actor_id=actor_id,
            person_id=1000 + index,
            at=TUESDAY_10 + timedelta(minutes=minutes_apart * index),
        )
        for index in range(persons)
    ]


def test_more_persons_than_the_limit_within_the_window_is_flagged():
    config = ReviewSettings(burst_persons=5, burst_minutes=10)
    assert len(checks.many_persons_in_short_time(burst(6, 1), config)) == 6
    assert checks.many_persons_in_short_time(burst(5, 1), config) == []


def test_the_same_persons_spread_over_a_longer_time_are_not_a_burst():
    config = ReviewSettings(burst_persons=5, burst_minutes=10)
    assert checks.many_persons_in_short_time(burst(12, 3), config) == []


def test_reading_one_person_many_times_is_not_a_burst():
    config = ReviewSettings(burst_persons=2, burst_minutes=10)
    same = [
        fact(index, person_id=5, at=TUESDAY_10 + timedelta(seconds=index)) for index in range(50)
    ]
    assert checks.many_persons_in_short_time(same, config) == []


def test_bursts_are_counted_per_reader():
    config = ReviewSettings(burst_persons=5, burst_minutes=10)
    mixed = burst(3, 1, actor_id=7) + [
        fact(100 + index, actor_id=8, person_id=2000 + index, at=TUESDAY_10) for index in range(3)
    ]
    assert checks.many_persons_in_short_time(mixed, config) == []


@given(
    persons=st.integers(min_value=1, max_value=40),
    limit=st.integers(min_value=1, max_value=30),
    spacing=st.floats(min_value=0, max_value=5),
)
def test_burst_agrees_with_a_brute_force_count(persons, limit, spacing):
    config = ReviewSettings(burst_persons=limit, burst_minutes=10)
    facts = burst(persons, spacing)
    window = timedelta(minutes=10)
    expected = set()
    for end in facts:
        inside = [item for item in facts if timedelta(0) <= end.at - item.at <= window]
        if len({item.person_id for item in inside}) > limit:
            expected.update(item.event_id for item in inside)
    found = {item.event_id for item in checks.many_persons_in_short_time(facts, config)}
    assert found == expected


def test_run_checks_returns_every_check_and_refuses_unknown_codes():
    assert list(checks.run_checks([], CONFIG)) == list(checks.CHECK_CODES)
    with pytest.raises(ValueError):
        checks.run_checks([], CONFIG, ["nonsense"])


@given(seed=st.integers(min_value=0, max_value=2**53), size=st.integers(min_value=0, max_value=30))
def test_the_sample_is_reproducible_and_bounded(seed, size):
    facts = [fact(index) for index in range(25)]
    first = checks.random_sample(facts, size=size, seed=seed)
    assert first == checks.random_sample(list(reversed(facts)), size=size, seed=seed)
    assert len(first) == min(size, 25)
    assert len({item.event_id for item in first}) == len(first)


def test_the_sample_differs_between_seeds():
    facts = [fact(index) for index in range(200)]
    samples = {
        tuple(item.event_id for item in checks.random_sample(facts, size=10, seed=seed))
        for seed in range(5)
    }
    assert len(samples) > 1


def test_a_closing_day_of_none_and_a_date_compare_only_by_day():
    assert checks.reads_after_closing([fact(case_closed_on=date(2026, 11, 9))], CONFIG)
