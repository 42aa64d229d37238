"""Log review pages for unit managers, and the person's log extract."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motverka.accounts.models import User
from motverka.cases.access import case_get_for_user, cases_visible_to, require_case_role
from motverka.cases.errors import AccessDenied, NotFound
from motverka.cases.views import add_errors
from motverka.review import services
from motverka.review.checks import CHECKS, AccessFact
from motverka.review.forms import LogFilterForm, PeriodForm, ReviewRecordForm
from motverka.review.selectors import (
    LogFilter,
    previous_month,
    reviewable_units,
    unit_log_page,
)


@dataclass(frozen=True)
class FindingRow:
    at: object
    actor_name: str
    action_label: str
    case_id: int | None


def _rows(result: services.ReviewResult, facts: list[AccessFact]) -> list[FindingRow]:
    rows = []
    for fact in facts:
        event = result.events[fact.event_id]
        rows.append(
            FindingRow(
                at=fact.at,
                actor_name=event.actor.display_name() if event.actor else _("Systemet"),
                action_label=event.action_label,
                case_id=fact.case_id,
            )
        )
    return rows


def _filter_form(request: HttpRequest, data: object) -> LogFilterForm:
    units = list(reviewable_units(request.user))
    members = User.objects.filter(units__in=units).distinct().order_by("last_name", "username")
    return LogFilterForm(data, units=units, members=members)


@login_required
@require_http_methods(["GET", "POST"])
def review_page(request: HttpRequest) -> HttpResponse:
    """GET: the checks, the sample and the filtered log; POST: record and sign a review."""
    units = list(reviewable_units(request.user))
    if request.method == "POST":
        return _review_record(request)
    since, until = previous_month(timezone.localdate())
    data: Any = request.GET.copy() if request.GET else None
    if data is not None:
        data.setdefault("since", since.isoformat())
        data.setdefault("until", until.isoformat())
        if units:
            data.setdefault("unit", str(units[0].pk))
    else:
        data = {
            "since": since.isoformat(),
            "until": until.isoformat(),
            "unit": str(units[0].pk) if units else "",
        }
    form = _filter_form(request, data)
    context: dict[str, object] = {"form": form, "units": units}
    if form.is_valid():
        cleaned = form.cleaned_data
        result = services.log_review_run(
            acting_user=request.user,
            unit_id=cleaned["unit"],
            since=cleaned["since"],
            until=cleaned["until"],
        )
        log_filter = LogFilter(
            unit_id=cleaned["unit"],
            since=cleaned["since"],
            until=cleaned["until"],
            actor_id=cleaned["actor"],
            case_reference=cleaned["case_reference"],
            whole_person=cleaned["whole_person"],
            action=cleaned["action"],
        )
        query = {key: value for key, value in request.GET.items() if key != "sida"}
        context.update(
            result=result,
            checks=[
                (check, _rows(result, result.findings.get(check.code, []))) for check in CHECKS
            ],
            sample=_rows(result, result.sample),
            page=unit_log_page(log_filter, request.GET.get("sida", 1)),
            query_string=urlencode(query),
            record_form=ReviewRecordForm(
                initial={
                    "unit": result.unit.pk,
                    "since": result.since,
                    "until": result.until,
                    "sample_seed": result.sample_seed,
                }
            ),
        )
    return render(request, "review/review.html", context, status=200 if form.is_valid() else 400)


def _review_record(request: HttpRequest) -> HttpResponse:
    form = ReviewRecordForm(request.POST)
    if form.is_valid():
        cleaned = form.cleaned_data
        try:
            services.log_review_record(
                acting_user=request.user,
                unit_id=cleaned["unit"],
                since=cleaned["since"],
                until=cleaned["until"],
                sample_seed=cleaned["sample_seed"],
                findings=cleaned["findings"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Loggranskningen är registrerad och signerad."))
            return redirect("log_review_list")
    return render(request, "review/review_record_errors.html", {"form": form}, status=400)


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    reviews = services.reviews_for_user(user=request.user)
    return render(request, "review/review_list.html", {"reviews": reviews})


@login_required
@require_http_methods(["GET", "POST"])
def log_extract(request: HttpRequest, case_id: int) -> HttpResponse:
    if not getattr(request.user, "is_manager", False):
        # As on the case's log page: a case the user cannot see is not found; otherwise
        # the role is what refuses, and nothing has been read.
        require_case_role(request.user)
        if not cases_visible_to(request.user).filter(pk=case_id).exists():
            raise NotFound
        raise AccessDenied
    if request.method == "POST":
        form = PeriodForm(request.POST)
        if form.is_valid():
            try:
                extract = services.person_log_extract(
                    acting_user=request.user,
                    case_id=case_id,
                    since=form.cleaned_data["since"],
                    until=form.cleaned_data["until"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                response = HttpResponse(extract.pdf, content_type="application/pdf")
                response["Content-Disposition"] = f'attachment; filename="{extract.filename}"'
                return response
        case = case_get_for_user(user=request.user, case_id=case_id)
        return render(request, "review/log_extract.html", {"case": case, "form": form}, status=400)
    case = case_get_for_user(user=request.user, case_id=case_id)
    today = timezone.localdate()
    form = PeriodForm(initial={"since": case.received_on, "until": today})
    return render(request, "review/log_extract.html", {"case": case, "form": form})
