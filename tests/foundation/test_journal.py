"""The journal: dated entries, signing locks, corrections are new entries."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from motverka.audit.models import AuditEvent
from motverka.cases.errors import AccessDenied, Conflict
from motverka.cases.models import JournalEntry
from motverka.cases.services import (
    journal_entry_add,
    journal_entry_correct,
    journal_entry_sign,
    journal_entry_update,
)
from tests.factories import make_case


@pytest.fixture
def case(world):
    return make_case(world.worker_a)


def test_an_entry_is_saved_unsigned_and_can_be_edited_by_its_author(world, case):
    entry = journal_entry_add(
        acting_user=world.worker_a, case=case, entry_date=date(2026, 3, 1), text="Samtal"
    )
    assert not entry.is_signed
    journal_entry_update(
        acting_user=world.worker_a, entry=entry, entry_date=date(2026, 3, 2), text="Samtal, rättat"
    )
    entry.refresh_from_db()
    assert (entry.entry_date, entry.text) == (date(2026, 3, 2), "Samtal, rättat")


def test_signing_locks_an_entry(world, case):
    entry = journal_entry_add(
        acting_user=world.worker_a, case=case, entry_date=date(2026, 3, 1), text="Samtal"
    )
    journal_entry_sign(acting_user=world.worker_a, entry=entry)
    with pytest.raises(Conflict) as error:
        journal_entry_update(
            acting_user=world.worker_a, entry=entry, entry_date=date(2026, 3, 1), text="Ändrat"
        )
    assert "signerad" in error.value.message
    entry.refresh_from_db()
    assert entry.text == "Samtal"
    with pytest.raises(Conflict):
        journal_entry_sign(acting_user=world.worker_a, entry=entry)


def test_a_correction_is_a_new_signed_entry_that_refers_to_the_old_one(world, case):
    entry = journal_entry_add(
        acting_user=world.worker_a, case=case, entry_date=date(2026, 3, 1), text="Fel", sign=True
    )
    correction = journal_entry_correct(
        acting_user=world.worker_a, entry=entry, entry_date=date(2026, 3, 1), text="Rätt"
    )
    assert correction.corrects == entry and correction.is_signed
    entry.refresh_from_db()
    assert entry.text == "Fel"
    assert JournalEntry.objects.filter(case=case).count() == 2


def test_an_unsigned_entry_is_edited_not_corrected(world, case):
    entry = journal_entry_add(
        acting_user=world.worker_a, case=case, entry_date=date(2026, 3, 1), text="Utkast"
    )
    with pytest.raises(Conflict):
        journal_entry_correct(
            acting_user=world.worker_a, entry=entry, entry_date=date(2026, 3, 1), text="x"
        )


def test_only_the_author_edits_a_draft_but_a_manager_may_sign_it(world, case):
    entry = journal_entry_add(
        acting_user=world.worker_a, case=case, entry_date=date(2026, 3, 1), text="Utkast"
    )
    with pytest.raises(Conflict):
        journal_entry_update(
            acting_user=world.manager, entry=entry, entry_date=date(2026, 3, 1), text="x"
        )
    journal_entry_sign(acting_user=world.manager, entry=entry)
    entry.refresh_from_db()
    assert entry.signed_by == world.manager


def test_empty_or_future_entries_are_refused_and_nothing_is_written(world, case):
    before = (JournalEntry.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        journal_entry_add(
            acting_user=world.worker_a,
            case=case,
            entry_date=timezone.localdate() + timedelta(days=1),
            text="  ",
        )
    assert set(error.value.message_dict) == {"text", "entry_date"}
    assert (JournalEntry.objects.count(), AuditEvent.objects.count()) == before


def test_a_worker_of_another_unit_cannot_write_in_the_journal(world, case):
    with pytest.raises(AccessDenied):
        journal_entry_add(
            acting_user=world.worker_b, case=case, entry_date=date(2026, 3, 1), text="x"
        )


def test_every_journal_write_is_audited(world, case):
    entry = journal_entry_add(
        acting_user=world.worker_a, case=case, entry_date=date(2026, 3, 1), text="a"
    )
    journal_entry_sign(acting_user=world.worker_a, entry=entry)
    journal_entry_correct(
        acting_user=world.worker_a, entry=entry, entry_date=date(2026, 3, 1), text="b"
    )
    rows = AuditEvent.objects.filter(object_type="journal_entry", case_id=case.pk)
    assert rows.count() == 3
    assert set(rows.values_list("actor", flat=True)) == {world.worker_a.pk}
