"""Turns access errors into plain 403/404 pages, so no view needs its own try/except;
each refusal is logged as a ``denied`` audit row."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motverka.audit.middleware import record_denied
from motverka.cases.errors import AccessDenied, NotFound


class AccessErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            record_denied(request, user=request.user, status=404)
            return render(request, "404.html", status=404)
        if isinstance(exception, AccessDenied):
            record_denied(request, user=request.user, status=403)
            return render(request, "403.html", status=403)
        return None
