"""Writes of housing: the person's account, children's views, the dwelling, home visits and
the landlord register.

Every function is one transaction: it checks access, validates (Swedish messages, nothing
saved on error), writes, records a timeline event on the case and appends the audit row.
Steps of the guideline are taken through :func:`motverka.workflow.services.case_action_perform`
in the same transaction, so the policy can refuse and nothing is saved.

Timeline events and audit details never carry an address or an identity number.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from organisationsnummer import organisationsnummer as orgnr

from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record
from motverka.cases.access import require_case_role, require_unit_member
from motverka.cases.errors import Conflict
from motverka.cases.models import Case
from motverka.cases.services import record_event
from motverka.housing import rules, selectors
from motverka.housing.amounts import parse_amount
from motverka.housing.models import ChildView, HomeVisit, Housing, Landlord, PersonalAccount
from motverka.housing.vocabulary import (
    Answer,
    ArrangedBy,
    ChildHeardBy,
    HomeVisitStatus,
    HousingAssessment,
    LandlordKind,
    LeaseType,
)
from motverka.integrity import limits
from motverka.integrity.versioning import require_version
from motverka.people.identity import InvalidIdentityNumber, parse_identity_number
from motverka.people.models import HouseholdMember
from motverka.reporting.services import case_figures_refresh
from motverka.workflow.deadlines import DeadlineKind
from motverka.workflow.policy import Action, CaseStatus, Measure, MeasureState
from motverka.workflow.services import (
    case_action_perform,
    deadline_fixed_date_set,
    deadline_source_set,
)

TEXT_MAX = 5000
MONEY_MAX = Decimal("10000000")


class LandlordExists(Conflict):
    """The organisation or person is already in the register; use that record."""

    def __init__(self, landlord: Landlord) -> None:
        super().__init__(
            _("Hyresvärden finns redan i registret: %(name)s. Använd den befintliga posten.")
            % {"name": landlord.name},
            "landlord_exists",
        )
        self.landlord = landlord


# --- Shared checks ----------------------------------------------------------------------------


class _Errors(dict[str, list[str]]):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def _lock_open_case(case: Case) -> Case:
    """Re-read the case under a row lock; a closed case takes no more housing records."""
    case = Case.objects.select_for_update(of=("self",)).select_related("person").get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise Conflict(_("Ärendet är avslutat och kan inte längre ändras."), "case_closed")
    return case


def _choice(errors: _Errors, field: str, enum: Any, value: Any, message: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        errors.add(field, message)
        return None


def _text(errors: _Errors, field: str, value: Any, *, max_length: int = TEXT_MAX) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.add(field, _("Ange en text."))
        return ""
    value = value.replace("\r\n", "\n").strip()
    if len(value) > max_length:
        errors.add(field, _("Högst %(max)d tecken.") % {"max": max_length})
    return value


def _not_before_received(errors: _Errors, field: str, value: Any, case: Case) -> None:
    """Nothing in a case happens before the case came in."""
    if isinstance(value, date) and value < case.received_on:
        errors.add(
            field,
            _("Datumet kan inte ligga före %(received)s, då ärendet kom in.")
            % {"received": case.received_on.isoformat()},
        )


def _lock_planned_visit(case: Case, visit_id: int) -> HomeVisit:
    """The case's planned visit under a row lock; any other id is a field error."""
    visit = (
        HomeVisit.objects.select_for_update()
        .filter(pk=visit_id, case=case, status=HomeVisitStatus.PLANNED)
        .first()
    )
    if visit is None:
        raise ValidationError({"visit": [_("Välj ett planerat hembesök i ärendet.")]})
    return visit


def _date_not_future(errors: _Errors, field: str, value: Any, today: date) -> date | None:
    if not isinstance(value, date):
        errors.add(field, _("Ange ett datum (ÅÅÅÅ-MM-DD)."))
        return None
    if value > today:
        errors.add(field, _("Datumet kan inte ligga i framtiden."))
    return value


