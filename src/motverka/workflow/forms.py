"""Forms of the "Nästa steg" panel, the consent form and the deadline calculator.

They parse input only; the services and the policy decide. Step forms are built from
:data:`motverka.workflow.step_details.STEP_DETAILS` so each step asks exactly for the facts
its record needs.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motverka.cases.forms import DateInput
from motverka.workflow.deadlines import DeadlineKind, PeriodUnit
from motverka.workflow.models import ConsentForm
from motverka.workflow.policy import Action, ConsentScope, ConsentStatus, Measure, Outcome
from motverka.workflow.selectors import OPEN_STATES, DeadlineFilters
from motverka.workflow.step_details import DETAIL_MAX_LENGTH, REASON_REQUIRED, details_for


def step_key(action: Action | str, measure: Measure | str | None) -> str:
    """A key that tells the panel's forms apart: the action, plus the measure for
    ``mark_not_applicable``, which appears once per open measure."""
    if Action(action) == Action.MARK_NOT_APPLICABLE and measure:
        return f"{action}-{measure}"
    return str(action)


class StepForm(forms.Form):
    performed_on = forms.DateField(label=_("Datum"), widget=DateInput())

    def __init__(
        self,
        *args: Any,
        action: Action,
        measure: Measure | str | None = None,
        measures: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", f"id_{step_key(action, measure)}_%s")
        super().__init__(*args, **kwargs)
        self.action = Action(action)
        self.fields["performed_on"].initial = timezone.localdate()
        for detail in details_for(self.action):
            self.fields[detail.name] = forms.CharField(
                label=str(detail.label),
                required=detail.required,
                max_length=DETAIL_MAX_LENGTH,
                help_text=str(detail.help_text),
                widget=forms.Textarea(attrs={"rows": 3}) if detail.multiline else None,
            )
        if self.action == Action.CLOSE:
            self.fields["outcome"] = forms.ChoiceField(
                label=_("Utfall"), choices=[("", _("– välj utfall –")), *Outcome.choices]
            )
        if self.action == Action.MARK_NOT_APPLICABLE and measures is not None:
            # The one "Ej aktuell" form: a select of the measures that may be marked now.
            self.fields["measure"] = forms.ChoiceField(
                label=_("Åtgärd som inte är aktuell"),
                choices=[("", _("– välj åtgärd –")), *measures],
                initial=measure,
            )
        elif self.action == Action.MARK_NOT_APPLICABLE:
            self.fields["measure"] = forms.ChoiceField(
                choices=Measure.choices, widget=forms.HiddenInput, initial=measure
            )
        if self.action in REASON_REQUIRED:
            label = _("Skäl")
        elif self.action == Action.CLOSE:
            label = _("Avslutsanteckning")
        else:
            label = _("Anteckning")
        self.fields["reason"] = forms.CharField(
            label=label,
            required=self.action in REASON_REQUIRED,
            widget=forms.Textarea(attrs={"rows": 2}),
            max_length=DETAIL_MAX_LENGTH,
        )
        if self.action == Action.MARK_NOT_APPLICABLE:
            self.order_fields(["measure", "performed_on"])

    def details(self) -> dict[str, str]:
        return {
            detail.name: self.cleaned_data.get(detail.name, "")
            for detail in details_for(self.action)
        }


class ConsentRecordForm(forms.Form):
    scope = forms.ChoiceField(label=_("Samtycket gäller"), choices=ConsentScope.choices)
    status = forms.ChoiceField(label=_("Den enskildes svar"), choices=ConsentStatus.choices)
    decided_on = forms.DateField(label=_("Datum för beskedet"), widget=DateInput())
    form = forms.ChoiceField(label=_("Form"), choices=ConsentForm.choices)
    note = forms.CharField(
        label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_consent_%s")
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()


class DeadlineCalculatorForm(forms.Form):
    start = forms.DateField(label=_("Skickad eller startdatum"), widget=DateInput())
    amount = forms.IntegerField(label=_("Antal"), min_value=0, max_value=120, initial=1)
    unit = forms.ChoiceField(
        label=_("Enhet"),
        choices=[
            (PeriodUnit.MONTHS.value, _("månader")),
            (PeriodUnit.WORKING_DAYS.value, _("arbetsdagar")),
            (PeriodUnit.DAYS.value, _("kalenderdagar")),
        ],
        initial=PeriodUnit.MONTHS.value,
    )


class DeadlineFilterForm(forms.Form):
    """The filters of *Mina bevakningar* and of the unit's deadlines (GET parameters)."""

    lage = forms.ChoiceField(label=_("Läge"), required=False)
    typ = forms.ChoiceField(label=_("Bevakning"), required=False)
    fran = forms.DateField(label=_("Senast från och med"), required=False, widget=DateInput())
    till = forms.DateField(label=_("Senast till och med"), required=False, widget=DateInput())
    handlaggare = forms.ChoiceField(label=_("Handläggare"), required=False)

    def __init__(
        self, *args: Any, case_workers: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lage"].choices = [  # type: ignore[attr-defined]
            ("", _("Alla öppna")),
            *((state.value, state.label) for state in OPEN_STATES),
        ]
        self.fields["typ"].choices = [("", _("Alla")), *DeadlineKind.choices]  # type: ignore[attr-defined]
        if case_workers is None:
            del self.fields["handlaggare"]
        else:
            self.fields["handlaggare"].choices = [  # type: ignore[attr-defined]
                ("", _("Alla")),
                ("none", _("Ej tilldelade")),
                *case_workers,
            ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("fran"), cleaned.get("till")
        if start and end and start > end:
            self.add_error("till", _("Slutdatumet kan inte ligga före startdatumet."))
        return cleaned

    def filters(self) -> DeadlineFilters:
        if not self.is_bound or not self.is_valid():
            return DeadlineFilters()
        data = self.cleaned_data
        return DeadlineFilters(
            state=data["lage"],
            kind=data["typ"],
            due_from=data["fran"],
            due_to=data["till"],
            case_worker=data.get("handlaggare", ""),
        )
