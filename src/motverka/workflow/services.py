"""Writes of the workflow: steps of the guideline, consents, deadlines and reminders.

Every write is one transaction that checks access, asks the policy, writes the change, a
timeline event and the audit row — all or nothing. The policy (:mod:`.policy`) and the
deadline rules (:mod:`.deadlines`) decide; this module only reads the facts and applies
what they return.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record
from motverka.cases.access import require_unit_member
from motverka.cases.errors import Conflict, VersionConflict
from motverka.cases.models import Case
from motverka.cases.services import record_event
from motverka.reporting.services import case_figures_refresh
from motverka.workflow import policy
from motverka.workflow.deadlines import (
    FIXED_DATE_KINDS,
    DeadlineKind,
    DeadlineRule,
    rules_from_config,
)
from motverka.workflow.models import (
    CaseMeasure,
    Consent,
    ConsentForm,
    Deadline,
    ReminderLevel,
    StepRecord,
)
from motverka.workflow.policy import (
    Action,
    CaseStatus,
    ConsentScope,
    ConsentStatus,
    Measure,
    MeasureState,
    Outcome,
    PolicyError,
    Transition,
)
from motverka.workflow.reminders import SweepResult, deadlines_sweep
from motverka.workflow.selectors import case_facts, current_consents
from motverka.workflow.step_details import DETAIL_MAX_LENGTH, details_for

__all__ = [
    "SweepResult",
    "case_action_perform",
    "consent_record",
    "deadline_rules",
    "deadline_fixed_date_set",
    "deadline_source_set",
    "deadlines_recompute",
    "deadlines_sweep",
    "registration_deadlines_start",
]


def deadline_rules() -> dict[DeadlineKind, DeadlineRule]:
    """The deadline rules in force, from ``settings.MOTVERKA_DEADLINE_RULES``."""
    return rules_from_config(settings.MOTVERKA_DEADLINE_RULES)


def _lock(case: Case) -> Case:
    """Re-read the case row under a lock, so two steps on one case run one after the other."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _lock_open_case(case: Case) -> Case:
    """:func:`_lock`, refusing a closed case: its consents and deadlines are history."""
    case = _lock(case)
    if case.status == CaseStatus.CLOSED:
        raise Conflict(_("Ärendet är avslutat och kan inte längre ändras."), "case_closed")
    return case


