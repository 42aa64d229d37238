"""System checks: a configuration that would lock everybody out, or accept unsigned
identities, is reported before the server starts."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register

from motverka.sso.config import oidc_settings, password_login_enabled, saml_settings
from motverka.sso.services import MATCHABLE_FIELDS


@register()
def sso_configuration(app_configs: Any, **kwargs: Any) -> list[Any]:
    problems: list[Any] = []
    saml, oidc = saml_settings(), oidc_settings()
    if not password_login_enabled() and saml is None and oidc is None:
        problems.append(
            Error(
                "MOTVERKA_PASSWORD_LOGIN=off but no SAML or OIDC provider is configured: "
                "nobody could log in.",
                id="motverka_sso.E001",
            )
        )
    if saml is not None:
        if not settings.MOTVERKA_SSO_BASE_URL:
            problems.append(Error("SAML needs MOTVERKA_SSO_BASE_URL.", id="motverka_sso.E002"))
        if not os.path.exists(str(saml["idp_metadata"])):
            problems.append(
                Error("MOTVERKA_SAML_IDP_METADATA names no file.", id="motverka_sso.E003")
            )
        if not os.path.exists(str(saml["xmlsec_binary"])):
            problems.append(
                Error(
                    "SAML needs the xmlsec1 program (apt-get install xmlsec1).",
                    id="motverka_sso.E004",
                )
            )
        if saml["user_field"] not in MATCHABLE_FIELDS:
            problems.append(Error("MOTVERKA_SAML_USER_FIELD is unknown.", id="motverka_sso.E005"))
    if oidc is not None:
        for name in (
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
        ):
            if not getattr(settings, name, ""):
                problems.append(
                    Error(
                        f"OIDC needs {name.replace('OIDC_OP_', 'MOTVERKA_OIDC_')}.",
                        id="motverka_sso.E006",
                    )
                )
        if str(getattr(settings, "OIDC_RP_SIGN_ALGO", "")).startswith(("RS", "ES")) and not (
            getattr(settings, "OIDC_OP_JWKS_ENDPOINT", "")
        ):
            problems.append(
                Error(
                    "OIDC with RS/ES signatures needs MOTVERKA_OIDC_JWKS_ENDPOINT.",
                    id="motverka_sso.E007",
                )
            )
        if oidc["user_field"] not in MATCHABLE_FIELDS:
            problems.append(Error("MOTVERKA_OIDC_USER_FIELD is unknown.", id="motverka_sso.E005"))
    return problems


@register(deploy=True)
def sso_password_login_left_on(app_configs: Any, **kwargs: Any) -> list[Any]:
    problems: list[Any] = []
    if (saml_settings() or oidc_settings()) and password_login_enabled():
        problems.append(
            Warning(
                "Single sign-on is on and password login too; set MOTVERKA_PASSWORD_LOGIN=off "
                "once every user logs in through the identity provider.",
                id="motverka_sso.W001",
            )
        )
    return problems
