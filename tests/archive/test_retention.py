"""The retention rules as a table: which rule decides, and the disposal dates."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motverka.archive.retention import (
    RESEARCH_BIRTH_DAYS,
    RETENTION_RULES,
    ArchivePlanKeep,
    RetentionFacts,
    RetentionOutcome,
    RetentionRule,
    archive_plan_keeps,
    birth_day_of,
    decide,
    disposal_dates,
)


def facts(**changes: object) -> RetentionFacts:
    values: dict[str, object] = {
        "case_open": False,
        "last_entry_on": date(2019, 3, 10),
        "birth_day": 7,
    }
    values.update(changes)
    return RetentionFacts(**values)  # type: ignore[arg-type]


def test_the_default_is_disposal_five_years_after_the_last_entry_by_the_end_of_the_next_year():
    decision = decide(facts())
    assert decision.rule == RetentionRule.DISPOSAL
    assert decision.outcome == RetentionOutcome.DISPOSE
    assert decision.legal_reference == "retention_disposal"
    assert (decision.due_from, decision.due_by) == (date(2024, 3, 10), date(2025, 12, 31))
    assert not decision.is_due(date(2024, 3, 9))
    assert decision.is_due(date(2024, 3, 10))


def test_a_last_entry_on_29_february_counts_from_28_february():
    assert disposal_dates(date(2020, 2, 29)) == (date(2025, 2, 28), date(2026, 12, 31))


@pytest.mark.parametrize("day", range(1, 32))
def test_the_research_exception_keeps_exactly_those_born_on_the_5th_15th_and_25th(day):
    decision = decide(facts(birth_day=day))
    if day in (5, 15, 25):
        assert decision.rule == RetentionRule.RESEARCH_BIRTH_DAY
        assert decision.outcome == RetentionOutcome.DELIVER
        assert decision.legal_reference == "retention_research"
    else:
        assert decision.rule == RetentionRule.DISPOSAL
    # Kept or not, the clock is the same: the delivery happens when disposal would.
    assert decision.due_from == date(2024, 3, 10)


def test_an_unknown_birth_day_falls_under_the_default_rule():
    assert decide(facts(birth_day=None)).rule == RetentionRule.DISPOSAL


@pytest.mark.parametrize(
    ("birth_date", "number", "coordination", "day"),
    [
        (date(1980, 3, 15), None, False, 15),
        (None, "198003150000", False, 15),
        (None, "198003750000", True, 15),  # samordningsnummer: day + 60
        (None, "198003850000", False, 25),  # recognised by the day alone
        (None, "198003990000", False, None),
        (None, None, False, None),
        (None, "19800", False, None),
    ],
)
def test_the_birth_day_comes_from_the_birth_date_or_the_identity_number(
    birth_date, number, coordination, day
):
    assert (
        birth_day_of(
            birth_date=birth_date, personal_identity_number=number, coordination=coordination
        )
        == day
    )


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"case_open": True}, RetentionRule.CASE_OPEN),
        ({"ivo_decision_pending": True}, RetentionRule.IVO_DECISION_PENDING),
        ({"transfer_request_open": True}, RetentionRule.TRANSFER_REQUEST_OPEN),
    ],
)
def test_open_cases_and_pending_legal_processes_are_excluded(change, rule):
    for birth_day in (7, 15):  # whatever would otherwise apply
        decision = decide(facts(birth_day=birth_day, **change))
        assert decision.rule == rule
        assert decision.outcome == RetentionOutcome.WAIT
        assert not decision.is_due(date(2100, 1, 1))


def test_the_archive_plan_keeps_before_the_research_exception_is_asked():
    decision = decide(facts(birth_day=15, archive_plan_keeps=frozenset({"ivo_decision"})))
    assert decision.rule == RetentionRule.ARCHIVE_PLAN
    assert decision.outcome == RetentionOutcome.DELIVER


def test_the_archive_plan_matches_outcomes_and_target_groups():
    plan = (
        ArchivePlanKeep("ivo", "IVO", outcomes=frozenset({"transferred_by_ivo"})),
        ArchivePlanKeep("youth", "Unga", target_groups=frozenset({"young_adults"})),
    )
    assert archive_plan_keeps(plan, outcome="transferred_by_ivo", target_groups=frozenset()) == {
        "ivo"
    }
    assert archive_plan_keeps(
        plan, outcome="returned", target_groups=frozenset({"young_adults", "x"})
    ) == {"youth"}
    assert archive_plan_keeps(plan, outcome="returned", target_groups=frozenset()) == frozenset()


@given(
    case_open=st.booleans(),
    ivo=st.booleans(),
    transfer=st.booleans(),
    keeps=st.frozensets(st.sampled_from(["a", "b"])),
    birth_day=st.one_of(st.none(), st.integers(1, 31)),
    last=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
)
def test_exactly_the_first_matching_rule_of_the_table_decides(
    case_open, ivo, transfer, keeps, birth_day, last
):
    given_facts = RetentionFacts(
        case_open=case_open,
        last_entry_on=last,
        birth_day=birth_day,
        ivo_decision_pending=ivo,
        transfer_request_open=transfer,
        archive_plan_keeps=keeps,
    )
    decision = decide(given_facts)
    first = next(rule for rule in RETENTION_RULES if rule.applies(given_facts))
    assert decision.rule == first.code and decision.outcome == first.outcome
    waits = case_open or ivo or transfer
    assert (decision.outcome == RetentionOutcome.WAIT) == waits
    if not waits:
        kept = bool(keeps) or birth_day in RESEARCH_BIRTH_DAYS
        assert (decision.outcome == RetentionOutcome.DELIVER) == kept
    assert decision.due_from.year == last.year + 5
    assert decision.due_by == date(last.year + 6, 12, 31)
