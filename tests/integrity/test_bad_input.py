"""Bad input is a 4xx with a Swedish message and nothing saved — never a 500, in the web
forms and the API alike."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motverka.cases.models import Case, JournalEntry
from motverka.housing.models import Housing
from motverka.integrity import limits
from tests.api.test_cases import CASES, intake_body
from tests.factories import make_case
from tests.foundation.test_views import intake_post
from tests.second_factor import SecondFactorClient

API = "/api/v1"


def _raw(client, method, path, body: str, content_type="application/json"):
    # PUT and PATCH need the record's current ETag (If-Match), so what is tested is the body.
    headers = dict(client.headers)
    if method in {"put", "patch"}:
        headers["HTTP_IF_MATCH"] = client.get(path).get("ETag", "")
    return getattr(client.client, method)(path, body, content_type=content_type, **headers)


def _locations(response):
    return {tuple(error["loc"]): error["msg"] for error in response.json()["detail"]}


def _logged_in(user) -> Client:
    client = SecondFactorClient()
    client.force_login(user)
    return client


# --- Characters ------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["Al\x00va", "Al\x07va", "Al\x1bva", "Al\x7fva", "Al\ud800va"])
def test_control_characters_in_an_api_text_field_are_422(world, api_as, bad):
    body = intake_body()
    body["person"]["first_name"] = bad
    response = api_as(world.worker_a).post(CASES, body)
    assert response.status_code == 422
    assert _locations(response) == {
        ("body", "person", "first_name"): "Texten innehåller otillåtna tecken (styrtecken)."
    }
    assert not Case.objects.exists()


def test_a_line_break_is_refused_in_a_name_but_kept_in_a_long_text(world, api_as):
    client = api_as(world.worker_a)
    body = intake_body()
    body["person"]["last_name"] = "Demo\nsson"
    response = client.post(CASES, body)
    assert response.status_code == 422
    assert "en rad" in _locations(response)[("body", "person", "last_name")]

    response = client.post(CASES, intake_body(indicator_note="Rad ett.\r\n\tRad två."))
    assert response.status_code == 201
    assert Case.objects.get().indicator_note == "Rad ett.\r\n\tRad två."


def test_nul_in_the_query_is_a_422_in_the_api_and_a_swedish_400_page_on_the_web(world, api_as):
    response = api_as(world.worker_a).get(f"{CASES}?q=a%00b")
    assert response.status_code == 422
    assert _locations(response) == {
        ("query", "q"): "Texten innehåller otillåtna tecken (styrtecken)."
    }
    page = _logged_in(world.worker_a).get(reverse("case_list") + "?q=a%00b")
    assert page.status_code == 400
    assert "otillåtna tecken" in page.content.decode()


def test_nul_in_a_web_form_is_a_swedish_400_and_nothing_is_saved(world):
    data = intake_post(world, first_name="Ce\x00cilia")
    response = _logged_in(world.worker_a).post(reverse("case_intake"), data)
    assert response.status_code == 400
    assert "otillåtna tecken" in response.content.decode()
    assert not Case.objects.exists()


# --- Numbers ---------------------------------------------------------------------------------


def test_a_number_too_large_for_anything_is_422_at_its_field(world, api_as):
    case = make_case(world.worker_a, world.unit_a)
    client = api_as(world.worker_a)
    response = _raw(client, "put", f"{API}/cases/{case.pk}/housing", '{"area_m2": 1e400}')
    assert response.status_code == 422
    assert _locations(response) == {("body", "area_m2"): "Talet är för stort."}
    response = _raw(client, "post", CASES, json.dumps(intake_body(assigned_to=10**30)))
    assert response.status_code == 422
    assert ("body", "assigned_to") in _locations(response)
    assert not Housing.objects.exists()


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(world, api_as, literal):
    case = make_case(world.worker_a, world.unit_a)
    response = _raw(
        api_as(world.worker_a), "put", f"{API}/cases/{case.pk}/housing", f'{{"rooms": {literal}}}'
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


@pytest.mark.parametrize(
    "field,value",
    [("monthly_rent", -1), ("rooms", 500), ("area_m2", 25000), ("deposit_paid", 10**9)],
)
def test_implausible_housing_numbers_are_422(world, api_as, field, value):
    case = make_case(world.worker_a, world.unit_a)
    response = _raw(
        api_as(world.worker_a),
        "put",
        f"{API}/cases/{case.pk}/housing",
        json.dumps({field: value}),
    )
    assert response.status_code == 422
    assert ("body", field) in _locations(response)
    assert not Housing.objects.exists()


# --- Dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0001-01-01", "1899-12-31", "9999-12-31"])
def test_dates_outside_1900_to_2100_are_refused_everywhere(world, api_as, value):
    case = make_case(world.worker_a, world.unit_a)
    client = api_as(world.worker_a)
    message = "Datumet måste ligga mellan 1900-01-01 och 2100-12-31."
    response = client.post(CASES, intake_body(received_on=value))
    assert _locations(response) == {("body", "received_on"): message}
    response = client.post(f"{CASES}/{case.pk}/journal", {"text": "x", "entry_date": value})
    assert _locations(response) == {("body", "entry_date"): message}
    response = _raw(
        client, "put", f"{API}/cases/{case.pk}/housing", json.dumps({"rent_paid_until": value})
    )
    assert _locations(response) == {("body", "rent_paid_until"): message}
    page = _logged_in(world.worker_a).post(
        reverse("case_journal", args=[case.pk]), {"text": "x", "entry_date": value}
    )
    assert page.status_code == 400
    assert message in page.content.decode()
    assert Case.objects.count() == 1
    assert not JournalEntry.objects.exists()


def test_rent_paid_until_lies_at_most_five_years_ahead(world, api_as):
    case = make_case(world.worker_a, world.unit_a)
    client = api_as(world.worker_a)
    too_far = timezone.localdate() + timedelta(days=365 * 5 + 3)
    response = _raw(
        client,
        "put",
        f"{API}/cases/{case.pk}/housing",
        json.dumps({"rent_paid_until": too_far.isoformat()}),
    )
    assert _locations(response) == {
        ("body", "rent_paid_until"): "Datumet kan ligga högst 5 år framåt."
    }
    near = timezone.localdate() + timedelta(days=365 * 4)
    response = _raw(
        client,
        "put",
        f"{API}/cases/{case.pk}/housing",
        json.dumps({"rent_paid_until": near.isoformat()}),
    )
    assert response.status_code == 200


# --- Size, fields, format --------------------------------------------------------------------


def test_an_api_body_over_the_limit_is_a_swedish_413(world, api_as):
    body = json.dumps(intake_body(indicator_note="x" * (limits.MAX_BODY_BYTES + 1)))
    response = _raw(api_as(world.worker_a), "post", CASES, body)
    assert response.status_code == 413
    assert "för stort" in response.json()["detail"]
    assert not Case.objects.exists()


def test_a_web_body_over_the_limit_is_a_swedish_413_page(world):
    data = intake_post(world, indicator_note="x" * (limits.MAX_BODY_BYTES + 1))
    response = _logged_in(world.worker_a).post(reverse("case_intake"), data)
    assert response.status_code == 413
    text = response.content.decode()
    assert "för stort" in text
    assert "Bad Request" not in text
    assert not Case.objects.exists()


def test_too_many_form_fields_is_a_swedish_400(world):
    data = intake_post(world, **{f"extra{index}": "x" for index in range(limits.MAX_FIELDS)})
    response = _logged_in(world.worker_a).post(reverse("case_intake"), data)
    assert response.status_code == 400
    assert "för många fält" in response.content.decode()
    assert not Case.objects.exists()


def test_a_body_that_is_not_json_is_415(world, api_as):
    response = _raw(
        api_as(world.worker_a),
        "post",
        CASES,
        "first_name=Alva",
        "application/x-www-form-urlencoded",
    )
    assert response.status_code == 415
    assert "JSON" in response.json()["detail"]


@pytest.mark.parametrize("body", ['{"person": ', "[1, 2]", '"text"', "\xff"])
def test_malformed_json_is_422(world, api_as, body):
    response = _raw(api_as(world.worker_a), "post", CASES, body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


def test_djangos_own_400_is_swedish(world):
    response = Client().get("/", HTTP_HOST="inte-var-server.example")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Begäran kunde inte tas emot" in text
    assert "Bad Request" not in text


def test_the_letter_body_has_the_same_limit_in_the_form_and_the_api():
    from motverka.letters.api import LetterUpdateIn
    from motverka.letters.forms import LetterDraftForm

    api_limit = LetterUpdateIn.model_fields["body"].metadata[0].max_length
    assert api_limit == LetterDraftForm.base_fields["body"].max_length == limits.LETTER_BODY_MAX


def test_the_journal_text_has_the_same_limit_in_the_web_and_the_api(world, api_as):
    case = make_case(world.worker_a, world.unit_a)
    text = "x" * (limits.JOURNAL_TEXT_MAX + 1)
    today = timezone.localdate().isoformat()
    response = api_as(world.worker_a).post(
        f"{CASES}/{case.pk}/journal", {"text": text, "entry_date": today}
    )
    assert response.status_code == 422
    page = _logged_in(world.worker_a).post(
        reverse("case_journal", args=[case.pk]), {"text": text, "entry_date": today}
    )
    assert page.status_code == 400
    assert not JournalEntry.objects.exists()


def test_every_multi_line_field_of_every_form_is_a_long_text():
    from django import forms
    from django.apps import apps
    from django.db import models

    from motverka.workflow.step_details import STEP_DETAILS

    multi_line = set()
    for form_class in _all_form_classes(forms.BaseForm):
        for name, field in form_class.base_fields.items():
            if isinstance(field.widget, forms.Textarea):
                multi_line.add(name)
    for details in STEP_DETAILS.values():
        multi_line.update(detail.name for detail in details if detail.multiline)
    for model in apps.get_models():
        if model._meta.app_label in MOTVERKA_APPS:
            multi_line.update(
                field.name
                for field in model._meta.get_fields()
                if isinstance(field, models.TextField)
            )
    assert multi_line - limits.LONG_TEXT_FIELDS == set()


MOTVERKA_APPS = {
    "accounts",
    "api",
    "audit",
    "cases",
    "housing",
    "letters",
    "people",
    "reception",
    "reference",
    "workflow",
}


def _all_form_classes(base):
    import motverka.cases.forms
    import motverka.housing.forms
    import motverka.letters.forms
    import motverka.workflow.forms  # noqa: F401 - imported for their subclasses

    found = set()
    pending = [base]
    while pending:
        for subclass in pending.pop().__subclasses__():
            if subclass.__module__.startswith("motverka."):
                found.add(subclass)
            pending.append(subclass)
    return found


def test_a_consent_dated_before_the_case_came_in_is_refused(world, api_as):
    case = make_case(world.worker_a, world.unit_a)
    before = (case.received_on - timedelta(days=1)).isoformat()
    response = api_as(world.worker_a).post(
        f"{CASES}/{case.pk}/consents",
        {"scope": "home_visit", "status": "given", "decided_on": before, "form": "oral"},
    )
    assert response.status_code == 422
    assert "före" in _locations(response)[("body", "decided_on")]
    assert not case.consents.exists()
