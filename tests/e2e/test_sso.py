"""A case worker logs in with a SITHS-like identity at a SAML IdP — in a real browser, with
only the identity-provider button on the login page."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from motverka.accounts.models import Role
from motverka.audit.models import AuditEvent
from tests.e2e.browser import browser_page
from tests.factories import make_unit
from tests.sso.conftest import HSA_ID, LOA3, make_sso_user, start_saml_idp
from tests.sso.providers import SamlPerson


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_log_in_through_the_saml_idp(live_server, tmp_path, settings):
    settings.MOTVERKA_PASSWORD_LOGIN = False
    host = urlsplit(live_server.url).hostname
    for idp in start_saml_idp(tmp_path, settings, live_server.url, host=host):
        user = make_sso_user(
            Role.CASE_WORKER,
            [make_unit("Enhet SSO")],
            sso_subject="SE2321000032-e2e",
            first_name="Sigrid",
        )
        idp.people["sigrid"] = SamlPerson({HSA_ID: ["SE2321000032-e2e"]}, authn_context=LOA3)
        with browser_page() as page:
            page.goto(f"{live_server.url}/logga-in/")
            assert page.get_by_label("Lösenord").count() == 0
            page.get_by_role("link", name="Logga in med SITHS-kort").click()
            page.wait_for_url(f"{idp.base_url}/sso/redirect*")
            page.get_by_label("Testperson").fill("sigrid")
            page.get_by_role("button", name="Identifiera").click()
            page.wait_for_url(f"{live_server.url}/")
            assert page.get_by_role("link", name="Nytt ärende").first.is_visible()
        row = AuditEvent.objects.get(action="login")
        assert row.actor_id == user.pk
        assert row.detail.startswith("SAML: stark")
