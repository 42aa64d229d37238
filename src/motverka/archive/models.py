"""Disposal lists (proposed, reviewed, approved, carried out) and the disposal record.

A :class:`DisposalList` is the proposal of the cases due on a day; an administrator with
the archive role reviews it and a unit manager approves it — two different people — and
the task queue carries it out. Each case carried out leaves one :class:`DisposalRecord`,
kept for good: the database refuses UPDATE and DELETE on it (``audit/protection.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motverka.archive.retention import RetentionOutcome, RetentionRule


class DisposalListStatus(models.TextChoices):
    PROPOSED = "proposed", _("Föreslagen")
    REVIEWED = "reviewed", _("Granskad")
    APPROVED = "approved", _("Godkänd – utförs")
    DONE = "done", _("Utförd")
    FAILED = "failed", _("Misslyckades")


class DisposalList(models.Model):
    as_of = models.DateField(_("gallringsdag"))
    status = models.CharField(
        _("läge"),
        max_length=12,
        choices=DisposalListStatus.choices,
        default=DisposalListStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True)
    done_at = models.DateTimeField(null=True)
    failure = models.TextField(blank=True)

    class Meta:
        verbose_name = _("gallringslista")
        verbose_name_plural = _("gallringslistor")
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"Gallringslista {self.pk} ({self.as_of:%Y-%m-%d})"


class DisposalItem(models.Model):
    disposal_list = models.ForeignKey(DisposalList, on_delete=models.PROTECT, related_name="items")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(_("regel"), max_length=30, choices=RetentionRule.choices)
    outcome = models.CharField(_("utfall"), max_length=10, choices=RetentionOutcome.choices)
    last_entry_on = models.DateField(_("sista anteckning"))
    due_from = models.DateField(_("gallringsplikt från"))
    due_by = models.DateField(_("gallras senast"))

    class Meta:
        ordering = ["due_from", "id"]
        constraints = [
            models.UniqueConstraint(fields=["disposal_list", "case"], name="disposal_item_unique")
        ]


class DisposalRecord(models.Model):
    """What was disposed of, when, by whose approval and under which rule. Never changed."""

    disposal_list = models.ForeignKey(DisposalList, on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="disposal_record"
    )
    case_reference = models.CharField(_("diarienummer"), max_length=30)
    unit_name = models.CharField(_("enhet"), max_length=200)
    rule = models.CharField(_("regel"), max_length=30, choices=RetentionRule.choices)
    outcome = models.CharField(_("utfall"), max_length=10, choices=RetentionOutcome.choices)
    legal_citation = models.CharField(_("lagrum"), max_length=200, blank=True)
    last_entry_on = models.DateField(_("sista anteckning"))
    due_by = models.DateField(_("gallras senast"))
    pseudonym = models.CharField(_("pseudonym i loggen"), max_length=40, unique=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    disposed_at = models.DateTimeField(_("gallrat"))
    person_removed = models.BooleanField(_("personposten borttagen"))
    audit_rows = models.PositiveIntegerField(_("pseudonymiserade loggrader"))
    audit_subjects = models.PositiveIntegerField(_("pseudonymiserade visade poster"))
    sealed_rows = models.PositiveIntegerField(_("förseglade loggrader (format 1)"))
    package_name = models.CharField(_("leveranspaket"), max_length=200, blank=True)
    package_sha256 = models.CharField(_("paketets SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("gallringsbeslut")
        verbose_name_plural = _("gallringsbeslut")
        ordering = ["-disposed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_reference} {self.get_outcome_display()}"
