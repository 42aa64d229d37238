"""Errors people notice in a real browser (WCAG 3.3.1, 2.4.7, 1.4.11): htmx swaps a 4xx
answer in, so the error shows and a stale result goes; after a failed submit the focus
is on the error summary; the focus ring has at least 3:1 contrast against what is
around it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from motverka.accounts.models import Role
from tests.e2e.browser import browser_page, log_in
from tests.factories import PASSWORD, make_unit, make_user

#: Contrast ratio (WCAG 2.1) of a focused element's outline against the background
#: of the element around it.
RING_CONTRAST = """(element) => {
  const channels = (color) => color.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = (color) => {
    const [r, g, b] = channels(color).map((v) => {
      v = v / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  let around = element.parentElement;
  while (around && getComputedStyle(around).backgroundColor === "rgba(0, 0, 0, 0)") {
    around = around.parentElement;
  }
  const background = around ? getComputedStyle(around).backgroundColor : "rgb(255, 255, 255)";
  const style = getComputedStyle(element);
  const [a, b] = [luminance(style.outlineColor), luminance(background)].sort((x, y) => y - x);
  return {ratio: (a + 0.05) / (b + 0.05), width: parseFloat(style.outlineWidth),
          outline: style.outlineStyle};
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_calculator_errors_replace_the_result_and_a_failed_submit_focuses_the_summary(
    live_server,
):
    make_user(Role.CASE_WORKER, [make_unit("Enhet Fel")], username="felvisning")
    with browser_page() as page:
        log_in(page, live_server.url, "felvisning", PASSWORD)
        page.goto(f"{live_server.url}/bevakningar/kalkylator/")
        page.locator("#id_start").fill("2026-11-30")
        page.locator("#id_amount").fill("1")
        page.locator("#id_unit").select_option("months")
        page.locator("#id_unit").dispatch_event("change")
        expect(page.locator("#calc-result .result")).to_contain_text("2026-12-30")

        # A refused value: htmx swaps the 400 answer in; the old result is gone.
        page.locator("#id_amount").fill("500")
        page.locator("#id_amount").dispatch_event("change")
        summary = page.locator("#calc-result .error-summary")
        expect(summary).to_contain_text("Fristen kunde inte beräknas")
        expect(page.locator("#calc-result .result")).to_have_count(0)
        link = summary.locator("a").first
        target = link.get_attribute("href")
        assert target == "#id_amount" and page.locator(target).count() == 1

        # Sent with the button, the same error takes the focus.
        page.get_by_role("button", name="Beräkna").click()
        expect(page.locator(".error-summary")).to_be_focused()

        # A full page sent back with errors: the focus is on its summary too.
        page.goto(f"{live_server.url}/arenden/nytt/")
        page.get_by_role("button", name="Registrera ärendet").click()
        expect(page.locator(".error-summary")).to_be_focused()
        assert page.title().startswith("Fel – ")
        for href in page.locator(".error-summary a").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        ):
            assert page.locator(href).count() == 1, href


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_focus_ring_has_three_to_one_contrast_on_the_page_and_in_the_header(live_server):
    make_user(Role.CASE_WORKER, [make_unit("Enhet Fokus")], username="fokus")
    with browser_page() as page:
        log_in(page, live_server.url, "fokus", PASSWORD)
        page.goto(f"{live_server.url}/bevakningar/kalkylator/")
        for element in (
            page.locator(".site-header nav a").first,
            page.locator("#id_start"),
            page.get_by_role("button", name="Beräkna"),
        ):
            element.focus()
            ring = element.evaluate(RING_CONTRAST)
            assert ring["outline"] == "solid" and ring["width"] >= 2, ring
            assert ring["ratio"] >= 3, ring
