"""Disclosure in real letters: consent at drafting and finalising (latest answer), the person
named where they may not be, consent claims, a protected person's address and sending
municipality, frozen citations and finalising exactly what was previewed — through the
services, the pages and the API."""

import json
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from motverka.cases.errors import Conflict
from motverka.letters import services
from motverka.letters.disclosure import claims_consent
from motverka.letters.models import Letter, LetterDocument, Letterhead, LetterTemplate
from motverka.letters.placeholders import WITHHELD
from motverka.letters.textmatch import canonical
from tests.factories import intervention, make_case
from tests.letters.helpers import (
    consent,
    declined_transfer,
    draft,
    fill_in,
    finalise,
    finalised,
    ivo_ready,
    pdf_text,
    with_consents,
)
from tests.second_factor import SecondFactorClient

API = "/api/v1"
ADDRESS = "Hemligvägen 7, 452 30 Strömstad"
NAMED_KINDS = {
    "justification_request": "contact_sending_municipality",
    "transfer_request": "return_process",
    "ivo_application": "return_process",
}


def secret_address(person):
    return [ADDRESS] if person.protected_identity else []


PROVIDER = "tests.letters.test_disclosure_letters.secret_address"


def care_case(user, **overrides):
    return make_case(
        user,
        interventions=(intervention(),),
        **overrides,
    )


def refused_everything(user, **overrides):
    case = care_case(user, **overrides)
    consent(user, case, "contact_sending_municipality", "refused")
    consent(user, case, "return_process", "refused")
    return case


def client_for(user):
    client = SecondFactorClient()
    client.force_login(user)
    return client


def patch(api, path, data):
    """PATCH with the ETag of a read just before (If-Match is required)."""
    tag = api.get(path).get("ETag", "")
    return api.client.patch(
        path,
        json.dumps(data, default=str),
        content_type="application/json",
        HTTP_IF_MATCH=tag,
        **api.headers,
    )


# --- Consent ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(NAMED_KINDS))
def test_with_both_consents_refused_no_letter_naming_the_person_can_be_drafted(world, kind):
    case = refused_everything(world.worker_a)
    with pytest.raises(Conflict) as refusal:
        services.letter_draft_create(acting_user=world.worker_a, case=case, kind=kind)
    assert refusal.value.code == "consent_missing"
    assert "nekat samtycke" in refusal.value.message
    assert "i stället" in refusal.value.message or "ej aktuell" in refusal.value.message
    assert not Letter.objects.filter(case=case).exists()


@pytest.mark.parametrize("kind", sorted(NAMED_KINDS))
@pytest.mark.parametrize("answer", ["refused", "withdrawn"])
def test_a_consent_refused_or_withdrawn_after_drafting_blocks_the_finalise(world, kind, answer):
    case = with_consents(world.worker_a, care_case(world.worker_a))
    if kind == "ivo_application":
        case = ivo_ready(world.worker_a, case)
    letter = draft(world.worker_a, case, kind)
    preview = services.letter_preview(acting_user=world.worker_a, letter=letter)
    assert preview.refusal is None
    consent(world.worker_a, case, NAMED_KINDS[kind], answer)
    with pytest.raises(Conflict) as refusal:
        services.letter_finalise(
            acting_user=world.worker_a,
            letter=letter,
            preview_sha256=preview.digest,
            confirm_unverified_reference=True,
        )
    assert refusal.value.code == "consent_missing"
    assert ("nekat" if answer == "refused" else "återkallat") in refusal.value.message
    letter.refresh_from_db()
    assert letter.is_draft
    assert not LetterDocument.objects.filter(letter=letter).exists()


def test_the_preview_page_shows_the_refusal_and_offers_no_finalise(world):
    case = with_consents(world.worker_a, care_case(world.worker_a))
    letter = draft(world.worker_a, case, "transfer_request")
    consent(world.worker_a, case, "return_process", "withdrawn")
    page = client_for(world.worker_a).get(reverse("letter_preview", args=[letter.pk]))
    html = page.content.decode()
    assert "återkallat sitt samtycke" in html
    assert "officiell skrivelse (markering)" in html
    assert 'name="preview_sha256"' not in html
    posted = client_for(world.worker_a).post(
        reverse("letter_finalise", args=[letter.pk]),
        {"preview_sha256": "0" * 64, "confirm_unverified_reference": "on"},
    )
    assert posted.status_code == 409
    assert "återkallat sitt samtycke" in posted.content.decode()
    assert Letter.objects.get(pk=letter.pk).is_draft


