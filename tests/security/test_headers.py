"""Security headers: a strict Content-Security-Policy, Permissions-Policy, Referrer-Policy,
and no caching of anything that may carry personal data (pages, API answers, PDFs)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import make_case
from tests.letters.helpers import finalised

CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def csp_directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    parts = (part.strip().split(None, 1) for part in policy.split(";") if part.strip())
    return {name: value for name, value in parts}


def assert_private_answer(response) -> None:
    directives = csp_directives(response)
    for name, value in CSP_DIRECTIVES.items():
        assert directives[name] == value, name
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert f"{feature}=()" in policy
    assert response["X-Content-Type-Options"] == "nosniff"


def test_every_header_on_an_authenticated_case_page(client, world):
    case = make_case(world.worker_a)
    client.force_login(world.worker_a)
    response = client.get(reverse("case_detail", args=[case.pk]))
    assert response.status_code == 200
    assert_private_answer(response)


def test_every_header_on_an_api_answer_and_an_api_refusal(world, api_as):
    api = api_as(world.worker_a)
    make_case(world.worker_a)
    answer = api.get("/api/v1/cases")
    assert answer.status_code == 200
    assert_private_answer(answer)
    refusal = api_as(None).get("/api/v1/cases")
    assert refusal.status_code == 401
    assert_private_answer(refusal)


def test_every_header_on_a_pdf_download_in_the_ui_and_the_api(client, world, api_as):
    case = make_case(world.worker_a)
    letter = finalised(world.worker_a, case, "objection_letter")
    client.force_login(world.worker_a)
    pdf = client.get(reverse("letter_pdf", args=[letter.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert_private_answer(pdf)
    api_pdf = api_as(world.worker_a).get(f"/api/v1/letters/{letter.pk}/pdf")
    assert api_pdf.status_code == 200 and api_pdf["Content-Type"] == "application/pdf"
    assert_private_answer(api_pdf)


def test_login_page_error_pages_and_the_admin_carry_the_headers_too(client, world):
    assert_private_answer(client.get(reverse("login")))
    client.force_login(world.worker_a)
    assert_private_answer(client.get("/arenden/999999/"))  # 404
    assert_private_answer(client.get(reverse("admin:index")))  # redirect to admin login
    client.force_login(world.admin)
    admin_page = client.get(reverse("admin:accounts_user_changelist"))
    assert admin_page.status_code == 200
    assert_private_answer(admin_page)


def test_health_check_is_not_marked_private_but_keeps_the_policy(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "Pragma" not in response
    assert "Content-Security-Policy" in response


@pytest.mark.parametrize("path", ["/api/v1/docs", "/api/v1/openapi.json"])
def test_api_documentation_is_served_without_a_cdn(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert not re.search(r"https?://(?!127\.0\.0\.1|localhost|testserver)[a-z0-9.-]+/", body)
    if path.endswith("docs"):
        assert "/static/ninja/swagger-ui-bundle.js" in body
        assert "/static/ninja/swagger-ui.css" in body
        assert_private_answer(response)


def test_no_template_has_inline_script_style_or_event_handlers():
    """The policy forbids them, so a template that has one is broken in the browser."""
    from pathlib import Path

    import motverka

    root = Path(motverka.__file__).parent
    offenders = []
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text()
        inline_script = re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
        if inline_script and "application/json" not in inline_script.group():
            offenders.append(f"{template}: inline <script>")
        if re.search(r"\sstyle\s*=", text) or re.search(r"<style\b", text):
            # PDF documents (WeasyPrint, never served to a browser) carry their own CSS.
            if template.name not in {
                "document.html",
                "log_extract_document.html",
                "journal_document.html",
                "register_extract_document.html",
                "annual_report.html",
                "_pdf_style.html",
            }:
                offenders.append(f"{template}: style")
        if re.search(r"\son[a-z]+\s*=", text) or "javascript:" in text or "hx-on" in text:
            offenders.append(f"{template}: event handler")
    assert offenders == []
