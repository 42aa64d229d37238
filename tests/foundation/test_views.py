"""The Swedish web interface: intake, list and search, case page, journal, health."""

from __future__ import annotations

import logging
from datetime import timedelta
from unittest import mock

from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from motverka.audit.models import AuditEvent
from motverka.cases.models import Case, JournalEntry
from motverka.people.models import Person
from tests.factories import identity_number, make_case


def intake_post(world, **overrides):
    today = timezone.localdate()
    data = {
        "personal_identity_number": identity_number(),
        "first_name": "Cecilia",
        "last_name": "Demoberg",
        "sending_municipality": "1480",
        "received_on": (today - timedelta(days=1)).isoformat(),
        "moved_on": (today - timedelta(days=20)).isoformat(),
        "unit": str(world.unit_a.pk),
        "target_groups": ["structurally_homeless"],
        "indicators": ["first_hand_lease", "no_wish_to_move"],
        "indicator_note": "Kontraktet ordnat av Göteborg.",
        "insats-TOTAL_FORMS": "2",
        "insats-INITIAL_FORMS": "0",
        "insats-0-kind": "care",
        "insats-0-description": "Boendestöd",
        "insats-0-ongoing": "on",
        "insats-0-decided_on": "2026-02-03",
        "insats-0-legal_basis": "socialtjänstlagen (2025:400)",
        "insats-0-needed_until": "2027-02-02",
        "insats-1-kind": "",
        "hushall-TOTAL_FORMS": "1",
        "hushall-INITIAL_FORMS": "0",
        "hushall-0-first_name": "Ivar",
        "hushall-0-relation": "child",
        "hushall-0-birth_date": "2018-04-01",
    }
    data.update(overrides)
    return data


def test_healthz_reports_ok_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(client, db):
    with mock.patch("motverka.config.health.connection.cursor", side_effect=DatabaseError):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] != "ok"


def test_login_page_is_swedish_and_logs_in(client, world):
    page = client.get(reverse("login"))
    assert 'lang="sv"' in page.content.decode()
    assert "Logga in" in page.content.decode()
    response = client.post(
        reverse("login"), {"username": "worker_a", "password": "test-password-123"}
    )
    assert response.status_code == 302


def test_intake_registers_a_case_and_shows_it(client, world):
    client.force_login(world.worker_a)
    response = client.post(reverse("case_intake"), intake_post(world))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "case_detail", args=[case.pk]
    )
    assert case.interventions.get().kind == "care"
    assert case.household.get().first_name == "Ivar"
    page = client.get(response["Location"]).content.decode()
    assert case.reference in page and "Cecilia Demoberg" in page and "Boendestöd" in page
    # The decision is recorded once, at intake, and shown where the case worker reads it.
    assert (
        "Boendestöd (pågående), beslutad 2026-02-03 med stöd av socialtjänstlagen (2025:400), "
        "behovet beräknas bestå till och med 2027-02-02"
    ) in page


