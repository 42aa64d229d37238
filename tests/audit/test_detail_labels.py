"""The access log shows Swedish labels, never the codes stored in the audit rows."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from motverka.audit.labels import detail_label
from motverka.workflow.services import consent_record
from tests.factories import make_case


def test_codes_in_details_become_labels_and_other_words_stay():
    assert detail_label("skickad 2026-11-30 secure_digital") == (
        "skickad 2026-11-30 säker digital kommunikation"
    )
    assert detail_label("contact_sending_municipality: given").endswith(": Lämnat")
    assert "assess_confirm" not in detail_label("steg: assess_confirm")
    assert detail_label("utkast ändrat") == "utkast ändrat"
    assert "monthly_rent" not in detail_label("ändrat: monthly_rent, rooms")


def test_the_case_log_shows_no_codes(client, world):
    case = make_case(world.worker_a)
    consent_record(
        acting_user=world.worker_a,
        case=case,
        scope="contact_sending_municipality",
        status="given",
        decided_on=timezone.localdate(),
        form="written",
    )
    client.force_login(world.manager)
    html = client.get(reverse("case_log", kwargs={"case_id": case.pk})).content.decode()
    body = html.split("<tbody>", 1)[1]
    for code in ("contact_sending_municipality", ">case<", ">ui<", "case_worker"):
        assert code not in body, code
    assert "webbgränssnittet" in body
