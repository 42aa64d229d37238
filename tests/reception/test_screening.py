"""The reception's screening over HTTP: a screening without suspicion leaves only a count;
a suspected one registers a case prefilled from the answers with one click; the figures
show screened against suspected."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from motverka.audit.models import AuditEvent
from motverka.cases.models import Case
from motverka.people.models import Person
from motverka.reception.models import ScreeningCount
from motverka.reception.selectors import screening_counts
from tests.factories import identity_number

pytestmark = pytest.mark.django_db

SUSPECT = {
    "moved_recently": "yes",
    "from_municipality": "0180",
    "housing_arranged_by": "previous_municipality",
    "paid_by_previous": ["rent"],
    "papers_from_previous": "yes",
    "wished_to_move": "no",
}
CLEAR = {
    "moved_recently": "yes",
    "from_municipality": "0180",
    "housing_arranged_by": "person",
    "papers_from_previous": "no",
    "wished_to_move": "yes",
}


def _token(response) -> str:
    match = re.search(rb'name="submission_token" value="([^"]+)"', response.content)
    assert match
    return match.group(1).decode()


def _screen(client, world, answers, **extra):
    token = _token(client.get(reverse("screening")))
    data = {"unit": world.unit_a.pk, **answers, "submission_token": token, **extra}
    return client.post(reverse("screening"), data), data


def test_a_screening_without_suspicion_keeps_only_a_count(client, world):
    client.force_login(world.worker_a)
    persons, cases = Person.objects.count(), Case.objects.count()
    response, data = _screen(client, world, CLEAR)
    assert response.status_code == 302 and response["Location"] == reverse("screening")
    again = client.post(reverse("screening"), data)  # a double click
    assert again.status_code == 302
    row = ScreeningCount.objects.get()
    assert (row.unit_id, row.month, row.screened, row.suspected) == (
        world.unit_a.pk,
        timezone.localdate().replace(day=1),
        1,
        0,
    )
    assert (Person.objects.count(), Case.objects.count()) == (persons, cases)
    assert "motverka_screening" not in client.session
    event = AuditEvent.objects.get(object_type="screening")
    assert event.case_id is None and event.person_id is None
    assert event.detail == "ingen misstanke"
    page = client.get(reverse("screening")).content.decode()
    assert "Inga tecken på aktiv medverkan" in page


def test_a_suspected_screening_registers_a_prefilled_case_with_one_click(client, world):
    client.force_login(world.worker_a)
    moved_on = timezone.localdate() - timedelta(days=5)
    response, _data = _screen(client, world, SUSPECT, moved_on=moved_on.isoformat())
    assert response.status_code == 302
    assert response["Location"] == reverse("screening_register")
    page = client.get(reverse("screening_register"))
    html = page.content.decode()
    assert "Bostaden ordnad av tidigare kommun" in html
    assert "Hyran för de första månaderna betald av tidigare kommun" in html
    assert "Kom med handlingar från tidigare socialtjänst" in html
    assert "Ingen tydlig vilja att flytta" in html
    # The registration asks only for the person and the target group.
    assert 'name="sending_municipality"' not in html and 'name="indicators"' not in html
    number = identity_number()
    registered = client.post(
        reverse("screening_register"),
        {
            "first_name": "Sara",
            "last_name": "Provsson",
            "personal_identity_number": number,
            "target_groups": ["newly_arrived"],
            "received_on": timezone.localdate().isoformat(),
            "submission_token": _token(page),
        },
    )
    case = Case.objects.get()
    assert registered.status_code == 302
    assert registered["Location"] == reverse("case_detail", args=[case.pk])
    assert case.unit_id == world.unit_a.pk
    assert case.sending_municipality.code == "0180"
    assert case.moved_on == moved_on
    assert set(case.indicators.values_list("code", flat=True)) == {
        "housing_arranged",
        "rent_paid",
        "papers_from_previous",
        "no_wish_to_move",
    }
    assert "Screening i mottagningen" in case.indicator_note
    assert "Bostaden ordnad av: den tidigare kommunen." in case.indicator_note
    row = ScreeningCount.objects.get()
    assert (row.screened, row.suspected) == (1, 1)
    assert "motverka_screening" not in client.session
    # Nothing waits any more: a second registration is impossible.
    assert (
        "Ingen screening med misstanke väntar"
        in client.get(reverse("screening_register")).content.decode()
    )


def test_bad_answers_are_a_swedish_400_and_count_nothing(client, world):
    client.force_login(world.worker_a)
    response, _data = _screen(client, world, {**SUSPECT, "from_municipality": ""})
    assert response.status_code == 400
    assert "Ange varifrån personen flyttade" in response.content.decode()
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    response, _data = _screen(client, world, SUSPECT, moved_on=future)
    assert response.status_code == 400
    assert "Flyttdatum kan inte ligga i framtiden." in response.content.decode()
    response, _data = _screen(client, world, {**SUSPECT, "wished_to_move": "kanske"})
    assert response.status_code == 400
    assert not ScreeningCount.objects.exists()


def test_another_units_screening_and_roles_without_cases_are_refused(client, world):
    client.force_login(world.worker_b)
    response, _data = _screen(client, world, CLEAR)  # unit A is not worker B's
    assert response.status_code == 400
    assert not ScreeningCount.objects.exists()
    for name in ("analyst", "admin"):
        client.force_login(getattr(world, name))
        assert client.get(reverse("screening")).status_code == 403
        assert client.get(reverse("screening_register")).status_code == 403


def test_figures_show_screened_against_suspected(client, world):
    client.force_login(world.worker_a)
    for _ in range(5):
        _screen(client, world, CLEAR)
    for _ in range(6):
        _screen(client, world, SUSPECT)
    today = timezone.localdate()
    [month] = screening_counts(period_start=today.replace(day=1), period_end=today)
    assert (month.screened, month.suspected) == (11, 6)
    client.force_login(world.analyst)
    html = client.get(reverse("figures")).content.decode()
    assert "Screening i mottagningen" in html
    assert f"<td>{today:%Y-%m}</td><td>11</td><td>6</td>" in html
