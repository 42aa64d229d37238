"""OpenID Connect relying party on mozilla-django-oidc: a backend that only matches
existing users, and views that check the strong-authentication claims, audit, and turn
every failure into the Swedish refusal page."""

from __future__ import annotations

from typing import Any

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from motverka.sso.config import oidc_settings, require_enabled
from motverka.sso.policy import Method, Refusal, clean_subject, oidc_is_strong
from motverka.sso.services import (
    STRONG_AUTH_SESSION_KEY,
    SsoRefused,
    sso_login_record,
    sso_user_match,
)

REFUSAL_ATTRIBUTE = "motverka_sso_refusal"
STRONG_ATTRIBUTE = "motverka_sso_strong"


def _setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's settings, tolerant while OIDC is off (the backend is listed
    in AUTHENTICATION_BACKENDS either way)."""
    return getattr(settings, attr, *(default or ("",)))


class OidcBackend(OIDCAuthenticationBackend):
    """Finds the existing user the provider's claims name; never creates or updates one."""

    get_settings = staticmethod(_setting)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        # Only the callback passes a nonce: a password form posted to a URL that happens
        # to carry ?code=…&state=… must not start a token exchange.
        if request is None or "nonce" not in kwargs or oidc_settings() is None:
            return None
        return super().authenticate(request, **kwargs)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict) -> Any:
        config = oidc_settings()
        assert config is not None  # noqa: S101 (authenticate checked it)
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        subject = clean_subject(claims.get(str(config["match_claim"])))
        request = self.request
        try:
            user = sso_user_match(
                method=Method.OIDC, field=str(config["user_field"]), subject=subject
            )
        except SsoRefused as refused:
            setattr(request, REFUSAL_ATTRIBUTE, refused)
            return None
        # acr and amr are claims of the signed ID token, not of the userinfo answer.
        strong = oidc_is_strong(
            payload, accepted_acr=config["strong_acr"], accepted_amr=config["strong_amr"]
        )
        setattr(request, STRONG_ATTRIBUTE, strong)
        return user


class OidcLoginView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(_setting)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_enabled(Method.OIDC)
        return super().dispatch(request, *args, **kwargs)


class OidcCallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(_setting)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_enabled(Method.OIDC)
        try:
            return super().dispatch(request, *args, **kwargs)
        except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError, KeyError):
            # Unknown state, a refused code, a bad signature: all end on the refusal page.
            return self.login_failure()

    def login_failure(self) -> HttpResponse:
        from motverka.sso.views import refuse

        refused = getattr(self.request, REFUSAL_ATTRIBUTE, None)
        if isinstance(refused, SsoRefused):
            return refuse(
                self.request, method=Method.OIDC, refusal=refused.refusal, user=refused.user
            )
        return refuse(self.request, method=Method.OIDC, refusal=Refusal.INVALID_RESPONSE)

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        strong = bool(getattr(self.request, STRONG_ATTRIBUTE, False))
        if strong:
            self.request.session[STRONG_AUTH_SESSION_KEY] = Method.OIDC.value
        else:
            self.request.session.pop(STRONG_AUTH_SESSION_KEY, None)
        sso_login_record(user=self.user, method=Method.OIDC, strong=strong)
        return response
