"""Brute-force protection around django-axes: the Swedish lockout page and unlocking.

Axes counts failed password logins (the login page and /admin/) and failed one-time codes
(the MFA step reports them as failed logins), per account and per client address. The
page says the same whether or not the account exists: axes counts attempts on unknown
usernames too, so a lockout tells nothing about existence.
"""

from __future__ import annotations

from typing import Any

from axes.utils import reset
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record


def cool_off_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return _(
        "För många misslyckade inloggningsförsök. Inloggningen är spärrad i %(minutes)s "
        "minuter. Kontakta systemförvaltaren om du behöver komma in tidigare."
    ) % {"minutes": cool_off_minutes()}


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """What axes answers a locked-out login or code with (429, same text for everyone)."""
    return render(request, "accounts/locked_out.html", {"message": lockout_message()}, status=429)


@transaction.atomic
def lockout_clear(*, acting_user: Any, username: str = "", address: str = "") -> int:
    """Lift a lockout before its time (an administrator's call). Returns how many
    attempt records were removed."""
    username, address = username.strip(), address.strip()
    if not username and not address:
        raise ValidationError(_("Ange ett användarnamn eller en adress."))
    removed = 0
    if username:
        removed += reset(username=username)
    if address:
        removed += reset(ip=address)
    audit_record(
        actor=acting_user,
        action=AuditAction.UNLOCK,
        object_type="lockout",
        object_id=username or address,
        detail=" ".join(part for part in (username, address) if part)[:255],
    )
    return removed
