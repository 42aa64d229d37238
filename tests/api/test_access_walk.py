"""Every API operation × every role: who gets 401, 403, 404 or an answer.

The walk reads the operations from the OpenAPI schema, so an endpoint is checked the day it
is added (a new one needs a request body below). Operations on one case (or on its journal
entry or letter) must answer another unit's case worker with 404 — the same as an id that
does not exist — and write no read of that case to the audit log.
"""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from motverka.api.urls import api
from motverka.audit.models import AuditEvent
from motverka.cases.services import journal_entry_add
from tests.api_client import ApiClient
from tests.factories import identity_number, make_case


def _operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return sorted(
        (method.upper(), path.removeprefix("/api/v1"))
        for path, item in schema["paths"].items()
        for method in item
    )


OPERATIONS = _operations()
CASE_BOUND = re.compile(r"\{(case_id|entry_id|letter_id)\}")
# Needs no case role: pure date arithmetic.
EVERY_USER = {("GET", "/deadline-calculator")}
QUERIES = {("GET", "/deadline-calculator"): "?start=2026-11-30&months=1"}


def _body(method: str, path: str) -> dict | None:
    today = timezone.localdate().isoformat()
    bodies = {
        ("POST", "/cases"): {
            "person": {
                "first_name": "Walk",
                "last_name": "Test",
                "personal_identity_number": identity_number(),
            },
            "sending_municipality": "0180",
            "target_groups": ["other"],
        },
        ("POST", "/cases/search"): {"identity_number": "19121212-1212"},
        ("POST", "/cases/{case_id}/consents"): {
            "scope": "home_visit",
            "status": "given",
            "form": "oral",
        },
        ("POST", "/cases/{case_id}/actions/{action}"): {"reason": "Bekräftad."},
        ("POST", "/cases/{case_id}/journal"): {"text": "Anteckning."},
        ("POST", "/journal/{entry_id}/sign"): {},
        ("POST", "/cases/{case_id}/letters"): {"kind": "person_information"},
        ("PATCH", "/letters/{letter_id}"): {"subject": "Ämne"},
        ("POST", "/letters/{letter_id}/finalise"): {"preview_sha256": "0" * 64},
        ("POST", "/letters/{letter_id}/sent"): {"sent_on": today, "channel": "post"},
        ("PUT", "/cases/{case_id}/housing"): {"rooms": 2, "landlord_id": 1},
        ("POST", "/cases/{case_id}/personal-accounts"): {
            "wish_to_move": "no",
            "knew_destination": "no",
            "free_text": "Ville inte flytta.",
        },
        ("POST", "/cases/{case_id}/child-views"): {
            "member_id": 1,
            "heard_by": "child",
            "view": "Saknar skolan.",
        },
        ("POST", "/cases/{case_id}/home-visits"): {"planned_on": today},
        ("POST", "/cases/{case_id}/home-visits/performed"): {
            "assessment": "suitable",
            "participants": "Handläggare",
            "condition": "Gott skick.",
        },
        ("POST", "/cases/{case_id}/home-visits/{visit_id}/cancel"): {"reason": "Inställt."},
        ("POST", "/cases/{case_id}/landlord-letter"): {},
        ("POST", "/landlords"): {
            "kind": "organisation",
            "name": "Walk AB",
            "organisation_number": "556547-5489",
        },
        ("PUT", "/landlords/{landlord_id}"): {"name": "Bostads AB Exempel"},
        ("POST", "/cases/{case_id}/corrections"): {
            "reason": "Rättat.",
            "indicator_note": "Rättad anteckning.",
        },
    }
    if method == "GET":
        return None
    assert (method, path) in bodies, f"Lägg till en request-kropp för {method} {path}"
    return bodies[(method, path)]


@pytest.fixture
def objects(world):
    from motverka.housing.services import LandlordInput, landlord_register
    from motverka.letters.services import letter_draft_create

    case = make_case(world.worker_a)
    entry = journal_entry_add(
        acting_user=world.worker_a, case=case, entry_date=timezone.localdate(), text="Utkast"
    )
    letter = letter_draft_create(acting_user=world.worker_a, case=case, kind="person_information")
    landlord = landlord_register(
        acting_user=world.worker_a,
        data=LandlordInput(
            kind="organisation", name="Bostads AB Exempel", organisation_number="556016-0680"
        ),
    )
    return {
        "landlord_id": landlord.pk,
        "visit_id": 1,
        "case_id": case.pk,
        "entry_id": entry.pk,
        "letter_id": letter.pk,
        "action": "assess_confirm",
    }


#: Aggregated figures: analysts and case roles, not administrators.
FIGURES = {("GET", "/figures")}


def _request(client: ApiClient, method: str, url: str, body: dict | None):
    if method == "GET":
        return client.get(url)
    if method == "POST":
        return client.post(url, body)
    # PATCH and PUT need the record's ETag (If-Match); the read is the user's own.
    tag = client.get(url).get("ETag", "") if client.headers else ""
    return client.client.generic(
        method,
        url,
        json.dumps(body),
        content_type="application/json",
        HTTP_IF_MATCH=tag,
        **client.headers,
    )


def test_the_walk_finds_the_endpoints():
    assert ("POST", "/cases/{case_id}/actions/{action}") in OPERATIONS
    assert ("GET", "/cases/{case_id}/letters") in OPERATIONS


@pytest.mark.parametrize(
    ("method", "path"), OPERATIONS, ids=[f"{method} {path}" for method, path in OPERATIONS]
)
def test_every_operation_for_every_role(world, api_as, objects, method, path):
    url = "/api/v1" + re.sub(r"\{(\w+)\}", lambda match: str(objects[match[1]]), path)
    url += QUERIES.get((method, path), "")
    body = _body(method, path)
    case_bound = bool(CASE_BOUND.search(path))

    anonymous = _request(ApiClient(None), method, url, body)
    assert anonymous.status_code == 401

    for user in (world.analyst, world.admin):
        status = _request(api_as(user), method, url, body).status_code
        if (method, path) in EVERY_USER or ((method, path) in FIGURES and user == world.analyst):
            assert status == 200
        else:
            assert status == 403, (user.role, status)

    other_unit = _request(api_as(world.worker_b), method, url, body)
    if case_bound:
        assert other_unit.status_code == 404
        assert other_unit.json() == {"detail": "Hittades inte."}
        assert not AuditEvent.objects.filter(
            actor=world.worker_b, case_id=objects["case_id"]
        ).exists()
    else:
        assert other_unit.status_code < 400, other_unit.content

    for user in (world.manager, world.worker_a):
        response = _request(api_as(user), method, url, body)
        # Allowed in: an answer, or a refusal in the case's state, never an access error.
        assert response.status_code in {200, 201, 409, 422}, (user.role, response.content)
        assert response["Content-Type"].startswith("application/json") or method == "GET"


def test_the_schema_and_docs_are_public():
    assert Client().get("/api/v1/openapi.json").status_code == 200
    assert Client().get("/api/v1/docs").status_code == 200
