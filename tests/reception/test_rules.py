"""The screening rule table: which answers show which indicators, and when they raise a
suspicion — every combination of answers."""

from __future__ import annotations

from itertools import chain, combinations, product

import pytest

from motverka.cases.vocabulary import Indicator
from motverka.reception.rules import (
    RULES,
    Answer,
    HousingArrangedBy,
    PaidByPrevious,
    ScreeningAnswers,
    decide,
)

US, ELSEWHERE = "1430", "0180"

PAID_SETS = [
    frozenset(combo)
    for combo in chain.from_iterable(combinations(PaidByPrevious, n) for n in range(3))
]


def test_every_rule_uses_the_case_vocabulary_and_a_real_question():
    for rule in RULES:
        assert rule.indicator in Indicator
        assert rule.question in ScreeningAnswers.__dataclass_fields__


def test_housing_and_payment_by_the_previous_municipality_raise_a_suspicion():
    result = decide(
        ScreeningAnswers(
            moved_recently=Answer.YES,
            from_municipality=ELSEWHERE,
            housing_arranged_by=HousingArrangedBy.PREVIOUS_MUNICIPALITY,
            paid_by_previous=frozenset({PaidByPrevious.RENT, PaidByPrevious.DEPOSIT_OR_MOVING}),
            papers_from_previous=Answer.YES,
            wished_to_move=Answer.NO,
        ),
        receiving_code=US,
    )
    assert result.suspected
    assert result.indicators == (
        Indicator.HOUSING_ARRANGED,
        Indicator.RENT_PAID,
        Indicator.DEPOSIT_OR_MOVING_COSTS,
        Indicator.PAPERS_FROM_PREVIOUS,
        Indicator.NO_WISH_TO_MOVE,
    )


def test_no_wish_to_move_alone_is_shown_but_raises_no_suspicion():
    result = decide(
        ScreeningAnswers(
            moved_recently=Answer.YES,
            from_municipality=ELSEWHERE,
            housing_arranged_by=HousingArrangedBy.PERSON,
            wished_to_move=Answer.UNCLEAR,
        ),
        receiving_code=US,
    )
    assert result.indicators == (Indicator.NO_WISH_TO_MOVE,)
    assert not result.suspected


@pytest.mark.parametrize(
    ("moved", "origin"),
    [(Answer.NO, ELSEWHERE), (Answer.UNCLEAR, ELSEWHERE), (Answer.YES, ""), (Answer.YES, US)],
)
def test_without_a_recent_move_from_elsewhere_nothing_is_reported(moved, origin):
    result = decide(
        ScreeningAnswers(
            moved_recently=moved,
            from_municipality=origin,
            housing_arranged_by=HousingArrangedBy.PREVIOUS_MUNICIPALITY,
            paid_by_previous=frozenset({PaidByPrevious.RENT}),
            papers_from_previous=Answer.YES,
            wished_to_move=Answer.NO,
        ),
        receiving_code=US,
    )
    assert result.indicators == () and not result.suspected


def test_every_combination_suspicion_iff_an_involvement_indicator():
    involvement = {rule.indicator for rule in RULES if rule.involvement}
    for housing, paid, papers, wish in product(HousingArrangedBy, PAID_SETS, Answer, Answer):
        result = decide(
            ScreeningAnswers(
                moved_recently=Answer.YES,
                from_municipality=ELSEWHERE,
                housing_arranged_by=housing,
                paid_by_previous=paid,
                papers_from_previous=papers,
                wished_to_move=wish,
            ),
            receiving_code=US,
        )
        assert result.suspected == bool(set(result.indicators) & involvement)
        assert (Indicator.HOUSING_ARRANGED in result.indicators) == (
            housing == HousingArrangedBy.PREVIOUS_MUNICIPALITY
        )
        assert (Indicator.RENT_PAID in result.indicators) == (PaidByPrevious.RENT in paid)
        assert (Indicator.PAPERS_FROM_PREVIOUS in result.indicators) == (papers == Answer.YES)
        assert (Indicator.NO_WISH_TO_MOVE in result.indicators) == (wish != Answer.YES)
        assert len(set(result.indicators)) == len(result.indicators)
