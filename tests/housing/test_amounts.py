"""Amounts as people write them ("8 950", with any kind of space between the thousands):
accepted by the form, the API and the service; shown as "8 950 kr"."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from motverka.housing.amounts import format_amount, parse_amount
from motverka.housing.models import Housing
from tests.housing.helpers import new_case

NBSP = "\u00a0"
API = "/api/v1"


def put(client, path, data):
    """PUT with the ETag of a read just before (If-Match is required)."""
    tag = client.get(path).get("ETag", "")
    return client.client.put(
        path,
        json.dumps(data),
        content_type="application/json",
        HTTP_IF_MATCH=tag,
        **client.headers,
    )


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("8950", "8950"),
        ("8 950", "8950"),
        ("8\u00a0950", "8950"),
        ("8\u202f950", "8950"),
        ("8\u2009950", "8950"),
        ("1 234 567,50", "1234567.50"),
        ("8 950 kr", "8950"),
        ("8950.5", "8950.5"),
        (" 12 000 ", "12000"),
    ],
)
def test_amounts_with_grouped_thousands_are_read(text, amount):
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["89 50", "8 95", "", "kr", "8,950,00", "åtta", "1 2345"])
def test_texts_that_are_not_amounts_are_refused(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_amounts_are_shown_with_non_breaking_spaces_and_kr():
    assert format_amount(Decimal("8950.00")) == f"8{NBSP}950{NBSP}kr"
    assert format_amount(Decimal("1234567.5")) == f"1{NBSP}234{NBSP}567,50{NBSP}kr"
    assert format_amount(Decimal("0")) == f"0{NBSP}kr"
    assert format_amount(None) == ""


@pytest.mark.django_db
def test_the_housing_form_takes_8_950_and_the_page_shows_it(client, world):
    case = new_case(world.worker_a)
    client.force_login(world.worker_a)
    response = client.post(
        reverse("housing_edit", kwargs={"case_id": case.pk}),
        {"monthly_rent": "8 950", "deposit_paid": "17\u00a0900", "moving_costs_paid": "2 500,50"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Housing.objects.get(case=case)
    assert (saved.monthly_rent, saved.deposit_paid) == (Decimal("8950"), Decimal("17900"))
    assert saved.moving_costs_paid == Decimal("2500.50")
    html = client.get(reverse("case_housing", kwargs={"case_id": case.pk})).content.decode()
    assert f"8{NBSP}950{NBSP}kr" in html and f"2{NBSP}500,50{NBSP}kr" in html


@pytest.mark.django_db
def test_a_grouped_amount_that_is_not_one_is_a_swedish_form_error(client, world):
    case = new_case(world.worker_a)
    client.force_login(world.worker_a)
    response = client.post(
        reverse("housing_edit", kwargs={"case_id": case.pk}), {"monthly_rent": "89 50"}
    )
    assert response.status_code == 400
    assert "Ange ett belopp i kronor, till exempel 8 950." in response.content.decode()
    assert not Housing.objects.exists()


@pytest.mark.django_db
def test_the_api_takes_an_amount_as_text_with_spaces(world, api_as):
    case = new_case(world.worker_a)
    client = api_as(world.worker_a)
    response = put(client, f"{API}/cases/{case.pk}/housing", {"monthly_rent": "8 950"})
    assert response.status_code == 200, response.content
    assert Housing.objects.get(case=case).monthly_rent == Decimal("8950")
    bad = put(client, f"{API}/cases/{case.pk}/housing", {"monthly_rent": "89 50"})
    assert bad.status_code == 422
    assert "Ange ett belopp i kronor" in bad.content.decode()
