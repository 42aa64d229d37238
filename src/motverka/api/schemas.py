"""Request and response shapes of the API (they are also what openapi.json documents).

Request bodies forbid unknown fields, so a misspelt field is a 422 rather than silently
ignored. Enumerations are the domain's own code values; every response pairs a code with
its Swedish label.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict

from motverka.cases.services import InterventionInput
from motverka.cases.vocabulary import Indicator, InterventionKind, TargetGroup
from motverka.integrity import limits
from motverka.people.models import Relation
from motverka.workflow.models import ConsentForm
from motverka.workflow.policy import ConsentScope, ConsentStatus, Measure, Outcome


class RequestBody(Schema):
    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    """A response shape. Plain pydantic rather than ninja's ``Schema``: the serializers
    build every answer as plain data, and ``Schema`` wraps each nested object in an
    attribute getter before validating it, which cost 3.0 ms of a 25-case list page
    against 0.16 ms (docs/performance.md). Objects are still read by attribute."""

    model_config = ConfigDict(from_attributes=True)


# --- Shared pieces ----------------------------------------------------------------------------


class Choice(Out):
    code: str
    label: str


class MunicipalityOut(Out):
    code: str = Field(description="SCB:s kommunkod")
    name: str


class UnitOut(Out):
    id: int
    name: str


class UserOut(Out):
    id: int
    name: str


class ErrorOut(Out):
    detail: str


class OpenCaseRefOut(Out):
    id: int
    reference: str


class ConflictOut(Out):
    detail: str = Field(description="Skälet, på svenska")
    code: str = Field(description="Stabil kod för skälet")
    cases: list[OpenCaseRefOut] | None = Field(
        None, description="open_case_exists: personens öppna ärenden i de egna enheterna"
    )
    other_units: list[str] | None = Field(
        None,
        description=(
            "open_case_exists: andra enheter med ett öppet ärende (bara namnet; aldrig för "
            "skyddade personer)"
        ),
    )


class PreconditionOut(Out):
    """428 (If-Match missing) or 412 (If-Match not current); nothing was written."""

    detail: str = Field(description="Skälet, på svenska")
    code: str = Field(description="precondition_required, precondition_failed")
    current_version: int | None = Field(
        None, description="412: postens sparade version (0: inget registrerat ännu)"
    )
    etag: str | None = Field(None, description="412: postens aktuella ETag")


#: The answers of an endpoint that requires If-Match.
PRECONDITION_ERRORS: dict[int, Any] = {412: PreconditionOut, 428: PreconditionOut}


class FieldErrorOut(Out):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Out):
    detail: list[FieldErrorOut]


# --- Person and case --------------------------------------------------------------------------


class PersonIn(RequestBody):
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    personal_identity_number: str = Field(
        "", max_length=20, description="Personnummer eller samordningsnummer, i valfri vanlig form"
    )
    reserve_reason: str = Field(
        "", max_length=255, description="Skäl för reservidentitet när personnummer saknas"
    )
    protected_identity: bool = False
    phone: str = Field("", max_length=40)
    birth_date: date | None = Field(None, description="Bara för reservidentitet")


class InterventionIn(RequestBody):
    kind: InterventionKind
    description: str = Field("", max_length=255)
    ongoing: bool = False
    decided_on: date | None = Field(None, description="Beslutsdatum för insatsen")
    legal_basis: str = Field("", max_length=200, description="Insatsens lagstöd")
    needed_until: date | None = Field(
        None, description="Till och med vilket datum behovet beräknas bestå"
    )

    def to_input(self) -> InterventionInput:
        return InterventionInput(
            kind=str(self.kind),
            description=self.description,
            ongoing=self.ongoing,
            decided_on=self.decided_on,
            legal_basis=self.legal_basis,
            needed_until=self.needed_until,
        )


class HouseholdMemberIn(RequestBody):
    first_name: str = Field(max_length=100)
    last_name: str = Field("", max_length=100)
    relation: Relation = Relation.OTHER
    birth_date: date | None = None


class CaseRegisterIn(RequestBody):
    person: PersonIn
    unit: int | None = Field(
        None, description="Enhetens id; kan utelämnas när användaren tillhör en enda enhet"
    )
    sending_municipality: str = Field(
        pattern=r"^\d{4}$", description="Avsändande kommuns kommunkod (SCB), t.ex. 0180"
    )
    received_on: date | None = Field(None, description="Datum då ärendet kom in; i dag om tomt")
    moved_on: date | None = None
    target_groups: list[TargetGroup] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    indicator_note: str = Field("", max_length=5000)
    interventions: list[InterventionIn] = Field(default_factory=list)
    household: list[HouseholdMemberIn] = Field(default_factory=list)
    assigned_to: int | None = Field(None, description="Handläggarens användar-id")
    allow_open_case: bool = Field(
        False, description="Registrera trots att personen redan har ett öppet ärende"
    )


class IdentitySearchIn(RequestBody):
    identity_number: str = Field(max_length=20)
    page: int = Field(1, ge=1)


class PersonOut(Out):
    id: int
    first_name: str
    last_name: str
    full_name: str
    protected_identity: bool
    identity: str | None = Field(
        None, description="Personnummer, samordningsnummer eller reservidentitet (bara i detalj)"
    )
    identity_kind: str | None = Field(
        None, description="personal_identity_number, coordination_number eller reserve_identity"
    )
    reserve_reason: str | None = None
    birth_date: date | None = None
    phone: str | None = Field(None, description="Lämnas aldrig ut för skyddade personer")


class HouseholdMemberOut(Out):
    first_name: str
    last_name: str
    relation: Choice
    birth_date: date | None
    is_child: bool


class InterventionOut(Out):
    kind: Choice
    description: str
    ongoing: bool
    decided_on: date | None
    legal_basis: str
    needed_until: date | None


class CaseListItemOut(Out):
    id: int
    reference: str
    status: Choice
    outcome: Choice | None
    person: PersonOut
    sending_municipality: MunicipalityOut | None = Field(
        description="Saknas (null) för personer med skyddade personuppgifter"
    )
    received_on: date
    moved_on: date | None
    unit: UnitOut
    assigned_to: UserOut | None
    target_groups: list[Choice]


class PageOut(Out):
    """What every paged list answers besides its ``items`` (api.serializers.page_data)."""

    count: int = Field(description="Antal träffar, räknade högst till 1 000")
    count_is_lower_bound: bool = Field(
        False, description="Sant när det finns fler än count träffar (count är då 1 000)"
    )
    page: int
    pages: int = Field(description="Sidor fram till räknegränsen; följ has_next bortom den")
    has_next: bool = False
    page_size: int


class CasePageOut(PageOut):
    items: list[CaseListItemOut]


# --- Journal ----------------------------------------------------------------------------------


class JournalEntryIn(RequestBody):
    entry_date: date | None = Field(None, description="Händelsedatum; i dag om tomt")
    text: str = Field(max_length=limits.JOURNAL_TEXT_MAX)
    sign: bool = Field(False, description="Signera anteckningen direkt")


class JournalEntryOut(Out):
    id: int
    entry_date: date
    text: str
    author: UserOut
    created_at: datetime
    signed: bool
    signed_at: datetime | None
    signed_by: UserOut | None
    corrects: int | None = Field(description="Id för anteckningen som rättas")


# --- Deadline calculator ----------------------------------------------------------------------


class NonWorkingDayOut(Out):
    date: date
    reason: str


class DeadlineCalculationOut(Out):
    start: date
    rule: str = Field(description="months, working_days eller days")
    amount: int
    raw: date | None = Field(description="Periodens slutdag innan den flyttas till en vardag")
    due: date
    moved: bool
    moved_because: str | None = Field(description="Varför slutdagen inte är en vardag")
    skipped_days: list[NonWorkingDayOut] = Field(
        description="Dagar som inte räknades eller som fristen flyttades förbi"
    )
    explanation: str


class CaseOut(CaseListItemOut):
    version: int = Field(
        description='Ärendets version (uppgifter och tilldelning); ETag är "case-<id>-v<version>"'
    )
    sending_municipality: MunicipalityOut | None  # type: ignore[assignment]
    sending_municipality_protected: bool = Field(
        description=(
            "Sant för en person med skyddade personuppgifter: kommunen får bara visas för "
            "ärendets enhet och stå i skrivelser till kommunen själv (docs/privacy.md)"
        )
    )
    receiving_municipality: MunicipalityOut | None = Field(
        description="Saknas (null) för personer med skyddade personuppgifter"
    )
    household: list[HouseholdMemberOut]
    indicators: list[Choice]
    indicator_note: str
    interventions: list[InterventionOut]
    assessment_reason: str
    assessed_on: date | None
    closed_on: date | None
    closing_note: str
    created_at: datetime


# --- Workflow ---------------------------------------------------------------------------------


class ConsentIn(RequestBody):
    scope: ConsentScope
    status: ConsentStatus
    decided_on: date | None = Field(None, description="Datum för beskedet; i dag om tomt")
    form: ConsentForm
    note: str = Field("", max_length=5000)


class ConsentOut(Out):
    id: int
    version: int = Field(
        description=(
            "Svarets plats i sitt samtyckes historik (1 för det första). If-Match vid ett nytt "
            'svar: "consent-<ärendets id>-<scope>-v<version>" för det senaste svaret, v0 när '
            "inget finns"
        )
    )
    scope: Choice
    status: Choice
    decided_on: date
    form: Choice
    note: str
    recorded_by: UserOut
    recorded_at: datetime


class CurrentConsentOut(Out):
    scope: Choice
    status: Choice | None = Field(description="Senaste beskedet; null om frågan aldrig ställts")
    decided_on: date | None
    form: Choice | None


class ActionIn(RequestBody):
    performed_on: date | None = Field(None, description="Dagen steget togs; i dag om tomt")
    measure: Measure | None = Field(None, description="Krävs för mark_not_applicable")
    outcome: Outcome | None = Field(None, description="Krävs för close")
    reason: str = Field("", max_length=5000, description="Skäl; krävs för bedömning och ej aktuell")
    details: dict[str, str] = Field(
        default_factory=dict, description="Stegets uppgifter, se next_steps[].details"
    )


class MeasureOut(Out):
    measure: Choice
    state: Choice
    required: bool
    complete: bool
    not_applicable_reason: str
    standing: Choice = Field(
        description=(
            "Kolumnen ”Krävs”: required/complete/not_required medan ärendet pågår; "
            "done/not_done/not_applicable/never_required när det är avslutat"
        )
    )


class DeadlineOut(Out):
    id: int
    case_id: int
    kind: Choice
    source_date: date = Field(description="Dagen fristen räknas från")
    due_on: date
    met_on: date | None
    informational: bool = Field(description="Bara ett förväntat datum (t.ex. IVO:s beslut)")
    state: Choice


class DeadlinePageOut(PageOut):
    count: int = Field(description="Antal träffar, räknade högst till 100")
    count_is_lower_bound: bool = Field(
        False, description="Sant när det finns fler än count träffar (count är då 100)"
    )
    items: list[DeadlineOut]


class DetailFieldOut(Out):
    name: str
    label: str
    required: bool


class NextStepOut(Out):
    action: Choice
    measure: Choice | None
    allowed: bool
    reason: str | None = Field(description="Varför steget inte är möjligt nu")
    reason_required: bool
    details: list[DetailFieldOut]


class StepRecordOut(Out):
    id: int
    action: Choice
    measure: Choice | None
    performed_on: date
    details: dict[str, str]
    note: str
    actor: UserOut


class WorkflowOut(Out):
    measures: list[MeasureOut]
    consents: list[CurrentConsentOut]
    deadlines: list[DeadlineOut]
    next_steps: list[NextStepOut]
    steps_taken: list[StepRecordOut]


class CaseWithWorkflowOut(CaseOut):
    workflow: WorkflowOut
