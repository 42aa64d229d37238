"""Records where each request comes from so audit rows can say it."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from motverka.audit.context import Origin, origin


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
