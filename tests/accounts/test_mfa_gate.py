"""The MFA gate: after the password alone, no page with personal data is reachable."""

from __future__ import annotations

import re

import pytest
from django.core.checks import run_checks
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from motverka.accounts.mfa import STRONG_AUTH_SESSION_KEY
from motverka.accounts.middleware import OPEN_WITHOUT_SECOND_FACTOR
from tests.accounts.helpers import password_login
from tests.factories import make_case
from tests.second_factor import confirmed_authenticator


def _all_named_urls(resolver: URLResolver | None = None, prefix: str = ""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "api":
                continue  # bearer tokens, no session: tests/api/
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _all_named_urls(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (
                f"{prefix}{pattern.name}",
                list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex),
            )


ALL_URLS = sorted(dict(_all_named_urls()).items())


def _reverse(name: str, params: list[str], ids: dict[str, int]) -> str | None:
    kwargs = {param: ids.get(param, 1) for param in params}
    if "app_label" in kwargs:
        kwargs["app_label"] = "accounts"
    if "content_type_id" in kwargs:
        kwargs.update(content_type_id=1, object_id=1)
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


@pytest.fixture
def ids(world):
    case = make_case(world.worker_a)
    return {"case_id": case.pk, "object_id": world.worker_a.pk, "id": world.worker_a.pk}


def test_the_walk_covers_the_application_and_the_admin():
    names = {name for name, _ in ALL_URLS}
    assert {
        "start",
        "case_detail",
        "session_list",
        "admin:index",
        "admin:accounts_user_changelist",
    } <= names
    assert len(names) > 60


@pytest.mark.parametrize("role", ["worker_a", "manager", "analyst", "admin"])
def test_no_page_but_the_sign_in_steps_opens_after_the_password_alone(world, ids, role):
    user = getattr(world, role)
    client = Client()  # the password alone: no second factor in the session
    client.force_login(user)
    walked = 0
    for name, params in ALL_URLS:
        url = _reverse(name, params, ids)
        if url is None or name in OPEN_WITHOUT_SECOND_FACTOR:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (name, method, response.status_code)
            assert response["Location"].startswith(reverse("mfa_enrol")), (name, method)
            walked += 1
    assert walked > 100


def test_a_user_with_an_authenticator_is_sent_to_the_code_step(world, ids):
    confirmed_authenticator(world.worker_a)
    client = Client()
    client.force_login(world.worker_a)
    url = reverse("case_detail", args=[ids["case_id"]])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_verify')}?next={url.replace('/', '%2F')}"
    # Adding another phone is not a way around the code either.
    assert client.get(reverse("mfa_enrol"))["Location"].startswith(reverse("mfa_verify"))


def test_the_password_login_page_leads_to_enrolment_and_no_further(world, ids):
    client = Client()
    response = password_login(client, "worker_a")
    assert response.status_code == 302
    start = client.get(reverse("start"))
    assert start.status_code == 302 and start["Location"].startswith(reverse("mfa_enrol"))
    detail = client.get(reverse("case_detail", args=[ids["case_id"]]))
    assert detail.status_code == 302 and b"Demosson" not in detail.content


def test_the_open_pages_hold_no_personal_data_and_stay_open(world, ids):
    client = Client()
    client.force_login(world.worker_a)
    for name in ("mfa_enrol", "password_change", "login"):
        response = client.get(reverse(name))
        assert response.status_code in {200, 302}, name
        assert b"Demosson" not in response.content
    assert client.get(reverse("healthz")).status_code == 200


def test_a_strongly_authenticated_single_sign_on_session_passes_the_gate(world, ids):
    client = Client()
    client.force_login(world.worker_a)
    session = client.session
    session[STRONG_AUTH_SESSION_KEY] = "saml"
    session.save()
    assert client.get(reverse("case_detail", args=[ids["case_id"]])).status_code == 200


def test_the_api_is_not_behind_the_session_gate(world, api_as):
    assert api_as(world.worker_a).get("/api/v1/cases").status_code == 200


def test_with_mfa_off_the_password_is_enough_and_every_page_says_so(world, ids, settings):
    settings.MOTVERKA_MFA = "off"
    client = Client()
    client.force_login(world.worker_a)
    response = client.get(reverse("case_detail", args=[ids["case_id"]]))
    assert response.status_code == 200
    assert "Demoläge – tvåfaktorsinloggning är avstängd" in response.content.decode()
    assert "Demoläge" in Client().get(reverse("login")).content.decode()
    admin = Client()
    admin.force_login(world.admin)
    assert "Demoläge" in admin.get(reverse("admin:index")).content.decode()


def test_with_mfa_required_there_is_no_banner(client, world):
    client.force_login(world.worker_a)
    assert "Demoläge" not in client.get(reverse("start")).content.decode()


def test_check_deploy_warns_when_mfa_is_off(settings):
    settings.MOTVERKA_MFA = "off"
    warnings = [m for m in run_checks(include_deployment_checks=True) if m.id == "motverka.W101"]
    assert len(warnings) == 1
    settings.MOTVERKA_MFA = "required"
    assert not [m for m in run_checks(include_deployment_checks=True) if m.id == "motverka.W101"]
    assert not [m for m in run_checks() if m.id == "motverka.W101"]  # only with --deploy


def test_an_unknown_mfa_setting_is_an_error_and_still_requires_the_second_factor(world, settings):
    settings.MOTVERKA_MFA = "of"
    assert [m.id for m in run_checks() if m.id.startswith("motverka.E1")] == ["motverka.E101"]
    client = Client()
    client.force_login(world.worker_a)
    assert client.get(reverse("start")).status_code == 302


def test_no_page_has_an_inline_script(client, world):
    client.force_login(world.worker_a)
    for name in ("start", "session_list", "account_security", "mfa_enrol"):
        html = client.get(reverse(name)).content.decode()
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag, (name, tag)
        assert "onclick" not in html
