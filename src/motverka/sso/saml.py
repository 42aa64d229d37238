"""SAML 2.0 service provider on djangosaml2/pysaml2: configuration built from
``settings.MOTVERKA_SAML``, a backend that only matches existing users, and views that turn
every failure into the Swedish refusal page and an audit row."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from djangosaml2 import views as saml_views
from djangosaml2.backends import Saml2Backend
from saml2 import BINDING_HTTP_POST
from saml2.config import SPConfig
from saml2.saml import NAME_FORMAT_URI, Attribute

from motverka.sso.config import require_enabled, saml_settings
from motverka.sso.policy import Method, Refusal, clean_subject, saml_is_strong
from motverka.sso.services import (
    STRONG_AUTH_SESSION_KEY,
    SsoRefused,
    sso_login_record,
    sso_user_match,
)

REFUSAL_ATTRIBUTE = "motverka_sso_refusal"


def _base_url() -> str:
    base = getattr(settings, "MOTVERKA_SSO_BASE_URL", "")
    if not base:
        raise ImproperlyConfigured("MOTVERKA_SSO_BASE_URL is required for SAML")
    return str(base).rstrip("/")


def sp_config_dict() -> dict[str, Any]:
    config = saml_settings()
    if config is None:
        raise ImproperlyConfigured("SAML is not configured")
    base = _base_url()
    signing = bool(config["key_file"] and config["cert_file"])
    sp: dict[str, Any] = {
        "name": "Motverka",
        "name_id_format_allow_create": False,
        "endpoints": {
            "assertion_consumer_service": [(f"{base}/sso/saml/acs/", BINDING_HTTP_POST)],
        },
        # Only answers to requests this session made; a replayed or unsolicited response
        # is refused.
        "allow_unsolicited": False,
        "authn_requests_signed": signing,
        "want_assertions_signed": True,
        "want_response_signed": False,
        "logout_requests_signed": signing,
    }
    if config["requested_contexts"]:
        sp["requested_authn_context"] = {
            "authn_context_class_ref": list(config["requested_contexts"]),
            "comparison": "exact",
        }
    result: dict[str, Any] = {
        "entityid": config["entity_id"] or f"{base}/sso/saml/metadata/",
        "xmlsec_binary": config["xmlsec_binary"],
        "allow_unknown_attributes": True,
        "service": {"sp": sp},
        "metadata": {"local": [config["idp_metadata"]]},
        "name_form": NAME_FORMAT_URI,
    }
    if signing:
        result["key_file"] = config["key_file"]
        result["cert_file"] = config["cert_file"]
        result["encryption_keypairs"] = [
            {"key_file": config["key_file"], "cert_file": config["cert_file"]}
        ]
    return result


def sp_config(request: HttpRequest | None = None) -> SPConfig:
    """djangosaml2's SAML_CONFIG_LOADER: the SP configuration, read at request time."""
    conf = SPConfig()
    conf.load(sp_config_dict())
    return conf


def attribute_keys(name: str) -> set[str]:
    """The keys under which pysaml2 may report the attribute ``name``: the name as sent,
    or the friendly name its attribute maps give a well-known URI (``mail``, …)."""
    keys = {name}
    for converter in sp_config().attribute_converters:
        if friendly := converter.from_format(Attribute(name=name)):
            keys.add(friendly)
    return keys


class SamlBackend(Saml2Backend):
    """Finds the existing user the assertion names; never creates or updates one."""

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, session_info: dict | None = None, **kwargs: Any
    ) -> Any:
        config = saml_settings()
        if request is None or session_info is None or config is None:
            return None
        attributes = session_info.get("ava") or {}
        values = [
            value
            for key in attribute_keys(str(config["match_attribute"]))
            for value in attributes.get(key, [])
        ]
        subject = clean_subject(values)
        try:
            return sso_user_match(
                method=Method.SAML, field=str(config["user_field"]), subject=subject
            )
        except SsoRefused as refused:
            setattr(request, REFUSAL_ATTRIBUTE, refused)
            return None


class SamlLoginView(saml_views.LoginView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_enabled(Method.SAML)
        return super().dispatch(request, *args, **kwargs)


# The provider's answer is posted from its own site and carries no CSRF token; what
# protects it is the signature and the outstanding request it must answer.
@method_decorator(csrf_exempt, name="dispatch")
class SamlAcsView(saml_views.AssertionConsumerServiceView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_enabled(Method.SAML)
        return super().dispatch(request, *args, **kwargs)

    def handle_acs_failure(
        self, request: HttpRequest, exception: Exception | None = None, status: int = 403, **kw: Any
    ) -> HttpResponse:
        from motverka.sso.views import refuse

        refused = getattr(request, REFUSAL_ATTRIBUTE, None)
        if isinstance(refused, SsoRefused):
            return refuse(request, method=Method.SAML, refusal=refused.refusal, user=refused.user)
        return refuse(request, method=Method.SAML, refusal=Refusal.INVALID_RESPONSE)

    def post_login_hook(self, request: HttpRequest, user: Any, session_info: dict) -> None:
        config = require_enabled(Method.SAML)
        class_refs = [info[0] for info in session_info.get("authn_info") or []]
        strong = saml_is_strong(class_refs, config["strong_contexts"])
        if strong:
            request.session[STRONG_AUTH_SESSION_KEY] = Method.SAML.value
        else:
            request.session.pop(STRONG_AUTH_SESSION_KEY, None)
        sso_login_record(user=user, method=Method.SAML, strong=strong)


class SamlMetadataView(saml_views.MetadataView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_enabled(Method.SAML)
        return super().dispatch(request, *args, **kwargs)
