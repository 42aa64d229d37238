"""Concurrent registrations get unique, gap-free references (row lock on the counter)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from motverka.accounts.models import Role
from motverka.cases.models import Case
from tests.factories import make_case, make_unit, make_user

THREADS = 8
PER_THREAD = 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_unique_gap_free_references():
    unit = make_unit("Samtidighet")
    user = make_user(Role.CASE_WORKER, [unit])
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def register() -> None:
        try:
            start.wait()
            for _ in range(PER_THREAD):
                make_case(user, unit)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    year = timezone.localdate().year
    references = sorted(Case.objects.values_list("reference", flat=True))
    expected = [f"SN {year}/{number:04d}" for number in range(1, THREADS * PER_THREAD + 1)]
    assert references == expected, connection.vendor
