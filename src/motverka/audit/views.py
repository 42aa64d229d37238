"""The access log of a case, for unit managers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motverka.audit.selectors import case_audit_log


@login_required
def case_log(request: HttpRequest, case_id: int) -> HttpResponse:
    case, page = case_audit_log(
        user=request.user, case_id=case_id, page_number=request.GET.get("sida", 1)
    )
    return render(request, "audit/case_log.html", {"case": case, "page": page})
