"""Reads of housing. Case-bound reads take a case already fetched through
:mod:`motverka.cases.access` (which decided access and logged the read); landlord reads
decide access here — any case role — and log every read of a private person's record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Min, Q, QuerySet

from motverka.audit.models import AuditAction
from motverka.audit.services import AuditSubject, audit_record, audit_record_many
from motverka.cases.access import cases_visible_to, log_case_hits, require_case_role
from motverka.cases.errors import NotFound
from motverka.cases.models import Case
from motverka.cases.selectors import without_protected_persons
from motverka.housing import rules
from motverka.housing.models import ChildView, HomeVisit, Housing, Landlord, PersonalAccount
from motverka.housing.vocabulary import HomeVisitStatus, LandlordKind
from motverka.people.models import HouseholdMember
from motverka.workflow.models import CaseMeasure
from motverka.workflow.policy import (
    CaseStatus,
    ConsentScope,
    ConsentStatus,
    Measure,
    MeasureState,
    Outcome,
)
from motverka.workflow.selectors import current_consents

PROTECTED_ADDRESS = "Skyddad adress"


# --- The letters' address provider ------------------------------------------------------------


def known_addresses(person: Any) -> list[str]:
    """Every address recorded for ``person`` in any of their cases, newest first.

    The provider behind ``MOTVERKA_KNOWN_ADDRESS_PROVIDERS``: the letters module uses it to
    refuse a letter that would reveal a protected person's address. Not for display.
    """
    rows = (
        Housing.objects.filter(case__person=person)
        .exclude(address="")
        .order_by("-updated_at")
        .values_list("address", flat=True)
    )
    return list(dict.fromkeys(address.strip() for address in rows if address.strip()))


def address_for_display(housing: Housing | None, person: Any) -> str:
    """The address as a page may show it: never for a person with protected identity."""
    if housing is None or not housing.address:
        return ""
    return PROTECTED_ADDRESS if person.protected_identity else housing.address


# --- One case ---------------------------------------------------------------------------------


def housing_of(case: Case) -> Housing | None:
    return Housing.objects.filter(case=case).select_related("landlord").first()


def personal_accounts_of(case: Case) -> list[PersonalAccount]:
    return list(
        PersonalAccount.objects.filter(case=case).select_related("recorded_by").order_by("-version")
    )


def child_views_of(case: Case) -> list[ChildView]:
    return list(
        ChildView.objects.filter(case=case)
        .select_related("member", "recorded_by")
        .order_by("member_id", "-heard_on", "-id")
    )


def home_visits_of(case: Case) -> list[HomeVisit]:
    return list(HomeVisit.objects.filter(case=case).select_related("created_by").order_by("-id"))


def children_of(case: Case, on: date) -> list[HouseholdMember]:
    """The members of the case's household who are children on ``on``."""
    return [member for member in case.household.all() if member.is_child_on(on)]


def household_size(case: Case, on: date) -> tuple[int, int]:
    """(persons, children) living in the household on ``on``: the person, every household
    member, and of them the children."""
    members = list(case.household.all())
    return 1 + len(members), sum(1 for member in members if member.is_child_on(on))


def home_visit_consent_given(case: Case) -> bool:
    consent = current_consents(case=case).get(ConsentScope.HOME_VISIT)
    return consent is not None and consent.status == ConsentStatus.GIVEN


def measure_state(case: Case, measure: Measure) -> MeasureState:
    state = (
        CaseMeasure.objects.filter(case=case, measure=measure).values_list("state", flat=True)
    ).first()
    return MeasureState(state or MeasureState.PENDING)


# --- Landlords --------------------------------------------------------------------------------


def landlord_get_for_user(*, user: Any, landlord_id: int | str) -> Landlord:
    """The landlord for a case role; a private person's record is logged as a read."""
    require_case_role(user)
    try:
        pk = int(landlord_id)
    except (TypeError, ValueError) as error:
        raise NotFound from error
    landlord = Landlord.objects.filter(pk=pk).first()
    if landlord is None:
        raise NotFound
    if landlord.is_private_person:
        audit_record(
            actor=user,
            action=AuditAction.READ,
            object_type="landlord",
            object_id=landlord.pk,
            detail="hyresvärd som är privatperson",
        )
    return landlord


