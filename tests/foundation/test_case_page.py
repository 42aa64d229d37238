"""The case page: a header and sections with their own URLs, step forms fetched when a step
is opened, one "Ej aktuell" form, landlords chosen by search — and the budgets of every
section page of an open case (queries and HTML size)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from motverka.cases.services import journal_entry_add
from motverka.housing.models import Housing, Landlord
from motverka.housing.services import (
    home_visit_plan,
    personal_account_record,
)
from motverka.housing.vocabulary import LandlordKind
from motverka.letters.services import letter_draft_create
from motverka.workflow.models import CaseMeasure
from motverka.workflow.policy import Action, ConsentScope, Measure, MeasureState
from tests.factories import identity_number
from tests.housing.helpers import account, housing, landlord, private_landlord
from tests.workflow_services.helpers import confirmed, consent, step

pytestmark = pytest.mark.django_db

SECTIONS = (
    "case_detail",
    "case_measures",
    "case_letters",
    "case_housing",
    "case_account",
    "case_journal",
    "case_history",
)
MAX_QUERIES = 15
MAX_HTML_BYTES = 40 * 1024
REGISTER_SIZE = 1_500


def _url(name, case, **kwargs):
    return reverse(name, kwargs={"case_id": case.pk, **kwargs})


def _step_url(case, action):
    return _url("workflow_step", case, action=action.value)


def _register_of_organisations(user, count=REGISTER_SIZE):
    """A landlord register as large as a big municipality's (organisations only)."""
    Landlord.objects.bulk_create(
        Landlord(
            kind=LandlordKind.ORGANISATION,
            name=f"Fastighets AB Exempel {index:04d}",
            organisation_number=f"55{index:08d}",
            created_by=user,
        )
        for index in range(count)
    )


@pytest.fixture
def open_case(world):
    """An open case as it looks some weeks in: consents, steps, deadlines, housing with a
    landlord, the person's account, a planned home visit, letters and journal entries."""
    user = world.worker_a
    case = confirmed(user)
    for scope in ConsentScope:
        consent(case, user, scope)
    case = step(case, user, Action.RECORD_OBJECTION)
    owner = landlord(user)
    _register_of_organisations(user)
    housing(case, user, landlord_id=owner.pk, note="Trappuppgång B.")
    personal_account_record(acting_user=user, case=case, data=account())
    home_visit_plan(
        acting_user=user,
        case=case,
        planned_on=timezone.localdate() + timedelta(days=7),
        participants="Handläggare",
    )
    for kind in ("objection_letter", "justification_request", "person_information"):
        letter_draft_create(acting_user=user, case=case, kind=kind)
    for day in range(20):
        journal_entry_add(
            acting_user=user,
            case=case,
            entry_date=timezone.localdate() - timedelta(days=day % 5),
            text=f"Samtal med den enskilde, del {day}. " * 4,
            sign=day % 2 == 0,
        )
    return case


def _get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response, len(queries.captured_queries)


def test_every_section_of_an_open_case_keeps_within_its_budgets(client, world, open_case):
    client.force_login(world.worker_a)
    for name in SECTIONS:
        response, queries = _get(client, _url(name, open_case))
        size = len(response.content)
        assert queries <= MAX_QUERIES, (name, queries)
        assert size <= MAX_HTML_BYTES, (name, size)
    # The 1,500 organisations of the register are not on the housing section.
    housing_page = client.get(_url("case_housing", open_case)).content.decode()
    assert housing_page.count("Fastighets AB Exempel") == 0
    assert "Bostads AB Exempel" in housing_page  # the case's own landlord


def test_a_long_journal_is_shown_a_page_at_a_time(client, world, open_case):
    for day in range(40):
        journal_entry_add(
            acting_user=world.worker_a,
            case=open_case,
            entry_date=timezone.localdate(),
            text=f"Uppföljning nummer {day:02d}.",
        )
    client.force_login(world.worker_a)
    url = _url("case_journal", open_case)
    first, queries = _get(client, url)
    html = first.content.decode()
    assert queries <= MAX_QUERIES and len(first.content) <= MAX_HTML_BYTES
    assert html.count('<li class="journal') + html.count('<li class="event"') == 30
    assert "Uppföljning nummer 39." in html and "sida=2" in html  # newest first
    older = client.get(url, {"sida": 3}).content.decode()
    assert "Ärendet registrerades" in older  # the oldest event, on the last page


