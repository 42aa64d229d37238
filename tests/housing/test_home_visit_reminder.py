"""A planned home visit has a time and is a deadline: on *Mina bevakningar*, reminded once
through the outbox, moved, met or withdrawn with the visit."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from motverka.housing.services import (
    HomeVisitReport,
    home_visit_cancel,
    home_visit_plan,
    home_visit_record,
)
from motverka.workflow.deadlines import DeadlineKind, rules_from_config
from motverka.workflow.models import Deadline, Reminder
from motverka.workflow.reminders import deadlines_sweep, reminders_deliver
from motverka.workflow.services import deadlines_recompute
from tests.housing.helpers import confirmed, home_visit_consent, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit_case(world):
    world.worker_a.email = "worker.a@munkedal.example"
    world.worker_a.save()
    case = confirmed(world.worker_a)
    home_visit_consent(case, world.worker_a)
    return case


def _open_visit_deadline(case):
    return Deadline.objects.filter(case=case, kind=DeadlineKind.HOME_VISIT, met_on__isnull=True)


def test_the_plan_form_takes_a_time_and_the_visit_is_on_my_deadlines(client, world, visit_case):
    client.force_login(world.worker_a)
    day = today() + timedelta(days=7)
    url = reverse("home_visit_plan", args=[visit_case.pk])
    refused = client.post(url, {"planned_on": day.isoformat(), "planned_time": "25:00"})
    assert refused.status_code == 400
    assert "Ange en tid (TT:MM)." in refused.content.decode()
    response = client.post(url, {"planned_on": day.isoformat(), "planned_time": "10:30"})
    assert response.status_code == 302
    deadline = _open_visit_deadline(visit_case).get()
    assert deadline.due_on == day
    html = client.get(reverse("my_deadlines"), {"typ": "home_visit"}).content.decode()
    assert visit_case.reference in html and "Planerat hembesök" in html
    page = client.get(reverse("case_housing", args=[visit_case.pk])).content.decode()
    assert f"{day:%Y-%m-%d} 10:30" in page


def test_the_reminder_goes_once_with_the_time(world, visit_case, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    day = today() + timedelta(days=2)
    home_visit_plan(
        acting_user=world.worker_a, case=visit_case, planned_on=day, planned_time=time(9, 15)
    )
    for _ in range(2):
        deadlines_sweep(today=today(), lead_days=2)
        reminders_deliver()
    # The confirmed case's own deadlines are reminded of too; the visit once.
    visits = [message for message in mail.outbox if "hembesök" in message.subject]
    assert len(visits) == 1
    message = visits[0]
    assert message.subject == f"Planerat hembesök i ärende {visit_case.reference}"
    assert "Tid: 09:15" in message.body
    assert visit_case.person.last_name not in message.body
    assert Reminder.objects.filter(deadline__kind=DeadlineKind.HOME_VISIT).count() == 1


def test_the_deadline_follows_the_earliest_visit_and_is_met_when_none_is_left(world, visit_case):
    first, later = today() + timedelta(days=3), today() + timedelta(days=9)
    late = home_visit_plan(acting_user=world.worker_a, case=visit_case, planned_on=later)
    early = home_visit_plan(acting_user=world.worker_a, case=visit_case, planned_on=first)
    assert _open_visit_deadline(visit_case).get().due_on == first
    home_visit_cancel(acting_user=world.worker_a, case=visit_case, visit_id=early.pk, reason="Sjuk")
    assert _open_visit_deadline(visit_case).get().due_on == later
    home_visit_record(
        acting_user=world.worker_a,
        case=visit_case,
        visit_id=late.pk,
        report=HomeVisitReport(
            performed_on=today(), assessment="suitable", participants="Handläggare", condition="Bra"
        ),
    )
    assert not _open_visit_deadline(visit_case).exists()
    met = Deadline.objects.get(case=visit_case, kind=DeadlineKind.HOME_VISIT)
    assert met.met_on == today()


def test_a_visit_date_is_never_moved_by_the_rules_and_cannot_be_configured(world, visit_case):
    saturday = today() + timedelta(days=(5 - today().weekday()) % 7 or 7)
    home_visit_plan(acting_user=world.worker_a, case=visit_case, planned_on=saturday)
    deadlines_recompute()
    assert _open_visit_deadline(visit_case).get().due_on == saturday
    with pytest.raises(ValueError, match="chosen date"):
        rules_from_config({"home_visit": ("days", 1)})