def log_landlord_hits(*, user: Any, landlords: Iterable[Landlord], detail: str) -> None:
    """A private person shown in a list is a read of personal data."""
    audit_record_many(
        actor=user,
        action=AuditAction.SEARCH,
        object_type="landlord_list",
        subjects=[
            AuditSubject(object_type="landlord", object_id=landlord.pk)
            for landlord in landlords
            if landlord.is_private_person
        ],
        detail=detail,
    )


def landlord_page(
    *, user: Any, text: str = "", page_number: int | str = 1, page_size: int = 25
) -> Page:
    """One page of the landlord register for a case role, by name, optionally filtered by
    name or organisation number; private persons on the page are logged."""
    require_case_role(user)
    queryset = Landlord.objects.all()
    text = text.strip()
    if text:
        digits = text.replace("-", "").replace(" ", "")
        condition = Q(name__icontains=text)
        if digits.isdigit():
            condition |= Q(organisation_number__startswith=digits)
        queryset = queryset.filter(condition)
    page = Paginator(queryset.order_by("name", "id"), page_size).get_page(page_number)
    page.object_list = list(page.object_list)
    log_landlord_hits(user=user, landlords=page.object_list, detail="hyresvärdsregistret")
    return page


#: At most this many landlords are offered by the housing form's search field.
LANDLORD_SEARCH_LIMIT = 10


def landlord_label(landlord: Landlord) -> str:
    """How the housing form names a landlord: an organisation with its number, a private
    person only as a private person (their identity number is never shown there)."""
    number = landlord.organisation_number
    if number:
        return f"{landlord.name} ({number[:6]}-{number[6:]})"
    return f"{landlord.name} (privatperson)"


def organisation_landlords_matching(
    *, user: Any, text: str, limit: int = LANDLORD_SEARCH_LIMIT
) -> tuple[list[Landlord], bool]:
    """The organisations whose name contains every word of ``text`` (or whose
    organisation number starts with it), at most ``limit``; and whether there are more.

    Only organisations: their names are not personal data, so the search is not logged. A
    private landlord is a person and is never offered by a search; the housing form links
    one by their personal identity number (:func:`private_landlord_by_identity_number`).
    """
    require_case_role(user)
    words = text.split()
    if not words:
        return [], False
    queryset = Landlord.objects.filter(
        kind=LandlordKind.ORGANISATION, organisation_number__isnull=False
    )
    for word in words:
        condition = Q(name__icontains=word)
        digits = word.replace("-", "")
        if digits.isdigit():
            condition |= Q(organisation_number__startswith=digits)
        queryset = queryset.filter(condition)
    rows = list(queryset.order_by("name", "id")[: limit + 1])
    return rows[:limit], len(rows) > limit


def landlord_choices(
    current: Landlord | None = None, *, chosen: object = None
) -> list[tuple[str, str]]:
    """For the housing form: the case's own landlord and the organisation chosen in the
    form (from a search), never the whole register.

    Private persons are not offered for browsing on a case page (their names are personal
    data); one is linked by their personal identity number instead, see
    :func:`private_landlord_by_identity_number`.
    """
    rows = [current] if current is not None else []
    try:
        chosen_id = int(str(chosen)) if chosen not in (None, "") else None
    except ValueError:
        chosen_id = None
    if chosen_id is not None and chosen_id < 2**63 and (current is None or current.pk != chosen_id):
        organisation = Landlord.objects.filter(
            pk=chosen_id, kind=LandlordKind.ORGANISATION, organisation_number__isnull=False
        ).first()
        if organisation is not None:
            rows.append(organisation)
    return [(str(landlord.pk), landlord_label(landlord)) for landlord in rows]


def private_landlord_by_identity_number(*, user: Any, identity_number: str) -> Landlord | None:
    """The private landlord with this personal identity number (already validated and in
    canonical form); the lookup is logged as a read when it finds someone."""
    require_case_role(user)
    landlord = Landlord.objects.filter(personal_identity_number=identity_number).first()
    if landlord is not None:
        audit_record(
            actor=user,
            action=AuditAction.READ,
            object_type="landlord",
            object_id=landlord.pk,
            detail="sökt på personnummer",
        )
    return landlord


