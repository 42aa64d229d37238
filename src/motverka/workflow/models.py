"""What the workflow stores: consents, measure states, steps taken and deadlines.

The rules live in :mod:`motverka.workflow.policy` and :mod:`motverka.workflow.deadlines`;
these tables only remember what was decided and done, so the facts for the next decision can
be read back (see :func:`motverka.workflow.selectors.case_facts`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motverka.workflow.deadlines import DeadlineKind
from motverka.workflow.policy import Action, ConsentScope, ConsentStatus, Measure, MeasureState


class ConsentForm(models.TextChoices):
    """How the person gave (or refused, or withdrew) their answer."""

    ORAL = "oral", _("Muntligt")
    WRITTEN = "written", _("Skriftligt")


class Consent(models.Model):
    """One answer the person gave for one scope. Rows are history; the latest recorded row
    per scope is the current answer, so a withdrawal takes effect the moment it is saved."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="consents", verbose_name=_("ärende")
    )
    scope = models.CharField(_("gäller"), max_length=40, choices=ConsentScope.choices)
    status = models.CharField(_("svar"), max_length=20, choices=ConsentStatus.choices)
    decided_on = models.DateField(_("datum för beskedet"))
    form = models.CharField(_("form"), max_length=10, choices=ConsentForm.choices)
    note = models.TextField(_("anteckning"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("registrerat"), auto_now_add=True)
    #: The answer's place in its scope's history: 1 for the first answer, each later answer
    #: one more. Recording a new answer names the version it replaces (decision 0017); the
    #: unique constraint lets only one of two concurrent answers to one version in.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("samtycke")
        verbose_name_plural = _("samtycken")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["case", "scope"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "scope", "version"], name="consent_one_answer_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.get_status_display()}"


class CaseMeasure(models.Model):
    """The state of one measure in one case; a measure without a row is pending."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="measures")
    measure = models.CharField(_("åtgärd"), max_length=40, choices=Measure.choices)
    state = models.CharField(_("läge"), max_length=30, choices=MeasureState.choices)
    not_applicable_reason = models.TextField(_("skäl till ej aktuell"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("åtgärd i ärende")
        verbose_name_plural = _("åtgärder i ärenden")
        constraints = [
            models.UniqueConstraint(fields=["case", "measure"], name="case_measure_unique")
        ]
        # The cases waiting in a state (a manager's "väntar på svar"): from the few rows in
        # that state to their cases, not from every open case to its measures.
        indexes = [models.Index(fields=["measure", "state", "case"], name="case_measure_state")]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}: {self.get_state_display()}"


class StepRecord(models.Model):
    """What was done in one step: when, by whom, and the details the step asks for (who was
    contacted and how, what was said, the justification received, a decision reference)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="step_records")
    action = models.CharField(_("steg"), max_length=50, choices=Action.choices)
    measure = models.CharField(_("åtgärd"), max_length=40, choices=Measure.choices, blank=True)
    performed_on = models.DateField(_("datum"))
    details = models.JSONField(_("uppgifter"), default=dict, blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("genomfört steg")
        verbose_name_plural = _("genomförda steg")
        ordering = ["-performed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.performed_on:%Y-%m-%d} {self.get_action_display()}"


class ReminderLevel(models.TextChoices):
    """How far the reminders for a deadline have gone; each level is mailed at most once."""

    NONE = "", _("Ingen påminnelse")
    DUE = "due", _("Påminnelse skickad")
    OVERDUE = "overdue", _("Påminnelse om försening skickad")


class Deadline(models.Model):
    """A follow-up date (bevakning). ``due_on`` is computed from ``source_date`` by the rule
    for ``kind``; ``met_on`` is set when the step it waits for is taken."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("typ"), max_length=40, choices=DeadlineKind.choices)
    source_date = models.DateField(_("räknas från"))
    due_on = models.DateField(_("senast"))
    met_on = models.DateField(_("klar"), null=True, blank=True)
    informational = models.BooleanField(_("endast förväntat datum"), default=False)
    reminded_state = models.CharField(
        _("påminnelse"), max_length=10, choices=ReminderLevel.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bevakning")
        verbose_name_plural = _("bevakningar")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(met_on__isnull=True),
                name="deadline_one_open_per_kind",
            )
        ]
        indexes = [
            # Open deadlines in the lists' order (due date, then id): a page walks it and
            # stops, and a capped count reads at most its cap of rows.
            models.Index(
                fields=["due_on", "id"],
                condition=models.Q(met_on__isnull=True),
                name="deadline_open_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.met_on is None


class Reminder(models.Model):
    """One reminder e-mail (the outbox). The sweep writes it in the same transaction that
    marks its deadline as reminded and queues its delivery; a worker delivers it after
    commit. ``sent_at`` set means delivered, and a delivered reminder is never sent again.

    A worker claims a reminder by setting ``claimed_until``; until then no other worker
    takes it. A failed attempt sets ``next_attempt_at`` further into the future (backoff);
    after the last allowed attempt ``gave_up_at`` is set and the error kept."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    level = models.CharField(_("nivå"), max_length=10, choices=ReminderLevel.choices)
    due_on = models.DateField(_("senast"))
    recipient = models.EmailField(_("mottagare"))
    subject = models.CharField(_("ämne"), max_length=200)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(_("nästa försök"))
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    gave_up_at = models.DateTimeField(_("avbruten"), null=True, blank=True)
    last_error = models.CharField(_("senaste fel"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        ordering = ["next_attempt_at", "id"]
        constraints = [
            # One reminder per level and due date: a deadline moved to a later date is a new
            # period and is reminded again, the same period never twice.
            models.UniqueConstraint(
                fields=["deadline", "level", "due_on"], name="reminder_once_per_level"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(sent_at__isnull=True, gave_up_at__isnull=True),
                name="reminder_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.due_on:%Y-%m-%d}"
