"""The figures page, its charts and its exports: aggregated counts for analysts, managers and
case workers. Every export writes one audit row."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from motverka.cases.forms import DateInput
from motverka.reception.selectors import screening_counts
from motverka.reporting import charts, export_jobs, exports
from motverka.reporting.periods import (
    Period,
    month_period,
    quarter_period,
    range_period,
    year_period,
)
from motverka.reporting.selectors import figure_years, period_figures, years_trend
from motverka.reporting.services import figures_export_audit, require_figures_role
from motverka.reporting.suppression import SUPPRESSION_THRESHOLD

PERIOD_KINDS = [
    ("year", _("År")),
    ("quarter", _("Kvartal")),
    ("month", _("Månad")),
    ("range", _("Hela månader från och med – till och med")),
]


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_KINDS, required=False)
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100, required=False)
    quarter = forms.IntegerField(label=_("Kvartal"), min_value=1, max_value=4, required=False)
    month = forms.IntegerField(label=_("Månad"), min_value=1, max_value=12, required=False)
    start = forms.DateField(label=_("Från och med"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("Till och med"), widget=DateInput(), required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        kind = data.get("period") or ("range" if data.get("start") or data.get("end") else "year")
        data["period"] = kind
        if kind == "range":
            if not (data.get("start") and data.get("end")):
                raise forms.ValidationError(_("Ange både start- och slutdatum."))
            if data["start"] > data["end"]:
                raise forms.ValidationError(_("Startdatum måste vara före slutdatum."))
            if data["start"].year < 2000 or data["end"].year > 2100:
                raise forms.ValidationError(_("Välj datum mellan år 2000 och 2100."))
        elif data.get("year") is None:
            data["year"] = timezone.localdate().year
        if kind == "quarter" and data.get("quarter") is None:
            raise forms.ValidationError(_("Välj ett kvartal (1–4)."))
        if kind == "month" and data.get("month") is None:
            raise forms.ValidationError(_("Välj en månad (1–12)."))
        return data

    def period_value(self) -> Period:
        data = self.cleaned_data
        kind = data["period"]
        if kind == "quarter":
            return quarter_period(data["year"], data["quarter"])
        if kind == "month":
            return month_period(data["year"], data["month"])
        if kind == "range":
            return range_period(data["start"], data["end"])
        return year_period(data["year"])


def _require_figures_role(request: HttpRequest) -> None:
    require_figures_role(request.user)


def period_from_request(request: HttpRequest) -> tuple[PeriodForm, Period, int]:
    form = PeriodForm(request.GET)
    if form.is_valid():
        return form, form.period_value(), 200
    return form, year_period(timezone.localdate().year), 400


@require_GET
@login_required
def figures(request: HttpRequest) -> HttpResponse:
    _require_figures_role(request)
    form, period, status = period_from_request(request)
    result = period_figures(period)
    years = figure_years()
    return render(
        request,
        "reporting/figures.html",
        {
            "form": form,
            "figures": result,
            "durations": exports.durations_table(result),
            "money": exports.money_table(result),
            "years_table": years_trend(years),
            "threshold": SUPPRESSION_THRESHOLD,
            "query": request.GET.urlencode(),
            "years": years,
            "export_formats": ["csv", "xlsx"],
            "export_jobs": export_jobs.export_jobs_recent(acting_user=request.user),
            "screenings": screening_counts(
                period_start=result.period.start, period_end=result.period.end
            ),
        },
        status=status,
    )


@require_GET
@login_required
def chart(request: HttpRequest, name: str) -> HttpResponse:
    """A chart as an SVG image (shown with <img>, so its own styles never meet the page's
    CSP); the page beside it carries the same numbers as a table."""
    _require_figures_role(request)
    if name == "years":
        svg = charts.years_chart(years_trend(figure_years()))
    elif name == "municipalities":
        _form, period, _status = period_from_request(request)
        svg = charts.municipalities_chart(period_figures(period).table("municipality"))
    else:
        raise Http404
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def table_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    _require_figures_role(request)
    _form, period, status = period_from_request(request)
    if status != 200:
        return HttpResponse(_("Ogiltig period."), status=400, content_type="text/plain")
    result = period_figures(period)
    tables = {table.slug: table for table in [*result.tables, result.trend]}
    tables["durations"] = exports.durations_table(result)
    tables["costs"] = exports.money_table(result)
    if slug not in tables or fmt not in ("csv", "xlsx"):
        raise Http404
    table = tables[slug]
    body, content_type = (
        (exports.table_csv(table, period), "text/csv; charset=utf-8")
        if fmt == "csv"
        else (
            exports.tables_xlsx([table], period),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    )
    figures_export_audit(
        acting_user=request.user, kind=slug, detail=f"tabell {slug}, {period.label}, {fmt}"
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="statistik-{slug}-{period.slug}.{fmt}"'
    return response


def _year_arg(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404
    return year


@require_http_methods(["GET", "POST"])
@login_required
def annual_report(request: HttpRequest, year: int) -> HttpResponse:
    """The annual report is made by the task queue: this starts the job (or finds the one
    already under way, or a finished one from the current figures) and shows its progress.
    A GET does the same, so that an old link still leads to the report."""
    _require_figures_role(request)
    job = export_jobs.export_job_request(
        acting_user=request.user, kind=export_jobs.ANNUAL_REPORT, year=_year_arg(year)
    )
    return redirect("figures_export", job_id=job.pk, permanent=False)


@require_GET
@login_required
def export_status(request: HttpRequest, job_id: str) -> HttpResponse:
    """A queued export's progress; polled by htmx every two seconds until it is finished
    (without JavaScript the page has a link that reloads it)."""
    job = export_jobs.export_job_get(acting_user=request.user, job_id=job_id)
    partial = bool(request.htmx)  # type: ignore[attr-defined]
    template = "reporting/_export_job.html" if partial else "reporting/export_job.html"
    return render(request, template, {"job": job})


@require_GET
@login_required
def export_download(request: HttpRequest, job_id: str) -> HttpResponse:
    job, content = export_jobs.export_job_download(acting_user=request.user, job_id=job_id)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="arsrapport-{job.year}.pdf"'
    return response


@require_GET
@login_required
def county_report(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    _require_figures_role(request)
    report = exports.county_report(_year_arg(year))
    if fmt == "json":
        body, content_type = exports.county_report_json(report), "application/json"
    elif fmt == "csv":
        body, content_type = exports.county_report_csv(report), "text/csv; charset=utf-8"
    else:
        raise Http404
    figures_export_audit(
        acting_user=request.user, kind="county_report", detail=f"länsrapport {year}, {fmt}"
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="lansrapport-{year}.{fmt}"'
    return response
