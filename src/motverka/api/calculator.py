"""The deadline calculator: lag (1930:173) arithmetic as a service for other systems."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Field as NinjaField
from ninja import Query, Router, Schema

from motverka.api.errors import InvalidInput, field_error
from motverka.api.schemas import DeadlineCalculationOut, ErrorOut, ValidationErrorOut
from motverka.workflow.calculator import Calculation, calculate
from motverka.workflow.calendar import non_working_reason
from motverka.workflow.deadlines import PeriodUnit

router = Router(tags=["Frister"])


class CalculatorQuery(Schema):
    start: date = NinjaField(description="Dagen då fristen börjar löpa (ÅÅÅÅ-MM-DD)")
    months: int | None = NinjaField(None, ge=0, le=120, description="Antal månader")
    working_days: int | None = NinjaField(None, ge=0, le=1000, description="Antal arbetsdagar")
    days: int | None = NinjaField(None, ge=0, le=3660, description="Antal kalenderdagar")


def calculation_data(calculation: Calculation) -> dict[str, Any]:
    """The calculator's answer with the rule that applied, in Swedish words."""
    start, amount, unit = calculation.start, calculation.amount, calculation.unit
    unmoved = calculation.unmoved
    if unit == PeriodUnit.WORKING_DAYS:
        explanation = ngettext(
            "Fristen är %(amount)s arbetsdag från %(start)s och går ut %(due)s. Lördagar, "
            "söndagar, helgdagar samt midsommarafton, julafton och nyårsafton räknas inte.",
            "Fristen är %(amount)s arbetsdagar från %(start)s och går ut %(due)s. Lördagar, "
            "söndagar, helgdagar samt midsommarafton, julafton och nyårsafton räknas inte.",
            amount,
        ) % {"amount": amount, "start": start.isoformat(), "due": calculation.due.isoformat()}
    elif unit == PeriodUnit.MONTHS:
        explanation = ngettext(
            "En frist på %(amount)s månad från %(start)s slutar %(raw)s: samma dag i "
            "månaden, eller månadens sista dag om den dagen saknas (lag (1930:173) 2 §).",
            "En frist på %(amount)s månader från %(start)s slutar %(raw)s: samma dag i "
            "månaden, eller månadens sista dag om den dagen saknas (lag (1930:173) 2 §).",
            amount,
        ) % {"amount": amount, "start": start.isoformat(), "raw": unmoved}
    else:
        explanation = ngettext(
            "En frist på %(amount)s dag från %(start)s slutar %(raw)s.",
            "En frist på %(amount)s dagar från %(start)s slutar %(raw)s.",
            amount,
        ) % {
            "amount": amount,
            "start": start.isoformat(),
            "raw": unmoved,
        }
    moved_because = non_working_reason(unmoved) if unmoved and calculation.moved else None
    if unmoved and moved_because:
        explanation += " " + _(
            "%(raw)s är %(reason)s, så fristen flyttas till nästa vardag, %(due)s "
            "(lag (1930:173) 3 §)."
        ) % {"raw": unmoved.isoformat(), "reason": moved_because, "due": calculation.due}
    return {
        "start": start,
        "rule": unit.value,
        "amount": amount,
        "raw": unmoved,
        "due": calculation.due,
        "moved": calculation.moved,
        "moved_because": moved_because,
        "skipped_days": [{"date": day.day, "reason": day.reason} for day in calculation.skipped],
        "explanation": explanation,
    }


@router.get(
    "/deadline-calculator",
    response={200: DeadlineCalculationOut, 401: ErrorOut, 422: ValidationErrorOut},
    summary="Beräkna en frist",
    url_name="deadline_calculator",
)
def deadline_calculator(request: HttpRequest, query: Query[CalculatorQuery]) -> Any:
    """Due date of a period from ``start``: give exactly one of ``months`` (lag (1930:173):
    same day number, or the month's last day, moved past weekends, public holidays,
    midsommarafton, julafton and nyårsafton), ``working_days`` (the n-th working day after
    ``start``) or ``days`` (calendar days, then moved like months)."""
    given = {
        rule: amount
        for rule, amount in (
            ("months", query.months),
            ("working_days", query.working_days),
            ("days", query.days),
        )
        if amount is not None
    }
    if len(given) != 1:
        raise InvalidInput(
            [field_error(("query",), _("Ange exakt en av months, working_days och days."))]
        )
    ((rule, amount),) = given.items()
    try:
        return calculation_data(calculate(query.start, amount, rule))
    except (OverflowError, ValueError) as error:
        raise InvalidInput(
            [field_error(("query", "start"), _("Datumet ligger utanför kalendern."))]
        ) from error
