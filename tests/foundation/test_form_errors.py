"""Form errors people can find (WCAG 1.3.1, 3.3.1): each error is tied to its field or its
group of checkboxes or radio buttons, the summary links to ids that exist, the page title
says "Fel – …", and the summary's heading says what failed."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from motverka.cases.forms import IntakeForm
from motverka.housing.forms import LandlordForm

pytestmark = pytest.mark.django_db


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def _render(form, names) -> str:
    fields = "".join(render_to_string("_field.html", {"field": form[name]}) for name in names)
    return render_to_string("_errors.html", {"form": form}) + fields


def test_a_checkbox_group_error_is_tied_to_its_fieldset_and_the_summary_links_to_it(world):
    form = IntakeForm(data={}, user=world.worker_a, receiving_code="1430")
    assert form.errors["target_groups"]
    html = _render(form, list(form.fields))
    fieldset = re.search(r'<fieldset id="id_target_groups"[^>]*>', html)
    assert fieldset, html
    assert 'aria-describedby="id_target_groups_error"' in fieldset[0]
    assert 'id="id_target_groups_error"' in html
    links = re.findall(r'href="#([^"]+)"', html)
    assert "id_target_groups_0" in links
    missing = [link for link in links if link not in _ids(html)]
    assert missing == [], missing
    assert len(_ids(html)) == len(re.findall(r'\sid="', html)), "duplicate ids"


def test_a_radio_group_is_a_fieldset_described_by_its_error():
    form = LandlordForm(data={"name": "Bostads AB"})
    assert form.errors["kind"]
    html = _render(form, ["kind", "name"])
    fieldset = re.search(r'<fieldset id="id_kind"[^>]*>', html)
    assert fieldset and "id_kind_error" in fieldset[0]
    assert 'href="#id_kind_0"' in html and 'id="id_kind_0"' in html


def test_an_input_is_described_by_its_help_text_and_its_error(world):
    form = IntakeForm(data={"moved_on": "i fjol"}, user=world.worker_a, receiving_code="1430")
    html = render_to_string("_field.html", {"field": form["moved_on"]})
    described = re.search(r'<input[^>]*id="id_moved_on"[^>]*>', html)[0]
    assert "id_moved_on_error" in described and 'aria-invalid="true"' in described
    assert 'value="i fjol"' not in described  # a date input holds a date or nothing


def test_a_refused_filter_says_it_could_not_be_shown_and_the_title_says_fel(client, world):
    client.force_login(world.analyst)
    response = client.get(reverse("figures"), {"start": "2026-13-01", "end": "2026-01-01"})
    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(r"<title>Fel – Statistik", html)
    assert "Statistiken kunde inte visas" in html and "kunde inte sparas" not in html
    assert "<title>Statistik" in client.get(reverse("figures")).content.decode()


def test_error_pages_are_titled_fel(client, world):
    client.force_login(world.worker_a)
    html = client.get("/finns-inte/").content.decode()
    assert "<title>Fel – Sidan hittades inte – Motverka</title>" in html
    client.force_login(world.analyst)
    html = client.get(reverse("case_list")).content.decode()
    assert "<title>Fel – Ingen behörighet – Motverka</title>" in html
