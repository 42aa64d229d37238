"""Reads for the workflow: the facts the policy decides on, the "Nästa steg" summary and the
deadline lists. Callers have already fetched the case through :mod:`motverka.cases.access`
(which decides access and logs the read); list selectors log their hits themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from motverka.cases.access import (
    cases_in_units,
    log_case_hits,
    visible_through_case,
    visible_unit_ids,
)
from motverka.cases.models import Case
from motverka.cases.selectors import CappedPaginator, page_read
from motverka.cases.vocabulary import InterventionKind
from motverka.config.database import client_side_binding
from motverka.workflow import policy
from motverka.workflow.deadlines import DeadlineKind, DeadlineState, deadline_state
from motverka.workflow.models import CaseMeasure, Consent, Deadline, StepRecord
from motverka.workflow.policy import (
    Action,
    CaseFacts,
    CaseStatus,
    ConsentScope,
    ConsentStatus,
    Measure,
    MeasureStanding,
    MeasureState,
    Outcome,
    Step,
)

__all__ = [
    "ConsentRow",
    "DeadlineFilters",
    "DeadlineRow",
    "ManagerOverview",
    "MeasureRow",
    "WorkflowSummary",
    "case_facts",
    "case_workflow_summary",
    "current_consents",
    "deadline_page",
    "manager_overview",
    "overdue_count_for_user",
    "unit_case_workers",
]


def lead_days() -> int:
    return settings.MOTVERKA_DEADLINE_LEAD_DAYS


def current_consents(*, case: Case) -> dict[ConsentScope, Consent]:
    """The latest recorded answer per scope; scopes never asked are missing. Read once
    per case page (see :func:`motverka.cases.selectors.page_read`)."""
    return page_read(case, "consents", lambda: _current_consents(case))


def _current_consents(case: Case) -> dict[ConsentScope, Consent]:
    current: dict[ConsentScope, Consent] = {}
    # Newest first, so the first row seen per scope is the current one.
    for consent in (
        Consent.objects.filter(case=case)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
    ):
        current.setdefault(ConsentScope(consent.scope), consent)
    return current


def _transfer_answer_due(case: Case) -> date | None:
    # The open deadline if there is one, otherwise the last one: silence can only be
    # recorded against the period that was actually given.
    rows = [
        (deadline.due_on, deadline.met_on)
        for deadline in sorted(_deadlines(case), key=lambda row: row.pk, reverse=True)
        if deadline.kind == DeadlineKind.TRANSFER_ANSWER
    ]
    for due_on, met_on in rows:
        if met_on is None:
            return due_on
    return rows[0][0] if rows else None


def _measure_rows(case: Case) -> list[tuple[str, str, str]]:
    """(measure, state, reason for "not applicable") of the case's measures."""
    return page_read(
        case,
        "measures",
        lambda: list(
            CaseMeasure.objects.filter(case=case).values_list(
                "measure", "state", "not_applicable_reason"
            )
        ),
    )


def _deadlines(case: Case) -> list[Deadline]:
    return page_read(
        case,
        "deadlines",
        lambda: list(Deadline.objects.filter(case=case).order_by("met_on", "due_on", "id")),
    )


_ASSESSED_AS = {
    Action.ASSESS_CONFIRM.value: CaseStatus.CONFIRMED,
    Action.ASSESS_DISMISS.value: CaseStatus.DISMISSED,
}


def _assessed_as(case: Case) -> CaseStatus | None:
    """The latest assessment: the open status itself, or for a closed case its last step."""
    if case.status in (CaseStatus.CONFIRMED, CaseStatus.DISMISSED):
        return CaseStatus(case.status)
    if case.status != CaseStatus.CLOSED:
        return None
    last = (
        StepRecord.objects.filter(case=case, action__in=list(_ASSESSED_AS))
        .order_by("-performed_on", "-id")
        .values_list("action", flat=True)
        .first()
    )
    return _ASSESSED_AS.get(last) if last else None


