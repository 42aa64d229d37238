"""Panels the workflow adds to the start page and the case page (deadlines, next steps)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

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
    elsewhere: tuple[str, str] | None = None  # (anchor on the case page, Swedish hint)


# Steps that are normally carried out in another panel of the case page, which takes the
# step itself; the form here stays for work done outside Motverka.
_LETTER_HINT = _l(
    "Skapa och skicka skrivelsen under ”Skrivelser”; när den markeras som skickad "
    "registreras steget. Registrera här bara om skrivelsen skickades utanför Motverka."
)
CARRIED_OUT_ELSEWHERE: dict[Action, tuple[str, Any]] = {
    Action.RECORD_PERSONAL_ACCOUNT: (
        "berattelse",
        _l("Dokumentera berättelsen under ”Den enskildes berättelse”; då registreras steget."),
    ),
    Action.RECORD_HOME_VISIT: (
        "boende",
        _l("Registrera hembesöket under ”Boende och hembesök”; då registreras steget."),
    ),
    Action.SEND_OFFICIAL_LETTER: ("skrivelser", _LETTER_HINT),
    Action.REQUEST_JUSTIFICATION: ("skrivelser", _LETTER_HINT),
    Action.SEND_TRANSFER_REQUEST: ("skrivelser", _LETTER_HINT),
    Action.APPLY_TO_IVO: ("skrivelser", _LETTER_HINT),
}


def _elsewhere(action: Action) -> tuple[str, str] | None:
    if action not in CARRIED_OUT_ELSEWHERE:
        return None
    anchor, hint = CARRIED_OUT_ELSEWHERE[action]
    return anchor, str(hint)


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
    today = timezone.localdate()
    panels: list[str] = []
    if request.user.is_manager:  # type: ignore[union-attr]
        overview = selectors.manager_overview(user=request.user, today=today)
        panels.append(
            render_to_string(
                "workflow/_manager_panel.html", {"overview": overview}, request=request
            )
        )
    count = selectors.overdue_count_for_user(user=request.user, today=today)
    panels.append(
        render_to_string("workflow/_start_panel.html", {"overdue": count}, request=request)
    )
    return panels


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
                elsewhere=_elsewhere(step.action),
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
