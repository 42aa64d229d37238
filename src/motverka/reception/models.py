"""Anonymous screening counts: one row per unit and month, no personal data at all."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScreeningCount(models.Model):
    """How many screenings a unit made in a month, and how many raised a suspicion.

    A screening that raises no suspicion leaves nothing else behind (decision 0023)."""

    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("enhet")
    )
    month = models.DateField(_("månad"), help_text=_("Månadens första dag."))
    screened = models.PositiveIntegerField(_("screeningar"), default=0)
    suspected = models.PositiveIntegerField(_("med misstanke"), default=0)

    class Meta:
        verbose_name = _("antal screeningar")
        verbose_name_plural = _("antal screeningar")
        ordering = ["month", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="screening_count_unit_month"),
            models.CheckConstraint(
                condition=models.Q(suspected__lte=models.F("screened")),
                name="screening_suspected_within_screened",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m}"
