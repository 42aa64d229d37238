"""API: correcting a case's intake data and reading its change history — the same service
and selector as the case page. Mounted in ``motverka/api/urls.py``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router

from motverka.api.concurrency import expected_version, with_etag
from motverka.api.schemas import (
    PRECONDITION_ERRORS,
    ConflictOut,
    ErrorOut,
    HouseholdMemberIn,
    InterventionIn,
    Out,
    RequestBody,
    ValidationErrorOut,
)
from motverka.cases import access
from motverka.cases.corrections import CaseCorrection, case_data_correct
from motverka.cases.models import Case
from motverka.cases.vocabulary import Indicator, TargetGroup
from motverka.history.selectors import case_changes
from motverka.people.services import HouseholdMemberInput

router = Router(tags=["Ändringshistorik"])

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 409: ConflictOut, 422: ValidationErrorOut}


class CaseCorrectionIn(RequestBody):
    reason: str = Field(min_length=1, max_length=1000)
    first_name: str | None = Field(None, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    phone: str | None = Field(None, max_length=40)
    sending_municipality: str | None = Field(None, pattern=r"^\d{4}$")
    moved_on: date | None = None
    clear_moved_on: bool = False
    received_on: date | None = None
    target_groups: list[TargetGroup] | None = Field(None, max_length=10)
    indicators: list[Indicator] | None = Field(None, max_length=20)
    indicator_note: str | None = Field(None, max_length=5000)
    household_add: list[HouseholdMemberIn] = Field(default_factory=list, max_length=15)
    household_remove: list[int] = Field(default_factory=list, max_length=15)
    interventions_add: list[InterventionIn] = Field(default_factory=list, max_length=10)
    interventions_remove: list[int] = Field(default_factory=list, max_length=10)


class CorrectionOut(Out):
    changed: list[str]
    version: int = Field(description="Ärendets nya version (också i ETag-huvudet)")


class FieldChangeOut(Out):
    label: str
    old: str
    new: str


class ChangeOut(Out):
    at: datetime
    what: str
    operation: str
    fields: list[FieldChangeOut]
    who: str
    reason: str
    via_service: bool


@router.post(
    "/cases/{int:case_id}/corrections",
    response={200: CorrectionOut, **WRITE_ERRORS, **PRECONDITION_ERRORS},
    summary="Ändra uppgifter i ett ärende",
    url_name="case_correct",
)
def case_correct(
    request: HttpRequest, case_id: int, body: CaseCorrectionIn, response: HttpResponse
) -> Any:
    """Corrects intake data with a reason; fields left out stay as they are. Every changed
    value is kept in the change history with its old and new value. ``If-Match`` with the
    case's ETag (``GET /cases/{id}``) is optional here; when sent, a case saved since is a
    412 and nothing changes. The answer's ``ETag`` is the case's new version."""
    user = request.auth  # type: ignore[attr-defined]
    case = access.case_get_for_user(user=user, case_id=case_id)
    version = expected_version(request, "case", case_id, required=False)
    correction = CaseCorrection(
        first_name=body.first_name,
        last_name=body.last_name,
        phone=body.phone,
        sending_municipality_code=body.sending_municipality,
        moved_on=body.moved_on,
        clear_moved_on=body.clear_moved_on,
        received_on=body.received_on,
        target_groups=tuple(body.target_groups) if body.target_groups is not None else None,
        indicators=tuple(body.indicators) if body.indicators is not None else None,
        indicator_note=body.indicator_note,
        household_add=tuple(
            HouseholdMemberInput(
                first_name=member.first_name,
                last_name=member.last_name,
                relation=member.relation,
                birth_date=member.birth_date,
            )
            for member in body.household_add
        ),
        household_remove=tuple(body.household_remove),
        interventions_add=tuple(item.to_input() for item in body.interventions_add),
        interventions_remove=tuple(body.interventions_remove),
    )
    with transaction.atomic():
        changed = case_data_correct(
            acting_user=user,
            case=case,
            correction=correction,
            reason=body.reason,
            expected_version=version,
        )
        saved = Case.objects.filter(pk=case.pk).values_list("version", flat=True).get()
    with_etag(response, "case", case.pk, saved)
    return {"changed": changed, "version": saved}


@router.get(
    "/cases/{int:case_id}/history",
    response={200: list[ChangeOut], **READ_ERRORS},
    summary="Ändringshistorik för ett ärende",
    url_name="case_history",
)
def case_history(request: HttpRequest, case_id: int) -> Any:
    """Every change of the case's intake data, newest first."""
    case = access.case_get_for_user(user=request.auth, case_id=case_id)  # type: ignore[attr-defined]
    return case_changes(case=case)
