"""The case page's retention line: the disposal date and the rule behind it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from motverka.archive.selectors import retention_of


def case_page_panels(request: HttpRequest, case: Any) -> list[str]:
    (retention,) = retention_of([case])
    return [
        render_to_string(
            "archive/_case_panel.html",
            {"case": case, "retention": retention, "user": request.user},
            request=request,
        )
    ]
