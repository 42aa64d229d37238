"""The answer when the database cannot be reached: 503 with Retry-After, never a 500.

A dropped, refused or timed-out connection surfaces as ``OperationalError`` or
``InterfaceError`` anywhere in a request — in a view, or already in the session or
authentication middleware, before any view runs. :func:`server_error` is the project's
``handler500``: Django calls it for every uncaught exception, wherever it was raised, and it
turns the database ones into a Swedish 503 page (JSON under ``/api/``). Nothing on that path
touches the database. The API's own exception handler uses :func:`database_unavailable_json`.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger("motverka.unavailable")

RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


def is_database_unavailable(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, DATABASE_ERRORS):
            return True
        error = error.__cause__ or error.__context__
    return False


def database_unavailable_json() -> JsonResponse:
    response = JsonResponse(
        {
            "detail": _("Databasen går inte att nå just nu. Försök igen om en stund."),
            "code": "database_unavailable",
        },
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def database_unavailable_page() -> HttpResponse:
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    error = sys.exc_info()[1]
    if is_database_unavailable(error):
        logger.warning("Database unavailable during %s %s", request.method, request.path)
        if request.path.startswith("/api/"):
            return database_unavailable_json()
        return database_unavailable_page()
    return HttpResponse(render_to_string("500.html"), status=500)
