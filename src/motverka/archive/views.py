"""Disposal pages: the cases due and the lists (for the archive role and unit managers),
one list with its review and approval, and the person's register extract."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motverka.archive import services
from motverka.archive.extract import register_extract
from motverka.archive.models import DisposalListStatus, DisposalRecord
from motverka.archive.selectors import cases_due, disposal_lists
from motverka.audit.models import AuditAction
from motverka.audit.services import AuditSubject, audit_record_many
from motverka.cases.access import case_get_for_user, cases_visible_to, require_case_role
from motverka.cases.errors import AccessDenied, Conflict, NotFound


def _units_of(user) -> set[int]:  # type: ignore[no-untyped-def]
    return set(user.units.values_list("pk", flat=True)) if user.is_manager else set()


@login_required
def disposal_overview(request: HttpRequest) -> HttpResponse:
    services.require_disposal_reader(request.user)
    user = request.user
    due = cases_due(today=timezone.localdate())
    if not user.is_archivist:  # type: ignore[union-attr]
        units = _units_of(user)
        due = [item for item in due if item.case.unit_id in units]
    # The references of the cases shown are personal data: one row with the cases shown.
    audit_record_many(
        actor=user,
        action=AuditAction.READ,
        object_type="disposal_due",
        subjects=[
            AuditSubject("case", item.case.pk, case_id=item.case.pk, person_id=item.case.person_id)
            for item in due
        ],
    )
    return render(
        request,
        "archive/overview.html",
        {
            "due": due,
            "lists": list(disposal_lists()[:50]),
            "records": DisposalRecord.objects.count(),
            "can_propose": user.is_archivist,  # type: ignore[union-attr]
        },
    )


@login_required
@require_POST
def disposal_propose(request: HttpRequest) -> HttpResponse:
    try:
        disposal_list = services.disposal_list_propose(acting_user=request.user)
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("disposal")
    messages.success(request, _("Gallringslistan är föreslagen."))
    return redirect("disposal_list", list_id=disposal_list.pk)


@login_required
def disposal_list_page(request: HttpRequest, list_id: int) -> HttpResponse:
    services.require_disposal_reader(request.user)
    disposal_list = disposal_lists().filter(pk=list_id).first()
    if disposal_list is None:
        raise NotFound
    items = list(disposal_list.items.select_related("case", "case__unit"))
    user = request.user
    if not user.is_archivist:  # type: ignore[union-attr]
        # A unit manager sees the cases of their own units only.
        units = _units_of(user)
        items = [item for item in items if item.case.unit_id in units]
    records = {
        record.case_id: record
        for record in DisposalRecord.objects.filter(disposal_list=disposal_list)
    }
    audit_record_many(
        actor=user,
        action=AuditAction.READ,
        object_type="disposal_list",
        subjects=[
            AuditSubject("case", item.case_id, case_id=item.case_id, person_id=item.case.person_id)
            for item in items
            if item.case_id not in records
        ],
        detail=f"gallringslista {disposal_list.pk}",
    )
    status = disposal_list.status
    return render(
        request,
        "archive/list.html",
        {
            "disposal_list": disposal_list,
            "rows": [(item, records.get(item.case_id)) for item in items],
            "can_review": user.is_archivist and status == DisposalListStatus.PROPOSED,  # type: ignore[union-attr]
            "can_approve": user.is_manager  # type: ignore[union-attr]
            and status == DisposalListStatus.REVIEWED
            and disposal_list.reviewed_by_id != user.pk,
        },
    )


def _step(request: HttpRequest, list_id: int, step, done: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    try:
        step(acting_user=request.user, disposal_list_id=list_id)
    except Conflict as error:
        messages.error(request, error.message)
        disposal_list = disposal_lists().filter(pk=list_id).first()
        if disposal_list is None:
            raise NotFound from error
        return redirect("disposal_list", list_id=list_id)
    messages.success(request, done)
    return redirect("disposal_list", list_id=list_id)


@login_required
@require_POST
def disposal_review(request: HttpRequest, list_id: int) -> HttpResponse:
    return _step(request, list_id, services.disposal_list_review, _("Listan är granskad."))


@login_required
@require_POST
def disposal_approve(request: HttpRequest, list_id: int) -> HttpResponse:
    return _step(
        request,
        list_id,
        services.disposal_list_approve,
        _("Listan är godkänd. Gallringen utförs i bakgrunden."),
    )


class ExtractForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Den enskilde har begärt ett registerutdrag och identiteten är kontrollerad"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def register_extract_page(request: HttpRequest, case_id: int) -> HttpResponse:
    if not getattr(request.user, "is_manager", False):
        require_case_role(request.user)
        if not cases_visible_to(request.user).filter(pk=case_id).exists():
            raise NotFound
        raise AccessDenied
    case = case_get_for_user(user=request.user, case_id=case_id)
    if request.method == "POST":
        form = ExtractForm(request.POST)
        if form.is_valid():
            try:
                extract = register_extract(acting_user=request.user, case_id=case.pk)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                response = HttpResponse(extract.pdf, content_type="application/pdf")
                response["Content-Disposition"] = f'attachment; filename="{extract.filename}"'
                return response
        return render(
            request, "archive/register_extract.html", {"case": case, "form": form}, status=400
        )
    return render(request, "archive/register_extract.html", {"case": case, "form": ExtractForm()})
