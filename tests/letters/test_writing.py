"""Letters that write themselves: drafts filled from the case, labelled fields in the editor,
empty values named and left out, recipients checked, and a PDF layout without orphans."""

from __future__ import annotations

import io
import itertools
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from motverka.housing.services import child_view_record
from motverka.letters import services
from motverka.letters.guards import REQUIRED_VALUES, recipient_problems, required_value_problems
from motverka.letters.placeholders import (
    FIELD_LABELS,
    drop_empty_lines,
    empty_placeholders,
    fill_placeholders,
    from_editable,
    placeholders_for,
    to_editable,
)
from motverka.letters.rendering import Block, body_blocks, pdf_from_html
from motverka.people.models import HouseholdMember
from tests.factories import intervention, make_case
from tests.letters.helpers import draft, fill_in, finalise, ivo_ready, with_consents

# --- Labelled fields (pure) ---------------------------------------------------------------------

ALL_FIELDS = sorted(FIELD_LABELS)


def test_every_placeholder_of_every_kind_has_a_unique_label() -> None:
    kinds = ["objection_letter", "justification_request", "transfer_request", "ivo_application"]
    for kind in [*kinds, "person_information", "landlord_letter"]:
        assert set(placeholders_for(kind)) <= set(FIELD_LABELS), kind
    labels = [label.casefold() for label in FIELD_LABELS.values()]
    assert len(labels) == len(set(labels))


_plain = st.text(
    alphabet=st.characters(blacklist_characters="{}«»", blacklist_categories=("Cs",)), max_size=30
)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.one_of(_plain, st.sampled_from(ALL_FIELDS)), max_size=12))
def test_the_editor_round_trips_every_text(parts: list[str]) -> None:
    text = "".join("{{ " + part + " }}" if part in FIELD_LABELS else part for part in parts)
    editable = to_editable(text)
    assert "{{" not in editable and "}}" not in editable
    back, problems = from_editable(editable, FIELD_LABELS)
    assert problems == []
    assert back == text


def test_labels_are_matched_without_regard_to_case_and_unknown_ones_are_named() -> None:
    text, problems = from_editable(
        "«diarienummer» och «Okänd sak»", placeholders_for("ivo_application")
    )
    assert text == "{{ case.reference }} och «Okänd sak»"
    assert problems == ["Okänt fält «Okänd sak». Använd ett fält ur listan under texten."]
    _text, refused = from_editable("«Den enskildes namn»", placeholders_for("landlord_letter"))
    assert refused == [
        "Fältet «Den enskildes namn» kan inte användas i den här typen av skrivelse."
    ]


# --- Empty values (pure) ------------------------------------------------------------------------


def test_a_line_whose_fields_are_all_empty_is_left_out() -> None:
    values = {"sender.email": "", "sender.phone": "", "sender.unit": "Enhet A"}
    text = (
        "Svar till {{ sender.unit }}.\nE-post: {{ sender.email }}\n"
        "Telefon: {{ sender.phone }}\nSlut."
    )
    assert fill_placeholders(drop_empty_lines(text, values), values) == "Svar till Enhet A.\nSlut."
    assert empty_placeholders(text, values) == ["sender.email", "sender.phone"]
    # A line with one value keeps its empty neighbours' text: it is named in the warning.
    mixed = "{{ sender.unit }}, e-post {{ sender.email }}"
    assert drop_empty_lines(mixed, values) == mixed
    # A section whose only line was empty goes with its heading.
    section = "Inledning\n\n## Kontakt\n{{ sender.email }}\n\nSlut"
    assert drop_empty_lines(section, values) == "Inledning\n\nSlut"


@pytest.mark.parametrize(
    ("text", "headings"),
    [
        ("## Hushållet\n\n## Skäl\nFör att.", ["Skäl"]),
        ("Inledning\n\n## Hushållet", []),
        ("## A\nText\n\n## B\n\n## C\nMer", ["A", "C"]),
    ],
)
def test_a_heading_with_nothing_under_it_is_left_out(text: str, headings: list[str]) -> None:
    blocks = body_blocks(text)
    assert [block.text for block in blocks if block.heading] == headings
    assert Block(text="Hushållet", heading=True) not in blocks


@pytest.mark.parametrize(
    ("name", "address", "email"),
    list(itertools.product(["", "  ", "IVO"], ["", "Box 1"], ["", "a@b.se"])),
)
def test_recipient_problems_every_combination(name: str, address: str, email: str) -> None:
    problems = recipient_problems(name=name, address=address, email=email)
    assert ("recipient_name" in problems) is (not name.strip())
    assert ("recipient_address" in problems) is (not address and not email)
    if "recipient_name" in problems:
        assert "”Mottagare”" in problems["recipient_name"][0]
    if "recipient_address" in problems:
        assert "”Mottagarens adress”" in problems["recipient_address"][0]
    gap = recipient_problems(name="X", address="", email="", directory_gap="Stockholm")
    assert (
        "Kommunregistret saknar adress till socialtjänsten i Stockholm"
        in gap["recipient_address"][0]
    )


def test_required_values_are_named_only_when_used_and_empty() -> None:
    assert required_value_problems("landlord_letter", ["sender.phone"]) == []
    messages = required_value_problems("ivo_application", ["person.wishes", "sender.phone"])
    assert len(messages) == 1 and "«Den enskildes önskemål»" in messages[0]
    for kind, names in REQUIRED_VALUES.items():
        assert set(names) <= set(placeholders_for(kind)), kind


# --- Drafts filled from the case ----------------------------------------------------------------


