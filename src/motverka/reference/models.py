"""Reference data: Sweden's counties and municipalities (SCB codes) with the contact
details the letters need."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class County(models.Model):
    code = models.CharField(_("länskod"), max_length=2, unique=True)
    name = models.CharField(_("län"), max_length=100)

    class Meta:
        verbose_name = _("län")
        verbose_name_plural = _("län")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    code = models.CharField(_("kommunkod"), max_length=4, unique=True)
    name = models.CharField(_("kommun"), max_length=100)
    county = models.ForeignKey(
        County, verbose_name=_("län"), on_delete=models.PROTECT, related_name="municipalities"
    )
    social_services_name = models.CharField(_("socialtjänstens namn"), max_length=200, blank=True)
    social_services_address = models.TextField(_("socialtjänstens postadress"), blank=True)
    registrator_email = models.EmailField(_("registratorns e-post"), blank=True)

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class LegalReference(models.Model):
    """A provision a letter cites, as versioned data with a validity period.

    Letters never hard-code chapter or section: they cite the reference with their ``code``
    that is valid on the letter's date (:func:`motverka.reference.selectors
    .legal_reference_valid_on`). An entry counts as verified only when someone has recorded
    who checked it and when; letters citing an unverified entry need an explicit confirmation.
    """

    code = models.CharField(
        _("kod"),
        max_length=40,
        help_text=_("Vad hänvisningen används till, t.ex. transfer_request eller ivo_application."),
    )
    law_name = models.CharField(_("lagens namn"), max_length=200)
    sfs_number = models.CharField(_("SFS-nummer"), max_length=20)
    chapter = models.CharField(_("kapitel"), max_length=10, blank=True)
    section = models.CharField(_("paragraf"), max_length=10, blank=True)
    text = models.TextField(_("innehåll i korthet"), blank=True)
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till och med"), null=True, blank=True)
    verified_by = models.CharField(_("verifierad av"), max_length=200, blank=True)
    verified_on = models.DateField(_("verifierad den"), null=True, blank=True)

    class Meta:
        verbose_name = _("lagrum")
        verbose_name_plural = _("lagrum")
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="legal_reference_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="legal_reference_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.citation}"

    @property
    def is_verified(self) -> bool:
        return bool(self.verified_by.strip()) and self.verified_on is not None

    @property
    def citation(self) -> str:
        """How a letter cites the provision, e.g. "2 a kap. 10 § socialtjänstlagen (2001:453)"."""
        parts = []
        if self.chapter.strip():
            parts.append(f"{self.chapter.strip()} kap.")
        if self.section.strip():
            parts.append(f"{self.section.strip()} §")
        parts.append(f"{self.law_name} ({self.sfs_number})")
        return " ".join(parts)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors: dict[str, list[object]] = {}
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = [_("Slutdatum kan inte ligga före startdatum.")]
        if bool(self.verified_by.strip()) != (self.verified_on is not None):
            errors["verified_on"] = [
                _("Ange både vem som verifierade hänvisningen och när, eller inget av dem.")
            ]
        if self.valid_from and not errors:
            overlapping = LegalReference.objects.filter(code=self.code).exclude(pk=self.pk)
            overlapping = overlapping.filter(
                models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=self.valid_from)
            )
            if self.valid_to:
                overlapping = overlapping.filter(valid_from__lte=self.valid_to)
            if overlapping.exists():
                errors["valid_from"] = [
                    _(
                        "Giltighetstiden överlappar en annan hänvisning med samma kod. "
                        "Avsluta den tidigare (gäller till och med) först."
                    )
                ]
        if errors:
            raise ValidationError(errors)
