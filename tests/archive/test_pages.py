"""The disposal pages: a demo database from "cases due" through the archivist's proposal
and review and the unit manager's approval to the worker's package and records."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from motverka.accounts.models import User
from motverka.archive.models import DisposalList, DisposalListStatus, DisposalRecord
from motverka.audit.verification import verify_chain
from motverka.demo import create_demo_data
from tests.letters.helpers import pdf_text

TOKEN = re.compile(r'name="submission_token" value="([^"]+)"')


def _token(response) -> str:
    match = TOKEN.search(response.content.decode())
    assert match, "the form carries a submission token"
    return match.group(1)


@pytest.mark.django_db(transaction=True)
def test_the_pages_take_the_demo_from_cases_due_to_a_package_and_records(
    client, settings, tmp_path
):
    settings.MOTVERKA_ARCHIVE_PACKAGE_DIR = str(tmp_path)
    create_demo_data(password="demo-password-1", case_count=2)
    archivist = User.objects.get(username="arkiv")
    manager = User.objects.get(username="enhetschef")

    client.force_login(archivist)
    overview = client.get(reverse("disposal"))
    assert overview.status_code == 200
    page = overview.content.decode()
    assert "3 ärenden aktuella för gallring" in page
    assert "Bevaras för forskning" in page
    proposed = client.post(reverse("disposal_propose"), {"submission_token": _token(overview)})
    disposal_list = DisposalList.objects.get()
    assert proposed["Location"] == reverse("disposal_list", args=[disposal_list.pk])
    detail = client.get(proposed["Location"])
    assert "Godkänn gallring" not in detail.content.decode()
    client.post(
        reverse("disposal_review", args=[disposal_list.pk]), {"submission_token": _token(detail)}
    )

    client.force_login(manager)
    detail = client.get(reverse("disposal_list", args=[disposal_list.pk]))
    assert "Godkänn gallring" in detail.content.decode()
    approved = client.post(
        reverse("disposal_approve", args=[disposal_list.pk]), {"submission_token": _token(detail)}
    )
    assert approved.status_code == 302
    disposal_list.refresh_from_db()
    assert disposal_list.status == DisposalListStatus.APPROVED

    # The task queue carries it out.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    disposal_list.refresh_from_db()
    assert disposal_list.status == DisposalListStatus.DONE
    assert DisposalRecord.objects.count() == 3
    (delivered,) = DisposalRecord.objects.exclude(package_name="")
    assert (Path(tmp_path) / delivered.package_name).exists()
    done = client.get(reverse("disposal_list", args=[disposal_list.pk])).content.decode()
    assert delivered.package_name in done
    assert verify_chain().intact


@pytest.mark.django_db
def test_the_case_page_shows_the_disposal_date_and_rule(client, world):
    from tests.factories import make_case

    case = make_case(world.worker_a)
    client.force_login(world.worker_a)
    page = client.get(reverse("case_history", args=[case.pk])).content.decode()
    assert "Ärendet är inte avslutat" in page and "gallringsplikt från" in page
    assert "Registerutdrag" not in page  # for unit managers only


@pytest.mark.django_db
def test_the_register_extract_covers_every_unit_and_is_logged(client, world):
    from motverka.audit.models import AuditEvent
    from tests.factories import make_case

    case = make_case(world.worker_a, first_name="Signe", last_name="Registerdemo")
    number = case.person.personal_identity_number
    other = make_case(
        world.worker_b,
        personal_identity_number=number,
        first_name="Signe",
        last_name="Registerdemo",
        indicator_note="Uppgift från enhet B.",
        allow_open_case=True,
    )
    client.force_login(world.worker_a)
    assert (
        client.post(reverse("register_extract", args=[case.pk]), {"confirm": "on"}).status_code
        == 403
    )
    client.force_login(world.manager)
    assert client.get(reverse("register_extract", args=[case.pk])).status_code == 200
    assert client.post(reverse("register_extract", args=[case.pk]), {}).status_code == 400
    response = client.post(reverse("register_extract", args=[case.pk]), {"confirm": "on"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert case.reference in text and other.reference in text
    assert "Uppgift från enhet B." in text and world.unit_b.name in text
    row = AuditEvent.objects.get(object_type="register_extract")
    assert row.actor_id == world.manager.pk
    assert {subject.case_id for subject in row.subjects.all()} >= {case.pk, other.pk}
    assert io.BytesIO(response.content).read(5) == b"%PDF-"
