"""Retention rules (gallring och bevarande) as a table, and ``decide()``. Plain Python.

Each case falls under exactly one rule, tried in the order of :data:`RETENTION_RULES`: a
case still open or with a legal process pending waits; a case the archive plan or the
research exception keeps is delivered to the e-archive before it leaves Motverka; every
other case is disposed of (gallras). The clock is the same for all: five years after the
last entry in the file, by the end of the following calendar year. Each rule names the
legal reference (``reference.LegalReference.code``) it rests on; the provisions themselves
are versioned data (migration ``archive/0002``), never written into the code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from django.db import models
from django.utils.translation import gettext_lazy as _

RETENTION_YEARS = 5
#: Birth days whose files are kept for research (old socialtjänstförordningen 7 kap. 2 §).
RESEARCH_BIRTH_DAYS = frozenset({5, 15, 25})
#: A coordination number (samordningsnummer) adds 60 to the day of birth.
COORDINATION_DAY_OFFSET = 60


class RetentionOutcome(models.TextChoices):
    WAIT = "wait", _("Inte aktuellt för gallring")
    DISPOSE = "dispose", _("Gallras")
    DELIVER = "deliver", _("Bevaras – levereras till e-arkivet")


class RetentionRule(models.TextChoices):
    CASE_OPEN = "case_open", _("Ärendet är inte avslutat")
    IVO_DECISION_PENDING = "ivo_decision_pending", _("Undantas: IVO:s beslut inväntas")
    TRANSFER_REQUEST_OPEN = (
        "transfer_request_open",
        _("Undantas: begäran om överflyttning är obesvarad"),
    )
    ARCHIVE_PLAN = "archive_plan", _("Bevaras enligt arkivplanen")
    RESEARCH_BIRTH_DAY = "research_birth_day", _("Bevaras för forskning (född den 5, 15 eller 25)")
    DISPOSAL = "disposal", _("Gallras fem år efter sista anteckningen")


@dataclass(frozen=True)
class RetentionFacts:
    """What the rules need to know about one case."""

    case_open: bool
    last_entry_on: date
    birth_day: int | None
    ivo_decision_pending: bool = False
    transfer_request_open: bool = False
    #: Codes of the archive plan's keep rules the case meets (``archive_plan_keeps``).
    archive_plan_keeps: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rule:
    code: RetentionRule
    applies: Callable[[RetentionFacts], bool]
    outcome: RetentionOutcome
    #: ``reference.LegalReference.code`` the rule rests on ("" for the archive plan).
    legal_reference: str


RETENTION_RULES: tuple[Rule, ...] = (
    Rule(RetentionRule.CASE_OPEN, lambda f: f.case_open, RetentionOutcome.WAIT, ""),
    Rule(
        RetentionRule.IVO_DECISION_PENDING,
        lambda f: f.ivo_decision_pending,
        RetentionOutcome.WAIT,
        "ivo_application",
    ),
    Rule(
        RetentionRule.TRANSFER_REQUEST_OPEN,
        lambda f: f.transfer_request_open,
        RetentionOutcome.WAIT,
        "transfer_request",
    ),
    Rule(
        RetentionRule.ARCHIVE_PLAN,
        lambda f: bool(f.archive_plan_keeps),
        RetentionOutcome.DELIVER,
        "",
    ),
    Rule(
        RetentionRule.RESEARCH_BIRTH_DAY,
        lambda f: f.birth_day in RESEARCH_BIRTH_DAYS,
        RetentionOutcome.DELIVER,
        "retention_research",
    ),
    Rule(RetentionRule.DISPOSAL, lambda f: True, RetentionOutcome.DISPOSE, "retention_disposal"),
)

RULES_BY_CODE: Mapping[str, Rule] = MappingProxyType({rule.code: rule for rule in RETENTION_RULES})


@dataclass(frozen=True)
class RetentionDecision:
    rule: RetentionRule
    outcome: RetentionOutcome
    legal_reference: str
    #: The day the obligation arises: five years after the last entry.
    due_from: date
    #: The disposal must be done by the end of the following calendar year.
    due_by: date

    def is_due(self, today: date) -> bool:
        return self.outcome != RetentionOutcome.WAIT and today >= self.due_from

    @property
    def label(self) -> str:
        return str(self.rule.label)


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def disposal_dates(last_entry_on: date) -> tuple[date, date]:
    due_from = _years_later(last_entry_on, RETENTION_YEARS)
    return due_from, date(due_from.year + 1, 12, 31)


def birth_day_of(
    *, birth_date: date | None, personal_identity_number: str | None, coordination: bool
) -> int | None:
    """The day of the month the person was born, from the birth date or the identity
    number (``YYYYMMDDNNNN``; a coordination number's day is 60 higher)."""
    if birth_date is not None:
        return birth_date.day
    number = personal_identity_number or ""
    if len(number) >= 8 and number[6:8].isdigit():
        day = int(number[6:8])
        if coordination or day > COORDINATION_DAY_OFFSET:
            day -= COORDINATION_DAY_OFFSET
        return day if 1 <= day <= 31 else None
    return None


def decide(facts: RetentionFacts) -> RetentionDecision:
    due_from, due_by = disposal_dates(facts.last_entry_on)
    for rule in RETENTION_RULES:
        if rule.applies(facts):
            return RetentionDecision(
                rule=rule.code,
                outcome=rule.outcome,
                legal_reference=rule.legal_reference,
                due_from=due_from,
                due_by=due_by,
            )
    raise AssertionError("the last rule applies to every case")  # pragma: no cover


@dataclass(frozen=True)
class ArchivePlanKeep:
    """One keep rule of the municipality's archive plan (dokumenthanteringsplan)."""

    code: str
    label: str
    outcomes: frozenset[str] = frozenset()
    target_groups: frozenset[str] = frozenset()


def archive_plan_keeps(
    plan: tuple[ArchivePlanKeep, ...], *, outcome: str, target_groups: frozenset[str]
) -> frozenset[str]:
    """The codes of the plan's keep rules that a closed case meets."""
    return frozenset(
        keep.code for keep in plan if outcome in keep.outcomes or keep.target_groups & target_groups
    )
