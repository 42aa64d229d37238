"""One creation per form: the one-time submission token of the UI forms.

A creating form carries ``{% submission_token %}``. The first POST with a token claims it
(a unique row) in the same transaction as the view's write; when the view answers with a
redirect, the row keeps where it led. A repeated POST with the same token — a double
click, a resubmitted page, two concurrent requests — creates nothing: it waits for the
first to commit and is then sent to the same page with a notice. A POST whose view did
not succeed (a form error) releases its token, so the corrected form can be sent again.
A POST without a token is handled as before.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from motverka.integrity.models import KEEP_FOR, FormSubmission

SUBMISSION_FIELD = "submission_token"
MAX_TOKEN_LENGTH = 64


def handle_form_submission(
    request: HttpRequest, token: str, get_response: Callable[[HttpRequest], HttpResponse]
) -> HttpResponse:
    if not token or len(token) > MAX_TOKEN_LENGTH or not token.isascii():
        return render(
            request,
            "400.html",
            {"message": _("Formulärets engångskod är ogiltig. Ladda om sidan och försök igen.")},
            status=400,
        )
    user_id = request.user.pk
    if user_id is None:  # an anonymous post is sent to the login page by the view
        return get_response(request)
    with transaction.atomic():
        try:
            with transaction.atomic():
                FormSubmission.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
                claim = FormSubmission.objects.create(token=token, user_id=user_id)
        except IntegrityError:
            return _already_submitted(request, token)
        response = get_response(request)
        if response.status_code >= 500:
            transaction.set_rollback(True)
            return response
        target = _result_url(response)
        if target:
            claim.result_url = target[:500]
            claim.save(update_fields=["result_url"])
        else:
            claim.delete()
        return response


def _result_url(response: HttpResponse) -> str:
    if 300 <= response.status_code < 400 and response.has_header("Location"):
        return str(response["Location"])
    if response.has_header("HX-Redirect"):
        return str(response["HX-Redirect"])
    return ""


def _already_submitted(request: HttpRequest, token: str) -> HttpResponse:
    previous = FormSubmission.objects.filter(token=token).first()
    if previous is None or previous.user_id != request.user.pk or not previous.result_url:
        # Nothing to show: the token belongs to someone else, or its first use is unknown.
        return render(
            request,
            "400.html",
            {"message": _("Formuläret har redan skickats. Ladda om sidan och försök igen.")},
            status=409,
        )
    messages.info(
        request,
        _(
            "Formuläret hade redan skickats. Ingenting nytt har sparats; här är resultatet "
            "av den första inskickningen."
        ),
    )
    return redirect(previous.result_url)
