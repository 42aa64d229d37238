"""The input guard: refuses, before any view runs, what no field may hold.

Applied to every request, web and API alike, with the limits of
:mod:`motverka.integrity.limits`:

* a body larger than ``MAX_BODY_BYTES`` → 413;
* control characters (NUL and the rest; a line break or tab outside a long text), lone
  surrogates, and dates outside 1900–2100 in any query parameter or form field → 400 page
  (web) or 422 (API);
* too many form fields → 400; an unreadable form body → 400;
* an API body that is not JSON (``Content-Type``) → 415.

JSON bodies are checked value by value by the API's body parser (:func:`json_problems`),
which knows each value's place and so reports it as a field error.
Every answer is Swedish: a page for the web, JSON for the API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

from motverka.integrity import limits

API_PREFIX = "/api/"
WRITE_METHODS = {"POST", "PUT", "PATCH"}


def _too_large_message() -> str:
    return _("Det som skickades är för stort (högst %(size)s MB). Ingenting har sparats.") % {
        "size": limits.MAX_BODY_BYTES // (1024 * 1024)
    }


def _querydict_problems(data: QueryDict, source: str) -> Iterator[dict[str, Any]]:
    for name, values in data.lists():
        problem = limits.text_problem(name, long_text=False)
        if problem:
            yield {"loc": [source], "msg": problem, "type": "invalid_characters"}
            continue
        for value in values:
            problem = limits.value_problem(name, value)
            if problem:
                yield {"loc": [source, name], "msg": problem, "type": "invalid"}
                break


def json_problems(data: Any, loc: tuple[str | int, ...] = ("body",)) -> Iterator[dict[str, Any]]:
    """Field errors for every value in a parsed JSON body that breaks a limit."""
    if isinstance(data, dict):
        for key, value in data.items():
            if limits.text_problem(key, long_text=False):
                yield {"loc": list(loc), "msg": _("Ogiltigt fältnamn."), "type": "invalid"}
                continue
            yield from json_problems(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from json_problems(value, (*loc, index))
    elif isinstance(data, str):
        name = next((part for part in reversed(loc) if isinstance(part, str)), "")
        problem = limits.value_problem(name, data)
        if problem:
            yield {"loc": list(loc), "msg": problem, "type": "invalid"}
    elif isinstance(data, int | Decimal):
        problem = limits.number_problem(data)
        if problem:
            yield {"loc": list(loc), "msg": problem, "type": "number_too_large"}


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path.startswith(API_PREFIX)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:
            return self._refuse(request, api, 400, _("Ogiltig Content-Length."))
        if length > limits.MAX_BODY_BYTES:
            return self._refuse(request, api, 413, _too_large_message())
        problems = list(_querydict_problems(request.GET, "query"))
        if problems:
            return self._refuse(request, api, 422 if api else 400, problems[0]["msg"], problems)
        if api:
            content_type = request.content_type or ""
            if request.method in WRITE_METHODS and length and content_type != "application/json":
                return self._refuse(
                    request,
                    api,
                    415,
                    _("Skicka innehållet som JSON (Content-Type: application/json)."),
                )
        elif request.method == "POST":
            try:
                problems = list(_querydict_problems(request.POST, "body"))
            except RequestDataTooBig:
                return self._refuse(request, api, 413, _too_large_message())
            except TooManyFieldsSent:
                return self._refuse(
                    request,
                    api,
                    400,
                    _("Formuläret har för många fält (högst %(max)s).")
                    % {"max": limits.MAX_FIELDS},
                )
            except MultiPartParserError:
                return self._refuse(request, api, 400, _("Formuläret gick inte att läsa."))
            if problems:
                return self._refuse(request, api, 400, problems[0]["msg"], problems)
        return self.get_response(request)

    @staticmethod
    def _refuse(
        request: HttpRequest,
        api: bool,
        status: int,
        message: str,
        problems: list[dict[str, Any]] | None = None,
    ) -> HttpResponse:
        if api:
            detail: Any = problems if problems and status == 422 else message
            return JsonResponse(
                {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
            )
        return render(request, "400.html", {"message": message, "status": status}, status=status)
