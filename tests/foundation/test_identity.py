"""Identity numbers: one canonical 12-digit form, the usual input forms, samordningsnummer."""

from datetime import date

import pytest

from motverka.audit.logging import redact
from motverka.people.identity import InvalidIdentityNumber, parse_identity_number


@pytest.mark.parametrize(
    "raw",
    ["19900101-0017", "199001010017", "900101-0017", "9001010017", " 19900101 0017 "],
)
def test_the_usual_forms_become_one_canonical_form(raw):
    parsed = parse_identity_number(raw)
    assert parsed.canonical == "199001010017"
    assert parsed.birth_date == date(1990, 1, 1)
    assert not parsed.is_coordination_number


def test_a_hundred_year_old_written_with_plus_keeps_the_right_century():
    assert parse_identity_number("900101+0017").canonical == "189001010017"


def test_a_samordningsnummer_is_accepted_and_its_birth_date_is_day_minus_sixty():
    parsed = parse_identity_number("701063-2391")
    assert parsed.is_coordination_number
    assert parsed.canonical == "197010632391"
    assert parsed.birth_date == date(1970, 10, 3)


@pytest.mark.parametrize("raw", ["19900101-0018", "abc", "1990-01-01", "19901301-0017"])
def test_an_invalid_number_is_refused_with_a_swedish_message_that_hides_the_last_digits(raw):
    with pytest.raises(InvalidIdentityNumber) as error:
        parse_identity_number(raw)
    message = str(error.value)
    assert "giltigt personnummer" in message
    assert "0018" not in message


def test_an_empty_number_asks_for_one():
    with pytest.raises(InvalidIdentityNumber, match="Ange ett personnummer"):
        parse_identity_number("  ")


@pytest.mark.parametrize(
    "text", ["pnr 19900101-0017 sökt", "9001010017", "id=199001010017&x", "900101+0017"]
)
def test_identity_numbers_are_redacted_from_log_text(text):
    cleaned = redact(text)
    assert "0017" not in cleaned
    assert "[personnummer borttaget]" in cleaned


def test_redaction_leaves_references_and_dates_alone():
    text = "Ärende SN 2026/0007 registrerat 2026-11-30 av user 12"
    assert redact(text) == text
