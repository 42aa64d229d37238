"""The middleware that routes a POST with a submission token or an idempotency key to the
code that makes it happen only once (:mod:`.submission`, :mod:`.idempotency`)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from motverka.integrity.idempotency import HEADER, handle_idempotent_request
from motverka.integrity.submission import SUBMISSION_FIELD, handle_form_submission

API_PREFIX = "/api/"


class OnceOnlyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            key = request.headers.get(HEADER)
            if key is not None:
                return handle_idempotent_request(request, key.strip(), self.get_response)
            return self.get_response(request)
        if request.user.is_authenticated and SUBMISSION_FIELD in request.POST:
            token = request.POST.get(SUBMISSION_FIELD, "")
            return handle_form_submission(request, token, self.get_response)
        return self.get_response(request)
