"""Log review (loggranskning): running the checks, recording a signed review, the
person's log extract and the monthly reminder. Each function is one transaction with its
audit row."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from motverka.accounts.models import Role, Unit
from motverka.audit.labels import channel_label, object_label
from motverka.audit.models import AuditAction, AuditEvent
from motverka.audit.selectors import audit_events_about
from motverka.audit.services import audit_record
from motverka.cases.access import case_get_for_user
from motverka.cases.models import Case
from motverka.letters.rendering import pdf_from_html, sha256_of
from motverka.review import checks
from motverka.review.models import LogReview, ReviewReminder
from motverka.review.selectors import (
    LogFilter,
    access_facts,
    period_bounds,
    previous_month,
    require_manager,
    review_settings,
    unit_for_review,
    unit_log_events,
    validate_period,
)


@dataclass(frozen=True)
class ReviewResult:
    unit: Unit
    since: date
    until: date
    findings: dict[str, list[checks.AccessFact]]
    sample: list[checks.AccessFact]
    sample_seed: int
    facts_total: int
    events: dict[int, AuditEvent]


def _period_or_error(since: date | None, until: date | None) -> tuple[date, date]:
    errors = validate_period(since, until)
    if errors:
        raise ValidationError(errors)
    assert since is not None and until is not None  # noqa: S101 - validated above
    return since, until


def _run(unit: Unit, since: date, until: date, seed: int) -> ReviewResult:
    events = list(unit_log_events(LogFilter(unit_id=unit.pk, since=since, until=until)))
    facts = access_facts(events)
    config = review_settings()
    return ReviewResult(
        unit=unit,
        since=since,
        until=until,
        findings=checks.run_checks(facts, config),
        sample=checks.random_sample(facts, size=config.sample_size, seed=seed),
        sample_seed=seed,
        facts_total=len(facts),
        events={event.pk: event for event in events},
    )


def new_sample_seed() -> int:
    return secrets.randbelow(2**53)


@transaction.atomic
def log_review_run(
    *,
    acting_user: Any,
    unit_id: int | str | None,
    since: date | None,
    until: date | None,
    seed: int | None = None,
) -> ReviewResult:
    """The checks and a random sample over the unit's log for the period (a read of the
    log, itself logged)."""
    require_manager(acting_user)
    unit = unit_for_review(user=acting_user, unit_id=unit_id)
    since, until = _period_or_error(since, until)
    result = _run(unit, since, until, seed if seed is not None else new_sample_seed())
    audit_record(
        actor=acting_user,
        action=AuditAction.READ,
        object_type="audit_log",
        object_id=f"unit:{unit.pk}",
        detail=f"loggranskning {since:%Y-%m-%d}–{until:%Y-%m-%d}",
    )
    return result


@transaction.atomic
def log_review_record(
    *,
    acting_user: Any,
    unit_id: int | str | None,
    since: date | None,
    until: date | None,
    sample_seed: int,
    findings: str,
) -> LogReview:
    """Record and sign a review. The checks are run again here, so what is stored is
    what the log says, not what a form claims."""
    require_manager(acting_user)
    unit = unit_for_review(user=acting_user, unit_id=unit_id)
    since, until = _period_or_error(since, until)
    text = findings.strip()
    if not text:
        raise ValidationError(
            {"findings": [_("Skriv vad granskningen visade, också när inget avvikande hittades.")]}
        )
    if len(text) > 10_000:
        raise ValidationError({"findings": [_("Iakttagelserna får vara högst 10 000 tecken.")]})
    result = _run(unit, since, until, sample_seed)
    flagged = sorted({fact.event_id for found in result.findings.values() for fact in found})
    review = LogReview.objects.create(
        unit=unit,
        period_start=since,
        period_end=until,
        check_counts={code: len(found) for code, found in result.findings.items()},
        flagged_event_ids=flagged,
        sample_seed=sample_seed,
        sample_event_ids=[fact.event_id for fact in result.sample],
        findings=text,
        reviewer=acting_user,
        signed_at=timezone.now(),
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.REVIEW,
        object_type="log_review",
        object_id=review.pk,
        detail=f"{unit.name}: {since:%Y-%m-%d}–{until:%Y-%m-%d}, signerad",
    )
    return review


def reviews_for_user(*, user: Any) -> list[LogReview]:
    require_manager(user)
    return list(
        LogReview.objects.filter(unit__in=user.units.all()).select_related("unit", "reviewer")[:200]
    )


# --- The person's log extract -------------------------------------------------------------


@dataclass(frozen=True)
class ExtractLine:
    at: Any
    who: str
    unit: str
    what: str
    where: str


@dataclass(frozen=True)
class LogExtract:
    filename: str
    pdf: bytes
    sha256: str
    lines: int


def _extract_lines(events: list[AuditEvent]) -> list[ExtractLine]:
    lines = []
    for event in events:
        actor = event.actor
        if actor is None:
            who, unit_names = _("Systemet"), ""
        else:
            who = actor.display_name()
            unit_names = ", ".join(unit.name for unit in actor.units.all()) or "–"
            if actor.role not in (Role.CASE_WORKER, Role.UNIT_MANAGER):
                unit_names = actor.get_role_display()
        what = f"{event.action_label}: {object_label(event.object_type)}"
        where = channel_label(event.channel)
        if event.address:
            where = f"{where}, {event.address}"
        lines.append(
            ExtractLine(
                at=timezone.localtime(event.at),
                who=who,
                unit=unit_names,
                what=what,
                where=where,
            )
        )
    return lines


@transaction.atomic
def person_log_extract(
    *, acting_user: Any, case_id: int | str, since: date | None, until: date | None
) -> LogExtract:
    """Every access to the person of the case in the period — who (name and unit), when,
    what and from where — as a PDF/A to hand to the person. Producing it is logged."""
    require_manager(acting_user)
    case = case_get_for_user(user=acting_user, case_id=case_id)
    since, until = _period_or_error(since, until)
    start, end = period_bounds(since, until)
    person = case.person
    person_cases = Case.objects.filter(person_id=person.pk)
    events = list(
        audit_events_about(
            person_ids=[person.pk],
            case_ids=list(person_cases.values_list("pk", flat=True)),
            since=start,
            until=end,
        )
        .select_related("actor")
        .prefetch_related("actor__units")
        .order_by("at", "id")
    )
    lines = _extract_lines(events)
    now = timezone.localtime()
    html = render_to_string(
        "review/log_extract_document.html",
        {
            "person": person,
            "since": since,
            "until": until,
            "lines": lines,
            "produced_at": now,
            "produced_by": acting_user,
            "municipality": case.receiving_municipality,
            "unit": case.unit,
        },
    )
    pdf = pdf_from_html(html)
    audit_record(
        actor=acting_user,
        action=AuditAction.EXPORT,
        object_type="log_extract",
        object_id=case.pk,
        case_id=case.pk,
        person_id=person.pk,
        detail=f"loggutdrag {since:%Y-%m-%d}–{until:%Y-%m-%d}, {len(lines)} rader",
    )
    return LogExtract(
        filename=f"loggutdrag-{case.reference.replace(' ', '-').replace('/', '-')}.pdf",
        pdf=pdf,
        sha256=sha256_of(pdf),
        lines=len(lines),
    )


# --- The monthly reminder ------------------------------------------------------------------


def _mail_sender(subject: str, body: str, recipients: list[str]) -> Any:
    def send() -> None:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)

    return send


def review_reminders_send(*, today: date | None = None) -> int:
    """Remind the managers of every unit that has no signed review of last month. Each
    unit is reminded once per month, however often the sweep runs: the reminder row is
    claimed in the same transaction that schedules the mail, and the mail goes after
    commit."""
    today = today or timezone.localdate()
    month_start, month_end = previous_month(today)
    sent = 0
    for unit in Unit.objects.order_by("pk"):
        if LogReview.objects.filter(
            unit=unit, period_start__lte=month_start, period_end__gte=month_end
        ).exists():
            continue
        recipients = sorted(
            {
                member.email
                for member in unit.members.filter(is_active=True, role=Role.UNIT_MANAGER)
                if member.email
            }
        )
        if not recipients:
            continue
        try:
            with transaction.atomic():
                ReviewReminder.objects.create(unit=unit, month=month_start)
                subject = _("Påminnelse: loggranskning för %(month)s") % {
                    "month": f"{month_start:%Y-%m}"
                }
                body = _(
                    "Loggen för enheten %(unit)s har inte granskats för %(month)s. "
                    "Granska den under Loggranskning i Motverka."
                ) % {"unit": unit.name, "month": f"{month_start:%Y-%m}"}
                transaction.on_commit(_mail_sender(subject, body, recipients))
                audit_record(
                    actor=None,
                    action=AuditAction.REVIEW,
                    object_type="unit",
                    object_id=unit.pk,
                    detail=f"påminnelse om loggranskning {month_start:%Y-%m}",
                )
        except IntegrityError:
            continue
        sent += 1
    return sent
