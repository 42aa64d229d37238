"""``GET /api/v1/figures``: the published figures of a period, for analysts and case roles.

The same parameters as the figures page (``period``, ``year``, ``quarter``, ``month``,
``start``, ``end``) and the same protected values: a hidden cell is ``null`` with
``suppressed: true``. Each call writes one export audit row.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from motverka.api.errors import InvalidInput, field_error
from motverka.api.schemas import ErrorOut
from motverka.reporting import exports
from motverka.reporting.selectors import Cell, Table, period_figures
from motverka.reporting.services import figures_export_audit, require_figures_role
from motverka.reporting.suppression import SUPPRESSION_THRESHOLD

router = Router(tags=["Statistik"])


def _cell(cell: Cell) -> dict[str, Any]:
    if cell.text is not None:
        return {"value": None if cell.text == "–" else cell.text, "suppressed": cell.text == "–"}
    return {"value": cell.value, "suppressed": cell.value is None}


def _table(table: Table) -> dict[str, Any]:
    return {
        "slug": table.slug,
        "title": table.title,
        "columns": table.columns,
        "rows": [
            {
                "key": None if row.key is None else str(row.key),
                "label": row.label,
                "cells": [_cell(cell) for cell in row.cells],
            }
            for row in table.rows
        ],
    }


@router.get(
    "/figures",
    response={200: dict[str, Any], 401: ErrorOut, 403: ErrorOut, 422: dict[str, Any]},
    summary="Statistik för en period",
)
def figures(
    request: HttpRequest,
    period: str = "",
    year: int | None = None,
    quarter: int | None = None,
    month: int | None = None,
    start: str = "",
    end: str = "",
) -> dict[str, Any]:
    from motverka.reporting.views import PeriodForm

    user = request.auth  # type: ignore[attr-defined]
    require_figures_role(user)
    data = {
        name: value
        for name, value in {
            "period": period,
            "year": year,
            "quarter": quarter,
            "month": month,
            "start": start,
            "end": end,
        }.items()
        if value not in ("", None)
    }
    form = PeriodForm(data)
    if not form.is_valid():
        raise InvalidInput(
            [
                field_error(["query", name if name != "__all__" else "period"], str(message))
                for name, messages in form.errors.items()
                for message in messages
            ]
        )
    chosen = form.period_value()
    result = period_figures(chosen)
    figures_export_audit(acting_user=user, kind="api", detail=f"api, {chosen.label}")
    return {
        "period": {
            "kind": chosen.kind,
            "label": chosen.label,
            "start": chosen.start.isoformat(),
            "end": chosen.end.isoformat(),
        },
        "suppression_threshold": SUPPRESSION_THRESHOLD,
        "cases": _cell(result.total),
        "tables": [
            _table(table)
            for table in [
                *result.tables,
                exports.durations_table(result),
                exports.money_table(result),
                result.trend,
            ]
        ],
    }
