# ruff: noqa: E501 - TEMPLATE_ROWS is the template as it stood, line for line
"""The case table's rows, built in Python for speed, say exactly what the template said:
the same cells, escaped the same way, a protected person's sending municipality hidden."""

from __future__ import annotations

import re

from django.template import Context, Template
from django.utils import translation

from motverka.cases.models import Case
from motverka.cases.services import case_assign
from motverka.cases.templatetags.case_tables import case_table_rows
from tests.factories import make_case

#: The rows as the template language wrote them before.
TEMPLATE_ROWS = """{% load i18n %}{% for case in cases %}
    <tr>
      <td><a href="{% url 'case_detail' case.pk %}">{{ case.reference }}</a></td>
      <td>{{ case.person.full_name }}{% if case.person.protected_identity %} <span class="badge warning">{% translate "Skyddad" %}</span>{% endif %}</td>
      <td>{% if case.person.protected_identity %}<span class="muted">{% translate "Skyddad uppgift" %}</span>{% else %}{{ case.sending_municipality.name }}{% endif %}</td>
      <td>{{ case.received_on|date:"Y-m-d" }}</td>
      <td>{{ case.get_status_display }}</td>
      <td>{% if case.assigned_to %}{{ case.assigned_to.display_name }}{% else %}<span class="muted">{% translate "Ej tilldelad" %}</span>{% endif %}</td>
    </tr>
{% empty %}
    <tr><td colspan="6">{{ empty_text }}</td></tr>
{% endfor %}"""


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def _cases(world) -> list[Case]:
    plain = make_case(world.worker_a, first_name="Ada", last_name="Demosson")
    hostile = make_case(
        world.worker_a, first_name='<script>alert("x")</script>', last_name="O'Demo & Co"
    )
    protected = make_case(
        world.worker_a, first_name="Sara", last_name="Demo", protected_identity=True
    )
    # A new case is its registrar's; the plain one is left without a case worker.
    case_assign(acting_user=world.worker_a, case=plain, assigned_to_id=None)
    return list(
        Case.objects.filter(pk__in=[plain.pk, hostile.pk, protected.pk])
        .select_related("person", "sending_municipality", "assigned_to")
        .order_by("pk")
    )


def test_rows_are_the_templates_rows(world):
    cases = _cases(world)
    with translation.override("sv"):
        expected = Template(TEMPLATE_ROWS).render(Context({"cases": cases, "empty_text": "x"}))
        built = case_table_rows(cases, "x")
    assert _squeezed(built) == _squeezed(expected)
    assert "<script>" not in built
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in built
    assert "O&#x27;Demo &amp; Co" in built


def test_a_protected_persons_municipality_is_not_shown(world):
    cases = _cases(world)
    protected_row = next(
        row for row in case_table_rows(cases, "").split("<tr>") if "Sara Demo" in row
    )
    assert "Skyddad uppgift" in protected_row
    assert "Stockholm" not in protected_row
    plain_row = next(row for row in case_table_rows(cases, "").split("<tr>") if "Ada" in row)
    assert "Stockholm" in plain_row
    assert "Ej tilldelad" in plain_row


def test_no_cases_gives_the_empty_text_escaped():
    built = case_table_rows([], "<b>Inga ärenden</b>")
    assert _squeezed(built) == '<tr><td colspan="6">&lt;b&gt;Inga ärenden&lt;/b&gt;</td></tr>'
