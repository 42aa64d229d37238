"""Housing endpoints: the dwelling, the person's account, children's views, home visits, the
landlord letter and the landlord register. Same conventions as the workflow API: cases only
through :mod:`motverka.cases.access` (reads logged), writes only through the housing
services; 403/404/409/422 come from the shared exception handlers.

Mount with ``api.add_router("", motverka.housing.api.router)`` in ``motverka/api/urls.py``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from motverka.api.answers import committed_answer
from motverka.api.concurrency import expected_version, with_etag
from motverka.api.errors import InvalidInput, field_error, invalid_input
from motverka.api.schemas import PRECONDITION_ERRORS, ConflictOut, ErrorOut, ValidationErrorOut
from motverka.api.serializers import page_data
from motverka.cases import access
from motverka.cases.models import Case
from motverka.housing import rules, selectors, services
from motverka.housing.models import ChildView, HomeVisit, Housing, Landlord, PersonalAccount
from motverka.housing.schemas import (
    CaseHousingOut,
    ChildViewIn,
    ChildViewOut,
    HomeVisitCancelIn,
    HomeVisitOut,
    HomeVisitPlanIn,
    HomeVisitReportIn,
    HousingIn,
    LandlordConflictOut,
    LandlordContactIn,
    LandlordIn,
    LandlordOut,
    LandlordPageOut,
    LetterRefOut,
    PersonalAccountIn,
    PersonalAccountOut,
)
from motverka.housing.vocabulary import HomeVisitStatus
from motverka.people.identity import contains_identity_number

router = Router(tags=["Boende och hyresvärdar"])

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 409: ConflictOut, 422: ValidationErrorOut}

#: Service field names that sit under another name in the request body.
_LOCATIONS = {
    "landlord": ("landlord_id",),
    "member": ("member_id",),
    "visit": ("visit_id",),
}


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _call(service: Any, **kwargs: Any) -> Any:
    try:
        return service(**kwargs)
    except ValidationError as error:
        raise invalid_input(error, locations=_LOCATIONS) from error


# --- Serialising ------------------------------------------------------------------------------


def _choice(field_owner: Any, name: str) -> dict[str, str] | None:
    value = getattr(field_owner, name)
    if not value:
        return None
    return {"code": value, "label": str(getattr(field_owner, f"get_{name}_display")())}


def _signal(signal: rules.LandlordSignal) -> dict[str, Any]:
    return {
        "flagged": signal.flagged,
        "threshold": signal.threshold,
        "months": signal.months,
        "cases_in_window": signal.cases_in_window,
        "window_start": signal.window_start,
        "window_end": signal.window_end,
    }


def _space(figures: rules.SpaceFigures | None) -> dict[str, Any] | None:
    if figures is None:
        return None
    return {
        "persons": figures.persons,
        "children": figures.children,
        "rooms": figures.rooms,
        "area_m2": figures.area_m2,
        "rooms_per_person": figures.rooms_per_person,
        "area_per_person": figures.area_per_person,
        "crowded": figures.crowded,
    }


def _figures(persons: int, children: int, rooms: Any, area: Any) -> rules.SpaceFigures | None:
    try:
        return rules.space_figures(persons=persons, children=children, rooms=rooms, area_m2=area)
    except ValueError:
        return None


def _housing_data(housing: Housing, case: Case) -> dict[str, Any]:
    protected = case.person.protected_identity
    landlord = housing.landlord
    return {
        "address": None if protected else (housing.address or None),
        "address_protected": protected,
        "lease_type": _choice(housing, "lease_type"),
        "arranged_by": _choice(housing, "arranged_by"),
        "monthly_rent": housing.monthly_rent,
        "rooms": housing.rooms,
        "area_m2": housing.area_m2,
        "landlord": (
            {"id": landlord.pk, "name": landlord.name, "kind": _choice(landlord, "kind")}
            if landlord
            else None
        ),
        "rent_paid_months": housing.rent_paid_months,
        "rent_paid_until": housing.rent_paid_until,
        "deposit_paid": housing.deposit_paid,
        "moving_costs_paid": housing.moving_costs_paid,
        "assistance_paid_monthly": housing.assistance_paid_monthly,
        "note": housing.note,
        "updated_at": housing.updated_at,
    }


_UNREAD = object()


def _case_housing(case: Case, housing: Any = _UNREAD) -> dict[str, Any]:
    if housing is _UNREAD:
        housing = selectors.housing_of(case)
    persons, children = selectors.household_size(case, timezone.localdate())
    landlord = housing.landlord if housing else None
    return {
        "case_id": case.pk,
        "version": housing.version if housing else 0,
        "housing": _housing_data(housing, case) if housing else None,
        "space": _space(
            _figures(
                persons,
                children,
                housing.rooms if housing else None,
                housing.area_m2 if housing else None,
            )
        ),
        "landlord_signal": _signal(selectors.landlord_signal(landlord)) if landlord else None,
    }


def _account_data(account: PersonalAccount) -> dict[str, Any]:
    return {
        "id": account.pk,
        "version": account.version,
        "told_on": account.told_on,
        "wish_to_move": _choice(account, "wish_to_move"),
        "knew_destination": _choice(account, "knew_destination"),
        **{
            name: getattr(account, name)
            for name in (
                "told_what",
                "told_by",
                "lease_found_by",
                "lease_signed_by",
                "support_before",
                "support_lost",
                "wishes_now",
                "free_text",
            )
        },
        "recorded_by": {
            "id": account.recorded_by_id,
            "name": account.recorded_by.display_name(),
        },
        "recorded_at": account.recorded_at,
    }


def _child_view_data(view: ChildView) -> dict[str, Any]:
    return {
        "id": view.pk,
        "member_id": view.member_id,
        "child_name": str(view.member),
        "heard_on": view.heard_on,
        "heard_by": _choice(view, "heard_by"),
        "view": view.view,
        "recorded_at": view.recorded_at,
    }


def _visit_data(visit: HomeVisit) -> dict[str, Any]:
    figures = (
        _figures(
            visit.persons_in_household or 0,
            visit.children_in_household or 0,
            visit.rooms,
            visit.area_m2,
        )
        if visit.status == HomeVisitStatus.PERFORMED
        else None
    )
    return {
        "id": visit.pk,
        "status": _choice(visit, "status"),
        "planned_on": visit.planned_on,
        "planned_time": visit.planned_time,
        "performed_on": visit.performed_on,
        "participants": visit.participants,
        "condition": visit.condition,
        "dampness_or_damage": visit.dampness_or_damage,
        "safety": visit.safety,
        "space_note": visit.space_note,
        "space": _space(figures),
        "assessment": _choice(visit, "assessment"),
        "advised_to_seek_housing": visit.advised_to_seek_housing,
        "advised_on": visit.advised_on,
        "advice_note": visit.advice_note,
        "cancelled_reason": visit.cancelled_reason,
    }


def _landlord_known(landlord: Landlord) -> dict[str, Any]:
    """The saved record without the reads that the full answer adds."""
    return {
        "id": landlord.pk,
        "version": landlord.version,
        "name": landlord.name,
        "kind": _choice(landlord, "kind"),
        "number": landlord.number_display,
        "contact_person": landlord.contact_person,
        "phone": landlord.phone,
        "email": landlord.email,
        "postal_address": landlord.postal_address,
        "signal": None,
        "cases": [],
        "statistics": None,
    }


def _landlord_data(user: Any, landlord: Landlord) -> dict[str, Any]:
    statistics = selectors.landlord_statistics(user=user, landlord=landlord)
    return {
        "id": landlord.pk,
        "version": landlord.version,
        "name": landlord.name,
        "kind": _choice(landlord, "kind"),
        "number": landlord.number_display,
        "contact_person": landlord.contact_person,
        "phone": landlord.phone,
        "email": landlord.email,
        "postal_address": landlord.postal_address,
        "signal": _signal(selectors.landlord_signal(landlord)),
        "cases": [
            {
                "id": case.pk,
                "reference": case.reference,
                "received_on": case.received_on,
                "sending_municipality": (
                    None if case.person.protected_identity else case.sending_municipality.name
                ),
                "status": _choice(case, "status"),
            }
            for case in selectors.landlord_cases_for_user(user=user, landlord=landlord)
        ],
        "statistics": (
            {
                "cases": statistics.cases,
                "first_month": (
                    statistics.first_received.strftime("%Y-%m")
                    if statistics.first_received
                    else None
                ),
                "last_month": (
                    statistics.last_received.strftime("%Y-%m") if statistics.last_received else None
                ),
                "by_sending_municipality": [
                    {"code": row.code, "name": row.name, "cases": row.cases}
                    for row in statistics.by_sending_municipality
                ],
            }
            if statistics
            else None
        ),
    }


# --- The dwelling -----------------------------------------------------------------------------


@router.get(
    "/cases/{int:case_id}/housing",
    response={200: CaseHousingOut, **READ_ERRORS},
    summary="Ärendets bostad",
    url_name="case_housing",
)
def case_housing(request: HttpRequest, case_id: int, response: HttpResponse) -> Any:
    """The dwelling, the household's space per person and the landlord's signal. A protected
    person's address is never returned (``address`` is null). The ``ETag`` header names the
    version (``v0``: nothing recorded yet); send it in ``If-Match`` with the PUT."""
    case = access.case_get_for_user(user=_user(request), case_id=case_id)
    data = _case_housing(case)
    with_etag(response, "housing", case.pk, data["version"])
    return data


@router.put(
    "/cases/{int:case_id}/housing",
    response={200: CaseHousingOut, **WRITE_ERRORS, **PRECONDITION_ERRORS},
    summary="Registrera eller ändra bostaden",
    url_name="case_housing_save",
)
def case_housing_save(
    request: HttpRequest, case_id: int, body: HousingIn, response: HttpResponse
) -> Any:
    """Saves every field as sent. ``address`` left out or null keeps the stored address.
    A changed ``rent_paid_until`` starts or moves the follow-up deadline. ``If-Match`` with
    the ETag of the GET is required (``"housing-<case id>-v0"`` when nothing is recorded
    yet): 428 without it, 412 when someone else saved since."""
    user = _user(request)
    case = access.case_get_for_user(user=user, case_id=case_id)
    version = expected_version(request, "housing", case_id)
    data = body.dict()
    for name in ("lease_type", "arranged_by"):
        data[name] = str(data[name]) if data[name] else ""
    housing = _call(
        services.housing_save,
        acting_user=user,
        case=case,
        data=services.HousingInput(**data),
        expected_version=version,
    )
    with_etag(response, "housing", case.pk, housing.version)
    return committed_answer(
        lambda: _case_housing(case, housing),
        lambda: {
            "case_id": case.pk,
            "version": housing.version,
            "housing": None,
            "space": None,
            "landlord_signal": None,
        },
    )


# --- The person's account and children's views -------------------------------------------------


@router.get(
    "/cases/{int:case_id}/personal-accounts",
    response={200: list[PersonalAccountOut], **READ_ERRORS},
    summary="Den enskildes berättelse, alla versioner",
    url_name="personal_account_list",
)
def personal_account_list(request: HttpRequest, case_id: int) -> Any:
    """Every version, newest first."""
    case = access.case_get_for_user(user=_user(request), case_id=case_id)
    return [_account_data(account) for account in selectors.personal_accounts_of(case)]


@router.post(
    "/cases/{int:case_id}/personal-accounts",
    response={201: PersonalAccountOut, **WRITE_ERRORS},
    summary="Dokumentera den enskildes berättelse",
    url_name="personal_account_record",
)
def personal_account_record(request: HttpRequest, case_id: int, body: PersonalAccountIn) -> Any:
    """Saves a new version. The first one completes the measure ``personal_account`` through
    the workflow (409 ``wrong_status`` before the case is confirmed); later ones are versions."""
    user = _user(request)
    case = access.case_get_for_user(user=user, case_id=case_id)
    data = body.dict()
    data["told_on"] = data["told_on"] or timezone.localdate()
    data["wish_to_move"] = str(data["wish_to_move"])
    data["knew_destination"] = str(data["knew_destination"])
    account = _call(
        services.personal_account_record,
        acting_user=user,
        case=case,
        data=services.PersonalAccountInput(**data),
    )
    return Status(201, _account_data(account))


@router.get(
    "/cases/{int:case_id}/child-views",
    response={200: list[ChildViewOut], **READ_ERRORS},
    summary="Barnens synpunkter",
    url_name="child_view_list",
)
def child_view_list(request: HttpRequest, case_id: int) -> Any:
    case = access.case_get_for_user(user=_user(request), case_id=case_id)
    return [_child_view_data(view) for view in selectors.child_views_of(case)]


@router.post(
    "/cases/{int:case_id}/child-views",
    response={201: ChildViewOut, **WRITE_ERRORS},
    summary="Dokumentera ett barns synpunkter",
    url_name="child_view_record",
)
def child_view_record(request: HttpRequest, case_id: int, body: ChildViewIn) -> Any:
    """One child of the person's household at a time."""
    user = _user(request)
    case = access.case_get_for_user(user=user, case_id=case_id)
    view = _call(
        services.child_view_record,
        acting_user=user,
        case=case,
        member_id=body.member_id,
        heard_on=body.heard_on or timezone.localdate(),
        heard_by=str(body.heard_by),
        view=body.view,
    )
    return Status(201, _child_view_data(view))


