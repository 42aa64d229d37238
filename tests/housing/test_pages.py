"""The housing panels and the landlord pages over HTTP, including who may see what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from motverka.audit.models import AuditEvent
from motverka.housing.models import HomeVisit, Housing, Landlord, PersonalAccount
from motverka.letters.models import Letter
from motverka.workflow.policy import ConsentStatus, Measure, MeasureState
from tests.factories import identity_number
from tests.housing.helpers import (
    ADDRESS,
    confirmed,
    home_visit_consent,
    housing,
    landlord,
    new_case,
    organisations,
    private_landlord,
    today,
)

pytestmark = pytest.mark.django_db


def _case_url(case, section="case_housing"):
    """A section of the case page; by default "Boende och hembesök"."""
    return reverse(section, kwargs={"case_id": case.pk})


def _url(name, case):
    return reverse(name, kwargs={"case_id": case.pk})


def test_the_case_page_shows_both_panels(client, world):
    case = confirmed(world.worker_a)
    housing(case, world.worker_a)
    client.force_login(world.worker_a)
    html = client.get(_case_url(case)).content.decode()
    assert "Boende och hembesök" in html
    account = client.get(_case_url(case, "case_account")).content.decode()
    assert "Den enskildes berättelse" in account
    assert "Storgatan 12 B" in html  # not protected: the address is shown
    assert "2 personer, varav 1 barn" in html
    assert 'data-blocked="home_visit"' in html  # no consent yet


def test_saving_housing_through_the_form(client, world):
    case = new_case(world.worker_a)
    client.force_login(world.worker_a)
    response = client.post(
        _url("housing_edit", case),
        {
            "address": ADDRESS,
            "lease_type": "first_hand",
            "arranged_by": "sending_municipality",
            "monthly_rent": "7800",
            "rooms": "2",
            "area_m2": "48,5",
            "rent_paid_months": "2",
            "rent_paid_until": (today() + timedelta(days=20)).isoformat(),
        },
    )
    assert response.status_code == 302 and response["Location"] == _case_url(case)
    saved = Housing.objects.get(case=case)
    assert saved.address == ADDRESS and str(saved.area_m2) == "48.5"


def test_bad_housing_input_is_400_in_swedish_and_saves_nothing(client, world):
    case = new_case(world.worker_a)
    client.force_login(world.worker_a)
    response = client.post(
        _url("housing_edit", case), {"rooms": "noll", "monthly_rent": "-5", "landlord": "42"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Uppgifterna kunde inte sparas" in html
    assert not Housing.objects.exists()


def test_home_visit_over_http_needs_consent(client, world):
    case = confirmed(world.worker_a)
    client.force_login(world.worker_a)
    visit = {
        "performed_on": today().isoformat(),
        "participants": "Handläggare",
        "condition": "Fuktskador i badrummet.",
        "assessment": "harmful",
        "advised_to_seek_housing": "on",
        "advised_on": today().isoformat(),
    }
    refused = client.post(_url("home_visit_record", case), visit)
    assert refused.status_code == 400
    assert "Samtycke till hembesök saknas" in refused.content.decode()
    assert not HomeVisit.objects.exists()

    plan_refused = client.post(_url("home_visit_plan", case), {"planned_on": today().isoformat()})
    assert plan_refused.status_code == 400 and not HomeVisit.objects.exists()

    home_visit_consent(case, world.worker_a)
    response = client.post(_url("home_visit_record", case), visit)
    assert response.status_code == 302
    html = client.get(_case_url(case)).content.decode()
    assert "Uppmanad att söka ny bostad" in html
    from motverka.housing.selectors import measure_state

    assert measure_state(case, Measure.HOME_VISIT) == MeasureState.DONE


def test_harmful_without_advice_is_refused_in_the_form(client, world):
    case = confirmed(world.worker_a)
    home_visit_consent(case, world.worker_a)
    client.force_login(world.worker_a)
    response = client.post(
        _url("home_visit_record", case),
        {
            "performed_on": today().isoformat(),
            "participants": "Handläggare",
            "condition": "Mögel.",
            "assessment": "harmful",
        },
    )
    assert response.status_code == 400
    assert "uppmanas att söka ny bostad" in response.content.decode()
    assert not HomeVisit.objects.exists()


def test_personal_account_and_a_childs_view_through_the_forms(client, world):
    case = confirmed(world.worker_a)
    client.force_login(world.worker_a)
    response = client.post(
        _url("personal_account_add", case),
        {
            "told_on": today().isoformat(),
            "wish_to_move": "no",
            "knew_destination": "no",
            "free_text": "Jag fick en nyckel och en tågbiljett.",
        },
    )
    assert response.status_code == 302
    assert PersonalAccount.objects.filter(case=case, version=1).exists()
    child = case.household.get()
    response = client.post(
        _url("child_view_add", case),
        {
            "member": child.pk,
            "heard_on": today().isoformat(),
            "heard_by": "child",
            "view": "Vill gå kvar i samma skola.",
        },
    )
    assert response.status_code == 302
    html = client.get(_case_url(case, "case_account")).content.decode()
    assert "Jag fick en nyckel och en tågbiljett." in html
    assert "Vill gå kvar i samma skola." in html


def test_an_account_before_assessment_is_400_with_the_policys_reason(client, world):
    case = new_case(world.worker_a)
    client.force_login(world.worker_a)
    response = client.post(
        _url("personal_account_add", case),
        {
            "told_on": today().isoformat(),
            "wish_to_move": "no",
            "knew_destination": "no",
            "free_text": "x",
        },
    )
    assert response.status_code == 400
    assert "inte bedömt" in response.content.decode()


# --- Protected identity: the address never appears ---------------------------------------------


def test_a_protected_address_never_appears_on_pages_lists_or_in_the_form(client, world):
    case = new_case(world.worker_a, protected_identity=True)
    owner = landlord(world.worker_a)
    housing(case, world.worker_a, landlord_id=owner.pk)
    client.force_login(world.worker_a)
    pages = [
        _case_url(case),
        reverse("case_list"),
        reverse("landlord_list"),
        reverse("landlord_detail", kwargs={"landlord_id": owner.pk}),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Storgatan" not in html, url
        assert "455 30" not in html, url
    case_page = client.get(_case_url(case)).content.decode()
    assert "Skyddad adress" in case_page
    # A form error re-renders the page; the stored address is still not sent.
    response = client.post(_url("housing_edit", case), {"rooms": "x"})
    assert response.status_code == 400 and "Storgatan" not in response.content.decode()
    # Leaving the address blank keeps it.
    client.post(_url("housing_edit", case), {"rooms": "3", "landlord": owner.pk})
    assert Housing.objects.get(case=case).address == ADDRESS


def test_a_protected_address_cannot_leave_in_the_landlord_letter(client, world):
    from motverka.cases.errors import Conflict
    from motverka.letters.services import letter_draft_update, letter_finalise, letter_preview

    case = confirmed(world.worker_a, protected_identity=True)
    owner = landlord(world.worker_a)
    housing(case, world.worker_a, landlord_id=owner.pk)
    client.force_login(world.worker_a)
    response = client.post(_url("landlord_letter_create", case))
    assert response.status_code == 302
    letter = Letter.objects.get(case=case, kind="landlord_letter")
    assert letter.recipient_name == owner.name
    assert "Storgatan" not in letter.body
    letter = letter_draft_update(
        acting_user=world.worker_a,
        letter=letter,
        letter_date=letter.letter_date,
        subject=letter.subject,
        body="Gäller bostaden på Storgatan 12 B.",
        recipient_name=letter.recipient_name,
        recipient_address=letter.recipient_address or "Box 1\n100 00 Stockholm",
    )
    with pytest.raises(Conflict) as refusal:
        letter_finalise(
            acting_user=world.worker_a,
            letter=letter,
            preview_sha256=letter_preview(acting_user=world.worker_a, letter=letter).digest,
            confirm_unverified_reference=True,
        )
    assert refusal.value.code == "protected_address"


def test_a_protected_persons_address_is_withheld_from_letter_placeholders(world):
    from motverka.letters.context import letter_context

    case = new_case(world.worker_a, protected_identity=True)
    housing(case, world.worker_a)
    assert "person.address" not in letter_context(case, on=today())
    open_case = new_case(world.worker_a)
    housing(open_case, world.worker_a)
    assert letter_context(open_case, on=today())["person.address"] == ADDRESS


# --- Landlord pages ---------------------------------------------------------------------------


def test_registering_a_landlord_with_a_bad_organisation_number_is_400(client, world):
    client.force_login(world.worker_a)
    response = client.post(
        reverse("landlord_list"),
        {"kind": "organisation", "name": "Fel AB", "organisation_number": "556016-0681"},
    )
    assert response.status_code == 400
    assert "Organisationsnumret är inte giltigt" in response.content.decode()
    assert not Landlord.objects.exists()
    response = client.post(
        reverse("landlord_list"),
        {"kind": "organisation", "name": "Rätt AB", "organisation_number": "556016-0680"},
    )
    assert response.status_code == 302


def test_a_private_landlords_number_is_masked_in_the_list_and_full_on_the_page(client, world):
    number = identity_number()
    owner = private_landlord(world.worker_a, number)
    client.force_login(world.worker_b)
    listing = client.get(reverse("landlord_list")).content.decode()
    assert number not in listing and f"{number[:8]}-XXXX" in listing
    page = client.get(reverse("landlord_detail", kwargs={"landlord_id": owner.pk}))
    assert f"{number[:8]}-{number[8:]}" in page.content.decode()
    assert AuditEvent.objects.filter(
        actor=world.worker_b, action="read", object_type="landlord"
    ).exists()


def test_the_register_comes_a_page_at_a_time_by_name(client, world, settings):
    settings.MOTVERKA_PAGE_SIZE = 2
    first, second, third = organisations(world.worker_a, 3)
    client.force_login(world.worker_b)
    html = client.get(reverse("landlord_list")).content.decode()
    assert "3 hyresvärdar" in html and "Sida 1 av 2" in html
    assert first.name in html and second.name in html and third.name not in html
    html = client.get(reverse("landlord_list"), {"sida": 2}).content.decode()
    assert third.name in html and first.name not in html
    # A search keeps its text on the next page's link.
    html = client.get(reverse("landlord_list"), {"q": "Bolag"}).content.decode()
    assert "?q=Bolag&amp;sida=2" in html


def test_searching_landlords_by_identity_number_in_the_url_is_refused(client, world):
    number = identity_number()
    private_landlord(world.worker_a, number)
    client.force_login(world.worker_a)
    html = client.get(reverse("landlord_list"), {"q": number}).content.decode()
    assert "Sök inte på personnummer" in html
    html = client.get(reverse("landlord_list"), {"q": f"Per {number[2:]}"}).content.decode()
    assert "Sök inte på personnummer" in html


def test_the_landlord_page_shows_own_cases_and_counts_to_managers_only(client, world):
    owner = landlord(world.worker_a)
    cases = []
    for offset, user in ((0, world.worker_a), (1, world.worker_b), (2, world.worker_a)):
        case = new_case(user, received_on=today() - timedelta(days=offset))
        housing(case, user, landlord_id=owner.pk)
        cases.append(case)
    url = reverse("landlord_detail", kwargs={"landlord_id": owner.pk})

    client.force_login(world.worker_a)
    html = client.get(url).content.decode()
    assert 'data-signal="landlord"' in html
    assert cases[0].reference in html and cases[2].reference in html
    assert cases[1].reference not in html  # unit B's case
    assert 'data-field="case-count"' not in html  # counts are for managers

    client.force_login(world.manager)
    html = client.get(url).content.decode()
    assert '<dd data-field="case-count">3</dd>' in html
    assert cases[1].reference not in html

    # The case page of a flagged landlord's case carries the signal and the letter button.
    client.force_login(world.worker_a)
    case_page = client.get(_case_url(cases[0])).content.decode()
    assert 'data-signal="landlord"' in case_page
    assert reverse("landlord_letter_create", kwargs={"case_id": cases[0].pk}) in case_page


def test_a_protected_persons_sending_municipality_never_appears_on_the_landlord_page(client, world):
    owner = landlord(world.worker_a)
    protected = new_case(world.worker_a, protected_identity=True, sending_municipality_code="2584")
    housing(protected, world.worker_a, landlord_id=owner.pk)
    housing(new_case(world.worker_a), world.worker_a, landlord_id=owner.pk)
    url = reverse("landlord_detail", kwargs={"landlord_id": owner.pk})
    for user in (world.worker_a, world.manager):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert protected.reference in html
        assert "Kiruna" not in html, user
        assert "Stockholm" in html, user
        assert "Skyddad uppgift" in html, user


# --- Permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "housing_edit",
        "personal_account_add",
        "child_view_add",
        "home_visit_plan",
        "home_visit_record",
        "home_visit_cancel",
        "landlord_letter_create",
    ],
)
def test_another_units_worker_gets_404_and_an_analyst_403(client, world, name):
    case = confirmed(world.worker_a)
    home_visit_consent(case, world.worker_a, ConsentStatus.GIVEN)
    # Logging in is audited too; what must not appear is a row of the refused write.
    unrelated = ["read", "search", "login", "denied"]
    before = AuditEvent.objects.exclude(action__in=unrelated).count()
    client.force_login(world.worker_b)
    assert client.post(_url(name, case), {}).status_code == 404
    client.force_login(world.analyst)
    assert client.post(_url(name, case), {}).status_code == 403
    assert AuditEvent.objects.exclude(action__in=unrelated).count() == before


def test_analysts_and_administrators_may_not_open_the_landlord_register(client, world):
    owner = landlord(world.worker_a)
    for role in ("analyst", "admin"):
        client.force_login(getattr(world, role))
        assert client.get(reverse("landlord_list")).status_code == 403
        url = reverse("landlord_detail", kwargs={"landlord_id": owner.pk})
        assert client.get(url).status_code == 403
    client.force_login(world.worker_a)
    assert (
        client.get(reverse("landlord_detail", kwargs={"landlord_id": 999_999})).status_code == 404
    )


def test_a_private_landlord_is_linked_by_identity_number_not_offered_in_the_list(client, world):
    number = identity_number()
    owner = private_landlord(world.worker_b, number, name="Greta Hyresvärdsson")
    case = new_case(world.worker_a)
    client.force_login(world.worker_a)
    page = client.get(_case_url(case)).content.decode()
    assert "Greta Hyresvärdsson" not in page  # not browsable from every case page

    unknown = client.post(
        _url("housing_edit", case), {"landlord_identity_number": identity_number()}
    )
    assert unknown.status_code == 400
    assert "Ingen hyresvärd med det personnumret" in unknown.content.decode()

    linked = client.post(_url("housing_edit", case), {"landlord_identity_number": number})
    assert linked.status_code == 302
    assert Housing.objects.get(case=case).landlord == owner
    reads = AuditEvent.objects.filter(object_type="landlord", action="read", actor=world.worker_a)
    assert reads.filter(detail="sökt på personnummer").exists()
    page = client.get(_case_url(case)).content.decode()
    assert "Greta Hyresvärdsson" in page
    assert reads.filter(detail="visad i ärendet", case_id=case.pk).exists()
    assert number not in page


def test_the_landlord_list_has_a_fixed_number_of_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.worker_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("landlord_list")).status_code == 200
        return len(context.captured_queries)

    for number in ("5560160680", "5565475489"):
        landlord(world.worker_a, number=number, name=f"Bolag {number}")
    private_landlord(world.worker_a, identity_number())
    few = queries()
    for number in ("5566778899", "2021005489", "5567037485", "5568175243"):
        landlord(world.worker_a, number=number, name=f"Bolag {number}")
    private_landlord(world.worker_a, identity_number())
    assert queries() == few
