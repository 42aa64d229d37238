"""The daily reminder sweep over 100,000 open deadlines.

Data is bulk-created straight into the tables (it is measurement scaffolding, not domain
code): 20,000 cases with five open deadlines each, due dates spread over four months around
"today", a third of the cases without any e-mail address. The sweep is timed three ways:
with the dummy backend (classification, message building and bookkeeping only), with the
locmem backend (every message is also rendered to MIME), and a second, idempotent run.
Each timing covers the sweep (outbox rows, marks, queued task) and the delivery after it.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from django.core import mail
from django.test.utils import override_settings

CASES = 20_000
TODAY = date(2026, 6, 10)
LEAD_DAYS = 2


def _populate() -> int:
    from motverka.accounts.models import Role, Unit, User
    from motverka.cases.models import Case
    from motverka.people.models import Person
    from motverka.reference.models import Municipality
    from motverka.workflow.deadlines import DeadlineKind
    from motverka.workflow.models import Deadline

    unit = Unit.objects.create(name="Bench-enheten", email="enheten@bench.example")
    silent_unit = Unit.objects.create(name="Bench utan brevlåda")
    worker = User.objects.create(
        username="bench", role=Role.CASE_WORKER, email="handlaggare@bench.example"
    )
    receiving = Municipality.objects.get(code="1430")
    sending = Municipality.objects.get(code="0180")
    Person.objects.bulk_create(
        [
            Person(
                unit=unit,
                reserve_identity=f"BENCH-{index}",
                first_name="Bench",
                last_name=str(index),
            )
            for index in range(CASES)
        ],
        batch_size=2_000,
    )
    people = list(Person.objects.filter(first_name="Bench").values_list("id", flat=True))
    Case.objects.bulk_create(
        [
            Case(
                reference=f"SN 2026/{index:06d}",
                person_id=person_id,
                unit=silent_unit if index % 3 == 2 else unit,
                assigned_to=worker if index % 3 == 0 else None,
                sending_municipality=sending,
                receiving_municipality=receiving,
                received_on=TODAY - timedelta(days=90),
                created_by=worker,
            )
            for index, person_id in enumerate(people)
        ],
        batch_size=2_000,
    )
    case_ids = list(Case.objects.values_list("id", flat=True))
    kinds = list(DeadlineKind)
    deadlines = [
        Deadline(
            case_id=case_id,
            kind=kind,
            source_date=TODAY - timedelta(days=60),
            due_on=TODAY + timedelta(days=(case_id * 7 + offset * 13) % 120 - 60),
        )
        for case_id in case_ids
        for offset, kind in enumerate(kinds)
    ]
    Deadline.objects.bulk_create(deadlines, batch_size=5_000)
    return Deadline.objects.filter(met_on__isnull=True).count()


def _timed_sweep() -> tuple[float, object]:
    from motverka.workflow.reminders import reminders_deliver
    from motverka.workflow.services import deadlines_sweep

    started = time.perf_counter()
    result = deadlines_sweep(today=TODAY, lead_days=LEAD_DAYS)
    reminders_deliver(batch_size=1_000)
    return time.perf_counter() - started, result


def run() -> list[str]:
    from django.urls import reverse

    from motverka.workflow.models import Deadline, Reminder

    started = time.perf_counter()
    total = _populate()
    # Load the URLconf before timing: a one-off import cost of the process, not of the sweep.
    reverse("start")
    lines = [f"setup {total} open deadlines: {time.perf_counter() - started:.2f} s"]

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        seconds, result = _timed_sweep()
    lines.append(
        f"sweep {total} open deadlines, dummy backend (classification + bookkeeping): "
        f"{seconds:.2f} s, {result.sent} reminders "
        f"({result.due_reminders} due, {result.overdue_reminders} overdue, "
        f"{result.skipped_without_recipient} without recipient)"
    )
    Deadline.objects.update(reminded_state="")
    Reminder.objects.all().delete()

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        mail.outbox = []
        seconds, result = _timed_sweep()
        sent = len(mail.outbox)
        lines.append(
            f"sweep {total} open deadlines, locmem backend (e-mails rendered): "
            f"{seconds:.2f} s, {result.sent} reminders, {sent} in outbox"
        )
        mail.outbox = []
        seconds, again = _timed_sweep()
        lines.append(
            f"second sweep (idempotent): {seconds:.2f} s, {again.sent} reminders, "
            f"{len(mail.outbox)} in outbox"
        )
    return lines
