"""The reception's screening: questions, result, and the one-click registration of a
suspected case. The answers of a suspected screening wait in the user's session until the
case is registered; a screening without suspicion leaves only its count."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motverka.cases import access
from motverka.cases.errors import Conflict
from motverka.cases.services import OpenCaseExists
from motverka.cases.views import add_errors
from motverka.people.services import PersonInput
from motverka.reception import services
from motverka.reception.forms import ScreeningForm, SuspectedCaseForm
from motverka.reception.rules import (
    Answer,
    HousingArrangedBy,
    PaidByPrevious,
    ScreeningAnswers,
    decide,
)

SESSION_KEY = "motverka_screening"


def _to_session(unit_id: int, answers: ScreeningAnswers) -> dict[str, Any]:
    return {
        "unit": unit_id,
        "moved_recently": answers.moved_recently.value,
        "moved_on": answers.moved_on.isoformat() if answers.moved_on else "",
        "from_municipality": answers.from_municipality,
        "housing_arranged_by": answers.housing_arranged_by.value,
        "paid_by_previous": sorted(value.value for value in answers.paid_by_previous),
        "papers_from_previous": answers.papers_from_previous.value,
        "wished_to_move": answers.wished_to_move.value,
    }


def _from_session(request: HttpRequest) -> tuple[int, ScreeningAnswers] | None:
    stored = request.session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return None
    try:
        return int(stored["unit"]), ScreeningAnswers(
            moved_recently=Answer(stored["moved_recently"]),
            moved_on=date.fromisoformat(stored["moved_on"]) if stored["moved_on"] else None,
            from_municipality=str(stored["from_municipality"]),
            housing_arranged_by=HousingArrangedBy(stored["housing_arranged_by"]),
            paid_by_previous=frozenset(PaidByPrevious(v) for v in stored["paid_by_previous"]),
            papers_from_previous=Answer(stored["papers_from_previous"]),
            wished_to_move=Answer(stored["wished_to_move"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def screening(request: HttpRequest) -> HttpResponse:
    access.require_case_role(request.user)
    form = ScreeningForm(
        request.POST or None, user=request.user, receiving_code=settings.MOTVERKA_MUNICIPALITY
    )
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        try:
            result = services.screening_record(
                acting_user=request.user, unit_id=form.cleaned_data["unit"], answers=answers
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if result.suspected:
                request.session[SESSION_KEY] = _to_session(form.cleaned_data["unit"], answers)
                return redirect("screening_register")
            request.session.pop(SESSION_KEY, None)
            messages.success(
                request,
                _(
                    "Inga tecken på aktiv medverkan. Screeningen har räknats, utan "
                    "personuppgifter och utan svaren."
                ),
            )
            return redirect("screening")
    return render(
        request,
        "reception/screening.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def screening_register(request: HttpRequest) -> HttpResponse:
    access.require_case_role(request.user)
    stored = _from_session(request)
    if stored is None:
        # Nothing waits (never screened, or already registered): say so, register nothing.
        return render(
            request,
            "reception/register.html",
            {"result": None},
            status=400 if request.method == "POST" else 200,
        )
    unit_id, answers = stored
    access.require_unit_member(request.user, unit_id)
    result = decide(answers, receiving_code=settings.MOTVERKA_MUNICIPALITY)
    form = SuspectedCaseForm(
        request.POST or None, user=request.user, receiving_code=settings.MOTVERKA_MUNICIPALITY
    )
    open_cases: list[Any] = []
    other_unit_notices: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.screening_case_register(
                acting_user=request.user,
                unit_id=unit_id,
                answers=answers,
                person=PersonInput(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    personal_identity_number=data["personal_identity_number"],
                    reserve_reason=data["reserve_reason"],
                    protected_identity=data["protected_identity"],
                    birth_date=data["birth_date"],
                ),
                target_groups=tuple(data["target_groups"]),
                received_on=data["received_on"],
                allow_open_case=data["allow_open_case"],
            )
        except ValidationError as error:
            add_errors(form, error)
        except OpenCaseExists as conflict:
            open_cases = conflict.cases
            other_unit_notices = conflict.other_unit_notices
            form.add_error("allow_open_case", conflict.message)
        except Conflict as conflict:
            form.add_error(None, conflict.message)
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(
                request,
                _("Ärendet %(reference)s är registrerat efter screeningen.")
                % {"reference": case.reference},
            )
            return redirect("case_detail", case_id=case.pk)
    return render(
        request,
        "reception/register.html",
        {
            "form": form,
            "result": result,
            "answers": answers,
            "open_cases": open_cases,
            "other_unit_notices": other_unit_notices,
        },
        status=400 if request.method == "POST" else 200,
    )
