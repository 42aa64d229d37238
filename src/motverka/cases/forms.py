"""Forms for intake, search and the journal. They parse input; services decide."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.forms import formset_factory
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from motverka.cases.vocabulary import Indicator, InterventionKind, TargetGroup
from motverka.integrity import limits
from motverka.people.identity import InvalidIdentityNumber, parse_identity_number
from motverka.people.models import Relation
from motverka.reference.models import Municipality
from motverka.workflow.policy import CaseStatus


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(name)
    return field


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)

    def format_value(self, value: Any) -> str | None:
        # A date field holds a valid date or nothing: a refused text ("2026-02-30") is not
        # put back as its value (invalid HTML; the browser would empty it anyway). The
        # error message next to the field names the problem.
        if isinstance(value, str):
            try:
                date.fromisoformat(value.strip())
            except ValueError:
                return None
        return super().format_value(value)


class CanonicalChoices(BaseChoiceIterator):
    """Choices already as (value, label) pairs. Django normalises a plain list twice, item
    by item, when it is set on a field (once for the field, once for its widget): for the
    290 municipalities that was a third of the search form's cost. An iterator of this
    kind is taken as it is."""

    def __init__(self, rows: list[tuple[str, Any]]) -> None:
        self.rows = rows

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def municipality_choices(exclude_code: str | None = None, *, blank: Any = None) -> CanonicalChoices:
    """Every municipality as "Name (code)", by name, after a first empty choice labelled
    ``blank`` ("– välj kommun –" unless given); ``exclude_code`` is left out."""
    rows = Municipality.objects.order_by("name").values_list("code", "name")
    first = ("", _("– välj kommun –") if blank is None else blank)
    return CanonicalChoices(
        [first, *((code, f"{name} ({code})") for code, name in rows if code != exclude_code)]
    )


def target_groups_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Målgrupper"), choices=TargetGroup.choices, widget=forms.CheckboxSelectMultiple
    )


def indicators_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Tecken på aktiv medverkan"),
        choices=Indicator.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def indicator_note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Anteckning om tecknen"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class IntakeForm(forms.Form):
    personal_identity_number = forms.CharField(
        label=_("Personnummer eller samordningsnummer"),
        required=False,
        max_length=20,
        help_text=_("ÅÅÅÅMMDD-NNNN. Lämna tomt om det inte är känt och ange skäl nedan."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    reserve_reason = forms.CharField(
        label=_("Skäl för reservidentitet"), required=False, max_length=255
    )
    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100)
    birth_date = forms.DateField(
        label=_("Födelsedatum (om personnummer saknas)"), required=False, widget=DateInput()
    )
    protected_identity = forms.BooleanField(label=_("Skyddade personuppgifter"), required=False)
    sending_municipality = forms.ChoiceField(label=_("Avsändande kommun"))
    moved_on = forms.DateField(label=_("Flyttdatum"), required=False, widget=DateInput())
    received_on = forms.DateField(label=_("Datum då ärendet kom in"), widget=DateInput())
    unit = forms.TypedChoiceField(label=_("Enhet"), coerce=int)
    target_groups = target_groups_field()
    indicators = indicators_field()
    indicator_note = indicator_note_field()
    allow_open_case = forms.BooleanField(
        label=_("Registrera ändå ett nytt ärende trots att ett öppet ärende finns"),
        required=False,
    )

    def clean_personal_identity_number(self) -> str:
        value = self.cleaned_data["personal_identity_number"]
        if value.strip():
            try:
                parse_identity_number(value)
            except InvalidIdentityNumber as error:
                raise forms.ValidationError(str(error)) from error
        return value

    def __init__(self, *args: Any, user: Any, receiving_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "sending_municipality").choices = municipality_choices(receiving_code)
        units = list(user.units.order_by("name").values_list("pk", "name"))
        choice_field(self, "unit").choices = units
        if len(units) == 1:
            self.fields["unit"].initial = units[0][0]
        self.fields["received_on"].initial = timezone.localdate()


def decision_fields(*, added: bool = False) -> dict[str, forms.Field]:
    """An intervention's decision: date, legal basis and how long the need lasts (at intake;
    ``added`` for an intervention added in a correction, labelled "Ny insats: …")."""
    labels = (
        (
            _("Ny insats: beslutsdatum"),
            _("Ny insats: lagstöd"),
            _("Ny insats: behovet beräknas bestå till och med"),
        )
        if added
        else (_("Beslutsdatum"), _("Lagstöd"), _("Behovet beräknas bestå till och med"))
    )
    return {
        "decided_on": forms.DateField(label=labels[0], required=False, widget=DateInput()),
        "legal_basis": forms.CharField(
            label=labels[1],
            required=False,
            max_length=200,
            help_text=_("Lagrummet som det står i beslutet från avsändande kommun."),
        ),
        "needed_until": forms.DateField(label=labels[2], required=False, widget=DateInput()),
    }


class InterventionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Typ av insats"),
        choices=[("", _("– ingen –")), *InterventionKind.choices],
        required=False,
    )
    description = forms.CharField(label=_("Beskrivning"), required=False, max_length=255)
    ongoing = forms.BooleanField(label=_("Pågående"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(decision_fields())


class HouseholdMemberForm(forms.Form):
    first_name = forms.CharField(label=_("Förnamn"), required=False, max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), required=False, max_length=100)
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices, required=False)
    birth_date = forms.DateField(label=_("Födelsedatum"), required=False, widget=DateInput())


InterventionFormSet = formset_factory(InterventionForm, extra=2, max_num=10)
HouseholdFormSet = formset_factory(HouseholdMemberForm, extra=3, max_num=15)


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("Diarienummer eller namn"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alla")), *CaseStatus.choices]
    )
    sending_municipality = forms.ChoiceField(label=_("Avsändande kommun"), required=False)
    target_group = forms.ChoiceField(
        label=_("Målgrupp"), required=False, choices=[("", _("Alla")), *TargetGroup.choices]
    )
    assigned_to = forms.ChoiceField(label=_("Handläggare"), required=False)
    vantar = forms.ChoiceField(
        label=_("Väntar på"),
        required=False,
        choices=[
            ("", _("Alla")),
            ("overflyttning", _("Svar på begäran om överflyttning")),
            ("ivo", _("Beslut från IVO")),
        ],
    )
    oppna = forms.BooleanField(label=_("Endast öppna ärenden"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "sending_municipality").choices = municipality_choices(blank=_("Alla"))
        colleagues = (
            get_user_model()
            .objects.filter(units__in=user.units.all(), is_active=True)
            .distinct()
            .order_by("first_name", "last_name")
        )
        choice_field(self, "assigned_to").choices = [
            ("", _("Alla")),
            ("me", _("Mina ärenden")),
            ("none", _("Ej tilldelade")),
        ] + [(str(colleague.pk), colleague.display_name()) for colleague in colleagues]


class IdentityNumberSearchForm(forms.Form):
    identity_number = forms.CharField(
        label=_("Personnummer"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class JournalEntryForm(forms.Form):
    entry_date = forms.DateField(label=_("Händelsedatum"), widget=DateInput())
    text = forms.CharField(
        label=_("Anteckning"),
        max_length=limits.JOURNAL_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    sign = forms.BooleanField(label=_("Signera direkt"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry_date"].initial = timezone.localdate()


class AssignForm(forms.Form):
    assigned_to = forms.TypedChoiceField(
        label=_("Handläggare"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = case.unit.members.filter(is_active=True).order_by("first_name")
        choice_field(self, "assigned_to").choices = [("", _("– ingen –"))] + [
            (member.pk, member.display_name()) for member in members if member.works_with_cases
        ]


class CaseCorrectionForm(forms.Form):
    """Correcting intake data; prefilled with the current values, a reason is required."""

    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100)
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False)
    sending_municipality = forms.ChoiceField(label=_("Avsändande kommun"))
    moved_on = forms.DateField(label=_("Flyttdatum"), required=False, widget=DateInput())
    received_on = forms.DateField(label=_("Datum då ärendet kom in"), widget=DateInput())
    target_groups = target_groups_field()
    indicators = indicators_field()
    indicator_note = indicator_note_field()
    household_remove = forms.TypedMultipleChoiceField(
        label=_("Ta bort ur hushållet"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    member_first_name = forms.CharField(
        label=_("Ny hushållsmedlem: förnamn"), required=False, max_length=100
    )
    member_last_name = forms.CharField(
        label=_("Ny hushållsmedlem: efternamn"), required=False, max_length=100
    )
    member_relation = forms.ChoiceField(
        label=_("Ny hushållsmedlem: relation"), choices=Relation.choices, required=False
    )
    member_birth_date = forms.DateField(
        label=_("Ny hushållsmedlem: födelsedatum"), required=False, widget=DateInput()
    )
    interventions_remove = forms.TypedMultipleChoiceField(
        label=_("Ta bort insats"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    intervention_kind = forms.ChoiceField(
        label=_("Ny insats: typ"),
        choices=[("", _("– ingen –")), *InterventionKind.choices],
        required=False,
    )
    intervention_description = forms.CharField(
        label=_("Ny insats: beskrivning"), required=False, max_length=255
    )
    intervention_ongoing = forms.BooleanField(label=_("Ny insats: pågående"), required=False)
    reason = forms.CharField(
        label=_("Skäl till ändringen"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Till exempel: stavfel rättat efter kontroll mot folkbokföringen."),
    )

    def __init__(self, *args: Any, case: Any, receiving_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in decision_fields(added=True).items():
            self.fields[f"intervention_{name}"] = field
        choice_field(self, "sending_municipality").choices = municipality_choices(receiving_code)
        choice_field(self, "household_remove").choices = [
            (member.pk, f"{member} ({member.get_relation_display().lower()})")
            for member in case.household.all()
        ]
        choice_field(self, "interventions_remove").choices = [
            (item.pk, item.summary()) for item in case.interventions.all()
        ]
