"""The ``<select>`` the ``described`` filter builds in Python (its options' markup kept per
choice list) shows what Django's own Select widget would: the same options, labels and
selection, escaped — whatever was selected on an earlier page."""

from __future__ import annotations

from html.parser import HTMLParser

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st

from motverka.cases.templatetags.form_fields import described


class _Options(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.options: list[tuple[str, str, bool, str]] = []
        self._group = ""
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "optgroup":
            self._group = values.get("label") or ""
        if tag == "option":
            self._open = [values.get("value") or "", "", "selected" in values, self._group]

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._open is not None:
            value, label, selected, group = self._open
            self.options.append((value, label, selected, group))
            self._open = None
        if tag == "optgroup":
            self._group = ""


def _shown(html: str) -> list[tuple[str, str, bool, str]]:
    parser = _Options()
    parser.feed(html)
    return parser.options


def _django(field: forms.Field, value: object) -> list[tuple[str, str, bool, str]]:
    """What Django's widget would show: its option groups, their labels and selection."""
    shown = []
    bound = forms.Form(data={"f": value} if value is not None else None)
    bound.fields["f"] = field
    chosen = field.widget.format_value(bound["f"].value())
    for group, options, _index in field.widget.optgroups("f", chosen, {}):
        for option in options:
            shown.append(
                (str(option["value"]), str(option["label"]), option["selected"], str(group or ""))
            )
    return shown


def _ours(field: forms.Field, value: object) -> str:
    form = forms.Form(data={"f": value} if value is not None else None)
    form.fields["f"] = field
    return str(described(form["f"]))


texts = st.text(alphabet=st.sampled_from(list("aåÖ<>&\"' 1é")), max_size=6)


@settings(max_examples=150, deadline=None)
@given(
    choices=st.lists(st.tuples(texts, texts), min_size=1, max_size=6),
    pick=st.integers(min_value=0, max_value=7),
    multiple=st.booleans(),
)
def test_the_options_and_the_selection_are_djangos(choices, pick, multiple):
    values = [value for value, _label in choices]
    chosen = values[pick] if pick < len(values) else "inte ett val"
    if multiple:
        field: forms.Field = forms.MultipleChoiceField(choices=choices, required=False)
        value: object = [chosen]
    else:
        field = forms.ChoiceField(choices=choices, required=False)
        value = chosen
    assert _shown(_ours(field, value)) == _django(field, value)


def test_an_earlier_selection_does_not_stay():
    choices = [("", "Alla"), ("1430", "Munkedal (1430)"), ("1480", "Göteborg (1480)")]
    first = _shown(_ours(forms.ChoiceField(choices=choices, required=False), "1480"))
    second = _shown(_ours(forms.ChoiceField(choices=choices, required=False), "1430"))
    assert [selected for _v, _l, selected, _g in first] == [False, False, True]
    assert [selected for _v, _l, selected, _g in second] == [False, True, False]
    # Nothing chosen: the empty choice is the selected one, as in Django's widget.
    nothing = _shown(_ours(forms.ChoiceField(choices=choices, required=False), None))
    assert [selected for _v, _l, selected, _g in nothing] == [True, False, False]


def test_a_value_that_begins_another_selects_only_itself():
    choices = [("1", "Ett"), ("10", "Tio"), ("1", "Ett igen")]
    shown = _shown(_ours(forms.ChoiceField(choices=choices, required=False), "1"))
    # A single choice marks the first option with the value, as Django does.
    assert [selected for _v, _l, selected, _g in shown] == [True, False, False]
    shown = _shown(_ours(forms.ChoiceField(choices=choices, required=False), "10"))
    assert [selected for _v, _l, selected, _g in shown] == [False, True, False]


def test_groups_safe_labels_and_lazy_labels():
    choices = [
        ("Län", [("a", "<b>A</b>"), ("b", mark_safe("<em>B</em>"))]),
        ("c", gettext_lazy("Alla")),
    ]
    html = _ours(forms.ChoiceField(choices=choices, required=False), "b")
    assert '<optgroup label="Län"><option value="a">&lt;b&gt;A&lt;/b&gt;</option>' in html
    assert '<option value="b" selected><em>B</em></option>' in html
    # A lazy label is translated when the page is built, and kept as its text.
    html = _ours(forms.ChoiceField(choices=choices, required=False), "c")
    assert '<option value="c" selected>Alla</option>' in html