# --- Home visits ------------------------------------------------------------------------------


@router.get(
    "/cases/{int:case_id}/home-visits",
    response={200: list[HomeVisitOut], **READ_ERRORS},
    summary="Hembesök",
    url_name="home_visit_list",
)
def home_visit_list(request: HttpRequest, case_id: int) -> Any:
    case = access.case_get_for_user(user=_user(request), case_id=case_id)
    return [_visit_data(visit) for visit in selectors.home_visits_of(case)]


@router.post(
    "/cases/{int:case_id}/home-visits",
    response={201: HomeVisitOut, **WRITE_ERRORS},
    summary="Planera ett hembesök",
    url_name="home_visit_plan",
)
def home_visit_plan(request: HttpRequest, case_id: int, body: HomeVisitPlanIn) -> Any:
    """Refused (409 ``consent_missing``) unless the person's consent to home visits is given
    now, and (409 ``wrong_status``) unless the case is confirmed."""
    user = _user(request)
    case = access.case_get_for_user(user=user, case_id=case_id)
    visit = _call(
        services.home_visit_plan,
        acting_user=user,
        case=case,
        planned_on=body.planned_on,
        planned_time=body.planned_time,
        participants=body.participants,
    )
    return Status(201, _visit_data(visit))


@router.post(
    "/cases/{int:case_id}/home-visits/performed",
    response={201: HomeVisitOut, **WRITE_ERRORS},
    summary="Registrera ett genomfört hembesök",
    url_name="home_visit_record",
)
def home_visit_record(request: HttpRequest, case_id: int, body: HomeVisitReportIn) -> Any:
    """The first performed visit completes the measure ``home_visit`` through the workflow.
    Without consent: 409 ``consent_missing``. An unsuitable or harmful home needs
    ``advised_to_seek_housing`` with ``advised_on`` (422 otherwise)."""
    user = _user(request)
    case = access.case_get_for_user(user=user, case_id=case_id)
    data = body.dict()
    visit_id = data.pop("visit_id")
    data["performed_on"] = data["performed_on"] or timezone.localdate()
    data["assessment"] = str(data["assessment"])
    visit = _call(
        services.home_visit_record,
        acting_user=user,
        case=case,
        report=services.HomeVisitReport(**data),
        visit_id=visit_id,
    )
    return Status(201, _visit_data(visit))


