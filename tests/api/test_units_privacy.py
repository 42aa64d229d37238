"""Through the API: a unit never sees, copies or changes what another unit recorded.

Unit B has the person first (marker names, phone, child, address; a landlord both units can
look up); unit A registers the same identity number. Every operation of the OpenAPI schema is
then called as A's case worker on A's case and no answer may carry B's markers.
"""

from __future__ import annotations

import re

from django.utils import timezone

from motverka.accounts.models import Role
from motverka.audit.models import AuditEvent
from motverka.cases.models import Case
from motverka.cases.services import journal_entry_add
from motverka.housing.models import Landlord
from motverka.housing.services import LandlordInput, landlord_register
from motverka.letters.services import letter_draft_create
from tests.api.test_access_walk import OPERATIONS, QUERIES, _body, _request
from tests.factories import identity_number, make_case, make_user
from tests.foundation.test_units_privacy import (
    A_FIRST,
    B_ADDRESS,
    B_CHILD,
    MARKERS,
    b_person_input,
)
from tests.housing.helpers import housing

CASES = "/api/v1/cases"


def _b_case(world, number: str, *, protected: bool = False) -> Case:
    from motverka.people.services import HouseholdMemberInput

    case = make_case(
        world.worker_b,
        person=b_person_input(number, protected=protected),
        household=(HouseholdMemberInput(first_name=B_CHILD, relation="child"),),
    )
    landlord = landlord_register(
        acting_user=world.worker_b,
        data=LandlordInput(
            kind="organisation", name="Bostads AB Exempel", organisation_number="556016-0680"
        ),
    )
    housing(case, world.worker_b, address=B_ADDRESS, landlord_id=landlord.pk)
    return case


def _register_body(number: str, **overrides) -> dict:
    body = {
        "person": {
            "first_name": A_FIRST,
            "last_name": "Alfsson",
            "personal_identity_number": number,
        },
        "sending_municipality": "0180",
        "target_groups": ["other"],
    }
    body.update(overrides)
    return body


def _leaks(content: bytes) -> list[str]:
    text = content.decode()
    return [marker for marker in MARKERS if marker in text]


def test_registering_a_known_number_is_409_naming_only_the_other_unit(world, api_as):
    number = identity_number()
    b_case = _b_case(world, number)
    client = api_as(world.worker_a)
    response = client.post(CASES, _register_body(number))
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "open_case_exists"
    assert data["cases"] == [] and data["other_units"] == ["Enhet B"]
    assert "Ett öppet ärende finns hos enhet Enhet B – kontakta dem." in data["detail"]
    assert b_case.reference not in response.content.decode() and not _leaks(response.content)
    lookup = AuditEvent.objects.get(action="lookup")
    assert (lookup.actor, lookup.case_id, lookup.channel) == (world.worker_a, b_case.pk, "api")

    created = client.post(CASES, _register_body(number, allow_open_case=True))
    assert created.status_code == 201
    assert not _leaks(created.content)
    detail = created.json()
    assert detail["household"] == [] and detail["person"]["phone"] is None
    assert detail["person"]["first_name"] == A_FIRST
    assert client.get(f"{CASES}/{b_case.pk}").status_code == 404
    mine = client.post(f"{CASES}/search", {"identity_number": number}).json()
    assert [item["id"] for item in mine["items"]] == [detail["id"]]


def test_a_protected_person_elsewhere_gets_no_warning_and_no_lookup(world, api_as):
    number = identity_number()
    b_case = _b_case(world, number, protected=True)
    before = list(Case.objects.get(pk=b_case.pk).household.values_list("pk", "first_name"))
    response = api_as(world.worker_a).post(
        CASES,
        _register_body(number, household=[{"first_name": "Ada", "relation": "child"}]),
    )
    assert response.status_code == 201
    assert not _leaks(response.content) and "Enhet B" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="lookup").exists()
    assert list(Case.objects.get(pk=b_case.pk).household.values_list("pk", "first_name")) == before


def test_a_manager_of_both_units_is_shown_both_cases(world, api_as):
    number = identity_number()
    b_case = _b_case(world, number, protected=True)
    a_case = make_case(world.worker_a, personal_identity_number=number)
    manager = make_user(Role.UNIT_MANAGER, [world.unit_a, world.unit_b], username="manager_ab")
    response = api_as(manager).post(CASES, _register_body(number, unit=world.unit_a.pk))
    assert response.status_code == 409
    assert {item["id"] for item in response.json()["cases"]} == {a_case.pk, b_case.pk}
    assert response.json()["other_units"] == []
    both = api_as(manager).post(f"{CASES}/search", {"identity_number": number}).json()
    assert {item["id"] for item in both["items"]} == {a_case.pk, b_case.pk}


def test_the_sending_municipality_of_a_protected_person_only_in_the_case_detail(world, api_as):
    protected = make_case(world.worker_a, sending_municipality_code="1480", protected_identity=True)
    plain = make_case(world.worker_a, sending_municipality_code="1480")
    client = api_as(world.worker_a)
    items = {item["id"]: item for item in client.get(CASES).json()["items"]}
    assert items[protected.pk]["sending_municipality"] is None
    assert items[plain.pk]["sending_municipality"]["name"] == "Göteborg"
    filtered = client.get(CASES, {"sending_municipality": "1480"}).json()
    assert [item["id"] for item in filtered["items"]] == [plain.pk]
    detail = client.get(f"{CASES}/{protected.pk}").json()
    assert detail["sending_municipality"]["name"] == "Göteborg"
    assert detail["sending_municipality_protected"] is True
    assert client.get(f"{CASES}/{plain.pk}").json()["sending_municipality_protected"] is False


def test_every_operation_as_the_other_unit_carries_nothing_of_the_first_units_record(world, api_as):
    number = identity_number()
    b_case = _b_case(world, number)
    a_case = make_case(
        world.worker_a,
        personal_identity_number=number,
        first_name=A_FIRST,
        allow_open_case=True,
    )
    entry = journal_entry_add(
        acting_user=world.worker_a, case=a_case, entry_date=timezone.localdate(), text="Utkast"
    )
    letter = letter_draft_create(acting_user=world.worker_a, case=a_case, kind="person_information")
    objects = {
        "landlord_id": Landlord.objects.get().pk,
        "visit_id": 1,
        "case_id": a_case.pk,
        "entry_id": entry.pk,
        "letter_id": letter.pk,
        "action": "assess_confirm",
    }
    client = api_as(world.worker_a)
    read = 0
    for method, path in OPERATIONS:
        url = "/api/v1" + re.sub(r"\{(\w+)\}", lambda match: str(objects[match[1]]), path)
        url += QUERIES.get((method, path), "")
        response = _request(client, method, url, _body(method, path))
        assert response.status_code < 500, (method, path, response.content)
        assert not _leaks(response.content), (method, path)
        assert b_case.reference not in response.content.decode(), (method, path)
        read += 1
    assert read == len(OPERATIONS) > 30
    assert list(Case.objects.get(pk=b_case.pk).household.values_list("first_name", flat=True)) == [
        B_CHILD
    ]