def test_consents_and_the_household_are_read_once_per_page(client, world, open_case):
    client.force_login(world.worker_a)
    for name in ("case_measures", "case_housing", "case_account"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(name, open_case)).status_code == 200
        sql = [query["sql"] for query in queries.captured_queries]
        consents = [q for q in sql if 'FROM "workflow_consent"' in q]
        household = [q for q in sql if 'FROM "people_householdmember"' in q]
        assert len(consents) == 1, (name, len(consents))
        assert len(household) <= 1, (name, len(household))


def test_sections_are_plain_links_with_the_current_one_marked(client, world, open_case):
    client.force_login(world.worker_a)
    for name in SECTIONS:
        html = client.get(_url(name, open_case)).content.decode()
        nav = html[html.index('<nav class="case-sections"') :]
        nav = nav[: nav.index("</nav>")]
        for other in SECTIONS:
            assert f'href="{_url(other, open_case)}"' in nav
        current = re.findall(r'<a href="([^"]+)" aria-current="page"', nav)
        assert current == [_url(name, open_case)]


def test_the_header_shows_status_next_step_nearest_deadline_and_consents(client, world, open_case):
    client.force_login(world.worker_a)
    html = client.get(_url("case_detail", open_case)).content.decode()
    header = html[
        html.index('<header class="case-header">') : html.index(
            "</header>", html.index('<header class="case-header">')
        )
    ]
    assert "Bekräftad aktiv medverkan" in header
    assert "data-next-step" in header and "Begär skälig motivering" in header
    nearest = re.search(r"data-nearest-deadline>([^<]*)", header)
    assert nearest and re.search(r"\d{4}-\d{2}-\d{2}", nearest.group(1))
    for scope in ConsentScope:
        assert f'data-scope="{scope.value}"' in header


def test_the_overview_leaves_out_the_other_sections(client, world, open_case):
    client.force_login(world.worker_a)
    html = client.get(_url("case_detail", open_case)).content.decode()
    assert "Samtal med den enskilde" not in html  # the journal
    assert 'id="nasta-steg"' not in html  # the steps
    assert "Trappuppgång B." not in html  # housing
    assert len(html.encode()) < 16 * 1024


def test_a_step_form_is_fetched_when_the_step_is_opened(client, world, open_case):
    client.force_login(world.worker_a)
    measures = client.get(_url("case_measures", open_case)).content.decode()
    url = _step_url(open_case, Action.RECORD_FINANCIAL_ASSISTANCE_ASSESSMENT)
    assert f'href="{url}" data-hx-get="{url}"' in measures
    assert "<form" not in measures.split('id="nasta-steg"')[1].split("Spärrade steg")[0]

    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "HX-Request" in fragment["Vary"]
    body = fragment.content.decode()
    assert "<html" not in body
    assert 'data-step="record_financial_assistance_assessment"' in body
    assert 'name="submission_token"' in body

    page = client.get(url).content.decode()  # without JavaScript: a page of its own
    assert "<html" in page and 'data-step="record_financial_assistance_assessment"' in page
    assert 'aria-current="page"' in page  # within the case page's navigation


