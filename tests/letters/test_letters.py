"""Letters: drafts, finalising to PDF/A, immutability, protected identity."""

import hashlib
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from motverka.audit.models import AuditEvent
from motverka.cases.errors import AccessDenied, Conflict
from motverka.cases.services import InterventionInput
from motverka.letters import services
from motverka.letters.context import letter_context
from motverka.letters.models import Letter, LetterDocument, Letterhead, LetterLocked
from motverka.letters.placeholders import WITHHELD
from motverka.letters.protection import known_addresses
from tests.factories import intervention, make_case
from tests.letters.helpers import (
    FILLED_IN,
    declined_transfer,
    draft,
    finalise,
    finalised,
    pdf_text,
    pdf_xmp,
    with_consents,
)

PROTECTED_ADDRESS = "Hemliga vägen 7, 455 30 Munkedal"


def protected_addresses(person):
    return [PROTECTED_ADDRESS] if person.protected_identity else []


ADDRESS_PROVIDER = "tests.letters.test_letters.protected_addresses"


def care_case(user, **care):
    return make_case(
        user,
        interventions=(
            InterventionInput(
                **{
                    "kind": "care",
                    "description": "Öppenvård",
                    "ongoing": True,
                    "decided_on": date(2020, 1, 15),
                    "legal_basis": "socialtjänstlagen (2025:400)",
                    "needed_until": date(2026, 12, 31),
                    **care,
                }
            ),
            intervention("financial_assistance"),
        ),
    )


def test_a_draft_is_generated_from_the_template_and_addressed_from_the_directory(world):
    case = with_consents(world.worker_a, make_case(world.worker_a))
    stockholm = case.sending_municipality
    stockholm.social_services_name = "Socialförvaltningen, Stockholms stad"
    stockholm.social_services_address = "Box 1\n100 00 Stockholm"
    stockholm.registrator_email = "registrator@example.se"
    stockholm.save()
    letter = services.letter_draft_create(
        acting_user=world.worker_a, case=case, kind="transfer_request"
    )
    assert letter.is_draft
    assert letter.recipient_name == "Socialförvaltningen, Stockholms stad"
    assert letter.recipient_address == "Box 1\n100 00 Stockholm"
    assert letter.recipient_email == "registrator@example.se"
    assert "{{ legal_reference }}" in letter.body
    assert letter.letter_date == timezone.localdate()
    assert case.events.filter(kind="letter_drafted").exists()
    assert AuditEvent.objects.filter(object_type="letter", action="create").count() == 1


def test_finalising_stores_a_pdf_a_whose_text_and_hash_can_be_checked(world):
    case = with_consents(world.worker_a, make_case(world.worker_a))
    Letterhead.objects.create(
        municipality_name="Munkedals kommun",
        department="Socialförvaltningen",
        address="Centrumvägen 1\n455 80 Munkedal",
        signer_name="Sara Signer",
        signer_title="Enhetschef",
    )
    letter = finalised(world.worker_a, case, "transfer_request")
    document = LetterDocument.objects.get(letter=letter)
    pdf = bytes(document.pdf)
    assert pdf.startswith(b"%PDF-")
    assert hashlib.sha256(pdf).hexdigest() == document.sha256 == letter.sha256
    assert document.size == len(pdf)
    text = pdf_text(pdf)
    for expected in (
        "Begäran om överflyttning av ärende",
        case.reference,
        case.person.full_name,
        "Munkedals kommun",
        "Sara Signer",
        "Enhetschef",
        FILLED_IN,
        "socialtjänstlagen",
    ):
        assert expected in text, expected
    assert "{{" not in text
    xmp = pdf_xmp(pdf)
    assert 'pdfaid:part="2"' in xmp
    assert 'pdfaid:conformance="B"' in xmp
    assert document.pdf_variant == "pdf/a-2b"
    assert letter.finalised_by == world.worker_a
    assert case.events.filter(kind="letter_finalised").exists()


