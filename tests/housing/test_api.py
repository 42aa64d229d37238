"""The housing endpoints of the JSON API: same access layer, audit and error shapes."""

from __future__ import annotations

import json
from datetime import timedelta

from motverka.audit.models import AuditEvent
from motverka.housing.models import HomeVisit, Housing, Landlord
from motverka.workflow.deadlines import DeadlineKind
from motverka.workflow.models import Deadline
from motverka.workflow.policy import ConsentStatus
from tests.api_client import ApiClient
from tests.factories import identity_number
from tests.housing.helpers import (
    ADDRESS,
    confirmed,
    home_visit_consent,
    housing,
    landlord,
    new_case,
    organisations,
    private_landlord,
    today,
)

API = "/api/v1"


def put(client, path, data):
    """PUT with the ETag of a read just before (If-Match is required)."""
    tag = client.get(path).get("ETag", "")
    return client.client.put(
        path,
        json.dumps(data, default=str),
        content_type="application/json",
        HTTP_IF_MATCH=tag,
        **client.headers,
    )


def test_housing_round_trip_with_the_rent_end_follow_up(world, api_as):
    case = new_case(world.worker_a)
    owner = landlord(world.worker_a)
    client = api_as(world.worker_a)
    end = today() + timedelta(days=40)
    response = put(
        client,
        f"{API}/cases/{case.pk}/housing",
        {
            "address": ADDRESS,
            "lease_type": "first_hand",
            "arranged_by": "sending_municipality",
            "monthly_rent": 7800,
            "rooms": 2,
            "area_m2": "48.5",
            "landlord_id": owner.pk,
            "rent_paid_months": 2,
            "rent_paid_until": end.isoformat(),
        },
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["housing"]["address"] == ADDRESS
    assert data["housing"]["lease_type"] == {"code": "first_hand", "label": "Förstahandskontrakt"}
    assert data["housing"]["landlord"]["id"] == owner.pk
    assert data["space"]["persons"] == 2 and data["space"]["children"] == 1
    assert Deadline.objects.get(case=case, kind=DeadlineKind.RENT_END_FOLLOW_UP).source_date == end
    assert client.get(f"{API}/cases/{case.pk}/housing").json()["housing"]["rooms"] == 2


def test_bad_housing_input_is_422_with_swedish_field_errors_and_nothing_saved(world, api_as):
    case = new_case(world.worker_a)
    client = api_as(world.worker_a)
    response = put(
        client,
        f"{API}/cases/{case.pk}/housing",
        {"monthly_rent": -5, "rooms": 0, "landlord_id": 999_999},
    )
    assert response.status_code == 422
    locations = {tuple(error["loc"]) for error in response.json()["detail"]}
    assert {("body", "monthly_rent"), ("body", "rooms"), ("body", "landlord_id")} <= locations
    assert not Housing.objects.exists()
    unknown = put(client, f"{API}/cases/{case.pk}/housing", {"lease_type": "villa"})
    assert unknown.status_code == 422
    assert "Tillåtna värden" in unknown.json()["detail"][0]["msg"]


def test_a_protected_address_never_leaves_through_the_api(world, api_as):
    case = new_case(world.worker_a, protected_identity=True)
    owner = landlord(world.worker_a)
    client = api_as(world.worker_a)
    response = put(
        client,
        f"{API}/cases/{case.pk}/housing",
        {"address": ADDRESS, "rooms": 2, "landlord_id": owner.pk},
    )
    assert response.status_code == 200
    for body in (
        response.content,
        client.get(f"{API}/cases/{case.pk}/housing").content,
        client.get(f"{API}/landlords/{owner.pk}").content,
        client.get(f"{API}/landlords").content,
    ):
        assert b"Storgatan" not in body
    data = response.json()["housing"]
    assert data["address"] is None and data["address_protected"] is True
    # Saving again without the address keeps it.
    put(client, f"{API}/cases/{case.pk}/housing", {"rooms": 3, "landlord_id": owner.pk})
    assert Housing.objects.get(case=case).address == ADDRESS


def test_home_visit_consent_gate_through_the_api(world, api_as):
    case = confirmed(world.worker_a)
    client = api_as(world.worker_a)
    visit = {
        "performed_on": today().isoformat(),
        "assessment": "unsuitable",
        "participants": "Handläggare",
        "condition": "Trångt.",
        "advised_to_seek_housing": True,
        "advised_on": today().isoformat(),
    }
    plan = client.post(f"{API}/cases/{case.pk}/home-visits", {"planned_on": today().isoformat()})
    assert plan.status_code == 409 and plan.json()["code"] == "consent_missing"
    refused = client.post(f"{API}/cases/{case.pk}/home-visits/performed", visit)
    assert refused.status_code == 409 and refused.json()["code"] == "consent_missing"
    assert not HomeVisit.objects.exists()

    home_visit_consent(case, world.worker_a)
    plan = client.post(f"{API}/cases/{case.pk}/home-visits", {"planned_on": today().isoformat()})
    assert plan.status_code == 201
    no_advice = client.post(
        f"{API}/cases/{case.pk}/home-visits/performed",
        {**visit, "advised_to_seek_housing": False, "visit_id": plan.json()["id"]},
    )
    assert no_advice.status_code == 422
    assert no_advice.json()["detail"][0]["loc"] == ["body", "advised_to_seek_housing"]

    home_visit_consent(case, world.worker_a, ConsentStatus.WITHDRAWN)
    withdrawn = client.post(
        f"{API}/cases/{case.pk}/home-visits/performed", {**visit, "visit_id": plan.json()["id"]}
    )
    assert withdrawn.status_code == 409 and withdrawn.json()["code"] == "consent_missing"

    home_visit_consent(case, world.worker_a)
    done = client.post(
        f"{API}/cases/{case.pk}/home-visits/performed", {**visit, "visit_id": plan.json()["id"]}
    )
    assert done.status_code == 201, done.content
    assert done.json()["status"]["code"] == "performed"
    assert done.json()["space"]["persons"] == 2
    listed = client.get(f"{API}/cases/{case.pk}/home-visits").json()
    assert [row["id"] for row in listed] == [plan.json()["id"]]


def test_personal_account_and_child_view_through_the_api(world, api_as):
    case = new_case(world.worker_a)
    client = api_as(world.worker_a)
    body = {"wish_to_move": "no", "knew_destination": "unclear", "free_text": "Ville inte."}
    early = client.post(f"{API}/cases/{case.pk}/personal-accounts", body)
    assert early.status_code == 409 and early.json()["code"] == "wrong_status"

    case = confirmed(world.worker_a)
    first = client.post(f"{API}/cases/{case.pk}/personal-accounts", body)
    assert first.status_code == 201 and first.json()["version"] == 1
    second = client.post(f"{API}/cases/{case.pk}/personal-accounts", body)
    assert second.json()["version"] == 2
    assert [
        row["version"] for row in client.get(f"{API}/cases/{case.pk}/personal-accounts").json()
    ] == [2, 1]

    child = case.household.get()
    view = client.post(
        f"{API}/cases/{case.pk}/child-views",
        {"member_id": child.pk, "heard_by": "custodian", "view": "Saknar skolan."},
    )
    assert view.status_code == 201 and view.json()["child_name"] == "Bror"
    wrong = client.post(
        f"{API}/cases/{case.pk}/child-views",
        {"member_id": 999_999, "heard_by": "child", "view": "x"},
    )
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["body", "member_id"]


def test_the_register_comes_a_page_at_a_time(world, api_as, settings):
    settings.MOTVERKA_PAGE_SIZE = 2
    first, second, third = organisations(world.worker_a, 3)
    client = api_as(world.worker_b)
    page = client.get(f"{API}/landlords").json()
    assert (page["count"], page["pages"], page["has_next"]) == (3, 2, True)
    assert [row["id"] for row in page["items"]] == [first.pk, second.pk]
    page = client.get(f"{API}/landlords", {"page": 2}).json()
    assert [row["id"] for row in page["items"]] == [third.pk] and page["has_next"] is False
    assert client.get(f"{API}/landlords", {"page": 0}).status_code == 422


def test_landlord_register_validation_conflict_and_masking(world, api_as):
    client = api_as(world.worker_a)
    bad = client.post(
        f"{API}/landlords",
        {"kind": "organisation", "name": "Fel AB", "organisation_number": "556016-0681"},
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "organisation_number"]
    good = client.post(
        f"{API}/landlords",
        {"kind": "organisation", "name": "Rätt AB", "organisation_number": "556016-0680"},
    )
    assert good.status_code == 201 and good.json()["number"] == "556016-0680"
    again = client.post(
        f"{API}/landlords",
        {"kind": "organisation", "name": "Samma AB", "organisation_number": "5560160680"},
    )
    assert again.status_code == 409
    assert again.json()["code"] == "landlord_exists"
    assert again.json()["landlord_id"] == good.json()["id"]

    number = identity_number()
    person = client.post(
        f"{API}/landlords",
        {"kind": "private_person", "name": "Per Privat", "personal_identity_number": number},
    )
    assert person.status_code == 201
    listing = client.get(f"{API}/landlords").content.decode()
    assert number not in listing and f"{number[:8]}-XXXX" in listing
    detail = client.get(f"{API}/landlords/{person.json()['id']}").json()
    assert detail["number"] == f"{number[:8]}-{number[8:]}"
    assert all(number not in row.detail for row in AuditEvent.objects.all())


def test_landlord_detail_counts_for_managers_only_and_the_letter(world, api_as):
    owner = landlord(world.worker_a)
    for offset, user in ((0, world.worker_a), (1, world.worker_b), (2, world.worker_a)):
        case = confirmed(user, received_on=today() - timedelta(days=offset))
        housing(case, user, landlord_id=owner.pk)
    worker = api_as(world.worker_a).get(f"{API}/landlords/{owner.pk}").json()
    assert worker["signal"]["flagged"] is True
    assert len(worker["cases"]) == 2 and worker["statistics"] is None
    manager = api_as(world.manager).get(f"{API}/landlords/{owner.pk}").json()
    assert manager["statistics"]["cases"] == 3
    assert manager["statistics"]["first_month"] == (today() - timedelta(days=2)).strftime("%Y-%m")

    letter = api_as(world.worker_a).post(f"{API}/cases/{worker['cases'][0]['id']}/landlord-letter")
    assert letter.status_code == 201
    assert letter.json()["kind"]["code"] == "landlord_letter"
    assert letter.json()["recipient_name"] == owner.name


def test_a_protected_persons_sending_municipality_never_leaves_through_the_landlord_api(
    world, api_as
):
    owner = landlord(world.worker_a)
    protected = new_case(world.worker_a, protected_identity=True, sending_municipality_code="2584")
    housing(protected, world.worker_a, landlord_id=owner.pk)
    housing(new_case(world.worker_a), world.worker_a, landlord_id=owner.pk)
    for user in (world.worker_a, world.manager):
        response = api_as(user).get(f"{API}/landlords/{owner.pk}")
        assert response.status_code == 200
        assert "Kiruna" not in response.content.decode() and "2584" not in response.content.decode()
        rows = {row["id"]: row for row in response.json()["cases"]}
        assert rows[protected.pk]["sending_municipality"] is None
        assert "Stockholm" in {row["sending_municipality"] for row in rows.values()}
    statistics = api_as(world.manager).get(f"{API}/landlords/{owner.pk}").json()["statistics"]
    assert statistics["cases"] == 2
    assert [row["name"] for row in statistics["by_sending_municipality"]] == ["Stockholm"]


def test_searching_landlords_by_identity_number_in_the_query_string_is_refused(world, api_as):
    number = identity_number()
    private_landlord(world.worker_a, number)
    client = api_as(world.worker_a)
    for text in (number, f"{number[:8]}-{number[8:]}", f"Per {number[2:]}"):
        response = client.get(f"{API}/landlords", {"q": text})
        assert response.status_code == 422, text
        assert response.json()["detail"][0]["loc"] == ["query", "q"]
        assert number[8:] not in response.content.decode()
    # An organisation number is not personal data and may be searched for.
    owner = landlord(world.worker_a)
    found = client.get(f"{API}/landlords", {"q": owner.organisation_number})
    assert found.status_code == 200
    assert [row["id"] for row in found.json()["items"]] == [owner.pk]


def test_permission_denied(world, api_as):
    case = confirmed(world.worker_a)
    owner = private_landlord(world.worker_a, identity_number())
    other_unit = api_as(world.worker_b)
    analyst = api_as(world.analyst)
    owner_unit = api_as(world.worker_a)
    before = AuditEvent.objects.exclude(action__in=["read", "search", "denied"]).count()
    for path in (
        f"{API}/cases/{case.pk}/housing",
        f"{API}/cases/{case.pk}/personal-accounts",
        f"{API}/cases/{case.pk}/home-visits",
        f"{API}/cases/{case.pk}/child-views",
    ):
        assert other_unit.get(path).status_code == 404, path
        assert analyst.get(path).status_code == 403, path
    assert put(other_unit, f"{API}/cases/{case.pk}/housing", {"rooms": 2}).status_code == 404
    assert put(analyst, f"{API}/cases/{case.pk}/housing", {"rooms": 2}).status_code == 403
    assert other_unit.post(f"{API}/cases/{case.pk}/landlord-letter").status_code == 404
    assert analyst.get(f"{API}/landlords").status_code == 403
    assert analyst.get(f"{API}/landlords/{owner.pk}").status_code == 403
    assert (
        analyst.post(
            f"{API}/landlords",
            {"kind": "organisation", "name": "X", "organisation_number": "5560160680"},
        ).status_code
        == 403
    )
    assert owner_unit.get(f"{API}/landlords/999999").status_code == 404
    assert AuditEvent.objects.exclude(action__in=["read", "search", "denied"]).count() == before
    assert not Landlord.objects.filter(organisation_number="5560160680").exists()
    assert ApiClient(None).get(f"{API}/landlords").status_code == 401