def _errors_to_validation(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _enum(enum: Any, value: Any, field: str, message: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise ValidationError({field: [message]}) from None


def _check_performed_on(performed_on: Any, case: Case, today: date) -> dict[str, list[str]]:
    if not isinstance(performed_on, date):
        return {"performed_on": [_("Ange ett datum (ÅÅÅÅ-MM-DD).")]}
    if performed_on > today:
        return {"performed_on": [_("Datumet kan inte ligga i framtiden.")]}
    if performed_on < case.received_on:
        return {
            "performed_on": [
                _("Datumet kan inte ligga före %(received)s, då ärendet kom in.")
                % {"received": case.received_on.isoformat()}
            ]
        }
    return {}


def _clean_details(action: Action, details: Mapping[str, str] | None) -> dict[str, str]:
    """Strip and check the facts the step records; required ones must be given."""
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for key, value in (details or {}).items():
        if not isinstance(key, str) or not isinstance(value, str):
            errors.setdefault("details", []).append(_("Uppgifterna måste vara text."))
            continue
        value = value.strip()
        if len(value) > DETAIL_MAX_LENGTH:
            errors.setdefault(key, []).append(
                _("Högst %(max)d tecken.") % {"max": DETAIL_MAX_LENGTH}
            )
        elif value:
            cleaned[key] = value
    for field in details_for(action):
        if field.required and not cleaned.get(field.name):
            errors.setdefault(field.name, []).append(
                _("Fyll i ”%(label)s”.") % {"label": field.label}
            )
    _errors_to_validation(errors)
    return cleaned


def _open_deadline_set(
    *, case: Case, kind: DeadlineKind, source_date: date, rules: Mapping[DeadlineKind, DeadlineRule]
) -> Deadline:
    """Start the deadline of ``kind`` from ``source_date``, or move the open one."""
    rule = rules[kind]
    due_on = rule.due_date(source_date)
    deadline = Deadline.objects.filter(case=case, kind=kind, met_on__isnull=True).first()
    if deadline is None:
        return Deadline.objects.create(
            case=case,
            kind=kind,
            source_date=source_date,
            due_on=due_on,
            informational=rule.informational,
        )
    if due_on > deadline.due_on:
        # A later date is a new period: its reminders have not been sent yet.
        deadline.reminded_state = ReminderLevel.NONE
    deadline.source_date = source_date
    deadline.due_on = due_on
    deadline.informational = rule.informational
    deadline.save(
        update_fields=["source_date", "due_on", "informational", "reminded_state", "updated_at"]
    )
    return deadline


def _meet_deadlines(case: Case, kinds: Iterable[DeadlineKind], met_on: date) -> int:
    kinds = list(kinds)
    if not kinds:
        return 0
    return Deadline.objects.filter(case=case, kind__in=kinds, met_on__isnull=True).update(
        met_on=met_on, updated_at=timezone.now()
    )


def _apply(
    *,
    case: Case,
    transition: Transition,
    acting_user: Any,
    performed_on: date,
    reason: str,
) -> None:
    action = transition.action
    fields = ["status", "updated_at"]
    case.status = transition.status
    if action in (Action.ASSESS_CONFIRM, Action.ASSESS_DISMISS):
        case.assessment_reason = reason
        case.assessed_on = performed_on
        fields += ["assessment_reason", "assessed_on"]
    if action == Action.CLOSE:
        case.outcome = transition.outcome or ""
        case.closed_on = performed_on
        case.closing_note = reason
        fields += ["outcome", "closed_on", "closing_note"]
    if action == Action.REOPEN:
        # The closing stays in the step records and the timeline; the case is open again.
        case.outcome = ""
        case.closed_on = None
        case.closing_note = ""
        fields += ["outcome", "closed_on", "closing_note"]
    case.save(update_fields=fields)

    if transition.measure is not None and transition.measure_state is not None:
        CaseMeasure.objects.update_or_create(
            case=case,
            measure=transition.measure,
            defaults={
                "state": transition.measure_state,
                "not_applicable_reason": (
                    reason if transition.measure_state == MeasureState.NOT_APPLICABLE else ""
                ),
                "updated_by": acting_user,
            },
        )

    rules = deadline_rules()
    for kind in transition.deadlines_started:
        if (
            kind in policy.REGISTRATION_DEADLINES
            and Deadline.objects.filter(case=case, kind=kind).exists()
        ):
            # Started at registration (or already met): a later step never moves it.
            continue
        _open_deadline_set(case=case, kind=kind, source_date=performed_on, rules=rules)
    _meet_deadlines(case, transition.deadlines_met, performed_on)
    if action == Action.CLOSE:
        # A closed case waits for nothing: close every follow-up so no reminder goes out.
        Deadline.objects.filter(case=case, met_on__isnull=True).update(
            met_on=performed_on, updated_at=timezone.now()
        )


def _step_event_text(transition: Transition, performed_on: date) -> str:
    text = _("%(step)s (%(date)s).") % {
        "step": transition.action.label,
        "date": performed_on.isoformat(),
    }
    if transition.measure is not None and transition.measure_state is not None:
        text += " " + _("%(measure)s: %(state)s.") % {
            "measure": transition.measure.label,
            "state": transition.measure_state.label,
        }
    if transition.outcome is not None:
        text += " " + _("Utfall: %(outcome)s.") % {"outcome": transition.outcome.label}
    return text


@transaction.atomic
def case_action_perform(
    *,
    acting_user: Any,
    case: Case,
    action: Action | str,
    performed_on: date,
    measure: Measure | str | None = None,
    outcome: Outcome | str | None = None,
    reason: str = "",
    details: Mapping[str, str] | None = None,
    today: date | None = None,
) -> Case:
    """Take one step of the guideline on ``case``, as the policy allows it.

    Reads the facts under a row lock, asks :func:`policy.decide`, and writes the new status
    or measure state, the deadlines the step starts (counted from ``performed_on``) and
    meets, a step record with ``details``, a timeline event and an audit row. A refusal by
    the policy raises :class:`Conflict` with its Swedish message and code; bad input raises
    :class:`ValidationError`. Either way nothing is written. ``today`` defaults to the local
    date and exists for tests and imports.
    """
    require_unit_member(acting_user, case.unit_id)
    today = today or timezone.localdate()
    step: Action = _enum(Action, action, "action", _("Okänt steg."))
    target: Measure | None = (
        _enum(Measure, measure, "measure", _("Okänd åtgärd.")) if measure else None
    )
    chosen: Outcome | None = (
        _enum(Outcome, outcome, "outcome", _("Okänt utfall.")) if outcome else None
    )
    reason = (reason or "").strip()

    case = _lock(case)
    facts = case_facts(case=case, today=today)
    try:
        transition = policy.decide(facts, step, measure=target, outcome=chosen, reason=reason)
    except PolicyError as refusal:
        raise Conflict(refusal.message, refusal.code) from None

    _errors_to_validation(_check_performed_on(performed_on, case, today))
    try:
        # The date itself against the guideline (no silence before the period has run).
        policy.decide(
            facts, step, measure=target, outcome=chosen, reason=reason, performed_on=performed_on
        )
    except PolicyError as refusal:
        raise ValidationError({"performed_on": [refusal.message]}) from None
    cleaned = _clean_details(step, details)

    _apply(
        case=case,
        transition=transition,
        acting_user=acting_user,
        performed_on=performed_on,
        reason=reason,
    )
    StepRecord.objects.create(
        case=case,
        action=step,
        measure=transition.measure or "",
        performed_on=performed_on,
        details=cleaned,
        note=reason,
        actor=acting_user,
    )
    record_event(
        case=case,
        actor=acting_user,
        kind="workflow_step",
        text=_step_event_text(transition, performed_on),
    )
    case_figures_refresh(case_ids=[case.pk])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        object_type="case",
        object_id=case.pk,
        case_id=case.pk,
        person_id=case.person_id,
        detail=f"steg: {step.value}",
    )
    return case


def registration_deadlines_start(*, case: Case) -> list[Deadline]:
    """Start the deadlines that run from registration (:data:`policy.REGISTRATION_DEADLINES`).

    Called by the case registration inside its own transaction (which checks access and
    writes the audit row); counted from the day of registration, when the suspicion is on
    record (docs/architecture.md, "Deadlines").
    """
    rules = deadline_rules()
    today = timezone.localdate()
    return [
        _open_deadline_set(case=case, kind=kind, source_date=today, rules=rules)
        for kind in policy.REGISTRATION_DEADLINES
    ]


@transaction.atomic
def consent_record(
    *,
    acting_user: Any,
    case: Case,
    scope: ConsentScope | str,
    status: ConsentStatus | str,
    decided_on: date,
    form: ConsentForm | str,
    note: str = "",
    today: date | None = None,
    expected_version: int | None = None,
) -> Consent:
    """Record the person's answer for one consent scope.

    Each answer gets the next version of its scope (1 for the first). ``expected_version`` is
    the version of the current answer the user saw (0: none): when another answer was
    recorded since, it is a VersionConflict and nothing is written.

    The new row is the current answer from the moment it is saved: a withdrawal or refusal
    blocks the steps that need the consent at once. Withdrawing needs a consent that is
    currently given.
    """
    require_unit_member(acting_user, case.unit_id)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if scope not in ConsentScope.values:
        errors["scope"] = [_("Välj vad samtycket gäller.")]
    if status not in ConsentStatus.values:
        errors["status"] = [_("Välj den enskildes svar.")]
    if form not in ConsentForm.values:
        errors["form"] = [_("Välj om beskedet var muntligt eller skriftligt.")]
    if not isinstance(decided_on, date):
        errors["decided_on"] = [_("Ange ett datum (ÅÅÅÅ-MM-DD).")]
    elif decided_on > today:
        errors["decided_on"] = [_("Datumet kan inte ligga i framtiden.")]
    elif decided_on < case.received_on:
        errors["decided_on"] = [
            _("Datumet kan inte ligga före %(received)s, då ärendet kom in.")
            % {"received": case.received_on.isoformat()}
        ]
    _errors_to_validation(errors)
    scope, status, form = ConsentScope(scope), ConsentStatus(status), ConsentForm(form)

    case = _lock_open_case(case)
    latest = Consent.objects.filter(case=case, scope=scope).order_by("-version").first()
    stored_version = latest.version if latest is not None else 0
    if expected_version is not None and expected_version != stored_version:
        raise VersionConflict(
            record_type="consent",
            record_id=f"{case.pk}-{scope.value}",
            expected_version=expected_version,
            current_version=stored_version,
        )
    if status == ConsentStatus.WITHDRAWN:
        current = current_consents(case=case).get(scope)
        if current is None or current.status != ConsentStatus.GIVEN:
            raise ValidationError(
                {"status": [_("Det finns inget lämnat samtycke att återkalla för detta.")]}
            )
    try:
        with transaction.atomic():
            consent = Consent.objects.create(
                case=case,
                scope=scope,
                status=status,
                decided_on=decided_on,
                form=form,
                note=(note or "").strip(),
                recorded_by=acting_user,
                # The unique (case, scope, version) lets one of two concurrent answers in.
                version=stored_version + 1,
            )
    except IntegrityError:
        raise VersionConflict(
            record_type="consent",
            record_id=f"{case.pk}-{scope.value}",
            expected_version=stored_version,
            current_version=stored_version + 1,
        ) from None
    record_event(
        case=case,
        actor=acting_user,
        kind="consent",
        text=_("Samtycke till %(scope)s: %(status)s (%(form)s, %(date)s).")
        % {
            "scope": str(scope.label).lower(),
            "status": status.label,
            "form": str(form.label).lower(),
            "date": decided_on.isoformat(),
        },
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        object_type="consent",
        object_id=consent.pk,
        case_id=case.pk,
        person_id=case.person_id,
        detail=f"{scope.value}: {status.value}",
    )
    return consent


@transaction.atomic
def deadline_source_set(
    *,
    acting_user: Any,
    case: Case,
    kind: DeadlineKind | str,
    source_date: date | None,
) -> Deadline | None:
    """Start, move or cancel the open deadline of ``kind`` because its start date changed.

    For example the housing module sets ``rent_end_follow_up`` to the day the sending
    municipality stops paying rent. A later due date resets the reminders; ``None`` cancels
    (deletes) the open deadline and returns ``None``. Met deadlines are history and are
    never touched.
    """
    require_unit_member(acting_user, case.unit_id)
    kind = DeadlineKind(_enum(DeadlineKind, kind, "kind", _("Okänd typ av bevakning.")))
    if source_date is not None and not isinstance(source_date, date):
        raise ValidationError({"source_date": [_("Ange ett datum (ÅÅÅÅ-MM-DD).")]})
    case = _lock_open_case(case)
    deadline: Deadline | None
    if source_date is None:
        deleted, _rows = Deadline.objects.filter(case=case, kind=kind, met_on__isnull=True).delete()
        if not deleted:
            return None
        deadline = None
        text = _("Bevakningen ”%(kind)s” togs bort.") % {"kind": kind.label}
    else:
        deadline = _open_deadline_set(
            case=case, kind=kind, source_date=source_date, rules=deadline_rules()
        )
        text = _("Bevakningen ”%(kind)s” gäller till och med %(due)s (räknat från %(source)s).") % {
            "kind": kind.label,
            "due": deadline.due_on.isoformat(),
            "source": source_date.isoformat(),
        }
    record_event(case=case, actor=acting_user, kind="deadline", text=text)
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        object_type="deadline",
        object_id=deadline.pk if deadline else "",
        case_id=case.pk,
        person_id=case.person_id,
        detail=f"{kind.value}: {source_date.isoformat() if source_date else 'borttagen'}",
    )
    return deadline


