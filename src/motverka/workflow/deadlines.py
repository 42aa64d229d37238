"""The deadline (bevakning) rules: which kinds of deadline exist and how each is computed.

Everything here is pure: a rule turns a start date into a due date through
:mod:`motverka.workflow.calendar`, and :func:`deadline_state` classifies a due date against a
``today`` that the caller supplies. The periods are configurable through the setting
``MOTVERKA_DEADLINE_RULES`` (read by the caller and passed to :func:`rules_from_config`), so
this module never touches settings, the database or the clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from motverka.workflow.calendar import add_days, add_working_days, statutory_due_date

__all__ = [
    "DEFAULT_RULES",
    "FIXED_DATE_KINDS",
    "DeadlineKind",
    "DeadlineRule",
    "DeadlineState",
    "PeriodUnit",
    "deadline_state",
    "rules_from_config",
]


class DeadlineKind(models.TextChoices):
    """The kinds of deadline a case can carry."""

    CONTACT_SENDING_MUNICIPALITY = (
        "contact_sending_municipality",
        _("Kontakt med avsändande kommun"),
    )
    OFFICIAL_LETTER = "official_letter", _("Officiell skrivelse")
    TRANSFER_ANSWER = "transfer_answer", _("Svar på begäran om överflyttning")
    RENT_END_FOLLOW_UP = "rent_end_follow_up", _("Uppföljning när hyresbetalningen upphör")
    IVO_DECISION_EXPECTED = "ivo_decision_expected", _("Förväntat beslut från IVO")
    HOME_VISIT = "home_visit", _("Planerat hembesök")


#: Kinds whose due date is a date someone chose (the day of a planned home visit), not a
#: period computed by a rule: they have no entry in the rule table and cannot be configured.
FIXED_DATE_KINDS = frozenset({DeadlineKind.HOME_VISIT})


class PeriodUnit(StrEnum):
    """How a rule's ``amount`` is counted."""

    WORKING_DAYS = "working_days"
    MONTHS = "months"
    DAYS = "days"


@dataclass(frozen=True)
class DeadlineRule:
    """A period of ``amount`` ``unit`` that runs from a start date.

    ``informational`` rules produce a date the municipality expects something to happen by
    (for example a decision from IVO) rather than a date by which it must act itself.
    """

    kind: DeadlineKind
    unit: PeriodUnit
    amount: int
    informational: bool = False

    def __post_init__(self) -> None:
        # Checked here as well as in rules_from_config so that a rule built by hand in code
        # fails when it is written, not when a due date is first computed from it; a plain
        # string unit would otherwise fall through due_date to the calendar-days branch.
        PeriodUnit(self.unit)
        if self.amount < 0:
            raise ValueError(f"deadline amount must be zero or positive, got {self.amount}")

    def due_date(self, start: date) -> date:
        """Return the due date of a deadline that starts on ``start``.

        * ``working_days``: the ``amount``-th working day after ``start``.
        * ``months``: lag (1930:173) 2 and 3 §§, i.e. the same day number ``amount`` months
          later (or that month's last day), moved on to the next working day if needed.
        * ``days``: ``amount`` calendar days later, moved on to the next working day if
          needed.
        """
        if self.unit == PeriodUnit.WORKING_DAYS:
            return add_working_days(start, self.amount)
        if self.unit == PeriodUnit.MONTHS:
            return statutory_due_date(start, self.amount)
        return add_days(start, self.amount)


# Kinds whose date is only an expectation, whatever the configuration says: the municipality
# cannot miss a decision that someone else makes.
_ALWAYS_INFORMATIONAL = frozenset({DeadlineKind.IVO_DECISION_EXPECTED})

DEFAULT_RULES: dict[DeadlineKind, DeadlineRule] = {
    DeadlineKind.CONTACT_SENDING_MUNICIPALITY: DeadlineRule(
        DeadlineKind.CONTACT_SENDING_MUNICIPALITY, PeriodUnit.WORKING_DAYS, 2
    ),
    DeadlineKind.OFFICIAL_LETTER: DeadlineRule(
        DeadlineKind.OFFICIAL_LETTER, PeriodUnit.WORKING_DAYS, 10
    ),
    DeadlineKind.TRANSFER_ANSWER: DeadlineRule(DeadlineKind.TRANSFER_ANSWER, PeriodUnit.MONTHS, 1),
    # Zero days: the follow-up falls on the day the sending municipality stops paying rent,
    # or the first working day after it.
    DeadlineKind.RENT_END_FOLLOW_UP: DeadlineRule(
        DeadlineKind.RENT_END_FOLLOW_UP, PeriodUnit.DAYS, 0
    ),
    DeadlineKind.IVO_DECISION_EXPECTED: DeadlineRule(
        DeadlineKind.IVO_DECISION_EXPECTED, PeriodUnit.MONTHS, 3, informational=True
    ),
}