def case_facts(*, case: Case, today: date) -> CaseFacts:
    """Read everything the policy needs about ``case`` on ``today``."""
    measures = {
        Measure(measure): MeasureState(state) for measure, state, _reason in _measure_rows(case)
    }
    consents = {
        scope: ConsentStatus(consent.status)
        for scope, consent in current_consents(case=case).items()
    }
    # .all() so that a page's prefetched interventions are used.
    ongoing_kinds = {item.kind for item in case.interventions.all() if item.ongoing}
    return CaseFacts(
        assessed_as=_assessed_as(case),
        closed_on=case.closed_on if case.status == CaseStatus.CLOSED else None,
        status=CaseStatus(case.status),
        measures=measures,
        consents=consents,
        has_ongoing_intervention=bool(ongoing_kinds),
        has_ongoing_care_intervention=InterventionKind.CARE in ongoing_kinds,
        transfer_answer_due=_transfer_answer_due(case),
        today=today,
    )


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    label: str
    state: MeasureState
    state_label: str
    required: bool
    complete: bool
    not_applicable_reason: str
    #: What the "Krävs" column says (policy.measure_standing), open case or closed.
    standing: MeasureStanding = MeasureStanding.NOT_REQUIRED

    @property
    def standing_label(self) -> str:
        return str(self.standing.label)


@dataclass(frozen=True)
class ConsentRow:
    scope: ConsentScope
    label: str
    consent: Consent | None

    @property
    def status(self) -> ConsentStatus | None:
        return ConsentStatus(self.consent.status) if self.consent else None

    @property
    def is_given(self) -> bool:
        return self.status == ConsentStatus.GIVEN


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    state: DeadlineState

    @property
    def is_overdue(self) -> bool:
        return self.state == DeadlineState.OVERDUE


@dataclass(frozen=True)
class WorkflowSummary:
    """Where a case stands in the guideline: used by the case page panel and the API."""

    status: CaseStatus
    outcome: Outcome | None
    measures: list[MeasureRow]
    consents: list[ConsentRow]
    deadlines: list[DeadlineRow]
    next_steps: list[Step]
    case: Case = field(repr=False, compare=False)

    @cached_property
    def step_records(self) -> list[StepRecord]:
        """The steps taken, newest first; read only where they are shown."""
        return list(
            StepRecord.objects.filter(case=self.case)
            .select_related("actor")
            .order_by("-performed_on", "-id")
        )

    @property
    def allowed_steps(self) -> list[Step]:
        return [step for step in self.next_steps if step.allowed]

    @property
    def blocked_steps(self) -> list[Step]:
        return [step for step in self.next_steps if not step.allowed]

    @property
    def open_deadlines(self) -> list[DeadlineRow]:
        return [row for row in self.deadlines if row.deadline.met_on is None]


def _deadline_row(deadline: Deadline, today: date) -> DeadlineRow:
    return DeadlineRow(
        deadline=deadline,
        state=deadline_state(
            due=deadline.due_on,
            today=today,
            lead_days=lead_days(),
            met=deadline.met_on is not None,
        ),
    )


def case_workflow_summary(*, case: Case, today: date) -> WorkflowSummary:
    """Status, measures, consents, deadlines, next steps and steps taken for ``case``;
    read once per case page (its header and the Åtgärder section share it)."""
    return page_read(case, f"workflow_summary:{today}", lambda: _workflow_summary(case, today))


