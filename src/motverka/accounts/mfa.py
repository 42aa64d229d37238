"""The second factor: TOTP authenticator apps and single-use backup codes (django-otp).

A session is *strongly authenticated* when django-otp has verified a device in it, or
when a single sign-on login put ``motverka_strong_auth`` in it (the identity provider
asserted strong authentication, e.g. SITHS or Freja eID+). With ``MOTVERKA_MFA=off``
(the demo) nobody is asked for a second factor.
"""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from motverka.accounts.models import SessionEndReason, User
from motverka.accounts.sessions import sessions_end_for_user
from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record

#: Set by a single sign-on login when the identity provider asserted strong authentication;
#: the value names the protocol ("saml", "oidc"). The MFA gate treats it as verified.
STRONG_AUTH_SESSION_KEY = "motverka_strong_auth"
BACKUP_DEVICE_NAME = "Reservkoder"
AUTHENTICATOR_NAME = "Autentiseringsapp"


def mfa_required() -> bool:
    return settings.MOTVERKA_MFA != "off"


def session_strongly_authenticated(request: HttpRequest) -> bool:
    user = request.user
    if getattr(user, "is_verified", None) and user.is_verified():  # type: ignore[union-attr]
        return True
    return bool(request.session.get(STRONG_AUTH_SESSION_KEY))


def authenticators_for(user: User) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.devices_for_user(user, confirmed=True))


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def enrolment_device(user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator being enrolled (made on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def manual_secret(device: TOTPDevice) -> str:
    """The secret as an authenticator app expects it typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG (no image request, no script)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=5, border=2))


def _clean(token: str) -> str:
    return "".join(token.split()).replace("-", "")


def _new_backup_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.MOTVERKA_MFA_BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def mfa_enrolment_confirm(*, acting_user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm an authenticator with a code it shows. With the user's first authenticator
    comes a fresh set of backup codes, returned so the page can show them — once: no page
    shows them again."""
    if device.user_id != acting_user.pk or device.confirmed:
        raise ValidationError({"token": [_("Registreringen har gått ut. Börja om.")]})
    if not device.verify_token(_clean(token)):
        raise ValidationError(
            {"token": [_("Koden stämmer inte. Kontrollera klockan i telefonen och försök igen.")]}
        )
    first = not has_authenticator(acting_user)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_backup_codes(acting_user) if first else []
    audit_record(
        actor=acting_user,
        action=AuditAction.MFA_ENROL,
        object_type="user",
        object_id=acting_user.pk,
        detail=_("autentiseringsapp registrerad")
        + (_(" och reservkoder skapade") if first else ""),
    )
    return codes


@transaction.atomic
def backup_codes_renew(*, acting_user: User) -> list[str]:
    """New backup codes for the user; the old ones stop working."""
    if not has_authenticator(acting_user):
        raise ValidationError(_("Registrera en autentiseringsapp först."))
    codes = _new_backup_codes(acting_user)
    audit_record(
        actor=acting_user,
        action=AuditAction.MFA_ENROL,
        object_type="user",
        object_id=acting_user.pk,
        detail=_("nya reservkoder"),
    )
    return codes


def mfa_verify(*, user: User, token: str) -> Any | None:
    """The confirmed device (authenticator or backup code) the code belongs to, or None.

    A backup code is used up by a match; a TOTP code cannot be used twice.
    """
    token = _clean(token)
    if not token or len(token) > 16:
        return None
    return match_token(user, token)


@transaction.atomic
def mfa_failure_record(*, user: User) -> None:
    audit_record(actor=user, action=AuditAction.MFA_FAILED, object_type="user", object_id=user.pk)


@transaction.atomic
def authenticator_remove(*, acting_user: User, device: TOTPDevice) -> None:
    """Remove one of the user's own authenticators — never the last one."""
    if device.user_id != acting_user.pk:
        raise ValidationError(_("Det är inte din autentiseringsapp."))
    if device.confirmed and len(authenticators_for(acting_user)) <= 1:
        raise ValidationError(
            _(
                "Du kan inte ta bort din enda autentiseringsapp. Registrera en ny först, "
                "eller be systemförvaltaren återställa tvåfaktorsinloggningen."
            )
        )
    device.delete()
    audit_record(
        actor=acting_user,
        action=AuditAction.MFA_RESET,
        object_type="user",
        object_id=acting_user.pk,
        detail=_("en autentiseringsapp borttagen av användaren"),
    )


@transaction.atomic
def mfa_reset(*, acting_user: User | None, user: User) -> None:
    """An administrator removes every factor of a user (a lost phone): the user enrols
    anew at the next login, and all of the user's sessions end now."""
    if acting_user is not None and acting_user.pk == user.pk:
        raise ValidationError(_("Du kan inte återställa din egen tvåfaktorsinloggning."))
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    audit_record(
        actor=acting_user,
        action=AuditAction.MFA_RESET,
        object_type="user",
        object_id=user.pk,
        detail=_("alla faktorer för %(username)s borttagna") % {"username": user.username},
    )
    sessions_end_for_user(acting_user=acting_user, user=user, reason=SessionEndReason.ADMINISTRATOR)
