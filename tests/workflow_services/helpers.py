"""Shared steps for the workflow service tests: every write goes through the services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from motverka.audit.models import AuditEvent
from motverka.cases.models import Case, CaseEvent
from motverka.workflow.models import CaseMeasure, Consent, ConsentForm, Deadline, StepRecord
from motverka.workflow.policy import Action, ConsentScope, ConsentStatus
from motverka.workflow.services import case_action_perform, consent_record
from tests.factories import intervention, make_case

CARE = (
    intervention("financial_assistance"),
    intervention("care", "Missbruksvård"),
)
FINANCIAL_ONLY = (intervention("financial_assistance"),)

DETAILS: dict[Action, dict[str, str]] = {
    Action.RECORD_OBJECTION: {
        "contacted": "Mottagningen, Stockholms stad",
        "channel": "telefon",
        "summary": "Markerade att flytten inte är acceptabel.",
    },
    Action.REQUEST_JUSTIFICATION: {"contacted": "Enhetschef Sara, Stockholms stad"},
    Action.RECORD_JUSTIFICATION_RECEIVED: {"justification": "Bostadsbrist."},
    Action.RECORD_PERSONAL_ACCOUNT: {"account": "Ville inte flytta."},
    Action.RECORD_FINANCIAL_ASSISTANCE_ASSESSMENT: {"decision_reference": "EB 2026/12"},
}


def new_case(user: Any, *, interventions: tuple = CARE, **overrides: Any) -> Case:
    return make_case(user, interventions=interventions, **overrides)


def step(case: Case, user: Any, action: Action, *, on: date | None = None, **kwargs: Any) -> Case:
    kwargs.setdefault("details", DETAILS.get(action))
    return case_action_perform(
        acting_user=user,
        case=case,
        action=action,
        performed_on=on or case.received_on,
        **kwargs,
    )


def consent(
    case: Case,
    user: Any,
    scope: ConsentScope,
    status: ConsentStatus = ConsentStatus.GIVEN,
    on: date | None = None,
) -> Consent:
    return consent_record(
        acting_user=user,
        case=case,
        scope=scope,
        status=status,
        decided_on=on or timezone.localdate(),
        form=ConsentForm.WRITTEN,
    )


def confirmed(user: Any, **kwargs: Any) -> Case:
    case = new_case(user, **kwargs)
    return step(case, user, Action.ASSESS_CONFIRM, reason="Bostad ordnad av tidigare kommun.")


def counts() -> dict[str, int]:
    """Row counts of everything a step may write, to prove a refusal writes nothing."""
    return {
        "steps": StepRecord.objects.count(),
        "audit_writes": AuditEvent.objects.exclude(action="read").count(),
        "measures": CaseMeasure.objects.count(),
        "deadlines": Deadline.objects.count(),
        "open_deadlines": Deadline.objects.filter(met_on__isnull=True).count(),
        "events": CaseEvent.objects.count(),
        "consents": Consent.objects.count(),
    }
