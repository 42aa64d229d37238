"""Making, hashing and checking API tokens.

A token reads ``mvk_<prefix>_<secret>``. The prefix is public and finds the row; the secret
is 256 random bits, so an unsalted SHA-256 of the whole token is enough to make a stolen
database useless for signing in (there is nothing to guess a dictionary against).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from motverka.api.models import ApiToken

TOKEN_MARKER = "mvk"  # noqa: S105 - a public marker, not a secret
PREFIX_BYTES = 6  # 12 hex characters
SECRET_BYTES = 32
# Writing last_used_at on every request would turn every read into a write; a minute's
# precision is plenty for "is this token still in use?".
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    prefix: str
    secret_token: str  # the whole token, shown once


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_generate() -> NewToken:
    prefix = secrets.token_hex(PREFIX_BYTES)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return NewToken(prefix=prefix, secret_token=f"{TOKEN_MARKER}_{prefix}_{secret}")


def token_prefix(token: str) -> str | None:
    """The lookup prefix of a well-formed token, or None."""
    marker, separator, rest = token.partition("_")
    prefix, separator2, secret = rest.partition("_")
    if marker != TOKEN_MARKER or not separator or not separator2 or not secret:
        return None
    if len(prefix) != PREFIX_BYTES * 2:
        return None
    return prefix


def user_for_token(token: str) -> Any | None:
    """The active user a valid, unrevoked token belongs to; None for anything else.

    Records when the token was last used (to the minute).
    """
    prefix = token_prefix(token)
    if prefix is None:
        return None
    row = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if row is None or not hmac.compare_digest(row.token_hash, token_hash(token)):
        return None
    if row.is_revoked or not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
