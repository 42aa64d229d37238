"""A UI form that creates, sent twice (a double click, also concurrently), creates once."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motverka.accounts.models import Role
from motverka.cases.models import Case, JournalEntry
from motverka.integrity.models import FormSubmission
from motverka.people.models import Person
from tests.factories import make_case, make_unit, make_user
from tests.foundation.test_views import intake_post
from tests.integrity.helpers import run_concurrently
from tests.second_factor import SecondFactorClient

TOKEN = "submission_token"


def _logged_in(user) -> Client:
    client = SecondFactorClient()
    client.force_login(user)
    return client


def _token_of(response) -> str:
    match = re.search(rb'name="submission_token" value="([^"]+)"', response.content)
    assert match, "the form carries no submission token"
    return match.group(1).decode()


def test_the_intake_form_carries_a_fresh_token_each_time(world):
    client = _logged_in(world.worker_a)
    first = _token_of(client.get(reverse("case_intake")))
    second = _token_of(client.get(reverse("case_intake")))
    assert first != second


def test_a_double_submitted_intake_makes_one_case_and_lands_on_it(world):
    client = _logged_in(world.worker_a)
    token = _token_of(client.get(reverse("case_intake")))
    data = intake_post(world, **{TOKEN: token})

    first = client.post(reverse("case_intake"), data)
    second = client.post(reverse("case_intake"), data, follow=True)

    case = Case.objects.get()
    assert first.status_code == 302
    assert first["Location"] == reverse("case_detail", args=[case.pk])
    assert second.redirect_chain == [(reverse("case_detail", args=[case.pk]), 302)]
    assert second.status_code == 200
    assert "Formuläret hade redan skickats" in second.content.decode()
    assert Person.objects.count() == 1


def test_a_double_submitted_intake_without_identity_number_makes_one_reserve_person(world):
    client = _logged_in(world.worker_a)
    data = intake_post(
        world,
        personal_identity_number="",
        reserve_reason="Personen saknar svenskt personnummer.",
        **{TOKEN: "reservtoken-1"},
    )
    assert client.post(reverse("case_intake"), data).status_code == 302
    assert client.post(reverse("case_intake"), data).status_code == 302
    assert Case.objects.count() == 1
    assert Person.objects.filter(reserve_identity__isnull=False).count() == 1


def test_a_form_error_releases_the_token_so_the_corrected_form_can_be_sent(world):
    client = _logged_in(world.worker_a)
    bad = intake_post(world, first_name="", **{TOKEN: "rattat-formular"})
    assert client.post(reverse("case_intake"), bad).status_code == 400
    assert not FormSubmission.objects.exists()

    good = intake_post(world, **{TOKEN: "rattat-formular"})
    assert client.post(reverse("case_intake"), good).status_code == 302
    assert Case.objects.count() == 1


def test_another_users_token_creates_nothing(world):
    colleague = make_user(Role.CASE_WORKER, [world.unit_a], username="kollega")
    data = intake_post(world, **{TOKEN: "stulen-kod"})
    assert _logged_in(world.worker_a).post(reverse("case_intake"), data).status_code == 302

    response = _logged_in(colleague).post(reverse("case_intake"), data)
    assert response.status_code == 409
    assert "Formuläret har redan skickats" in response.content.decode()
    assert Case.objects.count() == 1


def test_a_malformed_token_is_a_swedish_400(world):
    data = intake_post(world, **{TOKEN: "x" * 200})
    response = _logged_in(world.worker_a).post(reverse("case_intake"), data)
    assert response.status_code == 400
    assert "engångskod" in response.content.decode()
    assert not Case.objects.exists()


def test_a_token_older_than_a_day_is_forgotten(world):
    client = _logged_in(world.worker_a)
    data = intake_post(world, **{TOKEN: "gammal-kod"})
    assert client.post(reverse("case_intake"), data).status_code == 302
    FormSubmission.objects.update(created_at=timezone.now() - timedelta(hours=25))

    other = intake_post(world, **{TOKEN: "ny-kod"})
    assert client.post(reverse("case_intake"), other).status_code == 302
    assert list(FormSubmission.objects.values_list("token", flat=True)) == ["ny-kod"]


def test_a_double_submitted_journal_entry_is_written_once(world):
    case = make_case(world.worker_a, world.unit_a)
    client = _logged_in(world.worker_a)
    page = client.get(reverse("case_detail", args=[case.pk]))
    data = {
        "entry_date": timezone.localdate().isoformat(),
        "text": "Samtal med hyresvärden.",
        TOKEN: _token_of(page),
    }
    first = client.post(reverse("case_journal", args=[case.pk]), data)
    second = client.post(reverse("case_journal", args=[case.pk]), data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert JournalEntry.objects.filter(case=case).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_intake_form_make_one_case():
    unit = make_unit("Dubbelklick")
    user = make_user(Role.CASE_WORKER, [unit])
    data = intake_post(
        SimpleNamespace(unit_a=unit),
        personal_identity_number="",
        reserve_reason="Okänt personnummer.",
        **{TOKEN: "samtidig-kod"},
    )

    responses = run_concurrently(6, lambda _index: _logged_in(user).post("/arenden/nytt/", data))

    assert [getattr(r, "status_code", r) for r in responses] == [302] * 6
    case = Case.objects.get()
    assert {r["Location"] for r in responses} == {reverse("case_detail", args=[case.pk])}
    assert Person.objects.count() == 1


TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "motverka" / "templates"
#: POST forms that create nothing, or whose double submit is refused by their own service.
WITHOUT_TOKEN = {
    ("registration/login.html", "login"),
    ("base.html", "logout"),
    ("cases/case_list.html", "identity search"),
    ("letters/letter_preview.html", "letter_finalise"),
    ("letters/letter_detail.html", "draft save"),
    ("letters/letter_detail.html", "letter_mark_sent"),
    # The sign-in steps and the user's own security settings create no record a double
    # submit could duplicate (a second code is refused as used; ending an ended session or
    # removing a removed app is a no-op).
    ("accounts/mfa_verify.html", "second factor"),
    ("accounts/mfa_enrol.html", "enrolment"),
    ("accounts/password_change.html", "own password"),
    ("accounts/sessions.html", "session_end"),
    ("accounts/security.html", "authenticator_remove"),
    ("accounts/security.html", "backup_codes_renew"),
    # Produces a PDF and no record (its audit row says who asked, each time).
    ("review/log_extract.html", "log_extract"),
    ("archive/register_extract.html", "register_extract"),
    # Asking again for an annual report finds the job already under way (one unfinished
    # job per user, report and year: a unique constraint, tests/reporting).
    ("reporting/figures.html", "annual report"),
    ("reporting/_export_job.html", "annual report again"),
    # Reading the same directory file twice sets the same values (nothing is created).
    ("admin/reference/municipality/import.html", "directory import"),
}


def test_every_post_form_in_the_templates_carries_a_token_unless_listed():
    missing = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        for line in template.read_text().splitlines():
            if 'method="post"' in line and "{% submission_token %}" not in line:
                missing.append(str(template.relative_to(TEMPLATES)))
    assert sorted(missing) == sorted(name for name, _what in WITHOUT_TOKEN)


def test_a_double_submitted_landlord_is_registered_once(world):
    from motverka.housing.models import Landlord

    client = _logged_in(world.worker_a)
    data = {
        "kind": "organisation",
        "name": "Dubbel AB",
        "organisation_number": "556016-0680",
        TOKEN: _token_of(client.get(reverse("landlord_list"))),
    }
    first = client.post(reverse("landlord_list"), data)
    second = client.post(reverse("landlord_list"), data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Landlord.objects.count() == 1


def test_a_double_submitted_consent_is_recorded_once(world):
    case = make_case(world.worker_a, world.unit_a)
    client = _logged_in(world.worker_a)
    data = {
        "scope": "home_visit",
        "status": "given",
        "decided_on": timezone.localdate().isoformat(),
        "form": "oral",
        TOKEN: _token_of(client.get(reverse("case_detail", args=[case.pk]))),
    }
    first = client.post(reverse("consent_record", args=[case.pk]), data)
    second = client.post(reverse("consent_record", args=[case.pk]), data)
    assert first.status_code == second.status_code == 302
    assert case.consents.count() == 1