def _workflow_summary(case: Case, today: date) -> WorkflowSummary:
    facts = case_facts(case=case, today=today)
    required = set(policy.required_measures(facts))
    reasons = {measure: reason for measure, _state, reason in _measure_rows(case)}
    measures = []
    for measure in Measure:
        state = facts.state_of(measure)
        measures.append(
            MeasureRow(
                measure=measure,
                label=str(measure.label),
                state=state,
                state_label=str(state.label),
                required=measure in required,
                complete=policy.is_complete(measure, state),
                not_applicable_reason=reasons.get(measure.value, ""),
                standing=policy.measure_standing(facts, measure),
            )
        )
    consents_by_scope = current_consents(case=case)
    consents = [
        ConsentRow(scope=scope, label=str(scope.label), consent=consents_by_scope.get(scope))
        for scope in ConsentScope
    ]
    deadlines = [_deadline_row(deadline, today) for deadline in _deadlines(case)]
    deadlines.sort(key=lambda row: (row.deadline.met_on is not None, row.deadline.due_on))
    return WorkflowSummary(
        status=facts.status,
        outcome=Outcome(case.outcome) if case.outcome else None,
        measures=measures,
        consents=consents,
        deadlines=deadlines,
        next_steps=policy.available_actions(facts),
        case=case,
    )


def _deadlines_in_units(unit_ids: list[int]) -> QuerySet[Deadline]:
    # Visibility as a join, not ``case IN (visible cases)``: the database can walk the
    # open-deadline index and stop at a LIMIT (access.visible_through_case).
    return Deadline.objects.filter(visible_through_case(unit_ids), met_on__isnull=True)


def _deadlines_of_user(user: Any, assigned_only: bool) -> QuerySet[Deadline]:
    deadlines = _deadlines_in_units(visible_unit_ids(user))
    if assigned_only:
        deadlines = deadlines.filter(Q(case__assigned_to=user) | Q(case__assigned_to__isnull=True))
    return deadlines


#: The start page counts overdue deadlines up to this many; beyond, it says "fler än".
OVERDUE_COUNT_CAP = 99


def overdue_count_for_user(*, user: Any, today: date, cap: int = OVERDUE_COUNT_CAP) -> int:
    """How many of the user's open deadlines (as on "Mina bevakningar") are overdue, counted
    up to ``cap`` + 1: more than ``cap`` means "more than cap" (a few rows read from the
    open-deadline index, however many there are)."""
    rows = (
        _deadlines_of_user(user, assigned_only=True)
        .filter(due_on__lt=today)
        .order_by()
        .values_list("pk", flat=True)[: cap + 1]
    )
    return len(rows)


@dataclass(frozen=True)
class DeadlineFilters:
    """What *Mina bevakningar* and the unit's deadline list can be narrowed to. Every field
    comes from a query parameter; none of them identifies a person."""

    state: str = ""  # "", or a DeadlineState other than "met"
    kind: str = ""  # "", or a DeadlineKind
    due_from: date | None = None
    due_to: date | None = None
    case_worker: str = ""  # unit view only: a user id, or "none" for unassigned cases


#: The open states a list can be filtered to (a met deadline is never on these lists).
OPEN_STATES = (DeadlineState.UPCOMING, DeadlineState.DUE, DeadlineState.OVERDUE)


def _state_filter(state: str, today: date) -> Q:
    horizon = today + timedelta(days=lead_days())
    if state == DeadlineState.OVERDUE:
        return Q(due_on__lt=today)
    if state == DeadlineState.DUE:
        return Q(due_on__gte=today, due_on__lte=horizon)
    if state == DeadlineState.UPCOMING:
        return Q(due_on__gt=horizon)
    return Q()


def _deadline_filters_applied(
    deadlines: QuerySet[Deadline], filters: DeadlineFilters, today: date
) -> QuerySet[Deadline]:
    deadlines = deadlines.filter(_state_filter(filters.state, today))
    if filters.kind:
        deadlines = deadlines.filter(kind=filters.kind)
    if filters.due_from:
        deadlines = deadlines.filter(due_on__gte=filters.due_from)
    if filters.due_to:
        deadlines = deadlines.filter(due_on__lte=filters.due_to)
    if filters.case_worker == "none":
        deadlines = deadlines.filter(case__assigned_to__isnull=True)
    elif filters.case_worker.isdigit() and int(filters.case_worker) < 2**63:
        deadlines = deadlines.filter(case__assigned_to_id=int(filters.case_worker))
    return deadlines


