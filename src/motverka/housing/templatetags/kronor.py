from django import template

from motverka.housing.amounts import format_amount

register = template.Library()


@register.filter
def kronor(value):  # type: ignore[no-untyped-def]
    """8950 → "8 950 kr" (non-breaking spaces)."""
    return format_amount(value)
