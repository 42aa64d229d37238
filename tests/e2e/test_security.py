"""In a real browser: the Content-Security-Policy holds on the main pages (nothing is
refused, so nothing in them relies on inline script or style), and a text shaped like an
identity number typed into the case search never reaches a URL."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from motverka.accounts.models import Role
from tests.e2e.browser import browser_page, log_in
from tests.factories import PASSWORD, identity_number, make_case, make_unit, make_user
from tests.housing.helpers import landlord
from tests.letters.helpers import draft

# Playwright injects this before any page script; the policy does not apply to it.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def watch(page: Page) -> list[str]:
    """Console messages about the policy, and violation events, as they happen."""
    problems: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if re.search(r"Content Security Policy|Permissions-Policy|Refused to", message.text)
            else None
        ),
    )
    return problems


def visit(page: Page, url: str, problems: list[str]) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 400, (url, response and response.status)
    page.wait_for_load_state("networkidle")
    recorded = page.evaluate("window.__cspViolations")
    assert recorded == [] and problems == [], (url, recorded, problems)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_main_pages_break_no_rule_of_the_content_security_policy(live_server):
    unit = make_unit("Enhet CSP")
    worker = make_user(Role.CASE_WORKER, [unit], username="csp_handlaggare")
    make_user(Role.UNIT_MANAGER, [unit], username="csp_chef")
    admin = make_user(Role.ADMINISTRATOR, username="csp_admin")
    case = make_case(worker)
    letter = draft(worker, case, "objection_letter")
    landlord(worker)  # an organisation for the housing form's search
    base = live_server.url
    with browser_page() as page:
        problems = watch(page)
        visit(page, f"{base}/logga-in/", problems)
        log_in(page, base, "csp_handlaggare", PASSWORD)
        for path in (
            "/",
            "/arenden/",
            "/arenden/nytt/",
            f"/arenden/{case.pk}/",
            *(
                f"/arenden/{case.pk}/{section}/"
                for section in (
                    "atgarder",
                    "skrivelser",
                    "boende-och-hembesok",
                    "den-enskildes-berattelse",
                    "journal",
                    "historik",
                )
            ),
            f"/skrivelser/{letter.pk}/",
            "/bevakningar/",
            "/bevakningar/kalkylator/",
            "/hyresvardar/",
            "/statistik/",
        ):
            visit(page, f"{base}{path}", problems)
        # htmx at work under the policy: the calculator answers in place.
        page.goto(f"{base}/bevakningar/kalkylator/")
        page.locator("#id_start").fill("2026-11-30")
        page.locator("#id_amount").fill("1")
        page.locator("#id_unit").select_option("months")
        page.locator("#id_unit").dispatch_event("change")
        page.locator("#calc-result .result").wait_for()
        # On the case page: a step's form is fetched when opened, landlords by search.
        page.goto(f"{base}/arenden/{case.pk}/atgarder/")
        page.locator("#steg-assess_confirm > a").click()
        page.locator('form[data-step="assess_confirm"]').wait_for()
        page.goto(f"{base}/arenden/{case.pk}/boende-och-hembesok/")
        page.locator("#boende-andra > summary").click()
        page.locator("#id_housing_landlord_search").fill("Bostads Exempel")
        page.locator("#landlord-hits input[type=radio]").first.wait_for()
        assert page.evaluate("window.__cspViolations") == [] and problems == []
        page.get_by_role("button", name="Logga ut").click()

        log_in(page, base, "csp_chef", PASSWORD)
        visit(page, f"{base}/sakerhetshandelser/", problems)
        visit(page, f"{base}/arenden/{case.pk}/logg/", problems)
        page.get_by_role("button", name="Logga ut").click()

        log_in(page, base, "csp_admin", PASSWORD)
        for path in (
            "/admin/",
            "/admin/accounts/user/",
            f"/admin/accounts/user/{admin.pk}/change/",
            f"/admin/accounts/user/{worker.pk}/password/",
            "/admin/accounts/user/add/",
            "/admin/reference/municipality/",
            "/api/v1/docs",
        ):
            visit(page, f"{base}{path}", problems)
        # The admin's own scripts (the unit picker) still work under the policy.
        page.goto(f"{base}/admin/accounts/user/{worker.pk}/change/")
        assert page.locator("#id_units_from").count() == 1  # built by SelectFilter2.js
        # The Swagger UI is built from the package's own files, not a CDN.
        page.goto(f"{base}/api/v1/docs")
        page.locator(".swagger-ui .info .title").wait_for()
        assert page.evaluate("window.__cspViolations") == [] and problems == []

        # The watch itself works: an inline style attribute is refused and reported.
        page.evaluate("document.body.setAttribute('style', 'color: red')")
        for _attempt in range(50):  # the event is dispatched asynchronously
            if page.evaluate("window.__cspViolations.length") > 0:
                break
            page.wait_for_timeout(100)
        assert page.evaluate("window.__cspViolations")[0].startswith("style-src")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("shape", ["12 digits", "with hyphen", "10 digits with plus"])
def test_an_identity_number_typed_into_the_case_search_never_reaches_a_url(live_server, shape):
    unit = make_unit("Enhet Sök")
    worker = make_user(Role.CASE_WORKER, [unit], username="sok_handlaggare")
    number = identity_number()  # 12 digits
    case = make_case(worker, personal_identity_number=number)
    typed = {
        "12 digits": number,
        "with hyphen": f"{number[:8]}-{number[8:]}",
        "10 digits with plus": f"{number[2:8]}+{number[8:]}",  # + : aged 100 or more
    }[shape]
    with browser_page() as page:
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        log_in(page, live_server.url, "sok_handlaggare", PASSWORD)
        page.goto(f"{live_server.url}/arenden/")
        page.get_by_label("Diarienummer eller namn").fill(typed)
        page.get_by_role("button", name="Sök", exact=True).click()
        page.get_by_text("sökning på personnummer").wait_for()
        history = page.evaluate("history.length")
        addresses = [*requested, page.url]
        for fragment in (number, number[2:], number[:8], number[8:], typed):
            assert not any(fragment in address for address in addresses), (fragment, addresses)
        assert history >= 1
        if shape != "10 digits with plus":  # a 10-digit form with + is someone aged 100+
            assert page.get_by_role("row").filter(has_text=case.reference).count() == 1
        # The search field is empty again: nothing to submit by GET by mistake.
        assert page.get_by_label("Diarienummer eller namn").input_value() == ""
        # A name still searches by GET, as before.
        page.get_by_label("Diarienummer eller namn").fill("Demo")
        page.get_by_role("button", name="Sök", exact=True).click()
        page.wait_for_url(re.compile(r"q=Demo"))
