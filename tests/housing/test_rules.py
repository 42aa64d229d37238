"""The landlord signal and the space calculation, as pure rules (no database)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motverka.housing.rules import (
    advice_required,
    landlord_signal,
    signal_window_end,
    space_figures,
)

THREE_IN_TWELVE = {"threshold": 3, "months": 12}


# --- The landlord signal ------------------------------------------------------------------------


def test_exactly_three_cases_within_twelve_months_flag_the_landlord():
    signal = landlord_signal(
        [date(2025, 1, 15), date(2025, 6, 1), date(2026, 1, 14)], **THREE_IN_TWELVE
    )
    assert signal.flagged
    assert signal.cases_in_window == 3
    assert signal.window_start == date(2025, 1, 15)
    assert signal.window_end == date(2026, 1, 14)


def test_the_third_case_one_day_outside_the_window_does_not_flag():
    signal = landlord_signal(
        [date(2025, 1, 15), date(2025, 6, 1), date(2026, 1, 15)], **THREE_IN_TWELVE
    )
    assert not signal.flagged
    assert signal.cases_in_window == 2


def test_two_cases_are_never_enough_for_the_default_threshold():
    assert not landlord_signal([date(2025, 3, 1), date(2025, 3, 1)], **THREE_IN_TWELVE).flagged


def test_cases_on_the_same_day_count_separately_and_order_does_not_matter():
    days = [date(2025, 3, 1), date(2024, 1, 1), date(2025, 3, 1), date(2025, 3, 1)]
    signal = landlord_signal(days, **THREE_IN_TWELVE)
    assert signal.flagged and signal.cases_in_window == 3


def test_any_window_in_the_history_counts():
    old_cluster = [date(2020, 2, 1), date(2020, 3, 1), date(2020, 4, 1)]
    assert landlord_signal([*old_cluster, date(2025, 1, 1)], **THREE_IN_TWELVE).flagged


def test_the_window_ends_at_month_end_when_the_day_does_not_exist():
    # 29 February plus 12 months is 28 February (lag 1930:173); that day is outside.
    assert signal_window_end(date(2024, 2, 29), 12) == date(2025, 2, 27)
    inside = [date(2024, 2, 29), date(2024, 9, 1), date(2025, 2, 27)]
    outside = [date(2024, 2, 29), date(2024, 9, 1), date(2025, 2, 28)]
    assert landlord_signal(inside, **THREE_IN_TWELVE).flagged
    assert not landlord_signal(outside, **THREE_IN_TWELVE).flagged


def test_threshold_and_window_are_configurable():
    days = [date(2025, 1, 1), date(2025, 2, 20)]
    assert landlord_signal(days, threshold=2, months=2).flagged
    assert not landlord_signal(days, threshold=2, months=1).flagged


def test_no_cases_no_signal():
    signal = landlord_signal([], **THREE_IN_TWELVE)
    assert not signal.flagged and signal.cases_in_window == 0 and signal.window_start is None


@pytest.mark.parametrize(("threshold", "months"), [(0, 12), (3, 0), (-1, 12)])
def test_impossible_settings_are_refused(threshold, months):
    with pytest.raises(ValueError):
        landlord_signal([date(2025, 1, 1)], threshold=threshold, months=months)


@given(
    st.lists(st.dates(date(2015, 1, 1), date(2030, 12, 31)), max_size=12),
    st.integers(1, 5),
    st.integers(1, 24),
)
def test_the_signal_agrees_with_counting_every_window_by_hand(days, threshold, months):
    best = (
        max(
            (sum(1 for other in days if start <= other <= signal_window_end(start, months)))
            for start in days
        )
        if days
        else 0
    )
    signal = landlord_signal(days, threshold=threshold, months=months)
    assert signal.cases_in_window == best
    assert signal.flagged == (best >= threshold)


# --- Space against household size ---------------------------------------------------------------


def test_a_family_of_four_in_two_rooms():
    figures = space_figures(persons=4, children=2, rooms=2, area_m2=Decimal("48.5"))
    assert figures.adults == 2
    assert figures.rooms_per_person == Decimal("0.5")
    assert figures.area_per_person == Decimal("12.1")  # 12.125 rounded half up
    assert figures.crowded is False  # two per room is not more than two


def test_five_persons_in_two_rooms_is_shown_as_crowded():
    assert space_figures(persons=5, children=3, rooms=2, area_m2=None).crowded is True


def test_unknown_size_gives_no_ratio():
    figures = space_figures(persons=1, children=0, rooms=None, area_m2=None)
    assert figures.rooms_per_person is None and figures.area_per_person is None
    assert figures.crowded is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"persons": 0, "children": 0, "rooms": 1, "area_m2": 20},
        {"persons": 2, "children": 2, "rooms": 1, "area_m2": 20},  # someone must be an adult
        {"persons": 2, "children": -1, "rooms": 1, "area_m2": 20},
        {"persons": 2, "children": 0, "rooms": 0, "area_m2": 20},
        {"persons": 2, "children": 0, "rooms": 1, "area_m2": 0},
    ],
)
def test_impossible_figures_are_refused(kwargs):
    with pytest.raises(ValueError):
        space_figures(**kwargs)


@given(st.integers(1, 15), st.integers(1, 10), st.integers(10, 300))
def test_ratios_times_persons_come_back_to_the_whole(persons, rooms, area):
    figures = space_figures(persons=persons, children=0, rooms=rooms, area_m2=area)
    assert abs(figures.area_per_person * persons - area) <= Decimal("0.05") * persons
    assert figures.crowded == (persons > 2 * rooms)


# --- Advice ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("assessment", "required"),
    [("suitable", False), ("unsuitable", True), ("harmful", True)],
)
def test_advice_to_seek_new_housing_is_required_for_unsuitable_and_harmful(assessment, required):
    assert advice_required(assessment) is required


def test_dates_near_each_other_are_inside_any_window():
    start = date(2025, 5, 31)
    assert signal_window_end(start, 1) == date(2025, 6, 29)
    assert signal_window_end(start, 12) == start + timedelta(days=364)