_SETTING = "MOTVERKA_DEADLINE_RULES"


def rules_from_config(
    config: Mapping[str, tuple[str, int]] | None,
) -> dict[DeadlineKind, DeadlineRule]:
    """Build the rule table from a mapping ``kind -> (unit, amount)``.

    ``config`` has the shape of the setting ``MOTVERKA_DEADLINE_RULES``, for example
    ``{"transfer_answer": ("months", 1)}``. Kinds it leaves out keep their entry from
    :data:`DEFAULT_RULES`; ``None`` means all defaults. ``ivo_decision_expected`` is always
    informational.

    Raises ``ValueError`` for an unknown kind, an unknown unit, an entry that is not a
    ``(unit, amount)`` pair, an amount that is not an integer, or a negative amount.
    """
    rules = dict(DEFAULT_RULES)
    if not config:
        return rules
    valid_kinds = ", ".join(kind for kind in DeadlineKind.values if kind not in FIXED_DATE_KINDS)
    valid_units = ", ".join(unit.value for unit in PeriodUnit)
    for key, entry in config.items():
        try:
            kind = DeadlineKind(key)
        except ValueError:
            raise ValueError(
                f"{_SETTING}: unknown deadline kind {key!r}; expected one of {valid_kinds}"
            ) from None
        if kind in FIXED_DATE_KINDS:
            raise ValueError(f"{_SETTING}: {key!r} falls on a chosen date and has no period")
        if isinstance(entry, str | bytes) or not _is_pair(entry):
            raise ValueError(f"{_SETTING}[{key!r}]: expected a (unit, amount) pair, got {entry!r}")
        raw_unit, amount = entry
        try:
            unit = PeriodUnit(raw_unit)
        except ValueError:
            raise ValueError(
                f"{_SETTING}[{key!r}]: unknown unit {raw_unit!r}; expected one of {valid_units}"
            ) from None
        # bool is an int subclass, and (unit, True) is far more likely a typo than "1".
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise ValueError(f"{_SETTING}[{key!r}]: amount must be an integer, got {amount!r}")
        if amount < 0:
            raise ValueError(f"{_SETTING}[{key!r}]: amount must be zero or positive, got {amount}")
        rules[kind] = DeadlineRule(kind, unit, amount, informational=kind in _ALWAYS_INFORMATIONAL)
    return rules


def _is_pair(entry: object) -> bool:
    try:
        return len(entry) == 2  # type: ignore[arg-type]
    except TypeError:
        return False


class DeadlineState(models.TextChoices):
    """Where a deadline stands on a given day."""

    UPCOMING = "upcoming", _("Kommande")
    DUE = "due", _("Snart förfallen")
    OVERDUE = "overdue", _("Försenad")
    MET = "met", _("Klar")


def deadline_state(*, due: date, today: date, lead_days: int, met: bool = False) -> DeadlineState:
    """Classify a deadline that falls on ``due`` as seen on ``today``.

    * ``met``: the deadline has been dealt with; this wins over every date comparison.
    * ``overdue``: ``today`` is after ``due``.
    * ``due``: ``today`` lies in the lead window ``due - lead_days .. due``, both ends
      included (so with ``lead_days == 0`` only the due date itself).
    * ``upcoming``: ``today`` is before the lead window.

    Raises ``ValueError`` if ``lead_days`` is negative.
    """
    if lead_days < 0:
        raise ValueError(f"lead_days must be zero or positive, got {lead_days}")
    if met:
        return DeadlineState.MET
    if today > due:
        return DeadlineState.OVERDUE
    if today >= due - timedelta(days=lead_days):
        return DeadlineState.DUE
    return DeadlineState.UPCOMING
