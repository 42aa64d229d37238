"""Workflow endpoints: the person's consents, one step of the guideline at a time, and the
deadlines. They call the workflow services and selectors, exactly like the case page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status

from motverka.api.concurrency import expected_version, with_etag
from motverka.api.errors import invalid_input
from motverka.api.schemas import (
    ActionIn,
    CaseWithWorkflowOut,
    ConflictOut,
    ConsentIn,
    ConsentOut,
    DeadlineOut,
    DeadlinePageOut,
    ErrorOut,
    ValidationErrorOut,
)
from motverka.api.serializers import case_with_workflow, consent_data, deadline_data, page_data
from motverka.cases import access
from motverka.workflow import selectors, services
from motverka.workflow.models import Consent
from motverka.workflow.policy import Action

router = Router(tags=["Handläggning"])

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 409: ConflictOut, 422: ValidationErrorOut}

#: Service field names that are not top-level body fields of an action request.
_ACTION_BODY_FIELDS = frozenset({"performed_on", "measure", "outcome", "reason", "details"})


# --- Endpoints --------------------------------------------------------------------------------


@router.post(
    "/cases/{int:case_id}/consents",
    response={201: ConsentOut, **WRITE_ERRORS},
    summary="Registrera den enskildes samtycke",
    url_name="consent_record",
)
def consent_record(
    request: HttpRequest, case_id: int, body: ConsentIn, response: HttpResponse
) -> Any:
    """Records the person's answer (given, refused, withdrawn) for one scope. The latest
    answer per scope counts from the moment it is recorded. ``If-Match``
    ``"consent-<case id>-<scope>-v<version>"`` (the version of the latest answer read, v0
    when there was none) is optional; when sent, an answer recorded since is a 412."""
    user = request.auth  # type: ignore[attr-defined]
    case = access.case_get_for_user(user=user, case_id=case_id)
    version = expected_version(request, "consent", f"{case_id}-{body.scope}", required=False)
    consent = services.consent_record(
        acting_user=user,
        case=case,
        scope=body.scope,
        status=body.status,
        decided_on=body.decided_on or timezone.localdate(),
        form=body.form,
        note=body.note,
        expected_version=version,
    )
    with_etag(response, "consent", f"{case_id}-{consent.scope}", consent.version)
    return Status(201, consent_data(consent))


@router.get(
    "/cases/{int:case_id}/consents",
    response={200: list[ConsentOut], **READ_ERRORS},
    summary="Samtyckeshistorik",
    url_name="consent_list",
)
def consent_list(request: HttpRequest, case_id: int) -> Any:
    """Every recorded answer, newest first."""
    case = access.case_get_for_user(user=request.auth, case_id=case_id)  # type: ignore[attr-defined]
    consents = Consent.objects.filter(case=case).select_related("recorded_by")
    return [consent_data(consent) for consent in consents.order_by("-recorded_at", "-id")]


@router.post(
    "/cases/{int:case_id}/actions/{action}",
    response={200: CaseWithWorkflowOut, **WRITE_ERRORS},
    summary="Ta ett steg i handläggningen",
    url_name="case_action",
)
def case_action(request: HttpRequest, case_id: int, action: Action, body: ActionIn) -> Any:
    """Takes one step of the guideline (see ``workflow.next_steps`` of the case for what is
    possible now and which ``details`` each step records). A step the guideline does not
    allow now is a 409 with the Swedish reason in ``detail`` and a stable ``code``."""
    user = request.auth  # type: ignore[attr-defined]
    case = access.case_get_for_user(user=user, case_id=case_id)
    # The answer is read in the step's own transaction, so a failing read after the commit
    # can never turn a step that was taken into a 500.
    with transaction.atomic():
        return _case_action(user, case, action, body)


def _case_action(user: Any, case: Any, action: Action, body: ActionIn) -> Any:
    try:
        case = services.case_action_perform(
            acting_user=user,
            case=case,
            action=action,
            performed_on=body.performed_on or timezone.localdate(),
            measure=body.measure,
            outcome=body.outcome,
            reason=body.reason,
            details=body.details,
        )
    except ValidationError as error:
        locations = {
            field: ("details", field)
            for field in getattr(error, "error_dict", {})
            if field not in _ACTION_BODY_FIELDS
        }
        raise invalid_input(error, locations=locations) from error
    return case_with_workflow(case)


@router.get(
    "/cases/{int:case_id}/deadlines",
    response={200: list[DeadlineOut], **READ_ERRORS},
    summary="Ärendets bevakningar",
    url_name="case_deadlines",
)
def case_deadlines(request: HttpRequest, case_id: int) -> Any:
    """All deadlines of the case, open ones first, each with its state today."""
    case = access.case_get_for_user(user=request.auth, case_id=case_id)  # type: ignore[attr-defined]
    summary = selectors.case_workflow_summary(case=case, today=timezone.localdate())
    return [deadline_data(row) for row in summary.deadlines]


@router.get(
    "/deadlines",
    response={200: DeadlinePageOut, **READ_ERRORS, 422: ValidationErrorOut},
    summary="Mina bevakningar",
    url_name="my_deadlines",
)
def my_deadlines(request: HttpRequest, all_units: bool = False, page: int = Query(1, ge=1)) -> Any:
    """Open deadlines that are due or overdue today, earliest first, a page at a time: of the
    caller's cases and the unassigned cases of their units (``all_units=true``: every case
    of their units). Each case on the page is logged as a read."""
    user = request.auth  # type: ignore[attr-defined]
    access.require_case_role(user)
    today = timezone.localdate()
    result = selectors.deadline_page(
        user=user,
        today=today,
        filters=selectors.DeadlineFilters(due_to=today + timedelta(days=selectors.lead_days())),
        all_units=all_units,
        page_number=page,
        page_size=settings.MOTVERKA_PAGE_SIZE,
    )
    return page_data(result, [deadline_data(row) for row in result.object_list])
