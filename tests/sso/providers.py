"""Real identity providers for the tests, each served by a small WSGI app in a thread on
a free local port: a SAML 2.0 IdP on pysaml2's ``Server`` and an OpenID Connect provider on
pyop. Both show a login form where the test (or the browser) names the person who
authenticates; what they answer is built and signed by the libraries themselves."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

Environ = dict[str, Any]
StartResponse = Callable[..., Any]


_KEYPAIRS: dict[str, tuple[bytes, bytes]] = {}


def make_keypair(directory: Path, name: str) -> tuple[Path, Path]:
    """An RSA key and self-signed certificate made in this test run (one per name, reused
    by later tests to keep them fast), written as PEM files."""
    if name not in _KEYPAIRS:
        _KEYPAIRS[name] = _generate_keypair(name)
    key_pem, cert_pem = _KEYPAIRS[name]
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.crt"
    key_path.write_bytes(key_pem)
    cert_path.write_bytes(cert_pem)
    return key_path, cert_path


def _generate_keypair(name: str) -> tuple[bytes, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class LateApp:
    """The WSGI app a server forwards to, set once the server's URL is known."""

    def __init__(self) -> None:
        self.target: Callable[[Environ, StartResponse], list[bytes]] | None = None

    def __call__(self, environ: Environ, start_response: StartResponse) -> list[bytes]:
        assert self.target is not None
        return self.target(environ, start_response)


@contextmanager
def serve(app: LateApp, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 and a free port; yields the base URL (naming ``host``,
    which a browser test sets to the live server's host so both are one site)."""
    server = make_server(
        "127.0.0.1", 0, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _login_form(action: str, pending: str) -> bytes:
    return (
        "<!doctype html><html lang='sv'><head><title>Test-IdP</title></head><body>"
        "<h1>Test-IdP</h1>"
        f"<form method='post' action='{html.escape(action)}'>"
        f"<input type='hidden' name='pending' value='{html.escape(pending)}'>"
        "<label for='user'>Testperson</label><input id='user' name='user'>"
        "<button type='submit'>Identifiera</button></form></body></html>"
    ).encode()


def _read_form(environ: Environ) -> dict[str, str]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length).decode()
    return {key: values[0] for key, values in parse_qs(body).items()}


# --- SAML ---------------------------------------------------------------------------------


@dataclass
class SamlPerson:
    attributes: dict[str, list[str]]
    authn_context: str = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"


@dataclass
class SamlIdP:
    """pysaml2's IdP. ``people`` maps the name typed into the form to what is asserted."""

    base_url: str
    metadata_path: Path
    server: Any
    people: dict[str, SamlPerson] = field(default_factory=dict)
    _pending: dict[str, Any] = field(default_factory=dict)

    def app(self, environ: Environ, start_response: StartResponse) -> list[bytes]:
        from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT

        path = environ["PATH_INFO"]
        if path == "/sso/redirect" and environ["REQUEST_METHOD"] == "GET":
            query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
            request = self.server.parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
            key = secrets.token_urlsafe(8)
            self._pending[key] = (request.message, query.get("RelayState", ""))
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [_login_form("/login", key)]
        if path == "/login" and environ["REQUEST_METHOD"] == "POST":
            form = _read_form(environ)
            message, relay_state = self._pending.pop(form["pending"])
            person = self.people[form["user"]]
            destination = message.assertion_consumer_service_url
            response = self.server.create_authn_response(
                identity=person.attributes,
                in_response_to=message.id,
                destination=destination,
                sp_entity_id=message.issuer.text,
                name_id_policy=message.name_id_policy,
                userid=form["user"],
                authn={"class_ref": person.authn_context, "authn_auth": self.base_url},
                sign_assertion=True,
                sign_response=True,
            )
            http_args = self.server.apply_binding(
                BINDING_HTTP_POST, str(response), destination, relay_state, response=True
            )
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [http_args["data"].encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]


def saml_idp_config(base_url: str, key: Path, cert: Path, sp_metadata: str) -> dict[str, Any]:
    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT

    return {
        "entityid": f"{base_url}/metadata",
        "xmlsec_binary": "/usr/bin/xmlsec1",
        "service": {
            "idp": {
                "name": "Test-IdP",
                "endpoints": {
                    "single_sign_on_service": [(f"{base_url}/sso/redirect", BINDING_HTTP_REDIRECT)]
                },
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "policy": {
                    "default": {
                        "lifetime": {"minutes": 15},
                        "attribute_restrictions": None,
                        "name_form": NAME_FORMAT_URI,
                    }
                },
            }
        },
        "key_file": str(key),
        "cert_file": str(cert),
        "metadata": {"inline": [sp_metadata]},
        "allow_unknown_attributes": True,
    }


# --- OpenID Connect -------------------------------------------------------------------------


@dataclass
class OidcPerson:
    claims: dict[str, Any]
    acr: str | None = None
    amr: list[str] | None = None


@dataclass
class OidcProvider:
    """pyop's provider. ``people`` maps the name typed into the form to its claims."""

    base_url: str
    client_id: str
    client_secret: str
    provider: Any
    people: dict[str, OidcPerson] = field(default_factory=dict)
    _pending: dict[str, Any] = field(default_factory=dict)

    def app(self, environ: Environ, start_response: StartResponse) -> list[bytes]:
        path = environ["PATH_INFO"]
        headers = {"Authorization": environ.get("HTTP_AUTHORIZATION", "")}
        if not headers["Authorization"]:
            headers = {}
        if path == "/authorize":
            request = self.provider.parse_authentication_request(environ["QUERY_STRING"])
            key = secrets.token_urlsafe(8)
            self._pending[key] = request
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [_login_form("/login", key)]
        if path == "/login":
            form = _read_form(environ)
            request = self._pending.pop(form["pending"])
            person = self.people[form["user"]]
            self.provider.userinfo._db[form["user"]] = person.claims
            response = self.provider.authorize(request, form["user"])
            location = response.request(request["redirect_uri"])
            start_response("302 Found", [("Location", location)])
            return [b""]
        if path == "/token":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)).decode()
            try:
                response = self.provider.handle_token_request(
                    body, headers, extra_id_token_claims=self._authentication_claims
                )
            except Exception as error:  # noqa: BLE001 — the provider's refusal, as JSON
                start_response("400 Bad Request", [("Content-Type", "application/json")])
                return [json.dumps({"error": "invalid_grant", "detail": str(error)}).encode()]
            start_response("200 OK", [("Content-Type", "application/json")])
            return [response.to_json().encode()]
        if path == "/userinfo":
            response = self.provider.handle_userinfo_request(
                environ.get("QUERY_STRING", ""), headers
            )
            start_response("200 OK", [("Content-Type", "application/json")])
            return [response.to_json().encode()]
        if path == "/jwks":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps(self.provider.jwks).encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def _authentication_claims(self, user_id: str, client_id: str) -> dict[str, Any]:
        """How the person authenticated, for the ID token (``acr``, ``amr``)."""
        person = self.people[user_id]
        claims: dict[str, Any] = {}
        if person.acr:
            claims["acr"] = person.acr
        if person.amr:
            claims["amr"] = person.amr
        return claims


