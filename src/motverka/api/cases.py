"""Case endpoints: register, list, search by identity number, the case, and its journal.

Every endpoint gets cases only through :mod:`motverka.cases.access` (which logs reads) and
writes only through the case services, exactly like the UI.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field as NinjaField
from ninja import Query, Router, Schema, Status

from motverka.api.concurrency import with_etag
from motverka.api.errors import InvalidInput, field_error, invalid_input
from motverka.api.schemas import (
    CasePageOut,
    CaseRegisterIn,
    CaseWithWorkflowOut,
    ConflictOut,
    ErrorOut,
    IdentitySearchIn,
    JournalEntryIn,
    JournalEntryOut,
    ValidationErrorOut,
)
from motverka.api.serializers import (
    case_list_item_data,
    case_with_workflow,
    journal_entry_data,
    page_data,
)
from motverka.audit.logging import IDENTITY_NUMBER
from motverka.cases import access, selectors, services
from motverka.cases.errors import NotFound
from motverka.cases.models import JournalEntry
from motverka.cases.vocabulary import TargetGroup
from motverka.people.identity import InvalidIdentityNumber, parse_identity_number
from motverka.people.services import HouseholdMemberInput, PersonInput
from motverka.workflow.policy import CaseStatus

router = Router(tags=["Ärenden"])

#: Where the intake service's field names sit in the request body.
INTAKE_FIELD_LOCATIONS = {
    name: ("person", name)
    for name in ("first_name", "last_name", "personal_identity_number", "reserve_reason")
}

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 409: ConflictOut, 422: ValidationErrorOut}


class CaseListQuery(Schema):
    status: CaseStatus | None = None
    sending_municipality: str | None = NinjaField(None, pattern=r"^\d{4}$", description="Kommunkod")
    target_group: TargetGroup | None = None
    assigned_to: str | None = NinjaField(
        None, pattern=r"^(me|none|[0-9]{1,18})$", description="Användar-id, me eller none"
    )
    open_only: bool = False
    q: str = NinjaField(
        "", max_length=100, description="Diarienummer eller namn; aldrig personnummer"
    )
    page: int = NinjaField(1, ge=1)


def _default_unit(user: Any, unit_id: int | None) -> int:
    if unit_id is not None:
        return unit_id
    units = list(user.units.values_list("pk", flat=True)[:2])
    # With several units the caller must choose; 0 matches none, so the service says so.
    return units[0] if len(units) == 1 else 0


def _intake(user: Any, body: CaseRegisterIn) -> services.CaseIntake:
    person = body.person
    return services.CaseIntake(
        person=PersonInput(
            first_name=person.first_name,
            last_name=person.last_name,
            personal_identity_number=person.personal_identity_number,
            reserve_reason=person.reserve_reason,
            protected_identity=person.protected_identity,
            phone=person.phone,
            birth_date=person.birth_date,
        ),
        unit_id=_default_unit(user, body.unit),
        sending_municipality_code=body.sending_municipality,
        received_on=body.received_on or timezone.localdate(),
        moved_on=body.moved_on,
        target_groups=tuple(str(code) for code in body.target_groups),
        indicators=tuple(str(code) for code in body.indicators),
        indicator_note=body.indicator_note,
        interventions=tuple(item.to_input() for item in body.interventions),
        household=tuple(
            HouseholdMemberInput(
                first_name=member.first_name,
                last_name=member.last_name,
                relation=str(member.relation),
                birth_date=member.birth_date,
            )
            for member in body.household
        ),
        assigned_to_id=body.assigned_to,
        allow_open_case=body.allow_open_case,
    )


@router.post(
    "/cases",
    response={201: CaseWithWorkflowOut, **WRITE_ERRORS},
    summary="Registrera ett ärende",
    url_name="case_register",
)
def case_register(request: HttpRequest, body: CaseRegisterIn, response: HttpResponse) -> Any:
    """Registers a suspected case. The identity number travels only in this body. A 409 with
    ``code == "open_case_exists"`` means the person already has an open case; send again with
    ``allow_open_case: true`` to register a new one anyway."""
    user = request.auth  # type: ignore[attr-defined]
    try:
        case, data = services.case_register_answered(
            acting_user=user, intake=_intake(user, body), answer=case_with_workflow
        )
    except ValidationError as error:
        raise invalid_input(error, locations=INTAKE_FIELD_LOCATIONS) from error
    response["Location"] = f"{request.path.rstrip('/')}/{case.pk}"
    with_etag(response, "case", case.pk, case.version)
    return Status(201, data)


@router.get(
    "/cases",
    response={200: CasePageOut, **READ_ERRORS, 422: ValidationErrorOut},
    summary="Lista ärenden",
    url_name="case_list",
)
def case_list(request: HttpRequest, filters: Query[CaseListQuery]) -> Any:
    """The cases of the caller's units, newest first, a page at a time. Every case on the
    page is logged as a read. Search by identity number with ``POST /cases/search``."""
    user = request.auth  # type: ignore[attr-defined]
    access.require_case_role(user)
    if IDENTITY_NUMBER.search(filters.q):
        raise InvalidInput(
            [
                field_error(
                    ("query", "q"),
                    _(
                        "Personnummer får inte stå i adressen. Sök på personnummer med "
                        "POST /api/v1/cases/search."
                    ),
                )
            ]
        )
    page = selectors.case_list(
        user=user,
        filters=selectors.CaseFilters(
            text=filters.q,
            status=str(filters.status or ""),
            sending_municipality=filters.sending_municipality or "",
            target_group=str(filters.target_group or ""),
            assigned_to=filters.assigned_to or "",
            open_only=filters.open_only,
        ),
        page_number=filters.page,
        page_size=settings.MOTVERKA_PAGE_SIZE,
        target_groups=True,
    )
    return page_data(page, [case_list_item_data(case) for case in page.object_list])


@router.post(
    "/cases/search",
    response={200: CasePageOut, **READ_ERRORS, 422: ValidationErrorOut},
    summary="Sök ärenden på personnummer",
    url_name="case_search",
)
def case_search(request: HttpRequest, body: IdentitySearchIn) -> Any:
    """Cases of the person with this personal identity or coordination number. The number is
    sent in the body so that it never appears in a URL or an access log."""
    user = request.auth  # type: ignore[attr-defined]
    access.require_case_role(user)
    try:
        parse_identity_number(body.identity_number)
    except InvalidIdentityNumber as error:
        raise InvalidInput([field_error(("body", "identity_number"), str(error))]) from error
    page = selectors.case_list(
        user=user,
        filters=selectors.CaseFilters(identity_number=body.identity_number),
        page_number=body.page,
        page_size=settings.MOTVERKA_PAGE_SIZE,
        target_groups=True,
    )
    return page_data(page, [case_list_item_data(case) for case in page.object_list])


@router.get(
    "/cases/{int:case_id}",
    response={200: CaseWithWorkflowOut, **READ_ERRORS},
    summary="Hämta ett ärende",
    url_name="case_detail",
)
def case_detail(request: HttpRequest, case_id: int, response: HttpResponse) -> Any:
    """The case with person, household, interventions, and the workflow state: measures,
    consents, deadlines and next steps. The read is logged. The ``ETag`` header names the
    case's version; send it in ``If-Match`` with a correction."""
    case = access.case_get_for_user(user=request.auth, case_id=case_id)  # type: ignore[attr-defined]
    with_etag(response, "case", case.pk, case.version)
    return case_with_workflow(case)


