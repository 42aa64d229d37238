"""Reading the access log for a review: a unit's log rows, as facts for the checks.

Only unit managers review, and only the log of their own units' data: rows about the
unit's cases and about the persons of those cases. Every review page is itself a read of
personal data (who read whom) and is logged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from motverka.accounts.models import Unit
from motverka.audit.models import AuditEvent, AuditEventSubject
from motverka.cases.access import require_case_role
from motverka.cases.errors import AccessDenied, NotFound
from motverka.cases.models import Case
from motverka.people.models import Person
from motverka.review.checks import AccessFact, ReviewSettings

#: The longest period one review page or extract covers; longer asks are refused.
MAX_PERIOD_DAYS = 400


@dataclass(frozen=True)
class LogFilter:
    unit_id: int
    since: date
    until: date
    actor_id: int | None = None
    case_reference: str = ""
    whole_person: bool = False
    action: str = ""


def review_settings() -> ReviewSettings:
    return ReviewSettings(**getattr(settings, "MOTVERKA_LOG_REVIEW", {}))


def require_manager(user: Any) -> None:
    require_case_role(user)
    if not user.is_manager:
        raise AccessDenied


def reviewable_units(user: Any) -> QuerySet[Unit]:
    require_manager(user)
    return user.units.order_by("name")


def unit_for_review(*, user: Any, unit_id: int | str | None) -> Unit:
    units = reviewable_units(user)
    try:
        pk = int(unit_id) if unit_id not in (None, "") else None  # type: ignore[arg-type]
    except (TypeError, ValueError) as error:
        raise NotFound from error
    unit = units.filter(pk=pk).first() if pk is not None else units.first()
    if unit is None:
        raise NotFound
    return unit


def period_bounds(since: date, until: date) -> tuple[datetime, datetime]:
    """Local midnight of ``since`` up to (not including) local midnight after ``until``."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(since, time.min, tzinfo=zone)
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def _about(cases: QuerySet[Case]) -> Q:
    """Rows about these cases or their persons: named on the row itself, or shown as a
    subject of a list or search row (the same lookup as ``audit_events_about``, with
    subqueries instead of id lists)."""
    touching = Q(case_id__in=cases.values("pk")) | Q(person_id__in=cases.values("person_id"))
    return touching | Q(pk__in=AuditEventSubject.objects.filter(touching).values("event_id"))


def _unit_scope(unit_id: int) -> Q:
    return _about(Case.objects.filter(unit_id=unit_id))


def unit_log_events(log_filter: LogFilter) -> QuerySet[AuditEvent]:
    """The unit's log rows in the period, filtered, newest first."""
    start, end = period_bounds(log_filter.since, log_filter.until)
    events = AuditEvent.objects.filter(_unit_scope(log_filter.unit_id), at__gte=start, at__lt=end)
    if log_filter.actor_id is not None:
        events = events.filter(actor_id=log_filter.actor_id)
    if log_filter.action:
        events = events.filter(action=log_filter.action)
    if log_filter.case_reference:
        case = Case.objects.filter(
            unit_id=log_filter.unit_id, reference=log_filter.case_reference.strip()
        ).first()
        if case is None:
            return AuditEvent.objects.none()
        scope = _about(Case.objects.filter(pk=case.pk))
        if not log_filter.whole_person:
            scope = Q(case_id=case.pk) | Q(
                pk__in=AuditEventSubject.objects.filter(case_id=case.pk).values("event_id")
            )
        events = events.filter(scope)
    return events.select_related("actor").order_by("-at", "-id")


def unit_log_page(log_filter: LogFilter, page_number: int | str) -> Page:
    return Paginator(unit_log_events(log_filter), 50).get_page(page_number)


def access_facts(events: Iterable[AuditEvent]) -> list[AccessFact]:
    """One fact per log row and each case/person it touched — a list or search row touches
    every case it showed (its subjects) — with what the checks need to know about that case
    and person."""
    rows = list(events)
    subjects: dict[int, list[tuple[int | None, int | None]]] = {}
    for subject in AuditEventSubject.objects.filter(event_id__in=[row.pk for row in rows]):
        subjects.setdefault(subject.event_id, []).append((subject.case_id, subject.person_id))
    touched = [
        (row, case_id, person_id)
        for row in rows
        for case_id, person_id in subjects.get(row.pk, [(row.case_id, row.person_id)])
    ]
    case_ids = {case_id for _row, case_id, _person in touched if case_id is not None}
    cases = {
        case.pk: case
        for case in Case.objects.filter(pk__in=case_ids).only(
            "pk", "assigned_to_id", "closed_on", "person_id"
        )
    }
    person_ids = {person for _row, _case, person in touched if person is not None}
    person_ids |= {case.person_id for case in cases.values()}
    protected_persons = set(
        Person.objects.filter(pk__in=person_ids, protected_identity=True).values_list(
            "pk", flat=True
        )
    )
    facts = []
    for row, case_id, person_id in touched:
        case = cases.get(case_id) if case_id is not None else None
        if person_id is None and case is not None:
            person_id = case.person_id
        facts.append(
            AccessFact(
                event_id=row.pk,
                at=timezone.localtime(row.at),
                actor_id=row.actor_id,
                action=row.action,
                case_id=case_id,
                person_id=person_id,
                person_protected=person_id in protected_persons,
                case_assigned_to_id=case.assigned_to_id if case else None,
                case_closed_on=case.closed_on if case else None,
            )
        )
    return facts


def validate_period(since: date | None, until: date | None) -> dict[str, list[str]]:
    from django.utils.translation import gettext as _

    errors: dict[str, list[str]] = {}
    if since is None:
        errors["since"] = [_("Ange periodens första dag.")]
    if until is None:
        errors["until"] = [_("Ange periodens sista dag.")]
    if since and until:
        if until < since:
            errors["until"] = [_("Periodens sista dag kan inte ligga före den första.")]
        elif (until - since).days > MAX_PERIOD_DAYS:
            errors["until"] = [
                _("En period kan vara högst %(days)s dagar.") % {"days": MAX_PERIOD_DAYS}
            ]
        if until > timezone.localdate():
            errors["until"] = [_("Periodens sista dag kan inte ligga i framtiden.")]
    return errors


def previous_month(today: date) -> tuple[date, date]:
    first_this_month = today.replace(day=1)
    last_previous = first_this_month - timedelta(days=1)
    return last_previous.replace(day=1), last_previous
