"""Optimistic concurrency on every editable record (decision 0017).

For each record type: a save from a stale version is refused and changes nothing (the
record and the audit log stay as they were), in the service, the API (412; 428 without
If-Match) and the UI (a 409 conflict page with both versions); two concurrent saves of one
version have exactly one winner.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from motverka.accounts.models import Role
from motverka.audit.models import AuditEvent
from motverka.cases import services as case_services
from motverka.cases.corrections import CaseCorrection, case_data_correct
from motverka.cases.errors import VersionConflict
from motverka.cases.models import Case, JournalEntry
from motverka.housing.models import Housing, Landlord
from motverka.housing.services import HousingInput, LandlordInput, housing_save, landlord_update
from motverka.letters import services as letter_services
from motverka.letters.models import Letter
from motverka.workflow.models import Consent
from motverka.workflow.policy import ConsentScope
from motverka.workflow.services import consent_record
from tests.factories import make_case, make_user
from tests.housing.helpers import landlord as make_landlord
from tests.integrity.helpers import run_concurrently
from tests.letters.helpers import draft, with_consents

API = "/api/v1"
SCOPE = ConsentScope.CONTACT_SENDING_MUNICIPALITY


@dataclass
class Record:
    """One editable record: ``save(version, marker)`` edits it from ``version``; ``state()``
    reads what is stored; ``version()`` its stored version."""

    save: Callable[[int, str], Any]
    state: Callable[[], Any]
    version: Callable[[], int]


def _letter(world: Any) -> Record:
    user = world.worker_a
    letter = draft(user, with_consents(user, make_case(user)), "transfer_request")

    def save(version: int, marker: str) -> Any:
        return letter_services.letter_draft_update(
            acting_user=user,
            letter=letter,
            letter_date=letter.letter_date,
            subject=letter.subject,
            body=f"Text {marker}",
            recipient_name=letter.recipient_name,
            expected_version=version,
        )

    def get() -> Letter:
        return Letter.objects.get(pk=letter.pk)

    return Record(save, lambda: get().body, lambda: get().version)


def _housing(world: Any) -> Record:
    user = world.worker_a
    case = make_case(user)

    def save(version: int, marker: str) -> Any:
        return housing_save(
            acting_user=user,
            case=case,
            data=HousingInput(address="Storgatan 1", rooms=2, note=f"Anteckning {marker}"),
            expected_version=version,
        )

    def get() -> Housing | None:
        return Housing.objects.filter(case=case).first()

    return Record(
        save,
        lambda: get().note if get() else None,  # type: ignore[union-attr]
        lambda: get().version if get() else 0,  # type: ignore[union-attr]
    )


def _case_data(world: Any) -> Record:
    user = world.worker_a
    case = make_case(user)

    def save(version: int, marker: str) -> Any:
        return case_data_correct(
            acting_user=user,
            case=case,
            correction=CaseCorrection(indicator_note=f"Tecken {marker}"),
            reason="Rättelse",
            expected_version=version,
        )

    def get() -> Case:
        return Case.objects.get(pk=case.pk)

    return Record(save, lambda: get().indicator_note, lambda: get().version)


def _assignment(world: Any) -> Record:
    user = world.worker_a
    others = {
        marker: make_user(Role.CASE_WORKER, [world.unit_a], username=f"handlaggare_{marker}")
        for marker in ("A", "B", "0", "1", "x")
    }
    case = make_case(user)

    def save(version: int, marker: str) -> Any:
        return case_services.case_assign(
            acting_user=user,
            case=case,
            assigned_to_id=others[marker].pk,
            expected_version=version,
        )

    def get() -> Case:
        return Case.objects.get(pk=case.pk)

    return Record(
        save,
        lambda: next(
            (marker for marker, other in others.items() if other.pk == get().assigned_to_id), None
        ),
        lambda: get().version,
    )


def _consent(world: Any) -> Record:
    user = world.worker_a
    case = make_case(user)

    def save(version: int, marker: str) -> Any:
        return consent_record(
            acting_user=user,
            case=case,
            scope=SCOPE,
            status="given",
            decided_on=timezone.localdate(),
            form="written",
            note=f"Svar {marker}",
            expected_version=version,
        )

    def latest() -> Consent | None:
        return Consent.objects.filter(case=case, scope=SCOPE).order_by("-version").first()

    return Record(
        save,
        lambda: [c.note for c in Consent.objects.filter(case=case).order_by("version")],
        lambda: latest().version if latest() else 0,  # type: ignore[union-attr]
    )


def _journal(world: Any) -> Record:
    user = world.worker_a
    entry = case_services.journal_entry_add(
        acting_user=user, case=make_case(user), entry_date=timezone.localdate(), text="Utkast"
    )

    def save(version: int, marker: str) -> Any:
        return case_services.journal_entry_update(
            acting_user=user,
            entry=entry,
            entry_date=entry.entry_date,
            text=f"Anteckning {marker}",
            expected_version=version,
        )

    def get() -> JournalEntry:
        return JournalEntry.objects.get(pk=entry.pk)

    return Record(save, lambda: get().text, lambda: get().version)


def _landlord(world: Any) -> Record:
    user = world.worker_a
    landlord = make_landlord(user)

    def save(version: int, marker: str) -> Any:
        return landlord_update(
            acting_user=user,
            landlord=landlord,
            data=LandlordInput(
                kind=landlord.kind, name=landlord.name, contact_person=f"Kontakt {marker}"
            ),
            expected_version=version,
        )

    def get() -> Landlord:
        return Landlord.objects.get(pk=landlord.pk)

    return Record(save, lambda: get().contact_person, lambda: get().version)


RECORDS = {
    "letter": _letter,
    "housing": _housing,
    "case_data": _case_data,
    "assignment": _assignment,
    "consent": _consent,
    "journal_draft": _journal,
    "landlord": _landlord,
}


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_a_save_from_a_stale_version_is_refused_and_changes_nothing(world, kind):
    record = RECORDS[kind](world)
    read = record.version()
    record.save(read, "A")
    assert record.version() == read + 1
    stored, writes = record.state(), _writes()

    with pytest.raises(VersionConflict) as refusal:
        record.save(read, "B")

    assert refusal.value.expected_version == read
    assert refusal.value.current_version == read + 1
    assert "Inget sparades" in refusal.value.message
    assert record.state() == stored
    assert record.version() == read + 1
    assert _writes() == writes


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_the_current_version_saves_and_moves_on(world, kind):
    record = RECORDS[kind](world)
    first = record.version()
    record.save(first, "A")
    record.save(first + 1, "B")
    assert record.version() == first + 2


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_two_concurrent_saves_of_one_version_have_exactly_one_winner(world, kind):
    record = RECORDS[kind](world)
    read = record.version()
    results = run_concurrently(2, lambda index: record.save(read, str(index)))
    refused = [result for result in results if isinstance(result, VersionConflict)]
    others = [result for result in results if isinstance(result, BaseException)]
    assert len(refused) == 1, (connection.vendor, results)
    assert len(others) == 1, results  # the refusal is the only exception
    assert record.version() == read + 1
    winner = str(results.index(next(r for r in results if not isinstance(r, BaseException))))
    state = record.state()
    assert (state[-1] if isinstance(state, list) else state).endswith(winner)


def _writes() -> int:
    """Audit rows of writes (reads of the answer page are logged too and do not count)."""
    return AuditEvent.objects.filter(action__in=["create", "update", "delete"]).count()


# --- The API --------------------------------------------------------------------------------


def _send(client: Any, method: str, path: str, body: Any, if_match: str | None = None) -> Any:
    extra = {"HTTP_IF_MATCH": if_match} if if_match is not None else {}
    return client.client.generic(
        method,
        path,
        json.dumps(body, default=str),
        content_type="application/json",
        **{**client.headers, **extra},
    )


@dataclass
class Endpoint:
    method: str
    path: str
    body: dict[str, Any]
    required: bool
    state: Callable[[], Any]


def _api_letter(world: Any) -> Endpoint:
    user = world.worker_a
    letter = draft(user, with_consents(user, make_case(user)), "transfer_request")
    return Endpoint(
        "PATCH",
        f"{API}/letters/{letter.pk}",
        {"body": "Ny text"},
        True,
        lambda: Letter.objects.get(pk=letter.pk).body,
    )


def _api_housing(world: Any) -> Endpoint:
    case = make_case(world.worker_a)
    return Endpoint(
        "PUT",
        f"{API}/cases/{case.pk}/housing",
        {"rooms": 3, "note": "Ny anteckning"},
        True,
        lambda: list(Housing.objects.filter(case=case).values_list("note", flat=True)),
    )


def _api_landlord(world: Any) -> Endpoint:
    landlord = make_landlord(world.worker_a)
    return Endpoint(
        "PUT",
        f"{API}/landlords/{landlord.pk}",
        {"name": "Bostads AB Exempel", "contact_person": "Ny kontakt"},
        True,
        lambda: Landlord.objects.get(pk=landlord.pk).contact_person,
    )


def _api_case(world: Any) -> Endpoint:
    case = make_case(world.worker_a)
    return Endpoint(
        "POST",
        f"{API}/cases/{case.pk}/corrections",
        {"indicator_note": "Ny anteckning", "reason": "Rättelse"},
        False,
        lambda: Case.objects.get(pk=case.pk).indicator_note,
    )


API_RECORDS = {
    "letter": (_api_letter, lambda e: e.path),
    "housing": (_api_housing, lambda e: e.path),
    "landlord": (_api_landlord, lambda e: e.path),
    "case_data": (_api_case, lambda e: e.path.removesuffix("/corrections")),
}


@pytest.mark.parametrize("kind", sorted(API_RECORDS))
def test_the_api_names_the_version_and_refuses_a_stale_if_match(world, api_as, kind):
    build, read_path = API_RECORDS[kind]
    endpoint = build(world)
    client = api_as(world.worker_a)
    read = client.get(read_path(endpoint))
    tag = read["ETag"]
    assert tag.startswith('"') and "-v" in tag

    saved = _send(client, endpoint.method, endpoint.path, endpoint.body, tag)
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] != tag
    stored, writes = endpoint.state(), _writes()

    stale = _send(client, endpoint.method, endpoint.path, {**endpoint.body}, tag)
    assert stale.status_code == 412, stale.content
    answer = stale.json()
    assert answer["code"] == "precondition_failed"
    assert answer["etag"] == saved["ETag"] == stale["ETag"]
    assert "Inget sparades" in answer["detail"]
    assert endpoint.state() == stored
    assert _writes() == writes


@pytest.mark.parametrize("kind", ["letter", "housing", "landlord"])
def test_patch_and_put_without_if_match_are_428_and_write_nothing(world, api_as, kind):
    endpoint = API_RECORDS[kind][0](world)
    client = api_as(world.worker_a)
    before, writes = endpoint.state(), _writes()
    response = _send(client, endpoint.method, endpoint.path, endpoint.body)
    assert response.status_code == 428, response.content
    assert response.json()["code"] == "precondition_required"
    assert "If-Match" in response.json()["detail"]
    assert endpoint.state() == before
    assert _writes() == writes


def test_an_if_match_of_another_record_is_412(world, api_as):
    endpoint = _api_letter(world)
    response = _send(
        api_as(world.worker_a), "PATCH", endpoint.path, endpoint.body, '"letter-999999-v1"'
    )
    assert response.status_code == 412
    assert endpoint.state() != "Ny text"


def test_a_correction_without_if_match_is_still_accepted(world, api_as):
    endpoint = _api_case(world)
    response = _send(api_as(world.worker_a), "POST", endpoint.path, endpoint.body)
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert endpoint.state() == "Ny anteckning"


def test_a_consent_answer_names_the_answer_it_replaces(world, api_as):
    case = make_case(world.worker_a)
    client = api_as(world.worker_a)
    path = f"{API}/cases/{case.pk}/consents"
    body = {"scope": SCOPE.value, "status": "given", "form": "written"}
    first = _send(client, "POST", path, body, f'"consent-{case.pk}-{SCOPE.value}-v0"')
    assert first.status_code == 201, first.content
    assert first.json()["version"] == 1
    assert first["ETag"] == f'"consent-{case.pk}-{SCOPE.value}-v1"'
    stale = _send(
        client,
        "POST",
        path,
        {**body, "status": "refused"},
        f'"consent-{case.pk}-{SCOPE.value}-v0"',
    )
    assert stale.status_code == 412, stale.content
    assert stale.json()["current_version"] == 1
    assert Consent.objects.filter(case=case).count() == 1


def test_finalising_through_the_api_refuses_a_draft_saved_after_the_preview(world, api_as):
    user = world.worker_a
    letter = draft(user, with_consents(user, make_case(user)), "transfer_request")
    client = api_as(user)
    read = client.get(f"{API}/letters/{letter.pk}")
    previewed = read.json()["preview_sha256"]
    # Another user edits the draft between the preview and the finalising.
    other = make_user(Role.CASE_WORKER, [world.unit_a], username="kollega")
    letter_services.letter_draft_update(
        acting_user=other,
        letter=letter,
        letter_date=letter.letter_date,
        subject=letter.subject,
        body=letter.body + "\n\nTillägg av kollegan.",
        recipient_name=letter.recipient_name,
        recipient_address=letter.recipient_address,
        recipient_email=letter.recipient_email,
    )
    path = f"{API}/letters/{letter.pk}/finalise"
    body = {"preview_sha256": previewed, "confirm_unverified_reference": True}
    with_tag = _send(client, "POST", path, body, read["ETag"])
    assert with_tag.status_code == 412, with_tag.content
    without_tag = _send(client, "POST", path, body)
    assert without_tag.status_code == 409
    assert without_tag.json()["code"] == "letter_changed_since_preview"
    assert Letter.objects.get(pk=letter.pk).is_draft


# --- The UI ---------------------------------------------------------------------------------


def _ui_letter(world: Any) -> tuple[str, dict[str, Any], Callable[[], Any], str]:
    user = world.worker_a
    letter = draft(user, with_consents(user, make_case(user)), "transfer_request")
    data = {
        "letter_date": letter.letter_date.isoformat(),
        "subject": letter.subject,
        "body": "Min text",
        "recipient_name": letter.recipient_name,
        "recipient_address": letter.recipient_address,
        "recipient_email": letter.recipient_email,
    }
    return (
        f"/skrivelser/{letter.pk}/",
        data,
        lambda: Letter.objects.get(pk=letter.pk).body,
        "Min text",
    )


def _ui_journal(world: Any) -> tuple[str, dict[str, Any], Callable[[], Any], str]:
    user = world.worker_a
    entry = case_services.journal_entry_add(
        acting_user=user, case=make_case(user), entry_date=timezone.localdate(), text="Utkast"
    )
    data = {"entry_date": entry.entry_date.isoformat(), "text": "Min anteckning"}
    return (
        f"/journal/{entry.pk}/andra/",
        data,
        lambda: JournalEntry.objects.get(pk=entry.pk).text,
        "Min anteckning",
    )


def _ui_landlord(world: Any) -> tuple[str, dict[str, Any], Callable[[], Any], str]:
    landlord = make_landlord(world.worker_a)
    data = {"name": landlord.name, "contact_person": "Min kontakt"}
    return (
        f"/hyresvardar/{landlord.pk}/",
        data,
        lambda: Landlord.objects.get(pk=landlord.pk).contact_person,
        "Min kontakt",
    )


def _ui_housing(world: Any) -> tuple[str, dict[str, Any], Callable[[], Any], str]:
    case = make_case(world.worker_a)
    data = {"rooms": "2", "note": "Min bostadsanteckning"}
    return (
        f"/arenden/{case.pk}/boende/",
        data,
        lambda: list(Housing.objects.filter(case=case).values_list("note", flat=True)),
        "Min bostadsanteckning",
    )


def _ui_case_data(world: Any) -> tuple[str, dict[str, Any], Callable[[], Any], str]:
    case = make_case(world.worker_a)
    data = {
        "first_name": case.person.first_name,
        "last_name": case.person.last_name,
        "phone": case.person.phone,
        "sending_municipality": case.sending_municipality.code,
        "received_on": case.received_on.isoformat(),
        "moved_on": case.moved_on.isoformat() if case.moved_on else "",
        "target_groups": list(case.target_groups.values_list("code", flat=True)),
        "indicators": list(case.indicators.values_list("code", flat=True)),
        "indicator_note": "Min anteckning om tecken",
        "reason": "Rättelse",
    }
    return (
        f"/arenden/{case.pk}/andra/",
        data,
        lambda: Case.objects.get(pk=case.pk).indicator_note,
        "Min anteckning om tecken",
    )


def _ui_assignment(world: Any) -> tuple[str, dict[str, Any], Callable[[], Any], str]:
    case = make_case(world.worker_a)
    other = make_user(Role.CASE_WORKER, [world.unit_a], username="kollega", first_name="Kerstin")
    return (
        f"/arenden/{case.pk}/tilldela/",
        {"assigned_to": str(other.pk)},
        lambda: Case.objects.get(pk=case.pk).assigned_to_id,
        "Kerstin",
    )


def _ui_consent(world: Any) -> tuple[str, dict[str, Any], Callable[[], Any], str]:
    case = make_case(world.worker_a)
    data = {
        "scope": SCOPE.value,
        "status": "given",
        "decided_on": timezone.localdate().isoformat(),
        "form": "written",
        "note": "Mitt svar",
    }
    return (
        f"/arenden/{case.pk}/samtycke/",
        data,
        lambda: Consent.objects.filter(case=case).count(),
        "Mitt svar",
    )


UI_RECORDS = {
    "letter": (_ui_letter, "version"),
    "journal_draft": (_ui_journal, "version"),
    "landlord": (_ui_landlord, "version"),
    "housing": (_ui_housing, "version"),
    "case_data": (_ui_case_data, "version"),
    "assignment": (_ui_assignment, "version"),
    "consent": (_ui_consent, f"version_{SCOPE.value}"),
}


#: The version stored when the form is filled in (a new letter is saved twice by ``draft``;
#: no dwelling and no consent answer is version 0).
FILLED_IN_FROM = {"letter": 2, "housing": 0, "consent": 0}


def _save_by_someone_else(kind: str, world: Any, path: str, data: dict[str, Any], client: Any):
    """Another save of the same record, through the same form with the current version."""
    other = dict(data)
    for name in ("body", "text", "contact_person", "note", "indicator_note"):
        if name in other:
            other[name] = "Kollegans version"
    if kind == "assignment":
        other["assigned_to"] = str(world.worker_a.pk)
    response = client.post(path, {**other, UI_RECORDS[kind][1]: FILLED_IN_FROM.get(kind, 1)})
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize("kind", sorted(UI_RECORDS))
def test_a_stale_form_shows_the_conflict_page_and_overwrites_nothing(world, client, kind):
    path, data, state, typed = UI_RECORDS[kind][0](world)
    client.force_login(world.worker_a)
    _save_by_someone_else(kind, world, path, data, client)
    stored, writes = state(), _writes()
    stale_version = FILLED_IN_FROM.get(kind, 1)

    response = client.post(path, {**data, UI_RECORDS[kind][1]: stale_version})

    assert response.status_code == 409, response.content.decode()[:2000]
    page = response.content.decode()
    assert "Någon annan har ändrat uppgifterna" in page
    assert "Det du skrev" in page and "Sparat nu" in page
    assert typed in page
    if kind != "assignment":
        assert "Kollegans version" in page
    assert state() == stored
    assert _writes() == writes


def test_the_edit_forms_carry_the_version(world, client):
    user = world.worker_a
    letter = draft(user, with_consents(user, make_case(user)), "transfer_request")
    client.force_login(user)
    page = client.get(f"/skrivelser/{letter.pk}/").content.decode()
    assert f'name="version" value="{letter.version}"' in page
    case_page = client.get(f"/arenden/{letter.case_id}/").content.decode()
    assert f'name="version" value="{Case.objects.get(pk=letter.case_id).version}"' in case_page
    from motverka.cases.case_page import MEASURES, section_url

    measures = client.get(section_url(letter.case_id, MEASURES)).content.decode()
    assert f'name="version_{SCOPE.value}" value="1"' in measures


def test_a_form_shown_again_after_an_error_keeps_the_version_it_was_sent_with(world, client):
    path, data, state, _typed = _ui_letter(world)
    client.force_login(world.worker_a)
    letter = Letter.objects.get(pk=int(path.strip("/").split("/")[-1]))
    started_from = letter.version
    _save_by_someone_else("letter", world, path, data, client)
    assert Letter.objects.get(pk=letter.pk).version == started_from + 1

    refused = client.post(
        path,
        {
            **data,
            "letter_date": "2026-13-45",
            "version": started_from,
            "version_of": f"letters.letter-{letter.pk}",
        },
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    # The re-shown form still says which version the user started from ...
    assert f'name="version" value="{started_from}"' in page
    # ... so sending it again, corrected, is found stale and overwrites nothing.
    stored = state()
    again = client.post(
        path,
        {**data, "version": started_from, "version_of": f"letters.letter-{letter.pk}"},
    )
    assert again.status_code == 409
    assert state() == stored


def test_versions_start_at_one_and_dates_are_untouched(world):
    case = make_case(world.worker_a)
    assert case.version == 1
    assert isinstance(case.received_on, date)


def test_the_ui_finalises_only_the_version_that_was_previewed(world, client):
    user = world.worker_a
    letter = draft(user, with_consents(user, make_case(user)), "transfer_request")
    client.force_login(user)
    preview = client.get(f"/skrivelser/{letter.pk}/forhandsgranska/").content.decode()
    assert f'name="version" value="{letter.version}"' in preview
    digest = letter_services.letter_preview(acting_user=user, letter=letter).digest
    # A colleague saves the draft again between the preview and the finalising, without
    # changing what it says: the digest alone would still match, the version does not.
    other = make_user(Role.CASE_WORKER, [world.unit_a], username="kollega")
    letter_services.letter_draft_update(
        acting_user=other,
        letter=letter,
        letter_date=letter.letter_date,
        subject=letter.subject,
        body=letter.body,
        recipient_name=letter.recipient_name,
        recipient_address=letter.recipient_address,
        recipient_email=letter.recipient_email,
    )
    response = client.post(
        f"/skrivelser/{letter.pk}/slutfor/",
        {
            "preview_sha256": digest,
            "confirm_unverified_reference": "on",
            "version": letter.version,
        },
    )
    assert response.status_code == 409
    assert "Inget sparades" in response.content.decode()
    assert Letter.objects.get(pk=letter.pk).is_draft
