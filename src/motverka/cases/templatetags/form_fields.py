"""Form fields tied to their help text and errors (WCAG 1.3.1, 3.3.1), for _field.html and
_errors.html."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import forms, template
from django.forms import BaseForm, BoundField
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def _is_group(field: BoundField) -> bool:
    widget = field.field.widget
    input_type = getattr(widget, "input_type", "")
    multiple = getattr(widget, "allow_multiple_selected", False)
    return input_type == "radio" or (input_type == "checkbox" and multiple)


REQUIRED_MARK = ' <span aria-hidden="true">*</span>'


@register.simple_tag
def field_block(field: BoundField) -> SafeString:
    """A field with its label, help text and errors (the body of ``_field.html``).

    Built in Python with the markup the template language gave (the saving on the list
    page was about 0.5 ms of its 11 ms of template CPU). A group of checkboxes or radio
    buttons is a fieldset; its legend is the label and its help text and errors describe
    it (WCAG 1.3.1, 3.3.1)."""
    errors = field.errors
    help_text = field.help_text
    auto_id = conditional_escape(field.auto_id)
    label = conditional_escape(field.label)
    required = REQUIRED_MARK if field.field.required else ""
    help_html = (
        f'<div class="help" id="{auto_id}_helptext">{conditional_escape(help_text)}</div>'
        if help_text
        else ""
    )
    error_html = (
        f'<p class="field-error" id="{auto_id}_error">'
        f"{' '.join(conditional_escape(str(error)) for error in errors)}</p>"
        if errors
        else ""
    )
    parts = [f'<div class="field{" has-error" if errors else ""}">\n  ']
    if _is_group(field):
        described_by = conditional_escape(_description_ids(field))
        choices = "".join(
            f'<label class="choice">{conditional_escape(choice.tag())} '
            f"{conditional_escape(choice.choice_label)}</label>"
            for choice in field
        )
        describes = f' aria-describedby="{described_by}"' if described_by else ""
        parts.append(
            f'\n  \n  <fieldset id="{auto_id}"{describes}>'
            f"<legend>{label}{required}</legend>\n"
            f"    {help_html}\n    {error_html}\n    {choices}\n  </fieldset>\n  "
        )
    else:
        if getattr(field.field.widget, "input_type", None) == "checkbox":
            parts.append(f"\n  \n  <label>{described(field)} {label}</label>\n  ")
        else:
            parts.append(
                f'\n  \n  <label for="{conditional_escape(field.id_for_label)}">'
                f"{label}{required}</label>\n  {described(field)}\n  "
            )
        parts.append(f"\n  {help_html}\n  {error_html}\n  ")
    parts.append("\n</div>")
    return SafeString("".join(parts))


def _description_ids(field: BoundField) -> str:
    """The ids of the field's help text and error message, as ``aria-describedby`` names
    them ("" for neither)."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


@register.filter
def described(field: BoundField) -> SafeString:
    """The widget with ``aria-describedby`` naming its help text and its error message."""
    ids = _description_ids(field)
    attrs: dict[str, str | bool] = {"aria-describedby": ids} if ids else {}
    widget = field.field.widget
    if type(widget) in (forms.Select, forms.SelectMultiple):
        return _select(field, attrs)
    return field.as_widget(attrs=attrs)


def _select(field: BoundField, attrs: dict[str, Any]) -> SafeString:
    """A plain ``<select>`` built in Python, with the markup of Django's widget templates,
    which render two templates per option (10 ms for the 290 municipalities)."""
    widget = field.field.widget
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    final = widget.build_attrs(widget.attrs, attrs)
    multiple = widget.allow_multiple_selected
    if multiple:
        final["multiple"] = True
    options = _options(_choice_key(widget.choices))
    for value in widget.format_value(field.value()):
        # The first option with the value is the selected one (Django's rule for a single
        # choice); with ``multiple`` every option of a chosen value.
        plain = f'<option value="{conditional_escape(value)}">'
        chosen = f'<option value="{conditional_escape(value)}" selected>'
        options = options.replace(plain, chosen, -1 if multiple else 1)
        if not multiple and chosen in options:
            break
    return format_html(
        '<select name="{}"{}>{}</select>',
        field.html_name,
        flatatt(final),
        SafeString(options),
    )


def _choice_key(choices: Any) -> tuple[Any, ...]:
    """The choices as a hashable key: each label as the text it shows now (a lazy label is
    translated here), and whether it is already safe HTML."""

    def label_key(label: Any) -> tuple[str, bool]:
        return str(label), hasattr(label, "__html__")

    key: list[Any] = []
    for value, label in choices:
        value = "" if value is None else str(value)
        if isinstance(label, (list, tuple)):
            group = tuple(("" if v is None else str(v), *label_key(text)) for v, text in label)
            key.append((value, group))
        else:
            key.append((value, *label_key(label)))
    return tuple(key)


@lru_cache(maxsize=256)
def _options(key: tuple[Any, ...]) -> str:
    """The ``<option>`` (and ``<optgroup>``) markup of a choice list, none selected: the
    same lists (municipalities, statuses) come back on every page and are escaped once."""

    def option(value: str, label: str, safe: bool) -> str:
        text = label if safe else escape(label)
        return f'<option value="{escape(value)}">{text}</option>'

    parts = []
    for entry in key:
        if isinstance(entry[1], tuple):
            inner = "".join(option(*choice) for choice in entry[1])
            parts.append(f'<optgroup label="{escape(entry[0])}">{inner}</optgroup>')
        else:
            parts.append(option(*entry))
    return "".join(parts)


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
