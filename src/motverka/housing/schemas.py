"""Request and response shapes of the housing API (documented in openapi.json).

Request bodies forbid unknown fields. A protected person's address is never in a response:
``address`` is ``null`` and ``address_protected`` is ``true``. A private landlord's personal
identity number is masked in lists and shown in full only in the landlord's own record.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field
from pydantic import BeforeValidator, WithJsonSchema

from motverka.api.schemas import Choice, Out, PageOut, RequestBody
from motverka.housing.vocabulary import (
    Answer,
    ArrangedBy,
    ChildHeardBy,
    HousingAssessment,
    LandlordKind,
    LeaseType,
)

_TEXT = 5000


def _amount(value: Any) -> Any:
    """A number, or a text such as "8 950" or "8 950,50" (thousands grouped by spaces)."""
    from motverka.housing.amounts import parse_amount

    if value is None or isinstance(value, int | float | Decimal):
        return value
    try:
        return parse_amount(value)
    except ValueError:
        raise ValueError(_("Ange ett belopp i kronor, till exempel 8 950.")) from None


_AMOUNT_PATTERN = r"^[0-9]{1,3}([ \u00a0\u202f\u2009]?[0-9]{3})*([.,][0-9]{1,2})?$"

#: An amount in kronor: a JSON number, or a text with spaces between the thousands.
Amount = Annotated[
    Decimal,
    BeforeValidator(_amount),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": _AMOUNT_PATTERN},
            ],
            "description": 'Kronor; tusental får skiljas med mellanslag ("8 950")',
        }
    ),
]


# --- The dwelling -----------------------------------------------------------------------------


class HousingIn(RequestBody):
    address: str | None = Field(
        None,
        max_length=500,
        description="Utelämnad eller null: oförändrad. Tom text: tas bort.",
    )
    lease_type: LeaseType | None = None
    arranged_by: ArrangedBy | None = None
    monthly_rent: Amount | None = None
    rooms: int | None = Field(None, description="Antal rum, kök oräknat")
    area_m2: Decimal | None = None
    landlord_id: int | None = None
    rent_paid_months: int | None = None
    rent_paid_until: date | None = Field(
        None, description="Ger bevakningen rent_end_follow_up; null tar bort den."
    )
    deposit_paid: Amount | None = None
    moving_costs_paid: Amount | None = None
    assistance_paid_monthly: Amount | None = Field(
        None, description="Ekonomiskt bistånd som kommunen betalar per månad efter flytten (kr)"
    )
    note: str = Field("", max_length=_TEXT)


class LandlordRefOut(Out):
    id: int
    name: str
    kind: Choice


class SignalOut(Out):
    flagged: bool
    threshold: int
    months: int
    cases_in_window: int
    window_start: date | None
    window_end: date | None


class SpaceOut(Out):
    persons: int = Field(description="Den enskilde och alla i hushållet")
    children: int
    rooms: int | None
    area_m2: Decimal | None
    rooms_per_person: Decimal | None
    area_per_person: Decimal | None
    crowded: bool | None = Field(description="Fler än två personer per rum (en ledtråd)")


class HousingOut(Out):
    address: str | None = Field(description="null vid skyddade personuppgifter")
    address_protected: bool
    lease_type: Choice | None
    arranged_by: Choice | None
    monthly_rent: Decimal | None
    rooms: int | None
    area_m2: Decimal | None
    landlord: LandlordRefOut | None
    rent_paid_months: int | None
    rent_paid_until: date | None
    deposit_paid: Decimal | None
    moving_costs_paid: Decimal | None
    assistance_paid_monthly: Decimal | None
    note: str
    updated_at: datetime


class CaseHousingOut(Out):
    case_id: int
    version: int = Field(
        description=(
            "Bostadsuppgifternas version, 0 när inget är registrerat; ETag-huvudet är "
            '"housing-<ärendets id>-v<version>"'
        )
    )
    housing: HousingOut | None
    space: SpaceOut | None
    landlord_signal: SignalOut | None


# --- The person's account and children's views -------------------------------------------------


class PersonalAccountIn(RequestBody):
    told_on: date | None = Field(None, description="Datum för samtalet; i dag om det utelämnas")
    wish_to_move: Answer
    knew_destination: Answer
    told_what: str = Field("", max_length=_TEXT)
    told_by: str = Field("", max_length=255)
    lease_found_by: str = Field("", max_length=255)
    lease_signed_by: str = Field("", max_length=255)
    support_before: str = Field("", max_length=_TEXT)
    support_lost: str = Field("", max_length=_TEXT)
    wishes_now: str = Field("", max_length=_TEXT)
    free_text: str = Field("", max_length=_TEXT)


class UserRefOut(Out):
    id: int
    name: str


class PersonalAccountOut(Out):
    id: int
    version: int
    told_on: date
    wish_to_move: Choice
    knew_destination: Choice
    told_what: str
    told_by: str
    lease_found_by: str
    lease_signed_by: str
    support_before: str
    support_lost: str
    wishes_now: str
    free_text: str
    recorded_by: UserRefOut
    recorded_at: datetime


class ChildViewIn(RequestBody):
    member_id: int = Field(description="Barnets id i hushållet")
    heard_on: date | None = None
    heard_by: ChildHeardBy
    view: str = Field(max_length=_TEXT)


class ChildViewOut(Out):
    id: int
    member_id: int
    child_name: str
    heard_on: date
    heard_by: Choice
    view: str
    recorded_at: datetime


# --- Home visits -----------------------------------------------------------------------------


class HomeVisitPlanIn(RequestBody):
    planned_on: date
    planned_time: time | None = Field(None, description="Klockslag (Europe/Stockholm), TT:MM")
    participants: str = Field("", max_length=1000)


class HomeVisitReportIn(RequestBody):
    visit_id: int | None = Field(None, description="Det planerade besöket, om det fanns ett")
    performed_on: date | None = None
    assessment: HousingAssessment
    participants: str = Field(max_length=_TEXT)
    condition: str = Field(max_length=_TEXT)
    dampness_or_damage: str = Field("", max_length=_TEXT)
    safety: str = Field("", max_length=_TEXT)
    space_note: str = Field("", max_length=_TEXT)
    advised_to_seek_housing: bool = Field(
        False, description="Krävs (med datum) när bedömningen är unsuitable eller harmful"
    )
    advised_on: date | None = None
    advice_note: str = Field("", max_length=_TEXT)


class HomeVisitCancelIn(RequestBody):
    reason: str = Field(max_length=1000)


class HomeVisitOut(Out):
    id: int
    status: Choice
    planned_on: date | None
    planned_time: time | None
    performed_on: date | None
    participants: str
    condition: str
    dampness_or_damage: str
    safety: str
    space_note: str
    space: SpaceOut | None
    assessment: Choice | None
    advised_to_seek_housing: bool
    advised_on: date | None
    advice_note: str
    cancelled_reason: str


class LetterRefOut(Out):
    id: int
    kind: Choice
    recipient_name: str


# --- Landlords -------------------------------------------------------------------------------


class LandlordContactIn(RequestBody):
    name: str = Field(max_length=200)
    contact_person: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    postal_address: str = Field("", max_length=500)


class LandlordIn(LandlordContactIn):
    kind: LandlordKind
    organisation_number: str = Field("", max_length=20)
    personal_identity_number: str = Field(
        "", max_length=20, description="Bara för en privatperson; skickas bara i innehållet"
    )


class LandlordListItemOut(Out):
    id: int
    name: str
    kind: Choice
    number: str = Field(description="Organisationsnummer, eller maskerat personnummer")
    flagged: bool


class LandlordPageOut(PageOut):
    items: list[LandlordListItemOut]


class CaseRefOut(Out):
    id: int
    reference: str
    received_on: date
    sending_municipality: str | None = Field(
        description="Avsändande kommun; null för en person med skyddade personuppgifter"
    )
    status: Choice


class MunicipalityCountOut(Out):
    code: str
    name: str
    cases: int


class LandlordStatisticsOut(Out):
    cases: int
    first_month: str | None = Field(description="ÅÅÅÅ-MM")
    last_month: str | None = Field(description="ÅÅÅÅ-MM")
    by_sending_municipality: list[MunicipalityCountOut]


class LandlordOut(Out):
    id: int
    version: int = Field(description='Postens version; ETag-huvudet är "landlord-<id>-v<version>"')
    name: str
    kind: Choice
    number: str = Field(description="Organisationsnummer eller personnummer, i sin helhet")
    contact_person: str
    phone: str
    email: str
    postal_address: str
    signal: SignalOut | None = Field(
        description="Signalen; null bara i svaret på en sparad ändring när den inte kunde läsas"
    )
    cases: list[CaseRefOut] = Field(description="Ärenden som du får se")
    statistics: LandlordStatisticsOut | None = Field(
        description="Alla enheters ärenden, sammanräknat; bara för enhetschefer"
    )


class LandlordConflictOut(Out):
    detail: str
    code: str
    landlord_id: int
