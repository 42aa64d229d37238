"""The screening questions and the registration of a suspected case. They parse input;
the rules and the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motverka.cases.forms import DateInput, IntakeForm, choice_field, municipality_choices
from motverka.reception.rules import Answer, HousingArrangedBy, PaidByPrevious, ScreeningAnswers


class ScreeningForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Enhet"), coerce=int)
    moved_recently = forms.ChoiceField(
        label=_("Har personen flyttat hit nyligen?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
    )
    moved_on = forms.DateField(
        label=_("När flyttade personen hit?"), required=False, widget=DateInput()
    )
    from_municipality = forms.ChoiceField(label=_("Från vilken kommun?"), required=False)
    housing_arranged_by = forms.ChoiceField(
        label=_("Vem ordnade bostaden?"),
        choices=HousingArrangedBy.choices,
        widget=forms.RadioSelect,
    )
    paid_by_previous = forms.MultipleChoiceField(
        label=_("Har den tidigare kommunen betalat något av detta?"),
        choices=PaidByPrevious.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    papers_from_previous = forms.ChoiceField(
        label=_("Har personen med sig handlingar från den tidigare kommunens socialtjänst?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
    )
    wished_to_move = forms.ChoiceField(
        label=_("Ville personen själv flytta hit?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, user: Any, receiving_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "from_municipality").choices = municipality_choices(receiving_code)
        units = list(user.units.order_by("name").values_list("pk", "name"))
        choice_field(self, "unit").choices = units
        if len(units) == 1:
            self.fields["unit"].initial = units[0][0]

    def answers(self) -> ScreeningAnswers:
        data = self.cleaned_data
        return ScreeningAnswers(
            moved_recently=Answer(data["moved_recently"]),
            moved_on=data["moved_on"],
            from_municipality=data["from_municipality"],
            housing_arranged_by=HousingArrangedBy(data["housing_arranged_by"]),
            paid_by_previous=frozenset(PaidByPrevious(value) for value in data["paid_by_previous"]),
            papers_from_previous=Answer(data["papers_from_previous"]),
            wished_to_move=Answer(data["wished_to_move"]),
        )


class SuspectedCaseForm(IntakeForm):
    """The intake form less what the screening already answered: only the person, the
    target groups and the day the case came in are asked."""

    SCREENED = ("sending_municipality", "moved_on", "unit", "indicators", "indicator_note")

    def __init__(self, *args: Any, user: Any, receiving_code: str, **kwargs: Any) -> None:
        super().__init__(*args, user=user, receiving_code=receiving_code, **kwargs)
        for name in self.SCREENED:
            del self.fields[name]
        self.fields["received_on"].initial = timezone.localdate()
