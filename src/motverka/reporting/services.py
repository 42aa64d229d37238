"""Writes of the reporting app: the figures' summary rows and the audited exports.

:func:`case_figures_refresh` recomputes a case's :class:`CaseFigureRow` from the base tables.
Every service that changes a fact the figures count calls it inside its own transaction
(registration, correction of intake data, workflow steps, housing, home visits, protected
identity), so a summary row is never behind its case. ``motverka figures_rebuild`` rebuilds
all rows (after a bulk import or a restore).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef

from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record
from motverka.cases.errors import AccessDenied
from motverka.cases.models import Case
from motverka.housing.models import HomeVisit, Housing
from motverka.housing.vocabulary import HomeVisitStatus, HousingAssessment
from motverka.people.models import Person
from motverka.reporting.models import CaseFigureRow
from motverka.workflow.models import StepRecord
from motverka.workflow.policy import Action

_TRANSFER_RESULT = {
    Action.RECORD_TRANSFER_ACCEPTED: "accepted",
    Action.RECORD_TRANSFER_DECLINED: "declined",
    Action.RECORD_TRANSFER_NO_ANSWER: "no_answer",
}
_IVO_RESULT = {Action.RECORD_IVO_GRANTED: "granted", Action.RECORD_IVO_REJECTED: "rejected"}
_STEP_ACTIONS = [
    Action.RECORD_OBJECTION,
    Action.SEND_OFFICIAL_LETTER,
    Action.SEND_TRANSFER_REQUEST,
    Action.APPLY_TO_IVO,
    *_TRANSFER_RESULT,
    *_IVO_RESULT,
]
_VISIT_FIELD = {
    HousingAssessment.SUITABLE: "visits_suitable",
    HousingAssessment.UNSUITABLE: "visits_unsuitable",
    HousingAssessment.HARMFUL: "visits_harmful",
}


def _days(start: date, end: date | None) -> int | None:
    return None if end is None else (end - start).days


def _rows_for(case_ids: list[int]) -> list[CaseFigureRow]:
    protected_elsewhere = Person.objects.filter(
        personal_identity_number=OuterRef("person__personal_identity_number"),
        protected_identity=True,
    )
    cases = (
        Case.objects.filter(pk__in=case_ids)
        .select_related("person", "sending_municipality__county")
        .prefetch_related("target_groups", "indicators")
        .annotate(protected_elsewhere=Exists(protected_elsewhere))
        .order_by()
    )
    steps: dict[int, list[tuple[str, date, int]]] = {}
    for case_id, action, performed_on, step_id in (
        StepRecord.objects.filter(case_id__in=case_ids, action__in=_STEP_ACTIONS)
        .values_list("case_id", "action", "performed_on", "id")
        .order_by("performed_on", "id")
    ):
        steps.setdefault(case_id, []).append((action, performed_on, step_id))
    housings = {h.case_id: h for h in Housing.objects.filter(case_id__in=case_ids)}
    visits: dict[int, list[str]] = {}
    for case_id, assessment in HomeVisit.objects.filter(
        case_id__in=case_ids, status=HomeVisitStatus.PERFORMED
    ).values_list("case_id", "assessment"):
        visits.setdefault(case_id, []).append(assessment)

    rows = []
    for case in cases:
        row = CaseFigureRow(
            case_id=case.pk,
            received_on=case.received_on,
            protected=case.person.protected_identity or case.protected_elsewhere,
            sending_municipality_code=case.sending_municipality.code,
            sending_county_code=case.sending_municipality.county.code,
            status=case.status,
            outcome=case.outcome,
            target_groups=",".join(sorted(group.code for group in case.target_groups.all())),
            indicators=",".join(sorted(sign.code for sign in case.indicators.all())),
        )
        first: dict[str, date] = {}
        ivo_applied: date | None = None
        for action, performed_on, _step_id in steps.get(case.pk, []):
            first.setdefault(action, performed_on)
            if action == Action.SEND_TRANSFER_REQUEST:
                row.transfer = "awaiting"
            elif action in _TRANSFER_RESULT:
                row.transfer = _TRANSFER_RESULT[Action(action)]
            elif action == Action.APPLY_TO_IVO:
                row.ivo, ivo_applied = "applied", performed_on
                row.ivo_decision_days = None
            elif action in _IVO_RESULT:
                row.ivo = _IVO_RESULT[Action(action)]
                if ivo_applied is not None:
                    row.ivo_decision_days = _days(ivo_applied, performed_on)
        row.first_contact_days = _days(case.received_on, first.get(Action.RECORD_OBJECTION))
        row.official_letter_days = _days(case.received_on, first.get(Action.SEND_OFFICIAL_LETTER))
        for assessment in visits.get(case.pk, []):
            field = _VISIT_FIELD.get(assessment, "visits_unassessed")  # type: ignore[call-overload]
            setattr(row, field, getattr(row, field) + 1)
        housing = housings.get(case.pk)
        if housing is not None:
            row.landlord_id = housing.landlord_id
            row.rent_paid_months = housing.rent_paid_months
            row.deposit_paid = housing.deposit_paid
            row.moving_costs_paid = housing.moving_costs_paid
            row.assistance_paid_monthly = housing.assistance_paid_monthly
        rows.append(row)
    return rows


_UPDATE_FIELDS = [
    field.name
    for field in CaseFigureRow._meta.concrete_fields
    if not field.primary_key and field.name != "updated_at"
] + ["updated_at"]


def case_figures_refresh(*, case_ids: Iterable[int]) -> int:
    """Recompute the summary rows of ``case_ids`` from the base tables (inside the caller's
    transaction). Returns the number of rows written."""
    # A disposed case's row is all that is left of it (docs/archive.md): its base rows are
    # gone, so a recount would change the figures of a past year. Its row is kept as is.
    disposed = set(
        Case.objects.filter(pk__in=set(case_ids), disposal_record__isnull=False).values_list(
            "pk", flat=True
        )
    )
    ids = sorted(set(case_ids) - disposed)
    written = 0
    for start in range(0, len(ids), 2000):
        rows = _rows_for(ids[start : start + 2000])
        CaseFigureRow.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["case"],
            update_fields=_UPDATE_FIELDS,
        )
        written += len(rows)
    return written


def case_figures_refresh_for_identity(*, personal_identity_number: str) -> int:
    """A change of protection reaches every unit's cases of the same identity number."""
    ids = Case.objects.filter(
        person__personal_identity_number=personal_identity_number
    ).values_list("pk", flat=True)
    return case_figures_refresh(case_ids=list(ids))


@transaction.atomic
def case_figures_rebuild() -> int:
    """Rebuild every summary row (and drop rows of cases that are gone)."""
    CaseFigureRow.objects.exclude(case__in=Case.objects.all()).delete()
    return case_figures_refresh(case_ids=list(Case.objects.values_list("pk", flat=True)))


def require_figures_role(user: Any) -> None:
    """Figures are for analysts and the case roles (unit managers, case workers); an
    administrator, or anyone signed out, gets none (AccessDenied)."""
    if not (user and user.is_authenticated and (user.is_analyst or user.works_with_cases)):
        raise AccessDenied


def figures_export_audit(*, acting_user: Any, kind: str, detail: str) -> None:
    """One audit row for one export of figures (no personal data: the detail names the
    table, the period and the format)."""
    audit_record(
        actor=acting_user,
        action=AuditAction.EXPORT,
        object_type="figures",
        object_id=kind,
        detail=detail,
    )
