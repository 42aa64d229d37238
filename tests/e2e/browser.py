"""Shared set-up for browser tests: Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Page, sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    return os.environ.get("MOTVERKA_CHROMIUM", "/usr/bin/chromium")


@contextmanager
def browser_page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="sv-SE", timezone_id="Europe/Stockholm")
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    """Sign in with the password and then the second factor, through the real pages.

    The user gets an authenticator (as if enrolled earlier) whose code the test computes
    as the phone would; enrolment itself is tested in test_second_factor.py.
    """
    from django_otp.oath import TOTP

    from motverka.accounts.models import User
    from tests.second_factor import confirmed_authenticator, current_code

    device = confirmed_authenticator(User.objects.get(username=username))
    page.goto(f"{base_url}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/inloggning/tvafaktor/**")
    device.refresh_from_db()
    # A code is good once: a second login within the same 30 s takes the next period's.
    now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
    ahead = 1 if device.last_t >= now else 0
    page.get_by_label("Engångskod").fill(current_code(device, steps_ahead=ahead))
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base_url}/")
