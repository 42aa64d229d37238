"""The figures' summary rows: one row per case with exactly the facts the figures count.

Written only by :func:`motverka.reporting.services.case_figures_refresh`, which the services
that change those facts call in their own transaction, so the rows are always what a recount
from the base tables gives (``tests/reporting/test_summary.py`` compares the two). The
figures then aggregate one narrow, indexed table instead of joining five large ones.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseFigureRow(models.Model):
    case = models.OneToOneField(
        "cases.Case", primary_key=True, on_delete=models.CASCADE, related_name="figure_row"
    )
    received_on = models.DateField()
    #: Protected in the case's own person row or in any unit's row of the same identity
    #: number; such cases are left out of every published figure.
    protected = models.BooleanField(default=False)
    sending_municipality_code = models.CharField(max_length=4)
    sending_county_code = models.CharField(max_length=2)
    status = models.CharField(max_length=20)
    outcome = models.CharField(max_length=30, blank=True)
    #: Sorted codes joined by commas ("" for none): few distinct combinations to group by.
    target_groups = models.CharField(max_length=300, blank=True)
    indicators = models.CharField(max_length=500, blank=True)
    first_contact_days = models.IntegerField(null=True)
    official_letter_days = models.IntegerField(null=True)
    #: "" (no request), "awaiting", "accepted", "declined", "no_answer"
    transfer = models.CharField(max_length=20, blank=True)
    #: "" (no application), "applied", "granted", "rejected"
    ivo = models.CharField(max_length=20, blank=True)
    ivo_decision_days = models.IntegerField(null=True)
    visits_suitable = models.PositiveSmallIntegerField(default=0)
    visits_unsuitable = models.PositiveSmallIntegerField(default=0)
    visits_harmful = models.PositiveSmallIntegerField(default=0)
    visits_unassessed = models.PositiveSmallIntegerField(default=0)
    landlord_id = models.IntegerField(null=True)
    rent_paid_months = models.PositiveSmallIntegerField(null=True)
    deposit_paid = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    moving_costs_paid = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    assistance_paid_monthly = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["protected", "received_on"], name="figure_row_period"),
            models.Index(fields=["landlord_id"], name="figure_row_landlord"),
            models.Index(fields=["updated_at"], name="figure_row_changed"),
        ]


class FigurePublication(models.Model):
    """A year's protected publication as last computed (the protection takes seconds to
    minutes at scale, so it is computed by the task queue, never while a page waits, once
    a year has one). ``stamp`` says which state of the summary rows it was computed from."""

    year = models.PositiveIntegerField(primary_key=True)
    stamp = models.CharField(max_length=80)
    computed_at = models.DateTimeField()
    #: The pickled :class:`motverka.reporting.selectors.YearPublication`, written only by
    #: :func:`motverka.reporting.selectors.publication_store`.
    payload = models.BinaryField()


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Väntar på tur")
    RUNNING = "running", _("Pågår")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


class ExportJob(models.Model):
    """A large export (the committee's annual report) made by the task queue, with its
    progress, for the user who asked for it. The finished file holds no personal data:
    only the year's protected figures."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("export"), max_length=30)
    year = models.PositiveIntegerField(_("år"))
    #: The state of the summary rows the file was made from (``selectors.year_stamp``).
    stamp = models.CharField(max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("klart (procent)"), default=0)
    step = models.CharField(_("steg"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    content = models.BinaryField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exporter")
        constraints = [
            # A double click, or two tabs, make one job: one unfinished job per user, kind
            # and year.
            models.UniqueConstraint(
                fields=["requested_by", "kind", "year"],
                condition=models.Q(status__in=["queued", "running"]),
                name="export_one_unfinished",
            )
        ]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="export_by_user")]

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)
