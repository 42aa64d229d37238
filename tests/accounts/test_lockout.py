"""Brute force: five failures lock an account and an address, for a while."""

from __future__ import annotations

import re
from datetime import timedelta

from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from motverka.audit.models import AuditAction, AuditEvent
from tests.accounts.helpers import code_login, password_login
from tests.second_factor import SecondFactorClient, confirmed_authenticator, current_code

LOCKED = "För många misslyckade inloggningsförsök"


def _without_csrf(html: bytes) -> bytes:
    return re.sub(rb'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


def _fail(client, username, times, **extra):
    """Wrong passwords; the fifth is the one that locks (and is answered with the lock)."""
    for attempt in range(1, times + 1):
        response = password_login(client, username, "fel-lösenord-123", **extra)
        if attempt < 5:
            assert response.status_code == 200
            assert "Fel användarnamn eller lösenord" in response.content.decode()
        else:
            assert response.status_code == 429


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(world):
    client = Client()
    _fail(client, "worker_a", 4)
    locked = password_login(client, "worker_a", "fel-lösenord-123")
    assert locked.status_code == 429 and LOCKED in locked.content.decode()
    right = password_login(Client(), "worker_a", REMOTE_ADDR="10.9.9.9")
    assert right.status_code == 429
    assert "_auth_user_id" not in Client().session
    assert (
        AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, actor=world.worker_a).count()
        >= 5
    )
    lockouts = AuditEvent.objects.filter(action=AuditAction.LOCKOUT)
    assert [row.actor for row in lockouts] == [world.worker_a]


def test_the_message_is_the_same_for_an_account_that_does_not_exist(world):
    known, unknown = Client(), Client()
    _fail(known, "worker_a", 5, REMOTE_ADDR="10.0.0.1")
    _fail(unknown, "finns_inte", 5, REMOTE_ADDR="10.0.0.2")
    one = password_login(known, "worker_a", REMOTE_ADDR="10.0.0.1")
    other = password_login(unknown, "finns_inte", REMOTE_ADDR="10.0.0.2")
    assert one.status_code == other.status_code == 429
    assert _without_csrf(one.content) == _without_csrf(other.content)
    wrong_user = password_login(Client(), "finns_inte_heller", "x" * 12, REMOTE_ADDR="10.0.0.3")
    wrong_password = password_login(Client(), "worker_b", "x" * 12, REMOTE_ADDR="10.0.0.4")
    assert wrong_user.status_code == wrong_password.status_code == 200
    assert b"Fel anv\xc3\xa4ndarnamn eller l\xc3\xb6senord" in wrong_user.content
    assert b"Fel anv\xc3\xa4ndarnamn eller l\xc3\xb6senord" in wrong_password.content
    unknown_row = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, actor=None).first()
    assert unknown_row is not None and "finns_inte" not in unknown_row.detail


def test_five_failures_from_one_address_lock_that_address_for_every_account(world):
    client = Client()
    for username in ("a1", "a2", "a3", "a4", "a5"):
        password_login(client, username, "fel-lösenord-123", REMOTE_ADDR="10.1.1.1")
    assert password_login(Client(), "worker_b", REMOTE_ADDR="10.1.1.1").status_code == 429
    assert password_login(Client(), "worker_b", REMOTE_ADDR="10.1.1.2").status_code == 302


def test_the_admin_login_is_locked_too(world):
    client = Client()
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "admin", "password": "fel-lösenord-1"})
    response = client.post(
        reverse("admin:login"), {"username": "admin", "password": "test-password-123"}
    )
    assert response.status_code == 429


def test_wrong_codes_count_and_lock_the_second_step(world):
    device = confirmed_authenticator(world.worker_a)
    client = Client()
    password_login(client, "worker_a")
    for _ in range(4):
        assert code_login(client, "000000").status_code in {400}
    locked = code_login(client, "000000")
    assert locked.status_code == 429 and LOCKED in locked.content.decode()
    assert code_login(client, current_code(device)).status_code == 429
    assert client.get(reverse("start")).status_code == 302
    assert (
        AuditEvent.objects.filter(action=AuditAction.MFA_FAILED, actor=world.worker_a).count() == 5
    )
    assert AuditEvent.objects.filter(action=AuditAction.LOCKOUT, actor=world.worker_a).count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).exists()
    # The password step is locked for the account as well now.
    assert password_login(Client(), "worker_a", REMOTE_ADDR="10.2.2.2").status_code == 429


def test_the_lockout_ends_by_itself_after_the_cool_off(world, settings):
    _fail(Client(), "worker_a", 5)
    assert password_login(Client(), "worker_a").status_code == 429
    past = settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - past)
    assert password_login(Client(), "worker_a").status_code == 302


def test_an_administrator_lifts_a_lockout_in_the_admin(world):
    _fail(Client(), "worker_a", 5)
    admin = SecondFactorClient()
    admin.force_login(world.admin)
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "lift_lockout", "_selected_action": [world.worker_a.pk]},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.UNLOCK, actor=world.admin).exists()
    assert password_login(Client(), "worker_a").status_code == 302


def test_the_unlock_command_lifts_an_address_lockout(world, capsys):
    for username in ("a1", "a2", "a3", "a4", "a5"):
        password_login(Client(), username, "fel-lösenord-123", REMOTE_ADDR="10.4.4.4")
    assert password_login(Client(), "worker_b", REMOTE_ADDR="10.4.4.4").status_code == 429
    call_command("unlock", "--address", "10.4.4.4")
    assert "Spärren är hävd" in capsys.readouterr().out
    assert password_login(Client(), "worker_b", REMOTE_ADDR="10.4.4.4").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.UNLOCK, object_id="10.4.4.4").exists()
