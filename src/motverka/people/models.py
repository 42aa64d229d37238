"""The person concerned and the household: personal data, read only via the access layer.

A person row belongs to one unit: what a unit records about someone (names as recorded,
phone, the protection flag) is never shared with another unit that knows the same identity
number — that unit has a row of its own (decision 0009). The household is recorded per case.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

ADULT_AGE = 18


def age_on(birth_date: date | None, today: date) -> int | None:
    if birth_date is None:
        return None
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


class Person(models.Model):
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="persons"
    )
    personal_identity_number = models.CharField(
        _("personnummer"), max_length=12, null=True, blank=True
    )
    is_coordination_number = models.BooleanField(_("samordningsnummer"), default=False)
    reserve_identity = models.CharField(_("reservidentitet"), max_length=40, null=True, blank=True)
    reserve_reason = models.CharField(_("skäl för reservidentitet"), max_length=255, blank=True)
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    birth_date = models.DateField(_("födelsedatum"), null=True, blank=True)
    protected_identity = models.BooleanField(_("skyddade personuppgifter"), default=False)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(personal_identity_number__isnull=False)
                | models.Q(reserve_identity__isnull=False),
                name="person_has_identity",
            ),
            models.UniqueConstraint(
                fields=["unit", "personal_identity_number"], name="person_unit_identity_number"
            ),
            models.UniqueConstraint(
                fields=["unit", "reserve_identity"], name="person_unit_reserve_identity"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def identity_display(self) -> str:
        if self.personal_identity_number:
            number = self.personal_identity_number
            return f"{number[:8]}-{number[8:]}"
        return str(self.reserve_identity)


class Relation(models.TextChoices):
    PARTNER = "partner", _("Make/maka/sambo")
    CHILD = "child", _("Barn")
    OTHER = "other", _("Annan")


class HouseholdMember(models.Model):
    """Someone living with the person, as recorded in one case (never shared between cases)."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("ärende"), on_delete=models.CASCADE, related_name="household"
    )
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100, blank=True)
    birth_date = models.DateField(_("födelsedatum"), null=True, blank=True)
    personal_identity_number = models.CharField(
        _("personnummer"), max_length=12, null=True, blank=True
    )

    class Meta:
        verbose_name = _("hushållsmedlem")
        verbose_name_plural = _("hushållsmedlemmar")
        ordering = ["birth_date", "id"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def is_child_on(self, today: date) -> bool:
        age = age_on(self.birth_date, today)
        return self.relation == Relation.CHILD or (age is not None and age < ADULT_AGE)
