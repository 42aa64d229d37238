"""How the API reports failures: one JSON shape per kind, in Swedish, never a bare 500.

* 401 – no or bad token: ``{"detail": "..."}`` and ``WWW-Authenticate: Bearer``.
* 403 – the role may not use the function at all (existence is not secret), or a
  read-only token tried to write.
* 429 – too many rejected tokens from the client's address: ``Retry-After`` says when.
* 404 – no such case, or one the user may not know exists.
* 409 – well-formed but refused in the case's current state:
  ``{"detail": "<Swedish reason>", "code": "<stable code>"}``.
* 422 – malformed input: ``{"detail": [{"loc": [...], "msg": "<Swedish>", "type": "..."}]}``
  whether the schema or a service found the fault, with the same field names either way.
  Input values are never echoed back: they may be identity numbers.
* 503 – the database cannot be reached: ``{"detail": ..., "code": "database_unavailable"}``
  with ``Retry-After``.
* 500 – a bug: a generic JSON message; the traceback goes to the log with identity numbers
  removed.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from motverka.api.auth import ReadOnlyToken, TooManyTokenFailures
from motverka.api.concurrency import (
    PreconditionFailed,
    PreconditionRequired,
    failed_message,
    required_message,
)
from motverka.audit.logging import redact
from motverka.audit.middleware import record_denied
from motverka.cases.errors import AccessDenied, Conflict, NotFound, VersionConflict
from motverka.cases.services import OpenCaseExists
from motverka.config.unavailable import database_unavailable_json, is_database_unavailable
from motverka.integrity.versioning import etag
from motverka.workflow.policy import PolicyError

logger = logging.getLogger("motverka.api")

Location = tuple[str | int, ...]


class MalformedBody(Exception):
    """The request body is not JSON (or not a JSON object)."""


class InvalidInput(Exception):
    """Field errors found by the API layer itself, already in the 422 shape."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors)
        self.errors = errors


def field_error(loc: Sequence[str | int], msg: str, kind: str = "invalid") -> dict[str, Any]:
    return {"loc": list(loc), "msg": str(msg), "type": kind}


def invalid_input(
    error: DjangoValidationError,
    *,
    locations: Mapping[str, Location] | None = None,
    source: str = "body",
) -> InvalidInput:
    """Turn a service's ValidationError into 422 field errors.

    A service names fields by its own input's names; ``locations`` maps those that sit
    elsewhere in the request body (``{"first_name": ("person", "first_name")}``). Errors
    that belong to no field get ``loc == [source]``.
    """
    locations = locations or {}
    errors: list[dict[str, Any]] = []
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            if field == NON_FIELD_ERRORS:
                loc: Location = (source,)
            else:
                loc = (source, *locations.get(field, (field,)))
            errors.extend(field_error(loc, message) for message in messages)
    else:
        errors.extend(field_error((source,), message) for message in error.messages)
    return InvalidInput(errors)


# --- Schema errors in Swedish ------------------------------------------------------------------


def _swedish_schema_message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Fältet måste anges.")
    if kind == "extra_forbidden":
        return _("Okänt fält.")
    if kind in {
        "date_parsing",
        "date_from_datetime_parsing",
        "date_type",
        "date_from_datetime_inexact",
    }:
        return _("Ange ett datum i formen ÅÅÅÅ-MM-DD.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Ange ett heltal.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Ange true eller false.")
    if kind in {"string_type"}:
        return _("Ange en text.")
    if kind in {"list_type", "tuple_type", "set_type"}:
        return _("Ange en lista.")
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("Ange ett objekt.")
    if kind in {"enum", "literal_error"}:
        # Pydantic lists the values as "'a', 'b' or 'c'"; the "or" is English.
        expected = str(ctx.get("expected", "")).replace("' or '", "', '").replace("'", "")
        return _("Ogiltigt värde. Tillåtna värden: %(values)s.") % {"values": expected}
    if kind == "string_too_long":
        return _("Texten är för lång (högst %(max)s tecken).") % {"max": ctx.get("max_length", "")}
    if kind == "string_too_short":
        return _("Texten är för kort (minst %(min)s tecken).") % {"min": ctx.get("min_length", "")}
    if kind == "string_pattern_mismatch":
        return _("Värdet har fel form.")
    if kind in {"greater_than_equal", "greater_than"}:
        limit = ctx.get("ge", ctx.get("gt", ""))
        return _("Värdet måste vara minst %(limit)s.") % {"limit": limit}
    if kind in {"less_than_equal", "less_than"}:
        limit = ctx.get("le", ctx.get("lt", ""))
        return _("Värdet får vara högst %(limit)s.") % {"limit": limit}
    if kind == "value_error":
        # Our own validators raise ValueError with a Swedish message.
        return str(ctx.get("error", "")) or _("Ogiltigt värde.")
    return _("Ogiltigt värde.")


def _schema_location(loc: Sequence[Any]) -> list[str | int]:
    # Ninja puts the view's parameter name after the source ("body", "body", "person");
    # every body parameter here is called ``body`` and the duplicate is dropped, so that
    # schema errors and service errors name a field the same way.
    parts = list(loc)
    if len(parts) >= 2 and parts[0] == "body" and parts[1] == "body":
        del parts[1]
    return parts


def schema_errors_in_swedish(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        field_error(
            _schema_location(error.get("loc", ())),
            _swedish_schema_message(error),
            str(error.get("type", "invalid")),
        )
        for error in errors
    ]