def test_the_api_refuses_drafting_and_finalising_without_consent(world, api_as):
    api = api_as(world.worker_a)
    case = refused_everything(world.worker_a)
    for kind in NAMED_KINDS:
        created = api.post(f"{API}/cases/{case.pk}/letters", {"kind": kind})
        assert created.status_code == 409, kind
        assert created.json()["code"] == "consent_missing"

    case = with_consents(world.worker_a, care_case(world.worker_a))
    created = api.post(f"{API}/cases/{case.pk}/letters", {"kind": "justification_request"})
    assert created.status_code == 201
    letter_id = created.json()["id"]
    read = patch(
        api, f"{API}/letters/{letter_id}", {"body": fill_in(created.json()["body"])}
    ).json()
    consent(world.worker_a, case, "contact_sending_municipality", "withdrawn")
    again = api.get(f"{API}/letters/{letter_id}").json()
    assert again["refusal"]["code"] == "consent_missing"
    done = api.post(
        f"{API}/letters/{letter_id}/finalise", {"preview_sha256": read["preview_sha256"]}
    )
    assert done.status_code == 409
    assert done.json()["code"] == "consent_missing"
    assert "återkallat" in done.json()["detail"]
    assert Letter.objects.get(pk=letter_id).is_draft


def test_no_default_template_claims_a_consent(db):
    for template in LetterTemplate.objects.all():
        assert not claims_consent(canonical(f"{template.subject}\n{template.body}")), template


@pytest.mark.parametrize("kind", ["justification_request", "transfer_request"])
def test_the_consent_sentence_is_printed_only_with_a_given_consent(world, kind):
    case = with_consents(world.worker_a, care_case(world.worker_a))
    letter = finalised(world.worker_a, case, kind)
    assert "Den enskilde har samtyckt" in pdf_text(bytes(letter.document.pdf))
    assert "Den enskilde har samtyckt" in letter.final_text

    # Without it, the draft's preview leaves the sentence out and finalising is refused.
    other = with_consents(world.worker_a, care_case(world.worker_a))
    letter = draft(world.worker_a, other, kind)
    consent(world.worker_a, other, NAMED_KINDS[kind], "withdrawn")
    preview = services.letter_preview(acting_user=world.worker_a, letter=letter)
    assert "samtyckt" not in preview.text
    assert preview.refusal.code == "consent_missing"


def test_a_consent_claim_in_a_letter_that_rests_on_no_consent_is_refused(world):
    case = with_consents(world.worker_a, make_case(world.worker_a))
    for kind in ("objection_letter", "landlord_letter"):
        letter = draft(world.worker_a, case, kind, body="Den enskilde har sam\u200btyckt.")
        preview = services.letter_preview(acting_user=world.worker_a, letter=letter)
        with pytest.raises(Conflict) as refusal:
            services.letter_finalise(
                acting_user=world.worker_a, letter=letter, preview_sha256=preview.digest
            )
        assert refusal.value.code == "consent_not_recorded", kind


# --- The person named where they may not be ---------------------------------------------------


@pytest.mark.parametrize("kind", ["objection_letter", "landlord_letter"])
@pytest.mark.parametrize("field", ["subject", "body", "recipient_name", "recipient_address"])
@pytest.mark.parametrize("how", ["name", "identity_number"])
def test_a_letter_that_may_not_name_the_person_refuses_their_name_or_number(
    world, kind, field, how
):
    case = with_consents(world.worker_a, make_case(world.worker_a))
    person = case.person
    if how == "name":
        typed = f"{person.first_name.upper()} {person.last_name[:2]}\u00ad{person.last_name[2:]}"
    else:
        number = person.personal_identity_number
        typed = f"{number[2:8]}-{number[8:]}"
    letter = draft(world.worker_a, case, kind, **{field: f"Gäller {typed} i ärendet"})
    preview = services.letter_preview(acting_user=world.worker_a, letter=letter)
    assert preview.refusal is not None and preview.refusal.code == "letter_identifies_person"
    with pytest.raises(Conflict):
        services.letter_finalise(
            acting_user=world.worker_a, letter=letter, preview_sha256=preview.digest
        )
    assert Letter.objects.get(pk=letter.pk).is_draft


