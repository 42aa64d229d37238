"""Forms of the sign-in steps and the user's own security pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class OneTimeCodeForm(forms.Form):
    token = forms.CharField(
        label=_("Engångskod"),
        max_length=32,
        help_text=_("Sex siffror från autentiseringsappen, eller en av dina reservkoder."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class EnrolmentCodeForm(forms.Form):
    token = forms.CharField(
        label=_("Kod från appen"),
        max_length=32,
        help_text=_("Sex siffror som appen visar när du har lagt till kontot."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
