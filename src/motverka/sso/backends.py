"""Password login that can be switched off (``MOTVERKA_PASSWORD_LOGIN=off``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from motverka.sso.config import password_login_enabled


class PasswordBackend(ModelBackend):
    """Django's username and password check, answering nothing while password login is
    off — whichever form or view asks (login page, admin, a shell)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not password_login_enabled():
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