def test_an_intervention_decided_in_the_future_is_refused_and_nothing_saved(client, world):
    client.force_login(world.worker_a)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    before = (Case.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    response = client.post(
        reverse("case_intake"), intake_post(world, **{"insats-0-decided_on": tomorrow})
    )
    assert response.status_code == 400
    assert "Insatsens beslutsdatum kan inte ligga i framtiden." in response.content.decode()
    assert (Case.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == before


def test_invalid_intake_shows_swedish_errors_and_saves_nothing(client, world):
    client.force_login(world.worker_a)
    before = (Case.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    response = client.post(
        reverse("case_intake"),
        intake_post(world, personal_identity_number="19900101-0018", target_groups=[]),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Uppgifterna kunde inte sparas" in page
    assert "inte ett giltigt personnummer" in page
    summary = page[page.index("error-summary") : page.index("</div>", page.index("error-summary"))]
    assert "19900101-0018" not in summary  # error messages never repeat a full number
    assert (Case.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == before


def test_intake_warns_about_an_open_case_and_links_to_it(client, world):
    number = identity_number()
    existing = make_case(world.worker_a, personal_identity_number=number)
    client.force_login(world.worker_a)
    response = client.post(
        reverse("case_intake"), intake_post(world, personal_identity_number=number)
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "redan ett öppet ärende" in page
    assert reverse("case_detail", args=[existing.pk]) in page
    assert Case.objects.count() == 1
    confirmed = client.post(
        reverse("case_intake"),
        intake_post(world, personal_identity_number=number, allow_open_case="on"),
    )
    assert confirmed.status_code == 302
    assert Case.objects.count() == 2


def test_the_list_searches_by_reference_and_name_and_filters(client, world):
    first = make_case(world.worker_a, first_name="Petra", last_name="Provström")
    second = make_case(
        world.worker_a,
        first_name="Olle",
        last_name="Testlund",
        sending_municipality_code="1280",
        target_groups=("other",),
    )
    make_case(world.worker_b, first_name="Petra", last_name="Annanenhet")
    client.force_login(world.worker_a)

    def refs(**params):
        page = client.get(reverse("case_list"), params).content.decode()
        return {case.reference for case in (first, second) if case.reference in page}, page

    assert refs(q="Provström")[0] == {first.reference}
    assert refs(q=second.reference)[0] == {second.reference}
    assert refs(sending_municipality="1280")[0] == {second.reference}
    assert refs(target_group="other")[0] == {second.reference}
    found, page = refs(q="Petra")
    assert found == {first.reference} and "Annanenhet" not in page


def test_identity_number_search_is_a_post_and_the_number_never_reaches_a_url(client, world):
    number = identity_number()
    case = make_case(world.worker_a, personal_identity_number=number)
    make_case(world.worker_a)
    client.force_login(world.worker_a)
    response = client.post(reverse("case_list"), {"identity_number": number})
    page = response.content.decode()
    assert response.status_code == 200
    assert case.reference in page
    assert page.count("/arenden/") >= 1
    assert number not in response.request["PATH_INFO"] and number not in response.request.get(
        "QUERY_STRING", ""
    )
    assert f'value="{number}"' not in page  # the field is emptied after the search


def test_a_list_view_is_one_row_naming_every_case_and_person_shown(client, world):
    cases = [make_case(world.worker_a) for _ in range(3)]
    client.force_login(world.worker_a)
    client.get(reverse("case_list"))
    row = AuditEvent.objects.get(action="search", actor=world.worker_a)
    assert row.object_type == "case_list"
    assert {(s.case_id, s.person_id) for s in row.subjects.all()} == {
        (case.pk, case.person_id) for case in cases
    }


def test_opening_a_case_is_logged_with_who_and_from_where(client, world):
    case = make_case(world.worker_a)
    client.force_login(world.worker_a)
    client.get(reverse("case_detail", args=[case.pk]), REMOTE_ADDR="10.1.2.3")
    row = AuditEvent.objects.filter(action="read", object_type="case", case_id=case.pk).get()
    assert row.actor == world.worker_a and row.address == "10.1.2.3" and row.channel == "ui"


def test_the_list_is_paginated_with_a_fixed_number_of_queries(
    client, world, settings, django_assert_max_num_queries
):
    settings.MOTVERKA_PAGE_SIZE = 5
    for _ in range(12):
        make_case(world.worker_a)
    client.force_login(world.worker_a)
    with django_assert_max_num_queries(16):
        first = client.get(reverse("case_list")).content.decode()
    assert "Sida 1 av 3" in first
    third = client.get(reverse("case_list"), {"sida": 3}).content.decode()
    assert "Sida 3 av 3" in third


def test_a_protected_persons_sending_municipality_is_hidden_in_lists(client, world):
    make_case(world.worker_a, protected_identity=True, sending_municipality_code="1280")
    client.force_login(world.worker_a)
    page = client.get(reverse("case_list")).content.decode()
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    assert "Skyddad uppgift" in table and "Malmö" not in table


def test_journal_through_the_case_page(client, world):
    case = make_case(world.worker_a)
    client.force_login(world.worker_a)
    url = reverse("case_journal", args=[case.pk])
    today = timezone.localdate().isoformat()
    bad = client.post(url, {"entry_date": today, "text": ""})
    assert bad.status_code == 400 and "måste fyllas i" in bad.content.decode()
    assert not JournalEntry.objects.exists()
    client.post(url, {"entry_date": today, "text": "Besök i receptionen", "sign": "on"})
    entry = JournalEntry.objects.get()
    assert entry.is_signed
    client.post(reverse("journal_correct", args=[entry.pk]), {"entry_date": today, "text": "Rätt"})
    page = client.get(url).content.decode()
    assert "rättelse av anteckning" in page and "Besök i receptionen" in page
    assert "Ärendet registrerades" in page  # system events share the timeline


def test_identity_numbers_never_reach_the_application_log():
    from motverka.audit.logging import RedactIdentityNumbersFilter

    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: /x?pnr=%s",
        ("199001010017",),
        None,
    )
    assert RedactIdentityNumbersFilter().filter(record)
    assert "199001010017" not in record.getMessage()
    assert "[personnummer borttaget]" in record.getMessage()


def test_the_redaction_filter_is_on_every_configured_handler(settings):
    for handler in settings.LOGGING["handlers"].values():
        assert "redact" in handler.get("filters", [])


def test_the_stylesheet_and_htmx_are_found_by_collectstatic():
    from django.contrib.staticfiles import finders

    assert finders.find("motverka/motverka.css")
    assert finders.find("django_htmx/htmx-2.min.js")


def test_a_traceback_in_the_log_is_redacted_too():
    import io
    import sys

    from motverka.audit.logging import RedactIdentityNumbersFilter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactIdentityNumbersFilter())
    logger = logging.getLogger("motverka.test.traceback")
    logger.addHandler(handler)
    try:
        raise ValueError("bad 199001010017")
    except ValueError:
        logger.error("Internal Server Error", exc_info=sys.exc_info())
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert "ValueError" in output and "Traceback" in output
    assert "199001010017" not in output


def test_the_start_page_shows_the_latest_25_open_cases_and_links_to_the_rest(client, world):
    from motverka.cases.views import START_PAGE_CASES

    cases = [make_case(world.worker_a) for _ in range(START_PAGE_CASES + 1)]
    client.force_login(world.worker_a)
    page = client.get(reverse("start")).content.decode()
    shown = [case for case in cases if reverse("case_detail", args=[case.pk]) in page]
    assert len(shown) == START_PAGE_CASES
    assert f"{reverse('case_list')}?assigned_to=me&amp;oppna=on" in page
    assert "här visas de 25 senaste" in page
    # Only the shown cases are logged as read, not the one that told there are more.
    from motverka.audit.models import AuditEvent

    view = AuditEvent.objects.filter(actor=world.worker_a, action="search").latest("sequence")
    logged = set(view.subjects.values_list("case_id", flat=True))
    assert logged == {case.pk for case in shown}


def test_the_start_page_without_more_cases_has_no_link_to_more(client, world):
    make_case(world.worker_a)
    client.force_login(world.worker_a)
    page = client.get(reverse("start")).content.decode()
    assert "Visa alla mina öppna ärenden" not in page
