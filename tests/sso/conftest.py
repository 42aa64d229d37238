from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.sso.providers import (
    LateApp,
    OidcProvider,
    SamlIdP,
    make_keypair,
    make_oidc_provider,
    saml_idp_config,
    serve,
)


@pytest.fixture
def client():
    """A browser-like client: CSRF is checked, as the identity provider's POST meets it."""
    from django.test import Client

    return Client(enforce_csrf_checks=True)


def make_sso_user(role, units, *, sso_subject: str, **kwargs):
    """A user as an administrator sets one up for single sign-on (the identity is entered
    in the administration site)."""
    from tests.factories import make_user

    user = make_user(role, units, **kwargs)
    user.sso_subject = sso_subject
    user.save(update_fields=["sso_subject"])
    return user


HSA_ID = "urn:oid:1.2.752.29.6.2.1"  # employeeHsaId
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"


def saml_settings(metadata_path: str, sp_key: str = "", sp_cert: str = "") -> dict[str, Any]:
    return {
        "idp_metadata": metadata_path,
        "entity_id": "",
        "key_file": sp_key,
        "cert_file": sp_cert,
        "match_attribute": HSA_ID,
        "user_field": "sso_subject",
        "strong_contexts": [LOA3],
        "requested_contexts": [],
        "label": "Logga in med SITHS-kort",
        "xmlsec_binary": "/usr/bin/xmlsec1",
    }


def start_saml_idp(tmp_path, settings, base_url: str, host: str = "127.0.0.1") -> Iterator[SamlIdP]:
    from saml2.config import IdPConfig, SPConfig
    from saml2.metadata import create_metadata_string
    from saml2.server import Server

    from motverka.sso.saml import sp_config_dict

    sp_key, sp_cert = make_keypair(tmp_path, "sp")
    idp_key, idp_cert = make_keypair(tmp_path, "idp")
    metadata_path = tmp_path / "idp-metadata.xml"
    settings.MOTVERKA_SSO_BASE_URL = base_url
    settings.MOTVERKA_SAML = saml_settings(str(metadata_path), str(sp_key), str(sp_cert))
    sp_dict = sp_config_dict()
    del sp_dict["metadata"]
    sp_metadata = create_metadata_string(None, config=SPConfig().load(sp_dict)).decode()
    app = LateApp()
    with serve(app, host) as idp_url:
        idp_conf = IdPConfig().load(saml_idp_config(idp_url, idp_key, idp_cert, sp_metadata))
        metadata_path.write_bytes(create_metadata_string(None, config=idp_conf))
        idp = SamlIdP(idp_url, metadata_path, Server(config=idp_conf))
        app.target = idp.app
        yield idp


@pytest.fixture
def saml_idp(tmp_path, settings) -> Iterator[SamlIdP]:
    """pysaml2's IdP for Motverka served by the Django test client (http://testserver)."""
    yield from start_saml_idp(tmp_path, settings, "http://testserver")


def start_oidc_provider(
    tmp_path, settings, base_url: str, host: str = "127.0.0.1"
) -> Iterator[OidcProvider]:
    key, _cert = make_keypair(tmp_path, "op")
    app = LateApp()
    with serve(app, host) as op_url:
        op = make_oidc_provider(op_url, key, f"{base_url}/sso/oidc/callback/")
        app.target = op.app
        settings.MOTVERKA_OIDC = {
            "match_claim": "email",
            "user_field": "email",
            "strong_acr": [LOA3],
            "strong_amr": [],
            "label": "Logga in med Freja eID+",
        }
        settings.OIDC_RP_CLIENT_ID = op.client_id
        settings.OIDC_RP_CLIENT_SECRET = op.client_secret
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{op_url}/authorize"
        settings.OIDC_OP_TOKEN_ENDPOINT = f"{op_url}/token"
        settings.OIDC_OP_USER_ENDPOINT = f"{op_url}/userinfo"
        settings.OIDC_OP_JWKS_ENDPOINT = f"{op_url}/jwks"
        settings.OIDC_RP_SIGN_ALGO = "RS256"
        settings.OIDC_RP_SCOPES = "openid email"
        yield op


@pytest.fixture
def oidc_provider(tmp_path, settings) -> Iterator[OidcProvider]:
    """pyop's OpenID provider for Motverka served by the Django test client."""
    yield from start_oidc_provider(tmp_path, settings, "http://testserver")
