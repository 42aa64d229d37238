"""Reading the audit log: who has read or changed a case and its person.

Only unit managers of the case's unit may review it (they review access regularly, and
answer a person who asks who has accessed their data). Reviewing the log is itself logged.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from motverka.audit.models import AuditAction, AuditEvent, AuditEventSubject
from motverka.audit.services import audit_record
from motverka.cases.access import case_get_for_user, cases_visible_to, require_case_role
from motverka.cases.errors import AccessDenied, NotFound
from motverka.cases.models import Case


def audit_events_about(
    *,
    person_ids: Iterable[int] | None = None,
    case_ids: Iterable[int] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEvent]:
    """Events that touch any of these persons or cases: named on the row itself, or shown
    as a subject of a list or search row. ``since`` is inclusive, ``until`` exclusive.

    No access check and no logging: the callers (the case log, log review, the person's
    log extract) check who may ask and log that they asked. Both lookups use indexes
    (``case_id``/``person_id`` on the events and on the subjects)."""
    persons = list(person_ids or [])
    cases = list(case_ids or [])
    if not persons and not cases:
        return AuditEvent.objects.none()
    direct = Q(pk__in=[])
    shown = Q(pk__in=[])
    if persons:
        direct |= Q(person_id__in=persons)
        shown |= Q(person_id__in=persons)
    if cases:
        direct |= Q(case_id__in=cases)
        shown |= Q(case_id__in=cases)
    via_subjects = AuditEventSubject.objects.filter(shown).values("event_id")
    events = AuditEvent.objects.filter(direct | Q(pk__in=via_subjects))
    if since is not None:
        events = events.filter(at__gte=since)
    if until is not None:
        events = events.filter(at__lt=until)
    return events


def case_audit_log(*, user: Any, case_id: int, page_number: int | str = 1) -> tuple[Case, Page]:
    """The case (read through the access layer) and one page of its audit events, newest
    first: events about the case and about its person."""
    require_case_role(user)
    if not user.is_manager:
        # Same answer as the case page for a case the user cannot see; otherwise the
        # role is what refuses, and nothing has been read.
        if not cases_visible_to(user).filter(pk=case_id).exists():
            raise NotFound
        raise AccessDenied
    case = case_get_for_user(user=user, case_id=case_id)
    events = (
        audit_events_about(case_ids=[case.pk], person_ids=[case.person_id])
        .select_related("actor")
        .order_by("-at", "-id")
    )
    page = Paginator(events, 50).get_page(page_number)
    audit_record(
        actor=user,
        action=AuditAction.READ,
        object_type="audit_log",
        object_id=case.pk,
        case_id=case.pk,
        person_id=case.person_id,
        detail="logggranskning",
    )
    return case, page
