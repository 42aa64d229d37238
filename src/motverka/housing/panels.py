"""Panels this app adds to the case page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def case_page_panels(request: HttpRequest, case: Any) -> list[str]:
    return []
