"""Specification of the deadline (bevakning) rules and deadline states."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings

from motverka.workflow.deadlines import (
    DEFAULT_RULES,
    FIXED_DATE_KINDS,
    DeadlineKind,
    DeadlineRule,
    DeadlineState,
    PeriodUnit,
    deadline_state,
    rules_from_config,
)

# --- the default rules ----------------------------------------------------------------------


def test_there_is_a_default_rule_for_every_kind_but_the_fixed_dates() -> None:
    assert set(DEFAULT_RULES) == set(DeadlineKind) - FIXED_DATE_KINDS
    assert FIXED_DATE_KINDS == {DeadlineKind.HOME_VISIT}
    assert all(rule.kind is kind for kind, rule in DEFAULT_RULES.items())


def test_contact_with_the_sending_municipality_is_due_two_working_days_later() -> None:
    rule = DEFAULT_RULES[DeadlineKind.CONTACT_SENDING_MUNICIPALITY]
    # Skärtorsdagen 2026: the Easter weekend and annandag påsk do not count.
    assert rule.due_date(date(2026, 4, 2)) == date(2026, 4, 8)


def test_an_official_letter_is_due_ten_working_days_later() -> None:
    rule = DEFAULT_RULES[DeadlineKind.OFFICIAL_LETTER]
    assert rule.due_date(date(2026, 12, 18)) == date(2027, 1, 8)


def test_the_transfer_answer_follows_lag_1930_173() -> None:
    rule = DEFAULT_RULES[DeadlineKind.TRANSFER_ANSWER]
    assert (rule.unit, rule.amount) == (PeriodUnit.MONTHS, 1)
    # One month lands on långfredagen 2026-04-03 and runs on past Easter.
    assert rule.due_date(date(2026, 3, 3)) == date(2026, 4, 7)
    assert rule.due_date(date(2026, 1, 31)) == date(2026, 3, 2)


def test_the_rent_end_follow_up_is_the_day_payments_stop_or_the_next_working_day() -> None:
    rule = DEFAULT_RULES[DeadlineKind.RENT_END_FOLLOW_UP]
    assert rule.due_date(date(2026, 3, 31)) == date(2026, 3, 31)
    assert rule.due_date(date(2026, 6, 20)) == date(2026, 6, 22)  # midsommardagen


def test_the_expected_ivo_decision_is_informational_three_months_later() -> None:
    rule = DEFAULT_RULES[DeadlineKind.IVO_DECISION_EXPECTED]
    assert rule.informational
    assert rule.due_date(date(2026, 3, 31)) == date(2026, 6, 30)
    others = [
        rule for kind, rule in DEFAULT_RULES.items() if kind != DeadlineKind.IVO_DECISION_EXPECTED
    ]
    assert not any(rule.informational for rule in others)


def test_the_kinds_carry_swedish_labels() -> None:
    assert str(DeadlineKind.TRANSFER_ANSWER.label) == "Svar på begäran om överflyttning"
    assert str(DeadlineKind.CONTACT_SENDING_MUNICIPALITY.label) == ("Kontakt med avsändande kommun")
    assert str(DeadlineState.DUE.label) == "Snart förfallen"


def test_a_rule_with_a_negative_amount_cannot_be_built() -> None:
    with pytest.raises(ValueError, match="zero or positive"):
        DeadlineRule(DeadlineKind.OFFICIAL_LETTER, PeriodUnit.WORKING_DAYS, -1)


def test_a_rule_with_an_unknown_unit_cannot_be_built() -> None:
    with pytest.raises(ValueError):
        DeadlineRule(DeadlineKind.OFFICIAL_LETTER, "weeks", 1)  # type: ignore[arg-type]


# --- rules from configuration ---------------------------------------------------------------


@pytest.mark.parametrize("config", [None, {}])
def test_no_configuration_means_the_default_rules(config: dict | None) -> None:
    assert rules_from_config(config) == DEFAULT_RULES


def test_the_shipped_setting_is_a_valid_configuration() -> None:
    rules = rules_from_config(settings.MOTVERKA_DEADLINE_RULES)
    assert set(rules) == set(DeadlineKind) - FIXED_DATE_KINDS


def test_a_configured_kind_replaces_its_default_and_the_others_are_kept() -> None:
    rules = rules_from_config({"transfer_answer": ("months", 2)})
    assert rules[DeadlineKind.TRANSFER_ANSWER] == DeadlineRule(
        DeadlineKind.TRANSFER_ANSWER, PeriodUnit.MONTHS, 2
    )
    for kind in set(DeadlineKind) - FIXED_DATE_KINDS:
        if kind != DeadlineKind.TRANSFER_ANSWER:
            assert rules[kind] == DEFAULT_RULES[kind]


def test_a_configured_rule_may_change_its_unit() -> None:
    rules = rules_from_config({"official_letter": ["days", 14]})
    assert rules[DeadlineKind.OFFICIAL_LETTER].unit is PeriodUnit.DAYS
    assert rules[DeadlineKind.OFFICIAL_LETTER].due_date(date(2026, 3, 2)) == date(2026, 3, 16)


def test_the_ivo_decision_stays_informational_when_configured() -> None:
    rule = rules_from_config({"ivo_decision_expected": ("months", 6)})[
        DeadlineKind.IVO_DECISION_EXPECTED
    ]
    assert rule.informational
    assert rule.amount == 6


def test_configuration_does_not_modify_the_defaults() -> None:
    rules_from_config({"transfer_answer": ("months", 5)})
    assert DEFAULT_RULES[DeadlineKind.TRANSFER_ANSWER].amount == 1


@pytest.mark.parametrize(
    "config, message",
    [
        ({"parking_fine": ("days", 3)}, "unknown deadline kind 'parking_fine'"),
        ({"transfer_answer": ("weeks", 3)}, "unknown unit 'weeks'"),
        ({"transfer_answer": ("months", -1)}, "zero or positive"),
        ({"transfer_answer": ("months", 1.5)}, "must be an integer"),
        ({"transfer_answer": ("months", "1")}, "must be an integer"),
        ({"transfer_answer": ("months", True)}, "must be an integer"),
        ({"transfer_answer": ("months",)}, r"\(unit, amount\) pair"),
        ({"transfer_answer": "months"}, r"\(unit, amount\) pair"),
        ({"transfer_answer": 1}, r"\(unit, amount\) pair"),
    ],
)
def test_an_invalid_configuration_is_refused_with_a_clear_message(
    config: dict, message: str
) -> None:
    with pytest.raises(ValueError, match=message) as excinfo:
        rules_from_config(config)
    assert "MOTVERKA_DEADLINE_RULES" in str(excinfo.value)


# --- deadline states ------------------------------------------------------------------------

DUE = date(2026, 4, 8)


@pytest.mark.parametrize(
    "today, expected",
    [
        (date(2026, 3, 1), DeadlineState.UPCOMING),
        (date(2026, 4, 5), DeadlineState.UPCOMING),  # the day before the lead window
        (date(2026, 4, 6), DeadlineState.DUE),  # first day of the lead window
        (date(2026, 4, 7), DeadlineState.DUE),
        (date(2026, 4, 8), DeadlineState.DUE),  # the due date itself
        (date(2026, 4, 9), DeadlineState.OVERDUE),  # the day after
        (date(2027, 1, 1), DeadlineState.OVERDUE),
    ],
)
def test_the_state_follows_the_lead_window_and_the_due_date(
    today: date, expected: DeadlineState
) -> None:
    assert deadline_state(due=DUE, today=today, lead_days=2) is expected


def test_with_no_lead_time_only_the_due_date_itself_is_due() -> None:
    assert deadline_state(due=DUE, today=date(2026, 4, 7), lead_days=0) is DeadlineState.UPCOMING
    assert deadline_state(due=DUE, today=DUE, lead_days=0) is DeadlineState.DUE


@pytest.mark.parametrize("today", [date(2026, 3, 1), DUE, date(2026, 5, 1)])
def test_a_met_deadline_is_met_whatever_the_date(today: date) -> None:
    assert deadline_state(due=DUE, today=today, lead_days=2, met=True) is DeadlineState.MET


def test_a_negative_lead_time_is_refused() -> None:
    with pytest.raises(ValueError):
        deadline_state(due=DUE, today=DUE, lead_days=-1)