def _money(errors: _Errors, field: str, value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = parse_amount(value)
    except (ArithmeticError, TypeError, ValueError):
        errors.add(field, _("Ange ett belopp i kronor."))
        return None
    if not amount.is_finite() or amount < 0:
        errors.add(field, _("Beloppet kan inte vara negativt."))
    elif amount >= MONEY_MAX:
        errors.add(field, _("Beloppet är orimligt stort. Kontrollera siffrorna."))
    elif amount != amount.quantize(Decimal("0.01")):
        errors.add(field, _("Ange beloppet med högst två decimaler."))
    return amount


def _whole(errors: _Errors, field: str, value: Any, low: int, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(field, _("Ange ett heltal."))
        return None
    if not low <= value <= high:
        errors.add(
            field, _("Ange ett tal mellan %(low)d och %(high)d.") % {"low": low, "high": high}
        )
    return value


def _audit(acting_user: Any, case: Case, action: AuditAction, kind: str, pk: Any, detail: str):
    audit_record(
        actor=acting_user,
        action=action,
        object_type=kind,
        object_id=pk,
        case_id=case.pk,
        person_id=case.person_id,
        detail=detail,
    )


# --- The person's account ---------------------------------------------------------------------


@dataclass(frozen=True)
class PersonalAccountInput:
    told_on: date
    wish_to_move: str
    knew_destination: str
    told_what: str = ""
    told_by: str = ""
    lease_found_by: str = ""
    lease_signed_by: str = ""
    support_before: str = ""
    support_lost: str = ""
    wishes_now: str = ""
    free_text: str = ""


_SHORT_ACCOUNT_FIELDS = frozenset({"told_by", "lease_found_by", "lease_signed_by"})


@transaction.atomic
def personal_account_record(
    *, acting_user: Any, case: Case, data: PersonalAccountInput, today: date | None = None
) -> PersonalAccount:
    """Document the person's own account as a new version.

    The first version completes the measure "Den enskildes berättelse": the workflow step is
    taken in the same transaction, so the policy decides (the case must be confirmed) and a
    refusal saves nothing. Once the measure is complete (done, or marked not applicable), a
    further account is saved as a new version without taking the step again.
    """
    require_unit_member(acting_user, case.unit_id)
    today = today or timezone.localdate()
    errors = _Errors()
    told_on = _date_not_future(errors, "told_on", data.told_on, today)
    wish = _choice(
        errors, "wish_to_move", Answer, data.wish_to_move, _("Välj ja, nej eller oklart.")
    )
    knew = _choice(
        errors, "knew_destination", Answer, data.knew_destination, _("Välj ja, nej eller oklart.")
    )
    texts = {
        item.name: _text(
            errors,
            item.name,
            getattr(data, item.name),
            max_length=255 if item.name in _SHORT_ACCOUNT_FIELDS else TEXT_MAX,
        )
        for item in fields(PersonalAccountInput)
        if item.name not in {"told_on", "wish_to_move", "knew_destination"}
    }
    if not any(texts.values()):
        errors.add(
            "free_text",
            _("Skriv ned vad den enskilde berättade, med egna ord eller i fälten ovan."),
        )
    _not_before_received(errors, "told_on", told_on, case)
    errors.raise_if_any()
    assert told_on is not None and wish is not None and knew is not None  # noqa: S101

    case = _lock_open_case(case)
    version = (
        PersonalAccount.objects.filter(case=case)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
        or 0
    ) + 1
    if selectors.measure_state(case, Measure.PERSONAL_ACCOUNT) == MeasureState.PENDING:
        case_action_perform(
            acting_user=acting_user,
            case=case,
            action=Action.RECORD_PERSONAL_ACCOUNT,
            performed_on=told_on,
            details={
                "account": _(
                    "Berättelsen är dokumenterad under ”Den enskildes berättelse” (version "
                    "%(version)d). Uttryckte en vilja att flytta: %(wish)s."
                )
                % {"version": version, "wish": wish.label}
            },
            today=today,
        )
    account = PersonalAccount.objects.create(
        case=case,
        version=version,
        told_on=told_on,
        wish_to_move=wish,
        knew_destination=knew,
        recorded_by=acting_user,
        **texts,
    )
    record_event(
        case=case,
        actor=acting_user,
        kind="personal_account",
        text=_("Den enskildes berättelse dokumenterad (version %(version)d, samtal %(date)s).")
        % {"version": version, "date": told_on.isoformat()},
    )
    _audit(acting_user, case, AuditAction.CREATE, "personal_account", account.pk, f"v{version}")
    return account


@transaction.atomic
def child_view_record(
    *,
    acting_user: Any,
    case: Case,
    member_id: int | None,
    heard_on: date,
    heard_by: str,
    view: str,
    today: date | None = None,
) -> ChildView:
    """Record one child's view. The child must be a child in the household of this case."""
    require_unit_member(acting_user, case.unit_id)
    today = today or timezone.localdate()
    errors = _Errors()
    heard_on_ = _date_not_future(errors, "heard_on", heard_on, today)
    manner = _choice(errors, "heard_by", ChildHeardBy, heard_by, _("Välj hur barnet hördes."))
    text = _text(errors, "view", view)
    if not text:
        errors.add("view", _("Skriv ned barnets synpunkter."))
    member = (
        HouseholdMember.objects.filter(pk=member_id, case=case).first()
        if member_id is not None
        else None
    )
    if member is None:
        errors.add("member", _("Välj ett av barnen i hushållet."))
    elif not member.is_child_on(heard_on_ or today):
        errors.add("member", _("%(name)s är inte ett barn i hushållet.") % {"name": member})
    errors.raise_if_any()
    assert heard_on_ is not None and member is not None  # noqa: S101

    case = _lock_open_case(case)
    child_view = ChildView.objects.create(
        case=case,
        member=member,
        heard_on=heard_on_,
        heard_by=manner,
        view=text,
        recorded_by=acting_user,
    )
    record_event(
        case=case,
        actor=acting_user,
        kind="child_view",
        text=_("Barnets synpunkter dokumenterade (%(name)s, %(date)s).")
        % {"name": member.first_name, "date": heard_on_.isoformat()},
    )
    _audit(acting_user, case, AuditAction.CREATE, "child_view", child_view.pk, "")
    return child_view


# --- The dwelling -----------------------------------------------------------------------------

#: Leave the stored address as it is (the form of a protected person never shows it).
KEEP = None


@dataclass(frozen=True)
class HousingInput:
    address: str | None = KEEP
    lease_type: str = ""
    arranged_by: str = ""
    monthly_rent: Decimal | None = None
    rooms: int | None = None
    area_m2: Decimal | None = None
    landlord_id: int | None = None
    rent_paid_months: int | None = None
    rent_paid_until: date | None = None
    deposit_paid: Decimal | None = None
    moving_costs_paid: Decimal | None = None
    assistance_paid_monthly: Decimal | None = None
    note: str = ""


_HOUSING_FIELDS = (
    "address",
    "lease_type",
    "arranged_by",
    "monthly_rent",
    "rooms",
    "area_m2",
    "landlord_id",
    "rent_paid_months",
    "rent_paid_until",
    "deposit_paid",
    "moving_costs_paid",
    "assistance_paid_monthly",
    "note",
)


def _years_ahead(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year + years, day=28 if today.day == 29 else today.day)


def _clean_housing(data: HousingInput, case: Case) -> dict[str, Any]:
    errors = _Errors()
    cleaned: dict[str, Any] = {}
    if data.address is not KEEP:
        cleaned["address"] = _text(errors, "address", data.address, max_length=500)
    for field, enum, message in (
        ("lease_type", LeaseType, _("Välj typ av kontrakt i listan.")),
        ("arranged_by", ArrangedBy, _("Välj vem som ordnade bostaden i listan.")),
    ):
        value = getattr(data, field) or ""
        cleaned[field] = _choice(errors, field, enum, value, message) if value else ""
    for field in (
        "monthly_rent",
        "deposit_paid",
        "moving_costs_paid",
        "assistance_paid_monthly",
    ):
        cleaned[field] = _money(errors, field, getattr(data, field))
    cleaned["rooms"] = _whole(errors, "rooms", data.rooms, 1, 50)
    area = _money(errors, "area_m2", data.area_m2)
    if area is not None and area == 0:
        errors.add("area_m2", _("Boarean måste vara större än noll."))
    if area is not None and area >= 10000:
        errors.add("area_m2", _("Boarean är orimligt stor. Kontrollera siffrorna."))
    if area is not None and area != area.quantize(Decimal("0.1")):
        errors.add("area_m2", _("Ange boarean med högst en decimal."))
    cleaned["area_m2"] = area
    cleaned["rent_paid_months"] = _whole(errors, "rent_paid_months", data.rent_paid_months, 0, 60)
    until = data.rent_paid_until
    if until is not None and not isinstance(until, date):
        errors.add("rent_paid_until", _("Ange ett datum (ÅÅÅÅ-MM-DD)."))
    elif until is not None and until > _years_ahead(limits.RENT_PAID_UNTIL_MAX_YEARS):
        errors.add(
            "rent_paid_until",
            _("Datumet kan ligga högst %(years)s år framåt.")
            % {"years": limits.RENT_PAID_UNTIL_MAX_YEARS},
        )
    elif until is not None and case.moved_on and until < case.moved_on:
        errors.add(
            "rent_paid_until",
            _("Datumet kan inte ligga före flyttdatumet %(moved)s.")
            % {"moved": case.moved_on.isoformat()},
        )
    cleaned["rent_paid_until"] = until
    cleaned["note"] = _text(errors, "note", data.note)
    landlord = None
    if data.landlord_id is not None:
        landlord = Landlord.objects.filter(pk=data.landlord_id).first()
        if landlord is None:
            errors.add("landlord", _("Välj en hyresvärd i registret."))
    cleaned["landlord_id"] = landlord.pk if landlord else None
    errors.raise_if_any()
    return cleaned


@transaction.atomic
def housing_save(
    *, acting_user: Any, case: Case, data: HousingInput, expected_version: int | None = None
) -> Housing:
    """Record or change the dwelling of the case.

    A changed "rent paid until" date starts or moves the follow-up deadline
    (``rent_end_follow_up``) through the workflow; clearing it cancels the open deadline.
    ``data.address`` of :data:`KEEP` leaves the stored address untouched.
    ``expected_version`` is the version the user edited (0: no dwelling was recorded); another
    save since then is a VersionConflict and nothing is written.
    """
    require_unit_member(acting_user, case.unit_id)
    cleaned = _clean_housing(data, case)
    case = _lock_open_case(case)
    housing = Housing.objects.select_for_update().filter(case=case).first()
    require_version(housing, expected_version, record_type="housing", record_id=case.pk)
    created = housing is None
    if housing is None:
        housing = Housing(case=case, updated_by=acting_user)
    previous_until = housing.rent_paid_until
    changed = [
        name
        for name in _HOUSING_FIELDS
        if name in cleaned and getattr(housing, name) != cleaned[name]
    ]
    for name, value in cleaned.items():
        setattr(housing, name, value)
    housing.updated_by = acting_user
    housing.save()
    if housing.rent_paid_until != previous_until:
        deadline_source_set(
            acting_user=acting_user,
            case=case,
            kind=DeadlineKind.RENT_END_FOLLOW_UP,
            source_date=housing.rent_paid_until,
        )
    record_event(
        case=case,
        actor=acting_user,
        kind="housing",
        text=(
            _("Uppgifter om bostaden registrerades.")
            if created
            else _("Uppgifter om bostaden ändrades.")
        ),
    )
    case_figures_refresh(case_ids=[case.pk])
    _audit(
        acting_user,
        case,
        AuditAction.CREATE if created else AuditAction.UPDATE,
        "housing",
        housing.pk,
        # Field names only: the values (an address) must not reach the log.
        "ändrat: " + ", ".join(changed) if changed else "inga ändringar",
    )
    return housing


# --- Home visits ------------------------------------------------------------------------------


def _require_home_visit_allowed(case: Case) -> None:
    """A home visit needs a confirmed case and the person's consent (policy §7)."""
    if case.status != CaseStatus.CONFIRMED:
        raise Conflict(
            _(
                "Hembesök görs i ärenden där aktiv medverkan är bekräftad. Bekräfta först "
                "bedömningen i ”Nästa steg”."
            ),
            "wrong_status",
        )
    if not selectors.home_visit_consent_given(case):
        raise Conflict(
            _(
                "Samtycke till hembesök saknas, är nekat eller har återkallats. Ett hembesök "
                "kan bara planeras och genomföras med den enskildes samtycke. Registrera "
                "samtycket under ”Samtycken” först."
            ),
            "consent_missing",
        )


@transaction.atomic
def home_visit_plan(
    *,
    acting_user: Any,
    case: Case,
    planned_on: date,
    participants: str = "",
    planned_time: time | None = None,
) -> HomeVisit:
    """Plan a home visit: refused without the person's consent to home visits.

    The earliest planned visit of the case is a deadline of kind ``home_visit`` on its
    date, so it is on *Mina bevakningar* and the daily reminder sweep reminds of it once
    (decision 0014); recording or cancelling the visit meets or moves that deadline."""
    require_unit_member(acting_user, case.unit_id)
    errors = _Errors()
    if not isinstance(planned_on, date):
        errors.add("planned_on", _("Ange ett datum (ÅÅÅÅ-MM-DD)."))
    _not_before_received(errors, "planned_on", planned_on, case)
    if planned_time is not None and not isinstance(planned_time, time):
        errors.add("planned_time", _("Ange en tid (TT:MM)."))
    participants_ = _text(errors, "participants", participants, max_length=1000)
    errors.raise_if_any()
    case = _lock_open_case(case)
    _require_home_visit_allowed(case)
    visit = HomeVisit.objects.create(
        case=case,
        status=HomeVisitStatus.PLANNED,
        planned_on=planned_on,
        planned_time=planned_time,
        participants=participants_,
        created_by=acting_user,
    )
    when = planned_on.isoformat() + (f" {planned_time:%H:%M}" if planned_time else "")
    record_event(
        case=case,
        actor=acting_user,
        kind="home_visit_planned",
        text=_("Hembesök planerat till %(date)s.") % {"date": when},
    )
    _audit(acting_user, case, AuditAction.CREATE, "home_visit", visit.pk, "planerat")
    _home_visit_deadline_sync(acting_user, case)
    return visit


def _home_visit_deadline_sync(acting_user: Any, case: Case) -> None:
    """The case's ``home_visit`` deadline follows its earliest planned visit, or is met
    when none is left."""
    earliest = (
        HomeVisit.objects.filter(
            case=case, status=HomeVisitStatus.PLANNED, planned_on__isnull=False
        )
        .order_by("planned_on", "planned_time", "id")
        .values_list("planned_on", flat=True)
        .first()
    )
    deadline_fixed_date_set(
        acting_user=acting_user, case=case, kind=DeadlineKind.HOME_VISIT, due_on=earliest
    )


@dataclass(frozen=True)
class HomeVisitReport:
    performed_on: date
    assessment: str
    participants: str = ""
    condition: str = ""
    dampness_or_damage: str = ""
    safety: str = ""
    space_note: str = ""
    advised_to_seek_housing: bool = False
    advised_on: date | None = None
    advice_note: str = ""


def _clean_report(report: HomeVisitReport, case: Case, today: date) -> dict[str, Any]:
    errors = _Errors()
    performed_on = _date_not_future(errors, "performed_on", report.performed_on, today)
    _not_before_received(errors, "performed_on", performed_on, case)
    assessment = _choice(
        errors,
        "assessment",
        HousingAssessment,
        report.assessment,
        _("Välj bedömning: lämplig, olämplig eller skadlig."),
    )
    cleaned: dict[str, Any] = {
        name: _text(errors, name, getattr(report, name))
        for name in (
            "participants",
            "condition",
            "dampness_or_damage",
            "safety",
            "space_note",
            "advice_note",
        )
    }
    if not cleaned["participants"]:
        errors.add("participants", _("Ange vilka som deltog i hembesöket."))
    if not cleaned["condition"]:
        errors.add("condition", _("Beskriv bostadens skick."))
    advised = bool(report.advised_to_seek_housing)
    advised_on = report.advised_on
    if assessment is not None and rules.advice_required(assessment) and not advised:
        errors.add(
            "advised_to_seek_housing",
            _(
                "Bostaden bedöms som %(assessment)s. Enligt riktlinjen ska den enskilde då "
                "uppmanas att söka ny bostad; registrera uppmaningen och datumet."
            )
            % {"assessment": str(assessment.label).lower()},
        )
    if advised:
        if not isinstance(advised_on, date):
            errors.add("advised_on", _("Ange datum då den enskilde uppmanades att söka ny bostad."))
        elif advised_on > today:
            errors.add("advised_on", _("Datumet kan inte ligga i framtiden."))
        elif isinstance(performed_on, date) and advised_on < performed_on:
            errors.add("advised_on", _("Uppmaningen kan inte ges före hembesöket."))
    else:
        advised_on = None
        if cleaned["advice_note"]:
            errors.add("advice_note", _("Kryssa i att den enskilde uppmanades, eller töm fältet."))
    errors.raise_if_any()
    cleaned.update(
        performed_on=performed_on,
        assessment=assessment,
        advised_to_seek_housing=advised,
        advised_on=advised_on,
    )
    return cleaned


@transaction.atomic
def home_visit_record(
    *,
    acting_user: Any,
    case: Case,
    report: HomeVisitReport,
    visit_id: int | None = None,
    today: date | None = None,
) -> HomeVisit:
    """Record a performed home visit (a planned one, or one that was never planned).

    The first performed visit completes the measure "Hembesök" through the workflow, whose
    policy refuses it without the person's consent. Later visits are checked against the
    same rule here. The household and the dwelling's size are copied as they are today.
    """
    require_unit_member(acting_user, case.unit_id)
    today = today or timezone.localdate()
    cleaned = _clean_report(report, case, today)
    case = _lock_open_case(case)
    visit: HomeVisit | None = None
    if visit_id is not None:
        visit = _lock_planned_visit(case, visit_id)
    if selectors.measure_state(case, Measure.HOME_VISIT) == MeasureState.PENDING:
        case_action_perform(
            acting_user=acting_user,
            case=case,
            action=Action.RECORD_HOME_VISIT,
            performed_on=cleaned["performed_on"],
            details={
                "summary": _("Bedömning: %(assessment)s.")
                % {"assessment": cleaned["assessment"].label}
            },
            today=today,
        )
    else:
        _require_home_visit_allowed(case)
    persons, children = selectors.household_size(case, cleaned["performed_on"])
    housing = selectors.housing_of(case)
    if visit is None:
        visit = HomeVisit(case=case, created_by=acting_user)
    for name, value in cleaned.items():
        setattr(visit, name, value)
    visit.status = HomeVisitStatus.PERFORMED
    visit.persons_in_household = persons
    visit.children_in_household = children
    visit.rooms = housing.rooms if housing else None
    visit.area_m2 = housing.area_m2 if housing else None
    visit.save()
    text = _("Hembesök genomfört %(date)s. Bedömning: %(assessment)s.") % {
        "date": visit.performed_on.isoformat() if visit.performed_on else "",
        "assessment": str(cleaned["assessment"].label).lower(),
    }
    if visit.advised_to_seek_housing and visit.advised_on:
        text += " " + _("Den enskilde uppmanades att söka ny bostad %(date)s.") % {
            "date": visit.advised_on.isoformat()
        }
    record_event(case=case, actor=acting_user, kind="home_visit", text=text)
    case_figures_refresh(case_ids=[case.pk])
    _audit(
        acting_user,
        case,
        AuditAction.UPDATE if visit_id else AuditAction.CREATE,
        "home_visit",
        visit.pk,
        f"genomfört: {visit.assessment}",
    )
    _home_visit_deadline_sync(acting_user, case)
    return visit


@transaction.atomic
def home_visit_cancel(*, acting_user: Any, case: Case, visit_id: int, reason: str) -> HomeVisit:
    """Cancel a planned visit (for example when the consent is withdrawn), with a reason."""
    require_unit_member(acting_user, case.unit_id)
    errors = _Errors()
    reason_ = _text(errors, "reason", reason, max_length=1000)
    if not reason_:
        errors.add("reason", _("Ange varför hembesöket ställs in."))
    errors.raise_if_any()
    case = _lock_open_case(case)
    visit = _lock_planned_visit(case, visit_id)
    visit.status = HomeVisitStatus.CANCELLED
    visit.cancelled_reason = reason_
    visit.save(update_fields=["status", "cancelled_reason", "updated_at"])
    record_event(
        case=case,
        actor=acting_user,
        kind="home_visit_cancelled",
        text=_("Planerat hembesök %(date)s ställdes in.")
        % {"date": visit.planned_on.isoformat() if visit.planned_on else ""},
    )
    _audit(acting_user, case, AuditAction.UPDATE, "home_visit", visit.pk, "inställt")
    _home_visit_deadline_sync(acting_user, case)
    return visit


# --- Landlords --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LandlordInput:
    kind: str
    name: str
    organisation_number: str = ""
    personal_identity_number: str = ""
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    postal_address: str = ""


def parse_organisation_number(raw: str) -> str:
    """Validate a Swedish organisation number (check digit included); return 10 digits.

    Raises ValidationError with a Swedish message. A personal identity number (a sole
    trader's "organisation number") is refused: that landlord is a private person.
    """
    text = (raw or "").strip().replace(" ", "")
    if not text:
        raise ValidationError(_("Ange organisationsnumret."))
    try:
        number = orgnr.Organisationsnummer(text)
    except orgnr.OrganisationsnummerException:
        raise ValidationError(
            _(
                "Organisationsnumret är inte giltigt. Kontrollera siffrorna och "
                "kontrollsiffran (NNNNNN-NNNN)."
            )
        ) from None
    if number.is_personnummer():
        raise ValidationError(
            _(
                "Numret är ett personnummer (enskild firma). Registrera hyresvärden som "
                "privatperson; personnumret är då en personuppgift."
            )
        )
    return number.format(False)


def _clean_contact(errors: _Errors, data: LandlordInput) -> dict[str, str]:
    cleaned = {
        "name": _text(errors, "name", data.name, max_length=200),
        "contact_person": _text(errors, "contact_person", data.contact_person, max_length=200),
        "phone": _text(errors, "phone", data.phone, max_length=40),
        "email": _text(errors, "email", data.email, max_length=254),
        "postal_address": _text(errors, "postal_address", data.postal_address, max_length=500),
    }
    if not cleaned["name"]:
        errors.add("name", _("Ange hyresvärdens namn."))
    if cleaned["email"]:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors.add("email", _("Ange en giltig e-postadress."))
    return cleaned


@transaction.atomic
def landlord_register(*, acting_user: Any, data: LandlordInput) -> Landlord:
    """Add a landlord to the register (any case role). An organisation is identified by its
    organisation number, a private person by their personal identity number; either one
    already in the register is a :class:`LandlordExists` conflict naming the record."""
    require_case_role(acting_user)
    errors = _Errors()
    kind = _choice(
        errors,
        "kind",
        LandlordKind,
        data.kind,
        _("Välj om hyresvärden är ett företag eller en privatperson."),
    )
    cleaned = _clean_contact(errors, data)
    organisation_number = None
    identity_number = None
    if kind == LandlordKind.ORGANISATION:
        try:
            organisation_number = parse_organisation_number(data.organisation_number)
        except ValidationError as error:
            errors.add("organisation_number", error.messages[0])
        if (data.personal_identity_number or "").strip():
            errors.add(
                "personal_identity_number",
                _("Ett företag registreras med organisationsnummer, inte personnummer."),
            )
    elif kind == LandlordKind.PRIVATE_PERSON:
        try:
            identity_number = parse_identity_number(data.personal_identity_number).canonical
        except InvalidIdentityNumber as error:
            errors.add("personal_identity_number", str(error))
        if (data.organisation_number or "").strip():
            errors.add(
                "organisation_number",
                _("En privatperson registreras med personnummer, inte organisationsnummer."),
            )
    errors.raise_if_any()
    existing = (
        Landlord.objects.filter(organisation_number=organisation_number).first()
        if organisation_number
        else Landlord.objects.filter(personal_identity_number=identity_number).first()
    )
    if existing is not None:
        raise LandlordExists(existing)
    landlord = Landlord.objects.create(
        kind=kind,
        organisation_number=organisation_number,
        personal_identity_number=identity_number,
        created_by=acting_user,
        **cleaned,
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        object_type="landlord",
        object_id=landlord.pk,
        detail=str(LandlordKind(kind).value),
    )
    return landlord


@transaction.atomic
def landlord_update(
    *,
    acting_user: Any,
    landlord: Landlord,
    data: LandlordInput,
    expected_version: int | None = None,
) -> Landlord:
    """Change the name and contact details. The kind and the number identify the landlord
    and are not changed; register a new landlord if they were wrong. ``expected_version``:
    the version the user edited (VersionConflict when it was saved since)."""
    require_case_role(acting_user)
    errors = _Errors()
    cleaned = _clean_contact(errors, data)
    errors.raise_if_any()
    landlord = Landlord.objects.select_for_update().get(pk=landlord.pk)
    require_version(landlord, expected_version)
    changed = [name for name, value in cleaned.items() if getattr(landlord, name) != value]
    for name, value in cleaned.items():
        setattr(landlord, name, value)
    landlord.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        object_type="landlord",
        object_id=landlord.pk,
        detail="ändrat: " + ", ".join(changed) if changed else "inga ändringar",
    )
    return landlord


@transaction.atomic
def landlord_letter_draft_create(*, acting_user: Any, case: Case) -> Any:
    """Start a letter to the case's landlord (kind ``landlord_letter``), addressed to it.

    The letter is a draft of the letters module; its template names no person, and the
    letters module refuses to finalise a letter that reveals a protected person's address.
    """
    from motverka.letters.services import letter_draft_create, letter_draft_update

    require_unit_member(acting_user, case.unit_id)
    housing = selectors.housing_of(case)
    if housing is None or housing.landlord is None:
        raise Conflict(
            _("Registrera bostadens hyresvärd innan en skrivelse till hyresvärden skapas."),
            "no_landlord",
        )
    landlord = housing.landlord
    letter = letter_draft_create(acting_user=acting_user, case=case, kind="landlord_letter")
    return letter_draft_update(
        acting_user=acting_user,
        letter=letter,
        letter_date=letter.letter_date,
        subject=letter.subject,
        body=letter.body,
        recipient_name=landlord.name,
        recipient_address=landlord.postal_address,
        recipient_email=landlord.email,
    )