def _batches(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _batch_size() -> int:
    # Stay under the database's limit on query parameters (999 on old SQLite builds).
    limit = connection.features.max_query_params or 10_000
    return max(1, min(5_000, limit - 10))


@transaction.atomic
def deadlines_recompute(*, rules: Mapping[DeadlineKind, DeadlineRule] | None = None) -> int:
    """Recompute the due date of every open deadline after a change of the rules.

    Returns how many deadlines moved. A deadline that moves later gets its reminders again.
    """
    rules = rules if rules is not None else deadline_rules()
    changed: list[Deadline] = []
    now = timezone.now()
    for deadline in Deadline.objects.filter(met_on__isnull=True).only(
        "id", "kind", "source_date", "due_on", "informational", "reminded_state"
    ):
        rule = rules.get(DeadlineKind(deadline.kind))
        if rule is None:  # a fixed date (FIXED_DATE_KINDS): no rule moves it
            continue
        due_on = rule.due_date(deadline.source_date)
        if due_on == deadline.due_on and rule.informational == deadline.informational:
            continue
        if due_on > deadline.due_on:
            deadline.reminded_state = ReminderLevel.NONE
        deadline.due_on = due_on
        deadline.informational = rule.informational
        deadline.updated_at = now
        changed.append(deadline)
    Deadline.objects.bulk_update(
        changed,
        ["due_on", "informational", "reminded_state", "updated_at"],
        batch_size=_batch_size() // 5,
    )
    if changed:
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            object_type="deadline",
            detail=f"omräkning efter ändrade regler: {len(changed)} bevakningar",
        )
    return len(changed)


