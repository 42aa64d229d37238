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

from motverka.cases import case_page
from motverka.workflow import selectors
from motverka.workflow.forms import ConsentRecordForm, step_key
from motverka.workflow.policy import Action, Step
from motverka.workflow.step_details import labelled_details


@dataclass(frozen=True)
class StepItem:
    """One step on the Åtgärder section: a link that opens its form (fetched on demand),
    or — for a step carried out in another section — a link to that section."""

    label: str
    key: str
    url: str
    elsewhere: tuple[str, str] | None = None  # (URL of the section, Swedish hint)


# Steps that are carried out in another section of the case page, which takes the step
# itself: the Åtgärder section links there (one way in per step). The letter steps' own
# forms, for a letter sent outside Motverka, are offered on the Skrivelser section.
_LETTER_HINT = _l(
    "Skapa och skicka skrivelsen under ”Skrivelser”; när den markeras som skickad "
    "registreras steget. Där registreras också en skrivelse som skickades utanför Motverka."
)
CARRIED_OUT_ELSEWHERE: dict[Action, tuple[str, Any]] = {
    Action.RECORD_PERSONAL_ACCOUNT: (
        case_page.ACCOUNT,
        _l("Dokumentera berättelsen under ”Berättelse”; då registreras steget."),
    ),
    Action.RECORD_HOME_VISIT: (
        case_page.HOUSING,
        _l("Registrera hembesöket under ”Boende och hembesök”; då registreras steget."),
    ),
    Action.SEND_OFFICIAL_LETTER: (case_page.LETTERS, _LETTER_HINT),
    Action.REQUEST_JUSTIFICATION: (case_page.LETTERS, _LETTER_HINT),
    Action.SEND_TRANSFER_REQUEST: (case_page.LETTERS, _LETTER_HINT),
    Action.APPLY_TO_IVO: (case_page.LETTERS, _LETTER_HINT),
}


def _elsewhere(case: Any, action: Action) -> tuple[str, str] | None:
    if action not in CARRIED_OUT_ELSEWHERE:
        return None
    section, hint = CARRIED_OUT_ELSEWHERE[action]
    return case_page.section_url(case.pk, section), str(hint)


def _label(step: Step) -> str:
    if step.action == Action.MARK_NOT_APPLICABLE and step.measure is not None:
        return _("Markera som ej aktuell: %(measure)s") % {"measure": step.measure.label}
    return str(step.action.label)


def step_url(case: Any, action: Action) -> str:
    """The step's form: a page of its own, or a fragment when fetched by htmx."""
    return reverse("workflow_step", kwargs={"case_id": case.pk, "action": action.value})


# The Åtgärder section is rendered by the cases app; a bound form with errors reaches this
# panel through the request, since panels are rendered by their own provider.
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
    cap = selectors.OVERDUE_COUNT_CAP
    panels.append(
        render_to_string(
            "workflow/_start_panel.html",
            {"overdue": count, "more_than": cap if count > cap else None},
            request=request,
        )
    )
    return panels


def not_applicable_choices(summary: selectors.WorkflowSummary) -> list[tuple[str, str]]:
    """The measures that may be marked as not applicable now, for the one "Ej aktuell" form."""
    return [
        (step.measure.value, str(step.measure.label))
        for step in summary.allowed_steps
        if step.action == Action.MARK_NOT_APPLICABLE and step.measure is not None
    ]


def _step_items(case: Any, summary: selectors.WorkflowSummary) -> list[StepItem]:
    items = []
    not_applicable = False
    for step in summary.allowed_steps:
        if step.action == Action.MARK_NOT_APPLICABLE:
            not_applicable = True  # one item for every measure, after the others
            continue
        items.append(
            StepItem(
                label=_label(step),
                key=step_key(step.action, step.measure),
                url=step_url(case, step.action),
                elsewhere=_elsewhere(case, step.action),
            )
        )
    if not_applicable:
        items.append(
            StepItem(
                label=_("Markera en åtgärd som ej aktuell"),
                key=Action.MARK_NOT_APPLICABLE.value,
                url=step_url(case, Action.MARK_NOT_APPLICABLE),
            )
        )
    return items


def _summary(case: Any) -> selectors.WorkflowSummary:
    return selectors.case_workflow_summary(case=case, today=timezone.localdate())


def case_header_panels(request: HttpRequest, case: Any) -> list[str]:
    """The case page's header: status, the next step, the nearest deadline, the consents."""
    summary = _summary(case)
    steps = [step for step in summary.allowed_steps if step.action != Action.MARK_NOT_APPLICABLE]
    open_deadlines = summary.open_deadlines
    context = {
        "case": case,
        "summary": summary,
        "next_step": _label(steps[0]) if steps else None,
        "more_steps": len(steps) - 1 if steps else 0,
        "measures_url": case_page.section_url(case.pk, case_page.MEASURES),
        "nearest": min(open_deadlines, key=lambda row: row.deadline.due_on)
        if open_deadlines
        else None,
    }
    return [render_to_string("workflow/_case_header.html", context, request=request)]


def case_page_panels(request: HttpRequest, case: Any) -> list[str]:
    """The Åtgärder section: the steps the guideline asks for now (each form fetched when
    opened), blocked steps, deadlines, measures, consents and the steps taken."""
    summary = _summary(case)
    bound = _bound_forms(request)
    blocked = [(step, _label(step)) for step in summary.blocked_steps]
    context = {
        "case": case,
        "summary": summary,
        "steps": _step_items(case, summary),
        "blocked": blocked,
        "consent_form": bound.get("consent") or ConsentRecordForm(),
        "consent_has_errors": "consent" in bound,
        "bound_form": bound.get("consent"),
        "is_closed": not case.is_open,
        "records": [
            (record, labelled_details(record.action, record.details or {}))
            for record in summary.step_records
        ],
    }
    return [render_to_string("workflow/_case_panel.html", context, request=request)]


def letter_step_panels(request: HttpRequest, case: Any) -> list[str]:
    """On the Skrivelser section: the guideline's steps that are taken with a letter, each
    with the form to register a letter that was sent outside Motverka."""
    summary = _summary(case)
    items = [
        StepItem(
            label=_label(step),
            key=step_key(step.action, step.measure),
            url=step_url(case, step.action),
        )
        for step in summary.allowed_steps
        if CARRIED_OUT_ELSEWHERE.get(step.action, ("",))[0] == case_page.LETTERS
    ]
    if not items:
        return []
    return [
        render_to_string(
            "workflow/_letter_steps.html", {"case": case, "steps": items}, request=request
        )
    ]
