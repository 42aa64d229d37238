"""Records where each request comes from so audit rows can say it, and logs refused
requests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from motverka.audit.context import Origin, origin
from motverka.audit.logging import redact
from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record


def client_address(request: HttpRequest) -> str:
    # Behind a reverse proxy the peer is the proxy; trust X-Forwarded-For only when told to.
    if getattr(settings, "USE_X_FORWARDED_HOST", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


class RequestOriginMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "ui"
        with origin(Origin(channel=channel, address=client_address(request))):
            return self.get_response(request)


def _object_in_path(request: HttpRequest) -> tuple[str, str]:
    """The object the refused URL names (``case_id=7`` → ("case", "7")), or ("path", "")
    when it names none. A value shaped like an identity number is never kept."""
    match = getattr(request, "resolver_match", None)
    for name, value in (match.kwargs if match else {}).items():
        text = str(value)
        if name.endswith("_id") and text.isdigit() and len(text) < 10 and redact(text) == text:
            return name.removesuffix("_id"), text
    return "path", ""


def record_denied(request: HttpRequest, *, user: Any, status: int) -> None:
    """One ``denied`` row for a refused request (404 for what the user may not see, 403 for
    what the role may not do). Its own transaction: the refused one has rolled back."""
    object_type, object_id = _object_in_path(request)
    match = getattr(request, "resolver_match", None)
    audit_record(
        actor=user if getattr(user, "is_authenticated", False) else None,
        action=AuditAction.DENIED,
        object_type=object_type,
        object_id=object_id,
        detail=f"{status} {match.url_name if match and match.url_name else ''}".strip(),
    )
