"""Concurrent appends keep one unbroken chain: the lock is taken before the head is read, so
an append waiting for another transaction builds on that transaction's row once it commits."""

from __future__ import annotations

import threading

import pytest
from django.db import connections, transaction

from motverka.audit.models import AuditAction, AuditEvent
from motverka.audit.services import audit_record
from motverka.audit.verification import verify_chain

THREADS = 6
PER_THREAD = 10


def _append(n: int) -> AuditEvent:
    return audit_record(
        actor=None, action=AuditAction.READ, object_type="case", object_id=n, case_id=n
    )


@pytest.mark.django_db(transaction=True)
def test_parallel_appends_give_gap_free_sequences_and_an_intact_chain():
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def append_many(thread: int) -> None:
        try:
            start.wait()
            for n in range(PER_THREAD):
                with transaction.atomic():
                    _append(thread * 100 + n)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append_many, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, THREADS * PER_THREAD + 1))
    assert verify_chain().intact


@pytest.mark.django_db(transaction=True)
def test_an_append_waiting_for_an_open_transaction_builds_on_its_row():
    first_appended = threading.Event()
    release_first = threading.Event()
    rows: dict[str, AuditEvent] = {}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                rows["first"] = _append(1)
                first_appended.set()
                release_first.wait(timeout=10)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            first_appended.wait(timeout=10)
            with transaction.atomic():
                rows["second"] = _append(2)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_appended.wait(timeout=10)
    threads[1].join(timeout=0.5)
    # The second append waits for the first transaction's lock and has written nothing.
    assert threads[1].is_alive()
    assert "second" not in rows
    release_first.set()
    for thread in threads:
        thread.join()

    assert errors == []
    assert rows["second"].sequence == rows["first"].sequence + 1
    assert verify_chain().intact
