"""Writes on API tokens: issuing and revoking. Each is atomic and leaves one audit row
about the token's user (``object_type`` "user"), naming the token by its public prefix —
never the token itself. ``acting_user`` None: a command run on the server, whose ``note``
says so."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motverka.api.models import ApiToken
from motverka.api.tokens import token_generate, token_hash
from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record
from motverka.cases.errors import AccessDenied


def _require_administrator(acting_user: Any) -> None:
    if acting_user is not None and not getattr(acting_user, "is_administrator", False):
        raise AccessDenied


def _with_note(detail: str, note: str) -> str:
    return f"{detail} ({note})" if note else detail


#: A token is a password for a program; one that lives for years is forgotten, not managed.
MAX_VALID_DAYS = 366


@transaction.atomic
def api_token_create(
    *,
    acting_user: Any,
    user: Any,
    name: str = "",
    note: str = "",
    valid_days: int | None = None,
    read_only: bool = False,
) -> tuple[ApiToken, str]:
    """Issue a token for ``user``, valid for ``valid_days`` (default
    MOTVERKA_API_TOKEN_DAYS). Returns the row and the token itself, which is never stored
    and so must be handed over now."""
    _require_administrator(acting_user)
    if not user.is_active:
        raise ValidationError({"user": [_("Användaren är inaktiv och kan inte få en API-nyckel.")]})
    days = settings.MOTVERKA_API_TOKEN_DAYS if valid_days is None else valid_days
    if not 1 <= days <= MAX_VALID_DAYS:
        raise ValidationError(
            {
                "valid_days": [
                    _("Ange en giltighetstid på 1–%(max)s dagar.") % {"max": MAX_VALID_DAYS}
                ]
            }
        )
    new = token_generate()
    row = ApiToken.objects.create(
        user=user,
        name=(name.strip() or _("API-nyckel"))[:100],
        prefix=new.prefix,
        token_hash=token_hash(new.secret_token),
        expires_at=timezone.now() + timedelta(days=days),
        read_only=read_only,
    )
    scope = "endast läsning" if read_only else "läsa och skriva"
    audit_record(
        actor=acting_user,
        action=AuditAction.TOKEN_ISSUE,
        object_type="user",
        object_id=user.pk,
        detail=_with_note(
            _("API-nyckel %(prefix)s (%(name)s), %(scope)s, giltig till %(until)s")
            % {
                "prefix": row.prefix,
                "name": row.name,
                "scope": scope,
                "until": f"{row.expires_at:%Y-%m-%d}",
            },
            note,
        ),
    )
    return row, new.secret_token


@transaction.atomic
def api_token_revoke(*, acting_user: Any, token: ApiToken, note: str = "") -> ApiToken:
    """Revoke a token; from now on it gets 401. Revoking twice changes nothing."""
    _require_administrator(acting_user)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=acting_user,
            action=AuditAction.TOKEN_REVOKE,
            object_type="user",
            object_id=token.user_id,
            detail=_with_note(
                _("API-nyckel %(prefix)s (%(name)s) återkallad")
                % {"prefix": token.prefix, "name": token.name},
                note,
            ),
        )
    return token