def log_landlord_shown(*, user: Any, landlord: Landlord | None, case: Case) -> None:
    """A private landlord's name shown on a case page is a read of their personal data."""
    if landlord is not None and landlord.is_private_person:
        audit_record(
            actor=user,
            action=AuditAction.READ,
            object_type="landlord",
            object_id=landlord.pk,
            case_id=case.pk,
            person_id=case.person_id,
            detail="visad i ärendet",
        )


def _cases_counting_for_signal() -> QuerySet[Case]:
    # A case assessed as not active involvement is no sign of a business model.
    return Case.objects.exclude(status=CaseStatus.DISMISSED).exclude(
        outcome=Outcome.NOT_ACTIVE_INVOLVEMENT
    )


def signal_settings() -> tuple[int, int]:
    return settings.MOTVERKA_LANDLORD_SIGNAL_CASES, settings.MOTVERKA_LANDLORD_SIGNAL_MONTHS


def landlord_signal(landlord: Landlord | int) -> rules.LandlordSignal:
    """The business-model signal over all cases of the landlord (aggregate, no personal data)."""
    threshold, months = signal_settings()
    received = _cases_counting_for_signal().filter(housing__landlord=landlord)
    return rules.landlord_signal(
        received.values_list("received_on", flat=True), threshold=threshold, months=months
    )


def landlord_signals(landlord_ids: Iterable[int]) -> dict[int, rules.LandlordSignal]:
    """The signal of many landlords with one query (for the register page)."""
    threshold, months = signal_settings()
    dates: dict[int, list[date]] = {pk: [] for pk in landlord_ids}
    rows = (
        _cases_counting_for_signal()
        .filter(housing__landlord__in=list(dates))
        .values_list("housing__landlord_id", "received_on")
    )
    for landlord_id, received_on in rows:
        dates[landlord_id].append(received_on)
    return {
        pk: rules.landlord_signal(days, threshold=threshold, months=months)
        for pk, days in dates.items()
    }


def landlord_cases_for_user(*, user: Any, landlord: Landlord) -> list[Case]:
    """The landlord's cases the user may see; each one listed is logged as a read."""
    cases = list(
        cases_visible_to(user)
        .filter(housing__landlord=landlord)
        .select_related("person", "sending_municipality", "unit")
        .order_by("-received_on", "-id")
    )
    log_case_hits(user=user, cases=cases, detail="hyresvärdens ärenden")
    return cases


@dataclass(frozen=True)
class MunicipalityCount:
    code: str
    name: str
    cases: int


@dataclass(frozen=True)
class LandlordStatistics:
    """Aggregates over all the landlord's cases, whatever the unit: no personal data."""

    cases: int
    first_received: date | None
    last_received: date | None
    by_sending_municipality: list[MunicipalityCount]


def landlord_statistics(*, user: Any, landlord: Landlord) -> LandlordStatistics | None:
    """Counts across every unit, for unit managers only (None for anyone else).

    The breakdown by sending municipality leaves out persons with protected identity (in
    any unit's record): even the municipality they came from must not leak for them.
    """
    if not getattr(user, "is_manager", False):
        return None
    cases = Case.objects.filter(housing__landlord=landlord)
    totals = cases.aggregate(count=Count("id"), first=Min("received_on"), last=Max("received_on"))
    per_municipality = (
        without_protected_persons(cases)
        .values("sending_municipality__code", "sending_municipality__name")
        .annotate(count=Count("id"))
        .order_by("-count", "sending_municipality__name")
    )
    return LandlordStatistics(
        cases=totals["count"],
        first_received=totals["first"],
        last_received=totals["last"],
        by_sending_municipality=[
            MunicipalityCount(
                code=row["sending_municipality__code"],
                name=row["sending_municipality__name"],
                cases=row["count"],
            )
            for row in per_municipality
        ],
    )


def planned_visits(case: Case) -> list[HomeVisit]:
    return list(HomeVisit.objects.filter(case=case, status=HomeVisitStatus.PLANNED))
