"""Reading the audit log: who has read or changed a case and its person.

Only unit managers of the case's unit may review it (they review access regularly, and
answer a person who asks who has accessed their data). Reviewing the log is itself logged.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q

from motverka.audit.models import AuditAction, AuditEvent
from motverka.audit.services import audit_record
from motverka.cases.access import case_get_for_user, cases_visible_to, require_case_role
from motverka.cases.errors import AccessDenied, NotFound
from motverka.cases.models import Case


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
        AuditEvent.objects.filter(Q(case_id=case.pk) | Q(person_id=case.person_id))
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
