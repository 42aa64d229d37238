"""Panels this app adds to the case page: the "Skrivelser" list and the new-letter form."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from motverka.letters.models import LetterKind
from motverka.letters.selectors import letters_of_case
from motverka.workflow.policy import CaseStatus


def case_page_panels(request: HttpRequest, case: Any) -> list[str]:
    # The case page has already checked access to ``case`` and logged the read.
    letters = list(letters_of_case(case).defer("body", "final_text"))
    return [
        render_to_string(
            "letters/_panel.html",
            {
                "case": case,
                "letters": letters,
                "kinds": LetterKind.choices,
                "can_create": case.status != CaseStatus.CLOSED,
            },
            request=request,
        )
    ]
