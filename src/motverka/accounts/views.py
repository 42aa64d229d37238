"""The security events page for unit managers (and administrators)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from motverka.accounts.selectors import security_events


@require_GET
@login_required
def security_event_list(request: HttpRequest) -> HttpResponse:
    page = security_events(user=request.user, page_number=request.GET.get("sida", 1))
    return render(request, "accounts/security_events.html", {"page": page})
