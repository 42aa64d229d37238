"""Every URL × every role: who gets 200, 302, 403 or 404.

The walk covers every named URL of the application, so a new page is checked the day it
is added. Case-bound URLs (with an object id) must answer 404 to a case worker of
another unit — the same as an id that does not exist — so ids cannot be probed.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from motverka.audit.models import AuditEvent
from motverka.cases.services import journal_entry_add
from tests.factories import make_case

PUBLIC = {"healthz", "login"}
# Pages without personal data that every signed-in user may use.
EVERY_SIGNED_IN_USER = {"start", "logout", "deadline_calculator"}
# The user's own sign-in steps, password, second factors and sessions (object ids are the
# user's own; another user's id is a 404, see tests/accounts/).
OWN_ACCOUNT = {
    "mfa_verify",
    "mfa_enrol",
    "password_change",
    "account_security",
    "authenticator_remove",
    "backup_codes_renew",
    "session_list",
    "session_end",
    "session_keep_alive",
}
# Pages for the unit manager of the case's unit only.
MANAGER_ONLY = {
    "case_log",
    "security_events",
    "log_extract",
    "log_review",
    "log_review_list",
    "unit_deadlines",
    "register_extract",
}
# Disposal (docs/archive.md): the archive role and unit managers; nobody else, whatever
# the object. The walk's owner is the unit manager.
ARCHIVE_ROLE = {
    "disposal",
    "disposal_propose",
    "disposal_list",
    "disposal_review",
    "disposal_approve",
}
# Security events of accounts: unit managers for their units, administrators for all.
SECURITY_REVIEW = {"security_events"}
# Aggregated figures without personal data: analysts too, but not administrators.
FIGURES = {
    "figures",
    "figures_chart",
    "figures_table_export",
    "figures_annual_report",
    "figures_county_report",
}
# The annual report is made by the task queue: its URL starts (or finds) the export and
# redirects to it.
REDIRECTING_FIGURES = {"figures_annual_report"}
# A queued export and its file: only the user who asked for it (the walk's owner); anyone
# else's id is a 404, an administrator gets no figures at all.
OWN_EXPORTS = {"figures_export", "figures_export_file"}
# Registers shared by all case roles (not bound to one unit's cases).
CASE_ROLE_REGISTERS = {"landlord_detail"}
# Single sign-on's login endpoints: public, and absent (404) while not configured, as
# here; tests/sso walks them with real identity providers.
SINGLE_SIGN_ON = {
    "sso_saml_login",
    "sso_saml_acs",
    "sso_saml_metadata",
    "sso_oidc_login",
    "sso_oidc_callback",
}
SKIPPED_NAMESPACES = {"admin", "api"}  # the admin site and the API have their own tests


def _named_patterns(resolver: URLResolver | None = None, prefix: str = ""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace
            if namespace in SKIPPED_NAMESPACES:
                continue
            yield from _named_patterns(pattern, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}", list(pattern.pattern.converters)


ALL_URLS = sorted(dict(_named_patterns()).items())


@pytest.fixture
def objects(world):
    case = make_case(world.worker_a)
    entry = journal_entry_add(
        acting_user=world.worker_a, case=case, entry_date=date(2026, 1, 2), text="Anteckning"
    )
    from motverka.housing.services import LandlordInput, landlord_register
    from motverka.letters.services import letter_draft_create

    letter = letter_draft_create(acting_user=world.worker_a, case=case, kind="person_information")
    landlord = landlord_register(
        acting_user=world.worker_a,
        data=LandlordInput(
            kind="organisation", name="Bostads AB Exempel", organisation_number="556016-0680"
        ),
    )
    from motverka.accounts.models import UserSession
    from tests.second_factor import confirmed_authenticator

    other_session = UserSession.objects.create(
        user=world.worker_a,
        session_key="x" * 32,
        role=world.worker_a.role,
        started_at=timezone.now(),
        last_seen_at=timezone.now(),
    )
    from motverka.archive.models import DisposalList

    # Test set-up only: a list as the archive service would have proposed it.
    disposal_list = DisposalList.objects.create(as_of=date(2026, 1, 2), proposed_by=world.admin)
    from motverka.reporting.models import ExportJob

    # Test set-up only: an export as the task queue leaves it when done.
    export = ExportJob.objects.create(
        requested_by=world.worker_a,
        kind="annual_report",
        year=2026,
        status="done",
        progress=100,
        content=b"%PDF-1.7 test",
    )
    return {
        "job_id": export.pk,
        "list_id": disposal_list.pk,
        "device_id": confirmed_authenticator(world.worker_a).pk,
        "session_id": other_session.pk,
        "case_id": case.pk,
        "entry_id": entry.pk,
        "action": "assess_confirm",
        "letter_id": letter.pk,
        "landlord_id": landlord.pk,
        "name": "years",
        "slug": "status",
        "fmt": "csv",
        "year": 2026,
    }


def _url(name, params, objects):
    missing = [param for param in params if param not in objects]
    assert not missing, f"Lägg till testobjekt för URL-parametrarna {missing} ({name})"
    return reverse(name, kwargs={param: objects[param] for param in params})


def test_the_walk_finds_the_application_urls():
    names = {name for name, _ in ALL_URLS}
    assert {"start", "case_list", "case_intake", "case_detail", "journal_sign"} <= names


@pytest.mark.parametrize(("name", "params"), ALL_URLS, ids=[name for name, _ in ALL_URLS])
def test_every_url_for_every_role(client, world, objects, name, params):
    url = _url(name, params, objects)
    if name in PUBLIC:
        assert client.get(url).status_code == 200
        return
    if name in SINGLE_SIGN_ON:
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        return

    response = client.get(url)
    if name == "logout":
        assert response.status_code == 405  # logging out is a POST
    else:
        assert response.status_code == 302 and "/logga-in/" in response["Location"]

    if name in ARCHIVE_ROLE:
        client.force_login(world.worker_a)
        assert client.get(url).status_code in {403, 405}
        assert client.post(url).status_code == 403
        client.force_login(world.manager)
    elif name in MANAGER_ONLY:
        client.force_login(world.worker_a)
        assert client.get(url).status_code == 403
        client.force_login(world.manager)
    else:
        client.force_login(world.worker_a)
    response = client.get(url)
    expected_owner = {405} if name == "logout" else {200, 302, 405}
    assert response.status_code in expected_owner, (name, response.status_code)
    post_only = response.status_code == 405

    if name in EVERY_SIGNED_IN_USER or name in OWN_ACCOUNT:
        return

    for role in ("worker_b", "analyst", "admin"):
        client.force_login(getattr(world, role))
        if name in SECURITY_REVIEW:
            expected = 200 if role == "admin" else 403
        elif name in OWN_EXPORTS:
            expected = 403 if role == "admin" else 404
        elif name in REDIRECTING_FIGURES:
            expected = 403 if role == "admin" else 302
        elif name in ARCHIVE_ROLE:
            expected = 403
        elif role == "worker_b" and name in MANAGER_ONLY and not params:
            expected = 403
        elif role == "worker_b":
            expected = 404 if params and name not in CASE_ROLE_REGISTERS | FIGURES else 200
        elif role == "analyst" and name in FIGURES:
            expected = 200
        else:
            expected = 403
        for method in ("get", "post"):
            if method == "get" and post_only:
                # A POST-only URL refuses the method before looking anything up.
                assert client.get(url).status_code == 405
                continue
            # Only an allowed look at a log leaves a row (the review of it), and an allowed
            # export of figures (the export).
            allowed_rows = ["review", "export"] if expected == 200 else []
            unlogged = ["read", "search", "denied", *allowed_rows]
            before = AuditEvent.objects.exclude(action__in=unlogged).count()
            response = getattr(client, method)(url)
            shared = (
                (not params and name not in MANAGER_ONLY and name not in ARCHIVE_ROLE)
                or name in CASE_ROLE_REGISTERS
                or name in FIGURES
            )
            if role == "worker_b" and shared and method == "post" and expected != 302:
                # Object-less pages of the user's own work (list, intake) answer a POST
                # with a form error or a result, never with another unit's data.
                assert response.status_code in {200, 400, 405}, (name, role, method)
                continue
            allowed = {expected, 405} if method == "post" else {expected}
            assert response.status_code in allowed, (name, role, method, response.status_code)
            assert AuditEvent.objects.exclude(action__in=unlogged).count() == before


def test_a_case_of_another_unit_is_as_unknown_as_a_missing_id(client, world, objects):
    client.force_login(world.worker_b)
    other_unit = client.get(reverse("case_detail", args=[objects["case_id"]]))
    missing = client.get(reverse("case_detail", args=[999_999]))
    assert other_unit.status_code == missing.status_code == 404
    assert _without_tokens(other_unit.content) == _without_tokens(missing.content)


def _without_tokens(content: bytes) -> bytes:
    content = re.sub(rb'"X-CSRFToken": "[^"]*"', b"", content)
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


def test_the_admin_site_is_for_administrators_only(client, world):
    for role in ("worker_a", "manager", "analyst"):
        client.force_login(getattr(world, role))
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302, role
    client.force_login(world.admin)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:reference_municipality_changelist")).status_code == 200
