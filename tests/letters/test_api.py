"""The letter endpoints of the JSON API."""

import hashlib
from datetime import date

from django.utils import timezone

from motverka.letters.models import Letter
from tests.factories import make_case
from tests.letters.helpers import fill_in, pdf_text, with_consents

API = "/api/v1"


def patch(client, path, data):
    """PATCH with the ETag of a read just before (If-Match is required)."""
    import json

    tag = client.get(path).get("ETag", "")
    return client.client.patch(
        path,
        json.dumps(data, default=str),
        content_type="application/json",
        HTTP_IF_MATCH=tag,
        **client.headers,
    )


def test_draft_edit_finalise_download_through_the_api(world, api_as):
    case = with_consents(world.worker_a, make_case(world.worker_a))
    client = api_as(world.worker_a)
    created = client.post(f"{API}/cases/{case.pk}/letters", {"kind": "transfer_request"})
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"]["code"] == "draft"
    assert data["kind"]["label"] == "Begäran om överflyttning av ärende"
    assert data["problems"]["body"]  # the [FYLL I …] parts
    assert data["pdf_url"] is None
    letter_id = data["id"]

    edited = patch(
        client,
        f"{API}/letters/{letter_id}",
        {"body": fill_in(data["body"]), "letter_date": "2025-06-30"},
    )
    assert edited.status_code == 200, edited.content
    edited = edited.json()
    assert edited["problems"] == {}
    assert edited["reference_warnings"] == []
    assert edited["legal_reference"]["citation"] == "2 a kap. 10 § socialtjänstlagen (2001:453)"
    assert "Den enskilde har samtyckt till att ärendet flyttas över." in edited["preview_text"]
    assert edited["refusal"] is None

    without = client.post(f"{API}/letters/{letter_id}/finalise", {})
    assert without.status_code == 428
    assert without.json()["code"] == "preview_required"
    done = client.post(
        f"{API}/letters/{letter_id}/finalise", {"preview_sha256": edited["preview_sha256"]}
    )
    assert done.status_code == 200, done.content
    done = done.json()
    assert done["status"]["code"] == "finalised"
    assert done["sha256"]
    assert done["final_text"] == edited["preview_text"]

    pdf = client.get(done["pdf_url"])
    assert pdf.status_code == 200
    assert hashlib.sha256(pdf.content).hexdigest() == done["sha256"]
    assert "2 a kap. 10 § socialtjänstlagen (2001:453)" in pdf_text(pdf.content)

    listed = client.get(f"{API}/cases/{case.pk}/letters")
    assert [row["id"] for row in listed.json()] == [letter_id]


def test_an_unverified_reference_needs_the_confirmation_flag(world, api_as):
    case = with_consents(world.worker_a, make_case(world.worker_a))
    client = api_as(world.worker_a)
    letter_id = client.post(f"{API}/cases/{case.pk}/letters", {"kind": "transfer_request"}).json()[
        "id"
    ]
    body = Letter.objects.get(pk=letter_id).body
    read = patch(client, f"{API}/letters/{letter_id}", {"body": fill_in(body)}).json()
    digest = {"preview_sha256": read["preview_sha256"]}
    refused = client.post(f"{API}/letters/{letter_id}/finalise", digest)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "confirm_unverified_reference"]
    confirmed = client.post(
        f"{API}/letters/{letter_id}/finalise", {**digest, "confirm_unverified_reference": True}
    )
    assert confirmed.status_code == 200
    assert confirmed.json()["legal_reference_confirmed"] is True


def test_refusals_map_to_409_and_422(world, api_as):
    case = make_case(world.worker_a)
    client = api_as(world.worker_a)
    ivo = client.post(f"{API}/cases/{case.pk}/letters", {"kind": "ivo_application"})
    assert ivo.status_code == 409
    assert ivo.json()["code"] == "ivo_requires_care_intervention"
    unknown = client.post(f"{API}/cases/{case.pk}/letters", {"kind": "love_letter"})
    assert unknown.status_code == 422

    letter_id = client.post(f"{API}/cases/{case.pk}/letters", {"kind": "landlord_letter"}).json()[
        "id"
    ]
    bad = patch(client, f"{API}/letters/{letter_id}", {"body": "{{ person.name }}"})
    assert bad.status_code == 422
    assert "Okänd platshållare" in bad.json()["detail"][0]["msg"]
    body = Letter.objects.get(pk=letter_id).body
    read = patch(
        client,
        f"{API}/letters/{letter_id}",
        {"body": fill_in(body), "recipient_name": "AB", "recipient_address": "Box 1"},
    ).json()
    digest = {"preview_sha256": read["preview_sha256"]}
    assert client.post(f"{API}/letters/{letter_id}/finalise", digest).status_code == 200
    again = patch(client, f"{API}/letters/{letter_id}", {"subject": "Ny"})
    assert again.status_code == 409
    assert again.json()["code"] == "letter_locked"

    sent = client.post(
        f"{API}/letters/{letter_id}/sent",
        {"sent_on": timezone.localdate().isoformat(), "channel": "post"},
    )
    assert sent.status_code == 200
    assert sent.json()["sent_channel"]["code"] == "post"
    twice = client.post(
        f"{API}/letters/{letter_id}/sent", {"sent_on": str(date(2026, 1, 1)), "channel": "post"}
    )
    assert twice.status_code == 409


def test_a_transfer_request_refused_by_the_guideline_is_a_409_and_stays_unsent(world, api_as):
    case = with_consents(world.worker_a, make_case(world.worker_a))  # but not yet assessed
    client = api_as(world.worker_a)
    letter_id = client.post(f"{API}/cases/{case.pk}/letters", {"kind": "transfer_request"}).json()[
        "id"
    ]
    body = Letter.objects.get(pk=letter_id).body
    read = patch(client, f"{API}/letters/{letter_id}", {"body": fill_in(body)}).json()
    done = client.post(
        f"{API}/letters/{letter_id}/finalise",
        {"preview_sha256": read["preview_sha256"], "confirm_unverified_reference": True},
    )
    assert done.status_code == 200, done.content
    sent = client.post(
        f"{API}/letters/{letter_id}/sent",
        {"sent_on": timezone.localdate().isoformat(), "channel": "email"},
    )
    assert sent.status_code == 409
    assert sent.json()["code"] == "wrong_status"
    assert not Letter.objects.get(pk=letter_id).is_sent


def test_another_units_worker_gets_404_everywhere(world, api_as):
    case = make_case(world.worker_a)
    own = api_as(world.worker_a)
    letter_id = own.post(f"{API}/cases/{case.pk}/letters", {"kind": "landlord_letter"}).json()["id"]
    other = api_as(world.worker_b)
    assert (
        other.post(f"{API}/cases/{case.pk}/letters", {"kind": "landlord_letter"}).status_code == 404
    )
    assert other.get(f"{API}/cases/{case.pk}/letters").status_code == 404
    assert other.get(f"{API}/letters/{letter_id}").status_code == 404
    assert patch(other, f"{API}/letters/{letter_id}", {"subject": "X"}).status_code == 404
    assert other.post(f"{API}/letters/{letter_id}/finalise", {}).status_code == 404
    sent = {"sent_on": "2026-01-01", "channel": "post"}
    assert other.post(f"{API}/letters/{letter_id}/sent", sent).status_code == 404
    assert other.get(f"{API}/letters/{letter_id}/pdf").status_code == 404
    assert api_as(world.analyst).get(f"{API}/letters/{letter_id}").status_code == 403
    assert api_as(None).get(f"{API}/letters/{letter_id}").status_code == 401
    assert Letter.objects.get(pk=letter_id).subject != "X"
