"""The one place that decides who may see which case and person, and logs every read.

Deny by default: only case workers and unit managers see cases, and only those of their
own units. Views, the API and exports get a case or person only through this module.
A case outside the user's units is reported as not found, so ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from motverka.audit.models import AuditAction
from motverka.audit.services import AuditSubject, audit_record, audit_record_many
from motverka.cases.errors import AccessDenied, NotFound
from motverka.cases.models import Case
from motverka.people.models import Person


def require_case_role(user: Any) -> None:
    if not (user and user.is_authenticated and user.works_with_cases):
        raise AccessDenied


def require_unit_member(user: Any, unit_id: int) -> None:
    require_case_role(user)
    if not user.units.filter(pk=unit_id).exists():
        raise AccessDenied


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Cases the user may see; an empty set for roles that never see personal data."""
    if not (user and user.is_authenticated and user.works_with_cases):
        return Case.objects.none()
    return Case.objects.filter(unit__in=user.units.all())


def case_get_for_user(*, user: Any, case_id: int | str, for_update: bool = False) -> Case:
    """The case if the user may see it, with the read logged; NotFound otherwise."""
    require_case_role(user)
    try:
        pk = int(case_id)
    except (TypeError, ValueError) as error:
        raise NotFound from error
    queryset = cases_visible_to(user).select_related(
        "person", "unit", "assigned_to", "sending_municipality", "receiving_municipality"
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    case = queryset.filter(pk=pk).first()
    if case is None:
        raise NotFound
    audit_record(
        actor=user,
        action=AuditAction.READ,
        object_type="case",
        object_id=case.pk,
        case_id=case.pk,
        person_id=case.person_id,
    )
    return case


def person_get_for_user(*, user: Any, person_id: int | str) -> Person:
    """A person is visible when one of their cases is; the read is logged."""
    require_case_role(user)
    try:
        pk = int(person_id)
    except (TypeError, ValueError) as error:
        raise NotFound from error
    person = Person.objects.filter(pk=pk, cases__in=cases_visible_to(user)).distinct().first()
    if person is None:
        raise NotFound
    audit_record(
        actor=user, action=AuditAction.READ, object_type="person", object_id=pk, person_id=pk
    )
    return person


def log_case_hits(*, user: Any, cases: Iterable[Case], detail: str = "") -> None:
    """Every list or search hit is a read of personal data (name, reference): one row for
    the view, with the cases and persons shown as its subjects."""
    audit_record_many(
        actor=user,
        action=AuditAction.SEARCH,
        object_type="case_list",
        subjects=[
            AuditSubject(
                object_type="case", object_id=case.pk, case_id=case.pk, person_id=case.person_id
            )
            for case in cases
        ],
        detail=detail,
    )
