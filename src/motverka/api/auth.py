"""Bearer-token authentication for the API; a request gets exactly its user's rights."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from motverka.api.tokens import user_for_token


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``. Anything else (no header, another scheme, an
    unknown, revoked or malformed token, an inactive user) is a 401."""

    def __call__(self, request: HttpRequest) -> Any | None:
        # Ninja's own __call__ logs the whole header when DEBUG is on; a token must never
        # reach a log, so the header is parsed here instead.
        scheme, _separator, token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != self.openapi_scheme or not token.strip():
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token)
        if user is not None:
            # The session user (if a browser happens to send a cookie) must not count here.
            request.user = user
        return user