def test_the_objection_letter_without_the_person_needs_no_consent(world):
    case = refused_everything(world.worker_a)
    letter = finalised(world.worker_a, case, "objection_letter")
    text = pdf_text(bytes(letter.document.pdf))
    assert case.person.last_name not in text
    assert "samtyckt" not in text


# --- Protected identity -----------------------------------------------------------------------


@override_settings(MOTVERKA_KNOWN_ADDRESS_PROVIDERS=[PROVIDER])
@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("body", "Hon bor på Hemligv. 7."),
        ("body", "Hon bor på Hemlig\u00advägen 7."),
        ("body", "Hon bor på Hemlig\u200bvägen 7."),
        ("body", "Hon bor på HEMLIGVÄGEN\u00a07 B."),
        ("body", "Postnummer 452 30, nummer 7."),
        ("subject", "Angående Hemligv. 7"),
        ("recipient_name", "Boende på Hemligv. 7"),
        ("recipient_address", "Hemlig\u2060vägen 7\n452 30 Strömstad"),
        ("recipient_email", "hemligv.7@example.se"),
    ],
)
def test_a_protected_address_is_refused_however_it_is_written(world, field, typed):
    case = with_consents(world.worker_a, care_case(world.worker_a, protected_identity=True))
    letter = draft(world.worker_a, case, "transfer_request", **{field: typed})
    preview = services.letter_preview(acting_user=world.worker_a, letter=letter)
    with pytest.raises(Conflict) as refusal:
        services.letter_finalise(
            acting_user=world.worker_a,
            letter=letter,
            preview_sha256=preview.digest,
            confirm_unverified_reference=True,
        )
    assert refusal.value.code == "protected_address"
    assert not LetterDocument.objects.filter(letter=letter).exists()


@override_settings(MOTVERKA_KNOWN_ADDRESS_PROVIDERS=[PROVIDER])
def test_the_pdf_of_a_protected_person_never_contains_the_address(world):
    case = with_consents(world.worker_a, care_case(world.worker_a, protected_identity=True))
    letter = finalised(
        world.worker_a,
        case,
        "transfer_request",
        body="Adress: {{ person.address }}, {{ person.municipality }}. Skäl: se bilaga.",
    )
    text = pdf_text(bytes(letter.document.pdf))
    assert WITHHELD in text
    for fragment in ("Hemlig", "452 30", "45230", "Strömstad"):
        assert fragment not in text
        assert fragment not in letter.final_text


@pytest.mark.parametrize("kind", ["person_information", "landlord_letter"])
def test_a_protected_persons_sending_municipality_is_withheld_where_it_may_not_stand(world, kind):
    case = make_case(world.worker_a, protected_identity=True)
    letter = draft(
        world.worker_a,
        case,
        kind,
        body="Från {{ sending_municipality.name }} ({{ sending_municipality.social_services }}).",
    )
    letter = finalise(acting_user=world.worker_a, letter=letter)
    assert letter.final_text == f"Från {WITHHELD} ({WITHHELD})."
    assert "Stockholm" not in pdf_text(bytes(letter.document.pdf))


@pytest.mark.parametrize("kind", ["person_information", "landlord_letter"])
@pytest.mark.parametrize("typed", ["Stockholm", "STOCK\u00adHOLMS stad", "stock\u200bholm"])
def test_a_protected_persons_sending_municipality_typed_in_is_refused(world, kind, typed):
    case = make_case(world.worker_a, protected_identity=True)
    letter = draft(world.worker_a, case, kind, body=f"Du kom från {typed}.")
    preview = services.letter_preview(acting_user=world.worker_a, letter=letter)
    with pytest.raises(Conflict) as refusal:
        services.letter_finalise(
            acting_user=world.worker_a, letter=letter, preview_sha256=preview.digest
        )
    assert refusal.value.code == "protected_sending_municipality"
    assert Letter.objects.get(pk=letter.pk).is_draft


def test_the_default_person_information_letter_of_a_protected_person_can_be_finalised(world):
    case = make_case(world.worker_a, protected_identity=True)
    letter = finalised(world.worker_a, case, "person_information")
    text = pdf_text(bytes(letter.document.pdf))
    assert "Stockholm" not in text
    assert WITHHELD in text


