"""The refusal page shared by both protocols."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motverka.accounts.models import User
from motverka.sso.policy import Method, Refusal
from motverka.sso.services import sso_refusal_record


def refuse(
    request: HttpRequest, *, method: Method, refusal: Refusal, user: User | None = None
) -> HttpResponse:
    """Audit the refusal and answer 403 with one Swedish page for every reason: the person
    is told what to do, not which of our checks failed."""
    sso_refusal_record(method=method, refusal=refusal, user=user)
    return render(
        request,
        "sso/refused.html",
        {"invalid_response": refusal is Refusal.INVALID_RESPONSE},
        status=403,
    )
