"""The login page's choice of methods."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from motverka.sso.config import login_options, password_login_enabled


def login_methods(request: HttpRequest) -> dict[str, Any]:
    return {"sso_options": login_options(), "password_login_enabled": password_login_enabled()}
