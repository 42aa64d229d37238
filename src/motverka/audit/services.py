"""Appending to the audit log. Callers run inside their own transaction so the row is
written together with the change it describes, or not at all (decision 0003).

Every append extends the hash chain (``audit/chain.py``): it takes the chain's lock, reads
the head (sequence and hash), and writes the new row with the next sequence number and its
hash. On PostgreSQL the lock is a transaction-level advisory lock; on SQLite the write
transaction itself is the lock (``transaction_mode=IMMEDIATE`` takes the database's write
lock at BEGIN, enforced by the system check ``audit.E001``). Either way the lock is held
until the caller's transaction ends, so appends — not whole requests — are serialised, and
a rolled-back transaction leaves neither a row nor a gap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from motverka.audit.chain import (
    FORMAT_VERSION,
    GENESIS,
    ChainedContent,
    ChainedSubject,
    new_salt,
    reference_digest,
    row_hash,
)
from motverka.audit.context import current_origin
from motverka.audit.models import AuditAction, AuditEvent, AuditEventSubject

# pg_advisory_xact_lock key of the chain ("MVAU"); no other code takes this lock.
CHAIN_LOCK_KEY = 0x4D564155


@dataclass(frozen=True)
class AuditSubject:
    object_type: str
    object_id: object
    case_id: int | None = None
    person_id: int | None = None


def _seal_references(event: AuditEvent, subjects: Sequence[AuditEventSubject]) -> None:
    """A new row gets the current format, and its personal references (and each
    subject's) a fresh salt and their digest, which is what the hash covers (decision 0021)."""
    event.chain_version = FORMAT_VERSION
    event.reference_salt = new_salt()
    event.reference_digest = reference_digest(
        event.reference_salt, [event.object_id, event.case_id, event.person_id, event.detail]
    )
    for subject in subjects:
        subject.reference_salt = new_salt()
        subject.reference_digest = reference_digest(
            subject.reference_salt, [subject.object_id, subject.case_id, subject.person_id]
        )


def _chained(event: AuditEvent, subjects: Sequence[AuditEventSubject]) -> ChainedContent:
    if not event.reference_digest:
        _seal_references(event, subjects)
    return ChainedContent(
        sequence=event.sequence,
        at=event.at,
        actor_id=event.actor_id,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        case_id=event.case_id,
        person_id=event.person_id,
        channel=event.channel,
        address=event.address,
        detail=event.detail,
        chain_version=event.chain_version,
        reference_salt=event.reference_salt,
        reference_digest=event.reference_digest,
        pseudonym=event.pseudonym,
        subjects=tuple(
            ChainedSubject(
                object_type=subject.object_type,
                object_id=subject.object_id,
                case_id=subject.case_id,
                person_id=subject.person_id,
                reference_salt=subject.reference_salt,
                reference_digest=subject.reference_digest,
                pseudonym=subject.pseudonym,
            )
            for subject in subjects
        ),
    )


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _append(event: AuditEvent, subjects: Sequence[AuditEventSubject] = ()) -> AuditEvent:
    # savepoint=False: inside the caller's transaction this adds nothing; called outside
    # one, it makes the lock, the head read and the insert one transaction.
    with transaction.atomic(savepoint=False):
        _lock_chain()
        head = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
        sequence, previous_hash = head if head is not None else (0, GENESIS)
        event.sequence = sequence + 1
        event.at = timezone.now()
        event.hash = row_hash(_chained(event, subjects), previous_hash)
        event.save(force_insert=True)
        if subjects:
            for subject in subjects:
                subject.event = event
            AuditEventSubject.objects.bulk_create(subjects)
    return event


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def audit_record(
    *,
    actor: Any,
    action: AuditAction,
    object_type: str,
    object_id: object = "",
    case_id: int | None = None,
    person_id: int | None = None,
    detail: str = "",
) -> AuditEvent:
    origin = current_origin()
    return _append(
        AuditEvent(
            actor=_actor(actor),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            case_id=case_id,
            person_id=person_id,
            channel=origin.channel,
            address=origin.address,
            detail=detail[:255],
        )
    )


def audit_record_many(
    *,
    actor: Any,
    action: AuditAction,
    object_type: str,
    subjects: Iterable[AuditSubject],
    detail: str = "",
) -> AuditEvent | None:
    """One row for a whole list or search view, its hits as the row's subjects (part of the
    row's hash). A view that showed nothing writes nothing."""
    rows = [
        AuditEventSubject(
            object_type=subject.object_type,
            object_id=str(subject.object_id),
            case_id=subject.case_id,
            person_id=subject.person_id,
        )
        for subject in subjects
    ]
    if not rows:
        return None
    origin = current_origin()
    case_ids = {row.case_id for row in rows}
    person_ids = {row.person_id for row in rows}
    # A view about a single case or person also names it on the row itself.
    return _append(
        AuditEvent(
            actor=_actor(actor),
            action=action,
            object_type=object_type,
            object_id="",
            case_id=case_ids.pop() if len(case_ids) == 1 else None,
            person_id=person_ids.pop() if len(person_ids) == 1 else None,
            channel=origin.channel,
            address=origin.address,
            detail=detail[:255],
        ),
        rows,
    )
