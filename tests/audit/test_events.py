"""The events the log must hold besides reads and writes: refused access (UI and API),
PDF downloads and administration in the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motverka.audit.models import AuditEvent
from motverka.reference.models import LegalReference
from tests.factories import make_case
from tests.letters.helpers import finalised

pytestmark = pytest.mark.django_db


def test_another_units_case_is_a_404_and_one_denied_row_without_case_link(client, world):
    case = make_case(world.worker_a)
    client.force_login(world.worker_b)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 404
    row = AuditEvent.objects.get(action="denied")
    assert (row.actor, row.object_type, row.object_id) == (world.worker_b, "case", str(case.pk))
    assert row.detail == "404 case_detail" and row.case_id is None and row.channel == "ui"


def test_a_role_refusal_is_a_403_and_one_denied_row(client, world):
    case = make_case(world.worker_a)
    client.force_login(world.analyst)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 403
    row = AuditEvent.objects.get(action="denied")
    assert (row.actor, row.object_id, row.detail) == (
        world.analyst,
        str(case.pk),
        "403 case_detail",
    )


def test_an_identity_number_in_a_refused_url_is_never_logged(client, world):
    client.force_login(world.worker_b)
    number = "199001010017"
    response = client.get(f"/arenden/{number}/")
    assert response.status_code == 404
    for row in AuditEvent.objects.filter(action="denied"):
        assert number not in row.object_id + row.detail
        assert row.object_type == "path"


def test_the_api_logs_refusals_too(world, api_as):
    case = make_case(world.worker_a)
    assert api_as(world.worker_b).get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert api_as(world.analyst).get(f"/api/v1/cases/{case.pk}").status_code == 403
    rows = AuditEvent.objects.filter(action="denied", channel="api").order_by("sequence")
    assert [(row.actor, row.object_type, row.detail[:3]) for row in rows] == [
        (world.worker_b, "case", "404"),
        (world.analyst, "case", "403"),
    ]


def test_every_pdf_download_is_logged(client, world):
    case = make_case(world.worker_a)
    letter = finalised(world.worker_a, case, "landlord_letter")
    client.force_login(world.worker_a)
    for _ in range(2):
        assert client.get(reverse("letter_pdf", args=[letter.pk])).status_code == 200
    downloads = AuditEvent.objects.filter(action="download", object_id=str(letter.pk))
    assert downloads.count() == 2 and downloads.first().case_id == case.pk


def test_editing_a_legal_reference_in_the_admin_is_logged_in_swedish(client, world):
    reference = LegalReference.objects.first()
    client.force_login(world.admin)
    url = reverse("admin:reference_legalreference_change", args=[reference.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["text"] = "Ny lydelse."
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    row = AuditEvent.objects.get(action="admin_change")
    assert row.actor == world.admin and row.object_type == "reference.legalreference"
    assert row.object_id == str(reference.pk)
    assert "ändrad" in row.detail and "fält:" in row.detail


def test_adding_a_unit_in_the_admin_is_logged(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("admin:accounts_unit_add"), {"name": "Enhet C", "email": ""})
    assert response.status_code == 302
    row = AuditEvent.objects.get(action="admin_change")
    assert row.object_type == "accounts.unit" and row.detail.endswith("tillagd: Enhet C")
