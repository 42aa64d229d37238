"""The API's Idempotency-Key: the same request again is answered as before and creates
nothing; the key with another request is a 422; concurrent duplicates create once."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from motverka.accounts.models import Role
from motverka.api.services import api_token_create
from motverka.cases.models import Case, JournalEntry
from motverka.integrity.models import IdempotentRequest
from motverka.people.models import Person
from tests.api.test_cases import CASES, intake_body
from tests.factories import make_case, make_unit, make_user
from tests.integrity.helpers import run_concurrently


def _post(client, path, body, key=None):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(path, body, **extra)


def test_the_same_key_and_body_returns_the_first_answer_and_creates_nothing(world, api_as):
    client = api_as(world.worker_a)
    body = intake_body()
    first = _post(client, CASES, body, "nyckel-1")
    again = _post(client, CASES, body, "nyckel-1")

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1
    assert Person.objects.count() == 1


def test_the_same_key_with_another_body_is_a_swedish_422(world, api_as):
    client = api_as(world.worker_a)
    assert _post(client, CASES, intake_body(), "nyckel-2").status_code == 201
    response = _post(client, CASES, intake_body(), "nyckel-2")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert "redan använts" in response.json()["detail"]
    assert Case.objects.count() == 1


def test_the_same_key_on_another_endpoint_is_a_422(world, api_as):
    client = api_as(world.worker_a)
    case = make_case(world.worker_a, world.unit_a)
    assert _post(client, CASES, intake_body(), "nyckel-3").status_code == 201
    journal = {"text": "Anteckning", "entry_date": timezone.localdate().isoformat()}
    response = _post(client, f"{CASES}/{case.pk}/journal", journal, "nyckel-3")
    assert response.status_code == 422
    assert not JournalEntry.objects.exists()


def test_keys_count_per_token(world, api_as):
    body = intake_body(allow_open_case=True)
    assert _post(api_as(world.worker_a), CASES, body, "delad").status_code == 201
    assert _post(api_as(world.worker_a), CASES, body, "delad").status_code == 201
    assert Case.objects.count() == 2


def test_a_refused_request_releases_its_key(world, api_as):
    client = api_as(world.worker_a)
    body = intake_body()
    bad = {**body, "target_groups": []}
    assert _post(client, CASES, bad, "nyckel-4").status_code == 422
    assert not IdempotentRequest.objects.exists()
    assert _post(client, CASES, body, "nyckel-4").status_code == 201


def test_a_key_is_kept_for_24_hours(world, api_as):
    client = api_as(world.worker_a)
    body = intake_body(allow_open_case=True)
    assert _post(client, CASES, body, "nyckel-5").status_code == 201
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(hours=23))
    assert _post(client, CASES, body, "nyckel-5")["Idempotent-Replayed"] == "true"
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert not _post(client, CASES, body, "nyckel-5").has_header("Idempotent-Replayed")
    assert Case.objects.count() == 2


@pytest.mark.parametrize("key", ["", "å" * 3, "x" * 256, "rad\tbrytning"])
def test_a_malformed_key_is_a_422(world, api_as, key):
    response = _post(api_as(world.worker_a), CASES, intake_body(), key)
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key"
    assert not Case.objects.exists()


def test_a_journal_entry_with_a_key_is_written_once(world, api_as):
    client = api_as(world.worker_a)
    case = make_case(world.worker_a, world.unit_a)
    body = {"text": "Samtal", "entry_date": timezone.localdate().isoformat()}
    first = _post(client, f"{CASES}/{case.pk}/journal", body, "journal-1")
    again = _post(client, f"{CASES}/{case.pk}/journal", body, "journal-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert JournalEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_number", [True, False], ids=["identity-number", "reserve-identity"])
def test_concurrent_requests_with_one_key_create_once(with_number):
    unit = make_unit("Samtidig nyckel")
    user = make_user(Role.CASE_WORKER, [unit])
    _row, token = api_token_create(acting_user=None, user=user, name="test")
    body = intake_body()
    if not with_number:
        body["person"] = {
            "first_name": "Rut",
            "last_name": "Reservsson",
            "reserve_reason": "Okänt personnummer",
        }
    payload = json.dumps(body)

    def send(_index: int):
        return Client().post(
            CASES,
            payload,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_IDEMPOTENCY_KEY="samma-nyckel",
        )

    responses = run_concurrently(6, send)

    assert [getattr(r, "status_code", r) for r in responses] == [201] * 6
    assert len({r.content for r in responses}) == 1
    assert Case.objects.count() == 1
    assert Person.objects.count() == 1