def unit_deadlines_queryset(user: Any) -> QuerySet[Deadline]:
    """Every open deadline of the cases of the manager's units (none for other roles)."""
    if not getattr(user, "is_manager", False):
        return Deadline.objects.none()
    return _deadlines_of_user(user, assigned_only=False)


#: The deadline lists count open deadlines up to this many; beyond, "fler än 100". A count
#: that stops this early lets PostgreSQL walk the open-deadline index in the list's order
#: (1.5 ms at 100,000 cases, 8,000 open deadlines for the user); to count to 1,000 it
#: chose to join every open deadline with every case of the unit (57 ms).
DEADLINE_COUNT_CAP = 100


def deadline_page(
    *,
    user: Any,
    today: date,
    filters: DeadlineFilters,
    unit_view: bool = False,
    all_units: bool = False,
    page_number: int | str = 1,
    page_size: int = 25,
) -> Page:
    """One page of open deadlines, earliest first, as :class:`DeadlineRow` objects.

    *Mina bevakningar* (neither flag): the user's cases and the unassigned cases of their
    units; ``all_units``: every case of the user's units; the unit view (``unit_view``,
    managers only): every case of their units, optionally one case worker's. The total is
    counted up to :data:`DEADLINE_COUNT_CAP` (:class:`CappedPaginator`). The cases on the page —
    not the whole list — are logged as one read.
    """
    deadlines = (
        unit_deadlines_queryset(user)
        if unit_view
        else _deadlines_of_user(user, assigned_only=not all_units)
    )
    queryset = (
        _deadline_filters_applied(deadlines, filters, today)
        .select_related("case", "case__person", "case__assigned_to")
        .order_by("due_on", "id")
    )
    page = CappedPaginator(queryset, page_size, cap=DEADLINE_COUNT_CAP).get_page(page_number)
    listed = list(page.object_list)
    log_case_hits(
        user=user,
        cases={deadline.case_id: deadline.case for deadline in listed}.values(),
        detail="enhetens bevakningar" if unit_view else "bevakningar",
    )
    rows: Any = [_deadline_row(deadline, today) for deadline in listed]
    page.object_list = rows
    return page


