"""Matching identities to users, and the configuration checks."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks

from motverka.accounts.models import Role
from motverka.sso.policy import Method, Refusal
from motverka.sso.services import SsoRefused, sso_user_match
from tests.factories import make_unit, make_user
from tests.sso.conftest import make_sso_user

pytestmark = pytest.mark.django_db


def refusal_of(field, subject):
    with pytest.raises(SsoRefused) as caught:
        sso_user_match(method=Method.SAML, field=field, subject=subject)
    return caught.value.refusal


def test_matching_on_each_field():
    unit = make_unit()
    user = make_sso_user(
        Role.CASE_WORKER, [unit], sso_subject="SE-1", username="hanna", email="Hanna@K.se"
    )
    assert sso_user_match(method=Method.SAML, field="sso_subject", subject="SE-1") == user
    assert sso_user_match(method=Method.OIDC, field="email", subject="hanna@k.SE") == user
    assert sso_user_match(method=Method.OIDC, field="username", subject="hanna") == user
    # Exact match for identifiers: another case or a prefix is another identity.
    assert refusal_of("sso_subject", "se-1") is Refusal.UNKNOWN
    assert refusal_of("sso_subject", "SE-") is Refusal.UNKNOWN
    assert refusal_of("username", "HANNA") is Refusal.UNKNOWN
    assert refusal_of("sso_subject", None) is Refusal.NO_IDENTITY


def test_users_without_an_sso_identity_are_never_matched_by_an_empty_one():
    make_user(Role.CASE_WORKER, [make_unit()])
    assert refusal_of("sso_subject", "") is Refusal.NO_IDENTITY


def test_administrators_and_analysts_need_no_unit():
    admin = make_sso_user(Role.ADMINISTRATOR, [], sso_subject="SE-admin")
    assert sso_user_match(method=Method.SAML, field="sso_subject", subject="SE-admin") == admin


def test_an_unknown_field_is_a_programming_error():
    with pytest.raises(ValueError):
        sso_user_match(method=Method.SAML, field="is_superuser", subject="True")


def check_ids():
    return {message.id for message in run_checks(include_deployment_checks=True)}


def test_password_off_without_a_provider_fails_the_check(settings):
    settings.MOTVERKA_PASSWORD_LOGIN = False
    settings.MOTVERKA_SAML = None
    settings.MOTVERKA_OIDC = None
    assert "motverka_sso.E001" in check_ids()


def test_saml_without_its_pieces_fails_the_check(settings, tmp_path):
    from tests.sso.conftest import saml_settings

    settings.MOTVERKA_SSO_BASE_URL = ""
    settings.MOTVERKA_SAML = {
        **saml_settings(str(tmp_path / "missing.xml")),
        "xmlsec_binary": str(tmp_path / "no-xmlsec1"),
        "user_field": "is_superuser",
    }
    ids = check_ids()
    assert {"motverka_sso.E002", "motverka_sso.E003", "motverka_sso.E004"} <= ids
    assert {"motverka_sso.E005", "motverka_sso.W001"} <= ids


def test_oidc_without_endpoints_fails_the_check(settings):
    settings.MOTVERKA_OIDC = {
        "match_claim": "email",
        "user_field": "email",
        "strong_acr": [],
        "strong_amr": [],
        "label": "x",
    }
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    for name in (
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT",
    ):
        setattr(settings, name, "")
    ids = check_ids()
    assert {"motverka_sso.E006", "motverka_sso.E007"} <= ids
