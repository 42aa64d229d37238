"""`demo_data --cases N`: a history copied in bulk from model cases made through the
services, with the audit chain intact, and never into a database with real data."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from motverka.accounts.models import Role
from motverka.audit.models import AuditEvent
from motverka.audit.verification import verify_chain
from motverka.cases.models import Case, CaseEvent, JournalEntry
from motverka.demo_volume import MODEL_CASES
from motverka.history.models import Change
from motverka.letters.models import LetterDocument
from motverka.people.models import Person
from tests.factories import make_unit, make_user


@pytest.mark.django_db(transaction=True)
def test_the_volume_is_copied_as_the_services_write_it_and_the_chain_holds():
    changes_before = Change.objects.count()
    call_command("demo_data", "--cases", str(MODEL_CASES + 12))
    assert Case.objects.count() == MODEL_CASES + 12
    assert Person.objects.count() == MODEL_CASES + 12
    # Every case with its own unit's person, a unique reference, events and journal.
    for case in Case.objects.select_related("person"):
        assert case.person.unit_id == case.unit_id
        assert case.events.exists()
    assert len(set(Case.objects.values_list("reference", flat=True))) == MODEL_CASES + 12
    assert JournalEntry.objects.filter(signed_at__isnull=False).exists()
    copied = Case.objects.order_by("received_on").first()
    assert copied is not None and copied.person.last_name != ""
    assert "Demomall" not in copied.person.last_name  # a copy, with a name of its own
    assert CaseEvent.objects.filter(case=copied).count() >= 1
    # A letter's stored PDF has the hash and size stored with it.
    document = LetterDocument.objects.order_by("-letter_id").first()
    assert document is not None
    pdf = bytes(document.pdf)
    assert hashlib.sha256(pdf).hexdigest() == document.sha256 and len(pdf) == document.size
    # The audit chain verifies, and copies are logged on their own case and person.
    assert verify_chain().intact
    assert AuditEvent.objects.filter(case_id=copied.pk, person_id=copied.person_id).exists()
    # Inserts outside a change context leave no change history, as registration does.
    assert Change.objects.count() == changes_before
    # The services go on where the copies stopped: a new registration gets fresh ids.
    from tests.factories import make_case

    worker = Case.objects.filter(assigned_to__isnull=False).first().assigned_to
    case = make_case(worker)
    assert case.pk > max(Case.objects.exclude(pk=case.pk).values_list("pk", flat=True))
    assert verify_chain().intact


@pytest.mark.django_db
def test_a_database_with_real_data_is_refused():
    make_user(Role.CASE_WORKER, [make_unit("Riktig enhet")], username="riktig")
    with pytest.raises(CommandError, match="annat än demodata"):
        call_command("demo_data", "--cases", "100")
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_small_count_is_the_ordinary_demo_and_zero_is_refused():
    with pytest.raises(CommandError, match="positivt"):
        call_command("demo_data", "--cases", "0")
    call_command("demo_data", "--cases", "3", stdout=StringIO())
    # The ordinary demo through the services: 3 cases plus the three due for disposal.
    assert Case.objects.count() == 3 + 3
