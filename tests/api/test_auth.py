"""Signing in to the API with a bearer token: who gets in, who gets a 401."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from motverka.api.models import ApiToken
from motverka.api.services import api_token_create, api_token_revoke
from motverka.api.tokens import token_hash
from motverka.audit.models import AuditEvent
from tests.api_client import ApiClient
from tests.second_factor import SecondFactorClient

URL = "/api/v1/cases"


def test_a_valid_token_gets_in_and_records_when_it_was_used(world, api_as):
    client = api_as(world.worker_a)
    response = client.get(URL)
    assert response.status_code == 200
    assert ApiToken.objects.get(user=world.worker_a).last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer ",
        "Token abc",
        "Basic d29ya2VyX2E6dGVzdA==",
        "Bearer mvk_000000000000_notarealtoken",
        "Bearer not-even-the-right-shape",
    ],
)
def test_a_missing_or_invalid_token_is_401_in_swedish(world, header):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = Client().get(URL, **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "API-nyckel" in response.json()["detail"]


def test_a_token_with_the_right_prefix_but_wrong_secret_is_401(world):
    row, token = api_token_create(acting_user=None, user=world.worker_a)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {forged}").status_code == 401


def test_a_revoked_token_is_401(world):
    row, token = api_token_create(acting_user=None, user=world.worker_a)
    client = ApiClient(token)
    assert client.get(URL).status_code == 200
    api_token_revoke(acting_user=None, token=row)
    assert client.get(URL).status_code == 401


def test_an_inactive_users_token_is_401(world):
    _row, token = api_token_create(acting_user=None, user=world.worker_a)
    world.worker_a.is_active = False
    world.worker_a.save(update_fields=["is_active"])
    assert ApiClient(token).get(URL).status_code == 401


def test_a_browser_session_alone_does_not_open_the_api(world):
    client = Client()
    client.force_login(world.worker_a)
    assert client.get(URL).status_code == 401


def test_only_the_hash_of_the_token_is_stored(world):
    row, token = api_token_create(acting_user=None, user=world.worker_a, name="Integration")
    row.refresh_from_db()
    assert row.token_hash == token_hash(token)
    assert token not in {row.token_hash, row.prefix, row.name}
    assert row.prefix in token
    event = AuditEvent.objects.get(action="token_issue")
    assert (event.object_type, event.object_id) == ("user", str(world.worker_a.pk))
    assert row.prefix in event.detail and token not in event.detail


def test_the_management_command_prints_a_working_token_once(world, capsys):
    call_command("api-token", "worker_a", "--name", "Statistikexport")
    output = capsys.readouterr()
    token = output.out.strip()
    row = ApiToken.objects.get(user=world.worker_a)
    assert row.name == "Statistikexport"
    assert token.startswith("mvk_") and token not in output.err
    assert ApiClient(token).get(URL).status_code == 200

    call_command("api-token", "worker_a", "--revoke", row.prefix)
    assert ApiClient(token).get(URL).status_code == 401
    call_command("api-token", "worker_a", "--list")
    assert "återkallad" in capsys.readouterr().out


def test_an_administrator_can_revoke_tokens_in_the_admin(world):
    row, token = api_token_create(acting_user=None, user=world.worker_a)
    world.admin.is_staff = True
    world.admin.is_superuser = True
    world.admin.save(update_fields=["is_staff", "is_superuser"])
    browser = SecondFactorClient()
    browser.force_login(world.admin)
    listing = browser.get("/admin/api/apitoken/")
    assert listing.status_code == 200
    assert row.prefix.encode() in listing.content and token.encode() not in listing.content
    response = browser.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [row.pk]}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert ApiClient(token).get(URL).status_code == 401
