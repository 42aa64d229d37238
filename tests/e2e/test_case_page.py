"""The case page in a real browser at 1280×800: the overview of an open case fits in two
screens, the sections are tabs, and a step's form opens in place."""

from __future__ import annotations

import pytest

from motverka.accounts.models import Role
from motverka.workflow.policy import Action, ConsentScope
from tests.e2e.browser import browser_page, log_in
from tests.factories import PASSWORD, make_unit, make_user
from tests.housing.helpers import housing, landlord
from tests.workflow_services.helpers import confirmed, consent, step

SCREEN = {"width": 1280, "height": 800}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_overview_of_an_open_case_fits_in_two_screens(live_server):
    unit = make_unit("Enhet Översikt")
    worker = make_user(Role.CASE_WORKER, [unit], username="handlaggare_oversikt")
    case = confirmed(worker)
    for scope in ConsentScope:
        consent(case, worker, scope)
    case = step(case, worker, Action.RECORD_OBJECTION)
    housing(case, worker, landlord_id=landlord(worker).pk)
    with browser_page() as page:
        page.set_viewport_size(SCREEN)
        log_in(page, live_server.url, "handlaggare_oversikt", PASSWORD)
        page.goto(f"{live_server.url}/arenden/{case.pk}/")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= 2 * SCREEN["height"], height
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= SCREEN["width"], width

        page.locator("nav.case-sections").get_by_role("link", name="Åtgärder").click()
        page.wait_for_url(f"**/arenden/{case.pk}/atgarder/")
        page.locator("#steg-mark_not_applicable > a").click()
        page.locator(
            '#steg-mark_not_applicable-form form[data-step="mark_not_applicable"]'
        ).wait_for()
        assert page.url.endswith(f"/arenden/{case.pk}/atgarder/")  # opened in place
