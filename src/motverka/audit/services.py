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
from functools import cache
from typing import Any

from django.db import connection, transaction
from django.db.models import Field
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
from motverka.config.database import client_side_binding

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


def _locked_head() -> tuple[int, str]:
    """Take the chain's lock and read the head (sequence, hash) under it.

    On PostgreSQL both statements go to the server in one round trip (a client-side binding
    cursor sends them as one simple query); each statement of a read-committed transaction
    takes its own snapshot, so the head is read after the lock is granted and sees every
    append committed before it."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        with client_side_binding(connection), connection.cursor() as cursor:
            head_query = f"SELECT sequence, hash FROM {table} ORDER BY sequence DESC LIMIT 1"  # noqa: S608
            cursor.execute(f"SELECT pg_advisory_xact_lock(%s); {head_query}", [CHAIN_LOCK_KEY])
            cursor.nextset()
            row = cursor.fetchone()
    else:
        row = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
    return (int(row[0]), str(row[1])) if row is not None else (0, GENESIS)


#: A subject's columns, in the order :func:`_insert`'s arrays give them (the pseudonym is
#: empty on a new row: its database default).
SUBJECT_COLUMNS = (
    ("object_type", "text"),
    ("object_id", "text"),
    ("case_id", "bigint"),
    ("person_id", "bigint"),
    ("reference_salt", "text"),
    ("reference_digest", "text"),
)


@cache
def _insert_statement(vendor: str, with_subjects: bool) -> tuple[str, tuple[Field, ...]]:
    """The row's INSERT; on PostgreSQL with the subjects' INSERT in the same statement (a
    data-modifying WITH), from one array per column: one round trip for the whole view."""
    fields = tuple(field for field in AuditEvent._meta.concrete_fields if not field.primary_key)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    pk = quote(AuditEvent._meta.pk.column)
    insert = (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES ({placeholders}) RETURNING {pk}"
    )
    if not with_subjects:
        return insert, fields
    names = [name for name, _type in SUBJECT_COLUMNS]
    arrays = ", ".join(f"%s::{kind}[]" for _name, kind in SUBJECT_COLUMNS)
    subject_columns = ", ".join(quote(name) for name in names)
    statement = (
        f"WITH event AS ({insert}), subjects AS ("  # noqa: S608
        f"INSERT INTO {quote(AuditEventSubject._meta.db_table)} "
        f"({quote('event_id')}, {subject_columns}) "
        f"SELECT event.{pk}, {', '.join('s.' + name for name in names)} "
        f"FROM event, UNNEST({arrays}) AS s({', '.join(names)})) "
        f"SELECT {pk} FROM event"
    )
    return statement, fields


def _insert(event: AuditEvent, subjects: Sequence[AuditEventSubject]) -> None:
    """Write the row with one plain INSERT, and its subjects with it: on the hot path of
    every request, the ORM's per-save bookkeeping costs as much as the round trip itself
    (``bench_audit``)."""
    together = bool(subjects) and connection.vendor == "postgresql"
    statement, fields = _insert_statement(connection.vendor, together)
    values: list[Any] = [
        field.get_db_prep_save(getattr(event, field.attname), connection) for field in fields
    ]
    if together:
        values += [[getattr(subject, name) for subject in subjects] for name, _ in SUBJECT_COLUMNS]
    with connection.cursor() as cursor:
        cursor.execute(statement, values)
        event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = connection.alias
    for subject in subjects:
        subject.event = event
    if subjects and not together:
        AuditEventSubject.objects.bulk_create(subjects)


def _append(event: AuditEvent, subjects: Sequence[AuditEventSubject] = ()) -> AuditEvent:
    # savepoint=False: inside the caller's transaction this adds nothing; called outside
    # one, it makes the lock, the head read and the insert one transaction.
    with transaction.atomic(savepoint=False):
        sequence, previous_hash = _locked_head()
        event.sequence = sequence + 1
        event.at = timezone.now()
        event.hash = row_hash(_chained(event, subjects), previous_hash)
        _insert(event, subjects)
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
