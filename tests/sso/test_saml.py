"""SAML login against pysaml2's own IdP: the redirect, the IdP's signed answer posted back,
and what Motverka does with it."""

from __future__ import annotations

import pytest
import requests

from motverka.accounts.models import Role
from motverka.audit.models import AuditEvent
from motverka.sso.services import STRONG_AUTH_SESSION_KEY
from tests.factories import make_unit, make_user
from tests.sso.conftest import HSA_ID, LOA3, make_sso_user
from tests.sso.providers import SamlPerson, auto_post_fields, follow_form

pytestmark = pytest.mark.django_db

SITHS_HSA = "SE2321000032-abc123"


def saml_round_trip(client, idp, person_name: str, next_url: str = ""):
    """Start at Motverka, authenticate at the IdP, post its answer back; the last response."""
    start = client.get("/sso/saml/login/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start.content
    assert start["Location"].startswith(f"{idp.base_url}/sso/redirect?SAMLRequest=")
    form_page = requests.get(start["Location"], timeout=10)
    assert form_page.status_code == 200, form_page.text
    answer = follow_form(form_page.text, idp.base_url, person_name)
    assert answer.status_code == 200, answer.text
    action, fields = auto_post_fields(answer.text)
    assert action == "http://testserver/sso/saml/acs/"
    assert "SAMLResponse" in fields
    return client.post("/sso/saml/acs/", fields)


def test_a_known_user_logs_in_through_the_idp(client, saml_idp):
    user = make_sso_user(Role.CASE_WORKER, [make_unit()], sso_subject=SITHS_HSA)
    saml_idp.people["hanna"] = SamlPerson({HSA_ID: [SITHS_HSA]}, authn_context=LOA3)
    response = saml_round_trip(client, saml_idp, "hanna", next_url="/arenden/")
    assert response.status_code == 302
    assert response["Location"] == "/arenden/"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session[STRONG_AUTH_SESSION_KEY] == "saml"
    assert client.get("/arenden/").status_code == 200
    row = AuditEvent.objects.get(action="login")
    assert row.actor == user
    assert row.detail.startswith("SAML: stark")
    assert SITHS_HSA not in row.detail


def test_a_login_without_a_strong_context_leaves_the_flag_unset(client, saml_idp):
    make_sso_user(Role.CASE_WORKER, [make_unit()], sso_subject=SITHS_HSA)
    saml_idp.people["hanna"] = SamlPerson({HSA_ID: [SITHS_HSA]})  # password at the IdP
    response = saml_round_trip(client, saml_idp, "hanna")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert STRONG_AUTH_SESSION_KEY not in client.session
    assert AuditEvent.objects.get(action="login").detail.startswith("SAML: utan stark")


def test_an_unknown_identity_is_refused_and_no_account_is_created(
    client, saml_idp, django_user_model
):
    make_sso_user(Role.CASE_WORKER, [make_unit()], sso_subject=SITHS_HSA)
    users_before = django_user_model.objects.count()
    saml_idp.people["okand"] = SamlPerson({HSA_ID: ["SE2321000032-okand"]}, authn_context=LOA3)
    response = saml_round_trip(client, saml_idp, "okand")
    assert response.status_code == 403
    assert "Inloggningen nekades" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert STRONG_AUTH_SESSION_KEY not in client.session
    assert django_user_model.objects.count() == users_before
    row = AuditEvent.objects.get(action="login_failed")
    assert row.actor is None
    assert row.detail == "SAML: okänd identitet"
    assert "okand" not in row.detail


@pytest.mark.parametrize(
    ("setup", "detail"),
    [
        ({"is_active": False}, "SAML: kontot är inaktiverat"),
        ({"units": False}, "SAML: användaren saknar roll eller enhet"),
        ({"role": ""}, "SAML: användaren saknar roll eller enhet"),
    ],
)
def test_an_inactive_user_or_one_without_rights_is_refused(client, saml_idp, setup, detail):
    user = make_user(Role.CASE_WORKER, [] if "units" in setup else [make_unit()])
    user.sso_subject = SITHS_HSA
    user.is_active = setup.get("is_active", True)
    user.role = setup.get("role", user.role)
    user.save()
    saml_idp.people["hanna"] = SamlPerson({HSA_ID: [SITHS_HSA]}, authn_context=LOA3)
    response = saml_round_trip(client, saml_idp, "hanna")
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    row = AuditEvent.objects.get(action="login_failed")
    assert row.detail == detail
    assert row.actor == user


def test_an_answer_without_the_identity_attribute_is_refused(client, saml_idp):
    make_sso_user(Role.CASE_WORKER, [make_unit()], email="hanna@kommun.test", sso_subject=SITHS_HSA)
    saml_idp.people["hanna"] = SamlPerson({"urn:oid:0.9.2342.19200300.100.1.3": ["x@y.se"]})
    response = saml_round_trip(client, saml_idp, "hanna")
    assert response.status_code == 403
    assert AuditEvent.objects.get(action="login_failed").detail.endswith("attributet")


def test_a_replayed_answer_is_refused(client, saml_idp):
    make_sso_user(Role.CASE_WORKER, [make_unit()], sso_subject=SITHS_HSA)
    saml_idp.people["hanna"] = SamlPerson({HSA_ID: [SITHS_HSA]})
    start = client.get("/sso/saml/login/")
    form_page = requests.get(start["Location"], timeout=10)
    _action, fields = auto_post_fields(follow_form(form_page.text, saml_idp.base_url, "hanna").text)
    assert client.post("/sso/saml/acs/", fields).status_code == 302
    client.logout()
    replay = client.post("/sso/saml/acs/", fields)
    assert replay.status_code == 403
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failed").get().detail == (
        "SAML: ogiltigt svar från identitetsleverantören"
    )


