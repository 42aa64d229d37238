"""Disposal: time per case (erasure, audit pseudonymisation, record), the delivery package
of a kept case, and `audit verify` over the pseudonymised chain."""

from __future__ import annotations

import tempfile
import time
from datetime import date

CASES = 12


def run() -> list[str]:
    from django.conf import settings

    from motverka.accounts.models import Role
    from motverka.accounts.services import unit_create, user_create
    from motverka.archive import services
    from motverka.archive.demo import identity_number_born, old_closed_case
    from motverka.audit.models import AuditEvent
    from motverka.audit.verification import verify_chain

    settings.MOTVERKA_ARCHIVE_PACKAGE_DIR = tempfile.mkdtemp(prefix="motverka-bench-")
    unit = unit_create(acting_user=None, name="Bench-enheten")
    worker = user_create(
        acting_user=None,
        username="bench_w",
        password="x" * 16,
        role=Role.CASE_WORKER,
        units=[unit],
    )
    manager = user_create(
        acting_user=None,
        username="bench_m",
        password="x" * 16,
        role=Role.UNIT_MANAGER,
        units=[unit],
    )
    archivist = user_create(
        acting_user=None, username="bench_a", password="x" * 16, role=Role.ARCHIVIST
    )
    for index in range(CASES):
        day = 15 if index == 0 else 8  # one kept for research, the rest disposed of
        old_closed_case(
            worker=worker,
            unit=unit,
            received_on=date(2019, 3, 1),
            first_name="Bench",
            last_name="Gallringsdemo",
            personal_identity_number=identity_number_born(1980, 3, day, 100 + index),
            with_letter=True,
        )
    rows_before = AuditEvent.objects.count()
    disposal_list = services.disposal_list_propose(acting_user=archivist)
    services.disposal_list_review(acting_user=archivist, disposal_list_id=disposal_list.pk)
    services.disposal_list_approve(acting_user=manager, disposal_list_id=disposal_list.pk)
    started = time.perf_counter()
    records = services.disposal_list_execute(disposal_list_id=disposal_list.pk)
    elapsed = time.perf_counter() - started
    started = time.perf_counter()
    result = verify_chain()
    verified = time.perf_counter() - started
    pseudonymised = sum(record.audit_rows for record in records)
    return [
        f"{len(records)} cases disposed of (1 with a delivery package) in {elapsed:.2f} s, "
        f"{1000 * elapsed / len(records):.0f} ms per case",
        f"{pseudonymised} of {rows_before} audit rows pseudonymised",
        f"audit verify after disposal: intact={result.intact}, {result.rows} rows in "
        f"{1000 * verified:.0f} ms",
    ]
