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


class TokenRejected(Exception):
    """A bearer token that does not sign anyone in; ``reason`` goes to the audit log only."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def token_row_for(token: str) -> ApiToken:
    """The valid, unexpired, unrevoked token row of an active user.

    Raises TokenRejected for anything else; the caller answers every reason with the same
    401, so the reason never reaches the client.
    """
    prefix = token_prefix(token)
    if prefix is None:
        raise TokenRejected("felaktig form")
    row = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if row is None or not hmac.compare_digest(row.token_hash, token_hash(token)):
        raise TokenRejected(f"okänd nyckel {prefix}")
    if row.is_revoked:
        raise TokenRejected(f"återkallad nyckel {prefix}")
    if row.is_expired:
        raise TokenRejected(f"utgången nyckel {prefix}")
    if not row.user.is_active:
        raise TokenRejected(f"inaktiv användare, nyckel {prefix}")
    return row


def token_record_use(row: ApiToken, *, address: str) -> None:
    """Remember when (to the minute) and from where the token was last used."""
    now = timezone.now()
    if (
        row.last_used_at is None
        or now - row.last_used_at >= LAST_USED_PRECISION
        or row.last_used_address != address
    ):
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now, last_used_address=address)
        row.last_used_at, row.last_used_address = now, address
