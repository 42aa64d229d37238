"""A committed write is answered from what it wrote, never turned into a 500.

Each test makes the reads that could follow the commit fail with a DatabaseError and
checks that the answer is still a success and that the write happened exactly once.
"""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest
from django.db import DatabaseError, connection

from motverka.audit.models import AuditEvent
from motverka.cases.models import Case
from motverka.housing.models import Housing, Landlord
from motverka.letters.models import Letter
from tests.factories import make_case, make_intake
from tests.housing.helpers import landlord as make_landlord
from tests.letters.helpers import draft, with_consents

API = "/api/v1"


def _broken(*args: Any, **kwargs: Any) -> Any:
    raise DatabaseError("connection lost after the commit")


def _send(client: Any, method: str, path: str, body: Any, tag: str) -> Any:
    return client.client.generic(
        method,
        path,
        json.dumps(body, default=str),
        content_type="application/json",
        HTTP_IF_MATCH=tag,
        **client.headers,
    )


def test_a_letter_edit_whose_preview_read_fails_is_answered_200(world, api_as):
    user = world.worker_a
    letter = draft(user, with_consents(user, make_case(user)), "transfer_request")
    client = api_as(user)
    tag = client.get(f"{API}/letters/{letter.pk}")["ETag"]
    with mock.patch("motverka.letters.api.services.letter_preview", _broken):
        response = client.client.patch(
            f"{API}/letters/{letter.pk}",
            json.dumps({"body": "Ny text"}),
            content_type="application/json",
            HTTP_IF_MATCH=tag,
            **client.headers,
        )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["body"] == "Ny text"
    assert data["version"] == letter.version + 1
    assert data["preview_sha256"] is None  # left out, not invented
    assert response["ETag"] == f'"letter-{letter.pk}-v{letter.version + 1}"'
    assert Letter.objects.get(pk=letter.pk).body == "Ny text"
    edits = AuditEvent.objects.filter(object_type="letter", object_id=letter.pk, action="update")
    assert edits.filter(detail="utkast ändrat").count() == 2  # the draft helper's and this one


def test_a_housing_save_whose_figures_read_fails_is_answered_200(world, api_as):
    case = make_case(world.worker_a)
    client = api_as(world.worker_a)
    path = f"{API}/cases/{case.pk}/housing"
    tag = client.get(path)["ETag"]
    with mock.patch("motverka.housing.api.selectors.household_size", _broken):
        response = _send(client, "PUT", path, {"rooms": 3}, tag)
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 1
    assert Housing.objects.filter(case=case).count() == 1
    assert Housing.objects.get(case=case).rooms == 3


def test_a_landlord_save_whose_statistics_read_fails_is_answered_200(world, api_as):
    landlord = make_landlord(world.worker_a)
    client = api_as(world.worker_a)
    path = f"{API}/landlords/{landlord.pk}"
    tag = client.get(path)["ETag"]
    with mock.patch("motverka.housing.api.selectors.landlord_statistics", _broken):
        response = _send(client, "PUT", path, {"name": landlord.name, "phone": "08-123 45"}, tag)
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "08-123 45"
    assert response.json()["signal"] is None
    assert Landlord.objects.get(pk=landlord.pk).phone == "08-123 45"


@pytest.mark.django_db(transaction=True)
def test_a_registration_is_answered_from_its_own_transaction(world, api_as):
    intake = make_intake(world.unit_a)
    body = {
        "person": {
            "first_name": intake.person.first_name,
            "last_name": intake.person.last_name,
            "personal_identity_number": intake.person.personal_identity_number,
        },
        "sending_municipality": intake.sending_municipality_code,
        "received_on": intake.received_on.isoformat(),
        "target_groups": list(intake.target_groups),
    }
    client = api_as(world.worker_a)
    seen: list[bool] = []
    from motverka.api import cases as cases_api

    real = cases_api.case_with_workflow

    def answer(case: Case) -> Any:
        seen.append(connection.in_atomic_block)
        return real(case)

    with mock.patch.object(cases_api, "case_with_workflow", answer):
        response = client.post(f"{API}/cases", body)
    assert response.status_code == 201, response.content
    # The answer was read while the registration's transaction was still open: after its
    # commit there is nothing left to read that could fail.
    assert seen == [True]
    assert not connection.in_atomic_block
    assert Case.objects.filter(pk=response.json()["id"]).count() == 1
