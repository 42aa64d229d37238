"""Pages of the workflow: step and consent forms of the case page, "Mina bevakningar" and
the deadline calculator.

Views are thin: they fetch the case through the access layer, parse input with a form, call
one service and redirect, or re-render the case page with HTTP 400 and the Swedish reason.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motverka.cases import access, case_page
from motverka.cases.errors import AccessDenied, NotFound, VersionConflict
from motverka.cases.selectors import enable_page_reads
from motverka.cases.views import call_service, case_page_with_errors, query_without_page
from motverka.integrity.conflicts import conflict_page, posted_version
from motverka.workflow import selectors, services
from motverka.workflow.calculator import calculate
from motverka.workflow.forms import (
    ConsentRecordForm,
    DeadlineCalculatorForm,
    DeadlineFilterForm,
    StepForm,
    step_key,
)
from motverka.workflow.panels import BOUND_FORMS_ATTRIBUTE, not_applicable_choices
from motverka.workflow.policy import Action, ConsentScope, Measure


def _back_to_panel(case_id: int) -> HttpResponse:
    return redirect(case_page.section_url(case_id, case_page.MEASURES))


def _step_form(step: Action, summary: selectors.WorkflowSummary) -> StepForm:
    if step == Action.MARK_NOT_APPLICABLE:
        # One form for every measure that may be marked as not applicable now.
        return StepForm(action=step, measures=not_applicable_choices(summary))
    return StepForm(action=step)


def _step_page(
    request: HttpRequest, case: Any, step: Action, form: StepForm | None, status: int = 200
) -> HttpResponse:
    """The step's form: a fragment for htmx (opened in the Åtgärder section), otherwise a
    page of its own with the case page's header, which works without JavaScript."""
    enable_page_reads(case)  # the header below shares this summary
    summary = selectors.case_workflow_summary(case=case, today=timezone.localdate())
    step_now = next((item for item in summary.next_steps if item.action == step), None)
    refusal = None
    if step_now is None:
        refusal = _("Steget kan inte tas i ärendets nuvarande läge.")
    elif not any(item.action == step and item.allowed for item in summary.next_steps):
        refusal = step_now.reason
    if form is None and refusal is None:
        form = _step_form(step, summary)
    context = {
        "case": case,
        "form": form,
        "key": step_key(step, None),
        "label": _("Markera en åtgärd som ej aktuell")
        if step == Action.MARK_NOT_APPLICABLE
        else step.label,
        "url": reverse("workflow_step", kwargs={"case_id": case.pk, "action": step.value}),
        "refusal": refusal if form is None else None,
        "back_url": case_page.section_url(case.pk, case_page.MEASURES),
    }
    if request.htmx and status == 200:  # type: ignore[attr-defined]
        template = "workflow/_step_form.html" if form is not None else "workflow/_step_refusal.html"
        response = render(request, template, context)
    else:
        context.update(case_page.page_context(request, case, case_page.MEASURES))
        response = render(request, "workflow/step_page.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_http_methods(["GET", "POST"])
def step_perform(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    case = access.case_get_for_user(user=request.user, case_id=case_id)
    try:
        step = Action(action)
    except ValueError as error:
        raise NotFound from error
    if request.method == "GET":
        return _step_page(request, case, step, None)
    measure = request.POST.get("measure") or None
    if step != Action.MARK_NOT_APPLICABLE:
        form = StepForm(request.POST, action=step)
    else:
        # The select of the measures that may be marked now, and the one posted: the
        # policy, not the form, refuses a measure that may not be marked.
        summary = selectors.case_workflow_summary(case=case, today=timezone.localdate())
        choices = dict(not_applicable_choices(summary))
        if measure in Measure.values:
            choices.setdefault(measure, str(Measure(measure).label))
        form = StepForm(request.POST, action=step, measures=list(choices.items()))
    if form.is_valid():
        data = form.cleaned_data
        if call_service(
            form,
            lambda: services.case_action_perform(
                acting_user=request.user,
                case=case,
                action=step,
                performed_on=data["performed_on"],
                measure=data.get("measure") or None,
                outcome=data.get("outcome") or None,
                reason=data.get("reason", ""),
                details=form.details(),
            ),
        ):
            messages.success(request, _("Steget är registrerat: %(step)s.") % {"step": step.label})
            return _back_to_panel(case.pk)
    return _step_page(request, case, step, form, status=400)


@login_required
@require_POST
def consent_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.case_get_for_user(user=request.user, case_id=case_id)
    form = ConsentRecordForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = call_service(
                form,
                lambda: services.consent_record(
                    acting_user=request.user,
                    case=case,
                    scope=data["scope"],
                    status=data["status"],
                    decided_on=data["decided_on"],
                    form=data["form"],
                    note=data["note"],
                    expected_version=posted_version(request, f"version_{data['scope']}"),
                ),
                versioned=True,
            )
        except VersionConflict as conflict:
            current = selectors.current_consents(case=case).get(ConsentScope(data["scope"]))
            stored = (
                {
                    name: getattr(current, name)
                    for name in ("scope", "status", "decided_on", "form", "note")
                }
                if current is not None
                else {}
            )
            return conflict_page(
                request,
                conflict,
                form=form,
                stored=stored,
                title=_("Ett annat svar om samtycket har registrerats sedan du öppnade ärendet."),
                back_url=case_page.section_url(case.pk, case_page.MEASURES),
            )
        if saved:
            messages.success(request, _("Samtycket är registrerat."))
            return _back_to_panel(case.pk)
    return case_page_with_errors(
        request, case, BOUND_FORMS_ATTRIBUTE, "consent", form, section=case_page.MEASURES
    )


def _deadline_list(
    request: HttpRequest, *, unit_view: bool, case_workers: list[tuple[str, str]] | None = None
) -> HttpResponse:
    today = timezone.localdate()
    form = DeadlineFilterForm(request.GET or None, case_workers=case_workers)
    invalid = form.is_bound and not form.is_valid()
    page = (
        Paginator([], settings.MOTVERKA_PAGE_SIZE).get_page(1)
        if invalid
        else selectors.deadline_page(
            user=request.user,
            today=today,
            filters=form.filters(),
            unit_view=unit_view,
            page_number=request.GET.get("sida", 1),
            page_size=settings.MOTVERKA_PAGE_SIZE,
        )
    )
    return render(
        request,
        "workflow/my_deadlines.html",
        {
            "form": form,
            "page": page,
            "rows": page.object_list,
            "today": today,
            "lead_days": selectors.lead_days(),
            "unit_view": unit_view,
            "query_string": query_without_page(request),
        },
        status=400 if invalid else 200,
    )


@login_required
@require_GET
def my_deadlines(request: HttpRequest) -> HttpResponse:
    access.require_case_role(request.user)
    return _deadline_list(request, unit_view=False)


@login_required
@require_GET
def unit_deadlines(request: HttpRequest) -> HttpResponse:
    """Every open deadline of the manager's units, optionally one case worker's."""
    access.require_case_role(request.user)
    if not request.user.is_manager:  # type: ignore[union-attr]
        raise AccessDenied
    return _deadline_list(
        request,
        unit_view=True,
        case_workers=[
            (str(colleague.pk), colleague.display_name())
            for colleague in selectors.unit_case_workers(user=request.user)
        ],
    )


@login_required
@require_GET
def deadline_calculator(request: HttpRequest) -> HttpResponse:
    form = DeadlineCalculatorForm(request.GET or None)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        result = calculate(data["start"], data["amount"], data["unit"])
    status = 400 if request.GET and not form.is_valid() else 200
    return render(
        request, "workflow/calculator.html", {"form": form, "result": result}, status=status
    )
