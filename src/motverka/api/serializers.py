"""Model instances to API output. The one place personal data is shaped for the API.

Protected identity (skyddade personuppgifter) is enforced here, as docs/privacy.md says:
:func:`person_data` never includes contact or address fields for a protected person — any
such field added to the person later must be added inside its unprotected branch — list
rows leave out the sending municipality, as the case list in the UI does, and the case
detail shows it marked as protected.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from motverka.cases.models import Case, JournalEntry
from motverka.cases.selectors import enable_page_reads, target_group_codes
from motverka.cases.vocabulary import Indicator, InterventionKind, TargetGroup
from motverka.people.models import Person, Relation
from motverka.workflow import selectors as workflow_selectors
from motverka.workflow.deadlines import DeadlineKind, DeadlineState
from motverka.workflow.models import Consent, ConsentForm, Deadline
from motverka.workflow.policy import (
    Action,
    CaseStatus,
    ConsentScope,
    ConsentStatus,
    Measure,
    MeasureStanding,
    MeasureState,
    Outcome,
)
from motverka.workflow.step_details import REASON_REQUIRED, details_for


def choice(choices: type[models.TextChoices], value: str) -> dict[str, str]:
    try:
        label = str(choices(value).label)
    except ValueError:
        label = value
    return {"code": value, "label": label}


def optional_choice(choices: type[models.TextChoices], value: str) -> dict[str, str] | None:
    return choice(choices, value) if value else None


def user_data(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.display_name()}


def municipality_data(municipality: Any) -> dict[str, str]:
    return {"code": municipality.code, "name": municipality.name}


def person_data(person: Person, *, detail: bool) -> dict[str, Any]:
    """A person as the API shows them.

    ``detail=False`` (lists): name and the protection flag only. ``detail=True`` (the case):
    also the identity, and — only when the person is not protected — contact details.
    """
    data: dict[str, Any] = {
        "id": person.pk,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "full_name": person.full_name,
        "protected_identity": person.protected_identity,
    }
    if not detail:
        return data
    if person.personal_identity_number:
        kind = (
            "coordination_number" if person.is_coordination_number else "personal_identity_number"
        )
    else:
        kind = "reserve_identity"
    data.update(
        identity=person.identity_display,
        identity_kind=kind,
        reserve_reason=person.reserve_reason or None,
        birth_date=person.birth_date,
    )
    if not person.protected_identity:
        # Contact and address details: never for a protected person.
        data.update(phone=person.phone or None)
    return data


def household_data(case: Case) -> list[dict[str, Any]]:
    """The household as recorded in this case (another case's household is its own)."""
    today = timezone.localdate()
    return [
        {
            "first_name": member.first_name,
            "last_name": member.last_name,
            "relation": choice(Relation, member.relation),
            "birth_date": member.birth_date,
            "is_child": member.is_child_on(today),
        }
        for member in case.household.all()
    ]


def case_list_item_data(case: Case) -> dict[str, Any]:
    protected = case.person.protected_identity
    return {
        "id": case.pk,
        "reference": case.reference,
        "status": choice(CaseStatus, case.status),
        "outcome": optional_choice(Outcome, case.outcome),
        "person": person_data(case.person, detail=False),
        "sending_municipality": None if protected else municipality_data(case.sending_municipality),
        "received_on": case.received_on,
        "moved_on": case.moved_on,
        "unit": {"id": case.unit.pk, "name": case.unit.name},
        "assigned_to": user_data(case.assigned_to),
        "target_groups": [choice(TargetGroup, code) for code in target_group_codes(case)],
    }


def journal_entry_data(entry: JournalEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "entry_date": entry.entry_date,
        "text": entry.text,
        "author": user_data(entry.author),
        "created_at": entry.created_at,
        "signed": entry.is_signed,
        "signed_at": entry.signed_at,
        "signed_by": user_data(entry.signed_by),
        "corrects": entry.corrects_id,
    }


def case_detail_data(case: Case) -> dict[str, Any]:
    """The case page as data: intake facts, person and household. The workflow part
    (measures, consents, deadlines, next steps) is added by the caller."""
    data = case_list_item_data(case)
    protected = case.person.protected_identity
    data.update(
        version=case.version,
        person=person_data(case.person, detail=True),
        household=household_data(case),
        # The unit's own case page shows the sending municipality even for a protected
        # person, marked as protected (docs/privacy.md); lists never do. The receiving
        # municipality is ours and is left out for a protected person, since it tells where
        # they now live.
        sending_municipality=municipality_data(case.sending_municipality),
        sending_municipality_protected=protected,
        receiving_municipality=(
            None if protected else municipality_data(case.receiving_municipality)
        ),
        indicators=[choice(Indicator, row.code) for row in case.indicators.all()],
        indicator_note=case.indicator_note,
        interventions=[
            {
                "kind": choice(InterventionKind, item.kind),
                "description": item.description,
                "ongoing": item.ongoing,
                "decided_on": item.decided_on,
                "legal_basis": item.legal_basis,
                "needed_until": item.needed_until,
            }
            for item in case.interventions.all()
        ],
        assessment_reason=case.assessment_reason,
        assessed_on=case.assessed_on,
        closed_on=case.closed_on,
        closing_note=case.closing_note,
        created_at=case.created_at,
    )
    return data


# --- Workflow ---------------------------------------------------------------------------------


def consent_data(consent: Consent) -> dict[str, Any]:
    return {
        "id": consent.pk,
        "version": consent.version,
        "scope": choice(ConsentScope, consent.scope),
        "status": choice(ConsentStatus, consent.status),
        "decided_on": consent.decided_on,
        "form": choice(ConsentForm, consent.form),
        "note": consent.note,
        "recorded_by": user_data(consent.recorded_by),
        "recorded_at": consent.recorded_at,
    }


def deadline_data(row: workflow_selectors.DeadlineRow) -> dict[str, Any]:
    deadline: Deadline = row.deadline
    return {
        "id": deadline.pk,
        "case_id": deadline.case_id,
        "kind": choice(DeadlineKind, deadline.kind),
        "source_date": deadline.source_date,
        "due_on": deadline.due_on,
        "met_on": deadline.met_on,
        "informational": deadline.informational,
        "state": choice(DeadlineState, row.state),
    }


def workflow_data(summary: workflow_selectors.WorkflowSummary) -> dict[str, Any]:
    return {
        "measures": [
            {
                "measure": choice(Measure, row.measure),
                "state": choice(MeasureState, row.state),
                "required": row.required,
                "complete": row.complete,
                "not_applicable_reason": row.not_applicable_reason,
                "standing": choice(MeasureStanding, row.standing),
            }
            for row in summary.measures
        ],
        "consents": [
            {
                "scope": choice(ConsentScope, row.scope),
                "status": choice(ConsentStatus, row.consent.status) if row.consent else None,
                "decided_on": row.consent.decided_on if row.consent else None,
                "form": choice(ConsentForm, row.consent.form) if row.consent else None,
            }
            for row in summary.consents
        ],
        "deadlines": [deadline_data(row) for row in summary.deadlines],
        "next_steps": [
            {
                "action": choice(Action, step.action),
                "measure": optional_choice(Measure, step.measure or ""),
                "allowed": step.allowed,
                "reason": step.reason,
                "reason_required": step.action in REASON_REQUIRED,
                "details": [
                    {"name": field.name, "label": str(field.label), "required": field.required}
                    for field in details_for(step.action)
                ],
            }
            for step in summary.next_steps
        ],
        "steps_taken": [
            {
                "id": record.pk,
                "action": choice(Action, record.action),
                "measure": optional_choice(Measure, record.measure),
                "performed_on": record.performed_on,
                "details": record.details,
                "note": record.note,
                "actor": user_data(record.actor),
            }
            for record in summary.step_records
        ],
    }


def case_with_workflow(case: Case) -> dict[str, Any]:
    """The whole case as ``GET /cases/{id}`` returns it. The caller got ``case`` through
    the access layer (so the read is logged)."""
    enable_page_reads(case)  # the policy's facts and the summary share one read of each
    data = case_detail_data(case)
    summary = workflow_selectors.case_workflow_summary(case=case, today=timezone.localdate())
    data["workflow"] = workflow_data(summary)
    return data


def page_data(page: Any, items: list[Any]) -> dict[str, Any]:
    """A list page in the API's shape: ``items`` are the page's rows as data; a count capped
    by :class:`~motverka.cases.selectors.CappedPaginator` is given as a lower bound."""
    capped = bool(getattr(page.paginator, "capped", False))
    return {
        "count": page.paginator.cap if capped else page.paginator.count,
        "count_is_lower_bound": capped,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "has_next": page.has_next(),
        "page_size": page.paginator.per_page,
        "items": items,
    }
