"""The audit log: every read of personal data and every write, append-only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    READ = "read", _("Läsning")
    SEARCH = "search", _("Sökträff")
    CREATE = "create", _("Skapad")
    UPDATE = "update", _("Ändrad")
    EXPORT = "export", _("Export")
    LOGIN = "login", _("Inloggning")
    DENIED = "denied", _("Nekad åtkomst")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("händelse"), max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(_("objekttyp"), max_length=40)
    object_id = models.CharField(_("objekt-id"), max_length=40, blank=True)
    case_id = models.BigIntegerField(_("ärende-id"), null=True, blank=True, db_index=True)
    person_id = models.BigIntegerField(_("person-id"), null=True, blank=True, db_index=True)
    channel = models.CharField(_("kanal"), max_length=16)
    address = models.CharField(_("adress"), max_length=64, blank=True)
    detail = models.CharField(_("beskrivning"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("logghändelse")
        verbose_name_plural = _("logghändelser")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"
