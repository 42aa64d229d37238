"""The database itself refuses changes to what must never change: audit rows, signed
journal entries, finalised letters and their PDF/A, and steps carried out — through the
ORM (save, update, delete, QuerySet.update) and through raw SQL. What is still allowed
(drafts, signing, finalising, marking sent) keeps working."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from motverka.audit.models import AuditEvent, AuditEventSubject
from motverka.audit.services import AuditSubject, audit_record_many
from motverka.cases.models import JournalEntry
from motverka.cases.services import journal_entry_add, journal_entry_sign, journal_entry_update
from motverka.letters import services as letters
from motverka.letters.models import Letter, LetterDocument
from motverka.workflow.models import StepRecord
from motverka.workflow.policy import Action
from tests.audit.helpers import raw, refused, write_events
from tests.factories import make_case
from tests.workflow_services.helpers import step

pytestmark = pytest.mark.django_db


def test_audit_rows_cannot_be_changed_or_removed(world):
    (event,) = write_events(world.worker_a, 1)
    event.detail = "något annat"
    refused(lambda: event.save())
    refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(actor=world.admin))
    refused(lambda: AuditEvent.objects.get(pk=event.pk).delete())
    refused(lambda: AuditEvent.objects.all().delete())
    refused(lambda: raw("UPDATE audit_auditevent SET detail = 'x' WHERE id = %s", [event.pk]))
    refused(lambda: raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk]))
    if connection.vendor == "postgresql":
        refused(lambda: raw("TRUNCATE audit_auditevent CASCADE"))
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.detail, stored.actor_id) == ("händelse 1", world.worker_a.pk)


def test_the_subjects_of_a_list_row_cannot_be_changed_or_removed(world):
    audit_record_many(
        actor=world.worker_a,
        action="search",
        object_type="case_list",
        subjects=[AuditSubject("case", 1, case_id=1, person_id=2)],
    )
    subject = AuditEventSubject.objects.get()
    refused(lambda: AuditEventSubject.objects.update(person_id=3))
    refused(lambda: AuditEventSubject.objects.all().delete())
    refused(lambda: raw("UPDATE audit_auditeventsubject SET case_id = 9"))
    if connection.vendor == "postgresql":
        refused(lambda: raw("TRUNCATE audit_auditeventsubject"))
    assert AuditEventSubject.objects.get().person_id == subject.person_id == 2


def test_a_draft_entry_is_editable_signing_passes_and_then_it_is_frozen(world):
    case = make_case(world.worker_a)
    entry = journal_entry_add(
        acting_user=world.worker_a, case=case, entry_date=case.received_on, text="Utkast."
    )
    entry = journal_entry_update(
        acting_user=world.worker_a, entry=entry, entry_date=case.received_on, text="Ändrat."
    )
    JournalEntry.objects.filter(pk=entry.pk).update(text="Ändrat igen.")  # a draft may change
    entry = journal_entry_sign(acting_user=world.worker_a, entry=entry)
    assert entry.is_signed

    entry.text = "Förfalskat."
    refused(lambda: entry.save())
    refused(lambda: JournalEntry.objects.filter(pk=entry.pk).update(text="Förfalskat."))
    refused(lambda: JournalEntry.objects.filter(pk=entry.pk).update(signed_at=None))
    refused(lambda: JournalEntry.objects.get(pk=entry.pk).delete())
    refused(lambda: raw("UPDATE cases_journalentry SET text = 'x' WHERE id = %s", [entry.pk]))
    refused(lambda: raw("DELETE FROM cases_journalentry WHERE id = %s", [entry.pk]))
    assert JournalEntry.objects.get(pk=entry.pk).text == "Ändrat igen."


def test_an_unsigned_draft_may_be_deleted_a_signed_entry_not(world):
    case = make_case(world.worker_a)
    draft = journal_entry_add(
        acting_user=world.worker_a, case=case, entry_date=case.received_on, text="Utkast."
    )
    signed = journal_entry_add(
        acting_user=world.worker_a, case=case, entry_date=case.received_on, text="Klar.", sign=True
    )
    JournalEntry.objects.filter(pk=draft.pk).delete()
    refused(lambda: JournalEntry.objects.filter(pk=signed.pk).delete())
    assert list(JournalEntry.objects.values_list("pk", flat=True)) == [signed.pk]


def _finalised_letter(world):
    from tests.letters.helpers import finalised

    case = make_case(world.worker_a)
    return finalised(world.worker_a, case, "landlord_letter")


def test_a_finalised_letter_and_its_pdf_are_frozen_but_may_be_marked_sent_once(world):
    letter = _finalised_letter(world)
    document = LetterDocument.objects.get(letter=letter)
    original = bytes(document.pdf)

    refused(lambda: Letter.objects.filter(pk=letter.pk).update(body="Ny text."))
    refused(lambda: Letter.objects.filter(pk=letter.pk).update(status="draft"))
    refused(lambda: Letter.objects.filter(pk=letter.pk).update(final_text="Ny text."))
    refused(lambda: Letter.objects.filter(pk=letter.pk).delete())
    refused(lambda: raw("UPDATE letters_letter SET subject = 'x' WHERE id = %s", [letter.pk]))
    refused(lambda: raw("DELETE FROM letters_letter WHERE id = %s", [letter.pk]))
    refused(lambda: LetterDocument.objects.filter(pk=letter.pk).update(pdf=b"%PDF-fake"))
    refused(lambda: LetterDocument.objects.filter(pk=letter.pk).delete())
    refused(
        lambda: raw(
            "UPDATE letters_letterdocument SET sha256 = 'x' WHERE letter_id = %s", [letter.pk]
        )
    )
    refused(lambda: raw("DELETE FROM letters_letterdocument WHERE letter_id = %s", [letter.pk]))

    sent = letters.letter_mark_sent(
        acting_user=world.worker_a,
        letter=letter,
        sent_on=timezone.localdate(),
        channel="post",
    )
    assert sent.is_sent
    refused(lambda: Letter.objects.filter(pk=letter.pk).update(sent_on=letter.letter_date))
    refused(lambda: Letter.objects.filter(pk=letter.pk).update(status="finalised"))
    assert bytes(LetterDocument.objects.get(letter=letter).pdf) == original
    assert Letter.objects.get(pk=letter.pk).body == letter.body


def test_a_draft_letter_stays_editable_and_deletable(world):
    from tests.letters.helpers import draft

    case = make_case(world.worker_a)
    letter = draft(world.worker_a, case, "landlord_letter")
    Letter.objects.filter(pk=letter.pk).update(subject="Ny rubrik")
    Letter.objects.filter(pk=letter.pk).delete()
    assert not Letter.objects.filter(pk=letter.pk).exists()


def test_a_step_carried_out_cannot_be_changed_or_removed(world):
    case = make_case(world.worker_a)
    step(case, world.worker_a, Action.ASSESS_CONFIRM, reason="Bekräftad.")
    record = StepRecord.objects.get(case=case)
    record.note = "Ändrad."
    refused(lambda: record.save())
    refused(lambda: StepRecord.objects.filter(pk=record.pk).update(performed_on="2020-01-01"))
    refused(lambda: StepRecord.objects.filter(pk=record.pk).delete())
    refused(lambda: raw("UPDATE workflow_steprecord SET note = 'x' WHERE id = %s", [record.pk]))
    refused(lambda: raw("DELETE FROM workflow_steprecord WHERE id = %s", [record.pk]))
    assert StepRecord.objects.get(pk=record.pk).note == "Bekräftad."


def test_every_column_of_a_letter_but_the_sending_ones_is_frozen():
    """A column added to Letter later is frozen without anyone listing it: the trigger's
    condition is compiled from the model."""
    from django.apps import apps

    from motverka.audit.protection import RULES, SENT_COLUMNS

    rule = next(rule for rule in RULES if rule.model == "letters.Letter")
    condition = rule.update(apps.get_model("letters.Letter"), connection.vendor)
    for field in Letter._meta.concrete_fields:
        assert (f'OLD."{field.column}"' in condition) == (field.column not in SENT_COLUMNS)


@pytest.mark.django_db(transaction=True)
def test_the_test_harness_flush_still_empties_protected_tables(world):
    """A transactional test's teardown flush (TRUNCATE on PostgreSQL, DELETE on SQLite)
    runs with the rules lifted for that connection only; this test leaves rows behind in
    every protected table and the next transactional test starts empty."""
    write_events(world.worker_a, 2)
    case = make_case(world.worker_a)
    journal_entry_add(
        acting_user=world.worker_a, case=case, entry_date=case.received_on, text="Ok.", sign=True
    )
    assert AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_the_rules_are_back(world):
    assert not JournalEntry.objects.exists()
    (event,) = write_events(world.worker_a, 1)
    refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