def deadline_fixed_date_set(
    *,
    acting_user: Any,
    case: Case,
    kind: DeadlineKind,
    due_on: date | None,
    today: date | None = None,
) -> Deadline | None:
    """Keep the open deadline of a fixed-date kind (``FIXED_DATE_KINDS``) on ``due_on``.

    Called by the service that owns the date inside its own transaction (the housing
    module for the earliest planned home visit). A new or later date is a new period, so
    its reminders go out again; ``None`` meets the open deadline on ``today`` (the visit
    was recorded or cancelled). Returns the open deadline, or ``None``.
    """
    require_unit_member(acting_user, case.unit_id)
    if kind not in FIXED_DATE_KINDS:
        raise ValueError(f"{kind} is computed by a rule, not set to a date")
    today = today or timezone.localdate()
    deadline = Deadline.objects.filter(case=case, kind=kind, met_on__isnull=True).first()
    if due_on is None:
        if deadline is not None:
            deadline.met_on = today
            deadline.save(update_fields=["met_on", "updated_at"])
            detail = f"{kind.value}: klar {today.isoformat()}"
        else:
            return None
        result = None
    elif deadline is None:
        result = Deadline.objects.create(case=case, kind=kind, source_date=today, due_on=due_on)
        detail = f"{kind.value}: {due_on.isoformat()}"
    elif deadline.due_on != due_on:
        if due_on > deadline.due_on:
            deadline.reminded_state = ReminderLevel.NONE
        deadline.due_on = due_on
        deadline.source_date = today
        deadline.save(update_fields=["due_on", "source_date", "reminded_state", "updated_at"])
        result = deadline
        detail = f"{kind.value}: {due_on.isoformat()}"
    else:
        return deadline
    target = result or deadline
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        object_type="deadline",
        object_id=target.pk if target else "",
        case_id=case.pk,
        person_id=case.person_id,
        detail=detail,
    )
    return result