def test_a_person_information_letter_is_in_swedish_and_english(world):
    case = make_case(world.worker_a)
    letter = finalised(world.worker_a, case, "person_information")
    text = pdf_text(bytes(letter.document.pdf))
    assert "Samtycke är frivilligt" in text
    assert "Consent is voluntary" in text
    assert "ta tillbaka ditt samtycke" in text
    assert "withdraw your consent" in text


def test_a_finalised_letter_can_never_change(world):
    case = make_case(world.worker_a)
    letter = finalised(world.worker_a, case, "objection_letter")
    with pytest.raises(LetterLocked):
        services.letter_draft_update(
            acting_user=world.worker_a,
            letter=letter,
            letter_date=letter.letter_date,
            subject="Ny rubrik",
            body="Ny text",
            recipient_name="X",
        )
    with pytest.raises(LetterLocked):
        finalise(acting_user=world.worker_a, letter=letter)
    # Also outside the services: the model refuses to save changed content or to be deleted.
    stored = Letter.objects.get(pk=letter.pk)
    stored.body = "Manipulerad"
    with pytest.raises(LetterLocked):
        stored.save()
    stored = Letter.objects.get(pk=letter.pk)
    stored.status = "draft"
    with pytest.raises(LetterLocked):
        stored.save()
    with pytest.raises(LetterLocked):
        Letter.objects.get(pk=letter.pk).delete()
    document = LetterDocument.objects.get(letter=letter)
    document.pdf = b"%PDF-fake"
    with pytest.raises(LetterLocked):
        document.save()
    with pytest.raises(LetterLocked):
        document.delete()
    assert LetterDocument.objects.get(letter=letter).sha256 == letter.sha256


def test_a_correction_is_a_new_letter_that_refers_to_the_old_one(world):
    case = make_case(world.worker_a)
    original = finalised(world.worker_a, case, "objection_letter")
    correction = services.letter_correct(acting_user=world.worker_a, letter=original)
    assert correction.is_draft
    assert correction.corrects == original
    assert correction.kind == original.kind
    correction = finalise(acting_user=world.worker_a, letter=correction)
    assert "Rättelse" in pdf_text(bytes(correction.document.pdf))
    original.refresh_from_db()
    assert original.sha256 == LetterDocument.objects.get(letter=original).sha256


def test_a_draft_with_bad_input_is_refused_in_swedish_and_nothing_is_saved(world):
    case = with_consents(world.worker_a, make_case(world.worker_a))
    letter = services.letter_draft_create(
        acting_user=world.worker_a, case=case, kind="transfer_request"
    )
    before = Letter.objects.values().get(pk=letter.pk)
    with pytest.raises(ValidationError) as error:
        services.letter_draft_update(
            acting_user=world.worker_a,
            letter=letter,
            letter_date=timezone.localdate() + timedelta(days=1),
            subject="",
            body="Hej {{ person.lön }} {% debug %}",
            recipient_name="X",
            recipient_email="inte-en-adress",
        )
    assert set(error.value.message_dict) == {
        "letter_date",
        "subject",
        "body",
        "recipient_email",
    }
    assert Letter.objects.values().get(pk=letter.pk) == before


def test_finalising_refuses_unfilled_parts_and_a_missing_recipient(world):
    case = make_case(world.worker_a)
    letter = services.letter_draft_create(
        acting_user=world.worker_a, case=case, kind="landlord_letter"
    )
    with pytest.raises(ValidationError) as error:
        finalise(acting_user=world.worker_a, letter=letter, confirm_unverified_reference=True)
    assert "FYLL I" in " ".join(error.value.message_dict["body"])
    assert "recipient_name" in error.value.message_dict
    assert Letter.objects.get(pk=letter.pk).is_draft