@pytest.mark.parametrize("kind", ["objection_letter", "transfer_request", "ivo_application"])
def test_the_sending_municipality_stands_in_letters_to_it_and_to_ivo(world, kind):
    case = with_consents(world.worker_a, care_case(world.worker_a, protected_identity=True))
    if kind == "ivo_application":
        case = declined_transfer(world.worker_a, case)
    letter = draft(world.worker_a, case, kind, body="Till {{ sending_municipality.name }}.")
    letter = finalise(acting_user=world.worker_a, letter=letter, confirm_unverified_reference=True)
    assert letter.final_text == "Till Stockholm."


def test_a_person_without_protection_may_read_their_sending_municipality(world):
    case = make_case(world.worker_a)
    letter = finalised(world.worker_a, case, "person_information")
    assert "Stockholm" in letter.final_text


# --- Frozen citation --------------------------------------------------------------------------


def test_editing_a_legal_reference_never_changes_a_finalised_letter(world, api_as):
    case = with_consents(world.worker_a, care_case(world.worker_a))
    letter = finalised(world.worker_a, case, "transfer_request")  # dated today: 2025:400
    pdf_before = bytes(letter.document.pdf)
    cited = letter.frozen_reference
    assert cited["citation"] == "socialtjänstlagen (2025:400)"
    assert cited["verified"] is False
    reference = letter.legal_reference

    world.admin.is_staff = True
    world.admin.save()
    admin = SecondFactorClient()
    admin.force_login(world.admin)
    edited = admin.post(
        reverse("admin:reference_legalreference_change", args=[reference.pk]),
        {
            "code": "transfer_request",
            "law_name": "socialtjänstlagen",
            "sfs_number": "2025:400",
            "chapter": "12",
            "section": "3",
            "text": "Ändrad text.",
            "valid_from": "2025-07-01",
            "valid_to": "",
            "verified_by": "Kommunjurist",
            "verified_on": "2026-11-30",
        },
    )
    assert edited.status_code == 302
    reference.refresh_from_db()
    assert reference.citation == "12 kap. 3 § socialtjänstlagen (2025:400)"

    letter = Letter.objects.get(pk=letter.pk)
    assert letter.frozen_reference == cited
    page = client_for(world.worker_a).get(reverse("letter_detail", args=[letter.pk]))
    html = page.content.decode()
    assert "socialtjänstlagen (2025:400)" in html
    assert "12 kap. 3 §" not in html
    shown = api_as(world.worker_a).get(f"{API}/letters/{letter.pk}").json()
    assert shown["legal_reference"]["citation"] == "socialtjänstlagen (2025:400)"
    assert shown["legal_reference"]["verified"] is False
    assert shown["legal_reference"]["id"] == reference.pk
    assert shown["legal_reference"]["text"] != "Ändrad text."
    pdf = api_as(world.worker_a).get(f"{API}/letters/{letter.pk}/pdf")
    assert pdf.content == pdf_before
    assert "12 kap. 3 §" not in pdf_text(pdf.content)
    # A new letter cites the edited entry.
    new = finalised(world.worker_a, case, "transfer_request")
    assert new.frozen_reference["citation"] == "12 kap. 3 § socialtjänstlagen (2025:400)"


def test_an_ivo_application_freezes_both_of_its_references(world):
    case = ivo_ready(world.worker_a, with_consents(world.worker_a, care_case(world.worker_a)))
    letter = finalised(world.worker_a, case, "ivo_application")
    assert [item["code"] for item in letter.cited_references] == [
        "ivo_application",
        "transfer_request",
    ]


# --- Finalising exactly what was previewed ----------------------------------------------------


def test_a_change_after_the_preview_makes_the_finalise_a_conflict(world):
    case = with_consents(world.worker_a, care_case(world.worker_a))
    letter = draft(world.worker_a, case, "transfer_request")
    seen = services.letter_preview(acting_user=world.worker_a, letter=letter)
    # Another user of the unit edits the draft after A's preview.
    services.letter_draft_update(
        acting_user=world.manager,
        letter=letter,
        letter_date=letter.letter_date,
        subject=letter.subject,
        body=letter.body + "\n\nTillägg av B.",
        recipient_name=letter.recipient_name,
        recipient_address=letter.recipient_address,
    )
    with pytest.raises(Conflict) as refusal:
        services.letter_finalise(
            acting_user=world.worker_a,
            letter=letter,
            preview_sha256=seen.digest,
            confirm_unverified_reference=True,
        )
    assert refusal.value.code == "letter_changed_since_preview"
    assert "Förhandsgranska skrivelsen igen" in refusal.value.message
    assert Letter.objects.get(pk=letter.pk).is_draft
    # Previewing again and finalising stores B's text, which A has now seen.
    letter.refresh_from_db()
    letter = finalise(acting_user=world.worker_a, letter=letter, confirm_unverified_reference=True)
    assert "Tillägg av B." in letter.final_text


