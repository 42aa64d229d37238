"""Correcting intake data after registration: every change kept with old and new values,
who and why — also when the data is changed outside the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from motverka.cases.corrections import CaseCorrection, case_data_correct
from motverka.cases.errors import AccessDenied
from motverka.cases.models import Case
from motverka.history.models import Change, ChangeContext
from motverka.history.selectors import case_changes
from motverka.people.models import HouseholdMember, Person
from motverka.people.services import HouseholdMemberInput
from tests.factories import intervention, make_case


def correct(user, case, reason="Rättat efter kontroll.", **values):
    return case_data_correct(
        acting_user=user, case=case, correction=CaseCorrection(**values), reason=reason
    )


def test_registering_a_case_is_not_a_change(world):
    make_case(world.worker_a)
    assert not Change.objects.exists()


def test_a_corrected_name_and_municipality_keep_old_and_new_values(world):
    case = make_case(world.worker_a, first_name="Alva")
    changed = correct(world.worker_a, case, first_name="Alwa", sending_municipality_code="1480")
    assert changed == ["förnamn", "avsändande kommun"]
    person_change = Change.objects.get(table_name="people_person")
    assert person_change.before_values["first_name"] == "Alva"
    assert person_change.after_values["first_name"] == "Alwa"
    assert person_change.actor_id == world.worker_a.pk and person_change.via_service
    assert person_change.reason == "Rättat efter kontroll." and person_change.case_id == case.pk
    views = case_changes(case=case)
    municipality = next(view for view in views if view.what == "Ärendet")
    assert [(item.label, item.new) for item in municipality.fields] == [
        ("avsändande kommun", "Göteborg")
    ]
    assert all(view.who == world.worker_a.display_name() for view in views)
    assert not ChangeContext.objects.exists()


def test_dates_target_groups_household_and_interventions_are_tracked(world):
    case = make_case(world.worker_a)
    member = case.household.get()
    recorded = case.interventions.get()
    today = timezone.localdate()
    correct(
        world.worker_a,
        case,
        received_on=today - timedelta(days=5),
        target_groups=("structurally_homeless",),
        indicators=("rent_paid",),
        household_remove=(member.pk,),
        household_add=(HouseholdMemberInput(first_name="Ny", relation="partner"),),
        interventions_remove=(recorded.pk,),
        interventions_add=(intervention(),),
    )
    tables = sorted(Change.objects.filter(case_id=case.pk).values_list("table_name", "operation"))
    assert ("cases_case", "update") in tables
    assert ("cases_casetargetgroup", "insert") in tables
    assert ("cases_casetargetgroup", "delete") in tables
    assert ("cases_caseindicator", "delete") in tables
    assert ("people_householdmember", "delete") in tables
    assert ("people_householdmember", "insert") in tables
    assert ("cases_intervention", "delete") in tables
    assert ("cases_intervention", "insert") in tables
    removed = Change.objects.get(table_name="people_householdmember", operation="delete")
    assert removed.before_values["first_name"] == "Bror" and removed.after_values == {}


def test_a_correction_needs_a_reason_and_a_change(world):
    case = make_case(world.worker_a, first_name="Alva")
    with pytest.raises(ValidationError) as error:
        correct(world.worker_a, case, reason=" ", first_name="Alwa")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError):
        correct(world.worker_a, case, first_name="Alva")
    assert not Change.objects.exists()
    assert Person.objects.get(pk=case.person_id).first_name == "Alva"


def test_bad_values_are_refused_and_nothing_changes(world):
    case = make_case(world.worker_a)
    today = timezone.localdate()
    for values in (
        {"received_on": today + timedelta(days=1)},
        {"sending_municipality_code": "1430"},
        {"sending_municipality_code": "9999"},
        {"target_groups": ()},
        {"indicators": ("nonsense",)},
        {"household_remove": (999_999,)},
        {"first_name": "  "},
    ):
        with pytest.raises(ValidationError):
            correct(world.worker_a, case, **values)
    assert not Change.objects.exists()


def test_another_unit_cannot_correct(world):
    case = make_case(world.worker_a)
    with pytest.raises(AccessDenied):
        correct(world.worker_b, case, first_name="Inbrott")
    assert not Change.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_bulk_update_outside_the_services_is_recorded_too(world):
    case = make_case(world.worker_a, first_name="Alva")
    Case.objects.filter(pk=case.pk).update(received_on=timezone.localdate() - timedelta(days=9))
    Person.objects.filter(pk=case.person_id).update(first_name="Smygändrad")
    HouseholdMember.objects.filter(case=case).delete()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET indicator_note = 'rått' WHERE id = %s", [case.pk])
    rows = list(Change.objects.order_by("id"))
    assert [(row.table_name, row.operation) for row in rows] == [
        ("cases_case", "update"),
        ("people_person", "update"),
        ("people_householdmember", "delete"),
        ("cases_case", "update"),
    ]
    assert all(row.actor_id is None and not row.via_service for row in rows)
    views = case_changes(case=case)
    assert len(views) == 4
    assert all("okänd" in view.who for view in views)


def test_the_correction_page_changes_data_and_the_case_page_shows_the_history(client, world):
    case = make_case(world.worker_a, first_name="Alva", last_name="Demosson")
    client.force_login(world.worker_a)
    page = client.get(reverse("case_correct", args=[case.pk]))
    assert page.status_code == 200 and 'value="Alva"' in page.content.decode()
    data = {
        "first_name": "Alwa",
        "last_name": "Demosson",
        "phone": "",
        "sending_municipality": "0180",
        "moved_on": case.moved_on.isoformat(),
        "received_on": case.received_on.isoformat(),
        "target_groups": ["newly_arrived"],
        "indicators": ["housing_arranged", "rent_paid"],
        "indicator_note": case.indicator_note,
        "reason": "Stavning rättad mot folkbokföringen.",
    }
    response = client.post(reverse("case_correct", args=[case.pk]), data)
    assert response.status_code == 302
    detail = client.get(reverse("case_history", args=[case.pk])).content.decode()
    assert "Ändringshistorik" in detail
    assert "Stavning rättad mot folkbokföringen." in detail
    assert "förnamn: Alva" in detail and "förnamn: Alwa" in detail


def test_the_page_without_a_reason_is_a_swedish_error(client, world):
    case = make_case(world.worker_a)
    client.force_login(world.worker_a)
    response = client.post(reverse("case_correct", args=[case.pk]), {"first_name": "X"})
    assert response.status_code == 400
    assert "Fel – " in response.content.decode()
    assert not Change.objects.exists()


def test_the_correction_page_of_another_units_case_is_not_found(client, world):
    case = make_case(world.worker_a)
    client.force_login(world.worker_b)
    assert client.get(reverse("case_correct", args=[case.pk])).status_code == 404
    assert client.post(reverse("case_correct", args=[case.pk]), {}).status_code == 404


def test_the_api_corrects_and_lists_the_history(world, api_as):
    case = make_case(world.worker_a, first_name="Alva")
    api = api_as(world.worker_a)
    response = api.post(
        f"/api/v1/cases/{case.pk}/corrections",
        {"reason": "Rättat via API.", "first_name": "Alwa", "target_groups": ["other"]},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["changed"] == ["förnamn", "målgrupper"]
    history = api.get(f"/api/v1/cases/{case.pk}/history").json()
    assert {row["what"] for row in history} >= {"Personen", "Målgrupp"}
    assert all(row["reason"] == "Rättat via API." for row in history)


def test_the_api_refuses_a_correction_without_reason_or_from_another_unit(world, api_as):
    case = make_case(world.worker_a)
    missing = api_as(world.worker_a).post(
        f"/api/v1/cases/{case.pk}/corrections", {"first_name": "X"}
    )
    assert missing.status_code == 422
    other = api_as(world.worker_b).post(
        f"/api/v1/cases/{case.pk}/corrections", {"reason": "x", "first_name": "X"}
    )
    assert other.status_code == 404
    assert api_as(world.worker_b).get(f"/api/v1/cases/{case.pk}/history").status_code == 404
    assert not Change.objects.exists()


def test_the_api_refuses_an_added_intervention_with_an_impossible_decision(world, api_as):
    case = make_case(world.worker_a)
    before = list(case.interventions.values_list("pk", flat=True))
    api = api_as(world.worker_a)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    for added, words in (
        ({"kind": "care", "decided_on": tomorrow}, "framtiden"),
        ({"kind": "care", "decided_on": "2026-03-01", "needed_until": "2026-02-01"}, "före"),
    ):
        response = api.post(
            f"/api/v1/cases/{case.pk}/corrections",
            {"reason": "Ny insats.", "interventions_add": [added]},
        )
        assert response.status_code == 422, response.content
        assert words in response.content.decode()
    assert list(case.interventions.values_list("pk", flat=True)) == before
    assert not Change.objects.filter(table_name="cases_intervention").exists()
    # A sound decision is added, with its legal basis, through the same route.
    ok = api.post(
        f"/api/v1/cases/{case.pk}/corrections",
        {
            "reason": "Ny insats.",
            "interventions_add": [
                {"kind": "care", "decided_on": "2026-03-01", "legal_basis": "SoL (2025:400)"}
            ],
        },
    )
    assert ok.status_code == 200, ok.content
    assert case.interventions.filter(legal_basis="SoL (2025:400)").exists()
