"""OpenID Connect login against pyop's provider: the redirect, the provider's login, the
code exchanged for a signed ID token, and what Motverka does with it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

from motverka.accounts.models import Role
from motverka.audit.models import AuditEvent
from motverka.sso.services import STRONG_AUTH_SESSION_KEY
from tests.factories import make_unit, make_user
from tests.sso.conftest import LOA3
from tests.sso.providers import OidcPerson, follow_form

pytestmark = pytest.mark.django_db


def oidc_round_trip(client, op, person_name: str, next_url: str = ""):
    start = client.get("/sso/oidc/login/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start.content
    assert start["Location"].startswith(f"{op.base_url}/authorize?")
    form_page = requests.get(start["Location"], timeout=10)
    assert form_page.status_code == 200, form_page.text
    answer = follow_form(form_page.text, op.base_url, person_name)
    assert answer.status_code == 302, answer.text
    callback = urlsplit(answer.headers["Location"])
    assert callback.netloc == "testserver"
    assert callback.path == "/sso/oidc/callback/"
    return client.get(f"{callback.path}?{callback.query}")


def test_a_known_user_logs_in_with_a_strong_acr(client, oidc_provider):
    user = make_user(Role.CASE_WORKER, [make_unit()], email="hanna@kommun.test")
    oidc_provider.people["hanna"] = OidcPerson({"email": "Hanna@Kommun.test"}, acr=LOA3)
    response = oidc_round_trip(client, oidc_provider, "hanna", next_url="/arenden/")
    assert response.status_code == 302
    assert response["Location"] == "/arenden/"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session[STRONG_AUTH_SESSION_KEY] == "oidc"
    assert client.get("/arenden/").status_code == 200
    row = AuditEvent.objects.get(action="login")
    assert row.actor == user
    assert row.detail.startswith("OIDC: stark")
    assert "hanna" not in row.detail.lower()


def test_a_strong_amr_counts_too_and_a_weak_acr_does_not(client, oidc_provider, settings):
    make_user(Role.CASE_WORKER, [make_unit()], email="hanna@kommun.test")
    settings.MOTVERKA_OIDC = {**settings.MOTVERKA_OIDC, "strong_amr": ["hwk"]}
    oidc_provider.people["weak"] = OidcPerson(
        {"email": "hanna@kommun.test"}, acr="http://id.elegnamnden.se/loa/1.0/loa2", amr=["pwd"]
    )
    oidc_round_trip(client, oidc_provider, "weak")
    assert "_auth_user_id" in client.session
    assert STRONG_AUTH_SESSION_KEY not in client.session
    client.logout()
    oidc_provider.people["card"] = OidcPerson({"email": "hanna@kommun.test"}, amr=["pwd", "hwk"])
    oidc_round_trip(client, oidc_provider, "card")
    assert client.session[STRONG_AUTH_SESSION_KEY] == "oidc"
    details = list(AuditEvent.objects.filter(action="login").values_list("detail", flat=True))
    assert sorted(d.split(":")[1].strip().split()[0] for d in details) == ["stark", "utan"]


def test_an_unknown_identity_is_refused_and_no_account_is_created(
    client, oidc_provider, django_user_model
):
    make_user(Role.CASE_WORKER, [make_unit()], email="hanna@kommun.test")
    before = django_user_model.objects.count()
    oidc_provider.people["okand"] = OidcPerson({"email": "okand@kommun.test"}, acr=LOA3)
    response = oidc_round_trip(client, oidc_provider, "okand")
    assert response.status_code == 403
    assert "Inloggningen nekades" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert django_user_model.objects.count() == before
    row = AuditEvent.objects.get(action="login_failed")
    assert (row.actor, row.detail) == (None, "OIDC: okänd identitet")


def test_an_inactive_user_and_a_shared_address_are_refused(client, oidc_provider):
    inactive = make_user(Role.CASE_WORKER, [make_unit()], email="gammal@kommun.test")
    inactive.is_active = False
    inactive.save()
    make_user(Role.CASE_WORKER, [make_unit()], email="delad@kommun.test")
    make_user(Role.ANALYST, email="DELAD@kommun.test")
    oidc_provider.people["gammal"] = OidcPerson({"email": "gammal@kommun.test"})
    oidc_provider.people["delad"] = OidcPerson({"email": "delad@kommun.test"})
    assert oidc_round_trip(client, oidc_provider, "gammal").status_code == 403
    assert oidc_round_trip(client, oidc_provider, "delad").status_code == 403
    assert "_auth_user_id" not in client.session
    details = set(AuditEvent.objects.filter(action="login_failed").values_list("detail", flat=True))
    assert details == {
        "OIDC: kontot är inaktiverat",
        "OIDC: identiteten matchar flera användare",
    }


def test_a_forged_callback_is_refused(client, oidc_provider):
    make_user(Role.CASE_WORKER, [make_unit()], email="hanna@kommun.test")
    oidc_provider.people["hanna"] = OidcPerson({"email": "hanna@kommun.test"}, acr=LOA3)
    start = client.get("/sso/oidc/login/")
    form_page = requests.get(start["Location"], timeout=10)
    answer = follow_form(form_page.text, oidc_provider.base_url, "hanna")
    callback = urlsplit(answer.headers["Location"])
    # Someone else's browser (no state in its session) presents the code: refused.
    other = client.__class__()
    assert other.get(f"{callback.path}?{callback.query}").status_code == 403
    # A made-up code with the real state: the provider refuses the exchange.
    state = dict(p.split("=") for p in callback.query.split("&"))["state"]
    forged = client.get(f"{callback.path}?code=made-up&state={state}")
    assert forged.status_code == 403
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login").count() == 0
    assert AuditEvent.objects.filter(action="login_failed").count() == 2


def test_oidc_pages_do_not_exist_while_oidc_is_off(client, settings):
    settings.MOTVERKA_OIDC = None
    assert client.get("/sso/oidc/login/").status_code == 404
    assert client.get("/sso/oidc/callback/?code=a&state=b").status_code == 404
    assert "Freja" not in client.get("/logga-in/").content.decode()