def test_a_refused_step_is_shown_on_its_own_page_with_the_form_and_errors(client, world, open_case):
    client.force_login(world.worker_a)
    response = client.post(
        _step_url(open_case, Action.RECORD_FINANCIAL_ASSISTANCE_ASSESSMENT),
        {"performed_on": open_case.received_on.isoformat()},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'data-step="record_financial_assistance_assessment"' in html


def test_a_step_not_possible_now_says_why_instead_of_a_form(client, world, open_case):
    client.force_login(world.worker_a)
    html = client.get(_step_url(open_case, Action.RECORD_IVO_GRANTED)).content.decode()
    assert "data-blocked=" in html and '<form method="post" action="/arenden' not in html


def test_not_applicable_is_one_control_with_the_measures_it_may_apply_to(client, world, open_case):
    client.force_login(world.worker_a)
    measures = client.get(_url("case_measures", open_case)).content.decode()
    assert measures.count("Markera en åtgärd som ej aktuell") == 1
    assert "Markera som ej aktuell:" not in measures

    url = _step_url(open_case, Action.MARK_NOT_APPLICABLE)
    form = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    options = re.findall(r'<option value="([a-z_]+)"', form)
    assert Measure.HOME_VISIT.value in options
    assert Measure.OBJECTION.value not in options  # done already

    response = client.post(
        url,
        {
            "measure": Measure.HOME_VISIT.value,
            "performed_on": timezone.localdate().isoformat(),
            "reason": "Den enskilde flyttar tillbaka.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url("case_measures", open_case)
    row = CaseMeasure.objects.get(case=open_case, measure=Measure.HOME_VISIT)
    assert row.state == MeasureState.NOT_APPLICABLE


def test_steps_done_in_another_section_link_there_and_have_one_way_in(client, world):
    user = world.worker_a
    case = confirmed(user)
    for scope in ConsentScope:
        consent(case, user, scope)
    client.force_login(user)
    measures = client.get(_url("case_measures", case)).content.decode()
    steps = measures.split('id="nasta-steg"')[1].split("Spärrade steg")[0]
    account_url = _step_url(case, Action.RECORD_PERSONAL_ACCOUNT)
    letter_url = _step_url(case, Action.SEND_OFFICIAL_LETTER)
    assert account_url not in steps and letter_url not in steps
    assert f'href="{_url("case_account", case)}"' in steps
    assert f'href="{_url("case_letters", case)}"' in steps
    # A letter sent outside Motverka is registered on the Skrivelser section.
    letters = client.get(_url("case_letters", case)).content.decode()
    assert f'data-hx-get="{letter_url}"' in letters
    account_page = client.get(_url("case_account", case)).content.decode()
    assert account_url not in account_page


# --- Landlords by search --------------------------------------------------------------------


def test_the_landlord_search_offers_at_most_ten_organisations_matching_every_word(client, world):
    _register_of_organisations(world.worker_a, 30)
    landlord(world.worker_a, number="5560160680", name="Hyreshus Norra Demo")
    private_landlord(world.worker_a, identity_number(), name="Hyreshus Privat Demo")
    client.force_login(world.worker_a)
    url = reverse("landlord_search")

    many = client.get(url, {"landlord_search": "fastighets exempel"}, HTTP_HX_REQUEST="true")
    html = many.content.decode()
    assert many.status_code == 200
    assert html.count('type="radio" name="landlord"') == 10
    assert "Fler hyresvärdar matchar" in html

    both_words = client.get(url, {"landlord_search": "hyreshus norra"}).content.decode()
    assert "Hyreshus Norra Demo" in both_words
    assert "Privat" not in both_words  # a private person is never offered by a search
    one_word = client.get(url, {"landlord_search": "hyreshus"}).content.decode()
    assert "Privat" not in one_word
    assert "Hyreshus Norra Demo" in one_word
    neither = client.get(url, {"landlord_search": "norra exempel"}).content.decode()
    assert "Hyreshus Norra Demo" not in neither

    by_number = client.get(url, {"landlord_search": "556016"}).content.decode()
    assert "Hyreshus Norra Demo" in by_number


def test_the_landlord_search_refuses_identity_numbers_and_other_roles(client, world):
    number = identity_number()
    private_landlord(world.worker_a, number, name="Greta Hyresvärdsson")
    client.force_login(world.worker_a)
    html = client.get(reverse("landlord_search"), {"landlord_search": number}).content.decode()
    assert "Sök inte på personnummer" in html and "Greta" not in html
    client.force_login(world.analyst)
    assert client.get(reverse("landlord_search"), {"landlord_search": "ab"}).status_code == 403


def test_without_javascript_the_housing_form_searches_and_then_saves_the_choice(
    client, world, open_case
):
    client.force_login(world.worker_a)
    url = _url("housing_edit", open_case)
    searched = client.post(
        url,
        {"landlord_search": "Exempel 0042", "hyresvard_sok": "1", "note": "Kvar i formuläret"},
    )
    assert searched.status_code == 200
    html = searched.content.decode()
    assert "Fastighets AB Exempel 0042" in html
    assert "Kvar i formuläret" in html  # what was typed is kept
    assert Housing.objects.get(case=open_case).note == "Trappuppgång B."  # nothing saved

    chosen = Landlord.objects.get(name="Fastighets AB Exempel 0042")
    saved = client.post(url, {"landlord": chosen.pk, "note": "Ny hyresvärd"})
    assert saved.status_code == 302
    assert Housing.objects.get(case=open_case).landlord == chosen


def test_the_housing_form_refuses_a_landlord_id_that_is_a_private_person(client, world, open_case):
    owner = private_landlord(world.worker_b, identity_number(), name="Per Privatvärd")
    client.force_login(world.worker_a)
    response = client.post(_url("housing_edit", open_case), {"landlord": owner.pk})
    assert response.status_code == 400
    assert Housing.objects.get(case=open_case).landlord != owner
