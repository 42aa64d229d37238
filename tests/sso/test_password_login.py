"""MOTVERKA_PASSWORD_LOGIN=off: only the identity providers remain, on every door."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

from motverka.accounts.models import Role
from motverka.audit.models import AuditEvent
from tests.factories import PASSWORD, make_unit, make_user
from tests.sso.conftest import make_sso_user
from tests.sso.test_saml import SITHS_HSA, saml_round_trip

pytestmark = pytest.mark.django_db


@pytest.fixture
def password_off(settings, saml_idp):
    settings.MOTVERKA_PASSWORD_LOGIN = False
    return saml_idp


def test_the_login_page_shows_only_the_idp_buttons(client, password_off):
    page = client.get("/logga-in/").content.decode()
    assert 'name="password"' not in page
    assert "Logga in med SITHS-kort" in page


def test_a_posted_password_is_refused_with_403_and_audited(client, password_off):
    user = make_user(Role.CASE_WORKER, [make_unit()], username="hanna")
    response = client.post("/logga-in/", {"username": "hanna", "password": PASSWORD})
    assert response.status_code == 403
    assert "Lösenordsinloggning är avstängd" in response.content.decode()
    assert "_auth_user_id" not in client.session
    row = AuditEvent.objects.get(action="login_failed")
    assert row.detail == "Lösenord: lösenordsinloggning är avstängd"
    assert row.actor is None
    assert user.pk  # the account exists; the refusal does not depend on it


def test_the_admin_login_is_closed_too(client, password_off):
    make_user(Role.ADMINISTRATOR, username="admin")
    assert (
        client.post("/admin/login/", {"username": "admin", "password": PASSWORD}).status_code == 403
    )
    redirect = client.get("/admin/login/?next=/admin/accounts/user/")
    assert redirect.status_code == 302
    assert redirect["Location"] == "/logga-in/?next=%2Fadmin%2Faccounts%2Fuser%2F"
    assert "_auth_user_id" not in client.session


def test_no_code_path_accepts_a_password(password_off):
    from django.test import RequestFactory

    make_user(Role.ADMINISTRATOR, username="admin")
    # A shell or a view calling authenticate() directly: with a request, as django-axes
    # (first among the backends) requires; without one, axes refuses outright.
    request = RequestFactory().post("/logga-in/")
    assert authenticate(request, username="admin", password=PASSWORD) is None


def test_single_sign_on_still_works(client, password_off):
    from tests.sso.conftest import HSA_ID
    from tests.sso.providers import SamlPerson

    make_sso_user(Role.CASE_WORKER, [make_unit()], sso_subject=SITHS_HSA)
    password_off.people["hanna"] = SamlPerson({HSA_ID: [SITHS_HSA]})
    assert saml_round_trip(client, password_off, "hanna").status_code == 302
    assert "_auth_user_id" in client.session


def test_with_password_login_on_the_form_works_beside_the_buttons(saml_idp):
    from django.test import Client

    client = Client()
    make_user(Role.CASE_WORKER, [make_unit()], username="hanna")
    page = client.get("/logga-in/").content.decode()
    assert 'name="password"' in page and "Logga in med SITHS-kort" in page
    response = client.post("/logga-in/", {"username": "hanna", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_any_other_login_in_the_session_drops_the_idps_strength(rf):
    """A login through any other path (the password form, a future flow) must not inherit
    the strength an identity provider asserted for an earlier login in the same session."""
    from django.contrib.auth import login
    from django.contrib.sessions.backends.db import SessionStore

    from motverka.sso.services import STRONG_AUTH_SESSION_KEY

    user = make_user(Role.CASE_WORKER, [make_unit()])
    request = rf.get("/")
    request.session = SessionStore()
    request.session[STRONG_AUTH_SESSION_KEY] = "saml"
    request.user = user
    login(request, user, backend="motverka.sso.backends.PasswordBackend")
    assert STRONG_AUTH_SESSION_KEY not in request.session
