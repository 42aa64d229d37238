"""Panels the workflow adds to the start page and the case page (deadlines, next steps)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def start_page_panels(request: HttpRequest) -> list[str]:
    return []


def case_page_panels(request: HttpRequest, case: Any) -> list[str]:
    return []