def make_oidc_provider(base_url: str, key_path: Path, redirect_uri: str) -> OidcProvider:
    from jwkest.jwk import RSAKey, import_rsa_key
    from pyop.authz_state import AuthorizationState
    from pyop.provider import Provider
    from pyop.subject_identifier import HashBasedSubjectIdentifierFactory
    from pyop.userinfo import Userinfo

    signing_key = RSAKey(key=import_rsa_key(key_path.read_text()), alg="RS256", kid="test-op")
    client_id, client_secret = "motverka", secrets.token_urlsafe(16)
    configuration = {
        # pyop insists on an https issuer identifier; it is only a name in the ID token
        # (the endpoints below are served over plain HTTP on the loopback address).
        "issuer": "https://op.test",
        "authorization_endpoint": f"{base_url}/authorize",
        "token_endpoint": f"{base_url}/token",
        "userinfo_endpoint": f"{base_url}/userinfo",
        "jwks_uri": f"{base_url}/jwks",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_post"],
        "scopes_supported": ["openid", "email", "profile"],
        "code_challenge_methods_supported": ["S256"],
    }
    clients = {
        client_id: {
            "client_secret": client_secret,
            "redirect_uris": [redirect_uri],
            "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_post",
        }
    }
    provider = Provider(
        signing_key,
        configuration,
        AuthorizationState(HashBasedSubjectIdentifierFactory(secrets.token_hex(8))),
        clients,
        Userinfo({}),
    )
    return OidcProvider(base_url, client_id, client_secret, provider)


# --- Walking a flow with the Django test client ---------------------------------------------


def follow_form(page: str, base_url: str, user: str) -> requests.Response:
    """Submit the provider's login form as ``user``."""
    pending = re.search(r"name='pending' value='([^']+)'", page)
    assert pending, page
    return requests.post(
        f"{base_url}/login",
        data={"pending": html.unescape(pending.group(1)), "user": user},
        allow_redirects=False,
        timeout=10,
    )


def auto_post_fields(page: str) -> tuple[str, dict[str, str]]:
    """The action and the hidden fields of pysaml2's auto-submitting POST form."""
    action = re.search(r'<form[^>]*action="([^"]+)"', page)
    assert action, page
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    return html.unescape(action.group(1)), {k: html.unescape(v) for k, v in fields.items()}
