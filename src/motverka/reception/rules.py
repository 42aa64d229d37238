"""The reception's screening as a pure rule table: answers in, the guideline's indicators
and whether they raise a suspicion of active involvement out.

The financial-assistance reception meets people who were moved here almost at once (the
guideline's premise). Six short questions are asked; :data:`RULES` says which answer
points to which indicator of the cases app's vocabulary
(:class:`~motverka.cases.vocabulary.Indicator`), and :func:`decide` applies them. Nothing
here touches the database, the clock or the settings (decision 0023).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from motverka.cases.vocabulary import Indicator

__all__ = [
    "RULES",
    "Answer",
    "HousingArrangedBy",
    "IndicatorRule",
    "PaidByPrevious",
    "ScreeningAnswers",
    "ScreeningResult",
    "decide",
]


class Answer(models.TextChoices):
    YES = "yes", _("Ja")
    NO = "no", _("Nej")
    UNCLEAR = "unclear", _("Oklart")


class HousingArrangedBy(models.TextChoices):
    PERSON = "person", _("Personen själv eller anhöriga")
    PREVIOUS_MUNICIPALITY = "previous_municipality", _("Den tidigare kommunen")
    OTHER = "other", _("Någon annan (t.ex. hyresvärd, organisation)")
    UNKNOWN = "unknown", _("Vet inte")


class PaidByPrevious(models.TextChoices):
    RENT = "rent", _("Hyran, helt eller delvis")
    DEPOSIT_OR_MOVING = "deposit_or_moving", _("Deposition eller flyttkostnader")


@dataclass(frozen=True)
class ScreeningAnswers:
    """The answers of one screening; no field identifies the person."""

    moved_recently: Answer
    from_municipality: str = ""  # kommunkod, "" when not moved or not known
    housing_arranged_by: HousingArrangedBy = HousingArrangedBy.UNKNOWN
    paid_by_previous: frozenset[PaidByPrevious] = frozenset()
    papers_from_previous: Answer = Answer.NO
    wished_to_move: Answer = Answer.YES
    moved_on: date | None = None  # carried into the case; no rule depends on it


@dataclass(frozen=True)
class IndicatorRule:
    """``indicator`` is present when the answer to ``question`` is one of ``answers``.

    ``involvement``: the indicator says the previous municipality took part in the move —
    the half of active involvement the reception can see. The other half, no clear wish to
    move, only counts together with it.
    """

    indicator: Indicator
    question: str
    answers: frozenset[str]
    involvement: bool


RULES: tuple[IndicatorRule, ...] = (
    IndicatorRule(
        Indicator.HOUSING_ARRANGED,
        "housing_arranged_by",
        frozenset({HousingArrangedBy.PREVIOUS_MUNICIPALITY}),
        involvement=True,
    ),
    IndicatorRule(
        Indicator.RENT_PAID, "paid_by_previous", frozenset({PaidByPrevious.RENT}), involvement=True
    ),
    IndicatorRule(
        Indicator.DEPOSIT_OR_MOVING_COSTS,
        "paid_by_previous",
        frozenset({PaidByPrevious.DEPOSIT_OR_MOVING}),
        involvement=True,
    ),
    IndicatorRule(
        Indicator.PAPERS_FROM_PREVIOUS,
        "papers_from_previous",
        frozenset({Answer.YES}),
        involvement=True,
    ),
    IndicatorRule(
        Indicator.NO_WISH_TO_MOVE,
        "wished_to_move",
        frozenset({Answer.NO, Answer.UNCLEAR}),
        involvement=False,
    ),
)


@dataclass(frozen=True)
class ScreeningResult:
    indicators: tuple[Indicator, ...]
    suspected: bool

    @property
    def indicator_labels(self) -> list[str]:
        return [str(indicator.label) for indicator in self.indicators]


def _given(answers: ScreeningAnswers, question: str) -> frozenset[str]:
    value = getattr(answers, question)
    if isinstance(value, frozenset):
        return frozenset(str(item) for item in value)
    return frozenset({str(value)})


def decide(answers: ScreeningAnswers, *, receiving_code: str) -> ScreeningResult:
    """The indicators the answers show, and whether they raise a suspicion.

    A suspicion needs a recent move from another municipality than ``receiving_code`` and
    at least one indicator of that municipality's involvement. Without a recent move from
    elsewhere no indicator is reported: the questions about the previous municipality have
    no object then.
    """
    moved_from_elsewhere = (
        answers.moved_recently == Answer.YES
        and bool(answers.from_municipality)
        and answers.from_municipality != receiving_code
    )
    if not moved_from_elsewhere:
        return ScreeningResult(indicators=(), suspected=False)
    present = [
        rule for rule in RULES if _given(answers, rule.question) & {str(a) for a in rule.answers}
    ]
    return ScreeningResult(
        indicators=tuple(rule.indicator for rule in present),
        suspected=any(rule.involvement for rule in present),
    )
