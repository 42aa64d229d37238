"""The sign-in steps after the password (MFA enrolment and verification, the forced
password change) and the user's own pages: password, second factor, sessions."""

from __future__ import annotations

from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from motverka.accounts import mfa
from motverka.accounts.forms import EnrolmentCodeForm, OneTimeCodeForm
from motverka.accounts.lockout import lockout_response
from motverka.accounts.models import SessionEndReason
from motverka.accounts.receivers import MFA_STEP_ATTRIBUTE
from motverka.accounts.selectors import security_events
from motverka.accounts.services import password_change_own
from motverka.accounts.sessions import session_end, session_key_changed, sessions_active_for


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("start")


def _with_next(name: str, request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    url = reverse(name)
    if target:
        url = f"{url}?{urlencode({'next': target})}"
    return url


@login_required
@require_http_methods(["GET", "POST"])
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: the first at first login, or another one later.

    Someone who already has an authenticator must have used it in this session first —
    otherwise a stolen password would be enough to add the thief's phone.
    """
    user = request.user
    if mfa.has_authenticator(user) and not mfa.session_strongly_authenticated(request):  # type: ignore[arg-type]
        return redirect(_with_next("mfa_verify", request))
    device = mfa.enrolment_device(user)  # type: ignore[arg-type]
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa.mfa_enrolment_confirm(
                acting_user=user,  # type: ignore[arg-type]
                device=device,
                token=form.cleaned_data["token"],
            )
        except ValidationError as error:
            form.add_error("token", error.message_dict.get("token", error.messages))
        else:
            otp_login(request, device)
            if codes:
                return render(
                    request,
                    "accounts/backup_codes.html",
                    {"codes": codes, "next": _next_url(request)},
                )
            messages.success(request, _("Autentiseringsappen är registrerad."))
            return redirect("account_security")
    return render(
        request,
        "accounts/mfa_enrol.html",
        {
            "form": form,
            "qr_svg": mark_safe(mfa.qr_code_svg(device)),  # noqa: S308 - segno's own SVG
            "secret": mfa.manual_secret(device),
            "first": not mfa.has_authenticator(user),  # type: ignore[arg-type]
            "next": request.GET.get("next", "") or request.POST.get("next", ""),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The second step of the login: a code from the app or a backup code."""
    user = request.user
    if not mfa.has_authenticator(user):  # type: ignore[arg-type]
        return redirect(_with_next("mfa_enrol", request))
    if mfa.session_strongly_authenticated(request):
        return redirect(_next_url(request))
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        credentials = {"username": user.get_username()}
        if AxesProxyHandler.is_locked(request, credentials):
            return lockout_response(request)
        device = mfa.mfa_verify(user=user, token=form.cleaned_data["token"])  # type: ignore[arg-type]
        if device is not None:
            otp_login(request, device)
            axes_reset(username=user.get_username())
            if device.persistent_id.startswith("otp_static"):
                left = mfa.backup_codes_left(user)  # type: ignore[arg-type]
                messages.warning(
                    request,
                    ngettext(
                        "Du loggade in med en reservkod; den kan inte användas igen. "
                        "%(left)s reservkod kvar.",
                        "Du loggade in med en reservkod; den kan inte användas igen. "
                        "%(left)s reservkoder kvar.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(_next_url(request))
        mfa.mfa_failure_record(user=user)  # type: ignore[arg-type]
        # Axes counts the wrong code like a wrong password (and may lock out now).
        setattr(request, MFA_STEP_ATTRIBUTE, True)
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.add_error("token", _("Koden stämmer inte. Försök igen."))
    return render(
        request,
        "accounts/mfa_verify.html",
        {"form": form, "next": request.GET.get("next", "") or request.POST.get("next", "")},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        ended = password_change_own(
            acting_user=user,  # type: ignore[arg-type]
            new_password=form.cleaned_data["new_password1"],
            current_session_key=request.session.session_key,
        )
        old_key = request.session.session_key
        update_session_auth_hash(request, user)  # type: ignore[arg-type]
        session_key_changed(old_key=old_key, new_key=request.session.session_key)
        messages.success(
            request,
            _("Lösenordet är bytt.")
            + (
                " "
                + ngettext(
                    "%(count)s annan session avslutades.",
                    "%(count)s andra sessioner avslutades.",
                    ended,
                )
                % {"count": ended}
                if ended
                else ""
            ),
        )
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "forced": getattr(user, "must_change_password", False),
            "next": request.GET.get("next", "") or request.POST.get("next", ""),
        },
        status=400 if form.errors else 200,
    )


@login_required
def account_security(request: HttpRequest) -> HttpResponse:
    """The user's second factors and backup codes."""
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "authenticators": mfa.authenticators_for(user),  # type: ignore[arg-type]
            "backup_codes_left": mfa.backup_codes_left(user),  # type: ignore[arg-type]
        },
    )


@login_required
@require_POST
def authenticator_remove(request: HttpRequest, device_id: int) -> HttpResponse:
    device = get_object_or_404(TOTPDevice, pk=device_id, user=request.user)
    try:
        mfa.authenticator_remove(acting_user=request.user, device=device)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Autentiseringsappen är borttagen."))
    return redirect("account_security")


@login_required
@require_POST
def backup_codes_renew(request: HttpRequest) -> HttpResponse:
    try:
        codes = mfa.backup_codes_renew(acting_user=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("account_security")
    return render(
        request, "accounts/backup_codes.html", {"codes": codes, "next": reverse("account_security")}
    )


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/sessions.html",
        {
            "sessions": sessions_active_for(request.user),  # type: ignore[arg-type]
            "current_key": request.session.session_key,
        },
    )


@login_required
@require_POST
def session_end_view(request: HttpRequest, session_id: int) -> HttpResponse:
    row = get_object_or_404(
        sessions_active_for(request.user),  # type: ignore[arg-type]
        pk=session_id,
    )
    session_end(acting_user=request.user, user_session=row, reason=SessionEndReason.USER_ENDED)  # type: ignore[arg-type]
    if row.session_key == request.session.session_key:
        return redirect("login")
    messages.success(request, _("Sessionen är avslutad."))
    return redirect("session_list")


@login_required
@require_POST
def session_keep_alive(request: HttpRequest) -> HttpResponse:
    """The idle warning's "continue" button: any signed-in request counts as activity."""
    return HttpResponse(status=204)


@require_GET
@login_required
def security_event_list(request: HttpRequest) -> HttpResponse:
    """The security events page for unit managers (and administrators)."""
    page = security_events(user=request.user, page_number=request.GET.get("sida", 1))
    return render(request, "accounts/security_events.html", {"page": page})
