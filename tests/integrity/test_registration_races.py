"""Parallel registrations of one new person: one person, one case, and a 409 (API) or the
duplicate warning (UI) for the rest — never a 500."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.test import Client

from motverka.accounts.models import Role
from motverka.api.services import api_token_create
from motverka.audit.models import AuditEvent
from motverka.cases.models import Case
from motverka.people.models import Person
from tests.api.test_cases import CASES, intake_body
from tests.factories import identity_number, make_unit, make_user
from tests.foundation.test_views import intake_post
from tests.integrity.helpers import run_concurrently
from tests.second_factor import SecondFactorClient

THREADS = 6


def _workers(count: int):
    unit = make_unit("Kapplöpning")
    return unit, [
        make_user(Role.CASE_WORKER, [unit], username=f"handlaggare{index}")
        for index in range(count)
    ]


@pytest.mark.django_db(transaction=True)
def test_parallel_api_registrations_of_one_new_number_give_one_person_and_409s():
    _unit, users = _workers(THREADS)
    tokens = [api_token_create(acting_user=None, user=user, name="t")[1] for user in users]
    payload = json.dumps(intake_body())

    def send(index: int):
        return Client().post(
            CASES,
            payload,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {tokens[index]}",
        )

    responses = run_concurrently(THREADS, send)

    statuses = sorted(getattr(r, "status_code", repr(r)) for r in responses)
    assert statuses == [201] + [409] * (THREADS - 1)
    for response in responses:
        if response.status_code == 409:
            assert response.json()["code"] == "open_case_exists"
            assert "öppet ärende" in response.json()["detail"]
    assert Person.objects.count() == 1
    assert Case.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="person", action="create").count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_ui_registrations_of_one_new_number_show_the_duplicate_warning():
    unit, users = _workers(THREADS)
    number = identity_number()

    def send(index: int):
        client = SecondFactorClient()
        client.force_login(users[index])
        return client.post(
            "/arenden/nytt/",
            intake_post(
                SimpleNamespace(unit_a=unit),
                personal_identity_number=number,
                **{"submission_token": f"egen-kod-{index}"},
            ),
        )

    responses = run_concurrently(THREADS, send)

    statuses = sorted(getattr(r, "status_code", repr(r)) for r in responses)
    assert statuses == [302] + [400] * (THREADS - 1)
    for response in responses:
        if response.status_code == 400:
            assert "redan ett öppet ärende" in response.content.decode()
    assert Person.objects.count() == 1
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_reserve_identity_registrations_never_fail_and_get_distinct_identities():
    # Without a number nothing says two requests concern one person: each is a new person,
    # with its own gap-free reserve identity. (A double submit of one form is one person:
    # see the submission-token and Idempotency-Key tests.)
    _unit, users = _workers(THREADS)
    tokens = [api_token_create(acting_user=None, user=user, name="t")[1] for user in users]
    body = intake_body()
    body["person"] = {"first_name": "Rut", "last_name": "Reserv", "reserve_reason": "Okänt"}
    payload = json.dumps(body)

    def send(index: int):
        return Client().post(
            CASES,
            payload,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {tokens[index]}",
        )

    responses = run_concurrently(THREADS, send)

    assert [getattr(r, "status_code", r) for r in responses] == [201] * THREADS
    identities = sorted(Person.objects.values_list("reserve_identity", flat=True))
    assert len(set(identities)) == THREADS
    assert [int(identity.rsplit("-", 1)[1]) for identity in identities] == list(
        range(1, THREADS + 1)
    )