@router.post(
    "/cases/{int:case_id}/home-visits/{int:visit_id}/cancel",
    response={200: HomeVisitOut, **WRITE_ERRORS},
    summary="Ställ in ett planerat hembesök",
    url_name="home_visit_cancel",
)
def home_visit_cancel(
    request: HttpRequest, case_id: int, visit_id: int, body: HomeVisitCancelIn
) -> Any:
    user = _user(request)
    case = access.case_get_for_user(user=user, case_id=case_id)
    visit = _call(
        services.home_visit_cancel,
        acting_user=user,
        case=case,
        visit_id=visit_id,
        reason=body.reason,
    )
    return _visit_data(visit)


@router.post(
    "/cases/{int:case_id}/landlord-letter",
    response={201: LetterRefOut, **WRITE_ERRORS},
    summary="Skapa ett utkast till skrivelse till hyresvärden",
    url_name="landlord_letter_create",
)
def landlord_letter_create(request: HttpRequest, case_id: int) -> Any:
    """A ``landlord_letter`` draft addressed to the case's landlord; edit and finalise it with
    the letter endpoints. 409 ``no_landlord`` if the dwelling has no landlord."""
    user = _user(request)
    case = access.case_get_for_user(user=user, case_id=case_id)
    letter = _call(services.landlord_letter_draft_create, acting_user=user, case=case)
    return Status(
        201,
        {
            "id": letter.pk,
            "kind": _choice(letter, "kind"),
            "recipient_name": letter.recipient_name,
        },
    )


