"""The figures page: aggregated counts for analysts, managers and case workers."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motverka.cases.errors import AccessDenied
from motverka.cases.forms import DateInput
from motverka.reception.selectors import screening_counts
from motverka.reporting.figures import SUPPRESSION_THRESHOLD
from motverka.reporting.selectors import case_figures


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Från och med"), widget=DateInput())
    end = forms.DateField(label=_("Till och med"), widget=DateInput())

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("Startdatum måste vara före slutdatum."))
        return data


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_analyst or user.works_with_cases):  # type: ignore[union-attr]
        raise AccessDenied
    today = timezone.localdate()
    default_start = date(today.year, 1, 1)
    form = PeriodForm(request.GET or {"start": default_start, "end": today})
    status = 200
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        start, end, status = default_start, today, 400
    return render(
        request,
        "reporting/figures.html",
        {
            "form": form,
            "figures": case_figures(period_start=start, period_end=end),
            "threshold": SUPPRESSION_THRESHOLD,
            "screenings": screening_counts(period_start=start, period_end=end),
        },
        status=status,
    )