def test_letter_context_leaves_out_where_a_protected_person_lives(world):
    case = make_case(world.worker_a, protected_identity=True)
    values = letter_context(case, on=date(2026, 1, 1))
    assert "person.address" not in values
    assert "person.municipality" not in values
    assert values["person.name"] == case.person.full_name
    open_case = make_case(world.worker_a)
    assert letter_context(open_case, on=date(2026, 1, 1))["person.municipality"] == "Munkedal"


def test_a_protected_persons_municipality_is_withheld_in_the_letter(world):
    case = with_consents(world.worker_a, make_case(world.worker_a, protected_identity=True))
    letter = draft(
        world.worker_a,
        case,
        "transfer_request",
        body="Personen bor i {{ person.municipality }} på {{ person.address }}.",
    )
    letter = finalise(acting_user=world.worker_a, letter=letter, confirm_unverified_reference=True)
    assert letter.final_text == f"Personen bor i {WITHHELD} på {WITHHELD}."


def test_known_addresses_is_empty_until_housing_provides_them(world):
    case = make_case(world.worker_a, protected_identity=True)
    assert known_addresses(case.person) == []


@override_settings(MOTVERKA_KNOWN_ADDRESS_PROVIDERS=[ADDRESS_PROVIDER])
@pytest.mark.parametrize(
    "where",
    [
        {"body": "Hon bor på Hemliga vägen 7 sedan januari."},
        {"body": "Adress: HEMLIGA   VÄGEN 7,\n455 30 Munkedal"},
        {"recipient_address": "Hemliga vägen 7\n455 30 Munkedal"},
    ],
)
def test_finalising_is_refused_if_the_letter_would_reveal_a_protected_address(world, where):
    case = with_consents(world.worker_a, make_case(world.worker_a, protected_identity=True))
    assert known_addresses(case.person) == [PROTECTED_ADDRESS]
    letter = draft(world.worker_a, case, "transfer_request", **where)
    with pytest.raises(Conflict) as refusal:
        finalise(acting_user=world.worker_a, letter=letter, confirm_unverified_reference=True)
    assert refusal.value.code == "protected_address"
    assert "skyddade personuppgifter" in refusal.value.message
    assert Letter.objects.get(pk=letter.pk).is_draft
    assert not LetterDocument.objects.filter(letter=letter).exists()


@override_settings(MOTVERKA_KNOWN_ADDRESS_PROVIDERS=[ADDRESS_PROVIDER])
def test_the_address_check_applies_only_to_protected_persons(world):
    case = make_case(world.worker_a, protected_identity=False)
    letter = draft(world.worker_a, case, "landlord_letter", body="Hemliga vägen 7 gäller.")
    assert not finalise(acting_user=world.worker_a, letter=letter).is_draft


def test_an_ivo_application_is_refused_for_financial_assistance_alone(world):
    case = make_case(world.worker_a)  # ongoing financial assistance only
    with pytest.raises(Conflict) as refusal:
        services.letter_draft_create(acting_user=world.worker_a, case=case, kind="ivo_application")
    assert refusal.value.code == "ivo_requires_care_intervention"
    assert "Ekonomiskt bistånd ensamt" in refusal.value.message
    assert not Letter.objects.filter(case=case).exists()


def record_account(user, case):
    from motverka.housing.services import PersonalAccountInput, personal_account_record

    personal_account_record(
        acting_user=user,
        case=case,
        data=PersonalAccountInput(
            told_on=case.received_on,
            wish_to_move="no",
            knew_destination="no",
            wishes_now="Vill bo kvar nära sin familj i Stockholm.",
        ),
    )


