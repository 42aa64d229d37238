"""The IVO path in a real browser: from registration with an ongoing care intervention,
through consents, contact, letters and the transfer request, to IVO's decision and closing
the case as transferred by IVO — every step taken in the case page's sections, each step's
form fetched when it is opened."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from motverka.accounts.models import Role
from motverka.cases.models import Case
from tests.e2e.browser import browser_page, log_in
from tests.factories import PASSWORD, identity_number, make_unit, make_user


def _open_section(page: Page, name: str) -> None:
    page.locator("nav.case-sections").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state()
    current = page.locator('nav.case-sections a[aria-current="page"]')
    assert current.inner_text() == name


def _take_step(
    page: Page, key: str, fields: dict[str, str] | None = None, section: str = "Åtgärder"
) -> None:
    """Open the step in its section (its form is fetched), fill it in, submit and check
    it was accepted."""
    _open_section(page, section)
    page.locator(f"#steg-{key} > a").click()
    form = page.locator(f'form[data-step="{key}"]')
    form.wait_for()
    for name, value in (fields or {}).items():
        field = form.locator(f'[name="{name}"]')
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.get_by_role("button", name="Registrera").click()
    page.wait_for_load_state()
    errors = page.locator(".error-summary")
    assert errors.count() == 0, errors.first.inner_text()
    assert page.locator(".message.success").is_visible()


def _give_consent(page: Page, scope: str) -> None:
    _open_section(page, "Åtgärder")
    page.locator("#samtycke > summary").click()
    form = page.locator('form[data-step="consent"]')
    form.locator('[name="scope"]').select_option(scope)
    form.locator('[name="status"]').select_option("given")
    form.locator('[name="form"]').select_option("written")
    form.get_by_role("button", name="Spara samtycke").click()
    page.wait_for_load_state()
    assert page.get_by_text("Samtycket är registrerat.").is_visible()


def _document_account(page: Page) -> None:
    """The person's account is documented in its own section, which takes the step."""
    _open_section(page, "Berättelse")
    page.get_by_text("Dokumentera berättelsen", exact=True).click()
    page.locator("#id_account_wish_to_move_1").check()
    page.locator("#id_account_knew_destination_1").check()
    page.locator("#id_account_free_text").fill("Ville inte flytta.")
    page.get_by_role("button", name="Spara berättelsen").click()
    page.wait_for_load_state()
    assert page.get_by_text("Den enskildes berättelse är dokumenterad.").is_visible()


def _status(page: Page) -> str:
    return page.locator(".workflow-status").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_case_with_care_goes_all_the_way_to_a_transfer_by_ivo(live_server):
    unit = make_unit("Enhet IVO")
    make_user(Role.CASE_WORKER, [unit], username="handlaggare_ivo", first_name="Ivar")
    with browser_page() as page:
        log_in(page, live_server.url, "handlaggare_ivo", PASSWORD)
        page.goto(f"{live_server.url}/arenden/nytt/")
        page.get_by_label("Personnummer eller samordningsnummer").fill(identity_number())
        page.locator("#id_first_name").fill("Olle")
        page.locator("#id_last_name").fill("Provström")
        page.get_by_label("Avsändande kommun").select_option("0180")
        page.get_by_label("Missbruk eller andra sociala problem").check()
        page.locator("#id_insats-0-kind").select_option("financial_assistance")
        page.locator("#id_insats-0-ongoing").check()
        page.locator("#id_insats-1-kind").select_option("care")
        page.locator("#id_insats-1-description").fill("Missbruksvård")
        page.locator("#id_insats-1-ongoing").check()
        page.get_by_role("button", name="Registrera ärendet").click()
        page.locator("nav.case-sections").wait_for()
        case = Case.objects.get()
        assert _status(page) == "Registrerat"

        # The overview's header: status, next step and the consents at a glance.
        assert page.locator("[data-next-step]").inner_text() == "Bekräfta aktiv medverkan"
        assert "inte tillfrågad" in page.locator("[data-consents]").inner_text()
        _take_step(page, "assess_confirm", {"reason": "Hyran betald och bostad ordnad."})
        assert _status(page) == "Bekräftad aktiv medverkan"
        assert page.locator("[data-nearest-deadline]").inner_text() != "Ingen öppen bevakning"
        blocked = page.locator("ul.blocked").inner_text()
        assert "Samtycke till kontakt med avsändande kommun saknas" in blocked
        assert page.locator("tr.deadline").count() == 2

        for scope in ("contact_sending_municipality", "return_process", "home_visit"):
            _give_consent(page, scope)

        _take_step(
            page,
            "record_objection",
            {"contacted": "Mottagningen", "channel": "telefon", "summary": "Inte acceptabelt."},
        )
        # Letters sent outside Motverka are registered on the Skrivelser section.
        letters = "Skrivelser"
        _take_step(page, "request_justification", {"contacted": "Enhetschefen"}, letters)
        _take_step(page, "record_justification_received", {"justification": "Bostadsbrist."})
        _document_account(page)
        _take_step(page, "send_official_letter", {"recipient": "Socialnämnden"}, letters)
        _take_step(page, "send_transfer_request", {"recipient": "Socialnämnden"}, letters)
        _open_section(page, "Åtgärder")
        assert "Svar på begäran om överflyttning" in page.locator("#nasta-steg").inner_text()
        _take_step(page, "record_transfer_declined", {"answer_summary": "Avböjer."})
        _take_step(page, "apply_to_ivo", {"ivo_reference": "IVO 3.5-1/2026"}, letters)
        _take_step(page, "record_ivo_granted", {"decision_reference": "IVO 3.5-1/2026"})
        _take_step(
            page, "mark_not_applicable", {"measure": "home_visit", "reason": "Flyttar tillbaka."}
        )
        _take_step(
            page, "record_financial_assistance_assessment", {"decision_reference": "EB 1/2026"}
        )
        _take_step(page, "close", {"outcome": "transferred_by_ivo", "reason": "Överflyttat."})

        assert _status(page) == "Avslutat"
        assert page.locator("h1 .status").inner_text() == "Avslutat"
        assert "Överflyttad genom beslut av IVO" in page.locator("#nasta-steg").inner_text()
        case.refresh_from_db()
        assert (case.status, case.outcome) == ("closed", "transferred_by_ivo")
