"""Data recorded in a case belongs to its unit: two units, one identity number.

Unit B knows the person first, with names, phone, household and address that are unique
marker strings; unit A then registers the same identity number. Nothing of B's record may
reach A — not through the services, the access module, the letters' context, the housing
selectors, the figures or the ORM paths the services use — and A's registration must leave
B's case as it was. The duplicate warning across units says only the unit's name, logs the
lookup, and says nothing at all for a protected person (decisions 0009, 0007).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from motverka.accounts.models import Role, Unit, User
from motverka.audit.models import AuditEvent
from motverka.cases import access
from motverka.cases.errors import NotFound
from motverka.cases.models import Case
from motverka.cases.selectors import CaseFilters, case_list
from motverka.cases.services import OpenCaseExists, case_register
from motverka.housing.selectors import children_of, household_size, known_addresses
from motverka.letters.context import letter_context
from motverka.people.models import HouseholdMember, Person
from motverka.people.services import HouseholdMemberInput, PersonInput
from motverka.reporting.periods import range_period
from motverka.reporting.selectors import period_figures
from tests.factories import identity_number, make_case, make_intake, make_user
from tests.housing.helpers import housing

B_FIRST = "Bertilmarkör"
B_LAST = "Bensonmarkör"
B_PHONE = "070-999 00 01"
B_CHILD = "Barnmarkörbe"
B_ADDRESS = "Hemligmarkörvägen 9, 455 99 Munkedal"
A_FIRST = "Alfred"
A_LAST = "Alfsson"
MARKERS = (B_FIRST, B_LAST, B_PHONE, B_CHILD, "Hemligmarkör")


@dataclass
class TwoUnits:
    unit_a: Unit
    unit_b: Unit
    worker_a: User
    worker_b: User
    manager_ab: User
    number: str
    b_case: Case


def b_person_input(number: str, *, protected: bool = False) -> PersonInput:
    return PersonInput(
        first_name=B_FIRST,
        last_name=B_LAST,
        personal_identity_number=number,
        phone=B_PHONE,
        protected_identity=protected,
    )


def a_person_input(number: str, *, protected: bool = False) -> PersonInput:
    return PersonInput(
        first_name=A_FIRST,
        last_name=A_LAST,
        personal_identity_number=number,
        protected_identity=protected,
    )


def _two_units(world, *, protected: bool) -> TwoUnits:
    number = identity_number()
    b_case = make_case(
        world.worker_b,
        person=b_person_input(number, protected=protected),
        household=(
            HouseholdMemberInput(first_name=B_CHILD, relation="child", birth_date=date(2018, 3, 1)),
        ),
    )
    housing(b_case, world.worker_b, address=B_ADDRESS)
    return TwoUnits(
        unit_a=world.unit_a,
        unit_b=world.unit_b,
        worker_a=world.worker_a,
        worker_b=world.worker_b,
        manager_ab=make_user(
            Role.UNIT_MANAGER, [world.unit_a, world.unit_b], username="manager_ab"
        ),
        number=number,
        b_case=b_case,
    )


@pytest.fixture
def units(world) -> TwoUnits:
    return _two_units(world, protected=False)


@pytest.fixture
def protected_units(world) -> TwoUnits:
    return _two_units(world, protected=True)


def register_in_a(units: TwoUnits, **overrides) -> Case:
    overrides.setdefault("person", a_person_input(units.number))
    overrides.setdefault("household", ())
    return case_register(acting_user=units.worker_a, intake=make_intake(units.unit_a, **overrides))


def b_snapshot(units: TwoUnits) -> tuple:
    person = Person.objects.get(pk=units.b_case.person_id)
    case = Case.objects.get(pk=units.b_case.pk)
    return (
        person.first_name,
        person.last_name,
        person.phone,
        person.protected_identity,
        person.unit_id,
        case.person_id,
        case.updated_at,
        list(case.household.values_list("first_name", "relation", "birth_date")),
    )


def lookups() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="lookup"))


# --- Registering an identity number another unit knows ----------------------------------------


def test_a_unit_registering_a_known_number_starts_from_the_identity_alone(units):
    a_case = register_in_a(units, allow_open_case=True)
    person = a_case.person
    assert person.pk != units.b_case.person_id
    assert person.unit == units.unit_a
    assert person.personal_identity_number == units.b_case.person.personal_identity_number
    assert (person.first_name, person.last_name, person.phone) == (A_FIRST, A_LAST, "")
    assert list(a_case.household.all()) == []
    assert (
        Person.objects.filter(personal_identity_number=person.personal_identity_number).count() == 2
    )


def test_a_registration_in_another_unit_leaves_the_first_units_case_untouched(units):
    before = b_snapshot(units)
    register_in_a(
        units,
        allow_open_case=True,
        person=a_person_input(units.number, protected=True),
        household=(HouseholdMemberInput(first_name="Ada", relation="child"),),
    )
    assert b_snapshot(units) == before
    assert HouseholdMember.objects.filter(case=units.b_case).count() == 1


def test_a_second_case_in_the_same_unit_reuses_the_units_person_with_its_own_household(units):
    first = register_in_a(units, allow_open_case=True)
    second = register_in_a(
        units,
        allow_open_case=True,
        household=(HouseholdMemberInput(first_name="Ada", relation="child"),),
    )
    assert second.person == first.person
    assert [member.first_name for member in second.household.all()] == ["Ada"]
    assert list(first.household.all()) == []


def test_what_a_unit_sees_of_its_case_has_nothing_of_the_other_units_record(units):
    a_case = register_in_a(units, allow_open_case=True)
    a_case = access.case_get_for_user(user=units.worker_a, case_id=a_case.pk)
    today = timezone.localdate()
    context = letter_context(a_case, on=today)
    assert not [value for value in context.values() if any(m in value for m in MARKERS)]
    assert context["person.name"] == f"{A_FIRST} {A_LAST}"
    assert context["household.members"] == "" and context["household.children"] == ""
    assert children_of(a_case, today) == []
    assert household_size(a_case, today) == (1, 0)
    assert known_addresses(a_case.person) == []


# --- The access module decides persons by unit -------------------------------------------------


def test_another_units_person_row_is_not_found(units):
    a_case = register_in_a(units, allow_open_case=True)
    with pytest.raises(NotFound):
        access.person_get_for_user(user=units.worker_a, person_id=units.b_case.person_id)
    with pytest.raises(NotFound):
        access.person_get_for_user(user=units.worker_b, person_id=a_case.person_id)
    assert access.person_get_for_user(user=units.worker_a, person_id=a_case.person_id)
    assert set(access.persons_visible_to(units.worker_a)) == {a_case.person}
    assert set(access.persons_visible_to(units.manager_ab)) == {a_case.person, units.b_case.person}


def test_a_case_pointed_at_another_units_person_in_the_database_is_not_shown(units):
    a_case = register_in_a(units, allow_open_case=True)
    # Past the services: the ORM, the admin or a shell could do this.
    Case.objects.filter(pk=a_case.pk).update(person=units.b_case.person)
    with pytest.raises(NotFound):
        access.case_get_for_user(user=units.worker_a, case_id=a_case.pk)
    page = case_list(user=units.worker_a, filters=CaseFilters())
    assert list(page.object_list) == []


def test_searching_by_identity_number_finds_only_the_units_own_case(units):
    a_case = register_in_a(units, allow_open_case=True)
    page = case_list(user=units.worker_a, filters=CaseFilters(identity_number=units.number))
    assert list(page.object_list) == [a_case]
    both = case_list(user=units.manager_ab, filters=CaseFilters(identity_number=units.number))
    assert set(both.object_list) == {a_case, units.b_case}


# --- The duplicate warning across units --------------------------------------------------------


def test_the_warning_across_units_names_only_the_unit_and_logs_the_lookup(units):
    before = (Case.objects.count(), Person.objects.count(), HouseholdMember.objects.count())
    with pytest.raises(OpenCaseExists) as conflict:
        register_in_a(units)
    message = conflict.value.message
    assert "Ett öppet ärende finns hos enhet Enhet B – kontakta dem." in message
    assert units.b_case.reference not in message
    assert not any(marker in message for marker in MARKERS)
    assert conflict.value.cases == []
    assert conflict.value.duplicates.other_unit_names == ["Enhet B"]
    # The refused registration left nothing behind but the trace of what it disclosed.
    assert (Case.objects.count(), Person.objects.count(), HouseholdMember.objects.count()) == before
    [lookup] = lookups()
    assert lookup.actor == units.worker_a
    assert lookup.case_id == units.b_case.pk
    assert lookup.person_id == units.b_case.person_id
    confirmed = register_in_a(units, allow_open_case=True)
    assert confirmed.unit == units.unit_a
    assert len(lookups()) == 1  # a confirmed registration asks no more


def test_a_closed_case_in_another_unit_is_not_mentioned(units):
    Case.objects.filter(pk=units.b_case.pk).update(status="closed")
    assert register_in_a(units).unit == units.unit_a
    assert lookups() == []


@pytest.mark.parametrize("protected_where", ["other_units_record", "new_registration"])
def test_nothing_at_all_is_said_across_units_for_a_protected_person(world, protected_where):
    units = _two_units(world, protected=protected_where == "other_units_record")
    before = b_snapshot(units)
    protected_now = protected_where == "new_registration"
    # No warning: the registration goes ahead exactly as for a number nobody knows.
    a_case = register_in_a(units, person=a_person_input(units.number, protected=protected_now))
    assert a_case.unit == units.unit_a
    assert lookups() == []
    assert not AuditEvent.objects.filter(actor=units.worker_a, case_id=units.b_case.pk).exists()
    assert not AuditEvent.objects.filter(
        actor=units.worker_a, person_id=units.b_case.person_id
    ).exists()
    assert b_snapshot(units) == before
    # Nor is the other unit's protection flag copied into the new unit's record.
    assert a_case.person.protected_identity is protected_now


def test_a_protected_person_elsewhere_hides_every_other_unit_not_just_the_protecting_one(world):
    units = _two_units(world, protected=False)
    unit_c = Unit.objects.create(name="Enhet C")
    worker_c = make_user(Role.CASE_WORKER, [unit_c], username="worker_c")
    make_case(worker_c, person=b_person_input(units.number, protected=True))
    assert register_in_a(units).unit == units.unit_a
    assert lookups() == []


def test_the_warning_within_the_own_unit_links_the_case_as_before(units):
    first = register_in_a(units, allow_open_case=True)
    lookups_before = len(lookups())
    with pytest.raises(OpenCaseExists) as conflict:
        register_in_a(units)
    assert conflict.value.cases == [first]
    assert "redan ett öppet ärende" in conflict.value.message
    assert len(lookups()) == lookups_before + 1  # B's case is named again, by unit
    hit = AuditEvent.objects.filter(action="search", case_id=first.pk, actor=units.worker_a)
    assert hit.filter(detail="dubblettvarning").exists()


def test_a_manager_of_both_units_sees_both_cases_even_for_a_protected_person(protected_units):
    units = protected_units
    a_case = register_in_a(units)  # a case worker in A is told nothing
    with pytest.raises(OpenCaseExists) as conflict:
        case_register(
            acting_user=units.manager_ab,
            intake=make_intake(units.unit_a, person=a_person_input(units.number), household=()),
        )
    assert set(conflict.value.cases) == {a_case, units.b_case}
    assert conflict.value.duplicates.other_unit_names == []
    assert lookups() == []
    case_b = access.case_get_for_user(user=units.manager_ab, case_id=units.b_case.pk)
    assert case_b.household.get().first_name == B_CHILD


# --- Through the pages -------------------------------------------------------------------------


def _intake_post(units: TwoUnits, **overrides: str) -> dict[str, str]:
    data = {
        "personal_identity_number": units.number,
        "first_name": A_FIRST,
        "last_name": A_LAST,
        "unit": str(units.unit_a.pk),
        "sending_municipality": "0180",
        "received_on": timezone.localdate().isoformat(),
        "target_groups": "newly_arrived",
        "insats-TOTAL_FORMS": "0",
        "insats-INITIAL_FORMS": "0",
        "hushall-TOTAL_FORMS": "0",
        "hushall-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_the_intake_page_says_only_the_other_units_name(client, units):
    client.force_login(units.worker_a)
    response = client.post(reverse("case_intake"), _intake_post(units))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ett öppet ärende finns hos enhet Enhet B – kontakta dem." in page
    assert units.b_case.reference not in page
    assert reverse("case_detail", args=[units.b_case.pk]) not in page
    assert not any(marker in page for marker in MARKERS)
    assert len(lookups()) == 1
    confirmed = client.post(reverse("case_intake"), _intake_post(units, allow_open_case="on"))
    assert confirmed.status_code == 302
    a_case = Case.objects.get(unit=units.unit_a)
    case_page = client.get(reverse("case_detail", args=[a_case.pk])).content.decode()
    assert A_FIRST in case_page
    assert not any(marker in case_page for marker in MARKERS)
    assert client.get(reverse("case_detail", args=[units.b_case.pk])).status_code == 404


def test_the_intake_page_says_nothing_for_a_protected_person(client, protected_units):
    units = protected_units
    client.force_login(units.worker_a)
    response = client.post(reverse("case_intake"), _intake_post(units))
    assert response.status_code == 302
    assert lookups() == []
    page = client.get(response["Location"]).content.decode()
    assert not any(marker in page for marker in MARKERS)
    assert "Enhet B" not in page


# --- The sending municipality of a protected person --------------------------------------------


def test_lists_never_show_or_filter_by_a_protected_persons_sending_municipality(client, world):
    protected = make_case(world.worker_a, sending_municipality_code="1480", protected_identity=True)
    visible = make_case(world.worker_a, sending_municipality_code="1480")
    page = case_list(user=world.worker_a, filters=CaseFilters(sending_municipality="1480"))
    assert list(page.object_list) == [visible]
    client.force_login(world.worker_a)
    listing = client.get(reverse("case_list")).content.decode()
    row = listing[listing.index(protected.reference) :]
    row = row[: row.index("</tr>")]
    assert "Göteborg" not in row and "Skyddad uppgift" in row
    filtered = client.get(reverse("case_list"), {"sending_municipality": "1480"}).content.decode()
    assert visible.reference in filtered and protected.reference not in filtered
    # The unit's own case page shows it, marked as protected.
    detail = client.get(reverse("case_detail", args=[protected.pk])).content.decode()
    assert "Göteborg" in detail and "Skyddad uppgift – visas bara här" in detail


def test_figures_leave_out_a_person_protected_in_any_units_record(world):
    number = identity_number()
    make_case(
        world.worker_b,
        sending_municipality_code="1480",
        person=b_person_input(number, protected=True),
    )
    # Unit A does not know of the protection; its case is left out all the same.
    make_case(world.worker_a, sending_municipality_code="1480", person=a_person_input(number))
    for _ in range(10):
        make_case(world.worker_a, sending_municipality_code="1280")
    today = timezone.localdate()
    figures = period_figures(range_period(date(today.year - 1, 1, 1), today))
    assert figures.total.value == 10
    rows = figures.table("municipality").rows
    assert [(row.label, row.cells[0].value) for row in rows] == [("Malmö", 10), ("Totalt", 10)]


def test_a_landlords_statistics_leave_out_a_person_protected_in_any_units_record(world):
    from motverka.housing.selectors import landlord_statistics
    from tests.housing.helpers import landlord

    owner = landlord(world.worker_a)
    number = identity_number()
    b_case = make_case(
        world.worker_b,
        sending_municipality_code="1480",
        person=b_person_input(number, protected=True),
    )
    a_case = make_case(
        world.worker_a, sending_municipality_code="1480", person=a_person_input(number)
    )
    plain = make_case(world.worker_a, sending_municipality_code="1280")
    for case, worker in (
        (b_case, world.worker_b),
        (a_case, world.worker_a),
        (plain, world.worker_a),
    ):
        housing(case, worker, landlord_id=owner.pk)
    statistics = landlord_statistics(user=world.manager, landlord=owner)
    assert statistics is not None and statistics.cases == 3
    assert [(row.name, row.cases) for row in statistics.by_sending_municipality] == [("Malmö", 1)]
