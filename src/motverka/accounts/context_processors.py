"""Navigation shown in the page header, by role."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav_cases": bool(user and user.is_authenticated and user.works_with_cases),
        "nav_security": bool(
            user and user.is_authenticated and (user.is_manager or user.is_administrator)
        ),
        "nav_log_review": bool(user and user.is_authenticated and user.is_manager),
        "nav_admin": bool(user and user.is_authenticated and user.is_administrator),
        "nav_figures": bool(
            user and user.is_authenticated and (user.is_analyst or user.works_with_cases)
        ),
        "receiving_municipality_code": settings.MOTVERKA_MUNICIPALITY,
    }


def authentication(request: HttpRequest) -> dict[str, Any]:
    """The demo banner and what the idle-timeout warning needs."""
    from motverka.accounts.mfa import mfa_required

    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "mfa_demo_mode": not mfa_required(),
        "session_idle_seconds": settings.MOTVERKA_SESSION_IDLE_MINUTES * 60 if signed_in else 0,
        "session_warning_seconds": settings.MOTVERKA_SESSION_WARNING_SECONDS,
    }
