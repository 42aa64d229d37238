"""What the administrator maintains: templates, letterheads, legal references."""

import io

from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from motverka.letters.admin import LetterTemplateForm
from motverka.letters.models import Letterhead, LetterTemplate
from motverka.reference.models import LegalReference
from tests.factories import make_case
from tests.letters.helpers import finalised, pdf_xmp
from tests.second_factor import SecondFactorClient


def admin_client(world):
    world.admin.is_staff = True
    world.admin.save()
    client = SecondFactorClient()
    client.force_login(world.admin)
    return client


def test_swedish_default_templates_ship_for_every_kind(db):
    kinds = set(LetterTemplate.objects.filter(active=True).values_list("kind", "language"))
    assert kinds == {
        ("objection_letter", "sv"),
        ("justification_request", "sv"),
        ("transfer_request", "sv"),
        ("ivo_application", "sv"),
        ("person_information", "sv"),
        ("person_information", "en"),
        ("landlord_letter", "sv"),
    }


def test_no_shipped_template_hard_codes_a_paragraph(db):
    for template in LetterTemplate.objects.all():
        assert "§" not in template.body, template
        assert "kap." not in template.body, template


def test_the_template_form_reports_unknown_placeholders_and_template_code(db):
    form = LetterTemplateForm(
        data={
            "kind": "objection_letter",
            "language": "sv",
            "subject": "{{ case.reference }}",
            "body": "{{ person.name }} {% load static %}",
            "active": False,
        }
    )
    assert not form.is_valid()
    messages = " ".join(form.errors["body"])
    assert "Okänd platshållare {{ person.name }}" in messages
    assert "Mallkod" in messages


def test_only_one_active_template_per_kind_and_language(db):
    form = LetterTemplateForm(
        data={
            "kind": "landlord_letter",
            "language": "sv",
            "subject": "Ny",
            "body": "Text",
            "active": True,
        }
    )
    assert not form.is_valid()
    assert "active" in form.errors


def test_the_admin_pages_show_a_preview_and_the_placeholders(world):
    client = admin_client(world)
    template = LetterTemplate.objects.get(kind="transfer_request")
    page = client.get(reverse("admin:letters_lettertemplate_change", args=[template.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Exempelstad" in html  # the preview uses fictitious values
    assert "{{ person.identity_number }}" in html  # the placeholder list
    for name in ("letters_letterhead", "reference_legalreference", "reference_municipality"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_case_workers_cannot_reach_the_admin(world):
    client = SecondFactorClient()
    client.force_login(world.worker_a)
    response = client.get(reverse("admin:letters_lettertemplate_changelist"))
    assert response.status_code == 302


def test_an_administrator_edits_a_legal_reference_in_the_admin(world):
    client = admin_client(world)
    entry = LegalReference.objects.get(code="transfer_request", sfs_number="2025:400")
    url = reverse("admin:reference_legalreference_change", args=[entry.pk])
    response = client.post(
        url,
        {
            "code": "transfer_request",
            "law_name": "socialtjänstlagen",
            "sfs_number": "2025:400",
            "chapter": "12",
            "section": "3",
            "text": entry.text,
            "valid_from": "2025-07-01",
            "valid_to": "",
            "verified_by": "Kommunjurist",
            "verified_on": "2026-11-30",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry.refresh_from_db()
    assert entry.citation == "12 kap. 3 § socialtjänstlagen (2025:400)"
    assert entry.is_verified


def test_the_letterhead_and_its_logo_are_printed(world, tmp_path):
    image = io.BytesIO()
    Image.new("RGBA", (120, 40), (11, 79, 138, 255)).save(image, format="PNG")
    with override_settings(MEDIA_ROOT=tmp_path):
        letterhead = Letterhead(
            municipality_name="Munkedals kommun",
            unit=world.unit_a,
            signer_name="Sara Signer",
            signer_title="Socialchef",
        )
        letterhead.logo.save("logo.png", ContentFile(image.getvalue()), save=True)
        case = make_case(world.worker_a)
        letter = finalised(world.worker_a, case, "landlord_letter")
    pdf = bytes(letter.document.pdf)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    images = [
        name
        for name, item in page["/Resources"].get("/XObject", {}).items()
        if item.get_object()["/Subtype"] == "/Image"
    ]
    assert images
    assert 'pdfaid:part="2"' in pdf_xmp(pdf)