def test_an_ivo_application_holds_what_ivo_requires(world):
    case = with_consents(world.worker_a, care_case(world.worker_a))
    case = declined_transfer(world.worker_a, case)
    record_account(world.worker_a, case)
    letter = draft(world.worker_a, case, "ivo_application", letter_date=date(2025, 6, 30))
    letter = finalise(acting_user=world.worker_a, letter=letter)
    text = pdf_text(bytes(letter.document.pdf))
    for expected in (
        # Written by the case, not typed again: the answer, the wishes.
        "Stockholm avböjde begäran",
        "Vill bo kvar nära sin familj i Stockholm.",
        "vilja att flytta: nej",
        "starkast anknytning",
        "önskemål",
        "Barnen och vårdnadshavarnas synpunkter",
        "Nuvarande insats och dess lagstöd",
        # Each current intervention's decision and legal basis, and how long the need lasts,
        # from the case.
        "Vårdinsats eller annan insats: Öppenvård, beslutad 2020-01-15 med stöd av",
        "Ekonomiskt bistånd, beslutad 2020-01-15 med stöd av socialtjänstlagen",
        "Hur länge behovet beräknas bestå",
        "Öppenvård, till och med 2026-12-31",
        "Övriga omständigheter",
        "Bilagor",
        "delegationsbeslutet",
        "Kopia av begäran",
        "Svaret från Stockholm",
        "Bror, född 2019-05-01 (6 år)",
        "2 a kap. 11 § socialtjänstlagen (2001:453)",
        "2 a kap. 10 § socialtjänstlagen (2001:453)",
    ):
        assert expected in text, expected
    assert letter.legal_reference.section == "11"
    assert "[FYLL I" not in letter.body
    assert "beslutad insats, beslutsdatum och lagrum" not in text


@pytest.mark.parametrize(
    "gap", [{"legal_basis": ""}, {"decided_on": None}], ids=["no legal basis", "no decision date"]
)
def test_an_ivo_application_waits_for_every_current_interventions_decision(world, gap):
    case = with_consents(world.worker_a, care_case(world.worker_a, **gap))
    case = declined_transfer(world.worker_a, case)
    record_account(world.worker_a, case)
    letter = draft(world.worker_a, case, "ivo_application", letter_date=date(2025, 6, 30))
    with pytest.raises(ValidationError) as refusal:
        finalise(acting_user=world.worker_a, letter=letter)
    assert "«Beslut och lagstöd för pågående insatser» är tomt" in str(refusal.value)
    letter.refresh_from_db()
    assert letter.status == "draft"
    # Recorded in the case (a correction), the same draft finalises.
    from motverka.cases.corrections import CaseCorrection, case_data_correct

    care = case.interventions.get(kind="care")
    case_data_correct(
        acting_user=world.worker_a,
        case=case,
        correction=CaseCorrection(
            interventions_remove=(care.pk,),
            interventions_add=(intervention("care", "Öppenvård"),),
        ),
        reason="Beslutet kontrollerat mot avsändande kommuns beslut.",
    )
    letter = finalise(acting_user=world.worker_a, letter=Letter.objects.get(pk=letter.pk))
    assert letter.status == "finalised"
    text = pdf_text(bytes(letter.document.pdf))
    assert "Öppenvård, beslutad 2020-01-15" in text
    # No duration recorded now: the section is left out, not printed empty.
    assert "Hur länge behovet beräknas bestå" not in text


def test_other_units_and_other_roles_cannot_write_letters(world):
    case = make_case(world.worker_a)
    for user in (world.worker_b, world.analyst, world.admin):
        with pytest.raises(AccessDenied):
            services.letter_draft_create(acting_user=user, case=case, kind="objection_letter")
    letter = draft(world.worker_a, case, "objection_letter")
    with pytest.raises(AccessDenied):
        finalise(acting_user=world.worker_b, letter=letter)
    # A manager of the unit may.
    assert not finalise(acting_user=world.manager, letter=letter).is_draft


def test_an_unknown_kind_is_refused(world):
    case = make_case(world.worker_a)
    with pytest.raises(ValidationError) as error:
        services.letter_draft_create(acting_user=world.worker_a, case=case, kind="love_letter")
    assert "kind" in error.value.message_dict
