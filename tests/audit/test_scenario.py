"""A working day through the services and pages, then `motverka audit verify` over the test
database: the chain every real path writes is intact."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from motverka.audit.models import AuditEvent
from motverka.audit.selectors import audit_events_about
from motverka.cases.services import journal_entry_add
from tests.factories import make_case
from tests.letters.helpers import finalised

pytestmark = pytest.mark.django_db


def test_a_day_of_work_leaves_an_intact_chain(client, world, tmp_path, capsys):
    cases = [make_case(world.worker_a) for _ in range(3)]
    client.force_login(world.worker_a)
    assert client.get(reverse("case_list")).status_code == 200
    assert client.get(reverse("case_detail", args=[cases[0].pk])).status_code == 200
    journal_entry_add(
        acting_user=world.worker_a,
        case=cases[0],
        entry_date=cases[0].received_on,
        text="Samtal.",
        sign=True,
    )
    letter = finalised(world.worker_a, cases[1], "landlord_letter")
    assert client.get(reverse("letter_pdf", args=[letter.pk])).status_code == 200
    client.force_login(world.worker_b)
    assert client.get(reverse("case_detail", args=[cases[0].pk])).status_code == 404
    client.force_login(world.manager)
    assert client.get(reverse("case_log", args=[cases[2].pk])).status_code == 200

    anchors = tmp_path / "ankare.jsonl"
    call_command("audit", "anchor", "--anchors", str(anchors))
    call_command("audit", "verify", "--anchors", str(anchors))  # raises unless intact
    assert "Loggens kedja är hel" in capsys.readouterr().out
    assert AuditEvent.objects.count() > 10


def test_who_saw_a_person_is_answered_from_list_rows_too(client, world):
    seen, other = make_case(world.worker_a), make_case(world.worker_b)
    client.force_login(world.worker_a)
    client.get(reverse("case_list"))
    about = audit_events_about(person_ids=[seen.person_id])
    assert about.filter(action="search", actor=world.worker_a).count() == 1
    assert not audit_events_about(person_ids=[other.person_id]).filter(actor=world.worker_a)
    assert audit_events_about(case_ids=[seen.pk]).filter(action="create").exists()
    assert not audit_events_about().exists()


def test_the_case_log_page_shows_list_views_of_the_case(client, world):
    case = make_case(world.worker_a)
    client.force_login(world.worker_a)
    client.get(reverse("case_list"))
    client.force_login(world.manager)
    page = client.get(reverse("case_log", args=[case.pk])).content.decode()
    assert "Sökträff" in page and "ärendelistan" in page
