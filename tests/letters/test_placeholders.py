"""The placeholder language: a whitelist, one pass, no template code."""

import pytest

from motverka.letters.placeholders import (
    WITHHELD,
    fill_placeholders,
    placeholder_problems,
    placeholders_for,
)

ALLOWED = placeholders_for("transfer_request")


def test_known_placeholders_are_filled_with_or_without_spaces():
    text = "Ärende {{ case.reference }} ({{case.received_on}})"
    values = {"case.reference": "SN 2026/0001", "case.received_on": "2026-01-02"}
    assert placeholder_problems(text, ALLOWED) == []
    assert fill_placeholders(text, values) == "Ärende SN 2026/0001 (2026-01-02)"


def test_an_unknown_placeholder_is_reported_in_swedish():
    problems = placeholder_problems("Hej {{ person.salary }}", ALLOWED)
    assert problems == ["Okänd platshållare {{ person.salary }} för den här typen av skrivelse."]


@pytest.mark.parametrize(
    "text",
    [
        "{% load static %}{% debug %}",
        "{# kommentar #}",
        "{{ case.reference|upper }}",
        "{{ case.__class__ }}",
        "{{ settings.SECRET_KEY }}",
        "{{ case.reference }",
        "case.reference }}",
    ],
)
def test_template_code_filters_and_broken_placeholders_are_errors(text):
    assert placeholder_problems(text, ALLOWED)


def test_template_code_is_never_executed():
    text = "{% now 'Y' %} {{ case.reference|upper }}"
    filled = fill_placeholders(text, {"case.reference": "sn 1"})
    assert "{% now 'Y' %}" in filled
    assert "SN 1" not in filled


def test_a_value_that_looks_like_a_placeholder_is_not_expanded_again():
    values = {"person.name": "{{ person.identity_number }}", "person.identity_number": "1990"}
    assert fill_placeholders("{{ person.name }}", values) == "{{ person.identity_number }}"


def test_a_whitelisted_placeholder_without_a_value_is_withheld():
    assert fill_placeholders("Adress: {{ person.address }}", {}) == f"Adress: {WITHHELD}"


@pytest.mark.parametrize("kind", ["objection_letter", "landlord_letter"])
def test_letters_that_must_not_identify_the_person_have_no_personal_placeholders(kind):
    allowed = placeholders_for(kind)
    assert "person.name" not in allowed
    assert placeholder_problems("{{ person.identity_number }}", allowed)
    assert "person.name" in placeholders_for("transfer_request")