def test_a_letterhead_changed_after_the_preview_is_a_conflict_too(world):
    case = make_case(world.worker_a)
    letter = draft(world.worker_a, case, "landlord_letter")
    seen = services.letter_preview(acting_user=world.worker_a, letter=letter)
    Letterhead.objects.create(municipality_name="Annan kommun")
    with pytest.raises(Conflict) as refusal:
        services.letter_finalise(
            acting_user=world.worker_a, letter=letter, preview_sha256=seen.digest
        )
    assert refusal.value.code == "letter_changed_since_preview"


def test_the_page_refuses_a_stale_preview_and_shows_the_letter_as_it_is_now(world):
    case = make_case(world.worker_a)
    letter = draft(world.worker_a, case, "landlord_letter")
    client = client_for(world.worker_a)
    html = client.get(reverse("letter_preview", args=[letter.pk])).content.decode()
    digest = re.search(r'name="preview_sha256" value="([0-9a-f]{64})"', html).group(1)
    services.letter_draft_update(
        acting_user=world.manager,
        letter=letter,
        letter_date=letter.letter_date,
        subject=letter.subject,
        body="Text som B skrev efter förhandsgranskningen.",
        recipient_name=letter.recipient_name,
        recipient_address=letter.recipient_address,
    )
    stale = client.post(reverse("letter_finalise", args=[letter.pk]), {"preview_sha256": digest})
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "har ändrats sedan du förhandsgranskade" in html
    assert "Text som B skrev efter förhandsgranskningen." in html
    assert Letter.objects.get(pk=letter.pk).is_draft
    fresh = re.search(r'name="preview_sha256" value="([0-9a-f]{64})"', html).group(1)
    assert fresh != digest
    missing = client.post(reverse("letter_finalise", args=[letter.pk]), {})
    assert missing.status_code == 409
    done = client.post(reverse("letter_finalise", args=[letter.pk]), {"preview_sha256": fresh})
    assert done.status_code == 302
    assert Letter.objects.get(pk=letter.pk).final_text == (
        "Text som B skrev efter förhandsgranskningen."
    )
    # A double submit of the same form finalises nothing more.
    twice = client.post(reverse("letter_finalise", args=[letter.pk]), {"preview_sha256": fresh})
    assert twice.status_code == 302
    assert LetterDocument.objects.filter(letter=letter).count() == 1


def test_the_api_needs_the_digest_it_last_read(world, api_as):
    case = make_case(world.worker_a)
    api = api_as(world.worker_a)
    letter = draft(world.worker_a, case, "landlord_letter")
    read = api.get(f"{API}/letters/{letter.pk}").json()
    assert read["preview_text"] and read["preview_sha256"]
    missing = api.post(f"{API}/letters/{letter.pk}/finalise", {})
    assert missing.status_code == 428
    assert missing.json()["code"] == "preview_required"
    malformed = api.post(f"{API}/letters/{letter.pk}/finalise", {"preview_sha256": "abc"})
    assert malformed.status_code == 422
    patch(api, f"{API}/letters/{letter.pk}", {"body": "Ny text från en annan klient."})
    stale = api.post(
        f"{API}/letters/{letter.pk}/finalise", {"preview_sha256": read["preview_sha256"]}
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "letter_changed_since_preview"
    assert Letter.objects.get(pk=letter.pk).is_draft
    fresh = api.get(f"{API}/letters/{letter.pk}").json()
    done = api.post(
        f"{API}/letters/{letter.pk}/finalise", {"preview_sha256": fresh["preview_sha256"]}
    )
    assert done.status_code == 200
    assert done.json()["final_text"] == fresh["preview_text"] == "Ny text från en annan klient."
