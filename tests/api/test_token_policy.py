"""API token expiry, read-only scope, last use and the rate limit on rejected tokens."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from motverka.api.models import ApiToken
from motverka.api.services import api_token_create
from motverka.audit.models import AuditAction, AuditEvent
from tests.api_client import ApiClient

URL = "/api/v1/cases"


def test_a_token_expires_after_90_days_by_default_and_then_is_401(world):
    row, token = api_token_create(acting_user=None, user=world.worker_a)
    assert abs(row.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    client = ApiClient(token)
    assert client.get(URL).status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(URL)
    assert response.status_code == 401
    assert "API-nyckel" in response.json()["detail"]
    rejected = AuditEvent.objects.get(action=AuditAction.TOKEN_REJECTED)
    assert rejected.detail == f"utgången nyckel {row.prefix}" and rejected.channel == "api"
    assert token not in rejected.detail


def test_issuing_is_audited_as_token_issue(world):
    row, _token = api_token_create(acting_user=world.admin, user=world.worker_a, valid_days=7)
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_ISSUE)
    # About the user the token is for (the security events page lists it there), naming
    # the token by its public prefix only.
    assert event.actor == world.admin and event.object_type == "user"
    assert event.object_id == str(world.worker_a.pk) and row.prefix in event.detail
    assert abs(row.expires_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)


def test_a_read_only_token_reads_but_cannot_write(world):
    _row, token = api_token_create(acting_user=None, user=world.worker_a, read_only=True)
    client = ApiClient(token)
    assert client.get(URL).status_code == 200
    response = client.post(URL, {})
    assert response.status_code == 403
    assert "bara läsa" in response.json()["detail"]


def test_last_use_and_address_are_recorded(world):
    row, token = api_token_create(acting_user=None, user=world.worker_a)
    ApiClient(token).get(URL, REMOTE_ADDR="192.0.2.10")
    row.refresh_from_db()
    assert row.last_used_address == "192.0.2.10" and row.last_used_at is not None
    ApiClient(token).get(URL, REMOTE_ADDR="192.0.2.11")
    row.refresh_from_db()
    assert row.last_used_address == "192.0.2.11"


def test_the_command_issues_read_only_tokens_with_a_lifetime(world, capsys):
    call_command("api-token", "worker_a", "--days", "30", "--read-only")
    token = capsys.readouterr().out.strip()
    row = ApiToken.objects.get(user=world.worker_a)
    assert row.read_only
    assert abs(row.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert ApiClient(token).post(URL, {}).status_code == 403
    call_command("api-token", "worker_a", "--list")
    assert "endast läsning" in capsys.readouterr().out


def test_a_lifetime_out_of_range_is_refused(world):
    import pytest
    from django.core.exceptions import ValidationError

    for days in (0, -1, 367):
        with pytest.raises(ValidationError):
            api_token_create(acting_user=None, user=world.worker_a, valid_days=days)
    assert not ApiToken.objects.exists()


def test_rejected_tokens_from_one_address_are_rate_limited(world, settings):
    settings.MOTVERKA_API_TOKEN_FAILURES = 3
    _row, good = api_token_create(acting_user=None, user=world.worker_a)
    bad = {"HTTP_AUTHORIZATION": "Bearer mvk_000000000000_guess", "REMOTE_ADDR": "198.51.100.7"}
    for _ in range(3):
        assert Client().get(URL, **bad).status_code == 401
    limited = Client().get(URL, **bad)
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 15 * 60
    assert "För många ogiltiga API-nycklar" in limited.json()["detail"]
    # A right token from that address waits too (or the 429 would confirm a good guess) …
    assert ApiClient(good).get(URL, REMOTE_ADDR="198.51.100.7").status_code == 429
    # … while other addresses are unaffected.
    assert ApiClient(good).get(URL, REMOTE_ADDR="198.51.100.8").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_REJECTED).count() == 3


def test_the_limit_lifts_when_the_window_has_passed(world, settings):
    settings.MOTVERKA_API_TOKEN_FAILURES = 2
    bad = {"HTTP_AUTHORIZATION": "Bearer mvk_000000000000_guess", "REMOTE_ADDR": "198.51.100.9"}
    for _ in range(2):
        Client().get(URL, **bad)
    assert Client().get(URL, **bad).status_code == 429
    settings.MOTVERKA_API_TOKEN_WINDOW_MINUTES = 0  # the audit rows themselves stay as they are
    assert Client().get(URL, **bad).status_code == 401
