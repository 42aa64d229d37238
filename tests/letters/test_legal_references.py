"""Legal references as versioned data, chosen by the letter's date."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from motverka.letters import services
from motverka.letters.models import LetterDocument
from motverka.reference.models import LegalReference
from motverka.reference.selectors import legal_reference_valid_on
from tests.factories import make_case
from tests.letters.helpers import draft, finalise, pdf_text, with_consents


def test_the_shipped_entries_switch_law_on_2025_07_01(db):
    old = legal_reference_valid_on("transfer_request", date(2025, 6, 30))
    new = legal_reference_valid_on("transfer_request", date(2025, 7, 1))
    assert old.citation == "2 a kap. 10 § socialtjänstlagen (2001:453)"
    assert old.is_verified
    assert new.sfs_number == "2025:400"
    assert (new.chapter, new.section) == ("", "")
    assert not new.is_verified
    ivo = legal_reference_valid_on("ivo_application", date(2025, 6, 30))
    assert ivo.citation == "2 a kap. 11 § socialtjänstlagen (2001:453)"
    assert legal_reference_valid_on("transfer_request", date(2000, 1, 1)) is None


def test_a_letter_dated_2025_06_30_cites_the_old_law_and_needs_no_confirmation(world):
    case = with_consents(world.worker_a, make_case(world.worker_a))
    letter = draft(world.worker_a, case, "transfer_request", letter_date=date(2025, 6, 30))
    letter = finalise(acting_user=world.worker_a, letter=letter)
    assert letter.legal_reference.sfs_number == "2001:453"
    assert not letter.legal_reference_confirmed
    text = pdf_text(bytes(LetterDocument.objects.get(letter=letter).pdf))
    assert "2 a kap. 10 § socialtjänstlagen (2001:453)" in text


def test_a_letter_dated_2025_07_01_cites_the_new_law_and_needs_confirmation(world):
    case = with_consents(world.worker_a, make_case(world.worker_a))
    letter = draft(world.worker_a, case, "transfer_request", letter_date=date(2025, 7, 1))
    with pytest.raises(ValidationError) as error:
        finalise(acting_user=world.worker_a, letter=letter)
    messages = error.value.message_dict["confirm_unverified_reference"]
    assert any("inte verifierat" in message for message in messages)
    letter.refresh_from_db()
    assert letter.is_draft
    assert not LetterDocument.objects.filter(letter=letter).exists()

    letter = finalise(acting_user=world.worker_a, letter=letter, confirm_unverified_reference=True)
    assert letter.legal_reference.sfs_number == "2025:400"
    assert letter.legal_reference_confirmed
    assert "socialtjänstlagen (2025:400)" in letter.final_text


def test_a_missing_reference_also_needs_confirmation(world):
    LegalReference.objects.filter(sfs_number="2025:400").delete()
    case = with_consents(world.worker_a, make_case(world.worker_a))
    letter = draft(world.worker_a, case, "transfer_request")
    composition = services.letter_preview(acting_user=world.worker_a, letter=letter)
    assert composition.needs_reference_confirmation
    assert "[lagrum saknas]" in composition.text
    with pytest.raises(ValidationError):
        finalise(acting_user=world.worker_a, letter=letter)
    letter = finalise(acting_user=world.worker_a, letter=letter, confirm_unverified_reference=True)
    assert letter.legal_reference is None


def test_verifying_the_new_entry_removes_the_need_for_confirmation(world):
    LegalReference.objects.filter(code="transfer_request", sfs_number="2025:400").update(
        chapter="9", section="1", verified_by="Jurist Exempel", verified_on=date(2026, 1, 1)
    )
    case = with_consents(world.worker_a, make_case(world.worker_a))
    letter = draft(world.worker_a, case, "transfer_request")
    letter = finalise(acting_user=world.worker_a, letter=letter)
    assert not letter.legal_reference_confirmed
    assert "9 kap. 1 § socialtjänstlagen (2025:400)" in letter.final_text


def test_admin_validation_refuses_overlapping_periods_and_half_verification(db):
    overlapping = LegalReference(
        code="transfer_request",
        law_name="socialtjänstlagen",
        sfs_number="2025:400",
        valid_from=date(2025, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        overlapping.full_clean()
    assert "valid_from" in error.value.message_dict
    half = LegalReference(
        code="new_code",
        law_name="lag",
        sfs_number="2026:1",
        valid_from=date(2026, 1, 1),
        verified_by="Någon",
    )
    with pytest.raises(ValidationError) as error:
        half.full_clean()
    assert "verified_on" in error.value.message_dict