# --- Handlers ---------------------------------------------------------------------------------


def register_exception_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, data: Any, status: int) -> HttpResponse:
        return api.create_response(request, data, status=status)

    def on_schema_error(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
        return respond(request, {"detail": schema_errors_in_swedish(exc.errors)}, 422)

    def on_invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
        return respond(request, {"detail": exc.errors}, 422)

    def on_service_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return respond(request, {"detail": invalid_input(exc).errors}, 422)

    def on_malformed(request: HttpRequest, exc: MalformedBody) -> HttpResponse:
        message = _("Innehållet är inte giltig JSON (ett objekt, kodat i UTF-8).")
        return respond(request, {"detail": [field_error(("body",), message, "json_invalid")]}, 422)

    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(
            request,
            {"detail": _("Ange en giltig API-nyckel: Authorization: Bearer <nyckel>.")},
            401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="motverka"'
        return response

    def on_too_many_token_failures(request: HttpRequest, exc: TooManyTokenFailures) -> HttpResponse:
        message = _(
            "För många ogiltiga API-nycklar från din adress. Försök igen om %(seconds)s sekunder."
        ) % {"seconds": exc.retry_after_seconds}
        response = respond(request, {"detail": message}, 429)
        response["Retry-After"] = str(exc.retry_after_seconds)
        return response

    def on_read_only_token(request: HttpRequest, exc: ReadOnlyToken) -> HttpResponse:
        message = _("API-nyckeln får bara läsa (GET); den kan inte ändra något.")
        return respond(request, {"detail": message}, 403)

    def on_access_denied(request: HttpRequest, exc: AccessDenied) -> HttpResponse:
        message = _("Din roll ger inte behörighet till ärenden och personuppgifter.")
        record_denied(request, user=getattr(request, "auth", None), status=403)
        return respond(request, {"detail": message}, 403)

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        if isinstance(exc, NotFound):
            record_denied(request, user=getattr(request, "auth", None), status=404)
        return respond(request, {"detail": _("Hittades inte.")}, 404)

    def on_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        data: dict[str, Any] = {"detail": str(exc.message), "code": exc.code}
        if isinstance(exc, OpenCaseExists):
            # The service decided what may be said and logged it (decision 0007): the own
            # units' cases with their reference, other units by name only.
            data["cases"] = [{"id": case.pk, "reference": case.reference} for case in exc.cases]
            data["other_units"] = exc.duplicates.other_unit_names
        return respond(request, data, 409)

    def on_version_conflict(request: HttpRequest, exc: VersionConflict) -> HttpResponse:
        # Stale If-Match: 412 with what is stored now. A save that lost a race without an
        # If-Match having been sent is an ordinary 409.
        data: dict[str, Any] = {"detail": str(exc.message), "code": exc.code}
        data["current_version"] = exc.current_version
        if exc.current_version is not None:
            data["etag"] = etag(exc.record_type, exc.record_id, exc.current_version)
        if request.headers.get("If-Match"):
            data["code"] = "precondition_failed"
            response = respond(request, data, 412)
            if "etag" in data:
                response["ETag"] = data["etag"]
            return response
        return respond(request, data, 409)

    def on_precondition_required(request: HttpRequest, exc: PreconditionRequired) -> HttpResponse:
        data = {"detail": required_message(), "code": "precondition_required"}
        return respond(request, data, 428)

    def on_precondition_failed(request: HttpRequest, exc: PreconditionFailed) -> HttpResponse:
        return respond(request, {"detail": failed_message(), "code": "precondition_failed"}, 412)

    def on_policy_error(request: HttpRequest, exc: PolicyError) -> HttpResponse:
        return respond(request, {"detail": exc.message, "code": exc.code}, 409)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # Ninja wraps every parser failure in a 400; ours is a 422 like any other bad input.
        if isinstance(exc.__cause__, MalformedBody):
            return on_malformed(request, exc.__cause__)
        if isinstance(exc.__cause__, InvalidInput):
            return on_invalid_input(request, exc.__cause__)
        return respond(request, {"detail": str(exc)}, exc.status_code)

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        if is_database_unavailable(exc):
            return database_unavailable_json()
        # Exception messages and tracebacks can carry input values (an IntegrityError quotes
        # the row); the log gets them only with identity numbers removed.
        logger.error(
            "Unhandled error in %s %s\n%s",
            request.method,
            request.path,
            redact("".join(traceback.format_exception(exc))),
        )
        message = _("Ett oväntat fel inträffade. Försök igen, eller kontakta systemförvaltaren.")
        return respond(request, {"detail": message}, 500)

    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (SchemaValidationError, on_schema_error),
        (InvalidInput, on_invalid_input),
        (DjangoValidationError, on_service_validation),
        (MalformedBody, on_malformed),
        (AuthenticationError, on_unauthenticated),
        (TooManyTokenFailures, on_too_many_token_failures),
        (ReadOnlyToken, on_read_only_token),
        (AccessDenied, on_access_denied),
        (NotFound, on_not_found),
        (Http404, on_not_found),
        (VersionConflict, on_version_conflict),
        (PreconditionRequired, on_precondition_required),
        (PreconditionFailed, on_precondition_failed),
        (Conflict, on_conflict),
        (PolicyError, on_policy_error),
        (HttpError, on_http_error),
        (Exception, on_unexpected),
    ]
    for exception_class, handler in handlers:
        api.add_exception_handler(exception_class, handler)