# --- Landlords --------------------------------------------------------------------------------


@router.get(
    "/landlords",
    response={200: LandlordPageOut, **READ_ERRORS, 422: ValidationErrorOut},
    summary="Hyresvärdsregistret",
    url_name="landlord_list",
)
def landlord_list(request: HttpRequest, q: str = "", page: int = Query(1, ge=1)) -> Any:
    """The register by name, a page at a time, optionally filtered by name or organisation
    number. A private person's personal identity number is masked; each private person on
    the page is logged as a read. A personal identity number in ``q`` is refused (422): it
    must never appear in a URL."""
    user = _user(request)
    if contains_identity_number(q):
        # Organisation numbers are fine in a URL; identity numbers never are.
        raise InvalidInput(
            [field_error(("query", "q"), _("Sök inte på personnummer här; sök på namn."))]
        )
    result = selectors.landlord_page(
        user=user, text=q[:100], page_number=page, page_size=settings.MOTVERKA_PAGE_SIZE
    )
    signals = selectors.landlord_signals([landlord.pk for landlord in result.object_list])
    return page_data(
        result,
        [
            {
                "id": landlord.pk,
                "name": landlord.name,
                "kind": _choice(landlord, "kind"),
                "number": landlord.number_masked,
                "flagged": signals[landlord.pk].flagged,
            }
            for landlord in result.object_list
        ],
    )


