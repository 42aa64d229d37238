"""The deadline calculator: lag (1930:173) arithmetic as a service for other systems."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field as NinjaField
from ninja import Query, Router, Schema

from motverka.api.errors import InvalidInput, field_error
from motverka.api.schemas import DeadlineCalculationOut, ErrorOut, ValidationErrorOut
from motverka.workflow.calendar import (
    add_months,
    add_working_days,
    next_working_day,
    non_working_reason,
)

router = Router(tags=["Frister"])


class CalculatorQuery(Schema):
    start: date = NinjaField(description="Dagen då fristen börjar löpa (ÅÅÅÅ-MM-DD)")
    months: int | None = NinjaField(None, ge=0, le=120, description="Antal månader")
    working_days: int | None = NinjaField(None, ge=0, le=1000, description="Antal arbetsdagar")
    days: int | None = NinjaField(None, ge=0, le=3660, description="Antal kalenderdagar")


def _non_working_between(first: date, last: date) -> list[dict[str, Any]]:
    """Non-working days from ``first`` to ``last``, both included."""
    days = []
    day = first
    while day <= last:
        reason = non_working_reason(day)
        if reason is not None:
            days.append({"date": day, "reason": reason})
        day += timedelta(days=1)
    return days


def calculate(start: date, rule: str, amount: int) -> dict[str, Any]:
    """Due date of a period, and how it was found, in Swedish."""
    if rule == "working_days":
        due = add_working_days(start, amount)
        skipped = _non_working_between(start + timedelta(days=1 if amount else 0), due)
        explanation = _(
            "Fristen är %(amount)s arbetsdagar från %(start)s och går ut %(due)s. Lördagar, "
            "söndagar, helgdagar samt midsommarafton, julafton och nyårsafton räknas inte."
        ) % {"amount": amount, "start": start.isoformat(), "due": due.isoformat()}
        return {
            "start": start,
            "rule": rule,
            "amount": amount,
            "raw": None,
            "due": due,
            "moved": False,
            "moved_because": None,
            "skipped_days": skipped,
            "explanation": explanation,
        }
    if rule == "months":
        raw = add_months(start, amount)
        explanation = _(
            "En frist på %(amount)s månader från %(start)s slutar %(raw)s: samma dag i "
            "månaden, eller månadens sista dag om den dagen saknas (lag (1930:173) 2 §)."
        ) % {"amount": amount, "start": start.isoformat(), "raw": raw.isoformat()}
    else:
        raw = start + timedelta(days=amount)
        explanation = _("En frist på %(amount)s dagar från %(start)s slutar %(raw)s.") % {
            "amount": amount,
            "start": start.isoformat(),
            "raw": raw.isoformat(),
        }
    due = next_working_day(raw)
    moved_because = non_working_reason(raw) if due != raw else None
    if moved_because:
        explanation += " " + _(
            "%(raw)s är %(reason)s, så fristen flyttas till nästa vardag, %(due)s "
            "(lag (1930:173) 3 §)."
        ) % {"raw": raw.isoformat(), "reason": moved_because, "due": due.isoformat()}
    return {
        "start": start,
        "rule": rule,
        "amount": amount,
        "raw": raw,
        "due": due,
        "moved": due != raw,
        "moved_because": moved_because,
        "skipped_days": _non_working_between(raw, due - timedelta(days=1)),
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
        return calculate(query.start, rule, amount)
    except (OverflowError, ValueError) as error:
        raise InvalidInput(
            [field_error(("query", "start"), _("Datumet ligger utanför kalendern."))]
        ) from error
