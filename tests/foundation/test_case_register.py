"""Registering a case: reference numbers, validation, duplicates, audit."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from motverka.audit.models import AuditEvent
from motverka.cases.errors import AccessDenied
from motverka.cases.models import Case, ReferenceSequence
from motverka.cases.services import OpenCaseExists, case_register
from motverka.people.models import HouseholdMember, Person
from motverka.people.services import PersonInput
from tests.factories import identity_number, make_case, make_intake


def _counts():
    return (
        Case.objects.count(),
        Person.objects.count(),
        AuditEvent.objects.count(),
        HouseholdMember.objects.count(),
    )


def test_registration_gives_a_yearly_reference_with_a_four_digit_sequence(world):
    year = timezone.localdate().year
    first = make_case(world.worker_a)
    second = make_case(world.worker_a)
    assert first.reference == f"SN {year}/0001"
    assert second.reference == f"SN {year}/0002"


def test_registration_stores_intake_facts_and_writes_an_audit_row(world):
    case = make_case(world.worker_a, target_groups=("newly_arrived", "structurally_homeless"))
    assert case.person.personal_identity_number and len(case.person.personal_identity_number) == 12
    assert sorted(case.target_groups.values_list("code", flat=True)) == [
        "newly_arrived",
        "structurally_homeless",
    ]
    assert set(case.indicators.values_list("code", flat=True)) == {"housing_arranged", "rent_paid"}
    assert case.interventions.get().ongoing
    assert case.household.get().relation == "child"
    assert case.assigned_to == world.worker_a
    assert case.receiving_municipality.code == "1430"
    created = AuditEvent.objects.filter(action="create", object_type="case", object_id=str(case.pk))
    assert created.get().actor == world.worker_a
    assert case.events.get().kind == "registered"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"target_groups": ()}, "target_groups"),
        ({"received_on": timezone.localdate() + timedelta(days=1)}, "received_on"),
        ({"sending_municipality_code": "1430"}, "sending_municipality"),
        ({"sending_municipality_code": "9999"}, "sending_municipality"),
        ({"personal_identity_number": "19900101-0018"}, "personal_identity_number"),
        ({"indicators": ("made_up",)}, "indicators"),
    ],
)
def test_invalid_input_is_refused_in_swedish_and_changes_nothing(world, overrides, field):
    before = _counts()
    year = timezone.localdate().year
    with pytest.raises(ValidationError) as error:
        case_register(acting_user=world.worker_a, intake=make_intake(world.unit_a, **overrides))
    assert field in error.value.message_dict
    assert all(message for message in error.value.message_dict[field])
    assert _counts() == before
    assert not ReferenceSequence.objects.filter(prefix="SN", year=year, last_number__gt=0).exists()


def test_a_failed_registration_leaves_no_gap_in_the_sequence(world):
    year = timezone.localdate().year
    make_case(world.worker_a)
    with pytest.raises(ValidationError):
        make_case(world.worker_a, target_groups=())
    assert make_case(world.worker_a).reference == f"SN {year}/0002"


def test_a_worker_cannot_register_into_another_units_case_list(world):
    with pytest.raises(ValidationError) as error:
        case_register(acting_user=world.worker_a, intake=make_intake(world.unit_b))
    assert "unit" in error.value.message_dict


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_roles_without_case_work_cannot_register(world, role):
    with pytest.raises(AccessDenied):
        case_register(acting_user=getattr(world, role), intake=make_intake(world.unit_a))


def test_registering_a_person_with_an_open_case_warns_and_can_be_confirmed(world):
    number = identity_number()
    first = make_case(world.worker_a, personal_identity_number=number)
    before = _counts()
    with pytest.raises(OpenCaseExists) as conflict:
        make_case(world.worker_a, personal_identity_number=number)
    assert conflict.value.cases == [first]
    # Nothing registered; the one new audit row is the warning's read of the open case.
    cases, persons, audit_rows, members = _counts()
    assert (cases, persons, members) == (before[0], before[1], before[3])
    assert audit_rows == before[2] + 1
    assert AuditEvent.objects.latest("id").detail == "dubblettvarning"
    second = make_case(world.worker_a, personal_identity_number=number, allow_open_case=True)
    assert second.person == first.person


def test_a_person_without_a_number_gets_a_reserve_identity_with_a_reason(world):
    case = make_case(
        world.worker_a,
        person=PersonInput(
            first_name="Okänd", last_name="Demosson", reserve_reason="Saknar id-handling"
        ),
    )
    person = case.person
    assert person.personal_identity_number is None
    assert person.reserve_identity.startswith(f"RES-{timezone.localdate().year}-")
    assert person.reserve_reason == "Saknar id-handling"


def test_a_reserve_identity_needs_a_reason(world):
    with pytest.raises(ValidationError) as error:
        make_case(world.worker_a, person=PersonInput(first_name="Okänd", last_name="Demosson"))
    assert "reserve_reason" in error.value.message_dict
