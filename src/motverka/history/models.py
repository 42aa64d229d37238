"""The change history of intake data: one row per changed row, written by triggers."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeContext(models.Model):
    """Who changes which case and why — open only inside the correcting transaction.

    The correcting service inserts it before its writes and deletes it before commit, so
    the triggers of that transaction (and only of it: other transactions never see an
    uncommitted row) attribute their history rows to it."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    case_id = models.BigIntegerField(null=True)
    reason = models.TextField()

    def __str__(self) -> str:
        return f"{self.actor_id} {self.case_id}"


class Change(models.Model):
    at = models.DateTimeField(_("tidpunkt"))
    table_name = models.CharField(max_length=64)
    object_id = models.BigIntegerField()
    case_id = models.BigIntegerField(null=True, db_index=True)
    person_id = models.BigIntegerField(null=True, db_index=True)
    operation = models.CharField(max_length=8)
    old_values = models.TextField(null=True)
    new_values = models.TextField(null=True)
    actor_id = models.BigIntegerField(null=True)
    reason = models.TextField()
    via_service = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("ändring")
        verbose_name_plural = _("ändringar")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.table_name} {self.object_id} {self.operation}"

    @property
    def before_values(self) -> dict[str, Any]:
        return json.loads(self.old_values) if self.old_values else {}

    @property
    def after_values(self) -> dict[str, Any]:
        return json.loads(self.new_values) if self.new_values else {}
