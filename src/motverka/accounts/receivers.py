"""Authentication events from Django, django-otp and django-axes, turned into audit rows
and session records. Each receiver calls a service; no rule is decided here."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from motverka.accounts.models import User
from motverka.accounts.sessions import session_logged_out, session_start
from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record

#: Set on a request by the MFA step, whose failures axes must count but which the audit
#: log records as ``mfa_failed`` rather than ``login_failed``.
MFA_STEP_ATTRIBUTE = "motverka_mfa_step"


def _user_named(username: Any) -> User | None:
    if not isinstance(username, str) or not username:
        return None
    return User.objects.filter(username=username).first()


@receiver(user_logged_in, dispatch_uid="motverka_login")
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    with transaction.atomic():
        session_start(request=request, user=user)
        if getattr(user, "backend", "").startswith("motverka.sso."):
            if not user.backend.endswith("PasswordBackend"):
                return  # single sign-on writes its own login row, naming the method
        audit_record(
            actor=user,
            action=AuditAction.LOGIN,
            object_type="user",
            object_id=user.pk,
            detail=getattr(request, "motverka_login_method", "lösenord"),
        )


@receiver(user_logged_out, dispatch_uid="motverka_logout")
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None or user is None:
        return
    session_logged_out(request=request, user=user)


@receiver(user_login_failed, dispatch_uid="motverka_login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    if request is not None and getattr(request, MFA_STEP_ATTRIBUTE, False):
        return  # recorded as mfa_failed by the MFA step itself
    if "password" not in credentials:
        return  # a single sign-on answer: the SSO services write their own refusal row
    user = _user_named(credentials.get("username"))
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditAction.LOGIN_FAILED,
            object_type="user",
            object_id=user.pk if user else "",
            # An unknown name is not written down: people type passwords into that field.
            detail="" if user else "okänt användarnamn",
        )


@receiver(user_locked_out, dispatch_uid="motverka_lockout")
def on_lockout(sender: Any, request: Any, username: Any, ip_address: Any, **kwargs: Any) -> None:
    # Axes says so at the failure that reaches the limit and at every refused attempt
    # after it; the audit log wants the moment the lockout began.
    if request is not None and getattr(request, "axes_failures_since_start", None) != (
        settings.AXES_FAILURE_LIMIT
    ):
        return
    user = _user_named(username)
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditAction.LOCKOUT,
            object_type="user",
            object_id=user.pk if user else "",
            detail=f"efter {settings.AXES_FAILURE_LIMIT} misslyckade försök",
        )
