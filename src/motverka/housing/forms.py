"""Forms of the housing panels and the landlord pages. They parse input only; the services
validate the rules and say what is wrong in Swedish."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motverka.cases.forms import DateInput
from motverka.housing.amounts import AmountField
from motverka.housing.vocabulary import (
    Answer,
    ArrangedBy,
    ChildHeardBy,
    HousingAssessment,
    LandlordKind,
    LeaseType,
)
from motverka.people.identity import InvalidIdentityNumber, parse_identity_number

_TEXTAREA = {"rows": 3}


def _blank(choices: Any, label: Any) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class SearchInput(forms.TextInput):
    input_type = "search"


class HousingForm(forms.Form):
    address = forms.CharField(
        label=_("Adress"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    clear_address = forms.BooleanField(label=_("Ta bort den sparade adressen"), required=False)
    lease_type = forms.ChoiceField(
        label=_("Typ av kontrakt"), required=False, choices=_blank(LeaseType.choices, "–")
    )
    arranged_by = forms.ChoiceField(
        label=_("Vem ordnade bostaden"), required=False, choices=_blank(ArrangedBy.choices, "–")
    )
    landlord = forms.TypedChoiceField(
        label=_("Hyresvärd"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    # Not saved: the organisations matching it are offered as further choices of
    # ``landlord`` (housing/_landlord_search.html; by htmx while typing, or by the form's
    # own search button without JavaScript).
    landlord_search = forms.CharField(
        label=_("Sök hyresvärd (organisation)"),
        required=False,
        max_length=100,
        help_text=_("Skriv en del av namnet eller organisationsnumret."),
        widget=SearchInput(attrs={"autocomplete": "off"}),
    )
    landlord_identity_number = forms.CharField(
        label=_("eller hyresvärdens personnummer (privatperson)"),
        required=False,
        max_length=20,
        help_text=_("För en hyresvärd som är privatperson och redan finns i registret."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    monthly_rent = AmountField(
        label=_("Månadshyra (kr)"),
        required=False,
        min_value=0,
        decimal_places=2,
    )
    rooms = forms.IntegerField(
        label=_("Antal rum (kök oräknat)"), required=False, min_value=1, max_value=50
    )
    area_m2 = forms.DecimalField(
        label=_("Boarea (m²)"), required=False, min_value=0, decimal_places=1, localize=True
    )
    rent_paid_months = forms.IntegerField(
        label=_("Antal månader hyra som avsändande kommun betalar"),
        required=False,
        min_value=0,
        max_value=60,
    )
    rent_paid_until = forms.DateField(
        label=_("Hyran betald av avsändande kommun till och med"),
        required=False,
        widget=DateInput(),
        help_text=_("Ger en bevakning: då vänder sig den enskilde ofta till oss för hyran."),
    )
    deposit_paid = AmountField(
        label=_("Deposition betald av avsändande kommun (kr)"),
        required=False,
        min_value=0,
        decimal_places=2,
    )
    moving_costs_paid = AmountField(
        label=_("Flyttkostnader betalda av avsändande kommun (kr)"),
        required=False,
        min_value=0,
        decimal_places=2,
    )
    assistance_paid_monthly = forms.DecimalField(
        label=_("Ekonomiskt bistånd som vi betalar per månad efter flytten (kr)"),
        required=False,
        min_value=0,
        decimal_places=2,
        localize=True,
        help_text=_("Frivilligt. Räknas i statistiken över kostnader efter flytten."),
    )
    note = forms.CharField(
        label=_("Anteckning"), required=False, widget=forms.Textarea(attrs=_TEXTAREA)
    )

    landlord_hits: list[dict[str, Any]]

    def offer_landlords(self, hits: list[tuple[int, str]], *, more: bool) -> None:
        """Show the organisations a search found as further choices (no JavaScript)."""
        self.landlord_hits = [{"pk": pk, "label": label} for pk, label in hits]
        self.landlord_searched = True
        self.landlord_more = more

    def clean_landlord_identity_number(self) -> str:
        raw = self.cleaned_data["landlord_identity_number"].strip()
        if not raw:
            return ""
        try:
            return parse_identity_number(raw).canonical
        except InvalidIdentityNumber as error:
            raise forms.ValidationError(str(error)) from error

    def __init__(
        self, *args: Any, landlords: list[tuple[str, str]], protected: bool, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", "id_housing_%s")
        super().__init__(*args, **kwargs)
        landlord_field = self.fields["landlord"]
        assert isinstance(landlord_field, forms.ChoiceField)  # noqa: S101
        landlord_field.choices = _blank(landlords, _("Ingen hyresvärd"))
        self.fields["landlord_search"].widget.attrs.update(
            {
                "data-hx-get": reverse("landlord_search"),
                "data-hx-trigger": "input changed delay:300ms, search",
                "data-hx-target": "#landlord-hits",
                "data-hx-swap": "innerHTML",
                "aria-controls": "landlord-hits",
            }
        )
        self.protected = protected
        self.landlord_hits = []
        self.landlord_searched = False
        self.landlord_more = False
        if protected:
            self.fields["address"].help_text = _(
                "Skyddade personuppgifter: den sparade adressen visas inte. Lämna fältet tomt "
                "för att behålla den."
            )
        else:
            del self.fields["clear_address"]


class PersonalAccountForm(forms.Form):
    told_on = forms.DateField(label=_("Datum för samtalet"), widget=DateInput())
    wish_to_move = forms.ChoiceField(
        label=_("Uttryckte den enskilde en vilja att flytta?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
    )
    knew_destination = forms.ChoiceField(
        label=_("Visste den enskilde vart flytten gick?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
    )
    told_what = forms.CharField(
        label=_("Vad fick den enskilde veta om flytten?"),
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
    )
    told_by = forms.CharField(label=_("Av vem?"), required=False, max_length=255)
    lease_found_by = forms.CharField(
        label=_("Vem hittade bostaden?"), required=False, max_length=255
    )
    lease_signed_by = forms.CharField(
        label=_("Vem skrev under kontraktet?"), required=False, max_length=255
    )
    support_before = forms.CharField(
        label=_("Vilket stöd hade den enskilde före flytten?"),
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
    )
    support_lost = forms.CharField(
        label=_("Vilket stöd förlorades med flytten?"),
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
    )
    wishes_now = forms.CharField(
        label=_("Vad önskar den enskilde nu?"),
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
    )
    free_text = forms.CharField(
        label=_("Berättelsen med den enskildes egna ord"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_account_%s")
        super().__init__(*args, **kwargs)
        self.fields["told_on"].initial = timezone.localdate()


class ChildViewForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Barn"), coerce=int)
    heard_on = forms.DateField(label=_("Datum"), widget=DateInput())
    heard_by = forms.ChoiceField(label=_("Hur"), choices=ChildHeardBy.choices)
    view = forms.CharField(label=_("Barnets synpunkter"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, children: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_child_%s")
        super().__init__(*args, **kwargs)
        member = self.fields["member"]
        assert isinstance(member, forms.ChoiceField)  # noqa: S101
        member.choices = [(child.pk, str(child)) for child in children]
        self.fields["heard_on"].initial = timezone.localdate()


class HomeVisitPlanForm(forms.Form):
    planned_on = forms.DateField(label=_("Planerat datum"), widget=DateInput())
    planned_time = forms.TimeField(
        label=_("Tid"),
        input_formats=["%H:%M"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Ange en tid (TT:MM).")},
    )
    participants = forms.CharField(
        label=_("Vilka deltar"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_plan_%s")
        super().__init__(*args, **kwargs)


def _visit_choices(visits: list[Any]) -> list[tuple[Any, Any]]:
    return [
        (
            visit.pk,
            _("Planerat %(date)s")
            % {
                "date": visit.planned_on.isoformat()
                + (f" {visit.planned_time:%H:%M}" if visit.planned_time else "")
            },
        )
        for visit in visits
        if visit.planned_on
    ]


class HomeVisitReportForm(forms.Form):
    visit = forms.TypedChoiceField(label=_("Gäller"), required=False, coerce=int, empty_value=None)
    performed_on = forms.DateField(label=_("Datum för hembesöket"), widget=DateInput())
    participants = forms.CharField(
        label=_("Vilka deltog"), widget=forms.Textarea(attrs={"rows": 2})
    )
    condition = forms.CharField(label=_("Bostadens skick"), widget=forms.Textarea(attrs=_TEXTAREA))
    dampness_or_damage = forms.CharField(
        label=_("Fukt eller skador"),
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text=_("Lämna tomt om inget iakttogs."),
    )
    safety = forms.CharField(
        label=_("Säkerhet (brand, el, lås, miljö)"),
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
    )
    space_note = forms.CharField(
        label=_("Utrymme i förhållande till hushållet"),
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text=_("Antal personer och rum per person räknas fram ur hushållet och bostaden."),
    )
    assessment = forms.ChoiceField(
        label=_("Bedömning av bostaden"),
        choices=HousingAssessment.choices,
        widget=forms.RadioSelect,
    )
    advised_to_seek_housing = forms.BooleanField(
        label=_("Den enskilde har uppmanats att söka ny bostad"),
        required=False,
        help_text=_("Krävs när bostaden bedöms som olämplig eller skadlig."),
    )
    advised_on = forms.DateField(
        label=_("Datum för uppmaningen"), required=False, widget=DateInput()
    )
    advice_note = forms.CharField(
        label=_("Anteckning om uppmaningen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, planned: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_visit_%s")
        super().__init__(*args, **kwargs)
        visit = self.fields["visit"]
        assert isinstance(visit, forms.ChoiceField)  # noqa: S101
        visit.choices = [("", _("Ett oplanerat besök")), *_visit_choices(planned)]
        self.fields["performed_on"].initial = timezone.localdate()


class HomeVisitCancelForm(forms.Form):
    visit = forms.TypedChoiceField(label=_("Besök"), coerce=int)
    reason = forms.CharField(label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, planned: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_cancel_%s")
        super().__init__(*args, **kwargs)
        visit = self.fields["visit"]
        assert isinstance(visit, forms.ChoiceField)  # noqa: S101
        visit.choices = _visit_choices(planned)


class LandlordContactForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    contact_person = forms.CharField(label=_("Kontaktperson"), required=False, max_length=200)
    phone = forms.CharField(label=_("Telefon"), required=False, max_length=40)
    email = forms.CharField(label=_("E-post"), required=False, max_length=254)
    postal_address = forms.CharField(
        label=_("Postadress"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class LandlordForm(LandlordContactForm):
    kind = forms.ChoiceField(
        label=_("Hyresvärden är"), choices=LandlordKind.choices, widget=forms.RadioSelect
    )
    organisation_number = forms.CharField(
        label=_("Organisationsnummer"),
        required=False,
        max_length=20,
        help_text=_("För företag och organisationer: NNNNNN-NNNN."),
    )
    personal_identity_number = forms.CharField(
        label=_("Personnummer"),
        required=False,
        max_length=20,
        help_text=_("För en privatperson som hyr ut: ÅÅÅÅMMDD-NNNN. Visas maskerat i listor."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    field_order = ["kind", "name", "organisation_number", "personal_identity_number"]


class LandlordSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Sök på namn eller organisationsnummer"), required=False, max_length=100
    )
