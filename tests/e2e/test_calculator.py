"""The deadline calculator answers in place (htmx) in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from motverka.accounts.models import Role
from tests.e2e.browser import browser_page, log_in
from tests.factories import PASSWORD, make_unit, make_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_calculator_updates_in_place_and_explains_the_move(live_server):
    make_user(Role.CASE_WORKER, [make_unit("Enhet Kalkyl")], username="kalkyl")
    with browser_page() as page:
        log_in(page, live_server.url, "kalkyl", PASSWORD)
        page.goto(f"{live_server.url}/bevakningar/kalkylator/")
        page.locator("#id_start").fill("2026-11-30")
        page.locator("#id_amount").fill("1")
        page.locator("#id_unit").select_option("months")
        page.locator("#id_unit").dispatch_event("change")
        result = page.locator("#calc-result .result")
        result.wait_for()
        assert "svar senast 2026-12-30" in result.inner_text()
        page.locator("#id_start").fill("2026-01-31")
        page.locator("#id_start").dispatch_event("change")
        # A locator, not wait_for_function: the page's policy forbids evaluating strings.
        expect(page.locator("#calc-result .result")).to_contain_text("2026-03-02")
        text = page.locator("#calc-result .result").inner_text()
        assert "flyttad från 2026-02-28" in text
        assert "start=2026-01-31" in page.url  # the result can be bookmarked