@router.post(
    "/landlords",
    response={201: LandlordOut, 409: LandlordConflictOut, **READ_ERRORS, 422: ValidationErrorOut},
    summary="Registrera en hyresvärd",
    url_name="landlord_register",
)
def landlord_register(request: HttpRequest, body: LandlordIn) -> Any:
    """An organisation needs a valid organisation number (check digit), a private person a
    valid personal identity number. Already registered: 409 ``landlord_exists`` with the
    existing ``landlord_id``."""
    user = _user(request)
    data = body.dict()
    data["kind"] = str(data["kind"])
    try:
        landlord = _call(
            services.landlord_register, acting_user=user, data=services.LandlordInput(**data)
        )
    except services.LandlordExists as conflict:
        return Status(
            409,
            {
                "detail": conflict.message,
                "code": conflict.code,
                "landlord_id": conflict.landlord.pk,
            },
        )
    return Status(
        201,
        committed_answer(lambda: _landlord_data(user, landlord), lambda: _landlord_known(landlord)),
    )


@router.get(
    "/landlords/{int:landlord_id}",
    response={200: LandlordOut, **READ_ERRORS},
    summary="En hyresvärd",
    url_name="landlord_detail",
)
def landlord_detail(request: HttpRequest, landlord_id: int, response: HttpResponse) -> Any:
    """The record with the signal, the cases you may see, and (for unit managers) counts over
    every unit's cases. Reading a private person is logged. The ``ETag`` header names the
    version; send it in ``If-Match`` with the PUT."""
    user = _user(request)
    landlord = selectors.landlord_get_for_user(user=user, landlord_id=landlord_id)
    with_etag(response, "landlord", landlord.pk, landlord.version)
    return _landlord_data(user, landlord)


@router.put(
    "/landlords/{int:landlord_id}",
    response={200: LandlordOut, **WRITE_ERRORS, **PRECONDITION_ERRORS},
    summary="Ändra hyresvärdens namn och kontaktuppgifter",
    url_name="landlord_update",
)
def landlord_update(
    request: HttpRequest, landlord_id: int, body: LandlordContactIn, response: HttpResponse
) -> Any:
    """``If-Match`` with the ETag of the GET is required: 428 without it, 412 when someone
    else saved since."""
    user = _user(request)
    landlord = selectors.landlord_get_for_user(user=user, landlord_id=landlord_id)
    version = expected_version(request, "landlord", landlord_id)
    landlord = _call(
        services.landlord_update,
        acting_user=user,
        landlord=landlord,
        data=services.LandlordInput(kind=landlord.kind, **body.dict()),
        expected_version=version,
    )
    with_etag(response, "landlord", landlord.pk, landlord.version)
    return committed_answer(
        lambda: _landlord_data(user, landlord),
        lambda: _landlord_known(landlord),
    )
