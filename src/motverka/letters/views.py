"""Letter pages: create a draft, edit it, preview, finalise, mark sent, download the PDF.

Thin views: every letter is reached through its case (``letter_get_for_user``), so another
unit's letter is a 404 and every read is logged. Refusals are shown in Swedish; bad input
re-renders the page with status 400 and nothing saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motverka.cases.access import case_get_for_user
from motverka.cases.errors import Conflict, VersionConflict
from motverka.cases.views import add_errors, call_service, call_service_or_message
from motverka.integrity.conflicts import conflict_page, posted_version
from motverka.letters import services
from motverka.letters.forms import (
    LetterCreateForm,
    LetterDraftForm,
    LetterFinaliseForm,
    LetterSentForm,
)
from motverka.letters.models import Letter
from motverka.letters.placeholders import WITHHELD, field_label, placeholders_for, to_editable
from motverka.letters.rendering import body_blocks
from motverka.letters.selectors import letter_get_for_user
from motverka.workflow.policy import CaseStatus


def _case_letters_url(case_id: int) -> str:
    return reverse("case_letters", args=[case_id])


@login_required
@require_POST
def letter_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id)
    form = LetterCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj en typ av skrivelse i listan."))
        return redirect(_case_letters_url(case.pk))
    letter = call_service_or_message(
        request,
        lambda: services.letter_draft_create(
            acting_user=request.user, case=case, kind=form.cleaned_data["kind"]
        ),
    )
    if letter is not None:
        messages.success(request, _("Ett utkast är skapat."))
        return redirect("letter_detail", letter_id=letter.pk)
    return redirect(_case_letters_url(case.pk))


def _draft_initial(letter: Letter) -> dict[str, Any]:
    return {
        "letter_date": letter.letter_date,
        # The editor shows placeholders as labelled fields, «Diarienummer», never as braces.
        "subject": to_editable(letter.subject),
        "body": to_editable(letter.body),
        "recipient_name": letter.recipient_name,
        "recipient_address": letter.recipient_address,
        "recipient_email": letter.recipient_email,
    }


def _fields(letter: Letter, user: Any) -> list[tuple[str, str, str]]:
    """(label, description, value now) of every field the kind may use, by label."""
    values = services.letter_preview(acting_user=user, letter=letter).values
    return sorted(
        (field_label(name), str(description), values.get(name, WITHHELD))
        for name, description in placeholders_for(letter.kind).items()
    )


def _detail_context(letter: Letter, user: Any = None, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "letter": letter,
        "case": letter.case,
        "is_closed": letter.case.status == CaseStatus.CLOSED,
        "fields": _fields(letter, user) if letter.is_draft and user is not None else [],
        "sent_form": LetterSentForm(initial={"sent_on": timezone.localdate()}),
        "blocks": body_blocks(letter.final_text) if not letter.is_draft else [],
        "corrections": list(letter.corrections.all()),
    }
    context.update(extra)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def letter_detail(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = letter_get_for_user(user=request.user, letter_id=letter_id)
    form = LetterDraftForm(request.POST or None, initial=_draft_initial(letter), kind=letter.kind)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = call_service(
                    form,
                    lambda: services.letter_draft_update(
                        acting_user=request.user,
                        letter=letter,
                        letter_date=data["letter_date"],
                        subject=data["subject"],
                        body=data["body"],
                        recipient_name=data["recipient_name"],
                        recipient_address=data["recipient_address"],
                        recipient_email=data["recipient_email"],
                        expected_version=posted_version(request),
                    ),
                    versioned=True,
                )
            except VersionConflict as conflict:
                letter.refresh_from_db()
                return conflict_page(
                    request,
                    conflict,
                    form=form,
                    stored=_draft_initial(letter),
                    title=_("Utkastet har ändrats sedan du öppnade det."),
                    back_url=reverse("letter_detail", args=[letter.pk]),
                )
            if saved:
                messages.success(request, _("Utkastet är sparat."))
                if "preview" in request.POST:
                    return redirect("letter_preview", letter_id=letter.pk)
                return redirect("letter_detail", letter_id=letter.pk)
        return render(
            request,
            "letters/letter_detail.html",
            _detail_context(letter, request.user, form=form),
            status=400,
        )
    return render(
        request, "letters/letter_detail.html", _detail_context(letter, request.user, form=form)
    )


def _preview_response(
    request: HttpRequest, letter: Letter, form: LetterFinaliseForm, status: int = 200
) -> HttpResponse:
    composition = services.letter_preview(acting_user=request.user, letter=letter)
    return render(
        request,
        "letters/letter_preview.html",
        {
            "letter": letter,
            "case": letter.case,
            "composition": composition,
            "blocks": body_blocks(composition.text),
            "citations": [
                reference.citation
                for reference in composition.references.values()
                if reference is not None
            ],
            "form": form,
        },
        status=status,
    )


@login_required
@require_GET
def letter_preview(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = letter_get_for_user(user=request.user, letter_id=letter_id)
    if not letter.is_draft:
        return redirect("letter_detail", letter_id=letter.pk)
    return _preview_response(request, letter, LetterFinaliseForm())


@login_required
@require_POST
def letter_finalise(request: HttpRequest, letter_id: int) -> HttpResponse:
    """Finalise exactly what the preview showed: the form carries the preview's digest, and a
    letter that has changed since (another user's edit, the directory, the law) is refused
    with status 409 and shown again as it would be finalised now."""
    letter = letter_get_for_user(user=request.user, letter_id=letter_id)
    form = LetterFinaliseForm(request.POST)
    form.is_valid()  # an optional checkbox and a hidden digest: always valid
    try:
        services.letter_finalise(
            acting_user=request.user,
            letter=letter,
            preview_sha256=form.cleaned_data.get("preview_sha256", ""),
            confirm_unverified_reference=form.cleaned_data.get(
                "confirm_unverified_reference", False
            ),
            expected_version=posted_version(request),
        )
    except ValidationError as error:
        add_errors(form, error)
        status = 400
    except Conflict as conflict:
        form.add_error(None, conflict.message)
        status = 409
    else:
        messages.success(request, _("Skrivelsen är slutförd och sparad som PDF/A."))
        return redirect("letter_detail", letter_id=letter.pk)
    letter.refresh_from_db()
    if not letter.is_draft:
        return redirect("letter_detail", letter_id=letter.pk)
    return _preview_response(request, letter, form, status=status)


@login_required
@require_POST
def letter_mark_sent(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = letter_get_for_user(user=request.user, letter_id=letter_id)
    form = LetterSentForm(request.POST)
    if form.is_valid() and call_service(
        form,
        lambda: services.letter_mark_sent(
            acting_user=request.user,
            letter=letter,
            sent_on=form.cleaned_data["sent_on"],
            channel=form.cleaned_data["channel"],
        ),
    ):
        messages.success(request, _("Skrivelsen är markerad som skickad."))
        return redirect("letter_detail", letter_id=letter.pk)
    letter.refresh_from_db()
    return render(
        request,
        "letters/letter_detail.html",
        _detail_context(letter, request.user, sent_form=form, form=None),
        status=400,
    )


@login_required
@require_POST
def letter_correct(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = letter_get_for_user(user=request.user, letter_id=letter_id)
    correction = call_service_or_message(
        request, lambda: services.letter_correct(acting_user=request.user, letter=letter)
    )
    if correction is None:
        return redirect("letter_detail", letter_id=letter.pk)
    messages.success(request, _("Ett utkast till rättelse är skapat."))
    return redirect("letter_detail", letter_id=correction.pk)


@login_required
@require_GET
def letter_pdf(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = letter_get_for_user(user=request.user, letter_id=letter_id)
    try:
        document = services.letter_pdf_read(acting_user=request.user, letter=letter)
    except Conflict as conflict:
        messages.error(request, conflict.message)
        return redirect("letter_detail", letter_id=letter.pk)
    filename = f"skrivelse-{letter.case.reference.replace(' ', '-').replace('/', '-')}-{letter.pk}"
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
