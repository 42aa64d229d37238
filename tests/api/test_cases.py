"""Cases through the API: register, list, search, the case page, the journal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from motverka.audit.models import AuditEvent
from motverka.cases import selectors
from motverka.cases.models import Case
from motverka.people.models import HouseholdMember, Person
from tests.factories import identity_number, make_case

CASES = "/api/v1/cases"


def intake_body(**overrides):
    today = timezone.localdate()
    body = {
        "person": {
            "first_name": "Alva",
            "last_name": "Demosson",
            "personal_identity_number": identity_number(),
        },
        "sending_municipality": "0180",
        "received_on": (today - timedelta(days=2)).isoformat(),
        "moved_on": (today - timedelta(days=9)).isoformat(),
        "target_groups": ["newly_arrived"],
        "indicators": ["housing_arranged", "rent_paid"],
        "indicator_note": "Hyran betald två månader.",
        "interventions": [
            {
                "kind": "care",
                "description": "Öppenvård",
                "ongoing": True,
                "decided_on": "2026-01-05",
                "legal_basis": "socialtjänstlagen  (2025:400) ",
            }
        ],
        "household": [{"first_name": "Bror", "relation": "child", "birth_date": "2019-05-01"}],
    }
    body.update(overrides)
    return body


def _counts():
    return Case.objects.count(), Person.objects.count(), HouseholdMember.objects.count()


def _errors(response):
    return {tuple(error["loc"]): error["msg"] for error in response.json()["detail"]}


# --- Register ---------------------------------------------------------------------------------


def test_register_creates_the_case_and_returns_it(world, api_as):
    response = api_as(world.worker_a).post(CASES, intake_body())
    assert response.status_code == 201, response.content
    data = response.json()
    case = Case.objects.get(pk=data["id"])
    assert response["Location"] == f"{CASES}/{case.pk}"
    assert data["reference"] == case.reference
    assert data["status"] == {"code": "registered", "label": "Registrerat"}
    assert data["unit"]["id"] == world.unit_a.pk  # the user's only unit
    assert data["assigned_to"]["id"] == world.worker_a.pk
    assert data["sending_municipality"]["code"] == "0180"
    assert data["person"]["identity"] == case.person.identity_display
    assert [row["code"] for row in data["indicators"]] == ["housing_arranged", "rent_paid"]
    assert data["interventions"][0]["kind"]["code"] == "care"
    assert data["interventions"][0]["legal_basis"] == "socialtjänstlagen (2025:400)"
    assert data["interventions"][0]["decided_on"] == "2026-01-05"
    assert data["interventions"][0]["needed_until"] is None
    assert data["household"][0]["is_child"] is True
    created = AuditEvent.objects.get(action="create", object_type="case", object_id=str(case.pk))
    assert created.channel == "api"
    assert created.actor == world.worker_a


@pytest.mark.parametrize(
    ("overrides", "loc", "words"),
    [
        ({"target_groups": []}, ("body", "target_groups"), "målgrupp"),
        ({"sending_municipality": "1430"}, ("body", "sending_municipality"), "egna kommunen"),
        ({"sending_municipality": "9999"}, ("body", "sending_municipality"), "kommun"),
        (
            {"received_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            ("body", "received_on"),
            "framtiden",
        ),
        (
            {"person": {"first_name": "A", "last_name": "B", "personal_identity_number": "1"}},
            ("body", "person", "personal_identity_number"),
            "giltigt personnummer",
        ),
        (
            {"person": {"first_name": "A", "last_name": "B"}},
            ("body", "person", "reserve_reason"),
            "reservidentitet",
        ),
        ({"unit": 999999}, ("body", "unit"), "enheter"),
        # Caught by the schema, still in Swedish and under the same field names.
        ({"target_groups": ["made_up"]}, ("body", "target_groups", 0), "Tillåtna värden"),
        ({"received_on": "31/12/2026"}, ("body", "received_on"), "ÅÅÅÅ-MM-DD"),
        ({"sending_municipality": "Stockholm"}, ("body", "sending_municipality"), "form"),
        ({"surprise": 1}, ("body", "surprise"), "Okänt fält"),
        ({"person": {"last_name": "B"}}, ("body", "person", "first_name"), "måste anges"),
        (
            {
                "interventions": [
                    {
                        "kind": "care",
                        "decided_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
                    }
                ]
            },
            ("body", "interventions"),
            "framtiden",
        ),
        (
            {
                "interventions": [
                    {"kind": "care", "decided_on": "2026-03-01", "needed_until": "2026-02-01"}
                ]
            },
            ("body", "interventions"),
            "före beslutsdatumet",
        ),
        (
            {"interventions": [{"kind": "care", "legal_basis": "x" * 201}]},
            ("body", "interventions", 0, "legal_basis"),
            "200",
        ),
    ],
)
def test_invalid_input_is_422_with_swedish_field_errors_and_nothing_saved(
    world, api_as, overrides, loc, words
):
    before = _counts()
    response = api_as(world.worker_a).post(CASES, intake_body(**overrides))
    assert response.status_code == 422, response.content
    errors = _errors(response)
    assert loc in errors, errors
    assert words in errors[loc]
    assert _counts() == before


def test_an_invalid_identity_number_is_never_echoed_back(world, api_as):
    body = intake_body()
    body["person"]["personal_identity_number"] = "19900101-0018"
    response = api_as(world.worker_a).post(CASES, body)
    assert response.status_code == 422
    assert b"0018" not in response.content


def test_a_body_that_is_not_json_is_422(world, api_as):
    client = api_as(world.worker_a)
    response = client.client.post(
        CASES, "{not json", content_type="application/json", **client.headers
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]


def test_a_second_open_case_for_the_same_person_is_409_until_confirmed(world, api_as):
    client = api_as(world.worker_a)
    body = intake_body()
    first = client.post(CASES, body)
    assert first.status_code == 201
    response = client.post(CASES, body)
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "open_case_exists"
    assert "redan ett öppet ärende" in data["detail"]
    assert data["cases"] == [{"id": first.json()["id"], "reference": first.json()["reference"]}]
    assert Case.objects.count() == 1

    assert client.post(CASES, {**body, "allow_open_case": True}).status_code == 201
    assert Case.objects.count() == 2


def test_the_409_does_not_show_another_units_case(world, api_as):
    number = identity_number()
    make_case(world.worker_b, personal_identity_number=number)
    body = intake_body()
    body["person"]["personal_identity_number"] = number
    response = api_as(world.worker_a).post(CASES, body)
    assert response.status_code == 409
    assert response.json()["cases"] == []


def test_analysts_and_administrators_may_not_use_case_endpoints(world, api_as):
    case = make_case(world.worker_a)
    for user in (world.analyst, world.admin):
        client = api_as(user)
        assert client.post(CASES, intake_body()).status_code == 403
        assert client.get(CASES).status_code == 403
        assert client.get(f"{CASES}/{case.pk}").status_code == 403
        assert client.post(f"{CASES}/search", {"identity_number": "x"}).status_code == 403
        assert client.get(f"{CASES}/{case.pk}/journal").status_code == 403
    assert Case.objects.count() == 1


# --- List and search --------------------------------------------------------------------------


def test_the_list_shows_own_units_cases_and_logs_each_hit(world, api_as):
    mine = make_case(world.worker_a)
    make_case(world.worker_b)
    response = api_as(world.worker_a).get(CASES)
    assert response.status_code == 200
    data = response.json()
    assert [item["id"] for item in data["items"]] == [mine.pk]
    assert data["count"] == 1 and data["page"] == 1
    assert (
        "identity" not in data["items"][0]["person"] or not data["items"][0]["person"]["identity"]
    )
    hits = AuditEvent.objects.filter(action="search", case_id=mine.pk)
    assert hits.count() == 1
    assert hits.get().channel == "api"


def test_each_listed_case_shows_its_own_target_groups_in_the_order_recorded(world, api_as):
    two = make_case(world.worker_a, target_groups=("other", "newly_arrived"))
    one = make_case(world.worker_a, target_groups=("structurally_homeless",))
    client = api_as(world.worker_a)
    listed = {item["id"]: item for item in client.get(CASES).json()["items"]}
    for case, codes in ((two, ["other", "newly_arrived"]), (one, ["structurally_homeless"])):
        assert [group["code"] for group in listed[case.pk]["target_groups"]] == codes
        detail = client.get(f"{CASES}/{case.pk}").json()
        assert [group["code"] for group in detail["target_groups"]] == codes
    found = client.get(CASES, {"q": one.reference}).json()["items"]
    assert [[group["code"] for group in item["target_groups"]] for item in found] == [
        ["structurally_homeless"]
    ]


def test_the_list_filters(world, api_as):
    homeless = make_case(world.worker_a, target_groups=("structurally_homeless",))
    from_goteborg = make_case(world.worker_a, sending_municipality_code="1480")
    unassigned = make_case(world.manager, assigned_to_id=None)
    Case.objects.filter(pk=unassigned.pk).update(assigned_to=None)
    named = make_case(world.worker_a, first_name="Zelda", last_name="Unik")
    client = api_as(world.worker_a)

    def ids(**params):
        response = client.get(CASES, params)
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["items"]}

    assert ids(target_group="structurally_homeless") == {homeless.pk}
    assert ids(sending_municipality="1480") == {from_goteborg.pk}
    assert ids(assigned_to="none") == {unassigned.pk}
    assert unassigned.pk not in ids(assigned_to="me")
    assert ids(q="Zelda") == {named.pk}
    assert ids(q=named.reference) == {named.pk}
    assert len(ids(status="registered")) == 4
    assert ids(status="closed") == set()


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nonsense"},
        {"page": 0},
        {"sending_municipality": "abc"},
        {"assigned_to": "x"},
        {"assigned_to": "99999999999999999999"},
    ],
)
def test_bad_list_filters_are_422(world, api_as, params):
    response = api_as(world.worker_a).get(CASES, params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


def test_a_user_id_too_large_for_the_database_finds_no_case(world):
    make_case(world.worker_a)
    page = selectors.case_list(
        user=world.worker_a, filters=selectors.CaseFilters(assigned_to="9" * 20)
    )
    assert list(page.object_list) == []


def test_an_identity_number_in_the_query_string_is_refused(world, api_as):
    response = api_as(world.worker_a).get(CASES, {"q": "19900101-0017"})
    assert response.status_code == 422
    assert "POST /api/v1/cases/search" in response.json()["detail"][0]["msg"]


def test_the_list_hides_the_sending_municipality_of_protected_persons(world, api_as):
    make_case(world.worker_a, protected_identity=True)
    item = api_as(world.worker_a).get(CASES).json()["items"][0]
    assert item["person"]["protected_identity"] is True
    assert item["sending_municipality"] is None


def test_search_by_identity_number_is_a_post_and_logs_the_hit(world, api_as):
    number = identity_number()
    case = make_case(world.worker_a, personal_identity_number=number)
    make_case(world.worker_a)
    response = api_as(world.worker_a).post(f"{CASES}/search", {"identity_number": number})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [case.pk]
    assert AuditEvent.objects.filter(action="search", case_id=case.pk, channel="api").exists()


def test_search_with_an_invalid_number_is_422(world, api_as):
    response = api_as(world.worker_a).post(f"{CASES}/search", {"identity_number": "12345"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "identity_number"]


def test_search_does_not_find_another_units_cases(world, api_as):
    number = identity_number()
    make_case(world.worker_b, personal_identity_number=number)
    response = api_as(world.worker_a).post(f"{CASES}/search", {"identity_number": number})
    assert response.json()["items"] == []


# --- The case ---------------------------------------------------------------------------------


def test_the_case_is_returned_and_the_read_logged(world, api_as):
    case = make_case(world.worker_a)
    response = api_as(world.worker_a).get(f"{CASES}/{case.pk}")
    assert response.status_code == 200
    assert response.json()["reference"] == case.reference
    read = AuditEvent.objects.get(action="read", object_type="case", object_id=str(case.pk))
    assert read.channel == "api" and read.actor == world.worker_a


def test_another_units_case_is_404_like_a_missing_one(world, api_as):
    case = make_case(world.worker_b)
    client = api_as(world.worker_a)
    other = client.get(f"{CASES}/{case.pk}")
    missing = client.get(f"{CASES}/{case.pk + 1000}")
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    assert client.get(f"{CASES}/{case.pk}/journal").status_code == 404
    assert client.post(f"{CASES}/{case.pk}/journal", {"text": "x"}).status_code == 404
    assert not AuditEvent.objects.filter(action="read", case_id=case.pk).exists()


def test_a_protected_persons_contact_details_are_never_returned(world, api_as):
    from motverka.people.services import PersonInput

    protected = make_case(
        world.worker_a,
        person=PersonInput(
            first_name="Skyddad",
            last_name="Person",
            personal_identity_number=identity_number(),
            protected_identity=True,
            phone="070-1234567",
        ),
    )
    data = api_as(world.worker_a).get(f"{CASES}/{protected.pk}").json()
    assert data["person"]["protected_identity"] is True
    assert data["person"]["phone"] is None
    assert data["receiving_municipality"] is None
    assert b"070-1234567" not in api_as(world.worker_a).get(f"{CASES}/{protected.pk}").content


# --- Journal ----------------------------------------------------------------------------------


def test_journal_entries_are_written_listed_and_signed(world, api_as):
    case = make_case(world.worker_a)
    client = api_as(world.worker_a)
    response = client.post(f"{CASES}/{case.pk}/journal", {"text": "Samtal med den enskilde."})
    assert response.status_code == 201, response.content
    entry = response.json()
    assert entry["signed"] is False
    assert entry["entry_date"] == timezone.localdate().isoformat()

    listed = client.get(f"{CASES}/{case.pk}/journal").json()
    assert [row["id"] for row in listed] == [entry["id"]]

    signed = client.post(f"/api/v1/journal/{entry['id']}/sign")
    assert signed.status_code == 200
    assert signed.json()["signed"] is True
    again = client.post(f"/api/v1/journal/{entry['id']}/sign")
    assert again.status_code == 409
    assert again.json()["code"] == "entry_signed"


def test_an_empty_journal_entry_is_422_in_swedish(world, api_as):
    case = make_case(world.worker_a)
    response = api_as(world.worker_a).post(f"{CASES}/{case.pk}/journal", {"text": "  "})
    assert response.status_code == 422
    assert _errors(response)[("body", "text")] == "Skriv en anteckning."


def test_another_units_journal_entry_cannot_be_signed(world, api_as):
    case = make_case(world.worker_b)
    response = api_as(world.worker_b).post(f"{CASES}/{case.pk}/journal", {"text": "Utkast."})
    entry_id = response.json()["id"]
    assert api_as(world.worker_a).post(f"/api/v1/journal/{entry_id}/sign").status_code == 404


def test_the_list_costs_the_same_number_of_queries_for_more_cases(world, api_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(world.worker_a)
    make_case(world.worker_a)
    client.get(CASES)  # warm up: token lookup writes last_used_at once a minute

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(CASES).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(5):
        make_case(world.worker_a, target_groups=("newly_arrived", "other"))
    assert queries() == few
