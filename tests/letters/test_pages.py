"""The letter pages: the case-page panel, the draft → preview → finalise → sent journey,
and who may reach which page."""

import re
from html import unescape as html_unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motverka.letters.models import Letter
from tests.factories import make_case
from tests.letters.helpers import draft, fill_in, finalised, pdf_text, with_consents
from tests.second_factor import SecondFactorClient


def preview_digest(html):
    """The digest the preview page's finalise form carries."""
    match = re.search(r'name="preview_sha256" value="([0-9a-f]{64})"', html)
    assert match, "the preview has no finalise form"
    return match.group(1)


def client_for(user):
    client = SecondFactorClient()
    client.force_login(user)
    return client


def test_the_case_page_shows_the_letters_panel(world):
    case = make_case(world.worker_a)
    finalised(world.worker_a, case, "landlord_letter")
    page = client_for(world.worker_a).get(reverse("case_letters", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="skrivelser"' in html
    assert "Skrivelse till hyresvärd" in html
    assert reverse("letter_create", kwargs={"case_id": case.pk}) in html


def test_the_whole_journey_in_the_browser(world):
    case = with_consents(world.worker_a, make_case(world.worker_a))
    client = client_for(world.worker_a)
    created = client.post(reverse("letter_create", args=[case.pk]), {"kind": "transfer_request"})
    letter = Letter.objects.get(case=case)
    assert created.status_code == 302
    assert created["Location"] == reverse("letter_detail", args=[letter.pk])
    edit = client.get(created["Location"])
    assert edit.status_code == 200
    editor = edit.content.decode()
    # Placeholders are labelled fields in the editor, never raw braces; the list under the
    # text gives each field's value as the case holds it now.
    textarea = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', editor, re.S).group(1)
    assert "{{" not in textarea and "}}" not in textarea
    assert "«Diarienummer»" in textarea
    assert "«Diarienummer»" in editor and case.reference in editor
    # The recipient comes from the directory.
    assert "Box 44" in editor

    editable_body = html_unescape(textarea).replace("\r\n", "\n")
    saved = client.post(
        reverse("letter_detail", args=[letter.pk]),
        {
            "letter_date": timezone.localdate().isoformat(),
            "recipient_name": "Socialtjänsten i Stockholm",
            "recipient_address": "Box 1\n100 00 Stockholm",
            "recipient_email": "",
            "subject": html_unescape(re.search(r'name="subject" value="([^"]*)"', editor).group(1)),
            "body": fill_in(editable_body),
            "preview": "1",
        },
    )
    assert saved.status_code == 302
    letter.refresh_from_db()
    # Stored as placeholders again, exactly as the template had them.
    assert "{{ case.reference }}" in letter.body
    assert "«" not in letter.body
    assert saved["Location"] == reverse("letter_preview", args=[letter.pk])
    preview = client.get(saved["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "inte verifierat" in html  # the new law's entry is unverified
    assert 'name="confirm_unverified_reference"' in html

    digest = preview_digest(html)

    refused = client.post(reverse("letter_finalise", args=[letter.pk]), {"preview_sha256": digest})
    assert refused.status_code == 400
    assert "Bekräfta att skrivelsen ska slutföras" in refused.content.decode()
    assert Letter.objects.get(pk=letter.pk).is_draft

    done = client.post(
        reverse("letter_finalise", args=[letter.pk]),
        {"preview_sha256": digest, "confirm_unverified_reference": "on"},
    )
    assert done.status_code == 302
    letter.refresh_from_db()
    assert letter.status == "finalised"

    pdf = client.get(reverse("letter_pdf", args=[letter.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert "Begäran om överflyttning" in pdf_text(pdf.content)

    sent = client.post(
        reverse("letter_mark_sent", args=[letter.pk]),
        {"sent_on": timezone.localdate().isoformat(), "channel": "post"},
    )
    # The case is not assessed, so the guideline refuses the step: shown, nothing saved.
    assert sent.status_code == 400
    assert "inte bedömt" in sent.content.decode()
    assert not Letter.objects.get(pk=letter.pk).is_sent


def test_an_unknown_labelled_field_is_refused_with_its_name(world):
    case = make_case(world.worker_a)
    letter = draft(world.worker_a, case, "landlord_letter")
    response = client_for(world.worker_a).post(
        reverse("letter_detail", args=[letter.pk]),
        {
            "letter_date": timezone.localdate().isoformat(),
            "subject": "Rubrik",
            "body": "Till «Mottagare». Hej «Den enskildes namn» och «Påhittat fält».",
            "recipient_name": "X",
        },
    )
    assert response.status_code == 400
    html = html_unescape(response.content.decode())
    assert "Okänt fält «Påhittat fält»" in html
    # The letter to a landlord may not name the person.
    assert "Fältet «Den enskildes namn» kan inte användas" in html
    letter.refresh_from_db()
    assert "Påhittat" not in letter.body


def test_bad_draft_input_re_renders_with_swedish_errors(world):
    case = make_case(world.worker_a)
    letter = draft(world.worker_a, case, "landlord_letter")
    response = client_for(world.worker_a).post(
        reverse("letter_detail", args=[letter.pk]),
        {
            "letter_date": "inte-ett-datum",
            "subject": "Rubrik",
            "body": "Hej {{ person.name }} {% debug %}",
            "recipient_name": "X",
        },
    )
    assert response.status_code == 400
    assert 'id="id_letter_date_error"' in response.content.decode()

    response = client_for(world.worker_a).post(
        reverse("letter_detail", args=[letter.pk]),
        {
            "letter_date": timezone.localdate().isoformat(),
            "subject": "Rubrik",
            "body": "{% debug %}",
            "recipient_name": "X",
        },
    )
    assert response.status_code == 400
    assert "Mallkod med {% … %}" in response.content.decode()
    letter.refresh_from_db()
    assert "{% debug %}" not in letter.body

    response = client_for(world.worker_a).post(
        reverse("letter_detail", args=[letter.pk]),
        {
            "letter_date": timezone.localdate().isoformat(),
            "subject": "Rubrik",
            "body": "Hej {{ person.name }}",
            "recipient_name": "X",
        },
    )
    assert response.status_code == 400
    assert "Okänd platshållare" in response.content.decode()


def test_a_finalised_letter_page_offers_a_correction_not_an_edit(world):
    case = make_case(world.worker_a)
    letter = finalised(world.worker_a, case, "landlord_letter")
    client = client_for(world.worker_a)
    page = client.get(reverse("letter_detail", args=[letter.pk]))
    html = page.content.decode()
    assert letter.sha256 in html
    assert 'name="body"' not in html
    changed = client.post(
        reverse("letter_detail", args=[letter.pk]),
        {
            "letter_date": timezone.localdate().isoformat(),
            "subject": "Ändrad",
            "body": "Ändrad",
            "recipient_name": "X",
        },
    )
    assert changed.status_code == 400
    assert Letter.objects.get(pk=letter.pk).subject != "Ändrad"
    corrected = client.post(reverse("letter_correct", args=[letter.pk]))
    correction = Letter.objects.get(corrects=letter)
    assert corrected["Location"] == reverse("letter_detail", args=[correction.pk])


def _urls(case, letter):
    return [
        (
            "post",
            reverse("letter_create", kwargs={"case_id": case.pk}),
            {"kind": "landlord_letter"},
        ),
        ("get", reverse("letter_detail", kwargs={"letter_id": letter.pk}), None),
        ("get", reverse("letter_preview", kwargs={"letter_id": letter.pk}), None),
        ("post", reverse("letter_finalise", kwargs={"letter_id": letter.pk}), {}),
        (
            "post",
            reverse("letter_mark_sent", kwargs={"letter_id": letter.pk}),
            {"sent_on": "2026-01-01", "channel": "post"},
        ),
        ("post", reverse("letter_correct", kwargs={"letter_id": letter.pk}), {}),
        ("get", reverse("letter_pdf", kwargs={"letter_id": letter.pk}), None),
    ]


@pytest.mark.parametrize(("role", "status"), [("worker_b", 404), ("analyst", 403), ("admin", 403)])
def test_every_letter_url_is_closed_to_other_units_and_roles(world, role, status):
    case = make_case(world.worker_a)
    letter = finalised(world.worker_a, case, "landlord_letter")
    client = client_for(getattr(world, role))
    for method, url, data in _urls(case, letter):
        response = getattr(client, method)(url, data or {})
        assert response.status_code == status, (role, url, response.status_code)
    assert Letter.objects.filter(case=case).count() == 1
    assert not Letter.objects.get(pk=letter.pk).is_sent


def test_an_unknown_letter_is_a_404_and_anonymous_users_are_sent_to_log_in(world):
    client = client_for(world.worker_a)
    assert client.get(reverse("letter_detail", args=[999999])).status_code == 404
    anonymous = Client().get(reverse("letter_detail", args=[1]))
    assert anonymous.status_code == 302
    assert reverse("login") in anonymous["Location"]


def test_a_manager_of_the_unit_reaches_every_page(world):
    case = make_case(world.worker_a)
    letter = draft(world.worker_a, case, "landlord_letter")
    client = client_for(world.manager)
    assert client.get(reverse("letter_detail", args=[letter.pk])).status_code == 200
    assert client.get(reverse("letter_preview", args=[letter.pk])).status_code == 200
