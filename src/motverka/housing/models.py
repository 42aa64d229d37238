"""What housing stores: the person's account, children's views, the dwelling, home visits and
landlords. Written only through :mod:`motverka.housing.services`; read through
:mod:`motverka.housing.selectors` after the case has been fetched through the access layer.

The address of a person with protected identity is stored (the case worker needs it for the
home visit and the letters check needs it to catch leaks) but is never shown or exported:
pages show "Skyddad adress", the API returns ``null``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motverka.housing.vocabulary import (
    Answer,
    ArrangedBy,
    ChildHeardBy,
    HomeVisitStatus,
    HousingAssessment,
    LandlordKind,
    LeaseType,
)
from motverka.integrity.versioning import Versioned


def _money_field(verbose_name: Any) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=10, decimal_places=2, null=True, blank=True)


class Landlord(Versioned):
    """A landlord (hyresvärd), shared by all units so it can be followed across cases.

    An organisation has an organisation number; a private person has a personal identity
    number and is then personal data: shown only to case roles, masked in lists, never in a
    URL or a log, and every read of the record is logged.
    """

    version_label = "landlord"

    kind = models.CharField(_("typ av hyresvärd"), max_length=20, choices=LandlordKind.choices)
    name = models.CharField(_("namn"), max_length=200)
    organisation_number = models.CharField(
        _("organisationsnummer"), max_length=10, unique=True, null=True, blank=True
    )
    personal_identity_number = models.CharField(
        _("personnummer"), max_length=12, unique=True, null=True, blank=True
    )
    contact_person = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    postal_address = models.TextField(_("postadress"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hyresvärd")
        verbose_name_plural = _("hyresvärdar")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind=LandlordKind.ORGANISATION,
                        organisation_number__isnull=False,
                        personal_identity_number__isnull=True,
                    )
                    | models.Q(
                        kind=LandlordKind.PRIVATE_PERSON,
                        organisation_number__isnull=True,
                        personal_identity_number__isnull=False,
                    )
                ),
                name="landlord_identity_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_private_person(self) -> bool:
        return self.kind == LandlordKind.PRIVATE_PERSON

    @property
    def number_display(self) -> str:
        """The full number: only for the landlord page and the API detail, to case roles."""
        if self.organisation_number:
            return f"{self.organisation_number[:6]}-{self.organisation_number[6:]}"
        number = self.personal_identity_number or ""
        return f"{number[:8]}-{number[8:]}"

    @property
    def number_masked(self) -> str:
        """For lists: an organisation number in full, a personal identity number masked."""
        if self.organisation_number:
            return self.number_display
        return f"{(self.personal_identity_number or '')[:8]}-XXXX"


class Housing(Versioned):
    """The dwelling the person came to, one per case, changed in place (changes are audited)."""

    version_label = "housing"

    @property
    def version_id(self) -> Any:
        # The dwelling is read and written through its case: GET/PUT /cases/{id}/housing.
        return self.case_id

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="housing", verbose_name=_("ärende")
    )
    address = models.TextField(_("adress"), blank=True)
    lease_type = models.CharField(
        _("upplåtelse"), max_length=20, choices=LeaseType.choices, blank=True
    )
    arranged_by = models.CharField(
        _("vem ordnade bostaden"), max_length=30, choices=ArrangedBy.choices, blank=True
    )
    monthly_rent = _money_field(_("månadshyra (kr)"))
    rooms = models.PositiveSmallIntegerField(_("antal rum (kök oräknat)"), null=True, blank=True)
    area_m2 = models.DecimalField(
        _("boarea (m²)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    landlord = models.ForeignKey(
        Landlord,
        verbose_name=_("hyresvärd"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="housings",
    )
    rent_paid_months = models.PositiveSmallIntegerField(
        _("månader hyra betalda av avsändande kommun"), null=True, blank=True
    )
    rent_paid_until = models.DateField(
        _("hyran betald av avsändande kommun till och med"), null=True, blank=True
    )
    deposit_paid = _money_field(_("deposition betald av avsändande kommun (kr)"))
    moving_costs_paid = _money_field(_("flyttkostnader betalda av avsändande kommun (kr)"))
    assistance_paid_monthly = _money_field(
        _("ekonomiskt bistånd som vi betalar per månad efter flytten (kr)")
    )
    note = models.TextField(_("anteckning"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("bostad")
        verbose_name_plural = _("bostäder")


class PersonalAccount(models.Model):
    """One version of the person's own account (den enskildes berättelse). A new account is a
    new version; earlier versions stay as they were written."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="personal_accounts"
    )
    version = models.PositiveIntegerField(_("version"))
    told_on = models.DateField(_("datum för samtalet"))
    wish_to_move = models.CharField(
        _("uttryckte en vilja att flytta"), max_length=10, choices=Answer.choices
    )
    told_what = models.TextField(_("vad fick den enskilde veta"), blank=True)
    told_by = models.CharField(_("av vem"), max_length=255, blank=True)
    lease_found_by = models.CharField(_("vem hittade bostaden"), max_length=255, blank=True)
    lease_signed_by = models.CharField(_("vem skrev under kontraktet"), max_length=255, blank=True)
    knew_destination = models.CharField(
        _("visste vart flytten gick"), max_length=10, choices=Answer.choices
    )
    support_before = models.TextField(_("stöd före flytten"), blank=True)
    support_lost = models.TextField(_("stöd som förlorades"), blank=True)
    wishes_now = models.TextField(_("önskemål nu"), blank=True)
    free_text = models.TextField(_("berättelsen med egna ord"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("den enskildes berättelse")
        verbose_name_plural = _("den enskildes berättelser")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="personal_account_version")
        ]


