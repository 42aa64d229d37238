"""The "Ändringshistorik" panel of the case page: every correction of intake data, with
old and new values, who, when and why — also changes made outside the services."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from motverka.history.selectors import case_changes


def case_page_panels(request: HttpRequest, case: Any) -> list[str]:
    changes = case_changes(case=case)
    return [
        render_to_string(
            "history/_case_panel.html", {"case": case, "changes": changes}, request=request
        )
    ]
