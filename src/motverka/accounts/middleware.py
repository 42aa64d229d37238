"""The session lifetime and the gate in front of every page with personal data.

``SessionLifetimeMiddleware`` ends a signed-in session that has been idle too long, has
lived its absolute lifetime, or whose user's role has changed since login.

``StrongAuthenticationMiddleware`` denies by default: a signed-in user whose session is
not strongly authenticated (second factor, or single sign-on with strong authentication)
reaches only the pages named in ``OPEN_WITHOUT_SECOND_FACTOR``; every other page redirects
to the MFA step. A user whose password an administrator set is sent to change it first.
The API (bearer tokens, no session) is not behind this gate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motverka.accounts.mfa import has_authenticator, mfa_required, session_strongly_authenticated
from motverka.accounts.models import SessionEndReason
from motverka.accounts.sessions import session_end_current, session_overdue, session_touch

#: URL names open to a signed-in user before the second factor. Nothing here shows
#: personal data. Static files and /healthz are outside the URL resolver's views too.
OPEN_WITHOUT_SECOND_FACTOR = frozenset(
    {
        "healthz",
        "login",
        "logout",
        "mfa_enrol",
        "mfa_verify",
        "password_change",
        "admin:login",
        "admin:logout",
    }
)
#: Of those, the pages open to a user who must still change the password.
OPEN_BEFORE_PASSWORD_CHANGE = OPEN_WITHOUT_SECOND_FACTOR
#: Paths that do not use the session at all: the API (bearer tokens) and static files.
SESSIONLESS_PREFIXES = ("/api/",)

END_MESSAGES: dict[str, Any] = {
    SessionEndReason.IDLE: _(
        "Du har loggats ut eftersom du inte varit aktiv på %(minutes)s minuter."
    ),
    SessionEndReason.LIFETIME: _(
        "Du har loggats ut eftersom sessionen nått sin längsta tid. Logga in igen."
    ),
    SessionEndReason.ROLE_CHANGE: _("Din roll har ändrats. Logga in igen."),
}


def _sessionless(request: HttpRequest) -> bool:
    path = request.path_info
    static = "/" + settings.STATIC_URL.lstrip("/")
    return path.startswith(SESSIONLESS_PREFIXES) or path.startswith(static)


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _sessionless(request) and request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = timezone.now()
        reason = session_overdue(request, now=now)
        if reason is None:
            session_touch(request, now=now)
            return
        session_end_current(request=request, reason=reason)
        request.user = AnonymousUser()
        messages.info(
            request,
            str(END_MESSAGES[reason]) % {"minutes": settings.MOTVERKA_SESSION_IDLE_MINUTES},
        )


class StrongAuthenticationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if _sessionless(request) or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in OPEN_WITHOUT_SECOND_FACTOR:
            return None
        if mfa_required() and not session_strongly_authenticated(request):
            step = "mfa_verify" if has_authenticator(request.user) else "mfa_enrol"  # type: ignore[arg-type]
            return _redirect(step, request)
        if getattr(request.user, "must_change_password", False):
            return _redirect("password_change", request)
        return None


def _redirect(name: str, request: HttpRequest) -> HttpResponse:
    target = reverse(name)
    if request.method == "GET" and request.path != target:
        target = f"{target}?{urlencode({'next': request.get_full_path()})}"
    return HttpResponseRedirect(target)
