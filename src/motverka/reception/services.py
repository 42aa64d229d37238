"""Writes of the reception's screening: the anonymous count and the registration of a
suspected case from the answers (through the cases app's registration service)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record
from motverka.cases.access import require_unit_member
from motverka.cases.errors import Conflict
from motverka.cases.models import Case
from motverka.cases.services import CaseIntake, case_register
from motverka.people.services import PersonInput
from motverka.reception.models import ScreeningCount
from motverka.reception.rules import (
    Answer,
    HousingArrangedBy,
    PaidByPrevious,
    ScreeningAnswers,
    ScreeningResult,
    decide,
)
from motverka.reference.models import Municipality

__all__ = ["screening_case_register", "screening_record"]


def _validate(answers: ScreeningAnswers, today: date) -> None:
    errors: dict[str, list[str]] = {}
    checks: tuple[tuple[str, Any, Any], ...] = (
        ("moved_recently", Answer, answers.moved_recently),
        ("housing_arranged_by", HousingArrangedBy, answers.housing_arranged_by),
        ("papers_from_previous", Answer, answers.papers_from_previous),
        ("wished_to_move", Answer, answers.wished_to_move),
    )
    for field, enum, value in checks:
        if value not in enum.values:
            errors.setdefault(field, []).append(_("Välj ett av svaren."))
    for paid in answers.paid_by_previous:
        if paid not in PaidByPrevious.values:
            errors.setdefault("paid_by_previous", []).append(_("Välj bland svaren."))
    if (
        answers.from_municipality
        and not Municipality.objects.filter(code=answers.from_municipality).exists()
    ):
        errors.setdefault("from_municipality", []).append(_("Okänd kommun."))
    if answers.moved_recently == Answer.YES and not answers.from_municipality:
        errors.setdefault("from_municipality", []).append(
            _("Ange varifrån personen flyttade, eller svara ”Oklart” på om personen flyttat hit.")
        )
    if answers.moved_on and answers.moved_on > today:
        errors.setdefault("moved_on", []).append(_("Flyttdatum kan inte ligga i framtiden."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def screening_record(
    *, acting_user: Any, unit_id: int, answers: ScreeningAnswers, today: date | None = None
) -> ScreeningResult:
    """Apply the screening rules and count the screening for the unit and month.

    Only the count is kept — screened, and suspected when the rules raise a suspicion —
    never the answers (decision 0023). The audit row says that a screening was made and
    its result, with no case or person.
    """
    require_unit_member(acting_user, unit_id)
    today = today or timezone.localdate()
    _validate(answers, today)
    result = decide(answers, receiving_code=settings.MOTVERKA_MUNICIPALITY)
    month = today.replace(day=1)
    row, _created = ScreeningCount.objects.get_or_create(unit_id=unit_id, month=month)
    ScreeningCount.objects.filter(pk=row.pk).update(
        screened=F("screened") + 1, suspected=F("suspected") + int(result.suspected)
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        object_type="screening",
        object_id=row.pk,
        detail="misstanke" if result.suspected else "ingen misstanke",
    )
    return result


def screening_note(answers: ScreeningAnswers, result: ScreeningResult, on: date) -> str:
    """The screening's answers as the case's note on its indicators."""
    paid = ", ".join(
        str(PaidByPrevious(value).label).lower() for value in sorted(answers.paid_by_previous)
    )
    parts = [
        _("Screening i mottagningen %(date)s.") % {"date": on.isoformat()},
        _("Bostaden ordnad av: %(who)s.")
        % {"who": str(HousingArrangedBy(answers.housing_arranged_by).label).lower()},
        _("Betalt av tidigare kommun: %(what)s.") % {"what": paid or _("inget")},
        _("Handlingar från tidigare socialtjänst: %(answer)s.")
        % {"answer": str(Answer(answers.papers_from_previous).label).lower()},
        _("Ville flytta: %(answer)s.")
        % {"answer": str(Answer(answers.wished_to_move).label).lower()},
    ]
    return " ".join(parts)


def screening_case_register(
    *,
    acting_user: Any,
    unit_id: int,
    answers: ScreeningAnswers,
    person: PersonInput,
    target_groups: tuple[str, ...],
    received_on: date,
    allow_open_case: bool = False,
) -> Case:
    """Register the suspected case a screening found, prefilled from its answers.

    The rules are applied again (the answers come back from the browser's session, not
    trusted blindly): without a suspicion nothing is registered. The sending municipality,
    the moving date, the indicators and a note of the answers come from the screening;
    the person and the target groups are given once, here. The count was made when the
    screening was recorded, so it is not counted again. Not wrapped in a transaction of
    its own: the registration service logs a duplicate warning's disclosure after rolling
    back, and an outer transaction would roll that log back too.
    """
    require_unit_member(acting_user, unit_id)
    today = timezone.localdate()
    _validate(answers, today)
    result = decide(answers, receiving_code=settings.MOTVERKA_MUNICIPALITY)
    if not result.suspected:
        raise Conflict(
            _("Screeningen visar inga tecken på aktiv medverkan; inget ärende registreras."),
            "no_suspicion",
        )
    return case_register(
        acting_user=acting_user,
        intake=CaseIntake(
            person=person,
            unit_id=unit_id,
            sending_municipality_code=answers.from_municipality,
            received_on=received_on,
            moved_on=answers.moved_on,
            target_groups=target_groups,
            indicators=tuple(indicator.value for indicator in result.indicators),
            indicator_note=screening_note(answers, result, today),
            allow_open_case=allow_open_case,
        ),
    )
