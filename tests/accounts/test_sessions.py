"""Sessions: idle timeout, absolute lifetime, the user's own list, and forced ends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from motverka.accounts.models import Role, SessionEndReason, UserSession
from motverka.accounts.sessions import SESSION_LAST_SEEN, SESSION_STARTED
from motverka.audit.models import AuditAction, AuditEvent
from tests.second_factor import SecondFactorClient


def _signed_in(user, **extra):
    client = SecondFactorClient(**extra)
    client.force_login(user)
    return client


def _age(client, key, by):
    session = client.session
    session[key] = session[key] - by.total_seconds()
    session.save()


def test_a_session_idle_past_the_timeout_ends_and_says_why(world, settings):
    client = _signed_in(world.worker_a)
    assert client.get(reverse("start")).status_code == 200
    _age(client, SESSION_LAST_SEEN, timedelta(minutes=settings.MOTVERKA_SESSION_IDLE_MINUTES + 1))
    response = client.get(reverse("case_list"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "inte varit aktiv på 30 minuter" in response.content.decode()
    row = UserSession.objects.get(user=world.worker_a)
    assert row.end_reason == SessionEndReason.IDLE and row.ended_at is not None
    assert AuditEvent.objects.filter(
        action=AuditAction.SESSION_END, actor=world.worker_a, detail="inaktivitet"
    ).exists()


def test_activity_keeps_the_session_alive_and_is_recorded_once_a_minute(world):
    client = _signed_in(world.worker_a)
    _age(client, SESSION_LAST_SEEN, timedelta(minutes=29))
    assert client.get(reverse("start")).status_code == 200
    row = UserSession.objects.get(user=world.worker_a)
    assert timezone.now() - row.last_seen_at < timedelta(seconds=30)
    assert client.post(reverse("session_keep_alive")).status_code == 204


def test_the_idle_timeout_is_configurable(world, settings):
    settings.MOTVERKA_SESSION_IDLE_MINUTES = 5
    client = _signed_in(world.worker_a)
    _age(client, SESSION_LAST_SEEN, timedelta(minutes=6))
    assert client.get(reverse("start"))["Location"].startswith(reverse("login"))


def test_a_session_ends_after_ten_hours_however_active(world):
    client = _signed_in(world.worker_a)
    _age(client, SESSION_STARTED, timedelta(hours=10, minutes=1))
    assert client.get(reverse("start"))["Location"].startswith(reverse("login"))
    assert UserSession.objects.get(user=world.worker_a).end_reason == SessionEndReason.LIFETIME


def test_a_role_change_ends_the_users_sessions(world):
    client = _signed_in(world.worker_a)
    world.worker_a.role = Role.ANALYST
    world.worker_a.save(update_fields=["role"])
    assert client.get(reverse("start"))["Location"].startswith(reverse("login"))
    assert UserSession.objects.get(user=world.worker_a).end_reason == SessionEndReason.ROLE_CHANGE


def test_the_user_sees_their_sessions_and_ends_another_one(world):
    office = _signed_in(
        world.worker_a, HTTP_USER_AGENT="Firefox på kontoret", REMOTE_ADDR="10.0.0.5"
    )
    laptop = _signed_in(world.worker_a, HTTP_USER_AGENT="Chrome hemma", REMOTE_ADDR="10.0.0.6")
    office.get(reverse("start"), HTTP_USER_AGENT="Firefox på kontoret")
    _signed_in(world.worker_b)
    page = office.get(reverse("session_list")).content.decode()
    assert page.count('<form method="post" action="/konto/sessioner/') == 2
    other = UserSession.objects.get(user=world.worker_a, session_key=laptop.session.session_key)
    office.post(reverse("session_end", args=[other.pk]))
    assert laptop.get(reverse("start"))["Location"].startswith(reverse("login"))
    assert office.get(reverse("start")).status_code == 200
    assert not Session.objects.filter(session_key=other.session_key).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.SESSION_END, actor=world.worker_a, object_id=str(other.pk)
    ).exists()


def test_another_users_session_cannot_be_ended(world):
    theirs = _signed_in(world.worker_b)
    row = UserSession.objects.get(user=world.worker_b)
    mine = _signed_in(world.worker_a)
    assert mine.post(reverse("session_end", args=[row.pk])).status_code == 404
    assert theirs.get(reverse("start")).status_code == 200


def test_changing_the_password_ends_the_other_sessions_only(world):
    here = _signed_in(world.worker_a)
    there = _signed_in(world.worker_a)
    response = here.post(
        reverse("password_change"),
        {
            "old_password": "test-password-123",
            "new_password1": "Blåbärssoppa-i-Vasaloppet-77",
            "new_password2": "Blåbärssoppa-i-Vasaloppet-77",
        },
    )
    assert response.status_code == 302
    assert here.get(reverse("start")).status_code == 200
    assert there.get(reverse("start"))["Location"].startswith(reverse("login"))
    assert AuditEvent.objects.filter(
        action=AuditAction.PASSWORD_CHANGE, actor=world.worker_a
    ).exists()
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.SESSION_END, detail__startswith="lösenordet byttes"
        ).count()
        == 1
    )


def test_login_and_logout_are_audited_and_close_the_session_row(world):
    client = _signed_in(world.worker_a)
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=world.worker_a).exists()
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=world.worker_a).exists()
    assert UserSession.objects.get(user=world.worker_a).end_reason == SessionEndReason.LOGOUT


def _settings_under(env: dict[str, str]) -> dict[str, object]:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "
        "settings.SESSION_COOKIE_AGE, settings.SESSION_ENGINE]))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and settings
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "motverka.config.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(zip(["session", "csrf", "age", "engine"], json.loads(result.stdout), strict=True))


def test_cookie_names_carry_the_host_prefix_under_https_and_sessions_stay_in_the_database():
    https = _settings_under({"HTTPS": "1", "DEBUG": "0"})
    assert https["session"] == "__Host-sessionid" and https["csrf"] == "__Host-csrftoken"
    assert https["age"] == 10 * 3600
    assert https["engine"] == "django.contrib.sessions.backends.db"
    plain = _settings_under({"HTTPS": "0"})
    assert plain["session"] == "sessionid"


def test_the_idle_warning_script_is_a_static_file_with_the_texts_on_the_page(client, world):
    client.force_login(world.worker_a)
    html = client.get(reverse("start")).content.decode()
    assert 'src="/static/motverka/session-timeout.js"' in html
    assert 'data-session-idle-seconds="1800"' in html
    assert 'data-session-warning-seconds="120"' in html
    assert "Du loggas snart ut" in html
    anonymous = SecondFactorClient().get(reverse("login")).content.decode()
    assert "session-timeout.js" not in anonymous