class ChildView(models.Model):
    """A child's own view, recorded separately for each child of the household."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="child_views")
    member = models.ForeignKey(
        "people.HouseholdMember",
        verbose_name=_("barn"),
        on_delete=models.CASCADE,
        related_name="views",
    )
    heard_on = models.DateField(_("datum"))
    heard_by = models.CharField(_("hur"), max_length=20, choices=ChildHeardBy.choices)
    view = models.TextField(_("barnets synpunkter"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("barnets synpunkter")
        verbose_name_plural = _("barnens synpunkter")
        ordering = ["-heard_on", "-id"]


class HomeVisit(models.Model):
    """A home visit (hembesök): planned, then performed with findings, or cancelled."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="home_visits")
    status = models.CharField(_("läge"), max_length=20, choices=HomeVisitStatus.choices)
    planned_on = models.DateField(_("planerat datum"), null=True, blank=True)
    # Wall-clock time in Europe/Stockholm on ``planned_on`` (a visit is agreed as "the 3rd
    # at 10:00" there, whatever the server's zone).
    planned_time = models.TimeField(_("planerad tid"), null=True, blank=True)
    performed_on = models.DateField(_("genomfört datum"), null=True, blank=True)
    participants = models.TextField(_("deltagare"), blank=True)
    condition = models.TextField(_("bostadens skick"), blank=True)
    dampness_or_damage = models.TextField(_("fukt eller skador"), blank=True)
    safety = models.TextField(_("säkerhet"), blank=True)
    space_note = models.TextField(_("utrymme"), blank=True)
    # Figures as they were on the day of the visit, so a later change of the housing or the
    # household does not rewrite what was observed.
    persons_in_household = models.PositiveSmallIntegerField(_("personer i hushållet"), null=True)
    children_in_household = models.PositiveSmallIntegerField(_("barn i hushållet"), null=True)
    rooms = models.PositiveSmallIntegerField(_("antal rum"), null=True, blank=True)
    area_m2 = models.DecimalField(
        _("boarea (m²)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    assessment = models.CharField(
        _("bedömning"), max_length=20, choices=HousingAssessment.choices, blank=True
    )
    advised_to_seek_housing = models.BooleanField(_("uppmanad att söka ny bostad"), default=False)
    advised_on = models.DateField(_("datum för uppmaningen"), null=True, blank=True)
    advice_note = models.TextField(_("anteckning om uppmaningen"), blank=True)
    cancelled_reason = models.TextField(_("skäl till att besöket ställdes in"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hembesök")
        verbose_name_plural = _("hembesök")
        ordering = ["-id"]
