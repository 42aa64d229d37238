"""Panels the workflow adds to the start page and the case page (deadlines, next steps)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motverka.workflow import selectors
from motverka.workflow.forms import ConsentRecordForm, StepForm, step_key
from motverka.workflow.policy import Action, Step
from motverka.workflow.step_details import labelled_details


@dataclass(frozen=True)
class StepItem:
    step: Step
    label: str
    key: str
    url: str
    form: StepForm
    has_errors: bool


def _label(step: Step) -> str:
    if step.action == Action.MARK_NOT_APPLICABLE and step.measure is not None:
        return _("Markera som ej aktuell: %(measure)s") % {"measure": step.measure.label}
    return str(step.action.label)


# The case page is rendered by the cases app; a bound form with errors reaches this panel
# through the request, since panels are rendered by their own provider.
BOUND_FORMS_ATTRIBUTE = "workflow_bound_forms"


def _bound_forms(request: HttpRequest) -> dict[str, Any]:
    return getattr(request, BOUND_FORMS_ATTRIBUTE, {})


def start_page_panels(request: HttpRequest) -> list[str]:
    count = selectors.overdue_count_for_user(user=request.user, today=timezone.localdate())
    return [render_to_string("workflow/_start_panel.html", {"overdue": count}, request=request)]


def case_page_panels(request: HttpRequest, case: Any) -> list[str]:
    summary = selectors.case_workflow_summary(case=case, today=timezone.localdate())
    bound = _bound_forms(request)
    items = []
    for step in summary.allowed_steps:
        key = step_key(step.action, step.measure)
        form = bound.get(key) or StepForm(action=step.action, measure=step.measure)
        items.append(
            StepItem(
                step=step,
                label=_label(step),
                key=key,
                url=reverse(
                    "workflow_step", kwargs={"case_id": case.pk, "action": step.action.value}
                ),
                form=form,
                has_errors=key in bound,
            )
        )
    blocked = [(step, _label(step)) for step in summary.blocked_steps]
    bound_form = next(iter(bound.values()), None)
    context = {
        "case": case,
        "summary": summary,
        "steps": items,
        "blocked": blocked,
        "bound_form": bound_form,
        "consent_form": bound.get("consent") or ConsentRecordForm(),
        "consent_has_errors": "consent" in bound,
        "is_closed": not case.is_open,
        "records": [
            (record, labelled_details(record.action, record.details or {}))
            for record in summary.step_records
        ],
    }
    return [render_to_string("workflow/_case_panel.html", context, request=request)]
