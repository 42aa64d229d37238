"""Bearer-token authentication for the API; a request gets exactly its user's rights.

Every presented token that signs no one in is an audit row (``token_rejected``); those
rows are also the rate limit: an address with too many of them within the window gets
429 for every token until the window has passed — a valid one too, or the 429 would tell
a guesser which token was right.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from motverka.api.tokens import TokenRejected, token_record_use, token_row_for
from motverka.audit.middleware import client_address
from motverka.audit.models import AuditAction, AuditEvent
from motverka.audit.services import audit_record

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TooManyTokenFailures(Exception):
    """Too many rejected tokens from this address; answered with 429 and Retry-After."""

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(retry_after_seconds)
        self.retry_after_seconds = retry_after_seconds


class ReadOnlyToken(Exception):
    """A read-only token tried to change something; answered with 403."""


def token_retry_after(address: str) -> int | None:
    """Seconds until ``address`` may present tokens again, or None if it may now."""
    window = timedelta(minutes=settings.MOTVERKA_API_TOKEN_WINDOW_MINUTES)
    since = timezone.now() - window
    recent = AuditEvent.objects.filter(
        action=AuditAction.TOKEN_REJECTED, address=address, at__gte=since
    ).order_by("-at")
    limit = settings.MOTVERKA_API_TOKEN_FAILURES
    times = list(recent.values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return None
    # The address may try again when the oldest of the last ``limit`` failures leaves the
    # window.
    remaining = (times[-1] + window - timezone.now()).total_seconds()
    return max(1, math.ceil(remaining))


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``. Anything else (no header, another scheme, an
    unknown, revoked, expired or malformed token, an inactive user) is a 401."""

    def __call__(self, request: HttpRequest) -> Any | None:
        # Ninja's own __call__ logs the whole header when DEBUG is on; a token must never
        # reach a log, so the header is parsed here instead.
        scheme, _separator, token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != self.openapi_scheme or not token.strip():
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        address = client_address(request)
        retry_after = token_retry_after(address)
        if retry_after is not None:
            raise TooManyTokenFailures(retry_after)
        try:
            row = token_row_for(token)
        except TokenRejected as rejection:
            with transaction.atomic():
                audit_record(
                    actor=None,
                    action=AuditAction.TOKEN_REJECTED,
                    object_type="api_token",
                    detail=rejection.reason,
                )
            return None
        if row.read_only and request.method not in SAFE_METHODS:
            raise ReadOnlyToken()
        token_record_use(row, address=address)
        # The session user (if a browser happens to send a cookie) must not count here.
        request.user = row.user
        return row.user
