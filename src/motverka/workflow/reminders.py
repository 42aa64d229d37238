"""Reminder e-mails about deadlines, exactly once: the sweep and the delivery.

The sweep (:func:`deadlines_sweep`, run daily by ``motverka deadlines``) finds the deadlines
that have become due or overdue and, per batch and in one transaction, locks them, writes
one :class:`~motverka.workflow.models.Reminder` row each (the outbox), marks the deadline as
reminded and queues the delivery task. Either all of that commits or none of it: a sweep
cut off mid-way leaves whole batches behind, and the next run takes the rest. Two sweeps at
once meet on the row locks (SQLite: on the write lock); the second finds nothing left.

Delivery (:func:`reminders_deliver`, the task :data:`reminders_deliver_task` run by a
``db_worker``) claims pending reminders in a short transaction, sends them after that
commit and marks each one sent right after the mail server accepted it. A failed attempt
is retried later with exponential backoff (a new task queued with ``run_after``). A
delivered reminder is never sent again, whatever number of workers run. The one window no
database can close is a worker that dies after the mail server accepted a message and
before the mark committed: the claim then expires and the reminder goes out once more, with
the same ``Message-ID`` so the recipient's mail system can recognise the copy.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from motverka.workflow.deadlines import DeadlineKind
from motverka.workflow.models import Deadline, Reminder, ReminderLevel

logger = logging.getLogger(__name__)

__all__ = [
    "DeliveryResult",
    "SweepResult",
    "deadlines_sweep",
    "reminder_backoff",
    "reminders_deliver",
    "reminders_deliver_task",
]


@dataclass(frozen=True)
class SweepResult:
    """What one run of the reminder sweep queued."""

    due_reminders: int = 0
    overdue_reminders: int = 0
    skipped_without_recipient: int = 0

    @property
    def sent(self) -> int:
        """Reminders queued for delivery by this run."""
        return self.due_reminders + self.overdue_reminders


@dataclass(frozen=True)
class DeliveryResult:
    """What one delivery run did."""

    sent: int = 0
    failed: int = 0
    gave_up: int = 0


class _ReminderWriter:
    """Builds reminder e-mails. The texts are translated once per run, not once per mail:
    the sweep may write tens of thousands of them."""

    def __init__(self) -> None:
        self.kind_labels: dict[str, str] = {kind.value: str(kind.label) for kind in DeadlineKind}
        self.subjects: dict[str, str] = {
            ReminderLevel.OVERDUE: _("Försenad bevakning i ärende %(reference)s"),
            ReminderLevel.DUE: _("Bevakning snart förfallen i ärende %(reference)s"),
        }
        self.headlines: dict[str, str] = {
            ReminderLevel.OVERDUE: _("Bevakningen är försenad."),
            ReminderLevel.DUE: _("Bevakningen förfaller snart."),
        }
        # A planned home visit is reminded of as what it is, with its time.
        self.home_visit_subject = _("Planerat hembesök i ärende %(reference)s")
        self.home_visit_headline = _("Ett hembesök är planerat.")
        self.time_line = _("Tid: %(time)s")
        self.case_line = _("Ärende: %(reference)s")
        self.kind_line = _("Bevakning: %(kind)s")
        self.due_line = _("Senast: %(due)s")
        self.path_line = _("Öppna ärendet: %(path)s")
        marker = 987654321
        self.path_template = getattr(settings, "MOTVERKA_BASE_URL", "").rstrip("/") + reverse(
            "case_detail", kwargs={"case_id": marker}
        ).replace(str(marker), "{case_id}")

    def texts(
        self,
        *,
        reference: str,
        kind: str,
        due_on: date,
        level: str,
        case_id: int,
        at: time | None = None,
    ):
        # Deliberately no name, identity number or address: the mail may leave the office
        # network, so it carries only what points the case worker to the case.
        home_visit = kind == DeadlineKind.HOME_VISIT and level == ReminderLevel.DUE
        lines = [
            self.home_visit_headline if home_visit else self.headlines[level],
            "",
            self.case_line % {"reference": reference},
            self.kind_line % {"kind": self.kind_labels[kind]},
            self.due_line % {"due": due_on.isoformat()},
        ]
        if at is not None:
            lines.append(self.time_line % {"time": f"{at:%H:%M}"})
        lines.append(self.path_line % {"path": self.path_template.format(case_id=case_id)})
        subject = self.home_visit_subject if home_visit else self.subjects[level]
        return subject % {"reference": reference}, "\n".join(lines)


def _batches(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _id_chunk() -> int:
    # Stay under the database's limit on query parameters (999 on old SQLite builds).
    limit = connection.features.max_query_params or 10_000
    return max(1, min(5_000, limit - 10))


def _pending_filter(today: date, horizon: date) -> Q:
    overdue_pending = Q(due_on__lt=today) & ~Q(reminded_state=ReminderLevel.OVERDUE)
    due_pending = Q(due_on__gte=today, due_on__lte=horizon, reminded_state=ReminderLevel.NONE)
    return Q(met_on__isnull=True, due_on__lte=horizon) & (overdue_pending | due_pending)


def deadlines_sweep(*, today: date, lead_days: int, batch_size: int = 2_000) -> SweepResult:
    """Queue one reminder per deadline that has become due or overdue, once per level.

    The classification happens in SQL: open deadlines with ``due_on <= today + lead_days``
    whose ``reminded_state`` has not yet reached their level (``due`` for ``today <= due_on``,
    ``overdue`` after it). Each reminder goes to the assigned case worker's e-mail, else the
    unit's; deadlines with neither are counted and left for a later run. A deadline that got
    its "due" reminder still gets one "overdue" reminder later.

    Each batch is one transaction: the deadlines are locked and classified again (another
    sweep may have taken them meanwhile), their reminders written, the deadlines marked and
    the delivery task queued. Reminders still pending from earlier runs (a failed mail
    server, a worker that died) get a delivery task too.
    """
    if lead_days < 0:
        raise ValueError(f"lead_days must be zero or positive, got {lead_days}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    started = timezone.now()
    horizon = today + timedelta(days=lead_days)
    pending = _pending_filter(today, horizon)
    candidate_ids = list(
        Deadline.objects.filter(pending).order_by("id").values_list("id", flat=True)
    )
    writer = _ReminderWriter()
    counts: dict[str, int] = {ReminderLevel.DUE: 0, ReminderLevel.OVERDUE: 0}
    skipped = 0
    for batch in _batches(candidate_ids, min(batch_size, _id_chunk())):
        queued, batch_skipped = _sweep_batch(ids=batch, pending=pending, today=today, writer=writer)
        skipped += batch_skipped
        for level, number in queued.items():
            counts[level] += number
    _queue_delivery_of_leftovers(written_before=started)
    return SweepResult(
        due_reminders=counts[ReminderLevel.DUE],
        overdue_reminders=counts[ReminderLevel.OVERDUE],
        skipped_without_recipient=skipped,
    )


@transaction.atomic
def _sweep_batch(
    *, ids: list[int], pending: Q, today: date, writer: _ReminderWriter
) -> tuple[dict[str, int], int]:
    # The lock waits for a concurrent sweep's batch to commit; PostgreSQL then checks the
    # filter again against the committed rows, so a deadline it marked drops out here.
    rows = list(
        Deadline.objects.select_for_update(of=("self",))
        .filter(pending, id__in=ids)
        .order_by("id")
        .values_list(
            "id",
            "kind",
            "due_on",
            "case_id",
            "case__reference",
            "case__assigned_to__email",
            "case__unit__email",
        )
    )
    now = timezone.now()
    reminders: list[Reminder] = []
    skipped = 0
    visit_times = _planned_visit_times(
        [case_id for _id, kind, _due, case_id, *_rest in rows if kind == DeadlineKind.HOME_VISIT]
    )
    for deadline_id, kind, due_on, case_id, reference, worker_email, unit_email in rows:
        recipient = worker_email or unit_email
        if not recipient:
            skipped += 1
            continue
        level = ReminderLevel.OVERDUE if due_on < today else ReminderLevel.DUE
        subject, body = writer.texts(
            reference=reference,
            kind=kind,
            due_on=due_on,
            level=level,
            case_id=case_id,
            at=visit_times.get((case_id, due_on)) if kind == DeadlineKind.HOME_VISIT else None,
        )
        reminders.append(
            Reminder(
                deadline_id=deadline_id,
                level=level,
                due_on=due_on,
                recipient=recipient,
                subject=subject,
                body=body,
                next_attempt_at=now,
            )
        )
    Reminder.objects.bulk_create(reminders, batch_size=max(1, _id_chunk() // 10))
    queued: dict[str, int] = {ReminderLevel.DUE: 0, ReminderLevel.OVERDUE: 0}
    for level in (ReminderLevel.DUE, ReminderLevel.OVERDUE):
        level_ids = [reminder.deadline_id for reminder in reminders if reminder.level == level]
        Deadline.objects.filter(id__in=level_ids).update(reminded_state=level, updated_at=now)
        queued[level] = len(level_ids)
    if reminders:
        # Inside the transaction: the task row commits with the reminders, or neither does.
        reminders_deliver_task.enqueue()
    return queued, skipped


def _planned_visit_times(case_ids: list[int]) -> dict[tuple[int, date], time]:
    """The time of each planned home visit of these cases, by case and date (the housing
    module owns the visits; a ``home_visit`` deadline falls on the earliest one's date)."""
    if not case_ids:
        return {}
    visits = apps.get_model("housing", "HomeVisit").objects.filter(
        case_id__in=case_ids, status="planned", planned_time__isnull=False
    )
    times: dict[tuple[int, date], time] = {}
    for case_id, planned_on, planned_time in visits.order_by("-planned_time").values_list(
        "case_id", "planned_on", "planned_time"
    ):
        times[(case_id, planned_on)] = planned_time  # the earliest time of the day wins
    return times


def _undelivered() -> Any:
    return Reminder.objects.filter(sent_at__isnull=True, gave_up_at__isnull=True)


def _queue_delivery_of_leftovers(*, written_before: datetime) -> None:
    """Queue a delivery for reminders an earlier run left pending (failed attempts whose
    backoff has passed, claims of a worker that died)."""
    now = timezone.now()
    if (
        _undelivered()
        .filter(created_at__lt=written_before)
        .filter(next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .exists()
    ):
        reminders_deliver_task.enqueue()


def reminder_backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt: the base delay doubled per
    attempt, at most a day."""
    base = settings.MOTVERKA_REMINDER_RETRY_SECONDS
    return timedelta(seconds=min(base * 2 ** max(0, attempts - 1), 86_400))


def _claim(*, now: datetime, limit: int) -> list[Reminder]:
    with transaction.atomic():
        ids = list(
            _undelivered()
            .filter(next_attempt_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return []
        claimed_until = now + timedelta(seconds=settings.MOTVERKA_REMINDER_CLAIM_SECONDS)
        Reminder.objects.filter(id__in=ids).update(
            claimed_until=claimed_until, attempts=F("attempts") + 1
        )
        return list(Reminder.objects.filter(id__in=ids).order_by("id"))


def _message(reminder: Reminder) -> EmailMessage:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "motverka.invalid"
    return EmailMessage(
        subject=reminder.subject,
        body=reminder.body,
        to=[reminder.recipient],
        # The same id on every attempt: a copy after a crash is recognisable as one.
        headers={"Message-ID": f"<reminder-{reminder.pk}@{domain}>"},
    )


def reminders_deliver(*, batch_size: int = 100) -> DeliveryResult:
    """Deliver every reminder that is due for an attempt, batch by batch.

    Each batch is claimed in its own short transaction; the mails go out after that commit
    over one connection, and each is marked sent the moment the server accepted it. A
    reminder whose attempt fails waits :func:`reminder_backoff` before the next one (a task
    is queued for then), until ``MOTVERKA_REMINDER_MAX_ATTEMPTS`` is reached.
    """
    sent = failed = gave_up = 0
    while True:
        now = timezone.now()
        batch = _claim(now=now, limit=batch_size)
        if not batch:
            break
        failure: tuple[Reminder, str] | None = None
        untried: list[Reminder] = []
        try:
            mail_connection = get_connection()
            mail_connection.open()
        except (smtplib.SMTPException, OSError) as error:
            failure, untried = (batch[0], _describe(error)), batch[1:]
        else:
            try:
                for position, reminder in enumerate(batch):
                    try:
                        delivered = mail_connection.send_messages([_message(reminder)])
                    except (smtplib.SMTPException, OSError) as error:
                        failure = (reminder, _describe(error))
                    else:
                        if not delivered:
                            failure = (reminder, "inte levererat")
                    if failure:
                        untried = batch[position + 1 :]
                        break
                    Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(
                        sent_at=timezone.now(), claimed_until=None, last_error=""
                    )
                    sent += 1
            finally:
                try:
                    mail_connection.close()
                except (smtplib.SMTPException, OSError):
                    logger.warning("Could not close the mail connection cleanly")
        if failure:
            # A server that fails is not hammered with the rest of the queue: the reminders
            # not yet tried wait as long as the failed one, without counting an attempt.
            gave_up += _record_failure(*failure, untried=untried)
            failed += 1
            break
    return DeliveryResult(sent=sent, failed=failed, gave_up=gave_up)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:300]


@transaction.atomic
def _record_failure(reminder: Reminder, error: str, *, untried: list[Reminder]) -> int:
    now = timezone.now()
    retry_at = now + reminder_backoff(reminder.attempts)
    gave_up = reminder.attempts >= settings.MOTVERKA_REMINDER_MAX_ATTEMPTS
    if gave_up:
        logger.error(
            "Reminder %s not delivered after %s attempts: %s", reminder.pk, reminder.attempts, error
        )
    Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(
        claimed_until=None,
        last_error=error,
        **({"gave_up_at": now} if gave_up else {"next_attempt_at": retry_at}),
    )
    Reminder.objects.filter(pk__in=[other.pk for other in untried], sent_at__isnull=True).update(
        claimed_until=None, attempts=F("attempts") - 1, next_attempt_at=retry_at
    )
    next_attempt = (
        _undelivered().filter(next_attempt_at__gt=now).aggregate(at=Min("next_attempt_at"))["at"]
    )
    if next_attempt is not None:
        reminders_deliver_task.using(run_after=next_attempt).enqueue()
    return int(gave_up)


@task()
def reminders_deliver_task() -> dict[str, int]:
    """The queued delivery: runs :func:`reminders_deliver` in a worker."""
    result = reminders_deliver()
    return {"sent": result.sent, "failed": result.failed, "gave_up": result.gave_up}
