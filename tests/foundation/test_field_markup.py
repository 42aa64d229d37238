"""``_field.html`` is built in Python (``field_block``). Its markup must be, byte for byte,
what ``field_reference.html`` (its earlier body in the template language) renders, for every
kind of field: every form of the project, unbound and sent back with errors, and fields
with any label, help text, error and widget."""

from __future__ import annotations

import inspect
import pkgutil
from importlib import import_module
from pathlib import Path

import pytest
from django import forms
from django.forms import BaseForm
from django.template import Context, Template
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

import motverka
from motverka.cases.templatetags.form_fields import field_block

#: The body of ``_field.html`` as it was in the template language (the file has no line end
#: of its own; the include adds it).
REFERENCE = Template((Path(__file__).parent / "field_reference.html").read_text(encoding="utf-8"))
INCLUDED = Template('{% include "_field.html" %}')


def _reference(field: forms.BoundField) -> str:
    return REFERENCE.render(Context({"field": field}))


def _project_forms() -> list[type[BaseForm]]:
    """Every form class of the project's forms modules (the admin has its own templates)."""
    found: dict[str, type[BaseForm]] = {}
    for module in pkgutil.walk_packages(motverka.__path__, "motverka."):
        if not module.name.endswith("forms"):
            continue
        for name, value in vars(import_module(module.name)).items():
            if inspect.isclass(value) and issubclass(value, BaseForm):
                if value.__module__ == module.name and not name.startswith("Base"):
                    found[f"{value.__module__}.{name}"] = value
    return [found[key] for key in sorted(found)]


def _built(form_class: type[BaseForm], data: dict[str, str] | None) -> BaseForm | None:
    try:
        return form_class(data)
    except TypeError:
        return None  # needs its own arguments (a case, a user): covered by its page tests


@pytest.mark.django_db
def test_every_project_form_field_looks_as_it_did():
    compared = 0
    for form_class in _project_forms():
        for data in (None, {}, {"x": "<b>&"}):
            form = _built(form_class, data)
            if form is None:
                continue
            if data is not None:
                form.is_valid()
            for field in form:
                assert str(field_block(field)) == _reference(field), (form_class, field.name)
                compared += 1
    assert compared > 50


@pytest.mark.django_db
def test_the_include_renders_the_block_with_its_line_end():
    class One(forms.Form):
        name = forms.CharField(label="Namn", help_text="Hjälp")

    field = One({})["name"]
    One({}).is_valid()
    assert INCLUDED.render(Context({"field": field})) == _reference(field) + "\n"


texts = st.text(alphabet=st.sampled_from(list("aåÖ<>&\"' 1é")), max_size=6)
WIDGETS = [
    forms.TextInput,
    forms.Textarea,
    forms.Select,
    forms.SelectMultiple,
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.CheckboxInput,
    forms.DateInput,
    forms.NumberInput,
    forms.HiddenInput,
    forms.PasswordInput,
]


@settings(max_examples=200, deadline=None)
@given(
    label=texts,
    help_text=st.one_of(texts, texts.map(mark_safe)),
    required=st.booleans(),
    widget=st.sampled_from(WIDGETS),
    choices=st.lists(st.tuples(texts, texts), min_size=1, max_size=4),
    error=st.one_of(st.none(), texts, st.lists(texts, min_size=2, max_size=3)),
    value=st.one_of(st.none(), texts),
    auto_id=st.sampled_from(["id_%s", "f-%s", ""]),
)
def test_any_field_looks_as_the_template_made_it(
    label, help_text, required, widget, choices, error, value, auto_id
):
    if widget in (forms.Select, forms.SelectMultiple, forms.RadioSelect):
        field: forms.Field = forms.ChoiceField(choices=choices, widget=widget)
    elif widget is forms.CheckboxSelectMultiple:
        field = forms.MultipleChoiceField(choices=choices, widget=widget)
    else:
        field = forms.CharField(widget=widget)
    field.label, field.help_text, field.required = label, help_text, required
    data = None if value is None and error is None else {"f": value or ""}
    form = forms.Form(data=data, auto_id=auto_id)
    form.fields["f"] = field
    if error is not None:
        form.is_valid()
        form.add_error("f", error)
    bound = form["f"]
    assert str(field_block(bound)) == _reference(bound)
