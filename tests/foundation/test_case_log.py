"""Unit managers review who has read a case; the review itself is logged."""

from django.urls import reverse

from motverka.audit.models import AuditEvent
from tests.factories import make_case


def test_the_manager_sees_who_read_the_case_and_from_where(client, world):
    case = make_case(world.worker_a)
    client.force_login(world.worker_a)
    client.get(reverse("case_detail", args=[case.pk]), REMOTE_ADDR="10.9.8.7")
    client.force_login(world.manager)
    page = client.get(reverse("case_log", args=[case.pk])).content.decode()
    assert world.worker_a.display_name() in page
    assert "10.9.8.7" in page and "Läsning" in page and "Skapad" in page
    assert AuditEvent.objects.filter(
        actor=world.manager, object_type="audit_log", case_id=case.pk
    ).exists()


def test_case_workers_and_other_units_cannot_read_the_log(client, world):
    case = make_case(world.worker_a)
    client.force_login(world.worker_a)
    assert client.get(reverse("case_log", args=[case.pk])).status_code == 403
    assert not AuditEvent.objects.filter(actor=world.worker_a, action="read").exists()
    client.force_login(world.worker_b)
    assert client.get(reverse("case_log", args=[case.pk])).status_code == 404
