"""Disposal in two steps by two people: what goes, what stays, and that the audit chain
and the figures of past years survive it."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.db import transaction
from django.db.utils import DatabaseError
from django_tasks_db.models import DBTaskResult

from motverka.accounts.models import Role
from motverka.archive import services
from motverka.archive.demo import identity_number_born, old_closed_case
from motverka.archive.models import DisposalListStatus, DisposalRecord
from motverka.archive.retention import RetentionOutcome, RetentionRule
from motverka.archive.selectors import cases_due
from motverka.audit.models import AuditEvent, AuditEventSubject
from motverka.audit.services import AuditSubject, audit_record_many
from motverka.audit.verification import verify_chain
from motverka.cases.access import cases_visible_to
from motverka.cases.errors import AccessDenied, Conflict
from motverka.cases.models import Case, CaseEvent, JournalEntry
from motverka.history.models import Change
from motverka.housing.models import PersonalAccount
from motverka.letters.models import Letter, LetterDocument
from motverka.people.models import HouseholdMember, Person
from motverka.reporting.models import CaseFigureRow
from motverka.reporting.periods import year_period
from motverka.reporting.selectors import period_figures
from motverka.reporting.services import case_figures_rebuild
from motverka.workflow.models import CaseMeasure, Deadline, StepRecord
from tests.factories import make_user

pytestmark = pytest.mark.django_db

RECEIVED = date(2019, 3, 1)


def _published(year: int):
    """The year's summary rows (what every figure is counted from), then its total and
    every published table, cell by cell."""
    rows = list(
        CaseFigureRow.objects.filter(received_on__year=year)
        .order_by("case_id")
        .values(*(field.name for field in CaseFigureRow._meta.fields if field.name != "updated_at"))
    )
    figures = period_figures(year_period(year))
    tables = [(table.slug, repr(table)) for table in figures.tables]
    return rows, figures.total.shown, tables, repr(figures.durations), repr(figures.money)


@pytest.fixture
def archivist(world):
    return make_user(Role.ARCHIVIST, username="arkiv")


@pytest.fixture(autouse=True)
def _packages_in_tmp(settings, tmp_path):
    settings.MOTVERKA_ARCHIVE_PACKAGE_DIR = str(tmp_path / "archive")


def _case(world, day: int, **kwargs):
    return old_closed_case(
        worker=world.worker_a,
        unit=world.unit_a,
        received_on=RECEIVED,
        first_name=kwargs.pop("first_name", "Alma"),
        last_name="Gallringsdemo",
        personal_identity_number=identity_number_born(1980, 3, day, kwargs.pop("serial", 238)),
        **kwargs,
    )


def _approved(world, archivist):
    disposal_list = services.disposal_list_propose(acting_user=archivist)
    services.disposal_list_review(acting_user=archivist, disposal_list_id=disposal_list.pk)
    services.disposal_list_approve(acting_user=world.manager, disposal_list_id=disposal_list.pk)
    return disposal_list


def test_closed_old_cases_are_due_with_their_rule_and_date(world):
    disposed = _case(world, 8)
    kept = _case(world, 15, serial=239)
    due = {item.case.pk: item for item in cases_due(today=date(2026, 12, 1))}
    assert due[disposed.pk].decision.rule == RetentionRule.DISPOSAL
    assert due[kept.pk].decision.rule == RetentionRule.RESEARCH_BIRTH_DAY
    assert due[kept.pk].decision.outcome == RetentionOutcome.DELIVER
    assert due[disposed.pk].decision.due_by == date(2025, 12, 31)
    assert not cases_due(today=date(2023, 1, 1))


def test_a_pending_transfer_request_keeps_a_case_off_the_list(world):
    case = _case(world, 8)
    CaseMeasure.objects.filter(case=case, measure="return_of_responsibility").update(
        state="request_sent"
    )
    assert case.pk not in {item.case.pk for item in cases_due(today=date(2026, 12, 1))}


def test_a_pending_ivo_decision_keeps_a_case_off_the_list(world):
    case = _case(world, 8)
    CaseMeasure.objects.filter(case=case, measure="return_of_responsibility").update(
        state="ivo_applied"
    )
    assert case.pk not in {item.case.pk for item in cases_due(today=date(2026, 12, 1))}


def test_the_archive_plan_from_the_settings_keeps_a_case(world, settings):
    settings.MOTVERKA_ARCHIVE_PLAN = [
        {"code": "nyanlanda", "label": "Nyanlända", "target_groups": ["newly_arrived"]}
    ]
    case = _case(world, 8)
    (item,) = [item for item in cases_due(today=date(2026, 12, 1)) if item.case.pk == case.pk]
    assert item.decision.rule == RetentionRule.ARCHIVE_PLAN
    assert item.decision.outcome == RetentionOutcome.DELIVER


def test_only_the_archive_role_proposes_and_reviews(world, archivist):
    _case(world, 8)
    for user in (world.worker_a, world.manager, world.admin, world.analyst):
        with pytest.raises(AccessDenied):
            services.disposal_list_propose(acting_user=user)
    disposal_list = services.disposal_list_propose(acting_user=archivist)
    with pytest.raises(AccessDenied):
        services.disposal_list_review(acting_user=world.manager, disposal_list_id=disposal_list.pk)


def test_approval_needs_a_review_first_and_a_second_person(world, archivist):
    _case(world, 8)
    disposal_list = services.disposal_list_propose(acting_user=archivist)
    with pytest.raises(Conflict):
        services.disposal_list_approve(acting_user=world.manager, disposal_list_id=disposal_list.pk)
    services.disposal_list_review(acting_user=archivist, disposal_list_id=disposal_list.pk)
    with pytest.raises(AccessDenied):  # the archivist cannot approve
        services.disposal_list_approve(acting_user=archivist, disposal_list_id=disposal_list.pk)
    # Someone who reviewed and then became a unit manager still cannot approve the same list.
    archivist.role = Role.UNIT_MANAGER
    archivist.save(update_fields=["role"])
    archivist.units.add(world.unit_a)
    with pytest.raises(Conflict) as refused:
        services.disposal_list_approve(acting_user=archivist, disposal_list_id=disposal_list.pk)
    assert refused.value.code == "same_person"
    with pytest.raises(Conflict):  # not approved: nothing to carry out
        services.disposal_list_execute(disposal_list_id=disposal_list.pk)


def test_a_manager_of_another_unit_cannot_approve(world, archivist):
    _case(world, 8)
    other = make_user(Role.UNIT_MANAGER, [world.unit_b], username="other_manager")
    disposal_list = services.disposal_list_propose(acting_user=archivist)
    services.disposal_list_review(acting_user=archivist, disposal_list_id=disposal_list.pk)
    with pytest.raises(AccessDenied):
        services.disposal_list_approve(acting_user=other, disposal_list_id=disposal_list.pk)


def test_approval_queues_the_disposal_on_the_task_queue(
    world, archivist, django_capture_on_commit_callbacks
):
    _case(world, 8)
    with django_capture_on_commit_callbacks(execute=True):
        disposal_list = _approved(world, archivist)
    task = DBTaskResult.objects.get(task_path__endswith="disposal_list_execute_task")
    assert task.args_kwargs["args"] == [disposal_list.pk]


def test_disposal_removes_the_personal_data_and_keeps_chain_figures_and_record(world, archivist):
    disposed = _case(world, 8)
    kept = _case(world, 15, serial=239, first_name="Olle")
    other_unit_person = Person.objects.create(
        unit=world.unit_b,
        personal_identity_number=disposed.person.personal_identity_number,
        first_name="Alma",
        last_name="Gallringsdemo",
    )
    audit_record_many(
        actor=world.worker_a,
        action="search",
        object_type="case_list",
        subjects=[
            AuditSubject("case", c.pk, case_id=c.pk, person_id=c.person_id)
            for c in (disposed, kept)
        ],
    )
    figures_before = _published(2019)
    assert len(figures_before[0]) == 2
    person_ids = [disposed.person_id, kept.person_id]
    for case in (disposed, kept):
        assert JournalEntry.objects.filter(case=case, signed_at__isnull=False).exists()
        assert StepRecord.objects.filter(case=case).exists()
    assert LetterDocument.objects.filter(letter__case=disposed).exists()
    assert AuditEvent.objects.filter(case_id=disposed.pk).exists()

    disposal_list = _approved(world, archivist)
    records = services.disposal_list_execute(disposal_list_id=disposal_list.pk)

    assert len(records) == 2
    disposal_list.refresh_from_db()
    assert disposal_list.status == DisposalListStatus.DONE
    for case in (disposed, kept):
        for model in (JournalEntry, Letter, StepRecord, CaseMeasure, Deadline, CaseEvent):
            assert not model.objects.filter(case_id=case.pk).exists(), model
        assert not HouseholdMember.objects.filter(case_id=case.pk).exists()
        assert not PersonalAccount.objects.filter(case_id=case.pk).exists()
        assert not Change.objects.filter(case_id=case.pk).exists()
        assert not AuditEvent.objects.filter(case_id=case.pk).exists()
        assert not AuditEventSubject.objects.filter(case_id=case.pk).exists()
        row = Case.objects.select_related("person").get(pk=case.pk)
        assert (row.person.first_name, row.person.personal_identity_number) == ("", None)
        assert row.indicator_note == "" and row.moved_on is None
    assert not LetterDocument.objects.exists()
    assert not Person.objects.filter(pk__in=person_ids).exists()
    # Another unit's row of the same individual is that unit's, and stays.
    assert Person.objects.filter(pk=other_unit_person.pk).exists()
    # The cases are gone from every case list: the access layer, the list and its search,
    # the start page's rows, the case page and the API.
    assert not cases_visible_to(world.worker_a).filter(pk__in=[disposed.pk, kept.pk]).exists()
    from motverka.cases import selectors
    from motverka.cases.access import NotFound, case_get_for_user

    listed = selectors.case_list(user=world.worker_a, filters=selectors.CaseFilters())
    assert {case.pk for case in listed.object_list}.isdisjoint({disposed.pk, kept.pk})
    assert listed.paginator.count == 0
    rows, _more = selectors.case_rows(
        user=world.worker_a, filters=selectors.CaseFilters(), limit=10
    )
    assert rows == []
    for case in (disposed, kept):
        with pytest.raises(NotFound):
            case_get_for_user(user=world.worker_a, case_id=case.pk)

    # The chain verifies, with every pseudonymised row counted.
    result = verify_chain()
    assert result.intact
    pseudonymised = AuditEvent.objects.exclude(pseudonym="").count()
    assert pseudonymised == sum(record.audit_rows for record in records) > 0
    # The search row above and the proposal's own list row named both cases.
    assert AuditEventSubject.objects.exclude(pseudonym="").count() == 4

    # The figures of 2019 are what they were, also after a rebuild of every summary row.
    assert _published(2019) == figures_before
    case_figures_rebuild()
    assert _published(2019) == figures_before

    by_case = {record.case_id: record for record in records}
    record = by_case[disposed.pk]
    assert record.outcome == RetentionOutcome.DISPOSE and record.package_name == ""
    assert record.reviewed_by_id == archivist.pk and record.approved_by_id == world.manager.pk
    assert record.rule == RetentionRule.DISPOSAL and record.case_reference == disposed.reference
    assert record.person_removed
    kept_record = by_case[kept.pk]
    assert kept_record.outcome == RetentionOutcome.DELIVER
    assert kept_record.package_name.endswith(".zip") and len(kept_record.package_sha256) == 64

    # The disposal record is kept for good.
    with pytest.raises(DatabaseError), transaction.atomic():
        DisposalRecord.objects.filter(pk=record.pk).update(rule="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        DisposalRecord.objects.filter(pk=record.pk).delete()


def test_a_person_with_another_case_in_the_unit_keeps_their_row(world, archivist):
    old = _case(world, 8)
    from tests.factories import make_case

    make_case(
        world.worker_a,
        person=None,
        personal_identity_number=old.person.personal_identity_number,
        allow_open_case=True,
    )
    person_id = old.person_id
    (record,) = services.disposal_list_execute(disposal_list_id=_approved(world, archivist).pk)
    assert not record.person_removed
    assert Person.objects.filter(pk=person_id).exists()
    assert verify_chain().intact


def test_the_delivered_package_is_written_before_disposal(world, archivist, settings, tmp_path):
    kept = _case(world, 25)
    reference = kept.reference
    (record,) = services.disposal_list_execute(disposal_list_id=_approved(world, archivist).pk)
    path = tmp_path / "archive" / record.package_name
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as package:
        names = package.namelist()
        root = names[0].split("/")[0]
        assert f"{root}/sip.xml" in names
        assert f"{root}/Metadata/arende.xml" in names
        assert f"{root}/Content/journal.pdf" in names
        assert any(name.startswith(f"{root}/System/") for name in names)
        assert reference.encode() in package.read(f"{root}/Metadata/arende.xml")
