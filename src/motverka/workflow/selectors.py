"""Reads for the workflow: the facts the policy decides on, the "Nästa steg" summary and the
deadline lists. Callers have already fetched the case through :mod:`motverka.cases.access`
(which decides access and logs the read); list selectors log their hits themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from motverka.cases.access import cases_visible_to, log_case_hits
from motverka.cases.models import Case
from motverka.cases.selectors import page_read
from motverka.cases.vocabulary import InterventionKind
from motverka.workflow import policy
from motverka.workflow.deadlines import DeadlineKind, DeadlineState, deadline_state
from motverka.workflow.models import CaseMeasure, Consent, Deadline, StepRecord
from motverka.workflow.policy import (
    CaseFacts,
    CaseStatus,
    ConsentScope,
    ConsentStatus,
    Measure,
    MeasureState,
    Outcome,
    Step,
)

__all__ = [
    "ConsentRow",
    "DeadlineRow",
    "MeasureRow",
    "WorkflowSummary",
    "case_facts",
    "case_workflow_summary",
    "current_consents",
    "deadlines_for_user",
    "overdue_count_for_user",
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


def _deadlines_of_user(user: Any, assigned_only: bool) -> QuerySet[Deadline]:
    cases = cases_visible_to(user)
    if assigned_only:
        cases = cases.filter(Q(assigned_to=user) | Q(assigned_to__isnull=True))
    return Deadline.objects.filter(met_on__isnull=True, case__in=cases)


def deadlines_for_user(
    *, user: Any, today: date, assigned_only: bool = True, log: bool = True
) -> list[DeadlineRow]:
    """Open deadlines that are due or overdue on ``today``, earliest first.

    With ``assigned_only`` (the "Mina bevakningar" page): deadlines of cases assigned to
    ``user`` plus the unassigned cases of the user's units; otherwise all of the user's
    units. Each case on the list is logged as a read.
    """
    horizon = today + timedelta(days=lead_days())
    deadlines = list(
        _deadlines_of_user(user, assigned_only)
        .filter(due_on__lte=horizon)
        .select_related("case", "case__person", "case__assigned_to")
        .order_by("due_on", "id")
    )
    if log:
        log_case_hits(
            user=user,
            cases={deadline.case_id: deadline.case for deadline in deadlines}.values(),
            detail="bevakningar",
        )
    return [_deadline_row(deadline, today) for deadline in deadlines]


def overdue_count_for_user(*, user: Any, today: date) -> int:
    """How many of the user's open deadlines (as on "Mina bevakningar") are overdue."""
    return _deadlines_of_user(user, assigned_only=True).filter(due_on__lt=today).count()
