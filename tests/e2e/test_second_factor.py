"""Enrolment at first login and a later login with the second factor, in a real browser."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import TOTP

from motverka.accounts.models import Role
from tests.e2e.browser import browser_page
from tests.factories import PASSWORD, make_unit, make_user


def _code(secret: str, steps_ahead: int = 0) -> str:
    """What the phone shows for the secret typed in by hand."""
    compact = secret.replace(" ", "")
    totp = TOTP(base64.b32decode(compact + "=" * (-len(compact) % 8)))
    totp.time = totp.time + steps_ahead * 30
    return f"{totp.token():06d}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_enrol_at_first_login_then_log_out_and_in_with_the_code(live_server):
    make_user(Role.CASE_WORKER, [make_unit("Enhet MFA")], username="mfa_e2e")
    base = live_server.url
    with browser_page() as page:
        page.goto(f"{base}/logga-in/")
        page.get_by_label("Användarnamn").fill("mfa_e2e")
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Logga in").click()

        # The start page is out of reach: enrolment comes first.
        page.wait_for_url("**/inloggning/tvafaktor/registrera/**")
        assert page.locator(".qr-code svg").is_visible()
        secret = page.get_by_test_id("totp-secret").inner_text()
        page.get_by_label("Kod från appen").fill(_code(secret))
        page.get_by_role("button", name="Bekräfta").click()
        codes = page.get_by_test_id("backup-codes").locator("li")
        assert codes.count() == 10
        page.get_by_role("link", name="Jag har sparat koderna – fortsätt").click()
        page.wait_for_url(f"{base}/")
        assert page.get_by_role("button", name="Logga ut").is_visible()

        page.get_by_role("button", name="Logga ut").click()
        page.wait_for_url("**/logga-in/")
        page.goto(f"{base}/arenden/")
        page.wait_for_url("**/logga-in/**")

        page.get_by_label("Användarnamn").fill("mfa_e2e")
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url("**/inloggning/tvafaktor/?**")
        wrong = f"{(int(_code(secret, 1)) + 1) % 1_000_000:06d}"
        page.get_by_label("Engångskod").fill(wrong)
        page.get_by_role("button", name="Logga in").click()
        assert page.get_by_text("Koden stämmer inte").is_visible()
        # django-otp makes the next try wait a second after a wrong code.
        page.wait_for_timeout(1_200)
        # The code used at enrolment is spent; the phone's next one is accepted.
        page.get_by_label("Engångskod").fill(_code(secret, 1))
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(f"{base}/arenden/")
        assert page.get_by_role("heading", name="Ärenden").first.is_visible()
