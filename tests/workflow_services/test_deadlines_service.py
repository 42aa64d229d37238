"""Deadlines: moving a start date, recomputing after a rules change, the reminder sweep."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from motverka.accounts.models import Role
from motverka.cases.errors import AccessDenied
from motverka.workflow.calendar import add_working_days, next_working_day
from motverka.workflow.deadlines import DeadlineKind, rules_from_config
from motverka.workflow.models import Deadline, ReminderLevel
from motverka.workflow.policy import Action
from motverka.workflow.reminders import reminders_deliver
from motverka.workflow.services import (
    deadline_source_set,
    deadlines_recompute,
    deadlines_sweep,
)
from tests.factories import make_unit, make_user
from tests.workflow_services.helpers import confirmed, new_case, step

pytestmark = pytest.mark.django_db


def test_rent_end_follow_up_is_set_moved_and_cancelled(world):
    case = new_case(world.worker_a)
    monday = date(2026, 3, 2)
    saturday = date(2026, 3, 7)
    deadline = deadline_source_set(
        acting_user=world.worker_a,
        case=case,
        kind=DeadlineKind.RENT_END_FOLLOW_UP,
        source_date=saturday,
    )
    assert deadline.due_on == date(2026, 3, 9)  # moved past the weekend
    Deadline.objects.filter(pk=deadline.pk).update(reminded_state=ReminderLevel.DUE)

    earlier = deadline_source_set(
        acting_user=world.worker_a,
        case=case,
        kind=DeadlineKind.RENT_END_FOLLOW_UP,
        source_date=monday,
    )
    assert earlier.pk == deadline.pk
    assert earlier.due_on == monday
    assert earlier.reminded_state == ReminderLevel.DUE  # an earlier date keeps its reminders

    later = deadline_source_set(
        acting_user=world.worker_a,
        case=case,
        kind="rent_end_follow_up",
        source_date=date(2026, 5, 1),  # första maj
    )
    assert later.due_on == date(2026, 5, 4)
    assert later.reminded_state == ReminderLevel.NONE  # a later date is a new period
    assert Deadline.objects.filter(case=case, kind="rent_end_follow_up").count() == 1

    assert (
        deadline_source_set(
            acting_user=world.worker_a,
            case=case,
            kind=DeadlineKind.RENT_END_FOLLOW_UP,
            source_date=None,
        )
        is None
    )
    assert not Deadline.objects.filter(case=case, kind="rent_end_follow_up").exists()


def test_only_unit_members_may_set_deadlines(world):
    case = new_case(world.worker_a)
    with pytest.raises(AccessDenied):
        deadline_source_set(
            acting_user=world.worker_b,
            case=case,
            kind=DeadlineKind.RENT_END_FOLLOW_UP,
            source_date=date(2026, 3, 2),
        )


def test_recompute_follows_a_rules_change(world):
    case = confirmed(world.worker_a)
    contact = Deadline.objects.get(case=case, kind=DeadlineKind.CONTACT_SENDING_MUNICIPALITY)
    contact.reminded_state = ReminderLevel.DUE
    contact.save()
    moved = deadlines_recompute(
        rules=rules_from_config({"contact_sending_municipality": ("working_days", 5)})
    )
    assert moved == 1
    contact.refresh_from_db()
    assert contact.due_on == add_working_days(contact.source_date, 5)
    assert contact.reminded_state == ReminderLevel.NONE
    assert (
        deadlines_recompute(
            rules=rules_from_config({"contact_sending_municipality": ("working_days", 5)})
        )
        == 0
    )


def sweep(**kwargs):
    """The sweep, then the delivery a worker would run after it."""
    result = deadlines_sweep(**kwargs)
    reminders_deliver()
    return result


def _deadline(case, kind, due_on, **kwargs):
    # Replaces the one the registration started, so each test sets its own dates.
    Deadline.objects.filter(case=case, kind=kind).delete()
    return Deadline.objects.create(
        case=case, kind=kind, source_date=due_on - timedelta(days=10), due_on=due_on, **kwargs
    )


@pytest.fixture
def mailed_world(world):
    world.worker_a.email = "worker.a@munkedal.example"
    world.worker_a.save()
    return world


def test_sweep_sends_one_reminder_per_level_and_is_idempotent(mailed_world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = mailed_world
    today = date(2026, 6, 10)
    case = new_case(world.worker_a, first_name="Zlatan", last_name="Hemligsson")
    due_soon = _deadline(case, DeadlineKind.OFFICIAL_LETTER, today + timedelta(days=2))
    overdue = _deadline(case, DeadlineKind.CONTACT_SENDING_MUNICIPALITY, today - timedelta(days=1))
    _deadline(case, DeadlineKind.TRANSFER_ANSWER, today + timedelta(days=3))  # not yet due
    _deadline(case, DeadlineKind.RENT_END_FOLLOW_UP, today - timedelta(days=5), met_on=today)

    result = sweep(today=today, lead_days=2)
    assert (result.due_reminders, result.overdue_reminders) == (1, 1)
    assert result.skipped_without_recipient == 0
    assert len(mail.outbox) == 2
    assert {message.to[0] for message in mail.outbox} == {"worker.a@munkedal.example"}
    due_soon.refresh_from_db()
    overdue.refresh_from_db()
    assert due_soon.reminded_state == ReminderLevel.DUE
    assert overdue.reminded_state == ReminderLevel.OVERDUE

    again = sweep(today=today, lead_days=2)
    assert again.sent == 0
    assert len(mail.outbox) == 2

    # A week later the "due" deadline has passed and gets exactly one overdue reminder; the
    # transfer answer, never reminded while due, goes straight to a single overdue reminder.
    later = today + timedelta(days=7)
    result = sweep(today=later, lead_days=2)
    assert (result.due_reminders, result.overdue_reminders) == (0, 2)
    assert sweep(today=later, lead_days=2).sent == 0
    due_soon.refresh_from_db()
    assert due_soon.reminded_state == ReminderLevel.OVERDUE
    assert len(mail.outbox) == 4


def test_reminders_carry_no_names_or_identity_numbers(mailed_world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = mailed_world
    today = date(2026, 6, 10)
    case = new_case(world.worker_a, first_name="Zlatan", last_name="Hemligsson")
    _deadline(case, DeadlineKind.TRANSFER_ANSWER, today - timedelta(days=1))
    sweep(today=today, lead_days=2)
    (message,) = mail.outbox
    text = message.subject + "\n" + message.body
    person = case.person
    assert case.reference in text
    assert "Svar på begäran om överflyttning" in text
    assert (today - timedelta(days=1)).isoformat() in text
    assert f"/arenden/{case.pk}/" in text
    for secret in ("Zlatan", "Hemligsson", "Bror", person.personal_identity_number):
        assert secret and secret not in text
    digits = person.personal_identity_number.replace("-", "")
    assert digits[2:8] not in text.replace("-", "")  # not even the birth date part


def test_reminders_fall_back_to_the_unit_mailbox_and_count_what_cannot_be_sent(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    today = date(2026, 6, 10)
    mailbox_unit = make_unit("Enhet med brevlåda")
    mailbox_unit.email = "enheten@munkedal.example"
    mailbox_unit.save()
    worker = make_user(Role.CASE_WORKER, [mailbox_unit])  # no e-mail of their own
    with_unit_mail = new_case(worker)
    without_any = new_case(world.worker_a)  # worker_a and unit A have no e-mail
    _deadline(with_unit_mail, DeadlineKind.OFFICIAL_LETTER, today)
    lost = _deadline(without_any, DeadlineKind.OFFICIAL_LETTER, today)
    result = sweep(today=today, lead_days=0)
    assert result.sent == 1
    assert result.skipped_without_recipient == 1
    assert mail.outbox[0].to == ["enheten@munkedal.example"]
    lost.refresh_from_db()
    assert lost.reminded_state == ReminderLevel.NONE  # tried again once an address exists


def test_met_deadlines_get_no_reminder(mailed_world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = mailed_world
    case = confirmed(world.worker_a)
    step(case, world.worker_a, Action.RECORD_OBJECTION)
    far = next_working_day(case.received_on + timedelta(days=60))
    result = sweep(today=far, lead_days=2)
    assert result.sent == 1  # only the official letter is still open
    assert "Officiell skrivelse" in mail.outbox[0].body


def test_management_command_runs_the_sweep(mailed_world, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    case = new_case(mailed_world.worker_a)
    _deadline(case, DeadlineKind.OFFICIAL_LETTER, date(2026, 6, 1))
    call_command("deadlines", "--today", "2026-06-10", "--deliver")
    out = capsys.readouterr().out
    assert "1 försenade" in out
    assert len(mail.outbox) == 1
    call_command("deadlines", "--today", "2026-06-10", "--deliver")
    assert len(mail.outbox) == 1
    assert "0 försenade" in capsys.readouterr().out
