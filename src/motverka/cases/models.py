"""A case of suspected active involvement, its intake facts, journal and history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motverka.cases.vocabulary import Indicator, InterventionKind, TargetGroup
from motverka.integrity.versioning import Versioned
from motverka.workflow.policy import CaseStatus, Outcome


class ReferenceSequence(models.Model):
    """The last used number per prefix and year; one row, locked while a number is taken."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="reference_sequence_unique")
        ]


class Case(Versioned):
    version_label = "case"

    reference = models.CharField(_("diarienummer"), max_length=30, unique=True)
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="cases"
    )
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="cases"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handläggare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    sending_municipality = models.ForeignKey(
        "reference.Municipality",
        verbose_name=_("avsändande kommun"),
        on_delete=models.PROTECT,
        related_name="sent_cases",
    )
    receiving_municipality = models.ForeignKey(
        "reference.Municipality",
        verbose_name=_("mottagande kommun"),
        on_delete=models.PROTECT,
        related_name="received_cases",
    )
    moved_on = models.DateField(_("flyttdatum"), null=True, blank=True)
    received_on = models.DateField(_("datum då ärendet kom in"))
    indicator_note = models.TextField(_("anteckning om tecken"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.REGISTERED
    )
    outcome = models.CharField(_("utfall"), max_length=30, choices=Outcome.choices, blank=True)
    assessment_reason = models.TextField(_("motivering av bedömning"), blank=True)
    assessed_on = models.DateField(_("bedömningsdatum"), null=True, blank=True)
    closed_on = models.DateField(_("avslutsdatum"), null=True, blank=True)
    closing_note = models.TextField(_("avslutsanteckning"), blank=True)
    created_at = models.DateTimeField(_("registrerat"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["status", "unit"]),
            # The lists' order, per unit and overall (decision 0018).
            models.Index(fields=["unit", "-received_on", "-id"], name="case_unit_received"),
            models.Index(fields=["-received_on", "-id"], name="case_received"),
            # A name search goes from the matching persons to their cases: with the unit and
            # the order in the index, without reading the cases themselves.
            models.Index(fields=["person", "unit", "received_on", "id"], name="case_person_listed"),
            # A unit manager's counts of open cases, per case worker and unassigned.
            models.Index(
                fields=["assigned_to", "unit"],
                condition=~models.Q(status="closed"),
                name="case_open_assignee",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class CaseTargetGroup(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="target_groups")
    code = models.CharField(_("målgrupp"), max_length=40, choices=TargetGroup.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "code"], name="case_target_group_unique")
        ]


class CaseIndicator(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("tecken"), max_length=40, choices=Indicator.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "code"], name="case_indicator_unique")
        ]


class Intervention(models.Model):
    """An intervention the person had in the sending municipality."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    kind = models.CharField(_("typ av insats"), max_length=30, choices=InterventionKind.choices)
    description = models.CharField(_("beskrivning"), max_length=255, blank=True)
    ongoing = models.BooleanField(_("pågående"), default=False)
    #: The decision behind the intervention, as the application to IVO must state it.
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    legal_basis = models.CharField(_("lagstöd"), max_length=200, blank=True)
    needed_until = models.DateField(_("behovet beräknas bestå till och med"), null=True, blank=True)

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")

    def label(self) -> str:
        """The kind and the description: "Vårdinsats eller annan insats: öppenvård"."""
        kind = self.get_kind_display()
        return f"{kind}: {self.description}" if self.description else kind

    def decision(self) -> str:
        """When it was decided and on what legal basis, as far as recorded; may be empty."""
        parts = []
        if self.decided_on is not None:
            parts.append(gettext("beslutad %(date)s") % {"date": self.decided_on.isoformat()})
        if self.legal_basis:
            parts.append(gettext("med stöd av %(basis)s") % {"basis": self.legal_basis})
        return " ".join(parts)

    def summary(self) -> str:
        """One line for the case page, the register extract and the letters."""
        state = gettext("pågående") if self.ongoing else gettext("avslutad")
        parts = [f"{self.label()} ({state})"]
        if decision := self.decision():
            parts.append(decision)
        if self.needed_until is not None:
            parts.append(
                gettext("behovet beräknas bestå till och med %(date)s")
                % {"date": self.needed_until.isoformat()}
            )
        return ", ".join(parts)


class JournalEntry(Versioned):
    """A dated journal entry. Signing locks it; a correction is a new entry (SOSFS 2014:5)."""

    version_label = "journal_entry"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="journal_entries")
    entry_date = models.DateField(_("händelsedatum"))
    text = models.TextField(_("anteckning"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    signed_at = models.DateTimeField(_("signerad"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("rättar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )

    class Meta:
        verbose_name = _("journalanteckning")
        verbose_name_plural = _("journalanteckningar")
        ordering = ["-entry_date", "-id"]

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class CaseEvent(models.Model):
    """A system event on the case timeline (registered, assigned, step taken, …)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=40)
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["-at", "-id"]
