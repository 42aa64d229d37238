"""Pages of the workflow: step and consent forms of the case page, "Mina bevakningar" and
the deadline calculator.

Views are thin: they fetch the case through the access layer, parse input with a form, call
one service and redirect, or re-render the case page with HTTP 400 and the Swedish reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motverka.cases import access
from motverka.cases.errors import NotFound, VersionConflict
from motverka.cases.views import call_service, case_page_with_errors
from motverka.integrity.conflicts import conflict_page, posted_version
from motverka.workflow import selectors, services
from motverka.workflow.calculator import calculate
from motverka.workflow.forms import (
    ConsentRecordForm,
    DeadlineCalculatorForm,
    StepForm,
    step_key,
)
from motverka.workflow.panels import BOUND_FORMS_ATTRIBUTE
from motverka.workflow.policy import Action, ConsentScope


def _back_to_panel(case_id: int) -> HttpResponse:
    return redirect(reverse("case_detail", kwargs={"case_id": case_id}) + "#nasta-steg")


@login_required
@require_POST
def step_perform(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    case = access.case_get_for_user(user=request.user, case_id=case_id)
    try:
        step = Action(action)
    except ValueError as error:
        raise NotFound from error
    measure = request.POST.get("measure") or None
    form = StepForm(request.POST, action=step, measure=measure)
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
    return case_page_with_errors(
        request, case, BOUND_FORMS_ATTRIBUTE, step_key(step, measure), form
    )


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
                back_url=reverse("case_detail", args=[case.pk]),
            )
        if saved:
            messages.success(request, _("Samtycket är registrerat."))
            return _back_to_panel(case.pk)
    return case_page_with_errors(request, case, BOUND_FORMS_ATTRIBUTE, "consent", form)


@login_required
@require_GET
def my_deadlines(request: HttpRequest) -> HttpResponse:
    access.require_case_role(request.user)
    today = timezone.localdate()
    rows = selectors.deadlines_for_user(user=request.user, today=today)
    return render(
        request,
        "workflow/my_deadlines.html",
        {"rows": rows, "today": today, "lead_days": selectors.lead_days()},
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
