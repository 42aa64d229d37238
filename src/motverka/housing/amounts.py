"""Amounts in kronor as people write them: "8 950", "8 950,50", "8950.50".

Spaces of any kind (the ordinary one, the non-breaking U+00A0, the narrow U+202F and the
thin U+2009, which word processors and Swedish number formatting put in) group the
thousands; a comma or a point separates the öre. Forms, the API and the services accept
the same texts; pages show amounts as "8 950 kr" (non-breaking spaces, so an amount never
breaks over two lines).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

#: Characters that group thousands in an amount.
GROUPING_SPACES = " \u00a0\u202f\u2009"
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:[" + GROUPING_SPACES + r"]\d{3})+(?:[.,]\d*)?$")
_PLAIN = re.compile(r"^[+-]?\d*(?:[.,]\d*)?$")
_NBSP = "\u00a0"


def parse_amount(value: Any) -> Decimal:
    """``value`` as a Decimal; raises ValueError for a text that is not an amount. Spaces
    must group whole thousands ("8 950", not "89 50")."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = str(value).strip().removesuffix("kr").strip()
    if not (_GROUPED.match(text) or _PLAIN.match(text)) or not re.search(r"\d", text):
        raise ValueError(text)
    for space in GROUPING_SPACES:
        text = text.replace(space, "")
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation as error:
        raise ValueError(text) from error


def format_amount(value: Decimal | int | None) -> str:
    """ "8 950 kr", "8 950,50 kr" (non-breaking spaces); "" for None."""
    if value is None:
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"))
    whole, cents = f"{amount:,.2f}".split(".")
    text = whole.replace(",", _NBSP)
    if cents != "00":
        text += "," + cents
    return f"{text}{_NBSP}kr"


class AmountField(forms.DecimalField):
    """A DecimalField that also takes thousands grouped with spaces ("8 950")."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Ange ett belopp i kronor, till exempel 8 950.")}

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        try:
            return parse_amount(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return format_amount(value).removesuffix(f"{_NBSP}kr")
        return value

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # A text box: a number input refuses the spaces people type.
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.pop("min", None)
        attrs.pop("max", None)
        attrs["inputmode"] = "decimal"
        return attrs
