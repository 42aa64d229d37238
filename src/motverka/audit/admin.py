"""Administration in the Django admin is logged: ``AuditedModelAdmin`` writes one
``admin_change`` row (with a Swedish description) per addition, change and deletion, in
the admin's own transaction, beside Django's LogEntry."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record


def _changed_fields(message: Any) -> str:
    fields: list[str] = []
    for part in message if isinstance(message, list) else []:
        fields.extend(part.get("changed", {}).get("fields", []))
    return ", ".join(str(field) for field in fields)


class AuditedModelAdmin(admin.ModelAdmin):
    def _record(self, request: HttpRequest, obj: Model, verb: str, fields: str = "") -> None:
        what = f"{self.model._meta.verbose_name} {verb}: {obj}"
        audit_record(
            actor=request.user,
            action=AuditAction.ADMIN_CHANGE,
            object_type=self.model._meta.label_lower,
            object_id=obj.pk,
            detail=f"{what} (fält: {fields})" if fields else what,
        )

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._record(request, obj, "tillagd")
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._record(request, obj, "ändrad", _changed_fields(message))
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        for obj in queryset:
            self._record(request, obj, "borttagen")
        return super().log_deletions(request, queryset)
