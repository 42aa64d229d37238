"""The one place that decides who may see which case and person, and logs every read.

Deny by default: only case workers and unit managers see cases, and only those of their
own units. A person row belongs to one unit (decision 0009) and is seen only by that unit's
members; a case is seen only together with its own unit's person row. Views, the API and
exports get a case or person only through this module. A case outside the user's units is
reported as not found, so ids cannot be probed. The one read across units — the duplicate
check at intake — is decided here too (:func:`intake_duplicates`, decision 0007).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import Combinable, NegatedExpression

from motverka.audit.models import AuditAction
from motverka.audit.services import AuditSubject, audit_record, audit_record_many
from motverka.cases.errors import AccessDenied, NotFound
from motverka.cases.models import Case
from motverka.people.identity import InvalidIdentityNumber, parse_identity_number
from motverka.people.models import Person
from motverka.workflow.policy import CaseStatus


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
    # A case is shown only with its own unit's person row; a case pointing at another
    # unit's row (written past the services) is treated as not there.
    # A disposed case (its row kept, anonymised, for the figures) is no longer a case.
    return Case.objects.filter(
        not_disposed(), unit__in=user.units.all(), person__unit_id=F("unit_id")
    )


def not_disposed(case: str = "pk") -> NegatedExpression[Combinable]:
    """The case (``case`` names its id in the outer query) has not been disposed of.

    NOT EXISTS rather than a LEFT JOIN … IS NULL: PostgreSQL estimates the anti-join from the
    small disposal table correctly, and a capped count then stops after 1,001 rows of the
    list's index (3 ms) instead of joining every visible case first (120 ms at 50,000)."""
    records = apps.get_model("archive", "DisposalRecord")
    return ~Exists(records.objects.filter(case_id=OuterRef(case)))


def visible_unit_ids(user: Any) -> list[int]:
    """The ids of the units whose cases the user may see (one query); none for roles that
    never see personal data."""
    if not (user and user.is_authenticated and user.works_with_cases):
        return []
    return list(user.units.values_list("pk", flat=True))


def cases_in_units(unit_ids: list[int]) -> QuerySet[Case]:
    """:func:`cases_visible_to` for ids from :func:`visible_unit_ids`, as literals in the
    query (lists read the ids once per request, decision 0018)."""
    if not unit_ids:
        return Case.objects.none()
    return Case.objects.filter(visible_through_case(unit_ids, prefix=""))


def visible_through_case(unit_ids: list[int], *, prefix: str = "case__") -> Q:
    """:func:`cases_visible_to`'s rule as a filter on rows that point at a case
    (``prefix`` is the path to it), for ids from :func:`visible_unit_ids`.

    As a join rather than an ``IN (cases)`` subquery, the database can start from the rows'
    own index (open deadlines by due date, say) and stop at a LIMIT, instead of first
    collecting every visible case."""
    if not unit_ids:
        return Q(pk__in=[])
    return Q(
        not_disposed(f"{prefix}id"),
        **{
            f"{prefix}unit_id__in": unit_ids,
            f"{prefix}person__unit_id": F(f"{prefix}unit_id"),
        },
    )


def persons_visible_to(user: Any) -> QuerySet[Person]:
    """Person rows of the user's own units; none for roles that never see personal data."""
    if not (user and user.is_authenticated and user.works_with_cases):
        return Person.objects.none()
    return Person.objects.filter(unit__in=user.units.all())


def case_get_for_user(*, user: Any, case_id: int | str, for_update: bool = False) -> Case:
    """The case if the user may see it, with the read logged; NotFound otherwise."""
    require_case_role(user)
    try:
        pk = int(case_id)
    except (TypeError, ValueError) as error:
        raise NotFound from error
    # The unit ids as literals and no ORDER BY: PostgreSQL plans the seven-table join in a
    # millisecond instead of four or five (the plan, not the execution, was the cost).
    queryset = (
        cases_in_units(visible_unit_ids(user))
        .select_related(
            "person", "unit", "assigned_to", "sending_municipality", "receiving_municipality"
        )
        .filter(pk=pk)
        .order_by()
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    found = list(queryset[:1])
    if not found:
        raise NotFound
    case = found[0]
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
    """The person row if it belongs to one of the user's units; the read is logged.
    Another unit's row of the same identity number is not found."""
    require_case_role(user)
    try:
        pk = int(person_id)
    except (TypeError, ValueError) as error:
        raise NotFound from error
    person = persons_visible_to(user).filter(pk=pk).first()
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


@dataclass(frozen=True)
class IntakeDuplicates:
    """What the duplicate check at intake may tell the registering user.

    ``own_cases``: open cases of the person in the user's own units (shown with a link).
    ``other_unit_cases``: open cases in other units that may be mentioned — by unit name
    only, never with a reference, name or anything else from that unit's record; always
    empty when the person is protected in any unit's record or in the new registration.
    """

    own_cases: list[Case] = field(default_factory=list)
    other_unit_cases: list[Case] = field(default_factory=list)

    @property
    def other_unit_names(self) -> list[str]:
        return sorted({case.unit.name for case in self.other_unit_cases})

    def __bool__(self) -> bool:
        return bool(self.own_cases or self.other_unit_cases)


def intake_duplicates(*, user: Any, identity_number: str, protected: bool) -> IntakeDuplicates:
    """Open cases of the person with this number, as far as the user may learn of them.

    Nothing is logged here: the caller logs what it disclosed with
    :func:`log_intake_duplicates`. The same queries run whether or not the person turns out
    to be protected, so the answer for a protected person is the answer for a stranger.
    """
    require_case_role(user)
    try:
        canonical = parse_identity_number(identity_number).canonical
    except InvalidIdentityNumber:
        return IntakeDuplicates()
    open_cases = list(
        Case.objects.filter(person__personal_identity_number=canonical)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("unit")
        .order_by("unit__name", "pk")
    )
    protected_anywhere = Person.objects.filter(
        personal_identity_number=canonical, protected_identity=True
    ).exists()
    own_unit_ids = set(user.units.values_list("pk", flat=True))
    own = [case for case in open_cases if case.unit_id in own_unit_ids]
    others = [case for case in open_cases if case.unit_id not in own_unit_ids]
    if protected or protected_anywhere:
        others = []
    return IntakeDuplicates(own_cases=own, other_unit_cases=others)


@transaction.atomic
def log_intake_duplicates(*, user: Any, duplicates: IntakeDuplicates) -> None:
    """The warning shown is a read: the own unit's cases as search hits, and each other
    unit's case it named as a ``lookup`` row on that case (which that unit sees in the
    case's log)."""
    log_case_hits(user=user, cases=duplicates.own_cases, detail="dubblettvarning")
    audit_record_many(
        actor=user,
        action=AuditAction.LOOKUP,
        object_type="case_lookup",
        subjects=[
            AuditSubject(
                object_type="case", object_id=case.pk, case_id=case.pk, person_id=case.person_id
            )
            for case in duplicates.other_unit_cases
        ],
        detail="dubblettkontroll vid registrering i annan enhet",
    )
