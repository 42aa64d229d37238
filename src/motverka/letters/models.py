"""Letters (skrivelser): templates, letterheads, drafts and finalised PDF/A documents.

A letter is a draft until it is finalised. Finalising renders it to PDF/A, stores the file
with its SHA-256 and locks every content field; from then on only the sending details may be
recorded once. The services in :mod:`motverka.letters.services` are the only writers; the
guards in ``save()``/``delete()`` are a second line of defence against a finalised letter
being changed by any other path.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motverka.cases.errors import Conflict
from motverka.integrity.versioning import Versioned


class LetterKind(models.TextChoices):
    OBJECTION_LETTER = "objection_letter", _("Officiell skrivelse (markering)")
    JUSTIFICATION_REQUEST = "justification_request", _("Begäran om skälig motivering")
    TRANSFER_REQUEST = "transfer_request", _("Begäran om överflyttning av ärende")
    IVO_APPLICATION = "ivo_application", _("Ansökan om överflyttning hos IVO")
    PERSON_INFORMATION = "person_information", _("Information till den enskilde")
    LANDLORD_LETTER = "landlord_letter", _("Skrivelse till hyresvärd")


class LetterLanguage(models.TextChoices):
    SWEDISH = "sv", _("Svenska")
    ENGLISH = "en", _("Engelska")


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    FINALISED = "finalised", _("Slutförd")
    SENT = "sent", _("Skickad")


class SendingChannel(models.TextChoices):
    POST = "post", _("Post")
    EMAIL = "email", _("E-post")
    SECURE_DIGITAL = "secure_digital", _("Säker digital kommunikation")


class LetterTemplate(models.Model):
    """The default subject and body of one kind of letter, maintained by the administrator.

    Placeholders are written ``{{ case.reference }}``; see :mod:`motverka.letters.placeholders`.
    """

    kind = models.CharField(_("typ av skrivelse"), max_length=30, choices=LetterKind.choices)
    language = models.CharField(
        _("språk"), max_length=2, choices=LetterLanguage.choices, default=LetterLanguage.SWEDISH
    )
    subject = models.CharField(_("rubrik"), max_length=255)
    body = models.TextField(_("brödtext"))
    active = models.BooleanField(_("aktiv"), default=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("mall för skrivelse")
        verbose_name_plural = _("mallar för skrivelser")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language"],
                condition=models.Q(active=True),
                name="letter_template_one_active_per_kind_and_language",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_language_display()})"


class Letterhead(models.Model):
    """Sender details printed on letters; one per unit, or the default one without a unit."""

    municipality_name = models.CharField(_("kommunens namn"), max_length=200)
    unit = models.OneToOneField(
        "accounts.Unit",
        verbose_name=_("enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letterhead",
        help_text=_("Lämna tomt för det brevhuvud som gäller när enheten inte har ett eget."),
    )
    department = models.CharField(_("förvaltning eller avdelning"), max_length=200, blank=True)
    address = models.TextField(_("postadress"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    logo = models.ImageField(_("logotyp"), upload_to="letterheads/", blank=True)
    signer_name = models.CharField(
        _("undertecknarens namn"),
        max_length=200,
        blank=True,
        help_text=_("Lämna tomt för att handläggaren som slutför skrivelsen undertecknar."),
    )
    signer_title = models.CharField(_("undertecknarens titel"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("brevhuvud")
        verbose_name_plural = _("brevhuvuden")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality_name"],
                condition=models.Q(unit__isnull=True),
                name="letterhead_one_default",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_name} – {self.unit or _('standard')}"


#: Fields that are frozen once a letter is finalised.
LOCKED_FIELDS = (
    "case_id",
    "kind",
    "letter_date",
    "subject",
    "body",
    "recipient_name",
    "recipient_address",
    "recipient_email",
    "corrects_id",
    "finalised_at",
    "finalised_by_id",
    "final_text",
    "legal_reference_id",
    "legal_reference_confirmed",
    "cited_references",
    "sha256",
)
#: Fields that may be written exactly once, when a finalised letter is marked sent.
SENT_FIELDS = ("status", "sent_on", "sent_channel", "sent_at", "sent_by_id", "updated_at")


class LetterLocked(Conflict):
    def __init__(self) -> None:
        super().__init__(
            str(
                _(
                    "Skrivelsen är slutförd och kan inte ändras. Skriv en rättelse, det vill "
                    "säga en ny skrivelse som hänvisar till den här."
                )
            ),
            "letter_locked",
        )


class Letter(Versioned):
    version_label = "letter"

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("ärende"), on_delete=models.PROTECT, related_name="letters"
    )
    kind = models.CharField(_("typ av skrivelse"), max_length=30, choices=LetterKind.choices)
    status = models.CharField(
        _("läge"), max_length=12, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    letter_date = models.DateField(_("datum"))
    subject = models.CharField(_("rubrik"), max_length=255)
    body = models.TextField(_("brödtext"))
    recipient_name = models.CharField(_("mottagare"), max_length=200, blank=True)
    recipient_address = models.TextField(_("mottagarens adress"), blank=True)
    recipient_email = models.EmailField(_("mottagarens e-post"), blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("rättar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    finalised_at = models.DateTimeField(_("slutförd"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    final_text = models.TextField(_("slutlig text"), blank=True)
    legal_reference = models.ForeignKey(
        "reference.LegalReference",
        verbose_name=_("lagrum"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    legal_reference_confirmed = models.BooleanField(
        _("overifierat eller saknat lagrum bekräftat"), default=False
    )
    #: The legal references the letter cited, each as it stood when the letter was finalised
    #: (see :func:`motverka.letters.composition.frozen_citations`); the primary one first. A later
    #: edit of a LegalReference never changes what a finalised letter shows.
    cited_references = models.JSONField(_("hänvisade lagrum vid slutförandet"), default=list)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    sent_on = models.DateField(_("skickad den"), null=True, blank=True)
    sent_channel = models.CharField(
        _("kanal"), max_length=20, choices=SendingChannel.choices, blank=True
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("skrivelse")
        verbose_name_plural = _("skrivelser")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (models.Q(finalised_at__isnull=False) & ~models.Q(sha256="")),
                name="letter_finalised_has_document",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_on__isnull=False),
                name="letter_sent_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.letter_date:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            self._refuse_changes_after_finalising(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def _refuse_changes_after_finalising(self, update_fields: Any) -> None:
        stored = (
            Letter.objects.filter(pk=self.pk).values("status", "sent_on", *LOCKED_FIELDS).first()
        )
        if stored is None or stored["status"] == LetterStatus.DRAFT:
            return
        changed = [name for name in LOCKED_FIELDS if stored[name] != getattr(self, name)]
        if changed or self.status == LetterStatus.DRAFT:
            raise LetterLocked
        # The sending details are written once, on a finalised letter, and never again.
        if stored["status"] == LetterStatus.SENT or (
            update_fields is not None and not set(update_fields) <= set(SENT_FIELDS)
        ):
            raise LetterLocked

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if not self.is_draft:
            raise LetterLocked
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == LetterStatus.DRAFT

    @property
    def is_sent(self) -> bool:
        return self.status == LetterStatus.SENT

    @property
    def frozen_reference(self) -> dict[str, Any] | None:
        """The primary legal reference as it stood at finalising (None for a draft)."""
        return self.cited_references[0] if self.cited_references else None


class LetterDocument(models.Model):
    """The finalised PDF/A of a letter, written once.

    Kept in the database rather than under MEDIA_ROOT: it is written in the same transaction
    that locks the letter (no orphaned or missing files after a rollback), it is covered by
    the database backup and by disposal of the case, and it can never be served by a
    misconfigured static/media route. Letters are a few tens of kB.
    """

    letter = models.OneToOneField(
        Letter, on_delete=models.PROTECT, related_name="document", primary_key=True
    )
    pdf = models.BinaryField(_("PDF/A"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("storlek i byte"))
    pdf_variant = models.CharField(_("PDF-variant"), max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("slutförd handling")
        verbose_name_plural = _("slutförda handlingar")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if LetterDocument.objects.filter(pk=self.pk).exists():
            raise LetterLocked
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise LetterLocked
