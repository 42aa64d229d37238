"""Shared helpers for the audit tests: tampering directly in the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from motverka.audit.models import AuditAction, AuditEvent
from motverka.audit.protection import protection_suspended
from motverka.audit.services import audit_record


def write_events(actor: Any, count: int) -> list[AuditEvent]:
    return [
        audit_record(
            actor=actor,
            action=AuditAction.READ,
            object_type="case",
            object_id=n,
            case_id=n,
            person_id=100 + n,
            detail=f"händelse {n}",
        )
        for n in range(1, count + 1)
    ]


def tamper(sql: str, params: list[Any] | None = None) -> None:
    """Raw SQL with the append-only rules lifted, as an attacker with the database owner's
    rights could (drop the triggers, change rows, put them back)."""
    with protection_suspended(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def refused(change: Callable[[], Any]) -> None:
    """The database refuses the change; the surrounding test transaction stays usable."""
    with pytest.raises(DatabaseError), transaction.atomic():
        change()


def raw(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
