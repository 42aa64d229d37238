"""Workflow endpoints: consents, one action at a time, deadlines (filled in when the workflow
services exist)."""

from __future__ import annotations

from typing import Any

from ninja import Router

from motverka.api.serializers import case_detail_data
from motverka.cases.models import Case

router = Router(tags=["Handläggning"])


def case_with_workflow(case: Case) -> dict[str, Any]:
    return case_detail_data(case)
