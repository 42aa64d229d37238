"""Enrolment at first login, the code step, backup codes and resetting a factor."""

from __future__ import annotations

import base64

from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from motverka.accounts.mfa import mfa_reset
from motverka.accounts.models import UserSession
from motverka.audit.models import AuditAction, AuditEvent
from tests.accounts.helpers import code_login, password_login
from tests.second_factor import (
    SecondFactorClient,
    confirmed_authenticator,
    current_code,
    verify_session,
)


def _secret_from(html: str) -> bytes:
    start = html.index('data-testid="totp-secret">') + len('data-testid="totp-secret">')
    secret = html[start : html.index("</code>", start)].replace(" ", "")
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def _enrol(client: Client) -> list[str]:
    page = client.get(reverse("mfa_enrol"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "otpauth" not in html  # the QR code is drawn, not linked
    device = TOTPDevice.objects.get(confirmed=False)
    assert _secret_from(html) == device.bin_key
    response = client.post(reverse("mfa_enrol"), {"token": current_code(device)})
    assert response.status_code == 200
    return [code.strip() for code in response.context["codes"]]


def test_first_login_enrols_an_authenticator_and_shows_backup_codes_once(world):
    client = Client()
    password_login(client, "worker_a")
    codes = _enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(reverse("start")).status_code == 200
    assert TOTPDevice.objects.get(user=world.worker_a).confirmed
    assert AuditEvent.objects.filter(action=AuditAction.MFA_ENROL, actor=world.worker_a).exists()
    security = client.get(reverse("account_security")).content.decode()
    assert "10 oanvända reservkoder" in security
    assert not any(code in security for code in codes)


def test_a_wrong_enrolment_code_confirms_nothing(world):
    client = Client()
    password_login(client, "worker_a")
    client.get(reverse("mfa_enrol"))
    device = TOTPDevice.objects.get(user=world.worker_a)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa_enrol"), {"token": wrong})
    assert response.status_code == 400
    assert "Koden stämmer inte" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("start")).status_code == 302


def test_login_with_the_app_code_and_with_a_backup_code_used_only_once(world):
    first = Client()
    password_login(first, "worker_a")
    codes = _enrol(first)
    device = TOTPDevice.objects.get(user=world.worker_a)

    second = Client()
    password_login(second, "worker_a")
    assert second.get(reverse("start"))["Location"].startswith(reverse("mfa_verify"))
    response = code_login(second, current_code(device, steps_ahead=1))
    assert response.status_code == 302
    assert second.get(reverse("start")).status_code == 200

    third = Client()
    password_login(third, "worker_a")
    assert code_login(third, codes[0]).status_code == 302
    assert third.get(reverse("start")).status_code == 200
    assert StaticToken.objects.filter(device__user=world.worker_a).count() == 9

    fourth = Client()
    password_login(fourth, "worker_a")
    response = code_login(fourth, codes[0])
    assert response.status_code == 400
    assert fourth.get(reverse("start")).status_code == 302
    assert (
        AuditEvent.objects.filter(action=AuditAction.MFA_FAILED, actor=world.worker_a).count() == 1
    )


def test_a_code_of_another_user_does_not_work(world):
    other = confirmed_authenticator(world.worker_b)
    confirmed_authenticator(world.worker_a)
    client = Client()
    password_login(client, "worker_a")
    assert code_login(client, current_code(other)).status_code == 400
    assert client.get(reverse("start")).status_code == 302


def test_a_user_cannot_remove_the_last_authenticator(client, world):
    client.force_login(world.worker_a)
    device = confirmed_authenticator(world.worker_a)
    response = client.post(reverse("authenticator_remove", args=[device.pk]), follow=True)
    assert "Du kan inte ta bort din enda autentiseringsapp" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    spare = TOTPDevice.objects.create(user=world.worker_a, name="Ny telefon", confirmed=True)
    client.post(reverse("authenticator_remove", args=[device.pk]))
    assert list(TOTPDevice.objects.filter(user=world.worker_a)) == [spare]
    # The session was verified with the removed app: it needs the remaining one now.
    assert client.get(reverse("start"))["Location"].startswith(reverse("mfa_verify"))
    verify_session(client, world.worker_a)
    # Someone else's device is not found at all.
    theirs = confirmed_authenticator(world.worker_b)
    assert client.post(reverse("authenticator_remove", args=[theirs.pk])).status_code == 404


def test_an_administrator_resets_a_factor_in_the_admin_and_it_is_audited(world):
    victim_device = confirmed_authenticator(world.worker_a)
    victim = SecondFactorClient()
    victim.force_login(world.worker_a)
    assert victim.get(reverse("start")).status_code == 200

    admin = SecondFactorClient()
    admin.force_login(world.admin)
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [world.worker_a.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=victim_device.pk).exists()
    row = AuditEvent.objects.get(action=AuditAction.MFA_RESET)
    assert row.actor == world.admin and row.object_id == str(world.worker_a.pk)
    # The reset user's sessions are over; the next login enrols anew.
    assert victim.get(reverse("start"))["Location"].startswith(reverse("login"))
    assert UserSession.objects.filter(user=world.worker_a, ended_at__isnull=True).count() == 0
    fresh = Client()
    password_login(fresh, "worker_a")
    assert fresh.get(reverse("start"))["Location"].startswith(reverse("mfa_enrol"))


def test_an_administrator_cannot_reset_their_own_factor(world):
    import pytest
    from django.core.exceptions import ValidationError

    confirmed_authenticator(world.admin)
    with pytest.raises(ValidationError):
        mfa_reset(acting_user=world.admin, user=world.admin)
    assert TOTPDevice.objects.filter(user=world.admin).exists()


def test_the_device_admin_pages_are_not_a_side_door(world):
    admin = SecondFactorClient()
    admin.force_login(world.admin)
    assert admin.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert admin.get("/admin/otp_static/staticdevice/").status_code == 404