def _care_case(user, **overrides):

    return make_case(
        user,
        interventions=(intervention("care", "Öppenvård"),),
        **overrides,
    )


@pytest.mark.django_db
def test_a_transfer_request_is_addressed_from_the_directory(world):
    from motverka.reference.models import Municipality

    Municipality.objects.filter(code="0180").update(
        registrator_email="registrator@stockholm.example"
    )
    case = with_consents(world.worker_a, make_case(world.worker_a))
    letter = services.letter_draft_create(
        acting_user=world.worker_a, case=case, kind="transfer_request"
    )
    assert letter.recipient_name == "Socialförvaltningen, Stockholms stad"
    assert letter.recipient_address == "Box 44\n100 64 Stockholm"
    assert letter.recipient_email == "registrator@stockholm.example"
    preview = services.letter_preview(acting_user=world.worker_a, letter=letter)
    # The letter itself names the office and its address under "Till".
    assert "Socialförvaltningen, Stockholms stad\nBox 44\n100 64 Stockholm" in preview.text


@pytest.mark.django_db
def test_an_ivo_application_writes_itself_from_the_case(world):
    case = with_consents(world.worker_a, _care_case(world.worker_a))
    case = ivo_ready(world.worker_a, case)
    child = HouseholdMember.objects.get(case=case, first_name="Bror")
    child_view_record(
        acting_user=world.worker_a,
        case=case,
        member_id=child.pk,
        heard_on=case.received_on,
        heard_by="child",
        view="Vill gå kvar i sin gamla skola.",
    )
    letter = draft(world.worker_a, case, "ivo_application")
    preview = services.letter_preview(acting_user=world.worker_a, letter=letter)
    assert preview.problems == {}
    text = preview.text
    assert "Stockholm avböjde begäran" in text
    assert "skickades till Stockholm " + case.received_on.isoformat() in text
    assert "Önskemål nu: Vill bo kvar nära sin familj i Stockholm." in text
    assert "Vill gå kvar i sin gamla skola." in text
    assert "Öppenvård" in text
    assert "[ej registrerad som skickad]" not in text
    assert "{{" not in text


@pytest.mark.django_db
def test_an_empty_value_is_named_and_leaves_no_hole(world):
    case = with_consents(world.worker_a, make_case(world.worker_a))
    # The unit has no e-mail and there is no letterhead: "E-post:" has no value.
    case.unit.email = ""
    case.unit.save()
    letter = draft(world.worker_a, case, "transfer_request")
    preview = services.letter_preview(acting_user=world.worker_a, letter=letter)
    assert "E-post:" not in preview.text
    assert "e-post ." not in preview.text and "e-post ," not in preview.text
    assert any("«Vår e-post»" in warning for warning in preview.empty_value_warnings)


@pytest.mark.django_db
def test_finalising_refuses_a_letter_without_recipient_data_naming_the_field(world, api_as):
    case = make_case(world.worker_a)
    letter = draft(world.worker_a, case, "landlord_letter", recipient_name="", recipient_address="")
    with pytest.raises(ValidationError) as error:
        finalise(acting_user=world.worker_a, letter=letter)
    messages = error.value.message_dict
    assert "”Mottagare”" in messages["recipient_name"][0]
    assert "”Mottagarens adress”" in messages["recipient_address"][0]
    # The API shows the same on the draft.
    read = api_as(world.worker_a).get(f"/api/v1/letters/{letter.pk}").json()
    assert set(read["problems"]) >= {"recipient_name", "recipient_address"}


@pytest.mark.django_db
def test_a_household_without_members_prints_no_empty_heading(world):
    case = with_consents(world.worker_a, make_case(world.worker_a, household=()))
    letter = draft(world.worker_a, case, "transfer_request")
    preview = services.letter_preview(acting_user=world.worker_a, letter=letter)
    assert "Hushållet" not in [block.text for block in body_blocks(preview.text) if block.heading]


# --- PDF layout ---------------------------------------------------------------------------------


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.django_db
def test_an_ivo_application_prints_lagrum_once(world):
    case = ivo_ready(world.worker_a, with_consents(world.worker_a, _care_case(world.worker_a)))
    letter = draft(world.worker_a, case, "ivo_application", letter_date=date(2025, 6, 30))
    pdf = pdf_from_html(services.letter_preview(acting_user=world.worker_a, letter=letter).html)
    text = "\n".join(_pages(pdf))
    assert text.count("Lagrum:") == 1
    assert "2 a kap. 11 § socialtjänstlagen (2001:453); 2 a kap. 10 §" in text


@pytest.mark.django_db
def test_the_signature_never_stands_alone_on_a_page(world):
    case = make_case(world.worker_a)
    signer = world.worker_a.display_name()
    filler = "Detta är ett stycke text som fyller ut sidan med några rader. " * 4
    pages_seen = set()
    for paragraphs in range(2, 14):
        body = "\n\n".join([filler] * paragraphs + ["Med vänlig hälsning"])
        letter = draft(world.worker_a, case, "landlord_letter", body=fill_in(body))
        html = services.letter_preview(acting_user=world.worker_a, letter=letter).html
        pages = _pages(pdf_from_html(html))
        pages_seen.add(len(pages))
        (signed,) = [page for page in pages if signer in page]
        assert "Med vänlig hälsning" in signed, paragraphs
        letter.delete()
    assert pages_seen >= {1, 2}  # the sizes cross a page break


def test_the_admin_preview_has_a_fictitious_value_for_every_field() -> None:
    from motverka.letters.admin import PREVIEW_VALUES

    assert set(PREVIEW_VALUES) == set(FIELD_LABELS)
