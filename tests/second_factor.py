"""Signing test users in with both factors.

The suite runs with ``MOTVERKA_MFA=required``, as production does, so every page test
goes through the MFA gate. ``SecondFactorClient.force_login`` (the ``client`` fixture)
gives the user a confirmed authenticator and marks the session verified through
django-otp's own ``login()`` — exactly what the MFA step does after a right code. Tests
of the gate itself use a plain ``django.test.Client``, whose session has the password
alone (see tests/accounts/).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.test import Client
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_authenticator(user: Any) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Testtelefon", confirmed=True)
    return device


def current_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app would show now (or ``steps_ahead`` periods later,
    within the drift django-otp tolerates, for a second login in the same period)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def verify_session(client: Client, user: Any) -> None:
    device = confirmed_authenticator(user)
    session = client.session
    request = HttpRequest()
    request.session = session
    request.user = user
    otp_login(request, device)
    session.save()


class SecondFactorClient(Client):
    def force_login(self, user: Any, backend: str | None = None) -> None:
        super().force_login(user, backend)
        verify_session(self, user)
