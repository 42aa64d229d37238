"""Forms of the letter pages: they only parse input; the services validate the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motverka.cases.forms import DateInput
from motverka.integrity import limits
from motverka.letters.models import LetterKind, SendingChannel
from motverka.letters.placeholders import from_editable, placeholders_for


class LetterCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ av skrivelse"), choices=LetterKind.choices)


class LetterDraftForm(forms.Form):
    letter_date = forms.DateField(
        label=_("Datum"),
        widget=DateInput(),
        help_text=_("Lagrummet som skrivelsen hänvisar till väljs efter detta datum."),
    )
    recipient_name = forms.CharField(label=_("Mottagare"), max_length=200, required=False)
    recipient_address = forms.CharField(
        label=_("Mottagarens adress"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    recipient_email = forms.CharField(label=_("Mottagarens e-post"), max_length=254, required=False)
    subject = forms.CharField(label=_("Rubrik"), max_length=255)
    body = forms.CharField(
        label=_("Text"),
        max_length=limits.LETTER_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 28}),
        help_text=_(
            "Fält som «Diarienummer» hämtas ur ärendet och fylls i vid förhandsgranskning och "
            "när skrivelsen slutförs; ett tomt fält lämnas ute. Fälten finns i listan under "
            "texten. En rad som börjar med ## blir en rubrik. Ersätt alla [FYLL I: …] innan "
            "skrivelsen slutförs."
        ),
    )

    def __init__(self, *args: Any, kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind

    def _from_editable(self, name: str) -> str:
        text, problems = from_editable(self.cleaned_data[name], placeholders_for(self.kind))
        if problems:
            raise forms.ValidationError(problems)
        return text

    def clean_subject(self) -> str:
        return self._from_editable("subject")

    def clean_body(self) -> str:
        return self._from_editable("body")


class LetterFinaliseForm(forms.Form):
    confirm_unverified_reference = forms.BooleanField(
        label=_("Jag har kontrollerat hänvisningen och vill slutföra skrivelsen ändå"),
        required=False,
    )
    #: The digest of the preview the user saw (letters.composition.Composition.digest).
    preview_sha256 = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


class LetterSentForm(forms.Form):
    sent_on = forms.DateField(label=_("Skickad den"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Kanal"), choices=SendingChannel.choices)
