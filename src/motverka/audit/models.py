"""The audit log: every read of personal data and every write, append-only.

Rows form a hash chain (``audit/chain.py``): ``sequence`` numbers them without gaps and
``hash`` covers the row, its subjects and the previous row's hash. The database refuses
UPDATE, DELETE and TRUNCATE on both tables (``audit/protection.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    READ = "read", _("Läsning")
    SEARCH = "search", _("Sökträff")
    CREATE = "create", _("Skapad")
    UPDATE = "update", _("Ändrad")
    EXPORT = "export", _("Export")
    LOGIN = "login", _("Inloggning")
    DENIED = "denied", _("Nekad åtkomst")
    DELETE = "delete", _("Borttagen")
    DOWNLOAD = "download", _("Nedladdning")
    LOOKUP = "lookup", _("Kontroll mot andra enheter")
    LOGIN_FAILED = "login_failed", _("Misslyckad inloggning")
    LOGOUT = "logout", _("Utloggning")
    LOCKOUT = "lockout", _("Kontot spärrat")
    UNLOCK = "unlock", _("Spärr hävd")
    MFA_ENROL = "mfa_enrol", _("Tvåfaktor registrerad")
    MFA_RESET = "mfa_reset", _("Tvåfaktor återställd")
    MFA_FAILED = "mfa_failed", _("Fel engångskod")
    SESSION_END = "session_end", _("Session avslutad")
    TOKEN_ISSUE = "token_issue", _("API-nyckel utfärdad")
    TOKEN_REVOKE = "token_revoke", _("API-nyckel återkallad")
    TOKEN_REJECTED = "token_rejected", _("API-nyckel avvisad")
    USER_CREATE = "user_create", _("Användare skapad")
    USER_CHANGE = "user_change", _("Användare ändrad")
    ROLE_CHANGE = "role_change", _("Roll ändrad")
    MEMBERSHIP_CHANGE = "membership_change", _("Enhetstillhörighet ändrad")
    PASSWORD_CHANGE = "password_change", _("Lösenord bytt")
    PASSWORD_RESET = "password_reset", _("Lösenord återställt")
    ADMIN_CHANGE = "admin_change", _("Administrativ ändring")
    REVIEW = "review", _("Loggranskning")


class AuditEvent(models.Model):
    # Set by the append (not auto_now_add) because the hash covers it.
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # No database-level choices: new action codes are added without a migration. The
    # label comes from AuditAction (``action_label``).
    action = models.CharField(_("händelse"), max_length=32)
    object_type = models.CharField(_("objekttyp"), max_length=40)
    object_id = models.CharField(_("objekt-id"), max_length=40, blank=True)
    case_id = models.BigIntegerField(_("ärende-id"), null=True, blank=True, db_index=True)
    person_id = models.BigIntegerField(_("person-id"), null=True, blank=True, db_index=True)
    channel = models.CharField(_("kanal"), max_length=16)
    address = models.CharField(_("adress"), max_length=64, blank=True)
    detail = models.CharField(_("beskrivning"), max_length=255, blank=True)
    sequence = models.BigIntegerField(_("löpnummer"), unique=True)
    hash = models.CharField(_("kontrollsumma"), max_length=64)
    # Chain format 2 (decision 0021): the hash covers the personal references only through
    # ``reference_digest``; disposal replaces them with ``pseudonym`` and erases the salt.
    chain_version = models.PositiveSmallIntegerField(_("kedjeformat"), default=2, db_default=2)
    reference_salt = models.CharField(max_length=32, blank=True, default="", db_default="")
    reference_digest = models.CharField(max_length=64, blank=True, default="", db_default="")
    pseudonym = models.CharField(
        _("pseudonym"), max_length=40, blank=True, default="", db_default="", db_index=True
    )

    class Meta:
        verbose_name = _("logghändelse")
        verbose_name_plural = _("logghändelser")
        ordering = ["-at", "-id"]
        indexes = [
            # The API's rate limit reads an address's recent rejected tokens on every request.
            models.Index(
                fields=["address", "at"],
                condition=models.Q(action="token_rejected"),
                name="audit_token_rejected",
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"

    @property
    def action_label(self) -> str:
        try:
            return str(AuditAction(self.action).label)
        except ValueError:
            return self.action


class AuditEventSubject(models.Model):
    """A case, person or other record shown by a list or search row: one row per view,
    its hits here, so "who saw person X" is answered through the indexes below."""

    event = models.ForeignKey(
        AuditEvent, on_delete=models.PROTECT, related_name="subjects", verbose_name=_("händelse")
    )
    object_type = models.CharField(_("objekttyp"), max_length=40)
    object_id = models.CharField(_("objekt-id"), max_length=40, blank=True)
    case_id = models.BigIntegerField(_("ärende-id"), null=True, blank=True, db_index=True)
    person_id = models.BigIntegerField(_("person-id"), null=True, blank=True, db_index=True)
    reference_salt = models.CharField(max_length=32, blank=True, default="", db_default="")
    reference_digest = models.CharField(max_length=64, blank=True, default="", db_default="")
    pseudonym = models.CharField(
        _("pseudonym"), max_length=40, blank=True, default="", db_default=""
    )

    class Meta:
        verbose_name = _("visad post")
        verbose_name_plural = _("visade poster")


class ErasurePermit(models.Model):
    """Open only inside a disposal transaction (decision 0021): while a row names a case
    here, the database lets that case's signed journal, finalised letters and step records
    be deleted, and lets audit rows be pseudonymised with this ``pseudonym`` — nothing else.
    The disposal inserts it first and deletes it before commit; other transactions never
    see it."""

    case_id = models.BigIntegerField(unique=True)
    person_id = models.BigIntegerField(null=True)
    pseudonym = models.CharField(max_length=40, unique=True)
