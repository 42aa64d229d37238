"""Appending to the audit log. Callers run inside their own transaction so the row is
written together with the change it describes, or not at all."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from motverka.audit.context import current_origin
from motverka.audit.models import AuditAction, AuditEvent


@dataclass(frozen=True)
class AuditSubject:
    object_type: str
    object_id: object
    case_id: int | None = None
    person_id: int | None = None


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
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        case_id=case_id,
        person_id=person_id,
        channel=origin.channel,
        address=origin.address,
        detail=detail[:255],
    )


def audit_record_many(
    *, actor: Any, action: AuditAction, subjects: Iterable[AuditSubject], detail: str = ""
) -> None:
    """One row per subject in a single INSERT — used for list and search hits."""
    origin = current_origin()
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor if getattr(actor, "pk", None) else None,
                action=action,
                object_type=subject.object_type,
                object_id=str(subject.object_id),
                case_id=subject.case_id,
                person_id=subject.person_id,
                channel=origin.channel,
                address=origin.address,
                detail=detail[:255],
            )
            for subject in subjects
        ]
    )
