"""Audit log: the cost of one chained append (target ≤ 1 ms at p95 on PostgreSQL) and the
log's volume for one day of a unit of 10 case workers (each: 40 list views of 25 cases, 30
case views, 20 writes)."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from tests.factories import intervention

from bench import bench_case_worker
from motverka.audit.models import AuditAction, AuditEvent, AuditEventSubject
from motverka.audit.services import audit_record
from motverka.audit.verification import verify_chain
from motverka.cases.access import case_get_for_user
from motverka.cases.selectors import CaseFilters, case_list
from motverka.cases.services import CaseIntake, case_register, journal_entry_add
from motverka.people.services import PersonInput

APPENDS = 1000
WORKERS = 10
LIST_VIEWS, CASE_VIEWS, WRITES = 40, 30, 20
TARGET_P95_MS = 1.0


def _setup():
    unit, user = bench_case_worker("bench_audit")
    today = timezone.localdate()
    cases = [
        case_register(
            acting_user=user,
            intake=CaseIntake(
                person=PersonInput(
                    first_name="Alva", last_name=f"Benchsson {n}", reserve_reason="Bench utan id"
                ),
                unit_id=unit.pk,
                sending_municipality_code="0180",
                received_on=today - timedelta(days=3),
                moved_on=today - timedelta(days=10),
                target_groups=("newly_arrived",),
                interventions=(intervention(),),
            ),
        )
        for n in range(25)
    ]
    return user, cases


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered) * 1000
    p95 = ordered[int(len(ordered) * 0.95) - 1] * 1000
    return f"p50 {p50:.3f} ms, p95 {p95:.3f} ms"


def _round_trip() -> list[float]:
    """The same number of bare ``SELECT 1`` round trips: on a shared, loaded machine the
    append's cost is mostly the machine's, and this says how much."""
    samples = []
    with connection.cursor() as cursor:
        for _ in range(APPENDS):
            started = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            samples.append(time.perf_counter() - started)
    return samples


def _append_cost(user) -> list[str]:
    inside, committed = [], []
    baseline = _round_trip()
    for n in range(APPENDS):
        began = time.perf_counter()
        with transaction.atomic():
            started = time.perf_counter()
            audit_record(
                actor=user, action=AuditAction.READ, object_type="case", object_id=n, case_id=n
            )
            inside.append(time.perf_counter() - started)
        committed.append(time.perf_counter() - began)
    p95 = sorted(inside)[int(APPENDS * 0.95) - 1] * 1000
    verdict = "inom" if p95 <= TARGET_P95_MS else "över"
    return [
        f"append in an open transaction (lock, head, insert), {APPENDS} samples: "
        f"{_percentiles(inside)} — {verdict} målet {TARGET_P95_MS} ms",
        f"append as its own committed transaction: {_percentiles(committed)}",
        f"baseline, one SELECT 1 round trip: {_percentiles(baseline)} "
        "(an append is two round trips: lock with head, insert)",
    ]


def _bytes(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size(%s)", [table])
        return int(cursor.fetchone()[0])


def _volume(user, cases) -> list[str]:
    events_before = AuditEvent.objects.count()
    subjects_before = AuditEventSubject.objects.count()
    postgres = connection.vendor == "postgresql"
    if postgres:
        bytes_before = _bytes("audit_auditevent") + _bytes("audit_auditeventsubject")
    today = timezone.localdate()
    for _worker in range(WORKERS):
        for _ in range(LIST_VIEWS):
            with transaction.atomic():
                case_list(user=user, filters=CaseFilters(), page_size=25)
        for n in range(CASE_VIEWS):
            with transaction.atomic():
                case_get_for_user(user=user, case_id=cases[n % len(cases)].pk)
        for n in range(WRITES):
            journal_entry_add(
                acting_user=user, case=cases[n % len(cases)], entry_date=today, text="Samtal."
            )
    events = AuditEvent.objects.count() - events_before
    subjects = AuditEventSubject.objects.count() - subjects_before
    old_design = WORKERS * (LIST_VIEWS * 25 + CASE_VIEWS + WRITES)
    lines = [
        f"one unit-day ({WORKERS} workers × {LIST_VIEWS} lists, {CASE_VIEWS} case views, "
        f"{WRITES} writes): {events} audit rows + {subjects} subject rows "
        f"(one row per hit would have been {old_design} audit rows)"
    ]
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SELECT avg(pg_column_size(e.*)) FROM audit_auditevent e")
            event_row = float(cursor.fetchone()[0])
            cursor.execute("SELECT avg(pg_column_size(s.*)) FROM audit_auditeventsubject s")
            subject_row = float(cursor.fetchone()[0])
        total = _bytes("audit_auditevent") + _bytes("audit_auditeventsubject") - bytes_before
        lines.append(
            f"bytes: {event_row:.0f} B per audit row and {subject_row:.0f} B per subject row "
            f"(pg_column_size); tables with indexes grew {total / 1024:.0f} KiB for the day "
            f"= {total * 250 / 1024**3:.2f} GiB per 250 working days"
        )
    started = time.perf_counter()
    result = verify_chain()
    lines.append(
        f"verify: {result.rows} rows in {time.perf_counter() - started:.2f} s, "
        f"{'intact' if result.intact else 'BROKEN'}"
    )
    return lines


def run() -> list[str]:
    user, cases = _setup()
    return _append_cost(user) + _volume(user, cases)
