"""Forms of the log review pages."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from motverka.audit.models import AuditAction
from motverka.review.selectors import validate_period


class PeriodForm(forms.Form):
    since = forms.DateField(label=_("Från och med"))
    until = forms.DateField(label=_("Till och med"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for field, messages in validate_period(cleaned.get("since"), cleaned.get("until")).items():
            if field not in self.errors:
                self.add_error(field, messages)
        return cleaned


class LogFilterForm(PeriodForm):
    unit = forms.TypedChoiceField(label=_("Enhet"), coerce=int)
    actor = forms.TypedChoiceField(
        label=_("Användare"), coerce=int, required=False, empty_value=None
    )
    case_reference = forms.CharField(label=_("Diarienummer"), required=False, max_length=30)
    whole_person = forms.BooleanField(
        label=_("Alla händelser om personen i ärendet (även andra ärenden)"), required=False
    )
    action = forms.ChoiceField(label=_("Händelse"), required=False)

    def __init__(self, *args: Any, units: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [
            (unit.pk, unit.name) for unit in units
        ]
        cast(forms.ChoiceField, self.fields["actor"]).choices = [("", _("Alla"))] + [
            (member.pk, member.display_name()) for member in members
        ]
        cast(forms.ChoiceField, self.fields["action"]).choices = [("", _("Alla"))] + list(
            AuditAction.choices
        )


class ReviewRecordForm(PeriodForm):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    sample_seed = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**53)
    findings = forms.CharField(
        label=_("Iakttagelser och åtgärder"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        help_text=_(
            "Vad kontrollerna och stickprovet visade, vad som har följts upp och med vem. "
            "Granskningen signeras med ditt namn och kan inte ändras efteråt."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Shown on the same page as the period filter: ids of its own (valid HTML).
        kwargs.setdefault("auto_id", "id_record_%s")
        super().__init__(*args, **kwargs)
