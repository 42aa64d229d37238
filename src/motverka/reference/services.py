"""Writes of reference data: the municipality directory's social-services contacts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record
from motverka.reference.directory import parse_directory
from motverka.reference.models import Municipality

__all__ = ["DirectoryImportResult", "municipality_directory_import"]


@dataclass(frozen=True)
class DirectoryImportResult:
    updated: int
    unchanged: int
    #: Municipalities that still have no social-services address after the import.
    without_address: int
    dry_run: bool


@transaction.atomic
def municipality_directory_import(
    *, acting_user: Any, text: str, dry_run: bool = False
) -> DirectoryImportResult:
    """Set the social services' name, address and registrar e-mail from a CSV text.

    ``acting_user`` is an administrator, or None for the management command (run by whoever
    operates the server). Every problem of the file is reported at once in Swedish
    (ValidationError on ``file``) and nothing is written; an empty cell keeps the current
    value. ``dry_run`` checks and counts without writing. One audit row per import.
    """
    if acting_user is not None and not getattr(acting_user, "is_administrator", False):
        raise PermissionDenied(_("Bara systemförvaltaren kan läsa in kommunregistret."))
    municipalities = {item.code: item for item in Municipality.objects.select_for_update()}
    parsed = parse_directory(text, municipalities)
    if parsed.problems:
        raise ValidationError({"file": parsed.problems})
    changed: list[Municipality] = []
    for row in parsed.rows:
        municipality = municipalities[row.code]
        differs = {
            name: value
            for name, value in row.values.items()
            if getattr(municipality, name) != value
        }
        if differs:
            for name, value in differs.items():
                setattr(municipality, name, value)
            changed.append(municipality)
    if changed and not dry_run:
        Municipality.objects.bulk_update(
            changed, ["social_services_name", "social_services_address", "registrator_email"]
        )
    without = sum(1 for item in municipalities.values() if not item.social_services_address.strip())
    if not dry_run:
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            object_type="municipality",
            detail=f"kommunregistret inläst: {len(changed)} ändrade, {len(parsed.rows)} rader",
        )
    else:
        transaction.set_rollback(True)
    return DirectoryImportResult(
        updated=len(changed),
        unchanged=len(parsed.rows) - len(changed),
        without_address=without,
        dry_run=dry_run,
    )
