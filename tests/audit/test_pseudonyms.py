"""Pseudonymising audit rows at disposal: the chain still verifies, the clear references are
gone, and the database lets nothing else through (decision 0021)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import transaction

from motverka.audit.chain import (
    GENESIS,
    ChainedContent,
    ChainWalk,
    StoredRow,
    reference_digest,
    row_hash,
)
from motverka.audit.models import AuditAction, AuditEvent, AuditEventSubject
from motverka.audit.pseudonyms import audit_pseudonymise, erasure_permitted
from motverka.audit.services import AuditSubject, audit_record, audit_record_many
from motverka.audit.verification import verify_chain
from tests.audit.helpers import refused, tamper, write_events

pytestmark = pytest.mark.django_db


def _content(**changes: object) -> ChainedContent:
    salt = "0f" * 16
    base: dict[str, object] = {
        "sequence": 1,
        "at": datetime(2026, 12, 1, 9, 0, 0, 123456, tzinfo=UTC),
        "actor_id": 7,
        "action": "read",
        "object_type": "case",
        "object_id": "3",
        "case_id": 3,
        "person_id": 4,
        "channel": "ui",
        "address": "10.0.0.1",
        "detail": "Åtkomst",
        "reference_salt": salt,
        "reference_digest": reference_digest(salt, ["3", 3, 4, "Åtkomst"]),
    }
    base.update(changes)
    return ChainedContent(**base)  # type: ignore[arg-type]


def test_version_2_hashes_the_references_only_through_their_digest():
    content = _content()
    same_refs_other_values = _content(object_id="", case_id=None, person_id=None, detail="")
    assert row_hash(content, GENESIS) == row_hash(same_refs_other_values, GENESIS)
    # Every field that is not a personal reference still changes the hash.
    for name, value in [
        ("sequence", 2),
        ("actor_id", 8),
        ("action", "update"),
        ("object_type", "person"),
        ("channel", "api"),
        ("address", "10.0.0.2"),
        ("reference_digest", "1" * 64),
    ]:
        assert row_hash(_content(**{name: value}), GENESIS) != row_hash(content, GENESIS), name


def test_a_changed_clear_reference_no_longer_matches_the_digest():
    content = _content(case_id=5)
    walk = ChainWalk()
    assert not walk.check(StoredRow(1, row_hash(content, GENESIS), content))
    assert walk.broken and "personreferenserna" in walk.broken.reason


def test_a_cleared_salt_without_a_pseudonym_is_a_break():
    content = _content(reference_salt="")
    walk = ChainWalk()
    assert not walk.check(StoredRow(1, row_hash(content, GENESIS), content))


def test_a_pseudonymised_version_1_row_is_sealed_and_the_chain_still_links():
    first = _content(chain_version=1, reference_salt="", reference_digest="")
    first_hash = row_hash(first, GENESIS)
    second = _content(sequence=2)
    second_hash = row_hash(second, first_hash)
    sealed = _content(
        chain_version=1,
        reference_salt="",
        reference_digest="",
        object_id="",
        case_id=None,
        person_id=None,
        detail="",
        pseudonym="G1-1",
    )
    walk = ChainWalk()
    assert walk.check(StoredRow(1, first_hash, sealed))
    assert walk.check(StoredRow(2, second_hash, second))
    assert (walk.pseudonymised, walk.sealed) == (1, 1)
    # A sealed row's stored hash is still bound by the next row.
    walk = ChainWalk()
    assert walk.check(StoredRow(1, "e" * 64, sealed))
    assert not walk.check(StoredRow(2, second_hash, second))


def _pseudonymise(case_id: int, person_id: int | None, removed: bool = False):
    with (
        transaction.atomic(),
        erasure_permitted(case_id=case_id, person_id=person_id, pseudonym=f"G1-{case_id}"),
    ):
        return audit_pseudonymise(
            case_id=case_id, person_id=person_id, person_removed=removed, pseudonym=f"G1-{case_id}"
        )


def test_the_chain_verifies_after_pseudonymisation(world):
    events = write_events(world.worker_a, 4)
    listing = audit_record_many(
        actor=world.worker_a,
        action=AuditAction.SEARCH,
        object_type="case_list",
        subjects=[AuditSubject("case", n, case_id=n, person_id=100 + n) for n in (2, 3)],
    )
    assert listing is not None
    assert verify_chain().intact
    done = _pseudonymise(2, 102)
    assert (done.rows, done.subjects, done.sealed) == (1, 1, 0)
    row = AuditEvent.objects.get(pk=events[1].pk)
    assert (row.case_id, row.person_id, row.object_id, row.detail, row.reference_salt) == (
        None,
        None,
        "",
        "",
        "",
    )
    assert row.pseudonym == "G1-2" and row.hash == events[1].hash
    subject = AuditEventSubject.objects.get(event=listing, pseudonym="G1-2")
    assert subject.case_id is None
    # The other subject of the same list row keeps its clear references and still checks.
    assert AuditEventSubject.objects.get(event=listing, case_id=3).reference_salt
    result = verify_chain()
    assert result.intact and result.pseudonymised == 2
    # Whoever later changes a clear reference still breaks the chain.
    tamper("UPDATE audit_auditevent SET case_id = 9 WHERE id = %s", [events[2].pk])
    assert not verify_chain().intact


def test_the_person_s_own_rows_go_only_when_the_person_row_is_removed(world):
    on_case = audit_record(
        actor=world.worker_a, action=AuditAction.READ, object_type="case", case_id=5, person_id=50
    )
    on_person = audit_record(
        actor=world.worker_a, action=AuditAction.READ, object_type="person", person_id=50
    )
    _pseudonymise(5, 50, removed=False)
    assert AuditEvent.objects.get(pk=on_case.pk).pseudonym == "G1-5"
    assert AuditEvent.objects.get(pk=on_person.pk).person_id == 50
    with transaction.atomic(), erasure_permitted(case_id=6, person_id=50, pseudonym="G1-6"):
        audit_pseudonymise(case_id=6, person_id=50, person_removed=True, pseudonym="G1-6")
    assert AuditEvent.objects.get(pk=on_person.pk).pseudonym == "G1-6"
    assert verify_chain().intact


def test_without_a_permit_the_database_refuses_pseudonymisation(world):
    (event,) = write_events(world.worker_a, 1)
    refused(
        lambda: AuditEvent.objects.filter(pk=event.pk).update(
            object_id="", case_id=None, person_id=None, detail="", reference_salt="", pseudonym="X"
        )
    )


def test_with_a_permit_nothing_but_the_references_may_change(world):
    (event,) = write_events(world.worker_a, 1)
    cleared = {
        "object_id": "",
        "case_id": None,
        "person_id": None,
        "detail": "",
        "reference_salt": "",
        "pseudonym": "G1-1",
    }
    with transaction.atomic(), erasure_permitted(case_id=1, person_id=None, pseudonym="G1-1"):
        for other in [
            {"action": "update"},
            {"hash": "0" * 64},
            {"reference_digest": "1" * 64},
            {"actor_id": None},
            {"pseudonym": "another"},
            {"case_id": 7},
        ]:
            refused(
                lambda other=other: AuditEvent.objects.filter(pk=event.pk).update(
                    **{**cleared, **other}
                )
            )
        AuditEvent.objects.filter(pk=event.pk).update(**cleared)
    # Once pseudonymised, a row cannot be pseudonymised again, nor deleted.
    with transaction.atomic(), erasure_permitted(case_id=2, person_id=None, pseudonym="G1-2"):
        refused(
            lambda: AuditEvent.objects.filter(pk=event.pk).update(
                **{**cleared, "pseudonym": "G1-2"}
            )
        )
        refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    assert verify_chain().intact
