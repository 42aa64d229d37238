"""Reminders go out exactly once: two sweeps at once, two deliveries at once, a failing mail
server (retried with backoff, then sent once), a sweep killed mid-way and run again."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from motverka.workflow.deadlines import DeadlineKind
from motverka.workflow.models import Deadline, Reminder, ReminderLevel
from motverka.workflow.reminders import deadlines_sweep, reminder_backoff, reminders_deliver
from tests.processes import MOTVERKA, subprocess_env
from tests.reminders.helpers import TODAY, open_deadlines
from tests.reminders.mail_backends import FlakyServer

#: ``open_deadlines(1)`` gives one case an overdue deadline of every kind.
PER_CASE = len(DeadlineKind)

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def _in_threads(count: int, work) -> list:
    start = threading.Barrier(count)
    results: list = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            results.append(work())
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def _message_ids() -> Counter:
    return Counter(message.extra_headers["Message-ID"] for message in mail.outbox)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_and_two_concurrent_deliveries_send_each_reminder_once(settings):
    settings.EMAIL_BACKEND = LOCMEM
    deadline_ids = open_deadlines(12)  # 60 overdue deadlines

    sweeps = _in_threads(2, lambda: deadlines_sweep(today=TODAY, lead_days=2, batch_size=7))
    assert sum(result.sent for result in sweeps) == len(deadline_ids)
    assert Reminder.objects.count() == len(deadline_ids)
    assert set(Reminder.objects.values_list("deadline_id", flat=True)) == set(deadline_ids)
    assert not Deadline.objects.exclude(reminded_state=ReminderLevel.OVERDUE).exists()

    deliveries = _in_threads(2, lambda: reminders_deliver(batch_size=5))
    assert sum(result.sent for result in deliveries) == len(deadline_ids)
    ids = _message_ids()
    assert len(mail.outbox) == len(deadline_ids)
    assert max(ids.values()) == 1
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()

    # Later runs of both find nothing to do.
    assert deadlines_sweep(today=TODAY, lead_days=2).sent == 0
    assert reminders_deliver().sent == 0
    assert len(mail.outbox) == len(deadline_ids)


@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_is_retried_with_backoff_and_the_reminder_sent_once(settings):
    settings.EMAIL_BACKEND = "tests.reminders.mail_backends.FlakyBackend"
    settings.MOTVERKA_REMINDER_RETRY_SECONDS = 1
    FlakyServer.reset(failures=2)
    open_deadlines(1)  # five deadlines: five reminders, all sent over one connection
    deadlines_sweep(today=TODAY, lead_days=2)
    (first_task,) = DBTaskResult.objects.all()

    def run_worker() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    run_worker()
    assert mail.outbox == []
    failed = Reminder.objects.get(attempts=1, last_error__startswith="SMTPServerDisconnected")
    assert failed.sent_at is None
    assert failed.next_attempt_at - FlakyServer.attempts[0] >= reminder_backoff(1)
    retry = DBTaskResult.objects.exclude(pk=first_task.pk).get()
    assert retry.run_after == failed.next_attempt_at

    run_worker()  # before the backoff has passed: the retry task is not ready, nothing sent
    assert len(FlakyServer.attempts) == 1
    assert mail.outbox == []

    give_up_at = time.monotonic() + 15
    while len(mail.outbox) < PER_CASE and time.monotonic() < give_up_at:
        time.sleep(0.2)
        run_worker()
    assert len(mail.outbox) == PER_CASE
    assert max(_message_ids().values()) == 1
    failed.refresh_from_db()
    assert failed.attempts == 3 and failed.sent_at is not None
    # The second failure waited twice as long as the first.
    first, second, third = FlakyServer.attempts[:3]
    assert second - first >= reminder_backoff(1)
    assert third - second >= reminder_backoff(2)

    run_worker()
    reminders_deliver()
    assert len(mail.outbox) == PER_CASE


@pytest.mark.django_db
def test_a_reminder_that_keeps_failing_is_given_up_and_not_retried(settings):
    settings.EMAIL_BACKEND = "tests.reminders.mail_backends.FlakyBackend"
    settings.MOTVERKA_REMINDER_MAX_ATTEMPTS = 1
    FlakyServer.reset(failures=100)
    open_deadlines(1)
    deadlines_sweep(today=TODAY, lead_days=2)
    result = reminders_deliver()
    assert (result.sent, result.failed, result.gave_up) == (0, 1, 1)
    reminder = Reminder.objects.get(gave_up_at__isnull=False)
    assert "SMTPServerDisconnected" in reminder.last_error
    # The others were not tried (the server had just failed): no attempt counted.
    assert set(Reminder.objects.exclude(pk=reminder.pk).values_list("attempts", flat=True)) == {0}
    Reminder.objects.update(next_attempt_at=timezone.now() - timedelta(days=1))
    FlakyServer.reset(failures=0)
    reminders_deliver()
    # The ones never tried; the given-up one stays given up.
    assert len(mail.outbox) == PER_CASE - 1
    assert not Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=False).exists()


@pytest.mark.django_db
def test_a_worker_claim_keeps_other_workers_off_until_it_expires(settings):
    settings.EMAIL_BACKEND = LOCMEM
    open_deadlines(1)
    deadlines_sweep(today=TODAY, lead_days=2)
    # A worker claimed everything and died before sending.
    Reminder.objects.update(claimed_until=timezone.now() + timedelta(minutes=5), attempts=1)
    assert reminders_deliver().sent == 0
    Reminder.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert reminders_deliver().sent == PER_CASE
    assert max(_message_ids().values()) == 1


@pytest.mark.django_db(transaction=True)
def test_a_sweep_killed_mid_way_is_resumed_without_duplicates(settings):
    settings.EMAIL_BACKEND = LOCMEM
    deadline_ids = open_deadlines(80)  # one deadline per kind and case, one transaction each
    sweep = subprocess.Popen(  # noqa: S603 - our own program
        [MOTVERKA, "deadlines", "--today", TODAY.isoformat(), "--batch-size", "1"],
        env=subprocess_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        give_up_at = time.monotonic() + 30
        while Reminder.objects.count() < 5 and time.monotonic() < give_up_at:
            assert sweep.poll() is None, sweep.stderr.read().decode() if sweep.stderr else ""
            time.sleep(0.005)
        sweep.send_signal(signal.SIGKILL)
        sweep.wait(timeout=10)
    finally:
        if sweep.poll() is None:
            sweep.kill()
        sweep.stderr.close()
    assert sweep.returncode == -signal.SIGKILL
    written_before = Reminder.objects.count()
    assert 5 <= written_before < len(deadline_ids), "the sweep was not cut off mid-way"
    # Every committed batch is whole: its deadline marked, its reminder written.
    assert Deadline.objects.exclude(reminded_state="").count() == written_before

    resumed = deadlines_sweep(today=TODAY, lead_days=2)
    assert resumed.sent == len(deadline_ids) - written_before
    assert Reminder.objects.count() == len(deadline_ids)
    assert reminders_deliver().sent == len(deadline_ids)
    assert len(mail.outbox) == len(deadline_ids)
    assert max(_message_ids().values()) == 1
    print(  # noqa: T201 - the figures of the fault test
        f"sweep killed after {written_before} of {len(deadline_ids)} reminders; "
        f"resumed {resumed.sent}; delivered {len(mail.outbox)}, duplicates 0"
    )
