"""Signed-in sessions: their start, idle timeout, absolute lifetime and end.

The session data stays in django.contrib.sessions' database table; ``UserSession`` keeps
what the user is shown about each (browser, address, started, last seen) and how it ended.
Every end is an audit row (``session_end``, or ``logout`` for the logout button).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from motverka.accounts.models import SessionEndReason, User, UserSession
from motverka.audit.middleware import client_address
from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record
from motverka.cases.errors import AccessDenied

# Keys in the session data (prefixed so they never meet Django's or django-otp's).
SESSION_STARTED = "motverka_started"
SESSION_LAST_SEEN = "motverka_last_seen"
SESSION_ROLE = "motverka_role"
#: Last-seen is written at most this often: a write per request would make every page
#: a database write, and a minute is plenty for a 30-minute timeout.
LAST_SEEN_PRECISION = timedelta(minutes=1)


def idle_timeout() -> timedelta:
    return timedelta(minutes=settings.MOTVERKA_SESSION_IDLE_MINUTES)


def absolute_lifetime() -> timedelta:
    return timedelta(hours=settings.MOTVERKA_SESSION_MAX_HOURS)


def _session_store() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


def _stamp(moment: datetime) -> float:
    return moment.timestamp()


def _moment(stamp: float) -> datetime:
    return datetime.fromtimestamp(stamp, tz=timezone.get_current_timezone())


@transaction.atomic
def session_start(*, request: HttpRequest, user: User) -> UserSession:
    """Record a fresh sign-in (called on every login, by password or single sign-on)."""
    now = timezone.now()
    session = request.session
    session[SESSION_STARTED] = _stamp(now)
    session[SESSION_LAST_SEEN] = _stamp(now)
    session[SESSION_ROLE] = user.role
    if session.session_key is None:
        session.save()
    row, _created = UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "user_agent": str(request.META.get("HTTP_USER_AGENT", ""))[:255],
            "address": client_address(request)[:64],
            "role": user.role,
            "started_at": now,
            "last_seen_at": now,
            "ended_at": None,
            "end_reason": "",
        },
    )
    return row


def session_key_changed(*, old_key: str | None, new_key: str | None) -> None:
    """Follow a session whose key was cycled (after a password change, for instance)."""
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def session_overdue(request: HttpRequest, *, now: datetime) -> str | None:
    """Why the request's signed-in session must end now, or None if it may go on."""
    session = request.session
    user = request.user
    started = session.get(SESSION_STARTED)
    last_seen = session.get(SESSION_LAST_SEEN)
    if started is None or last_seen is None:
        return None
    if now - _moment(last_seen) > idle_timeout():
        return SessionEndReason.IDLE
    if now - _moment(started) > absolute_lifetime():
        return SessionEndReason.LIFETIME
    if session.get(SESSION_ROLE, getattr(user, "role", None)) != getattr(user, "role", None):
        return SessionEndReason.ROLE_CHANGE
    return None


def session_touch(request: HttpRequest, *, now: datetime) -> None:
    """Note that the session is in use (at most once a minute)."""
    session = request.session
    if SESSION_STARTED not in session:
        # A session from before these keys existed: it starts counting now.
        session_start(request=request, user=request.user)  # type: ignore[arg-type]
        return
    last_seen = session.get(SESSION_LAST_SEEN)
    if last_seen is not None and now - _moment(last_seen) < LAST_SEEN_PRECISION:
        return
    session[SESSION_LAST_SEEN] = _stamp(now)
    UserSession.objects.filter(session_key=session.session_key).update(last_seen_at=now)


def _mark_ended(rows: QuerySet[UserSession], *, reason: str, now: datetime) -> None:
    rows.filter(ended_at__isnull=True).update(ended_at=now, end_reason=reason)


@transaction.atomic
def session_end_current(*, request: HttpRequest, reason: str) -> None:
    """End the request's own session (idle, lifetime, role change): its data is flushed
    and the request goes on as anonymous."""
    user = request.user
    key = request.session.session_key
    now = timezone.now()
    if key:
        _mark_ended(UserSession.objects.filter(session_key=key), reason=reason, now=now)
    audit_record(
        actor=user,
        action=AuditAction.SESSION_END,
        object_type="session",
        object_id=_row_id(key),
        detail=str(SessionEndReason(reason).label),
    )
    request.session.flush()


def _row_id(key: str | None) -> object:
    if not key:
        return ""
    return UserSession.objects.filter(session_key=key).values_list("pk", flat=True).first() or ""


@transaction.atomic
def session_logged_out(*, request: HttpRequest, user: Any) -> None:
    """The logout button: the row says so and the audit log gets a ``logout`` row."""
    key = request.session.session_key
    if key:
        _mark_ended(
            UserSession.objects.filter(session_key=key),
            reason=SessionEndReason.LOGOUT,
            now=timezone.now(),
        )
    audit_record(
        actor=user, action=AuditAction.LOGOUT, object_type="session", object_id=_row_id(key)
    )


def sessions_active_for(user: User) -> QuerySet[UserSession]:
    """The user's sessions that can still be used (not ended, not past their lifetime)."""
    now = timezone.now()
    return UserSession.objects.filter(
        user=user,
        ended_at__isnull=True,
        last_seen_at__gt=now - idle_timeout(),
        started_at__gt=now - absolute_lifetime(),
    )


@transaction.atomic
def session_end(*, acting_user: User, user_session: UserSession, reason: str) -> None:
    """End one session of a user: its data is deleted, so the browser holding it is signed
    out at its next request. A user may end only their own sessions."""
    if user_session.user_id != acting_user.pk and not acting_user.is_administrator:
        raise AccessDenied()
    _session_store()().delete(user_session.session_key)
    _mark_ended(UserSession.objects.filter(pk=user_session.pk), reason=reason, now=timezone.now())
    audit_record(
        actor=acting_user,
        action=AuditAction.SESSION_END,
        object_type="session",
        object_id=user_session.pk,
        detail=f"{SessionEndReason(reason).label} ({user_session.user.username})",
    )


@transaction.atomic
def sessions_end_for_user(
    *, acting_user: Any, user: User, reason: str, except_session_key: str | None = None
) -> int:
    """End all of a user's sessions but ``except_session_key`` (the one making the change)."""
    store = _session_store()
    rows = UserSession.objects.filter(user=user, ended_at__isnull=True)
    if except_session_key:
        rows = rows.exclude(session_key=except_session_key)
    ended = 0
    for row in rows.select_related("user"):
        store().delete(row.session_key)
        ended += 1
        audit_record(
            actor=acting_user,
            action=AuditAction.SESSION_END,
            object_type="session",
            object_id=row.pk,
            detail=f"{SessionEndReason(reason).label} ({user.username})",
        )
    _mark_ended(rows, reason=reason, now=timezone.now())
    return ended
