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
    social_services_name = models.CharField(
        _("socialtjänstens namn"), max_length=200, blank=True
    )
    social_services_address = models.TextField(_("socialtjänstens postadress"), blank=True)
    registrator_email = models.EmailField(_("registratorns e-post"), blank=True)

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
