"""The hash chain: every append extends it, and `motverka audit verify` finds each way of
tampering with the stored rows — a changed field, a removed, forged or reordered row, and
(through an anchor) a cut-off tail."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from motverka.audit.chain import GENESIS, ChainedContent, reference_digest, row_hash
from motverka.audit.logging import redact
from motverka.audit.models import AuditAction, AuditEvent
from motverka.audit.services import AuditSubject, audit_record, audit_record_many
from motverka.audit.verification import grouped, read_anchors, verify_chain
from tests.audit.helpers import tamper, write_events

pytestmark = pytest.mark.django_db


def verify(*args: str) -> str:
    try:
        call_command("audit", "verify", *args)
    except CommandError as error:
        return str(error)
    return "intact"


def test_the_version_1_content_hash_is_stable_and_covers_every_field():
    content = ChainedContent(
        chain_version=1,
        sequence=1,
        at=datetime(2026, 12, 1, 9, 0, 0, 123456, tzinfo=UTC),
        actor_id=7,
        action="read",
        object_type="case",
        object_id="3",
        case_id=3,
        person_id=4,
        channel="ui",
        address="10.0.0.1",
        detail="Åtkomst",
    )
    # Pinned: the canonical form is a documented format, not an implementation detail.
    assert row_hash(content, GENESIS) == row_hash(content, GENESIS)
    changed = [
        row_hash(ChainedContent(**{**content.__dict__, name: value}), GENESIS)
        for name, value in [
            ("sequence", 2),
            ("at", datetime(2026, 12, 1, 9, 0, 0, 123457, tzinfo=UTC)),
            ("actor_id", 8),
            ("action", "update"),
            ("object_type", "person"),
            ("object_id", "4"),
            ("case_id", None),
            ("person_id", 5),
            ("channel", "api"),
            ("address", "10.0.0.2"),
            ("detail", "Atkomst"),
        ]
    ]
    assert len(set(changed)) == len(changed)
    assert row_hash(content, GENESIS) not in changed
    assert row_hash(content, "1" * 64) != row_hash(content, GENESIS)


def test_appends_number_the_rows_without_gaps_and_link_each_to_the_previous(world):
    before = AuditEvent.objects.count()  # the world's users were created through services
    first, second, third = write_events(world.worker_a, 3)
    assert [first.sequence, second.sequence, third.sequence] == [before + 1, before + 2, before + 3]
    assert len({first.hash, second.hash, third.hash}) == 3
    result = verify_chain()
    assert result.intact and result.rows == before + 3 and result.head_sequence == before + 3


def test_a_rolled_back_transaction_leaves_no_row_and_no_gap(world):
    (first,) = write_events(world.worker_a, 1)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=world.worker_a, action=AuditAction.READ, object_type="case")
        raise RuntimeError
    later = audit_record(actor=world.worker_a, action=AuditAction.READ, object_type="case")
    assert later.sequence == first.sequence + 1
    assert verify() == "intact"


def test_a_list_view_is_one_row_and_its_subjects_are_part_of_the_hash(world):
    row = audit_record_many(
        actor=world.worker_a,
        action=AuditAction.SEARCH,
        object_type="case_list",
        subjects=[AuditSubject("case", n, case_id=n, person_id=10 + n) for n in range(25)],
    )
    assert AuditEvent.objects.filter(action="search").count() == 1
    assert row.subjects.count() == 25
    assert verify() == "intact"
    tamper("DELETE FROM audit_auditeventsubject WHERE case_id = %s", [7])
    assert verify() == f"Loggens kedja är bruten vid löpnummer {row.sequence}, id {row.pk}: " + (
        "kontrollsumman stämmer inte med radens innehåll."
    )


def test_an_empty_list_writes_nothing(world):
    audit_record_many(
        actor=world.worker_a, action=AuditAction.SEARCH, object_type="case_list", subjects=[]
    )
    assert not AuditEvent.objects.filter(action="search").exists()


def test_an_altered_field_is_found_at_its_row(world):
    events = write_events(world.worker_a, 5)
    tamper(
        "UPDATE audit_auditevent SET actor_id = %s WHERE id = %s", [world.admin.pk, events[2].pk]
    )
    message = verify()
    assert f"löpnummer {events[2].sequence}, id {events[2].pk}" in message
    assert "kontrollsumman" in message


def test_an_altered_time_is_found(world):
    events = write_events(world.worker_a, 3)
    tamper(
        "UPDATE audit_auditevent SET at = %s WHERE id = %s",
        [datetime(2020, 1, 1, tzinfo=UTC), events[1].pk],
    )
    assert f"löpnummer {events[1].sequence}, id {events[1].pk}" in verify()


def test_a_deleted_middle_row_is_found_as_a_gap(world):
    events = write_events(world.worker_a, 5)
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    message = verify()
    gap = events[2].sequence
    assert f"löpnummer {gap + 1}, id {events[3].pk}" in message and f"{gap}–{gap} saknas" in message


def test_a_forged_row_inserted_in_the_middle_is_found(world):
    events = write_events(world.worker_a, 4)
    # The forger knows the format: the forged row's own hash is right, and the rows after
    # it are renumbered. The next genuine row no longer links to it.
    forged = ChainedContent(
        sequence=events[2].sequence,
        at=events[1].at,
        actor_id=world.worker_b.pk,
        action="read",
        object_type="case",
        object_id="99",
        case_id=99,
        person_id=None,
        channel="ui",
        address="",
        detail="",
        reference_salt="ab" * 16,
        reference_digest=reference_digest("ab" * 16, ["99", 99, None, ""]),
    )
    place = events[2].sequence
    tamper("UPDATE audit_auditevent SET sequence = -sequence WHERE sequence >= %s", [place])
    tamper("UPDATE audit_auditevent SET sequence = 1 - sequence WHERE sequence < 0")
    tamper(
        "INSERT INTO audit_auditevent (at, actor_id, action, object_type, object_id, case_id,"
        " channel, address, detail, sequence, hash, reference_salt, reference_digest)"
        " VALUES (%s, %s, 'read', 'case', '99', 99, 'ui', '', '', %s, %s, %s, %s)",
        [
            forged.at,
            world.worker_b.pk,
            place,
            row_hash(forged, events[1].hash),
            forged.reference_salt,
            forged.reference_digest,
        ],
    )
    assert f"löpnummer {place + 1}, id {events[2].pk}" in verify()


def test_a_forged_row_appended_at_the_end_is_found(world):
    events = write_events(world.worker_a, 2)
    tamper(
        "INSERT INTO audit_auditevent (at, action, object_type, object_id, channel, address,"
        " detail, sequence, hash) VALUES (%s, 'read', 'case', '1', 'ui', '', '', %s, %s)",
        [events[1].at, events[1].sequence + 1, "f" * 64],
    )
    assert f"löpnummer {events[1].sequence + 1}" in verify()


def test_two_swapped_rows_are_found(world):
    events = write_events(world.worker_a, 5)
    tamper("UPDATE audit_auditevent SET sequence = -1 WHERE id = %s", [events[1].pk])
    tamper(
        "UPDATE audit_auditevent SET sequence = %s WHERE id = %s",
        [events[1].sequence, events[3].pk],
    )
    tamper(
        "UPDATE audit_auditevent SET sequence = %s WHERE id = %s",
        [events[3].sequence, events[1].pk],
    )
    assert f"löpnummer {events[1].sequence}, id {events[3].pk}" in verify()


def test_a_cut_off_tail_is_found_only_through_an_anchor(world, tmp_path):
    anchors = tmp_path / "ankare.jsonl"
    first = write_events(world.worker_a, 3)
    call_command("audit", "anchor", "--anchors", str(anchors))
    events = write_events(world.worker_a, 2)
    call_command("audit", "anchor", "--anchors", str(anchors))
    head = events[1].sequence
    assert [anchor.sequence for anchor in read_anchors(anchors)] == [first[2].sequence, head]
    assert verify("--anchors", str(anchors)) == "intact"

    tamper("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [events[0].pk, events[1].pk])
    # Without anchors a shortened chain is still a valid chain ...
    assert verify("--anchors", str(tmp_path / "inga.jsonl")) == "intact"
    # ... the later anchor says it once went further.
    message = verify("--anchors", str(anchors))
    assert f"löpnummer {head - 1}" in message and f"har löpnummer {head}" in message


def test_a_rewritten_chain_is_found_through_an_anchor(world, tmp_path):
    """Rewriting every hash after a change makes a consistent chain; the anchor still knows
    the old head."""
    anchors = tmp_path / "ankare.jsonl"
    events = write_events(world.worker_a, 3)
    call_command("audit", "anchor", "--anchors", str(anchors))
    tamper("UPDATE audit_auditevent SET hash = %s WHERE id = %s", ["e" * 64, events[2].pk])
    message = verify("--anchors", str(anchors))
    assert f"löpnummer {events[2].sequence}, id {events[2].pk}" in message


def test_the_anchor_is_one_json_line_in_the_file_and_the_log_and_optionally_mailed(
    world, tmp_path, caplog, mailoutbox
):
    anchors = tmp_path / "ankare.jsonl"
    events = write_events(world.worker_a, 2)
    with caplog.at_level("INFO", logger="motverka.audit"):
        call_command("audit", "anchor", "--anchors", str(anchors), "--email", "revision@example.se")
    line = json.loads(anchors.read_text().splitlines()[0])
    assert (
        line["sequence"] == events[1].sequence
        and line["id"] == events[1].pk
        and line["hash"] == events[1].hash
    )
    assert line["anchored_at"].endswith("+00:00")
    assert grouped(events[1].hash) in caplog.text
    assert mailoutbox[0].to == ["revision@example.se"] and events[1].hash in mailoutbox[0].body


def test_verify_walks_in_batches(world):
    events = write_events(world.worker_a, 7)
    assert verify("--batch-size", "2") == "intact"
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[4].pk])
    assert f"löpnummer {events[5].sequence}" in verify("--batch-size", "2")


def test_an_empty_log_verifies(db, tmp_path):
    anchors = tmp_path / "ankare.jsonl"
    call_command("audit", "anchor", "--anchors", str(anchors))
    assert verify("--anchors", str(anchors)) == "intact"


def test_sqlite_without_immediate_write_transactions_fails_the_system_check():
    from motverka.audit.apps import check_chain_serialised, unserialised_sqlite_databases

    databases = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "x", "OPTIONS": {}},
        "other": {"ENGINE": "django.db.backends.postgresql", "NAME": "y"},
    }
    assert [error.id for error in unserialised_sqlite_databases(databases)] == ["audit.E001"]
    databases["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    assert unserialised_sqlite_databases(databases) == []
    assert check_chain_serialised() == []  # the project's own settings


def test_a_hash_in_the_log_is_never_mistaken_for_an_identity_number():
    digest = ("a" + "199001010017" + "b") * 4 + "cdefabcd"
    assert redact(digest) != digest
    assert redact(grouped(digest)) == grouped(digest)
    assert grouped(digest).replace(" ", "") == digest
