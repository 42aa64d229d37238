"""Log review (loggranskning) and the person's log extract, through services and pages."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from motverka.accounts.models import Role
from motverka.audit.models import AuditEvent
from motverka.cases.access import case_get_for_user
from motverka.cases.errors import AccessDenied, NotFound
from motverka.review import services
from motverka.review.models import LogReview, ReviewReminder
from tests.factories import make_case, make_user
from tests.letters.helpers import pdf_xmp


def today():
    return timezone.localdate()


def run(world, **overrides):
    values = dict(
        acting_user=world.manager,
        unit_id=world.unit_a.pk,
        since=today() - timedelta(days=7),
        until=today(),
        seed=1,
    )
    values.update(overrides)
    return services.log_review_run(**values)


def test_reads_of_a_protected_person_by_someone_not_assigned_are_found(world):
    case = make_case(world.worker_a, protected_identity=True)
    colleague = make_user(Role.CASE_WORKER, [world.unit_a], username="colleague")
    case_get_for_user(user=colleague, case_id=case.pk)
    result = run(world)
    protected = result.findings["protected"]
    unassigned = result.findings["unassigned"]
    assert any(fact.actor_id == colleague.pk for fact in protected)
    assert [fact.actor_id for fact in unassigned if fact.action == "read"] == [colleague.pk]


def test_another_units_reads_are_not_in_this_units_review(world):
    make_case(world.worker_b)
    result = run(world)
    assert result.facts_total == 0


def test_only_unit_managers_of_the_unit_may_review(world):
    with pytest.raises(AccessDenied):
        run(world, acting_user=world.worker_a)
    with pytest.raises(AccessDenied):
        run(world, acting_user=world.admin)
    with pytest.raises(NotFound):
        run(world, unit_id=world.unit_b.pk)


def test_a_period_ending_before_it_starts_or_in_the_future_is_refused(world):
    with pytest.raises(ValidationError):
        run(world, since=today(), until=today() - timedelta(days=1))
    with pytest.raises(ValidationError):
        run(world, until=today() + timedelta(days=1))


def test_recording_a_review_stores_what_the_log_says_and_is_logged(world):
    case = make_case(world.worker_a, protected_identity=True)
    case_get_for_user(user=world.worker_a, case_id=case.pk)
    review = services.log_review_record(
        acting_user=world.manager,
        unit_id=world.unit_a.pk,
        since=today() - timedelta(days=7),
        until=today(),
        sample_seed=42,
        findings="Inga avvikelser; läsningarna av skyddad person gjordes av handläggaren.",
    )
    assert review.check_counts["protected"] >= 1
    assert review.flagged_event_ids
    assert review.reviewer == world.manager and review.signed_at
    again = services.log_review_run(
        acting_user=world.manager,
        unit_id=world.unit_a.pk,
        since=review.period_start,
        until=review.period_end,
        seed=42,
    )
    assert review.sample_event_ids == [fact.event_id for fact in again.sample]
    assert AuditEvent.objects.filter(
        actor=world.manager, action="review", object_type="log_review", object_id=str(review.pk)
    ).exists()


def test_a_review_needs_findings(world):
    with pytest.raises(ValidationError):
        services.log_review_record(
            acting_user=world.manager,
            unit_id=world.unit_a.pk,
            since=today() - timedelta(days=7),
            until=today(),
            sample_seed=1,
            findings="   ",
        )
    assert not LogReview.objects.exists()


def test_the_review_page_shows_checks_and_filters_and_logs_itself(client, world):
    case = make_case(world.worker_a)
    client.force_login(world.worker_a)
    client.get(reverse("case_detail", args=[case.pk]))
    client.force_login(world.manager)
    response = client.get(
        reverse("log_review"),
        {
            "unit": world.unit_a.pk,
            "since": (today() - timedelta(days=3)).isoformat(),
            "until": today().isoformat(),
            "actor": world.worker_a.pk,
            "case_reference": case.reference,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Läsningar av ärenden där läsaren inte är handläggare" in page
    assert world.worker_a.display_name() in page and "webbgränssnittet" in page
    assert AuditEvent.objects.filter(actor=world.manager, object_type="audit_log").exists()


def test_the_review_page_refuses_other_roles(client, world):
    for user in (world.worker_a, world.analyst, world.admin):
        client.force_login(user)
        assert client.get(reverse("log_review")).status_code == 403
        assert client.post(reverse("log_review"), {}).status_code == 403


def test_a_bad_period_on_the_page_is_a_swedish_error_not_a_500(client, world):
    client.force_login(world.manager)
    response = client.get(reverse("log_review"), {"since": "2026-13-45", "until": "x"})
    assert response.status_code == 400
    assert "Fyll i ett giltigt datum." in response.content.decode()


def test_signing_through_the_page(client, world):
    client.force_login(world.manager)
    response = client.post(
        reverse("log_review"),
        {
            "unit": world.unit_a.pk,
            "since": (today() - timedelta(days=3)).isoformat(),
            "until": today().isoformat(),
            "sample_seed": 7,
            "findings": "Stickprov kontrollerat, inga avvikelser.",
        },
    )
    assert response.status_code == 302
    listing = client.get(reverse("log_review_list")).content.decode()
    assert "Stickprov kontrollerat, inga avvikelser." in listing


def test_a_manager_cannot_record_a_review_for_a_unit_not_theirs(client, world):
    client.force_login(world.manager)
    response = client.post(
        reverse("log_review"),
        {
            "unit": world.unit_b.pk,
            "since": today().isoformat(),
            "until": today().isoformat(),
            "sample_seed": 7,
            "findings": "x",
        },
    )
    assert response.status_code == 404
    assert not LogReview.objects.exists()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_log_extract_lists_who_read_the_person_as_a_pdf_a(world):
    case = make_case(world.worker_a, first_name="Extrakta", last_name="Provsson")
    case_get_for_user(user=world.worker_a, case_id=case.pk)
    extract = services.person_log_extract(
        acting_user=world.manager, case_id=case.pk, since=today() - timedelta(days=1), until=today()
    )
    text = pdf_text(extract.pdf)
    assert "Utdrag ur loggen" in text
    assert "Extrakta Provsson" in text
    assert world.worker_a.display_name() in text
    assert world.unit_a.name in text
    assert extract.pdf.startswith(b"%PDF") and 'pdfaid:part="2"' in pdf_xmp(extract.pdf)
    assert (
        "/" not in extract.filename and case.person.personal_identity_number not in extract.filename
    )
    assert AuditEvent.objects.filter(
        actor=world.manager, action="export", object_type="log_extract", case_id=case.pk
    ).exists()


def test_the_log_extract_leaves_out_other_persons(world):
    case = make_case(world.worker_a)
    other = make_case(world.worker_a, first_name="Annan", last_name="Exempelsson")
    case_get_for_user(user=world.worker_a, case_id=other.pk)
    extract = services.person_log_extract(
        acting_user=world.manager, case_id=case.pk, since=today(), until=today()
    )
    assert "Annan Exempelsson" not in pdf_text(extract.pdf)


def test_the_log_extract_is_for_managers_of_the_unit_only(client, world):
    case = make_case(world.worker_a)
    client.force_login(world.worker_a)
    assert client.get(reverse("log_extract", args=[case.pk])).status_code == 403
    client.force_login(world.worker_b)
    assert client.get(reverse("log_extract", args=[case.pk])).status_code == 404
    other_manager = make_user(Role.UNIT_MANAGER, [world.unit_b])
    client.force_login(other_manager)
    assert client.get(reverse("log_extract", args=[case.pk])).status_code == 404
    client.force_login(world.manager)
    assert client.get(reverse("log_extract", args=[case.pk])).status_code == 200
    response = client.post(
        reverse("log_extract", args=[case.pk]),
        {"since": today().isoformat(), "until": today().isoformat()},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]


def test_the_monthly_reminder_goes_once_per_unit_and_month(
    world, django_capture_on_commit_callbacks
):
    world.manager.email = "chef@example.test"
    world.manager.save()
    first_of_month = today().replace(day=1)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.review_reminders_send(today=first_of_month)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.review_reminders_send(today=first_of_month)
    assert sent == 1 and again == 0
    assert len(mail.outbox) == 1 and "loggranskning" in mail.outbox[0].subject.lower()
    assert ReviewReminder.objects.count() == 1


def test_no_reminder_when_last_month_was_reviewed(world):
    world.manager.email = "chef@example.test"
    world.manager.save()
    first_of_month = today().replace(day=1)
    last_day = first_of_month - timedelta(days=1)
    services.log_review_record(
        acting_user=world.manager,
        unit_id=world.unit_a.pk,
        since=last_day.replace(day=1),
        until=last_day,
        sample_seed=1,
        findings="Granskad.",
    )
    assert services.review_reminders_send(today=first_of_month) == 0
    assert mail.outbox == []