def unit_case_workers(*, user: Any) -> list[Any]:
    """The active case workers and managers of the user's units, by name (for filters and the
    manager's workload table)."""
    from django.contrib.auth import get_user_model

    from motverka.accounts.models import CASE_ROLES

    return list(
        get_user_model()
        .objects.filter(units__in=user.units.all(), is_active=True, role__in=CASE_ROLES)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


#: A unit manager's counts stop here; beyond, "fler än 99" (as the start page's overdue
#: count): each is a few rows read from an index, however many cases the units hold.
MANAGER_COUNT_CAP = OVERDUE_COUNT_CAP


@dataclass(frozen=True)
class CappedCount:
    """A count that stopped at ``cap`` + 1 rows: ``more`` says there are more than ``cap``."""

    value: int
    cap: int = MANAGER_COUNT_CAP

    @property
    def more(self) -> bool:
        return self.value > self.cap

    def __str__(self) -> str:
        if self.more:
            return gettext("fler än %(cap)d") % {"cap": self.cap}
        return str(self.value)


#: Stands for the id in a query compiled once for many ids (:func:`capped_counts`): no row
#: has a negative id.
_ANY_ID = -7_391_337


def _capped_sql(queryset: QuerySet[Any], cap: int) -> tuple[str, list[Any]] | None:
    """The query counting ``queryset``'s rows up to ``cap`` + 1; None if it matches nothing
    (``.none()``, an empty ``__in``)."""
    try:
        sql, values = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
    except EmptyResultSet:
        return None
    return f"(SELECT COUNT(*) FROM ({sql}) capped)", list(values)  # noqa: S608 - the ORM's SQL, values as parameters


def capped_counts(
    querysets: list[QuerySet[Any]],
    cap: int,
    *,
    per_id: Sequence[tuple[Callable[[int], QuerySet[Any]], list[int]]] = (),
) -> list[int]:
    """How many rows each queryset has, each counted up to ``cap`` + 1, in one query: one
    scalar subquery per queryset, each planned for its own values (decision 0027), so that
    each reads at most ``cap`` + 1 rows of an index; then, for each ``(make, ids)`` of
    ``per_id``, the count of ``make(id)`` for every id, in order. ``make`` is compiled
    once, with a stand-in for the id that each id then replaces as a parameter (the ORM
    compiling one queryset per case worker was most of the manager's start page)."""
    compiled = [_capped_sql(queryset, cap) for queryset in querysets]
    for make, ids in per_id:
        shape = _capped_sql(make(_ANY_ID), cap)
        if shape is None or shape[1].count(_ANY_ID) != 1:
            compiled += [_capped_sql(make(pk), cap) for pk in ids]
            continue
        sql, values = shape
        at = values.index(_ANY_ID)
        compiled += [(sql, [*values[:at], pk, *values[at + 1 :]]) for pk in ids]
    if not compiled:
        return []
    parts = [part[0] if part else "0" for part in compiled]
    params = [value for part in compiled if part for value in part[1]]
    with client_side_binding(connection), connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return [int(value) for value in row]


@dataclass(frozen=True)
class WorkloadRow:
    case_worker: Any
    open_cases: CappedCount
    overdue_deadlines: CappedCount


@dataclass(frozen=True)
class ManagerOverview:
    """The counts on a unit manager's start page: no names, so nothing here is a read of
    personal data; each count links to the list behind it, which logs what it shows."""

    workload: list[WorkloadRow]
    overdue_deadlines: CappedCount
    unassigned_cases: CappedCount
    awaiting_transfer_answer: CappedCount
    awaiting_ivo: CappedCount


def manager_overview(*, user: Any, today: date) -> ManagerOverview:
    """Workload per case worker and the unit's open questions, over the manager's units,
    each counted up to :data:`MANAGER_COUNT_CAP` + 1."""
    from django.contrib.auth import get_user_model

    from motverka.cases.selectors import awaiting_filter

    cap = MANAGER_COUNT_CAP
    unit_ids = visible_unit_ids(user) if getattr(user, "is_manager", False) else []
    open_cases = cases_in_units(unit_ids).exclude(status=CaseStatus.CLOSED)
    overdue = _deadlines_in_units(unit_ids).filter(due_on__lt=today)
    workers = unit_case_workers(user=user)
    # Someone who left the unit may still hold its cases: they stay on the table.
    former = list(
        get_user_model()
        .objects.filter(membership_periods__unit__in=unit_ids)
        .exclude(pk__in=[worker.pk for worker in workers])
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    candidates = [*workers, *former]
    ids = [candidate.pk for candidate in candidates]
    counts = capped_counts(
        [
            overdue,
            open_cases.filter(assigned_to__isnull=True),
            open_cases.filter(awaiting_filter("overflyttning")),
            open_cases.filter(awaiting_filter("ivo")),
        ],
        cap,
        per_id=[
            (lambda pk: open_cases.filter(assigned_to=pk), ids),
            (lambda pk: overdue.filter(case__assigned_to=pk), ids),
        ],
    )
    totals = [CappedCount(count, cap) for count in counts[:4]]
    open_counts = counts[4 : 4 + len(candidates)]
    overdue_counts = counts[4 + len(candidates) :]
    current = {worker.pk for worker in workers}
    workload = [
        WorkloadRow(
            case_worker=candidate,
            open_cases=CappedCount(open_count, cap),
            overdue_deadlines=CappedCount(overdue_count, cap),
        )
        for candidate, open_count, overdue_count in zip(
            candidates, open_counts, overdue_counts, strict=True
        )
        if candidate.pk in current or open_count or overdue_count
    ]
    return ManagerOverview(
        workload=workload,
        overdue_deadlines=totals[0],
        unassigned_cases=totals[1],
        awaiting_transfer_answer=totals[2],
        awaiting_ivo=totals[3],
    )
