"""A case worker logs in, registers a case and finds it in the list — in a real browser."""

from __future__ import annotations

import re

import pytest

from motverka.accounts.models import Role
from motverka.cases.models import Case
from tests.e2e.browser import browser_page, log_in
from tests.factories import PASSWORD, identity_number, make_unit, make_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_log_in_register_a_case_and_find_it_in_the_list(live_server):
    unit = make_unit("Enhet Browser")
    make_user(Role.CASE_WORKER, [unit], username="handlaggare_e2e", first_name="Hanna")
    with browser_page() as page:
        log_in(page, live_server.url, "handlaggare_e2e", PASSWORD)
        page.get_by_role("link", name="Nytt ärende").first.click()

        page.get_by_label("Personnummer eller samordningsnummer").fill(identity_number())
        page.locator("#id_first_name").fill("Sanna")
        page.locator("#id_last_name").fill("Demokvist")
        page.get_by_label("Avsändande kommun").select_option("0180")
        page.get_by_label("Flyttdatum").fill("2026-11-01")
        page.get_by_label("Strukturellt hemlösa").check()
        page.get_by_label("Förstahandskontrakt ordnat").check()
        page.locator("#id_insats-0-kind").select_option("financial_assistance")
        page.locator("#id_insats-0-ongoing").check()
        page.get_by_role("button", name="Registrera ärendet").click()

        heading = page.get_by_role("heading", level=1)
        heading.wait_for()
        errors = page.locator(".error-summary")
        assert errors.count() == 0, errors.inner_text()
        reference = Case.objects.get().reference
        assert reference in heading.inner_text()
        assert page.get_by_text(re.compile("Ärendet .* är registrerat")).is_visible()

        page.get_by_role("link", name="Ärenden", exact=True).click()
        page.get_by_label("Diarienummer eller namn").fill("Demokvist")
        page.get_by_role("button", name="Sök", exact=True).click()
        row = page.get_by_role("row").filter(has_text="Sanna Demokvist")
        assert row.count() == 1
        assert reference in row.inner_text()
        row.get_by_role("link", name=reference).click()
        page.get_by_role("heading", level=1).wait_for()
        assert reference in page.get_by_role("heading", level=1).inner_text()
