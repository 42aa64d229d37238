"""Recorded log reviews (loggranskning) and the monthly reminders to do one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LogReview(models.Model):
    """A unit manager's signed review of the unit's access log for one period. What the
    checks found is stored as counts and event ids, so the review can be re-run and
    compared; the review is never changed after it is recorded."""

    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("period från"))
    period_end = models.DateField(_("period till"))
    check_counts = models.JSONField(_("kontroller"), default=dict)
    flagged_event_ids = models.JSONField(_("granskade logghändelser"), default=list)
    sample_seed = models.BigIntegerField(_("urvalsfrö"))
    sample_event_ids = models.JSONField(_("stickprov"), default=list)
    findings = models.TextField(_("iakttagelser"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granskare"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signerad"))

    class Meta:
        verbose_name = _("loggranskning")
        verbose_name_plural = _("loggranskningar")
        ordering = ["-period_end", "-id"]
        indexes = [models.Index(fields=["unit", "period_end"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"

    @property
    def check_summary(self) -> list[tuple[str, int]]:
        from motverka.review.checks import CHECKS

        return [
            (str(check.label), int(self.check_counts[check.code]))
            for check in CHECKS
            if check.code in self.check_counts
        ]


class ReviewReminder(models.Model):
    """One reminder per unit and month: the sweep claims the row before it sends."""

    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="review_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m}"