def test_a_tampered_answer_is_refused(client, saml_idp):
    import base64

    make_sso_user(Role.CASE_WORKER, [make_unit()], sso_subject=SITHS_HSA)
    other = make_sso_user(Role.UNIT_MANAGER, [make_unit()], sso_subject="SE2321000032-chef")
    saml_idp.people["hanna"] = SamlPerson({HSA_ID: [SITHS_HSA]})
    start = client.get("/sso/saml/login/")
    form_page = requests.get(start["Location"], timeout=10)
    _action, fields = auto_post_fields(follow_form(form_page.text, saml_idp.base_url, "hanna").text)
    xml = base64.b64decode(fields["SAMLResponse"]).decode()
    assert SITHS_HSA in xml
    fields["SAMLResponse"] = base64.b64encode(
        xml.replace(SITHS_HSA, other.sso_subject).encode()
    ).decode()
    response = client.post("/sso/saml/acs/", fields)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_saml_pages_do_not_exist_while_saml_is_off(client, settings):
    settings.MOTVERKA_SAML = None
    assert client.get("/sso/saml/login/").status_code == 404
    assert client.post("/sso/saml/acs/", {"SAMLResponse": "x"}).status_code == 404
    assert client.get("/sso/saml/metadata/").status_code == 404
    assert "SITHS" not in client.get("/logga-in/").content.decode()


def test_the_login_page_offers_the_idp_and_metadata_is_published(client, saml_idp):
    page = client.get("/logga-in/").content.decode()
    assert "Logga in med SITHS-kort" in page
    assert 'href="/sso/saml/login/"' in page
    metadata = client.get("/sso/saml/metadata/")
    assert metadata.status_code == 200
    assert b"http://testserver/sso/saml/acs/" in metadata.content


def test_a_next_address_on_another_site_is_not_followed(client, saml_idp):
    make_sso_user(Role.CASE_WORKER, [make_unit()], sso_subject=SITHS_HSA)
    saml_idp.people["hanna"] = SamlPerson({HSA_ID: [SITHS_HSA]})
    response = saml_round_trip(client, saml_idp, "hanna", next_url="https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == "/"
