from __future__ import annotations

from django.urls import path

from motverka.sso.oidc import OidcCallbackView, OidcLoginView
from motverka.sso.saml import SamlAcsView, SamlLoginView, SamlMetadataView

urlpatterns = [
    path("sso/saml/login/", SamlLoginView.as_view(), name="sso_saml_login"),
    path("sso/saml/acs/", SamlAcsView.as_view(), name="sso_saml_acs"),
    path("sso/saml/metadata/", SamlMetadataView.as_view(), name="sso_saml_metadata"),
    path("sso/oidc/login/", OidcLoginView.as_view(), name="sso_oidc_login"),
    path("sso/oidc/callback/", OidcCallbackView.as_view(), name="sso_oidc_callback"),
]
