"""Form fields tied to their help text and errors (WCAG 1.3.1, 3.3.1), for _field.html and
_errors.html."""

from __future__ import annotations

from django import template
from django.forms import BaseForm, BoundField
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def _is_group(field: BoundField) -> bool:
    widget = field.field.widget
    input_type = getattr(widget, "input_type", "")
    multiple = getattr(widget, "allow_multiple_selected", False)
    return input_type == "radio" or (input_type == "checkbox" and multiple)


@register.filter
def described(field: BoundField) -> SafeString:
    """The widget with ``aria-describedby`` naming its help text and its error message."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    attrs: dict[str, str | bool] = {"aria-describedby": " ".join(ids)} if ids else {}
    return field.as_widget(attrs=attrs)


@register.filter
def error_anchor(field: BoundField) -> str:
    """The id an error summary links to: the input itself, or a group's first option (the
    fieldset carries the group's id, its first option is where the keyboard goes)."""
    if _is_group(field):
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


@register.simple_tag(takes_context=True)
def error_title_prefix(context: template.Context) -> str:
    """ "Fel – " before the page title when the page shows a form sent back with errors, so
    the first thing a screen reader says is that something failed (WCAG 3.3.1)."""
    for value in context.flatten().values():
        if isinstance(value, BaseForm) and value.is_bound and value.errors:
            return str(_("Fel – "))
    return ""
