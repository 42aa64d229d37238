"""Which login methods are switched on — read from settings at request time so tests and
operators see one truth."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404
from django.urls import reverse

from motverka.sso.policy import Method


def saml_settings() -> dict[str, Any] | None:
    return getattr(settings, "MOTVERKA_SAML", None) or None


def oidc_settings() -> dict[str, Any] | None:
    return getattr(settings, "MOTVERKA_OIDC", None) or None


def password_login_enabled() -> bool:
    return bool(getattr(settings, "MOTVERKA_PASSWORD_LOGIN", True))


def require_enabled(method: Method) -> dict[str, Any]:
    """The method's settings, or a 404 when it is off (its pages do not exist then)."""
    config = saml_settings() if method is Method.SAML else oidc_settings()
    if config is None:
        raise Http404
    return config


@dataclass(frozen=True)
class LoginOption:
    method: Method
    label: str
    url: str


def login_options() -> list[LoginOption]:
    options = []
    if (saml := saml_settings()) is not None:
        options.append(LoginOption(Method.SAML, str(saml["label"]), reverse("sso_saml_login")))
    if (oidc := oidc_settings()) is not None:
        options.append(LoginOption(Method.OIDC, str(oidc["label"]), reverse("sso_oidc_login")))
    return options