@router.get(
    "/cases/{int:case_id}/journal",
    response={200: list[JournalEntryOut], **READ_ERRORS},
    summary="Journalanteckningar",
    url_name="journal_list",
)
def journal_list(request: HttpRequest, case_id: int) -> Any:
    """The case's journal entries, newest first (entry date, then creation)."""
    case = access.case_get_for_user(user=request.auth, case_id=case_id)  # type: ignore[attr-defined]
    entries = case.journal_entries.select_related("author", "signed_by").order_by(
        "-entry_date", "-id"
    )
    return [journal_entry_data(entry) for entry in entries]


@router.post(
    "/cases/{int:case_id}/journal",
    response={201: JournalEntryOut, **WRITE_ERRORS},
    summary="Skriv en journalanteckning",
    url_name="journal_add",
)
def journal_add(request: HttpRequest, case_id: int, body: JournalEntryIn) -> Any:
    """Adds a journal entry, signed at once if ``sign`` is true. A signed entry never changes;
    corrections are new entries (made in the UI)."""
    user = request.auth  # type: ignore[attr-defined]
    case = access.case_get_for_user(user=user, case_id=case_id)
    entry = services.journal_entry_add(
        acting_user=user,
        case=case,
        entry_date=body.entry_date or timezone.localdate(),
        text=body.text,
        sign=body.sign,
    )
    return Status(201, journal_entry_data(entry))


@router.post(
    "/journal/{int:entry_id}/sign",
    response={200: JournalEntryOut, **WRITE_ERRORS},
    summary="Signera en journalanteckning",
    url_name="journal_sign",
)
def journal_sign(request: HttpRequest, entry_id: int) -> Any:
    """Signs an unsigned entry (its author, or a unit manager)."""
    user = request.auth  # type: ignore[attr-defined]
    access.require_case_role(user)
    case_id = JournalEntry.objects.filter(pk=entry_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise NotFound
    case = access.case_get_for_user(user=user, case_id=case_id)
    entry = case.journal_entries.select_related("case").get(pk=entry_id)
    entry = services.journal_entry_sign(acting_user=user, entry=entry)
    return journal_entry_data(entry)
